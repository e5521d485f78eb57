// Durability of commits: every write the ledger makes (genesis, commit_block,
// commit_blocks with the host's records) is synced, and a crash that throws
// away unsynced writes (SyncRecordingKvStore::durable_copy) leaves a ledger
// that reopens at the last commit with every committed block present. The
// SIGKILL test (crash_test.cpp) cannot see a missing sync: the page cache
// survives a killed process.

#include <gtest/gtest.h>

#include "bauhinia/ledger/ledger_store.hpp"
#include "buffered_store.hpp"
#include "chain_builder.hpp"
#include "forwarding_store.hpp"
#include "sync_recording_store.hpp"

namespace bauhinia::ledger {
namespace {

TEST(CommitSync, EveryCommitIsSyncedAndSurvivesACrashThatDropsUnsyncedWrites) {
  test::SyncRecordingKvStore recording;
  test::ChainParams params;
  params.epoch_length = 7;  // height 7 ends an epoch: committed alone (round 4)
  const test::ChainBuilder builder(params);
  auto opened =
      LedgerStore::open(std::make_unique<test::ForwardingKvStore>(recording), builder.genesis());
  ASSERT_TRUE(opened.has_value()) << opened.error().to_string();
  LedgerStore& ledger = **opened;

  std::vector<chain::BlockHeader> committed{ledger.latest_header()};
  for (int round = 0; round < 6; ++round) {
    const std::size_t before = recording.writes().size();
    if (round % 2 == 0) {
      BlockCommit b = builder.next_block(ledger);
      auto r = ledger.commit_block(b);
      ASSERT_TRUE(r.has_value() && r->ok());
      committed.push_back(b.header);
    } else {
      // Two blocks under one certificate, with host records, as consensus commits.
      std::vector<BlockCommit> blocks;
      // Built on a scratch twin that writes nothing to the store below.
      auto twin =
          LedgerStore::open(std::make_unique<test::BufferedKvStore>(recording), builder.genesis());
      ASSERT_TRUE(twin.has_value()) << twin.error().to_string();
      blocks.push_back(builder.next_block(**twin));
      auto first = (*twin)->commit_block(blocks[0]);
      ASSERT_TRUE(first.has_value() && first->ok());
      blocks.push_back(builder.next_block(**twin));
      blocks[0].certificate = {};
      WriteBatch host;
      host.put(Column::kSafety, test::text_bytes("host-record"),
               test::text_bytes(std::to_string(round)));
      auto r = ledger.commit_blocks(blocks, &host);
      ASSERT_TRUE(r.has_value()) << r.error().to_string();
      ASSERT_TRUE(r->ok()) << r->rejection().to_string();
      for (const auto& b : blocks) committed.push_back(b.header);
    }
    const auto writes = recording.writes();
    ASSERT_GT(writes.size(), before) << "the commit wrote nothing";
    for (std::size_t i = before; i < writes.size(); ++i) {
      EXPECT_TRUE(writes[i].sync) << "commit " << round << ": write " << i << " of "
                                  << writes[i].batch.size() << " entries was not synced";
    }
  }
  for (std::size_t i = 0; i < recording.writes().size(); ++i) {
    EXPECT_TRUE(recording.writes()[i].sync) << "write " << i << " was not synced";
  }

  // The crash: only what was synced is there on restart.
  auto reopened = LedgerStore::open_existing(recording.durable_copy());
  ASSERT_TRUE(reopened.has_value()) << reopened.error().to_string();
  ASSERT_EQ((*reopened)->latest_height(), committed.back().height);
  EXPECT_EQ((*reopened)->latest_header(), committed.back());
  for (const auto& h : committed) {
    auto stored = (*reopened)->header(h.height);
    ASSERT_TRUE(stored.has_value()) << "block " << h.height << ": " << stored.error().to_string();
    EXPECT_EQ(*stored, h);
  }
  EXPECT_TRUE((*reopened)->verify_latest().is_ok());
  auto host = (*reopened)->kv().get(Column::kSafety, test::text_bytes("host-record"));
  ASSERT_TRUE(host.has_value() && host->has_value()) << "the host's records were lost";
  EXPECT_EQ(**host, test::text_bytes("5"));
}

// The model itself: an unsynced write is visible before the crash and gone
// after it, a later synced write makes it durable.
TEST(CommitSync, TheCrashModelDropsOnlyTheUnsyncedTail) {
  test::SyncRecordingKvStore kv;
  WriteBatch a, b, c;
  a.put(Column::kMeta, test::text_bytes("a"), test::text_bytes("1"));
  b.put(Column::kMeta, test::text_bytes("b"), test::text_bytes("2"));
  c.put(Column::kMeta, test::text_bytes("c"), test::text_bytes("3"));
  ASSERT_TRUE(kv.write(a, false).is_ok());
  ASSERT_TRUE(kv.write(b, true).is_ok());
  ASSERT_TRUE(kv.write(c, false).is_ok());
  EXPECT_TRUE(kv.get(Column::kMeta, test::text_bytes("c"))->has_value());
  auto after = kv.durable_copy();
  EXPECT_TRUE(after->get(Column::kMeta, test::text_bytes("a"))->has_value());
  EXPECT_TRUE(after->get(Column::kMeta, test::text_bytes("b"))->has_value());
  EXPECT_FALSE(after->get(Column::kMeta, test::text_bytes("c"))->has_value());
}

}  // namespace
}  // namespace bauhinia::ledger
