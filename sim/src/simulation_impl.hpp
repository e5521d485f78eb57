#pragma once
// Internals of run_simulation: the world (nodes, network, queue, checkers) and
// the host of each replica instance. Split over simulation.cpp (the event loop
// and faults), host.cpp (effects, execution, ledger sync) and byzantine.cpp.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "bauhinia/consensus/replica.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/execution/pipeline.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/sim/certificate_checker.hpp"
#include "bauhinia/sim/event_queue.hpp"
#include "bauhinia/sim/fault_profile.hpp"
#include "bauhinia/sim/ledger_sync.hpp"
#include "bauhinia/sim/network.hpp"
#include "bauhinia/sim/prng.hpp"
#include "bauhinia/sim/safety_checkers.hpp"
#include "bauhinia/sim/simulation.hpp"
#include "bauhinia/sim/trace.hpp"
#include "bauhinia/sim/workload.hpp"

namespace bauhinia::sim::detail {

// Logical time 0 is this Unix time in every event and header timestamp.
inline constexpr std::uint64_t kClockBaseMs = 1'767'225'600'000ULL;  // 2026-01-01T00:00Z
inline constexpr std::uint64_t kLivenessBlocks = 3;  // new blocks expected after faults stop
inline constexpr std::uint64_t kLivenessWindowMs = 120'000;
inline constexpr std::uint64_t kMaxFaultMsPerRound = 1000;  // caps the fault phase: rounds x this
inline constexpr std::uint64_t kSyncRetryMs = 1'000;
inline constexpr std::size_t kMaxTxPerBlock = 4;  // client transactions a leader proposes
inline constexpr std::size_t kDepartments = 5;    // the pilot's genesis departments
inline constexpr char kDepartmentCodes[kDepartments][6] = {"IPD", "CR", "DH", "EPD", "OGCIO"};
// Governance proposals expire 29 days after logical time 0: within the
// system module's default lifetime bounds (1 hour to 30 days) during any run.
inline constexpr std::uint64_t kProposalExpiryMs = kClockBaseMs + 29ULL * 86'400'000ULL;
inline constexpr std::size_t kMaxTxPerProposal = 16;  // with the governance transactions
inline constexpr char kChainId[] = "bauhinia-sim";
// Every client transaction expires a year after logical time 0 (after any run).
inline constexpr std::uint64_t kTransactionExpiryMs = kClockBaseMs + 365ULL * 86'400'000ULL;

using ConsensusBytes = std::shared_ptr<const core::Bytes>;
using Packet =
    std::variant<ConsensusBytes, LedgerSyncRequest, std::shared_ptr<const LedgerSyncResponse>>;

struct Deliver {
  NodeId from;
  NodeId to;
  Packet packet;
};
// An event for one incarnation of a replica (timer, wake, host answer).
struct NodeEvent {
  NodeId node;
  std::uint64_t incarnation;
  consensus::Event event;
  std::uint64_t timer = 0;  // a LocalTimeout: the arming it is of (Node::timer_serial)
};
struct Restart {
  NodeId node;
  std::uint64_t incarnation;  // the incarnation that crashed
};
struct HealPartition {
  std::uint64_t serial;
};
struct FaultTick {};
struct FaultsStop {};
struct LivenessDeadline {};
struct SyncRetry {
  NodeId node;
  std::uint64_t incarnation;
  std::uint64_t serial;
};
struct KillValidator {};  // SimConfig::kill_validator's crash
struct ByzantineSend {  // a delayed second message of an equivocation
  NodeId from;
  std::vector<NodeId> to;
  ConsensusBytes bytes;
};
using SimEvent = std::variant<Deliver, NodeEvent, Restart, HealPartition, FaultTick, FaultsStop,
                              LivenessDeadline, SyncRetry, ByzantineSend, KillValidator>;

struct Node {
  NodeId id = 0;
  std::uint32_t validator = 0;  // index into the run's keys (genesis validators, then standbys)
  Behaviour behaviour = Behaviour::kHonest;
  // The ledger's and the consensus records' disks: they survive crashes.
  std::unique_ptr<ledger::MemoryKvStore> disk;
  std::unique_ptr<ledger::MemoryKvStore> consensus_disk;
  std::unique_ptr<ReplicaLedger> ledger;      // reopened from the disks on restart
  std::optional<consensus::Replica> replica;  // nullopt while down
  std::uint64_t incarnation = 0;
  bool dead = false;  // crashed for good (SimConfig::kill_validator)
  std::uint64_t timer_serial = 0;  // the latest ScheduleTimeout (each replaces the one before)
  consensus::Round seen_round = 0;  // the last round its replica was seen in (dead-leader counts)
  std::string leader_view;          // the last --trace-leaders line (printed on change)
  std::optional<Workload> workload;
  consensus::SafetyState persisted;  // what the disk holds (persist-order checker)
  // Ledger sync in progress.
  std::optional<consensus::QuorumCert> sync_target;
  std::uint64_t sync_serial = 0;
  // Equivocation prepared for a round (Behaviour::kEquivocator).
  struct Equivocation {
    consensus::Round round = 0;
    chain::BlockHeader header;
    core::Bytes payload;
  };
  std::optional<Equivocation> equivocation;
  // Proposals seen per round (Behaviour::kDoubleVoter): round -> block ids voted.
  std::map<consensus::Round, std::set<Hash256>> double_votes;
  // Timeouts seen per round and validator index (kStaleLeader, kForkLeader), and
  // the stale-branch proposal prepared for the round it leads.
  std::map<consensus::Round, std::map<std::size_t, consensus::TimeoutMessage>> timeouts_seen;
  std::optional<consensus::Proposal> stale_proposal;
  // Behaviour::kForkLeader: QCs seen in proposals by the block they certify
  // (bounded), the fork block prepared for the round it leads next, a fork
  // waiting for a TC, the vote that replaces its core's in the fork's round,
  // and the fork's blocks (it votes for every one it sees).
  struct ForkBlock {
    consensus::Round round = 0;
    Hash256 target;                // the block the core's proposal will commit
    consensus::Proposal proposal;  // unsigned: sibling of target, on target's parent
  };
  struct ForkPlan {
    consensus::Proposal core_proposal;  // withheld until the TC of the round before
    consensus::Proposal fork;           // unsigned; gets that TC
    std::vector<NodeId> first, second;  // receivers of each
  };
  std::map<Hash256, consensus::QuorumCert> seen_qcs;
  std::deque<Hash256> seen_qc_order;
  std::optional<ForkBlock> fork_candidate;
  std::optional<ForkPlan> fork_waiting;
  consensus::Round fork_round = 0;  // its core's votes of this round are not sent
  std::optional<consensus::QuorumCert> fork_hidden_qc;  // commits the target: never sent
  std::set<Hash256> fork_blocks;
  std::deque<Hash256> fork_block_order;

  bool up() const noexcept { return replica.has_value(); }
  bool honest() const noexcept { return behaviour == Behaviour::kHonest; }
};

class Simulation {
 public:
  explicit Simulation(const SimConfig& config);
  RunResult run();

 private:
  // --- setup and loop (simulation.cpp)
  void setup();
  void make_genesis();
  void export_ledger(LedgerExport& out) const;
  void dispatch(const SimEvent& event);
  void fault_tick();
  void start_partition();
  void crash(Node& node, const char* why);
  void restart(Node& node);
  void faults_stop();
  void check_liveness_progress();
  bool finished() const;
  std::uint64_t now() const { return queue_.now_ms(); }
  std::uint64_t unix_now() const { return kClockBaseMs + queue_.now_ms(); }
  // The node's own clock: unix_now() plus its validator's configured offset.
  std::uint64_t clock_of(const Node& node) const {
    const auto& o = config_.clock_offsets_ms;
    const std::int64_t off = node.validator < o.size() ? o[node.validator] : 0;
    return static_cast<std::uint64_t>(static_cast<std::int64_t>(unix_now()) + off);
  }
  bool in_fault_phase() const { return !faults_stopped_; }
  void violation(ViolationKind kind, std::string detail);

  // --- host (host.cpp)
  void boot(Node& node);
  void step(Node& node, const consensus::Event& event);
  void apply(Node& node, consensus::Effect& effect);
  void send_consensus(Node& node, std::vector<NodeId> to, const consensus::Message& message);
  void transmit(NodeId from, const std::vector<NodeId>& to, const Packet& packet);
  void deliver(const Deliver& d);
  void on_outgoing_signed(Node& node, const consensus::Message& message);
  void on_build_proposal(Node& node, const consensus::BuildProposal& b);
  void on_execute(Node& node, const consensus::ExecuteBlock& e);
  void on_commit(Node& node, const consensus::Commit& c);
  void on_sync_ledger(Node& node, const consensus::SyncLedger& s);
  void request_ledger_sync(Node& node, std::optional<NodeId> peer);
  void on_sync_request(Node& node, NodeId from, const LedgerSyncRequest& r);
  void on_sync_response(Node& node, NodeId from, const LedgerSyncResponse& r);
  void post(Node& node, std::uint64_t delay_ms, consensus::Event event);
  std::vector<NodeId> instances_of(const consensus::Author& author) const;
  // The validator set of the node's current epoch, and the node's index in it.
  const chain::ValidatorSet& epoch_set(const Node& node) const {
    return node.replica->epoch_context().validators;
  }
  std::optional<std::size_t> member_index(const Node& node) const {
    return epoch_set(node).index_of(keys_[node.validator]);
  }
  void on_epoch_started(Node& node, const consensus::EpochContext& next);
  void register_epoch(const consensus::EpochContext& ctx);
  std::optional<std::size_t> key_index(const consensus::Author& key) const;
  // A consensus SyncRequest for an epoch before the replica's: answered from
  // the ledger (the node's answer_past_epoch); true when it was one.
  bool answer_past_epoch(Node& node, NodeId from, const consensus::Message& message);
  // Governance transactions a leader offers (governance.cpp).
  std::vector<chain::IdentifiedTransaction> governance_candidates(
      Node& node, std::span<const core::Hash256> pending);
  void plan_governance();
  std::vector<NodeId> others_of(const Node& node) const;
  consensus::RecoveryData recovery_of(const Node& node) const;
  consensus::ReplicaConfig replica_config_for(const Node& node) const;
  execution::BlockTemplate block_template(const Node& node,
                                          const consensus::BuildProposal& b) const;
  // A block for `b` that no honest leader builds (a variant of the client's
  // next transaction), executed so that it is valid; nullopt if it cannot be.
  std::optional<execution::BuiltProposal> build_conflicting(Node& node,
                                                            const consensus::BuildProposal& b);
  void record_commits(Node& node, std::span<const consensus::CommittedBlock> blocks,
                      const char* kind);
  // The dead-leader scenario: the kill, commit gaps, rounds led by the dead.
  void kill_validator();
  void note_new_height();
  void note_round(Node& node);
  void note_leaders(Node& node);  // --trace-leaders

  // --- Byzantine behaviour (byzantine.cpp)
  // Returns true when the effect was fully handled (sent in a Byzantine way).
  bool byzantine_send(Node& node, const std::vector<NodeId>& to, const consensus::Message& message);
  void byzantine_observe(Node& node, const consensus::Message& message);
  void double_vote(Node& node, const consensus::Proposal& proposal);
  void prepare_stale_proposal(Node& node, const consensus::BuildProposal& b);
  void send_forged_certificate(Node& node, const consensus::Vote& vote);
  consensus::Vote sign_vote_for(const Node& node, const consensus::Proposal& p) const;
  std::optional<consensus::TimeoutCertificate> lowest_tc(const Node& node, consensus::Epoch epoch,
                                                         consensus::Round round) const;
  consensus::TimeoutCertificate forged_tc(const Node& node, consensus::Round round,
                                          const consensus::QuorumCert& high_qc);
  bool fork_send(Node& node, const std::vector<NodeId>& to, const consensus::Message& message);
  void fork_observe(Node& node, const consensus::Message& message);
  void prepare_fork(Node& node, const consensus::Proposal& seen);
  void note_timeout(Node& node, const consensus::TimeoutMessage& t);
  void launch_fork(Node& node, const consensus::Proposal& core_proposal, consensus::Proposal fork,
                   const std::vector<NodeId>& first, const std::vector<NodeId>& second);
  void check_certificates(Node& node, const consensus::Message& message);
  void choose_roles();

  SimConfig config_;
  Prng prng_;        // scenario draws
  Prng fault_prng_;  // fault decisions during the run
  Prng byz_prng_;    // Byzantine choices
  EventQueue<SimEvent> queue_;
  std::optional<SimNetwork> network_;
  Trace trace_;
  ViolationLog log_;
  AgreementChecker agreement_;
  std::optional<HistoryChecker> history_;
  std::optional<DoubleSignChecker> double_sign_;
  FaultProfile profile_;

  consensus::ReplicaConfig replica_config_;
  std::shared_ptr<const consensus::LeaderElection> election_;
  // The chain: every module of contracts::ModuleSet, the genesis of
  // contracts::genesis_records (departments and their admins, the validators).
  contracts::ModuleSet modules_;
  ledger::GenesisSpec genesis_;
  chain::ValidatorSet validator_set_;  // the genesis set
  // Every validator key of the run: the genesis validators, then the standby
  // validators that governance may add (honest; they run from genesis as
  // observers).
  std::vector<consensus::Author> keys_;
  std::vector<core::schnorr::SecretKey> admin_keys_;  // per genesis department
  struct GovernanceStep {
    bool add = true;
    std::uint32_t validator = 0;  // index into keys_
  };
  std::vector<GovernanceStep> governance_plan_;
  // Progress in rounds across epochs: the rounds of the epochs before, by epoch.
  std::map<consensus::Epoch, std::uint64_t> epoch_round_base_;
  consensus::Epoch highest_epoch_ = 0;
  std::vector<std::array<std::uint8_t, 32>> key_seeds_;  // per key (keys_)
  std::vector<Behaviour> roles_;                         // per key (keys_)
  std::vector<Node> nodes_;

  bool faults_stopped_ = false;
  bool faults_stop_scheduled_ = false;
  std::uint64_t partition_serial_ = 0;
  std::uint64_t liveness_target_ = 0;
  bool liveness_met_ = false;
  bool deadline_passed_ = false;
  std::uint64_t max_round_ = 0;
  std::uint64_t events_ = 0;
  std::optional<CertificateChecker> certificates_;
  // The dead-leader scenario.
  bool killed_ = false;
  bool kill_scheduled_ = false;
  std::uint64_t last_new_height_ms_ = 0;
  std::set<consensus::Round> dead_rounds_;
  RunResult result_;
};

}  // namespace bauhinia::sim::detail
