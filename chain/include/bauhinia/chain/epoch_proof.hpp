#pragma once
// The light client's path from a trusted validator set (genesis) to the current
// one, and its check of any certified header.
//
// An epoch ends with the block whose header has next_validator_set_hash !=
// validator_set_hash. One EpochChange carries that header, the commit
// certificate of that header (signed by the ending epoch's set) and the next
// set, whose hash the header names. A proof is the list of consecutive changes.

#include <cstdint>
#include <string_view>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::chain {

// Changes per proof; a client further behind asks again from the set it reached.
inline constexpr std::size_t kMaxEpochChangesPerProof = 64;

struct EpochChange {
  QuorumCertificate commit_certificate;  // commits `header` (its ledger info names header.id())
  BlockHeader header;                    // the last block of epoch header.epoch
  ValidatorSet next_set;                 // hash() == header.next_validator_set_hash

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.commit_certificate);
    c.object(s.header);
    c.object(s.next_set);
  }
  friend bool operator==(const EpochChange&, const EpochChange&) = default;
};

struct EpochChangeProof {
  std::vector<EpochChange> changes;  // consecutive epochs, oldest first

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.sequence(s.changes, kMaxEpochChangesPerProof, "epoch changes");
  }
  friend bool operator==(const EpochChangeProof&, const EpochChangeProof&) = default;
};

// Accepts when `qc` is a valid commit certificate of exactly this header by
// `set`, the validator set of the header's epoch, on the chain `chain_id`:
//   header.validate(); header.epoch == set.epoch == qc epoch (kWrongEpoch);
//   header.validator_set_hash == set.hash() (kBadProof);
//   qc.ledger_info.chain_id == chain_id (kInvalid);
//   qc.ledger_info commits header.id() at header.height (kBadProof);
//   verify_quorum(qc, set).
// `set` is trusted (already validated).
core::Verdict verify_committed_header(const BlockHeader& header, const QuorumCertificate& qc,
                                      const ValidatorSet& set, std::string_view chain_id);

namespace detail {
// verify_committed_header without verify_quorum: everything but the bitmap,
// the power, the signatures and the certificate's epoch. Only for
// verify_committed_header and its VerifiedCertificate overload
// (verified_certificate.hpp), whose certificate passed verify_quorum already.
core::Verdict verify_committed_header_binding(const BlockHeader& header,
                                              const QuorumCertificate& qc, const ValidatorSet& set,
                                              std::string_view chain_id);
}  // namespace detail

// Follows `proof` from `trusted` (e.g. the genesis set, or the latest set the
// client verified) and returns the validator set of the last epoch it reaches
// (`trusted` itself for an empty proof). Each change must start at the current
// set's epoch (kWrongEpoch: a skipped or repeated epoch), end that epoch
// (kInvalid), be committed by the current set (verify_committed_header), and
// name a next set of the following epoch (kWrongEpoch) with the header's
// next_validator_set_hash (kBadProof) that is itself valid.
core::Checked<ValidatorSet> verify_epoch_changes(const ValidatorSet& trusted,
                                                 const EpochChangeProof& proof,
                                                 std::string_view chain_id);

}  // namespace bauhinia::chain
