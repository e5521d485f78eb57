#pragma once
// Which faults a run injects and how often, chosen from the seed within the
// kinds enabled on the command line (--faults). Faults happen only in the
// fault phase, which ends when an honest replica reaches faults_stop_round (or
// at the latest at faults_stop_ms); after it the network is calm, partitions
// are healed and every crashed replica is restarted, and the liveness checker
// expects progress. Byzantine replicas keep misbehaving after it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/core/status.hpp"
#include "bauhinia/sim/network.hpp"
#include "bauhinia/sim/prng.hpp"

namespace bauhinia::sim {

enum class FaultKind : std::uint8_t {
  kLoss,        // messages lost
  kDuplicate,   // messages delivered twice
  kDelay,       // long and varied latency
  kReorder,     // messages held back so that later ones overtake them
  kPartition,   // symmetric partitions that heal
  kAsymmetric,  // one-way partitions that heal
  kCrash,       // crash and restart of honest replicas
  kCount_,
};

std::string_view fault_kind_name(FaultKind k) noexcept;

class FaultSet {
 public:
  static FaultSet all();
  static FaultSet none() { return {}; }
  // A comma-separated list of kinds ("loss,dup,delay,reorder,partition,
  // asymmetric,crash"), or "all" / "none".
  static core::Checked<FaultSet> parse(std::string_view list);
  bool has(FaultKind k) const noexcept { return (bits_ >> static_cast<unsigned>(k)) & 1U; }
  void add(FaultKind k) noexcept { bits_ |= 1U << static_cast<unsigned>(k); }
  std::string to_string() const;

 private:
  std::uint32_t bits_ = 0;
};

struct FaultProfile {
  NetworkFaults network;                // during the fault phase
  std::uint64_t faults_stop_round = 0;  // the fault phase ends at this round...
  std::uint64_t faults_stop_ms = 0;     // ...or at this logical time, whichever comes first
  std::uint64_t tick_ms = 500;          // how often partitions and crashes are decided
  std::uint32_t partition_ppm = 0;      // per tick, when none is active
  std::uint32_t asymmetric_ppm = 0;     // share of partitions that are one-way
  std::uint64_t partition_min_ms = 0;
  std::uint64_t partition_max_ms = 0;
  std::uint32_t crash_ppm = 0;  // per tick and honest replica that is up
  std::uint64_t down_min_ms = 0;
  std::uint64_t down_max_ms = 0;
  std::uint32_t max_down = 0;           // honest replicas down at once
  std::uint32_t crash_in_step_ppm = 0;  // a crash cuts a step's effect list short

  std::string describe() const;
};

// Draws a profile for a run of `rounds` rounds: faults_stop_round in
// [rounds / 4, 3 * rounds / 4], faults_stop_ms = max_fault_phase_ms; `crashable`
// is how many honest replicas exist.
FaultProfile choose_fault_profile(Prng& prng, FaultSet enabled, std::uint64_t rounds,
                                  std::uint64_t max_fault_phase_ms, std::uint32_t crashable);

}  // namespace bauhinia::sim
