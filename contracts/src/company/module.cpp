#include "bauhinia/contracts/company/module.hpp"

#include <array>

#include "bauhinia/contracts/check_by_applying.hpp"
#include "bauhinia/contracts/company/names.hpp"
#include "bauhinia/contracts/index_list.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::company {

using chain::TxOutcome;

namespace {

constexpr std::array<ParameterSpec, 8> kParameters = {{
    {kAnnualReturnWindowDays, 42, 1, 366, "days",
     "annual return (NAR1) due within this many days after the return date (Cap. 622 s.662; "
     "non-Hong Kong companies s.788)"},
    {kChangeNoticeDays, 15, 1, 366, "days",
     "notice of a change of directors or secretary (ND2A, s.645), of registered office (NR1, "
     "s.658) and of a name-change resolution (NNC2, s.107/s.622) within this many days"},
    {kPublicReturnMonths, 6, 1, 24, "months",
     "a public company's return date: this many months after its accounting reference period "
     "ends (s.662)"},
    {kGuaranteeReturnMonths, 9, 1, 24, "months",
     "a guarantee company's return date: this many months after its accounting reference "
     "period ends (s.662)"},
    {kDeregistrationNoticeDays, 92, 1, 3660, "days",
     "deregistration no earlier than 3 months after the Gazette notice (s.751), as days"},
    {kStrikeOffInquiryDays, 31, 1, 3660, "days",
     "strike-off: the Gazette notice after 1 month without an answer to the Registrar's "
     "letter (s.744), as days"},
    {kStrikeOffNoticeDays, 92, 1, 3660, "days",
     "strike-off: the company struck off 3 months after the Gazette notice (s.746), as days"},
    {kRestorationYears, 20, 1, 100, "years",
     "restoration within 20 years after dissolution (administrative s.765, court s.767)"},
}};

template <class Args>
std::optional<Args> decode_args(const chain::Transaction& tx, CallResult& error) {
  auto args = core::decode<Args>(tx.payload);
  if (!args) {
    error = detail::fail(
        args.error().reason == core::Reject::kTooLarge ? TxOutcome::kLimitExceeded
                                                       : TxOutcome::kInvalidArgument,
        args.error().reason == core::Reject::kTooLarge ? "field_too_large" : "malformed_payload",
        tx.call + ": " + args.error().to_string());
    return std::nullopt;
  }
  return std::move(*args);
}

template <class Args, class F>
CallResult run(CallContext& call, StateView& state, F f) {
  CallResult error;
  auto args = decode_args<Args>(call.tx(), error);
  if (!args) return error;
  return f(call, state, *args);
}

CallResult dispatch(CallContext& call, StateView& state) {
  const std::string& name = call.tx().call;
  if (name == "incorporate") return run<IncorporateArgs>(call, state, detail::incorporate);
  if (name == "register_existing") {
    return run<RegisterExistingArgs>(call, state, detail::register_existing);
  }
  if (name == "annual_return") return run<AnnualReturnArgs>(call, state, detail::annual_return);
  if (name == "change_officers") {
    return run<ChangeOfficersArgs>(call, state, detail::change_officers);
  }
  if (name == "change_office") return run<ChangeOfficeArgs>(call, state, detail::change_office);
  if (name == "change_name") return run<ChangeNameArgs>(call, state, detail::change_name);
  if (name == "apply_deregistration") {
    return run<DeregistrationArgs>(call, state, detail::apply_deregistration);
  }
  if (name == "restore") return run<RestoreArgs>(call, state, detail::restore);
  for (std::string_view act : {"gazette_deregistration", "deregister", "strike_off_inquiry",
                               "gazette_strike_off", "strike_off", "cancel_ending", "dissolve"}) {
    if (name == act) {
      return run<RegistrarActArgs>(call, state,
                                   [act](CallContext& c, StateView& s, const RegistrarActArgs& a) {
                                     return detail::registrar_act(c, s, act, a);
                                   });
    }
  }
  return detail::fail(TxOutcome::kInvalidArgument, "unknown_call",
                      "module company has no call '" + name + "'");
}

core::Checked<QueryAnswer> single(const StateView& state, Bytes key) {
  QueryAnswer a;
  a.module = std::string(kModuleName);
  a.value = state.read(kModuleName, key);
  a.record_key = std::move(key);
  return a;
}

core::Rejection bad_path(std::string detail) {
  return core::reject(core::Reject::kInvalid,
                      "company: " + detail +
                          " (queries: company/<number>, by_name/<name>, by_name_hex/<hex>, "
                          "filings/<number>[/page], "
                          "officers/<number>[/page], due/<yyyy-mm>[/page], "
                          "overdue/<yyyy-mm>[/page], by_status/<status>[/page])");
}

// "yyyy-mm" → the due list's name.
std::optional<Bytes> month_list(std::string_view ym) {
  if (ym.size() != 7 || ym[4] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6}) {
    if (ym[i] < '0' || ym[i] > '9') return std::nullopt;
  }
  const int year = (ym[0] - '0') * 1000 + (ym[1] - '0') * 100 + (ym[2] - '0') * 10 + (ym[3] - '0');
  const int month = (ym[5] - '0') * 10 + (ym[6] - '0');
  if (year < kEarliestYear || month < 1 || month > 12) return std::nullopt;
  return due_list_name(year, month);
}

}  // namespace

std::span<const ParameterSpec> CompanyModule::parameters() const {
  return kParameters;
}

core::Verdict CompanyModule::check(const CallContext& call, const StateView& state) const {
  return check_by_applying(*this, call, state);
}

CallResult CompanyModule::apply(CallContext& call, StateView& state) const {
  return dispatch(call, state);
}

core::Checked<QueryAnswer> CompanyModule::query(std::string_view path,
                                                const StateView& state) const {
  const auto slash = path.find('/');
  if (slash == std::string_view::npos) return bad_path("no '/' in '" + std::string(path) + "'");
  const std::string_view kind = path.substr(0, slash);
  std::string_view rest = path.substr(slash + 1);
  if (kind == "by_name" || kind == "by_name_hex") {
    // by_name_hex: the name's UTF-8 bytes in hex, for clients that prefer plain
    // ASCII paths (the HTTP API also percent-decodes by_name/<escaped name>).
    std::string decoded;
    if (kind == "by_name_hex") {
      if (rest.size() > 2 * kMaxNameSize) return bad_path("a name of 1-256 bytes");
      auto bytes = core::from_hex(rest);
      if (!bytes) return std::move(bytes).error();
      decoded.assign(bytes->begin(), bytes->end());
      rest = decoded;
    }
    if (rest.empty() || rest.size() > kMaxNameSize) return bad_path("a name of 1-256 bytes");
    bool ascii = true;
    for (char c : rest) ascii = ascii && static_cast<std::uint8_t>(c) < 0x80;
    const std::string normalised = ascii ? normalise_english(rest) : normalise_chinese(rest);
    if (normalised.empty()) return bad_path("the name normalises to nothing");
    return single(state, name_key(normalised));
  }
  // The other kinds: <argument>[/page].
  std::string_view page_text;
  if (const auto s2 = rest.find('/'); s2 != std::string_view::npos) {
    page_text = rest.substr(s2 + 1);
    rest = rest.substr(0, s2);
  }
  auto page = parse_page(page_text);
  if (!page) return std::move(page).error();
  if (kind == "due" || kind == "overdue") {
    auto list = month_list(rest);
    if (!list) return bad_path("a month is yyyy-mm");
    return IndexList(std::move(*list)).answer_page(state, *page);
  }
  if (kind == "by_status") {
    auto status = status_from_name(rest);
    if (!status) return bad_path("unknown status '" + std::string(rest.substr(0, 32)) + "'");
    return IndexList(status_list_name(*status)).answer_page(state, *page);
  }
  auto number = canonical_cr_number(rest);
  if (!number) return std::move(number).error();
  if (kind == "company") {
    if (!page_text.empty()) return bad_path("company/<number> has no page");
    return single(state, company_key(*number));
  }
  if (kind == "filings") return IndexList(filings_list_name(*number)).answer_page(state, *page);
  if (kind == "officers") return IndexList(officers_list_name(*number)).answer_page(state, *page);
  return bad_path("unknown query '" + std::string(kind.substr(0, 32)) + "'");
}

}  // namespace bauhinia::contracts::company
