#include "bauhinia/consensus/replica.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "bauhinia/consensus/sync_verify.hpp"
#include "block_tree.hpp"

namespace bauhinia::consensus {

using core::reject;
using core::Reject;
using core::Rejection;
using core::Verdict;

namespace {

// Votes are kept for rounds in [round - 1, round + kVoteWindow].
constexpr Round kVoteWindow = 4;
// Verified certificate digests remembered (each QC usually arrives several times).
constexpr std::size_t kVerifiedCacheSize = 64;
// Commit certificates kept with their proof of verification until they commit.
constexpr std::size_t kVerifiedCommitCacheSize = 8;
// Proposals remembered for equivocation evidence: rounds >= round - kProposalMemory.
constexpr Round kProposalMemory = 2;
// Leaders remembered by round (each is asked for every vote and proposal).
constexpr std::size_t kLeaderCacheSize = 64;

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

Proposal proposal_from(const SyncBlock& b) {
  Proposal p;
  p.header = b.header;
  p.payload = b.payload;
  p.qc = b.qc;
  return p;
}

}  // namespace

// A block handed to the host for execution.
struct PendingExecution {
  Proposal proposal;
  bool vote = false;  // a current-round proposal to vote for once it matches
  bool reconfiguration_suffix = false;
};

struct RoundVotes {
  std::map<std::size_t, Vote> by_author;
  std::map<std::size_t, chain::VerifiedSignature> signatures;  // by_author's, as checked
  std::map<Hash256, std::vector<std::size_t>> by_ledger_info;  // signing hash -> signers
  bool formed = false;
};

struct Fetch {
  QuorumCert target;
  Author peer;
  Round asked_in_round = 0;
  std::vector<SyncBlock> gathered;  // verified, newest first
};

struct Replica::Impl {
  Impl(ReplicaConfig cfg, core::ed25519::SecretKey key, RecoveryData recovery,
       SafetyState safety_state, std::shared_ptr<const LeaderElection> elect)
      : config(std::move(cfg)),
        election(std::move(elect)),
        safety(std::move(key), std::move(safety_state), recovery.epoch, config.injected_faults) {
    BAUHINIA_ASSERT(election != nullptr);
    BAUHINIA_ASSERT(config.sync_batch_blocks >= 1 && config.sync_batch_blocks <= kMaxSyncBlocks);
    BAUHINIA_ASSERT(config.round_timeout_base_ms > 0);
    BAUHINIA_ASSERT(config.chain_id == recovery.epoch.chain_id);
    // The host checks its recovery data first (verify_recovery) and refuses to
    // start on a root QC that does not certify its root.
    BAUHINIA_ASSERT(verify_recovery(recovery, config.injected_faults));
    install(std::move(recovery));
  }

  // ---- state ---------------------------------------------------------------
  ReplicaConfig config;
  std::shared_ptr<const LeaderElection> election;
  SafetyRules safety;
  BlockTree tree;
  std::optional<QuorumCert> root_commit_cert;
  std::optional<QuorumCert> prev_epoch_end_cert;  // serves peers one epoch behind
  Epoch prev_epoch = 0;
  std::vector<SyncBlock> recovered_blocks;  // executed on Start

  QuorumCert high_qc;
  std::optional<TimeoutCertificate> last_tc;
  Round round = 0;
  bool started = false;

  Round proposed_round = 0;
  bool building = false;
  Hash256 building_parent;

  std::optional<TimeoutMessage> my_timeout;
  std::map<std::size_t, TimeoutMessage> round_timeouts;   // for `round`
  std::map<std::size_t, TimeoutMessage> future_timeouts;  // latest per author, round > `round`

  std::map<Round, RoundVotes> votes;
  std::map<Round, Proposal> first_proposals;
  std::map<Hash256, PendingExecution> executing;
  std::optional<Proposal> waiting_proposal;  // parent not executed yet
  std::optional<Fetch> fetch;
  bool ledger_sync_requested = false;
  std::uint64_t ledger_sync_requested_at_ms = 0;
  Round epoch_query_round = 0;       // last round we asked a peer about a later epoch
  std::uint64_t epoch_query_ms = 0;  // and when (event time)

  std::deque<Hash256> verified;  // digests of verified QCs and TCs
  // Commit certificates with the proof of their check (remember_verified_commit).
  std::deque<chain::VerifiedCertificate> verified_commits;

  // Committed blocks up to the root (leader reputation), and the leaders it
  // gave for recent rounds (cleared whenever the history or epoch changes).
  CommitHistory history;
  mutable std::map<Round, std::size_t> leader_cache;
  mutable Epoch leader_cache_epoch = 0;

  std::vector<Effect>* out = nullptr;
  std::uint64_t now_ms = 0;
  // When the block tree was last installed (start, ledger sync, new epoch):
  // the time its root and recovered blocks were "seen" (BlockNode::seen_ms).
  std::uint64_t tree_since_ms = 0;

  // ---- helpers -------------------------------------------------------------
  const EpochContext& ctx() const { return safety.context(); }
  Epoch epoch() const { return ctx().epoch(); }
  const chain::ValidatorSet& set() const { return ctx().validators; }
  const Author& me() const { return safety.author(); }
  bool is_validator() const { return safety.is_validator(); }
  std::optional<std::size_t> index_of(const Author& a) const { return set().index_of(a); }
  Author leader_of(Round r) const {
    // No separate stall fallback is needed: ReputationElection elects
    // round-robin for round r while the committed root is below r - lag, so a
    // run without commits turns into round-robin on every replica once the
    // rounds pass the highest honest root by the lag (a fallback keyed on
    // the high QC, the earlier fix, switched back to reputation after a single
    // QC, before the commit that would make the replicas agree; ADR 0008).
    if (leader_cache_epoch != epoch()) {
      leader_cache.clear();
      leader_cache_epoch = epoch();
    }
    auto it = leader_cache.find(r);
    if (it == leader_cache.end()) {
      if (leader_cache.size() >= kLeaderCacheSize) leader_cache.clear();
      it = leader_cache.emplace(r, election->leader_index(epoch(), r, set(), history)).first;
    }
    return set().validators[it->second].key;
  }
  // Where a vote for round v.round() goes, and where its receiver expects it:
  // the leader of the next round as it will be once the vote's QC forms, that
  // is with the blocks up to the one that QC commits (the vote's ledger info
  // names it) added to the committed history. Voter and collector read the
  // same vote, so they agree even when that commit moves the root past the lag
  // point. (Otherwise the first commit after a stall switches the collector
  // from round-robin to reputation when it forms the QC, after the voters
  // chose it by round-robin, and the round is lost; ADR 0008.) Falls back to
  // leader_of when the committed block is not a known descendant of the root.
  Author vote_leader(const Vote& v) const {
    const Round next = v.round() + 1;
    const Hash256& target = v.ledger_info.commit_block;
    if (!v.ledger_info.commits() || v.epoch() != epoch()) return leader_of(next);
    const auto path = tree.path_from_root(target);
    if (path.empty() || tree.epoch_end_on_path(target) != nullptr) return leader_of(next);
    CommitHistory h = history;
    for (const BlockNode* n : path) {
      if (!n->certified_by) return leader_of(next);
      h.append(committed_record(n->header, *n->certified_by), history_capacity());
    }
    return set().validators[election->leader_index(epoch(), next, set(), h)].key;
  }
  void record_commit(const chain::BlockHeader& header, const QuorumCert& qc) {
    history.append(committed_record(header, qc), history_capacity());
    leader_cache.clear();
  }
  std::size_t history_capacity() const { return std::max<std::size_t>(
      election->history_needed(set()), 1); }
  void emit(Effect e) { out->push_back(std::move(e)); }
  void rejected(const Author& from, Rejection why) { emit(MessageRejected{from, std::move(why)}); }

  void install(RecoveryData recovery) {
    tree_since_ms = now_ms;  // 0 in the constructor: set again at Start
    tree.reset(recovery.root, recovery.root_qc);
    verified.clear();
    high_qc = recovery.root_qc;
    last_tc.reset();
    // The certificates behind our last signatures (persisted before they
    // left): re-enter the round we last signed in, with a high QC at least as
    // high as the one we signed with, even if its block never arrived.
    const SafetyState& signed_with = safety.state();
    if (const auto& tc = signed_with.highest_tc; tc && tc->epoch == epoch()) {
      last_tc = tc;
      if (tc->high_qc.round() > high_qc.round()) high_qc = tc->high_qc;
    }
    if (const auto& qc = signed_with.highest_qc;
        qc && qc->epoch() == epoch() && qc->round() > high_qc.round() && check_qc(*qc)) {
      high_qc = *qc;
    }
    root_commit_cert.reset();
    if (recovery.commit_cert && recovery.commit_cert->epoch() == recovery.epoch.epoch()) {
      // It certifies a child of root: a higher QC to resume from (the child is fetched).
      if (recovery.commit_cert->round() > high_qc.round()) high_qc = *recovery.commit_cert;
      root_commit_cert = std::move(recovery.commit_cert);
    } else if (recovery.commit_cert && recovery.root.id() == recovery.epoch.epoch_root_id) {
      prev_epoch = recovery.commit_cert->epoch();  // the previous epoch's last commit
      prev_epoch_end_cert = std::move(recovery.commit_cert);
    }
    recovered_blocks = std::move(recovery.blocks);
    install_history(recovery);
    round = 0;
    proposed_round = 0;
    building = false;
    my_timeout.reset();
    round_timeouts.clear();
    future_timeouts.clear();
    votes.clear();
    first_proposals.clear();
    executing.clear();
    waiting_proposal.reset();
    fetch.reset();
    ledger_sync_requested = false;
  }

  // The host's history when it has one that ends at the root at consecutive
  // heights; else ours if it ends at the root (a new epoch); else the root's.
  void install_history(const RecoveryData& recovery) {
    leader_cache.clear();
    const auto& h = recovery.history;
    bool usable = !h.empty() && h.back().block_id == recovery.root.id() &&
                  h.back().height == recovery.root.height;
    for (std::size_t i = 1; usable && i < h.size(); ++i) usable = h[i].height == h[i - 1].height + 1;
    if (usable) {
      history.clear();
      for (const auto& r : h) history.append(r, history_capacity());
      return;
    }
    if (!history.empty() && history.back().block_id == recovery.root.id()) return;
    // None that ends at the root: the root alone (at genesis, a complete history).
    history.clear();
    history.append(committed_record(recovery.root, recovery.root_qc), history_capacity());
  }

  bool was_verified(const Hash256& digest) const {
    return std::find(verified.begin(), verified.end(), digest) != verified.end();
  }
  void remember_verified(const Hash256& digest) {
    verified.push_back(digest);
    if (verified.size() > kVerifiedCacheSize) verified.pop_front();
  }
  Verdict check_qc(const QuorumCert& qc) {
    const Hash256 d = core::sha256(core::encode(qc));
    if (was_verified(d)) return Verdict::accept();
    if (qc.commits() && !qc.is_epoch_root()) {
      // A commit certificate's proof of verification is kept for the ledger.
      auto proof = verify_commit_qc(qc, ctx());
      if (proof) {
        remember_verified_commit(std::move(proof).value());
        remember_verified(d);
        return Verdict::accept();
      }
      // Only an injected fault (tests) may accept what the exact check refused.
      if (!config.injected_faults.accept_duplicate_signers) return Verdict{proof.error()};
    }
    if (Verdict v = verify_qc(qc, ctx(), config.injected_faults); !v) return v;
    remember_verified(d);
    return Verdict::accept();
  }
  void remember_verified_commit(chain::VerifiedCertificate c) {
    verified_commits.push_back(std::move(c));
    if (verified_commits.size() > kVerifiedCommitCacheSize) verified_commits.pop_front();
  }
  // The proof of verification of `qc`'s certificate, if this replica made one.
  std::optional<chain::VerifiedCertificate> verified_commit(const QuorumCert& qc) const {
    for (auto it = verified_commits.rbegin(); it != verified_commits.rend(); ++it) {
      if (it->certificate() == qc.certificate) return *it;
    }
    return std::nullopt;
  }
  Verdict check_tc(const TimeoutCertificate& tc) {
    const Hash256 d = core::sha256(core::encode(tc));
    if (was_verified(d)) return Verdict::accept();
    if (Verdict v = verify_tc(tc, ctx(), config.injected_faults); !v) return v;
    remember_verified(d);
    return Verdict::accept();
  }

  // ---- rounds and timers ---------------------------------------------------
  // base * 1.5^k, k = rounds since the last certified one beyond the first: a
  // round whose leader crashed also fails the round before it (its votes went
  // to the crashed leader), and that pair costs two base timeouts. The gentle
  // factor (DiemBFT uses 1.2) keeps a run of rounds led by a crashed validator,
  // before leader reputation drops it, from growing into long stalls.
  std::uint64_t timeout_ms(Round r) const {
    const Round since = r > high_qc.round() + 2 ? r - high_qc.round() - 2 : 0;
    const std::uint64_t exp = std::min<std::uint64_t>(since, config.max_backoff_exponent);
    std::uint64_t d = config.round_timeout_base_ms;
    for (std::uint64_t i = 0; i < exp && d < config.round_timeout_max_ms; ++i) d += d / 2;
    return std::min(d, config.round_timeout_max_ms);
  }

  // How long the round's leader may still wait before it proposes an empty
  // block (try_propose's idle interval): the timer of a round whose parent is
  // empty allows for it, so idle_block_interval_ms need not be below the round
  // timeout. A parent with content is followed at once (a commit is pending),
  // and an unknown parent is waited for in full.
  std::uint64_t idle_wait_ms() const {
    const BlockNode* parent = tree.find(high_qc.block_id());
    if (parent == nullptr) return config.idle_block_interval_ms;
    if (parent->has_content()) return 0;
    std::uint64_t idle_from = parent->header.timestamp_ms;
    const std::uint64_t seen = parent->seen_ms != 0 ? parent->seen_ms : tree_since_ms;
    if (seen != 0) idle_from = std::min(idle_from, seen);
    const std::uint64_t idle_at = idle_from + config.idle_block_interval_ms;
    return idle_at > now_ms ? std::min(idle_at - now_ms, config.idle_block_interval_ms) : 0;
  }

  // (Re-)arms the one round timer: it fires `duration` from now (a
  // ScheduleTimeout replaces the host's earlier timer).
  void arm_timer(std::uint64_t duration) { emit(ScheduleTimeout{epoch(), round, duration}); }

  void maybe_advance() {
    Round target = high_qc.round() + 1;
    if (last_tc && last_tc->round + 1 > target) target = last_tc->round + 1;
    if (target > round) enter_round(target);
  }

  void enter_round(Round r) {
    round = r;
    building = false;
    my_timeout.reset();
    round_timeouts.clear();
    for (auto it = future_timeouts.begin(); it != future_timeouts.end();) {
      if (it->second.round == r) round_timeouts.emplace(it->first, it->second);
      if (it->second.round <= r) {
        it = future_timeouts.erase(it);
      } else {
        ++it;
      }
    }
    votes.erase(votes.begin(), votes.lower_bound(r > 0 ? r - 1 : 0));
    first_proposals.erase(
        first_proposals.begin(),
        first_proposals.lower_bound(r > kProposalMemory ? r - kProposalMemory : 0));
    if (waiting_proposal && waiting_proposal->round() < r) waiting_proposal.reset();
    arm_timer(timeout_ms(r) + idle_wait_ms());
    if (!round_timeouts.empty()) check_timeouts();
    if (round == r) try_propose();
  }

  // ---- proposing -----------------------------------------------------------
  std::optional<TimeoutCertificate> tc_for(Round r) const {
    if (high_qc.round() + 1 == r) return std::nullopt;
    if (last_tc && last_tc->round + 1 == r) return last_tc;
    return std::nullopt;
  }

  void try_propose() {
    if (!started || !is_validator() || leader_of(round) != me()) return;
    if (proposed_round >= round || building) return;
    if (safety.state().last_voted_round >= round) return;  // voted or timed out here already
    const bool justified = high_qc.round() + 1 == round || tc_for(round).has_value();
    if (!justified) return;
    const BlockNode* parent = tree.find(high_qc.block_id());
    if (parent == nullptr) {
      if (executing.count(high_qc.block_id()) == 0)
        request_block(high_qc, leader_of(high_qc.round() + 1));
      return;
    }
    const BlockNode* end = tree.epoch_end_on_path(parent->id);
    const bool suffix = end != nullptr;
    bool pending_commit = false;
    for (const BlockNode* n : tree.path_from_root(parent->id)) pending_commit |= n->has_content();
    const bool announces_commit = high_qc.commits() &&
                                  high_qc.ledger_info().commit_block == tree.root_id() &&
                                  tree.root().has_content();
    // Idle interval from when the parent was stamped or, if earlier by our
    // clock, from when we saw it: a parent stamped ahead of our clock (a
    // leader's clock running fast, or ours slow) does not hold us back.
    std::uint64_t idle_from = parent->header.timestamp_ms;
    const std::uint64_t seen = parent->seen_ms != 0 ? parent->seen_ms : tree_since_ms;
    if (seen != 0) idle_from = std::min(idle_from, seen);
    const std::uint64_t idle_at = idle_from + config.idle_block_interval_ms;
    const bool allow_empty = suffix || pending_commit || announces_commit || now_ms >= idle_at;
    BuildProposal b;
    b.epoch = epoch();
    b.round = round;
    b.parent = parent->header;
    b.high_qc = high_qc;
    b.tc = tc_for(round);
    b.min_timestamp_ms = parent->header.timestamp_ms + 1;
    b.allow_empty = allow_empty;
    b.reconfiguration_suffix = suffix;
    building = true;
    building_parent = parent->id;
    emit(std::move(b));
    if (!allow_empty) emit(WakeAt{idle_at});
  }

  void on_proposal_built(const ProposalBuilt& e) {
    if (e.epoch != epoch() || e.round != round || !building) return;
    building = false;
    if (!e.header) return;  // nothing to propose: wait for TransactionsAvailable or Wake
    const BlockNode* parent = tree.find(building_parent);
    BAUHINIA_ASSERT(parent != nullptr);
    const chain::BlockHeader& h = *e.header;
    BAUHINIA_ASSERT_MSG(h.parent_hash == parent->id && h.round == round && h.epoch == epoch() &&
                            h.height == parent->header.height + 1 && h.proposer == me() &&
                            h.timestamp_ms > parent->header.timestamp_ms,
                        "host built a header that does not match BuildProposal");
    BAUHINIA_ASSERT_MSG(tree.epoch_end_on_path(parent->id) == nullptr || e.payload.empty(),
                        "host put transactions in a reconfiguration suffix block");
    Proposal p;
    p.header = h;
    p.payload = e.payload;
    p.qc = high_qc.block_id() == parent->id ? high_qc : *parent->certified_by;
    p.tc = tc_for(round);
    auto sig = safety.sign_proposal(p);
    if (!sig) {
      rejected(me(), std::move(sig).error());
      return;
    }
    p.signature = *sig;
    BlockNode node;
    node.header = h;
    node.id = h.id();
    node.payload = e.payload;
    node.qc = p.qc;
    node.seen_ms = now_ms;
    if (h.ends_epoch()) {
      if (Verdict v = check_next_set(h, e.next_validator_set); !v) {
        rejected(me(), v.rejection());
        return;
      }
      node.next_set = e.next_validator_set;
    }
    proposed_round = round;
    first_proposals.emplace(round, p);
    tree.insert(node);
    emit(PersistBlock{SyncBlock{h, e.payload, p.qc}});
    // Vote for our own block before it leaves: the persisted last vote then
    // also stops a restarted leader from proposing again in this round.
    auto vote = vote_for(p, parent->id);
    emit(Broadcast{Message{p}});
    if (vote) send_vote(*vote);
  }

  Verdict check_next_set(const chain::BlockHeader& h,
                         const std::optional<chain::ValidatorSet>& next) const {
    if (!next) return reject(Reject::kInvalid, "epoch-ending block without its next validator set");
    if (Verdict v = next->validate(); !v) return v;
    if (next->epoch != epoch() + 1 || next->hash() != h.next_validator_set_hash) {
      return reject(Reject::kInvalid, "next validator set does not match the header");
    }
    return Verdict::accept();
  }

  // ---- voting --------------------------------------------------------------
  std::optional<Vote> vote_for(const Proposal& p, const Hash256& parent_id) {
    if (!is_validator() || p.round() != round) return std::nullopt;
    std::optional<BlockRef> override_target;
    if (const BlockNode* end = tree.epoch_end_on_path(parent_id)) {
      override_target = BlockRef{end->id, end->header.height};
    }
    auto vote = safety.vote(p, override_target);
    if (!vote) {
      rejected(p.author(), std::move(vote).error());
      return std::nullopt;
    }
    emit(PersistSafetyState{safety.state()});
    // The leader is alive and its block valid: the round now waits for the
    // next leader's certificate, a base timeout from this vote (a large block's
    // execution does not eat into it).
    arm_timer(timeout_ms(round));
    return std::move(vote).value();
  }

  void send_vote(const Vote& v) {
    const Author next = vote_leader(v);
    if (next == me()) {
      on_vote(me(), v);
    } else {
      emit(Send{next, Message{v}});
    }
  }

  // ---- incoming proposals --------------------------------------------------
  void on_proposal(const Author& from, const Proposal& p) {
    if (Verdict v = p.header.validate(); !v) return rejected(from, v.rejection());
    if (p.epoch() != epoch()) return other_epoch(from, p.epoch());
    if (p.round() == 0) return rejected(from, reject(Reject::kInvalid, "proposal for round 0"));
    if (p.round() > round + config.max_future_rounds) {
      return rejected(from, reject(Reject::kOutOfRange, "proposal round too far ahead"));
    }
    if (p.author() != leader_of(p.round())) {
      // Leaders depend on the committed chain (leader reputation): a replica
      // behind may name another leader. It refuses the proposal but learns its
      // certificates, so that it catches up and agrees again.
      if (index_of(p.author()) && p.round() + 1 >= round && p.qc.block_id() == p.header.parent_hash &&
          core::ed25519::verify(p.author(),
                                p.signing_data(ctx().chain_id).signing_hash().view(),
                                p.signature) &&
          check_qc(p.qc)) {
        process_qc(from, p.qc);
        if (p.tc && p.tc->round + 1 == p.round() && check_tc(*p.tc)) process_tc(*p.tc);
      }
      // The QC may have committed blocks that move the root past the lag
      // point: the leader is asked again (the checks below run as usual).
      if (p.author() != leader_of(p.round())) {
        return rejected(from, reject(Reject::kInvalid, "proposer is not the round's leader"));
      }
    }
    const Hash256 digest = p.signing_data(ctx().chain_id).signing_hash();
    if (!core::ed25519::verify(p.author(), digest.view(), p.signature)) {
      return rejected(from, reject(Reject::kBadSignature, "proposal signature"));
    }
    if (auto it = first_proposals.find(p.round()); it != first_proposals.end()) {
      if (it->second == p) return;  // a copy
      if (it->second.signing_data(ctx().chain_id).signing_hash() != digest) {
        emit(Evidence{Evidence::Kind::kProposal, p.author(), p.epoch(), p.round(),
                      encode_message(Message{it->second}), encode_message(Message{p})});
        return;
      }
    }
    if (p.round() < round) return;  // stale
    if (p.qc.block_id() != p.header.parent_hash) {
      return rejected(from, reject(Reject::kInvalid, "proposal qc does not certify its parent"));
    }
    if (p.tc && p.tc->round + 1 != p.round()) {
      return rejected(from, reject(Reject::kInvalid, "proposal tc is not for the previous round"));
    }
    if (Verdict v = check_qc(p.qc); !v) return rejected(from, v.rejection());
    if (p.tc) {
      if (Verdict v = check_tc(*p.tc); !v) return rejected(from, v.rejection());
    }
    process_qc(from, p.qc);
    if (p.tc) process_tc(*p.tc);
    if (p.epoch() != epoch()) return;  // the QC committed the end of the epoch
    if (p.round() != round) {
      return rejected(from, reject(Reject::kInvalid, "proposal round not justified by its qc/tc"));
    }
    first_proposals.emplace(p.round(), p);
    consider_proposal(from, p);
  }

  // The proposal is for the current round and its certificates are valid.
  void consider_proposal(const Author& from, const Proposal& p) {
    const Hash256 id = p.header.id();
    if (tree.contains(id) || executing.count(id) != 0) return;
    const BlockNode* parent = tree.find(p.header.parent_hash);
    if (parent == nullptr) {
      waiting_proposal = p;
      if (executing.count(p.header.parent_hash) == 0) request_block(p.qc, from);
      return;
    }
    const chain::BlockHeader& h = p.header;
    const chain::BlockHeader& ph = parent->header;
    if (h.height != ph.height + 1 || h.timestamp_ms <= ph.timestamp_ms ||
        h.validator_set_hash != set().hash() || p.qc.vote_data.height != ph.height ||
        p.qc.round() != (parent == &tree.root() && p.qc.is_epoch_root() ? 0 : ph.round)) {
      return rejected(from, reject(Reject::kInvalid, "proposal header does not follow its parent"));
    }
    const bool vote = timestamp_acceptable(p, ph);
    const bool suffix = tree.epoch_end_on_path(parent->id) != nullptr;
    if (suffix && !p.payload.empty()) {
      return rejected(from, reject(Reject::kInvalid, "transactions after the epoch's last block"));
    }
    if (tree.size() + executing.size() >= config.max_pending_blocks) {
      return rejected(from, reject(Reject::kTooLarge, "block tree full"));
    }
    // A proposal refused for its timestamp is still executed and kept, without
    // a vote: validators whose clocks allow it may certify it, and the next
    // leader's block, its child, then needs no fetch here.
    executing.emplace(id, PendingExecution{p, vote, suffix});
    emit(ExecuteBlock{h, p.payload, suffix});
  }

  // The block timestamp rule (docs/consensus.md, "Block timestamps"): with S =
  // max_clock_skew_ms, a proposal's timestamp is at most now_ms + S, or it is
  // exactly its parent's + 1 ms and at most now_ms + 2S. An honest leader
  // stamps max(its clock, parent + 1 ms), so it never has to wait for a parent
  // stamped ahead (by a fast clock or a Byzantine leader at the limit), and no
  // chain of blocks runs more than 2S ahead of an honest voter's clock. A
  // refused proposal times the round out at once: waiting for the round timer
  // would only cost every validator the time (the leader cannot send another).
  bool timestamp_acceptable(const Proposal& p, const chain::BlockHeader& ph) {
    const std::uint64_t ts = p.header.timestamp_ms;
    const std::uint64_t skew = config.max_clock_skew_ms;
    const bool follows_parent = ts == ph.timestamp_ms + 1;
    const bool ok = ts <= now_ms + skew || (follows_parent && ts <= now_ms + 2 * skew);
    constexpr std::uint64_t kMax = std::numeric_limits<std::int64_t>::max();
    const std::int64_t ahead = ts >= now_ms
                                   ? static_cast<std::int64_t>(std::min(ts - now_ms, kMax))
                                   : -static_cast<std::int64_t>(std::min(now_ms - ts, kMax));
    emit(ProposalTimestamp{p.author(), p.round(), ahead, follows_parent, !ok});
    if (ok) return true;
    rejected(p.author(), reject(Reject::kInvalid, "proposal timestamp " + std::to_string(ahead) +
                                                      " ms ahead of this replica's clock"));
    if (p.round() == round && is_validator() && !my_timeout) send_timeout();
    return false;
  }

  void on_block_executed(const BlockExecuted& e) {
    auto it = executing.find(e.block_id);
    if (it == executing.end()) return;
    PendingExecution pe = std::move(it->second);
    executing.erase(it);
    const Proposal& p = pe.proposal;
    if (!e.result || *e.result != p.header) {
      return rejected(p.author(), reject(Reject::kInvalid,
                                         "execution result differs from the "
                                         "proposed header"));
    }
    BlockNode node;
    node.header = p.header;
    node.id = e.block_id;
    node.payload = p.payload;
    node.qc = p.qc;
    node.seen_ms = now_ms;
    if (p.header.ends_epoch()) {
      if (Verdict v = check_next_set(p.header, e.next_validator_set); !v) {
        return rejected(p.author(), v.rejection());
      }
      node.next_set = e.next_validator_set;
    }
    if (!tree.insert(node)) return;  // parent pruned meanwhile
    emit(PersistBlock{SyncBlock{p.header, p.payload, p.qc}});
    if (pe.vote && p.round() == round && p.epoch() == epoch()) {
      if (auto vote = vote_for(p, p.header.parent_hash)) send_vote(*vote);
    }
    after_insert();
  }

  // A block joined the tree: QCs waiting for it may commit, the leader may propose.
  void after_insert() {
    if (tree.contains(high_qc.block_id())) {
      tree.certify(high_qc);
      try_commit(high_qc);
    }
    if (waiting_proposal && tree.contains(waiting_proposal->header.parent_hash)) {
      Proposal p = std::move(*waiting_proposal);
      waiting_proposal.reset();
      if (p.round() == round && p.epoch() == epoch()) consider_proposal(p.author(), p);
    }
    if (fetch && tree.contains(fetch->target.block_id())) fetch.reset();
    try_propose();
  }

  // ---- certificates --------------------------------------------------------
  // `qc` is valid. Raises the high QC, commits what it commits, advances the round.
  void process_qc(const Author& from, const QuorumCert& qc) {
    if (qc.epoch() != epoch()) return;
    tree.certify(qc);
    if (qc.round() > high_qc.round()) high_qc = qc;
    // The root's round counts in its own epoch only: an epoch's root is the
    // previous epoch's last block, and the new epoch's rounds start again at 1.
    const Round root_round =
        tree.root().header.epoch == epoch() ? tree.root().header.round : Round{0};
    if (!tree.contains(qc.block_id()) && executing.count(qc.block_id()) == 0 &&
        qc.round() > root_round) {
      request_block(qc, from);
    }
    try_commit(qc);
    if (qc.epoch() == epoch()) maybe_advance();
  }

  void process_tc(const TimeoutCertificate& tc) {
    if (tc.epoch != epoch()) return;
    if (!last_tc || tc.round > last_tc->round) last_tc = tc;
    if (tc.high_qc.round() > high_qc.round()) high_qc = tc.high_qc;
    maybe_advance();
  }

  void try_commit(const QuorumCert& qc) {
    if (!qc.commits() || qc.epoch() != epoch()) return;
    const chain::LedgerInfo& li = qc.ledger_info();
    if (li.commit_height <= tree.root().header.height) return;
    if (!tree.contains(qc.block_id())) return;  // fetched first (process_qc)
    const auto path = tree.path_from_root(qc.block_id());
    auto end = std::find_if(path.begin(), path.end(),
                            [&](const BlockNode* n) { return n->id == li.commit_block; });
    if (end == path.end() || (*end)->header.height != li.commit_height) {
      // Signed by a quorum yet inconsistent with the blocks it certifies.
      return rejected(me(), reject(Reject::kBadProof, "commit target not on the certified chain"));
    }
    Commit c;
    for (auto it = path.begin(); it != end + 1; ++it) {
      const BlockNode* n = *it;
      BAUHINIA_ASSERT(n->certified_by.has_value());
      c.blocks.push_back(CommittedBlock{n->header, n->payload, *n->certified_by});
      record_commit(n->header, *n->certified_by);
    }
    c.commit_cert = qc;
    c.verified_certificate = verified_commit(qc);
    const Hash256 new_root = li.commit_block;
    emit(std::move(c));
    root_commit_cert = qc;
    tree.prune_to(new_root);
    for (auto it = executing.begin(); it != executing.end();) {
      if (it->second.proposal.header.height <= tree.root().header.height) {
        it = executing.erase(it);
      } else {
        ++it;
      }
    }
    if (tree.root().header.ends_epoch()) start_next_epoch();
  }

  void start_next_epoch() {
    const BlockNode& root = tree.root();
    BAUHINIA_ASSERT(root.next_set.has_value());
    EpochContext next{ctx().chain_id, *root.next_set, root.id, root.header.height};
    prev_epoch = epoch();
    prev_epoch_end_cert = root_commit_cert;
    // Tell the ending epoch's validators at once (the host still sends to
    // them: EpochStarted comes after): whoever formed this certificate would
    // otherwise be the only one to know the epoch ended.
    emit(Broadcast{Message{SyncResponse{epoch(), root.id, {}, root_commit_cert}}});
    safety.start_epoch(next);
    emit(PersistSafetyState{safety.state()});
    emit(EpochStarted{next});
    RecoveryData r;
    r.epoch = next;
    r.root = root.header;
    r.root_qc = QuorumCert::for_epoch_root(next.chain_id, next.epoch(), root.header);
    install(std::move(r));
    maybe_advance();
  }

  // ---- votes ---------------------------------------------------------------
  void on_vote(const Author& from, const Vote& v) {
    if (v.epoch() != epoch()) return other_epoch(from, v.epoch());
    const auto idx = index_of(v.author);
    if (!idx) return rejected(from, reject(Reject::kUnknownSigner, "vote from a non-member"));
    if (vote_leader(v) != me()) {
      return rejected(from, reject(Reject::kInvalid, "vote sent to the wrong leader"));
    }
    if (v.round() + 1 < round || v.round() > round + kVoteWindow) return;  // stale or too early
    const chain::LedgerInfo& li = v.ledger_info;
    if (Verdict ok = v.vote_data.validate(); !ok) return rejected(from, ok.rejection());
    if (Verdict ok = li.validate(); !ok) return rejected(from, ok.rejection());
    if (li.chain_id != ctx().chain_id || li.epoch != v.epoch() || li.round != v.round() ||
        li.consensus_data_hash != v.vote_data.hash()) {
      return rejected(from, reject(Reject::kInvalid, "vote ledger info does not match its data"));
    }
    const Hash256 digest = li.signing_hash();
    // index_of(v.author) == idx: the set's key at idx is v.author.
    auto signature = chain::VerifiedSignature::verify(set(), *idx, digest, v.signature);
    if (!signature) return rejected(from, reject(Reject::kBadSignature, "vote signature"));
    RoundVotes& rv = votes[v.round()];
    if (auto it = rv.by_author.find(*idx); it != rv.by_author.end()) {
      if (it->second.ledger_info != li) {
        emit(Evidence{Evidence::Kind::kVote, v.author, v.epoch(), v.round(),
                      encode_message(Message{it->second}), encode_message(Message{v})});
      }
      return;  // duplicates never count twice
    }
    rv.by_author.emplace(*idx, v);
    rv.signatures.emplace(*idx, std::move(signature).value());
    auto& signers = rv.by_ledger_info[digest];
    signers.push_back(*idx);
    if (rv.formed) return;
    std::uint64_t power = 0;
    for (std::size_t i : signers) power += set().validators[i].voting_power;
    if (power < set().quorum_power()) return;
    std::vector<chain::VerifiedSignature> sigs;
    sigs.reserve(signers.size());
    for (std::size_t i : signers) sigs.push_back(rv.signatures.at(i));
    auto cert = chain::VerifiedCertificate::aggregate(li, set(), sigs);
    if (!cert) return rejected(me(), std::move(cert).error());
    rv.formed = true;
    QuorumCert qc{v.vote_data, cert->certificate()};
    if (qc.commits()) remember_verified_commit(std::move(cert).value());
    remember_verified(core::sha256(core::encode(qc)));
    process_qc(from, qc);
  }

  // ---- timeouts ------------------------------------------------------------
  void on_local_timeout(const LocalTimeout& e) {
    if (e.epoch != epoch() || e.round != round) return;
    fetch.reset();  // an unanswered fetch may be asked again
    arm_timer(timeout_ms(round));  // retransmit if still stuck
    send_timeout();
  }

  void send_timeout() {
    if (!is_validator()) return;
    if (!my_timeout || my_timeout->high_qc.round() != high_qc.round()) {
      std::optional<TimeoutCertificate> tc;
      if (last_tc && last_tc->round + 1 == round) tc = last_tc;
      auto t = safety.sign_timeout(round, high_qc, tc);
      if (!t) return rejected(me(), std::move(t).error());
      my_timeout = std::move(t).value();
    }
    emit(PersistSafetyState{safety.state()});
    emit(Broadcast{Message{*my_timeout}});
    add_timeout(*index_of(me()), *my_timeout);
  }

  void on_timeout(const Author& from, const TimeoutMessage& t) {
    if (t.epoch != epoch()) return other_epoch(from, t.epoch);
    const auto idx = index_of(t.author);
    if (!idx) return rejected(from, reject(Reject::kUnknownSigner, "timeout from a non-member"));
    if (t.round > round + config.max_future_rounds || t.round == 0) {
      return rejected(from, reject(Reject::kOutOfRange, "timeout round out of range"));
    }
    if (t.round < round) return;
    if (t.high_qc.round() >= t.round) {
      return rejected(from, reject(Reject::kInvalid, "timeout qc not below its round"));
    }
    const Hash256 digest = t.signing_data(ctx().chain_id).signing_hash();
    if (!core::ed25519::verify(t.author, digest.view(), t.signature)) {
      return rejected(from, reject(Reject::kBadSignature, "timeout signature"));
    }
    if (Verdict v = check_qc(t.high_qc); !v) return rejected(from, v.rejection());
    if (t.last_tc) {
      if (Verdict v = check_tc(*t.last_tc); !v) return rejected(from, v.rejection());
    }
    process_qc(from, t.high_qc);
    if (t.last_tc && t.epoch == epoch()) process_tc(*t.last_tc);
    if (t.epoch != epoch() || t.round < round) return;
    if (t.round > round) {
      auto it = future_timeouts.find(*idx);
      if (it == future_timeouts.end() || it->second.round < t.round) future_timeouts[*idx] = t;
      // A quorum already timed out in a later round: their TC moves us there.
      std::map<std::size_t, TimeoutMessage> same;
      for (const auto& [i, f] : future_timeouts) {
        if (f.round == t.round) same.emplace(i, f);
      }
      if (auto tc = aggregate(t.round, same)) process_tc(*tc);
      return;
    }
    add_timeout(*idx, t);
  }

  void add_timeout(std::size_t idx, const TimeoutMessage& t) {
    if (t.round != round) return;
    auto [it, fresh] = round_timeouts.emplace(idx, t);
    if (!fresh) {
      if (it->second.high_qc.round() >= t.high_qc.round()) return;
      it->second = t;  // a later timeout of the same round with a higher QC
    }
    check_timeouts();
  }

  void check_timeouts() {
    std::uint64_t power = 0;
    for (const auto& [i, t] : round_timeouts) power += set().validators[i].voting_power;
    const std::uint64_t total = set().total_power();
    // More than f of power timed out: at least one honest validator did, so
    // join them (the round will not finish anyway).
    if (!my_timeout && is_validator() && power > total - set().quorum_power()) {
      send_timeout();
      return;  // send_timeout re-enters check_timeouts through add_timeout
    }
    if (auto tc = aggregate(round, round_timeouts)) process_tc(*tc);
  }

  // The TC of `r` from verified timeouts of that round, if they hold a quorum.
  std::optional<TimeoutCertificate> aggregate(Round r,
                                              const std::map<std::size_t, TimeoutMessage>& ts) {
    std::uint64_t power = 0;
    for (const auto& [i, t] : ts) power += set().validators[i].voting_power;
    if (power < set().quorum_power()) return std::nullopt;
    TimeoutCertificate tc;
    tc.epoch = epoch();
    tc.round = r;
    tc.signer_bitmap.assign((set().validators.size() + 7) / 8, 0);
    const TimeoutMessage* best = nullptr;
    for (const auto& [i, t] : ts) {  // std::map: increasing index order
      bitmap_set(tc.signer_bitmap, i);
      tc.high_qc_rounds.push_back(t.high_qc.round());
      tc.signatures.push_back(t.signature);
      if (best == nullptr || t.high_qc.round() > best->high_qc.round()) best = &t;
    }
    tc.high_qc = best->high_qc;
    remember_verified(core::sha256(core::encode(tc)));
    return tc;
  }

  // ---- epochs and sync -----------------------------------------------------
  void other_epoch(const Author& from, Epoch e) {
    if (e <= epoch() || !index_of(from)) return;
    // Once per round, and again after a base round timeout in the same round:
    // a replica behind by epochs may sit in one round for good (it gets no
    // certificate of its own epoch to leave it), and an answer may be lost.
    if (epoch_query_round == round && round != 0 &&
        now_ms < epoch_query_ms + config.round_timeout_base_ms) {
      return;
    }
    epoch_query_round = round;
    epoch_query_ms = now_ms;
    emit(Send{from, Message{SyncRequest{epoch(), Hash256{}, 1}}});
  }

  void request_block(const QuorumCert& target, const Author& peer) {
    if (peer == me()) return;
    if (fetch && fetch->asked_in_round == round && fetch->target.round() >= target.round()) return;
    fetch = Fetch{target, peer, round, {}};
    emit(Send{peer, Message{SyncRequest{epoch(), target.block_id(), config.sync_batch_blocks}}});
  }

  // A SyncLedger may be emitted: none outstanding, or the last one is older
  // than ledger_sync_retry_ms (the host's catch-up has not delivered yet).
  bool may_request_ledger_sync() const {
    return !ledger_sync_requested ||
           now_ms >= ledger_sync_requested_at_ms + config.ledger_sync_retry_ms;
  }
  void request_ledger_sync(const Author& peer, const QuorumCert& commit_cert) {
    ledger_sync_requested = true;
    ledger_sync_requested_at_ms = now_ms;
    emit(SyncLedger{peer, commit_cert});
  }

  void on_sync_request(const Author& from, const SyncRequest& r) {
    SyncResponse resp;
    resp.epoch = r.epoch;
    resp.block_id = r.block_id;
    if (r.epoch < epoch()) {
      if (r.epoch != prev_epoch || !prev_epoch_end_cert) return;
      resp.commit_cert = prev_epoch_end_cert;
    } else if (r.epoch == epoch()) {
      resp.commit_cert = root_commit_cert;
      const std::size_t max =
          std::min<std::size_t>(std::max<std::uint32_t>(r.max_blocks, 1), kMaxSyncBlocks);
      // The response fits the host's frame: blocks stop before the encoding
      // would exceed max_sync_response_bytes (the first block always goes;
      // the host's block limits make one block fit).
      std::size_t bytes = encode_message(Message{resp}).size();
      Hash256 at = r.block_id;
      while (resp.blocks.size() < max) {
        const BlockNode* n = tree.find(at);
        if (n == nullptr || n->id == tree.root_id()) break;
        SyncBlock b{n->header, n->payload, n->qc};
        const std::size_t size = core::encode(b).size();
        if (!resp.blocks.empty() && bytes + size > config.max_sync_response_bytes) break;
        bytes += size;
        resp.blocks.push_back(std::move(b));
        at = n->header.parent_hash;
      }
    } else {
      return;
    }
    emit(Send{from, Message{std::move(resp)}});
  }

  void on_sync_response(const Author& from, const SyncResponse& r) {
    if (r.epoch != epoch() || !index_of(from)) return;
    const bool solicited = fetch && from == fetch->peer;
    if (!solicited || r.blocks.empty()) {
      // An answer to an epoch query, a peer announcing the commit that ended
      // the epoch, or a peer without the block: its commit certificate may
      // commit what we have, or tell us how far behind we are.
      if (r.commit_cert && r.commit_cert->epoch() == epoch() &&
          r.commit_cert->ledger_info().commit_height > tree.root().header.height) {
        if (Verdict v = check_qc(*r.commit_cert); !v) return rejected(from, v.rejection());
        if (!tree.contains(r.commit_cert->block_id()) && fetch && fetch->peer == from &&
            may_request_ledger_sync()) {
          request_ledger_sync(from, *r.commit_cert);
          fetch.reset();
          return;
        }
        process_qc(from, *r.commit_cert);
      }
      if (solicited) fetch.reset();
      return;
    }
    const bool for_target = fetch->gathered.empty()
                                ? r.block_id == fetch->target.block_id()
                                : r.block_id == fetch->gathered.back().qc.block_id();
    if (!for_target) return;
    // Verify the chain: each block is the one certified by the QC above it.
    const QuorumCert* certifier =
        fetch->gathered.empty() ? &fetch->target : &fetch->gathered.back().qc;
    for (const SyncBlock& b : r.blocks) {
      if (Verdict v = b.header.validate(); !v) return rejected(from, v.rejection());
      if (!certifies(*certifier, b.header) || b.header.epoch != epoch() ||
          b.qc.block_id() != b.header.parent_hash) {
        return rejected(from, reject(Reject::kBadProof, "sync block not certified by its child"));
      }
      if (Verdict v = check_qc(b.qc); !v) return rejected(from, v.rejection());
      if (fetch->gathered.size() >= config.max_pending_blocks) {
        return rejected(from, reject(Reject::kTooLarge, "sync chain longer than the block tree"));
      }
      fetch->gathered.push_back(b);
      certifier = &fetch->gathered.back().qc;
      if (tree.contains(b.qc.block_id()) || executing.count(b.qc.block_id()) != 0) break;
    }
    if (fetch->gathered.empty() || !(tree.contains(fetch->gathered.back().qc.block_id()) ||
                                     executing.count(fetch->gathered.back().qc.block_id()) != 0)) {
      // Not connected yet: ask for more, or catch the ledger up if the peer's
      // committed root is beyond ours.
      // A response cut short by the responder's size limit has fewer blocks
      // than asked for: ask on unless the chain reached the responder's
      // committed root (its commit certificate commits the last block's parent).
      const bool at_responder_root =
          fetch->gathered.empty() || fetch->gathered.back().qc.is_epoch_root() ||
          (r.commit_cert &&
           fetch->gathered.back().qc.block_id() == r.commit_cert->ledger_info().commit_block);
      const bool more = !fetch->gathered.empty() &&
                        (r.blocks.size() >= config.sync_batch_blocks || !at_responder_root);
      if (more) {
        emit(Send{from, Message{SyncRequest{epoch(), fetch->gathered.back().qc.block_id(),
                                            config.sync_batch_blocks}}});
        return;
      }
      if (r.commit_cert && may_request_ledger_sync() &&
          r.commit_cert->ledger_info().commit_height > tree.root().header.height) {
        if (Verdict v = check_qc(*r.commit_cert); !v) return rejected(from, v.rejection());
        request_ledger_sync(from, *r.commit_cert);
      }
      fetch.reset();
      return;
    }
    std::vector<SyncBlock> chain = std::move(fetch->gathered);
    const QuorumCert target = fetch->target;
    fetch.reset();
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) execute_synced(*it);
    process_qc(from, target);
    for (const SyncBlock& b : chain) process_qc(from, b.qc);
  }

  void execute_synced(const SyncBlock& b) {
    const Hash256 id = b.header.id();
    if (tree.contains(id) || executing.count(id) != 0) return;
    const bool suffix = tree.epoch_end_on_path(b.header.parent_hash) != nullptr || [&] {
      auto it = executing.find(b.header.parent_hash);
      return it != executing.end() &&
             (it->second.reconfiguration_suffix || it->second.proposal.header.ends_epoch());
    }();
    executing.emplace(id, PendingExecution{proposal_from(b), false, suffix});
    emit(ExecuteBlock{b.header, b.payload, suffix});
  }

  void on_ledger_synced(const LedgerSynced& e) {
    ledger_sync_requested = false;
    const RecoveryData& r = e.recovery;
    if (r.epoch.epoch() < epoch() ||
        (r.epoch.epoch() == epoch() && r.root.height <= tree.root().header.height)) {
      return;
    }
    // Never a high QC that did not pass the checks of a QC received in consensus.
    if (!verify_recovery(r, config.injected_faults)) return;
    if (r.epoch.epoch() > epoch()) {
      prev_epoch = epoch();
      prev_epoch_end_cert.reset();
      safety.start_epoch(r.epoch);
      emit(PersistSafetyState{safety.state()});
      emit(EpochStarted{r.epoch});
    }
    install(r);
    start_recovered();
  }

  void start_recovered() {
    std::vector<SyncBlock> blocks = std::move(recovered_blocks);
    recovered_blocks.clear();
    std::sort(blocks.begin(), blocks.end(), [](const SyncBlock& a, const SyncBlock& b) {
      return a.header.height < b.header.height;
    });
    for (const SyncBlock& b : blocks) {
      if (b.header.epoch != epoch() || b.header.height <= tree.root().header.height) continue;
      const Hash256 parent = b.header.parent_hash;
      if (!tree.contains(parent) && executing.count(parent) == 0) continue;
      if (!check_qc(b.qc) || b.qc.block_id() != parent) continue;
      execute_synced(b);
      if (b.qc.round() > high_qc.round()) high_qc = b.qc;
    }
    maybe_advance();
  }

  // ---- dispatch ------------------------------------------------------------
  void on_message(const MessageReceived& m) {
    const bool member = index_of(m.from).has_value();
    std::visit(Overloaded{
                   [&](const Proposal& p) {
                     if (!member)
                       return rejected(m.from, reject(Reject::kUnknownSigner, "non-member"));
                     on_proposal(m.from, p);
                   },
                   [&](const Vote& v) {
                     if (!member)
                       return rejected(m.from, reject(Reject::kUnknownSigner, "non-member"));
                     on_vote(m.from, v);
                   },
                   [&](const TimeoutMessage& t) {
                     if (!member)
                       return rejected(m.from, reject(Reject::kUnknownSigner, "non-member"));
                     on_timeout(m.from, t);
                   },
                   [&](const SyncRequest& r) { on_sync_request(m.from, r); },
                   [&](const SyncResponse& r) { on_sync_response(m.from, r); },
               },
               m.message);
  }

  void step(const Event& event) {
    now_ms = std::max(now_ms, event_time_ms(event));
    std::visit(Overloaded{
                   [&](const Start&) {
                     if (started) return;
                     started = true;
                     if (tree_since_ms == 0) tree_since_ms = now_ms;
                     start_recovered();
                     if (round == 0) maybe_advance();
                     try_propose();
                   },
                   [&](const MessageReceived& m) {
                     if (started) on_message(m);
                   },
                   [&](const LocalTimeout& t) {
                     if (started) on_local_timeout(t);
                   },
                   [&](const ProposalBuilt& p) { on_proposal_built(p); },
                   [&](const BlockExecuted& b) { on_block_executed(b); },
                   [&](const Wake&) { try_propose(); },
                   [&](const TransactionsAvailable&) { try_propose(); },
                   [&](const LedgerSynced& s) { on_ledger_synced(s); },
               },
               event);
  }
};

Replica::Replica(ReplicaConfig config, core::ed25519::SecretKey key, RecoveryData recovery,
                 SafetyState safety, std::shared_ptr<const LeaderElection> election)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(key), std::move(recovery),
                                   std::move(safety), std::move(election))) {}
Replica::~Replica() = default;
Replica::Replica(Replica&&) noexcept = default;
Replica& Replica::operator=(Replica&&) noexcept = default;

std::vector<Effect> Replica::step(const Event& event) {
  std::vector<Effect> out;
  impl_->out = &out;
  impl_->step(event);
  impl_->out = nullptr;
  return out;
}

const Author& Replica::author() const {
  return impl_->me();
}
Epoch Replica::epoch() const {
  return impl_->epoch();
}
Round Replica::round() const {
  return impl_->round;
}
const EpochContext& Replica::epoch_context() const {
  return impl_->ctx();
}
const QuorumCert& Replica::high_qc() const {
  return impl_->high_qc;
}
const std::optional<TimeoutCertificate>& Replica::last_tc() const {
  return impl_->last_tc;
}
const chain::BlockHeader& Replica::committed_root() const {
  return impl_->tree.root().header;
}
const SafetyState& Replica::safety_state() const {
  return impl_->safety.state();
}
std::size_t Replica::pending_blocks() const {
  return impl_->tree.size();
}
Author Replica::leader_of(Round round) const {
  return impl_->leader_of(round);
}
const ReplicaConfig& Replica::config() const {
  return impl_->config;
}

}  // namespace bauhinia::consensus
