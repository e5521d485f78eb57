#include "bauhinia/explorer/api.hpp"

#include <set>

#include "api_support.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/explorer/cosigners.hpp"
#include "bauhinia/explorer/registers.hpp"

namespace bauhinia::explorer {

using namespace api_support;

namespace {

constexpr std::size_t kDefaultPage = 20;

std::size_t page_limit(const U64Param& p) {
  return p.value ? static_cast<std::size_t>(*p.value) : kDefaultPage;
}

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

}  // namespace

Api::Api(Index& index, Follower& follower, std::filesystem::path web_root, std::string genesis_text)
    : index_(index),
      follower_(follower),
      web_root_(std::move(web_root)),
      genesis_text_(std::move(genesis_text)) {}

HttpResponse Api::handle(std::string_view method, std::string_view target) const noexcept {
  try {
    return route(method, target);
  } catch (const std::exception& e) {
    try {
      return error(500, "internal", std::string("request failed: ") + e.what());
    } catch (...) {
    }
  } catch (...) {
  }
  HttpResponse r;
  r.status = 500;
  r.body = "{}";
  return r;
}

HttpResponse Api::route(std::string_view method, std::string_view target) const {
  if (method != "GET" && method != "HEAD") {
    auto r = error(405, "method_not_allowed", "only GET and HEAD");
    r.headers["Allow"] = "GET, HEAD";
    return r;
  }
  if (target.size() > kMaxTargetBytes) return error(414, "uri_too_long", "request target too long");
  auto parsed = parse_target(target);
  if (!parsed) return error(400, "bad_request", "malformed request target");
  const Target& t = *parsed;
  const auto& s = t.segments;
  if (s.empty() || s[0] != "api") return static_file(web_root_, t.path);
  const std::size_t n = s.size();
  auto is = [&](std::initializer_list<const char*> parts) {
    if (n != parts.size() + 1) return false;
    std::size_t i = 1;
    for (const char* p : parts) {
      if (p[0] != '*' && s[i] != p) return false;
      ++i;
    }
    return true;
  };

  if (is({"status"})) {
    json nodes = json::array();
    for (const auto& r : follower_.nodes()) {
      nodes.push_back(json{{"url", r.url},
                           {"state", r.state},
                           {"height", r.height ? json(*r.height) : json(nullptr)},
                           {"reason", r.reason.empty() ? json(nullptr) : json(r.reason)}});
    }
    const auto mark = index_.indexed_height();
    json out{{"chain_id", follower_.trust().chain_id},
             {"genesis_id", follower_.trust().genesis_id.to_hex()},
             {"indexed_height", mark ? json(*mark) : json(nullptr)},
             {"certified", index_.certified().value_or(json(nullptr))},
             {"nodes", std::move(nodes)},
             {"index",
              {{"rebuilt", index_.rebuilt() ? json(*index_.rebuilt()) : json(false)},
               {"blocks", mark ? *mark + 1 : 0},
               {"transactions", index_.transaction_count()}}}};
    if (auto set = follower_.validator_set()) {
      out["validator_set"] = (*set)["validator_set"];
      out["validator_set_hex"] = (*set)["validator_set_hex"];
    } else {
      out["validator_set"] = nullptr;
      out["validator_set_hex"] = nullptr;
    }
    return answer(out);
  }
  if (is({"registers"})) {
    // Counts of the register snapshots the explorer read (for search and
    // exports), each under the certified height it was read at; null until read.
    json registers = json::array();
    for (const std::string& name : register_names()) {
      json row{{"register", name}, {"module", register_module(name)}, {"source", "records"}};
      if (auto summary = index_.register_summary(name)) {
        row["count"] = (*summary)["count"];
        row["certified_height"] = (*summary)["certified_height"];
        row["block_id"] = (*summary)["block_id"];
      } else {
        row["count"] = nullptr;
        row["certified_height"] = nullptr;
        row["block_id"] = nullptr;
      }
      registers.push_back(std::move(row));
    }
    // Registers without a list to read (drug batches, health attestations):
    // counted from the indexed, verified transactions that create their
    // records, up to the indexed height.
    const auto mark = index_.indexed_height();
    const auto top = mark ? index_.block_summary(*mark) : std::nullopt;
    for (const CountedRegister& c : counted_registers()) {
      json row{
          {"register", c.name}, {"module", c.module}, {"source", "transactions"}, {"call", c.call}};
      if (top) {
        row["count"] = index_.success_count(c.module, c.call);
        row["certified_height"] = *mark;
        row["block_id"] = (*top)["block_id"];
      } else {
        row["count"] = nullptr;
        row["certified_height"] = nullptr;
        row["block_id"] = nullptr;
      }
      registers.push_back(std::move(row));
    }
    return answer(json{{"registers", std::move(registers)}});
  }
  if (is({"genesis"})) {
    const auto& trust = follower_.trust();
    json set = json::object();
    set["epoch"] = trust.genesis_validators.epoch;
    json validators = json::array();
    for (const auto& v : trust.genesis_validators.validators) {
      validators.push_back(
          json{{"name", v.name}, {"key", v.key.to_hex()}, {"voting_power", v.voting_power}});
    }
    set["validators"] = std::move(validators);
    set["hash"] = trust.genesis_validators.hash().to_hex();
    return answer(json{{"chain_id", trust.chain_id},
                       {"genesis_id", trust.genesis_id.to_hex()},
                       {"genesis_header_hex", core::to_hex(core::encode(trust.genesis_header))},
                       {"validator_set", std::move(set)},
                       {"validator_set_hex", core::to_hex(core::encode(trust.genesis_validators))},
                       {"genesis_json", genesis_text_}});
  }
  if (is({"blocks"})) {
    const auto from = u64_param(t, "from");
    const auto limit = u64_param(t, "limit");
    if (from.bad) return *from.bad;
    if (limit.bad) return *limit.bad;
    if (limit.value && (*limit.value == 0 || *limit.value > kMaxPage)) {
      return error(400, "out_of_range", "limit must be 1..100");
    }
    const auto mark = index_.indexed_height();
    json blocks = json::array();
    json next = nullptr;
    if (mark) {
      const std::uint64_t top = std::min(from.value.value_or(*mark), *mark);
      const std::size_t want = page_limit(limit);
      for (auto& b : index_.blocks(top, want)) blocks.push_back(std::move(b));
      if (!blocks.empty()) {
        const std::uint64_t last = blocks.back()["height"].get<std::uint64_t>();
        if (last > 0) next = last - 1;
      }
    }
    return answer(json{{"blocks", std::move(blocks)}, {"next_from", std::move(next)}});
  }
  if (is({"blocks", "*"})) {
    auto h = parse_u64(s[2]);
    if (!h) return error(400, "bad_request", "block height: a number expected");
    auto b = index_.block(*h);
    if (!b) return error(404, "unknown_block", "block " + std::to_string(*h) + " is not indexed");
    return answer(*b);
  }
  if (is({"tx", "*"})) {
    auto id = core::Hash256::from_hex(s[2]);
    if (!id) return error(400, "bad_hex", "transaction id: 64 hex digits expected");
    auto tx = index_.transaction(*id);
    if (!tx) return error(404, "unknown_transaction", "transaction " + s[2] + " is not indexed");
    tx->erase("sender_key");
    auto payload = core::from_hex(tx->value("payload_hex", ""));
    (*tx)["cosigners"] =
        payload ? cosigners_of(tx->value("module", ""), tx->value("call", ""), *payload)
                : json::array();
    return answer(*tx);
  }
  if (is({"accounts", "*"})) {
    auto account = core::Hash256::from_hex(s[2]);
    if (!account) return error(400, "bad_hex", "account address: 64 hex digits expected");
    const auto from = u64_param(t, "from");
    const auto limit = u64_param(t, "limit");
    if (from.bad) return *from.bad;
    if (limit.bad) return *limit.bad;
    if (limit.value && (*limit.value == 0 || *limit.value > kMaxPage)) {
      return error(400, "out_of_range", "limit must be 1..100");
    }
    json txs = json::array();
    for (auto& tx : index_.account(*account, from.value.value_or(UINT64_MAX), page_limit(limit))) {
      const bool signer = lower(tx.value("sender", "")) == lower(s[2]);
      json summary{{"id", tx["id"]},
                   {"height", tx["height"]},
                   {"index", tx["index"]},
                   {"module", tx["module"]},
                   {"call", tx["call"]},
                   {"outcome", tx["outcome"]},
                   {"role", signer ? "signer" : "cosigner"}};
      txs.push_back(std::move(summary));
    }
    json next = nullptr;
    if (txs.size() == page_limit(limit)) {
      const std::uint64_t last = txs.back()["index"].get<std::uint64_t>();
      if (last > 0) next = last - 1;
    }
    return answer(json{{"address", lower(s[2])},
                       {"transactions", std::move(txs)},
                       {"next_from", std::move(next)}});
  }
  if (is({"search"})) {
    auto q = t.query.find("q");
    if (q == t.query.end()) return error(400, "bad_request", "q is required");
    std::string text = q->second;
    while (!text.empty() && text.front() == ' ') text.erase(text.begin());
    while (!text.empty() && text.back() == ' ') text.pop_back();
    if (text.empty() || text.size() > 256) {
      return error(400, "bad_request", "q must be 1..256 bytes");
    }
    json results = json::array();
    if (auto h = parse_u64(text); h && index_.block_summary(*h)) {
      results.push_back(json{{"kind", "block"}, {"height", *h}});
    }
    if (is_hex64(text)) {
      auto id = core::Hash256::from_hex(lower(text));
      if (id && index_.transaction(*id)) {
        results.push_back(json{{"kind", "transaction"}, {"id", lower(text)}});
      }
      if (id && !index_.account(*id, UINT64_MAX, 1).empty()) {
        results.push_back(json{{"kind", "account"}, {"address", lower(text)}});
      }
    }
    if (text.size() >= 2) {
      // A record found by several of its texts is listed once.
      std::set<std::string> paths;
      for (auto& r : index_.search_prefix(text, 4 * kMaxSearchResults)) {
        if (results.size() >= kMaxSearchResults) break;
        if (paths.insert(r.value("path", "")).second) results.push_back(std::move(r));
      }
    }
    return answer(json{{"query", text}, {"results", std::move(results)}});
  }
  if (n >= 2 &&
      (s[1] == "proof" || s[1] == "records" || s[1] == "history" || s[1] == "validators")) {
    return proof_route(follower_, t);
  }
  if (n == 3 && s[1] == "export") {
    const auto dot = s[2].rfind('.');
    const std::string name = s[2].substr(0, dot);
    const std::string format = dot == std::string::npos ? "" : s[2].substr(dot + 1);
    if (register_module(name).empty() || (format != "csv" && format != "json" && format != "xml")) {
      return error(
          404, "unknown_path",
          "exports: "
          "/api/export/{trademarks,companies,drug-recalls,eia,trip-tickets}.{csv,json,xml}");
    }
    auto snapshot = index_.register_snapshot(name);
    if (!snapshot) {
      return error(503, "not_ready", "the register " + name + " has not been read from a node yet");
    }
    HttpResponse r;
    if (format == "csv") {
      r.body = export_csv(*snapshot);
      r.content_type = "text/csv; charset=utf-8";
    } else if (format == "xml") {
      r.body = export_xml(*snapshot);
      r.content_type = "application/xml; charset=utf-8";
    } else {
      r = answer(export_json(*snapshot));
    }
    r.headers["Content-Disposition"] =
        "inline; filename=\"" + name + "-" +
        std::to_string((*snapshot)["certified_height"].get<std::uint64_t>()) + "." + format + "\"";
    return r;
  }
  return error(404, "unknown_path", "no API route " + t.path.substr(0, 200));
}

}  // namespace bauhinia::explorer
