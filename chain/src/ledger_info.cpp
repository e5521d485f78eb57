#include "bauhinia/chain/ledger_info.hpp"

namespace bauhinia::chain {

Hash256 LedgerInfo::signing_hash() const {
  return core::hash_of(core::HashTag::kLedgerInfo, *this);
}

core::Verdict LedgerInfo::validate() const {
  if (version != kVersion) {
    return core::reject(core::Reject::kBadVersion,
                        "ledger info version " + std::to_string(version) + " is not supported");
  }
  if (chain_id.empty()) return core::reject(core::Reject::kInvalid, "ledger info: empty chain_id");
  if (commit_block.is_zero() && commit_height != 0) {
    return core::reject(core::Reject::kInvalid, "ledger info: commit_height without commit_block");
  }
  return core::Verdict::accept();
}

}  // namespace bauhinia::chain
