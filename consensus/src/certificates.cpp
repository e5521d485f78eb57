#include "bauhinia/consensus/certificates.hpp"

#include <algorithm>

namespace bauhinia::consensus {

using core::reject;
using core::Reject;
using core::Verdict;

Hash256 VoteData::hash() const {
  return core::hash_of(core::HashTag::kVote, *this);
}

Verdict VoteData::validate() const {
  if (version != kVersion) {
    return reject(Reject::kBadVersion, "vote data version " + std::to_string(version));
  }
  if (round != 0 && parent_round >= round) {
    return reject(Reject::kInvalid, "vote data: parent round not below round");
  }
  if (round != 0 && height == 0)
    return reject(Reject::kInvalid, "vote data: height 0 above genesis");
  return Verdict::accept();
}

QuorumCert QuorumCert::for_epoch_root(const std::string& chain_id, Epoch epoch,
                                      const chain::BlockHeader& root) {
  QuorumCert qc;
  const Hash256 id = root.id();
  qc.vote_data.epoch = epoch;
  qc.vote_data.round = 0;
  qc.vote_data.block_id = id;
  qc.vote_data.height = root.height;
  qc.vote_data.parent_round = 0;
  qc.vote_data.parent_id = id;
  qc.certificate.ledger_info.chain_id = chain_id;
  qc.certificate.ledger_info.epoch = epoch;
  qc.certificate.ledger_info.round = 0;
  qc.certificate.ledger_info.consensus_data_hash = qc.vote_data.hash();
  return qc;
}

Verdict QuorumCert::validate() const {
  if (Verdict v = vote_data.validate(); !v) return v;
  return certificate.ledger_info.validate();
}

Verdict TimeoutCertificate::validate() const {
  return high_qc.validate();
}

Hash256 TimeoutSigningData::signing_hash() const {
  return core::hash_of(core::HashTag::kTimeout, *this);
}

bool bitmap_get(const core::Bytes& bitmap, std::size_t index) {
  const std::size_t byte = index / 8;
  return byte < bitmap.size() && ((bitmap[byte] >> (index % 8)) & 1U) != 0;
}

void bitmap_set(core::Bytes& bitmap, std::size_t index) {
  const std::size_t byte = index / 8;
  if (bitmap.size() <= byte) bitmap.resize(byte + 1, 0);
  bitmap[byte] = static_cast<std::uint8_t>(bitmap[byte] | (1U << (index % 8)));
}

namespace {

// The checks that need no signature: shape of the vote data, agreement of the
// ledger info with it, and the two-chain commit fields.
Verdict check_qc_shape(const QuorumCert& qc, const EpochContext& ctx) {
  const VoteData& vd = qc.vote_data;
  const chain::LedgerInfo& li = qc.certificate.ledger_info;
  if (Verdict v = vd.validate(); !v) return v;
  if (Verdict v = li.validate(); !v) return v;
  if (vd.epoch != ctx.epoch() || li.epoch != ctx.epoch()) {
    return reject(Reject::kWrongEpoch, "qc of epoch " + std::to_string(vd.epoch) + ", expected " +
                                           std::to_string(ctx.epoch()));
  }
  if (li.chain_id != ctx.chain_id) return reject(Reject::kInvalid, "qc: wrong chain id");
  if (li.round != vd.round) return reject(Reject::kInvalid, "qc: ledger info round mismatch");
  if (li.consensus_data_hash != vd.hash()) {
    return reject(Reject::kInvalid, "qc: consensus_data_hash does not match the vote data");
  }
  if (li.commits()) {
    if (vd.parent_round == 0 || vd.round != vd.parent_round + 1) {
      return reject(Reject::kInvalid, "qc: commits without two consecutive rounds");
    }
    if (li.commit_height >= vd.height)
      return reject(Reject::kInvalid, "qc: commit height not below");
  }
  return Verdict::accept();
}

}  // namespace

Verdict verify_qc(const QuorumCert& qc, const EpochContext& ctx) {
  if (Verdict v = check_qc_shape(qc, ctx); !v) return v;
  if (qc.is_epoch_root()) {
    // Only the root's id and height enter the root QC (QuorumCert::for_epoch_root).
    const VoteData& vd = qc.vote_data;
    const chain::QuorumCertificate& c = qc.certificate;
    const bool ok = vd.block_id == ctx.epoch_root_id && vd.parent_id == ctx.epoch_root_id &&
                    vd.height == ctx.epoch_root_height && vd.parent_round == 0 &&
                    !c.ledger_info.commits() && c.signer_bitmap.empty() && c.signatures.empty();
    if (!ok) return reject(Reject::kBadProof, "qc: round 0 but not this epoch's root qc");
    return Verdict::accept();
  }
  return chain::verify_quorum(qc.certificate, ctx.validators);
}

core::Checked<chain::VerifiedCertificate> verify_commit_qc(const QuorumCert& qc,
                                                           const EpochContext& ctx) {
  if (Verdict v = check_qc_shape(qc, ctx); !v) return v.rejection();
  if (qc.is_epoch_root() || !qc.commits()) {
    return reject(Reject::kInvalid, "qc: not a commit certificate");
  }
  return chain::VerifiedCertificate::verify(qc.certificate, ctx.validators);
}

Verdict verify_tc(const TimeoutCertificate& tc, const EpochContext& ctx) {
  const chain::ValidatorSet& set = ctx.validators;
  if (tc.epoch != ctx.epoch()) {
    return reject(Reject::kWrongEpoch, "tc of epoch " + std::to_string(tc.epoch));
  }
  if (tc.round == 0) return reject(Reject::kInvalid, "tc for round 0");
  const std::size_t n = set.validators.size();
  if (tc.signer_bitmap.size() != (n + 7) / 8) {
    return reject(Reject::kNonCanonical, "tc: bitmap size does not match the validator set");
  }
  std::vector<std::size_t> signers;
  for (std::size_t i = 0; i < tc.signer_bitmap.size() * 8; ++i) {
    if (!bitmap_get(tc.signer_bitmap, i)) continue;
    if (i >= n) return reject(Reject::kNonCanonical, "tc: bit beyond the validator set");
    signers.push_back(i);
  }
  if (signers.size() != tc.signatures.size() || signers.size() != tc.high_qc_rounds.size()) {
    return reject(Reject::kInvalid, "tc: one signature and one qc round per signer expected");
  }
  std::uint64_t power = 0;
  for (std::size_t i : signers) power += set.validators[i].voting_power;
  if (power < set.quorum_power()) {
    return reject(Reject::kInsufficientPower, "tc: signers hold " + std::to_string(power) + " of " +
                                                  std::to_string(set.quorum_power()));
  }
  Round max_round = 0;
  for (Round r : tc.high_qc_rounds) {
    if (r >= tc.round)
      return reject(Reject::kInvalid, "tc: a high qc round is not below the round");
    max_round = std::max(max_round, r);
  }
  if (tc.high_qc.round() != max_round) {
    return reject(Reject::kInvalid, "tc: carried qc is not the highest of its signers");
  }
  if (Verdict v = verify_qc(tc.high_qc, ctx); !v) return v;
  TimeoutSigningData data{ctx.chain_id, tc.epoch, tc.round, 0};
  for (std::size_t k = 0; k < signers.size(); ++k) {
    data.high_qc_round = tc.high_qc_rounds[k];
    const Hash256 h = data.signing_hash();
    if (!core::ed25519::verify(set.validators[signers[k]].key, h.view(), tc.signatures[k])) {
      return reject(Reject::kBadSignature,
                    "tc: bad signature of validator " + std::to_string(signers[k]));
    }
  }
  return Verdict::accept();
}

}  // namespace bauhinia::consensus
