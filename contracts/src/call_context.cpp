#include <algorithm>
#include <string>
#include <utility>

#include "bauhinia/contracts/module.hpp"

namespace bauhinia::contracts {

void CallContext::emit(std::string kind, Bytes record_key, Bytes data) {
  if (fault_) return;
  if (events_.size() >= kMaxEventsPerCall) {
    fault_ = CallResult::failure(
        chain::TxOutcome::kLimitExceeded,
        "a call may emit at most " + std::to_string(kMaxEventsPerCall) + " events");
    return;
  }
  if (!chain::valid_identifier(kind, kMaxEventKindSize)) {
    fault_ = CallResult::failure(chain::TxOutcome::kInvalidArgument,
                                 "invalid event kind '" + kind.substr(0, kMaxEventKindSize) + "'");
    return;
  }
  if (record_key.size() > chain::kMaxStateRecordKeySize || data.size() > kMaxEventDataSize) {
    fault_ = CallResult::failure(chain::TxOutcome::kLimitExceeded,
                                 "event '" + kind + "' exceeds its size limits");
    return;
  }
  events_.push_back(Event{tx_->module, std::move(kind), std::move(record_key), std::move(data)});
}

void CallContext::mention_account(const core::AccountId& account) {
  if (fault_) return;
  if (std::find(accounts_.begin(), accounts_.end(), account) != accounts_.end()) return;
  if (accounts_.size() >= kMaxAccountsPerTransaction) {
    fault_ = CallResult::failure(chain::TxOutcome::kLimitExceeded,
                                 "a transaction may concern at most " +
                                     std::to_string(kMaxAccountsPerTransaction) + " accounts");
    return;
  }
  accounts_.push_back(account);
}

CallResult CallResult::failure(chain::TxOutcome outcome, std::string detail) {
  return {outcome, std::string(chain::tx_outcome_name(outcome)), std::move(detail)};
}

}  // namespace bauhinia::contracts
