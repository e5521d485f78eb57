#pragma once
// A module's window on state during check, apply and query: read any module's
// record (module, record key) at the current speculative state, and buffer
// writes to the calling module's own records.
//
// Failures never reach module code as errors to handle:
//   - an operational failure of the underlying StateReader makes the view
//     "broken": reads return nullopt from then on and the Executor fails the
//     whole block with that Status (the module's decisions are discarded);
//   - a write the envelope forbids (invalid record key, value over
//     chain::kMaxStateValueSize, more than kMaxWritesPerCall records)
//     makes the view "faulted": later writes are ignored and the transaction
//     fails with the fault's outcome.

#include <optional>
#include <string>
#include <string_view>

#include "bauhinia/chain/transaction_info.hpp"
#include "bauhinia/contracts/state_reader.hpp"
#include "bauhinia/contracts/write_set.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::contracts {

class StateView {
 public:
  virtual ~StateView() = default;
  // The module whose records write() and erase() change.
  virtual std::string_view module() const = 0;
  // The value of record `key` of `module`, nullopt when absent (or when the
  // view is broken or the key is invalid; see above).
  virtual std::optional<Bytes> read(std::string_view module, ByteView key) const = 0;
  std::optional<Bytes> read_own(ByteView key) const { return read(module(), key); }
  virtual void write(ByteView key, Bytes value) = 0;
  virtual void erase(ByteView key) = 0;
};

// The StateView over a StateOverlay used by the Executor (and by the node for
// queries, over its committed state).
class OverlayStateView final : public StateView {
 public:
  struct Fault {
    chain::TxOutcome outcome;
    std::string detail;
  };

  OverlayStateView(std::string module, StateOverlay& overlay)
      : module_(std::move(module)), overlay_(&overlay) {}

  std::string_view module() const override { return module_; }
  std::optional<Bytes> read(std::string_view module, ByteView key) const override;
  void write(ByteView key, Bytes value) override;
  void erase(ByteView key) override;

  // First operational failure of a read (ok when none).
  const core::Status& status() const noexcept { return status_; }
  // First rule a write broke, if any.
  const std::optional<Fault>& fault() const noexcept { return fault_; }

 private:
  void put(ByteView key, std::optional<Bytes> value);

  std::string module_;
  StateOverlay* overlay_;
  mutable core::Status status_;
  mutable std::optional<Fault> fault_;
};

}  // namespace bauhinia::contracts
