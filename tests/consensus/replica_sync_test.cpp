// Block sync between replicas (issue 9, item 4): responses sized to the
// host's frame limit, requesters that ask on after a cut-short response, and a
// SyncLedger that is asked again when the host's catch-up never delivered.
#include <gtest/gtest.h>

#include <algorithm>

#include "bauhinia/consensus/replica.hpp"
#include "test_support.hpp"

namespace bauhinia::consensus {
namespace {

using namespace testing;

constexpr std::size_t kPayloadBytes = 6000;
constexpr std::uint64_t kRetryMs = 2000;

ReplicaConfig config() {
  ReplicaConfig c;
  c.chain_id = kChainId;
  c.round_timeout_base_ms = 400;
  c.round_timeout_max_ms = 6400;
  c.idle_block_interval_ms = 200;
  c.max_sync_response_bytes = 10000;  // one 6,000-byte block, not two
  c.ledger_sync_retry_ms = kRetryMs;
  return c;
}

template <class T>
std::vector<T> all_of(const std::vector<Effect>& effects) {
  std::vector<T> out;
  for (const Effect& e : effects) {
    if (const T* t = std::get_if<T>(&e)) out.push_back(*t);
  }
  return out;
}

class ReplicaSyncTest : public ::testing::Test {
 protected:
  ReplicaSyncTest() : set_(make_set({1, 1, 1, 1})), genesis_(genesis_for(set_)) {
    // Blocks 1..5 at rounds 1..5, each certified by a QC without commit
    // information (nothing commits), each with a 6,000-byte payload.
    chain::BlockHeader parent = genesis_;
    QuorumCert qc = QuorumCert::for_epoch_root(kChainId, 0, genesis_);
    for (Round round = 1; round <= 5; ++round) {
      core::Bytes payload(kPayloadBytes, static_cast<std::uint8_t>(round));
      chain::BlockHeader h = child_header(
          parent, round, key_for(static_cast<std::uint32_t>(round % 4)).public_key(), payload);
      chain_.push_back(SyncBlock{h, payload, qc});
      qc = make_qc(set_, vote_data_for(h, round - 1), {0, 1, 2});
      qcs_.push_back(qc);
      parent = h;
    }
  }

  std::vector<Effect> receive(Replica& r, std::uint32_t from, Message m) {
    return r.step(MessageReceived{key_for(from).public_key(), std::move(m), now_});
  }

  // A replica that kept blocks 1..5 (RecoveryData::blocks) and executed them.
  Replica holder() {
    RecoveryData rec = genesis_recovery(set_);
    rec.blocks = chain_;
    Replica r(config(), key_for(0), rec, SafetyState{});
    auto fx = r.step(Start{now_});
    for (std::size_t i = 0; i < chain_.size(); ++i) {
      auto exec = all_of<ExecuteBlock>(fx);
      EXPECT_FALSE(exec.empty());
      std::vector<Effect> more;
      for (const auto& e : exec) {
        auto f = r.step(BlockExecuted{e.header.id(), e.header, std::nullopt, now_});
        more.insert(more.end(), f.begin(), f.end());
      }
      fx = std::move(more);
      if (all_of<ExecuteBlock>(fx).empty()) break;
    }
    EXPECT_EQ(r.pending_blocks(), chain_.size());  // above the root
    return r;
  }

  Proposal proposal(Round round, const chain::BlockHeader& parent, const QuorumCert& qc) {
    const auto leader = key_for(static_cast<std::uint32_t>(round % 4));
    chain::BlockHeader h = child_header(parent, round, leader.public_key());
    h.timestamp_ms = now_;
    return make_proposal(leader, h, qc);
  }

  chain::ValidatorSet set_;
  chain::BlockHeader genesis_;
  std::vector<SyncBlock> chain_;  // blocks 1..5
  std::vector<QuorumCert> qcs_;   // qcs_[i] certifies chain_[i]
  std::uint64_t now_ = 5000;
};

TEST_F(ReplicaSyncTest, ResponsesStayWithinTheSizeLimitButCarryOneBlockAtLeast) {
  Replica r = holder();
  auto sends = all_of<Send>(receive(r, 3, SyncRequest{0, chain_[4].header.id(), 8}));
  ASSERT_EQ(sends.size(), 1u);
  const auto& resp = std::get<SyncResponse>(sends[0].message);
  ASSERT_EQ(resp.blocks.size(), 1u) << "two 6,000-byte blocks exceed the 10,000-byte limit";
  EXPECT_EQ(resp.blocks[0].header, chain_[4].header);
  EXPECT_LE(encode_message(sends[0].message).size(), config().max_sync_response_bytes);

  // A limit below one block: the block goes anyway (the host's block limits
  // make one block fit its frame), and only that one.
  ReplicaConfig tiny = config();
  tiny.max_sync_response_bytes = 100;
  RecoveryData rec = genesis_recovery(set_);
  rec.blocks = chain_;
  Replica t(tiny, key_for(0), rec, SafetyState{});
  auto fx = t.step(Start{now_});
  auto exec = all_of<ExecuteBlock>(fx);
  ASSERT_FALSE(exec.empty());
  (void)t.step(BlockExecuted{exec[0].header.id(), exec[0].header, std::nullopt, now_});
  sends = all_of<Send>(receive(t, 3, SyncRequest{0, chain_[0].header.id(), 8}));
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(std::get<SyncResponse>(sends[0].message).blocks.size(), 1u);

  // Small blocks: as many as asked for.
  ReplicaConfig roomy = config();
  roomy.max_sync_response_bytes = kMaxMessageBytes;
  RecoveryData rec2 = genesis_recovery(set_);
  rec2.blocks = chain_;
  Replica big(roomy, key_for(0), rec2, SafetyState{});
  fx = big.step(Start{now_});
  for (int i = 0; i < 5; ++i) {
    exec = all_of<ExecuteBlock>(fx);
    if (exec.empty()) break;
    fx.clear();
    for (const auto& e : exec) {
      auto f = big.step(BlockExecuted{e.header.id(), e.header, std::nullopt, now_});
      fx.insert(fx.end(), f.begin(), f.end());
    }
  }
  sends = all_of<Send>(receive(big, 3, SyncRequest{0, chain_[4].header.id(), 8}));
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(std::get<SyncResponse>(sends[0].message).blocks.size(), 5u);
}

TEST_F(ReplicaSyncTest, RequesterAsksOnAfterAResponseCutShortBySize) {
  // A fresh replica hears of block 5 (a proposal for round 6 carrying its QC)
  // and fetches it from the proposer, who answers one block at a time.
  Replica r(config(), key_for(0), genesis_recovery(set_), SafetyState{});
  (void)r.step(Start{now_});
  const Proposal p6 = proposal(6, chain_[4].header, qcs_[4]);
  const std::uint32_t leader = 6 % 4;
  auto sends = all_of<Send>(receive(r, leader, p6));
  ASSERT_FALSE(sends.empty());
  const auto& first = std::get<SyncRequest>(sends.back().message);
  EXPECT_EQ(first.block_id, chain_[4].header.id());
  for (int i = 4; i >= 1; --i) {
    SyncResponse resp{0,
                      chain_[static_cast<std::size_t>(i)].header.id(),
                      {chain_[static_cast<std::size_t>(i)]},
                      std::nullopt};
    sends = all_of<Send>(receive(r, leader, resp));
    ASSERT_EQ(sends.size(), 1u) << "after block " << i + 1 << " it must ask for the parent";
    EXPECT_EQ(std::get<SyncRequest>(sends[0].message).block_id,
              chain_[static_cast<std::size_t>(i - 1)].header.id());
  }
  // Block 1 connects the chain to genesis: all five are executed.
  auto fx = receive(r, leader, SyncResponse{0, chain_[0].header.id(), {chain_[0]}, std::nullopt});
  EXPECT_EQ(all_of<ExecuteBlock>(fx).size(), 5u);
}

TEST_F(ReplicaSyncTest, LedgerSyncIsAskedAgainOfAnotherPeerWhenTheFirstNeverDelivers) {
  // Peers' commit certificate: block 4's QC commits block 3 (height 3).
  const QuorumCert commit = make_qc(set_, vote_data_for(chain_[3].header, 3), {0, 1, 2},
                                    BlockRef{chain_[2].header.id(), 3});
  Replica r(config(), key_for(1), genesis_recovery(set_), SafetyState{});  // leads no round used
  (void)r.step(Start{now_});
  // Hears of block 5 from round 6's leader (2), fetches it, and learns that
  // the peer's ledger is ahead: SyncLedger to that peer.
  auto fetch_and_answer = [&](Round round, const chain::BlockHeader& parent, const QuorumCert& qc) {
    const auto from = static_cast<std::uint32_t>(round % 4);
    auto sends = all_of<Send>(receive(r, from, proposal(round, parent, qc)));
    EXPECT_FALSE(sends.empty());
    return receive(r, from, SyncResponse{0, qc.block_id(), {}, commit});
  };
  auto syncs = all_of<SyncLedger>(fetch_and_answer(6, chain_[4].header, qcs_[4]));
  ASSERT_EQ(syncs.size(), 1u);
  EXPECT_EQ(syncs[0].peer, key_for(2).public_key());
  EXPECT_EQ(syncs[0].commit_cert, commit);

  // The host's catch-up never delivers (the peer is silent). Another peer
  // shows the same commit soon after: not asked again yet.
  now_ += kRetryMs / 2;
  const Proposal p6 = proposal(6, chain_[4].header, qcs_[4]);
  const QuorumCert qc6 = make_qc(set_, vote_data_for(p6.header, 5), {0, 1, 2});
  EXPECT_TRUE(all_of<SyncLedger>(fetch_and_answer(7, p6.header, qc6)).empty());

  // Past ledger_sync_retry_ms: asked again, of the peer that showed it.
  now_ += kRetryMs;
  const Proposal p7 = proposal(7, p6.header, qc6);
  const QuorumCert qc7 = make_qc(set_, vote_data_for(p7.header, 6), {0, 1, 2});
  syncs = all_of<SyncLedger>(fetch_and_answer(8, p7.header, qc7));
  ASSERT_EQ(syncs.size(), 1u);
  EXPECT_EQ(syncs[0].peer, key_for(0).public_key());
}

}  // namespace
}  // namespace bauhinia::consensus
