// POST /v1/transactions/dry-run: executes a signed transaction over the
// latest committed state, as if it were the only transaction of the next
// block, and answers what would happen — the outcome, the module's typed
// reason and message, the records it would write and the events — without
// admitting or committing anything. For wallets (`--dry-run`) and
// e-government systems that want a verdict before they submit. Not proven:
// state may change before the transaction commits.

#include <string>

#include "api_json.hpp"
#include "api_routes.hpp"
#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/node/api_ledger_backend.hpp"

namespace bauhinia::node::api_routes {

ApiResponse post_dry_run(const Context& ctx) {
  auto q = query_of(ctx, {});
  if (!q) return q.error();
  auto bytes = submitted_bytes(ctx.request);
  if (!bytes) return bytes.error();
  auto decoded = chain::decode_transaction(*bytes);
  if (!decoded) return api_error(400, "malformed_transaction", decoded.error().to_string());
  const chain::IdentifiedTransaction tx = chain::IdentifiedTransaction::of(std::move(*decoded));

  const ledger::LedgerStore& ledger = ctx.backend.ledger();
  const chain::BlockHeader latest = ledger.latest_header();
  const std::uint64_t now = ctx.backend.now_ms();  // the clock submissions are judged by
  contracts::BlockContext block;
  block.chain_id = ledger.chain_id();
  block.height = latest.height + 1;
  block.timestamp_ms = std::max(now, latest.timestamp_ms + 1);
  block.first_version = latest.accumulator_size;
  const LedgerVersionReader state(ledger, latest.height);
  auto run = ctx.backend.executor().execute_block(block, std::span(&tx, 1), state);
  if (!run) return from_status(run.error());
  if (!*run) {
    const auto& why = run->error().why;
    return json_response(
        200, json{{"id", tx.id.to_hex()},
                  {"would_commit", false},
                  {"envelope_error", std::string(contracts::envelope_error_name(why.error))},
                  {"detail", why.detail}});
  }
  const contracts::ExecutedTransaction& e = run->value().transactions.at(0);
  json writes = json::array();
  for (const auto& [key, w] : e.writes) {
    writes.push_back(json{{"module", w.module},
                          {"record_key_hex", api_json::hex(w.record_key)},
                          {"deleted", !w.value.has_value()}});
  }
  json events = json::array();
  for (const auto& ev : e.events) {
    events.push_back(json{{"module", ev.module},
                          {"kind", ev.kind},
                          {"record_key_hex", api_json::hex(ev.record_key)},
                          {"data_hex", api_json::hex(ev.data)}});
  }
  return json_response(200, json{
                                {"id", tx.id.to_hex()},
                                {"would_commit", true},
                                {"at_height", latest.height},
                                {"outcome", std::string(chain::tx_outcome_name(e.info.outcome))},
                                {"reason", e.reason.empty() ? json(nullptr) : json(e.reason)},
                                {"detail", e.detail.empty() ? json(nullptr) : json(e.detail)},
                                {"writes", std::move(writes)},
                                {"events", std::move(events)},
                            });
}

}  // namespace bauhinia::node::api_routes
