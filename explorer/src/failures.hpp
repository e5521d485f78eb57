#pragma once
// Internal: how a light-client failure is told (in the log, /api/status and
// API errors) and whether it is the node's fault (then the node is refused).

#include <string>

#include "bauhinia/lightclient/session.hpp"

namespace bauhinia::explorer {

inline std::string describe(const lightclient::Failure& f) {
  using Kind = lightclient::Failure::Kind;
  switch (f.kind) {
    case Kind::kForged: return "served a forged proof: " + f.reason;
    case Kind::kInconsistent: return "served an inconsistent answer: " + f.reason;
    case Kind::kMalformed: return "served a malformed answer: " + f.reason;
    case Kind::kTooMuch: return "served too much: " + f.reason;
    case Kind::kOtherChain: return "serves another chain: " + f.reason;
    default: return f.reason;
  }
}

// Refused (4xx: it cannot prove it), unavailable and missing are not faults.
inline bool node_at_fault(const lightclient::Failure& f) {
  using Kind = lightclient::Failure::Kind;
  return f.kind != Kind::kRefused && f.kind != Kind::kUnavailable && f.kind != Kind::kMissing;
}

}  // namespace bauhinia::explorer
