// The fork leader (Behaviour::kForkLeader): a Byzantine leader that makes some
// honest replicas commit a block and asks the others to vote for a sibling of
// it. Honest voters must refuse the sibling: it is justified only by a TC whose
// highest QC is above the sibling's QC (safety rule 6 refuses it), or by a TC
// that counts the leader's own signature in a quorum of slots (certificate
// verification refuses it). With an injected bug that drops either check
// (--bug skip-lock-check, skip-safe-to-vote, accept-duplicate-signer) the
// sibling is certified and committed, and the agreement checker sees two
// blocks at one height.
//
// The attack, when it leads round R after an uninterrupted:
//  - on seeing the proposal P of round R-1 (whose QC certifies G, the block
//    QC(P) will commit), it executes F: a block of round R on G's parent,
//    certified by G's parent's QC (prepare_fork);
//  - when its core proposes B on QC(P), it sends B to a few replicas (they
//    commit G) and F to a quorum less its own vote (fork_send), either at once
//    with a forged TC of R-1, or, withholding both, once the honest replicas'
//    timeouts of R-1 give it a real TC (lowest_tc);
//  - it never lets QC(P) reach the others (fork_send drops whatever carries
//    it) and votes for F and every block it sees on F (fork_observe).

#include <algorithm>

#include "simulation_impl.hpp"

namespace bauhinia::sim::detail {
namespace {

constexpr std::size_t kMaxRemembered = 64;  // seen QCs and fork blocks per node

template <class T>
void remember(std::set<T>& set, std::deque<T>& order, const T& item) {
  if (!set.insert(item).second) return;
  order.push_back(item);
  while (order.size() > kMaxRemembered) {
    set.erase(order.front());
    order.pop_front();
  }
}

bool carries(const consensus::Message& message, const consensus::QuorumCert& qc) {
  if (const auto* t = std::get_if<consensus::TimeoutMessage>(&message)) {
    return t->high_qc == qc || (t->last_tc && t->last_tc->high_qc == qc);
  }
  if (const auto* p = std::get_if<consensus::Proposal>(&message)) {
    return p->qc == qc || (p->tc && p->tc->high_qc == qc);
  }
  if (const auto* r = std::get_if<consensus::SyncResponse>(&message)) {
    if (r->commit_cert == qc) return true;
    return std::any_of(r->blocks.begin(), r->blocks.end(),
                       [&](const consensus::SyncBlock& b) { return b.qc == qc; });
  }
  return false;
}

}  // namespace

consensus::TimeoutCertificate Simulation::forged_tc(const Node& node, consensus::Round round,
                                                    const consensus::QuorumCert& high_qc) {
  // Our own timeout signature for `round` over `high_qc`, copied into the
  // slots of other validators until the bitmap claims a quorum.
  consensus::TimeoutSigningData data{kChainId, high_qc.epoch(), round, high_qc.round()};
  const core::ed25519::Signature sig =
      core::ed25519::SecretKey::from_seed(key_seeds_[node.validator])
          .sign(data.signing_hash().view());
  // Callers check membership: the fork leader leads the round.
  const chain::ValidatorSet& set = epoch_set(node);
  const std::size_t me = *member_index(node);
  const std::size_t n = set.validators.size();
  consensus::TimeoutCertificate tc;
  tc.epoch = high_qc.epoch();
  tc.round = round;
  tc.high_qc = high_qc;
  tc.signer_bitmap.assign((n + 7) / 8, 0);
  std::uint64_t power = set.validators[me].voting_power;
  std::vector<bool> slot(n, false);
  slot[me] = true;
  for (std::size_t i = 0; i < n && power < set.quorum_power(); ++i) {
    if (slot[i]) continue;
    slot[i] = true;
    power += set.validators[i].voting_power;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!slot[i]) continue;
    consensus::bitmap_set(tc.signer_bitmap, i);
    tc.high_qc_rounds.push_back(high_qc.round());
    tc.signatures.push_back(sig);
  }
  ++result_.forged;
  return tc;
}

void Simulation::prepare_fork(Node& node, const consensus::Proposal& seen) {
  // `seen` is P, of round R-1; we lead R. P's QC certifies G; F is a block of
  // round R on G's parent, with the QC that certifies G's parent.
  node.fork_candidate.reset();
  const consensus::QuorumCert& qc_g = seen.qc;
  if (qc_g.is_epoch_root()) return;  // G is the epoch root: it has no parent here
  const Hash256 gp = qc_g.vote_data.parent_id;
  std::optional<consensus::QuorumCert> qc_gp;
  if (auto it = node.seen_qcs.find(gp); it != node.seen_qcs.end()) {
    qc_gp = it->second;
  } else if (gp == node.ledger->committed_id()) {
    qc_gp = node.ledger->root_qc();
  }
  if (!qc_gp) return;
  auto parent = node.ledger->header_of(gp);
  if (!parent) return;
  consensus::BuildProposal b;
  b.epoch = seen.epoch();
  b.round = seen.round() + 1;
  b.parent = *parent;
  b.min_timestamp_ms = parent->timestamp_ms + 1;
  auto built = build_conflicting(node, b);
  if (!built) return;
  consensus::Proposal f;
  f.header = built->header;
  f.payload = std::move(built->payload);
  f.qc = *qc_gp;
  node.fork_candidate = Node::ForkBlock{b.round, qc_g.block_id(), std::move(f)};
}

bool Simulation::fork_send(Node& node, const std::vector<NodeId>& to,
                           const consensus::Message& message) {
  if (node.fork_hidden_qc && carries(message, *node.fork_hidden_qc)) {
    trace_.record(now(), "fork-hide", node.id, core::Hash256{},
                  std::string(consensus::message_name(message)));
    return true;
  }
  if (const auto* v = std::get_if<consensus::Vote>(&message)) {
    return node.fork_round != 0 && v->round() == node.fork_round;  // the fork's vote instead
  }
  const auto* p = std::get_if<consensus::Proposal>(&message);
  if (p == nullptr) return false;
  if (!node.fork_candidate || node.fork_candidate->round != p->round()) return false;
  Node::ForkBlock candidate = std::move(*node.fork_candidate);
  node.fork_candidate.reset();
  if (p->tc || !p->qc.commits() || p->qc.ledger_info().commit_block != candidate.target) {
    return false;
  }
  // A quorum less our own power gets the fork, the others our core's proposal.
  std::vector<NodeId> order = to;
  for (std::size_t i = order.size(); i > 1; --i) {
    std::swap(order[i - 1], order[byz_prng_.below(i)]);
  }
  const chain::ValidatorSet& set = epoch_set(node);
  const auto me = member_index(node);
  if (!me) return false;
  const std::uint64_t need = set.quorum_power() - set.validators[*me].voting_power;
  std::uint64_t power = 0;
  std::set<std::size_t> counted;
  std::vector<NodeId> first, second;
  for (NodeId n : order) {
    if (power < need) {
      second.push_back(n);
      const auto v = set.index_of(keys_[nodes_.at(n).validator]);
      if (v && counted.insert(*v).second) power += set.validators[*v].voting_power;
    } else {
      first.push_back(n);
    }
  }
  if (first.empty() || power < need) return false;
  node.fork_round = p->round();
  node.fork_hidden_qc = p->qc;
  if (byz_prng_.below(2) == 0) {
    // At once, justified by a forged TC of the round before (one signer).
    candidate.proposal.tc = forged_tc(node, p->round() - 1, candidate.proposal.qc);
    launch_fork(node, *p, std::move(candidate.proposal), first, second);
  } else {
    // Withheld until the others, waiting for it, time out: their timeouts make
    // a real TC of the round before (fork_observe).
    trace_.record(now(), "fork-withhold", node.id, candidate.proposal.header.id(),
                  "round " + std::to_string(p->round()));
    node.fork_waiting = Node::ForkPlan{*p, std::move(candidate.proposal), first, second};
  }
  return true;
}

void Simulation::launch_fork(Node& node, const consensus::Proposal& core_proposal,
                             consensus::Proposal fork, const std::vector<NodeId>& first,
                             const std::vector<NodeId>& second) {
  fork.signature = core::ed25519::SecretKey::from_seed(key_seeds_[node.validator])
                       .sign(fork.signing_data(kChainId).signing_hash().view());
  const Hash256 id = fork.header.id();
  remember(node.fork_blocks, node.fork_block_order, id);
  trace_.record(now(), "fork", node.id, id,
                "round " + std::to_string(fork.round()) + " on qc round " +
                    std::to_string(fork.qc.round()) + (fork.tc ? " with a tc" : "") +
                    ", the others commit " + short_id(core_proposal.qc.ledger_info().commit_block));
  transmit(node.id, first,
           Packet{std::make_shared<const core::Bytes>(
               consensus::encode_message(consensus::Message{core_proposal}))});
  transmit(node.id, second,
           Packet{std::make_shared<const core::Bytes>(
               consensus::encode_message(consensus::Message{fork}))});
  const consensus::Vote vote = sign_vote_for(node, fork);
  send_consensus(node, instances_of(node.replica->leader_of(fork.round() + 1)),
                 consensus::Message{vote});
}

void Simulation::fork_observe(Node& node, const consensus::Message& message) {
  if (const auto* t = std::get_if<consensus::TimeoutMessage>(&message)) {
    note_timeout(node, *t);
    if (!node.fork_waiting) return;
    Node::ForkPlan& plan = node.fork_waiting.value();
    const consensus::Round round = plan.core_proposal.round();
    if (node.replica->round() > round) {
      node.fork_waiting.reset();  // too late: the core moved on
      return;
    }
    if (t->round + 1 != round) return;
    auto tc = lowest_tc(node, t->epoch, t->round);
    if (!tc) return;
    plan.fork.tc = std::move(tc);
    Node::ForkPlan ready = std::move(plan);
    node.fork_waiting.reset();
    launch_fork(node, ready.core_proposal, std::move(ready.fork), ready.first, ready.second);
    return;
  }
  const auto* p = std::get_if<consensus::Proposal>(&message);
  if (p == nullptr) return;
  // Remember which QC certifies which block (a fork's parent needs its QC).
  if (node.seen_qcs.emplace(p->qc.block_id(), p->qc).second) {
    node.seen_qc_order.push_back(p->qc.block_id());
    while (node.seen_qc_order.size() > kMaxRemembered) {
      node.seen_qcs.erase(node.seen_qc_order.front());
      node.seen_qc_order.pop_front();
    }
  }
  const Hash256 id = p->header.id();
  if (node.fork_blocks.contains(p->header.parent_hash) && !node.fork_blocks.contains(id)) {
    // A block on the fork: vote for it, as a voter of that branch would.
    remember(node.fork_blocks, node.fork_block_order, id);
    trace_.record(now(), "fork-vote", node.id, id, "round " + std::to_string(p->round()));
    send_consensus(node, instances_of(node.replica->leader_of(p->round() + 1)),
                   consensus::Message{sign_vote_for(node, *p)});
  }
  if (node.replica->leader_of(p->round() + 1) == keys_[node.validator]) {
    prepare_fork(node, *p);
  }
}

}  // namespace bauhinia::sim::detail
