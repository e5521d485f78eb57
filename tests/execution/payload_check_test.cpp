// execution::check_payload: a payload is refused unless it is exactly the one
// the certified header commits to (issue 9, item 3).
#include "bauhinia/execution/payload_check.hpp"

#include <gtest/gtest.h>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/execution/block_payload.hpp"

namespace bauhinia::execution {
namespace {

chain::IdentifiedTransaction ping(std::uint64_t sequence) {
  std::array<std::uint8_t, 32> b{};
  b[31] = 7;
  b[0] = 0x22;
  const auto key = std::move(core::schnorr::SecretKey::from_bytes(b)).value();
  chain::Transaction tx;
  tx.chain_id = "bauhinia-payload-test";
  tx.public_key = key.public_key();
  tx.sender = core::account_id_of(key.public_key());
  tx.sequence = sequence;
  tx.expiry_ms = 1764201600000 + 3'600'000;
  tx.module = "accounts";
  tx.call = "ping";
  tx.payload = core::encode(contracts::accounts::PingArgs{});
  tx.sign(key);
  return chain::IdentifiedTransaction::of(std::move(tx));
}

chain::BlockHeader header_for(const std::vector<chain::IdentifiedTransaction>& txs) {
  std::vector<core::Hash256> ids;
  for (const auto& t : txs) ids.push_back(t.id);
  chain::BlockHeader h;
  h.height = 5;
  h.transactions_root = chain::transactions_root_of(ids);
  return h;
}

TEST(PayloadCheck, TheCertifiedPayloadPasses) {
  const std::vector<chain::IdentifiedTransaction> txs{ping(0), ping(1), ping(2)};
  EXPECT_TRUE(check_payload(header_for(txs), encode_payload(txs)));
  EXPECT_TRUE(check_payload(header_for({}), core::Bytes{}));
}

TEST(PayloadCheck, AnUndecodablePayloadIsRefused) {
  const std::vector<chain::IdentifiedTransaction> txs{ping(0)};
  core::Bytes junk{0xff, 0xff, 0xff, 0xff, 0x01};
  EXPECT_FALSE(check_payload(header_for(txs), junk));
  core::Bytes truncated = encode_payload(txs);
  truncated.pop_back();
  EXPECT_FALSE(check_payload(header_for(txs), truncated));
}

TEST(PayloadCheck, OtherTransactionsAreRefused) {
  const std::vector<chain::IdentifiedTransaction> txs{ping(0), ping(1), ping(2)};
  const chain::BlockHeader h = header_for(txs);
  auto dropped = txs;
  dropped.pop_back();
  auto v = check_payload(h, encode_payload(dropped));
  ASSERT_FALSE(v);
  EXPECT_EQ(v.rejection().reason, core::Reject::kBadProof);
  const std::vector<chain::IdentifiedTransaction> reordered{txs[1], txs[0], txs[2]};
  EXPECT_FALSE(check_payload(h, encode_payload(reordered)));
  auto extra = txs;
  extra.push_back(ping(3));
  EXPECT_FALSE(check_payload(h, encode_payload(extra)));
  EXPECT_FALSE(check_payload(h, core::Bytes{}));                     // nothing at all
  EXPECT_FALSE(check_payload(header_for({}), encode_payload(txs)));  // into an empty block
}

TEST(PayloadCheck, ANonCanonicalEncodingIsRefused) {
  // An encoded empty sequence for a block without transactions.
  EXPECT_FALSE(check_payload(header_for({}), core::encode(BlockPayload{})));
}

}  // namespace
}  // namespace bauhinia::execution
