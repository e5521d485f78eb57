#include "submit.hpp"

#include <thread>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/core/encoding.hpp"
#include "output.hpp"

namespace bauhinia::wallet {

using nlohmann::json;

core::Result<std::string> fetch_chain_id(const Context& ctx, const NodeClient& node) {
  auto status = node.get_ok("/v1/status");
  if (!status) return std::move(status).error();
  const auto it = status->find("chain_id");
  if (it == status->end() || !it->is_string()) {
    return core::Status::unavailable("node " + node.address().url() +
                                     ": /v1/status has no chain_id");
  }
  std::string chain = *it;
  if (!ctx.options.chain_id.empty() && chain != ctx.options.chain_id) {
    return core::Status::invalid_argument("node " + node.address().url() + " serves chain '" +
                                          chain.substr(0, 64) + "', but the config names '" +
                                          ctx.options.chain_id + "'");
  }
  return chain;
}

core::Result<std::uint64_t> fetch_next_sequence(const NodeClient& node,
                                                const core::AccountId& account) {
  const std::string target = "/v1/query/accounts/account/" + account.to_hex();
  auto answer = node.get_ok(target);
  if (!answer) return std::move(answer).error();
  const json value = answer->value("value_hex", json());
  if (value.is_null()) return std::uint64_t{0};
  auto bytes = core::from_hex(value.is_string() ? value.get<std::string>() : "");
  if (!bytes) return core::Status::unavailable(node.address().url() + target + ": bad value_hex");
  auto record = core::decode<contracts::accounts::AccountRecord>(*bytes);
  if (!record) {
    return core::Status::unavailable(node.address().url() + target +
                                     ": not an account record: " + record.error().to_string());
  }
  return record->next_sequence;
}

std::vector<std::string> plan_lines(const Context& ctx, const chain::Transaction& tx,
                                    const std::vector<std::string>& description) {
  std::vector<std::string> lines;
  lines.push_back("call " + tx.module + "." + tx.call + ":");
  for (const auto& d : description) lines.push_back("  " + d);
  lines.push_back("signed by account " +
                  core::encode_address(ctx.options.address_prefix, tx.sender) + " with key " +
                  tx.public_key.to_hex());
  lines.push_back("on chain " + tx.chain_id + ", sequence " + std::to_string(tx.sequence) +
                  ", valid until " + utc_time(tx.expiry_ms));
  lines.push_back("payload " + std::to_string(tx.payload.size()) +
                  " bytes: " + core::to_hex(tx.payload));
  return lines;
}

core::Result<DryRunVerdict> dry_run(const NodeClient& node, const chain::Transaction& tx) {
  auto r = node.post_json("/v1/transactions/dry-run",
                          json{{"transaction_hex", core::to_hex(tx.encoded())}});
  if (!r) return std::move(r).error();
  if (!r->ok()) {
    std::string text = node.describe_error("POST", "/v1/transactions/dry-run", *r);
    if (r->status >= 500 || r->status == 429) return core::Status::unavailable(std::move(text));
    return core::Status::invalid_argument(std::move(text));
  }
  DryRunVerdict v;
  v.body = r->body;
  const json& b = r->body;
  if (!b.value("would_commit", false)) {
    v.text = "the ledger would refuse it: " + text_of(b.value("envelope_error", json())) +
             (b.value("detail", json()).is_null() ? "" : ": " + text_of(b["detail"]));
    return v;
  }
  const std::string outcome = text_of(b.value("outcome", json()));
  v.would_succeed = outcome == "success";
  if (v.would_succeed) {
    v.text = "the ledger would commit it with outcome success (as of block " +
             text_of(b.value("at_height", json())) + ")";
  } else {
    v.text = "the ledger would commit it with outcome " + outcome;
    if (!b.value("reason", json()).is_null()) v.text += ": " + text_of(b["reason"]);
    if (!b.value("detail", json()).is_null()) v.text += " (" + text_of(b["detail"]) + ")";
  }
  return v;
}

Submitted submit_transaction(const Context& ctx, const NodeClient& node,
                             const chain::Transaction& tx, bool wait,
                             std::chrono::seconds wait_for) {
  const std::string id = tx.id().to_hex();
  // The same transaction submitted before (a repeated `tx submit`): the
  // submission below is idempotent, but its dry-run would say the sequence is used.
  auto known = node.get("/v1/transactions/" + id);
  if (!known) return {ctx.fail(known.error()), false};
  // Expired or dropped (the node's verdict on an earlier submission): a new
  // submission is judged afresh.
  const std::string known_status =
      known->ok() && known->body.is_object() ? known->body.value("status", "") : "";
  if (!known->ok() || known_status == "expired" || known_status == "dropped") {
    auto verdict = dry_run(node, tx);
    if (!verdict) return {ctx.fail(verdict.error()), false};
    if (!verdict->would_succeed) {
      return {ctx.fail(kExitRejected, "not submitted: " + verdict->text), false};
    }
  } else {
    *ctx.err << "transaction " << id << " was submitted before\n";
  }
  auto r =
      node.post_json("/v1/transactions", json{{"transaction_hex", core::to_hex(tx.encoded())}});
  if (!r) return {ctx.fail(r.error()), false};
  if (!r->ok()) {
    const std::string text = node.describe_error("POST", "/v1/transactions", *r);
    if (r->status == 422) return {ctx.fail(kExitRejected, "refused at admission: " + text), false};
    if (r->status >= 500 || r->status == 429) return {ctx.fail(kExitNodeFailure, text), false};
    return {ctx.fail(kExitBadInput, text), false};
  }
  json last = r->body;
  if (wait && last.value("status", "") != "committed") {
    *ctx.err << "submitted " << id << "; waiting for commit...\n";
    const auto deadline = std::chrono::steady_clock::now() + wait_for;
    while (true) {
      auto s = node.get_ok("/v1/transactions/" + id);
      if (!s) return {ctx.fail(s.error()), false};
      last = std::move(*s);
      if (last.value("status", "") == "committed") break;
      // The node's definite answer that it will not commit (expired, dropped).
      if (const std::string st = last.value("status", ""); st == "expired" || st == "dropped") {
        return {ctx.fail(kExitRejected, "transaction " + id + " was " + st + " by the node (" +
                                            last.value("reason", std::string()) + ": " +
                                            last.value("detail", std::string()) +
                                            "); sign and submit it again"),
                false};
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        return {ctx.fail(kExitNodeFailure, "transaction " + id + " is still pending after " +
                                               std::to_string(wait_for.count()) +
                                               " s; see `bauhinia-wallet tx show " + id + "`"),
                false};
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    // The submission's own answer says "committed" without the outcome.
  } else if (last.value("status", "") == "committed" && !last.contains("outcome")) {
    auto s = node.get_ok("/v1/transactions/" + id);
    if (!s) return {ctx.fail(s.error()), false};
    last = std::move(*s);
  }
  const std::string status = text_of(last.value("status", json()));
  const std::string outcome = text_of(last.value("outcome", json()));
  Submitted result;
  result.committed_success = status == "committed" && outcome == "success";
  if (status == "committed" && !result.committed_success) result.exit_code = kExitRejected;
  if (ctx.options.json) {
    json out{{"id", id}, {"status", status}};
    if (status == "committed") {
      out["height"] = last.value("height", json());
      out["outcome"] = outcome;
    }
    ctx.print_json(out);
  } else {
    Rows rows{{"transaction", id}, {"status", status}};
    if (status == "committed") {
      rows.emplace_back("height", text_of(last.value("height", json())));
      rows.emplace_back("outcome", outcome);
    } else {
      rows.emplace_back("next", "bauhinia-wallet tx show " + id);
    }
    print_rows(*ctx.out, rows);
  }
  if (result.exit_code == kExitRejected) {
    ctx.fail(kExitRejected, "committed with outcome " + outcome +
                                " (the sequence number is used; the dry-run had predicted "
                                "success, so the state changed in between)");
  }
  return result;
}

}  // namespace bauhinia::wallet
