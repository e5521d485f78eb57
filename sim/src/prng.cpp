#include "bauhinia/sim/prng.hpp"

#include "bauhinia/core/assert.hpp"

namespace bauhinia::sim {
namespace {

__extension__ typedef unsigned __int128 U128;  // NOLINT

constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
  return (x << k) | (x >> (64 - k));
}

}  // namespace

std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  state += 0x9E3779B97F4A7C15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

Prng::Prng(std::uint64_t seed) noexcept : seed_(seed) {
  std::uint64_t sm = seed;
  for (auto& word : s_) word = splitmix64(sm);
  // SplitMix64 never yields four zero words in a row, so the state is valid.
}

std::uint64_t Prng::next_u64() noexcept {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t Prng::below(std::uint64_t bound) noexcept {
  BAUHINIA_ASSERT(bound > 0);
  // Multiply-shift with rejection of the short interval (Lemire 2019).
  U128 m = static_cast<U128>(next_u64()) * bound;
  auto low = static_cast<std::uint64_t>(m);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      m = static_cast<U128>(next_u64()) * bound;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::uint64_t Prng::between(std::uint64_t lo, std::uint64_t hi) noexcept {
  BAUHINIA_ASSERT(lo <= hi);
  if (lo == 0 && hi == UINT64_MAX) return next_u64();
  return lo + below(hi - lo + 1);
}

bool Prng::chance_ppm(std::uint32_t ppm) noexcept {
  if (ppm == 0) return false;
  if (ppm >= kPpmOne) return true;
  return below(kPpmOne) < ppm;
}

Prng Prng::fork(std::uint64_t stream) const noexcept {
  std::uint64_t sm = seed_ ^ (stream * 0xD1B54A32D192ED03ULL);
  return Prng(splitmix64(sm) ^ stream);
}

}  // namespace bauhinia::sim
