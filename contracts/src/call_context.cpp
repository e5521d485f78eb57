#include <string>
#include <utility>

#include "bauhinia/contracts/module.hpp"

namespace bauhinia::contracts {

void CallContext::emit(std::string kind, Bytes record_key, Bytes data) {
  if (event_fault_) return;
  if (events_.size() >= kMaxEventsPerCall) {
    event_fault_ = CallResult::failure(
        chain::TxOutcome::kLimitExceeded,
        "a call may emit at most " + std::to_string(kMaxEventsPerCall) + " events");
    return;
  }
  if (!chain::valid_identifier(kind, kMaxEventKindSize)) {
    event_fault_ =
        CallResult::failure(chain::TxOutcome::kInvalidArgument,
                            "invalid event kind '" + kind.substr(0, kMaxEventKindSize) + "'");
    return;
  }
  if (record_key.size() > chain::kMaxStateRecordKeySize || data.size() > kMaxEventDataSize) {
    event_fault_ = CallResult::failure(chain::TxOutcome::kLimitExceeded,
                                       "event '" + kind + "' exceeds its size limits");
    return;
  }
  events_.push_back(Event{tx_->module, std::move(kind), std::move(record_key), std::move(data)});
}

}  // namespace bauhinia::contracts
