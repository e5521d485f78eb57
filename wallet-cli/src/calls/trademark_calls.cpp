// The trademark module's calls (contracts/trademark/calls.hpp,
// docs/contracts/trademark.md): all 18. Numbers are checked with the
// module's own check_number (number.hpp) and CR numbers with the company
// register's canonical_cr_number; dates are Hong Kong dates (calendar.hpp).
// assign, record_licence and record_security_interest are co-signed: their
// payload here is encode(terms) and the owner's account co-signs it.
// Class and goods rules (increasing, in the mark, ...) are the module's and
// are judged by the node's dry-run.

#include <algorithm>
#include <array>

#include "bauhinia/contracts/company/records.hpp"
#include "bauhinia/contracts/trademark/calls.hpp"
#include "bauhinia/wallet/calls/arg_parsers.hpp"
#include "examples.hpp"
#include "modules.hpp"

namespace bauhinia::wallet::calls {

namespace {

namespace tm = contracts::trademark;
using core::Reject;

// ---- Trademark arguments ----------------------------------------------------------

core::Checked<std::string> parse_mark_number(const Args& args, std::string_view name) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  if (auto e = tm::check_number(*v)) {
    return arg_error(name, Reject::kInvalid,
                     "a trade mark number is 9 digits beginning with 30, or those and a "
                     "two-letter divisional suffix (301847179AA) (" +
                         std::string(tm::number_error_reason(*e)) + ")",
                     *v);
  }
  return std::string(*v);
}

// A party: --<p> ACCOUNT, --<p>-name-en, --<p>-name-zh (at least one), --<p>-cr.
core::Checked<tm::Party> parse_party(const Args& args, const std::string& p) {
  Take take;
  tm::Party party;
  party.account = take(parse_account(args, p));
  party.name_en = take(parse_optional_text(args, p + "-name-en", tm::kMaxNameSize));
  party.name_zh = take(parse_optional_text(args, p + "-name-zh", tm::kMaxNameSize));
  if (auto cr = arg_value(args, p + "-cr")) {
    auto canonical = contracts::company::canonical_cr_number(*cr);
    if (!canonical) {
      take.check(arg_error(p + "-cr", Reject::kInvalid,
                           "a CR number: 7 digits, 0 and 7 digits, or F and 7 digits", *cr));
    } else {
      party.cr_number = *canonical;
    }
  }
  if (take.failed()) return take.error();
  if (party.name_en.empty() && party.name_zh.empty()) {
    return arg_error(
        p + "-name-en", Reject::kInvalid,
        "required: a name in English (--" + p + "-name-en) or Chinese (--" + p + "-name-zh)");
  }
  return party;
}

std::vector<ArgSpec> party_specs(const std::string& p, std::string_view who) {
  const std::string w(who);
  return {{p, "the " + w + "'s account (hk1... address)"},
          {p + "-name-en", "the " + w + "'s name in English (this or -name-zh)", false},
          {p + "-name-zh", "the " + w + "'s name in Chinese", false},
          {p + "-cr", "the " + w + "'s CR number, if a company (must be live)", false}};
}

// Goods and services: "29=preserved fruits;dried meat|30=tea" (classes by |,
// items by ;). A class without "=items" stands for the whole class (scopes).
core::Checked<std::vector<tm::ClassSpec>> parse_goods(const Args& args, std::string_view name) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  const std::string rule =
      "classes separated by |, each a Nice class 1-45 then = and its goods/services separated "
      "by ; (29=preserved fruits;dried meat|30=tea), at most 45 classes of 32 items";
  std::vector<tm::ClassSpec> out;
  std::string_view rest = *v;
  while (true) {
    const std::size_t bar = rest.find('|');
    std::string_view entry = rest.substr(0, bar);
    const std::size_t eq = entry.find('=');
    auto n = u64_value(name, trim(entry.substr(0, eq)), tm::kMinNiceClass, tm::kMaxNiceClass);
    if (!n || out.size() == tm::kMaxClasses) return arg_error(name, Reject::kInvalid, rule, *v);
    tm::ClassSpec spec{static_cast<std::uint8_t>(*n), {}};
    if (eq != std::string_view::npos) {
      std::string_view items = entry.substr(eq + 1);
      while (true) {
        const std::size_t semi = items.find(';');
        const std::string_view item = trim(items.substr(0, semi));
        if (!text_value(name, item, tm::kMaxItemSize) ||
            spec.items.size() == tm::kMaxItemsPerClass) {
          return arg_error(name, Reject::kInvalid, rule, *v);
        }
        spec.items.emplace_back(item);
        if (semi == std::string_view::npos) break;
        items.remove_prefix(semi + 1);
      }
    }
    out.push_back(std::move(spec));
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  return out;
}

// A scope: --classes 29,30 (whole classes) or --goods (items); neither: the whole mark.
core::Checked<std::vector<tm::ClassSpec>> parse_scope(const Args& args) {
  const bool classes = arg_value(args, "classes").has_value();
  if (classes && arg_value(args, "goods")) {
    return arg_error("classes", Reject::kInvalid, "give --classes or --goods, not both");
  }
  if (arg_value(args, "goods")) return parse_goods(args, "goods");
  std::vector<tm::ClassSpec> out;
  if (!classes) return out;
  auto list =
      parse_u64_list(args, "classes", tm::kMinNiceClass, tm::kMaxNiceClass, tm::kMaxClasses);
  if (!list) return std::move(list).error();
  for (std::uint64_t c : *list) out.push_back({static_cast<std::uint8_t>(c), {}});
  return out;
}

std::string describe_classes(const std::vector<tm::ClassSpec>& classes) {
  std::string s;
  for (const tm::ClassSpec& c : classes) {
    if (!s.empty()) s += ", ";
    s += std::to_string(c.nice_class);
    if (!c.items.empty()) {
      s += " (";
      for (std::size_t i = 0; i < c.items.size(); ++i) s += (i ? "; " : "") + c.items[i];
      s += ")";
    }
  }
  return s;
}

std::string describe_scope(const std::vector<tm::ClassSpec>& scope) {
  return scope.empty() ? "the whole mark" : "classes " + describe_classes(scope);
}

std::string describe_party(const Args& args, const std::string& p, const tm::Party& party) {
  std::string s = party.name_en.empty() ? party.name_zh : party.name_en;
  if (!party.name_en.empty() && !party.name_zh.empty()) s += " " + party.name_zh;
  if (party.is_company()) s += " (CR " + party.cr_number + ")";
  return s + " " + std::string(*arg_value(args, p));
}

std::string date_text(const Args& args, std::string_view name) {
  return std::string(arg_value(args, name).value_or(""));
}

// ---- Calls ----------------------------------------------------------------------------

core::Checked<tm::FileArgs> parse_filing(const Args& args) {
  Take take;
  tm::FileArgs p;
  p.number = take(parse_mark_number(args, "mark"));
  p.text_en = take(parse_optional_text(args, "text-en", tm::kMaxMarkTextSize));
  p.text_zh = take(parse_optional_text(args, "text-zh", tm::kMaxMarkTextSize));
  p.image_hash = take(parse_optional_hash(args, "image"));
  p.applicant = take(parse_party(args, "owner"));
  p.classes = take(parse_goods(args, "goods"));
  p.filing_date_ms = take(parse_date_ms(args, "filing-date"));
  if (take.failed()) return take.error();
  if (p.text_en.empty() && p.text_zh.empty()) {
    return arg_error("text-en", Reject::kInvalid,
                     "required: the mark's words in English (--text-en) or Chinese (--text-zh)");
  }
  return p;
}

std::vector<std::string> describe_filing(const Args& args, const tm::FileArgs& p) {
  std::vector<std::string> d{
      "trade mark " + p.number + ": " + p.text_en + (p.text_zh.empty() ? "" : " " + p.text_zh),
      "owner: " + describe_party(args, "owner", p.applicant),
      "classes: " + describe_classes(p.classes), "filing date " + date_text(args, "filing-date")};
  if (p.image_hash) d.push_back("image sha256 " + p.image_hash->to_hex());
  return d;
}

core::Checked<BuiltCall> build_file(const Args& args) {
  auto p = parse_filing(args);
  if (!p) return std::move(p).error();
  auto d = describe_filing(args, *p);
  d.insert(d.begin(), "file the application for trade mark " + p->number);
  return BuiltCall{core::encode(*p), {}, std::move(d)};
}

core::Checked<BuiltCall> build_register_existing(const Args& args) {
  Take take;
  tm::RegisterExistingArgs p;
  p.mark = take(parse_filing(args));
  static constexpr std::array<tm::Status, 2> kMigrated{tm::Status::kRegistered,
                                                       tm::Status::kRemoved};
  const std::size_t status =
      take(parse_name_index(args, "status", kMigrated.size(),
                            [](std::size_t i) { return tm::status_name(kMigrated[i]); }));
  p.status = kMigrated[status];
  p.entered_ms = take(parse_date_ms(args, "entered-date"));
  p.renewals = take(parse_u32(args, "renewals", 0, 1000));
  p.expiry_ms = take(parse_date_ms(args, "expiry-date"));
  p.removed_ms = take(parse_optional_date_ms(args, "removed-date")).value_or(0);
  p.extract_hash = take(parse_hash(args, "extract"));
  if (take.failed()) return take.error();
  auto d = describe_filing(args, p.mark);
  d.insert(d.begin(), "migrate trade mark " + p.mark.number + " from the legacy register as " +
                          std::string(tm::status_name(p.status)));
  d.push_back("entered on the legacy register " + date_text(args, "entered-date") + "; " +
              std::to_string(p.renewals) + (p.renewals == 1 ? " renewal" : " renewals") +
              "; expiry " + date_text(args, "expiry-date"));
  if (p.removed_ms != 0) d.push_back("removed " + date_text(args, "removed-date"));
  d.push_back("legacy extract sha256 " + p.extract_hash.to_hex());
  return BuiltCall{core::encode(p), {}, std::move(d)};
}

core::Checked<BuiltCall> build_mark_act(const Args& args, std::string_view verb) {
  auto number = parse_mark_number(args, "mark");
  if (!number) return std::move(number).error();
  return BuiltCall{
      core::encode(tm::MarkArgs{*number}), {}, {std::string(verb) + " trade mark " + *number}};
}

core::Checked<BuiltCall> build_ground_act(const Args& args, std::string_view verb) {
  Take take;
  tm::GroundArgs p;
  p.number = take(parse_mark_number(args, "mark"));
  p.ground = take(parse_enum(args, "ground", tm::kLastGround, tm::ground_name));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {std::string(verb) + " trade mark " + p.number +
                    " (ground: " + in_words(tm::ground_name(p.ground)) + ")"}};
}

core::Checked<BuiltCall> build_assign(const Args& args) {
  Take take;
  tm::AssignTerms t;
  t.number = take(parse_mark_number(args, "mark"));
  t.assignor = take(parse_account(args, "from"));
  t.assignee = take(parse_party(args, "to"));
  t.scope = take(parse_scope(args));
  t.with_goodwill = take(parse_flag(args, "with-goodwill"));
  t.assignment_date_ms = take(parse_date_ms(args, "date"));
  t.deed_hash = take(parse_hash(args, "deed"));
  if (take.failed()) return take.error();
  return BuiltCall{
      core::encode(t),
      {t.assignor},
      {"assign trade mark " + t.number + " " + describe_scope(t.scope) + " to " +
           describe_party(args, "to", t.assignee),
       "assignor (co-signs): " + std::string(*arg_value(args, "from")),
       t.with_goodwill ? "with goodwill" : "without goodwill",
       "assignment date " + date_text(args, "date"), "deed sha256 " + t.deed_hash.to_hex()}};
}

core::Checked<BuiltCall> build_licence(const Args& args) {
  Take take;
  tm::LicenceTerms t;
  t.number = take(parse_mark_number(args, "mark"));
  t.licensor = take(parse_account(args, "owner"));
  t.licensee = take(parse_party(args, "licensee"));
  t.exclusive = take(parse_flag(args, "exclusive"));
  t.scope = take(parse_scope(args));
  t.start_ms = take(parse_date_ms(args, "start-date"));
  t.end_ms = take(parse_optional_date_ms(args, "end-date")).value_or(0);
  t.deed_hash = take(parse_hash(args, "deed"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(t),
                   {t.licensor},
                   {"record a" + std::string(t.exclusive ? "n exclusive" : " non-exclusive") +
                        " licence of trade mark " + t.number + " " + describe_scope(t.scope) +
                        " to " + describe_party(args, "licensee", t.licensee),
                    "licensor, the owner (co-signs): " + std::string(*arg_value(args, "owner")),
                    "from " + date_text(args, "start-date") +
                        (t.end_ms ? " to " + date_text(args, "end-date") : ", no fixed end"),
                    "deed sha256 " + t.deed_hash.to_hex()}};
}

core::Checked<BuiltCall> build_security(const Args& args) {
  Take take;
  tm::SecurityTerms t;
  t.number = take(parse_mark_number(args, "mark"));
  t.chargor = take(parse_account(args, "owner"));
  t.holder = take(parse_party(args, "holder"));
  t.effective_ms = take(parse_date_ms(args, "date"));
  t.deed_hash = take(parse_hash(args, "deed"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(t),
                   {t.chargor},
                   {"record a security interest in trade mark " + t.number + " held by " +
                        describe_party(args, "holder", t.holder),
                    "chargor, the owner (co-signs): " + std::string(*arg_value(args, "owner")),
                    "effective " + date_text(args, "date"), "deed sha256 " + t.deed_hash.to_hex()}};
}

// ---- Specs -------------------------------------------------------------------------------

const ArgSpec kMark{"mark", "the trade mark number: 9 digits beginning with 30 (305918274)"};

std::vector<ArgSpec> join(std::vector<std::vector<ArgSpec>> parts) {
  std::vector<ArgSpec> out;
  for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<ArgSpec> filing_specs() {
  return join(
      {{kMark,
        {"text-en", "the mark's words in English (this or --text-zh), up to 512 bytes", false},
        {"text-zh", "the mark's words in Chinese, up to 512 bytes", false}},
       hash_arg_specs("image", "the mark's image", false),
       party_specs("owner", "applicant"),
       {{"goods", "classes and goods/services: 29=preserved fruits;dried meat|30=tea"},
        {"filing-date", "the filing date YYYY-MM-DD (Hong Kong), not in the future"}}});
}

std::vector<ArgSpec> scope_specs() {
  return {{"classes", "the whole classes concerned, e.g. 29,30 (default: the whole mark)", false},
          {"goods", "instead of --classes, items of classes: 30=tea;mooncakes", false}};
}

const std::string kOwner(examples::kOwner);
const std::string kAssignee(examples::kAssignee);
std::string filing_example(std::string_view number, std::string_view date) {
  return " --mark " + std::string(number) +
         " --text-en \"HARBOUR LANTERN\" --text-zh 港燈籠 --owner " + kOwner +
         " --owner-name-en \"Harbour Lantern Foods Limited\" --owner-cr 1234567 --goods "
         "\"29=preserved fruits;dried meat|30=tea;mooncakes\" --filing-date " +
         std::string(date);
}
const std::string kDeed =
    " --deed-hash ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12";

CallSpec mark_act(std::string call, std::string summary, std::string verb) {
  return CallSpec{"trademark",
                  call,
                  std::move(summary),
                  "bauhinia-wallet trademark " +
                      [&] {
                        std::string c = call;
                        std::replace(c.begin(), c.end(), '_', '-');
                        return c;
                      }() +
                      " --mark 305918274",
                  {kMark},
                  [verb](const Args& a) { return build_mark_act(a, verb); }};
}

CallSpec ground_act(std::string call, std::string summary, std::string verb, std::string ground) {
  return CallSpec{
      "trademark",
      call,
      std::move(summary),
      "bauhinia-wallet trademark " + call + " --mark 305918274 --ground " + ground,
      {kMark,
       {"ground",
        "none, absolute, relative, bad_faith, opposition_upheld, non_use, generic_name or "
        "misleading"}},
      [verb](const Args& a) { return build_ground_act(a, verb); }};
}

}  // namespace

std::vector<CallSpec> trademark_calls() {
  std::vector<CallSpec> specs{
      CallSpec{"trademark", "file",
               "a registrar records an application IPD received, naming the applicant's account "
               "as owner",
               "bauhinia-wallet trademark file" + filing_example("305918274", "2026-01-05"),
               filing_specs(), build_file},
      mark_act("examine", "a registrar starts the examination of an application", "examine"),
      mark_act("accept", "a registrar accepts an examined application", "accept"),
      mark_act("publish", "a registrar publishes an accepted application (opposition opens)",
               "publish"),
      mark_act("extend_opposition", "a registrar extends the opposition period once",
               "extend the opposition period of"),
      mark_act("oppose", "a registrar records a notice of opposition", "record an opposition to"),
      mark_act("register", "a registrar registers a mark whose opposition period is over",
               "register"),
      ground_act("refuse", "a registrar refuses an application on a ground", "refuse", "absolute"),
      mark_act("withdraw", "the applicant (the mark's owner account) withdraws its application",
               "withdraw the application for"),
      mark_act("renew", "a registrar renews a registration (in the window or the grace period)",
               "renew"),
      mark_act("remove", "a registrar removes a registration not renewed within the grace",
               "remove"),
      mark_act("restore", "a registrar restores a removed registration", "restore"),
      ground_act("revoke", "a registrar revokes a registration on a ground", "revoke", "non_use"),
      ground_act("invalidate", "a registrar declares a registration invalid on a ground",
                 "invalidate", "bad_faith"),
      CallSpec{"trademark", "assign",
               "a registrar records an assignment signed by the assignor (the owner co-signs "
               "the terms: tx prepare / sign)",
               "bauhinia-wallet trademark assign --mark 305918274 --from " + kOwner + " --to " +
                   kAssignee +
                   " --to-name-en \"Victoria Tea House Limited\" --to-cr 7654321 --classes 29,30 "
                   "--with-goodwill --date 2026-03-02" +
                   kDeed,
               join({{kMark, {"from", "the assignor: the mark's owner account, which co-signs"}},
                     party_specs("to", "assignee"),
                     scope_specs(),
                     {{"with-goodwill", "the goodwill of the business passes too", false, true},
                      {"date", "the date of the assignment YYYY-MM-DD, not in the future"}},
                     hash_arg_specs("deed", "the signed deed of assignment")}),
               build_assign},
      CallSpec{"trademark", "record_licence",
               "a registrar records a licence granted by the owner (the owner co-signs)",
               "bauhinia-wallet trademark record-licence --mark 305918274 --owner " + kOwner +
                   " --licensee " + kAssignee +
                   " --licensee-name-en \"Victoria Tea House Limited\" --exclusive --goods "
                   "\"30=tea\" --start-date 2026-04-01 --end-date 2029-03-31" +
                   kDeed,
               join({{kMark, {"owner", "the licensor: the mark's owner account, which co-signs"}},
                     party_specs("licensee", "licensee"),
                     {{"exclusive", "an exclusive licence", false, true}},
                     scope_specs(),
                     {{"start-date", "the licence's start YYYY-MM-DD"},
                      {"end-date", "the licence's end YYYY-MM-DD (default: no fixed end)", false}},
                     hash_arg_specs("deed", "the licence")}),
               build_licence},
      CallSpec{"trademark", "record_security_interest",
               "a registrar records a security interest granted by the owner (the owner "
               "co-signs)",
               "bauhinia-wallet trademark record-security-interest --mark 305918274 --owner " +
                   kOwner + " --holder " + kAssignee +
                   " --holder-name-en \"Harbour Bank Limited\" --date 2026-05-04" + kDeed,
               join({{kMark, {"owner", "the chargor: the mark's owner account, which co-signs"}},
                     party_specs("holder", "security holder"),
                     {{"date", "the date the security interest takes effect YYYY-MM-DD"}},
                     hash_arg_specs("deed", "the charge")}),
               build_security},
      CallSpec{"trademark", "register_existing",
               "a registrar migrates a registered or removed mark from the legacy register",
               "bauhinia-wallet trademark register-existing" +
                   filing_example("300347715", "2015-03-02") +
                   " --status registered --entered-date 2015-09-10 --renewals 1 --expiry-date "
                   "2035-03-02 --extract-hash "
                   "0f1e2d3c4b5a69780f1e2d3c4b5a69780f1e2d3c4b5a69780f1e2d3c4b5a6978",
               join({filing_specs(),
                     {{"status", "registered or removed, as on the legacy register"},
                      {"entered-date", "the registration's entry on the legacy register"},
                      {"renewals", "renewals so far, 0 to 1000"},
                      {"expiry-date", "the current (or lapsed) expiry YYYY-MM-DD"},
                      {"removed-date", "removed marks: the date of removal", false}},
                     hash_arg_specs("extract", "the legacy register's extract of the mark")}),
               build_register_existing},
  };
  return specs;
}

}  // namespace bauhinia::wallet::calls
