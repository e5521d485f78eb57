#include "bauhinia/sim/executor.hpp"

#include <gtest/gtest.h>

#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/sim/workload.hpp"

namespace bauhinia::sim {
namespace {

chain::ValidatorSet one_validator_set() {
  chain::ValidatorSet set;
  set.epoch = 1;
  chain::ValidatorInfo v;
  v.key = core::ed25519::SecretKey::from_seed({}).public_key();
  v.voting_power = 1;
  v.name = "v0";
  set.validators.push_back(v);
  return set;
}

struct Ledger {
  ledger::MemoryKvStore store;
  chain::BlockHeader genesis;
  std::optional<Executor> exec;
  explicit Ledger(const chain::ValidatorSet& set) {
    genesis = Executor::write_genesis(store, "sim-test", set, 1000);
    auto e = Executor::open(store);
    EXPECT_TRUE(e.has_value());
    exec.emplace(std::move(*e));
  }
};

chain::BlockHeader child_template(const chain::BlockHeader& parent, std::uint64_t round) {
  chain::BlockHeader h;
  h.epoch = parent.epoch;
  h.height = parent.height + 1;
  h.round = round;
  h.parent_hash = parent.id();
  h.timestamp_ms = parent.timestamp_ms + 1;
  h.validator_set_hash = parent.validator_set_hash;
  h.next_validator_set_hash = parent.next_validator_set_hash;
  return h;
}

core::Bytes payload_of(Workload& w) {
  SimPayload p;
  while (p.transactions.empty()) p = w.next_payload(4);
  return core::encode(p);
}

// A well-formed (unsigned) QC certifying `h`: the executor stores QCs, it
// does not verify them (the core and the ledger sync do).
consensus::QuorumCert qc_for(const chain::BlockHeader& h) {
  consensus::QuorumCert qc;
  qc.vote_data.epoch = h.epoch;
  qc.vote_data.round = h.round;
  qc.vote_data.block_id = h.id();
  qc.vote_data.height = h.height;
  qc.vote_data.parent_round = h.round > 0 ? h.round - 1 : 0;
  qc.vote_data.parent_id = h.parent_hash;
  qc.certificate.ledger_info.chain_id = "sim-test";
  qc.certificate.ledger_info.epoch = h.epoch;
  qc.certificate.ledger_info.round = h.round;
  qc.certificate.ledger_info.consensus_data_hash = qc.vote_data.hash();
  return qc;
}

consensus::CommittedBlock committed(const chain::BlockHeader& h, const core::Bytes& payload) {
  return consensus::CommittedBlock{h, payload, qc_for(h)};
}

TEST(Executor, TwoReplicasComputeTheSameRoots) {
  const auto set = one_validator_set();
  Ledger a(set), b(set);
  EXPECT_EQ(a.genesis, b.genesis);
  EXPECT_EQ(a.genesis.accumulator_root, chain::merkle::empty_root());
  Workload w(0, Prng(1));
  chain::BlockHeader parent = a.genesis;
  for (int i = 0; i < 5; ++i) {
    const core::Bytes payload = payload_of(w);
    auto ha = a.exec->execute(child_template(parent, i + 1), payload);
    auto hb = b.exec->execute(child_template(parent, i + 1), payload);
    ASSERT_TRUE(ha.has_value());
    ASSERT_TRUE(hb.has_value());
    EXPECT_EQ(*ha, *hb);
    EXPECT_NE(ha->state_root, parent.state_root);
    EXPECT_GT(ha->accumulator_size, parent.accumulator_size);
    parent = *ha;
  }
}

TEST(Executor, SiblingsDoNotSeeEachOther) {
  const auto set = one_validator_set();
  Ledger a(set), ref(set);
  Workload w1(1, Prng(2)), w2(2, Prng(3));
  const core::Bytes p1 = payload_of(w1), p2 = payload_of(w2), p3 = payload_of(w1);
  auto s1 = a.exec->execute(child_template(a.genesis, 1), p1);
  auto s2 = a.exec->execute(child_template(a.genesis, 2), p2);  // sibling of s1
  ASSERT_TRUE(s1.has_value());
  ASSERT_TRUE(s2.has_value());
  EXPECT_NE(s1->state_root, s2->state_root);
  auto c1 = a.exec->execute(child_template(*s1, 3), p3);  // child of s1 after s2 ran
  ASSERT_TRUE(c1.has_value());
  // The same chain without the sibling, in another replica.
  auto r1 = ref.exec->execute(child_template(ref.genesis, 1), p1);
  auto rc1 = ref.exec->execute(child_template(*r1, 3), p3);
  ASSERT_TRUE(rc1.has_value());
  EXPECT_EQ(*c1, *rc1);
  EXPECT_EQ(a.exec->speculative_blocks(), 3u);
}

TEST(Executor, CommitPersistsAndReopens) {
  const auto set = one_validator_set();
  Ledger a(set);
  Workload w(0, Prng(4));
  const core::Bytes p1 = payload_of(w), p2 = payload_of(w);
  auto b1 = a.exec->execute(child_template(a.genesis, 1), p1);
  auto b2 = a.exec->execute(child_template(*b1, 2), p2);
  ASSERT_TRUE(b2.has_value());
  const consensus::QuorumCert cert = qc_for(*b2);
  ASSERT_TRUE(a.exec->commit({committed(*b1, p1), committed(*b2, p2)}, cert).ok());
  EXPECT_EQ(a.exec->committed_height(), 2u);
  EXPECT_EQ(a.exec->speculative_blocks(), 0u);
  auto reopened = Executor::open(a.store);
  ASSERT_TRUE(reopened.has_value());
  EXPECT_EQ(reopened->committed_root().header, *b2);
  ASSERT_TRUE(reopened->commit_cert().has_value());
  EXPECT_EQ(*reopened->commit_cert(), cert);
  auto ids = reopened->committed_ids();
  ASSERT_TRUE(ids.has_value());
  EXPECT_EQ(*ids, (std::vector<Hash256>{b1->id(), b2->id()}));
  // The reopened replica continues from the committed state.
  const core::Bytes p3 = payload_of(w);
  auto b3 = reopened->execute(child_template(*b2, 3), p3);
  auto b3_again = a.exec->execute(child_template(*b2, 3), p3);
  ASSERT_TRUE(b3.has_value());
  EXPECT_EQ(*b3, *b3_again);
}

TEST(Executor, CommitOfBlocksNeverExecutedHereReExecutesThem) {
  const auto set = one_validator_set();
  Ledger a(set), b(set);
  Workload w(0, Prng(5));
  const core::Bytes p1 = payload_of(w);
  auto b1 = a.exec->execute(child_template(a.genesis, 1), p1);
  ASSERT_TRUE(b.exec->commit({committed(*b1, p1)}, qc_for(*b1)).ok());
  EXPECT_EQ(b.exec->committed_id(), b1->id());
}

TEST(Executor, RefusesWrongRootsBadPayloadsAndUnknownParents) {
  const auto set = one_validator_set();
  Ledger a(set);
  Workload w(0, Prng(6));
  const core::Bytes p1 = payload_of(w);
  auto b1 = a.exec->execute(child_template(a.genesis, 1), p1);
  chain::BlockHeader forged = *b1;
  forged.state_root.bytes()[0] ^= 1;
  Ledger b(set);
  EXPECT_FALSE(b.exec->commit({committed(forged, p1)}, qc_for(*b1)).ok());
  EXPECT_EQ(b.exec->committed_height(), 0u);  // nothing written

  EXPECT_FALSE(a.exec->execute(child_template(a.genesis, 1), core::Bytes{1, 2, 3}).has_value());
  chain::BlockHeader orphan = child_template(a.genesis, 1);
  orphan.parent_hash.bytes()[5] ^= 0xFF;
  EXPECT_FALSE(a.exec->execute(orphan, p1).has_value());
  chain::BlockHeader wrong_height = child_template(a.genesis, 1);
  wrong_height.height = 7;
  EXPECT_FALSE(a.exec->execute(wrong_height, p1).has_value());
  // An empty payload is a block without transactions.
  auto empty = a.exec->execute(child_template(a.genesis, 2), core::Bytes{});
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->state_root, a.genesis.state_root);
  EXPECT_EQ(empty->accumulator_size, 0u);
}

TEST(Executor, SafetyStateAndKeptBlocksSurviveReopening) {
  const auto set = one_validator_set();
  Ledger a(set);
  consensus::SafetyState s;
  s.epoch = 1;
  s.last_voted_round = 9;
  s.preferred_round = 7;
  ASSERT_TRUE(a.exec->persist_safety(s).is_ok());
  Workload w(0, Prng(7));
  const core::Bytes p1 = payload_of(w), p2 = payload_of(w);
  auto b1 = a.exec->execute(child_template(a.genesis, 1), p1);
  auto b2 = a.exec->execute(child_template(*b1, 2), p2);
  ASSERT_TRUE(a.exec->persist_block(consensus::SyncBlock{*b1, p1, qc_for(a.genesis)}).is_ok());
  ASSERT_TRUE(a.exec->persist_block(consensus::SyncBlock{*b2, p2, qc_for(*b1)}).is_ok());
  auto reopened = Executor::open(a.store);
  ASSERT_TRUE(reopened.has_value());
  auto loaded = reopened->load_safety();
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(*loaded, s);
  auto kept = reopened->kept_blocks();
  ASSERT_TRUE(kept.has_value());
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ((*kept)[0].header, *b1);
  // Committing b1 drops it from the kept blocks.
  ASSERT_TRUE(a.exec->commit({committed(*b1, p1)}, qc_for(*b1)).ok());
  kept = a.exec->kept_blocks();
  ASSERT_TRUE(kept.has_value());
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].header, *b2);
}

}  // namespace
}  // namespace bauhinia::sim
