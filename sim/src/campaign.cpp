#include "bauhinia/sim/campaign.hpp"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace bauhinia::sim {

std::string summary_line(const RunResult& r) {
  std::string s = "seed " + std::to_string(r.seed) + (r.ok() ? " ok" : " VIOLATION") + ": " +
                  std::to_string(r.blocks) + " blocks, " + std::to_string(r.transactions) +
                  " txs, " + std::to_string(r.rounds) + " rounds, " + std::to_string(r.steps) +
                  " steps, t=" + std::to_string(r.time_ms) + "ms, " + std::to_string(r.crashes) +
                  " crashes, " + std::to_string(r.partitions) + " partitions, " +
                  std::to_string(r.network.sent) + " msgs (" + std::to_string(r.network.lost) +
                  " lost, " + std::to_string(r.network.throttled) + " throttled), trace " +
                  r.trace_hash.to_hex().substr(0, 16);
  if (r.epoch_changes > 0) s += ", " + std::to_string(r.epoch_changes) + " epoch changes";
  std::uint64_t refused = 0;
  for (std::uint64_t n : r.timestamp_refusals) refused += n;
  if (refused > 0) s += ", " + std::to_string(refused) + " proposals refused for their timestamp";
  if (r.dead_leader_rounds > 0 || r.max_commit_gap_after_ms > 0) {
    s += ", commit gap before/after/settled kill " + std::to_string(r.max_commit_gap_before_ms) +
         "/" + std::to_string(r.max_commit_gap_after_ms) + "/" +
         std::to_string(r.max_commit_gap_settled_ms) + "ms, rounds led by the dead " +
         std::to_string(r.dead_leader_rounds) + " (" +
         std::to_string(r.dead_leader_rounds_settled) + " settled)";
  }
  if (r.violation) s += "\n  " + r.violation->to_string();
  return s;
}

CampaignSummary run_campaign(
    const SimConfig& base, std::uint64_t first_seed, std::uint64_t seeds, unsigned jobs,
    bool stop_at_first, const std::function<void(const SimConfig&, const RunResult&)>& on_result) {
  CampaignSummary sum;
  auto account = [&](const SimConfig& c, const RunResult& r) {
    ++sum.seeds;
    sum.blocks += r.blocks;
    sum.transactions += r.transactions;
    sum.steps += r.steps;
    sum.crashes += r.crashes;
    sum.partitions += r.partitions;
    sum.epoch_changes += r.epoch_changes;
    if (r.epoch_changes > 0) ++sum.seeds_with_epoch_changes;
    if (!r.ok()) {
      if (sum.failed == 0) sum.first_failed_seed = r.seed;
      ++sum.failed;
    }
    if (on_result) on_result(c, r);
  };
  auto config_for = [&](std::uint64_t seed) {
    SimConfig c = base;
    c.seed = seed;
    return c;
  };
  if (jobs <= 1) {
    for (std::uint64_t i = 0; i < seeds; ++i) {
      const SimConfig c = config_for(first_seed + i);
      const RunResult r = run_simulation(c);
      account(c, r);
      if (stop_at_first && !r.ok()) break;
    }
    return sum;
  }
  // Workers take seeds in order; the caller reports them in order.
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::uint64_t, RunResult> done;
  std::atomic<std::uint64_t> next{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (unsigned j = 0; j < jobs; ++j) {
    workers.emplace_back([&] {
      for (;;) {
        if (stop.load()) return;
        const std::uint64_t i = next.fetch_add(1);  // every seed taken is run
        if (i >= seeds) return;
        RunResult r = run_simulation(config_for(first_seed + i));
        std::lock_guard lock(mu);
        done.emplace(i, std::move(r));
        cv.notify_all();
      }
    });
  }
  for (std::uint64_t i = 0; i < seeds; ++i) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done.contains(i) || (stop.load() && next.load() <= i); });
    auto it = done.find(i);
    if (it == done.end()) break;  // stopped before this seed started
    RunResult r = std::move(it->second);
    done.erase(it);
    lock.unlock();
    account(config_for(first_seed + i), r);
    if (stop_at_first && !r.ok()) stop.store(true);
  }
  stop.store(true);
  for (auto& w : workers) w.join();
  return sum;
}

}  // namespace bauhinia::sim
