#pragma once
// Shared helpers of the drugs module's sources (not a public header).

#include <cstdint>
#include <string>
#include <string_view>

#include "bauhinia/contracts/drugs/calls.hpp"
#include "bauhinia/contracts/drugs/records.hpp"
#include "bauhinia/contracts/index_list.hpp"
#include "bauhinia/contracts/module.hpp"

namespace bauhinia::contracts::drugs::detail {

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

// UTF-8 in shortest form, no control characters, no surrogates.
bool valid_text(std::string_view text) noexcept;

bool has_trader_role(const StateView& state, const core::AccountId& account, TraderRole role);
CallResult require_regulator(const CallContext& call, const StateView& state);
CallResult read_param(const StateView& state, std::string_view name, std::uint64_t& out);

// Loading checks the numbers first: invalid_registration_number,
// invalid_batch_number, product_not_found, batch_not_found, corrupt_record.
CallResult load_product(const StateView& state, std::string_view regno, ProductRecord& out);
CallResult load_batch(const StateView& state, std::string_view regno, std::string_view batch,
                      BatchRecord& out);
CallResult load_notice(const StateView& state, std::string_view regno, std::string_view batch,
                       std::uint32_t index, RecallNoticeRecord& out);

// The quantity `holder` holds of the batch (0 when none).
std::uint64_t holding_of(const StateView& state, const BatchRecord& batch,
                         const core::AccountId& holder);
// Sets the holding to `quantity`: writes or erases the record and keeps the
// batch's holders list and the holder's holdings list in step.
CallResult set_holding(const CallContext& call, StateView& state, const BatchRecord& batch,
                       const core::AccountId& holder, std::uint64_t quantity);

// Appends a custody record (sets its index, counts it in `batch`; the caller saves the batch).
void append_custody(StateView& state, BatchRecord& batch, CustodyRecord record);

IndexList batches_list(std::string_view regno);
IndexList holders_list(std::string_view regno, std::string_view batch);
IndexList holdings_list(const core::AccountId& account);
IndexList recalls_list(const core::AccountId& account);

// The call handlers.
CallResult apply_register_product(CallContext& call, StateView& state);
CallResult apply_create_batch(CallContext& call, StateView& state);
CallResult apply_transfer(CallContext& call, StateView& state);
CallResult apply_return(CallContext& call, StateView& state);
CallResult apply_recall(CallContext& call, StateView& state);
CallResult apply_acknowledge(CallContext& call, StateView& state);

}  // namespace bauhinia::contracts::drugs::detail
