// ConsensusStore: the committed-block records, kept in its own database or
// written into the ledger's commit batch (add_committed) and read back from
// the ledger (read_committed_from), the ledger's records taking precedence.

#include "bauhinia/node/consensus_store.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace bauhinia::node
