// The stream's request parameters (StreamSpec), its messages and the shared
// feed that builds them from the ledger (api_stream.hpp).

#include <algorithm>
#include <string>

#include "api_json.hpp"
#include "api_stream.hpp"
#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/block_context.hpp"
#include "bauhinia/node/api_ledger_backend.hpp"

namespace bauhinia::node::api_stream {

namespace {

using api_routes::json;

// Heights kept by the feed's caches (the newest are what live streams share;
// replaying streams rebuild older ones). A block message is at most ~80 KiB;
// a big block's events can be megabytes, so fewer of those.
constexpr std::size_t kCachedBlocks = 32;
constexpr std::size_t kCachedEvents = 8;

std::vector<std::string_view> split(std::string_view list) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t comma = list.find(',');
    out.push_back(list.substr(0, comma));
    if (comma == std::string_view::npos) return out;
    list.remove_prefix(comma + 1);
  }
}

template <class Map, class Value>
void remember(std::mutex& mutex, Map& cache, std::size_t capacity, std::uint64_t height,
              const Value& value) {
  std::lock_guard lock(mutex);
  cache.emplace(height, value);
  while (cache.size() > capacity) cache.erase(cache.begin());
}

}  // namespace

bool StreamSpec::wants(const contracts::Event& event) const {
  if (!events) return false;
  if (std::find(modules.begin(), modules.end(), event.module) == modules.end()) return false;
  return records.empty() ||
         std::find(records.begin(), records.end(), event.record_key) != records.end();
}

bool is_stream_target(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  return path == "/v1/stream";
}

api_routes::Answer<StreamSpec> parse_spec(const api_routes::Context& ctx) {
  auto q = api_routes::query_of(ctx, {"from", "module", "record", "kinds"});
  if (!q) return q.error();
  const std::uint64_t next = ctx.backend.ledger().latest_height() + 1;
  StreamSpec spec;
  auto from = q->u64("from");
  if (!from) return api_routes::from_rejection(from.error());
  spec.from = from->value_or(next);
  if (spec.from > next) {
    return api_error(404, "unknown_block",
                     "from " + std::to_string(spec.from) + " is beyond the next block (" +
                         std::to_string(next) + "); this node has committed up to " +
                         std::to_string(next - 1));
  }
  const std::size_t max_filters = ctx.limits.max_stream_filters;
  const std::size_t asked = (q->get("module") ? split(*q->get("module")).size() : 0) +
                            (q->get("record") ? split(*q->get("record")).size() : 0);
  if (asked > max_filters) {
    return api_error(400, "too_many_filters",
                     "at most " + std::to_string(max_filters) +
                         " modules and record keys together, got " + std::to_string(asked));
  }
  if (auto modules = q->get("module")) {
    for (std::string_view m : split(*modules)) {
      if (m.empty() || ctx.backend.executor().find_module(m) == nullptr) {
        return api_error(404, "unknown_module",
                         "no contract module '" + std::string(m.substr(0, 64)) + "'");
      }
      if (std::find(spec.modules.begin(), spec.modules.end(), m) != spec.modules.end()) {
        return api_error(400, "invalid", "module '" + std::string(m) + "' is named twice");
      }
      spec.modules.emplace_back(m);
    }
  }
  if (auto records = q->get("record")) {
    if (spec.modules.size() != 1) {
      return api_error(400, "invalid", "record needs exactly one module (module=<name>)");
    }
    for (std::string_view r : split(*records)) {
      if (r.size() > 2 * chain::kMaxStateRecordKeySize) {
        return api_error(
            400, "too_large",
            "record key longer than " + std::to_string(chain::kMaxStateRecordKeySize) + " bytes");
      }
      auto key = core::from_hex(r);
      if (!key || key->empty()) {
        return api_error(400, "bad_hex",
                         "record key: " + (key ? std::string("empty") : key.error().detail));
      }
      spec.records.push_back(std::move(key).value());
    }
  }
  spec.blocks = false;
  spec.events = false;
  if (auto kinds = q->get("kinds")) {
    for (std::string_view k : split(*kinds)) {
      if (k == "blocks") {
        spec.blocks = true;
      } else if (k == "events") {
        spec.events = true;
      } else {
        return api_error(
            400, "invalid",
            "unknown kind '" + std::string(k.substr(0, 32)) + "' (kinds: blocks, events)");
      }
    }
  } else {
    spec.blocks = true;
    spec.events = !spec.modules.empty();
  }
  if (spec.events && spec.modules.empty()) {
    return api_error(400, "missing_parameter", "kinds=events needs module=<name>[,<name>...]");
  }
  if (!spec.events && !spec.modules.empty()) {
    return api_error(400, "invalid", "module and record filter events: add events to kinds");
  }
  return spec;
}

std::string event_message(std::uint64_t height, const StreamEvent& e) {
  return api_json::dump(json{{"type", "event"},
                             {"height", height},
                             {"version", e.version},
                             {"transaction_id", e.transaction_id.to_hex()},
                             {"event_index", e.event_index},
                             {"module", e.event.module},
                             {"kind", e.event.kind},
                             {"record_key_hex", api_json::hex(e.event.record_key)},
                             {"data_hex", api_json::hex(e.event.data)}});
}

std::string checkpoint_message(std::uint64_t height, const core::Hash256& block_id) {
  return api_json::dump(
      json{{"type", "checkpoint"}, {"height", height}, {"block_id", block_id.to_hex()}});
}

core::Result<std::shared_ptr<const std::string>> StreamFeed::block_message(std::uint64_t height) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = blocks_.find(height); it != blocks_.end()) return it->second;
  }
  auto block = api_routes::block_json(backend_.ledger(), height, limits_);
  if (!block) {
    return core::Status::internal("block " + std::to_string(height) + ": " + block.error().body);
  }
  json message{{"type", "block"}};
  for (auto& [key, value] : block->items()) message[key] = std::move(value);
  auto text = std::make_shared<const std::string>(api_json::dump(message));
  remember(mutex_, blocks_, kCachedBlocks, height, text);
  return text;
}

core::Result<std::shared_ptr<const std::vector<StreamEvent>>> StreamFeed::events(
    std::uint64_t height) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = events_.find(height); it != events_.end()) return it->second;
  }
  auto executed = execute(height);
  if (!executed) return std::move(executed).error();
  auto list = std::make_shared<const std::vector<StreamEvent>>(std::move(executed).value());
  remember(mutex_, events_, kCachedEvents, height, list);
  return list;
}

core::Result<std::vector<StreamEvent>> StreamFeed::execute(std::uint64_t height) const {
  std::vector<StreamEvent> out;
  if (height == 0) return out;  // genesis executes nothing
  const ledger::LedgerStore& ledger = backend_.ledger();
  auto header = ledger.header(height);
  if (!header) return std::move(header).error();
  auto committed = ledger.block_transactions(height);
  if (!committed) return std::move(committed).error();
  if (committed->empty()) return out;
  std::vector<chain::IdentifiedTransaction> txs;
  txs.reserve(committed->size());
  for (const auto& c : *committed) {
    auto decoded = chain::decode_transaction(c.transaction);
    if (!decoded) {
      return core::Status::corruption("block " + std::to_string(height) +
                                      ": a committed transaction does not decode");
    }
    txs.push_back(chain::IdentifiedTransaction::of(std::move(decoded).value()));
  }
  const contracts::BlockContext context{ledger.chain_id(), height, header->timestamp_ms,
                                        committed->front().index, header->epoch};
  const LedgerVersionReader parent_state(ledger, height - 1);
  auto run = backend_.executor().execute_block(context, txs, parent_state);
  if (!run) return std::move(run).error();
  if (!*run || run->value().transactions.size() != committed->size()) {
    return core::Status::internal("block " + std::to_string(height) +
                                  " does not re-execute over its parent's state");
  }
  const auto& executed = run->value().transactions;
  for (std::size_t i = 0; i < executed.size(); ++i) {
    // The committed TransactionInfo (events_hash included) vouches for them.
    if (!(executed[i].info == (*committed)[i].info)) {
      return core::Status::internal("block " + std::to_string(height) + ": re-executed events of " +
                                    "a transaction disagree with its committed events_hash");
    }
    for (std::size_t e = 0; e < executed[i].events.size(); ++e) {
      out.push_back(StreamEvent{executed[i].events[e], executed[i].id, executed[i].info.version,
                                static_cast<std::uint32_t>(e)});
    }
  }
  return out;
}

}  // namespace bauhinia::node::api_stream

namespace bauhinia::node::api_routes {

ApiResponse get_stream_without_upgrade(const Context& ctx) {
  auto spec = api_stream::parse_spec(ctx);
  if (!spec) return spec.error();
  ApiResponse r = api_error(426, "upgrade_required",
                            "GET /v1/stream is a WebSocket: send it with 'Connection: Upgrade' "
                            "and 'Upgrade: websocket' (RFC 6455)");
  r.headers.emplace_back("Upgrade", "websocket");
  return r;
}

}  // namespace bauhinia::node::api_routes
