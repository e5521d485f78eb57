// LatestValueCache and LedgerStore::latest_state_value: the latest committed
// value of a record without a LevelDB seek, kept current by commits (one
// block at a time and several under one certificate), never stale to a reader
// that races a commit.

#include "bauhinia/ledger/latest_value_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"
#include "chain_builder.hpp"
#include "forwarding_store.hpp"
#include "temp_dir.hpp"

namespace bauhinia::ledger {
namespace {

using core::Hash256;
using test::ChainBuilder;

// A cache answer that the record does not exist.
const std::optional<std::optional<Bytes>> kNoRecord{std::in_place};

Bytes value_of(const std::string& text) {
  return Bytes(text.begin(), text.end());
}
Hash256 key_of(std::uint8_t n) {
  Hash256 k;
  k.bytes()[0] = n;
  return k;
}

// ---- The cache's rules --------------------------------------------------------

TEST(LatestValueCache, KeepsOnlyWhatWasReadAtItsHeight) {
  LatestValueCache cache(1 << 20);
  cache.reset(7);
  EXPECT_FALSE(cache.find(key_of(1), 7).has_value());
  cache.put(key_of(1), 6, value_of("read at 6"));  // a read that a commit overtook
  EXPECT_FALSE(cache.find(key_of(1), 7).has_value());
  EXPECT_FALSE(cache.find(key_of(1), 6).has_value());
  cache.put(key_of(1), 7, value_of("read at 7"));
  cache.put(key_of(2), 7, std::nullopt);  // no record: cached as such
  EXPECT_EQ(cache.find(key_of(1), 7), std::optional(std::optional(value_of("read at 7"))));
  EXPECT_EQ(cache.find(key_of(2), 7), kNoRecord);
  // Not before the read's height (the value may have been other then), nor
  // after the cache's height (a block the cache has not seen).
  EXPECT_FALSE(cache.find(key_of(1), 6).has_value());
  EXPECT_FALSE(cache.find(key_of(1), 8).has_value());
  cache.put(key_of(8), 8, value_of("read at 8, ahead of the cache"));
  EXPECT_FALSE(cache.find(key_of(8), 7).has_value());
  EXPECT_EQ(cache.size(), 2u);
}

TEST(LatestValueCache, CommitsReplaceWhatTheyWroteAndKeepTheRest) {
  LatestValueCache cache(1 << 20);
  cache.reset(3);
  cache.put(key_of(1), 3, value_of("a"));
  cache.put(key_of(2), 3, value_of("b"));
  cache.put(key_of(3), 3, std::nullopt);
  const std::vector<StateWrite> writes{{key_of(2), std::nullopt}, {key_of(3), value_of("c")}};
  cache.advance(4, writes);
  EXPECT_EQ(cache.height(), 4u);
  EXPECT_EQ(cache.find(key_of(1), 4), std::optional(std::optional(value_of("a"))));
  EXPECT_EQ(cache.find(key_of(1), 3), std::optional(std::optional(value_of("a"))));
  EXPECT_EQ(cache.find(key_of(2), 4), kNoRecord);
  EXPECT_EQ(cache.find(key_of(3), 4), std::optional(std::optional(value_of("c"))));
  // Written at 4: what it was at 3 is not the cache's to say.
  EXPECT_FALSE(cache.find(key_of(2), 3).has_value());
  EXPECT_FALSE(cache.find(key_of(3), 3).has_value());
  // A put of a read at 4 does not replace the committed write.
  cache.put(key_of(3), 4, value_of("stale"));
  EXPECT_EQ(cache.find(key_of(3), 4), std::optional(std::optional(value_of("c"))));
}

TEST(LatestValueCache, AGapInHeightsDropsEverything) {
  LatestValueCache cache(1 << 20);
  cache.reset(3);
  cache.put(key_of(1), 3, value_of("a"));
  cache.advance(5, {});  // block 4 committed around the cache
  EXPECT_EQ(cache.height(), 5u);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.find(key_of(1), 5).has_value());
  cache.advance(5, std::vector<StateWrite>{{key_of(2), value_of("x")}});  // not height + 1
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_FALSE(cache.find(key_of(2), 4).has_value());
}

TEST(LatestValueCache, BoundedByBytesOldestUseFirstOut) {
  LatestValueCache cache(4 * (144 + 100));  // four 100-byte values
  cache.reset(1);
  for (std::uint8_t n = 0; n < 4; ++n) cache.put(key_of(n), 1, Bytes(100, n));
  ASSERT_TRUE(cache.find(key_of(0), 1).has_value());  // 0 used: 1 is now the oldest
  cache.put(key_of(9), 1, Bytes(100, 9));
  EXPECT_EQ(cache.size(), 4u);
  EXPECT_FALSE(cache.find(key_of(1), 1).has_value());
  EXPECT_TRUE(cache.find(key_of(0), 1).has_value());
  EXPECT_TRUE(cache.find(key_of(9), 1).has_value());
  LatestValueCache none(0);
  none.reset(1);
  none.put(key_of(1), 1, value_of("a"));
  EXPECT_EQ(none.size(), 0u);
}

// ---- Through LedgerStore ---------------------------------------------------------

// The state the chain builder's blocks leave, kept beside the store.
struct StateModel {
  std::vector<std::map<Hash256, Bytes>> at;  // per height
  explicit StateModel(const GenesisSpec& g) {
    std::map<Hash256, Bytes> s;
    for (const auto& w : g.state) s[w.key] = *w.value;
    at.push_back(std::move(s));
  }
  void add(std::span<const StateWrite> writes) {
    std::map<Hash256, Bytes> s = at.back();
    for (const auto& w : writes) {
      if (w.value) {
        s[w.key] = *w.value;
      } else {
        s.erase(w.key);
      }
    }
    at.push_back(std::move(s));
  }
  std::optional<Bytes> value(std::uint64_t height, const Hash256& key) const {
    auto it = at[height].find(key);
    return it == at[height].end() ? std::nullopt : std::optional(it->second);
  }
};

void expect_latest(const LedgerStore& store, const StateModel& model, const ChainBuilder& b) {
  const std::uint64_t h = store.latest_height();
  const auto before = store.latest_value_counts();
  for (std::uint64_t n = 0; n < b.params().record_space; ++n) {
    const Hash256 key = test::record_key(n);
    SCOPED_TRACE("height " + std::to_string(h) + ", record " + std::to_string(n));
    // Twice: the first read may fill the cache, the second is served by it.
    for (int i = 0; i < 2; ++i) {
      auto v = store.latest_state_value(key);
      ASSERT_TRUE(v.has_value()) << v.error().to_string();
      EXPECT_EQ(*v, model.value(h, key));
      auto checked = store.state_value(key, h);
      ASSERT_TRUE(checked.has_value());
      EXPECT_EQ(*v, *checked);
    }
  }
  // Every second read was served by the cache (and some first ones: what the
  // commits wrote, or what an earlier call read at this height).
  const auto after = store.latest_value_counts();
  EXPECT_GE(after.hits - before.hits, b.params().record_space);
  EXPECT_EQ((after.hits - before.hits) + (after.misses - before.misses),
            2 * b.params().record_space);
}

TEST(LatestStateValue, FollowsEveryCommitAndReopen) {
  ChainBuilder builder;
  MemoryKvStore kv;
  StateModel model(builder.genesis());
  {
    auto opened =
        LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), builder.genesis());
    ASSERT_TRUE(opened.has_value());
    LedgerStore& store = **opened;
    expect_latest(store, model, builder);
    for (int i = 0; i < 16; ++i) {
      const BlockCommit b = builder.next_block(store);
      auto r = store.commit_block(b);
      ASSERT_TRUE(r.has_value() && r->ok());
      model.add(b.state_writes);
      expect_latest(store, model, builder);
    }
  }
  auto reopened =
      LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), builder.genesis());
  ASSERT_TRUE(reopened.has_value());
  expect_latest(**reopened, model, builder);
}

TEST(LatestStateValue, FollowsBlocksCommittedUnderOneCertificate) {
  test::ChainParams params;
  params.epoch_length = 0;  // a block ending an epoch needs its own certificate
  ChainBuilder builder(params);
  MemoryKvStore kv;
  MemoryKvStore twin_kv;
  auto store = LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), builder.genesis());
  auto twin =
      LedgerStore::open(std::make_unique<test::ForwardingKvStore>(twin_kv), builder.genesis());
  ASSERT_TRUE(store.has_value() && twin.has_value());
  StateModel model(builder.genesis());
  expect_latest(**store, model, builder);  // fills the cache at height 0
  for (int round = 0; round < 3; ++round) {
    std::vector<BlockCommit> blocks;
    for (int i = 0; i < 3; ++i) {
      BlockCommit b = builder.next_block(**twin);
      auto r = (*twin)->commit_block(b);
      ASSERT_TRUE(r.has_value() && r->ok());
      model.add(b.state_writes);
      blocks.push_back(std::move(b));
    }
    for (std::size_t i = 0; i + 1 < blocks.size(); ++i) {
      blocks[i].certificate = chain::QuorumCertificate{};
    }
    auto r = (*store)->commit_blocks(blocks);
    ASSERT_TRUE(r.has_value() && r->ok()) << (r ? r->rejection().to_string() : "error");
    expect_latest(**store, model, builder);
  }
}

// A reader beside the committing thread, on LevelDB: every value it gets is
// the record's value at some height between the latest height it saw before
// the read and the one it saw after.
TEST(LatestStateValue, ReadersRacingCommitsNeverSeeAStaleValue) {
  test::ChainParams params;
  params.record_space = 8;  // few records, written often
  params.writes_per_block = 4;
  ChainBuilder builder(params);
  test::TempDir dir("latest-values");
  auto kv = LevelDbKvStore::open(dir.sub("db"));
  ASSERT_TRUE(kv.has_value());
  auto opened = LedgerStore::open(std::move(kv).value(), builder.genesis());
  ASSERT_TRUE(opened.has_value());
  LedgerStore& store = **opened;
  StateModel model(builder.genesis());

  struct Seen {
    std::uint64_t before, after, record;
    std::optional<Bytes> value;
  };
  std::vector<Seen> seen;
  std::atomic<bool> done{false};
  std::atomic<int> errors{0};
  std::thread reader([&] {
    std::uint64_t n = 0;
    while (!done.load()) {
      const std::uint64_t record = n++ % params.record_space;
      const std::uint64_t before = store.latest_height();
      auto v = store.latest_state_value(test::record_key(record));
      const std::uint64_t after = store.latest_height();
      if (!v) {
        ++errors;
        continue;
      }
      if (seen.size() < 200'000) seen.push_back({before, after, record, std::move(*v)});
    }
  });
  for (int i = 0; i < 60; ++i) {
    const BlockCommit b = builder.next_block(store);
    auto r = store.commit_block(b);
    ASSERT_TRUE(r.has_value() && r->ok());
    model.add(b.state_writes);
  }
  done = true;
  reader.join();
  EXPECT_EQ(errors.load(), 0);
  ASSERT_GT(seen.size(), 0u);
  std::size_t stale = 0;
  for (const Seen& s : seen) {
    bool matches = false;
    for (std::uint64_t h = s.before; h <= s.after && !matches; ++h) {
      matches = model.value(h, test::record_key(s.record)) == s.value;
    }
    if (!matches) ++stale;
  }
  EXPECT_EQ(stale, 0u) << "of " << seen.size() << " reads";
}

}  // namespace
}  // namespace bauhinia::ledger
