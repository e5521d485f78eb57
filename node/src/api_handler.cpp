// ApiHandler: method and path dispatch, and the helpers the routes share.

#include "bauhinia/node/api_handler.hpp"

#include <exception>
#include <string>

#include "api_json.hpp"
#include "api_request.hpp"
#include "api_routes.hpp"
#include "bauhinia/ledger/ledger_store.hpp"

namespace bauhinia::node {

ApiResponse api_error(unsigned status, std::string_view code, std::string_view message) {
  ApiResponse r;
  r.status = status;
  r.body = api_json::dump(
      api_json::json{{"error", {{"code", std::string(code)}, {"message", std::string(message)}}}});
  return r;
}

namespace api_routes {

ApiResponse json_response(unsigned status, const json& body) {
  ApiResponse r;
  r.status = status;
  r.body = api_json::dump(body);
  return r;
}

ApiResponse from_status(const core::Status& status, std::string_view not_found_code) {
  switch (status.code()) {
    case core::StatusCode::kNotFound: return api_error(404, not_found_code, status.message());
    case core::StatusCode::kInvalidArgument:
      return api_error(400, "invalid_argument", status.message());
    case core::StatusCode::kUnavailable: return api_error(503, "unavailable", status.message());
    case core::StatusCode::kOk: return api_error(500, "internal", "an operation failed");
    case core::StatusCode::kIoError:
    case core::StatusCode::kCorruption:
    case core::StatusCode::kInternal: break;
  }
  return api_error(500, core::status_code_name(status.code()), status.message());
}

ApiResponse from_rejection(const core::Rejection& rejection) {
  return api_error(400, core::reject_name(rejection.reason), rejection.detail);
}

Answer<api_request::Query> query_of(const Context& ctx,
                                    std::initializer_list<std::string_view> allowed) {
  auto q = api_request::Query::of(ctx.target, allowed);
  if (!q) return api_error(400, "unknown_parameter", q.error().detail);
  return std::move(q).value();
}

Answer<std::uint64_t> height_of(const api_request::Query& query, std::string_view name,
                                std::uint64_t latest) {
  auto h = query.u64(name);
  if (!h) return from_rejection(h.error());
  if (!h->has_value()) return latest;
  if (**h > latest) {
    return api_error(404, "unknown_block",
                     "block " + std::to_string(**h) + " is beyond the latest block (" +
                         std::to_string(latest) + ")");
  }
  return **h;
}

Answer<json> certified(const ledger::LedgerStore& ledger, std::uint64_t height) {
  auto header = ledger.header(height);
  if (!header) return from_status(header.error(), "unknown_block");
  json out{
      {"height", height},
      {"block_id", header->id().to_hex()},
      {"header", api_json::header(*header)},
      {"header_hex", api_json::hex(core::encode(*header))},
      {"certified_height", height},
      {"descendant_headers_hex", json::array()},
      {"commit_certificate", nullptr},
      {"commit_certificate_hex", nullptr},
  };
  if (height == 0) return out;  // genesis: trusted by its id
  // A block committed together with its descendants by one certificate has
  // none of its own: serve the headers up to the certified one, each naming
  // the previous as its parent.
  const std::uint64_t latest = ledger.latest_height();
  json& descendants = out["descendant_headers_hex"];
  for (std::uint64_t h = height;; ++h) {
    auto qc = ledger.certificate(h);
    if (qc) {
      out["certified_height"] = h;
      out["commit_certificate"] = api_json::certificate(*qc);
      out["commit_certificate_hex"] = api_json::hex(core::encode(*qc));
      return out;
    }
    if (qc.error().code() != core::StatusCode::kNotFound) return from_status(qc.error());
    if (h >= latest || h - height >= kMaxUncertifiedRun) break;
    auto next = ledger.header(h + 1);
    if (!next) return from_status(next.error());
    descendants.push_back(api_json::hex(core::encode(*next)));
  }
  return api_error(500, "internal",
                   "no commit certificate found for block " + std::to_string(height));
}

}  // namespace api_routes

ApiHandler::ApiHandler(ApiBackend& backend, const MetricsRegistry& metrics, ApiLimits limits)
    : backend_(&backend), metrics_(&metrics), limits_(limits) {}

ApiResponse ApiHandler::handle(const ApiRequest& request) const noexcept {
  // Nothing here is meant to throw; this is the last line of defence (e.g.
  // against std::bad_alloc) so that no request can take the server down.
  try {
    return route(request);
  } catch (const std::exception& e) {
    try {
      return api_error(500, "internal", std::string("request failed: ") + e.what());
    } catch (...) {
    }
  } catch (...) {
  }
  ApiResponse r;
  r.status = 500;
  return r;
}

ApiResponse ApiHandler::route(const ApiRequest& request) const {
  using api_routes::Context;
  const bool get = request.method == "GET";
  const bool post = request.method == "POST";
  if (!get && !post) {
    ApiResponse r = api_error(405, "method_not_allowed",
                              "method '" + request.method.substr(0, 16) + "' is not supported");
    r.headers.emplace_back("Allow", "GET, POST");
    return r;
  }
  if (request.target.size() > limits_.max_target_bytes) {
    return api_error(
        414, "uri_too_long",
        "the request target is longer than " + std::to_string(limits_.max_target_bytes) + " bytes");
  }
  auto target = api_request::parse_target(request.target);
  if (!target) return api_error(400, "bad_target", target.error().detail);
  const Context ctx{*backend_, limits_, request, *target};
  const auto& s = target->segments;
  const auto is = [&](std::initializer_list<std::string_view> path) {
    if (s.size() != path.size()) return false;
    std::size_t i = 0;
    for (std::string_view p : path) {
      if (!p.empty() && s[i] != p) return false;  // "" matches any non-empty segment
      if (s[i].empty()) return false;
      ++i;
    }
    return true;
  };
  // Serves a matched route: a GET route (`wants_get`) or the POST route.
  const auto serve = [&](bool wants_get, auto&& call) -> ApiResponse {
    if (wants_get != get) {
      const char* allowed = wants_get ? "GET" : "POST";
      ApiResponse r =
          api_error(405, "method_not_allowed", std::string("this route accepts only ") + allowed);
      r.headers.emplace_back("Allow", allowed);
      return r;
    }
    return call();
  };
  namespace routes = api_routes;
  if (is({"healthz"})) return serve(true, [&] { return routes::get_healthz(ctx); });
  if (is({"metrics"})) {
    return serve(true, [&] {
      ApiResponse r;
      r.content_type = "text/plain; version=0.0.4; charset=utf-8";
      r.body = metrics_->render();
      return r;
    });
  }
  if (is({"v1", "status"})) return serve(true, [&] { return routes::get_status(ctx); });
  if (is({"v1", "ledger-info"})) return serve(true, [&] { return routes::get_ledger_info(ctx); });
  if (is({"v1", "transactions"})) {
    return serve(false, [&] { return routes::post_transaction(ctx); });
  }
  if (is({"v1", "transactions", "dry-run"})) {
    return serve(false, [&] { return routes::post_dry_run(ctx); });
  }
  if (is({"v1", "transactions", ""})) {
    return serve(true, [&] { return routes::get_transaction(ctx, s[2]); });
  }
  if (is({"v1", "blocks", ""})) return serve(true, [&] { return routes::get_block(ctx, s[2]); });
  if (is({"v1", "accumulator", "leaves"})) {
    return serve(true, [&] { return routes::get_accumulator_leaves(ctx); });
  }
  if (is({"v1", "proofs", "transaction", ""})) {
    return serve(true, [&] { return routes::get_transaction_proof(ctx, s[3]); });
  }
  if (is({"v1", "proofs", "consistency"})) {
    return serve(true, [&] { return routes::get_consistency_proof(ctx); });
  }
  if (is({"v1", "state", "", ""})) {
    return serve(true, [&] { return routes::get_state(ctx, s[2], s[3]); });
  }
  if (is({"v1", "state", "", "", "history"})) {
    return serve(true, [&] { return routes::get_record_history(ctx, s[2], s[3]); });
  }
  if (is({"v1", "validators"})) return serve(true, [&] { return routes::get_validators(ctx); });
  if (is({"v1", "epochs", "proof"})) {
    return serve(true, [&] { return routes::get_epoch_proof(ctx); });
  }
  if (s.size() >= 2 && s[0] == "v1" && s[1] == "health") return routes::health(ctx);
  if (s.size() >= 3 && s[0] == "v1" && s[1] == "query") {
    return serve(true, [&] { return routes::get_query(ctx); });
  }
  return api_error(
      404, "unknown_path",
      "no route for '" + request.target.substr(0, 128) + "' (see docs/api/openapi.yaml)");
}

}  // namespace bauhinia::node
