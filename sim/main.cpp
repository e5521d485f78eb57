// bauhinia-sim: runs the deterministic cluster simulator over many seeds.
//   bauhinia-sim --validators 4 --byzantine 1 --seeds 100 [--first-seed 1] [--rounds 60]
// Exit status 0 when every seed passed all checkers, 1 on any violation, 2 on
// bad arguments. A failure prints the command that replays it exactly.

#include <CLI/CLI.hpp>

#include <unistd.h>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>

#include "bauhinia/sim/campaign.hpp"
#include "bauhinia/sim/simulation.hpp"

namespace {

// If the core asserts (abort), say which run it was. Written before each run
// (single-threaded runs only) and printed from the signal handler.
char g_current_run[512] = {0};

void on_abort(int) {
  const char prefix[] = "\nbauhinia-sim: aborted during run; replay with:\n  ";
  (void)!write(2, prefix, sizeof prefix - 1);
  (void)!write(2, g_current_run, std::strlen(g_current_run));
  (void)!write(2, "\n", 1);
  std::signal(SIGABRT, SIG_DFL);
  std::raise(SIGABRT);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bauhinia::sim;
  CLI::App app{"bauhinia-sim: deterministic cluster simulator of Bauhinia Ledger's consensus"};
  SimConfig config;
  std::uint64_t seeds = 1;
  std::uint64_t first_seed = 1;
  std::string faults = "all";
  std::string behaviours = "all";
  std::string bug = "none";
  bool verbose = false;
  bool quiet = false;
  bool keep_going = false;
  bool no_persist_check = false;
  bool no_cert_check = false;
  unsigned jobs = 1;
  app.add_option("--validators,-n", config.validators, "number of validators (4..100)")
      ->capture_default_str();
  app.add_option("--byzantine,-b", config.byzantine, "Byzantine validators (at most f)")
      ->capture_default_str();
  app.add_option("--seeds,-s", seeds, "how many seeds to run")->capture_default_str();
  app.add_option("--first-seed", first_seed, "the first seed")->capture_default_str();
  app.add_option("--rounds,-r", config.rounds, "run each seed until this round (5..100000)")
      ->capture_default_str();
  app.add_option("--faults", faults,
                 "fault kinds: loss,dup,delay,reorder,partition,asymmetric,crash | all | none")
      ->capture_default_str();
  app.add_option("--behaviours", behaviours,
                 "Byzantine behaviours drawn per seed: twins,equivocate,double-vote,stale-leader,"
                 "forge-certs,fork-leader | all")
      ->capture_default_str();
  app.add_option("--governance", config.governance,
                 "validator-set changes by governance per seed (0..16): department admins "
                 "propose and approve adding a standby validator, then removing one, ...; "
                 "each that passes ends an epoch")
      ->capture_default_str();
  app.add_flag("--allow-unsafe", config.allow_unsafe,
               "allow more than f Byzantine validators (a safety violation is expected)");
  app.add_option("--bug", bug,
                 "inject a bug to test the checkers: skip-persist | forget-lock (host) | "
                 "skip-vote-round-check | skip-lock-check | skip-preferred-round | "
                 "skip-safe-to-vote | accept-duplicate-signer (core, honest replicas)")
      ->capture_default_str();
  app.add_flag("--no-persist-check", no_persist_check,
               "disable the persist-before-send checker (to show the others catch --bug)");
  app.add_flag("--no-cert-check", no_cert_check,
               "disable the relayed-certificate checker (to show the others catch --bug)");
  app.add_option("--max-events", config.max_events, "event budget per seed")->capture_default_str();
  app.add_option("--clock-offsets", config.clock_offsets_ms,
                 "clock offset of each validator in ms, comma-separated (e.g. 0,0,0,30000)")
      ->delimiter(',');
  std::optional<std::uint32_t> kill_validator;
  app.add_option("--kill-validator", kill_validator,
                 "crash this validator (index) for good once round --kill-round is reached "
                 "(the dead-leader scenario; prints commit gaps and rounds it led)");
  app.add_option("--kill-round", config.kill_round, "round of the --kill-validator crash")
      ->capture_default_str();
  app.add_option("--kill-settle-rounds", config.kill_settle_rounds,
                 "rounds after the kill from which leader reputation must have dropped it")
      ->capture_default_str();
  app.add_flag("--reputation-leaders", config.reputation_leaders,
               "elect leaders by reputation (ADR 0008) instead of round-robin");
  app.add_option("--jobs,-j", jobs, "runs in parallel (threads)")->capture_default_str();
  app.add_flag("--keep-going", keep_going, "continue after the first violation");
  app.add_flag("--verbose,-v", verbose, "print every step of the trace (use with one seed)");
  app.add_flag("--trace-leaders", config.trace_leaders,
               "with --verbose: print each replica's round, high QC, committed root and the "
               "leaders it names whenever they change (leader-election debugging)");
  app.add_flag("--quiet,-q", quiet, "print only violations and the total");
  CLI11_PARSE(app, argc, argv);
  config.kill_validator = kill_validator;

  auto fault_set = FaultSet::parse(faults);
  auto behaviour_set = BehaviourSet::parse(behaviours);
  auto bug_kind = parse_bug(bug);
  for (const auto* err :
       {fault_set ? nullptr : &fault_set.error(), behaviour_set ? nullptr : &behaviour_set.error(),
        bug_kind ? nullptr : &bug_kind.error()}) {
    if (err != nullptr) {
      std::cerr << "bauhinia-sim: " << err->detail << "\n";
      return 2;
    }
  }
  config.faults = *fault_set;
  config.behaviours = *behaviour_set;
  config.bug = *bug_kind;
  config.check_persist_order = !no_persist_check;
  config.check_certificates = !no_cert_check;
  if (verbose) config.trace = &std::cout;
  if (auto v = config.validate(); !v) {
    std::cerr << "bauhinia-sim: " << v.rejection().detail << "\n";
    return 2;
  }
  if (seeds == 0 || seeds > 100'000'000) {
    std::cerr << "bauhinia-sim: --seeds must be 1..100000000\n";
    return 2;
  }
  if (jobs == 0 || jobs > 64) {
    std::cerr << "bauhinia-sim: --jobs must be 1..64\n";
    return 2;
  }
  if (verbose) jobs = 1;
  if (jobs == 1) std::signal(SIGABRT, on_abort);

  const auto start = std::chrono::steady_clock::now();
  std::uint64_t next_seed = first_seed;
  auto note_next = [&](std::uint64_t seed) {
    SimConfig c = config;
    c.seed = seed;
    std::snprintf(g_current_run, sizeof g_current_run, "%s", replay_command(c).c_str());
  };
  note_next(next_seed);
  const CampaignSummary sum = run_campaign(
      config, first_seed, seeds, jobs, !keep_going, [&](const SimConfig& c, const RunResult& r) {
        if (!quiet || !r.ok()) {
          std::cout << summary_line(r) << "\n";
          if (verbose || !r.ok()) std::cout << "  scenario: " << r.scenario << "\n";
        }
        if (!r.ok()) std::cout << "  replay: " << replay_command(c) << "\n";
        std::cout.flush();
        note_next(r.seed + 1);
      });
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "total: " << sum.seeds << " seeds (n=" << config.validators
            << ", byzantine=" << config.byzantine << "), " << sum.blocks << " blocks, "
            << sum.transactions << " txs, " << sum.crashes << " crashes, " << sum.partitions
            << " partitions, " << sum.failed << " violations";
  if (config.governance > 0) {
    std::cout << ", " << sum.epoch_changes << " epoch changes in " << sum.seeds_with_epoch_changes
              << " seeds";
  }
  if (sum.failed > 0) std::cout << " (first at seed " << sum.first_failed_seed << ")";
  std::cout << ", " << wall_s << " s wall\n";
  return sum.failed == 0 ? 0 : 1;
}
