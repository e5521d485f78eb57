#include "bauhinia/contracts/check_by_applying.hpp"

#include <map>
#include <optional>
#include <utility>

namespace bauhinia::contracts {

namespace {

// Reads through to `base`, keeps the writes to the module's own records.
class ScratchView final : public StateView {
 public:
  explicit ScratchView(const StateView& base) : base_(&base) {}
  std::string_view module() const override { return base_->module(); }
  std::optional<Bytes> read(std::string_view module, ByteView key) const override {
    if (module == base_->module()) {
      auto it = writes_.find(Bytes(key.begin(), key.end()));
      if (it != writes_.end()) return it->second;
    }
    return base_->read(module, key);
  }
  void write(ByteView key, Bytes value) override {
    writes_[Bytes(key.begin(), key.end())] = std::move(value);
  }
  void erase(ByteView key) override { writes_[Bytes(key.begin(), key.end())] = std::nullopt; }

 private:
  const StateView* base_;
  std::map<Bytes, std::optional<Bytes>> writes_;
};

core::Reject reject_of(chain::TxOutcome outcome) {
  switch (outcome) {
    case chain::TxOutcome::kUnauthorized: return core::Reject::kBadSignature;
    case chain::TxOutcome::kLimitExceeded: return core::Reject::kTooLarge;
    case chain::TxOutcome::kAlreadyExists: return core::Reject::kDuplicate;
    default: return core::Reject::kInvalid;
  }
}

}  // namespace

core::Verdict check_by_applying(const Module& module, const CallContext& call,
                                const StateView& state) {
  ScratchView scratch(state);
  CallContext trial = call;
  CallResult r = module.apply(trial, scratch);
  if (r.ok() && trial.fault()) r = *trial.fault();
  if (r.ok()) return core::Verdict::accept();
  return core::reject(reject_of(r.outcome), r.reason + ": " + r.detail);
}

}  // namespace bauhinia::contracts
