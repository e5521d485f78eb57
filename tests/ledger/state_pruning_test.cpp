// State-tree pruning (state_pruner.hpp): a random history pruned in small
// slices between commits keeps every retained version whole (every node
// reachable from its root present, proofs verifying against the recorded
// roots), refuses pruned versions, leaves no unreachable node behind, resumes
// after a crash before or between slices (real LevelDB, reopened), and
// refuses malformed index and progress entries. Then the same through
// LedgerStore with real certified blocks.

#include "bauhinia/ledger/state_pruner.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"
#include "bauhinia/ledger/state_node.hpp"
#include "bauhinia/ledger/state_tree.hpp"
#include "chain_builder.hpp"
#include "forwarding_store.hpp"
#include "temp_dir.hpp"

namespace bauhinia::ledger {
namespace {

using Model = std::map<Hash256, Bytes>;

Hash256 random_hash(std::mt19937_64& rng) {
  Hash256 h;
  for (auto& b : h.bytes()) b = static_cast<std::uint8_t>(rng());
  return h;
}

// The node keys reachable from the root of `version`; adds a failure for
// every node that is missing or does not decode.
std::set<Bytes> reachable_nodes(const KvReader& store, std::uint64_t version) {
  std::set<Bytes> seen;
  std::vector<std::pair<std::uint64_t, NibblePath>> todo{{version, NibblePath{}}};
  while (!todo.empty()) {
    const auto [v, path] = todo.back();
    todo.pop_back();
    const Bytes key = state_node_key(v, path);
    auto raw = store.get(Column::kStateNode, key);
    if (!raw || !raw->has_value()) {
      ADD_FAILURE() << "version " << version << ": node (" << v << ", '" << path.to_hex()
                    << "') is missing";
      continue;
    }
    auto node = decode_state_node(**raw);
    if (!node) {
      ADD_FAILURE() << "node does not decode";
      continue;
    }
    seen.insert(key);
    if (const auto* internal = std::get_if<InternalNode>(&*node)) {
      for (unsigned s = 0; s < kStateRadix; ++s) {
        if (const auto& c = internal->children[s]) {
          todo.emplace_back(c->version, path.child(static_cast<std::uint8_t>(s)));
        }
      }
    }
  }
  return seen;
}

std::set<Bytes> stored_nodes(const KvReader& store) {
  std::set<Bytes> out;
  EXPECT_TRUE(store.scan(Column::kStateNode, ByteView{}, SIZE_MAX, [&](ByteView k, ByteView) {
    out.emplace(k.begin(), k.end());
    return true;
  }));
  return out;
}

// A random history over a pool of keys (some sharing long prefixes, so that
// leaves move up and down), with the roots and contents of every version.
class History {
 public:
  explicit History(KvStore& store, std::uint64_t seed) : store_(&store), rng_(seed) {
    for (int i = 0; i < 120; ++i) pool_.push_back(random_hash(rng_));
    for (int i = 0; i < 12; ++i) {
      Hash256 k = pool_[static_cast<std::size_t>(i)];
      k.bytes()[31] ^= static_cast<std::uint8_t>(1 + i);  // shares 62+ nibbles with pool_[i]
      pool_.push_back(k);
    }
  }

  // Applies the next version: `kind` 0 random writes, 1 no writes, 2 delete everything.
  void step(int kind = 0) {
    std::map<Hash256, std::optional<Bytes>> changes;
    Model next = models_.empty() ? Model{} : models_.back();
    if (kind == 2) {
      for (const auto& [k, v] : next) changes[k] = std::nullopt;
    } else if (kind == 0) {
      const std::size_t n = 1 + rng_() % 12;
      for (std::size_t i = 0; i < n; ++i) {
        const Hash256& k = pool_[rng_() % pool_.size()];
        if (rng_() % 4 == 0) {
          changes[k] = std::nullopt;
        } else {
          changes[k] = Bytes{static_cast<std::uint8_t>(rng_()), static_cast<std::uint8_t>(i)};
        }
      }
    }
    std::vector<StateWrite> writes;
    for (const auto& [k, v] : changes) {
      writes.push_back({k, v});
      if (v) {
        next[k] = *v;
      } else {
        next.erase(k);
      }
    }
    WriteBatch batch;
    const std::uint64_t version = models_.size();
    auto update = StateTree(*store_, nullptr, true).apply(version, writes, batch);
    ASSERT_TRUE(update.has_value()) << update.error().to_string();
    ASSERT_TRUE(store_->write(batch, false));
    roots_.push_back(update->root);
    models_.push_back(std::move(next));
  }

  std::uint64_t latest() const { return models_.size() - 1; }
  // The same store, reopened.
  void reopened(KvStore& store) { store_ = &store; }

  // Version `v` is whole: every reachable node present, the recorded root,
  // and proofs of keys of the pool that verify against it.
  std::set<Bytes> check_version(std::uint64_t v) {
    std::set<Bytes> nodes = reachable_nodes(*store_, v);
    const StateTree tree(*store_);
    auto root = tree.root_hash(v);
    EXPECT_TRUE(root.has_value());
    if (!root) return nodes;
    EXPECT_EQ(*root, roots_[v]) << "version " << v;
    for (int i = 0; i < 6; ++i) {
      const Hash256& k = pool_[rng_() % pool_.size()];
      auto proven = tree.get_with_proof(k, v);
      EXPECT_TRUE(proven.has_value()) << proven.error().to_string();
      if (!proven) continue;
      const auto it = models_[v].find(k);
      std::optional<ByteView> expected;
      if (it != models_[v].end()) expected = ByteView(it->second);
      EXPECT_EQ(proven->value.has_value(), expected.has_value());
      EXPECT_TRUE(chain::verify_state_proof(roots_[v], k, expected, proven->proof))
          << "version " << v;
    }
    return nodes;
  }

  // Versions >= oldest whole, versions below refused, and nothing else stored.
  void check_all(std::uint64_t oldest, bool expect_no_garbage) {
    std::set<Bytes> live;
    for (std::uint64_t v = oldest; v <= latest(); ++v) live.merge(check_version(v));
    const StateTree tree(*store_);
    for (std::uint64_t v = 0; v + 1 < oldest; ++v) {
      auto root = tree.root_hash(v);
      ASSERT_FALSE(root.has_value()) << "pruned version " << v << " still has its root";
      EXPECT_EQ(root.error().code(), core::StatusCode::kNotFound);
    }
    if (expect_no_garbage) {
      EXPECT_EQ(stored_nodes(*store_), live);
    }
  }

 private:
  KvStore* store_;
  std::mt19937_64 rng_;
  std::vector<Hash256> pool_;
  std::vector<Model> models_;
  std::vector<Hash256> roots_;
};

// One slice written; returns the new progress.
StatePruneSlice prune_slice(KvStore& store, std::uint64_t pruned_below, std::uint64_t retain_from,
                            std::size_t max_nodes) {
  auto slice = plan_state_prune(store, pruned_below, retain_from, max_nodes);
  EXPECT_TRUE(slice.has_value()) << slice.error().to_string();
  if (!slice) return {};
  EXPECT_LE(slice->nodes_deleted, max_nodes);
  EXPECT_GE(slice->pruned_below, pruned_below);
  if (slice->batch.size() > 0) {
    EXPECT_TRUE(store.write(slice->batch, false));
  }
  auto stored = read_state_pruned_below(store);
  EXPECT_TRUE(stored.has_value());
  if (stored) {
    EXPECT_EQ(*stored, slice->pruned_below);
  }
  return std::move(slice).value();
}

std::uint64_t prune_to_end(KvStore& store, std::uint64_t pruned_below, std::uint64_t retain_from,
                           std::size_t max_nodes) {
  for (int i = 0; i < 100000; ++i) {
    StatePruneSlice s = prune_slice(store, pruned_below, retain_from, max_nodes);
    pruned_below = s.pruned_below;
    if (s.done) return pruned_below;
  }
  ADD_FAILURE() << "pruning did not finish";
  return pruned_below;
}

TEST(StatePruning, SlicesBetweenCommitsKeepEveryRetainedVersionWhole) {
  MemoryKvStore store;
  History h(store, 7);
  constexpr std::uint64_t kWindow = 12;
  std::uint64_t pruned_below = 0;
  for (int i = 0; i < 160; ++i) {
    h.step(i == 70 ? 2 : (i % 17 == 5 ? 1 : 0));
    const std::uint64_t latest = h.latest();
    if (latest + 1 < kWindow) continue;
    // A small slice after every commit: pruning lags behind and catches up.
    StatePruneSlice s = prune_slice(store, pruned_below, latest + 1 - kWindow, 9);
    pruned_below = s.pruned_below;
    EXPECT_LE(pruned_below, latest + 1 - kWindow);
    if (i % 40 == 39) h.check_all(pruned_below, false);
  }
  pruned_below = prune_to_end(store, pruned_below, h.latest() + 1 - kWindow, 9);
  EXPECT_EQ(pruned_below, h.latest() + 1 - kWindow);
  h.check_all(pruned_below, true);
  // Nothing left in the index at or below the progress.
  EXPECT_TRUE(store.scan(Column::kStateStale, ByteView{}, SIZE_MAX, [&](ByteView k, ByteView) {
    EXPECT_GT(read_be64(k), pruned_below);
    return true;
  }));
  // Keeping only the latest version leaves exactly its tree.
  pruned_below = prune_to_end(store, pruned_below, h.latest(), 1000);
  h.check_all(h.latest(), true);
}

TEST(StatePruning, ProgressNeverGoesBackAndAnEmptyStepWritesNothing) {
  MemoryKvStore store;
  History h(store, 11);
  for (int i = 0; i < 30; ++i) h.step();
  const std::uint64_t p = prune_to_end(store, 0, 20, 50);
  EXPECT_EQ(p, 20U);
  auto again = plan_state_prune(store, p, 20, 50);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->batch.size(), 0U);
  EXPECT_TRUE(again->done);
  auto back = plan_state_prune(store, p, 5, 50);  // a smaller window later
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->pruned_below, p);
  EXPECT_EQ(back->batch.size(), 0U);
  h.check_all(p, true);
}

TEST(StatePruning, ResumesAfterACrashBeforeOrBetweenSlices) {
  test::TempDir dir("bauhinia-prune");
  auto opened = LevelDbKvStore::open(dir.path());
  ASSERT_TRUE(opened.has_value()) << opened.error().to_string();
  std::unique_ptr<LevelDbKvStore> store = std::move(opened).value();
  History h(*store, 23);
  for (int i = 0; i < 80; ++i) h.step(i == 40 ? 2 : 0);
  std::uint64_t p = 0;
  for (int i = 0; i < 5; ++i) p = prune_slice(*store, p, 60, 7).pruned_below;
  // A slice planned but never written (the process died before the write).
  auto lost = plan_state_prune(*store, p, 60, 7);
  ASSERT_TRUE(lost.has_value());
  ASSERT_GT(lost->pruned_below, 0U);
  store.reset();  // the process goes away; LevelDB reopens from its log

  opened = LevelDbKvStore::open(dir.path());
  ASSERT_TRUE(opened.has_value()) << opened.error().to_string();
  store = std::move(opened).value();
  h.reopened(*store);
  auto stored = read_state_pruned_below(*store);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, p);  // the progress of the last slice written
  h.check_all(p, false);  // nothing of version >= p was touched
  p = prune_to_end(*store, *stored, 60, 7);
  EXPECT_EQ(p, 60U);
  h.check_all(p, true);
}

TEST(StatePruning, MalformedEntriesAreCorruptionAndChangeNothing) {
  MemoryKvStore store;
  History h(store, 5);
  for (int i = 0; i < 10; ++i) h.step();
  const std::size_t before = store.entries();
  WriteBatch bad;
  bad.put(Column::kStateStale, Bytes{0, 0, 0, 0, 0}, Bytes{});  // too short for be64 || node key
  ASSERT_TRUE(store.write(bad, false));
  auto slice = plan_state_prune(store, 0, 9, 1000);
  ASSERT_FALSE(slice.has_value());
  EXPECT_EQ(slice.error().code(), core::StatusCode::kCorruption);

  MemoryKvStore other;
  History g(other, 5);
  for (int i = 0; i < 10; ++i) g.step();
  WriteBatch value;  // an index entry with a value
  value.put(Column::kStateStale, state_stale_key(0, state_node_key(0, NibblePath{})), Bytes{1});
  ASSERT_TRUE(other.write(value, false));
  auto with_value = plan_state_prune(other, 0, 9, 1000);
  ASSERT_FALSE(with_value.has_value());

  WriteBatch progress;  // a progress entry of the wrong size
  const ByteView name = core::as_bytes(kMetaStatePrunedBelowKey);
  progress.put(Column::kMeta, Bytes(name.begin(), name.end()), Bytes{1, 2, 3});
  ASSERT_TRUE(store.write(progress, false));
  auto p = read_state_pruned_below(store);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().code(), core::StatusCode::kCorruption);
  EXPECT_EQ(store.entries(), before + 2);  // nothing deleted
}

// ---- Through LedgerStore, with real certified blocks ---------------------------

std::unique_ptr<LedgerStore> open_ledger(MemoryKvStore& kv, const GenesisSpec& g) {
  auto store = LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), g);
  EXPECT_TRUE(store.has_value()) << store.error().to_string();
  return store.has_value() ? std::move(store).value() : nullptr;
}

TEST(StatePruning, LedgerStoreKeepsTheWindowAndRefusesOlderVersions) {
  test::ChainBuilder builder;
  MemoryKvStore kv;
  auto ledger = open_ledger(kv, builder.genesis());
  ASSERT_NE(ledger, nullptr);
  ledger->set_state_pruning(true);
  constexpr std::uint64_t kWindow = 6;
  for (int i = 0; i < 30; ++i) {
    auto r = ledger->commit_block(builder.next_block(*ledger));
    ASSERT_TRUE(r.has_value() && r->ok());
    auto slice = ledger->prune_state(kWindow, 5);
    ASSERT_TRUE(slice.has_value()) << slice.error().to_string();
  }
  for (int i = 0; i < 1000; ++i) {
    auto slice = ledger->prune_state(kWindow, 5);
    ASSERT_TRUE(slice.has_value());
    if (slice->done) break;
  }
  const std::uint64_t latest = ledger->latest_height();
  const std::uint64_t oldest = latest + 1 - kWindow;
  EXPECT_EQ(ledger->oldest_state_version(), oldest);

  const Hash256 key = test::record_key(1);
  for (std::uint64_t v = oldest; v <= latest; ++v) {
    auto header = ledger->header(v);
    ASSERT_TRUE(header.has_value());
    auto proven = ledger->state_value_with_proof(key, v);
    ASSERT_TRUE(proven.has_value()) << proven.error().to_string();
    std::optional<ByteView> value;
    if (proven->value) value = ByteView(*proven->value);
    EXPECT_TRUE(chain::verify_state_proof(header->state_root, key, value, proven->proof));
    EXPECT_EQ(*ledger->state_root(v), header->state_root);
  }
  for (std::uint64_t v : {std::uint64_t{0}, oldest - 1}) {
    auto gone = ledger->state_value_with_proof(key, v);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code(), core::StatusCode::kNotFound);
    EXPECT_NE(gone.error().message().find("pruned"), std::string::npos);
    EXPECT_FALSE(ledger->state_root(v).has_value());
    EXPECT_FALSE(ledger->state_value(key, v).has_value());
    // Blocks themselves stay: pruning touches only the state tree's nodes.
    EXPECT_TRUE(ledger->header(v).has_value());
  }
  // A record's history is its values, which pruning keeps: every version it
  // was written at, pruned or not, with the value hash the chain committed.
  auto history = ledger->record_history(key, 0, kMaxHistoryPage);
  ASSERT_TRUE(history.has_value()) << history.error().to_string();
  ASSERT_FALSE(history->empty());
  EXPECT_LT(history->front().version, oldest);
  for (const RecordVersion& rv : *history) {
    ASSERT_TRUE(rv.value_hash.has_value());
    bool written = false;
    const auto writes =
        rv.version == 0 ? builder.genesis().state : builder.state_writes(rv.version);
    for (const StateWrite& w : writes) {
      if (w.key == key) {
        written = true;
        EXPECT_EQ(rv.value_hash, chain::state_value_hash(*w.value));
      }
    }
    EXPECT_TRUE(written) << "version " << rv.version;
  }
  std::set<Bytes> live;
  for (std::uint64_t v = oldest; v <= latest; ++v) live.merge(reachable_nodes(kv, v));
  EXPECT_EQ(stored_nodes(kv), live);

  // Reopened, the ledger knows how far it pruned and commits on.
  ledger.reset();
  ledger = open_ledger(kv, builder.genesis());
  ASSERT_NE(ledger, nullptr);
  EXPECT_EQ(ledger->oldest_state_version(), oldest);
  EXPECT_TRUE(ledger->verify_latest());
  auto r = ledger->commit_block(builder.next_block(*ledger));
  ASSERT_TRUE(r.has_value() && r->ok());
}

TEST(StatePruning, AnArchiveWritesNoIndex) {
  test::ChainBuilder builder;
  MemoryKvStore kv;
  auto ledger = open_ledger(kv, builder.genesis());
  ASSERT_NE(ledger, nullptr);
  for (int i = 0; i < 5; ++i) {
    auto r = ledger->commit_block(builder.next_block(*ledger));
    ASSERT_TRUE(r.has_value() && r->ok());
  }
  std::size_t entries = 0;
  EXPECT_TRUE(kv.scan(Column::kStateStale, ByteView{}, SIZE_MAX, [&](ByteView, ByteView) {
    ++entries;
    return true;
  }));
  EXPECT_EQ(entries, 0U);
  EXPECT_EQ(ledger->oldest_state_version(), 0U);
  EXPECT_TRUE(ledger->state_root(0).has_value());
}

}  // namespace
}  // namespace bauhinia::ledger
