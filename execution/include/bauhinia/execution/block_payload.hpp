#pragma once
// The payload of a block as consensus carries it: the signed transaction
// envelopes in block order (canonical encoding: a sequence of byte strings).
// A block without transactions has an EMPTY payload (zero bytes), never an
// encoded empty sequence: consensus treats an empty payload as "no content"
// (the idle-chain rule), and one block has one payload encoding.

#include <cstdint>
#include <vector>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::execution {

// Most transactions in one payload (the wire limit: decoders refuse more).
inline constexpr std::size_t kMaxBlockTransactions = 20000;

struct BlockPayload {
  std::vector<core::Bytes> transactions;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.sequence(s.transactions, kMaxBlockTransactions, "transactions",
               [](auto& cc, auto& tx) { cc.bytes(tx, chain::kMaxTransactionSize, "transaction"); });
  }
};

// The exact size of the encoding, for sizing blocks (docs/network.md, "Sizes
// of blocks and messages"):
// a payload of n >= 1 transactions t1..tn takes
//   length_prefix_size(n) + sum(length_prefix_size(|ti|) + |ti|)
// bytes, more than the transactions alone; an empty payload takes none.
constexpr std::size_t payload_entry_size(std::size_t transaction_bytes) noexcept {
  return core::length_prefix_size(transaction_bytes) + transaction_bytes;
}
// `entry_bytes` is the sum of payload_entry_size() of the `count` transactions.
constexpr std::size_t payload_size(std::size_t count, std::size_t entry_bytes) noexcept {
  return count == 0 ? 0 : core::length_prefix_size(count) + entry_bytes;
}
// The largest transaction that fits, alone, in a payload of at most
// `max_payload_bytes` (0 when none does).
constexpr std::size_t max_transaction_in_payload(std::size_t max_payload_bytes) noexcept {
  if (max_payload_bytes < 3) return 0;
  std::size_t n = max_payload_bytes - 2;  // with one-byte prefixes
  while (n > 0 && payload_size(1, payload_entry_size(n)) > max_payload_bytes) --n;
  return n;
}

// Decodes the payload and every transaction in it (context-free checks only:
// format and sizes; signatures are checked by execution).
core::Checked<std::vector<chain::IdentifiedTransaction>> decode_payload(core::ByteView payload);
core::Bytes encode_payload(const std::vector<chain::IdentifiedTransaction>& txs);

}  // namespace bauhinia::execution
