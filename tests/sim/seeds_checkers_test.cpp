// Proof that the checkers work: runs that must fail do fail, within a seed
// budget, and a failure replays exactly from its seed.
#include <gtest/gtest.h>

#include <optional>

#include "bauhinia/sim/campaign.hpp"
#include "bauhinia/sim/simulation.hpp"

namespace bauhinia::sim {
namespace {

// Runs seeds first..first+budget-1 until one fails; returns that run.
std::optional<RunResult> first_failure(const SimConfig& base, std::uint64_t first,
                                       std::uint64_t budget) {
  std::optional<RunResult> failed;
  (void)run_campaign(base, first, budget, 2, true, [&](const SimConfig& c, const RunResult& r) {
    if (!r.ok() && !failed) {
      failed = r;
      std::cout << summary_line(r) << "\n  replay: " << replay_command(c) << "\n";
    }
  });
  return failed;
}

// Two honest replicas disagree: either directly (agreement) or one of them
// is made to commit over its own history (it saw the other side's chain).
bool safety_kind(ViolationKind k) {
  return k == ViolationKind::kAgreement || k == ViolationKind::kHistory;
}

SimConfig twins(std::uint32_t n, std::uint32_t byzantine) {
  SimConfig c;
  c.validators = n;
  c.byzantine = byzantine;
  c.allow_unsafe = true;
  c.behaviours = *BehaviourSet::parse("twins");
  // Partitions are the Twins method; loss and crashes only slow both halves down.
  c.faults = *FaultSet::parse("partition,delay,reorder,dup");
  c.rounds = 60;
  return c;
}

TEST(CheckersCatch, TwinsBeyondFBreakAgreementN4) {
  const auto r = first_failure(twins(4, 2), 1, 60);
  ASSERT_TRUE(r.has_value()) << "f+1 Twins never broke agreement in 60 seeds";
  EXPECT_TRUE(safety_kind(r->violation->kind)) << r->violation->to_string();
}

TEST(CheckersCatch, TwinsBeyondFBreakAgreementN7) {
  const auto r = first_failure(twins(7, 3), 1, 60);
  ASSERT_TRUE(r.has_value()) << "f+1 Twins never broke agreement in 60 seeds";
  EXPECT_TRUE(safety_kind(r->violation->kind)) << r->violation->to_string();
}

TEST(CheckersCatch, AFailureReplaysExactlyFromItsSeed) {
  const auto r = first_failure(twins(4, 2), 1, 60);
  ASSERT_TRUE(r.has_value());
  SimConfig c = twins(4, 2);
  c.seed = r->seed;
  const RunResult again = run_simulation(c);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.violation->to_string(), r->violation->to_string());
  EXPECT_EQ(again.trace_hash, r->trace_hash);
  EXPECT_EQ(again.steps, r->steps);
}

// Injected bug: PersistSafetyState dropped. The host-contract checker sees
// the first vote leave unpersisted.
TEST(CheckersCatch, UnpersistedVoteByThePersistOrderChecker) {
  SimConfig c;
  c.byzantine = 0;
  c.bug = InjectedBug::kSkipPersist;
  const auto r = first_failure(c, 1, 5);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->violation->kind, ViolationKind::kPersistOrder) << r->violation->to_string();
}

// The same bug with that checker off: after a crash the replica has forgotten
// its vote and signs a second one in the same round, which the double-sign
// checker catches.
TEST(CheckersCatch, UnpersistedVoteAcrossACrashByTheDoubleSignChecker) {
  SimConfig c;
  c.byzantine = 0;
  c.bug = InjectedBug::kSkipPersist;
  c.check_persist_order = false;
  c.faults = *FaultSet::parse("crash,loss,delay");
  const auto r = first_failure(c, 1, 40);
  ASSERT_TRUE(r.has_value()) << "a replica that forgets its votes was never caught in 40 seeds";
  EXPECT_TRUE(r->violation->kind == ViolationKind::kDoubleSign ||
              r->violation->kind == ViolationKind::kAgreement)
      << r->violation->to_string();
  EXPECT_GT(r->crashes, 0u);
}

// Byzantine validators send QCs that count one signer several times (inside
// signed timeouts): every honest replica refuses them, and the certificate
// checker (certificate_checker_test.cpp shows it catches such a QC) sees no
// honest replica relay one.
TEST(CheckersCatch, ForgedCertificatesAreRefusedByHonestReplicas) {
  SimConfig c;
  c.validators = 4;
  c.byzantine = 1;
  c.behaviours = *BehaviourSet::parse("forge-certs");
  c.rounds = 30;
  std::uint64_t forged = 0, rejected = 0;
  const CampaignSummary sum =
      run_campaign(c, 1, 10, 2, false, [&](const SimConfig& cfg, const RunResult& r) {
        EXPECT_TRUE(r.ok()) << summary_line(r) << "\n  replay: " << replay_command(cfg);
        forged += r.forged;
        rejected += r.rejected;
      });
  EXPECT_EQ(sum.failed, 0u);
  EXPECT_GT(forged, 50u);
  EXPECT_GE(rejected, forged);  // each forgery reaches several honest replicas
}

}  // namespace
}  // namespace bauhinia::sim
