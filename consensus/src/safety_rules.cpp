#include "bauhinia/consensus/safety_rules.hpp"

#include <algorithm>

namespace bauhinia::consensus {

using core::reject;
using core::Reject;
using core::Verdict;

std::string SafetyState::unknown_version_message(std::uint8_t v) {
  return "safety state version " + std::to_string(v) + " is unknown (this build reads versions " +
         std::to_string(kOldestVersion) + " to " + std::to_string(kVersion) + ")";
}

Verdict SafetyState::validate() const {
  if (version < kOldestVersion || version > kVersion) {
    return reject(Reject::kBadVersion, unknown_version_message(version));
  }
  if (last_vote) {
    if (Verdict v = last_vote->validate(); !v) return v;
  }
  if (highest_tc) {
    if (Verdict v = highest_tc->validate(); !v) return v;
  }
  if (highest_qc) return highest_qc->validate();
  return Verdict::accept();
}

SafetyRules::SafetyRules(core::ed25519::SecretKey key, SafetyState persisted, EpochContext ctx,
                         InjectedFaults faults)
    : key_(std::move(key)), state_(std::move(persisted)), ctx_(std::move(ctx)), faults_(faults) {
  BAUHINIA_ASSERT_MSG(state_.epoch <= ctx_.epoch(), "persisted safety state is from a later epoch");
  state_.version = SafetyState::kVersion;  // an older record is upgraded on the next persist
  if (state_.epoch < ctx_.epoch()) {
    state_ = SafetyState{};
    state_.epoch = ctx_.epoch();
  }
}

bool SafetyRules::is_validator() const {
  return ctx_.validators.index_of(author()).has_value();
}

void SafetyRules::start_epoch(EpochContext ctx) {
  BAUHINIA_ASSERT(ctx.epoch() > ctx_.epoch());
  ctx_ = std::move(ctx);
  state_ = SafetyState{};
  state_.epoch = ctx_.epoch();
  last_verified_qc_ = Hash256{};
}

Verdict SafetyRules::check_qc(const QuorumCert& qc) {
  // Verifying 2f+1 signatures is the costly part; the same QC usually comes
  // back (timeouts and the next proposal carry it), so the last one is cached.
  const Hash256 digest = core::sha256(core::encode(qc));
  if (digest == last_verified_qc_) return Verdict::accept();
  if (Verdict v = verify_qc(qc, ctx_, faults_); !v) return v;
  last_verified_qc_ = digest;
  return Verdict::accept();
}

Verdict SafetyRules::check_tc(const TimeoutCertificate& tc) {
  return verify_tc(tc, ctx_, faults_);
}

void SafetyRules::observe_qc(const QuorumCert& qc) {
  state_.one_chain_round = std::max(state_.one_chain_round, qc.round());
  state_.preferred_round = std::max(state_.preferred_round, qc.vote_data.parent_round);
}

void SafetyRules::observe_tc(const std::optional<TimeoutCertificate>& tc) {
  if (tc && (!state_.highest_tc || tc->round > state_.highest_tc->round)) state_.highest_tc = tc;
}

void SafetyRules::observe_signed_qc(const QuorumCert& qc) {
  if (qc.is_epoch_root()) return;  // the replica always has its epoch root
  if (!state_.highest_qc || qc.round() > state_.highest_qc->round()) state_.highest_qc = qc;
}

namespace {

Verdict check_epoch(Epoch got, const SafetyState& state) {
  if (got != state.epoch) {
    return reject(Reject::kWrongEpoch, "epoch " + std::to_string(got) + ", safety rules are in " +
                                           std::to_string(state.epoch));
  }
  return Verdict::accept();
}

// The QC/TC justify `round`: directly after the QC, or directly after the TC
// with a QC at least as high as any its signers reported (safe_to_vote).
Verdict check_justified(Round round, const QuorumCert& qc,
                        const std::optional<TimeoutCertificate>& tc) {
  if (round == qc.round() + 1) return Verdict::accept();
  if (tc && round == tc->round + 1 && qc.round() >= tc->highest_hqc_round()) {
    return Verdict::accept();
  }
  return reject(Reject::kInvalid, "round " + std::to_string(round) +
                                      " is not justified by its qc (round " +
                                      std::to_string(qc.round()) + ") or tc");
}

}  // namespace

core::Checked<core::ed25519::Signature> SafetyRules::sign_proposal(const Proposal& proposal) {
  if (Verdict v = check_epoch(proposal.epoch(), state_); !v) return v.rejection();
  if (proposal.author() != author()) return reject(Reject::kInvalid, "proposal author is not us");
  if (!is_validator()) return reject(Reject::kUnknownSigner, "not a validator of this epoch");
  if (proposal.round() <= state_.last_voted_round) {
    return reject(Reject::kInvalid, "proposal round " + std::to_string(proposal.round()) +
                                        " not above last voted round " +
                                        std::to_string(state_.last_voted_round));
  }
  if (proposal.qc.block_id() != proposal.header.parent_hash) {
    return reject(Reject::kInvalid, "proposal qc does not certify its parent");
  }
  if (Verdict v = check_qc(proposal.qc); !v) return v.rejection();
  if (proposal.tc) {
    if (Verdict v = check_tc(*proposal.tc); !v) return v.rejection();
  }
  if (Verdict v = check_justified(proposal.round(), proposal.qc, proposal.tc); !v) {
    return v.rejection();
  }
  const Hash256 h = proposal.signing_data(ctx_.chain_id).signing_hash();
  return key_.sign(h.view());
}

core::Checked<Vote> SafetyRules::vote(const Proposal& proposal,
                                      std::optional<BlockRef> commit_override) {
  const chain::BlockHeader& header = proposal.header;
  // 1. epoch
  if (Verdict v = check_epoch(header.epoch, state_); !v) return v.rejection();
  if (!is_validator()) return reject(Reject::kUnknownSigner, "not a validator of this epoch");
  const Hash256 block_id = header.id();
  // 2. a repeated request for the round already voted gets the same vote
  if (state_.last_vote && state_.last_vote->round() == header.round) {
    if (state_.last_vote->vote_data.block_id == block_id) return *state_.last_vote;
    return reject(Reject::kDuplicate,
                  "already voted for another block in round " + std::to_string(header.round));
  }
  // 3. certificates
  const QuorumCert& qc = proposal.qc;
  if (qc.block_id() != header.parent_hash) {
    return reject(Reject::kInvalid, "proposal qc does not certify its parent");
  }
  if (qc.vote_data.height + 1 != header.height) {
    return reject(Reject::kInvalid, "proposal height is not its parent's + 1");
  }
  if (Verdict v = check_qc(qc); !v) return v.rejection();
  if (proposal.tc) {
    if (proposal.tc->round + 1 != header.round) {
      return reject(Reject::kInvalid, "proposal tc is not for the previous round");
    }
    if (Verdict v = check_tc(*proposal.tc); !v) return v.rejection();
  }
  // 4. one vote per round, rounds only increase
  if (header.round <= state_.last_voted_round && !faults_.skip_vote_round_check) {
    return reject(Reject::kInvalid, "round " + std::to_string(header.round) +
                                        " not above last voted round " +
                                        std::to_string(state_.last_voted_round));
  }
  // 5. extends the locked branch
  if (qc.round() < state_.preferred_round && !faults_.skip_lock_check) {
    return reject(Reject::kInvalid, "qc round " + std::to_string(qc.round()) +
                                        " below preferred round " +
                                        std::to_string(state_.preferred_round));
  }
  // 6. two-chain safe_to_vote
  if (Verdict v = check_justified(header.round, qc, proposal.tc);
      !v && !faults_.skip_safe_to_vote_check) {
    return v.rejection();
  }

  observe_qc(qc);
  observe_tc(proposal.tc);
  observe_signed_qc(qc);
  state_.last_voted_round = header.round;

  Vote vote;
  vote.vote_data.epoch = header.epoch;
  vote.vote_data.round = header.round;
  vote.vote_data.block_id = block_id;
  vote.vote_data.height = header.height;
  vote.vote_data.parent_round = qc.round();
  vote.vote_data.parent_id = qc.block_id();
  chain::LedgerInfo& li = vote.ledger_info;
  li.chain_id = ctx_.chain_id;
  li.epoch = header.epoch;
  li.round = header.round;
  // Two-chain commit rule: a QC on this block, with the parent's QC inside it,
  // certifies two consecutive rounds, so the parent commits. An epoch root
  // (round 0) is committed already.
  if (!qc.is_epoch_root() && header.round == qc.round() + 1) {
    const BlockRef target = commit_override.value_or(BlockRef{qc.block_id(), qc.vote_data.height});
    li.commit_block = target.id;
    li.commit_height = target.height;
  }
  li.consensus_data_hash = vote.vote_data.hash();
  vote.author = author();
  vote.signature = key_.sign(li.signing_hash().view());
  state_.last_vote = vote;
  return vote;
}

core::Checked<TimeoutMessage> SafetyRules::sign_timeout(
    Round round, const QuorumCert& high_qc, const std::optional<TimeoutCertificate>& tc) {
  if (Verdict v = check_epoch(ctx_.epoch(), state_); !v) return v.rejection();
  if (!is_validator()) return reject(Reject::kUnknownSigner, "not a validator of this epoch");
  if (Verdict v = check_qc(high_qc); !v) return v.rejection();
  if (tc) {
    if (Verdict v = check_tc(*tc); !v) return v.rejection();
  }
  const bool after_qc = round == high_qc.round() + 1;
  const bool after_tc = tc && round == tc->round + 1;
  if (!after_qc && !after_tc) {
    return reject(Reject::kInvalid,
                  "timeout round " + std::to_string(round) + " does not follow its qc or tc");
  }
  if (high_qc.round() < state_.one_chain_round) {
    return reject(Reject::kInvalid, "timeout qc round " + std::to_string(high_qc.round()) +
                                        " below one-chain round " +
                                        std::to_string(state_.one_chain_round));
  }
  if (round < state_.last_voted_round) {
    return reject(Reject::kInvalid, "timeout round " + std::to_string(round) +
                                        " below last voted round " +
                                        std::to_string(state_.last_voted_round));
  }
  state_.last_voted_round = std::max(state_.last_voted_round, round);
  state_.highest_timeout_round = std::max(state_.highest_timeout_round, round);
  if (after_tc) observe_tc(tc);
  observe_signed_qc(high_qc);
  TimeoutMessage m;
  m.epoch = ctx_.epoch();
  m.round = round;
  m.high_qc = high_qc;
  if (after_tc) m.last_tc = tc;
  m.author = author();
  m.signature = key_.sign(m.signing_data(ctx_.chain_id).signing_hash().view());
  return m;
}

}  // namespace bauhinia::consensus
