#pragma once
// The Environmental Protection Department's registers: the EIA Ordinance
// register (Cap. 499: project profiles, study briefs, EIA report versions,
// public inspection and comments, decisions, environmental permits and their
// EM&A submissions) and the chemical waste trip-tickets (Cap. 354C).
// docs/contracts/environment.md is the guide; calls.hpp the payloads;
// records.hpp the records.

#include <span>
#include <string_view>

#include "bauhinia/contracts/environment/calls.hpp"
#include "bauhinia/contracts/environment/records.hpp"
#include "bauhinia/contracts/module.hpp"

namespace bauhinia::contracts::environment {

// Chain parameters (read at execution with system::read_parameter).
// Durations are in milliseconds, so that a test or demo network can run EPD's
// periods at its own scale; the defaults are the Hong Kong values in days.
inline constexpr std::string_view kInspectionMinMs = "environment.inspection_min_ms";
inline constexpr std::string_view kWeightToleranceBp = "environment.weight_tolerance_bp";
inline constexpr std::string_view kTicketDeadlineMs = "environment.ticket_deadline_ms";

class EnvironmentModule final : public Module {
 public:
  std::string_view name() const override { return kModuleName; }
  // Runs the whole call against a scratch copy of the state: admission
  // refuses exactly what apply() would.
  core::Verdict check(const CallContext& call, const StateView& state) const override;
  CallResult apply(CallContext& call, StateView& state) const override;
  // project/<PP-NNN>/<YYYY>[/reports|comments[/page]], permit/<EP-NNN>/<YYYY>
  // [/history|submissions[/page]], ticket/<number>, tickets/flagged[/page],
  // producer|collector|reception/<account hex>/tickets[/page],
  // proponent/<account hex>/projects[/page], holder/<account hex>/permits[/page],
  // projects/<status>[/page].
  core::Checked<QueryAnswer> query(std::string_view path, const StateView& state) const override;
  std::span<const ParameterSpec> parameters() const override;
};

}  // namespace bauhinia::contracts::environment
