// Routes over blocks and the transaction accumulator: /v1/blocks/{height},
// /v1/accumulator/leaves, /v1/proofs/transaction/{id}, /v1/proofs/consistency.

#include <algorithm>
#include <string>

#include "api_json.hpp"
#include "api_routes.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::node::api_routes {

Answer<json> block_json(const ledger::LedgerStore& ledger, std::uint64_t height,
                        const ApiLimits& limits) {
  auto block = certified(ledger, height);
  if (!block) return block.error();
  auto body = ledger.block_body(height);
  if (!body) return from_status(body.error(), "unknown_block");

  // The first ids of the block; the rest through /v1/blocks/{height}/transactions.
  const std::uint64_t listed =
      std::min<std::uint64_t>(body->transaction_count, limits.max_block_transaction_ids);
  json ids = json::array();
  for (std::uint64_t i = 0; i < listed; ++i) {
    auto tx = ledger.transaction_at(body->first_index + i);
    if (!tx) return from_status(tx.error());
    ids.push_back(tx->info.transaction_id.to_hex());
  }
  json& out = *block;
  out["first_index"] = body->first_index;
  out["transaction_count"] = body->transaction_count;
  out["transaction_ids"] = std::move(ids);
  out["transaction_ids_truncated"] = listed < body->transaction_count;
  return std::move(*block);
}

ApiResponse get_block(const Context& ctx, std::string_view which) {
  auto q = query_of(ctx, {});
  if (!q) return q.error();
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  const std::uint64_t latest = ledger.latest_height();
  std::uint64_t height = latest;
  if (which != "latest") {
    auto h = api_request::parse_u64(which, "block height");
    if (!h) return from_rejection(h.error());
    if (*h > latest) {
      return api_error(404, "unknown_block",
                       "block " + std::to_string(*h) + " is beyond the latest block (" +
                           std::to_string(latest) + ")");
    }
    height = *h;
  }
  auto block = block_json(ledger, height, ctx.limits);
  if (!block) return block.error();
  return json_response(200, *block);
}

ApiResponse get_accumulator_leaves(const Context& ctx) {
  auto q = query_of(ctx, {"from", "count", "limit"});
  if (!q) return q.error();
  // `limit` like every list; `count`, its older name, still works (not both).
  if (q->get("count") && q->get("limit")) {
    return api_error(400, "invalid", "give limit or count (the same), not both");
  }
  auto page = page_of(*q, 0, ctx.limits.max_page, q->get("count") ? "count" : "limit");
  if (!page) return page.error();
  const std::uint64_t first = page->from;
  const std::uint64_t wanted = page->limit;
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  const chain::BlockHeader latest = ledger.latest_header();
  const std::uint64_t size = latest.accumulator_size;
  if (first > size) {
    return api_error(404, "out_of_range",
                     "leaf " + std::to_string(first) + " is beyond the accumulator of " +
                         std::to_string(size) + " leaves");
  }
  const std::uint64_t n = std::min<std::uint64_t>(wanted, size - first);
  json leaves = json::array();
  for (std::uint64_t i = first; i < first + n; ++i) {
    auto tx = ledger.transaction_at(i);
    if (!tx) return from_status(tx.error());
    const core::Bytes leaf = core::encode(tx->info);
    leaves.push_back(json{
        {"index", i},
        {"height", tx->height},
        {"transaction_id", tx->info.transaction_id.to_hex()},
        {"outcome", std::string(chain::tx_outcome_name(tx->info.outcome))},
        {"leaf_hex", api_json::hex(leaf)},
        {"leaf_hash", chain::merkle::leaf_hash(leaf).to_hex()},
    });
  }
  return json_response(200, json{
                                {"accumulator_size", size},
                                {"accumulator_root", latest.accumulator_root.to_hex()},
                                {"height", latest.height},
                                {"from", first},
                                {"leaves", std::move(leaves)},
                                {"next_from", first + n < size ? json(first + n) : json(nullptr)},
                            });
}

ApiResponse get_transaction_proof(const Context& ctx, std::string_view id_hex) {
  auto q = query_of(ctx, {"height"});
  if (!q) return q.error();
  auto id = core::Hash256::from_hex(id_hex);
  if (!id) return api_error(400, "bad_hex", "transaction id: " + id.error().detail);
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  auto height = height_of(*q, "height", ledger.latest_height());
  if (!height) return height.error();
  auto header = ledger.header(*height);
  if (!header) return from_status(header.error(), "unknown_block");

  auto tx = ledger.transaction_by_id(*id);
  if (!tx) {
    if (tx.error().code() == core::StatusCode::kNotFound && ctx.backend.is_pending(*id)) {
      return api_error(404, "not_committed", "transaction " + id->to_hex() + " is still pending");
    }
    return from_status(tx.error(), "unknown_transaction");
  }
  if (tx->height > *height) {
    return api_error(404, "not_committed",
                     "transaction " + id->to_hex() + " was committed in block " +
                         std::to_string(tx->height) + ", after block " + std::to_string(*height));
  }
  auto with_proof = ledger.transaction_with_proof(*id, header->accumulator_size);
  if (!with_proof) return from_status(with_proof.error(), "unknown_transaction");
  auto cert = certified(ledger, *height);
  if (!cert) return cert.error();

  const ledger::CommittedTransaction& t = with_proof->transaction;
  const core::Bytes leaf = core::encode(t.info);
  return json_response(200, json{
                                {"transaction_id", id->to_hex()},
                                {"index", t.index},
                                {"height", t.height},
                                {"transaction_hex", api_json::hex(t.transaction)},
                                {"info", api_json::transaction_info(t.info)},
                                {"leaf_hex", api_json::hex(leaf)},
                                {"leaf_hash", chain::merkle::leaf_hash(leaf).to_hex()},
                                {"proof", api_json::inclusion_proof(with_proof->proof)},
                                {"proof_hex", api_json::hex(core::encode(with_proof->proof))},
                                {"accumulator_root", header->accumulator_root.to_hex()},
                                {"certified", std::move(*cert)},
                            });
}

ApiResponse get_consistency_proof(const Context& ctx) {
  auto q = query_of(ctx, {"from", "to"});
  if (!q) return q.error();
  auto from = q->u64("from");
  if (!from) return from_rejection(from.error());
  auto to = q->u64("to");
  if (!to) return from_rejection(to.error());
  if (!from->has_value())
    return api_error(400, "missing_parameter", "from (a tree size) is required");

  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  const chain::BlockHeader latest = ledger.latest_header();
  const std::uint64_t first = **from;
  const std::uint64_t second = to->value_or(latest.accumulator_size);
  if (first == 0 || first > second) {
    return api_error(400, "out_of_range", "need 0 < from <= to (tree sizes)");
  }
  if (second > latest.accumulator_size) {
    return api_error(404, "out_of_range",
                     "tree size " + std::to_string(second) + " is beyond the accumulator of " +
                         std::to_string(latest.accumulator_size) + " leaves");
  }
  auto proof = ledger.consistency_proof(first, second);
  if (!proof) return from_status(proof.error(), "out_of_range");
  auto first_root = ledger.accumulator_root(first);
  if (!first_root) return from_status(first_root.error(), "out_of_range");
  auto second_root = ledger.accumulator_root(second);
  if (!second_root) return from_status(second_root.error(), "out_of_range");

  // The latest certified header vouches for the newer root when it names it.
  json cert = nullptr;
  if (second == latest.accumulator_size) {
    auto c = certified(ledger, latest.height);
    if (!c) return c.error();
    cert = std::move(*c);
  }
  return json_response(200, json{
                                {"first", first},
                                {"second", second},
                                {"first_root", first_root->to_hex()},
                                {"second_root", second_root->to_hex()},
                                {"proof", api_json::consistency_proof(*proof)},
                                {"proof_hex", api_json::hex(core::encode(*proof))},
                                {"certified", std::move(cert)},
                            });
}

}  // namespace bauhinia::node::api_routes
