#pragma once
// What a checker reports. A run stops at its first violation; the report names
// the seed and the command that replays it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bauhinia::sim {

enum class ViolationKind : std::uint8_t {
  kAgreement,     // two honest replicas committed different blocks at one height
  kDoubleSign,    // an honest validator signed two different votes (or vote + timeout) in a round
  kHistory,       // a replica's committed history was rewritten, shrank or skipped a height
  kPersistOrder,  // a vote or timeout left a replica before its safety state was persisted
  kLiveness,      // no progress within the bound after faults stopped
  kExecution,     // an honest replica's execution disagrees with a certified or honest header
  kCertificate,   // an honest replica sent a QC or TC that does not verify (it accepted a forgery)
  kReplicaCrash,  // the core asserted or reported an internal failure
};

std::string_view violation_kind_name(ViolationKind k) noexcept;

struct Violation {
  ViolationKind kind;
  std::uint64_t time_ms = 0;  // logical time it was found
  std::string detail;

  std::string to_string() const;
};

// Collects violations; checkers append, the simulation stops on the first one.
class ViolationLog {
 public:
  void report(ViolationKind kind, std::uint64_t time_ms, std::string detail) {
    violations_.push_back(Violation{kind, time_ms, std::move(detail)});
  }
  bool any() const noexcept { return !violations_.empty(); }
  const std::vector<Violation>& all() const noexcept { return violations_; }

 private:
  std::vector<Violation> violations_;
};

}  // namespace bauhinia::sim
