// The host of each replica instance: applies the core's effects (persist,
// send, execute, commit, timers, ledger sync) and feeds it events, with the
// checkers watching everything an honest replica signs and commits.

#include <algorithm>
#include <ostream>
#include <string>

#include "bauhinia/consensus/sync_verify.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "bauhinia/execution/payload_check.hpp"
#include "simulation_impl.hpp"

namespace bauhinia::sim::detail {
namespace {

core::Hash256 digest_of(const Packet& p) {
  return std::visit(
      [](const auto& x) -> core::Hash256 {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ConsensusBytes>) {
          return core::sha256(*x);
        } else if constexpr (std::is_same_v<T, LedgerSyncRequest>) {
          return core::sha256(core::encode(x));
        } else {
          return core::sha256(core::encode(*x));
        }
      },
      p);
}

const char* packet_name(const Packet& p) {
  switch (p.index()) {
    case 0: return "recv";
    case 1: return "recv-sync-request";
    default: return "recv-sync-response";
  }
}

std::size_t payload_transactions(const core::Bytes& payload) {
  if (payload.empty()) return 0;
  auto p = core::decode<execution::BlockPayload>(payload);
  return p ? p->transactions.size() : 0;
}

}  // namespace

std::vector<NodeId> Simulation::instances_of(const consensus::Author& author) const {
  std::vector<NodeId> out;
  for (const auto& n : nodes_) {
    if (keys_[n.validator] == author) out.push_back(n.id);
  }
  return out;
}

std::vector<NodeId> Simulation::others_of(const Node& node) const {
  std::vector<NodeId> out;
  for (const auto& n : nodes_) {
    if (n.validator != node.validator) out.push_back(n.id);
  }
  return out;
}

consensus::RecoveryData Simulation::recovery_of(const Node& node) const {
  consensus::RecoveryData r;
  r.epoch = node.ledger->epoch_context();
  r.root = node.ledger->committed_header();
  r.root_qc = node.ledger->root_qc();
  r.commit_cert = node.ledger->commit_cert();
  auto kept = node.ledger->kept_blocks();
  BAUHINIA_ASSERT_MSG(kept.has_value(), "kept blocks");
  r.blocks = std::move(*kept);
  auto history = node.ledger->committed_history(election_->history_needed(r.epoch.validators));
  BAUHINIA_ASSERT_MSG(history.has_value(), "committed history");
  r.history = std::move(*history);
  return r;
}

consensus::ReplicaConfig Simulation::replica_config_for(const Node& node) const {
  consensus::ReplicaConfig c = replica_config_;
  // An injected bug of the core is in every honest replica (Byzantine ones
  // misbehave on their own).
  if (node.honest()) c.injected_faults = core_faults(config_.bug);
  return c;
}

void Simulation::boot(Node& node) {
  node.disk = std::make_unique<ledger::MemoryKvStore>();
  node.consensus_disk = std::make_unique<ledger::MemoryKvStore>();
  auto opened = ReplicaLedger::open(*node.disk, *node.consensus_disk, genesis_, modules_);
  BAUHINIA_ASSERT_MSG(opened.has_value(), "open the genesis ledger");
  node.ledger = std::move(opened).value();
  const chain::BlockHeader genesis = node.ledger->committed_header();
  if (!certificates_) certificates_.emplace(node.ledger->epoch_context());
  node.persisted = consensus::SafetyState{};
  node.replica.emplace(replica_config_for(node),
                       core::ed25519::SecretKey::from_seed(key_seeds_[node.validator]),
                       recovery_of(node), consensus::SafetyState{}, election_);
  trace_.record(now(), "boot", node.id, genesis.id());
  step(node, consensus::Start{clock_of(node)});
}

void Simulation::restart(Node& node) {
  auto opened = ReplicaLedger::open(*node.disk, *node.consensus_disk, genesis_, modules_);
  if (!opened) {
    violation(ViolationKind::kReplicaCrash,
              "replica " + std::to_string(node.id) +
                  " cannot reopen its ledger: " + opened.error().to_string());
    return;
  }
  node.ledger = std::move(opened).value();
  if (node.honest()) {
    register_epoch(node.ledger->epoch_context());  // a restart may be the first in an epoch
    auto ids = node.ledger->committed_ids();
    if (!ids) {
      violation(ViolationKind::kReplicaCrash,
                "replica " + std::to_string(node.id) +
                    " cannot read its ledger: " + ids.error().to_string());
      return;
    }
    history_->on_restart(node.id, *ids, now());
  }
  auto safety = node.ledger->load_safety();
  if (!safety) {
    violation(ViolationKind::kReplicaCrash,
              "replica " + std::to_string(node.id) +
                  " cannot read its safety state: " + safety.error().to_string());
    return;
  }
  node.persisted = *safety;
  consensus::SafetyState fed = *safety;
  consensus::RecoveryData recovery = recovery_of(node);
  if (config_.bug == InjectedBug::kForgetLock) {
    // The injected bug: the lock and everything it came from are forgotten
    // (preferred and one-chain rounds, the highest QC signed with, and the
    // kept blocks with their QCs).
    fed.preferred_round = 0;
    fed.one_chain_round = 0;
    fed.highest_qc.reset();
    recovery.blocks.clear();
  }
  node.replica.emplace(replica_config_for(node),
                       core::ed25519::SecretKey::from_seed(key_seeds_[node.validator]),
                       std::move(recovery), fed, election_);
  trace_.record(now(), "restart", node.id, node.ledger->committed_id(),
                "at height " + std::to_string(node.ledger->committed_height()));
  step(node, consensus::Start{clock_of(node)});
}

void Simulation::post(Node& node, std::uint64_t delay_ms, consensus::Event event) {
  queue_.schedule_in(delay_ms, NodeEvent{node.id, node.incarnation, std::move(event)});
}

void Simulation::note_leaders(Node& node) {
  const consensus::Replica& r = *node.replica;
  const auto leader = [&](consensus::Round round) {
    const auto i = r.epoch_context().validators.index_of(r.leader_of(round));
    return i ? "v" + std::to_string(*i) : std::string("?");
  };
  const chain::BlockHeader& root = r.committed_root();
  std::string view = "epoch=" + std::to_string(r.epoch()) + " round=" + std::to_string(r.round()) +
                     " qc=" + std::to_string(r.high_qc().round()) + " root=h" +
                     std::to_string(root.height) + "/r" + std::to_string(root.round) +
                     " leader=" + leader(r.round()) + " next=" + leader(r.round() + 1);
  if (view == node.leader_view) return;
  *config_.trace << "t=" << now() << " leaders node=" << node.id << (node.honest() ? "" : "(byz)")
                 << " " << view << '\n';
  node.leader_view = std::move(view);
}

void Simulation::step(Node& node, const consensus::Event& event) {
  if (!node.up()) return;
  std::vector<consensus::Effect> effects = node.replica->step(event);
  // Observations for logs and metrics, not actions: counted first and kept out
  // of the crash-mid-step draw below (which they would otherwise shift).
  std::erase_if(effects, [&](consensus::Effect& e) {
    if (!std::holds_alternative<consensus::ProposalTimestamp>(e)) return false;
    apply(node, e);
    return true;
  });
  if (node.honest() && config_.kill_validator) note_round(node);
  if (config_.trace_leaders && config_.trace != nullptr) note_leaders(node);
  if (node.honest()) {
    // Rounds start again in each epoch: progress counts those of the epochs before.
    const auto base = epoch_round_base_.find(node.replica->epoch());
    max_round_ = std::max<std::uint64_t>(
        max_round_, (base == epoch_round_base_.end() ? 0 : base->second) + node.replica->round());
    if (config_.kill_validator && !kill_scheduled_ && max_round_ >= config_.kill_round) {
      kill_scheduled_ = true;
      queue_.schedule_in(0, KillValidator{});
    }
    if (!faults_stopped_ && !faults_stop_scheduled_ && max_round_ >= profile_.faults_stop_round) {
      faults_stop_scheduled_ = true;
      queue_.schedule_in(0, FaultsStop{});
    }
  }
  // A crash in the middle of a step: the effects after the cut never happen.
  std::optional<std::size_t> cut;
  if (in_fault_phase() && node.honest() && !effects.empty() &&
      fault_prng_.chance_ppm(profile_.crash_in_step_ppm)) {
    std::uint32_t down = 0;
    for (const auto& n : nodes_) down += n.up() ? 0 : 1;
    if (down < profile_.max_down) cut = fault_prng_.below(effects.size());
  }
  for (std::size_t i = 0; i < effects.size(); ++i) {
    apply(node, effects[i]);
    if (log_.any() || !node.up()) return;
    if (cut && *cut == i) {
      crash(node, "crash-mid-step");
      return;
    }
  }
}

void Simulation::apply(Node& node, consensus::Effect& effect) {
  std::visit(
      [&](auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, consensus::PersistSafetyState>) {
          if (config_.bug == InjectedBug::kSkipPersist) return;  // the injected bug
          const core::Status s = node.ledger->persist_safety(e.state);
          BAUHINIA_ASSERT_MSG(s.is_ok(), "memory store write");
          node.persisted = e.state;
        } else if constexpr (std::is_same_v<T, consensus::PersistBlock>) {
          const core::Status s = node.ledger->persist_block(e.block);
          BAUHINIA_ASSERT_MSG(s.is_ok(), "memory store write");
        } else if constexpr (std::is_same_v<T, consensus::Send>) {
          on_outgoing_signed(node, e.message);
          std::vector<NodeId> to = instances_of(e.to);
          if (!byzantine_send(node, to, e.message)) send_consensus(node, to, e.message);
        } else if constexpr (std::is_same_v<T, consensus::Broadcast>) {
          on_outgoing_signed(node, e.message);
          std::vector<NodeId> to = others_of(node);
          if (!byzantine_send(node, to, e.message)) send_consensus(node, to, e.message);
        } else if constexpr (std::is_same_v<T, consensus::BuildProposal>) {
          on_build_proposal(node, e);
        } else if constexpr (std::is_same_v<T, consensus::ExecuteBlock>) {
          on_execute(node, e);
        } else if constexpr (std::is_same_v<T, consensus::Commit>) {
          on_commit(node, e);
        } else if constexpr (std::is_same_v<T, consensus::ScheduleTimeout>) {
          // A ScheduleTimeout replaces the node's earlier timer (as a node's asio timer).
          queue_.schedule_in(e.duration_ms,
                             NodeEvent{node.id, node.incarnation,
                                       consensus::LocalTimeout{e.epoch, e.round, 0},
                                       ++node.timer_serial});
        } else if constexpr (std::is_same_v<T, consensus::WakeAt>) {
          const std::uint64_t clock = clock_of(node);
          const std::uint64_t delay = e.time_ms > clock ? e.time_ms - clock : 0;
          post(node, delay, consensus::Wake{0});
        } else if constexpr (std::is_same_v<T, consensus::SyncLedger>) {
          on_sync_ledger(node, e);
        } else if constexpr (std::is_same_v<T, consensus::Evidence>) {
          if (node.honest()) ++result_.evidence;
          trace_.record(now(), "evidence", node.id, core::Hash256{},
                        "round " + std::to_string(e.round));
        } else if constexpr (std::is_same_v<T, consensus::MessageRejected>) {
          if (node.honest()) ++result_.rejected;
          std::string note;
          if (config_.trace != nullptr) {
            const auto from = key_index(e.from);
            note = e.why.to_string() + " (from v" +
                   (from ? std::to_string(*from) : std::string("?")) + ")";
          }
          trace_.record(now(), "rejected", node.id, core::Hash256{}, note);
        } else if constexpr (std::is_same_v<T, consensus::EpochStarted>) {
          on_epoch_started(node, e.epoch);
        } else if constexpr (std::is_same_v<T, consensus::ProposalTimestamp>) {
          if (e.refused && node.honest()) {
            if (const auto leader = key_index(e.leader)) {
              auto& counts = result_.timestamp_refusals;
              if (counts.size() <= *leader) counts.resize(*leader + 1, 0);
              ++counts[*leader];
            }
          }
        }
      },
      effect);
}

void Simulation::check_certificates(Node& node, const consensus::Message& message) {
  if (!config_.check_certificates) return;
  if (auto bad = certificates_->check(message)) {
    violation(ViolationKind::kCertificate,
              "replica " + std::to_string(node.id) + " sent a " + *bad + " that does not verify");
  }
}

void Simulation::on_outgoing_signed(Node& node, const consensus::Message& message) {
  if (!node.honest()) return;
  check_certificates(node, message);
  if (const auto* v = std::get_if<consensus::Vote>(&message)) {
    double_sign_->on_vote(node.validator, v->epoch(), v->round(), v->ledger_info.signing_hash(),
                          now());
    if (config_.check_persist_order && node.persisted.last_voted_round < v->round()) {
      violation(ViolationKind::kPersistOrder,
                "replica " + std::to_string(node.id) + " sent a vote for round " +
                    std::to_string(v->round()) + " while its persisted last voted round is " +
                    std::to_string(node.persisted.last_voted_round));
    }
  } else if (const auto* t = std::get_if<consensus::TimeoutMessage>(&message)) {
    double_sign_->on_timeout(node.validator, t->epoch, t->round, now());
    if (config_.check_persist_order && node.persisted.last_voted_round < t->round) {
      violation(ViolationKind::kPersistOrder,
                "replica " + std::to_string(node.id) + " sent a timeout for round " +
                    std::to_string(t->round) + " while its persisted last voted round is " +
                    std::to_string(node.persisted.last_voted_round));
    }
  }
}

void Simulation::send_consensus(Node& node, std::vector<NodeId> to,
                                const consensus::Message& message) {
  auto bytes = std::make_shared<const core::Bytes>(consensus::encode_message(message));
  transmit(node.id, to, Packet{bytes});
}

void Simulation::transmit(NodeId from, const std::vector<NodeId>& to, const Packet& packet) {
  for (NodeId dest : to) {
    for (std::uint64_t delay : network_->plan_delivery(from, dest, now())) {
      queue_.schedule_in(delay, Deliver{from, dest, packet});
    }
  }
}

void Simulation::deliver(const Deliver& d) {
  Node& node = nodes_.at(d.to);
  if (!node.up()) return;  // a crashed machine receives nothing
  if (!network_->link_up(d.from, d.to)) {
    network_->note_cut_on_arrival();
    return;
  }
  const consensus::Author& from = keys_[nodes_.at(d.from).validator];
  if (const auto* bytes = std::get_if<ConsensusBytes>(&d.packet)) {
    auto message = consensus::decode_message(**bytes);
    trace_.record(now(), packet_name(d.packet), d.to, digest_of(d.packet),
                  std::string(message ? consensus::message_name(*message) : "undecodable") +
                      " from " + std::to_string(d.from));
    if (!message) {
      if (node.honest()) ++result_.rejected;
      return;
    }
    if (answer_past_epoch(node, d.from, *message)) return;
    byzantine_observe(node, *message);
    step(node, consensus::MessageReceived{from, std::move(*message), clock_of(node)});
  } else if (const auto* req = std::get_if<LedgerSyncRequest>(&d.packet)) {
    trace_.record(now(), packet_name(d.packet), d.to, digest_of(d.packet),
                  "from " + std::to_string(d.from));
    on_sync_request(node, d.from, *req);
  } else {
    trace_.record(now(), packet_name(d.packet), d.to, digest_of(d.packet),
                  "from " + std::to_string(d.from));
    on_sync_response(node, d.from, *std::get<std::shared_ptr<const LedgerSyncResponse>>(d.packet));
  }
}

execution::BlockTemplate Simulation::block_template(const Node& node,
                                                    const consensus::BuildProposal& b) const {
  // As the node's build_proposal (node/src/runtime.cpp).
  execution::BlockTemplate t;
  t.epoch = b.epoch;
  t.round = b.round;
  t.timestamp_ms = std::max(clock_of(node), b.min_timestamp_ms);
  t.proposer = keys_[node.validator];
  t.max_transactions = kMaxTxPerProposal;
  t.reconfiguration_suffix = b.reconfiguration_suffix;
  return t;
}

std::optional<execution::BuiltProposal> Simulation::build_conflicting(
    Node& node, const consensus::BuildProposal& b) {
  const auto pending = node.ledger->pending_transactions(b.parent.id());
  const std::uint64_t next = node.workload->next_sequence(node.ledger->committed_state(), pending);
  const chain::IdentifiedTransaction tx = node.workload->variant(next);
  auto built = node.ledger->build(b.parent, block_template(node, b), {&tx, 1});
  if (!built || !*built) return std::nullopt;
  return std::move(*built).value();
}

void Simulation::on_build_proposal(Node& node, const consensus::BuildProposal& b) {
  consensus::ProposalBuilt built;
  built.epoch = b.epoch;
  built.round = b.round;
  // The client's next transactions after those already on the parent's branch.
  // Governance first (the department admins' proposals and approvals).
  std::vector<chain::IdentifiedTransaction> candidates;
  if (!b.reconfiguration_suffix) {
    const auto pending = node.ledger->pending_transactions(b.parent.id());
    if (!governance_plan_.empty()) candidates = governance_candidates(node, pending);
    const std::uint64_t next =
        node.workload->next_sequence(node.ledger->committed_state(), pending);
    for (auto& tx : node.workload->candidates(next, kMaxTxPerBlock)) {
      candidates.push_back(std::move(tx));
    }
  }
  auto nothing_to_propose = [&] {
    // Nothing to propose: the mempool fills up again a little later.
    post(node, 0, built);
    post(node, fault_prng_.between(50, 400), consensus::TransactionsAvailable{0});
  };
  if (candidates.empty() && !b.allow_empty) return nothing_to_propose();
  auto r = node.ledger->build(b.parent, block_template(node, b), candidates);
  if (!r) {
    violation(ViolationKind::kReplicaCrash, "replica " + std::to_string(node.id) +
                                                " cannot build a block: " + r.error().to_string());
    return;
  }
  if (!*r) {
    trace_.record(now(), "build-failed", node.id, core::Hash256{}, r->error().to_string());
    if (!b.allow_empty) post(node, 0, built);
    return;
  }
  if ((*r)->included.empty() && !b.allow_empty) return nothing_to_propose();
  if (node.behaviour == Behaviour::kStaleLeader && !b.reconfiguration_suffix) {
    prepare_stale_proposal(node, b);
  }
  if (node.behaviour == Behaviour::kEquivocator && !b.reconfiguration_suffix) {
    // A second block for the same round, executed so that it is valid.
    if (auto other = build_conflicting(node, b); other && other->header != (*r)->header) {
      node.equivocation = Node::Equivocation{b.round, other->header, std::move(other->payload)};
    }
  }
  built.header = (*r)->header;
  built.payload = std::move((*r)->payload);
  built.next_validator_set = std::move((*r)->next_validator_set);
  if (built.next_validator_set) {
    trace_.record(now(), "epoch-end-proposed", node.id, built.header->id(),
                  "next set of " + std::to_string(built.next_validator_set->validators.size()));
  }
  post(node, 0, std::move(built));
}

void Simulation::on_execute(Node& node, const consensus::ExecuteBlock& e) {
  consensus::BlockExecuted done;
  done.block_id = e.header.id();
  auto result = node.ledger->execute(e.header, e.payload, e.reconfiguration_suffix);
  if (!result) {
    violation(ViolationKind::kReplicaCrash, "replica " + std::to_string(node.id) +
                                                " cannot execute: " + result.error().to_string());
    return;
  }
  if (*result) {
    done.result = **result;
    if (done.result->ends_epoch()) {
      done.next_validator_set = node.ledger->next_validator_set(done.result->id());
    }
    if (**result != e.header && node.honest()) {
      // An honest proposer executed the same payload on the same parent.
      const auto proposer = key_index(e.header.proposer);
      if (proposer && roles_[*proposer] == Behaviour::kHonest) {
        violation(ViolationKind::kExecution,
                  "replica " + std::to_string(node.id) + " computes other roots than honest v" +
                      std::to_string(*proposer) + " for block at height " +
                      std::to_string(e.header.height));
      }
    }
  } else {
    trace_.record(now(), "execute-failed", node.id, done.block_id, result->error().to_string());
  }
  post(node, 0, std::move(done));
}

void Simulation::record_commits(Node& node, std::span<const consensus::CommittedBlock> blocks,
                                const char* kind) {
  for (const auto& b : blocks) {
    const Hash256 id = b.header.id();
    trace_.record(now(), kind, node.id, id, "height " + std::to_string(b.header.height));
    if (!node.honest()) continue;
    if (b.header.height > agreement_.highest()) {
      result_.transactions += payload_transactions(b.payload);
      note_new_height();
    }
    agreement_.on_commit(node.id, b.header.height, id, now());
    history_->on_commit(node.id, b.header.height, id, now());
  }
  check_liveness_progress();
}

void Simulation::on_commit(Node& node, const consensus::Commit& c) {
  // The host may be ahead of its core (ledger sync applied before the core
  // heard of it): blocks it committed already must be the same blocks.
  std::vector<consensus::CommittedBlock> fresh;
  const std::uint64_t committed = node.ledger->committed_height();
  for (const auto& b : c.blocks) {
    if (b.header.height > committed) {
      fresh.push_back(b);
      continue;
    }
    auto stored = node.ledger->ledger().header(b.header.height);
    BAUHINIA_ASSERT_MSG(stored.has_value(), "memory store read");
    if (*stored != b.header && node.honest()) {
      violation(ViolationKind::kHistory, "replica " + std::to_string(node.id) + " commits block " +
                                             short_id(b.header.id()) + " at height " +
                                             std::to_string(b.header.height) +
                                             " over the block it committed there before");
      return;
    }
  }
  if (!fresh.empty() && fresh.front().header.parent_hash != node.ledger->committed_id()) {
    if (node.honest()) {
      violation(ViolationKind::kHistory, "replica " + std::to_string(node.id) + " commits block " +
                                             short_id(fresh.front().header.id()) + " at height " +
                                             std::to_string(fresh.front().header.height) +
                                             " that does not extend its committed chain");
    }
    return;
  }
  if (!fresh.empty()) {
    auto v = node.ledger->commit(fresh, c.commit_cert,
                                 c.verified_certificate ? &*c.verified_certificate : nullptr);
    if (!v || !*v) {
      if (node.honest()) {
        violation(!v ? ViolationKind::kReplicaCrash : ViolationKind::kExecution,
                  "replica " + std::to_string(node.id) + " cannot commit: " +
                      (!v ? v.error().to_string() : v->rejection().to_string()));
      }
      return;
    }
  }
  record_commits(node, c.blocks, "commit");
}

void Simulation::on_sync_ledger(Node& node, const consensus::SyncLedger& s) {
  const std::uint64_t target = s.commit_cert.ledger_info().commit_height;
  if (target <= node.ledger->committed_height()) return;
  if (node.sync_target && node.sync_target->ledger_info().commit_height >= target) return;
  node.sync_target = s.commit_cert;
  const auto peers = instances_of(s.peer);
  std::optional<NodeId> peer;
  if (!peers.empty()) peer = peers[fault_prng_.below(peers.size())];
  request_ledger_sync(node, peer);
}

void Simulation::request_ledger_sync(Node& node, std::optional<NodeId> peer) {
  if (!peer || *peer == node.id) {
    std::vector<NodeId> others = others_of(node);
    peer = others[fault_prng_.below(others.size())];
  }
  ++node.sync_serial;
  LedgerSyncRequest req;
  req.after_height = node.ledger->committed_height();
  trace_.record(
      now(), "sync-request", node.id, core::Hash256{},
      "to " + std::to_string(*peer) + " after height " + std::to_string(req.after_height));
  transmit(node.id, {*peer}, Packet{req});
  queue_.schedule_in(kSyncRetryMs, SyncRetry{node.id, node.incarnation, node.sync_serial});
}

void Simulation::on_sync_request(Node& node, NodeId from, const LedgerSyncRequest& r) {
  // As the node's build_ledger_sync_response: committed blocks after the
  // requester's height, ending at one with a commit QC.
  const std::uint32_t limit = std::min(r.max_blocks, kMaxLedgerSyncBlocks);
  auto response = std::make_shared<LedgerSyncResponse>();
  std::size_t last_certified = 0;
  for (std::uint64_t h = r.after_height + 1; h <= node.ledger->committed_height(); ++h) {
    if (response->blocks.size() >= 4 * kMaxLedgerSyncBlocks) break;
    if (response->blocks.size() >= limit && last_certified > 0) break;
    auto block = node.ledger->synced_block(h);
    auto cert = node.ledger->commit_qc_at(h);
    if (!block || !cert) return;
    response->blocks.push_back(std::move(*block));
    if (*cert) {
      response->commit_qc = std::move(**cert);
      last_certified = response->blocks.size();
      // The requester checks a response against one epoch's set: the next
      // epoch's blocks go in the next response (as the node's sync server).
      if (response->blocks.back().header.ends_epoch()) break;
    }
  }
  if (last_certified == 0) return;  // nothing the requester could verify
  response->blocks.resize(last_certified);
  transmit(node.id, {from}, Packet{std::shared_ptr<const LedgerSyncResponse>(response)});
}

void Simulation::on_sync_response(Node& node, NodeId from, const LedgerSyncResponse& r) {
  if (!node.sync_target || !r.commit_qc || r.blocks.empty()) return;
  // Skip what this replica committed meanwhile.
  std::vector<consensus::CommittedBlock> blocks;
  for (const auto& b : r.blocks) {
    if (b.header.height > node.ledger->committed_height()) {
      blocks.push_back(consensus::CommittedBlock{b.header, b.payload, b.qc});
    }
  }
  if (blocks.empty()) return;
  auto refuse = [&](const std::string& why) {
    trace_.record(now(), "sync-refused", node.id, core::Hash256{}, why);
  };
  // The node's check_sync: certificates, links and payloads, before anything is executed.
  std::vector<consensus::CertifiedHeader> run;
  run.reserve(blocks.size());
  for (const auto& b : blocks) run.push_back({b.header, b.qc});
  // Against the epoch of this ledger's next block (the node's verify_sync_response).
  if (auto v = consensus::verify_committed_run(run, *r.commit_qc, node.ledger->epoch_context());
      !v) {
    return refuse(v.rejection().to_string());
  }
  if (auto v = consensus::verify_extends(node.ledger->committed_header(), run.front()); !v) {
    return refuse(v.rejection().to_string());
  }
  for (std::size_t i = 0; i + 1 < blocks.size(); ++i) {
    if (blocks[i].header.ends_epoch()) return refuse("an epoch ends before the last block");
  }
  for (const auto& b : blocks) {
    if (auto v = execution::check_payload(b.header, b.payload); !v) {
      return refuse(v.rejection().to_string());
    }
  }
  auto v = node.ledger->commit(blocks, *r.commit_qc);
  if (!v || !*v) {
    if (node.honest()) {
      violation(!v ? ViolationKind::kReplicaCrash : ViolationKind::kExecution,
                "replica " + std::to_string(node.id) + " cannot apply synced blocks: " +
                    (!v ? v.error().to_string() : v->rejection().to_string()));
    }
    return;
  }
  record_commits(node, blocks, "sync-commit");
  if (node.ledger->committed_height() >= node.sync_target->ledger_info().commit_height) {
    node.sync_target.reset();
    ++node.sync_serial;
    step(node, consensus::LedgerSynced{recovery_of(node), clock_of(node)});
  } else {
    request_ledger_sync(node, from);
  }
}

std::optional<std::size_t> Simulation::key_index(const consensus::Author& key) const {
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) return i;
  }
  return std::nullopt;
}

void Simulation::on_epoch_started(Node& node, const consensus::EpochContext& next) {
  const bool member = next.validators.index_of(keys_[node.validator]).has_value();
  trace_.record(now(), "epoch", node.id, next.epoch_root_id,
                "epoch " + std::to_string(next.epoch()) + " at height " +
                    std::to_string(next.epoch_root_height + 1) + ", " +
                    std::to_string(next.validators.validators.size()) + " validators, " +
                    (member ? "voting" : "observing"));
  if (node.honest()) register_epoch(next);
}

void Simulation::register_epoch(const consensus::EpochContext& ctx) {
  // The set is the one an honest replica's ledger recorded: honest replicas
  // agree on it (agreement), so the first one in the epoch registers it,
  // whether it started the epoch (EpochStarted) or restarted in it.
  if (ctx.epoch() <= validator_set_.epoch || epoch_round_base_.contains(ctx.epoch())) return;
  certificates_->add_epoch(ctx);
  epoch_round_base_[ctx.epoch()] = max_round_;  // rounds start again at 1
  if (ctx.epoch() > highest_epoch_) {
    highest_epoch_ = ctx.epoch();
    result_.epoch_changes = highest_epoch_ - validator_set_.epoch;
  }
}

bool Simulation::answer_past_epoch(Node& node, NodeId from, const consensus::Message& message) {
  const auto* req = std::get_if<consensus::SyncRequest>(&message);
  if (req == nullptr || req->epoch >= node.replica->epoch()) return false;
  if (auto cert = node.ledger->epoch_end_cert(req->epoch)) {
    consensus::SyncResponse resp;
    resp.epoch = req->epoch;
    resp.block_id = req->block_id;
    resp.commit_cert = std::move(cert);
    trace_.record(now(), "past-epoch-answer", node.id, core::Hash256{},
                  "epoch " + std::to_string(req->epoch) + " to " + std::to_string(from));
    send_consensus(node, {from}, consensus::Message{std::move(resp)});
  }
  return true;
}

}  // namespace bauhinia::sim::detail
