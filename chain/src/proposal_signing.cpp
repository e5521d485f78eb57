#include "bauhinia/chain/proposal_signing.hpp"

namespace bauhinia::chain {

Hash256 ProposalSigningData::signing_hash() const {
  return core::hash_of(core::HashTag::kProposal, *this);
}

}  // namespace bauhinia::chain
