// The node's execution and commit path for one block, as NodeRuntime drives it
// (BM_*Pipelined: each block built or executed on top of its uncommitted
// parent, as under consensus; BM_*Block: on top of the committed block):
// Pipeline::build (the leader) or Pipeline::execute (a voter) of K
// accounts.ping transactions over the LevelDB ledger, then Pipeline::commit
// with a real commit certificate (one synced WriteBatch). Figures go to
// docs/performance.md ("Commit path (session 2)"). Run from a Release tree:
//   bench_commit_path_bench --benchmark_counters_tabular=true
//
// The ledger starts with kAccounts accounts (created by pings before timing);
// every block pings K of them in turn, each with its next sequence number.
// Signing (the clients' work) and the certificate's signatures (the other
// validators' work) are not timed; signatures count as verified by the
// mempool, as in the node (ExecutorConfig::signature_verified).
//
// Counters (thread CPU time of the benchmark thread, per block):
//   exec_us    build() or execute(): execution and the roots
//   commit_us  commit(): checks, the batch and its synced write
//   us/tx      (exec + commit) / K
//   bg_us      CPU of the process's other threads per block (LevelDB's
//              background compaction), BM_LeaderBlock only

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "../tests/ledger/temp_dir.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/execution/pipeline.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"

namespace bauhinia {
namespace {

constexpr const char* kChain = "bauhinia-commit-bench";
constexpr std::uint64_t kGenesisMs = 1'767'225'600'000ULL;
constexpr std::size_t kAccounts = 5000;

double cpu_us(clockid_t clock) {
  timespec ts{};
  ::clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}
double thread_cpu_us() {
  return cpu_us(CLOCK_THREAD_CPUTIME_ID);
}
// CPU of the process's other threads (LevelDB's compaction) since `since`.
struct BackgroundCpu {
  double process0 = cpu_us(CLOCK_PROCESS_CPUTIME_ID);
  double thread0 = thread_cpu_us();
  double us() const {
    return (cpu_us(CLOCK_PROCESS_CPUTIME_ID) - process0) - (thread_cpu_us() - thread0);
  }
};

core::ed25519::SecretKey validator_key(int i) {
  std::array<std::uint8_t, 32> seed{};
  seed[0] = static_cast<std::uint8_t>(i + 1);
  seed[1] = 0xB7;
  return core::ed25519::SecretKey::from_seed(seed);
}

chain::ValidatorSet validator_set() {
  chain::ValidatorSet set;
  for (int i = 0; i < 4; ++i) set.validators.push_back({validator_key(i).public_key(), 1, "V"});
  return set;
}

core::schnorr::SecretKey account_key(std::uint32_t n) {
  core::Bytes raw(32, 0);
  raw[0] = 0x5C;
  raw[28] = static_cast<std::uint8_t>(n >> 24);
  raw[29] = static_cast<std::uint8_t>(n >> 16);
  raw[30] = static_cast<std::uint8_t>(n >> 8);
  raw[31] = static_cast<std::uint8_t>(n);
  return std::move(core::schnorr::SecretKey::from_bytes(raw)).value();
}

// The commit certificate of `header`, signed by all four validators, and
// verified as consensus verifies it before the commit (not timed).
chain::VerifiedCertificate certify(const chain::BlockHeader& header) {
  chain::LedgerInfo li;
  li.chain_id = kChain;
  li.epoch = header.epoch;
  li.round = header.round + 1;
  li.commit_block = header.id();
  li.commit_height = header.height;
  li.consensus_data_hash = core::sha256(core::as_bytes("bench vote data"));
  std::vector<chain::IndexedSignature> votes;
  for (int i = 0; i < 4; ++i) {
    votes.emplace_back(static_cast<std::size_t>(i),
                       validator_key(i).sign(li.signing_hash().view()));
  }
  auto qc = chain::build_quorum_certificate(li, validator_set(), votes);
  BAUHINIA_ASSERT(qc.has_value());
  auto verified = chain::VerifiedCertificate::verify(*qc, validator_set());
  BAUHINIA_ASSERT(verified.has_value());
  return std::move(verified).value();
}

// One node: a LevelDB ledger, every contract module and the pipeline.
struct Node {
  test::TempDir dir{"commit-path-bench"};
  contracts::ModuleSet modules;
  contracts::Executor executor;
  std::unique_ptr<ledger::LedgerStore> store;
  std::unique_ptr<execution::Pipeline> pipeline;

  static contracts::ExecutorConfig config() {
    contracts::ExecutorConfig c;
    c.signature_verified = [](const core::Hash256&) { return true; };
    return c;
  }

  Node() : executor(config()) {
    modules.register_with(executor);
    ledger::GenesisSpec spec;
    spec.chain_id = kChain;
    spec.validators = validator_set();
    spec.timestamp_ms = kGenesisMs;
    auto kv = ledger::LevelDbKvStore::open(dir.sub("ledger"), leveldb_options());
    BAUHINIA_ASSERT(kv.has_value());
    auto s = ledger::LedgerStore::open(std::move(kv).value(), spec);
    BAUHINIA_ASSERT(s.has_value());
    store = std::move(s).value();
    pipeline = std::make_unique<execution::Pipeline>(*store, executor, caches());
  }

  // The node's ledger options (LevelDbOptions::ledger()); BENCH_SNAPPY=0/1
  // turns LevelDB's compression off/on, BENCH_WRITE_BUFFER_MB sets its
  // memtable size, BENCH_MAX_FILE_MB its table file size, to compare.
  static ledger::LevelDbOptions leveldb_options() {
    ledger::LevelDbOptions o = ledger::LevelDbOptions::ledger();
    if (const char* v = std::getenv("BENCH_SNAPPY")) o.compression = std::string(v) != "0";
    if (const char* v = std::getenv("BENCH_WRITE_BUFFER_MB")) {
      o.write_buffer_bytes = std::strtoull(v, nullptr, 10) << 20;
    }
    if (const char* v = std::getenv("BENCH_MAX_FILE_MB")) {
      o.max_file_bytes = std::strtoull(v, nullptr, 10) << 20;
    }
    return o;
  }

  // BENCH_NODE_CACHE_DEPTH (-1 disables) / BENCH_VALUE_CACHE_MB (0
  // disables) override the pipeline's caches, to compare.
  static execution::PipelineCaches caches() {
    execution::PipelineCaches c;
    if (const char* v = std::getenv("BENCH_NODE_CACHE_DEPTH")) {
      const long depth = std::strtol(v, nullptr, 10);
      c.node_cache = depth >= 0;
      c.node_cache_depth = depth >= 0 ? static_cast<std::size_t>(depth) : 0;
    }
    if (const char* v = std::getenv("BENCH_VALUE_CACHE_MB")) {
      c.value_cache_bytes = std::strtoull(v, nullptr, 10) << 20;
    }
    return c;
  }

  execution::BuiltProposal build(const std::vector<chain::IdentifiedTransaction>& txs) {
    return build_on(store->latest_header(), txs);
  }

  execution::BuiltProposal build_on(const chain::BlockHeader& parent,
                                    const std::vector<chain::IdentifiedTransaction>& txs) {
    execution::BlockTemplate t;
    t.round = parent.round + 1;
    t.timestamp_ms = parent.timestamp_ms + 100;
    t.proposer = validator_key(0).public_key();
    auto r = pipeline->build(parent, t, txs);
    BAUHINIA_ASSERT(r.has_value() && r->has_value());
    BAUHINIA_ASSERT((*r)->included.size() == txs.size());
    return std::move(*r).value();
  }

  void execute(const execution::BuiltProposal& b) {
    auto r = pipeline->execute(b.header, b.payload);
    BAUHINIA_ASSERT(r.has_value() && r->has_value() && **r == b.header);
  }

  // As the node commits what consensus certified: the ledger does not check
  // the certificate's signatures again (ADR 0007, item 4); with
  // BENCH_VERIFIED_CERT=0 it does (as before, and as for blocks from sync).
  void commit(const execution::BuiltProposal& b, const chain::VerifiedCertificate& cert) {
    static const bool recheck = [] {
      const char* v = std::getenv("BENCH_VERIFIED_CERT");
      return v != nullptr && std::string(v) == "0";
    }();
    const std::vector<execution::BlockToCommit> blocks{{b.header, b.payload}};
    auto v =
        recheck ? pipeline->commit(blocks, cert.certificate()) : pipeline->commit(blocks, cert);
    BAUHINIA_ASSERT(v.has_value() && v->ok());
  }
};

// Signed pings from the accounts in turn, each with its next sequence.
struct Senders {
  std::vector<core::schnorr::SecretKey> keys;
  std::vector<std::uint64_t> next;
  std::size_t cursor = 0;

  Senders() {
    for (std::uint32_t i = 0; i < kAccounts; ++i) keys.push_back(account_key(i));
    next.assign(kAccounts, 0);
  }

  std::vector<chain::IdentifiedTransaction> take(std::size_t count) {
    std::vector<chain::IdentifiedTransaction> out;
    out.reserve(count);
    for (std::size_t n = 0; n < count; ++n) {
      const std::size_t a = cursor;
      cursor = (cursor + 1) % kAccounts;
      const auto& k = keys[a];
      chain::Transaction tx;
      tx.chain_id = kChain;
      tx.public_key = k.public_key();
      tx.sender = core::account_id_of(k.public_key());
      tx.sequence = next[a]++;
      tx.expiry_ms = kGenesisMs + 3'600'000'000ULL;
      tx.module = "accounts";
      tx.call = "ping";
      contracts::accounts::PingArgs args;
      args.memo.assign(16, 0x42);
      tx.payload = core::encode(args);
      tx.sign(k);
      out.push_back(chain::IdentifiedTransaction::of(std::move(tx)));
    }
    return out;
  }
};

// Creates every account (blocks of 5,000, not timed) on each node.
void create_accounts(Senders& senders, std::initializer_list<Node*> nodes) {
  for (std::size_t done = 0; done < kAccounts; done += 5000) {
    const auto txs = senders.take(std::min<std::size_t>(5000, kAccounts - done));
    Node& leader = **nodes.begin();
    const auto built = leader.build(txs);
    const auto cert = certify(built.header);
    for (Node* n : nodes) {
      if (n != &leader) n->execute(built);
      n->commit(built, cert);
    }
  }
}

void report(benchmark::State& state, double exec_us, double commit_us, std::size_t k) {
  const double blocks = static_cast<double>(state.iterations());
  state.counters["exec_us"] = exec_us / blocks;
  state.counters["commit_us"] = commit_us / blocks;
  state.counters["us/tx"] = k == 0 ? 0.0 : (exec_us + commit_us) / blocks / static_cast<double>(k);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(k));
}

// The leader: build() of K pings, then commit().
void BM_LeaderBlock(benchmark::State& state) {
  const auto k = static_cast<std::size_t>(state.range(0));
  Node node;
  Senders senders;
  create_accounts(senders, {&node});
  double exec_us = 0;
  double commit_us = 0;
  const BackgroundCpu background;
  for (auto _ : state) {
    state.PauseTiming();
    const auto txs = senders.take(k);
    state.ResumeTiming();
    const double t0 = thread_cpu_us();
    const auto built = node.build(txs);
    const double t1 = thread_cpu_us();
    state.PauseTiming();
    const auto cert = certify(built.header);
    state.ResumeTiming();
    const double t2 = thread_cpu_us();
    node.commit(built, cert);
    const double t3 = thread_cpu_us();
    exec_us += t1 - t0;
    commit_us += t3 - t2;
  }
  report(state, exec_us, commit_us, k);
  state.counters["bg_us"] = background.us() / static_cast<double>(state.iterations());
}

// A voter: execute() of the leader's proposal, then commit(). The leader's
// build and commit are not timed.
void BM_VoterBlock(benchmark::State& state) {
  const auto k = static_cast<std::size_t>(state.range(0));
  Node leader;
  Node voter;
  Senders senders;
  create_accounts(senders, {&leader, &voter});
  double exec_us = 0;
  double commit_us = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const auto built = leader.build(senders.take(k));
    const auto cert = certify(built.header);
    leader.commit(built, cert);
    state.ResumeTiming();
    const double t0 = thread_cpu_us();
    voter.execute(built);
    const double t1 = thread_cpu_us();
    voter.commit(built, cert);
    const double t2 = thread_cpu_us();
    exec_us += t1 - t0;
    commit_us += t2 - t1;
  }
  report(state, exec_us, commit_us, k);
}

// As consensus runs it: the leader builds block n+1 on block n while n is
// certified but not yet committed (one speculative ancestor), then commits n.
void BM_LeaderPipelined(benchmark::State& state) {
  const auto k = static_cast<std::size_t>(state.range(0));
  Node node;
  Senders senders;
  create_accounts(senders, {&node});
  auto previous = node.build(senders.take(k));
  double exec_us = 0;
  double commit_us = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const auto txs = senders.take(k);
    const auto cert = certify(previous.header);
    state.ResumeTiming();
    const double t0 = thread_cpu_us();
    auto built = node.build_on(previous.header, txs);
    const double t1 = thread_cpu_us();
    node.commit(previous, cert);
    const double t2 = thread_cpu_us();
    exec_us += t1 - t0;
    commit_us += t2 - t1;
    previous = std::move(built);
  }
  report(state, exec_us, commit_us, k);
}

// A voter in the same rhythm: executes block n+1 (a child of the uncommitted
// block n), then commits n. The leader's work is not timed.
void BM_VoterPipelined(benchmark::State& state) {
  const auto k = static_cast<std::size_t>(state.range(0));
  Node leader;
  Node voter;
  Senders senders;
  create_accounts(senders, {&leader, &voter});
  auto previous = leader.build(senders.take(k));
  voter.execute(previous);
  double exec_us = 0;
  double commit_us = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto built = leader.build_on(previous.header, senders.take(k));
    const auto cert = certify(previous.header);
    leader.commit(previous, cert);
    state.ResumeTiming();
    const double t0 = thread_cpu_us();
    voter.execute(built);
    const double t1 = thread_cpu_us();
    voter.commit(previous, cert);
    const double t2 = thread_cpu_us();
    exec_us += t1 - t0;
    commit_us += t2 - t1;
    previous = std::move(built);
  }
  report(state, exec_us, commit_us, k);
}

BENCHMARK(BM_LeaderPipelined)
    ->Arg(0)
    ->Arg(1)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(5000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VoterPipelined)->Arg(1)->Arg(100)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);

BENCHMARK(BM_LeaderBlock)
    ->Arg(0)
    ->Arg(1)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(5000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VoterBlock)->Arg(1)->Arg(100)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);

// The cost of one small synced LevelDB write (an fsync), as each consensus
// record write pays it, against the same write without sync.
void BM_SmallWrite(benchmark::State& state) {
  const bool sync = state.range(0) != 0;
  test::TempDir dir{"commit-path-bench"};
  auto kv = ledger::LevelDbKvStore::open(dir.sub("kv"));
  BAUHINIA_ASSERT(kv.has_value());
  std::uint64_t n = 0;
  for (auto _ : state) {
    ledger::WriteBatch b;
    b.put(ledger::Column::kCertificate, ledger::be64_key(n++), core::Bytes(400, 0x33));
    BAUHINIA_ASSERT((*kv)->write(b, sync).is_ok());
  }
}
BENCHMARK(BM_SmallWrite)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace bauhinia
