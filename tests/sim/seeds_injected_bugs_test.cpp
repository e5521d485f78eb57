// Proof that the checkers catch a broken core: each bug of
// consensus::InjectedFaults, switched on in every honest replica by --bug, is
// found by a checker within a CI-sized seed budget (the failing seed and the
// command that replays it are printed), the failure replays exactly, and the
// same seeds without the bug pass every checker. docs/simulator.md,
// "Injected bugs", says what each bug is and why these checkers catch it.
#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <iostream>
#include <optional>

#include "bauhinia/sim/campaign.hpp"
#include "bauhinia/sim/simulation.hpp"

namespace bauhinia::sim {
namespace {

bool one_of(ViolationKind k, std::initializer_list<ViolationKind> kinds) {
  for (ViolationKind want : kinds) {
    if (k == want) return true;
  }
  return false;
}

// Runs seeds first..first+budget-1 (two at a time) until one fails with a
// violation of `kinds`; returns that run. Seeds failing otherwise are printed.
std::optional<RunResult> first_failure(const SimConfig& base, std::uint64_t first,
                                       std::uint64_t budget,
                                       std::initializer_list<ViolationKind> kinds) {
  std::optional<RunResult> found;
  for (std::uint64_t s = first; s < first + budget && !found; s += 2) {
    const std::uint64_t count = std::min<std::uint64_t>(2, first + budget - s);
    (void)run_campaign(base, s, count, 2, false, [&](const SimConfig& c, const RunResult& r) {
      if (r.ok() || found) return;
      const bool wanted = one_of(r.violation->kind, kinds);
      std::cout << "[" << bug_name(base.bug) << "] " << (wanted ? "found" : "other violation")
                << " at seed " << r.seed << ": " << summary_line(r)
                << "\n  scenario: " << r.scenario << "\n  replay: " << replay_command(c) << "\n";
      if (wanted) found = r;
    });
  }
  return found;
}

// The bug is caught on some seed of the budget by one of `kinds`; that seed
// replays to the same violation; seeds 1..that seed pass without the bug.
void expect_caught(const SimConfig& with_bug, std::uint64_t budget,
                   std::initializer_list<ViolationKind> kinds) {
  const auto r = first_failure(with_bug, 1, budget, kinds);
  ASSERT_TRUE(r.has_value()) << "--bug " << bug_name(with_bug.bug) << " was not caught in "
                             << budget << " seeds";

  SimConfig replay = with_bug;
  replay.seed = r->seed;
  const RunResult again = run_simulation(replay);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.violation->to_string(), r->violation->to_string());
  EXPECT_EQ(again.trace_hash, r->trace_hash);

  SimConfig clean = with_bug;
  clean.bug = InjectedBug::kNone;
  const CampaignSummary sum =
      run_campaign(clean, 1, r->seed, 2, false, [&](const SimConfig& c, const RunResult& run) {
        EXPECT_TRUE(run.ok()) << "without the bug: " << summary_line(run)
                              << "\n  replay: " << replay_command(c);
      });
  EXPECT_EQ(sum.seeds, r->seed);
  EXPECT_EQ(sum.failed, 0u);
}

SimConfig fork_leader(InjectedBug bug, std::uint32_t n = 4) {
  SimConfig c;
  c.validators = n;
  c.byzantine = c.max_faulty();
  c.behaviours = *BehaviourSet::parse("fork-leader");
  c.bug = bug;
  c.rounds = 40;
  return c;
}

bool safety_kind(ViolationKind k) {
  return k == ViolationKind::kAgreement || k == ViolationKind::kHistory;
}

// Rules 5 and 6 off: a fork leader gets a sibling of a block some replicas
// committed certified by the others, who then commit it: agreement breaks.
TEST(InjectedBugs, SkipLockCheckBreaksAgreementN4) {
  expect_caught(fork_leader(InjectedBug::kSkipLockCheck), 40,
                {ViolationKind::kAgreement, ViolationKind::kHistory});
}

TEST(InjectedBugs, SkipLockCheckBreaksAgreementN7) {
  expect_caught(fork_leader(InjectedBug::kSkipLockCheck, 7), 40,
                {ViolationKind::kAgreement, ViolationKind::kHistory});
}

// Rule 6 alone off is enough (the fork's QC passes rule 5 anyway).
TEST(InjectedBugs, SkipSafeToVoteBreaksAgreement) {
  expect_caught(fork_leader(InjectedBug::kSkipSafeToVote), 40,
                {ViolationKind::kAgreement, ViolationKind::kHistory});
}

// Rule 5 alone off is masked by rule 6 (with the timeout rule, rule 6 implies
// it): the same attack, and the stale leader's, never break safety.
TEST(InjectedBugs, SkipPreferredRoundAloneIsMaskedByRule6) {
  SimConfig c = fork_leader(InjectedBug::kSkipPreferredRound);
  c.behaviours = *BehaviourSet::parse("fork-leader,stale-leader");
  const CampaignSummary sum =
      run_campaign(c, 1, 20, 2, false, [&](const SimConfig& cfg, const RunResult& r) {
        if (!r.ok()) {
          EXPECT_FALSE(safety_kind(r.violation->kind))
              << summary_line(r) << "\n  replay: " << replay_command(cfg);
        }
      });
  EXPECT_EQ(sum.seeds, 20u);
  EXPECT_GT(sum.blocks, 20u * 10);
}

// Rule 4 off: a proposal that arrives after the replica timed out in its round
// still gets a vote, which the double-sign checker refuses (no vote in a round
// after a timeout for it). No Byzantine validator is needed.
TEST(InjectedBugs, SkipVoteRoundCheckSignsAfterATimeout) {
  SimConfig c;
  c.byzantine = 0;
  c.bug = InjectedBug::kSkipVoteRoundCheck;
  c.rounds = 40;
  expect_caught(c, 40, {ViolationKind::kDoubleSign});
}

// Duplicate signers accepted: the certificate forger's QCs (one signer in a
// quorum of slots) are adopted and relayed, which the certificate checker sees.
TEST(InjectedBugs, AcceptDuplicateSignersRelaysForgedCertificates) {
  SimConfig c;
  c.byzantine = 1;
  c.behaviours = *BehaviourSet::parse("forge-certs");
  c.bug = InjectedBug::kAcceptDuplicateSigners;
  c.rounds = 40;
  expect_caught(c, 10, {ViolationKind::kCertificate});
}

// The same bug with the certificate checker off: the fork leader justifies its
// fork with a TC that counts its own signature in a quorum of slots, and
// agreement breaks.
TEST(InjectedBugs, AcceptDuplicateSignersBreaksAgreement) {
  SimConfig c = fork_leader(InjectedBug::kAcceptDuplicateSigners);
  c.check_certificates = false;
  expect_caught(c, 40, {ViolationKind::kAgreement, ViolationKind::kHistory});
}

}  // namespace
}  // namespace bauhinia::sim
