#pragma once
// The simulator's only source of randomness: xoshiro256** seeded through
// SplitMix64 (Blackman & Vigna). Everything a run does is a function of its
// seed; std::random_device and wall-clock time are never used.

#include <cstdint>

namespace bauhinia::sim {

// SplitMix64: one step of the generator used to expand a 64-bit seed.
std::uint64_t splitmix64(std::uint64_t& state) noexcept;

inline constexpr std::uint32_t kPpmOne = 1'000'000;  // probabilities are in parts per million

class Prng {
 public:
  explicit Prng(std::uint64_t seed) noexcept;

  std::uint64_t next_u64() noexcept;
  // Uniform in [0, bound); bound must be positive (Lemire's unbiased method).
  std::uint64_t below(std::uint64_t bound) noexcept;
  // Uniform in [lo, hi], lo <= hi.
  std::uint64_t between(std::uint64_t lo, std::uint64_t hi) noexcept;
  // True with probability ppm / 1,000,000.
  bool chance_ppm(std::uint32_t ppm) noexcept;
  // An independent generator for one purpose (network, faults, workload, ...),
  // derived from this generator's seed and `stream`, so adding draws to one
  // stream does not shift the others.
  Prng fork(std::uint64_t stream) const noexcept;

 private:
  std::uint64_t seed_;
  std::uint64_t s_[4];
};

}  // namespace bauhinia::sim
