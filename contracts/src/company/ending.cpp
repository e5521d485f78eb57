// The end of a company and its restoration (Cap. 622 Part 15): deregistration
// (ss.749-753), strike-off by the Registrar (ss.744-748), dissolution, and
// restoration administratively (ss.765-766) or by the court (ss.767-768).
// Each step is a call; the Registrar's steps that follow a notice period are
// refused until the period has run by block time.

#include "bauhinia/contracts/company/module.hpp"
#include "bauhinia/contracts/index_list.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::company::detail {

using chain::TxOutcome;

namespace {

CallResult illegal(const CompanyRecord& c, std::string_view act) {
  return fail(TxOutcome::kFailedPrecondition, "illegal_transition",
              std::string(act) + " is not a step from status " +
                  std::string(status_name(c.status)) + " (company " + c.number + ")");
}

// Refuses the step while `days` (a parameter) have not run since the last
// status change.
CallResult check_period(const CallContext& call, const StateView& state, const CompanyRecord& c,
                        std::string_view parameter) {
  const Param p = read_param(state, parameter);
  if (!p.value) return p.error;
  const std::uint64_t ends_ms =
      c.status_since_ms + *p.value * static_cast<std::uint64_t>(kMsPerDay);
  if (call.block().timestamp_ms < ends_ms) {
    return fail(TxOutcome::kFailedPrecondition, "notice_period_running",
                std::string(parameter) + " (" + std::to_string(*p.value) +
                    " days) has not run since the last step");
  }
  return CallResult::success();
}

// Dissolution: the names are released and the company leaves the due lists.
CallResult end(CallContext& call, StateView& state, CompanyRecord& c, CompanyStatus to,
               const core::Hash256& document) {
  remove_names(state, c);
  if (CallResult r = remove_due(state, c); !r.ok()) return r;
  return set_status(state, c, to, call.block().timestamp_ms, document);
}

CallResult finish(CallContext& call, StateView& state, CompanyRecord& c) {
  save(state, c);
  call.mention_account(c.account);
  call.emit("status_changed", company_key(c.number), core::encode(c));
  return CallResult::success();
}

}  // namespace

CallResult apply_deregistration(CallContext& call, StateView& state, const DeregistrationArgs& a) {
  Loaded l = load(state, a.number);
  if (!l.record) return l.error;
  CompanyRecord& c = *l.record;
  if (CallResult r = check_filer(call, state, c); !r.ok()) return r;
  if (c.status != CompanyStatus::kLive) return illegal(c, "apply_deregistration");
  if (c.type != CompanyType::kPrivateLimitedByShares && c.type != CompanyType::kPrivateUnlimited &&
      c.type != CompanyType::kLimitedByGuarantee) {
    return fail(TxOutcome::kFailedPrecondition, "not_eligible",
                "only private companies and companies limited by guarantee may be deregistered "
                "(ss.749-750); company " +
                    c.number + " is " + std::string(type_name(c.type)));
  }
  if (CallResult r = check_document(a.document_hash, "apply_deregistration"); !r.ok()) return r;
  if (CallResult r = check_document(a.ird_notice_hash, "IRD notice of no objection"); !r.ok()) {
    return r;
  }
  if (CallResult r = set_status(state, c, CompanyStatus::kDeregistrationApplied,
                                call.block().timestamp_ms, a.document_hash);
      !r.ok()) {
    return r;
  }
  return finish(call, state, c);
}

CallResult registrar_act(CallContext& call, StateView& state, std::string_view act,
                         const RegistrarActArgs& a) {
  if (CallResult r = check_registrar(call, state); !r.ok()) return r;
  Loaded l = load(state, a.number);
  if (!l.record) return l.error;
  CompanyRecord& c = *l.record;
  if (CallResult r = check_document(a.document_hash, std::string(act).c_str()); !r.ok()) return r;
  const std::uint64_t now = call.block().timestamp_ms;
  CallResult r = CallResult::success();
  if (act == "gazette_deregistration") {
    if (c.status != CompanyStatus::kDeregistrationApplied) return illegal(c, act);
    r = set_status(state, c, CompanyStatus::kDeregistrationGazetted, now, a.document_hash);
  } else if (act == "deregister") {
    if (c.status != CompanyStatus::kDeregistrationGazetted) return illegal(c, act);
    if (r = check_period(call, state, c, kDeregistrationNoticeDays); !r.ok()) return r;
    r = end(call, state, c, CompanyStatus::kDeregistered, a.document_hash);
  } else if (act == "strike_off_inquiry") {
    if (c.status != CompanyStatus::kLive) return illegal(c, act);
    r = set_status(state, c, CompanyStatus::kStrikeOffInquiry, now, a.document_hash);
  } else if (act == "gazette_strike_off") {
    if (c.status != CompanyStatus::kStrikeOffInquiry) return illegal(c, act);
    if (r = check_period(call, state, c, kStrikeOffInquiryDays); !r.ok()) return r;
    r = set_status(state, c, CompanyStatus::kStrikeOffGazetted, now, a.document_hash);
  } else if (act == "strike_off") {
    if (c.status != CompanyStatus::kStrikeOffGazetted) return illegal(c, act);
    if (r = check_period(call, state, c, kStrikeOffNoticeDays); !r.ok()) return r;
    r = end(call, state, c, CompanyStatus::kStruckOff, a.document_hash);
  } else if (act == "cancel_ending") {
    if (c.status == CompanyStatus::kLive || !is_live_status(c.status)) return illegal(c, act);
    r = set_status(state, c, CompanyStatus::kLive, now, a.document_hash);
  } else if (act == "dissolve") {
    if (!is_live_status(c.status)) return illegal(c, act);
    r = end(call, state, c, CompanyStatus::kDissolved, a.document_hash);
  } else {
    return fail(TxOutcome::kInvalidArgument, "unknown_call",
                "no registrar act " + std::string(act));
  }
  if (!r.ok()) return r;
  return finish(call, state, c);
}

CallResult restore(CallContext& call, StateView& state, const RestoreArgs& a) {
  if (CallResult r = check_registrar(call, state); !r.ok()) return r;
  Loaded l = load(state, a.number);
  if (!l.record) return l.error;
  CompanyRecord& c = *l.record;
  if (CallResult r = check_document(a.document_hash, "restore"); !r.ok()) return r;
  if (is_live_status(c.status)) return illegal(c, "restore");
  if (c.status != CompanyStatus::kStruckOff && !a.court_order) {
    return fail(TxOutcome::kFailedPrecondition, "court_order_required",
                "only a struck-off company is restored administratively (s.765); a " +
                    std::string(status_name(c.status)) + " company needs a court order (s.767)");
  }
  const Param years = read_param(state, kRestorationYears);
  if (!years.value) return years.error;
  const Date dissolved = Date::from_days(hk_day_of(c.status_since_ms));
  const Date last = add_months(dissolved, static_cast<std::int64_t>(*years.value) * 12);
  if (today(call).days() > last.days()) {
    return fail(TxOutcome::kFailedPrecondition, "restoration_period_over",
                "company " + c.number + " was dissolved on " + dissolved.to_string() +
                    "; restoration is possible until " + last.to_string());
  }
  if (CallResult r = check_names_free(state, c); !r.ok()) return r;
  add_names(state, c);
  if (CallResult r = add_due(state, c); !r.ok()) return r;
  if (CallResult r =
          set_status(state, c, CompanyStatus::kLive, call.block().timestamp_ms, a.document_hash);
      !r.ok()) {
    return r;
  }
  return finish(call, state, c);
}

}  // namespace bauhinia::contracts::company::detail
