#include "bauhinia/chain/transaction_info.hpp"

#include <string>

#include "bauhinia/chain/merkle.hpp"

namespace bauhinia::chain {

std::string_view tx_outcome_name(TxOutcome o) noexcept {
  switch (o) {
    case TxOutcome::kSuccess: return "success";
    case TxOutcome::kUnauthorized: return "unauthorized";
    case TxOutcome::kInvalidArgument: return "invalid_argument";
    case TxOutcome::kNotFound: return "not_found";
    case TxOutcome::kAlreadyExists: return "already_exists";
    case TxOutcome::kFailedPrecondition: return "failed_precondition";
    case TxOutcome::kLimitExceeded: return "limit_exceeded";
  }
  return "unknown";
}

Hash256 TransactionInfo::leaf_hash() const {
  return merkle::leaf_hash(core::encode(*this));
}

core::Verdict TransactionInfo::validate() const {
  if (format != kFormat) {
    return core::reject(core::Reject::kBadVersion,
                        "transaction info format " + std::to_string(format) + " is not supported");
  }
  return core::Verdict::accept();
}

}  // namespace bauhinia::chain
