// The filings of the CR pilot: NAR1, ND2A, NR1, NNC2. Each is flagged late or
// on time by the block's Hong Kong date against its due date.

#include <set>

#include "bauhinia/contracts/company/module.hpp"
#include "bauhinia/contracts/company/names.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::company::detail {

using chain::TxOutcome;

namespace {

// The checks every filing shares: the company exists and is live, the
// sender may file for it, the document is named.
Loaded load_for_filing(const CallContext& call, const StateView& state, std::string_view number,
                       const core::Hash256& document) {
  Loaded l = load(state, number);
  if (!l.record) return l;
  const auto refuse = [&](CallResult r) {
    l.record.reset();
    l.error = std::move(r);
    return l;
  };
  if (CallResult r = check_filer(call, state, *l.record); !r.ok()) return refuse(r);
  if (!is_live_status(l.record->status)) {
    return refuse(fail(TxOutcome::kFailedPrecondition, "company_dissolved",
                       "company " + l.record->number + " is " +
                           std::string(status_name(l.record->status)) + ": it no longer files"));
  }
  if (CallResult r = check_document(document, call.tx().call.c_str()); !r.ok()) return refuse(r);
  return l;
}

// A change date: a real date, not after today, not before incorporation.
CallResult check_change_date(const CallContext& call, const CompanyRecord& c, const Date& d) {
  if (!d.valid()) return fail(TxOutcome::kInvalidArgument, "invalid_date", "not a date");
  if (d.days() > today(call).days()) {
    return fail(TxOutcome::kInvalidArgument, "future_date",
                d.to_string() + " is after today " + today(call).to_string());
  }
  if (d.days() < c.incorporation_date.days()) {
    return fail(TxOutcome::kInvalidArgument, "date_before_incorporation",
                d.to_string() + " is before the incorporation " + c.incorporation_date.to_string());
  }
  return CallResult::success();
}

// change date + company.change_notice_days.
struct Due {
  std::optional<Date> date;
  CallResult error;
};
Due change_due(const StateView& state, const Date& d) {
  Due out;
  const Param p = read_param(state, kChangeNoticeDays);
  if (!p.value) {
    out.error = p.error;
    return out;
  }
  out.date = Date::from_days(d.days() + static_cast<std::int64_t>(*p.value));
  return out;
}

}  // namespace

CallResult annual_return(CallContext& call, StateView& state, const AnnualReturnArgs& a) {
  Loaded l = load_for_filing(call, state, a.number, a.document_hash);
  if (!l.record) return l.error;
  CompanyRecord& c = *l.record;
  if (!a.return_date.valid())
    return fail(TxOutcome::kInvalidArgument, "invalid_date", "not a date");
  if (a.return_date != c.next_return_date) {
    return fail(TxOutcome::kInvalidArgument, "wrong_return_date",
                "the next annual return of " + c.number + " is made up to " +
                    c.next_return_date.to_string() + ", not " + a.return_date.to_string());
  }
  if (today(call).days() < a.return_date.days()) {
    return fail(TxOutcome::kFailedPrecondition, "return_date_not_reached",
                "an annual return is delivered after its return date " + a.return_date.to_string());
  }
  const Param window = read_param(state, kAnnualReturnWindowDays);
  if (!window.value) return window.error;
  if (CallResult r = add_filing(call, state, c, FilingKind::kAnnualReturn, a.document_hash,
                                a.return_date, c.next_return_due);
      !r.ok()) {
    return r;
  }
  if (CallResult r = remove_due(state, c); !r.ok()) return r;
  c.next_return_date = add_months(c.next_return_date, 12);
  c.next_return_due =
      Date::from_days(c.next_return_date.days() + static_cast<std::int64_t>(*window.value));
  c.returns_filed += 1;
  if (CallResult r = add_due(state, c); !r.ok()) return r;
  save(state, c);
  return CallResult::success();
}

CallResult change_officers(CallContext& call, StateView& state, const ChangeOfficersArgs& a) {
  Loaded l = load_for_filing(call, state, a.number, a.document_hash);
  if (!l.record) return l.error;
  CompanyRecord& c = *l.record;
  if (CallResult r = check_change_date(call, c, a.change_date); !r.ok()) return r;
  if (a.appoint.empty() && a.resign.empty()) {
    return fail(TxOutcome::kInvalidArgument, "empty_filing", "ND2A appoints or resigns someone");
  }
  for (const OfficerArgs& o : a.appoint) {
    if (CallResult r = check_officer(o); !r.ok()) return r;
  }
  std::set<std::uint32_t> seen;
  std::vector<OfficerRecord> resigning;
  for (std::uint32_t id : a.resign) {
    if (!seen.insert(id).second) {
      return fail(TxOutcome::kInvalidArgument, "duplicate_officer",
                  "officer " + std::to_string(id) + " named twice");
    }
    auto bytes = state.read_own(officer_key(c.number, id));
    if (!bytes) {
      return fail(TxOutcome::kNotFound, "officer_not_found",
                  "company " + c.number + " has no officer " + std::to_string(id));
    }
    auto officer = core::decode<OfficerRecord>(*bytes);
    if (!officer) {
      return fail(TxOutcome::kFailedPrecondition, "corrupt_record", "officer record corrupt");
    }
    if (officer->resigned) {
      return fail(
          TxOutcome::kFailedPrecondition, "officer_already_resigned",
          "officer " + std::to_string(id) + " resigned on " + officer->resigned->to_string());
    }
    if (a.change_date.days() < officer->appointed.days()) {
      return fail(
          TxOutcome::kInvalidArgument, "date_before_appointment",
          "officer " + std::to_string(id) + " was appointed on " + officer->appointed.to_string());
    }
    officer->resigned = a.change_date;
    resigning.push_back(std::move(*officer));
  }
  const Due due = change_due(state, a.change_date);
  if (!due.date) return due.error;
  if (CallResult r = add_filing(call, state, c, FilingKind::kOfficers, a.document_hash,
                                a.change_date, *due.date);
      !r.ok()) {
    return r;
  }
  for (const OfficerRecord& o : resigning) {
    const Bytes key = officer_key(c.number, o.id);
    const Bytes encoded = core::encode(o);
    state.write(key, encoded);
    call.emit("officer_resigned", key, encoded);
  }
  for (const OfficerArgs& o : a.appoint) {
    if (CallResult r = appoint(call, state, c, o, a.change_date); !r.ok()) return r;
  }
  save(state, c);
  return CallResult::success();
}

CallResult change_office(CallContext& call, StateView& state, const ChangeOfficeArgs& a) {
  Loaded l = load_for_filing(call, state, a.number, a.document_hash);
  if (!l.record) return l.error;
  CompanyRecord& c = *l.record;
  if (CallResult r = check_change_date(call, c, a.change_date); !r.ok()) return r;
  if (a.registered_office.empty() || !is_clean_text(a.registered_office)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_office",
                "the registered office is empty or not clean UTF-8 text");
  }
  if (a.registered_office == c.registered_office) {
    return fail(TxOutcome::kInvalidArgument, "no_change", "the registered office is unchanged");
  }
  const Due due = change_due(state, a.change_date);
  if (!due.date) return due.error;
  if (CallResult r = add_filing(call, state, c, FilingKind::kOffice, a.document_hash, a.change_date,
                                *due.date);
      !r.ok()) {
    return r;
  }
  c.registered_office = a.registered_office;
  save(state, c);
  return CallResult::success();
}

CallResult change_name(CallContext& call, StateView& state, const ChangeNameArgs& a) {
  Loaded l = load_for_filing(call, state, a.number, a.document_hash);
  if (!l.record) return l.error;
  CompanyRecord& c = *l.record;
  if (CallResult r = check_change_date(call, c, a.resolution_date); !r.ok()) return r;
  if (CallResult r = check_names(a.name_en, a.name_zh, c.type); !r.ok()) return r;
  if (a.name_en == c.name_en && a.name_zh == c.name_zh) {
    return fail(TxOutcome::kInvalidArgument, "no_change", "the names are unchanged");
  }
  CompanyRecord renamed = c;
  renamed.name_en = a.name_en;
  renamed.name_zh = a.name_zh;
  if (CallResult r = check_names_free(state, renamed); !r.ok()) return r;
  const Due due = change_due(state, a.resolution_date);
  if (!due.date) return due.error;
  if (CallResult r = add_filing(call, state, renamed, FilingKind::kName, a.document_hash,
                                a.resolution_date, *due.date);
      !r.ok()) {
    return r;
  }
  remove_names(state, c);
  add_names(state, renamed);
  save(state, renamed);
  call.emit("name_changed", company_key(c.number), core::encode(renamed));
  return CallResult::success();
}

}  // namespace bauhinia::contracts::company::detail
