// The paged lists: /v1/blocks, /v1/blocks/{height}/transactions,
// /v1/accounts/{address}/transactions, /v1/epochs. Every list takes `from`
// (a cursor: a height, a position, an accumulator index or an epoch) and
// `limit`, and answers `next_from`: the `from` of the next page, null when the
// list ended at the answer's height. Following next_from from the first page
// walks the list once, without repeats.

#include <algorithm>
#include <string>

#include "api_json.hpp"
#include "api_routes.hpp"
#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/core/address.hpp"

namespace bauhinia::node::api_routes {

namespace {

constexpr std::uint64_t kDefaultLimit = 100;

ApiResponse beyond(std::string_view what, std::uint64_t value, std::uint64_t last) {
  return api_error(404, "out_of_range",
                   std::string(what) + " " + std::to_string(value) + " is beyond the last (" +
                       std::to_string(last) + ")");
}

// A block height from a path segment: a number or "latest".
Answer<std::uint64_t> height_segment(std::string_view which, std::uint64_t latest) {
  if (which == "latest") return latest;
  auto h = api_request::parse_u64(which, "block height");
  if (!h) return from_rejection(h.error());
  if (*h > latest) {
    return api_error(404, "unknown_block",
                     "block " + std::to_string(*h) + " is beyond the latest block (" +
                         std::to_string(latest) + ")");
  }
  return *h;
}

}  // namespace

Answer<Page> page_of(const api_request::Query& query, std::uint64_t default_from,
                     std::uint64_t max_limit, std::string_view limit_name) {
  auto from = query.u64("from");
  if (!from) return from_rejection(from.error());
  auto limit = query.u64(limit_name);
  if (!limit) return from_rejection(limit.error());
  const std::uint64_t n = limit->value_or(std::min(kDefaultLimit, max_limit));
  if (n == 0 || n > max_limit) {
    return api_error(400, "out_of_range",
                     std::string(limit_name) + " must be 1.." + std::to_string(max_limit));
  }
  return Page{from->value_or(default_from), n};
}

ApiResponse get_blocks(const Context& ctx) {
  auto q = query_of(ctx, {"from", "limit", "order"});
  if (!q) return q.error();
  const std::string_view order = q->get("order").value_or("desc");
  if (order != "desc" && order != "asc") {
    return api_error(400, "invalid", "order must be 'desc' (newest first) or 'asc'");
  }
  const bool desc = order == "desc";
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  const std::uint64_t latest = ledger.latest_height();
  auto page = page_of(*q, desc ? latest : 0, ctx.limits.max_page);
  if (!page) return page.error();
  if (page->from > latest) return beyond("block", page->from, latest);

  json blocks = json::array();
  std::uint64_t h = page->from;
  json next = nullptr;
  for (std::uint64_t i = 0; i < page->limit; ++i) {
    auto header = ledger.header(h);
    if (!header) return from_status(header.error(), "unknown_block");
    auto body = ledger.block_body(h);
    if (!body) return from_status(body.error(), "unknown_block");
    blocks.push_back(json{
        {"height", h},
        {"block_id", header->id().to_hex()},
        {"epoch", header->epoch},
        {"round", header->round},
        {"timestamp_ms", header->timestamp_ms},
        {"proposer", header->proposer.to_hex()},
        {"first_index", body->first_index},
        {"transaction_count", body->transaction_count},
        {"accumulator_size", header->accumulator_size},
        {"state_root", header->state_root.to_hex()},
    });
    const bool last = desc ? h == 0 : h == latest;
    if (last) break;
    h = desc ? h - 1 : h + 1;
    if (i + 1 == page->limit) next = h;
  }
  return json_response(200, json{{"latest_height", latest},
                                 {"order", std::string(order)},
                                 {"from", page->from},
                                 {"blocks", std::move(blocks)},
                                 {"next_from", std::move(next)}});
}

ApiResponse get_block_transactions(const Context& ctx, std::string_view which) {
  auto q = query_of(ctx, {"from", "limit"});
  if (!q) return q.error();
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  auto height = height_segment(which, ledger.latest_height());
  if (!height) return height.error();
  auto page = page_of(*q, 0, ctx.limits.max_page);
  if (!page) return page.error();
  auto header = ledger.header(*height);
  if (!header) return from_status(header.error(), "unknown_block");
  auto body = ledger.block_body(*height);
  if (!body) return from_status(body.error(), "unknown_block");
  const std::uint64_t count = body->transaction_count;
  if (page->from > count) return beyond("position", page->from, count);

  const std::uint64_t end = std::min(count, page->from + page->limit);
  json txs = json::array();
  for (std::uint64_t pos = page->from; pos < end; ++pos) {
    auto tx = ledger.transaction_at(body->first_index + pos);
    if (!tx) return from_status(tx.error());
    txs.push_back(json{{"position", pos},
                       {"index", tx->index},
                       {"transaction_id", tx->info.transaction_id.to_hex()},
                       {"outcome", std::string(chain::tx_outcome_name(tx->info.outcome))}});
  }
  return json_response(200, json{{"height", *height},
                                 {"block_id", header->id().to_hex()},
                                 {"first_index", body->first_index},
                                 {"transaction_count", count},
                                 {"from", page->from},
                                 {"transactions", std::move(txs)},
                                 {"next_from", end < count ? json(end) : json(nullptr)}});
}

ApiResponse get_account_transactions(const Context& ctx, std::string_view address_hex) {
  auto q = query_of(ctx, {"from", "limit"});
  if (!q) return q.error();
  auto account = core::AccountId::from_hex(address_hex);
  if (!account) return api_error(400, "bad_hex", "account address: " + account.error().detail);
  const std::uint64_t max = std::min<std::uint64_t>(ctx.limits.max_page, ledger::kMaxAccountPage);
  auto page = page_of(*q, 0, max);
  if (!page) return page.error();
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  const chain::BlockHeader latest = ledger.latest_header();
  // One more than the page, to know whether the list goes on.
  const std::size_t ask = static_cast<std::size_t>(std::min(page->limit + 1, max));
  auto indexes = ledger.account_transactions(core::Hash256(account->bytes), page->from, ask);
  if (!indexes) return from_status(indexes.error());
  json next = nullptr;
  if (indexes->size() > page->limit) {
    indexes->resize(page->limit);
    next = indexes->back() + 1;
  } else if (indexes->size() == max && page->limit == max) {
    next = indexes->back() + 1;  // a full page of the largest size: maybe more
  }
  json txs = json::array();
  for (std::uint64_t index : *indexes) {
    auto tx = ledger.transaction_at(index);
    if (!tx) return from_status(tx.error());
    json item{{"index", index},
              {"height", tx->height},
              {"transaction_id", tx->info.transaction_id.to_hex()},
              {"outcome", std::string(chain::tx_outcome_name(tx->info.outcome))},
              {"sender", nullptr},
              {"module", nullptr},
              {"call", nullptr},
              {"sequence", nullptr}};
    if (auto decoded = chain::decode_transaction(tx->transaction)) {
      item["sender"] = decoded->sender.to_hex();
      item["module"] = decoded->module;
      item["call"] = decoded->call;
      item["sequence"] = decoded->sequence;
    }
    txs.push_back(std::move(item));
  }
  return json_response(200, json{{"address", account->to_hex()},
                                 {"height", latest.height},
                                 {"from", page->from},
                                 {"transactions", std::move(txs)},
                                 {"next_from", std::move(next)}});
}

ApiResponse get_epochs(const Context& ctx) {
  auto q = query_of(ctx, {"from", "limit"});
  if (!q) return q.error();
  auto page = page_of(*q, 0, ctx.limits.max_page);
  if (!page) return page.error();
  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  const std::uint64_t current = ledger.current_validator_set().epoch;
  if (page->from > current) {
    return api_error(404, "unknown_epoch",
                     "epoch " + std::to_string(page->from) + " is beyond the current epoch (" +
                         std::to_string(current) + ")");
  }
  const std::uint64_t end = std::min(current + 1, page->from + page->limit);
  json epochs = json::array();
  for (std::uint64_t e = page->from; e < end; ++e) {
    auto record = ledger.epoch(e);
    if (!record) return from_status(record.error(), "unknown_epoch");
    epochs.push_back(json{{"epoch", e},
                          {"first_height", record->first_height},
                          {"validator_set_hash", record->validators.hash().to_hex()},
                          {"validator_count", record->validators.validators.size()}});
  }
  return json_response(200, json{{"current_epoch", current},
                                 {"from", page->from},
                                 {"epochs", std::move(epochs)},
                                 {"next_from", end <= current ? json(end) : json(nullptr)}});
}

}  // namespace bauhinia::node::api_routes
