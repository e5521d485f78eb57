#pragma once
// The event trace of a run: every step the simulation takes (a delivery, a
// timer, a fault, a commit) is folded into one SHA-256, so two runs of the same
// seed can be compared by their trace hashes (replay must be exact). With a
// sink, each step is also printed as one line (--verbose).

#include <cstdint>
#include <ostream>
#include <string_view>

#include "bauhinia/core/hash.hpp"

namespace bauhinia::sim {

class Trace {
 public:
  explicit Trace(std::ostream* sink = nullptr) : sink_(sink) {}

  // One step: its logical time, a short kind, the node it concerns, a digest of
  // what it carried (zero when nothing), and a human-readable note (printed
  // only, not hashed, so wording changes do not change trace hashes).
  void record(std::uint64_t time_ms, std::string_view kind, std::uint64_t node,
              const core::Hash256& digest, std::string_view note = {});
  std::uint64_t steps() const noexcept { return steps_; }
  // The hash of everything recorded so far (the trace can continue after).
  core::Hash256 hash() const;

 private:
  std::ostream* sink_;
  core::Sha256 hasher_;
  std::uint64_t steps_ = 0;
};

}  // namespace bauhinia::sim
