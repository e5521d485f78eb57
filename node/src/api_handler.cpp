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

namespace {

using api_routes::Context;
// The `{name}` segments of the matched path, in order.
using Params = std::vector<std::string_view>;
using RouteFn = ApiResponse (*)(const Context&, const Params&, const MetricsRegistry&);

struct Route {
  std::string_view method;
  std::string_view path;  // as in docs/api/openapi.yaml
  RouteFn serve;
  bool tail = false;  // the last {name} takes one or more segments
};

ApiResponse serve_metrics(const Context&, const Params&, const MetricsRegistry& metrics) {
  ApiResponse r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = metrics.render();
  return r;
}

// The table handle() dispatches with, and routes() reports. The first entry
// whose path matches wins, so a literal segment ("dry-run", "batch") comes
// before the `{id}` that would also match it.
namespace r = api_routes;
const Route kRoutes[] = {
    {"GET", "/healthz",
     [](const Context& c, const Params&, const MetricsRegistry&) { return r::get_healthz(c); }},
    {"GET", "/metrics", serve_metrics},
    {"GET", "/v1/status",
     [](const Context& c, const Params&, const MetricsRegistry&) { return r::get_status(c); }},
    {"GET", "/v1/ledger-info",
     [](const Context& c, const Params&, const MetricsRegistry&) { return r::get_ledger_info(c); }},
    {"GET", "/v1/stream",
     [](const Context& c, const Params&, const MetricsRegistry&) {
       return r::get_stream_without_upgrade(c);
     }},
    {"POST", "/v1/transactions",
     [](const Context& c, const Params&, const MetricsRegistry&) {
       return r::post_transaction(c);
     }},
    {"POST", "/v1/transactions/dry-run",
     [](const Context& c, const Params&, const MetricsRegistry&) { return r::post_dry_run(c); }},
    {"POST", "/v1/transactions/batch",
     [](const Context& c, const Params&, const MetricsRegistry&) { return r::post_batch(c); }},
    {"GET", "/v1/transactions/{id}",
     [](const Context& c, const Params& p, const MetricsRegistry&) {
       return r::get_transaction(c, p[0]);
     }},
    {"GET", "/v1/blocks",
     [](const Context& c, const Params&, const MetricsRegistry&) { return r::get_blocks(c); }},
    {"GET", "/v1/blocks/{height}",
     [](const Context& c, const Params& p, const MetricsRegistry&) {
       return r::get_block(c, p[0]);
     }},
    {"GET", "/v1/blocks/{height}/transactions",
     [](const Context& c, const Params& p, const MetricsRegistry&) {
       return r::get_block_transactions(c, p[0]);
     }},
    {"GET", "/v1/accounts/{address}/transactions",
     [](const Context& c, const Params& p, const MetricsRegistry&) {
       return r::get_account_transactions(c, p[0]);
     }},
    {"GET", "/v1/accumulator/leaves",
     [](const Context& c, const Params&, const MetricsRegistry&) {
       return r::get_accumulator_leaves(c);
     }},
    {"GET", "/v1/proofs/transaction/{id}",
     [](const Context& c, const Params& p, const MetricsRegistry&) {
       return r::get_transaction_proof(c, p[0]);
     }},
    {"GET", "/v1/proofs/consistency",
     [](const Context& c, const Params&, const MetricsRegistry&) {
       return r::get_consistency_proof(c);
     }},
    {"GET", "/v1/state/{module}/{record_key}",
     [](const Context& c, const Params& p, const MetricsRegistry&) {
       return r::get_state(c, p[0], p[1]);
     }},
    {"GET", "/v1/state/{module}/{record_key}/history",
     [](const Context& c, const Params& p, const MetricsRegistry&) {
       return r::get_record_history(c, p[0], p[1]);
     }},
    {"GET", "/v1/validators",
     [](const Context& c, const Params&, const MetricsRegistry&) { return r::get_validators(c); }},
    {"GET", "/v1/epochs",
     [](const Context& c, const Params&, const MetricsRegistry&) { return r::get_epochs(c); }},
    {"GET", "/v1/epochs/proof",
     [](const Context& c, const Params&, const MetricsRegistry&) { return r::get_epoch_proof(c); }},
    // The health payload routes (api_routes_health.cpp dispatches both).
    {"POST", "/v1/health/payloads",
     [](const Context& c, const Params&, const MetricsRegistry&) { return r::health(c); }},
    {"POST", "/v1/health/payloads/{record}/release",
     [](const Context& c, const Params&, const MetricsRegistry&) { return r::health(c); }},
    {"GET", "/v1/query/{module}/{query_path}",
     [](const Context& c, const Params&, const MetricsRegistry&) { return r::get_query(c); }, true},
};

// Matches `segments` against a route's path; fills `params` on success. A
// `{name}` matches one non-empty segment; with `tail`, the last one matches
// whatever follows (the route reads and checks it from the target).
bool matches(const Route& route, const std::vector<std::string>& segments, Params& params) {
  params.clear();
  std::string_view path = route.path.substr(1);
  std::size_t i = 0;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    // The tail: whatever follows (the route checks it), as before the table.
    if (route.tail && path.empty() && part.front() == '{') return true;
    if (i >= segments.size() || segments[i].empty()) return false;
    if (part.front() == '{') {
      params.push_back(segments[i]);
    } else if (segments[i] != part) {
      return false;
    }
    ++i;
  }
  return i == segments.size();
}

}  // namespace

std::vector<ApiRouteInfo> ApiHandler::routes() {
  std::vector<ApiRouteInfo> out;
  for (const Route& route : kRoutes) {
    out.push_back({std::string(route.method), std::string(route.path)});
  }
  return out;
}

ApiResponse ApiHandler::route(const ApiRequest& request) const {
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
  Params params;
  for (const Route& route : kRoutes) {
    if (!matches(route, target->segments, params)) continue;
    if (route.method != request.method) {
      const std::string allowed(route.method);
      ApiResponse r = api_error(405, "method_not_allowed", "this route accepts only " + allowed);
      r.headers.emplace_back("Allow", allowed);
      return r;
    }
    return route.serve(ctx, params, *metrics_);
  }
  return api_error(
      404, "unknown_path",
      "no route for '" + request.target.substr(0, 128) + "' (see docs/api/openapi.yaml)");
}

}  // namespace bauhinia::node
