#include "bauhinia/explorer/registers.hpp"

#include <algorithm>
#include <map>

#include "bauhinia/contracts/company/records.hpp"
#include "bauhinia/contracts/drugs/calls.hpp"
#include "bauhinia/contracts/drugs/records.hpp"
#include "bauhinia/contracts/environment/calls.hpp"
#include "bauhinia/contracts/environment/records.hpp"
#include "bauhinia/contracts/trademark/records.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/lightclient/session.hpp"
#include "failures.hpp"
#include "record_check.hpp"

namespace bauhinia::explorer {

namespace {

using lightclient::Session;
using lightclient::Step;

namespace tm = contracts::trademark;
namespace co = contracts::company;
namespace dr = contracts::drugs;
namespace en = contracts::environment;

constexpr std::uint64_t kDayMs = 86'400'000;
constexpr std::uint64_t kHongKongOffsetMs = 8 * 3'600'000;

// The Hong Kong date of a block time ("" for 0: not set).
std::string hk_date(std::uint64_t ms) {
  if (ms == 0) return "";
  return co::Date::from_days(static_cast<std::int64_t>((ms + kHongKongOffsetMs) / kDayMs))
      .to_string();
}

struct Decoded {
  json row;                        // the export row (columns below)
  std::vector<std::string> texts;  // what finds it
  std::string key;                 // the register number
  std::string label;               // its name, for search results
  std::string path;                // for /api/records/
};

struct Spec {
  std::string name;
  std::string module;
  std::vector<std::string> lists;  // list queries whose `records` are the register
  // Or: query paths (under the module) each answering one register record,
  // found from the indexed transactions.
  std::function<std::vector<std::string>(const Index&)> paths;
  std::vector<std::string> columns;
  std::function<std::optional<Decoded>(const core::Bytes& key, const core::Bytes& value)> decode;
};

std::string both(const std::string& en, const std::string& zh) {
  if (en.empty()) return zh;
  if (zh.empty()) return en;
  return en + " " + zh;
}

Spec trademarks() {
  Spec s;
  s.name = "trademarks";
  s.module = std::string(tm::kModuleName);
  for (unsigned i = 0; i <= static_cast<unsigned>(tm::kLastStatus); ++i) {
    s.lists.push_back("by_status/" + std::string(tm::status_name(static_cast<tm::Status>(i))));
  }
  s.columns = {"number",        "text_en",       "text_zh",           "status",
               "owner_name_en", "owner_name_zh", "owner_cr_number",   "owner_account",
               "classes",       "filing_date",   "registration_date", "expiry_date",
               "renewals",      "parent"};
  s.decode = [](const core::Bytes& key, const core::Bytes& value) -> std::optional<Decoded> {
    if (key.empty() || key[0] != tm::kMarkKind) return std::nullopt;
    auto mark = core::decode<tm::MarkRecord>(value);
    if (!mark) return std::nullopt;
    std::string classes;
    for (const auto& c : mark->classes) {
      classes += (classes.empty() ? "" : ";") + std::to_string(c.nice_class);
    }
    Decoded d;
    d.row = json{{"number", mark->number},
                 {"text_en", mark->text_en},
                 {"text_zh", mark->text_zh},
                 {"status", std::string(tm::status_name(mark->status))},
                 {"owner_name_en", mark->owner.name_en},
                 {"owner_name_zh", mark->owner.name_zh},
                 {"owner_cr_number", mark->owner.cr_number},
                 {"owner_account", mark->owner.account.to_hex()},
                 {"classes", classes},
                 {"filing_date", hk_date(mark->filing_date_ms)},
                 {"registration_date", hk_date(mark->registration_date_ms)},
                 {"expiry_date", hk_date(mark->expiry_ms)},
                 {"renewals", mark->renewals},
                 {"parent", mark->parent}};
    d.key = mark->number;
    d.texts = {mark->number, mark->text_en, mark->text_zh};
    d.label = both(mark->text_en, mark->text_zh);
    d.path = "trademark/mark/" + mark->number;
    return d;
  };
  return s;
}

Spec companies() {
  Spec s;
  s.name = "companies";
  s.module = std::string(co::kModuleName);
  for (unsigned i = 0; i <= static_cast<unsigned>(co::kMaxCompanyStatus); ++i) {
    s.lists.push_back("by_status/" +
                      std::string(co::status_name(static_cast<co::CompanyStatus>(i))));
  }
  s.columns = {"number",
               "name_en",
               "name_zh",
               "type",
               "status",
               "incorporation_date",
               "registered_office",
               "next_return_due",
               "returns_filed",
               "filings",
               "migrated_from_legacy_register"};
  s.decode = [](const core::Bytes& key, const core::Bytes& value) -> std::optional<Decoded> {
    if (key.empty() || key[0] != co::kCompanyKind) return std::nullopt;
    auto c = core::decode<co::CompanyRecord>(value);
    if (!c) return std::nullopt;
    Decoded d;
    d.row = json{{"number", c->number},
                 {"name_en", c->name_en},
                 {"name_zh", c->name_zh},
                 {"type", std::string(co::type_name(c->type))},
                 {"status", std::string(co::status_name(c->status))},
                 {"incorporation_date", c->incorporation_date.to_string()},
                 {"registered_office", c->registered_office},
                 {"next_return_due", c->next_return_due.to_string()},
                 {"returns_filed", c->returns_filed},
                 {"filings", c->filings},
                 {"migrated_from_legacy_register", c->migrated_height.has_value()}};
    d.key = c->number;
    d.texts = {c->number, c->name_en, c->name_zh};
    d.label = both(c->name_en, c->name_zh);
    d.path = "company/company/" + c->number;
    return d;
  };
  return s;
}

// Percent-encodes a path segment for a node's query target.
std::string encode_segment(std::string_view seg) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : seg) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Spec drug_recalls() {
  Spec s;
  s.name = "drug-recalls";
  s.module = std::string(dr::kModuleName);
  // The batches of the successful recall calls (the drugs module keeps no list of recalls).
  s.paths = [](const Index& index) {
    std::vector<std::string> out;
    for (const json& tx : index.by_call(dr::kModuleName, "recall", kMaxRegisterRecords)) {
      if (tx.value("outcome", "") != "success") continue;
      auto payload = core::from_hex(tx.value("payload_hex", ""));
      if (!payload) continue;
      auto args = core::decode<dr::RecallArgs>(*payload);
      if (!args) continue;
      out.push_back("batch/" + encode_segment(args->regno) + "/" + encode_segment(args->batch));
    }
    return out;
  };
  s.columns = {"regno",
               "batch",
               "maker",
               "quantity",
               "manufacture_date",
               "expiry_date",
               "recall_class",
               "recall_level",
               "recall_reason",
               "recalled_date",
               "recall_height",
               "recall_transaction",
               "notices"};
  s.decode = [](const core::Bytes& key, const core::Bytes& value) -> std::optional<Decoded> {
    if (key.empty() || key[0] != dr::kBatchKind) return std::nullopt;
    auto b = core::decode<dr::BatchRecord>(value);
    if (!b || !b->recall) return std::nullopt;
    const dr::Recall& r = *b->recall;
    Decoded d;
    d.row = json{{"regno", b->regno},
                 {"batch", b->batch},
                 {"maker", b->maker.to_hex()},
                 {"quantity", b->quantity},
                 {"manufacture_date", hk_date(b->manufacture_ms)},
                 {"expiry_date", hk_date(b->expiry_ms)},
                 {"recall_class", std::string(dr::recall_class_name(r.recall_class))},
                 {"recall_level", std::string(dr::recall_level_name(r.level))},
                 {"recall_reason", std::string(dr::recall_reason_name(r.reason))},
                 {"recalled_date", hk_date(r.recalled_ms)},
                 {"recall_height", r.height},
                 {"recall_transaction", r.transaction_id.to_hex()},
                 {"notices", r.notices}};
    d.key = b->regno + " " + b->batch;
    d.texts = {b->batch, b->regno};
    d.label = "recall of batch " + b->batch + " of " + b->regno;
    d.path = "drugs/batch/" + b->regno + "/" + b->batch;
    return d;
  };
  return s;
}

Spec eia() {
  Spec s;
  s.name = "eia";
  s.module = std::string(en::kModuleName);
  for (unsigned i = 0; i <= static_cast<unsigned>(en::kLastProjectStatus); ++i) {
    s.lists.push_back("projects/" +
                      std::string(en::project_status_name(static_cast<en::ProjectStatus>(i))));
  }
  s.columns = {"number",         "title_en",       "title_zh",     "status",  "location",
               "proponent",      "submitted_date", "brief_number", "reports", "inspection_start",
               "inspection_end", "comments",       "decided_date", "permit"};
  s.decode = [](const core::Bytes& key, const core::Bytes& value) -> std::optional<Decoded> {
    if (key.empty() || key[0] != en::kProjectKind) return std::nullopt;
    auto p = core::decode<en::ProjectRecord>(value);
    if (!p) return std::nullopt;
    Decoded d;
    d.row = json{{"number", p->number},
                 {"title_en", p->title_en},
                 {"title_zh", p->title_zh},
                 {"status", std::string(en::project_status_name(p->status))},
                 {"location", p->location},
                 {"proponent", p->proponent.to_hex()},
                 {"submitted_date", hk_date(p->submitted_ms)},
                 {"brief_number", p->brief_number},
                 {"reports", p->reports},
                 {"inspection_start", hk_date(p->inspection_start_ms)},
                 {"inspection_end", hk_date(p->inspection_end_ms)},
                 {"comments", p->comments},
                 {"decided_date", hk_date(p->decided_ms)},
                 {"permit", p->permit}};
    d.key = p->number;
    d.texts = {p->number, p->title_en, p->title_zh, p->permit};
    d.label = both(p->title_en, p->title_zh);
    d.path = "environment/project/" + p->number;
    return d;
  };
  return s;
}

Spec trip_tickets() {
  Spec s;
  s.name = "trip-tickets";
  s.module = std::string(en::kModuleName);
  // The tickets of the successful issue_ticket calls (no list holds them all).
  s.paths = [](const Index& index) {
    std::vector<std::string> out;
    for (const json& tx : index.by_call(en::kModuleName, "issue_ticket", kMaxRegisterRecords)) {
      if (tx.value("outcome", "") != "success") continue;
      auto payload = core::from_hex(tx.value("payload_hex", ""));
      if (!payload) continue;
      auto args = core::decode<en::TicketArgs>(*payload);
      if (!args) continue;
      out.push_back("ticket/" + encode_segment(args->number));
    }
    return out;
  };
  s.columns = {"number",        "producer_cr",     "waste_type",  "declared_kg",
               "measured_kg",   "status",          "issued_date", "deadline_date",
               "received_date", "weight_mismatch", "overdue"};
  s.decode = [](const core::Bytes& key, const core::Bytes& value) -> std::optional<Decoded> {
    if (key.empty() || key[0] != en::kTicketKind) return std::nullopt;
    auto t = core::decode<en::TicketRecord>(value);
    if (!t) return std::nullopt;
    Decoded d;
    d.row = json{{"number", t->number},
                 {"producer_cr", t->producer_cr},
                 {"waste_type", std::string(en::waste_type_name(t->waste_type))},
                 {"declared_kg", t->declared_kg},
                 {"measured_kg", t->measured_kg},
                 {"status", std::string(en::ticket_status_name(t->status))},
                 {"issued_date", hk_date(t->issued_ms)},
                 {"deadline_date", hk_date(t->deadline_ms)},
                 {"received_date", hk_date(t->received_ms)},
                 {"weight_mismatch", t->weight_mismatch},
                 {"overdue", t->overdue}};
    d.key = t->number;
    d.texts = {t->number};
    d.label = "trip-ticket " + t->number;
    d.path = "environment/ticket/" + t->number;
    return d;
  };
  return s;
}

const std::vector<Spec>& specs() {
  static const std::vector<Spec> all = {trademarks(), companies(), drug_recalls(), eia(),
                                        trip_tickets()};
  return all;
}

struct Found {
  std::uint64_t height = 0;
  core::Bytes value;
};

// One register from one node: the verified snapshot and its search entries.
Step<std::pair<json, std::vector<SearchEntry>>> sweep_one(Session& s, const Spec& spec,
                                                          const Index& index) {
  std::map<std::string, Found> found;  // by record key hex
  std::size_t pages = 0;
  if (spec.paths) {
    for (const std::string& path : spec.paths(index)) {
      const std::string target = "/v1/query/" + spec.module + "/" + path;
      auto doc = s.get(target);
      if (!doc) return std::move(doc).error();
      auto height = verify_query_answer(s, *doc);
      if (!height) return std::move(height).error();
      if (doc->value("module", "") != spec.module || !(*doc)["value_hex"].is_string()) continue;
      auto value = core::from_hex((*doc)["value_hex"].get<std::string>());
      if (!value) continue;
      found[doc->value("record_key_hex", "")] = Found{*height, std::move(*value)};
    }
  }
  for (const std::string& list : spec.lists) {
    std::optional<std::string> page;
    for (;;) {
      if (++pages > kMaxListPages) {
        return lightclient::Failure{lightclient::Failure::Kind::kTooMuch, "too many list pages"};
      }
      const std::string target =
          "/v1/query/" + spec.module + "/" + list + (page ? "/" + *page : std::string());
      auto doc = s.get(target);
      if (!doc) {
        if (doc.error().kind == lightclient::Failure::Kind::kRefused) break;  // no such list
        return std::move(doc).error();
      }
      auto height = verify_query_answer(s, *doc);
      if (!height) return std::move(height).error();
      if (auto records = doc->find("records"); records != doc->end()) {
        for (const json& r : *records) {
          if (r.value("module", "") != spec.module || !r["value_hex"].is_string()) continue;
          auto value = core::from_hex(r["value_hex"].get<std::string>());
          if (!value) continue;  // verified as hex already
          const std::string key = r.value("record_key_hex", "");
          auto [it, fresh] = found.try_emplace(key);
          if (fresh || it->second.height < r.value("height", std::uint64_t{0})) {
            it->second = Found{r.value("height", std::uint64_t{0}), std::move(*value)};
          }
          if (found.size() > kMaxRegisterRecords) {
            return lightclient::Failure{lightclient::Failure::Kind::kTooMuch,
                                        "more than " + std::to_string(kMaxRegisterRecords) +
                                            " records in register " + spec.name};
          }
        }
      }
      auto next = doc->find("next_page");
      if (next == doc->end() || next->is_null()) break;
      if (next->is_number_unsigned()) {
        page = std::to_string(next->get<std::uint64_t>());
      } else if (next->is_string()) {
        page = next->get<std::string>();
      } else {
        return lightclient::malformed(target + ": next_page is neither a number nor a string");
      }
    }
  }
  // Every record at one certified height: the highest read.
  std::uint64_t height = 0;
  for (const auto& [key, f] : found) height = std::max(height, f.height);
  if (found.empty()) {
    auto latest = s.latest();
    if (!latest) return std::move(latest).error();
    height = latest->header.height;
  }
  for (auto it = found.begin(); it != found.end();) {
    if (it->second.height != height) {
      auto key = core::from_hex(it->first);
      if (!key) return lightclient::malformed("record key is not hex");
      auto again = s.record_at(spec.module, *key, height);
      if (!again) return std::move(again).error();
      if (!again->value) {
        it = found.erase(it);
        continue;
      }
      it->second = Found{height, std::move(*again->value)};
    }
    ++it;
  }
  auto header = s.header_at(height);
  if (!header) return std::move(header).error();

  json rows = json::array();
  std::vector<SearchEntry> entries;
  for (const auto& [key_hex, f] : found) {
    auto key = core::from_hex(key_hex);
    if (!key) continue;
    auto d = spec.decode(*key, f.value);
    if (!d) continue;  // another kind of record of the module
    d->row["record_key_hex"] = key_hex;
    rows.push_back(d->row);
    const json result{{"kind", "record"},
                      {"module", spec.module},
                      {"key", d->key},
                      {"label", d->label},
                      {"path", d->path}};
    for (const std::string& text : d->texts) {
      if (!text.empty()) entries.push_back({text, result});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const json& a, const json& b) {
    return a.value("number", "") < b.value("number", "");
  });
  json columns = spec.columns;
  columns.push_back("record_key_hex");
  json snapshot{{"register", spec.name},
                {"module", spec.module},
                {"certified_height", height},
                {"block_id", header->header.id().to_hex()},
                {"state_root", header->header.state_root.to_hex()},
                {"columns", std::move(columns)},
                {"records", std::move(rows)}};
  return std::make_pair(std::move(snapshot), std::move(entries));
}

std::string csv_field(const json& v) {
  std::string text = v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
  // A spreadsheet would run a cell starting with these as a formula.
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) {
    text = "'" + text;
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string text_of(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
}

}  // namespace

const std::vector<CountedRegister>& counted_registers() {
  static const std::vector<CountedRegister> kCounted{
      {"drug-batches", std::string(dr::kModuleName), "create_batch"},
      {"health-attestations", "health", "issue"},
  };
  return kCounted;
}

std::vector<std::string> register_names() {
  std::vector<std::string> out;
  for (const auto& s : specs()) out.push_back(s.name);
  return out;
}

std::string register_module(const std::string& name) {
  for (const auto& s : specs()) {
    if (s.name == name) return s.module;
  }
  return "";
}

Registers::Registers(Follower& follower, Index& index, Log log)
    : follower_(follower), index_(index), log_(std::move(log)) {}

void Registers::sweep(const std::set<std::string>& modules, bool all) {
  for (const Spec& spec : specs()) {
    if (!all && !modules.contains(spec.module)) continue;
    for (const UsableNode& node : follower_.usable()) {
      Session s(follower_.trust(), node.fetch);
      auto swept = [&]() -> Step<std::pair<json, std::vector<SearchEntry>>> {
        if (auto e = s.follow_epochs(); !e) return std::move(e).error();
        return sweep_one(s, spec, index_);
      }();
      if (swept) {
        if (auto w = index_.put_register(spec.name, swept->first, swept->second); !w) {
          if (log_) log_("index: " + w.error().message());
        } else if (log_) {
          log_("register " + spec.name + ": " + std::to_string(swept->first["records"].size()) +
               " records at height " +
               std::to_string(swept->first["certified_height"].get<std::uint64_t>()));
        }
        break;
      }
      if (node_at_fault(swept.error())) {
        follower_.refuse(node.url, describe(swept.error()));
      } else if (log_) {
        log_("register " + spec.name + " from " + node.url + ": " + swept.error().reason);
      }
    }
  }
}

std::string export_csv(const json& snapshot) {
  std::string out = "# register=" + text_of(snapshot["register"]) +
                    " certified_height=" + text_of(snapshot["certified_height"]) +
                    " block_id=" + text_of(snapshot["block_id"]) +
                    " state_root=" + text_of(snapshot["state_root"]) + "\r\n";
  const json& columns = snapshot["columns"];
  for (std::size_t i = 0; i < columns.size(); ++i) {
    out += (i ? "," : "") + csv_field(columns[i]);
  }
  out += "\r\n";
  for (const json& row : snapshot["records"]) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      out += (i ? "," : "") + csv_field(row.value(columns[i].get<std::string>(), json()));
    }
    out += "\r\n";
  }
  return out;
}

std::string export_xml(const json& snapshot) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<register name=\"" +
                    xml_escape(text_of(snapshot["register"])) + "\" module=\"" +
                    xml_escape(text_of(snapshot["module"])) + "\" certified_height=\"" +
                    xml_escape(text_of(snapshot["certified_height"])) + "\" block_id=\"" +
                    xml_escape(text_of(snapshot["block_id"])) + "\" state_root=\"" +
                    xml_escape(text_of(snapshot["state_root"])) + "\">\n";
  for (const json& row : snapshot["records"]) {
    out += "  <record>\n";
    for (const json& c : snapshot["columns"]) {
      const std::string name = c.get<std::string>();
      out +=
          "    <" + name + ">" + xml_escape(text_of(row.value(name, json()))) + "</" + name + ">\n";
    }
    out += "  </record>\n";
  }
  return out + "</register>\n";
}

json export_json(const json& snapshot) {
  json out = snapshot;
  out.erase("columns");
  return out;
}

}  // namespace bauhinia::explorer
