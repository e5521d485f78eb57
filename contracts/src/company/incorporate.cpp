#include <optional>
#include <string>

#include "bauhinia/contracts/company/module.hpp"
#include "bauhinia/contracts/company/names.hpp"
#include "bauhinia/contracts/index_list.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::company::detail {

using chain::TxOutcome;

namespace {

// The first return date (Cap. 622 s.662): a private company's (and a
// registered non-Hong Kong company's, s.788) is the first anniversary of its
// incorporation (registration); a public company's is `public_months`, and a
// guarantee company's `guarantee_months`, after the end of its accounting
// reference period: the first such date on or after the first anniversary.
Date first_return_date(CompanyType type, const Date& incorporated, std::uint8_t ard_month,
                       std::uint8_t ard_day, std::uint64_t public_months,
                       std::uint64_t guarantee_months) {
  const Date anniversary = add_months(incorporated, 12);
  if (type != CompanyType::kPublicLimitedByShares && type != CompanyType::kPublicUnlimited &&
      type != CompanyType::kLimitedByGuarantee) {
    return anniversary;
  }
  const auto offset = static_cast<std::int64_t>(
      type == CompanyType::kLimitedByGuarantee ? guarantee_months : public_months);
  Date ard = add_months(Date{incorporated.year, ard_month, 1}, 0);
  ard.day = ard_day;
  while (ard.day > 28 && !ard.valid()) ard.day = static_cast<std::uint8_t>(ard.day - 1);
  Date candidate = add_months(ard, offset);
  while (candidate.days() < anniversary.days()) candidate = add_months(candidate, 12);
  return candidate;
}

bool is_public_or_guarantee(CompanyType t) {
  return t == CompanyType::kPublicLimitedByShares || t == CompanyType::kPublicUnlimited ||
         t == CompanyType::kLimitedByGuarantee;
}

}  // namespace

namespace {

// The checks incorporate and register_existing share: the particulars of
// IncorporateArgs, the number not yet on the ledger. Returns the canonical
// number, or the failure in `error`.
std::optional<std::string> check_particulars(const StateView& state, const IncorporateArgs& a,
                                             const char* call_name, CallResult& error) {
  auto number = canonical_cr_number(a.number);
  if (!number) {
    error = fail(TxOutcome::kInvalidArgument, "invalid_cr_number", number.error().detail);
    return std::nullopt;
  }
  const bool foreign = number->front() == 'F';
  if (foreign != (a.type == CompanyType::kRegisteredNonHongKong)) {
    error = fail(TxOutcome::kInvalidArgument, "number_type_mismatch",
                 "registered non-Hong Kong companies, and only they, have F numbers");
    return std::nullopt;
  }
  if (state.read_own(company_key(*number))) {
    error = fail(TxOutcome::kAlreadyExists, "company_exists",
                 "company " + *number + " is already on the ledger");
    return std::nullopt;
  }
  if (CallResult r = check_names(a.name_en, a.name_zh, a.type); !r.ok()) {
    error = r;
    return std::nullopt;
  }
  if (a.registered_office.empty() || !is_clean_text(a.registered_office)) {
    error = fail(TxOutcome::kInvalidArgument, "invalid_office",
                 "the registered office is empty or not clean UTF-8 text");
    return std::nullopt;
  }
  if (a.account == core::AccountId{}) {
    error = fail(TxOutcome::kInvalidArgument, "invalid_account", "the company account is zero");
    return std::nullopt;
  }
  if (CallResult r = check_document(a.document_hash, call_name); !r.ok()) {
    error = r;
    return std::nullopt;
  }
  if (is_public_or_guarantee(a.type)) {
    if (!Date{2000, a.accounting_reference_month, a.accounting_reference_day}.valid()) {
      error = fail(TxOutcome::kInvalidArgument, "invalid_accounting_reference",
                   "a public or guarantee company gives the month and day its accounting "
                   "reference period ends");
      return std::nullopt;
    }
  } else if (a.accounting_reference_month != 0 || a.accounting_reference_day != 0) {
    error = fail(TxOutcome::kInvalidArgument, "invalid_accounting_reference",
                 "only public and guarantee companies' return dates follow their accounting "
                 "reference period");
    return std::nullopt;
  }
  bool director = false;
  for (const OfficerArgs& o : a.officers) {
    if (CallResult r = check_officer(o); !r.ok()) {
      error = r;
      return std::nullopt;
    }
    director = director || o.role == OfficerRole::kDirector;
  }
  if (!director && a.type != CompanyType::kRegisteredNonHongKong) {
    error = fail(TxOutcome::kInvalidArgument, "no_director",
                 "a Hong Kong company has at least one director");
    return std::nullopt;
  }
  return std::move(*number);
}

// The record of a new company (live) incorporated on `incorporated`, its
// first return date per its type; nullopt (and `error`) without the
// parameters.
std::optional<CompanyRecord> new_record(const CallContext& call, const StateView& state,
                                        const IncorporateArgs& a, std::string number,
                                        const Date& incorporated, CallResult& error) {
  const Param window = read_param(state, kAnnualReturnWindowDays);
  const Param public_months = read_param(state, kPublicReturnMonths);
  const Param guarantee_months = read_param(state, kGuaranteeReturnMonths);
  for (const Param* p : {&window, &public_months, &guarantee_months}) {
    if (!p->value) {
      error = p->error;
      return std::nullopt;
    }
  }
  CompanyRecord c;
  c.number = std::move(number);
  c.name_en = a.name_en;
  c.name_zh = a.name_zh;
  c.type = a.type;
  c.registered_office = a.registered_office;
  c.account = a.account;
  c.incorporated_ms = call.block().timestamp_ms;
  c.incorporation_date = incorporated;
  c.next_return_date =
      first_return_date(a.type, incorporated, a.accounting_reference_month,
                        a.accounting_reference_day, *public_months.value, *guarantee_months.value);
  c.next_return_due =
      Date::from_days(c.next_return_date.days() + static_cast<std::int64_t>(*window.value));
  c.status = CompanyStatus::kLive;
  c.status_since_ms = c.incorporated_ms;
  c.status_document = a.document_hash;
  return c;
}

// Writes a new company: names (live only), status and due lists, its first
// filing, its officers (appointed on `appointed`), the record, the event.
CallResult write_company(CallContext& call, StateView& state, CompanyRecord& c,
                         const IncorporateArgs& a, FilingKind first, const Date& appointed,
                         std::string_view event) {
  const bool live = is_live_status(c.status);
  if (live) {
    if (CallResult r = check_names_free(state, c); !r.ok()) return r;
    add_names(state, c);
  }
  if (CallResult r = IndexList(status_list_name(c.status)).add(state, company_key(c.number));
      !r.ok()) {
    return r;
  }
  if (live) {
    if (CallResult r = add_due(state, c); !r.ok()) return r;
  }
  // The incorporation (NNC1) is due on its day; the migration entry is not a
  // filing with a deadline: due the day it is made, never late.
  const Date due = first == FilingKind::kIncorporation ? c.incorporation_date : today(call);
  if (CallResult r = add_filing(call, state, c, first, a.document_hash, c.incorporation_date, due);
      !r.ok()) {
    return r;
  }
  for (const OfficerArgs& o : a.officers) {
    if (CallResult r = appoint(call, state, c, o, appointed); !r.ok()) return r;
  }
  call.mention_account(c.account);
  save(state, c);
  call.emit(std::string(event), company_key(c.number), core::encode(c));
  return CallResult::success();
}

// A historic date of the legacy register: a real date from 1865, not after
// today (`strict`: before today).
CallResult check_historic(const CallContext& call, const Date& d, const char* what, bool strict) {
  if (d.year < kEarliestYear) {
    return fail(TxOutcome::kInvalidArgument, "date_before_1865",
                std::string(what) + " " + d.to_string() +
                    " is before the first Companies Ordinance (1865)");
  }
  if (!d.valid()) {
    return fail(TxOutcome::kInvalidArgument, "invalid_date",
                std::string(what) + " " + d.to_string() + " is not a date");
  }
  const Date now = today(call);
  if (d.days() > now.days() || (strict && d.days() == now.days())) {
    return fail(
        TxOutcome::kInvalidArgument, "future_date",
        std::string(what) + " " + d.to_string() + (strict ? " is not before" : " is after") +
            " today " + now.to_string() +
            (strict ? " (a company incorporated today is incorporated with incorporate)" : ""));
  }
  return CallResult::success();
}

}  // namespace

CallResult incorporate(CallContext& call, StateView& state, const IncorporateArgs& a) {
  if (CallResult r = check_registrar(call, state); !r.ok()) return r;
  CallResult error;
  auto number = check_particulars(state, a, "incorporate", error);
  if (!number) return error;
  auto c = new_record(call, state, a, std::move(*number), today(call), error);
  if (!c) return error;
  return write_company(call, state, *c, a, FilingKind::kIncorporation, c->incorporation_date,
                       "incorporated");
}

CallResult register_existing(CallContext& call, StateView& state, const RegisterExistingArgs& a) {
  if (CallResult r = check_registrar(call, state); !r.ok()) return r;
  CallResult error;
  auto number = check_particulars(state, a.company, "register_existing", error);
  if (!number) return error;
  if (CallResult r = check_historic(call, a.incorporation_date, "incorporation date", true);
      !r.ok()) {
    return r;
  }
  if (a.status != CompanyStatus::kLive && is_live_status(a.status)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_status",
                "a company is migrated live or ended (struck_off, dissolved, deregistered), not " +
                    std::string(status_name(a.status)));
  }
  if (a.status == CompanyStatus::kDeregistered &&
      a.company.type != CompanyType::kPrivateLimitedByShares &&
      a.company.type != CompanyType::kPrivateUnlimited &&
      a.company.type != CompanyType::kLimitedByGuarantee) {
    return fail(TxOutcome::kFailedPrecondition, "not_eligible",
                "only private companies and companies limited by guarantee are deregistered "
                "(ss.749-750), not a " +
                    std::string(type_name(a.company.type)));
  }
  if (CallResult r = check_historic(call, a.status_date, "status date", false); !r.ok()) return r;
  if (a.status_date.days() < a.incorporation_date.days()) {
    return fail(TxOutcome::kInvalidArgument, "date_before_incorporation",
                "status date " + a.status_date.to_string() + " is before the incorporation " +
                    a.incorporation_date.to_string());
  }
  auto c = new_record(call, state, a.company, std::move(*number), a.incorporation_date, error);
  if (!c) return error;
  if (a.last_return_date) {
    const Date& last = *a.last_return_date;
    if (CallResult r = check_historic(call, last, "last return date", false); !r.ok()) return r;
    if (last.days() < c->next_return_date.days()) {
      return fail(TxOutcome::kInvalidArgument, "date_before_first_return",
                  "last return date " + last.to_string() + " is before the first return date " +
                      c->next_return_date.to_string() + " of a company incorporated on " +
                      a.incorporation_date.to_string());
    }
    if (a.status != CompanyStatus::kLive && last.days() > a.status_date.days()) {
      return fail(TxOutcome::kInvalidArgument, "date_after_status",
                  "last return date " + last.to_string() + " is after the company ended on " +
                      a.status_date.to_string());
    }
    const Param window = read_param(state, kAnnualReturnWindowDays);
    if (!window.value) return window.error;
    c->next_return_date = add_months(last, 12);
    c->next_return_due =
        Date::from_days(c->next_return_date.days() + static_cast<std::int64_t>(*window.value));
  }
  c->status = a.status;
  c->migrated_height = call.block().height;
  c->legacy_status_date = a.status_date;
  return write_company(call, state, *c, a.company, FilingKind::kMigration, today(call), "migrated");
}

}  // namespace bauhinia::contracts::company::detail
