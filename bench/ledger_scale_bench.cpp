// bench_ledger_scale: the ledger's per-transaction commit cost and proof
// sizes as ONE ledger grows to many transactions (issue 14, "at scale").
// Figures go to docs/performance.md ("Ledger at scale"). Run from a Release
// tree, on an idle machine, with enough disk under $TMPDIR (about 2.5 KB per
// transaction):
//   bench/bench_ledger_scale --transactions 10000000 --json scale.json
//
// The node's path (ledger_bench_fixture.hpp): blocks of --block signed
// accounts.ping transactions from --accounts accounts in turn (each
// account's first ping creates its account record, so the first --accounts
// transactions also grow the state), Pipeline::build then Pipeline::commit
// with a real certificate into a real LevelDB ledger opened with the node's
// options. Signing and the certificate are not timed.
//
// Every --transactions / --checkpoints transactions it prints one row:
//   txs, height       committed transactions and the latest block height
//   us/tx, cpu/tx     wall and benchmark-thread CPU time of build + commit,
//                     per transaction, over the blocks since the last row
//   commit, c.cpu     the same for commit() alone
//   bg/tx             CPU of the other threads (LevelDB compaction) per tx
//   incl B, incl us   InclusionProof (its canonical encoding, the API's
//                     proof_hex) of a random committed transaction against
//                     the current accumulator, and the time of
//                     LedgerStore::inclusion_proof(index, size)
//   byid us           LedgerStore::transaction_with_proof(id, size): what
//                     GET /v1/proofs/transaction/{id} reads (index lookup,
//                     transaction, info and proof)
//   cons B, cons us   ConsistencyProof from a random earlier size to now
//   state B, state us SparseMerkleProof of a random account's record with
//                     LedgerStore::state_value_with_proof at the latest height
//   disk MB, B/tx     bytes of the ledger's folder, and per transaction
//   RSS MB            the process's resident memory (VmRSS), which counts the
//                     pages of LevelDB's memory-mapped table files read so far
//   anon MB           its anonymous part (RssAnon: heap, stacks; no files)
//   heap MB           what malloc has handed out and not had back (mallinfo2)
//   time s            seconds since the start (signing and proofs included)
// Proof figures are means over --samples proofs, each verified (untimed)
// against the latest header's roots. Transactions are drawn uniformly from
// every committed one (a reservoir sample of their ids), without repeats
// within a row.
//
// SIGINT or SIGTERM stops the run after the current block, removing the
// ledger's folder; the rows printed so far stay in --json.
//
// Exit status: 0 when done, 2 for bad arguments (or an unwritable --json),
// 130 when interrupted.

#include <CLI/CLI.hpp>

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "ledger_bench_fixture.hpp"

namespace bauhinia {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kExitBadArguments = 2;
constexpr int kExitInterrupted = 130;
constexpr std::uint64_t kMaxTransactions = 1'000'000'000;
constexpr std::size_t kMaxAccounts = 2'000'000;  // every key is kept in memory
constexpr std::size_t kMaxSamples = 100'000;
constexpr std::size_t kMaxCheckpoints = 1'000;
constexpr std::size_t kMinReservoir = 10'000;
constexpr double kDiskBytesPerTxGuess = 2'500;  // for the free-space warning only

struct Options {
  std::uint64_t transactions = 200'000;
  std::size_t block = 1'000;
  std::size_t accounts = 100'000;
  std::size_t checkpoints = 10;
  std::size_t samples = 1'000;
  std::uint64_t seed = 1;
  std::string json_path;
  bool columns = false;
};

volatile std::sig_atomic_t g_stop = 0;

void request_stop(int) {
  g_stop = 1;
}

double us_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

// Mean encoded size and mean time of one kind of proof.
struct ProofCost {
  double bytes = 0;
  double us = 0;
};

struct Row {
  std::uint64_t transactions = 0;
  std::uint64_t height = 0;
  double wall_us_per_tx = 0;
  double cpu_us_per_tx = 0;
  double commit_wall_us_per_tx = 0;
  double commit_cpu_us_per_tx = 0;
  double background_cpu_us_per_tx = 0;
  ProofCost inclusion;
  double inclusion_by_id_us = 0;
  ProofCost consistency;
  ProofCost state;
  std::uint64_t disk_bytes = 0;
  double disk_bytes_per_tx = 0;
  std::uint64_t rss_bytes = 0;
  std::uint64_t peak_rss_bytes = 0;
  std::uint64_t rss_anon_bytes = 0;  // RssAnon: not file-backed (the rest: mapped table files)
  std::uint64_t heap_bytes = 0;      // allocated by malloc and in use (mallinfo2)
  double elapsed_s = 0;
};

nlohmann::json to_json(const Row& r) {
  return {
      {"transactions", r.transactions},
      {"height", r.height},
      {"wall_us_per_tx", r.wall_us_per_tx},
      {"cpu_us_per_tx", r.cpu_us_per_tx},
      {"commit_wall_us_per_tx", r.commit_wall_us_per_tx},
      {"commit_cpu_us_per_tx", r.commit_cpu_us_per_tx},
      {"background_cpu_us_per_tx", r.background_cpu_us_per_tx},
      {"inclusion_proof_bytes", r.inclusion.bytes},
      {"inclusion_proof_us", r.inclusion.us},
      {"transaction_with_proof_us", r.inclusion_by_id_us},
      {"consistency_proof_bytes", r.consistency.bytes},
      {"consistency_proof_us", r.consistency.us},
      {"state_proof_bytes", r.state.bytes},
      {"state_proof_us", r.state.us},
      {"disk_bytes", r.disk_bytes},
      {"disk_bytes_per_tx", r.disk_bytes_per_tx},
      {"rss_bytes", r.rss_bytes},
      {"peak_rss_bytes", r.peak_rss_bytes},
      {"rss_anon_bytes", r.rss_anon_bytes},
      {"heap_bytes", r.heap_bytes},
      {"elapsed_s", r.elapsed_s},
  };
}

// VmRSS, VmHWM or RssAnon of /proc/self/status, in bytes (0 when unreadable).
std::uint64_t proc_status_bytes(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      return std::strtoull(line.c_str() + field.size() + 1, nullptr, 10) * 1024;
    }
  }
  return 0;
}

std::uint64_t folder_bytes(const std::string& path) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      const auto size = it->file_size(size_ec);
      if (!size_ec) total += size;
    }
  }
  return total;
}

// A committed transaction: its id and accumulator index.
struct Committed {
  core::Hash256 id;
  std::uint64_t index = 0;
};

// A uniform sample of every committed transaction (Algorithm R), so that
// proofs can be asked for random old transactions without keeping every id.
class Reservoir {
 public:
  explicit Reservoir(std::size_t capacity) : capacity_(capacity) { items_.reserve(capacity); }

  void offer(const Committed& c, std::mt19937_64& rng) {
    ++seen_;
    if (items_.size() < capacity_) {
      items_.push_back(c);
      return;
    }
    const std::uint64_t j = std::uniform_int_distribution<std::uint64_t>(0, seen_ - 1)(rng);
    if (j < capacity_) items_[static_cast<std::size_t>(j)] = c;
  }

  // `count` distinct entries (fewer when the sample is smaller).
  std::vector<Committed> draw(std::size_t count, std::mt19937_64& rng) const {
    std::vector<Committed> out = items_;
    std::shuffle(out.begin(), out.end(), rng);
    out.resize(std::min(count, out.size()));
    return out;
  }

 private:
  std::size_t capacity_;
  std::uint64_t seen_ = 0;
  std::vector<Committed> items_;
};

// The costs of the blocks committed since the last row.
struct Interval {
  std::uint64_t transactions = 0;
  double wall_us = 0;
  double cpu_us = 0;
  double commit_wall_us = 0;
  double commit_cpu_us = 0;
  bench::BackgroundCpu background;
};

class ScaleRun {
 public:
  explicit ScaleRun(const Options& o)
      : options_(o),
        node_("ledger-scale-bench", node_options()),
        senders_(o.accounts),
        rng_(o.seed),
        reservoir_(std::max(kMinReservoir, 2 * o.samples)) {}

  std::string ledger_dir() const { return node_.ledger_dir(); }

  // Commits one block of `count` transactions, its costs added to `interval`.
  void commit_block(std::size_t count, Interval& interval) {
    const auto txs = senders_.take(count);
    const auto t0 = Clock::now();
    const double c0 = bench::thread_cpu_us();
    const auto built = node_.build(txs);
    const double build_wall = us_since(t0);
    const double c1 = bench::thread_cpu_us();
    const auto cert = bench::certify(built.header);
    const auto t2 = Clock::now();
    const double c2 = bench::thread_cpu_us();
    node_.commit(built, cert);
    const double commit_wall = us_since(t2);
    const double c3 = bench::thread_cpu_us();
    interval.transactions += count;
    interval.wall_us += build_wall + commit_wall;
    interval.cpu_us += (c1 - c0) + (c3 - c2);
    interval.commit_wall_us += commit_wall;
    interval.commit_cpu_us += c3 - c2;

    const std::uint64_t first = built.header.accumulator_size - built.included.size();
    for (std::size_t i = 0; i < built.included.size(); ++i) {
      reservoir_.offer({built.included[i], first + i}, rng_);
    }
    committed_ += count;
  }

  Row row(const Interval& interval, Clock::time_point start) {
    Row r;
    const auto tx = static_cast<double>(interval.transactions);
    r.transactions = committed_;
    r.height = node_.store->latest_height();
    r.wall_us_per_tx = interval.wall_us / tx;
    r.cpu_us_per_tx = interval.cpu_us / tx;
    r.commit_wall_us_per_tx = interval.commit_wall_us / tx;
    r.commit_cpu_us_per_tx = interval.commit_cpu_us / tx;
    r.background_cpu_us_per_tx = std::max(0.0, interval.background.us()) / tx;
    measure_inclusion(r);
    r.consistency = measure_consistency();
    r.state = measure_state();
    r.disk_bytes = folder_bytes(node_.ledger_dir());
    r.disk_bytes_per_tx = static_cast<double>(r.disk_bytes) / static_cast<double>(committed_);
    r.rss_bytes = proc_status_bytes("VmRSS");
    r.peak_rss_bytes = proc_status_bytes("VmHWM");
    r.rss_anon_bytes = proc_status_bytes("RssAnon");
    const struct mallinfo2 heap = ::mallinfo2();
    r.heap_bytes = heap.uordblks + heap.hblkhd;
    r.elapsed_s = us_since(start) / 1e6;
    return r;
  }

  // What the ledger holds per committed transaction, column by column: one
  // scan of every column (keys and values as stored, column byte included).
  void print_columns() const {
    std::printf("%-16s %12s %10s %12s %10s\n", "column", "entries", "per tx", "bytes", "B/tx");
    const auto n = static_cast<double>(std::max<std::uint64_t>(committed_, 1));
    for (std::uint8_t b = 0x01; b <= 0x0E; ++b) {
      const auto c = static_cast<ledger::Column>(b);
      std::uint64_t entries = 0;
      std::uint64_t bytes = 0;
      const core::Status s = node_.store->kv().scan(c, {}, std::numeric_limits<std::size_t>::max(),
                                                    [&](core::ByteView key, core::ByteView value) {
                                                      ++entries;
                                                      bytes += 1 + key.size() + value.size();
                                                      return true;
                                                    });
      BAUHINIA_ASSERT(s.ok());
      if (entries == 0) continue;
      std::printf("%-16s %12llu %10.2f %12llu %10.1f\n", ledger::column_name(c).c_str(),
                  static_cast<unsigned long long>(entries), static_cast<double>(entries) / n,
                  static_cast<unsigned long long>(bytes), static_cast<double>(bytes) / n);
    }
  }

 private:
  static ledger::LevelDbOptions node_options() {
    // As NodeRuntime opens its ledger: the ledger's options, tables verified.
    ledger::LevelDbOptions o = bench::Node::leveldb_options();
    o.verify_tables = true;
    return o;
  }

  // Inclusion proofs by index, and with the transaction by id, of distinct
  // random committed transactions (the two halves of the draw, so that one
  // call does not warm the other's reads).
  void measure_inclusion(Row& r) {
    const chain::BlockHeader latest = node_.store->latest_header();
    const std::uint64_t size = latest.accumulator_size;
    const auto drawn = reservoir_.draw(2 * options_.samples, rng_);
    const std::size_t half = (drawn.size() + 1) / 2;
    double bytes = 0;
    double us = 0;
    for (std::size_t i = 0; i < half; ++i) {
      const auto t0 = Clock::now();
      auto proof = node_.store->inclusion_proof(drawn[i].index, size);
      us += us_since(t0);
      BAUHINIA_ASSERT(proof.has_value());
      bytes += static_cast<double>(core::encode(*proof).size());
      auto tx = node_.store->transaction_at(drawn[i].index);
      BAUHINIA_ASSERT(tx.has_value() && tx->info.transaction_id == drawn[i].id);
      const auto leaf = chain::merkle::leaf_hash(core::encode(tx->info));
      BAUHINIA_ASSERT(chain::verify_inclusion(leaf, *proof, latest.accumulator_root).ok());
    }
    r.inclusion = {bytes / static_cast<double>(half), us / static_cast<double>(half)};

    double by_id_us = 0;
    std::size_t by_id = 0;
    for (std::size_t i = half; i < drawn.size(); ++i, ++by_id) {
      const auto t0 = Clock::now();
      auto with_proof = node_.store->transaction_with_proof(drawn[i].id, size);
      by_id_us += us_since(t0);
      BAUHINIA_ASSERT(with_proof.has_value());
      BAUHINIA_ASSERT(with_proof->transaction.index == drawn[i].index);
      const auto leaf = chain::merkle::leaf_hash(core::encode(with_proof->transaction.info));
      BAUHINIA_ASSERT(
          chain::verify_inclusion(leaf, with_proof->proof, latest.accumulator_root).ok());
    }
    r.inclusion_by_id_us = by_id == 0 ? 0.0 : by_id_us / static_cast<double>(by_id);
  }

  // From a random earlier size (1 .. size - 1) to the current size.
  ProofCost measure_consistency() {
    const chain::BlockHeader latest = node_.store->latest_header();
    const std::uint64_t size = latest.accumulator_size;
    if (size < 2) return {};
    std::uniform_int_distribution<std::uint64_t> pick(1, size - 1);
    double bytes = 0;
    double us = 0;
    for (std::size_t i = 0; i < options_.samples; ++i) {
      const std::uint64_t first = pick(rng_);
      const auto t0 = Clock::now();
      auto proof = node_.store->consistency_proof(first, size);
      us += us_since(t0);
      BAUHINIA_ASSERT(proof.has_value());
      bytes += static_cast<double>(core::encode(*proof).size());
      auto first_root = node_.store->accumulator_root(first);
      BAUHINIA_ASSERT(first_root.has_value());
      BAUHINIA_ASSERT(chain::verify_consistency(*proof, *first_root, latest.accumulator_root).ok());
    }
    const auto n = static_cast<double>(options_.samples);
    return {bytes / n, us / n};
  }

  // The account record of a random account created so far.
  ProofCost measure_state() {
    const chain::BlockHeader latest = node_.store->latest_header();
    const std::uint64_t created = std::min<std::uint64_t>(senders_.accounts(), committed_);
    std::uniform_int_distribution<std::uint64_t> pick(0, created - 1);
    double bytes = 0;
    double us = 0;
    for (std::size_t i = 0; i < options_.samples; ++i) {
      const auto& key = senders_.key(static_cast<std::size_t>(pick(rng_)));
      const auto record =
          contracts::accounts::account_record_key(core::account_id_of(key.public_key()));
      const auto state_key = chain::state_key(contracts::accounts::kModuleName, record);
      BAUHINIA_ASSERT(state_key.has_value());
      const auto t0 = Clock::now();
      auto with_proof = node_.store->state_value_with_proof(*state_key, latest.height);
      us += us_since(t0);
      BAUHINIA_ASSERT(with_proof.has_value() && with_proof->value.has_value());
      bytes += static_cast<double>(core::encode(with_proof->proof).size());
      const std::optional<core::ByteView> value{core::ByteView(*with_proof->value)};
      BAUHINIA_ASSERT(
          chain::verify_state_proof(latest.state_root, *state_key, value, with_proof->proof).ok());
    }
    const auto n = static_cast<double>(options_.samples);
    return {bytes / n, us / n};
  }

  Options options_;
  bench::Node node_;
  bench::Senders senders_;
  std::mt19937_64 rng_;
  Reservoir reservoir_;
  std::uint64_t committed_ = 0;
};

void print_header() {
  std::printf(
      "%11s %7s | %7s %7s %7s %7s %7s | %6s %7s %7s | %6s %7s | %6s %8s | %9s %6s | %7s %7s %7s "
      "%8s\n",
      "txs", "height", "us/tx", "cpu/tx", "commit", "c.cpu", "bg/tx", "incl B", "incl us",
      "byid us", "cons B", "cons us", "stateB", "state us", "disk MB", "B/tx", "RSS MB", "anon MB",
      "heap MB", "time s");
}

void print_row(const Row& r) {
  std::printf(
      "%11llu %7llu | %7.1f %7.1f %7.1f %7.1f %7.1f | %6.0f %7.1f %7.1f | %6.0f %7.1f | %6.0f "
      "%8.1f | %9.1f %6.0f | %7.1f %7.1f %7.1f %8.1f\n",
      static_cast<unsigned long long>(r.transactions), static_cast<unsigned long long>(r.height),
      r.wall_us_per_tx, r.cpu_us_per_tx, r.commit_wall_us_per_tx, r.commit_cpu_us_per_tx,
      r.background_cpu_us_per_tx, r.inclusion.bytes, r.inclusion.us, r.inclusion_by_id_us,
      r.consistency.bytes, r.consistency.us, r.state.bytes, r.state.us,
      static_cast<double>(r.disk_bytes) / 1e6, r.disk_bytes_per_tx,
      static_cast<double>(r.rss_bytes) / 1e6, static_cast<double>(r.rss_anon_bytes) / 1e6,
      static_cast<double>(r.heap_bytes) / 1e6, r.elapsed_s);
  std::fflush(stdout);
}

nlohmann::json config_json(const Options& o) {
  return {{"transactions", o.transactions}, {"block", o.block},     {"accounts", o.accounts},
          {"checkpoints", o.checkpoints},   {"samples", o.samples}, {"seed", o.seed}};
}

// Rewritten after every row, so that an interrupted run keeps its rows.
bool write_json(const std::string& path, const Options& o, const std::vector<Row>& rows) {
  nlohmann::json out{{"benchmark", "ledger_scale"}, {"config", config_json(o)}};
  out["rows"] = nlohmann::json::array();
  for (const Row& r : rows) out["rows"].push_back(to_json(r));
  std::ofstream f(path, std::ios::trunc);
  f << out.dump(2) << "\n";
  return static_cast<bool>(f);
}

int run(const Options& o) {
  if (!o.json_path.empty() && !write_json(o.json_path, o, {})) {
    std::cerr << "bench_ledger_scale: cannot write --json " << o.json_path << "\n";
    return kExitBadArguments;
  }
  // From before the ledger's folder exists, so that it is always removed.
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  ScaleRun scale(o);
  std::error_code ec;
  const auto space = std::filesystem::space(scale.ledger_dir(), ec);
  const double needed = static_cast<double>(o.transactions) * kDiskBytesPerTxGuess;
  if (!ec && static_cast<double>(space.available) < needed) {
    std::cerr << "bench_ledger_scale: warning: " << space.available / 1'000'000 << " MB free under "
              << scale.ledger_dir() << ", the run may need about "
              << static_cast<std::uint64_t>(needed / 1e6) << " MB (set TMPDIR)\n";
  }
  std::printf("ledger at scale: %llu transactions, blocks of %zu, %zu accounts, %zu samples, %s\n",
              static_cast<unsigned long long>(o.transactions), o.block, o.accounts, o.samples,
              scale.ledger_dir().c_str());
  print_header();

  const auto start = Clock::now();
  std::vector<Row> rows;
  std::uint64_t done = 0;
  std::size_t checkpoint = 1;
  auto target = [&](std::size_t c) { return o.transactions * c / o.checkpoints; };
  Interval interval;
  while (done < o.transactions) {
    if (g_stop != 0) {
      std::printf("interrupted after %llu transactions; the ledger's folder is removed\n",
                  static_cast<unsigned long long>(done));
      return kExitInterrupted;
    }
    const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(
        {o.block, o.transactions - done, std::max<std::uint64_t>(1, target(checkpoint) - done)}));
    scale.commit_block(count, interval);
    done += count;
    if (done < target(checkpoint)) continue;
    while (checkpoint <= o.checkpoints && target(checkpoint) <= done) ++checkpoint;
    rows.push_back(scale.row(interval, start));
    print_row(rows.back());
    if (!o.json_path.empty() && !write_json(o.json_path, o, rows)) {
      std::cerr << "bench_ledger_scale: cannot write --json " << o.json_path << "\n";
      return 1;
    }
    interval = Interval{};
  }
  std::printf("done: %llu transactions in %.1f s\n", static_cast<unsigned long long>(done),
              us_since(start) / 1e6);
  if (o.columns) scale.print_columns();
  return 0;
}

}  // namespace
}  // namespace bauhinia

int main(int argc, char** argv) {
  using bauhinia::Options;
  CLI::App app{"bench_ledger_scale: commit cost and proof sizes as one ledger grows"};
  Options o;
  app.add_option("--transactions,-n", o.transactions, "transactions to commit (10000000: issue 14)")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{1}, bauhinia::kMaxTransactions));
  app.add_option("--block", o.block, "transactions per block")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, bauhinia::execution::kMaxBlockTransactions));
  app.add_option("--accounts", o.accounts, "accounts pinging in turn")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, bauhinia::kMaxAccounts));
  app.add_option("--checkpoints", o.checkpoints, "rows printed over the run")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, bauhinia::kMaxCheckpoints));
  app.add_option("--samples", o.samples, "proofs of each kind per row")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, bauhinia::kMaxSamples));
  app.add_option("--seed", o.seed, "seed of the random choices")->capture_default_str();
  app.add_option("--json", o.json_path, "also write the rows to this file as JSON");
  app.add_flag("--columns", o.columns,
               "at the end, what each column holds per transaction (one scan of the ledger)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints the help or the error
    return code == 0 ? 0 : bauhinia::kExitBadArguments;
  }
  if (o.checkpoints > o.transactions) {
    std::cerr << "bench_ledger_scale: --checkpoints (" << o.checkpoints
              << ") must not exceed --transactions (" << o.transactions << ")\n";
    return bauhinia::kExitBadArguments;
  }
  return bauhinia::run(o);
}
