// State-tree pruning (docs/adr/0006-state-tree-pruning.md): commit latency of
// LedgerStore on LevelDB with a pruning thread running beside the commits
// (as StatePruneWorker does in the node) against an archive, and the disk
// footprint per transaction with and without pruning. Blocks of 1,000 small
// transactions each changing one state record, synced commits, as in
// storage_bench.cpp. Figures go to docs/performance.md ("State-tree pruning").
//   bench_state_prune_bench --benchmark_counters_tabular=true
//
// Argument: the window (0: archive, no stale-node index, nothing pruned).
// Counters:
//   p50_ms, p99_ms, max_ms  wall time of one commit_block (synced)
//   pruned_nodes             nodes the pruning thread deleted while measuring
//   batch_B/tx               the commit batches (stale-node index included)
//   dir_B/tx                 the database directory after pruning caught up
//                            and a full compaction, per transaction committed
//   state_node_B/tx, state_stale_B/tx  LevelDB's size of those columns

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../tests/ledger/chain_builder.hpp"
#include "../tests/ledger/temp_dir.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"

namespace bauhinia::ledger {
namespace {

constexpr std::size_t kTxPerBlock = 1000;
constexpr std::size_t kSliceNodes = 2000;

test::ChainParams bench_chain() {
  test::ChainParams p;
  p.chain_id = "bauhinia-bench";
  p.epoch_length = 0;
  p.transactions_per_block = kTxPerBlock;
  p.transaction_bytes = 160;
  p.writes_per_block = kTxPerBlock;
  p.record_space = 1'000'000;
  return p;
}

std::uint64_t directory_bytes(const std::string& path) {
  std::uint64_t total = 0;
  for (const auto& e : std::filesystem::directory_iterator(path)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

struct Ledger {
  test::TempDir dir{"prune-bench"};
  LevelDbKvStore* raw = nullptr;
  std::unique_ptr<LedgerStore> store;
  test::ChainBuilder builder{bench_chain()};
  std::uint64_t window;
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> pruned{0};
  std::thread pruner;

  explicit Ledger(std::uint64_t w) : window(w) {
    auto kv = LevelDbKvStore::open(dir.sub("db"));
    BAUHINIA_ASSERT(kv.has_value());
    raw = kv->get();
    auto s = LedgerStore::open(std::move(kv).value(), builder.genesis());
    BAUHINIA_ASSERT(s.has_value());
    store = std::move(s).value();
    if (window == 0) return;
    store->set_state_pruning(true);
    // The node's StatePruneWorker loop: a slice, a short pause while behind.
    pruner = std::thread([this] {
      while (!stop.load()) {
        auto slice = store->prune_state(window, kSliceNodes);
        BAUHINIA_ASSERT(slice.has_value());
        pruned.fetch_add(slice->nodes_deleted);
        std::this_thread::sleep_for(std::chrono::milliseconds(slice->done ? 250 : 2));
      }
    });
  }
  ~Ledger() { stop_pruner(); }
  void stop_pruner() {
    stop.store(true);
    if (pruner.joinable()) pruner.join();
  }
  std::size_t commit_next() {
    const BlockCommit b = builder.next_block(*store);
    CommitStats stats;
    auto r = store->commit_block(b, &stats);
    BAUHINIA_ASSERT(r.has_value() && r->ok());
    return stats.batch_bytes;
  }
  // Pruning to the end, on the caller's thread (the thread is stopped).
  void finish_pruning() {
    if (window == 0) return;
    stop_pruner();
    while (true) {
      auto slice = store->prune_state(window, kSliceNodes);
      BAUHINIA_ASSERT(slice.has_value());
      if (slice->done) break;
    }
  }
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

// Commits of 1,000 transactions while the pruning thread runs (window > 0).
void BM_CommitWhilePruning(benchmark::State& state) {
  const auto window = static_cast<std::uint64_t>(state.range(0));
  Ledger ledger(window);
  // Past the window, so that every commit makes pruning work.
  for (std::uint64_t i = 0; i < std::clamp<std::uint64_t>(window, 3, 30) + 2; ++i) ledger.commit_next();
  const std::uint64_t pruned_before = ledger.pruned.load();
  std::vector<double> ms;
  std::size_t batch_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const BlockCommit b = ledger.builder.next_block(*ledger.store);
    state.ResumeTiming();
    CommitStats stats;
    const auto t0 = std::chrono::steady_clock::now();
    auto r = ledger.store->commit_block(b, &stats);
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(r);
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    batch_bytes += stats.batch_bytes;
  }
  state.counters["p50_ms"] = percentile(ms, 0.5);
  state.counters["p99_ms"] = percentile(ms, 0.99);
  state.counters["max_ms"] = *std::max_element(ms.begin(), ms.end());
  state.counters["pruned_nodes"] = static_cast<double>(ledger.pruned.load() - pruned_before);
  state.counters["batch_B/tx"] =
      static_cast<double>(batch_bytes) / static_cast<double>(ms.size() * kTxPerBlock);
}
// 1,000,000: the stale-node index is written but nothing is due for pruning
// (the index's own cost, without the pruning thread's work).
BENCHMARK(BM_CommitWhilePruning)
    ->Arg(0)
    ->Arg(1'000'000)
    ->Arg(16)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(60)
    ->UseRealTime();

// The footprint after 60 blocks (60,000 transactions), pruning caught up and
// the database fully compacted.
void BM_Footprint(benchmark::State& state) {
  const auto window = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) {
    Ledger ledger(window);
    const std::uint64_t dir_before = directory_bytes(ledger.dir.sub("db"));
    constexpr int kBlocks = 60;
    std::size_t batch_bytes = 0;
    for (int i = 0; i < kBlocks; ++i) batch_bytes += ledger.commit_next();
    ledger.finish_pruning();
    ledger.raw->compact();
    const double txs = kBlocks * static_cast<double>(kTxPerBlock);
    state.counters["batch_B/tx"] = static_cast<double>(batch_bytes) / txs;
    state.counters["dir_B/tx"] =
        static_cast<double>(directory_bytes(ledger.dir.sub("db")) - dir_before) / txs;
    for (Column c : {Column::kStateNode, Column::kStateStale, Column::kStateValue}) {
      state.counters[column_name(c) + "_B/tx"] =
          static_cast<double>(ledger.raw->approximate_column_bytes(c)) / txs;
    }
  }
}
BENCHMARK(BM_Footprint)->Arg(0)->Arg(16)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace bauhinia::ledger
