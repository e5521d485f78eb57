#pragma once
// One node's execution and commit path over a real LevelDB ledger, as the
// benchmarks drive it (commit_path_bench.cpp, ledger_scale_bench.cpp):
// Pipeline::build (the leader) or Pipeline::execute (a voter) of signed
// accounts.ping transactions, then Pipeline::commit with a real commit
// certificate (one synced WriteBatch).
//
// As in the node: signatures count as verified by the mempool
// (ExecutorConfig::signature_verified), the certificate's signatures were
// checked by consensus (a VerifiedCertificate, ADR 0007 item 4), the ledger
// uses LevelDbOptions::ledger() and the pipeline its default caches. Signing
// (the clients' work) and the certificate (the other validators' work) are
// made outside whatever a benchmark times.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../tests/ledger/temp_dir.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/execution/pipeline.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"

namespace bauhinia::bench {

inline constexpr const char* kChain = "bauhinia-commit-bench";
inline constexpr std::uint64_t kGenesisMs = 1'767'225'600'000ULL;

inline double cpu_us(clockid_t clock) {
  timespec ts{};
  ::clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}
inline double thread_cpu_us() {
  return cpu_us(CLOCK_THREAD_CPUTIME_ID);
}
// CPU of the process's other threads (LevelDB's compaction) since construction.
struct BackgroundCpu {
  double process0 = cpu_us(CLOCK_PROCESS_CPUTIME_ID);
  double thread0 = thread_cpu_us();
  double us() const {
    return (cpu_us(CLOCK_PROCESS_CPUTIME_ID) - process0) - (thread_cpu_us() - thread0);
  }
};

inline core::ed25519::SecretKey validator_key(int i) {
  std::array<std::uint8_t, 32> seed{};
  seed[0] = static_cast<std::uint8_t>(i + 1);
  seed[1] = 0xB7;
  return core::ed25519::SecretKey::from_seed(seed);
}

inline chain::ValidatorSet validator_set() {
  chain::ValidatorSet set;
  for (int i = 0; i < 4; ++i) set.validators.push_back({validator_key(i).public_key(), 1, "V"});
  return set;
}

inline core::schnorr::SecretKey account_key(std::uint32_t n) {
  core::Bytes raw(32, 0);
  raw[0] = 0x5C;
  raw[28] = static_cast<std::uint8_t>(n >> 24);
  raw[29] = static_cast<std::uint8_t>(n >> 16);
  raw[30] = static_cast<std::uint8_t>(n >> 8);
  raw[31] = static_cast<std::uint8_t>(n);
  return std::move(core::schnorr::SecretKey::from_bytes(raw)).value();
}

// The commit certificate of `header`, signed by all four validators, and
// verified as consensus verifies it before the commit.
inline chain::VerifiedCertificate certify(const chain::BlockHeader& header) {
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

// One node: a LevelDB ledger in a fresh temporary directory (under $TMPDIR),
// every contract module and the pipeline.
struct Node {
  test::TempDir dir;
  contracts::ModuleSet modules;
  contracts::Executor executor;
  std::unique_ptr<ledger::LedgerStore> store;
  std::unique_ptr<execution::Pipeline> pipeline;

  static contracts::ExecutorConfig config() {
    contracts::ExecutorConfig c;
    c.signature_verified = [](const core::Hash256&) { return true; };
    return c;
  }

  explicit Node(const std::string& stem = "commit-path-bench",
                const ledger::LevelDbOptions& options = leveldb_options())
      : dir(stem), executor(config()) {
    modules.register_with(executor);
    ledger::GenesisSpec spec;
    spec.chain_id = kChain;
    spec.validators = validator_set();
    spec.timestamp_ms = kGenesisMs;
    auto kv = ledger::LevelDbKvStore::open(ledger_dir(), options);
    BAUHINIA_ASSERT(kv.has_value());
    auto s = ledger::LedgerStore::open(std::move(kv).value(), spec);
    BAUHINIA_ASSERT(s.has_value());
    store = std::move(s).value();
    pipeline = std::make_unique<execution::Pipeline>(*store, executor, caches());
  }

  std::string ledger_dir() const { return dir.sub("ledger"); }

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
    t.max_transactions = std::max(t.max_transactions, txs.size());
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

// Signed pings from `accounts` accounts in turn (account_key(0), 1, ...),
// each with its next sequence number; an account's first ping creates it.
class Senders {
 public:
  explicit Senders(std::size_t accounts) {
    keys_.reserve(accounts);
    for (std::size_t i = 0; i < accounts; ++i) {
      keys_.push_back(account_key(static_cast<std::uint32_t>(i)));
    }
    next_.assign(accounts, 0);
  }

  std::size_t accounts() const { return keys_.size(); }
  const core::schnorr::SecretKey& key(std::size_t account) const { return keys_[account]; }

  std::vector<chain::IdentifiedTransaction> take(std::size_t count) {
    std::vector<chain::IdentifiedTransaction> out;
    out.reserve(count);
    for (std::size_t n = 0; n < count; ++n) {
      const std::size_t a = cursor_;
      cursor_ = (cursor_ + 1) % keys_.size();
      const auto& k = keys_[a];
      chain::Transaction tx;
      tx.chain_id = kChain;
      tx.public_key = k.public_key();
      tx.sender = core::account_id_of(k.public_key());
      tx.sequence = next_[a]++;
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

 private:
  std::vector<core::schnorr::SecretKey> keys_;
  std::vector<std::uint64_t> next_;
  std::size_t cursor_ = 0;
};

}  // namespace bauhinia::bench
