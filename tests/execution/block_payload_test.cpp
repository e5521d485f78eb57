// The block payload's size arithmetic (payload_entry_size, payload_size,
// max_transaction_in_payload) against the real encoding: blocks are sized by
// it (issue 9, item 2), so it must be exact for every transaction size.

#include "bauhinia/execution/block_payload.hpp"

#include <gtest/gtest.h>

#include <random>

namespace bauhinia::execution {
namespace {

std::size_t encoded_size(std::size_t count, std::size_t transaction_bytes) {
  if (count == 0) return 0;  // an empty block has an empty payload
  BlockPayload p;
  p.transactions.assign(count, core::Bytes(transaction_bytes, 0x5A));
  return core::encode(p).size();
}

TEST(BlockPayloadSize, EveryTransactionSizeHasItsExactEntrySize) {
  for (std::size_t n = 0; n <= chain::kMaxTransactionSize; ++n) {
    core::Writer w;  // a byte string is its length prefix, then the bytes
    w.length(n);
    ASSERT_EQ(payload_entry_size(n), w.size() + n) << n;
  }
  for (std::size_t count = 0; count <= kMaxBlockTransactions; ++count) {
    core::Writer w;
    w.length(count);
    ASSERT_EQ(count == 0 ? 1 : payload_size(count, 0), w.size()) << count;
  }
}

TEST(BlockPayloadSize, MatchesTheEncodingOfWholePayloads) {
  // Sizes at the prefix boundaries, the largest transaction, counts at the
  // count prefix's boundaries and the wire limit, and random ones.
  std::vector<std::pair<std::size_t, std::size_t>> cases;  // (count, size)
  for (std::size_t size : {1, 127, 128, 129, 16383, 16384, 16385}) {
    for (std::size_t count : {0, 1, 2, 127, 128, 129, 500}) cases.emplace_back(count, size);
  }
  cases.emplace_back(63, chain::kMaxTransactionSize);
  cases.emplace_back(16383, 3);
  cases.emplace_back(16384, 3);
  cases.emplace_back(kMaxBlockTransactions, 1);
  std::mt19937_64 rng(2);
  for (int i = 0; i < 20; ++i) {
    const std::size_t size = std::uniform_int_distribution<std::size_t>(1, 70000)(rng);
    const std::size_t count = std::uniform_int_distribution<std::size_t>(
        0, std::min<std::size_t>(kMaxBlockTransactions, (2U << 20) / size))(rng);
    cases.emplace_back(count, size);
  }
  for (const auto& [count, size] : cases) {
    EXPECT_EQ(payload_size(count, count * payload_entry_size(size)), encoded_size(count, size))
        << count << " x " << size;
  }
}

TEST(BlockPayloadSize, TheLargestTransactionThatFitsAlone) {
  EXPECT_EQ(max_transaction_in_payload(0), 0U);
  EXPECT_EQ(max_transaction_in_payload(2), 0U);
  EXPECT_EQ(max_transaction_in_payload(3), 1U);
  EXPECT_EQ(max_transaction_in_payload(1024), 1021U);
  for (std::size_t limit = 3; limit <= 70000; ++limit) {
    const std::size_t n = max_transaction_in_payload(limit);
    ASSERT_LE(payload_size(1, payload_entry_size(n)), limit) << limit;
    ASSERT_GT(payload_size(1, payload_entry_size(n + 1)), limit) << limit;
  }
  EXPECT_EQ(encoded_size(1, 1021), 1024U);
  EXPECT_GE(max_transaction_in_payload(8U << 20), chain::kMaxTransactionSize);
}

}  // namespace
}  // namespace bauhinia::execution
