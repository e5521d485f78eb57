#include "bauhinia/execution/block_payload.hpp"

namespace bauhinia::execution {

core::Checked<std::vector<chain::IdentifiedTransaction>> decode_payload(core::ByteView payload) {
  if (payload.empty()) return std::vector<chain::IdentifiedTransaction>{};
  auto decoded = core::decode<BlockPayload>(payload);
  if (!decoded) return decoded.error();
  if (decoded->transactions.empty()) {
    return core::reject(core::Reject::kNonCanonical,
                        "a block without transactions has an empty payload");
  }
  std::vector<chain::IdentifiedTransaction> txs;
  txs.reserve(decoded->transactions.size());
  for (std::size_t i = 0; i < decoded->transactions.size(); ++i) {
    auto tx = chain::decode_transaction(decoded->transactions[i]);
    if (!tx) {
      return core::reject(tx.error().reason,
                          "payload transaction " + std::to_string(i) + ": " + tx.error().detail);
    }
    txs.push_back(chain::IdentifiedTransaction::of(std::move(tx).value()));
  }
  return txs;
}

core::Bytes encode_payload(const std::vector<chain::IdentifiedTransaction>& txs) {
  if (txs.empty()) return {};
  BlockPayload p;
  p.transactions.reserve(txs.size());
  for (const auto& t : txs) p.transactions.push_back(t.tx.encoded());
  return core::encode(p);
}

}  // namespace bauhinia::execution
