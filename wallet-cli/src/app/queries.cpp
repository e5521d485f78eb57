// Read-only commands: the node's status, blocks, transactions, accounts, any
// module's records and their history, proposals and validators. Tables for
// people; --json prints the node's answer unchanged.

#include <memory>
#include <string>
#include <vector>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/system/proposals.hpp"
#include "bauhinia/core/encoding.hpp"
#include "commands.hpp"
#include "output.hpp"

namespace bauhinia::wallet {

namespace {

using nlohmann::json;

// Fetches `target` and prints it (the rows of `table` for people).
int show(const Context& ctx, const std::string& target,
         const std::function<void(const json&)>& table) {
  auto node = ctx.node();
  if (!node) return ctx.fail(node.error());
  auto answer = node->get_ok(target);
  if (!answer) return ctx.fail(answer.error());
  if (ctx.options.json) {
    ctx.print_json(*answer);
  } else {
    table(*answer);
  }
  return kExitOk;
}

std::string address_text(const Context& ctx, const std::string& hex) {
  auto id = core::AccountId::from_hex(hex);
  if (!id) return hex;
  return core::encode_address(ctx.options.address_prefix, *id);
}

void status_table(const Context& ctx, const json& j) {
  print_rows(*ctx.out,
             {{"chain", text_of(j.value("chain_id", json()))},
              {"node", text_of(j.value("node_name", json())) + " (" +
                           text_of(j.value("role", json())) + ")"},
              {"height", text_of(j.value("height", json()))},
              {"latest block", text_of(j.value("latest_block_id", json()))},
              {"latest time", j.value("latest_timestamp_ms", std::uint64_t{0}) > 0
                                  ? utc_time(j.value("latest_timestamp_ms", std::uint64_t{0}))
                                  : ""},
              {"epoch", text_of(j.value("epoch", json()))},
              {"transactions", text_of(j.value("accumulator_size", json()))},
              {"syncing", text_of(j.value("syncing", json()))},
              {"peers", text_of(j.value("peer_count", json()))},
              {"mempool", text_of(j.value("mempool_size", json()))},
              {"genesis", text_of(j.value("genesis_id", json()))}});
}

void block_table(const Context& ctx, const json& j) {
  const json header = j.value("header", json::object());
  Rows rows{{"height", text_of(header.value("height", json()))},
            {"block id", text_of(j.value("block_id", json()))},
            {"time", utc_time(header.value("timestamp_ms", std::uint64_t{0}))},
            {"epoch", text_of(header.value("epoch", json()))},
            {"round", text_of(header.value("round", json()))},
            {"parent", text_of(header.value("parent_hash", json()))},
            {"state root", text_of(header.value("state_root", json()))},
            {"transactions", text_of(j.value("transaction_count", json()))}};
  const json ids = j.value("transaction_ids", json::array());
  for (const auto& id : ids) rows.emplace_back("  transaction", text_of(id));
  if (j.value("transaction_ids_truncated", false)) rows.emplace_back("  ...", "(more)");
  print_rows(*ctx.out, rows);
}

void transaction_table(const Context& ctx, const json& j) {
  Rows rows{{"transaction", text_of(j.value("id", json()))},
            {"status", text_of(j.value("status", json()))}};
  if (j.value("status", "") == "committed") {
    rows.emplace_back("height", text_of(j.value("height", json())));
    rows.emplace_back("outcome", text_of(j.value("outcome", json())));
    const json tx = j.value("transaction", json::object());
    if (tx.is_object()) {
      rows.emplace_back(
          "call", text_of(tx.value("module", json())) + "." + text_of(tx.value("call", json())));
      rows.emplace_back("sender", address_text(ctx, tx.value("sender", "")));
      rows.emplace_back("sequence", text_of(tx.value("sequence", json())));
    }
  }
  print_rows(*ctx.out, rows);
}

// The generic view of a /v1/query or /v1/state answer: the record's name,
// its proof's height and its value's size; each listed record likewise.
void record_table(const Context& ctx, const json& j) {
  const json value = j.value("value_hex", json());
  Rows rows{{"record",
             text_of(j.value("module", json())) + "/" + text_of(j.value("record_key_hex", json()))},
            {"height", text_of(j.value("height", json()))},
            {"value", value.is_null() ? "(none: the record does not exist)"
                      : text_of(value).size() / 2 > 0
                          ? std::to_string(text_of(value).size() / 2) + " bytes: " + text_of(value)
                          : "(empty)"}};
  const json records = j.value("records", json::array());
  for (const auto& r : records) {
    rows.emplace_back("  listed",
                      text_of(r.value("module", json())) + "/" +
                          text_of(r.value("record_key_hex", json())) + "  " +
                          (r.value("value_hex", json()).is_null() ? "(deleted)" : "present"));
  }
  if (j.contains("next_page") && !j["next_page"].is_null()) {
    rows.emplace_back("next page", text_of(j["next_page"]) + " (use --page)");
  }
  print_rows(*ctx.out, rows);
}

void account_table(const Context& ctx, const json& j) {
  const json value = j.value("value_hex", json());
  Rows rows{{"account", address_text(ctx, text_of(j.value("record_key_hex", json())).substr(2))}};
  if (value.is_null()) {
    rows.emplace_back("state", "no such account yet (it is created by its first transaction)");
  } else if (auto bytes = core::from_hex(text_of(value)); bytes) {
    if (auto rec = core::decode<contracts::accounts::AccountRecord>(*bytes)) {
      rows.emplace_back("key", rec->key.to_hex());
      rows.emplace_back("next sequence", std::to_string(rec->next_sequence));
      rows.emplace_back("created at", "block " + std::to_string(rec->created_height));
      rows.emplace_back("key rotations", std::to_string(rec->key_rotations));
    }
  }
  rows.emplace_back("proven at", "block " + text_of(j.value("height", json())));
  print_rows(*ctx.out, rows);
}

void proposal_rows(const Context& ctx, const contracts::system::ProposalRecord& p, Rows& rows) {
  namespace sys = contracts::system;
  rows.emplace_back("proposal",
                    std::to_string(p.id) + ": " + std::string(sys::proposal_kind_name(p.kind)));
  rows.emplace_back("  status", std::string(sys::proposal_status_name(p.status)));
  rows.emplace_back("  proposed by",
                    p.proposer_department + " (" + address_text(ctx, p.proposer.to_hex()) + ")");
  rows.emplace_back("  expires", utc_time(p.expiry_ms));
  for (const auto& a : p.approvals) {
    rows.emplace_back("  approved by", a.department + " at block " + std::to_string(a.height));
  }
}

void proposals_table(const Context& ctx, const json& j) {
  Rows rows;
  std::vector<json> values;
  if (!j.value("value_hex", json()).is_null() && !j.contains("records")) values.push_back(j);
  for (const auto& r : j.value("records", json::array())) values.push_back(r);
  for (const json& r : values) {
    auto bytes = core::from_hex(text_of(r.value("value_hex", json())));
    if (!bytes) continue;
    auto p = core::decode<contracts::system::ProposalRecord>(*bytes);
    if (p) proposal_rows(ctx, *p, rows);
  }
  if (rows.empty()) rows.emplace_back("proposals", "(none)");
  if (j.contains("next_page") && !j["next_page"].is_null()) {
    rows.emplace_back("next page", text_of(j["next_page"]) + " (use --page)");
  }
  print_rows(*ctx.out, rows);
}

void validators_table(const Context& ctx, const json& j) {
  const json set = j.value("validator_set", json::object());
  Rows rows{{"epoch", text_of(j.value("epoch", json())) + " (current " +
                          text_of(j.value("current_epoch", json())) + ")"},
            {"from block", text_of(j.value("first_height", json()))},
            {"total power", text_of(set.value("total_power", json()))},
            {"quorum", text_of(set.value("quorum_power", json()))}};
  for (const auto& v : set.value("validators", json::array())) {
    rows.emplace_back("  " + text_of(v.value("name", json())),
                      "power " + text_of(v.value("voting_power", json())) + "  key " +
                          text_of(v.value("key", json())));
  }
  print_rows(*ctx.out, rows);
}

void history_table(const Context& ctx, const json& j) {
  Rows rows{{"record", text_of(j.value("module", json())) + "/" +
                           text_of(j.value("record_key_hex", json()))}};
  for (const auto& v : j.value("versions", json::array())) {
    rows.emplace_back(
        "  block " + text_of(v.value("version", json())),
        v.value("deleted", false) ? "deleted" : "value " + text_of(v.value("value_hash", json())));
  }
  if (j.contains("next_from") && !j["next_from"].is_null()) {
    rows.emplace_back("more", "from block " + text_of(j["next_from"]) + " (use --from)");
  }
  print_rows(*ctx.out, rows);
}

bool valid_path_segment(const std::string& s) {
  if (s.empty() || s.size() > 256) return false;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// "/v1/query/<module>/<path...>[/<page>]" from command-line words.
core::Checked<std::string> query_target(const std::string& module,
                                        const std::vector<std::string>& path,
                                        const std::string& page) {
  std::string t = "/v1/query/" + module;
  if (!valid_path_segment(module)) {
    return core::reject(core::Reject::kInvalid, "module '" + module.substr(0, 64) +
                                                    "': letters, digits, '_', '-' and '.' only");
  }
  for (const auto& s : path) {
    if (!valid_path_segment(s)) {
      return core::reject(core::Reject::kInvalid,
                          "path part '" + s.substr(0, 64) +
                              "': letters, digits, '_', '-' and '.' only, at most 256");
    }
    t += "/" + s;
  }
  if (!page.empty()) {
    if (!valid_path_segment(page)) {
      return core::reject(core::Reject::kInvalid, "--page: a page token as the node printed it");
    }
    t += "/" + page;
  }
  return t;
}

}  // namespace

void add_query_commands(CLI::App& app, CLI::App& tx, Context& ctx) {
  auto* status = app.add_subcommand("status", "the node's chain, height, epoch and peers");
  status->footer("Example: bauhinia-wallet --node http://127.0.0.1:8080 status");
  status->callback([&ctx] {
    ctx.action = [&ctx]() -> int {
      return show(ctx, "/v1/status", [&ctx](const json& j) { status_table(ctx, j); });
    };
  });

  auto* block = app.add_subcommand("block", "a block: header, certificate and transaction ids");
  auto block_which = std::make_shared<std::string>("latest");
  block->add_option("height", *block_which, "a height or 'latest'")->required();
  block->footer("Example: bauhinia-wallet block latest");
  block->callback([&ctx, block_which] {
    ctx.action = [&ctx, block_which]() -> int {
      if (*block_which != "latest" && !parse_u64(*block_which)) {
        return ctx.fail(kExitBadInput, "block: give a height (a number) or 'latest'");
      }
      return show(ctx, "/v1/blocks/" + *block_which,
                  [&ctx](const json& j) { block_table(ctx, j); });
    };
  });

  auto* show_tx =
      tx.add_subcommand("show", "a transaction: pending, or committed with its outcome");
  auto tx_id = std::make_shared<std::string>();
  show_tx->add_option("id", *tx_id, "the transaction id (64 hex digits)")->required();
  show_tx->footer("Example: bauhinia-wallet tx show 60a7f003f821e6e5...");
  show_tx->callback([&ctx, tx_id] {
    ctx.action = [&ctx, tx_id]() -> int {
      if (!core::Hash256::from_hex(*tx_id)) {
        return ctx.fail(kExitBadInput, "tx show: a transaction id is 64 hex digits");
      }
      return show(ctx, "/v1/transactions/" + *tx_id,
                  [&ctx](const json& j) { transaction_table(ctx, j); });
    };
  });

  auto* account = app.add_subcommand("account", "an account: its key and next sequence");
  auto account_text = std::make_shared<std::string>();
  account->add_option("address", *account_text, "the account's address (or 64 hex digits)")
      ->required();
  account->footer("Example: bauhinia-wallet account hktest1...");
  account->callback([&ctx, account_text] {
    ctx.action = [&ctx, account_text]() -> int {
      auto id = parse_account(ctx.options.address_prefix, *account_text);
      if (!id) return ctx.fail(kExitBadInput, "account: " + id.error().detail);
      return show(ctx, "/v1/query/accounts/account/" + id->to_hex(),
                  [&ctx](const json& j) { account_table(ctx, j); });
    };
  });

  struct RecordArgs {
    std::string module;
    std::vector<std::string> path;
    std::string page;
  };
  auto rec = std::make_shared<RecordArgs>();
  auto* record = app.add_subcommand(
      "record", "any module's query: a record by its register number, or a list (--page)");
  record->add_option("module", rec->module, "the module, e.g. trademark, company, system")
      ->required();
  record
      ->add_option("path", rec->path,
                   "the query path, e.g. mark 305918274 or by_owner <account hex>")
      ->required();
  record->add_option("--page", rec->page, "the page token a previous answer printed");
  record->footer(
      "Examples:\n  bauhinia-wallet record trademark mark 305918274\n"
      "  bauhinia-wallet record company company 1234567\n"
      "  bauhinia-wallet record trademark by_status registered --page 2");
  record->callback([&ctx, rec] {
    ctx.action = [&ctx, rec]() -> int {
      auto target = query_target(rec->module, rec->path, rec->page);
      if (!target) return ctx.fail(kExitBadInput, "record: " + target.error().detail);
      return show(ctx, *target, [&ctx](const json& j) { record_table(ctx, j); });
    };
  });

  struct HistoryArgs {
    std::string module, key;
    std::uint64_t from = 0;
    std::uint64_t limit = 100;
  };
  auto hist = std::make_shared<HistoryArgs>();
  auto* history = app.add_subcommand("history", "the heights at which a record changed");
  history->add_option("module", hist->module, "the module")->required();
  history->add_option("key", hist->key, "the record key in hex (as `record` prints it)")
      ->required();
  history->add_option("--from", hist->from, "first height (paging)");
  history->add_option("--limit", hist->limit, "at most this many versions")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000}));
  history->footer("Example: bauhinia-wallet history accounts 01<64 hex account id>");
  history->callback([&ctx, hist] {
    ctx.action = [&ctx, hist]() -> int {
      if (!valid_path_segment(hist->module) || !core::from_hex(hist->key)) {
        return ctx.fail(kExitBadInput, "history: give a module name and a record key in hex");
      }
      return show(ctx,
                  "/v1/state/" + hist->module + "/" + hist->key + "/history?from=" +
                      std::to_string(hist->from) + "&limit=" + std::to_string(hist->limit),
                  [&ctx](const json& j) { history_table(ctx, j); });
    };
  });

  struct ProposalArgs {
    bool open = false;
    std::string page;
    std::uint64_t id = 0;
  };
  auto prop = std::make_shared<ProposalArgs>();
  auto* proposals =
      app.add_subcommand("proposals", "governance proposals with their approvals (system module)");
  proposals->add_flag("--open", prop->open, "only the open ones");
  proposals->add_option("--page", prop->page, "the page token a previous answer printed");
  proposals->footer("Example: bauhinia-wallet proposals --open");
  proposals->callback([&ctx, prop] {
    ctx.action = [&ctx, prop]() -> int {
      std::vector<std::string> path{"proposals"};
      if (prop->open) path.emplace_back("open");
      auto target = query_target("system", path, prop->page);
      if (!target) return ctx.fail(kExitBadInput, "proposals: " + target.error().detail);
      return show(ctx, *target, [&ctx](const json& j) { proposals_table(ctx, j); });
    };
  });
  auto* proposal = app.add_subcommand("proposal", "one governance proposal and its approvals");
  proposal->add_option("id", prop->id, "the proposal id")->required();
  proposal->footer("Example: bauhinia-wallet proposal 1");
  proposal->callback([&ctx, prop] {
    ctx.action = [&ctx, prop]() -> int {
      return show(ctx, "/v1/query/system/proposal/" + std::to_string(prop->id),
                  [&ctx](const json& j) { proposals_table(ctx, j); });
    };
  });

  auto epoch = std::make_shared<std::optional<std::uint64_t>>();
  auto* validators = app.add_subcommand("validators", "the validator set of an epoch");
  validators->add_option("--epoch", *epoch, "the epoch (default: the current one)");
  validators->footer("Example: bauhinia-wallet validators --epoch 0");
  validators->callback([&ctx, epoch] {
    ctx.action = [&ctx, epoch]() -> int {
      std::string target = "/v1/validators";
      if (*epoch) target += "?epoch=" + std::to_string(**epoch);
      return show(ctx, target, [&ctx](const json& j) { validators_table(ctx, j); });
    };
  });
}

}  // namespace bauhinia::wallet
