// Transaction accumulator: append rate to 1M leaves (batches of 1,000, each
// batch written to the store), and proof generation / verification at 1M leaves.
// Figures and the command line: docs/performance.md, "Accumulator".

#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "../tests/ledger/temp_dir.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/ledger/accumulator.hpp"
#include "bauhinia/ledger/accumulator_reader.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"

namespace bauhinia::ledger {
namespace {

constexpr std::uint64_t kLeaves = 1'000'000;
constexpr std::size_t kBatch = 1'000;

std::vector<Hash256> make_leaves(std::uint64_t n) {
  std::vector<Hash256> out;
  out.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    Hash256 payload;
    for (int b = 0; b < 8; ++b)
      payload.bytes()[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(i >> (8 * b));
    out.push_back(chain::merkle::leaf_hash(payload.view()));
  }
  return out;
}

const std::vector<Hash256>& leaves() {
  static const std::vector<Hash256> l = make_leaves(kLeaves);
  return l;
}

void append_all(KvStore& store, const std::vector<Hash256>& l) {
  Accumulator acc;
  for (std::size_t i = 0; i < l.size(); i += kBatch) {
    WriteBatch batch;
    acc.append(std::span<const Hash256>(l.data() + i, std::min(kBatch, l.size() - i)), batch);
    if (!store.write(batch, false).is_ok()) std::abort();
  }
}

// Hashing and node emission only (the batch is dropped).
void BM_AppendNoStore(benchmark::State& state) {
  const auto& l = leaves();
  for (auto _ : state) {
    Accumulator acc;
    for (std::size_t i = 0; i < l.size(); i += kBatch) {
      WriteBatch batch;
      benchmark::DoNotOptimize(acc.append(std::span<const Hash256>(l.data() + i, kBatch), batch));
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kLeaves));
}
BENCHMARK(BM_AppendNoStore)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_AppendMemoryStore(benchmark::State& state) {
  const auto& l = leaves();
  for (auto _ : state) {
    auto store = std::make_unique<MemoryKvStore>();
    append_all(*store, l);
    state.PauseTiming();
    store.reset();  // freeing 2M entries is not appending
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kLeaves));
}
BENCHMARK(BM_AppendMemoryStore)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_AppendLevelDb(benchmark::State& state) {
  const auto& l = leaves();
  for (auto _ : state) {
    state.PauseTiming();
    auto dir = std::make_unique<test::TempDir>("accumulator-bench");
    auto db = LevelDbKvStore::open(dir->sub("db"));
    if (!db) std::abort();
    state.ResumeTiming();
    append_all(**db, l);
    state.PauseTiming();
    db->reset();
    dir.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kLeaves));
}
BENCHMARK(BM_AppendLevelDb)->Unit(benchmark::kMillisecond)->Iterations(1);

// A 1M-leaf tree in memory, built once for the proof benchmarks.
struct Built {
  MemoryKvStore store;
  Hash256 root;
  Built() {
    append_all(store, leaves());
    root = *AccumulatorReader(store).root_at(kLeaves);
  }
};
const Built& built() {
  static const Built b;
  return b;
}

void BM_InclusionProof(benchmark::State& state) {
  const Built& b = built();
  AccumulatorReader reader(b.store);
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    auto p = reader.inclusion_proof(rng() % kLeaves, kLeaves);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_InclusionProof);

void BM_VerifyInclusion(benchmark::State& state) {
  const Built& b = built();
  AccumulatorReader reader(b.store);
  std::vector<chain::InclusionProof> proofs;
  std::mt19937_64 rng(2);
  for (int i = 0; i < 256; ++i) proofs.push_back(*reader.inclusion_proof(rng() % kLeaves, kLeaves));
  std::size_t k = 0;
  for (auto _ : state) {
    const auto& p = proofs[k++ % proofs.size()];
    if (!chain::verify_inclusion(leaves()[p.leaf_index], p, b.root).ok()) std::abort();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_VerifyInclusion);

void BM_ConsistencyProof(benchmark::State& state) {
  const Built& b = built();
  AccumulatorReader reader(b.store);
  std::mt19937_64 rng(3);
  for (auto _ : state) {
    auto p = reader.consistency_proof(1 + rng() % kLeaves, kLeaves);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ConsistencyProof);

void BM_VerifyConsistency(benchmark::State& state) {
  const Built& b = built();
  AccumulatorReader reader(b.store);
  struct Case {
    chain::ConsistencyProof proof;
    Hash256 root1;
  };
  std::vector<Case> cases;
  std::mt19937_64 rng(4);
  for (int i = 0; i < 64; ++i) {
    const std::uint64_t size1 = 1 + rng() % kLeaves;
    cases.push_back({*reader.consistency_proof(size1, kLeaves), *reader.root_at(size1)});
  }
  std::size_t k = 0;
  for (auto _ : state) {
    const auto& c = cases[k++ % cases.size()];
    if (!chain::verify_consistency(c.proof, c.root1, b.root).ok()) std::abort();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_VerifyConsistency);

void BM_RootAtPastSize(benchmark::State& state) {
  const Built& b = built();
  AccumulatorReader reader(b.store);
  std::mt19937_64 rng(5);
  for (auto _ : state) benchmark::DoNotOptimize(reader.root_at(1 + rng() % kLeaves));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_RootAtPastSize);

}  // namespace
}  // namespace bauhinia::ledger
