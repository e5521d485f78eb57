#include "bauhinia/sim/fault_profile.hpp"

#include <algorithm>
#include <array>

namespace bauhinia::sim {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(FaultKind::kCount_)> kNames = {
    "loss", "dup", "delay", "reorder", "partition", "asymmetric", "crash"};

}  // namespace

std::string_view fault_kind_name(FaultKind k) noexcept {
  const auto i = static_cast<std::size_t>(k);
  return i < kNames.size() ? kNames[i] : "unknown";
}

FaultSet FaultSet::all() {
  FaultSet s;
  for (std::size_t i = 0; i < kNames.size(); ++i) s.add(static_cast<FaultKind>(i));
  return s;
}

core::Checked<FaultSet> FaultSet::parse(std::string_view list) {
  if (list == "all") return all();
  if (list == "none" || list.empty()) return none();
  FaultSet s;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    const auto it = std::find(kNames.begin(), kNames.end(), item);
    if (it == kNames.end()) {
      return core::reject(core::Reject::kInvalid,
                          "unknown fault kind '" + std::string(item) +
                              "' (use loss, dup, delay, reorder, partition, asymmetric, crash, "
                              "all or none)");
    }
    s.add(static_cast<FaultKind>(it - kNames.begin()));
  }
  return s;
}

std::string FaultSet::to_string() const {
  std::string out;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (!has(static_cast<FaultKind>(i))) continue;
    if (!out.empty()) out += ',';
    out += kNames[i];
  }
  return out.empty() ? "none" : out;
}

FaultProfile choose_fault_profile(Prng& prng, FaultSet enabled, std::uint64_t rounds,
                                  std::uint64_t max_fault_phase_ms, std::uint32_t crashable) {
  FaultProfile p;
  p.faults_stop_round = prng.between(rounds / 4, std::max<std::uint64_t>(3 * rounds / 4, 1));
  p.faults_stop_ms = max_fault_phase_ms;
  NetworkFaults& n = p.network;
  n = calm_network();
  // Every kind is drawn even when disabled, so enabling one kind does not
  // shift the draws of the others.
  const auto loss = static_cast<std::uint32_t>(prng.below(100'001));  // up to 10%
  const auto dup = static_cast<std::uint32_t>(prng.below(50'001));    // up to 5%
  const std::uint64_t delay_min = prng.between(1, 20);
  const std::uint64_t delay_max = delay_min + prng.between(0, 300);
  const auto hold = static_cast<std::uint32_t>(prng.below(150'001));  // up to 15%
  const std::uint64_t hold_max = prng.between(50, 3000);
  const auto partition = static_cast<std::uint32_t>(prng.between(20'000, 250'000));
  const auto asymmetric = static_cast<std::uint32_t>(prng.below(kPpmOne + 1));
  const std::uint64_t part_min = prng.between(200, 3000);
  const std::uint64_t part_max = part_min + prng.between(0, 15'000);
  const auto crash = static_cast<std::uint32_t>(prng.between(5'000, 80'000));
  const std::uint64_t down_min = prng.between(100, 2000);
  const std::uint64_t down_max = down_min + prng.between(0, 10'000);
  const auto crash_in_step = static_cast<std::uint32_t>(prng.below(20'001));
  const std::uint64_t max_down = prng.between(1, std::max<std::uint32_t>(crashable, 1));

  if (enabled.has(FaultKind::kLoss)) n.loss_ppm = loss;
  if (enabled.has(FaultKind::kDuplicate)) n.duplicate_ppm = dup;
  if (enabled.has(FaultKind::kDelay)) {
    n.delay_min_ms = delay_min;
    n.delay_max_ms = delay_max;
  }
  if (enabled.has(FaultKind::kReorder)) {
    n.hold_ppm = hold;
    n.hold_max_ms = hold_max;
  }
  const bool sym = enabled.has(FaultKind::kPartition);
  const bool asym = enabled.has(FaultKind::kAsymmetric);
  if (sym || asym) {
    p.partition_ppm = partition;
    p.asymmetric_ppm = sym && asym ? asymmetric : (asym ? kPpmOne : 0);
    p.partition_min_ms = part_min;
    p.partition_max_ms = part_max;
  }
  if (enabled.has(FaultKind::kCrash) && crashable > 0) {
    p.crash_ppm = crash;
    p.down_min_ms = down_min;
    p.down_max_ms = down_max;
    p.max_down = static_cast<std::uint32_t>(max_down);
    p.crash_in_step_ppm = crash_in_step;
  }
  return p;
}

std::string FaultProfile::describe() const {
  auto pct = [](std::uint32_t ppm) { return std::to_string(ppm / 10'000.0).substr(0, 4) + "%"; };
  std::string s = "faults until round " + std::to_string(faults_stop_round) +
                  " (at most t=" + std::to_string(faults_stop_ms) + "ms): loss " +
                  pct(network.loss_ppm) + ", dup " + pct(network.duplicate_ppm) + ", delay " +
                  std::to_string(network.delay_min_ms) + "-" +
                  std::to_string(network.delay_max_ms) + "ms, hold " + pct(network.hold_ppm) +
                  " up to " + std::to_string(network.hold_max_ms) + "ms";
  if (partition_ppm > 0) {
    s += ", partitions " + pct(partition_ppm) + "/tick (" + pct(asymmetric_ppm) + " one-way) " +
         std::to_string(partition_min_ms) + "-" + std::to_string(partition_max_ms) + "ms";
  }
  if (crash_ppm > 0) {
    s += ", crashes " + pct(crash_ppm) + "/tick, down " + std::to_string(down_min_ms) + "-" +
         std::to_string(down_max_ms) + "ms, at most " + std::to_string(max_down) +
         " at once, mid-step " + pct(crash_in_step_ppm);
  }
  return s;
}

}  // namespace bauhinia::sim
