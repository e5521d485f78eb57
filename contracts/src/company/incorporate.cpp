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

CallResult incorporate(CallContext& call, StateView& state, const IncorporateArgs& a) {
  if (CallResult r = check_registrar(call, state); !r.ok()) return r;
  auto number = canonical_cr_number(a.number);
  if (!number) return fail(TxOutcome::kInvalidArgument, "invalid_cr_number", number.error().detail);
  const bool foreign = number->front() == 'F';
  if (foreign != (a.type == CompanyType::kRegisteredNonHongKong)) {
    return fail(TxOutcome::kInvalidArgument, "number_type_mismatch",
                "registered non-Hong Kong companies, and only they, have F numbers");
  }
  if (state.read_own(company_key(*number))) {
    return fail(TxOutcome::kAlreadyExists, "company_exists", "company " + *number + " exists");
  }
  if (CallResult r = check_names(a.name_en, a.name_zh, a.type); !r.ok()) return r;
  if (a.registered_office.empty() || !is_clean_text(a.registered_office)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_office",
                "the registered office is empty or not clean UTF-8 text");
  }
  if (a.account == core::AccountId{}) {
    return fail(TxOutcome::kInvalidArgument, "invalid_account", "the company account is zero");
  }
  if (CallResult r = check_document(a.document_hash, "incorporate"); !r.ok()) return r;
  if (is_public_or_guarantee(a.type)) {
    if (!Date{2000, a.accounting_reference_month, a.accounting_reference_day}.valid()) {
      return fail(TxOutcome::kInvalidArgument, "invalid_accounting_reference",
                  "a public or guarantee company gives the month and day its accounting "
                  "reference period ends");
    }
  } else if (a.accounting_reference_month != 0 || a.accounting_reference_day != 0) {
    return fail(TxOutcome::kInvalidArgument, "invalid_accounting_reference",
                "only public and guarantee companies' return dates follow their accounting "
                "reference period");
  }
  bool director = false;
  for (const OfficerArgs& o : a.officers) {
    if (CallResult r = check_officer(o); !r.ok()) return r;
    director = director || o.role == OfficerRole::kDirector;
  }
  if (!director && a.type != CompanyType::kRegisteredNonHongKong) {
    return fail(TxOutcome::kInvalidArgument, "no_director",
                "a Hong Kong company is incorporated with at least one director");
  }
  const Param window = read_param(state, kAnnualReturnWindowDays);
  const Param public_months = read_param(state, kPublicReturnMonths);
  const Param guarantee_months = read_param(state, kGuaranteeReturnMonths);
  for (const Param* p : {&window, &public_months, &guarantee_months}) {
    if (!p->value) return p->error;
  }

  CompanyRecord c;
  c.number = *number;
  c.name_en = a.name_en;
  c.name_zh = a.name_zh;
  c.type = a.type;
  c.registered_office = a.registered_office;
  c.account = a.account;
  c.incorporated_ms = call.block().timestamp_ms;
  c.incorporation_date = today(call);
  c.next_return_date =
      first_return_date(a.type, c.incorporation_date, a.accounting_reference_month,
                        a.accounting_reference_day, *public_months.value, *guarantee_months.value);
  c.next_return_due =
      Date::from_days(c.next_return_date.days() + static_cast<std::int64_t>(*window.value));
  c.status = CompanyStatus::kLive;
  c.status_since_ms = c.incorporated_ms;
  c.status_document = a.document_hash;
  if (CallResult r = check_names_free(state, c); !r.ok()) return r;

  add_names(state, c);
  if (CallResult r = IndexList(status_list_name(c.status)).add(state, company_key(c.number));
      !r.ok()) {
    return r;
  }
  if (CallResult r = add_due(state, c); !r.ok()) return r;
  if (CallResult r = add_filing(call, state, c, FilingKind::kIncorporation, a.document_hash,
                                c.incorporation_date, c.incorporation_date);
      !r.ok()) {
    return r;
  }
  for (const OfficerArgs& o : a.officers) {
    if (CallResult r = appoint(call, state, c, o, c.incorporation_date); !r.ok()) return r;
  }
  call.mention_account(c.account);
  save(state, c);
  call.emit("incorporated", company_key(c.number), core::encode(c));
  return CallResult::success();
}

}  // namespace bauhinia::contracts::company::detail
