#pragma once
// Shared helpers of the trademark module's sources (not a public header).

#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/contracts/index_list.hpp"
#include "bauhinia/contracts/module.hpp"
#include "bauhinia/contracts/trademark/calls.hpp"
#include "bauhinia/contracts/trademark/records.hpp"

namespace bauhinia::contracts::trademark::detail {

using chain::TxOutcome;

inline CallResult fail(TxOutcome outcome, std::string_view reason, std::string detail) {
  return CallResult::failure(outcome, std::string(reason), std::move(detail));
}

// Decodes the call's payload: malformed_payload, or field_too_large for a
// field beyond its declared limit.
template <class T>
CallResult decode_args(const chain::Transaction& tx, T& out) {
  auto args = core::decode<T>(tx.payload);
  if (!args) {
    const bool too_large = args.error().reason == core::Reject::kTooLarge;
    return fail(too_large ? TxOutcome::kLimitExceeded : TxOutcome::kInvalidArgument,
                too_large ? "field_too_large" : "malformed_payload",
                tx.call + ": " + args.error().to_string());
  }
  out = std::move(*args);
  return CallResult::success();
}

bool valid_utf8(std::string_view text) noexcept;

CallResult check_number_arg(std::string_view number);
// A party's names (at least one, UTF-8), CR number (A-Z, 0-9) and, for a
// company, that it is live in the company register.
CallResult check_party(const StateView& state, const Party& party, std::string_view role);
// Nice classes 1..45 strictly increasing, 1..kMaxItemsPerClass distinct
// non-empty UTF-8 items each, at most kMaxSpecificationSize bytes of items.
// `allow_empty_items`: scopes may name a whole class with no items.
CallResult check_classes(const std::vector<ClassSpec>& classes, std::string_view field,
                         bool allow_empty_items);

CallResult require_registrar(const CallContext& call, const StateView& state);
CallResult read_param(const StateView& state, std::string_view name, std::uint64_t& out);
CallResult load_mark(const StateView& state, std::string_view number, MarkRecord& out);
// Writes `after` and moves it between the index lists (by owner, status,
// expiry month) that changed since `before` (nullptr: a new mark).
CallResult save_mark(StateView& state, const MarkRecord* before, const MarkRecord& after);
// Appends `record` to the mark's history (sets its index; the caller saves the mark).
void append_history(StateView& state, MarkRecord& mark, HistoryRecord record);
std::optional<HistoryRecord> load_history(const StateView& state, std::string_view number,
                                          std::uint32_t index);

IndexList owner_list(const core::AccountId& owner);
IndexList status_list(Status status);
IndexList expiring_list(std::string_view month);

CallResult illegal_transition(const MarkRecord& mark, std::string_view call, Status to);

// The checks file and register_existing share: the particulars of `args`
// (number, texts, classes, filing date not after the block, owner party with
// the company rule) and that the number is not on the register yet.
CallResult check_filing(const CallContext& call, const StateView& state, const FileArgs& args);

// The call handlers.
CallResult apply_file(CallContext& call, StateView& state);
CallResult apply_register_existing(CallContext& call, StateView& state);
CallResult apply_transition(CallContext& call, StateView& state);
CallResult apply_assign(CallContext& call, StateView& state);
CallResult apply_licence(CallContext& call, StateView& state);
CallResult apply_security(CallContext& call, StateView& state);

}  // namespace bauhinia::contracts::trademark::detail
