// Routes over state and epochs: /v1/state/{module}/{key}[/history],
// /v1/validators, /v1/epochs/proof, /v1/query/{module}/{path...}.

#include <string>

#include "api_json.hpp"
#include "api_routes.hpp"
#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/node/api_ledger_backend.hpp"

namespace bauhinia::node::api_routes {

namespace {

struct RecordName {
  std::string module;
  core::Bytes record_key;
  core::Hash256 state_key;
};

Answer<RecordName> record_name(std::string_view module, std::string_view key_hex) {
  if (key_hex.size() > 2 * chain::kMaxStateRecordKeySize) {
    return api_error(
        400, "too_large",
        "record key longer than " + std::to_string(chain::kMaxStateRecordKeySize) + " bytes");
  }
  auto key = core::from_hex(key_hex);
  if (!key) return api_error(400, "bad_hex", "record key: " + key.error().detail);
  auto state_key = chain::state_key(module, *key);
  if (!state_key) return from_rejection(state_key.error());
  return RecordName{std::string(module), std::move(*key), *state_key};
}

// 410: the state of `height` is pruned on this node (docs/adr/0006-state-tree-pruning.md);
// archive nodes keep every height.
ApiResponse pruned(std::uint64_t height, std::uint64_t oldest) {
  return json_response(
      410, json{{"error",
                 {{"code", "pruned"},
                  {"message", "the state of height " + std::to_string(height) +
                                  " is pruned on this node; the oldest height kept is " +
                                  std::to_string(oldest) + " (archive nodes keep every height)"},
                  {"oldest_height", oldest}}}});
}

// The value of a record at `height` with its state proof and the certified
// header whose state_root the proof leads to.
Answer<json> proven_record(const ledger::LedgerStore& ledger, const RecordName& name,
                           std::uint64_t height) {
  auto header = ledger.header(height);
  if (!header) return from_status(header.error(), "unknown_block");
  if (height < ledger.oldest_state_version()) return pruned(height, ledger.oldest_state_version());
  auto with_proof = ledger.state_value_with_proof(name.state_key, height);
  if (!with_proof) {
    // Pruning may have passed the height while it was read.
    if (height < ledger.oldest_state_version()) {
      return pruned(height, ledger.oldest_state_version());
    }
    return from_status(with_proof.error(), "unknown_block");
  }
  auto cert = certified(ledger, height);
  if (!cert) return cert.error();
  json value = nullptr;
  json value_hash = nullptr;
  if (with_proof->value) {
    value = api_json::hex(*with_proof->value);
    value_hash = chain::state_value_hash(*with_proof->value).to_hex();
  }
  return json{
      {"module", name.module},
      {"record_key_hex", api_json::hex(name.record_key)},
      {"state_key", name.state_key.to_hex()},
      {"height", height},
      {"value_hex", std::move(value)},
      {"value_hash", std::move(value_hash)},
      {"proof", api_json::state_proof(with_proof->proof)},
      {"proof_hex", api_json::hex(core::encode(with_proof->proof))},
      {"state_root", header->state_root.to_hex()},
      {"certified", std::move(*cert)},
  };
}

}  // namespace

ApiResponse get_state(const Context& ctx, std::string_view module, std::string_view key_hex) {
  auto q = query_of(ctx, {"height"});
  if (!q) return q.error();
  auto name = record_name(module, key_hex);
  if (!name) return name.error();
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  auto height = height_of(*q, "height", ledger.latest_height());
  if (!height) return height.error();
  auto record = proven_record(ledger, *name, *height);
  if (!record) return record.error();
  return json_response(200, *record);
}

ApiResponse get_record_history(const Context& ctx, std::string_view module,
                               std::string_view key_hex) {
  auto q = query_of(ctx, {"from", "limit"});
  if (!q) return q.error();
  auto name = record_name(module, key_hex);
  if (!name) return name.error();
  auto from = q->u64("from");
  if (!from) return from_rejection(from.error());
  auto limit = q->u64("limit");
  if (!limit) return from_rejection(limit.error());
  const std::size_t page = std::min(ctx.limits.max_page, ledger::kMaxHistoryPage);
  const std::uint64_t wanted = limit->value_or(page);
  if (wanted == 0 || wanted > page) {
    return api_error(400, "out_of_range", "limit must be 1.." + std::to_string(page));
  }
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  const std::uint64_t latest = ledger.latest_height();
  auto history =
      ledger.record_history(name->state_key, from->value_or(0), static_cast<std::size_t>(wanted));
  if (!history) return from_status(history.error());
  json versions = json::array();
  for (const auto& v : *history) {
    versions.push_back(json{
        {"version", v.version},
        {"value_hash", v.value_hash ? json(v.value_hash->to_hex()) : json(nullptr)},
        {"deleted", !v.value_hash.has_value()},
    });
  }
  // A full page may have more after it.
  json next = nullptr;
  if (history->size() == wanted && !history->empty() && history->back().version < latest) {
    next = history->back().version + 1;
  }
  return json_response(200, json{
                                {"module", name->module},
                                {"record_key_hex", api_json::hex(name->record_key)},
                                {"state_key", name->state_key.to_hex()},
                                {"height", latest},
                                {"versions", std::move(versions)},
                                {"next_from", std::move(next)},
                            });
}

ApiResponse get_validators(const Context& ctx) {
  auto q = query_of(ctx, {"epoch"});
  if (!q) return q.error();
  auto epoch = q->u64("epoch");
  if (!epoch) return from_rejection(epoch.error());
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  const std::uint64_t current = ledger.current_validator_set().epoch;
  const std::uint64_t e = epoch->value_or(current);
  if (e > current) {
    return api_error(404, "unknown_epoch",
                     "epoch " + std::to_string(e) + " is beyond the current epoch (" +
                         std::to_string(current) + ")");
  }
  auto record = ledger.epoch(e);
  if (!record) return from_status(record.error(), "unknown_epoch");
  return json_response(200,
                       json{
                           {"epoch", e},
                           {"current_epoch", current},
                           {"first_height", record->first_height},
                           {"validator_set", api_json::validator_set(record->validators)},
                           {"validator_set_hex", api_json::hex(core::encode(record->validators))},
                       });
}

ApiResponse get_epoch_proof(const Context& ctx) {
  auto q = query_of(ctx, {"from"});
  if (!q) return q.error();
  auto from = q->u64("from");
  if (!from) return from_rejection(from.error());
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  const std::uint64_t current = ledger.current_validator_set().epoch;
  const std::uint64_t first = from->value_or(0);
  if (first > current) {
    return api_error(404, "unknown_epoch",
                     "epoch " + std::to_string(first) + " is beyond the current epoch (" +
                         std::to_string(current) + ")");
  }
  auto proof = ledger.epoch_change_proof(first);
  if (!proof) return from_status(proof.error(), "unknown_epoch");
  json changes = json::array();
  for (const auto& change : proof->changes) changes.push_back(api_json::epoch_change(change));
  const std::uint64_t reached = first + proof->changes.size();
  return json_response(200, json{
                                {"from_epoch", first},
                                {"to_epoch", reached},
                                {"current_epoch", current},
                                {"more", reached < current},
                                {"next_from", reached < current ? json(reached) : json(nullptr)},
                                {"changes", std::move(changes)},
                                {"proof_hex", api_json::hex(core::encode(*proof))},
                            });
}

ApiResponse get_query(const Context& ctx) {
  auto q = query_of(ctx, {});
  if (!q) return q.error();
  const auto& s = ctx.target.segments;  // "v1", "query", module, path...
  std::string path;
  for (std::size_t i = 2; i < s.size(); ++i) {
    if (i > 2) path += '/';
    path += s[i];
  }
  const std::string_view module = s[2];
  if (module.empty() || ctx.backend.executor().find_module(module) == nullptr) {
    return api_error(404, "unknown_module",
                     "no contract module '" + std::string(module.substr(0, 64)) + "'");
  }
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  const std::uint64_t height = ledger.latest_height();
  const LedgerVersionReader state(ledger, height);
  auto answer = ctx.backend.executor().query(path, state);
  if (!answer) return from_status(answer.error());
  if (!*answer) return from_rejection(answer->error());
  const contracts::QueryAnswer& a = answer->value();

  auto name = chain::state_key(a.module, a.record_key);
  if (!name) return api_error(500, "internal", "query answered with an invalid record name");
  auto record = proven_record(ledger, RecordName{a.module, a.record_key, *name}, height);
  if (!record) return record.error();
  // The proof was read at the same version as the answer: they must agree.
  const json expected = a.value ? json(api_json::hex(*a.value)) : json(nullptr);
  if ((*record)["value_hex"] != expected) {
    return api_error(500, "internal", "query answer and state proof disagree");
  }
  (*record)["path"] = path;
  // A list: each record it names, proven at the same version.
  if (!a.related.empty() || a.next_page) {
    if (a.related.size() > contracts::kMaxQueryRelated) {
      return api_error(500, "internal", "query answered with too many records");
    }
    json related = json::array();
    for (const contracts::QueryRecord& r : a.related) {
      auto rname = chain::state_key(r.module, r.record_key);
      if (!rname) return api_error(500, "internal", "query answered with an invalid record name");
      auto proven = proven_record(ledger, RecordName{r.module, r.record_key, *rname}, height);
      if (!proven) return proven.error();
      const json want = r.value ? json(api_json::hex(*r.value)) : json(nullptr);
      if ((*proven)["value_hex"] != want) {
        return api_error(500, "internal", "query answer and state proof disagree");
      }
      related.push_back(std::move(*proven));
    }
    (*record)["records"] = std::move(related);
    (*record)["next_page"] = a.next_page ? json(*a.next_page) : json(nullptr);
  }
  return json_response(200, *record);
}

}  // namespace bauhinia::node::api_routes
