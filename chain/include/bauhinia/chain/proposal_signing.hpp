#pragma once
// What a block proposer signs (consensus/messages.hpp's Proposal signs this),
// here in chain/ so that contracts (equivocation evidence) can verify a
// proposal signature without depending on consensus:
//   signature = Ed25519(tagged_hash(kProposal, encode(ProposalSigningData)))
// Frozen by tests/consensus/golden/.

#include <cstdint>
#include <string>

#include "bauhinia/chain/ledger_info.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::chain {

struct ProposalSigningData {
  std::string chain_id;
  std::uint64_t epoch = 0;
  std::uint64_t round = 0;
  Hash256 block_id;      // header id
  Hash256 payload_hash;  // sha256(payload)

  Hash256 signing_hash() const;  // tagged_hash(kProposal, encode(*this))
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.chain_id, kMaxChainIdLength, "chain_id");
    c.u64(s.epoch);
    c.u64(s.round);
    c.fixed(s.block_id);
    c.fixed(s.payload_hash);
  }
  friend bool operator==(const ProposalSigningData&, const ProposalSigningData&) = default;
};

}  // namespace bauhinia::chain
