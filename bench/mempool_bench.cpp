// Mempool admission (with parallel BIP-340 verification) and block execution
// throughput. Figures and the command: docs/performance.md, "Mempool and
// execution".

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/mempool/mempool.hpp"

namespace bauhinia {
namespace {

constexpr const char* kChain = "bauhinia-bench-1";
constexpr std::uint64_t kNow = 1'767'225'600'000ULL;
constexpr std::size_t kAccounts = 512;
constexpr std::size_t kPerAccount = 16;
constexpr std::size_t kBatch = 512;
constexpr std::size_t kBlock = 1000;

core::schnorr::SecretKey key(std::uint32_t n) {
  core::Bytes raw(32, 0);
  raw[0] = 0x77;
  raw[28] = static_cast<std::uint8_t>(n >> 24);
  raw[29] = static_cast<std::uint8_t>(n >> 16);
  raw[30] = static_cast<std::uint8_t>(n >> 8);
  raw[31] = static_cast<std::uint8_t>(n);
  return std::move(core::schnorr::SecretKey::from_bytes(raw)).value();
}

// A "ping" with a 16-byte memo, as the load generator sends.
chain::Transaction ping(const core::schnorr::SecretKey& k, std::uint64_t seq) {
  chain::Transaction tx;
  tx.chain_id = kChain;
  tx.sender = core::account_id_of(k.public_key());
  tx.public_key = k.public_key();
  tx.sequence = seq;
  tx.expiry_ms = kNow + 60'000;
  tx.module = "accounts";
  tx.call = "ping";
  contracts::accounts::PingArgs args;
  args.memo.assign(16, 0x42);
  tx.payload = core::encode(args);
  tx.sign(k);
  return tx;
}

// kAccounts x kPerAccount pings, round-robin over accounts (as many senders
// interleave in practice), in batches of kBatch.
const std::vector<std::vector<chain::Transaction>>& admission_batches() {
  static const auto batches = [] {
    std::vector<core::schnorr::SecretKey> keys;
    for (std::uint32_t i = 0; i < kAccounts; ++i) keys.push_back(key(i));
    std::vector<std::vector<chain::Transaction>> out(1);
    for (std::uint64_t s = 0; s < kPerAccount; ++s) {
      for (const auto& k : keys) {
        if (out.back().size() == kBatch) out.emplace_back();
        out.back().push_back(ping(k, s));
      }
    }
    return out;
  }();
  return batches;
}

mempool::MempoolConfig mempool_config() {
  mempool::MempoolConfig c;
  c.chain_id = kChain;
  return c;
}

core::Result<std::optional<mempool::AccountState>> no_accounts(const core::AccountId&) {
  return std::optional<mempool::AccountState>{};
}

// Admission of 8,192 transactions in batches of 512; range(0) verifier threads
// (0: verification on the calling thread, no pool). CPU time is the whole
// process's (all threads), so CPU per transaction shows the total work.
void BM_MempoolAdmit(benchmark::State& state) {
  const auto& batches = admission_batches();
  const auto threads = static_cast<std::size_t>(state.range(0));
  std::optional<mempool::VerifierPool> pool;
  if (threads > 0) pool.emplace(threads);
  std::size_t admitted = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto copies = batches;
    state.ResumeTiming();
    mempool::Mempool m(mempool_config(), no_accounts, pool ? &*pool : nullptr);
    for (auto& batch : copies) {
      for (const auto& r : m.submit_batch(std::move(batch), kNow)) admitted += r.ok() ? 1 : 0;
    }
    benchmark::DoNotOptimize(m.size());
  }
  if (admitted != state.iterations() * kAccounts * kPerAccount) state.SkipWithError("rejected");
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kAccounts * kPerAccount));
}
BENCHMARK(BM_MempoolAdmit)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// take() of a 1,000-transaction proposal from a pool of 8,192.
void BM_MempoolTake(benchmark::State& state) {
  mempool::VerifierPool pool(2);
  mempool::Mempool m(mempool_config(), no_accounts, &pool);
  for (const auto& batch : admission_batches()) {
    for (const auto& r : m.submit_batch(batch, kNow)) {
      if (!r.ok()) state.SkipWithError("rejected");
    }
  }
  for (auto _ : state) {
    auto taken = m.take(kBlock, 1 << 24);
    benchmark::DoNotOptimize(taken.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBlock));
}
BENCHMARK(BM_MempoolTake)->Unit(benchmark::kMicrosecond);

// One block of 1,000 pings from 1,000 existing accounts over an in-memory
// state; range(0) = 1: the executor verifies every signature, 0: the
// signatures are known valid (verified by the mempool).
void BM_ExecutePingBlock(benchmark::State& state) {
  const bool verify = state.range(0) != 0;
  contracts::accounts::AccountsModule accounts;
  contracts::ExecutorConfig config;
  if (!verify) config.signature_verified = [](const core::Hash256&) { return true; };
  contracts::Executor executor(config);
  executor.add_module(accounts);

  std::vector<chain::IdentifiedTransaction> first;
  std::vector<chain::IdentifiedTransaction> block;
  for (std::uint32_t i = 0; i < kBlock; ++i) {
    const auto k = key(10'000 + i);
    first.push_back(chain::IdentifiedTransaction::of(ping(k, 0)));
    block.push_back(chain::IdentifiedTransaction::of(ping(k, 1)));
  }
  contracts::MemoryState memory;
  const contracts::BlockContext genesis{kChain, 1, kNow, 0};
  auto created = executor.execute_block(genesis, first, memory);
  if (!created || !*created) {
    state.SkipWithError("setup block failed");
    return;
  }
  memory.apply((*created)->writes);

  const contracts::BlockContext ctx{kChain, 2, kNow + 1000, kBlock};
  for (auto _ : state) {
    auto r = executor.execute_block(ctx, block, memory);
    if (!r || !*r) state.SkipWithError("block failed");
    benchmark::DoNotOptimize((*r)->transactions_root);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBlock));
}
BENCHMARK(BM_ExecutePingBlock)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bauhinia
