#include "bauhinia/execution/payload_check.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "bauhinia/execution/block_payload.hpp"

namespace bauhinia::execution {

core::Verdict check_payload(const chain::BlockHeader& header, core::ByteView payload) {
  const std::string where = "payload of the block at height " + std::to_string(header.height);
  auto txs = decode_payload(payload);
  if (!txs) {
    return core::reject(txs.error().reason, where + ": " + txs.error().detail);
  }
  const core::Bytes canonical = encode_payload(*txs);
  if (!std::equal(canonical.begin(), canonical.end(), payload.begin(), payload.end())) {
    return core::reject(core::Reject::kNonCanonical, where + ": not in its canonical encoding");
  }
  std::vector<core::Hash256> ids;
  ids.reserve(txs->size());
  for (const auto& t : *txs) ids.push_back(t.id);
  if (chain::transactions_root_of(ids) != header.transactions_root) {
    return core::reject(core::Reject::kBadProof,
                        where + ": its transactions are not the ones the header certifies");
  }
  return core::Verdict::accept();
}

}  // namespace bauhinia::execution
