// The company module's calls (contracts/company/calls.hpp, docs/contracts/company.md):
// all 16. CR numbers are checked with the register's canonical_cr_number and
// names with its check_names (company/names.hpp); dates are Hong Kong civil
// dates (company::Date). Officers are given as JSON (see officer_rule):
// the full identity number and residential address never leave the
// Registry; only their salted commitments (commit_field) are signed.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

#include "bauhinia/contracts/company/calls.hpp"
#include "bauhinia/contracts/company/names.hpp"
#include "bauhinia/wallet/calls/arg_parsers.hpp"
#include "examples.hpp"
#include "modules.hpp"

namespace bauhinia::wallet::calls {

namespace {

namespace co = contracts::company;
using core::Reject;

constexpr std::array<std::string_view, 2> kRoleNames{"director", "secretary"};

core::Checked<std::string> parse_cr_number(const Args& args, std::string_view name) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  auto canonical = co::canonical_cr_number(*v);
  if (!canonical) {
    return arg_error(name, Reject::kInvalid,
                     "a CR number: 7 digits, 0 and 7 digits, or F and 7 digits (" +
                         canonical.error().detail + ")");
  }
  return *canonical;
}

core::Checked<co::Date> parse_company_date(const Args& args, std::string_view name) {
  auto d = parse_date(args, name);
  if (!d) return std::move(d).error();
  const co::Date out{static_cast<std::uint16_t>(d->year), static_cast<std::uint8_t>(d->month),
                     static_cast<std::uint8_t>(d->day)};
  if (!out.valid()) {
    return arg_error(name, Reject::kOutOfRange, "a date from 1865-01-01 to 9999-12-31",
                     d->to_string());
  }
  return out;
}

core::Checked<std::optional<co::Date>> parse_optional_company_date(const Args& args,
                                                                   std::string_view name) {
  if (!arg_value(args, name)) return std::optional<co::Date>{};
  auto d = parse_company_date(args, name);
  if (!d) return std::move(d).error();
  return std::optional<co::Date>{*d};
}

constexpr std::string_view kOfficerRule =
    "a JSON array of officers, each {\"role\": \"director\" or \"secretary\", \"name_en\", "
    "\"name_zh\", \"partial_id\" (e.g. A123***(*)), \"correspondence_address\", and either "
    "\"id_number_commitment\" and \"residential_address_commitment\" (64 hex each) or \"salt\" "
    "(64 hex) with \"id_number\" and \"residential_address\" to commit to}";

// One officer object; nullopt when it does not follow kOfficerRule.
std::optional<co::OfficerArgs> officer_of(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  const auto text = [&](const char* key, std::size_t max) -> std::optional<std::string> {
    if (!j.contains(key)) return std::string();
    if (!j[key].is_string()) return std::nullopt;
    std::string s = j[key].get<std::string>();
    if (s.size() > max || !co::is_clean_text(s)) return std::nullopt;
    return s;
  };
  co::OfficerArgs o;
  const auto role = text("role", 16);
  if (!role) return std::nullopt;
  if (*role == kRoleNames[0]) {
    o.role = co::OfficerRole::kDirector;
  } else if (*role == kRoleNames[1]) {
    o.role = co::OfficerRole::kSecretary;
  } else {
    return std::nullopt;
  }
  const auto name_en = text("name_en", co::kMaxPersonNameSize);
  const auto name_zh = text("name_zh", co::kMaxPersonNameSize);
  const auto partial = text("partial_id", co::kMaxPartialIdSize);
  const auto address = text("correspondence_address", co::kMaxAddressSize);
  if (!name_en || !name_zh || !partial || !address) return std::nullopt;
  o.name_en = *name_en;
  o.name_zh = *name_zh;
  o.partial_id = *partial;
  o.correspondence_address = *address;
  const auto hash = [&](const char* key) -> std::optional<core::Hash256> {
    if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
    auto h = core::Hash256::from_hex(j[key].get<std::string>());
    if (!h) return std::nullopt;
    return *h;
  };
  if (j.contains("salt")) {
    const auto salt = hash("salt");
    const auto id_number = text("id_number", 64);
    const auto residential = text("residential_address", co::kMaxAddressSize);
    if (!salt || !id_number || !residential || id_number->empty() || residential->empty()) {
      return std::nullopt;
    }
    o.id_number_commitment = co::commit_field(salt->bytes(), *id_number);
    o.residential_address_commitment = co::commit_field(salt->bytes(), *residential);
  } else {
    const auto id_c = hash("id_number_commitment");
    const auto res_c = hash("residential_address_commitment");
    if (!id_c || !res_c) return std::nullopt;
    o.id_number_commitment = *id_c;
    o.residential_address_commitment = *res_c;
  }
  return o;
}

core::Checked<std::vector<co::OfficerArgs>> parse_officers(const Args& args,
                                                           std::string_view name) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  // 16 officers of bounded fields fit well within this; the limit comes
  // before the parser sees the text (deeply nested or huge input).
  constexpr std::size_t kMaxOfficersJsonBytes = 64 * 1024;
  if (v->size() > kMaxOfficersJsonBytes) {
    return arg_error(name, Reject::kTooLarge, "at most 64 KiB of JSON");
  }
  const auto j = nlohmann::json::parse(*v, nullptr, false);
  if (j.is_discarded() || !j.is_array() || j.empty() || j.size() > co::kMaxOfficersPerFiling) {
    return arg_error(name, Reject::kBadEncoding, std::string(kOfficerRule) + ", 1 to 16 of them",
                     *v);
  }
  std::vector<co::OfficerArgs> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    auto o = officer_of(j[i]);
    if (!o) {
      return arg_error(name, Reject::kInvalid,
                       "officer " + std::to_string(i + 1) + " is not " + std::string(kOfficerRule),
                       *v);
    }
    out.push_back(std::move(*o));
  }
  return out;
}

std::string describe_officers(const std::vector<co::OfficerArgs>& officers) {
  std::string s;
  for (const co::OfficerArgs& o : officers) {
    if (!s.empty()) s += "; ";
    s += std::string(kRoleNames[static_cast<std::size_t>(o.role)]) + " " +
         (o.name_en.empty() ? o.name_zh : o.name_en) + " (" + o.partial_id + ")";
  }
  return s;
}

// --name-en / --name-zh by the register's own rules for `type`.
std::optional<core::Rejection> names_rule(const co::CompanyType type, std::string_view en,
                                          std::string_view zh) {
  if (en.empty() && zh.empty()) return module_rule("name-en", co::check_names(en, zh, type));
  if (!en.empty()) {
    if (auto r = module_rule("name-en", co::check_english_name(en, type))) return r;
  }
  if (!zh.empty()) return module_rule("name-zh", co::check_chinese_name(zh, type));
  return std::nullopt;
}

// ---- incorporate and register_existing -------------------------------------------------

core::Checked<co::IncorporateArgs> parse_incorporation(const Args& args) {
  Take take;
  co::IncorporateArgs p;
  p.number = take(parse_cr_number(args, "number"));
  p.name_en = take(parse_optional_text(args, "name-en", co::kMaxNameSize));
  p.name_zh = take(parse_optional_text(args, "name-zh", co::kMaxNameSize));
  p.type = take(parse_enum(args, "type", co::kMaxCompanyType, co::type_name));
  p.registered_office = take(parse_text(args, "office", co::kMaxOfficeSize));
  p.account = take(parse_account(args, "account"));
  p.document_hash = take(parse_hash(args, "document"));
  if (auto ref = take(parse_optional_date(args, "accounting-reference"))) {
    // Only the month and day count; any year (e.g. 2000-03-31 for 31 March).
    p.accounting_reference_month = static_cast<std::uint8_t>(ref->month);
    p.accounting_reference_day = static_cast<std::uint8_t>(ref->day);
  }
  p.officers = take(parse_officers(args, "officers"));
  if (take.failed()) return take.error();
  take.check(names_rule(p.type, p.name_en, p.name_zh));
  if (take.failed()) return take.error();
  return p;
}

std::vector<std::string> describe_incorporation(const Args& args, const co::IncorporateArgs& p) {
  std::vector<std::string> d{
      "company " + p.number + ": " + p.name_en + (p.name_zh.empty() ? "" : " " + p.name_zh),
      "type: " + in_words(co::type_name(p.type)),
      "registered office: " + p.registered_office,
      "the company's account: " + std::string(*arg_value(args, "account")),
      "officers: " + describe_officers(p.officers),
      "document sha256 " + p.document_hash.to_hex()};
  if (p.accounting_reference_month != 0) {
    d.push_back("accounting reference date: day " + std::to_string(p.accounting_reference_day) +
                " of month " + std::to_string(p.accounting_reference_month));
  }
  return d;
}

core::Checked<BuiltCall> build_incorporate(const Args& args) {
  auto p = parse_incorporation(args);
  if (!p) return std::move(p).error();
  auto d = describe_incorporation(args, *p);
  d.insert(d.begin(), "incorporate company " + p->number);
  return BuiltCall{core::encode(*p), {}, std::move(d)};
}

core::Checked<BuiltCall> build_register_existing(const Args& args) {
  Take take;
  co::RegisterExistingArgs p;
  p.company = take(parse_incorporation(args));
  p.incorporation_date = take(parse_company_date(args, "incorporation-date"));
  p.status = take(parse_enum(args, "status", co::kMaxCompanyStatus, co::status_name));
  p.status_date = take(parse_company_date(args, "status-date"));
  p.last_return_date = take(parse_optional_company_date(args, "last-return-date"));
  if (take.failed()) return take.error();
  auto d = describe_incorporation(args, p.company);
  d.insert(d.begin(), "migrate company " + p.company.number + " from the legacy register");
  d.push_back("incorporated " + p.incorporation_date.to_string() + "; " +
              in_words(co::status_name(p.status)) + " since " + p.status_date.to_string());
  d.push_back(p.last_return_date
                  ? "last annual return made up to " + p.last_return_date->to_string()
                  : "no annual return delivered");
  return BuiltCall{core::encode(p), {}, std::move(d)};
}

// ---- Filings ---------------------------------------------------------------------------

core::Checked<BuiltCall> build_annual_return(const Args& args) {
  Take take;
  co::AnnualReturnArgs p;
  p.number = take(parse_cr_number(args, "number"));
  p.return_date = take(parse_company_date(args, "return-date"));
  p.document_hash = take(parse_hash(args, "document"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"file the annual return (NAR1) of company " + p.number + " made up to " +
                        p.return_date.to_string(),
                    "document sha256 " + p.document_hash.to_hex()}};
}

core::Checked<BuiltCall> build_change_officers(const Args& args) {
  Take take;
  co::ChangeOfficersArgs p;
  p.number = take(parse_cr_number(args, "number"));
  p.change_date = take(parse_company_date(args, "change-date"));
  p.document_hash = take(parse_hash(args, "document"));
  if (arg_value(args, "appoint")) p.appoint = take(parse_officers(args, "appoint"));
  if (arg_value(args, "resign")) {
    for (std::uint64_t id :
         take(parse_u64_list(args, "resign", 1, UINT32_MAX, co::kMaxOfficersPerFiling))) {
      p.resign.push_back(static_cast<std::uint32_t>(id));
    }
  }
  if (take.failed()) return take.error();
  if (p.appoint.empty() && p.resign.empty()) {
    return arg_error("appoint", Reject::kInvalid,
                     "required: officers to appoint (--appoint) or to resign (--resign)");
  }
  std::vector<std::string> d{"file a change of officers (ND2A) of company " + p.number + " on " +
                             p.change_date.to_string()};
  if (!p.appoint.empty()) d.push_back("appoint: " + describe_officers(p.appoint));
  if (!p.resign.empty()) {
    std::string ids;
    for (std::uint32_t id : p.resign) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    d.push_back("resign officers " + ids);
  }
  d.push_back("document sha256 " + p.document_hash.to_hex());
  return BuiltCall{core::encode(p), {}, std::move(d)};
}

core::Checked<BuiltCall> build_change_office(const Args& args) {
  Take take;
  co::ChangeOfficeArgs p;
  p.number = take(parse_cr_number(args, "number"));
  p.change_date = take(parse_company_date(args, "change-date"));
  p.document_hash = take(parse_hash(args, "document"));
  p.registered_office = take(parse_text(args, "office", co::kMaxOfficeSize));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"file a change of registered office (NR1) of company " + p.number + " on " +
                        p.change_date.to_string(),
                    "new registered office: " + p.registered_office,
                    "document sha256 " + p.document_hash.to_hex()}};
}

core::Checked<BuiltCall> build_change_name(const Args& args) {
  Take take;
  co::ChangeNameArgs p;
  p.number = take(parse_cr_number(args, "number"));
  p.resolution_date = take(parse_company_date(args, "resolution-date"));
  p.document_hash = take(parse_hash(args, "document"));
  p.name_en = take(parse_optional_text(args, "name-en", co::kMaxNameSize));
  p.name_zh = take(parse_optional_text(args, "name-zh", co::kMaxNameSize));
  if (take.failed()) return take.error();
  // The company's type is on the ledger: a name must be valid for a limited or
  // an unlimited company here; the suffix its own type needs is the node's check.
  if (co::check_names(p.name_en, p.name_zh, co::CompanyType::kPrivateUnlimited).ok()) {
    // valid for an unlimited company
  } else {
    take.check(names_rule(co::CompanyType::kPrivateLimitedByShares, p.name_en, p.name_zh));
  }
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"file a change of name (NNC2) of company " + p.number,
                    "new name: " + p.name_en + (p.name_zh.empty() ? "" : " " + p.name_zh),
                    "special resolution of " + p.resolution_date.to_string(),
                    "document sha256 " + p.document_hash.to_hex()}};
}

core::Checked<BuiltCall> build_apply_deregistration(const Args& args) {
  Take take;
  co::DeregistrationArgs p;
  p.number = take(parse_cr_number(args, "number"));
  p.document_hash = take(parse_hash(args, "document"));
  p.ird_notice_hash = take(parse_hash(args, "ird-notice"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"apply for the deregistration (NDR1) of company " + p.number,
                    "document sha256 " + p.document_hash.to_hex(),
                    "IRD notice of no objection sha256 " + p.ird_notice_hash.to_hex()}};
}

core::Checked<BuiltCall> build_registrar_act(const Args& args, std::string_view verb) {
  Take take;
  co::RegistrarActArgs p;
  p.number = take(parse_cr_number(args, "number"));
  p.document_hash = take(parse_hash(args, "document"));
  if (take.failed()) return take.error();
  return BuiltCall{
      core::encode(p),
      {},
      {std::string(verb) + " company " + p.number, "document sha256 " + p.document_hash.to_hex()}};
}

core::Checked<BuiltCall> build_restore(const Args& args) {
  Take take;
  co::RestoreArgs p;
  p.number = take(parse_cr_number(args, "number"));
  p.document_hash = take(parse_hash(args, "document"));
  p.court_order = take(parse_flag(args, "court-order"));
  if (take.failed()) return take.error();
  return BuiltCall{
      core::encode(p),
      {},
      {"restore company " + p.number + (p.court_order ? " by court order" : " administratively"),
       "document sha256 " + p.document_hash.to_hex()}};
}

// ---- Specs -------------------------------------------------------------------------------

const ArgSpec kNumber{"number", "the CR number: 7 digits (or 0 and 7 digits), F and 7 digits"};

std::vector<ArgSpec> join(std::vector<std::vector<ArgSpec>> parts) {
  std::vector<ArgSpec> out;
  for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<ArgSpec> document(std::string_view what) {
  return hash_arg_specs("document", what);
}

std::vector<ArgSpec> incorporation_specs() {
  return join(
      {{kNumber,
        {"name-en", "the English name (ends in Limited for a limited company)", false},
        {"name-zh", "the Chinese name (ends in 有限公司 for a limited company)", false},
        {"type",
         "private_limited_by_shares, public_limited_by_shares, limited_by_guarantee, "
         "private_unlimited, public_unlimited or registered_non_hong_kong"},
        {"office", "the registered office address"},
        {"account", "the company's own account (hk1... address)"}},
       document("the incorporation form (NNC1 / NNC1G / NN1)"),
       {{"accounting-reference",
         "public and guarantee companies: the end of the accounting reference period as any "
         "YYYY-MM-DD with that month and day",
         false},
        {"officers", std::string(kOfficerRule)}}});
}

const std::string kHash = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";
const std::string kOfficers =
    "'[{\"role\":\"director\",\"name_en\":\"CHAN Tai Man\",\"name_zh\":\"陳大文\","
    "\"partial_id\":\"A123***(*)\",\"correspondence_address\":\"1 Queen Street Central, Hong "
    "Kong\",\"id_number_commitment\":\"" +
    kHash + "\",\"residential_address_commitment\":\"" + kHash + "\"}]'";

std::string incorporation_example(std::string_view number) {
  return " --number " + std::string(number) +
         " --name-en \"Harbour Lantern Foods Limited\" --name-zh 港燈籠食品有限公司 --type "
         "private_limited_by_shares --office \"8 Harbour Road, Wan Chai, Hong Kong\" --account " +
         std::string(examples::kCompany) + " --document-hash " + kHash + " --officers " + kOfficers;
}

CallSpec registrar_act(std::string call, std::string summary, std::string verb,
                       std::string_view document_what) {
  std::string command = call;
  std::replace(command.begin(), command.end(), '_', '-');
  return CallSpec{
      "company",
      std::move(call),
      std::move(summary),
      "bauhinia-wallet company " + command + " --number 1234567 --document-hash " + kHash,
      join({{kNumber}, document(document_what)}),
      [verb](const Args& a) { return build_registrar_act(a, verb); }};
}

}  // namespace

std::vector<CallSpec> company_calls() {
  return {
      CallSpec{"company", "incorporate",
               "a registrar incorporates a company with its first directors and secretary",
               "bauhinia-wallet company incorporate" + incorporation_example("1234567"),
               incorporation_specs(), build_incorporate},
      CallSpec{"company", "register_existing",
               "a registrar migrates a company from the legacy register with its historic "
               "dates and status",
               "bauhinia-wallet company register-existing" + incorporation_example("0012345") +
                   " --incorporation-date 1987-06-15 --status live --status-date 1987-06-15 "
                   "--last-return-date 2025-06-15",
               join({incorporation_specs(),
                     {{"incorporation-date", "the historic incorporation date YYYY-MM-DD"},
                      {"status", "live, struck_off, dissolved or deregistered"},
                      {"status-date", "since when the status holds YYYY-MM-DD"},
                      {"last-return-date", "the return date of the last annual return delivered",
                       false}}}),
               build_register_existing},
      CallSpec{"company", "annual_return",
               "the company's account or a registrar files the annual return (NAR1)",
               "bauhinia-wallet company annual-return --number 1234567 --return-date 2027-01-05 "
               "--document-hash " +
                   kHash,
               join({{kNumber, {"return-date", "the date the return is made up to YYYY-MM-DD"}},
                     document("the annual return (NAR1)")}),
               build_annual_return},
      CallSpec{"company", "change_officers",
               "the company's account or a registrar files appointments and resignations (ND2A)",
               "bauhinia-wallet company change-officers --number 1234567 --change-date "
               "2026-09-01 --resign 2 --document-hash " +
                   kHash,
               join({{kNumber, {"change-date", "the date of the change YYYY-MM-DD"}},
                     document("the notification (ND2A)"),
                     {{"appoint", "officers appointed: " + std::string(kOfficerRule), false},
                      {"resign", "ids of officers resigning, e.g. 2,3", false}}}),
               build_change_officers},
      CallSpec{"company", "change_office",
               "the company's account or a registrar files a new registered office (NR1)",
               "bauhinia-wallet company change-office --number 1234567 --change-date 2026-09-01 "
               "--office \"20 Pedder Street, Central, Hong Kong\" --document-hash " +
                   kHash,
               join({{kNumber, {"change-date", "the date of the change YYYY-MM-DD"}},
                     document("the notification (NR1)"),
                     {{"office", "the new registered office address"}}}),
               build_change_office},
      CallSpec{"company", "change_name",
               "the company's account or a registrar files a change of name (NNC2)",
               "bauhinia-wallet company change-name --number 1234567 --resolution-date "
               "2026-09-01 --name-en \"Victoria Lantern Foods Limited\" --document-hash " +
                   kHash,
               join({{kNumber, {"resolution-date", "the special resolution's date YYYY-MM-DD"}},
                     document("the notice (NNC2)"),
                     {{"name-en", "the new English name", false},
                      {"name-zh", "the new Chinese name", false}}}),
               build_change_name},
      CallSpec{"company", "apply_deregistration",
               "the company's account or a registrar applies for deregistration (NDR1)",
               "bauhinia-wallet company apply-deregistration --number 1234567 --document-hash " +
                   kHash + " --ird-notice-hash " + kHash,
               join({{kNumber},
                     document("the application (NDR1)"),
                     hash_arg_specs("ird-notice", "the IRD's notice of no objection")}),
               build_apply_deregistration},
      registrar_act("gazette_deregistration",
                    "a registrar records the Gazette notice of a proposed deregistration",
                    "gazette the proposed deregistration of", "the Gazette notice"),
      registrar_act("deregister", "a registrar deregisters a company (it is dissolved)",
                    "deregister", "the notice of deregistration"),
      registrar_act("strike_off_inquiry",
                    "a registrar records the letter asking whether the company is in operation",
                    "send the strike-off inquiry letter to", "the letter"),
      registrar_act("gazette_strike_off",
                    "a registrar records the Gazette notice of a proposed strike-off",
                    "gazette the proposed strike-off of", "the Gazette notice"),
      registrar_act("strike_off", "a registrar strikes a company off (it is dissolved)",
                    "strike off", "the Gazette notice of the strike-off"),
      registrar_act("cancel_ending",
                    "a registrar withdraws a deregistration or strike-off in progress",
                    "cancel the deregistration or strike-off of", "the decision"),
      registrar_act("dissolve", "a registrar records a dissolution otherwise (e.g. winding up)",
                    "dissolve", "the dissolution order"),
      CallSpec{
          "company", "restore",
          "a registrar restores a dissolved company, administratively or by court order",
          "bauhinia-wallet company restore --number 1234567 --court-order --document-hash " + kHash,
          join({{kNumber},
                document("the application or the court order"),
                {{"court-order", "restoration by court order (s.767)", false, true}}}),
          build_restore},
  };
}

}  // namespace bauhinia::wallet::calls
