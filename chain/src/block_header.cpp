#include "bauhinia/chain/block_header.hpp"

#include <vector>

#include "bauhinia/chain/merkle.hpp"

namespace bauhinia::chain {

Hash256 BlockHeader::id() const {
  return core::hash_of(core::HashTag::kBlockHeader, *this);
}

core::Verdict BlockHeader::validate() const {
  if (version != kVersion) {
    return core::reject(core::Reject::kBadVersion,
                        "block header version " + std::to_string(version) + " is not supported");
  }
  return core::Verdict::accept();
}

Hash256 transactions_root_of(std::span<const Hash256> transaction_ids) {
  std::vector<Hash256> leaves;
  leaves.reserve(transaction_ids.size());
  for (const Hash256& id : transaction_ids) leaves.push_back(merkle::leaf_hash(id.view()));
  return merkle::root(leaves);
}

}  // namespace bauhinia::chain
