#include <string>

#include "bauhinia/contracts/company/names.hpp"
#include "bauhinia/contracts/index_list.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::company::detail {

using chain::TxOutcome;

CallResult fail(TxOutcome outcome, std::string reason, std::string detail) {
  return CallResult::failure(outcome, std::move(reason), std::move(detail));
}

Param read_param(const StateView& state, std::string_view name) {
  Param p;
  p.value = system::read_parameter(state, name);
  if (!p.value) {
    p.error = fail(TxOutcome::kFailedPrecondition, "missing_parameter",
                   "the chain has no parameter " + std::string(name));
  }
  return p;
}

Loaded load(const StateView& state, std::string_view number) {
  Loaded out;
  auto canonical = canonical_cr_number(number);
  if (!canonical) {
    out.error = fail(TxOutcome::kInvalidArgument, "invalid_cr_number", canonical.error().detail);
    return out;
  }
  auto bytes = state.read_own(company_key(*canonical));
  if (!bytes) {
    out.error = fail(TxOutcome::kNotFound, "company_not_found", "no company " + *canonical);
    return out;
  }
  auto record = core::decode<CompanyRecord>(*bytes);
  if (!record) {
    out.error = fail(TxOutcome::kFailedPrecondition, "corrupt_record",
                     "company record " + *canonical + " does not decode");
    return out;
  }
  out.record = std::move(*record);
  return out;
}

bool is_registrar(const CallContext& call, const StateView& state) {
  return system::has_role(state, call.sender(), kRegistrarRole);
}

CallResult check_registrar(const CallContext& call, const StateView& state) {
  if (is_registrar(call, state)) return CallResult::success();
  return fail(TxOutcome::kUnauthorized, "not_registrar",
              "call '" + call.tx().call + "' is the Registrar's: the sender holds no " +
                  std::string(kRegistrarRole));
}

CallResult check_filer(const CallContext& call, const StateView& state, const CompanyRecord& c) {
  if (call.sender() == c.account || is_registrar(call, state)) return CallResult::success();
  return fail(TxOutcome::kUnauthorized, "not_authorised",
              "only company " + c.number + "'s own account or a registrar files for it");
}

CallResult check_document(const core::Hash256& hash, const char* what) {
  if (!hash.is_zero()) return CallResult::success();
  return fail(TxOutcome::kInvalidArgument, "missing_document",
              std::string(what) + ": the document hash is all zero");
}

CallResult check_officer(const OfficerArgs& o) {
  const auto bad = [](const char* reason, std::string d) {
    return fail(TxOutcome::kInvalidArgument, reason, std::move(d));
  };
  if (o.name_en.empty() && o.name_zh.empty()) {
    return bad("invalid_officer", "an officer has an English or a Chinese name");
  }
  for (char ch : o.name_en) {
    const auto u = static_cast<std::uint8_t>(ch);
    if (u >= 0x80) return bad("mixed_language_name", "an officer's English name is Latin only");
    if (u < 0x20) return bad("invalid_officer", "control character in officer name");
  }
  for (char ch : o.name_zh) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
      return bad("mixed_language_name", "an officer's Chinese name has no Latin letters");
    }
    if (static_cast<std::uint8_t>(ch) < 0x20) {
      return bad("invalid_officer", "control character in officer name");
    }
  }
  // The public register shows part of the number only: at least one digit
  // masked with '*', printable ASCII.
  bool masked = false;
  for (char ch : o.partial_id) {
    const auto u = static_cast<std::uint8_t>(ch);
    if (u < 0x21 || u > 0x7E) return bad("invalid_partial_id", "partial id is printable ASCII");
    masked = masked || ch == '*';
  }
  if (!masked) {
    return bad("invalid_partial_id",
               "the partial identity number masks part of the number with '*' (e.g. A123***(*))");
  }
  if (!is_clean_text(o.name_en) || !is_clean_text(o.name_zh) ||
      !is_clean_text(o.correspondence_address)) {
    return bad("invalid_officer", "officer names and address are UTF-8 without control characters");
  }
  if (o.correspondence_address.empty()) {
    return bad("invalid_officer", "an officer has a correspondence address");
  }
  if (o.id_number_commitment.is_zero()) {
    return bad("missing_commitment", "the identity number's commitment is all zero");
  }
  return CallResult::success();
}

void save(StateView& state, const CompanyRecord& c) {
  state.write(company_key(c.number), core::encode(c));
}

CallResult set_status(StateView& state, CompanyRecord& c, CompanyStatus to, std::uint64_t now_ms,
                      const core::Hash256& document) {
  const Bytes key = company_key(c.number);
  if (CallResult r = IndexList(status_list_name(c.status)).remove(state, key); !r.ok()) return r;
  if (CallResult r = IndexList(status_list_name(to)).add(state, key); !r.ok()) return r;
  c.status = to;
  c.status_since_ms = now_ms;
  c.status_document = document;
  return CallResult::success();
}

CallResult add_due(StateView& state, const CompanyRecord& c) {
  return IndexList(due_list_name(c.next_return_due.year, c.next_return_due.month))
      .add(state, company_key(c.number));
}

CallResult remove_due(StateView& state, const CompanyRecord& c) {
  return IndexList(due_list_name(c.next_return_due.year, c.next_return_due.month))
      .remove(state, company_key(c.number));
}

namespace {

CallResult check_one_name_free(const StateView& state, const std::string& normalised,
                               const std::string& number, const std::string& name) {
  auto bytes = state.read_own(name_key(normalised));
  if (!bytes) return CallResult::success();
  auto owner = core::decode<NameIndexRecord>(*bytes);
  if (owner && owner->number == number) return CallResult::success();
  return fail(TxOutcome::kAlreadyExists, "name_taken",
              "'" + name + "' is the same as the name of live company " +
                  (owner ? owner->number + " (" + owner->name + ")" : std::string("?")));
}

}  // namespace

CallResult check_names_free(const StateView& state, const CompanyRecord& c) {
  if (!c.name_en.empty()) {
    if (CallResult r =
            check_one_name_free(state, normalise_english(c.name_en), c.number, c.name_en);
        !r.ok()) {
      return r;
    }
  }
  if (!c.name_zh.empty()) {
    return check_one_name_free(state, normalise_chinese(c.name_zh), c.number, c.name_zh);
  }
  return CallResult::success();
}

void add_names(StateView& state, const CompanyRecord& c) {
  if (!c.name_en.empty()) {
    state.write(name_key(normalise_english(c.name_en)),
                core::encode(NameIndexRecord{NameIndexRecord::kVersion, c.number, c.name_en}));
  }
  if (!c.name_zh.empty()) {
    state.write(name_key(normalise_chinese(c.name_zh)),
                core::encode(NameIndexRecord{NameIndexRecord::kVersion, c.number, c.name_zh}));
  }
}

void remove_names(StateView& state, const CompanyRecord& c) {
  if (!c.name_en.empty()) state.erase(name_key(normalise_english(c.name_en)));
  if (!c.name_zh.empty()) state.erase(name_key(normalise_chinese(c.name_zh)));
}

Date today(const CallContext& call) {
  return Date::from_days(hk_day_of(call.block().timestamp_ms));
}

CallResult add_filing(CallContext& call, StateView& state, CompanyRecord& c, FilingKind kind,
                      const core::Hash256& document, const Date& event, const Date& due) {
  FilingRecord f;
  f.number = c.number;
  f.seq = c.filings;
  f.kind = kind;
  f.document_hash = document;
  f.event_date = event;
  f.due_date = due;
  f.filed_ms = call.block().timestamp_ms;
  f.filed_date = today(call);
  f.late = f.filed_date.days() > due.days();
  f.filed_by = call.sender();
  const Bytes key = filing_key(c.number, f.seq);
  if (CallResult r = IndexList(filings_list_name(c.number)).add(state, key); !r.ok()) return r;
  c.filings += 1;
  call.mention_account(c.account);  // the company's account indexes its filings
  const Bytes encoded = core::encode(f);
  state.write(key, encoded);
  call.emit("filed", key, encoded);
  return CallResult::success();
}

CallResult appoint(CallContext& call, StateView& state, CompanyRecord& c, const OfficerArgs& o,
                   const Date& date) {
  OfficerRecord r;
  r.number = c.number;
  r.id = c.officers;
  r.role = o.role;
  r.name_en = o.name_en;
  r.name_zh = o.name_zh;
  r.partial_id = o.partial_id;
  r.correspondence_address = o.correspondence_address;
  r.id_number_commitment = o.id_number_commitment;
  r.residential_address_commitment = o.residential_address_commitment;
  r.appointed = date;
  const Bytes key = officer_key(c.number, r.id);
  if (CallResult res = IndexList(officers_list_name(c.number)).add(state, key); !res.ok()) {
    return res;
  }
  c.officers += 1;
  const Bytes encoded = core::encode(r);
  state.write(key, encoded);
  call.emit("officer_appointed", key, encoded);
  return CallResult::success();
}

}  // namespace bauhinia::contracts::company::detail
