#include "bauhinia/sim/network.hpp"

#include <algorithm>

#include "bauhinia/core/assert.hpp"

namespace bauhinia::sim {

NetworkFaults calm_network() {
  NetworkFaults f;
  f.delay_min_ms = 1;
  f.delay_max_ms = 20;
  return f;
}

SimNetwork::SimNetwork(std::size_t nodes, Prng prng)
    : nodes_(nodes), prng_(prng), cut_(nodes * nodes, false), buckets_(nodes) {}

std::vector<std::uint64_t> SimNetwork::plan_delivery(NodeId from, NodeId to, std::uint64_t now_ms) {
  BAUHINIA_ASSERT(from < nodes_ && to < nodes_);
  ++stats_.sent;
  if (from == to) return {0};
  Bucket& b = buckets_[from];
  if (now_ms > b.refilled_ms) {
    b.tokens = std::min(kSendBurst, b.tokens + (now_ms - b.refilled_ms) * kSendPerMs);
    b.refilled_ms = now_ms;
  }
  if (b.tokens == 0) {
    ++stats_.throttled;
    return {};
  }
  --b.tokens;
  if (!link_up(from, to)) {
    ++stats_.cut;
    return {};
  }
  if (prng_.chance_ppm(faults_.loss_ppm)) {
    ++stats_.lost;
    return {};
  }
  const std::size_t copies = prng_.chance_ppm(faults_.duplicate_ppm) ? 2 : 1;
  if (copies == 2) ++stats_.duplicated;
  std::vector<std::uint64_t> delays;
  delays.reserve(copies);
  for (std::size_t i = 0; i < copies; ++i) {
    std::uint64_t d = prng_.between(faults_.delay_min_ms, faults_.delay_max_ms);
    if (faults_.hold_max_ms > 0 && prng_.chance_ppm(faults_.hold_ppm)) {
      ++stats_.held;
      d += prng_.between(1, faults_.hold_max_ms);
    }
    delays.push_back(d);
  }
  return delays;
}

bool SimNetwork::link_up(NodeId from, NodeId to) const {
  BAUHINIA_ASSERT(from < nodes_ && to < nodes_);
  return !cut_[from * nodes_ + to];
}

void SimNetwork::partition(const std::vector<std::uint32_t>& group_of) {
  BAUHINIA_ASSERT(group_of.size() == nodes_);
  for (std::size_t a = 0; a < nodes_; ++a) {
    for (std::size_t b = 0; b < nodes_; ++b) cut_[a * nodes_ + b] = group_of[a] != group_of[b];
  }
  partitioned_ = true;
}

void SimNetwork::cut_one_way(const std::vector<bool>& from_side) {
  BAUHINIA_ASSERT(from_side.size() == nodes_);
  for (std::size_t a = 0; a < nodes_; ++a) {
    for (std::size_t b = 0; b < nodes_; ++b) cut_[a * nodes_ + b] = from_side[a] && !from_side[b];
  }
  partitioned_ = true;
}

void SimNetwork::heal() {
  cut_.assign(nodes_ * nodes_, false);
  partitioned_ = false;
}

std::string SimNetwork::describe_partition() const {
  if (!partitioned_) return "none";
  std::string out;
  for (std::size_t a = 0; a < nodes_; ++a) {
    for (std::size_t b = 0; b < nodes_; ++b) {
      if (!cut_[a * nodes_ + b]) continue;
      if (!out.empty()) out += ' ';
      out += std::to_string(a) + "-x>" + std::to_string(b);
    }
  }
  return out;
}

}  // namespace bauhinia::sim
