#include "bauhinia/chain/block_header.hpp"

namespace bauhinia::chain {

Hash256 BlockHeader::id() const { return core::hash_of(core::HashTag::kBlockHeader, *this); }

core::Verdict BlockHeader::validate() const {
  if (version != kVersion) {
    return core::reject(core::Reject::kBadVersion,
                        "block header version " + std::to_string(version) + " is not supported");
  }
  return core::Verdict::accept();
}

}  // namespace bauhinia::chain
