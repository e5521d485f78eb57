#pragma once
// The simulated network between replica instances: per-message loss,
// duplication and delay (random delays reorder messages; a held-back message
// reorders them further), and partitions as a matrix of cut links, which may
// be one-way (asymmetric). A cut link also drops messages already in flight
// when they arrive. All randomness comes from the network's own Prng stream.

#include <cstdint>
#include <string>
#include <vector>

#include "bauhinia/sim/prng.hpp"

namespace bauhinia::sim {

using NodeId = std::uint32_t;  // a replica instance (a Twin is its own instance)

struct NetworkFaults {
  std::uint32_t loss_ppm = 0;       // chance a message is lost
  std::uint32_t duplicate_ppm = 0;  // chance a message is delivered twice
  std::uint64_t delay_min_ms = 1;   // normal one-way latency range
  std::uint64_t delay_max_ms = 10;
  std::uint32_t hold_ppm = 0;     // chance a message is held back (reordering)
  std::uint64_t hold_max_ms = 0;  // extra delay of a held-back message
};

// The calm network after faults stop: no loss, no duplication, short delays
// that still reorder.
NetworkFaults calm_network();

struct NetworkStats {
  std::uint64_t sent = 0;
  std::uint64_t lost = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t held = 0;
  std::uint64_t cut = 0;        // dropped by a partition (at send or on arrival)
  std::uint64_t throttled = 0;  // dropped because the sender exceeded its link capacity
};

// Every node's outgoing capacity is bounded (a token bucket over logical time),
// so a message storm is cut off as a real network link would cut it, instead of
// growing without limit.
inline constexpr std::uint64_t kSendBurst = 2000;  // messages
inline constexpr std::uint64_t kSendPerMs = 4;     // sustained messages per ms

class SimNetwork {
 public:
  SimNetwork(std::size_t nodes, Prng prng);

  std::size_t nodes() const noexcept { return nodes_; }
  void set_faults(const NetworkFaults& faults) { faults_ = faults; }
  const NetworkFaults& faults() const noexcept { return faults_; }

  // The delays after which one message from -> to arrives: none when it is lost
  // or the link is cut, two when it is duplicated. A node's message to itself
  // always arrives, after no delay. now_ms refills the sender's send capacity.
  std::vector<std::uint64_t> plan_delivery(NodeId from, NodeId to, std::uint64_t now_ms = 0);
  // Whether from -> to carries messages now (checked again on arrival).
  bool link_up(NodeId from, NodeId to) const;
  // Records a message dropped on arrival because its link was cut meanwhile.
  void note_cut_on_arrival() { ++stats_.cut; }

  // Symmetric partition: group_of[i] is node i's side; links between sides are cut.
  void partition(const std::vector<std::uint32_t>& group_of);
  // Asymmetric partition: messages from `from_side` nodes to the others are cut,
  // the other direction still works.
  void cut_one_way(const std::vector<bool>& from_side);
  void heal();
  bool partitioned() const noexcept { return partitioned_; }
  std::string describe_partition() const;

  const NetworkStats& stats() const noexcept { return stats_; }

 private:
  std::size_t nodes_;
  Prng prng_;
  NetworkFaults faults_;
  std::vector<bool> cut_;  // nodes_ x nodes_, row = from
  struct Bucket {
    std::uint64_t tokens = kSendBurst;
    std::uint64_t refilled_ms = 0;
  };
  std::vector<Bucket> buckets_;  // per sender
  bool partitioned_ = false;
  NetworkStats stats_;
};

}  // namespace bauhinia::sim
