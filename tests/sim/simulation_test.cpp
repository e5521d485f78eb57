// The simulator itself: exact replay, configuration checks, a calm cluster.
#include "bauhinia/sim/simulation.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "bauhinia/sim/campaign.hpp"

namespace bauhinia::sim {
namespace {

SimConfig faulty(std::uint64_t seed) {
  SimConfig c;
  c.seed = seed;
  c.validators = 4;
  c.byzantine = 1;
  c.rounds = 20;
  return c;
}

TEST(Simulation, SameSeedSameTraceOtherSeedOtherTrace) {
  const RunResult a = run_simulation(faulty(11));
  const RunResult b = run_simulation(faulty(11));
  const RunResult c = run_simulation(faulty(12));
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.blocks, b.blocks);
  EXPECT_EQ(a.time_ms, b.time_ms);
  EXPECT_EQ(a.scenario, b.scenario);
  EXPECT_GT(a.steps, 100u);
  EXPECT_NE(a.trace_hash, c.trace_hash);
}

TEST(Simulation, PrintingTheTraceDoesNotChangeIt) {
  std::ostringstream out;
  SimConfig c = faulty(13);
  const RunResult quiet = run_simulation(c);
  c.trace = &out;
  const RunResult verbose = run_simulation(c);
  EXPECT_EQ(quiet.trace_hash, verbose.trace_hash);
  const std::string text = out.str();
  EXPECT_NE(text.find(" recv node="), std::string::npos);
  EXPECT_NE(text.find(" commit node="), std::string::npos);
}

TEST(Simulation, ResultsDoNotDependOnTheNumberOfThreads) {
  std::vector<core::Hash256> one, two;
  SimConfig base = faulty(0);
  base.rounds = 10;
  (void)run_campaign(base, 21, 4, 1, false,
                     [&](const SimConfig&, const RunResult& r) { one.push_back(r.trace_hash); });
  (void)run_campaign(base, 21, 4, 2, false,
                     [&](const SimConfig&, const RunResult& r) { two.push_back(r.trace_hash); });
  EXPECT_EQ(one.size(), 4u);
  EXPECT_EQ(one, two);
}

TEST(Simulation, CalmClusterCommitsEveryRound) {
  SimConfig c;
  c.seed = 5;
  c.validators = 4;
  c.faults = FaultSet::none();
  c.rounds = 30;
  const RunResult r = run_simulation(c);
  ASSERT_TRUE(r.ok()) << r.violation->to_string();
  EXPECT_GE(r.rounds, 30u);
  EXPECT_GE(r.blocks, 25u);  // two-chain commit: every round commits one block
  EXPECT_GT(r.transactions, 0u);
  EXPECT_EQ(r.crashes, 0u);
  EXPECT_EQ(r.network.lost, 0u);
}

TEST(SimConfig, RefusesUnsafeOrImpossibleSettings) {
  SimConfig c;
  c.validators = 4;
  c.byzantine = 2;
  EXPECT_FALSE(c.validate().ok());  // 2 > f = 1
  c.allow_unsafe = true;
  EXPECT_TRUE(c.validate().ok());
  c.validators = 3;
  EXPECT_FALSE(c.validate().ok());
  c.validators = 7;
  c.byzantine = 2;
  c.allow_unsafe = false;
  EXPECT_TRUE(c.validate().ok());
  c.rounds = 1;
  EXPECT_FALSE(c.validate().ok());
}

TEST(SimConfig, ReplayCommandNamesEverythingThatShapesTheRun) {
  SimConfig c;
  c.seed = 77;
  c.validators = 7;
  c.byzantine = 3;
  c.allow_unsafe = true;
  c.rounds = 40;
  c.faults = *FaultSet::parse("loss,crash");
  c.behaviours = *BehaviourSet::parse("twins");
  c.bug = InjectedBug::kSkipPersist;
  c.check_persist_order = false;
  EXPECT_EQ(replay_command(c),
            "bauhinia-sim --validators 7 --byzantine 3 --seeds 1 --first-seed 77 --rounds 40 "
            "--faults loss,crash --behaviours twins --allow-unsafe --bug skip-persist "
            "--no-persist-check --verbose");
  c.bug = InjectedBug::kAcceptDuplicateSigners;
  c.check_persist_order = true;
  c.check_certificates = false;
  c.behaviours = *BehaviourSet::parse("fork-leader");
  EXPECT_EQ(replay_command(c),
            "bauhinia-sim --validators 7 --byzantine 3 --seeds 1 --first-seed 77 --rounds 40 "
            "--faults loss,crash --behaviours fork-leader --allow-unsafe "
            "--bug accept-duplicate-signer --no-cert-check --verbose");
  c.governance = 4;
  c.bug = InjectedBug::kNone;
  c.check_certificates = true;
  EXPECT_EQ(replay_command(c),
            "bauhinia-sim --validators 7 --byzantine 3 --seeds 1 --first-seed 77 --rounds 40 "
            "--faults loss,crash --behaviours fork-leader --allow-unsafe --governance 4 "
            "--verbose");
  c.governance = 17;
  EXPECT_FALSE(c.validate().ok());
}

TEST(InjectedBug, NamesRoundTripAndCoreBugsSwitchTheirFaults) {
  for (InjectedBug b : {InjectedBug::kNone, InjectedBug::kSkipPersist, InjectedBug::kForgetLock,
                        InjectedBug::kSkipVoteRoundCheck, InjectedBug::kSkipLockCheck,
                        InjectedBug::kSkipPreferredRound, InjectedBug::kSkipSafeToVote,
                        InjectedBug::kAcceptDuplicateSigners}) {
    auto parsed = parse_bug(bug_name(b));
    ASSERT_TRUE(parsed.has_value()) << bug_name(b);
    EXPECT_EQ(*parsed, b);
  }
  // Host-side bugs leave the core alone.
  for (InjectedBug b : {InjectedBug::kNone, InjectedBug::kSkipPersist, InjectedBug::kForgetLock}) {
    EXPECT_FALSE(core_faults(b).any()) << bug_name(b);
  }
  EXPECT_TRUE(core_faults(InjectedBug::kSkipVoteRoundCheck).skip_vote_round_check);
  const consensus::InjectedFaults lock = core_faults(InjectedBug::kSkipLockCheck);
  EXPECT_TRUE(lock.skip_lock_check && lock.skip_safe_to_vote_check);  // the minimal pair
  EXPECT_FALSE(lock.skip_vote_round_check || lock.accept_duplicate_signers);
  const consensus::InjectedFaults rule5 = core_faults(InjectedBug::kSkipPreferredRound);
  EXPECT_TRUE(rule5.skip_lock_check && !rule5.skip_safe_to_vote_check);
  const consensus::InjectedFaults rule6 = core_faults(InjectedBug::kSkipSafeToVote);
  EXPECT_TRUE(rule6.skip_safe_to_vote_check && !rule6.skip_lock_check);
  EXPECT_TRUE(core_faults(InjectedBug::kAcceptDuplicateSigners).accept_duplicate_signers);
}

TEST(BehaviourSet, AllIsTheDefaultMixOfEveryKind) {
  EXPECT_EQ(BehaviourSet::all().to_string(),
            "twins,equivocate,double-vote,stale-leader,forge-certs,fork-leader");
  auto fork = BehaviourSet::parse("fork-leader,twins");
  ASSERT_TRUE(fork.has_value());
  EXPECT_TRUE(fork->has(Behaviour::kForkLeader));
  EXPECT_EQ(fork->to_string(), "twins,fork-leader");
}

TEST(FaultSet, ParsesListsAndRefusesUnknownKinds) {
  auto all = FaultSet::parse("all");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->to_string(), "loss,dup,delay,reorder,partition,asymmetric,crash");
  auto some = FaultSet::parse("crash,loss");
  ASSERT_TRUE(some.has_value());
  EXPECT_TRUE(some->has(FaultKind::kCrash));
  EXPECT_FALSE(some->has(FaultKind::kPartition));
  EXPECT_EQ(FaultSet::parse("none")->to_string(), "none");
  EXPECT_FALSE(FaultSet::parse("loss,fire").has_value());
  EXPECT_FALSE(BehaviourSet::parse("lying").has_value());
  EXPECT_FALSE(parse_bug("nope").has_value());
}

}  // namespace
}  // namespace bauhinia::sim
