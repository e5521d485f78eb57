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

inline constexpr std::size_t kMaxBlockTransactions = 20000;

struct BlockPayload {
  std::vector<core::Bytes> transactions;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.sequence(s.transactions, kMaxBlockTransactions, "transactions",
               [](auto& cc, auto& tx) { cc.bytes(tx, chain::kMaxTransactionSize, "transaction"); });
  }
};

// Decodes the payload and every transaction in it (context-free checks only:
// format and sizes; signatures are checked by execution).
core::Checked<std::vector<chain::IdentifiedTransaction>> decode_payload(core::ByteView payload);
core::Bytes encode_payload(const std::vector<chain::IdentifiedTransaction>& txs);

}  // namespace bauhinia::execution
