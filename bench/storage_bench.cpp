// LedgerStore on LevelDB: commit cost and bytes written per transaction for
// blocks of 1,000 small transactions (each changing one state record), and the
// cost of the proof reads the API serves. Figures go to docs/performance.md
// ("Storage"). Run from a Release tree:
//   bench_storage --benchmark_counters_tabular=true
//
// Counters:
//   batch_B/tx     WriteBatch::approximate_bytes() of a block / its transactions
//   entries/tx     WriteBatch entries of a block / its transactions
//   dir_B/tx       growth of the database directory per transaction (log and
//                  tables as LevelDB left them; after compaction in Footprint)
//   <column>_B/tx  LevelDB's size of each column after a full compaction

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "../tests/ledger/chain_builder.hpp"
#include "../tests/ledger/temp_dir.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"

namespace bauhinia::ledger {
namespace {

constexpr std::size_t kTxPerBlock = 1000;

test::ChainParams bench_chain() {
  test::ChainParams p;
  p.chain_id = "bauhinia-bench";
  p.epoch_length = 0;
  p.transactions_per_block = kTxPerBlock;
  p.transaction_bytes = 160;  // a small signed envelope
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
  test::TempDir dir{"storage-bench"};
  LevelDbKvStore* raw = nullptr;
  std::unique_ptr<LedgerStore> store;
  test::ChainBuilder builder{bench_chain()};

  // The node's ledger options; BENCH_SNAPPY=0/1 turns compression off/on,
  // BENCH_WRITE_BUFFER_MB and BENCH_MAX_FILE_MB set the memtable and table
  // file sizes, to compare.
  static LevelDbOptions options() {
    LevelDbOptions o = LevelDbOptions::ledger();
    if (const char* v = std::getenv("BENCH_SNAPPY")) o.compression = std::string(v) != "0";
    if (const char* v = std::getenv("BENCH_WRITE_BUFFER_MB")) {
      o.write_buffer_bytes = std::strtoull(v, nullptr, 10) << 20;
    }
    if (const char* v = std::getenv("BENCH_MAX_FILE_MB")) {
      o.max_file_bytes = std::strtoull(v, nullptr, 10) << 20;
    }
    return o;
  }

  Ledger() {
    auto kv = LevelDbKvStore::open(dir.sub("db"), options());
    BAUHINIA_ASSERT(kv.has_value());
    raw = kv->get();
    auto s = LedgerStore::open(std::move(kv).value(), builder.genesis());
    BAUHINIA_ASSERT(s.has_value());
    store = std::move(s).value();
  }
  CommitStats commit_next() {
    const BlockCommit b = builder.next_block(*store);
    CommitStats stats;
    auto r = store->commit_block(b, &stats);
    BAUHINIA_ASSERT(r.has_value() && r->ok());
    return stats;
  }
};

// One synced block of 1,000 transactions and 1,000 state writes per iteration
// (block building, i.e. execution and signing, is not timed).
void BM_CommitBlock1000(benchmark::State& state) {
  Ledger ledger;
  for (int i = 0; i < 3; ++i) ledger.commit_next();  // past genesis
  const std::uint64_t dir_before = directory_bytes(ledger.dir.sub("db"));
  std::size_t batch_bytes = 0;
  std::size_t entries = 0;
  std::size_t blocks = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const BlockCommit b = ledger.builder.next_block(*ledger.store);
    state.ResumeTiming();
    CommitStats stats;
    auto r = ledger.store->commit_block(b, &stats);
    benchmark::DoNotOptimize(r);
    batch_bytes += stats.batch_bytes;
    entries += stats.batch_entries;
    ++blocks;
  }
  const double txs = static_cast<double>(blocks * kTxPerBlock);
  const std::uint64_t dir_after = directory_bytes(ledger.dir.sub("db"));
  state.counters["tx/s"] =
      benchmark::Counter(static_cast<double>(blocks * kTxPerBlock), benchmark::Counter::kIsRate);
  state.counters["batch_B/tx"] = static_cast<double>(batch_bytes) / txs;
  state.counters["entries/tx"] = static_cast<double>(entries) / txs;
  state.counters["dir_B/tx"] = static_cast<double>(dir_after - dir_before) / txs;
}
BENCHMARK(BM_CommitBlock1000)->Unit(benchmark::kMillisecond)->Iterations(40);

// The steady-state footprint: 50 blocks (50,000 transactions), fully
// compacted, split by column.
void BM_Footprint(benchmark::State& state) {
  for (auto _ : state) {
    Ledger ledger;
    const std::uint64_t dir_before = directory_bytes(ledger.dir.sub("db"));
    std::size_t batch_bytes = 0;
    constexpr int kBlocks = 50;
    for (int i = 0; i < kBlocks; ++i) batch_bytes += ledger.commit_next().batch_bytes;
    ledger.raw->compact();
    const double txs = kBlocks * static_cast<double>(kTxPerBlock);
    state.counters["batch_B/tx"] = static_cast<double>(batch_bytes) / txs;
    state.counters["dir_B/tx"] =
        static_cast<double>(directory_bytes(ledger.dir.sub("db")) - dir_before) / txs;
    for (Column c :
         {Column::kTransaction, Column::kTxIndex, Column::kAccumulator, Column::kStateNode,
          Column::kStateValue, Column::kAccountTx, Column::kBlockHeader, Column::kCertificate}) {
      state.counters[column_name(c) + "_B/tx"] =
          static_cast<double>(ledger.raw->approximate_column_bytes(c)) / txs;
    }
  }
}
BENCHMARK(BM_Footprint)->Unit(benchmark::kMillisecond)->Iterations(1);

// Reads the API serves, over a ledger of 20,000 transactions.
class ReadFixture : public benchmark::Fixture {
 public:
  void SetUp(const benchmark::State&) override {
    if (ledger_) return;
    ledger_ = std::make_unique<Ledger>();
    for (int i = 0; i < 20; ++i) ledger_->commit_next();
    for (std::uint64_t i = 0; i < 64; ++i) {
      auto tx = ledger_->store->transaction_at(i * 311);
      BAUHINIA_ASSERT(tx.has_value());
      ids_.push_back(tx->info.transaction_id);
    }
  }

 protected:
  static std::unique_ptr<Ledger> ledger_;
  static std::vector<core::Hash256> ids_;
};
std::unique_ptr<Ledger> ReadFixture::ledger_;
std::vector<core::Hash256> ReadFixture::ids_;

BENCHMARK_F(ReadFixture, TransactionWithProof)(benchmark::State& state) {
  const std::uint64_t size = ledger_->store->latest_header().accumulator_size;
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = ledger_->store->transaction_with_proof(ids_[i++ % ids_.size()], size);
    BAUHINIA_ASSERT(r.has_value());
    benchmark::DoNotOptimize(r);
  }
}

BENCHMARK_F(ReadFixture, StateValueWithProof)(benchmark::State& state) {
  const std::uint64_t height = ledger_->store->latest_height();
  std::uint64_t n = 0;
  for (auto _ : state) {
    // A record block 4 + n % 20 wrote (ChainBuilder::state_writes).
    const std::uint64_t record = ((4 + n % 20) * 7 + ((n * 37) % 1000) * 13) % 1'000'000;
    ++n;
    auto r = ledger_->store->state_value_with_proof(test::record_key(record), height);
    BAUHINIA_ASSERT(r.has_value() && r->value.has_value());
    benchmark::DoNotOptimize(r);
  }
}

BENCHMARK_F(ReadFixture, BlockTransactions1000)(benchmark::State& state) {
  std::uint64_t h = 1;
  for (auto _ : state) {
    auto r = ledger_->store->block_transactions(1 + h++ % 20);
    BAUHINIA_ASSERT(r.has_value() && r->size() == kTxPerBlock);
    benchmark::DoNotOptimize(r);
  }
}

}  // namespace
}  // namespace bauhinia::ledger
