// Ordering-only benchmark (issue 14 item 4): N real Jolteon replicas
// (consensus::Replica, the code bauhinia-node runs) with real Ed25519
// signatures on proposals, votes, timeouts and certificates order blocks of B
// opaque 32-byte command hashes. Nothing is executed: the host binds the
// payload to the header by its transactions root (RFC 6962 Merkle tree over the
// hashes, as the ledger does), the state and accumulator roots stay constant.
// Messages go through the wire encoding (encode once per send/broadcast,
// decode at each receiver). Safety state and blocks are "persisted" in memory
// (no fsync), like the published HotStuff prototypes.
//
// Time: each replica is modelled on its own core. An event handled by replica
// i starts at max(arrival, i's previous event end) and takes the thread CPU
// time its handling consumed (decode, Replica::step, payload root, encode);
// messages arrive `delay` later. The figures are therefore in the replicas'
// own time and do not depend on other load on this machine (CPU time, not wall
// time). cpu_us_per_block is the CPU of all N replicas per committed block:
// 1e6 / it is the throughput if all replicas shared one core.
//
// Clients are not modelled: leaders always have B fresh commands; latency is
// from the leader building the proposal to the commit of its block at f+1
// replicas (what a client that waits for f+1 matching replies observes).
//
//   build/release/bench/bench_ordering_bench --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <time.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/effects.hpp"
#include "bauhinia/consensus/events.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/consensus/replica.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/hash.hpp"

namespace {

using namespace bauhinia;
using consensus::Effect;
using consensus::Event;
using core::Hash256;

const std::string kChainId = "bauhinia-ordering-bench";
constexpr std::uint64_t kWarmupBlocks = 50;
constexpr std::uint64_t kMeasuredBlocks = 300;

std::uint64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ULL +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

core::ed25519::SecretKey key_for(std::uint32_t i) {
  std::array<std::uint8_t, 32> seed{};
  seed[0] = static_cast<std::uint8_t>(i);
  seed[31] = 0x0b;
  return core::ed25519::SecretKey::from_seed(seed);
}

// The no-op execution: the header of a block carrying `payload` (B 32-byte
// command hashes) on `parent`. Only the transactions root depends on the payload.
std::optional<chain::BlockHeader> order_only(const chain::BlockHeader& parent,
                                             const chain::BlockHeader& meta,
                                             const core::Bytes& payload) {
  if (payload.size() % Hash256::kSize != 0) return std::nullopt;
  std::vector<Hash256> commands(payload.size() / Hash256::kSize);
  for (std::size_t k = 0; k < commands.size(); ++k) {
    std::copy_n(payload.begin() + static_cast<std::ptrdiff_t>(k * Hash256::kSize), Hash256::kSize,
                commands[k].bytes().begin());
  }
  chain::BlockHeader h = meta;
  h.transactions_root = chain::transactions_root_of(commands);
  h.accumulator_root = parent.accumulator_root;
  h.accumulator_size = parent.accumulator_size + commands.size();
  h.state_root = parent.state_root;
  h.validator_set_hash = parent.next_validator_set_hash;
  h.next_validator_set_hash = parent.next_validator_set_hash;
  return h;
}

struct Result {
  double commands_per_s = 0;
  double blocks_per_s = 0;
  double latency_p50_ms = 0;
  double latency_p99_ms = 0;
  double cpu_us_per_block = 0;  // all replicas together
  std::uint64_t timeouts = 0;
};

class OrderingCluster {
 public:
  OrderingCluster(std::size_t n, std::size_t batch, std::uint64_t delay_us)
      : batch_(batch), delay_us_(delay_us), nodes_(n) {
    chain::ValidatorSet set;
    for (std::size_t i = 0; i < n; ++i) {
      set.validators.push_back(chain::ValidatorInfo{
          key_for(static_cast<std::uint32_t>(i)).public_key(), 1, "v" + std::to_string(i)});
    }
    chain::BlockHeader genesis;
    genesis.timestamp_ms = 1;
    genesis.validator_set_hash = set.hash();
    genesis.next_validator_set_hash = set.hash();
    consensus::RecoveryData recovery;
    recovery.epoch = consensus::EpochContext{kChainId, set, genesis.id(), 0};
    recovery.root = genesis;
    recovery.root_qc = consensus::QuorumCert::for_epoch_root(kChainId, 0, genesis);
    consensus::ReplicaConfig config;
    config.chain_id = kChainId;
    // Blocks come faster than one per ms: timestamps (strictly increasing)
    // run ahead of the clock, so the skew bound is lifted for the bench.
    config.max_clock_skew_ms = std::uint64_t{1} << 40;
    quorum_f_plus_1_ = (n - 1) / 3 + 1;
    for (std::size_t i = 0; i < n; ++i) {
      nodes_[i].key = key_for(static_cast<std::uint32_t>(i)).public_key();
      nodes_[i].executed[genesis.id()] = genesis;
      nodes_[i].replica.emplace(config, key_for(static_cast<std::uint32_t>(i)), recovery,
                                consensus::SafetyState{});
      schedule(0, i, Local{consensus::Start{}});
    }
  }

  Result run() {
    const std::uint64_t target = kWarmupBlocks + kMeasuredBlocks;
    while (nodes_[0].committed_height < target) {
      if (queue_.empty()) throw std::runtime_error("ordering bench: the cluster stalled");
      auto it = queue_.begin();
      const std::uint64_t at = it->first.first;
      const std::size_t who = it->second.node;
      if (nodes_[who].busy_until_us > at) {  // the replica's core is busy: wait for it
        Item item = std::move(it->second);
        queue_.erase(it);
        queue_.emplace(std::make_pair(nodes_[who].busy_until_us, seq_++), std::move(item));
        continue;
      }
      Item item = std::move(it->second);
      queue_.erase(it);
      handle(at, item);
    }
    Result r;
    const double span_s = static_cast<double>(end_us_ - start_us_) / 1e6;
    r.blocks_per_s = static_cast<double>(kMeasuredBlocks) / span_s;
    r.commands_per_s = r.blocks_per_s * static_cast<double>(batch_);
    std::sort(latencies_us_.begin(), latencies_us_.end());
    if (!latencies_us_.empty()) {
      r.latency_p50_ms = static_cast<double>(latencies_us_[latencies_us_.size() / 2]) / 1e3;
      r.latency_p99_ms = static_cast<double>(latencies_us_[latencies_us_.size() * 99 / 100]) / 1e3;
    }
    r.cpu_us_per_block =
        static_cast<double>(measured_cpu_ns_) / 1e3 / static_cast<double>(kMeasuredBlocks);
    r.timeouts = timeouts_;
    return r;
  }

 private:
  struct Delivery {
    std::size_t from;
    std::shared_ptr<const core::Bytes> bytes;
  };
  struct Timer {
    std::uint64_t generation;
    consensus::LocalTimeout timeout;
  };
  struct Local {
    Event event;
  };
  struct Item {
    std::size_t node;
    std::variant<Delivery, Timer, Local> what;
  };
  struct Node {
    core::ed25519::PublicKey key;
    std::optional<consensus::Replica> replica;
    std::uint64_t busy_until_us = 0;
    std::uint64_t timer_generation = 0;
    std::uint64_t committed_height = 0;
    std::map<Hash256, chain::BlockHeader> executed;
  };
  struct BlockTimes {
    std::uint64_t proposed_us = 0;
    std::vector<std::uint64_t> committed_us;
  };

  void schedule(std::uint64_t at_us, std::size_t node, std::variant<Delivery, Timer, Local> what) {
    queue_.emplace(std::make_pair(at_us, seq_++), Item{node, std::move(what)});
  }

  std::size_t index_of(const consensus::Author& a) const {
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i].key == a) return i;
    }
    throw std::runtime_error("ordering bench: unknown validator");
  }

  // Handles one item for its replica starting at `at` (its core is free).
  void handle(std::uint64_t at, Item& item) {
    const std::size_t i = item.node;
    Node& n = nodes_[i];
    const std::uint64_t cpu0 = thread_cpu_ns();
    const std::uint64_t now_ms = at / 1000;
    std::optional<Event> event;
    if (auto* d = std::get_if<Delivery>(&item.what)) {
      auto m = consensus::decode_message(*d->bytes);
      if (!m) throw std::runtime_error("ordering bench: undecodable message");
      event = consensus::MessageReceived{nodes_[d->from].key, std::move(*m), now_ms};
    } else if (auto* t = std::get_if<Timer>(&item.what)) {
      if (t->generation != n.timer_generation) return;
      t->timeout.now_ms = now_ms;
      event = t->timeout;
    } else {
      auto& l = std::get<Local>(item.what);
      std::visit([&](auto& e) { e.now_ms = now_ms; }, l.event);
      event = std::move(l.event);
    }
    const std::vector<Effect> effects = n.replica->step(*event);
    // Effects are stamped when the handling ends; collected first so that the
    // CPU time of the whole handling is known.
    std::vector<std::pair<std::size_t, std::variant<Delivery, Timer, Local>>> out;
    std::vector<std::pair<Hash256, std::size_t>> built;  // (block id, height) proposed here
    std::vector<consensus::Commit> commits;
    for (const Effect& eff : effects) {
      std::visit(
          [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, consensus::Send>) {
              out.emplace_back(index_of(e.to),
                               Delivery{i, std::make_shared<const core::Bytes>(
                                               consensus::encode_message(e.message))});
            } else if constexpr (std::is_same_v<T, consensus::Broadcast>) {
              if (std::holds_alternative<consensus::TimeoutMessage>(e.message)) ++timeouts_;
              auto bytes =
                  std::make_shared<const core::Bytes>(consensus::encode_message(e.message));
              for (std::size_t j = 0; j < nodes_.size(); ++j) {
                if (j != i) out.emplace_back(j, Delivery{i, bytes});
              }
            } else if constexpr (std::is_same_v<T, consensus::BuildProposal>) {
              // The command hashes stand for client commands that arrived
              // earlier; making them up is not the leader's work.
              const std::uint64_t pause = thread_cpu_ns();
              core::Bytes payload(batch_ * Hash256::kSize);
              for (std::size_t k = 0; k < batch_; ++k) {
                const std::uint64_t c = next_command_++;
                for (std::size_t b = 0; b < 8; ++b) {
                  payload[k * Hash256::kSize + b] = static_cast<std::uint8_t>(c >> (8 * b));
                }
              }
              excluded_cpu_ns_ += thread_cpu_ns() - pause;
              chain::BlockHeader meta;
              meta.epoch = e.epoch;
              meta.height = e.parent.height + 1;
              meta.round = e.round;
              meta.parent_hash = e.parent.id();
              meta.timestamp_ms = std::max(now_ms, e.min_timestamp_ms);
              meta.proposer = n.key;
              consensus::ProposalBuilt answer{e.epoch, e.round, std::nullopt, {}, std::nullopt, 0};
              answer.header = order_only(e.parent, meta, payload);
              n.executed[answer.header->id()] = *answer.header;
              built.emplace_back(answer.header->id(), meta.height);
              answer.payload = std::move(payload);
              out.emplace_back(i, Local{std::move(answer)});
            } else if constexpr (std::is_same_v<T, consensus::ExecuteBlock>) {
              consensus::BlockExecuted answer{e.header.id(), std::nullopt, std::nullopt, 0};
              auto parent = n.executed.find(e.header.parent_hash);
              if (parent != n.executed.end()) {
                answer.result = order_only(parent->second, e.header, e.payload);
                if (answer.result) n.executed[answer.result->id()] = *answer.result;
              }
              out.emplace_back(i, Local{std::move(answer)});
            } else if constexpr (std::is_same_v<T, consensus::Commit>) {
              commits.push_back(e);
            } else if constexpr (std::is_same_v<T, consensus::ScheduleTimeout>) {
              ++n.timer_generation;
              timer_ = Timer{n.timer_generation, consensus::LocalTimeout{e.epoch, e.round, 0}};
              timer_delay_us_ = e.duration_ms * 1000;
            } else if constexpr (std::is_same_v<T, consensus::WakeAt>) {
              wake_at_us_ = e.time_ms * 1000;
            } else if constexpr (std::is_same_v<T, consensus::SyncLedger>) {
              throw std::runtime_error("ordering bench: a replica fell behind (SyncLedger)");
            }
            // PersistSafetyState, PersistBlock: kept by the replica in memory
            // here (no fsync); Evidence, EpochStarted, MessageRejected: none
            // expected among honest replicas, nothing to do.
          },
          eff);
    }
    const std::uint64_t cpu = thread_cpu_ns() - cpu0 - excluded_cpu_ns_;
    excluded_cpu_ns_ = 0;
    const std::uint64_t end = at + cpu / 1000;
    n.busy_until_us = end;
    if (measuring_) measured_cpu_ns_ += cpu;
    for (auto& [to, what] : out) {
      const bool local = to == i;
      schedule(local ? end : end + delay_us_, to, std::move(what));
    }
    if (timer_) {
      schedule(end + timer_delay_us_, i, *timer_);
      timer_.reset();
    }
    if (wake_at_us_) {
      schedule(std::max(end, *wake_at_us_), i, Local{consensus::Wake{}});
      wake_at_us_.reset();
    }
    for (const auto& [id, height] : built) times_[id].proposed_us = end;
    for (const consensus::Commit& c : commits) on_commit(i, c, end);
  }

  void on_commit(std::size_t i, const consensus::Commit& c, std::uint64_t at) {
    for (const consensus::CommittedBlock& b : c.blocks) {
      const std::uint64_t height = b.header.height;
      if (height != nodes_[i].committed_height + 1) {
        throw std::runtime_error("ordering bench: commit does not extend the chain");
      }
      nodes_[i].committed_height = height;
      auto t = times_.find(b.header.id());
      if (t == times_.end()) throw std::runtime_error("ordering bench: unknown committed block");
      t->second.committed_us.push_back(at);
      if (t->second.committed_us.size() == quorum_f_plus_1_ && height > kWarmupBlocks) {
        latencies_us_.push_back(at - t->second.proposed_us);
      }
      if (t->second.committed_us.size() == nodes_.size()) times_.erase(t);
      if (i == 0 && height == kWarmupBlocks) {
        start_us_ = at;
        measuring_ = true;
      }
      if (i == 0 && height == kWarmupBlocks + kMeasuredBlocks) {
        end_us_ = at;
        measuring_ = false;
      }
    }
  }

  std::size_t batch_;
  std::uint64_t delay_us_;
  std::size_t quorum_f_plus_1_ = 1;
  std::vector<Node> nodes_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, Item> queue_;
  std::uint64_t seq_ = 0;
  std::uint64_t next_command_ = 0;
  std::uint64_t excluded_cpu_ns_ = 0;
  std::optional<Timer> timer_;
  std::uint64_t timer_delay_us_ = 0;
  std::optional<std::uint64_t> wake_at_us_;
  std::map<Hash256, BlockTimes> times_;
  std::vector<std::uint64_t> latencies_us_;
  std::uint64_t start_us_ = 0;
  std::uint64_t end_us_ = 0;
  bool measuring_ = false;
  std::uint64_t measured_cpu_ns_ = 0;
  std::uint64_t timeouts_ = 0;
};

// Args: validators, commands per block, one-way network delay in µs.
void BM_OrderingOnly(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto batch = static_cast<std::size_t>(state.range(1));
  const auto delay_us = static_cast<std::uint64_t>(state.range(2));
  Result r;
  for (auto _ : state) {
    OrderingCluster cluster(n, batch, delay_us);
    r = cluster.run();
  }
  state.counters["cmds_per_s"] = r.commands_per_s;
  state.counters["blocks_per_s"] = r.blocks_per_s;
  state.counters["lat_p50_ms"] = r.latency_p50_ms;
  state.counters["lat_p99_ms"] = r.latency_p99_ms;
  state.counters["cpu_us_per_block"] = r.cpu_us_per_block;
  state.counters["timeouts"] = static_cast<double>(r.timeouts);
}
BENCHMARK(BM_OrderingOnly)
    ->ArgNames({"n", "batch", "delay_us"})
    ->ArgsProduct({{4, 7}, {100, 400, 1000}, {0, 1000}})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
