#pragma once
// Shared steps of the company module's calls (not a public interface).

#include <optional>
#include <string>
#include <string_view>

#include "bauhinia/contracts/company/calls.hpp"
#include "bauhinia/contracts/company/records.hpp"
#include "bauhinia/contracts/module.hpp"

namespace bauhinia::contracts::company::detail {

CallResult fail(chain::TxOutcome outcome, std::string reason, std::string detail);

// A chain parameter's value; failure "missing_parameter" when the chain has none.
struct Param {
  std::optional<std::uint64_t> value;
  CallResult error;
};
Param read_param(const StateView& state, std::string_view name);

// The live-or-not company record a call names, or the failure:
// invalid_cr_number, company_not_found, corrupt_record.
struct Loaded {
  std::optional<CompanyRecord> record;
  CallResult error;
};
Loaded load(const StateView& state, std::string_view number);

bool is_registrar(const CallContext& call, const StateView& state);
// The company's own account or a registrar; else "not_authorised".
CallResult check_filer(const CallContext& call, const StateView& state, const CompanyRecord& c);
CallResult check_registrar(const CallContext& call, const StateView& state);

CallResult check_document(const core::Hash256& hash, const char* what);
CallResult check_officer(const OfficerArgs& o);

// Writes the company record.
void save(StateView& state, const CompanyRecord& c);
// Moves the company between status lists and sets status / since / document.
CallResult set_status(StateView& state, CompanyRecord& c, CompanyStatus to, std::uint64_t now_ms,
                      const core::Hash256& document);
// The due-month list of the company's next return (add or remove).
CallResult add_due(StateView& state, const CompanyRecord& c);
CallResult remove_due(StateView& state, const CompanyRecord& c);
// Name index: refuses a name a live company (other than `number`) holds
// ("name_taken"); add writes the index records, remove erases them.
CallResult check_names_free(const StateView& state, const CompanyRecord& c);
void add_names(StateView& state, const CompanyRecord& c);
void remove_names(StateView& state, const CompanyRecord& c);

// Appends a filing record to the company's filing list (and counts it).
CallResult add_filing(CallContext& call, StateView& state, CompanyRecord& c, FilingKind kind,
                      const core::Hash256& document, const Date& event, const Date& due);

// Appoints an officer (a new officer record in the officers list).
CallResult appoint(CallContext& call, StateView& state, CompanyRecord& c, const OfficerArgs& o,
                   const Date& date);

// The current Hong Kong date of the block.
Date today(const CallContext& call);

// Calls.
CallResult incorporate(CallContext& call, StateView& state, const IncorporateArgs& a);
CallResult annual_return(CallContext& call, StateView& state, const AnnualReturnArgs& a);
CallResult change_officers(CallContext& call, StateView& state, const ChangeOfficersArgs& a);
CallResult change_office(CallContext& call, StateView& state, const ChangeOfficeArgs& a);
CallResult change_name(CallContext& call, StateView& state, const ChangeNameArgs& a);
CallResult apply_deregistration(CallContext& call, StateView& state, const DeregistrationArgs& a);
CallResult registrar_act(CallContext& call, StateView& state, std::string_view act,
                         const RegistrarActArgs& a);
CallResult restore(CallContext& call, StateView& state, const RestoreArgs& a);

}  // namespace bauhinia::contracts::company::detail
