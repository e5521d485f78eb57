// LedgerStore commits with a prepared state (prepare_state(), as the
// execution pipeline hands it over): the same bytes as a commit that
// recomputes the state tree, refusal of a prepared state that is not tied to
// the block's exact base, and reopening (which recomputes and checks the
// roots) after such commits, on LevelDB.

#include <gtest/gtest.h>

#include <memory>
#include <tuple>
#include <vector>

#include "bauhinia/ledger/leveldb_store.hpp"
#include "bauhinia/ledger/overlay_store.hpp"
#include "chain_builder.hpp"
#include "forwarding_store.hpp"
#include "temp_dir.hpp"

namespace bauhinia::ledger {
namespace {

using test::ChainBuilder;

using Entries = std::vector<std::tuple<Column, Bytes, Bytes>>;

// Every entry of every column the ledger writes.
Entries dump(const KvReader& kv) {
  Entries out;
  for (int c = 0x01; c <= 0x0D; ++c) {
    const auto column = static_cast<Column>(c);
    auto s = kv.scan(column, ByteView{}, SIZE_MAX, [&](ByteView k, ByteView v) {
      out.emplace_back(column, Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
      return true;
    });
    EXPECT_TRUE(s.is_ok()) << s.to_string();
  }
  return out;
}

std::unique_ptr<LedgerStore> open(MemoryKvStore& kv, const ChainBuilder& builder) {
  auto s = LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), builder.genesis());
  EXPECT_TRUE(s.has_value()) << s.error().to_string();
  return s.has_value() ? std::move(s).value() : nullptr;
}

// `b` with its state prepared on top of the store's latest block.
std::shared_ptr<const PreparedState> prepare_latest(const LedgerStore& store, BlockCommit& b) {
  auto p = store.prepare_state(store.latest_header(), store.kv(), b.state_writes);
  EXPECT_TRUE(p.has_value()) << p.error().to_string();
  if (!p.has_value()) return nullptr;
  b.state_writes.clear();
  b.prepared = p->get();
  return std::move(p).value();
}

void expect_committed(core::Result<core::Verdict> r) {
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  ASSERT_TRUE(r->ok()) << r->rejection().to_string();
}

void expect_rejected(core::Result<core::Verdict> r, core::Reject reason) {
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  ASSERT_FALSE(r->ok());
  EXPECT_EQ(r->rejection().reason, reason) << r->rejection().to_string();
}

// Blocks with an epoch change every 4 blocks, so that prepared commits cover
// validator-set changes too.
test::ChainParams params() {
  test::ChainParams p;
  p.epoch_length = 4;
  p.writes_per_block = 5;
  return p;
}

TEST(PreparedCommit, WritesExactlyWhatARecomputingCommitWrites) {
  const ChainBuilder builder(params());
  MemoryKvStore prepared_kv;
  MemoryKvStore recomputed_kv;
  auto prepared = open(prepared_kv, builder);
  auto recomputed = open(recomputed_kv, builder);
  ASSERT_TRUE(prepared && recomputed);
  for (int i = 0; i < 10; ++i) {
    BlockCommit b = builder.next_block(*recomputed);
    BlockCommit c = b;
    const auto state = prepare_latest(*prepared, c);
    ASSERT_NE(state, nullptr);
    EXPECT_EQ(state->root(), b.header.state_root);
    EXPECT_EQ(state->version(), b.header.height);
    EXPECT_EQ(state->parent_id(), prepared->latest_header().id());
    CommitStats stats;
    expect_committed(prepared->commit_block(c, &stats));
    EXPECT_EQ(stats.state_nodes_written, state->nodes_written());
    expect_committed(recomputed->commit_block(b));
  }
  EXPECT_EQ(prepared->latest_header(), recomputed->latest_header());
  EXPECT_TRUE(dump(prepared_kv) == dump(recomputed_kv));
  EXPECT_TRUE(prepared->verify_latest().is_ok());
}

TEST(PreparedCommit, ChainsOfPreparedBlocksInOneWrite) {
  // As the pipeline does: each block's state prepared over the ledger plus the
  // prepared batches of the blocks before it, all committed under the last
  // block's certificate.
  const ChainBuilder builder(params());
  MemoryKvStore kv;
  MemoryKvStore twin_kv;
  auto store = open(kv, builder);
  auto twin = open(twin_kv, builder);
  ASSERT_TRUE(store && twin);
  std::vector<BlockCommit> blocks;
  for (int i = 0; i < 3; ++i) {
    blocks.push_back(builder.next_block(*twin));
    expect_committed(twin->commit_block(blocks.back()));
  }
  for (std::size_t i = 0; i + 1 < blocks.size(); ++i) blocks[i].certificate = {};
  MemoryKvStore recomputed_kv;  // the same commit, recomputing the state
  auto recomputed = open(recomputed_kv, builder);
  ASSERT_TRUE(recomputed);
  expect_committed(recomputed->commit_blocks(blocks));
  OverlayStore view(store->kv());
  chain::BlockHeader parent = store->latest_header();
  std::vector<std::shared_ptr<const PreparedState>> keep;
  for (auto& b : blocks) {
    auto p = store->prepare_state(parent, view, b.state_writes);
    ASSERT_TRUE(p.has_value()) << p.error().to_string();
    view.apply((*p)->batch());
    b.state_writes.clear();
    b.prepared = p->get();
    keep.push_back(std::move(p).value());
    parent = b.header;
  }
  expect_committed(store->commit_blocks(blocks));
  EXPECT_EQ(store->latest_header(), twin->latest_header());
  EXPECT_TRUE(dump(kv) == dump(recomputed_kv));
}

TEST(PreparedCommit, AStatePreparedForAnotherBaseIsRejected) {
  const ChainBuilder builder(params());
  MemoryKvStore kv;
  MemoryKvStore twin_kv;
  auto store = open(kv, builder);
  auto twin = open(twin_kv, builder);
  ASSERT_TRUE(store && twin);
  BlockCommit b1 = builder.next_block(*store);
  expect_committed(twin->commit_block(b1));
  BlockCommit b2 = builder.next_block(*twin);

  // Prepared on top of genesis, then block 1 commits: the state is stale.
  BlockCommit early = b2;
  const auto stale = prepare_latest(*store, early);
  ASSERT_NE(stale, nullptr);
  expect_committed(store->commit_block(b1));
  const auto entries = kv.entries();
  expect_rejected(store->commit_block(early), core::Reject::kInvalid);
  EXPECT_EQ(kv.entries(), entries);
  EXPECT_EQ(store->latest_height(), 1U);

  // A state prepared for a sibling block (other writes on the same parent):
  // tied to the right base, but not to this header's state root.
  BlockCommit sibling = b2;
  sibling.state_writes.pop_back();
  const auto other = prepare_latest(*store, sibling);
  ASSERT_NE(other, nullptr);
  BlockCommit mixed = b2;
  mixed.state_writes.clear();
  mixed.prepared = other.get();
  expect_rejected(store->commit_block(mixed), core::Reject::kBadProof);
  EXPECT_EQ(kv.entries(), entries);

  // Writes given twice (beside the prepared state) are refused.
  BlockCommit twice = b2;
  const auto fresh = store->prepare_state(store->latest_header(), store->kv(), b2.state_writes);
  ASSERT_TRUE(fresh.has_value());
  twice.prepared = fresh->get();
  expect_rejected(store->commit_block(twice), core::Reject::kInvalid);
  EXPECT_EQ(kv.entries(), entries);

  // The right one commits.
  twice.state_writes.clear();
  expect_committed(store->commit_block(twice));
  EXPECT_EQ(store->latest_header(), b2.header);
}

TEST(PreparedCommit, HostRecordsAreWrittenWithTheBlocksOrNotAtAll) {
  const ChainBuilder builder(params());
  MemoryKvStore kv;
  auto store = open(kv, builder);
  ASSERT_TRUE(store);
  const Bytes key{'c', 0, 0, 0, 0, 0, 0, 0, 1};
  BlockCommit b = builder.next_block(*store);

  WriteBatch wrong;  // only the host's column is allowed
  wrong.put(Column::kSafety, key, Bytes{1});
  wrong.put(Column::kBlockHeader, be64_key(99), Bytes{2});
  const auto entries = kv.entries();
  auto r = store->commit_blocks(std::vector<BlockCommit>{b}, &wrong);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(kv.entries(), entries);

  // A refused block takes its records with it.
  WriteBatch records;
  records.put(Column::kSafety, key, Bytes{7, 7});
  BlockCommit bad = b;
  bad.header.state_root = core::sha256(core::as_bytes("not the root"));
  auto refused = store->commit_blocks(std::vector<BlockCommit>{bad}, &records);
  ASSERT_TRUE(refused.has_value()) << refused.error().to_string();
  EXPECT_FALSE(refused->ok());
  EXPECT_EQ(kv.entries(), entries);
  auto absent = kv.get(Column::kSafety, key);
  ASSERT_TRUE(absent.has_value());
  EXPECT_FALSE(absent->has_value());

  const auto state = prepare_latest(*store, b);
  ASSERT_NE(state, nullptr);
  expect_committed(store->commit_blocks(std::vector<BlockCommit>{b}, &records));
  auto stored = kv.get(Column::kSafety, key);
  ASSERT_TRUE(stored.has_value());
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ(**stored, (Bytes{7, 7}));
  EXPECT_TRUE(store->verify_latest().is_ok());
}

TEST(PreparedCommit, PrepareRefusesAViewThatIsNotTheParentsState) {
  const ChainBuilder builder(params());
  MemoryKvStore kv;
  auto store = open(kv, builder);
  ASSERT_TRUE(store);
  BlockCommit b1 = builder.next_block(*store);
  chain::BlockHeader parent = store->latest_header();
  parent.state_root = b1.header.state_root;  // not the state the view holds
  auto p = store->prepare_state(parent, store->kv(), b1.state_writes);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().code(), core::StatusCode::kInvalidArgument);

  std::vector<StateWrite> unsorted = b1.state_writes;
  ASSERT_GE(unsorted.size(), 2U);
  std::swap(unsorted[0], unsorted[1]);
  auto q = store->prepare_state(store->latest_header(), store->kv(), unsorted);
  ASSERT_FALSE(q.has_value());
  EXPECT_EQ(q.error().code(), core::StatusCode::kInvalidArgument);
}

TEST(PreparedCommit, ReopenAfterPreparedCommitsRecomputesTheRoots) {
  const ChainBuilder builder(params());
  test::TempDir dir("prepared-commit");
  std::vector<chain::BlockHeader> headers;
  {
    auto kv = LevelDbKvStore::open(dir.sub("db"));
    ASSERT_TRUE(kv.has_value());
    auto store = LedgerStore::open(std::move(kv).value(), builder.genesis());
    ASSERT_TRUE(store.has_value()) << store.error().to_string();
    for (int i = 0; i < 9; ++i) {
      BlockCommit b = builder.next_block(**store);
      const auto state = prepare_latest(**store, b);
      ASSERT_NE(state, nullptr);
      expect_committed((*store)->commit_block(b));
      headers.push_back(b.header);
    }
  }  // closed as a crash right after the last synced write leaves it
  auto kv = LevelDbKvStore::open(dir.sub("db"));
  ASSERT_TRUE(kv.has_value());
  // open() checks the latest block and recomputes its roots (verify_latest).
  auto store = LedgerStore::open(std::move(kv).value(), builder.genesis());
  ASSERT_TRUE(store.has_value()) << store.error().to_string();
  EXPECT_EQ((*store)->latest_header(), headers.back());
  for (const auto& h : headers) {
    auto root = (*store)->state_root(h.height);
    ASSERT_TRUE(root.has_value()) << root.error().to_string();
    EXPECT_EQ(*root, h.state_root);
  }
  // And it goes on committing (recomputing) on top of the prepared commits.
  expect_committed((*store)->commit_block(builder.next_block(**store)));
}

}  // namespace
}  // namespace bauhinia::ledger
