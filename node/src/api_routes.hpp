#pragma once
// The API's route handlers (one function per route), shared helpers for their
// answers, and the certified header every proof response carries. Internal to
// the node library; ApiHandler (api_handler.cpp) dispatches to them.

#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api_request.hpp"
#include "bauhinia/chain/light_client.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/node/api_backend.hpp"
#include "bauhinia/node/api_handler.hpp"

namespace bauhinia::node::api_routes {

using json = nlohmann::json;

// A value, or the error response to send instead.
template <class T>
using Answer = core::Expected<T, ApiResponse>;

struct Context {
  ApiBackend& backend;
  const ApiLimits& limits;
  const ApiRequest& request;
  const api_request::Target& target;
};

ApiResponse json_response(unsigned status, const json& body);
// A local failure or a missing item: not_found -> 404 with `not_found_code`,
// invalid_argument -> 400, unavailable -> 503, anything else -> 500.
ApiResponse from_status(const core::Status& status, std::string_view not_found_code = "not_found");
// Invalid input: 400 with the rejection's reason name as code.
ApiResponse from_rejection(const core::Rejection& rejection);

// The route's query parameters (only `allowed` names), or a 400.
Answer<api_request::Query> query_of(const Context& ctx,
                                    std::initializer_list<std::string_view> allowed);
// The block height named by parameter `name` (default: `latest`); 404 beyond it.
Answer<std::uint64_t> height_of(const api_request::Query& query, std::string_view name,
                                std::uint64_t latest);

// Blocks committed together by one certificate: at most this many precede
// the certified one (consensus commits short chains). A client's
// chain::verify_certified_header accepts no more descendants than this.
inline constexpr std::uint64_t kMaxUncertifiedRun = chain::kMaxCertifiedDescendants;

// The certified header at `height`: the header (JSON and canonical hex), its
// id and the commit certificate (JSON and hex) of the block at
// certified_height, which is `height` itself unless the block was committed
// together with descendants; then descendant_headers_hex holds the headers
// height+1 .. certified_height, each the child of the one before. Genesis has
// no certificate (null): a client trusts it by its id.
Answer<json> certified(const ledger::LedgerStore& ledger, std::uint64_t height);

// Routes (api_routes_node.cpp).
ApiResponse get_healthz(const Context& ctx);
ApiResponse get_status(const Context& ctx);
ApiResponse get_ledger_info(const Context& ctx);
ApiResponse post_transaction(const Context& ctx);
ApiResponse post_dry_run(const Context& ctx);
// One submission's answer, exactly as POST /v1/transactions gives it: 200
// committed, 202 pending, or the error (422 the mempool's reason, 429/503
// with Retry-After). The batch route answers each transaction with it. An
// accepted submission's answer waits for the journal (await_durable); its
// ticket is also stored in *ticket when given.
ApiResponse submit_one(const Context& ctx, const core::Bytes& bytes,
                       std::uint64_t* ticket = nullptr);
// Makes `response` wait for the journal up to `ticket` (0: nothing to wait for).
void await_journal(const Context& ctx, ApiResponse& response, std::uint64_t ticket);
// The transaction bytes of a POST body (JSON transaction_hex or raw bytes).
Answer<core::Bytes> submitted_bytes(const ApiRequest& request);
ApiResponse get_transaction(const Context& ctx, std::string_view id_hex);

// POST /v1/transactions/batch (api_routes_batch.cpp).
ApiResponse post_batch(const Context& ctx);
// GET /v1/stream without a WebSocket upgrade: the parameters are checked,
// then 426 (api_stream_request.cpp).
ApiResponse get_stream_without_upgrade(const Context& ctx);

// Paged lists (api_routes_lists.cpp): from/limit in, next_from out.
ApiResponse get_blocks(const Context& ctx);
ApiResponse get_block_transactions(const Context& ctx, std::string_view which);
ApiResponse get_account_transactions(const Context& ctx, std::string_view address_hex);
ApiResponse get_epochs(const Context& ctx);

// A page request: `from` (default `default_from`) and `limit` (1..max,
// default min(100, max)); 400 out_of_range otherwise.
struct Page {
  std::uint64_t from = 0;
  std::uint64_t limit = 0;
};
Answer<Page> page_of(const api_request::Query& query, std::uint64_t default_from,
                     std::uint64_t max_limit, std::string_view limit_name = "limit");

// Routes (api_routes_ledger.cpp).
// GET /v1/blocks/{height}'s object: the certified header (certified()), the
// block's first_index, transaction_count and its first
// limits.max_block_transaction_ids transaction ids.
Answer<json> block_json(const ledger::LedgerStore& ledger, std::uint64_t height,
                        const ApiLimits& limits);
ApiResponse get_block(const Context& ctx, std::string_view which);
ApiResponse get_accumulator_leaves(const Context& ctx);
ApiResponse get_transaction_proof(const Context& ctx, std::string_view id_hex);
ApiResponse get_consistency_proof(const Context& ctx);

// Routes (api_routes_state.cpp).
ApiResponse get_state(const Context& ctx, std::string_view module, std::string_view key_hex);
ApiResponse get_record_history(const Context& ctx, std::string_view module,
                               std::string_view key_hex);
ApiResponse get_validators(const Context& ctx);
ApiResponse get_epoch_proof(const Context& ctx);
// The query path is the target's segments after "/v1/query/".
ApiResponse get_query(const Context& ctx);

// Routes (api_routes_health.cpp): /v1/health/..., POST only.
ApiResponse health(const Context& ctx);

}  // namespace bauhinia::node::api_routes
