#pragma once
// Pharmaceutical traceability for the Department of Health (DH's 2020 pilot):
// registered products, their batches, custody from manufacturer or importer
// to wholesaler to pharmacy or hospital (each step signed by both sides),
// and recalls that reach every current holder of a batch.
// docs/contracts/drugs.md is the officer's guide; calls.hpp the payloads;
// records.hpp the records.

#include <span>
#include <string_view>

#include "bauhinia/contracts/drugs/calls.hpp"
#include "bauhinia/contracts/drugs/records.hpp"
#include "bauhinia/contracts/module.hpp"

namespace bauhinia::contracts::drugs {

// Chain parameters (read at execution with system::read_parameter).
// The most accounts that may hold one batch at once: a recall writes a notice
// and emits an event for each, within one transaction's limits.
inline constexpr std::string_view kMaxHoldersPerBatch = "drugs.max_holders_per_batch";

class DrugsModule final : public Module {
 public:
  std::string_view name() const override { return kModuleName; }
  // Runs the whole call against a scratch copy of the state: admission
  // refuses exactly what apply() would.
  core::Verdict check(const CallContext& call, const StateView& state) const override;
  CallResult apply(CallContext& call, StateView& state) const override;
  // product/<regno>, product/<regno>/batches[/page], batch/<regno>/<batch>,
  // batch/<regno>/<batch>/{custody,holders,recall}[/page],
  // holder/<account hex>/{holdings,recalls}[/page].
  core::Checked<QueryAnswer> query(std::string_view path, const StateView& state) const override;
  std::span<const ParameterSpec> parameters() const override;
};

}  // namespace bauhinia::contracts::drugs
