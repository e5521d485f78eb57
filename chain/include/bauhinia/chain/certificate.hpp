#pragma once
// A quorum of Ed25519 signatures over one LedgerInfo: a signer bitmap indexing
// the validator set, and the signatures in increasing index order. With
// ledger_info.commits() it is the commit certificate of that block.

#include <cstdint>
#include <vector>

#include "bauhinia/chain/ledger_info.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::chain {

struct QuorumCertificate {
  LedgerInfo ledger_info;
  core::Bytes signer_bitmap;  // bit i (LSB-first within byte i/8) = validators[i] signed
  std::vector<core::ed25519::Signature> signatures;  // one per set bit, in index order

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.ledger_info);
    c.bytes(s.signer_bitmap, (kMaxValidators + 7) / 8, "signer_bitmap");
    c.sequence(s.signatures, kMaxValidators, "signatures",
               [](auto& cc, auto& sig) { cc.fixed(sig.bytes); });
  }
  friend bool operator==(const QuorumCertificate&, const QuorumCertificate&) = default;
};

// Checks: bitmap no longer than the set needs and no bits beyond it, one valid
// signature per set bit over ledger_info.signing_hash(), signers' power reaching
// set.quorum_power(), and ledger_info.epoch == set.epoch.
core::Verdict verify_quorum(const QuorumCertificate& qc, const ValidatorSet& set);

}  // namespace bauhinia::chain
