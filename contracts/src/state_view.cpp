#include "bauhinia/contracts/state_view.hpp"

#include <string>
#include <utility>

namespace bauhinia::contracts {

std::optional<Bytes> OverlayStateView::read(std::string_view module, ByteView key) const {
  if (!status_) return std::nullopt;
  auto state_key = chain::state_key(module, key);
  if (!state_key) {
    // Reading a record that cannot exist: nothing there. Not a fault, so a
    // module may probe user-supplied keys; writing one is a fault.
    return std::nullopt;
  }
  auto value = overlay_->read(*state_key);
  if (!value) {
    status_ = std::move(value).error();
    return std::nullopt;
  }
  return std::move(*value);
}

void OverlayStateView::write(ByteView key, Bytes value) {
  put(key, std::move(value));
}

void OverlayStateView::erase(ByteView key) {
  put(key, std::nullopt);
}

void OverlayStateView::put(ByteView key, std::optional<Bytes> value) {
  if (fault_) return;
  auto state_key = chain::state_key(module_, key);
  if (!state_key) {
    fault_ = Fault{chain::TxOutcome::kInvalidArgument,
                   "invalid record key: " + state_key.error().to_string()};
    return;
  }
  if (value && value->size() > chain::kMaxStateValueSize) {
    fault_ = Fault{chain::TxOutcome::kLimitExceeded,
                   "record value of " + std::to_string(value->size()) + " bytes exceeds " +
                       std::to_string(chain::kMaxStateValueSize)};
    return;
  }
  overlay_->put(*state_key, StateWrite{module_, Bytes(key.begin(), key.end()), std::move(value)});
  if (overlay_->writes().size() > kMaxWritesPerCall) {
    fault_ = Fault{chain::TxOutcome::kLimitExceeded,
                   "a call may write at most " + std::to_string(kMaxWritesPerCall) + " records"};
  }
}

}  // namespace bauhinia::contracts
