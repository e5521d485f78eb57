// Routes about the node and transactions: /healthz, /v1/status,
// /v1/ledger-info, POST /v1/transactions, GET /v1/transactions/{id}.

#include <algorithm>
#include <cctype>
#include <string>

#include "api_json.hpp"
#include "api_routes.hpp"
#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::node::api_routes {

namespace {

// The media type of a Content-Type header: lower case, without parameters.
std::string media_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  std::string out(type.substr(0, 128));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// JSON submissions are one flat object; anything nested deeper is refused
// while parsing (before it is built).
constexpr int kMaxJsonDepth = 4;

json status_json(const NodeStatus& s) {
  return json{
      {"chain_id", s.chain_id},
      {"genesis_id", s.genesis_id.to_hex()},
      {"node_name", s.node_name},
      {"role", std::string(role_name(s.role))},
      {"height", s.height},
      {"latest_block_id", s.latest_block_id.to_hex()},
      {"latest_timestamp_ms", s.latest_timestamp_ms},
      {"state_root", s.state_root.to_hex()},
      {"accumulator_root", s.accumulator_root.to_hex()},
      {"accumulator_size", s.accumulator_size},
      {"epoch", s.epoch},
      {"round", s.round},
      {"syncing", s.syncing},
      {"peer_count", s.peer_count},
      {"mempool_size", s.mempool_size},
  };
}

json committed_json(const ledger::CommittedTransaction& tx) {
  json out{
      {"id", tx.info.transaction_id.to_hex()},
      {"status", "committed"},
      {"height", tx.height},
      {"index", tx.index},
      {"outcome", std::string(chain::tx_outcome_name(tx.info.outcome))},
      {"info", api_json::transaction_info(tx.info)},
      {"info_hex", api_json::hex(core::encode(tx.info))},
      {"transaction_hex", api_json::hex(tx.transaction)},
      {"transaction", nullptr},
  };
  // Committed bytes were admitted, so they decode; the raw hex is what counts.
  if (auto decoded = chain::decode_transaction(tx.transaction)) {
    out["transaction"] = api_json::transaction(*decoded);
  }
  return out;
}

}  // namespace

// The transaction bytes of a POST /v1/transactions body.
Answer<core::Bytes> submitted_bytes(const ApiRequest& request) {
  const std::string type = media_type(request.content_type);
  if (type == "application/octet-stream") {
    return core::Bytes(request.body.begin(), request.body.end());
  }
  if (type != "application/json") {
    return api_error(415, "unsupported_media_type",
                     "send application/json {\"transaction_hex\": \"...\"} or the raw bytes as "
                     "application/octet-stream");
  }
  bool too_deep = false;
  const json::parser_callback_t depth_guard = [&too_deep](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth) too_deep = true;
    return !too_deep;
  };
  const json doc = json::parse(request.body, depth_guard, /*allow_exceptions=*/false);
  if (too_deep) return api_error(400, "bad_json", "the JSON body is nested too deeply");
  if (doc.is_discarded()) return api_error(400, "bad_json", "the body is not valid JSON");
  if (!doc.is_object()) {
    return api_error(400, "bad_json", "the body must be a JSON object {\"transaction_hex\": ...}");
  }
  for (const auto& [key, value] : doc.items()) {
    if (key != "transaction_hex") {
      return api_error(400, "bad_json",
                       "unknown field '" + key.substr(0, 64) + "' (only transaction_hex)");
    }
  }
  const auto it = doc.find("transaction_hex");
  if (it == doc.end() || !it->is_string()) {
    return api_error(400, "bad_json", "field transaction_hex (a hex string) is required");
  }
  auto bytes = core::from_hex(it->get_ref<const std::string&>());
  if (!bytes) return api_error(400, "bad_hex", "transaction_hex: " + bytes.error().detail);
  return std::move(bytes).value();
}

ApiResponse get_healthz(const Context& ctx) {
  auto q = query_of(ctx, {});
  if (!q) return q.error();
  const NodeStatus s = ctx.backend.status();
  return json_response(200, json{{"status", "ok"}, {"height", s.height}, {"syncing", s.syncing}});
}

ApiResponse get_status(const Context& ctx) {
  auto q = query_of(ctx, {});
  if (!q) return q.error();
  return json_response(200, status_json(ctx.backend.status()));
}

ApiResponse get_ledger_info(const Context& ctx) {
  auto q = query_of(ctx, {});
  if (!q) return q.error();
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  std::uint64_t height = ledger.latest_height();
  // The runtime's newest certificate, when it commits a block this ledger has.
  std::optional<chain::QuorumCertificate> qc = ctx.backend.latest_commit_certificate();
  if (qc && qc->ledger_info.commit_height <= height && qc->ledger_info.commit_height > 0) {
    height = qc->ledger_info.commit_height;
  } else {
    qc.reset();
  }
  auto c = certified(ledger, height);
  if (!c) return c.error();
  if (qc && qc->ledger_info.commit_block.to_hex() == (*c)["block_id"].get<std::string>()) {
    (*c)["commit_certificate"] = api_json::certificate(*qc);
    (*c)["commit_certificate_hex"] = api_json::hex(core::encode(*qc));
  }
  return json_response(200, json{{"chain_id", ledger.chain_id()},
                                 {"genesis_id", ledger.genesis_id().to_hex()},
                                 {"certified", std::move(*c)}});
}

ApiResponse post_transaction(const Context& ctx) {
  auto q = query_of(ctx, {});
  if (!q) return q.error();
  auto bytes = submitted_bytes(ctx.request);
  if (!bytes) return bytes.error();
  return submit_one(ctx, *bytes, nullptr);
}

void await_journal(const Context& ctx, ApiResponse& response, std::uint64_t ticket) {
  if (ticket == 0) return;
  response.await_durable = [backend = &ctx.backend,
                            ticket](std::function<void(core::Status)> done) {
    backend->when_durable(ticket, std::move(done));
  };
}

ApiResponse submit_one(const Context& ctx, const core::Bytes& bytes_in, std::uint64_t* ticket) {
  const core::Bytes* bytes = &bytes_in;
  // Idempotent resubmission of a committed transaction: its id is the tagged
  // hash of exactly these (canonical) bytes.
  const core::Hash256 id = core::tagged_hash(core::HashTag::kTransactionId, *bytes);
  if (auto committed = ctx.backend.ledger().transaction_by_id(id)) {
    return json_response(200, json{{"id", id.to_hex()},
                                   {"status", "committed"},
                                   {"height", committed->height},
                                   {"index", committed->index}});
  } else if (committed.error().code() != core::StatusCode::kNotFound) {
    return from_status(committed.error());
  }

  const SubmitResult result = ctx.backend.submit(*bytes);
  if (result.ok() || result.rejection->error == mempool::MempoolError::kDuplicate) {
    // Answered once the node's journal holds it (a crash after this answer
    // cannot lose it: docs/adr/0005-durable-acceptance.md).
    ApiResponse accepted =
        json_response(202, json{{"id", result.id.to_hex()}, {"status", "pending"}});
    if (ticket != nullptr) *ticket = result.durable_ticket;
    await_journal(ctx, accepted, result.durable_ticket);
    return accepted;
  }
  const mempool::MempoolRejection& why = *result.rejection;
  const std::string code(mempool::mempool_error_name(why.error));
  switch (why.error) {
    case mempool::MempoolError::kStateUnavailable:
    case mempool::MempoolError::kMempoolFull: {
      ApiResponse r = api_error(503, code, why.detail);
      r.headers.emplace_back("Retry-After", "1");
      return r;
    }
    case mempool::MempoolError::kAccountFull: {
      ApiResponse r = api_error(429, code, why.detail);
      r.headers.emplace_back("Retry-After", "1");
      return r;
    }
    case mempool::MempoolError::kOverloaded: {
      ApiResponse r = api_error(429, code, why.detail);
      r.headers.emplace_back("Retry-After", std::to_string(std::max(1U, result.retry_after_s)));
      return r;
    }
    default: break;
  }
  return api_error(422, code, why.detail);
}

ApiResponse get_transaction(const Context& ctx, std::string_view id_hex) {
  auto q = query_of(ctx, {});
  if (!q) return q.error();
  auto id = core::Hash256::from_hex(id_hex);
  if (!id) return api_error(400, "bad_hex", "transaction id: " + id.error().detail);
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  // Ledger, then mempool, then the ledger again: the mempool drops a
  // transaction only after its block is visible in the ledger, so one that
  // commits between the first two reads is found by the third.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto tx = ledger.transaction_by_id(*id);
    if (tx) return json_response(200, committed_json(*tx));
    if (tx.error().code() != core::StatusCode::kNotFound) return from_status(tx.error());
    if (attempt == 0 && ctx.backend.is_pending(*id)) {
      return json_response(200, json{{"id", id->to_hex()}, {"status", "pending"}});
    }
  }
  // Neither committed nor pending: what became of it, if this node accepted it.
  auto verdict = ctx.backend.transaction_verdict(*id);
  if (!verdict) return from_status(verdict.error());
  if (verdict->has_value()) {
    const TxVerdict& v = **verdict;
    return json_response(200, json{{"id", id->to_hex()},
                                   {"status", std::string(tx_fate_name(v.fate))},
                                   {"reason", v.reason},
                                   {"detail", v.detail},
                                   {"at_ms", v.at_ms}});
  }
  return api_error(404, "unknown_transaction",
                   "transaction " + id->to_hex() +
                       " is neither committed nor pending, and this node has no record of it");
}

}  // namespace bauhinia::node::api_routes
