// A deterministic in-test cluster of replicas (real signatures, the trivial
// Executor, messages through the wire encoding) commits blocks, rotates
// leaders, survives crashes, partitions and restarts, and changes epochs.
#include <gtest/gtest.h>

#include "bauhinia/chain/epoch_proof.hpp"
#include "cluster.hpp"

namespace bauhinia::consensus {
namespace {

using namespace testing;

bool all_committed(Cluster& c, const std::vector<std::string>& txs,
                   const std::vector<std::size_t>& nodes) {
  for (std::size_t i : nodes) {
    for (const auto& tx : txs) {
      if (!c.committed_tx(i, tx)) return false;
    }
  }
  return true;
}

std::vector<std::size_t> all_nodes(const Cluster& c) {
  std::vector<std::size_t> v;
  for (std::size_t i = 0; i < c.size(); ++i) v.push_back(i);
  return v;
}

TEST(ClusterTest, FourReplicasCommitTransactionsQuickly) {
  Cluster c({1, 1, 1, 1});
  c.start_all();
  const std::uint64_t t0 = c.now();
  c.submit("tx-1");
  ASSERT_TRUE(c.run_until([&] { return all_committed(c, {"tx-1"}, all_nodes(c)); }, 5000));
  // Propose, vote, a child block and its QC: a few message delays, no timer.
  EXPECT_LT(c.now() - t0, 100u) << "a pending transaction waits for nothing";
  std::vector<std::string> txs;
  for (int k = 0; k < 20; ++k) {
    txs.push_back("tx-batch-" + std::to_string(k));
    c.submit(txs.back());
  }
  ASSERT_TRUE(c.run_until([&] { return all_committed(c, txs, all_nodes(c)); }, 10000));
  EXPECT_EQ(c.timeouts_sent, 0u) << "no round timed out on a healthy network";
  // Every commit certificate was verified (or formed from verified votes) by
  // the replica, which hands its proof to the host (ADR 0007, item 4).
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_GT(c.node(i).commits_with_proof, 0u);
    EXPECT_EQ(c.node(i).commits_with_proof, c.node(i).commit_certs.size()) << "node " << i;
  }
  for (std::size_t i = 0; i < c.size(); ++i) {
    EXPECT_TRUE(c.node(i).evidence.empty());
  }
}

TEST(ClusterTest, LeadersRotateRoundRobin) {
  Cluster c({1, 1, 1, 1});
  c.start_all();
  std::vector<std::string> txs;
  for (int k = 0; k < 12; ++k) {
    txs.push_back("rot-" + std::to_string(k));
    c.submit(txs.back());
  }
  ASSERT_TRUE(c.run_until([&] { return all_committed(c, txs, all_nodes(c)); }, 10000));
  std::set<std::size_t> proposers;
  for (const CommittedBlock& b : c.node(0).committed) {
    const std::size_t expected = b.header.round % 4;
    EXPECT_EQ(b.header.proposer, key_for(static_cast<std::uint32_t>(expected)).public_key())
        << "round " << b.header.round;
    proposers.insert(expected);
  }
  EXPECT_EQ(proposers.size(), 4u);
}

TEST(ClusterTest, IdleChainDoesNotChurnEmptyBlocks) {
  Cluster c({1, 1, 1, 1});
  c.start_all();
  c.submit("only");
  ASSERT_TRUE(c.run_until([&] { return all_committed(c, {"only"}, all_nodes(c)); }, 5000));
  c.run_for(500);
  const std::uint64_t h0 = c.node(0).committed_height();
  const std::uint64_t idle_ms = 10000;
  c.run_for(idle_ms);
  const std::uint64_t blocks = c.node(0).committed_height() - h0;
  // One empty block per idle interval (200 ms here) at most, not one per round trip.
  EXPECT_LE(blocks, idle_ms / 200 + 2);
  EXPECT_GE(blocks, idle_ms / 200 / 2) << "the idle chain still makes progress";
  EXPECT_EQ(c.timeouts_sent, 0u) << "idle leaders do not cause timeouts";
}

TEST(ClusterTest, UnequalVotingPowerAQuorumOfThreeHeavyValidators) {
  // 7 validators where the first three hold a quorum on their own.
  Cluster weighted({10, 10, 10, 1, 1, 1, 1});
  weighted.drop = [](std::size_t from, std::size_t to, const Message&) {
    return from >= 3 || to >= 3;  // the four light validators are cut off
  };
  weighted.start_all();
  weighted.submit("weighted");
  ASSERT_TRUE(weighted.run_until(
      [&] {
        return all_committed(weighted, {"weighted"}, {0, 1, 2});
      },
      60000));
}

// 100 validators with BAUHINIA_LONG=1; a short variant (not a skip) otherwise.
TEST(ClusterTest, AHundredValidators) {
  const std::size_t n = std::getenv("BAUHINIA_LONG") != nullptr ? 100 : 31;
  Cluster big(std::vector<std::uint64_t>(n, 1));
  big.start_all();
  big.submit("hundred");
  ASSERT_TRUE(
      big.run_until([&] { return all_committed(big, {"hundred"}, all_nodes(big)); }, 20000));
}

TEST(ClusterTest, CrashedLeaderIsSkippedByTimeoutCertificates) {
  Cluster c({1, 1, 1, 1});
  c.start_all();
  c.crash(1);  // leads rounds 1, 5, 9, ...
  std::vector<std::string> txs;
  for (int k = 0; k < 8; ++k) {
    txs.push_back("skip-" + std::to_string(k));
    c.submit(txs.back());
  }
  ASSERT_TRUE(c.run_until([&] { return all_committed(c, txs, {0, 2, 3}); }, 60000));
  EXPECT_GT(c.timeouts_sent, 0u);
  for (std::size_t i : {0, 2, 3}) {
    EXPECT_TRUE(c.replica(i).last_tc().has_value());
    for (const CommittedBlock& b : c.node(i).committed) {
      EXPECT_NE(b.header.proposer, key_for(1).public_key());
    }
  }
}

TEST(ClusterTest, RestartedReplicaNeverDoubleSignsAndCatchesUp) {
  Cluster c({1, 1, 1, 1});
  c.start_all();
  std::vector<std::string> txs;
  for (int k = 0; k < 6; ++k) {
    txs.push_back("r-" + std::to_string(k));
    c.submit(txs.back());
  }
  ASSERT_TRUE(c.run_until([&] { return c.node(0).committed_height() >= 3; }, 10000));
  c.crash(2);
  c.run_for(50);
  c.start(2);  // from its persisted safety state and stored blocks
  ASSERT_TRUE(c.run_until([&] { return all_committed(c, txs, all_nodes(c)); }, 60000));
  EXPECT_GE(c.replica(2).safety_state().last_voted_round, 1u);
}

TEST(ClusterTest, EveryValidatorCrashesAtOnceAndTheChainGoesOn) {
  Cluster c({1, 1, 1, 1});
  c.start_all();
  c.submit("before");
  // Crash everyone in the middle of the protocol, right after some votes left.
  ASSERT_TRUE(c.run_until([&] { return c.node(0).persisted.last_voted_round >= 4; }, 10000));
  for (std::size_t i = 0; i < c.size(); ++i) c.crash(i);
  c.run_for(100);
  for (std::size_t i = 0; i < c.size(); ++i) c.start(i);
  c.submit("after");
  ASSERT_TRUE(c.run_until(
      [&] {
        return all_committed(c, {"before", "after"}, all_nodes(c));
      },
      60000));
}

TEST(ClusterTest, PartitionedReplicaCatchesUpAfterHealing) {
  Cluster c({1, 1, 1, 1});
  bool partitioned = true;
  c.drop = [&](std::size_t from, std::size_t to, const Message&) {
    return partitioned && (from == 3 || to == 3);
  };
  c.start_all();
  std::vector<std::string> txs;
  for (int k = 0; k < 10; ++k) {
    txs.push_back("p-" + std::to_string(k));
    c.submit(txs.back());
  }
  ASSERT_TRUE(c.run_until([&] { return all_committed(c, txs, {0, 1, 2}); }, 60000));
  c.run_for(1000);
  EXPECT_LT(c.node(3).committed_height(), c.node(0).committed_height());
  partitioned = false;
  c.submit("healed");
  txs.push_back("healed");
  ASSERT_TRUE(c.run_until([&] { return all_committed(c, txs, all_nodes(c)); }, 60000));
}

TEST(ClusterTest, EpochChangeMovesEveryoneToTheNextSetWithAProofForLightClients) {
  Cluster c({1, 1, 1, 1});
  chain::ValidatorSet next = make_set({2, 1, 1, 1}, 1);
  c.next_set = next;
  c.start_all();
  c.submit("EPOCH-1");
  ASSERT_TRUE(c.run_until(
      [&] {
        for (std::size_t i = 0; i < c.size(); ++i) {
          if (c.replica(i).epoch() != 1) return false;
        }
        return true;
      },
      20000));
  c.submit("in-epoch-1");
  ASSERT_TRUE(c.run_until([&] { return all_committed(c, {"in-epoch-1"}, all_nodes(c)); }, 20000));

  // The epoch's last block is the first committed block that ends the epoch;
  // a certificate commits exactly it, and a light client follows the change.
  const auto& committed = c.node(0).committed;
  auto end = std::find_if(committed.begin(), committed.end(),
                          [](const CommittedBlock& b) { return b.header.ends_epoch(); });
  ASSERT_NE(end, committed.end());
  EXPECT_EQ(end->header.epoch, 0u);
  const auto after = end + 1;
  ASSERT_NE(after, committed.end());
  EXPECT_EQ(after->header.epoch, 1u);
  EXPECT_EQ(after->header.parent_hash, end->header.id());
  EXPECT_EQ(after->header.height, end->header.height + 1);
  EXPECT_EQ(after->header.validator_set_hash, next.hash());
  EXPECT_EQ(c.replica(0).epoch_context().validators, next);

  const auto& certs = c.node(0).commit_certs;
  auto cert = std::find_if(certs.begin(), certs.end(), [&](const QuorumCert& q) {
    return q.ledger_info().commit_block == end->header.id();
  });
  ASSERT_NE(cert, certs.end()) << "the epoch's last block has its own commit certificate";
  chain::EpochChangeProof proof{{chain::EpochChange{cert->certificate, end->header, next}}};
  auto reached = chain::verify_epoch_changes(c.genesis_set(), proof, kChainId);
  ASSERT_TRUE(reached) << reached.error().to_string();
  EXPECT_EQ(*reached, next);
  // A certificate of epoch 1 then verifies with the set the client reached.
  EXPECT_TRUE(verify_qc(*c.node(0).commit_cert, c.replica(0).epoch_context()));
  EXPECT_TRUE(chain::verify_quorum(c.node(0).commit_cert->certificate, *reached));
}

}  // namespace
}  // namespace bauhinia::consensus

namespace bauhinia::consensus {
namespace {

// Loses a deterministic pseudo-random fraction of all messages (retransmitted
// timeouts and block sync must recover) and checks that every transaction
// still commits everywhere.
void run_lossy(std::uint32_t seed, unsigned loss_percent, std::size_t n) {
  testing::Cluster c(std::vector<std::uint64_t>(n, 1));
  Hash256 h = core::sha256(core::as_bytes("loss-" + std::to_string(seed)));
  c.drop = [&](std::size_t, std::size_t, const Message&) {
    h = core::sha256(h.view());
    return h.bytes()[0] % 100 < loss_percent;
  };
  c.start_all();
  std::vector<std::string> txs;
  for (int k = 0; k < 10; ++k) {
    txs.push_back("lossy-" + std::to_string(seed) + "-" + std::to_string(k));
    c.submit(txs.back());
    c.run_for(50);
  }
  const bool ok = c.run_until([&] { return all_committed(c, txs, all_nodes(c)); }, 120000);
  EXPECT_TRUE(ok) << "seed " << seed << " loss " << loss_percent << "%: heights "
                  << c.node(0).committed_height() << " " << c.node(1).committed_height() << " "
                  << c.node(2).committed_height() << " " << c.node(3).committed_height();
  if (std::getenv("CLUSTER_DEBUG") != nullptr) {
    for (std::size_t i = 0; i < c.size(); ++i) {
      auto& r = c.replica(i);
      std::fprintf(stderr, "node %zu round %llu hqc %llu tc %lld lvr %llu pending %zu\n", i,
                   static_cast<unsigned long long>(r.round()),
                   static_cast<unsigned long long>(r.high_qc().round()),
                   r.last_tc() ? static_cast<long long>(r.last_tc()->round) : -1LL,
                   static_cast<unsigned long long>(r.safety_state().last_voted_round),
                   r.pending_blocks());
    }
  }
}

TEST(ClusterTest, LossyNetworksStillCommitEverything) {
  if (const char* one = std::getenv("CLUSTER_SEED")) {
    run_lossy(static_cast<std::uint32_t>(std::atoi(one)), 10, 4);
    return;
  }
  for (std::uint32_t seed = 1; seed <= 4; ++seed) run_lossy(seed, 10, 4);
  run_lossy(7, 25, 4);
  run_lossy(9, 10, 7);
}

}  // namespace
}  // namespace bauhinia::consensus
