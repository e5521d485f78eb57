#pragma once
// A quorum of Ed25519 signatures over one LedgerInfo: a signer bitmap indexing
// the validator set, and the signatures in increasing index order. With
// ledger_info.commits() it is the commit certificate of that block.
//
// Canonical form: the bitmap has exactly ceil(n / 8) bytes for a set of n
// validators and no bit at an index >= n; there is exactly one signature per set
// bit. A bitmap names each signer at most once, so no signer can be counted twice.

#include <cstdint>
#include <span>
#include <utility>
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

  // The indices of the set bits, increasing.
  std::vector<std::size_t> signer_indices() const;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.ledger_info);
    c.bytes(s.signer_bitmap, (kMaxValidators + 7) / 8, "signer_bitmap");
    c.sequence(s.signatures, kMaxValidators, "signatures",
               [](auto& cc, auto& sig) { cc.fixed(sig.bytes); });
  }
  friend bool operator==(const QuorumCertificate&, const QuorumCertificate&) = default;
};

// Checks, cheapest first, each failure with its own reason:
//   ledger_info.validate()                        (its reason: kBadVersion, kInvalid)
//   ledger_info.epoch == set.epoch                kWrongEpoch
//   bitmap of ceil(n/8) bytes, no bit >= n        kNonCanonical
//   one signature per set bit                     kInvalid
//   signers' power >= set.quorum_power()          kInsufficientPower
//   every signature valid over signing_hash()     kBadSignature
// `set` is trusted: it must already have passed ValidatorSet::validate().
core::Verdict verify_quorum(const QuorumCertificate& qc, const ValidatorSet& set);

using IndexedSignature = std::pair<std::size_t, core::ed25519::Signature>;
using KeyedSignature = std::pair<core::ed25519::PublicKey, core::ed25519::Signature>;

// Builds the canonical certificate from signatures in any order (consensus'
// vote aggregation). Rejects an index >= set size (kUnknownSigner), a repeated
// index (kDuplicate), a ledger info of another epoch (kWrongEpoch) and too
// little power (kInsufficientPower). The signatures themselves are not checked
// here: votes are verified when they arrive.
core::Checked<QuorumCertificate> build_quorum_certificate(const LedgerInfo& ledger_info,
                                                          const ValidatorSet& set,
                                                          std::span<const IndexedSignature> votes);
// The same with signers named by key; a key outside the set is kUnknownSigner.
core::Checked<QuorumCertificate> build_quorum_certificate(const LedgerInfo& ledger_info,
                                                          const ValidatorSet& set,
                                                          std::span<const KeyedSignature> votes);

}  // namespace bauhinia::chain
