// POST /v1/transactions/batch: many signed transactions in one request, each
// judged exactly as POST /v1/transactions judges it (the same admission: the
// node's admission budget, the mempool and the modules' policy), in order.
// The batch itself is refused (400/413/415) only when its framing is bad or
// it holds too many transactions; then nothing is submitted.
//
// Bodies:
//   application/json          {"transactions_hex": ["<hex>", ...]}
//   application/octet-stream  frames: u32 big-endian length, then that many bytes
// Answer 200: {"results": [...], "accepted": n, "rejected": m}, one result
// per transaction in order (docs/api/openapi.yaml, BatchResult).

#include <algorithm>
#include <string>
#include <vector>

#include "api_json.hpp"
#include "api_routes.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::node::api_routes {

namespace {

constexpr int kMaxJsonDepth = 4;

std::string lower_media_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  std::string out(type.substr(0, 128));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

ApiResponse too_many(std::size_t max) {
  return api_error(413, "too_many_transactions",
                   "a batch holds at most " + std::to_string(max) + " transactions");
}

Answer<std::vector<core::Bytes>> framed_transactions(std::string_view body, std::size_t max) {
  std::vector<core::Bytes> out;
  std::size_t at = 0;
  while (at < body.size()) {
    if (body.size() - at < 4) {
      return api_error(400, "bad_encoding",
                       "frame " + std::to_string(out.size()) + ": truncated length prefix");
    }
    std::uint32_t n = 0;
    for (int i = 0; i < 4; ++i) n = (n << 8) | static_cast<std::uint8_t>(body[at + i]);
    at += 4;
    if (n == 0 || n > body.size() - at) {
      return api_error(400, "bad_encoding",
                       "frame " + std::to_string(out.size()) + ": length " + std::to_string(n) +
                           (n == 0 ? " is empty" : " runs past the end of the body"));
    }
    if (out.size() == max) return too_many(max);
    out.emplace_back(body.begin() + static_cast<std::ptrdiff_t>(at),
                     body.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
  }
  return out;
}

Answer<std::vector<core::Bytes>> json_transactions(const std::string& body, std::size_t max) {
  bool too_deep = false;
  const json::parser_callback_t depth_guard = [&too_deep](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth) too_deep = true;
    return !too_deep;
  };
  const json doc = json::parse(body, depth_guard, /*allow_exceptions=*/false);
  if (too_deep) return api_error(400, "bad_json", "the JSON body is nested too deeply");
  if (doc.is_discarded()) return api_error(400, "bad_json", "the body is not valid JSON");
  if (!doc.is_object() || doc.size() != 1 || !doc.contains("transactions_hex") ||
      !doc["transactions_hex"].is_array()) {
    return api_error(400, "bad_json",
                     "the body must be {\"transactions_hex\": [\"<hex>\", ...]} and nothing else");
  }
  const json& list = doc["transactions_hex"];
  if (list.size() > max) return too_many(max);
  std::vector<core::Bytes> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string()) {
      return api_error(400, "bad_json",
                       "transactions_hex[" + std::to_string(i) + "] is not a string");
    }
    auto bytes = core::from_hex(list[i].get_ref<const std::string&>());
    if (!bytes) {
      return api_error(400, "bad_hex",
                       "transactions_hex[" + std::to_string(i) + "]: " + bytes.error().detail);
    }
    out.push_back(std::move(bytes).value());
  }
  return out;
}

// One transaction's result: the single submission's answer with its position.
json result_of(std::size_t position, const core::Bytes& bytes, const ApiResponse& single) {
  json body = json::parse(single.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) body = json::object();
  const bool accepted = single.status == 200 || single.status == 202;
  json out{{"position", position}, {"http_status", single.status}};
  if (accepted) {
    for (auto& [key, value] : body.items()) out[key] = value;
  } else {
    out["status"] = "rejected";
    out["id"] = core::tagged_hash(core::HashTag::kTransactionId, bytes).to_hex();
    out["error"] = body.contains("error") ? body["error"] : json{{"code", "internal"}};
    for (const auto& [name, value] : single.headers) {
      if (name == "Retry-After") out["retry_after_s"] = std::stoul(value);
    }
  }
  return out;
}

}  // namespace

ApiResponse post_batch(const Context& ctx) {
  auto q = query_of(ctx, {});
  if (!q) return q.error();
  const std::size_t max = ctx.limits.max_batch_transactions;
  const std::string type = lower_media_type(ctx.request.content_type);
  const bool is_json = type == "application/json";
  if (!is_json && type != "application/octet-stream") {
    return api_error(415, "unsupported_media_type",
                     "send application/json {\"transactions_hex\": [...]} or "
                     "application/octet-stream length-prefixed frames");
  }
  auto txs = is_json ? json_transactions(ctx.request.body, max)
                     : framed_transactions(ctx.request.body, max);
  if (!txs) return txs.error();
  if (txs->empty()) return api_error(400, "out_of_range", "the batch holds no transaction");

  json results = json::array();
  std::size_t accepted = 0;
  std::uint64_t last_ticket = 0;  // tickets grow: the greatest covers the batch
  for (std::size_t i = 0; i < txs->size(); ++i) {
    std::uint64_t ticket = 0;
    const ApiResponse single = submit_one(ctx, (*txs)[i], &ticket);
    last_ticket = std::max(last_ticket, ticket);
    if (single.status == 200 || single.status == 202) ++accepted;
    results.push_back(result_of(i, (*txs)[i], single));
  }
  ApiResponse answer = json_response(200, json{{"results", std::move(results)},
                                               {"accepted", accepted},
                                               {"rejected", txs->size() - accepted}});
  await_journal(ctx, answer, last_ticket);
  return answer;
}

}  // namespace bauhinia::node::api_routes
