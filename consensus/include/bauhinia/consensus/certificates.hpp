#pragma once
// Quorum certificates (2f+1 votes on one block) and timeout certificates
// (2f+1 timeouts for one round), and how a replica verifies them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/ledger_info.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/chain/verified_certificate.hpp"
#include "bauhinia/consensus/injected_faults.hpp"
#include "bauhinia/consensus/types.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::consensus {

// What a vote is about: the block voted for and its parent. Its tagged hash
// (HashTag::kVote) is LedgerInfo::consensus_data_hash, so a QC certifies it.
struct VoteData {
  static constexpr std::uint8_t kVersion = 1;

  std::uint8_t version = kVersion;
  Epoch epoch = 0;
  Round round = 0;   // round of the block voted for
  Hash256 block_id;  // executed header id
  std::uint64_t height = 0;
  Round parent_round = 0;
  Hash256 parent_id;

  Hash256 hash() const;  // tagged_hash(kVote, encode(*this))
  core::Verdict validate() const;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.epoch);
    c.u64(s.round);
    c.fixed(s.block_id);
    c.u64(s.height);
    c.u64(s.parent_round);
    c.fixed(s.parent_id);
  }
  friend bool operator==(const VoteData&, const VoteData&) = default;
};

// A quorum certificate: the vote data and the chain-level certificate whose
// ledger info binds it. When certificate.ledger_info.commits(), it is also the
// commit certificate of the block named there (two-chain rule).
//
// The one QC without signatures is an epoch's root QC (round 0): it certifies
// the block the epoch starts from (genesis, or the committed block that ended
// the previous epoch), see QuorumCert::for_epoch_root.
struct QuorumCert {
  VoteData vote_data;
  chain::QuorumCertificate certificate;

  Round round() const { return vote_data.round; }
  Epoch epoch() const { return vote_data.epoch; }
  const Hash256& block_id() const { return vote_data.block_id; }
  const chain::LedgerInfo& ledger_info() const { return certificate.ledger_info; }
  bool commits() const { return certificate.ledger_info.commits(); }
  bool is_epoch_root() const { return vote_data.round == 0; }

  // The signature-free root QC of `epoch`, certifying `root` (genesis or the
  // previous epoch's last committed block).
  static QuorumCert for_epoch_root(const std::string& chain_id, Epoch epoch,
                                   const chain::BlockHeader& root);
  core::Verdict validate() const;  // versions and shape of the parts (no signatures)

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.vote_data);
    c.object(s.certificate);
  }
  friend bool operator==(const QuorumCert&, const QuorumCert&) = default;
};

// What each timeout signer signs: tagged_hash(kTimeout, encode(TimeoutSigningData)).
struct TimeoutSigningData {
  std::string chain_id;
  Epoch epoch = 0;
  Round round = 0;
  Round high_qc_round = 0;  // the round of the signer's highest QC

  Hash256 signing_hash() const;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.chain_id, chain::kMaxChainIdLength, "chain_id");
    c.u64(s.epoch);
    c.u64(s.round);
    c.u64(s.high_qc_round);
  }
};

// 2f+1 power of timeouts for one round. Each signer signed its own high QC
// round; the certificate carries the highest QC among them.
struct TimeoutCertificate {
  Epoch epoch = 0;
  Round round = 0;
  QuorumCert high_qc;                                // round == max(high_qc_rounds)
  core::Bytes signer_bitmap;                         // as in chain::QuorumCertificate
  std::vector<Round> high_qc_rounds;                 // one per set bit, in index order
  std::vector<core::ed25519::Signature> signatures;  // one per set bit, in index order

  Round highest_hqc_round() const { return high_qc.round(); }
  core::Verdict validate() const;  // high_qc.validate()

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u64(s.epoch);
    c.u64(s.round);
    c.object(s.high_qc);
    c.bytes(s.signer_bitmap, (chain::kMaxValidators + 7) / 8, "signer_bitmap");
    c.sequence(s.high_qc_rounds, chain::kMaxValidators, "high_qc_rounds",
               [](auto& cc, auto& r) { cc.u64(r); });
    c.sequence(s.signatures, chain::kMaxValidators, "signatures",
               [](auto& cc, auto& sig) { cc.fixed(sig.bytes); });
  }
  friend bool operator==(const TimeoutCertificate&, const TimeoutCertificate&) = default;
};

// What certificates of one epoch are checked against.
struct EpochContext {
  std::string chain_id;
  chain::ValidatorSet validators;  // validators.epoch is the epoch
  Hash256 epoch_root_id;           // the block this epoch started from
  std::uint64_t epoch_root_height = 0;

  Epoch epoch() const { return validators.epoch; }
};

// A QC is valid when: its epoch is ctx's, its ledger info matches the vote data
// (chain id, epoch, round, consensus_data_hash), the commit fields follow the
// two-chain rule (commits only if round == parent_round + 1 >= 2, and then
// commit_height < height), and chain::verify_quorum accepts the signatures;
// or it is exactly ctx's epoch root QC.
core::Verdict verify_qc(const QuorumCert& qc, const EpochContext& ctx);

// verify_qc of a QC that commits, keeping the proof that its signatures were
// checked (chain::VerifiedCertificate::verify does the signature part): the
// same checks and rejections, plus kInvalid for an epoch root QC or a QC that
// commits nothing.
core::Checked<chain::VerifiedCertificate> verify_commit_qc(const QuorumCert& qc,
                                                           const EpochContext& ctx);

// A TC is valid when its epoch is ctx's, the signers (bitmap over ctx's set,
// no bits beyond it) hold quorum power, each signature verifies over its
// TimeoutSigningData, high_qc is valid, high_qc.round() == max(high_qc_rounds),
// and every high_qc_round is below the TC's round.
core::Verdict verify_tc(const TimeoutCertificate& tc, const EpochContext& ctx);

// The same two checks as the replica and its safety rules make them. With
// `faults` all off (always, outside bauhinia-sim and tests) they are exactly
// verify_qc / verify_tc above. With faults.accept_duplicate_signers, a
// certificate that fails only on a signature is accepted when each of its
// signatures verifies under the key of some validator of the set (the TEST-ONLY
// duplicate-signer bug of injected_faults.hpp).
core::Verdict verify_qc(const QuorumCert& qc, const EpochContext& ctx,
                        const InjectedFaults& faults);
core::Verdict verify_tc(const TimeoutCertificate& tc, const EpochContext& ctx,
                        const InjectedFaults& faults);

// Bitmap helpers shared by QC and TC aggregation.
bool bitmap_get(const core::Bytes& bitmap, std::size_t index);
void bitmap_set(core::Bytes& bitmap, std::size_t index);

}  // namespace bauhinia::consensus
