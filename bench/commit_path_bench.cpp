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

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <vector>

#include "ledger_bench_fixture.hpp"

namespace bauhinia {
namespace {

using bench::BackgroundCpu;
using bench::certify;
using bench::Node;
using bench::thread_cpu_us;

constexpr std::size_t kAccounts = 5000;

struct Senders : bench::Senders {
  Senders() : bench::Senders(kAccounts) {}
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
