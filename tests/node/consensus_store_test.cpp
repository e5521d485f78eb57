// ConsensusStore: the committed-block records, kept in its own database or
// written into the ledger's commit batch (add_committed) and read back from
// the ledger (read_committed_from), the ledger's records taking precedence;
// and the safety state: every field back after a reopen of the real LevelDB,
// corruption reported (never a default), every save synced and surviving a
// crash that drops unsynced writes.

#include "bauhinia/node/consensus_store.hpp"

#include <gtest/gtest.h>

#include "../consensus/test_support.hpp"
#include "../ledger/forwarding_store.hpp"
#include "../ledger/sync_recording_store.hpp"
#include "../ledger/temp_dir.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"

namespace bauhinia::node {
namespace {

// A root QC of a block at `height` (distinct per height and per `tag`).
CommittedQcs qcs_for(std::uint64_t height, std::uint64_t tag) {
  chain::BlockHeader h;
  h.height = height;
  h.round = height;
  h.timestamp_ms = 1'000 + tag;
  CommittedQcs q;
  q.qc = consensus::QuorumCert::for_epoch_root("consensus-store-test", 0, h);
  return q;
}

TEST(ConsensusStore, CommittedRecordsFromItsOwnStoreAndFromTheLedger) {
  test::TempDir dir("consensus-store");
  auto store = ConsensusStore::open(dir.sub("consensus"));
  ASSERT_TRUE(store.has_value()) << store.error().to_string();
  auto ledger_kv = ledger::LevelDbKvStore::open(dir.sub("ledger"));
  ASSERT_TRUE(ledger_kv.has_value()) << ledger_kv.error().to_string();

  // Height 1 the old way (its own synced write), height 2 in the ledger's batch.
  ASSERT_TRUE((*store)->save_committed(1, qcs_for(1, 0)).is_ok());
  ledger::WriteBatch records;
  ConsensusStore::add_committed(records, 2, qcs_for(2, 0));
  for (const auto& w : records.writes()) EXPECT_EQ(w.column, ledger::Column::kSafety);
  ASSERT_TRUE((*ledger_kv)->write(records, true).is_ok());

  EXPECT_EQ((*store)->committed(2).error().code(), core::StatusCode::kNotFound);
  (*store)->read_committed_from(**ledger_kv);
  auto one = (*store)->committed(1);
  ASSERT_TRUE(one.has_value()) << one.error().to_string();
  EXPECT_EQ(one->qc, qcs_for(1, 0).qc);
  auto two = (*store)->committed(2);
  ASSERT_TRUE(two.has_value()) << two.error().to_string();
  EXPECT_EQ(two->qc, qcs_for(2, 0).qc);
  EXPECT_EQ((*store)->committed(3).error().code(), core::StatusCode::kNotFound);

  // A record in its own store for a height the ledger committed with other
  // records (a block the ledger never committed, before a crash): the
  // ledger's records win.
  ASSERT_TRUE((*store)->save_committed(2, qcs_for(2, 7)).is_ok());
  auto again = (*store)->committed(2);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->qc, qcs_for(2, 0).qc);

  // Undecodable records in the ledger are corruption, not "absent".
  ledger::WriteBatch bad;
  ConsensusStore::add_committed(bad, 4, qcs_for(4, 0));
  ledger::WriteBatch damaged;
  damaged.put(bad.writes()[0].column, bad.writes()[0].key, core::Bytes{0x01, 0x02});
  ASSERT_TRUE((*ledger_kv)->write(damaged, false).is_ok());
  EXPECT_EQ((*store)->committed(4).error().code(), core::StatusCode::kCorruption);
}

// A safety state with every field set, distinct per `round`: a last vote, a TC
// and a highest QC, all really signed.
consensus::SafetyState full_state(consensus::Round round) {
  namespace t = consensus::testing;
  const chain::ValidatorSet set = t::make_set({1, 1, 1, 1});
  const chain::BlockHeader genesis = t::genesis_for(set);
  const chain::BlockHeader block = t::child_header(genesis, round, t::key_for(0).public_key());
  const consensus::VoteData vd = t::vote_data_for(block, 0);
  consensus::SafetyState s;
  s.epoch = 0;
  s.last_voted_round = round + 1;
  s.preferred_round = round - 1;
  s.one_chain_round = round;
  s.highest_timeout_round = round + 1;
  s.last_vote = t::sign_vote(t::key_for(2), vd);
  s.highest_qc = t::make_qc(set, vd, {0, 1, 2});
  s.highest_tc =
      t::make_tc(set, 0, round + 1, {0, 1, 3}, {*s.highest_qc, *s.highest_qc, *s.highest_qc});
  return s;
}

const core::Bytes kSafetyKey{'s', 't', 'a', 't', 'e'};  // consensus_store.cpp's key

TEST(ConsensusStore, SafetyStateReadsBackExactlyTheLastSavedAfterAReopen) {
  test::TempDir dir("consensus-store");
  const std::string path = dir.sub("consensus");
  {
    auto store = ConsensusStore::open(path);
    ASSERT_TRUE(store.has_value()) << store.error().to_string();
    // Nothing stored: the fresh node's default, the only case without a record.
    auto fresh = (*store)->safety_state();
    ASSERT_TRUE(fresh.has_value()) << fresh.error().to_string();
    EXPECT_EQ(*fresh, consensus::SafetyState{});
    for (consensus::Round r = 3; r <= 7; ++r) {
      ASSERT_TRUE((*store)->save_safety_state(full_state(r)).is_ok());
    }
  }
  auto store = ConsensusStore::open(path);
  ASSERT_TRUE(store.has_value()) << store.error().to_string();
  auto back = (*store)->safety_state();
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  const consensus::SafetyState want = full_state(7);
  ASSERT_TRUE(want.last_vote && want.highest_qc && want.highest_tc);
  EXPECT_EQ(back->version, consensus::SafetyState::kVersion);
  EXPECT_EQ(back->epoch, want.epoch);
  EXPECT_EQ(back->last_voted_round, 8u);
  EXPECT_EQ(back->preferred_round, 6u);
  EXPECT_EQ(back->one_chain_round, 7u);
  EXPECT_EQ(back->highest_timeout_round, 8u);
  EXPECT_EQ(back->last_vote, want.last_vote);
  EXPECT_EQ(back->highest_qc, want.highest_qc);
  EXPECT_EQ(back->highest_tc, want.highest_tc);
  EXPECT_EQ(*back, want);
}

TEST(ConsensusStore, ACorruptSafetyStateIsReportedNotDefaulted) {
  test::TempDir dir("consensus-store");
  const std::string path = dir.sub("consensus");
  const core::Bytes good = core::encode(full_state(4));
  core::Bytes unknown_version = good;
  unknown_version[0] = consensus::SafetyState::kVersion + 1;
  const std::vector<std::pair<std::string, core::Bytes>> damages = {
      {"truncated", core::Bytes(good.begin(), good.begin() + good.size() / 2)},
      {"trailing bytes",
       [&] {
         core::Bytes b = good;
         b.push_back(0);
         return b;
       }()},
      {"empty", core::Bytes{}},
      {"unknown version", unknown_version},
  };
  for (const auto& [what, bytes] : damages) {
    SCOPED_TRACE(what);
    {
      auto kv = ledger::LevelDbKvStore::open(path);
      ASSERT_TRUE(kv.has_value()) << kv.error().to_string();
      ledger::WriteBatch b;
      b.put(ledger::Column::kSafety, kSafetyKey, bytes);
      ASSERT_TRUE((*kv)->write(b, true).is_ok());
    }
    auto store = ConsensusStore::open(path);
    ASSERT_TRUE(store.has_value()) << store.error().to_string();
    auto s = (*store)->safety_state();
    ASSERT_FALSE(s.has_value()) << "a damaged record read as a state";
    EXPECT_EQ(s.error().code(), core::StatusCode::kCorruption) << s.error().to_string();
  }
}

TEST(ConsensusStore, EverySafetyStateSaveIsSyncedAndSurvivesACrash) {
  test::SyncRecordingKvStore recording;
  auto store = ConsensusStore::over(std::make_unique<test::ForwardingKvStore>(recording));
  for (consensus::Round r = 2; r <= 5; ++r) {
    const std::size_t before = recording.writes().size();
    ASSERT_TRUE(store->save_safety_state(full_state(r)).is_ok());
    const auto writes = recording.writes();
    ASSERT_EQ(writes.size(), before + 1);
    EXPECT_TRUE(writes.back().sync) << "the safety state of round " << r << " was not synced";
  }
  // The crash drops what was not synced: the last state must still be there.
  auto after = ConsensusStore::over(recording.durable_copy());
  auto s = after->safety_state();
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(*s, full_state(5));
}

}  // namespace
}  // namespace bauhinia::node
