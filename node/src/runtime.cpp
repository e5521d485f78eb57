#include "bauhinia/node/runtime.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "bauhinia/consensus/replica.hpp"
#include "bauhinia/consensus/sync_verify.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "bauhinia/execution/payload_check.hpp"
#include "bauhinia/execution/pipeline.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"
#include "bauhinia/ledger/state_tree.hpp"
#include "bauhinia/mempool/admission_budget.hpp"
#include "bauhinia/mempool/admission_queue.hpp"
#include "bauhinia/mempool/batch_certifier.hpp"
#include "bauhinia/mempool/gossip_batcher.hpp"
#include "bauhinia/mempool/mempool.hpp"
#include "bauhinia/mempool/verifier_pool.hpp"
#include "bauhinia/network/peer_manager.hpp"
#include "bauhinia/node/api_server.hpp"
#include "bauhinia/node/block_budget.hpp"
#include "bauhinia/node/consensus_store.hpp"
#include "bauhinia/node/durable_acceptance.hpp"
#include "bauhinia/node/epochs.hpp"
#include "bauhinia/node/evidence.hpp"
#include "bauhinia/node/genesis.hpp"
#include "bauhinia/node/health_payloads.hpp"
#include "bauhinia/node/key_file.hpp"
#include "bauhinia/node/state_prune_worker.hpp"
#include "bauhinia/node/storage_guard.hpp"
#include "bauhinia/node/sync_apply.hpp"
#include "bauhinia/node/sync_liveness.hpp"
#include "bauhinia/node/sync_messages.hpp"
#include "bauhinia/node/sync_server.hpp"
#include "bauhinia/node/tx_journal.hpp"

namespace bauhinia::node {

namespace asio = boost::asio;

namespace {

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

std::uint64_t steady_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// Admission threads (the API's, the verifier pool's, gossip in and out) run
// this much nicer than the core thread and the network's, so that under a
// flood of submissions the consensus path keeps its CPU share: the scheduler
// gives a nice-0 thread about ten times the time of a nice-10 one.
constexpr int kAdmissionNiceIncrement = 10;

// Certified gossip: how long a batch this node does not verify itself waits
// for f + 1 acknowledgements before it verifies it anyway. A verifier that is
// not connected is not waited for; one that withholds its acknowledgement
// costs this much latency, never correctness. Idle, an acknowledgement
// follows its batch by a few ms; at saturation the verifier's admission queue
// delays it by up to seconds (250 ms let 2 of 3 batches wait out; 2,000 ms
// let 28 of 1,199), docs/performance.md, "Certified gossip".
constexpr std::uint64_t kCertificateWaitMs = 2000;

// Lowers the calling thread's priority (Linux: the nice value is per thread,
// set by its tid). Best effort: lowering needs no privilege.
void lower_thread_priority() {
  const auto tid = static_cast<id_t>(::gettid());
  errno = 0;
  const int current = ::getpriority(PRIO_PROCESS, tid);
  if (current == -1 && errno != 0) return;
  (void)::setpriority(PRIO_PROCESS, tid, std::min(19, current + kAdmissionNiceIncrement));
}

core::Bytes tagged(SyncKind kind, const core::Bytes& body) {
  core::Bytes out;
  out.reserve(body.size() + 1);
  out.push_back(static_cast<std::uint8_t>(kind));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// The committed state as the mempool's admission reads it (API and gossip
// threads): the value at the latest committed height, from the ledger's cache
// of latest values (else one LevelDB seek), without building the
// inclusion proof that LedgerStore::state_value builds and drops (that was
// about a tenth of a validator's CPU at 1,000 tx/s). Admission is not
// consensus: execution checks every transaction again.
class AdmissionStateReader final : public contracts::StateReader {
 public:
  explicit AdmissionStateReader(const ledger::LedgerStore& store) : store_(store) {}
  core::Result<std::optional<core::Bytes>> read(const core::Hash256& key) const override {
    return store_.latest_state_value(key);
  }

 private:
  const ledger::LedgerStore& store_;
};

}  // namespace

struct NodeRuntime::Impl {
  NodeConfig config;
  Genesis genesis;
  std::shared_ptr<spdlog::logger> log;

  // Owned state (touched only on the core thread unless noted).
  std::unique_ptr<ledger::LedgerStore> ledger;  // thread-safe reads
  std::unique_ptr<ConsensusStore> consensus_store;
  contracts::ModuleSet modules;                 // every contract module of the chain
  std::optional<contracts::Executor> executor;  // built in open_stores()
  std::unique_ptr<execution::Pipeline> pipeline;
  std::unique_ptr<AdmissionStateReader> admission_state;  // the mempool's account reads
  std::unique_ptr<mempool::VerifierPool> verifier_pool;
  std::unique_ptr<mempool::SignatureCache> signature_cache;  // ids whose signature is known valid
  // What this node promised its clients (journal, verdicts): declared before
  // the mempool, whose removal listener uses it, so it outlives it.
  std::unique_ptr<DurableAcceptance> acceptance;  // thread-safe
  std::unique_ptr<mempool::Mempool> pool;         // thread-safe
  std::size_t regossip_peers = 0;  // core thread: peers the restored transactions went to
  // Client submissions' budget (thread-safe), checked before any admission work.
  std::unique_ptr<mempool::AdmissionBudget> api_budget;
  std::unique_ptr<network::PeerManager> peers;  // thread-safe
  // Outbound gossip of the transactions clients submit, in batches (own thread).
  std::unique_ptr<mempool::GossipBatcher> gossip_out;
  // Inbound gossip, admitted off the network's delivery thread (own thread).
  std::unique_ptr<mempool::AdmissionQueue> gossip_in;
  std::optional<consensus::Replica> replica;
  // [consensus] leader_election (docs/adr/0008-leader-reputation.md); set in start_replica.
  std::shared_ptr<const consensus::LeaderElection> election =
      consensus::make_round_robin_election();
  consensus::EpochContext epoch;
  // The node's account (evidence.hpp): submits equivocation evidence.
  std::optional<core::schnorr::SecretKey> account_key;
  std::uint64_t evidence_sequence = 0;  // next sequence this node's account uses
  std::atomic<std::uint64_t> evidence_submitted{0};
  // Equivocations the replica detected (a second signed proposal or vote of
  // one validator in one round), submitted or not (no node account).
  std::atomic<std::uint64_t> equivocating_proposals{0};
  std::atomic<std::uint64_t> equivocating_votes{0};
  // The health payload store and service ([health] in the config; null when
  // this node holds no payloads). Erasures are applied on commit.
  std::unique_ptr<HealthPayloadStore> health_store;
  std::unique_ptr<HealthPayloads> health;
  // State-tree pruning ([ledger] state_prune_window; null in an archive).
  std::unique_ptr<StatePruneWorker> pruner;

  asio::io_context api_io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> api_work;
  std::vector<std::thread> api_threads;
  std::unique_ptr<ApiBackend> api_backend;
  std::unique_ptr<ApiServer> api;
  // The API server once started (set on the caller's thread, read by the core
  // thread after each commit to wake the WebSocket streams; the server lives
  // until the Impl is destroyed, after the core thread is joined).
  std::atomic<ApiServer*> api_streams{nullptr};

  asio::io_context core;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread core_thread;
  asio::steady_timer round_timer{core};
  asio::steady_timer wake_timer{core};
  asio::steady_timer housekeeping_timer{core};
  asio::steady_timer proposal_timer{core};

  // A BuildProposal held back for more transactions (proposal_delay_ms):
  // answered when the delay ends or a block's worth is pending, whichever is
  // first. The replica ignores a late answer for a round it has left.
  std::optional<consensus::BuildProposal> deferred_proposal;
  // The deferred proposal would be an empty block (it only carries a commit
  // forward): any new transaction releases it.
  bool deferred_empty = false;
  // How many transactions a block this node proposes carries at most
  // (block_execution_budget_ms); core thread only. The atomics mirror it for
  // the metrics.
  BlockBudget block_budget{config.block_execution_budget_ms, config.max_block_transactions};
  std::atomic<std::uint32_t> block_budget_limit{config.max_block_transactions};
  std::atomic<std::uint64_t> block_budget_nanos_per_tx{0};

  std::deque<consensus::Event> pending_events;
  bool stepping = false;
  std::atomic<bool> transactions_signal{false};
  std::optional<std::uint64_t> sync_target_height;  // while catching up

  // Block sync liveness and bounds (sync_liveness.hpp, sync_server.hpp).
  std::unique_ptr<PeerRateLimiter> sync_limiter;         // thread-safe: sync requests per peer
  std::unique_ptr<PeerRateLimiter> unsolicited_limiter;  // sync responses not asked for
  std::unique_ptr<InboundBudget> inbox;                  // thread-safe: posted to core, not yet run
  std::unique_ptr<SyncServer> sync_server;               // serves LedgerSyncRequests (own thread)
  std::optional<CatchUpScheduler> catch_up;              // core thread
  asio::steady_timer sync_timer{core};
  // Certified gossip (mempool/batch_certifier.hpp): which batches this node
  // verifies and acknowledges, which wait for acknowledgements.
  std::mutex certify_mutex;
  std::optional<mempool::BatchCertifier> certifier;  // guarded by certify_mutex
  std::optional<core::ed25519::SecretKey> ack_key;   // signs this node's acknowledgements
  asio::steady_timer certify_timer{core};            // core thread: the next wait's end
  bool certify_timer_armed = false;                  // core thread
  bool in_sync_dispatch = false;                     // core thread: apply_sync is running
  // The peer whose LedgerSyncResponse is awaited (read on the delivery thread).
  std::mutex awaited_mutex;
  std::optional<core::ed25519::PublicKey> awaited_sync_peer;
  struct Drops {
    std::atomic<std::uint64_t> core_queue_full{0};
    std::atomic<std::uint64_t> rate_limited{0};
    std::atomic<std::uint64_t> serve_queue_full{0};
    std::atomic<std::uint64_t> unsolicited{0};
  } drops;
  std::atomic<std::uint64_t> catch_up_requests{0};
  std::atomic<std::uint64_t> catch_up_failures{0};
  // The last voted round of the safety state as last persisted (loaded at
  // start, then after every synced save): what a restart reloads at least.
  std::atomic<std::uint64_t> persisted_last_voted_round{0};
  std::mutex drop_log_mutex;
  struct DropLog {
    std::uint64_t unreported = 0;
    std::uint64_t last_ms = 0;
  };
  std::map<core::ed25519::PublicKey, DropLog> drop_log;

  mutable std::mutex status_mutex;
  NodeStatus status_snapshot;
  // Consensus messages refused by the replica, by reason (MessageRejected).
  mutable std::mutex rejections_mutex;
  std::map<std::string, std::uint64_t> rejections;
  // Proposals and clock offsets (ProposalTimestamp): proposals refused for a
  // timestamp too far ahead, by leader, and each leader's latest clock-offset
  // estimate (its own-clock timestamp minus ours on arrival). Bounded by the
  // validator set (only members' proposals get this far).
  struct LeaderClock {
    std::uint64_t refused = 0;
    std::optional<std::int64_t> offset_ms;
    std::uint64_t refusals_unreported = 0;
    std::uint64_t last_warning_ms = 0;
  };
  mutable std::mutex clocks_mutex;
  std::map<core::ed25519::PublicKey, LeaderClock> leader_clocks;
  std::uint64_t timestamp_refusals = 0;  // under clocks_mutex

  std::mutex stop_call_mutex;  // stop() may be called from several threads at once
  std::mutex stop_mutex;
  std::condition_variable stopped_cv;
  bool stopped = false;
  core::Status fatal = core::Status::ok();
  // Set when open() failed or the node stopped because of its storage
  // (storage_guard.hpp); guarded by stop_mutex once the core thread runs.
  StorageFault storage_fault = StorageFault::kNone;

  // ---- set-up ------------------------------------------------------------------

  core::Status open_stores() {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) return core::Status::io_error(config.data_dir.string() + ": " + ec.message());
    auto spec = genesis_spec(genesis);
    if (!spec) return core::Status::invalid_argument("genesis: " + spec.error().to_string());
    // Every table read with checksums before anything is served or signed
    // (storage_guard.hpp); the ledger's latest block recomputed by open().
    ledger::LevelDbOptions verified;
    verified.verify_tables = true;
    const std::string ledger_dir = (config.data_dir / "ledger").string();
    // The ledger's own options (no Snappy, larger memtable and files: ADR
    // 0007, item 3); an existing directory written with others reads as is.
    ledger::LevelDbOptions ledger_options = ledger::LevelDbOptions::ledger();
    ledger_options.verify_tables = true;
    auto kv = ledger::LevelDbKvStore::open(ledger_dir, ledger_options);
    if (!kv) return storage_error(StorageFault::kDamaged, "the ledger database", kv.error());
    auto store = ledger::LedgerStore::open(std::move(kv).value(), *spec);
    if (!store) {
      if (store.error().code() == core::StatusCode::kInvalidArgument) return store.error();
      return storage_error(StorageFault::kDamaged, "the ledger database " + ledger_dir,
                           store.error());
    }
    ledger = std::move(store).value();
    if (config.state_prune_window != 0) {
      // Before any commit: every commit from now on records its stale nodes.
      StatePruneWorkerConfig pc;
      pc.window = config.state_prune_window;
      pc.slice_nodes = config.state_prune_slice_nodes;
      pc.on_thread_start = lower_thread_priority;
      pc.on_error = [this](const core::Status& s) {
        log->error("state pruning failed (retried): {}", s.to_string());
      };
      pruner = std::make_unique<StatePruneWorker>(*ledger, std::move(pc));
    }
    const std::string consensus_dir = (config.data_dir / "consensus").string();
    auto cs = ConsensusStore::open(consensus_dir, verified);
    if (!cs) {
      // Damaged records hold the safety state: no recovery may drop it.
      return storage_error(cs.error().code() == core::StatusCode::kCorruption
                               ? StorageFault::kSafetyState
                               : StorageFault::kDamaged,
                           "the consensus records (safety state)", cs.error());
    }
    consensus_store = std::move(cs).value();
    // Commit records (QCs) are written in the ledger's commit batch: durable
    // exactly with their blocks, one synced write per commit fewer.
    consensus_store->read_committed_from(ledger->kv());
    // A transaction the mempool admitted had its signature verified there,
    // over exactly these bytes (the id covers the signature): execution does
    // not verify it again, so each node verifies each signature once.
    contracts::ExecutorConfig exec_config;
    exec_config.max_block_transactions = config.max_block_transactions;
    // Execution also remembers what it verified (signature_cache): the late
    // gossip copy of a transaction this node already executed is not verified again.
    signature_cache = std::make_unique<mempool::SignatureCache>();
    exec_config.signature_verified = [this](const core::Hash256& id) {
      return signature_cache->contains(id) || (pool && pool->contains(id));
    };
    exec_config.on_signature_verified = [this](const core::Hash256& id) {
      signature_cache->insert(id);
    };
    executor.emplace(std::move(exec_config));
    modules.register_with(*executor);
    pipeline = std::make_unique<execution::Pipeline>(*ledger, *executor);

    verifier_pool = std::make_unique<mempool::VerifierPool>(0, 256, lower_thread_priority);
    mempool::AdmissionBudgetConfig budget;
    budget.rate_per_s = config.api_admission_rate;
    budget.burst = config.api_admission_burst;
    budget.max_backlog = config.api_max_backlog;
    api_budget = std::make_unique<mempool::AdmissionBudget>(budget);
    mempool::MempoolConfig mc;
    mc.chain_id = genesis.chain_id;
    mc.max_per_account = config.mempool_max_per_account;
    mc.max_sequence_ahead = std::max<std::uint64_t>(256, config.mempool_max_per_account);
    mc.max_count = config.mempool_max_transactions;
    mc.max_bytes = config.mempool_max_bytes;
    // No transaction waits for a block that cannot carry it (kTooLarge).
    mc.max_transaction_bytes = max_transaction_bytes(config);
    admission_state = std::make_unique<AdmissionStateReader>(*ledger);
    const contracts::StateReader& state = *admission_state;
    pool = std::make_unique<mempool::Mempool>(
        mc,
        [&state](const core::AccountId& id) -> core::Result<std::optional<mempool::AccountState>> {
          auto a = contracts::accounts::load_account(state, id);
          if (!a) return std::move(a).error();
          if (!a->has_value()) return std::optional<mempool::AccountState>{};
          return std::optional<mempool::AccountState>{
              mempool::AccountState{(*a)->key, (*a)->next_sequence}};
        },
        verifier_pool.get(), admission_policy());
    pool->set_signature_cache(signature_cache.get());
    if (auto s = open_acceptance(); !s) return s;

    // Any epoch: the ledger's current one (epochs.hpp).
    auto ctx = ledger_epoch_context(*ledger);
    if (!ctx) return storage_error(StorageFault::kDamaged, "the ledger's epoch", ctx.error());
    epoch = std::move(ctx).value();
    return open_health_payloads();
  }

  // The transaction journal (data_dir/mempool): what clients were promised
  // before a crash is back in the mempool before anything is served.
  core::Status open_acceptance() {
    auto journal = TxJournal::open((config.data_dir / "mempool").string());
    if (!journal) return journal.error();
    acceptance = std::make_unique<DurableAcceptance>(std::move(journal).value(), *pool, *ledger,
                                                     [] { return now_ms(); });
    auto report = acceptance->restore();
    if (!report) return report.error();
    for (const std::string& p : report->problems) log->error("transaction journal: {}", p);
    log->info(
        "transaction journal: {} accepted transactions found, {} re-admitted, {} committed "
        "meanwhile, {} expired, {} dropped",
        report->journaled, report->readmitted, report->committed, report->expired, report->dropped);
    return core::Status::ok();
  }

  // Restored transactions may never have left this node before its crash:
  // sent to the peers connected, again whenever more are (core thread).
  void regossip_restored() {
    if (!peers || !gossip_out) return;
    const std::size_t connected = peers->connected_peers().size();
    if (connected <= regossip_peers) return;
    regossip_peers = connected;
    std::vector<core::Bytes> txs = acceptance->regossip();
    for (const auto& tx : txs) gossip_out->add(tx);
    if (!txs.empty()) {
      log->info("re-gossiped {} restored transactions to {} peers", txs.size(), connected);
    }
  }

  // The health payload store, when configured; erasures committed while the
  // node was down (or before a crash) are applied before anything is served.
  core::Status open_health_payloads() {
    if (config.health_payload_dir.empty()) return core::Status::ok();
    auto store = HealthPayloadStore::open(config.health_payload_dir, config.health_key_dir);
    if (!store) return store.error();
    health_store = std::move(store).value();
    HealthPayloadLimits limits;
    limits.max_payload_bytes = config.health_max_payload_bytes;
    limits.request_window_ms = config.health_request_window_ms;
    health = std::make_unique<HealthPayloads>(
        *ledger, *health_store, limits, [] { return now_ms(); },
        [this]() -> std::optional<std::uint32_t> {
          if (auto refused = api_budget->try_admit(steady_ms(), pool->proposable_size())) {
            return std::max<std::uint32_t>(1, refused->retry_after_s);
          }
          return std::nullopt;
        });
    return health->sweep();
  }

  // Destroys the payloads of records erased by `blocks` (just committed).
  void apply_health_erasures(const std::vector<execution::BlockToCommit>& blocks) {
    if (!health) return;
    for (const auto& b : blocks) {
      if (b.payload.empty()) continue;
      auto payload = core::decode<execution::BlockPayload>(b.payload);
      if (!payload) continue;  // committed blocks were checked: cannot happen
      if (auto s = health->after_commit(payload->transactions); !s) {
        log->error(
            "health payload erasure at height {} failed: {} (retried at restart; "
            "releases check erasure on chain)",
            b.header.height, s.to_string());
      }
    }
  }

  // The contract modules' check() at admission, over the latest committed
  // state as if in the next block: a call its module refuses (no role, an
  // illegal transition, a bad co-signature) is answered 422 with the module's
  // reason and never enters a block. A transaction queued behind an earlier
  // one of its account (sequence above the next) is judged in its block.
  mempool::AdmissionPolicy admission_policy() {
    return [this](const chain::IdentifiedTransaction& tx) -> core::Verdict {
      const chain::BlockHeader latest = ledger->latest_header();
      contracts::BlockContext block;
      block.chain_id = genesis.chain_id;
      block.height = latest.height + 1;
      block.timestamp_ms = std::max(now_ms(), latest.timestamp_ms + 1);
      block.first_version = latest.accumulator_size;
      block.epoch = latest.next_validator_set_hash == latest.validator_set_hash ? latest.epoch
                                                                                : latest.epoch + 1;
      contracts::Executor::AdmissionOptions options;
      options.allow_future_sequence = true;
      options.signature_verified = true;  // the mempool verified these bytes
      options.check_future_calls = false;
      auto v = executor->check_transaction(block, tx, *admission_state, options);
      if (!v)
        return core::reject(core::Reject::kInvalid, "state unavailable: " + v.error().to_string());
      return std::move(*v);
    };
  }

  core::Result<consensus::RecoveryData> recovery() const {
    auto r = recovery_from_ledger(*ledger, *consensus_store);
    if (!r) return r;
    auto kept = consensus_store->blocks();
    if (!kept) return kept.error();
    r->blocks = std::move(kept).value();
    auto history =
        committed_history(*ledger, *consensus_store, election->history_needed(r->epoch.validators));
    if (!history) return history.error();
    r->history = std::move(history).value();
    return r;
  }

  core::Status start_replica() {
    auto key = read_ed25519_key(config.key_file);
    if (!key) return key.error();
    auto account =
        load_or_create_account_key(config.key_file.parent_path() / kNodeAccountKeyFileName);
    if (!account) return account.error();
    account_key = std::move(account).value();
    // The ledger's records first: a root QC that fails verification is
    // reported as such (not as a safety state behind a forged round).
    election = config.leader_election == "reputation" ? consensus::make_reputation_election()
                                                      : consensus::make_round_robin_election();
    auto r = recovery();
    if (!r) return storage_error(StorageFault::kDamaged, "the consensus records", r.error());
    // Never a blank or outdated safety state for a validator (storage_guard.hpp).
    auto safety = check_safety_state(*ledger, *consensus_store, epoch, key->public_key());
    if (!safety) {
      return storage_error(StorageFault::kSafetyState,
                           "the safety state in " + (config.data_dir / "consensus").string(),
                           safety.error());
    }
    persisted_last_voted_round = safety->last_voted_round;
    log->info("safety state loaded: epoch {}, last voted round {}, highest timeout round {}",
              safety->epoch, safety->last_voted_round, safety->highest_timeout_round);
    consensus::ReplicaConfig rc;
    rc.chain_id = genesis.chain_id;
    rc.round_timeout_base_ms = config.round_timeout_ms;
    rc.round_timeout_max_ms = config.max_round_timeout_ms;
    // An idle leader waits inside the round the others time: the replica's round
    // timer allows for that wait (docs/adr/0008-leader-reputation.md).
    rc.idle_block_interval_ms = config.idle_block_interval_ms;
    // Consensus sync responses fit a frame; a catch-up that has not delivered
    // within a request timeout may be asked again (with a new target and peer).
    rc.max_sync_response_bytes = config.max_frame_bytes;
    rc.ledger_sync_retry_ms = config.sync_request_timeout_ms;
    replica.emplace(rc, std::move(key).value(), std::move(r).value(), std::move(safety).value(),
                    election);
    return core::Status::ok();
  }

  core::Status start_network() {
    auto key = read_ed25519_key(config.key_file);
    if (!key) return key.error();
    network::NetworkConfig nc;
    nc.chain_id = genesis.chain_id;
    nc.listen_host = config.p2p_listen.host;
    nc.listen_port = config.p2p_listen.port;
    for (const auto& p : config.peers) {
      nc.peers.push_back(network::PeerAddress{p.key, p.endpoint.host, p.endpoint.port});
      nc.allowed_keys.push_back(p.key);  // validators and observers of the consortium
    }
    // And the current epoch's validators (a validator added by governance
    // may not be in an older configuration).
    for (const auto& v : epoch.validators.validators) {
      if (v.key != key->public_key() && std::find(nc.allowed_keys.begin(), nc.allowed_keys.end(),
                                                  v.key) == nc.allowed_keys.end()) {
        nc.allowed_keys.push_back(v.key);
      }
    }
    nc.limits.max_frame_payload_bytes = config.max_frame_bytes;
    nc.max_peers = config.max_peers;
    nc.log = [this](network::LogLevel level, std::string_view line) {
      switch (level) {
        case network::LogLevel::kDebug: log->debug("network {}", line); break;
        case network::LogLevel::kInfo: log->info("network {}", line); break;
        case network::LogLevel::kWarn: log->warn("network {}", line); break;
        case network::LogLevel::kError: log->error("network {}", line); break;
      }
    };
    nc.on_message = [this](network::InboundMessage m) { on_network_message(std::move(m)); };
    peers = std::make_unique<network::PeerManager>(std::move(nc), std::move(key).value());

    mempool::AdmissionQueueConfig aq;
    aq.max_transactions = config.gossip_queue_transactions;
    aq.max_bytes = std::max<std::size_t>(config.max_frame_bytes,
                                         std::size_t{config.gossip_queue_transactions} * 1024);
    aq.on_thread_start = lower_thread_priority;
    // An honest node gossips only transactions its mempool admitted, whose
    // signatures it verified: a bad signature is the sender's own doing
    // (docs/network.md, "Transaction gossip"). Once per ban: what the same
    // peer sent before the ban is still being admitted.
    aq.on_bad_signature = [this](const core::ed25519::PublicKey& origin, std::size_t count) {
      if (peers->is_banned(origin)) return;
      log->warn("peer {} gossiped {} transaction(s) with an invalid signature",
                origin.to_hex().substr(0, 12), count);
      peers->penalize(origin, "transaction gossip with an invalid signature");
    };
    gossip_in = std::make_unique<mempool::AdmissionQueue>(
        aq, *pool, [] { return now_ms(); }, [this](std::size_t) { signal_transactions(); });
    mempool::GossipBatcherConfig gb;
    gb.interval_ms = config.gossip_interval_ms;
    gb.max_transactions = config.gossip_max_transactions;
    // A batch must fit in one frame with room for the encoding's length prefixes.
    gb.max_bytes = std::max<std::size_t>(1, config.max_frame_bytes / 2);
    gb.max_pending_transactions = std::size_t{config.gossip_max_transactions} * 40;
    gb.on_thread_start = lower_thread_priority;
    auto signing = read_ed25519_key(config.key_file);
    if (!signing) return signing.error();
    ack_key.emplace(std::move(signing).value());
    mempool::BatchCertifierConfig bc;
    bc.chain_id = genesis.chain_id;
    bc.wait_ms = kCertificateWaitMs;
    certifier.emplace(bc);
    restart_certifier();
    gossip_out =
        std::make_unique<mempool::GossipBatcher>(gb, [this](std::vector<core::Bytes> batch) {
          execution::BlockPayload gossip;
          gossip.transactions = std::move(batch);
          const auto count = static_cast<std::uint32_t>(gossip.transactions.size());
          core::Bytes payload = core::encode(gossip);
          const core::Hash256 digest = mempool::batch_digest(payload);
          peers->broadcast(network::Channel::kMempool, std::move(payload));
          // This node verified every signature in it at admission: it is the
          // batch's first verifier (certified gossip).
          acknowledge(peers->node_key(), digest, count);
        });
    return peers->start();
  }

  // Before the network starts (its delivery thread uses them).
  void start_sync_services() {
    sync_limiter = std::make_unique<PeerRateLimiter>(config.sync_serve_requests_per_second,
                                                     config.sync_serve_burst);
    unsolicited_limiter = std::make_unique<PeerRateLimiter>(1, 2);
    // One peer: two frames and some; all peers: at least 64 MiB and four frames.
    const std::size_t frame = config.max_frame_bytes;
    InboundBudgetLimits limits;
    limits.per_peer_messages = 512;
    limits.per_peer_bytes = 2 * frame + (1U << 20);
    limits.total_messages = 4096;
    limits.total_bytes = std::max<std::size_t>(64U << 20, 4 * frame + (8U << 20));
    inbox = std::make_unique<InboundBudget>(limits);
    SyncServerConfig sc;
    sc.max_response_bytes = frame;
    sync_server = std::make_unique<SyncServer>(
        sc, *ledger, *consensus_store,
        [this](const core::ed25519::PublicKey& to, core::Bytes bytes) {
          return peers->send(to, network::Channel::kSync, std::move(bytes));
        },
        [this](const core::ed25519::PublicKey& to) -> std::size_t {
          auto st = peers->peer_stats(to);
          return st ? st->queued_low_bytes : 0;
        });
    sync_server->start();
    CatchUpConfig cc;
    cc.request_timeout_ms = config.sync_request_timeout_ms;
    catch_up.emplace(cc);
  }

  // ---- inbound -------------------------------------------------------------------

  // Network delivery thread.
  void on_network_message(network::InboundMessage m) {
    switch (m.channel) {
      case network::Channel::kConsensus: {
        auto msg = consensus::decode_message(m.payload);
        if (!msg) {
          log->warn("peer {} sent a malformed consensus message: {}", m.peer.to_hex().substr(0, 12),
                    msg.error().to_string());
          peers->penalize(m.peer, "malformed consensus message");
          return;
        }
        // A SyncRequest makes the core copy blocks from its tree: rate-limited
        // per peer like ledger sync. Any allowed peer may ask (an observer
        // fetches the blocks it missed the same way).
        if (std::holds_alternative<consensus::SyncRequest>(*msg) &&
            !sync_limiter->allow(m.peer, now_ms())) {
          ++drops.rate_limited;
          note_drop(m.peer, "sync requests beyond the rate limit");
          return;
        }
        post_to_core(m.peer, m.payload.size(),
                     [this, from = m.peer, message = std::move(msg).value()]() mutable {
                       if (answer_past_epoch_request(from, message)) return;
                       feed(consensus::MessageReceived{from, std::move(message), now_ms()});
                     });
        return;
      }
      case network::Channel::kMempool: {
        auto batch = core::decode<execution::BlockPayload>(m.payload);
        if (!batch) {
          peers->penalize(m.peer, "malformed transaction gossip");
          return;
        }
        on_gossip_batch(mempool::GossipBatch{m.peer, mempool::batch_digest(m.payload),
                                             std::move(batch->transactions)});
        return;
      }
      case network::Channel::kBatchAck: {
        auto ack = core::decode<mempool::BatchAck>(m.payload);
        if (!ack) {
          peers->penalize(m.peer, "malformed batch acknowledgement");
          return;
        }
        on_batch_ack(m.peer, *ack);
        return;
      }
      case network::Channel::kSync: on_sync_frame(m); return;
      case network::Channel::kControl: return;
    }
  }

  // ---- certified gossip (docs/network.md, "Certified gossip") --------------------

  // Any thread but certify_mutex's holder: the certifier follows the current
  // epoch; what waited in the old one is verified here.
  void restart_certifier() {
    std::vector<mempool::GossipBatch> released;
    {
      const std::lock_guard lock(certify_mutex);
      if (!certifier || !ack_key) return;
      released = certifier->set_epoch(epoch.epoch(), epoch.validators, ack_key->public_key());
    }
    for (auto& b : released) admit_gossip(std::move(b), Admit::kVerify);
  }

  enum class Admit : std::uint8_t { kVerify, kVerifyAndAck, kCertified };

  // Hands a batch to admission. kCertified: f + 1 validators verified its
  // signatures, so their ids go to the signature cache and the mempool does
  // not verify them; kVerifyAndAck: this node acknowledges it if every
  // signature verifies.
  void admit_gossip(mempool::GossipBatch b, Admit how) {
    mempool::AdmissionQueue::OnVerified hook;
    if (how == Admit::kCertified) {
      std::vector<core::Hash256> ids;
      ids.reserve(b.transactions.size());
      for (const auto& t : b.transactions)
        ids.push_back(core::tagged_hash(core::HashTag::kTransactionId, t));
      signature_cache->insert(ids);
    } else if (how == Admit::kVerifyAndAck) {
      hook = [this, author = b.author, digest = b.digest,
              count = static_cast<std::uint32_t>(b.transactions.size())](bool all_valid) {
        if (all_valid) acknowledge(author, digest, count);
      };
    }
    // Admission (parallel signature checks) runs on gossip_in's thread:
    // this thread also delivers consensus messages and must not wait.
    if (!gossip_in->push(b.transactions, b.author, std::move(hook))) {
      log->debug("gossip from {} dropped: the admission queue is full",
                 b.author.to_hex().substr(0, 12));
    }
  }

  // Signs and sends this node's acknowledgement of (author, digest, count),
  // if it is a validator of the current epoch.
  void acknowledge(const core::ed25519::PublicKey& author, const core::Hash256& digest,
                   std::uint32_t count) {
    std::uint64_t ack_epoch = 0;
    {
      const std::lock_guard lock(certify_mutex);
      if (!certifier || !certifier->acknowledges() || count == 0) return;
      ack_epoch = certifier->epoch();
    }
    const auto ack =
        mempool::sign_batch_ack(genesis.chain_id, ack_epoch, author, digest, count, *ack_key);
    peers->broadcast(network::Channel::kBatchAck, core::encode(ack));
  }

  // Network delivery thread.
  void on_gossip_batch(mempool::GossipBatch batch) {
    mempool::BatchCertifier::Arrival a;
    {
      const std::lock_guard lock(certify_mutex);
      a = certifier->on_batch(std::move(batch), now_ms(),
                              [this](const core::ed25519::PublicKey& v) {
                                return v == ack_key->public_key() || peers->is_connected(v);
                              });
    }
    switch (a.route) {
      case mempool::BatchCertifier::Route::kVerifyAndAck:
        admit_gossip(std::move(a.batch), Admit::kVerifyAndAck);
        return;
      case mempool::BatchCertifier::Route::kVerify:
        admit_gossip(std::move(a.batch), Admit::kVerify);
        return;
      case mempool::BatchCertifier::Route::kCertified:
        admit_gossip(std::move(a.batch), Admit::kCertified);
        return;
      case mempool::BatchCertifier::Route::kWaiting:
        asio::post(core, [this] { arm_certify_timer(); });
        return;
    }
  }

  // Network delivery thread.
  void on_batch_ack(const core::ed25519::PublicKey& from, const mempool::BatchAck& ack) {
    mempool::BatchCertifier::AckResult r;
    {
      const std::lock_guard lock(certify_mutex);
      r = certifier->on_ack(from, ack);
    }
    if (r.outcome == mempool::BatchCertifier::AckOutcome::kInvalid) {
      log->warn("peer {} sent an invalid batch acknowledgement: {}", from.to_hex().substr(0, 12),
                r.reason);
      peers->penalize(from, "invalid batch acknowledgement");
      return;
    }
    if (r.certified) admit_gossip(std::move(*r.certified), Admit::kCertified);
  }

  // Core thread: wakes when the oldest waiting batch's wait ends, and hands
  // what waited out to admission (verified here).
  void arm_certify_timer() {
    if (certify_timer_armed || is_stopping()) return;
    std::optional<std::uint64_t> deadline;
    {
      const std::lock_guard lock(certify_mutex);
      deadline = certifier->next_deadline();
    }
    if (!deadline) return;
    const std::uint64_t now = now_ms();
    certify_timer_armed = true;
    certify_timer.expires_after(std::chrono::milliseconds(*deadline > now ? *deadline - now : 0));
    certify_timer.async_wait([this](const boost::system::error_code& ec) {
      certify_timer_armed = false;
      if (ec || is_stopping()) return;
      std::vector<mempool::GossipBatch> expired;
      {
        const std::lock_guard lock(certify_mutex);
        expired = certifier->expire(now_ms());
      }
      for (auto& b : expired) admit_gossip(std::move(b), Admit::kVerify);
      arm_certify_timer();
    });
  }

  // Network delivery thread. Requests go to the sync server (never to the
  // core thread); only the awaited peer's response goes to the core.
  void on_sync_frame(network::InboundMessage& m) {
    if (m.payload.empty()) {
      peers->penalize(m.peer, "empty sync message");
      return;
    }
    const core::ByteView body = core::ByteView(m.payload).subspan(1);
    if (m.payload[0] == static_cast<std::uint8_t>(SyncKind::kRequest)) {
      auto req = core::decode<LedgerSyncRequest>(body);
      if (!req) {
        peers->penalize(m.peer, "malformed sync request");
        return;
      }
      if (!sync_limiter->allow(m.peer, now_ms())) {
        ++drops.rate_limited;
        note_drop(m.peer, "sync requests beyond the rate limit");
      } else if (sync_server->offer(m.peer, *req) != SyncServer::Offer::kQueued) {
        ++drops.serve_queue_full;
        note_drop(m.peer, "sync requests: the serving queue is full");
      }
      return;
    }
    if (m.payload[0] != static_cast<std::uint8_t>(SyncKind::kResponse)) {
      peers->penalize(m.peer, "unknown sync message");
      return;
    }
    // A response nobody asked for (or that came after its request timed
    // out) may still carry blocks that extend this ledger: it is taken at
    // most once a second per peer, and dropped on the core thread unless its
    // first block follows this node's latest block.
    bool awaited = false;
    {
      std::lock_guard lock(awaited_mutex);
      awaited = awaited_sync_peer == m.peer;
    }
    if (!awaited && !unsolicited_limiter->allow(m.peer, now_ms())) {
      ++drops.unsolicited;
      note_drop(m.peer, "sync responses not asked for, beyond one a second");
      return;
    }
    post_to_core(m.peer, m.payload.size(), [this, from = m.peer, payload = std::move(m.payload)] {
      on_sync_message(from, payload);
    });
  }

  // Core thread: a peer in an epoch before ours asks for blocks (or for how
  // far behind it is): the replica knows only its own epoch, the ledger
  // knows every past one. The answer is the commit certificate that ended
  // the peer's epoch, with which the peer catches its ledger up (and then
  // verifies every block of the next epoch against the set it executed).
  bool answer_past_epoch_request(const core::ed25519::PublicKey& from,
                                 const consensus::Message& message) {
    const auto* req = std::get_if<consensus::SyncRequest>(&message);
    if (req == nullptr || req->epoch >= replica->epoch()) return false;
    if (auto resp = answer_past_epoch(*ledger, *consensus_store, *req, replica->epoch())) {
      peers->send(from, network::Channel::kConsensus,
                  consensus::encode_message(consensus::Message{std::move(*resp)}));
    }
    return true;
  }

  // Posts a peer's message to the core thread within the inbox's bounds; a
  // message beyond them is dropped (consensus recovers lost messages by its
  // timeouts, catch-up by its retries) and counted.
  template <class F>
  void post_to_core(const core::ed25519::PublicKey& from, std::size_t bytes, F&& handler) {
    if (!inbox->acquire(from, bytes)) {
      ++drops.core_queue_full;
      note_drop(from, "messages: the core thread's queue holds too many of this peer's");
      return;
    }
    asio::post(core, [this, from, bytes, h = std::forward<F>(handler)]() mutable {
      inbox->release(from, bytes);
      h();
    });
  }

  // One log line per peer per 10 s at most, with the count since the last.
  void note_drop(const core::ed25519::PublicKey& peer, std::string_view what) {
    const std::uint64_t now = now_ms();
    std::uint64_t n = 0;
    {
      std::lock_guard lock(drop_log_mutex);
      DropLog& d = drop_log[peer];
      ++d.unreported;
      if (d.last_ms != 0 && now < d.last_ms + 10000) return;
      n = d.unreported;
      d.unreported = 0;
      d.last_ms = now;
      if (drop_log.size() > 4096) drop_log.clear();  // allowed keys bound it; belt and braces
    }
    log->warn("dropped {} from peer {}: {}", n, peer.to_hex().substr(0, 12), what);
  }

  void signal_transactions() {
    if (transactions_signal.exchange(true)) return;
    asio::post(core, [this] {
      transactions_signal = false;
      if (deferred_proposal && (deferred_empty || pool->size() >= block_budget.limit())) {
        release_deferred_proposal();
      }
      feed(consensus::TransactionsAvailable{now_ms()});
    });
  }

  // ---- the replica's loop (core thread) ----------------------------------------------

  void feed(consensus::Event event) {
    pending_events.push_back(std::move(event));
    feed_pending();
  }

  // Steps the queued events (unless a step is already running further up).
  void feed_pending() {
    if (stepping) return;
    stepping = true;
    while (!pending_events.empty() && !is_stopping()) {
      consensus::Event e = std::move(pending_events.front());
      pending_events.pop_front();
      std::vector<consensus::Effect> effects = replica->step(e);
      for (auto& effect : effects) {
        if (!apply(effect)) break;
      }
    }
    stepping = false;
    refresh_status();
  }

  // Applies one effect; false stops the rest of the list (a fatal error).
  bool apply(consensus::Effect& effect) {
    return std::visit(
        Overloaded{
            [&](consensus::PersistSafetyState& e) {
              // Nothing after a failed save is applied: the vote or
              // timeout this state guards is never sent.
              if (auto s = consensus_store->save_safety_state(e.state); !s) {
                return die_storage("cannot persist the safety state: " + s.to_string());
              }
              persisted_last_voted_round = e.state.last_voted_round;
              return true;
            },
            [&](consensus::PersistBlock& e) {
              if (auto s = consensus_store->save_block(e.block); !s) {
                return die_storage("cannot persist a block: " + s.to_string());
              }
              return true;
            },
            [&](consensus::Send& e) {
              peers->send(e.to, network::Channel::kConsensus, consensus::encode_message(e.message));
              return true;
            },
            [&](consensus::Broadcast& e) {
              peers->broadcast(network::Channel::kConsensus, consensus::encode_message(e.message));
              return true;
            },
            [&](consensus::BuildProposal& e) {
              build_or_defer_proposal(e);
              return true;
            },
            [&](consensus::ExecuteBlock& e) {
              execute_block(e);
              return true;
            },
            [&](consensus::Commit& e) { return commit(e); },
            [&](consensus::ScheduleTimeout& e) {
              round_timer.expires_after(std::chrono::milliseconds(e.duration_ms));
              round_timer.async_wait(
                  [this, ep = e.epoch, r = e.round](boost::system::error_code ec) {
                    if (!ec) feed(consensus::LocalTimeout{ep, r, now_ms()});
                  });
              return true;
            },
            [&](consensus::WakeAt& e) {
              const std::uint64_t now = now_ms();
              const std::uint64_t wait = e.time_ms > now ? e.time_ms - now : 0;
              wake_timer.expires_after(std::chrono::milliseconds(wait));
              wake_timer.async_wait([this](boost::system::error_code ec) {
                if (!ec) feed(consensus::Wake{now_ms()});
              });
              return true;
            },
            [&](consensus::SyncLedger& e) {
              request_sync(e.peer, e.commit_cert);
              return true;
            },
            [&](consensus::Evidence& e) {
              const bool proposal = e.kind == consensus::Evidence::Kind::kProposal;
              ++(proposal ? equivocating_proposals : equivocating_votes);
              log->warn("equivocation by validator {} in epoch {} round {} ({})",
                        e.offender.to_hex().substr(0, 12), e.epoch, e.round,
                        proposal ? "two proposals" : "two votes");
              submit_evidence(e);
              return true;
            },
            [&](consensus::EpochStarted& e) {
              start_epoch(e.epoch);
              return true;
            },
            [&](consensus::ProposalTimestamp& e) {
              note_proposal_timestamp(e);
              return true;
            },
            [&](consensus::MessageRejected& e) {
              count_rejection(e.why.reason);
              log->debug("refused a consensus message from {}: {}", e.from.to_hex().substr(0, 12),
                         e.why.to_string());
              if (e.why.reason == core::Reject::kBadSignature) {
                peers->penalize(e.from, "invalid consensus signature");
              }
              return true;
            },
        },
        effect);
  }

  // The replica moved to a new epoch (it committed the block that ended the
  // last one, or caught its ledger up past it): the validators of the new
  // set may connect (they are consortium nodes; a removed validator stays
  // connected only if it is a configured peer, and the replica refuses its
  // votes and proposals as a non-member's), and this node votes only if its
  // key is in the set.
  void start_epoch(const consensus::EpochContext& next) {
    const bool was_voter = epoch.validators.index_of(replica->author()).has_value();
    epoch = next;
    const bool voter = epoch.validators.index_of(replica->author()).has_value();
    std::vector<core::ed25519::PublicKey> allowed;
    for (const auto& p : config.peers) allowed.push_back(p.key);
    for (const auto& v : epoch.validators.validators) {
      if (v.key != replica->author()) allowed.push_back(v.key);
    }
    std::sort(allowed.begin(), allowed.end());
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    peers->set_allowed_keys(std::move(allowed));
    restart_certifier();
    log->info(
        "epoch {} started at height {} with {} validators (set {}); this node is {}", epoch.epoch(),
        epoch.epoch_root_height + 1, epoch.validators.validators.size(),
        epoch.validators.hash().to_hex().substr(0, 16),
        voter ? (was_voter ? "a validator" : "a validator from now on")
              : (was_voter ? "no longer a validator (an observer from now on)" : "an observer"));
    for (const auto& v : epoch.validators.validators) {
      if (v.key != replica->author() && !peers->is_connected(v.key) &&
          std::none_of(config.peers.begin(), config.peers.end(),
                       [&](const PeerAddress& p) { return p.key == v.key; })) {
        log->warn(
            "validator {} ({}) of epoch {} is not a configured peer: it can reach this "
            "node, this node cannot dial it (add it to [network] peers)",
            v.name, v.key.to_hex().substr(0, 12), epoch.epoch());
      }
    }
  }

  // The evidence goes on chain as system.submit_evidence signed by this
  // node's account; every replica verifies it from the two signatures.
  void submit_evidence(const consensus::Evidence& e) {
    if (!account_key) return;
    auto args = evidence_args(e, genesis.chain_id);
    if (!args) {
      log->error("cannot build the evidence transaction: {}", args.error().to_string());
      return;
    }
    const core::AccountId me = core::account_id_of(account_key->public_key());
    auto account = contracts::accounts::load_account(*admission_state, me);
    if (account && account->has_value()) {
      evidence_sequence = std::max(evidence_sequence, (*account)->next_sequence);
    }
    const chain::Transaction tx = evidence_transaction(*args, *account_key, genesis.chain_id,
                                                       evidence_sequence, now_ms() + 3'600'000);
    // Straight to the mempool (not through the clients' admission budget).
    const core::Bytes encoded = tx.encoded();
    auto r = pool->submit_encoded(encoded, now_ms());
    if (!r.ok()) {
      log->warn("evidence against {} not admitted: {}", e.offender.to_hex().substr(0, 12),
                r.rejection->to_string());
      return;
    }
    if (gossip_out) gossip_out->add(encoded);
    signal_transactions();
    ++evidence_sequence;
    ++evidence_submitted;
    log->info("submitted equivocation evidence against {} (epoch {} round {}) as transaction {}",
              e.offender.to_hex().substr(0, 12), e.epoch, e.round, r.id.to_hex().substr(0, 16));
  }

  // Clock skew made visible: a leader's offset estimate for the metrics, and
  // a warning (at most one per leader per 10 s, with the count since the
  // last) naming the leader whose proposal this node refused as too far ahead.
  void note_proposal_timestamp(const consensus::ProposalTimestamp& e) {
    const std::uint64_t now = now_ms();
    std::uint64_t report = 0;
    {
      std::lock_guard lock(clocks_mutex);
      if (leader_clocks.size() > 4096) leader_clocks.clear();  // members only; belt and braces
      LeaderClock& c = leader_clocks[e.leader];
      if (!e.follows_parent) c.offset_ms = e.ahead_ms;
      if (!e.refused) return;
      ++timestamp_refusals;
      ++c.refused;
      ++c.refusals_unreported;
      if (c.last_warning_ms != 0 && now < c.last_warning_ms + 10000) return;
      report = c.refusals_unreported;
      c.refusals_unreported = 0;
      c.last_warning_ms = now;
    }
    log->warn(
        "refused {} proposal(s) from validator {}: timestamp {} ms ahead of this node's clock "
        "(allowed {} ms; one of the two clocks is wrong; the round is timed out at once)",
        report, e.leader.to_hex().substr(0, 12), e.ahead_ms, replica->config().max_clock_skew_ms);
  }

  void count_rejection(core::Reject reason) {
    std::lock_guard lock(rejections_mutex);
    ++rejections[std::string(core::reject_name(reason))];
  }

  // Proposal batching: blocks follow their parent by at least
  // proposal_delay_ms unless a block's worth of transactions is pending, so
  // that per-block costs (signatures, synced writes, a round of votes) are
  // paid per many transactions and a lightly loaded chain does not run at
  // dozens of nearly empty blocks per second. The wait is measured from the
  // parent's timestamp (a loaded chain, whose blocks are further apart
  // anyway, does not wait at all) and never exceeds the delay (a parent
  // stamped by a clock ahead of ours). An empty block that only carries a
  // commit forward waits up to three delays, but the first new transaction
  // releases it (and rides in it). A leader with nothing to propose and no
  // need for an empty block answers at once (the replica then waits for
  // TransactionsAvailable or its idle WakeAt).
  void build_or_defer_proposal(const consensus::BuildProposal& e) {
    const std::uint64_t delay_ms =
        std::min<std::uint32_t>(config.proposal_delay_ms, config.round_timeout_ms / 4);
    deferred_proposal.reset();
    deferred_empty = false;
    const std::size_t pooled = pool->size();
    if (delay_ms == 0 || e.reconfiguration_suffix || pooled >= block_budget.limit() ||
        (!e.allow_empty && pooled == 0)) {
      build_proposal(e);
      return;
    }
    // Transactions not yet in an uncommitted ancestor (parked ones counted too:
    // an estimate, enough to tell an empty block).
    const std::size_t in_ancestors = pipeline->pending_transactions(e.parent.id()).size();
    const bool empty = pooled <= in_ancestors;
    if (empty && !e.allow_empty) {
      build_proposal(e);  // answers "nothing to propose"
      return;
    }
    const std::uint64_t wait_limit_ms =
        empty ? std::min<std::uint64_t>(3 * delay_ms, config.round_timeout_ms / 4) : delay_ms;
    const std::uint64_t now = now_ms();
    const std::uint64_t due = e.parent.timestamp_ms + wait_limit_ms;
    const std::uint64_t wait_ms = due > now ? std::min(due - now, wait_limit_ms) : 0;
    if (wait_ms == 0) {
      build_proposal(e);
      return;
    }
    deferred_proposal = e;
    deferred_empty = empty;
    proposal_timer.expires_after(std::chrono::milliseconds(wait_ms));
    proposal_timer.async_wait([this](boost::system::error_code ec) {
      if (!ec) release_deferred_proposal();
    });
  }

  void release_deferred_proposal() {
    if (!deferred_proposal) return;
    const consensus::BuildProposal e = std::move(*deferred_proposal);
    deferred_proposal.reset();
    deferred_empty = false;
    proposal_timer.cancel();
    // A round left meanwhile (a timeout): the replica would ignore the answer,
    // and it has already asked again if this node leads the new round.
    if (e.epoch != replica->epoch() || e.round != replica->round()) return;
    build_proposal(e);
    // build_proposal answers with feed_later; step the answer now (this runs
    // from a timer or a posted handler, outside feed()).
    if (!stepping) feed_pending();
  }

  void build_proposal(const consensus::BuildProposal& e) {
    const std::uint64_t now = now_ms();
    auto pending = pipeline->pending_transactions(e.parent.id());
    std::unordered_set<core::Hash256, core::Hash256Hasher> exclude(pending.begin(), pending.end());
    std::vector<chain::IdentifiedTransaction> candidates;
    if (!e.reconfiguration_suffix) {
      candidates = pool->take(block_budget.limit(), config.max_block_bytes, exclude);
    }
    consensus::ProposalBuilt built{e.epoch, e.round, std::nullopt, {}, std::nullopt, now};
    if (candidates.empty() && !e.allow_empty) {
      feed_later(std::move(built));
      return;
    }
    execution::BlockTemplate t;
    t.epoch = e.epoch;
    t.round = e.round;
    t.timestamp_ms = std::max(now, e.min_timestamp_ms);
    t.proposer = replica->author();
    t.max_transactions = config.max_block_transactions;
    t.max_bytes = config.max_block_bytes;
    t.reconfiguration_suffix = e.reconfiguration_suffix;
    const auto started = std::chrono::steady_clock::now();
    auto r = pipeline->build(e.parent, t, candidates);
    if (r && *r) observe_execution((*r)->included.size(), started);
    if (!r) {
      log->error("building a proposal failed: {}", r.error().to_string());
    } else if (!*r) {
      log->warn("cannot build on parent {}: {}", e.parent.id().to_hex().substr(0, 12),
                r->error().to_string());
    } else {
      if (!(*r)->invalid.empty()) {
        log->debug("{} candidate transactions left out of round {}", (*r)->invalid.size(), e.round);
      }
      if ((*r)->included.empty() && !e.allow_empty) {
        feed_later(std::move(built));
        return;
      }
      built.header = (*r)->header;
      built.payload = std::move((*r)->payload);
      built.next_validator_set = std::move((*r)->next_validator_set);
      if (built.next_validator_set) {
        log->info("proposing block {} at height {}: it ends epoch {} (next set of {} validators)",
                  built.header->id().to_hex().substr(0, 12), built.header->height, e.epoch,
                  built.next_validator_set->validators.size());
      }
    }
    feed_later(std::move(built));
  }

  void execute_block(const consensus::ExecuteBlock& e) {
    consensus::BlockExecuted done{e.header.id(), std::nullopt, std::nullopt, now_ms()};
    const auto started = std::chrono::steady_clock::now();
    auto r = pipeline->execute(e.header, e.payload, e.reconfiguration_suffix);
    if (r && *r && !e.payload.empty()) {
      // The payload's count prefix (block_payload.hpp); the block is valid.
      core::Reader count(e.payload);
      observe_execution(count.length(execution::kMaxBlockTransactions, "count"), started);
    }
    if (!r) {
      log->error("executing block {} failed: {}", e.header.height, r.error().to_string());
    } else if (!*r) {
      log->warn("block {} at height {} is invalid: {}", e.header.id().to_hex().substr(0, 12),
                e.header.height, r->error().to_string());
    } else {
      done.result = **r;
      if (done.result->ends_epoch()) {
        done.next_validator_set = pipeline->next_validator_set(done.result->id());
      }
    }
    feed_later(std::move(done));
  }

  // A block of `transactions` was built or executed since `started`: the
  // block budget's sample (wall time, so the cores' contention counts).
  void observe_execution(std::size_t transactions, std::chrono::steady_clock::time_point started) {
    block_budget.observe(transactions, std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::steady_clock::now() - started));
    block_budget_limit = block_budget.limit();
    block_budget_nanos_per_tx =
        static_cast<std::uint64_t>(block_budget.micros_per_transaction() * 1000.0);
  }

  // Effects answer with events; they are stepped after the current list.
  void feed_later(consensus::Event event) { pending_events.push_back(std::move(event)); }

  bool commit(const consensus::Commit& e) {
    std::vector<execution::BlockToCommit> blocks;
    blocks.reserve(e.blocks.size());
    ledger::WriteBatch records;
    for (std::size_t i = 0; i < e.blocks.size(); ++i) {
      const auto& b = e.blocks[i];
      CommittedQcs qcs{b.qc, std::nullopt};
      if (i + 1 == e.blocks.size()) qcs.commit_qc = e.commit_cert;
      ConsensusStore::add_committed(records, b.header.height, qcs);
      blocks.push_back({b.header, b.payload});
    }
    // Signatures the replica checked are not checked again by the ledger.
    return commit_blocks(blocks, e.commit_cert.certificate,
                         e.verified_certificate ? &*e.verified_certificate : nullptr, records);
  }

  // `records`: the blocks' commit records, written in the ledger's batch.
  // `verified`: `cert` with consensus' proof of its signatures, or null (the
  // ledger checks them).
  bool commit_blocks(const std::vector<execution::BlockToCommit>& blocks,
                     const chain::QuorumCertificate& cert,
                     const chain::VerifiedCertificate* verified,
                     const ledger::WriteBatch& records) {
    auto v = verified != nullptr && verified->certificate() == cert
                 ? pipeline->commit(blocks, *verified, &records)
                 : pipeline->commit(blocks, cert, &records);
    if (!v) return die_storage("committing blocks failed: " + v.error().to_string());
    if (!*v) return die_disagrees(blocks.back().header.height, v->rejection().to_string());
    return after_commit(blocks);
  }

  bool die_disagrees(std::uint64_t height, const std::string& why) {
    return die("this node's execution disagrees with a certified block at height " +
               std::to_string(height) + ": " + why);
  }

  // After `blocks` were committed (by consensus or by sync): the mempool, the
  // health payloads, the kept blocks, the API's streams.
  bool after_commit(const std::vector<execution::BlockToCommit>& blocks) {
    const auto& c = pipeline->last_committed();
    std::vector<std::pair<core::AccountId, std::uint64_t>> next(c.next_sequences.begin(),
                                                                c.next_sequences.end());
    pool->remove_committed(c.ids, next);
    apply_health_erasures(blocks);
    // A failed write may leave a partial record in the log: nothing more may
    // be appended after it (the next start discards a partial tail only).
    if (auto s = consensus_store->prune_blocks(ledger->latest_height()); !s) {
      return die_storage("cannot prune kept blocks: " + s.to_string());
    }
    if (ApiServer* server = api_streams.load()) server->notify_committed(ledger->latest_height());
    const auto& h = ledger->latest_header();
    log->info("committed height {} ({} transactions, accumulator {}), block {}", h.height,
              c.ids.size(), h.accumulator_size, h.id().to_hex().substr(0, 16));
    return true;
  }

  // ---- block sync ----------------------------------------------------------------

  // Catch up to the block `target` commits, asking `peer` first. Also called
  // by apply_sync when more is left to fetch. Requests go one at a time; one
  // unanswered within sync_request_timeout_ms, one that gives nothing usable
  // and one that cannot be sent rest their peer (back-off) and the next
  // request goes to another connected peer (CatchUpScheduler).
  void request_sync(const core::ed25519::PublicKey& peer, const consensus::QuorumCert& target) {
    sync_target_height =
        std::max(sync_target_height.value_or(0), target.ledger_info().commit_height);
    catch_up->want(*sync_target_height, peer);
    if (!in_sync_dispatch) pump_sync();
  }

  void set_awaited(const std::optional<core::ed25519::PublicKey>& peer) {
    std::lock_guard lock(awaited_mutex);
    awaited_sync_peer = peer;
  }

  // Sends the next catch-up request if none is outstanding, expires one that
  // timed out, and re-arms the timer. Ends the catch-up once the ledger
  // reached its target (by sync or by consensus).
  void pump_sync() {
    if (!catch_up->active()) return;
    if (ledger->latest_height() >= *catch_up->target()) {
      finish_sync(/*tell_replica=*/true);
      return;
    }
    const std::uint64_t now = now_ms();
    if (auto late = catch_up->expire(now)) {
      set_awaited(std::nullopt);
      log->warn("sync request to {} unanswered after {} ms: asking another peer",
                late->to_hex().substr(0, 12), config.sync_request_timeout_ms);
    }
    const auto connected = peers->connected_peers();
    if (auto gone = catch_up->lost(connected, now)) {
      set_awaited(std::nullopt);
      log->warn("sync request to {} lost with its connection: asking another peer",
                gone->to_hex().substr(0, 12));
    }
    for (std::size_t i = 0; i <= connected.size(); ++i) {
      auto peer = catch_up->pick(now, connected);
      if (!peer) break;
      LedgerSyncRequest req{ledger->latest_height(), kMaxSyncBlocksPerResponse};
      set_awaited(*peer);  // before sending: the answer may come at once
      const network::SendResult r = peers->send(*peer, network::Channel::kSync,
                                                tagged(SyncKind::kRequest, core::encode(req)));
      if (r == network::SendResult::kQueued) {
        catch_up->sent(*peer, now);
        log->info("catching up from height {} to {} via {}", req.after_height, *catch_up->target(),
                  peer->to_hex().substr(0, 12));
        break;
      }
      set_awaited(std::nullopt);
      log->warn("sync request to {} not sent ({}): asking another peer",
                peer->to_hex().substr(0, 12), network::send_result_name(r));
      catch_up->send_failed(*peer, now);
    }
    catch_up_requests = catch_up->requests();
    catch_up_failures = catch_up->failures();
    // Wake at the next timeout or end of a rest, and at least every second
    // (peers may connect meanwhile).
    const auto next = catch_up->next_event_ms(now);
    const std::uint64_t wait = next && *next > now ? std::min<std::uint64_t>(*next - now, 1000)
                               : next              ? 0
                                                   : 1000;
    sync_timer.expires_after(std::chrono::milliseconds(wait));
    sync_timer.async_wait([this](boost::system::error_code ec) {
      if (!ec && !is_stopping()) pump_sync();
    });
  }

  void finish_sync(bool tell_replica) {
    catch_up->finish();
    set_awaited(std::nullopt);
    sync_timer.cancel();
    certify_timer.cancel();
    sync_target_height.reset();
    if (!tell_replica) return;
    // Consensus committed up to the target meanwhile: the replica's SyncLedger
    // is answered (LedgerSynced at a root it already has changes nothing else).
    auto r = recovery();
    if (!r) {
      die("recovery after sync: " + r.error().to_string());
      return;
    }
    feed(consensus::LedgerSynced{std::move(r).value(), now_ms()});
  }

  // Core thread: a response of the awaited peer (checked again here: a
  // request may have timed out since the delivery thread let it through).
  void on_sync_message(const core::ed25519::PublicKey& from, const core::Bytes& payload) {
    const bool solicited = catch_up->awaiting() == from;
    const std::uint64_t before = ledger->latest_height();
    auto resp = core::decode<LedgerSyncResponse>(core::ByteView(payload).subspan(1));
    if (!resp) {
      peers->penalize(from, "malformed sync response");
      if (!solicited) return;
    } else if (!solicited && (resp->blocks.empty() || resp->blocks.front().header.parent_hash !=
                                                          ledger->latest_header().id())) {
      ++drops.unsolicited;  // nothing this node could use: not even verified
      return;
    } else {
      in_sync_dispatch = true;
      apply_sync(from, std::move(resp).value());
      in_sync_dispatch = false;
      if (is_stopping()) return;
      if (!solicited) {
        if (!sync_target_height && catch_up->active()) finish_sync(/*tell_replica=*/false);
        pump_sync();
        return;
      }
    }
    const bool progress = ledger->latest_height() > before;
    set_awaited(std::nullopt);
    catch_up->answered(from, progress, now_ms());
    if (!progress) {
      log->warn("sync response from {} gave no block after height {}: asking another peer",
                from.to_hex().substr(0, 12), before);
    }
    if (!sync_target_height) {
      finish_sync(/*tell_replica=*/false);  // apply_sync reached the target (LedgerSynced fed)
      return;
    }
    pump_sync();
  }

  // Everything a sync response carries is checked before anything is kept or
  // executed: each block's own QC (kept as the commit record, it becomes the
  // replica's root and high QC on recovery) with the same checks as a QC
  // received in consensus, the chain of blocks and rounds from this ledger's
  // head, the commit certificate, and each payload against its certified
  // header (verify_sync_response, epochs.hpp: checked against the epoch of
  // this ledger's next block; across an epoch change, the next set is the one
  // this node executed). A response that fails is the peer's fault: refused,
  // the peer penalised (the replica asks another peer later). The check, the
  // re-execution and the atomic commit are apply_sync_response
  // (sync_apply.hpp); the bookkeeping after it is the runtime's.
  void apply_sync(const core::ed25519::PublicKey& from, const LedgerSyncResponse& resp) {
    SyncApplyResult applied = apply_sync_response(*pipeline, resp);
    switch (applied.outcome) {
      case SyncApplyOutcome::kEmpty: return;
      case SyncApplyOutcome::kStale:
        log->debug("sync from {}: blocks do not extend this node's ledger at height {}",
                   from.to_hex().substr(0, 12), ledger->latest_height());
        return;
      case SyncApplyOutcome::kRefused:
        log->warn("sync from {}: refused: {}", from.to_hex().substr(0, 12), applied.reason);
        peers->penalize(from, "invalid sync response");
        return;
      case SyncApplyOutcome::kStorageError:
        die_storage("committing blocks failed: " + applied.reason);
        return;
      case SyncApplyOutcome::kDisagrees:
        die_disagrees(resp.blocks.back().header.height, applied.reason);
        return;
      case SyncApplyOutcome::kCommitted: break;
    }
    if (!after_commit(applied.blocks)) return;
    const auto& qc = *resp.commit_qc;
    auto r = recovery();
    if (!r) {
      die("recovery after sync: " + r.error().to_string());
      return;
    }
    if (sync_target_height && ledger->latest_height() < *sync_target_height) {
      request_sync(from, qc);  // more to fetch; the target stays
      sync_target_height = std::max(*sync_target_height, qc.ledger_info().commit_height);
    } else {
      sync_target_height.reset();
    }
    feed(consensus::LedgerSynced{std::move(r).value(), now_ms()});
  }

  // ---- metrics (read by the API's threads at scrape time) ---------------------------

  // The runtime's own metrics beside the API server's. Readers only call
  // thread-safe stats() of objects that live until the runtime is destroyed,
  // after the API has stopped.
  void register_metrics(MetricsRegistry& registry) {
    using T = MetricType;
    const auto count = [](std::uint64_t v) { return static_cast<double>(v); };
    (void)registry.add_value(
        T::kGauge, "bauhinia_ledger_state_oldest_version",
        "The oldest height whose state (records, proofs) this node serves; 0 in an archive",
        [this, count] { return count(ledger->oldest_state_version()); });
    if (pruner) {
      (void)registry.add_value(T::kCounter, "bauhinia_ledger_state_nodes_pruned_total",
                               "State-tree nodes deleted by pruning since the node started",
                               [this, count] { return count(pruner->nodes_pruned()); });
    }
    (void)registry.add_value(T::kGauge, "bauhinia_consensus_round", "Consensus' current round",
                             [this, count] {
                               std::lock_guard lock(status_mutex);
                               return count(status_snapshot.round);
                             });
    (void)registry.add_value(T::kGauge, "bauhinia_consensus_epoch",
                             "Consensus' current epoch (its validator set: GET /v1/validators)",
                             [this, count] {
                               std::lock_guard lock(status_mutex);
                               return count(status_snapshot.epoch);
                             });
    (void)registry.add_value(T::kGauge, "bauhinia_consensus_is_validator",
                             "1 when this node's key is in the current epoch's validator set",
                             [this] {
                               std::lock_guard lock(status_mutex);
                               return status_snapshot.role == Role::kValidator ? 1.0 : 0.0;
                             });
    (void)registry.add(T::kCounter, "bauhinia_consensus_messages_rejected_total",
                       "Consensus messages the replica refused, by reason (unknown_signer: "
                       "from a key not in the epoch's validator set; bad_signature; ...)",
                       [this, count] {
                         std::vector<MetricSample> out;
                         std::lock_guard lock(rejections_mutex);
                         for (const auto& [reason, n] : rejections) {
                           out.push_back({{{"reason", reason}}, count(n)});
                         }
                         return out;
                       });
    (void)registry.add_value(T::kCounter, "bauhinia_tx_journal_syncs_total",
                             "Group commits (one fsync each) of the transaction journal",
                             [this, count] { return count(acceptance->journal().stats().syncs); });
    (void)registry.add_value(
        T::kCounter, "bauhinia_tx_journal_appended_total",
        "Accepted transactions written to the transaction journal",
        [this, count] { return count(acceptance->journal().stats().appended); });
    (void)registry.add_value(T::kGauge, "bauhinia_tx_journal_held",
                             "Accepted transactions in the journal (not yet committed or judged)",
                             [this, count] { return count(acceptance->journal().stats().held); });
    (void)registry.add_value(
        T::kCounter, "bauhinia_tx_journal_write_errors_total",
        "Failed transaction journal writes (their submissions were answered 503)",
        [this, count] { return count(acceptance->journal().stats().write_errors); });
    (void)registry.add_value(T::kGauge, "bauhinia_block_budget_transactions",
                             "The most transactions a block this node proposes now carries "
                             "(block_execution_budget_ms over the measured cost per transaction)",
                             [this] { return static_cast<double>(block_budget_limit.load()); });
    (void)registry.add_value(
        T::kGauge, "bauhinia_block_execution_micros_per_transaction",
        "Moving average of the wall time this node spent building or executing a block, per "
        "transaction (microseconds)",
        [this] { return static_cast<double>(block_budget_nanos_per_tx.load()) / 1000.0; });
    (void)registry.add_value(T::kCounter, "bauhinia_consensus_proposals_refused_timestamp_total",
                             "Proposals this node refused because their timestamp was too far "
                             "ahead of its clock (docs/consensus.md, \"Block timestamps\")",
                             [this, count] {
                               std::lock_guard lock(clocks_mutex);
                               return count(timestamp_refusals);
                             });
    (void)registry.add(T::kGauge, "bauhinia_consensus_peer_clock_offset_ms",
                       "Estimated clock offset of each validator that led a round seen here: "
                       "its latest own-clock block timestamp minus this node's clock on arrival "
                       "(so minus the message delay)",
                       [this] {
                         std::vector<MetricSample> out;
                         std::lock_guard lock(clocks_mutex);
                         for (const auto& [key, c] : leader_clocks) {
                           if (!c.offset_ms) continue;
                           out.push_back({{{"peer", key.to_hex().substr(0, 16)}},
                                          static_cast<double>(*c.offset_ms)});
                         }
                         return out;
                       });
    (void)registry.add_value(T::kCounter, "bauhinia_evidence_submitted_total",
                             "Equivocation evidence this node submitted as transactions",
                             [this, count] { return count(evidence_submitted.load()); });
    (void)registry.add(T::kCounter, "bauhinia_equivocations_detected_total",
                       "Equivocations this node's replica detected (two different signed "
                       "messages of one validator in one round), by kind",
                       [this, count] {
                         return std::vector<MetricSample>{
                             {{{"kind", "proposal"}}, count(equivocating_proposals.load())},
                             {{{"kind", "vote"}}, count(equivocating_votes.load())}};
                       });
    (void)registry.add_value(T::kGauge, "bauhinia_consensus_last_voted_round",
                             "Last voted (or timed-out) round of the persisted safety state",
                             [this, count] { return count(persisted_last_voted_round.load()); });
    (void)registry.add_value(
        T::kGauge, "bauhinia_peers_connected", "Consortium nodes connected (authenticated)",
        [this, count] { return count(peers ? peers->stats().established : 0); });
    (void)registry.add(
        T::kCounter, "bauhinia_network_connections_refused_total",
        "Peer connections refused, by reason", [this, count] {
          std::vector<MetricSample> out;
          if (!peers) return out;
          const network::NetworkStats st = peers->stats();
          out.push_back({{{"reason", "not_allowed"}}, count(st.refused_not_allowed)});
          out.push_back({{{"reason", "banned"}}, count(st.refused_banned)});
          out.push_back({{{"reason", "connection_limit"}}, count(st.refused_limit)});
          out.push_back({{{"reason", "max_peers"}}, count(st.refused_max_peers)});
          return out;
        });
    (void)registry.add_value(
        T::kCounter, "bauhinia_network_protocol_violations_total",
        "Peers that sent garbage, failed authentication or oversized frames",
        [this, count] { return count(peers ? peers->stats().protocol_violations : 0); });
    (void)registry.add_value(
        T::kCounter, "bauhinia_network_peers_penalized_total",
        "Peers this node disconnected and banned for what they sent (malformed or forged "
        "messages; protocol violations are counted apart)",
        [this, count] { return count(peers ? peers->stats().penalties : 0); });
    (void)registry.add_value(
        T::kCounter, "bauhinia_gossip_refused_total",
        "Transactions received by gossip that the mempool refused (bad signature, duplicate, "
        "stale sequence, ...)",
        [this, count] { return count(gossip_in ? gossip_in->stats().refused : 0); });
    (void)registry.add(
        T::kCounter, "bauhinia_gossip_dropped_total",
        "Transaction gossip dropped because a bounded queue was full, by stage "
        "(network: messages from peers; admission and outbound: transactions)",
        [this, count] {
          std::vector<MetricSample> out;
          if (peers) out.push_back({{{"stage", "network"}}, count(peers->stats().gossip_dropped)});
          if (gossip_in) {
            out.push_back(
                {{{"stage", "admission"}}, count(gossip_in->stats().dropped_transactions)});
          }
          if (gossip_out)
            out.push_back({{{"stage", "outbound"}}, count(gossip_out->stats().refused)});
          return out;
        });
    (void)registry.add(
        T::kCounter, "bauhinia_peer_messages_dropped_total",
        "Consensus and sync messages from peers dropped, by reason (core_queue_full: the "
        "sender's share of the consensus thread's queue was full; rate_limited: sync requests "
        "beyond [sync] serve_requests_per_second; serve_queue_full; unsolicited: sync "
        "responses not asked for)",
        [this, count] {
          return std::vector<MetricSample>{
              {{{"reason", "core_queue_full"}}, count(drops.core_queue_full)},
              {{{"reason", "rate_limited"}}, count(drops.rate_limited)},
              {{{"reason", "serve_queue_full"}}, count(drops.serve_queue_full)},
              {{{"reason", "unsolicited"}}, count(drops.unsolicited)}};
        });
    (void)registry.add_value(T::kGauge, "bauhinia_core_queue_bytes",
                             "Bytes of peer messages waiting for the consensus thread",
                             [this, count] { return count(inbox ? inbox->stats().bytes : 0); });
    (void)registry.add_value(T::kGauge, "bauhinia_core_queue_messages",
                             "Peer messages waiting for the consensus thread",
                             [this, count] { return count(inbox ? inbox->stats().messages : 0); });
    (void)registry.add_value(
        T::kCounter, "bauhinia_sync_served_total", "Ledger sync responses sent to peers",
        [this, count] { return count(sync_server ? sync_server->stats().served : 0); });
    (void)registry.add_value(T::kCounter, "bauhinia_sync_requests_sent_total",
                             "Ledger catch-up requests this node sent",
                             [this, count] { return count(catch_up_requests); });
    (void)registry.add_value(
        T::kCounter, "bauhinia_sync_request_failures_total",
        "Ledger catch-up requests that timed out, gave nothing or could not be sent",
        [this, count] { return count(catch_up_failures); });
    (void)registry.add(
        T::kCounter, "bauhinia_gossip_batches_total",
        "Gossiped batches received, by route (certified gossip, docs/network.md): verified_acked "
        "(this node is one of the batch's f + 1 verifiers), certified (admitted on f + 1 "
        "acknowledgements without verifying), waited_out (no certificate in time: verified "
        "here), verified (verified here for another reason)",
        [this, count] {
          mempool::BatchCertifierStats st;
          {
            const std::lock_guard lock(certify_mutex);
            if (certifier) st = certifier->stats();
          }
          return std::vector<MetricSample>{
              {{{"route", "verified_acked"}}, count(st.verified_and_acked)},
              {{{"route", "certified"}}, count(st.certified)},
              {{{"route", "waited_out"}}, count(st.waited_out)},
              {{{"route", "verified"}}, count(st.verified)}};
        });
    (void)registry.add(
        T::kCounter, "bauhinia_latest_state_reads_total",
        "Reads of the latest committed state by admission, by where they were served from "
        "(cache: the ledger's cache of latest values, store: a LevelDB seek)",
        [this, count] {
          const auto c = ledger->latest_value_counts();
          return std::vector<MetricSample>{{{{"from", "cache"}}, count(c.hits)},
                                           {{{"from", "store"}}, count(c.misses)}};
        });
    (void)registry.add(
        T::kCounter, "bauhinia_batch_acks_total",
        "Batch acknowledgements received, by outcome (counted, early: before their batch, "
        "ignored: another epoch or a repeat, invalid: the sender was penalised)",
        [this, count] {
          mempool::BatchCertifierStats st;
          {
            const std::lock_guard lock(certify_mutex);
            if (certifier) st = certifier->stats();
          }
          return std::vector<MetricSample>{{{{"outcome", "counted"}}, count(st.acks_counted)},
                                           {{{"outcome", "early"}}, count(st.acks_early)},
                                           {{{"outcome", "ignored"}}, count(st.acks_ignored)},
                                           {{{"outcome", "invalid"}}, count(st.acks_invalid)}};
        });
    (void)registry.add_value(
        T::kCounter, "bauhinia_gossip_admitted_total",
        "Transactions received by gossip and admitted to the mempool",
        [this, count] { return count(gossip_in ? gossip_in->stats().admitted : 0); });
    (void)registry.add(T::kCounter, "bauhinia_api_admission_refused_total",
                       "Client submissions refused (429 overloaded) before any check, by reason "
                       "(rate: over [api] admission_rate; backlog: the mempool held "
                       "[api] max_backlog)",
                       [this, count] {
                         const mempool::AdmissionBudgetStats st = api_budget->stats();
                         return std::vector<MetricSample>{
                             {{{"reason", "rate"}}, count(st.refused_rate)},
                             {{{"reason", "backlog"}}, count(st.refused_backlog)}};
                       });
  }

  // ---- housekeeping, status, stop -------------------------------------------------

  void housekeeping() {
    housekeeping_timer.expires_after(std::chrono::seconds(1));
    housekeeping_timer.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      pool->remove_expired(now_ms());
      regossip_restored();
      refresh_status();
      housekeeping();
    });
  }

  void refresh_status() {
    const auto h = ledger->latest_header();
    NodeStatus st;
    st.chain_id = genesis.chain_id;
    st.genesis_id = ledger->genesis_id();
    st.node_name = config.name;
    // The role follows the current validator set, not the configuration.
    st.role = replica && replica->epoch_context().validators.index_of(replica->author())
                  ? Role::kValidator
                  : Role::kObserver;
    st.height = h.height;
    st.latest_block_id = h.id();
    st.latest_timestamp_ms = h.timestamp_ms;
    st.state_root = h.state_root;
    st.accumulator_root = h.accumulator_root;
    st.accumulator_size = h.accumulator_size;
    st.epoch = replica ? replica->epoch() : 0;
    st.round = replica ? replica->round() : 0;
    st.syncing = sync_target_height.has_value();
    st.peer_count = peers ? static_cast<std::uint32_t>(peers->connected_peers().size()) : 0;
    st.mempool_size = pool->size();
    std::lock_guard lock(status_mutex);
    status_snapshot = st;
  }

  SubmitResult submit(core::ByteView transaction) {
    // Refused before any work (decoding, signature) while the node is behind
    // or over its budget: a flood then costs almost nothing.
    // The backlog counts proposable transactions only: parked ones (a gap in
    // their account's sequence) are no work for the chain, and counting them
    // would let anyone close the API with a few accounts' worth of gaps.
    if (auto refused = api_budget->try_admit(steady_ms(), pool->proposable_size())) {
      return SubmitResult{core::Hash256{}, std::move(refused->rejection), refused->retry_after_s};
    }
    auto r = pool->submit_encoded(transaction, now_ms());
    if (!r.ok()) {
      SubmitResult refused{r.id, r.rejection};
      // Pending already (e.g. by gossip): the client is promised it too.
      if (r.rejection->error == mempool::MempoolError::kDuplicate) {
        refused.durable_ticket = acceptance->accepted(r.id, transaction);
      }
      return refused;
    }
    // Journaled (answered once synced, with others' in one group commit);
    // gossiped at once, without waiting for the sync.
    SubmitResult accepted{r.id, std::nullopt};
    accepted.durable_ticket = acceptance->accepted(r.id, transaction);
    if (gossip_out) gossip_out->add(transaction);  // best effort; refused when far behind
    signal_transactions();
    return accepted;
  }

  bool is_stopping() {
    std::lock_guard lock(stop_mutex);
    return stopped;
  }

  // A failed open of the stores, classified for the operator (exit code and
  // remedy: storage_guard.hpp).
  core::Status storage_error(StorageFault fault, const std::string& what, const core::Status& s) {
    storage_fault = fault;
    return status_of_kind(s.code(), "storage fault: " + what + ": " + s.to_string());
  }

  // A failed write at run time: the node stops before signing anything more.
  bool die_storage(const std::string& why) {
    {
      std::lock_guard lock(stop_mutex);
      if (fatal.is_ok()) storage_fault = StorageFault::kUnwritable;
    }
    return die("storage fault: " + why + " (this node signs nothing more)");
  }

  bool die(const std::string& why) {
    log->critical("stopping: {}", why);
    {
      std::lock_guard lock(stop_mutex);
      if (fatal.is_ok()) fatal = core::Status::internal(why);
      stopped = true;
    }
    stopped_cv.notify_all();
    core.stop();
    return false;
  }
};

namespace {

// The API's view of the running node.
class RuntimeApiBackend final : public ApiBackend {
 public:
  explicit RuntimeApiBackend(NodeRuntime::Impl& m) : m_(m) {}
  const ledger::LedgerStore& ledger() const override { return *m_.ledger; }
  const contracts::Executor& executor() const override { return *m_.executor; }
  SubmitResult submit(core::ByteView transaction) override { return m_.submit(transaction); }
  HealthPayloads* health_payloads() const override { return m_.health.get(); }
  bool is_pending(const core::Hash256& id) const override { return m_.pool->contains(id); }
  void when_durable(std::uint64_t ticket, std::function<void(core::Status)> done) const override {
    m_.acceptance->journal().when_durable(ticket, std::move(done));
  }
  core::Result<std::optional<TxVerdict>> transaction_verdict(
      const core::Hash256& id) const override {
    return m_.acceptance->journal().verdict(id);
  }
  NodeStatus status() const override {
    std::lock_guard lock(m_.status_mutex);
    return m_.status_snapshot;
  }
  std::optional<chain::QuorumCertificate> latest_commit_certificate() const override {
    const std::uint64_t h = m_.ledger->latest_height();
    if (h == 0) return std::nullopt;
    auto c = m_.ledger->certificate(h);
    if (!c) return std::nullopt;
    return std::move(c).value();
  }

 private:
  NodeRuntime::Impl& m_;
};

}  // namespace

NodeRuntime::NodeRuntime(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
NodeRuntime::~NodeRuntime() {
  stop();
}

core::Result<std::unique_ptr<NodeRuntime>> NodeRuntime::open(const NodeConfig& config,
                                                             StorageFault* fault) {
  auto impl = std::make_unique<Impl>();
  struct Report {
    Impl& impl;
    StorageFault* out;
    ~Report() {
      if (out != nullptr) *out = impl.storage_fault;
    }
  } report{*impl, fault};
  impl->config = config;
  impl->log = spdlog::default_logger();
  auto genesis = load_genesis(config.genesis_file);
  if (!genesis) return core::Status::invalid_argument(genesis.error().to_string());
  impl->genesis = std::move(genesis).value();
  if (auto s = impl->open_stores(); !s) return s;
  if (auto s = impl->start_replica(); !s) return s;
  impl->refresh_status();
  return std::unique_ptr<NodeRuntime>(new NodeRuntime(std::move(impl)));
}

core::Status NodeRuntime::start() {
  Impl& m = *impl_;
  m.start_sync_services();
  if (auto s = m.start_network(); !s) return s;
  m.work.emplace(m.core.get_executor());
  asio::post(m.core, [&m] {
    m.feed(consensus::Start{now_ms()});
    m.housekeeping();
  });
  m.core_thread = std::thread([&m] { m.core.run(); });
  if (m.pruner) m.pruner->start();

  m.api_backend = std::make_unique<RuntimeApiBackend>(m);
  m.api = std::make_unique<ApiServer>(m.api_io, ApiServerConfig::from_node_config(m.config),
                                      *m.api_backend);
  m.register_metrics(m.api->metrics());
  if (auto s = m.api->start(); !s) {
    stop();
    return core::Status::io_error("API on " + m.config.api_listen.to_string() + ": " +
                                  s.to_string());
  }
  m.api_streams.store(m.api.get());
  m.api_work.emplace(m.api_io.get_executor());
  for (int i = 0; i < 2; ++i) {
    m.api_threads.emplace_back([&m] {
      lower_thread_priority();
      m.api_io.run();
    });
  }
  m.log->info("node {} started: chain {}, height {}, p2p {}, API http://{}, {} peers configured",
              m.config.name, m.genesis.chain_id, m.ledger->latest_height(),
              m.config.p2p_listen.to_string(), m.config.api_listen.to_string(),
              m.config.peers.size());
  return core::Status::ok();
}

void NodeRuntime::stop() {
  if (!impl_) return;
  Impl& m = *impl_;
  std::lock_guard call_lock(m.stop_call_mutex);
  {
    std::lock_guard lock(m.stop_mutex);
    m.stopped = true;
  }
  m.stopped_cv.notify_all();
  if (m.api) m.api->stop();
  m.api_work.reset();
  m.api_io.stop();
  for (auto& t : m.api_threads) {
    if (t.joinable()) t.join();
  }
  m.api_threads.clear();
  if (m.gossip_out) m.gossip_out->stop();  // sends what clients submitted last
  m.work.reset();
  m.core.stop();
  if (m.core_thread.joinable()) m.core_thread.join();
  if (m.pruner) m.pruner->stop();
  if (m.sync_server) m.sync_server->stop();  // offers after this are refused
  if (m.peers) m.peers->stop();
  // After the network's delivery thread (which pushes to it) and before the
  // io_context it posts to is destroyed.
  if (m.gossip_in) m.gossip_in->stop();
  // Last: writes what is queued (the API and the core are stopped).
  if (m.acceptance) m.acceptance->journal().stop();
}

StorageFault NodeRuntime::storage_fault() const {
  std::lock_guard lock(impl_->stop_mutex);
  return impl_->storage_fault;
}

core::Status NodeRuntime::wait() {
  Impl& m = *impl_;
  std::unique_lock lock(m.stop_mutex);
  m.stopped_cv.wait(lock, [&m] { return m.stopped; });
  return m.fatal;
}

NodeStatus NodeRuntime::status() const {
  std::lock_guard lock(impl_->status_mutex);
  return impl_->status_snapshot;
}

SubmitResult NodeRuntime::submit(core::ByteView transaction) {
  return impl_->submit(transaction);
}

std::uint16_t NodeRuntime::api_port() const {
  return impl_->api ? impl_->api->port() : 0;
}

}  // namespace bauhinia::node
