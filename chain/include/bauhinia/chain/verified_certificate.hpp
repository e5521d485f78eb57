#pragma once
// A commit certificate whose Ed25519 signatures were checked against one
// validator set, so that a later step (the ledger's commit) need not check them
// again (ADR 0007, item 4). The type is the proof: its only constructors are
// the two factories below, and each one checks the signatures itself —
//   VerifiedCertificate::verify     verify_quorum(qc, set), all of it;
//   VerifiedCertificate::aggregate  a certificate built from votes, each of
//                                   them a VerifiedSignature (checked when the
//                                   vote arrived, by VerifiedSignature::verify).
// Nothing else can make one (no public constructor, no setter); copies keep the
// invariant. A certificate read from a peer (sync) or from disk is a plain
// QuorumCertificate and is checked in full where it is used.
//
// What is not part of the proof: the chain id and the block the certificate
// commits (verify_committed_header's overload below checks those, without the
// signatures), and whether `set` is the right set for the certificate's epoch
// (the verifier remembers the hash of the set it used; the ledger compares it
// with the set of its epoch).

#include <span>
#include <string_view>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::chain {

// One validator's signature over a ledger info's signing hash, checked against
// the key of `set.validators[index]`.
class VerifiedSignature {
 public:
  // kUnknownSigner: index outside the set; kBadSignature: does not verify.
  static core::Checked<VerifiedSignature> verify(const ValidatorSet& set, std::size_t index,
                                                 const core::Hash256& signing_hash,
                                                 const core::ed25519::Signature& signature);

  std::size_t index() const noexcept { return index_; }
  const core::ed25519::PublicKey& key() const noexcept { return key_; }
  const core::Hash256& signing_hash() const noexcept { return signing_hash_; }
  const core::ed25519::Signature& signature() const noexcept { return signature_; }

 private:
  VerifiedSignature(std::size_t index, const core::ed25519::PublicKey& key,
                    const core::Hash256& signing_hash, const core::ed25519::Signature& signature)
      : index_(index), key_(key), signing_hash_(signing_hash), signature_(signature) {}

  std::size_t index_;
  core::ed25519::PublicKey key_;
  core::Hash256 signing_hash_;
  core::ed25519::Signature signature_;
};

class VerifiedCertificate {
 public:
  // verify_quorum(qc, set); on success the certificate with the hash of `set`.
  static core::Checked<VerifiedCertificate> verify(const QuorumCertificate& qc,
                                                   const ValidatorSet& set);
  // build_quorum_certificate(ledger_info, set, votes) from signatures verified
  // one by one: each must be over ledger_info.signing_hash() (kInvalid) and
  // by the key `set` has at its index (kUnknownSigner); then the builder's
  // own rejections (kDuplicate, kWrongEpoch, kInsufficientPower).
  static core::Checked<VerifiedCertificate> aggregate(const LedgerInfo& ledger_info,
                                                      const ValidatorSet& set,
                                                      std::span<const VerifiedSignature> votes);

  const QuorumCertificate& certificate() const noexcept { return certificate_; }
  // ValidatorSet::hash() of the set the signatures were checked against.
  const core::Hash256& validator_set_hash() const noexcept { return validator_set_hash_; }

 private:
  VerifiedCertificate(QuorumCertificate certificate, const core::Hash256& validator_set_hash)
      : certificate_(std::move(certificate)), validator_set_hash_(validator_set_hash) {}

  QuorumCertificate certificate_;
  core::Hash256 validator_set_hash_;
};

// verify_committed_header(header, verified.certificate(), set, chain_id)
// without checking the signatures again: every other check of it is made, and
// `set` must be the set the certificate was verified against (its hash,
// kBadProof otherwise).
core::Verdict verify_committed_header(const BlockHeader& header,
                                      const VerifiedCertificate& verified, const ValidatorSet& set,
                                      std::string_view chain_id);

}  // namespace bauhinia::chain
