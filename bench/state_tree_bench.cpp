// State tree micro-benchmarks (docs/performance.md, "State tree"). One tree of
// 1,000,000 records (64-byte values) is built once over MemoryKvStore and shared;
// the block benchmarks then add versions on top of it. The *LevelDb variants do
// the same over a LevelDbKvStore in a temporary directory.
//   bench_state_tree_bench --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "../tests/ledger/temp_dir.hpp"
#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/core/assert.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"
#include "bauhinia/ledger/state_tree.hpp"

namespace {

using bauhinia::core::Bytes;
using bauhinia::core::Hash256;
using bauhinia::ledger::Column;
using bauhinia::ledger::KvStore;
using bauhinia::ledger::LevelDbKvStore;
using bauhinia::ledger::MemoryKvStore;
using bauhinia::ledger::StateTree;
using bauhinia::ledger::StateUpdate;
using bauhinia::ledger::StateValueWithProof;
using bauhinia::ledger::StateWrite;
using bauhinia::ledger::WriteBatch;

constexpr std::size_t kRecords = 1'000'000;
constexpr std::size_t kBlockWrites = 1'000;
constexpr std::size_t kValueSize = 64;

Hash256 random_hash(std::mt19937_64& rng) {
  Hash256 h;
  for (auto& b : h.bytes()) b = static_cast<std::uint8_t>(rng());
  return h;
}

Bytes random_value(std::mt19937_64& rng) {
  Bytes v(kValueSize);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

// Applies `writes` as the next version and writes the batch to the store.
StateUpdate commit(KvStore& store, std::uint64_t version, std::vector<StateWrite>& writes,
                   std::size_t* batch_bytes = nullptr) {
  std::sort(writes.begin(), writes.end(),
            [](const StateWrite& a, const StateWrite& b) { return a.key < b.key; });
  WriteBatch batch;
  auto u = StateTree(store).apply(version, writes, batch);
  BAUHINIA_ASSERT_MSG(u.has_value(), "apply");
  if (batch_bytes) *batch_bytes = batch.approximate_bytes();
  BAUHINIA_ASSERT(store.write(batch, false).is_ok());
  return *u;
}

// The shared 1M-record tree (version 0) and the keys in it.
struct Fixture {
  MemoryKvStore store;
  std::vector<Hash256> keys;
  std::uint64_t next_version = 0;
  std::mt19937_64 rng{2026};

  Fixture() {
    keys.reserve(kRecords);
    std::vector<StateWrite> writes;
    writes.reserve(kRecords);
    for (std::size_t i = 0; i < kRecords; ++i) {
      keys.push_back(random_hash(rng));
      writes.push_back({keys.back(), random_value(rng)});
    }
    commit(store, next_version++, writes);
  }

  static Fixture& get() {
    static Fixture f;
    return f;
  }
};

// Building a tree of N records in one version (genesis or a restored snapshot).
void BM_InitialLoad(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    state.PauseTiming();
    MemoryKvStore store;
    std::vector<StateWrite> writes;
    writes.reserve(n);
    for (std::size_t i = 0; i < n; ++i) writes.push_back({random_hash(rng), random_value(rng)});
    std::sort(writes.begin(), writes.end(),
              [](const StateWrite& a, const StateWrite& b) { return a.key < b.key; });
    WriteBatch batch;
    state.ResumeTiming();
    auto u = StateTree(store).apply(0, writes, batch);
    state.PauseTiming();
    BAUHINIA_ASSERT(u.has_value());
    state.counters["nodes"] = static_cast<double>(u->nodes_written);
    state.counters["batch_bytes"] = static_cast<double>(batch.approximate_bytes());
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_InitialLoad)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);

void report_block(benchmark::State& state, std::size_t blocks, std::size_t nodes,
                  std::size_t node_bytes, std::size_t total_bytes) {
  state.SetItemsProcessed(static_cast<std::int64_t>(blocks * kBlockWrites));
  const double n = static_cast<double>(std::max<std::size_t>(blocks, 1));
  state.counters["nodes/block"] = static_cast<double>(nodes) / n;
  state.counters["node_bytes/block"] = static_cast<double>(node_bytes) / n;
  state.counters["batch_bytes/block"] = static_cast<double>(total_bytes) / n;
  state.counters["node_bytes/write"] = static_cast<double>(node_bytes) / n / kBlockWrites;
}

// One block of 1,000 updates of random existing records: apply() only (the
// store's write of the batch is not timed).
void BM_ApplyBlockUpdates(benchmark::State& state) {
  Fixture& f = Fixture::get();
  std::size_t blocks = 0, nodes = 0, node_bytes = 0, total_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::map<Hash256, Bytes> chosen;
    while (chosen.size() < kBlockWrites)
      chosen[f.keys[f.rng() % f.keys.size()]] = random_value(f.rng);
    std::vector<StateWrite> writes;
    for (auto& [k, v] : chosen) writes.push_back({k, std::move(v)});
    WriteBatch batch;
    state.ResumeTiming();
    auto u = StateTree(f.store).apply(f.next_version, writes, batch);
    state.PauseTiming();
    BAUHINIA_ASSERT(u.has_value());
    for (const auto& w : batch.writes()) {
      if (w.column == Column::kStateNode) node_bytes += 1 + w.key.size() + w.value->size();
    }
    total_bytes += batch.approximate_bytes();
    nodes += u->nodes_written;
    ++blocks;
    BAUHINIA_ASSERT(f.store.write(batch, false).is_ok());
    ++f.next_version;
    state.ResumeTiming();
  }
  report_block(state, blocks, nodes, node_bytes, total_bytes);
}
BENCHMARK(BM_ApplyBlockUpdates)->Unit(benchmark::kMillisecond)->MinTime(3.0);

// One block of 1,000 new records.
void BM_ApplyBlockInserts(benchmark::State& state) {
  Fixture& f = Fixture::get();
  std::size_t blocks = 0, nodes = 0, node_bytes = 0, total_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<StateWrite> writes;
    for (std::size_t i = 0; i < kBlockWrites; ++i)
      writes.push_back({random_hash(f.rng), random_value(f.rng)});
    std::sort(writes.begin(), writes.end(),
              [](const StateWrite& a, const StateWrite& b) { return a.key < b.key; });
    WriteBatch batch;
    state.ResumeTiming();
    auto u = StateTree(f.store).apply(f.next_version, writes, batch);
    state.PauseTiming();
    BAUHINIA_ASSERT(u.has_value());
    for (const auto& w : batch.writes()) {
      if (w.column == Column::kStateNode) node_bytes += 1 + w.key.size() + w.value->size();
    }
    total_bytes += batch.approximate_bytes();
    nodes += u->nodes_written;
    ++blocks;
    BAUHINIA_ASSERT(f.store.write(batch, false).is_ok());
    for (const auto& w : writes) f.keys.push_back(w.key);
    ++f.next_version;
    state.ResumeTiming();
  }
  report_block(state, blocks, nodes, node_bytes, total_bytes);
}
BENCHMARK(BM_ApplyBlockInserts)->Unit(benchmark::kMillisecond)->MinTime(3.0);

// Inclusion proof of a random existing record at the latest version.
void BM_GetWithProofPresent(benchmark::State& state) {
  Fixture& f = Fixture::get();
  const StateTree tree(f.store);
  const std::uint64_t version = f.next_version - 1;
  std::size_t siblings = 0, n = 0;
  for (auto _ : state) {
    auto p = tree.get_with_proof(f.keys[f.rng() % f.keys.size()], version);
    BAUHINIA_ASSERT(p.has_value() && p->value.has_value());
    siblings += p->proof.siblings.size();
    ++n;
    benchmark::DoNotOptimize(p);
  }
  state.counters["siblings"] = static_cast<double>(siblings) / static_cast<double>(n);
}
BENCHMARK(BM_GetWithProofPresent)->Unit(benchmark::kMicrosecond);

// Non-inclusion proof of a random absent key.
void BM_GetWithProofAbsent(benchmark::State& state) {
  Fixture& f = Fixture::get();
  const StateTree tree(f.store);
  const std::uint64_t version = f.next_version - 1;
  for (auto _ : state) {
    auto p = tree.get_with_proof(random_hash(f.rng), version);
    BAUHINIA_ASSERT(p.has_value() && !p->value.has_value());
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_GetWithProofAbsent)->Unit(benchmark::kMicrosecond);

// Plain read of a record's value (no proof).
void BM_Get(benchmark::State& state) {
  Fixture& f = Fixture::get();
  const StateTree tree(f.store);
  const std::uint64_t version = f.next_version - 1;
  for (auto _ : state) {
    auto v = tree.get(f.keys[f.rng() % f.keys.size()], version);
    BAUHINIA_ASSERT(v.has_value() && v->has_value());
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_Get)->Unit(benchmark::kMicrosecond);

// Light-client verification of an inclusion proof at 1M records.
void BM_VerifyProof(benchmark::State& state) {
  Fixture& f = Fixture::get();
  const StateTree tree(f.store);
  const std::uint64_t version = f.next_version - 1;
  const Hash256 root = *tree.root_hash(version);
  std::vector<std::pair<Hash256, StateValueWithProof>> proofs;
  for (int i = 0; i < 256; ++i) {
    const Hash256& k = f.keys[f.rng() % f.keys.size()];
    proofs.emplace_back(k, *tree.get_with_proof(k, version));
  }
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& [k, p] = proofs[i++ % proofs.size()];
    const auto v = bauhinia::chain::verify_state_proof(root, k, *p.value, p.proof);
    BAUHINIA_ASSERT(v.ok());
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_VerifyProof)->Unit(benchmark::kMicrosecond);

// ---- The same over LevelDB ---------------------------------------------------

// 1M records in LevelDB (written as 10 versions of 100,000), default options
// (32 MiB block cache, Snappy, bloom filters), no sync.
struct LevelDbFixture {
  bauhinia::test::TempDir dir{"state-tree-bench"};
  std::unique_ptr<LevelDbKvStore> store;
  std::vector<Hash256> keys;
  std::uint64_t next_version = 0;
  std::mt19937_64 rng{2027};

  LevelDbFixture() {
    auto db = LevelDbKvStore::open(dir.sub("db"));
    BAUHINIA_ASSERT_MSG(db.has_value(), "open LevelDB");
    store = std::move(db).value();
    keys.reserve(kRecords);
    for (std::size_t part = 0; part < 10; ++part) {
      std::vector<StateWrite> writes;
      for (std::size_t i = 0; i < kRecords / 10; ++i) {
        keys.push_back(random_hash(rng));
        writes.push_back({keys.back(), random_value(rng)});
      }
      commit(*store, next_version++, writes);
    }
  }

  static LevelDbFixture& get() {
    static LevelDbFixture f;
    return f;
  }
};

// A block of 1,000 updates: apply() and the (unsynced) LevelDB write, both timed.
void BM_CommitBlockUpdatesLevelDb(benchmark::State& state) {
  LevelDbFixture& f = LevelDbFixture::get();
  std::size_t blocks = 0, nodes = 0, total_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::map<Hash256, Bytes> chosen;
    while (chosen.size() < kBlockWrites)
      chosen[f.keys[f.rng() % f.keys.size()]] = random_value(f.rng);
    std::vector<StateWrite> writes;
    for (auto& [k, v] : chosen) writes.push_back({k, std::move(v)});
    WriteBatch batch;
    state.ResumeTiming();
    auto u = StateTree(*f.store).apply(f.next_version, writes, batch);
    BAUHINIA_ASSERT(u.has_value());
    BAUHINIA_ASSERT(f.store->write(batch, false).is_ok());
    state.PauseTiming();
    total_bytes += batch.approximate_bytes();
    nodes += u->nodes_written;
    ++blocks;
    ++f.next_version;
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(blocks * kBlockWrites));
  const double n = static_cast<double>(std::max<std::size_t>(blocks, 1));
  state.counters["nodes/block"] = static_cast<double>(nodes) / n;
  state.counters["batch_bytes/block"] = static_cast<double>(total_bytes) / n;
}
BENCHMARK(BM_CommitBlockUpdatesLevelDb)->Unit(benchmark::kMillisecond)->MinTime(3.0);

void BM_GetWithProofPresentLevelDb(benchmark::State& state) {
  LevelDbFixture& f = LevelDbFixture::get();
  const StateTree tree(*f.store);
  const std::uint64_t version = f.next_version - 1;
  for (auto _ : state) {
    auto p = tree.get_with_proof(f.keys[f.rng() % f.keys.size()], version);
    BAUHINIA_ASSERT(p.has_value() && p->value.has_value());
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_GetWithProofPresentLevelDb)->Unit(benchmark::kMicrosecond);

void BM_GetLevelDb(benchmark::State& state) {
  LevelDbFixture& f = LevelDbFixture::get();
  const StateTree tree(*f.store);
  const std::uint64_t version = f.next_version - 1;
  for (auto _ : state) {
    auto v = tree.get(f.keys[f.rng() % f.keys.size()], version);
    BAUHINIA_ASSERT(v.has_value() && v->has_value());
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_GetLevelDb)->Unit(benchmark::kMicrosecond);

}  // namespace
