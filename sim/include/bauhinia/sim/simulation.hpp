#pragma once
// One simulated run: n real replicas (the node's consensus core, Ed25519
// signatures, execution pipeline with every contract module, and ledger) on a
// simulated network with a logical clock, faults and Byzantine validators,
// all derived from one seed, checked on every step. docs/simulator.md
// describes the model.

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/consensus/injected_faults.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/execution/pipeline.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/sim/fault_profile.hpp"
#include "bauhinia/sim/network.hpp"
#include "bauhinia/sim/violation.hpp"

namespace bauhinia::sim {

// What a Byzantine validator does (chosen per seed among the enabled kinds).
enum class Behaviour : std::uint8_t {
  kHonest,
  kTwin,         // two instances share the validator's key, run honest code each
  kEquivocator,  // as leader, signs two different proposals for one round
  kDoubleVoter,  // signs a second vote for another block in every round it votes
  kStaleLeader,  // as leader after a timeout, proposes on the oldest branch a TC allows
  kForger,       // sends certificates that count one signer several times
  kForkLeader,   // as leader, commits a block for some replicas and forks below it for the others
};
std::string_view behaviour_name(Behaviour b) noexcept;

// Which Byzantine behaviours a run may draw from.
class BehaviourSet {
 public:
  // The default mix: every kind.
  static BehaviourSet all();
  // "twins,equivocate,double-vote,stale-leader,forge-certs,fork-leader" or "all".
  static core::Checked<BehaviourSet> parse(std::string_view list);
  bool has(Behaviour b) const noexcept { return (bits_ >> static_cast<unsigned>(b)) & 1U; }
  void add(Behaviour b) noexcept { bits_ |= 1U << static_cast<unsigned>(b); }
  bool empty() const noexcept { return bits_ == 0; }
  std::string to_string() const;

 private:
  std::uint32_t bits_ = 0;
};

// Deliberate bugs, to prove the checkers catch them (tests/sim). Never part of
// a normal run. The first two are injected by the host around the core; the
// others switch on consensus::InjectedFaults inside the core of every honest
// replica (docs/simulator.md, "Injected bugs").
enum class InjectedBug : std::uint8_t {
  kNone,
  kSkipPersist,         // drop PersistSafetyState: the voted round is not persisted across a crash
  kForgetLock,          // restart with preferred/one-chain rounds forged to 0 and no kept blocks
  kSkipVoteRoundCheck,  // core: safety rule 4 (round > last voted round) off
  kSkipLockCheck,       // core: safety rules 5 (preferred round) and 6 (safe_to_vote) off
  kSkipPreferredRound,  // core: safety rule 5 alone off (masked by rule 6: never caught)
  kSkipSafeToVote,      // core: safety rule 6 alone off
  kAcceptDuplicateSigners,  // core: QC/TC verification counts one signer in several slots
};
std::string_view bug_name(InjectedBug b) noexcept;
core::Checked<InjectedBug> parse_bug(std::string_view name);
// The switches inside the core that `bug` turns on (none for host-side bugs).
consensus::InjectedFaults core_faults(InjectedBug bug) noexcept;

// The committed ledger of one honest replica at the end of a run, as its
// commits went in (tests replay it through a Pipeline of their own).
struct LedgerExport {
  struct Commit {
    std::vector<execution::BlockToCommit> blocks;
    chain::QuorumCertificate certificate;  // commits the last block
  };
  ledger::GenesisSpec genesis;
  std::uint32_t replica = 0;  // the honest replica with the highest committed height
  std::vector<Commit> commits;
  chain::BlockHeader latest;  // its latest committed header
};

struct SimConfig {
  std::uint64_t seed = 1;
  std::uint32_t validators = 4;
  std::uint32_t byzantine = 0;  // at most f unless allow_unsafe
  std::uint64_t rounds = 60;    // run until honest replicas reach this round
  FaultSet faults = FaultSet::all();
  BehaviourSet behaviours = BehaviourSet::all();
  bool allow_unsafe = false;  // B > f: a safety violation is expected
  InjectedBug bug = InjectedBug::kNone;
  // Validator-set changes by governance (0: none): department admins propose
  // and approve adding a standby validator or removing one, alternately; each
  // that passes ends an epoch (docs/simulator.md, "Governance and epoch changes").
  std::uint32_t governance = 0;
  bool check_persist_order = true;  // the host-contract checker (off: prove the others)
  bool check_certificates = true;   // the relayed-certificate checker (off: prove the others)
  std::ostream* trace = nullptr;    // --verbose: one line per step
  // --trace-leaders: with `trace`, one line whenever a replica's view of the
  // election changes (round, high QC, committed root, the leaders it names
  // for its round and the next). Printed only; not part of the trace hash.
  bool trace_leaders = false;
  LedgerExport* ledger_export = nullptr;  // filled at the end of the run (tests)
  std::uint64_t max_events = 5'000'000;
  // Clock offset of each validator (by index; empty: all exact), in ms: its
  // replica's now_ms and its blocks' timestamps run this far ahead (negative:
  // behind) of the run's logical clock (docs/consensus.md, "Block timestamps").
  // A validator at +max_clock_skew_ms (10 s) stamps its blocks at the limit the
  // others accept, like a Byzantine leader would.
  std::vector<std::int64_t> clock_offsets_ms;
  // The dead-leader scenario (issue 14 item 6): this validator (an index;
  // honest runs only) crashes for good once an honest replica reaches round
  // kill_round. It is never restarted and liveness does not wait for it.
  std::optional<std::uint32_t> kill_validator;
  std::uint64_t kill_round = 20;
  // Rounds after kill_round by which leader reputation no longer elects it
  // (RunResult::dead_leader_rounds_settled and max_commit_gap_settled_ms count from there).
  std::uint64_t kill_settle_rounds = 30;
  // Leaders by reputation (ADR 0008; the node's default) instead of round-robin
  // (the simulator's default: its campaigns and recorded traces use it).
  bool reputation_leaders = false;

  // f for this n (n = 3f + 1 rounded down: f = (n - 1) / 3).
  std::uint32_t max_faulty() const noexcept { return (validators - 1) / 3; }
  core::Verdict validate() const;
};

struct RunResult {
  std::uint64_t seed = 0;
  std::optional<Violation> violation;
  std::uint64_t blocks = 0;        // highest height committed by an honest replica
  std::uint64_t transactions = 0;  // in those blocks (as seen by the agreement checker)
  std::uint64_t rounds = 0;        // highest round reached by an honest replica
  std::uint64_t steps = 0;         // trace steps
  std::uint64_t time_ms = 0;       // logical time at the end
  std::uint64_t crashes = 0;
  std::uint64_t partitions = 0;
  std::uint64_t votes_checked = 0;
  std::uint64_t evidence = 0;       // equivocation evidence emitted by honest replicas
  std::uint64_t rejected = 0;       // messages honest replicas refused
  std::uint64_t forged = 0;         // forged certificates sent by Byzantine validators
  std::uint64_t epoch_changes = 0;  // epochs started by governance (seen by an honest replica)
  // Proposals honest replicas refused for a timestamp too far ahead of their
  // clock, by the proposing validator's index.
  std::vector<std::uint64_t> timestamp_refusals;
  NetworkStats network;
  core::Hash256 trace_hash;
  std::string scenario;  // the Byzantine roles and fault profile drawn
  // Logical ms between consecutive new heights committed by honest replicas:
  // the longest before the kill, after it, and from kill_round +
  // kill_settle_rounds on (kill_validator runs; the whole run otherwise in _before).
  std::uint64_t max_commit_gap_before_ms = 0;
  std::uint64_t max_commit_gap_after_ms = 0;
  std::uint64_t max_commit_gap_settled_ms = 0;
  // Rounds a live honest replica entered whose leader is the killed validator:
  // after the kill, and from kill_round + kill_settle_rounds on.
  std::uint64_t dead_leader_rounds = 0;
  std::uint64_t dead_leader_rounds_settled = 0;

  bool ok() const noexcept { return !violation.has_value(); }
};

RunResult run_simulation(const SimConfig& config);

// The command line that replays `config` exactly (one seed).
std::string replay_command(const SimConfig& config);

}  // namespace bauhinia::sim
