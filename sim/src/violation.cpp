#include "bauhinia/sim/violation.hpp"

namespace bauhinia::sim {

std::string_view violation_kind_name(ViolationKind k) noexcept {
  switch (k) {
    case ViolationKind::kAgreement: return "agreement";
    case ViolationKind::kDoubleSign: return "double-sign";
    case ViolationKind::kHistory: return "history";
    case ViolationKind::kPersistOrder: return "persist-order";
    case ViolationKind::kLiveness: return "liveness";
    case ViolationKind::kExecution: return "execution";
    case ViolationKind::kCertificate: return "certificate";
    case ViolationKind::kReplicaCrash: return "replica-failure";
  }
  return "unknown";
}

std::string Violation::to_string() const {
  return std::string(violation_kind_name(kind)) + " violation at t=" + std::to_string(time_ms) +
         "ms: " + detail;
}

}  // namespace bauhinia::sim
