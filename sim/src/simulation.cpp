#include "bauhinia/sim/simulation.hpp"

#include <algorithm>
#include <array>

#include "bauhinia/contracts/genesis.hpp"
#include "simulation_impl.hpp"

namespace bauhinia::sim {

std::string_view behaviour_name(Behaviour b) noexcept {
  switch (b) {
    case Behaviour::kHonest: return "honest";
    case Behaviour::kTwin: return "twins";
    case Behaviour::kEquivocator: return "equivocate";
    case Behaviour::kDoubleVoter: return "double-vote";
    case Behaviour::kStaleLeader: return "stale-leader";
    case Behaviour::kForger: return "forge-certs";
    case Behaviour::kForkLeader: return "fork-leader";
  }
  return "unknown";
}

namespace {
constexpr std::array<Behaviour, 6> kByzantineKinds = {
    Behaviour::kTwin,        Behaviour::kEquivocator, Behaviour::kDoubleVoter,
    Behaviour::kStaleLeader, Behaviour::kForger,      Behaviour::kForkLeader};
}  // namespace

BehaviourSet BehaviourSet::all() {
  // Every kind. The fork leader joined once the core persisted the QC behind
  // its last signature (/work/notes/sim-findings.md, finding 2); adding a kind
  // changes the roles a seed draws, so campaigns recorded before that commit
  // replay only with an explicit --behaviours list.
  BehaviourSet s;
  for (Behaviour b : kByzantineKinds) s.add(b);
  return s;
}

core::Checked<BehaviourSet> BehaviourSet::parse(std::string_view list) {
  if (list == "all") return all();
  BehaviourSet s;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    bool found = false;
    for (Behaviour b : kByzantineKinds) {
      if (behaviour_name(b) == item) {
        s.add(b);
        found = true;
      }
    }
    if (!found) {
      return core::reject(
          core::Reject::kInvalid,
          "unknown Byzantine behaviour '" + std::string(item) +
              "' (use twins, equivocate, double-vote, stale-leader, forge-certs, fork-leader "
              "or all)");
    }
  }
  if (s.empty()) return core::reject(core::Reject::kInvalid, "no Byzantine behaviour given");
  return s;
}

std::string BehaviourSet::to_string() const {
  std::string out;
  for (Behaviour b : kByzantineKinds) {
    if (!has(b)) continue;
    if (!out.empty()) out += ',';
    out += behaviour_name(b);
  }
  return out;
}

namespace {
constexpr std::array<InjectedBug, 8> kBugs = {
    InjectedBug::kNone,           InjectedBug::kSkipPersist,
    InjectedBug::kForgetLock,     InjectedBug::kSkipVoteRoundCheck,
    InjectedBug::kSkipLockCheck,  InjectedBug::kSkipPreferredRound,
    InjectedBug::kSkipSafeToVote, InjectedBug::kAcceptDuplicateSigners};
}  // namespace

std::string_view bug_name(InjectedBug b) noexcept {
  switch (b) {
    case InjectedBug::kNone: return "none";
    case InjectedBug::kSkipPersist: return "skip-persist";
    case InjectedBug::kForgetLock: return "forget-lock";
    case InjectedBug::kSkipVoteRoundCheck: return "skip-vote-round-check";
    case InjectedBug::kSkipLockCheck: return "skip-lock-check";
    case InjectedBug::kSkipPreferredRound: return "skip-preferred-round";
    case InjectedBug::kSkipSafeToVote: return "skip-safe-to-vote";
    case InjectedBug::kAcceptDuplicateSigners: return "accept-duplicate-signer";
  }
  return "unknown";
}

core::Checked<InjectedBug> parse_bug(std::string_view name) {
  std::string names;
  for (InjectedBug b : kBugs) {
    if (bug_name(b) == name) return b;
    names += (names.empty() ? "" : ", ") + std::string(bug_name(b));
  }
  return core::reject(core::Reject::kInvalid,
                      "unknown injected bug '" + std::string(name) + "' (use " + names + ")");
}

consensus::InjectedFaults core_faults(InjectedBug bug) noexcept {
  consensus::InjectedFaults f;
  switch (bug) {
    case InjectedBug::kSkipVoteRoundCheck: f.skip_vote_round_check = true; break;
    case InjectedBug::kSkipLockCheck:
      // Rule 6 backs the lock up: skipping rule 5 alone is masked (docs/simulator.md).
      f.skip_lock_check = true;
      f.skip_safe_to_vote_check = true;
      break;
    case InjectedBug::kSkipPreferredRound: f.skip_lock_check = true; break;
    case InjectedBug::kSkipSafeToVote: f.skip_safe_to_vote_check = true; break;
    case InjectedBug::kAcceptDuplicateSigners: f.accept_duplicate_signers = true; break;
    case InjectedBug::kNone:
    case InjectedBug::kSkipPersist:
    case InjectedBug::kForgetLock: break;
  }
  return f;
}

core::Verdict SimConfig::validate() const {
  using core::reject;
  using core::Reject;
  if (validators < 4 || validators > 100) {
    return reject(Reject::kOutOfRange, "--validators must be 4..100");
  }
  if (byzantine >= validators) return reject(Reject::kOutOfRange, "--byzantine must be below n");
  if (byzantine > max_faulty() && !allow_unsafe) {
    return reject(Reject::kOutOfRange,
                  "--byzantine " + std::to_string(byzantine) + " exceeds f = " +
                      std::to_string(max_faulty()) + " for n = " + std::to_string(validators) +
                      " (add --allow-unsafe to run it; a safety violation is then expected)");
  }
  if (byzantine > 0 && behaviours.empty()) {
    return reject(Reject::kInvalid, "no Byzantine behaviour enabled");
  }
  if (governance > 16) return reject(Reject::kOutOfRange, "--governance must be 0..16");
  if (rounds < 5 || rounds > 100'000)
    return reject(Reject::kOutOfRange, "--rounds must be 5..100000");
  if (max_events == 0) return reject(Reject::kOutOfRange, "event budget must be positive");
  if (!clock_offsets_ms.empty() && clock_offsets_ms.size() != validators) {
    return reject(Reject::kInvalid, "--clock-offsets needs one offset per validator");
  }
  if (kill_validator) {
    if (*kill_validator >= validators) {
      return reject(Reject::kOutOfRange, "--kill-validator must be below n");
    }
    if (byzantine > 0) return reject(Reject::kInvalid, "--kill-validator needs --byzantine 0");
    if (kill_round < 1) return reject(Reject::kOutOfRange, "--kill-round must be at least 1");
  }
  for (std::int64_t o : clock_offsets_ms) {
    if (o < -3'600'000 || o > 3'600'000) {
      return reject(Reject::kOutOfRange, "a clock offset must be within one hour");
    }
  }
  return core::Verdict::accept();
}

std::string replay_command(const SimConfig& c) {
  std::string cmd = "bauhinia-sim --validators " + std::to_string(c.validators) + " --byzantine " +
                    std::to_string(c.byzantine) + " --seeds 1 --first-seed " +
                    std::to_string(c.seed) + " --rounds " + std::to_string(c.rounds) +
                    " --faults " + c.faults.to_string();
  if (c.byzantine > 0) cmd += " --behaviours " + c.behaviours.to_string();
  if (c.allow_unsafe) cmd += " --allow-unsafe";
  if (c.bug != InjectedBug::kNone) cmd += " --bug " + std::string(bug_name(c.bug));
  if (!c.check_persist_order) cmd += " --no-persist-check";
  if (!c.check_certificates) cmd += " --no-cert-check";
  if (c.governance > 0) cmd += " --governance " + std::to_string(c.governance);
  if (!c.clock_offsets_ms.empty()) {
    cmd += " --clock-offsets ";
    for (std::size_t i = 0; i < c.clock_offsets_ms.size(); ++i) {
      cmd += (i == 0 ? "" : ",") + std::to_string(c.clock_offsets_ms[i]);
    }
  }
  if (c.max_events != SimConfig{}.max_events)
    cmd += " --max-events " + std::to_string(c.max_events);
  if (c.kill_validator) {
    cmd += " --kill-validator " + std::to_string(*c.kill_validator) + " --kill-round " +
           std::to_string(c.kill_round) + " --kill-settle-rounds " +
           std::to_string(c.kill_settle_rounds);
  }
  if (c.reputation_leaders) cmd += " --reputation-leaders";
  return cmd + " --verbose";
}

RunResult run_simulation(const SimConfig& config) {
  BAUHINIA_ASSERT_MSG(config.validate().ok(), "invalid simulation config");
  detail::Simulation sim(config);
  return sim.run();
}

namespace detail {

Simulation::Simulation(const SimConfig& config)
    : config_(config),
      prng_(config.seed),
      fault_prng_(prng_.fork(1)),
      byz_prng_(prng_.fork(2)),
      trace_(config.trace),
      agreement_(log_) {}

void Simulation::violation(ViolationKind kind, std::string detail) {
  log_.report(kind, now(), std::move(detail));
}

void Simulation::choose_roles() {
  const std::uint32_t n = config_.validators;
  roles_.assign(n, Behaviour::kHonest);
  std::vector<Behaviour> enabled;
  for (Behaviour b : kByzantineKinds) {
    if (config_.behaviours.has(b)) enabled.push_back(b);
  }
  // Pick B distinct validators, each with one enabled behaviour.
  std::vector<std::uint32_t> order(n);
  for (std::uint32_t i = 0; i < n; ++i) order[i] = i;
  for (std::uint32_t i = n - 1; i > 0; --i) std::swap(order[i], order[prng_.below(i + 1)]);
  for (std::uint32_t k = 0; k < config_.byzantine; ++k) {
    roles_[order[k]] = enabled[prng_.below(enabled.size())];
  }
}

void Simulation::make_genesis() {
  // The genesis ceremony's input, as node/genesis builds it from genesis.json:
  // the pilot departments with admin keys derived from the seed, and the
  // validator set; the modules write the initial records.
  static constexpr std::array<std::pair<const char*, const char*>, kDepartments> kNames = {{
      {"IPD", "Intellectual Property Department"},
      {"CR", "Companies Registry"},
      {"DH", "Department of Health"},
      {"EPD", "Environmental Protection Department"},
      {"OGCIO", "Office of the Government Chief Information Officer"},
  }};
  contracts::GenesisInput input;
  input.chain_id = kChainId;
  input.timestamp_ms = kClockBaseMs;
  input.validators = validator_set_;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    admin_keys_.push_back(derive_schnorr_key(config_.seed, "admin", i));
    input.departments.push_back(contracts::GenesisDepartment{kNames[i].first, kNames[i].second,
                                                             admin_keys_.back().public_key()});
  }
  auto writes = contracts::genesis_writes(modules_, input);
  BAUHINIA_ASSERT_MSG(writes.has_value(), "the simulator's genesis input is valid");
  genesis_.chain_id = kChainId;
  genesis_.validators = validator_set_;
  genesis_.timestamp_ms = kClockBaseMs;
  for (auto& [key, w] : *writes) {  // sorted by state key
    genesis_.state.push_back(ledger::StateWrite{key, std::move(w.value)});
  }
}

void Simulation::setup() {
  choose_roles();
  Prng key_prng = prng_.fork(4);
  const std::uint32_t n = config_.validators;
  // Governance adds standby validators (after the genesis ones in keys_).
  plan_governance();
  const std::size_t universe = roles_.size();
  key_seeds_.resize(universe);
  validator_set_.epoch = 1;
  for (std::size_t v = 0; v < universe; ++v) {
    for (std::size_t i = 0; i < 32; i += 8) {
      const std::uint64_t w = key_prng.next_u64();
      for (std::size_t b = 0; b < 8; ++b)
        key_seeds_[v][i + b] = static_cast<std::uint8_t>(w >> (8 * b));
    }
    keys_.push_back(core::ed25519::SecretKey::from_seed(key_seeds_[v]).public_key());
    if (v >= n) continue;
    chain::ValidatorInfo info;
    info.key = keys_.back();
    info.voting_power = 1;
    info.name = "v" + std::to_string(v);
    validator_set_.validators.push_back(info);
  }
  // Instances: one per validator, a second one for each Twin.
  for (std::uint32_t v = 0; v < n; ++v) {
    Node node;
    node.id = static_cast<NodeId>(nodes_.size());
    node.validator = v;
    node.behaviour = roles_[v];
    nodes_.push_back(std::move(node));
  }
  for (std::uint32_t v = 0; v < n; ++v) {
    if (roles_[v] != Behaviour::kTwin) continue;
    Node node;
    node.id = static_cast<NodeId>(nodes_.size());
    node.validator = v;
    node.behaviour = Behaviour::kTwin;
    nodes_.push_back(std::move(node));
  }
  for (std::uint32_t v = n; v < universe; ++v) {  // standby: observers until added
    Node node;
    node.id = static_cast<NodeId>(nodes_.size());
    node.validator = v;
    nodes_.push_back(std::move(node));
  }
  // Each instance drives one client account, with a key of its own.
  for (auto& node : nodes_) {
    node.workload.emplace(kChainId, derive_schnorr_key(config_.seed, "client", node.id),
                          prng_.fork(100 + node.id), kTransactionExpiryMs);
  }
  make_genesis();

  std::uint32_t honest = 0;
  for (Behaviour b : roles_) honest += b == Behaviour::kHonest ? 1 : 0;
  profile_ = choose_fault_profile(prng_, config_.faults, config_.rounds,
                                  config_.rounds * kMaxFaultMsPerRound, honest);
  network_.emplace(nodes_.size(), prng_.fork(3));
  network_->set_faults(profile_.network);
  history_.emplace(log_, nodes_.size());
  double_sign_.emplace(log_, universe);

  replica_config_.chain_id = kChainId;
  replica_config_.round_timeout_base_ms = 1000;
  replica_config_.round_timeout_max_ms = 8000;
  replica_config_.idle_block_interval_ms = 500;
  replica_config_.max_clock_skew_ms = 10000;
  election_ = config_.reputation_leaders ? consensus::make_reputation_election()
                                         : consensus::make_round_robin_election();

  result_.seed = config_.seed;
  std::string roles;
  for (std::uint32_t v = 0; v < n; ++v) {
    if (roles_[v] == Behaviour::kHonest) continue;
    roles += (roles.empty() ? "" : " ") + std::string("v") + std::to_string(v) + "=" +
             std::string(behaviour_name(roles_[v]));
  }
  result_.scenario = "n=" + std::to_string(n) + " byzantine[" + roles + "] " + profile_.describe();
  if (!governance_plan_.empty()) {
    result_.scenario += " governance[";
    for (std::size_t i = 0; i < governance_plan_.size(); ++i) {
      result_.scenario += std::string(i == 0 ? "" : " ") + (governance_plan_[i].add ? "+v" : "-v") +
                          std::to_string(governance_plan_[i].validator);
    }
    result_.scenario += "]";
  }

  for (auto& node : nodes_) boot(node);
  queue_.schedule_in(profile_.tick_ms, FaultTick{});
  queue_.schedule_at(profile_.faults_stop_ms, FaultsStop{});
}

RunResult Simulation::run() {
  setup();
  while (!log_.any() && !queue_.empty()) {
    if (events_ >= config_.max_events) {
      if (config_.byzantine <= config_.max_faulty()) {
        violation(ViolationKind::kLiveness, "event budget of " +
                                                std::to_string(config_.max_events) +
                                                " exhausted before the run finished");
      }
      break;
    }
    ++events_;
    auto entry = queue_.pop();
    dispatch(entry.event);
    if (finished()) break;
  }
  result_.blocks = agreement_.highest();
  result_.rounds = max_round_;
  result_.steps = trace_.steps();
  result_.time_ms = now();
  result_.votes_checked = double_sign_->votes_seen();
  result_.network = network_->stats();
  result_.trace_hash = trace_.hash();
  if (log_.any()) result_.violation = log_.all().front();
  if (config_.ledger_export != nullptr) export_ledger(*config_.ledger_export);
  return result_;
}

void Simulation::export_ledger(LedgerExport& out) const {
  out = LedgerExport{};
  out.genesis = genesis_;
  const Node* best = nullptr;
  for (const auto& n : nodes_) {
    if (!n.honest() || !n.ledger) continue;
    if (best == nullptr || n.ledger->committed_height() > best->ledger->committed_height()) {
      best = &n;
    }
  }
  if (best == nullptr) return;
  out.replica = best->id;
  const ReplicaLedger& l = *best->ledger;
  out.latest = l.committed_header();
  LedgerExport::Commit commit;
  for (std::uint64_t h = 1; h <= l.committed_height(); ++h) {
    auto block = l.synced_block(h);
    BAUHINIA_ASSERT_MSG(block.has_value(), "a committed block");
    commit.blocks.push_back({block->header, std::move(block->payload)});
    // Only the last block of each commit has a certificate of its own.
    if (auto cert = l.ledger().certificate(h)) {
      commit.certificate = std::move(*cert);
      out.commits.push_back(std::move(commit));
      commit = LedgerExport::Commit{};
    }
  }
}

bool Simulation::finished() const {
  if (deadline_passed_) return true;  // a B > f run that stalled: nothing more to learn
  if (!faults_stopped_ || max_round_ < config_.rounds) return false;
  return liveness_met_ || config_.byzantine > config_.max_faulty();
}

void Simulation::dispatch(const SimEvent& event) {
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, Deliver>) {
          deliver(e);
        } else if constexpr (std::is_same_v<T, NodeEvent>) {
          Node& node = nodes_.at(e.node);
          if (node.incarnation != e.incarnation || !node.up()) return;
          if (e.timer != 0 && e.timer != node.timer_serial) return;  // replaced since
          consensus::Event ev = e.event;
          std::visit([&](auto& x) { x.now_ms = clock_of(node); }, ev);
          trace_.record(now(), "event", node.id, core::Hash256{}, std::to_string(ev.index()));
          step(node, ev);
        } else if constexpr (std::is_same_v<T, Restart>) {
          Node& node = nodes_.at(e.node);
          if (node.incarnation == e.incarnation && !node.up() && !node.dead) restart(node);
        } else if constexpr (std::is_same_v<T, HealPartition>) {
          if (e.serial == partition_serial_ && network_->partitioned()) {
            network_->heal();
            trace_.record(now(), "heal", 0, core::Hash256{});
          }
        } else if constexpr (std::is_same_v<T, FaultTick>) {
          fault_tick();
        } else if constexpr (std::is_same_v<T, FaultsStop>) {
          faults_stop();
        } else if constexpr (std::is_same_v<T, LivenessDeadline>) {
          deadline_passed_ = true;
          if (!liveness_met_ && config_.byzantine <= config_.max_faulty()) {
            std::string detail = "no " + std::to_string(kLivenessBlocks) + " new blocks within " +
                                 std::to_string(kLivenessWindowMs) +
                                 "ms after faults stopped (target height " +
                                 std::to_string(liveness_target_) + "):";
            for (const auto& n : nodes_) {
              detail += " r" + std::to_string(n.id) + (n.honest() ? "" : "(byz)") + "@h" +
                        std::to_string(n.ledger ? n.ledger->committed_height() : 0);
              if (n.replica) {
                detail += "/round" + std::to_string(n.replica->round()) + "/qc" +
                          std::to_string(n.replica->high_qc().round()) + "/tc" +
                          (n.replica->last_tc() ? std::to_string(n.replica->last_tc()->round)
                                                : std::string("-")) +
                          "/voted" + std::to_string(n.replica->safety_state().last_voted_round);
              }
            }
            violation(ViolationKind::kLiveness, detail);
          }
        } else if constexpr (std::is_same_v<T, SyncRetry>) {
          Node& node = nodes_.at(e.node);
          if (node.up() && node.incarnation == e.incarnation && node.sync_serial == e.serial &&
              node.sync_target) {
            request_ledger_sync(node, std::nullopt);
          }
        } else if constexpr (std::is_same_v<T, ByzantineSend>) {
          transmit(e.from, e.to, e.bytes);
        } else if constexpr (std::is_same_v<T, KillValidator>) {
          kill_validator();
        }
      },
      event);
}

void Simulation::fault_tick() {
  if (faults_stopped_) return;
  if (!network_->partitioned() && fault_prng_.chance_ppm(profile_.partition_ppm)) start_partition();
  std::uint32_t down = 0;
  for (const auto& n : nodes_) down += n.up() ? 0 : 1;
  for (auto& n : nodes_) {
    if (!n.honest() || !n.up() || down >= profile_.max_down) continue;
    if (fault_prng_.chance_ppm(profile_.crash_ppm)) {
      crash(n, "crash");
      ++down;
    }
  }
  queue_.schedule_in(profile_.tick_ms, FaultTick{});
}

void Simulation::start_partition() {
  const std::size_t count = nodes_.size();
  ++partition_serial_;
  ++result_.partitions;
  bool one_way = fault_prng_.chance_ppm(profile_.asymmetric_ppm);
  std::vector<std::uint32_t> side(count);
  const bool twins = count > config_.validators;
  if (twins && fault_prng_.chance_ppm(kPpmOne * 3 / 4)) {
    one_way = false;  // the Twins method: two symmetric halves
    // The Twins split: each Byzantine key on both sides (first instances on one,
    // second instances on the other) and the honest validators shared out
    // evenly, so that with more than f Twins both sides can reach a quorum.
    std::vector<std::size_t> honest;
    for (std::size_t i = 0; i < config_.validators; ++i) {
      if (nodes_[i].honest()) {
        honest.push_back(i);
      } else {
        side[i] = 0;
      }
    }
    for (std::size_t i = config_.validators; i < count; ++i) side[i] = 1;
    for (std::size_t i = honest.size(); i > 1; --i) {
      std::swap(honest[i - 1], honest[fault_prng_.below(i)]);
    }
    for (std::size_t k = 0; k < honest.size(); ++k) side[honest[k]] = k % 2 == 0 ? 0 : 1;
  } else {
    for (auto& s : side) s = static_cast<std::uint32_t>(fault_prng_.below(2));
    if (std::all_of(side.begin(), side.end(), [&](auto s) { return s == side[0]; })) {
      const std::size_t flip = fault_prng_.below(count);
      side[flip] = 1 - side[flip];
    }
  }
  std::string desc;
  if (one_way) {
    std::vector<bool> from(count);
    for (std::size_t i = 0; i < count; ++i) from[i] = side[i] == 1;
    network_->cut_one_way(from);
    desc = "one-way";
  } else {
    network_->partition(side);
    desc = "split";
  }
  for (std::size_t i = 0; i < count; ++i)
    desc += " " + std::to_string(i) + ":" + std::to_string(side[i]);
  const std::uint64_t duration =
      fault_prng_.between(profile_.partition_min_ms, profile_.partition_max_ms);
  trace_.record(now(), "partition", partition_serial_, core::Hash256{},
                desc + " for " + std::to_string(duration) + "ms");
  queue_.schedule_in(duration, HealPartition{partition_serial_});
}

void Simulation::crash(Node& node, const char* why) {
  trace_.record(now(), why, node.id, core::Hash256{});
  node.replica.reset();
  node.ledger.reset();
  node.sync_target.reset();
  node.equivocation.reset();
  node.stale_proposal.reset();
  node.timeouts_seen.clear();
  node.double_votes.clear();
  ++node.incarnation;
  ++result_.crashes;
  const std::uint64_t down = fault_prng_.between(profile_.down_min_ms, profile_.down_max_ms);
  queue_.schedule_in(down, Restart{node.id, node.incarnation});
}

void Simulation::faults_stop() {
  if (faults_stopped_) return;
  faults_stopped_ = true;
  network_->heal();
  network_->set_faults(calm_network());
  liveness_target_ = agreement_.highest() + kLivenessBlocks;
  trace_.record(now(), "faults-stop", 0, core::Hash256{},
                "liveness target height " + std::to_string(liveness_target_));
  for (auto& n : nodes_) {
    if (!n.up() && !n.dead) queue_.schedule_in(0, Restart{n.id, n.incarnation});
  }
  queue_.schedule_in(kLivenessWindowMs, LivenessDeadline{});
  check_liveness_progress();
}

void Simulation::check_liveness_progress() {
  if (!faults_stopped_ || liveness_met_) return;
  for (const auto& n : nodes_) {
    if (!n.honest() || n.dead) continue;
    if (!n.ledger || n.ledger->committed_height() < liveness_target_) return;
  }
  liveness_met_ = true;
  trace_.record(now(), "liveness-met", 0, core::Hash256{});
}

void Simulation::kill_validator() {
  if (killed_) return;
  killed_ = true;
  for (auto& n : nodes_) {
    if (n.validator != *config_.kill_validator || !n.up()) continue;
    crash(n, "kill");
    n.dead = true;  // its Restart (scheduled by crash) finds it dead
  }
}

void Simulation::note_new_height() {
  const std::uint64_t gap = now() - last_new_height_ms_;
  last_new_height_ms_ = now();
  if (!killed_) {
    result_.max_commit_gap_before_ms = std::max(result_.max_commit_gap_before_ms, gap);
    return;
  }
  result_.max_commit_gap_after_ms = std::max(result_.max_commit_gap_after_ms, gap);
  if (max_round_ >= config_.kill_round + config_.kill_settle_rounds) {
    result_.max_commit_gap_settled_ms = std::max(result_.max_commit_gap_settled_ms, gap);
  }
}

void Simulation::note_round(Node& node) {
  const consensus::Round r = node.replica->round();
  if (r == node.seen_round) return;
  node.seen_round = r;
  // Governance runs renumber rounds in each epoch: counted in the genesis epoch.
  if (!killed_ || node.replica->epoch() != validator_set_.epoch) return;
  if (node.replica->leader_of(r) != keys_[*config_.kill_validator]) return;
  if (!dead_rounds_.insert(r).second) return;
  ++result_.dead_leader_rounds;
  if (r >= config_.kill_round + config_.kill_settle_rounds) ++result_.dead_leader_rounds_settled;
}

}  // namespace detail
}  // namespace bauhinia::sim
