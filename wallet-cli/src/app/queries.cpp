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
#include "record_views.hpp"

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

// A /v1/query or /v1/state answer (record_views.cpp).
void record_table(const Context& ctx, const json& j) {
  print_record(ctx, j);
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

// A path segment as the API reads it: percent-encoded UTF-8 (so a company
// name with spaces is one segment). Empty, over-long or control characters: refused.
core::Checked<std::string> encode_segment(const std::string& s, const std::string& what) {
  if (s.empty() || s.size() > 256) {
    return core::reject(core::Reject::kInvalid, what + ": 1 to 256 bytes");
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      return core::reject(core::Reject::kInvalid, what + ": control characters are not allowed");
    }
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '-' || c == '.' || c == '~';
    if (plain) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

// "/v1/query/<module>/<path...>[/<page>]" from command-line words.
core::Checked<std::string> query_target(const std::string& module,
                                        const std::vector<std::string>& path,
                                        const std::string& page) {
  if (!valid_path_segment(module)) {
    return core::reject(core::Reject::kInvalid, "module '" + module.substr(0, 64) +
                                                    "': letters, digits, '_', '-' and '.' only");
  }
  std::string t = "/v1/query/" + module;
  for (const auto& s : path) {
    auto e = encode_segment(s, "path part '" + s.substr(0, 64) + "'");
    if (!e) return e.error();
    t += "/" + *e;
  }
  if (!page.empty()) {
    auto e = encode_segment(page, "--page");
    if (!e) return e.error();
    t += "/" + *e;
  }
  if (t.size() > 4000) return core::reject(core::Reject::kTooLarge, "the query path is too long");
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

  struct AccountArgs {
    std::string address;
    bool transactions = false;
    std::uint64_t from = 0;
    std::uint64_t limit = 50;
  };
  auto acc = std::make_shared<AccountArgs>();
  auto* account = app.add_subcommand(
      "account",
      "an account: its key and next sequence (and its transactions with --transactions)");
  account->add_option("address", acc->address, "the account's address (or 64 hex digits)")
      ->required();
  account->add_flag("--transactions", acc->transactions,
                    "also list its committed transactions (sent by it or concerning it)");
  account->add_option("--from", acc->from, "with --transactions: first accumulator index (paging)");
  account->add_option("--limit", acc->limit, "with --transactions: at most this many")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000}));
  account->footer("Example: bauhinia-wallet account hktest1... --transactions");
  account->callback([&ctx, acc] {
    ctx.action = [&ctx, acc]() -> int {
      auto id = parse_account(ctx.options.address_prefix, acc->address);
      if (!id) return ctx.fail(kExitBadInput, "account: " + id.error().detail);
      if (!acc->transactions) {
        return show(ctx, "/v1/query/accounts/account/" + id->to_hex(),
                    [&ctx](const json& j) { account_table(ctx, j); });
      }
      auto node = ctx.node();
      if (!node) return ctx.fail(node.error());
      auto record = node->get_ok("/v1/query/accounts/account/" + id->to_hex());
      if (!record) return ctx.fail(record.error());
      auto list = node->get_ok("/v1/accounts/" + id->to_hex() + "/transactions?from=" +
                               std::to_string(acc->from) + "&limit=" + std::to_string(acc->limit));
      if (!list) return ctx.fail(list.error());
      if (ctx.options.json) {
        ctx.print_json(json{{"account", *record}, {"transactions", *list}});
        return kExitOk;
      }
      account_table(ctx, *record);
      Rows rows;
      for (const auto& t : list->value("transactions", json::array())) {
        rows.emplace_back("  block " + text_of(t.value("height", json())),
                          text_of(t.value("module", json())) + "." +
                              text_of(t.value("call", json())) + "  " +
                              text_of(t.value("outcome", json())) + "  " +
                              text_of(t.value("transaction_id", json())));
      }
      if (rows.empty()) rows.emplace_back("transactions", "(none)");
      if (list->contains("next_from") && !(*list)["next_from"].is_null()) {
        rows.emplace_back("more", "--from " + text_of((*list)["next_from"]));
      }
      print_rows(*ctx.out, rows);
      return kExitOk;
    };
  });

  struct BlocksArgs {
    std::optional<std::uint64_t> from;
    std::uint64_t limit = 20;
  };
  auto bl = std::make_shared<BlocksArgs>();
  auto* blocks = app.add_subcommand("blocks", "recent blocks, newest first (paged)");
  blocks->add_option("--from", bl->from, "the first height listed (default: the latest)");
  blocks->add_option("--limit", bl->limit, "at most this many")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000}));
  blocks->footer("Example: bauhinia-wallet blocks --limit 5");
  blocks->callback([&ctx, bl] {
    ctx.action = [&ctx, bl]() -> int {
      std::string target = "/v1/blocks?limit=" + std::to_string(bl->limit);
      if (bl->from) target += "&from=" + std::to_string(*bl->from);
      return show(ctx, target, [&ctx](const json& j) {
        Rows rows;
        for (const auto& b : j.value("blocks", json::array())) {
          rows.emplace_back("block " + text_of(b.value("height", json())),
                            utc_time(b.value("timestamp_ms", std::uint64_t{0})) + "  " +
                                text_of(b.value("transaction_count", json())) +
                                " transactions  epoch " + text_of(b.value("epoch", json())) +
                                "  id " + text_of(b.value("block_id", json())));
        }
        if (j.contains("next_from") && !j["next_from"].is_null()) {
          rows.emplace_back("more", "--from " + text_of(j["next_from"]));
        }
        print_rows(*ctx.out, rows);
      });
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
      "  bauhinia-wallet record trademark by_status registered --page 2\n"
      "  bauhinia-wallet record company by_name \"Kowloon Kinetic Robotics Limited\"");
  record->callback([&ctx, rec] {
    ctx.action = [&ctx, rec]() -> int {
      auto target = query_target(rec->module, rec->path, rec->page);
      if (!target) return ctx.fail(kExitBadInput, "record: " + target.error().detail);
      return show(ctx, *target, [&ctx](const json& j) { record_table(ctx, j); });
    };
  });

  struct HistoryArgs {
    std::string module;
    std::vector<std::string> key;
    std::uint64_t from = 0;
    std::uint64_t limit = 100;
  };
  auto hist = std::make_shared<HistoryArgs>();
  auto* history = app.add_subcommand("history", "the heights at which a record changed");
  history->add_option("module", hist->module, "the module")->required();
  history
      ->add_option("key", hist->key,
                   "the record key in hex (as `record` prints it), or a query path naming "
                   "the record (e.g. mark 305918274)")
      ->required();
  history->add_option("--from", hist->from, "first height (paging)");
  history->add_option("--limit", hist->limit, "at most this many versions")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000}));
  history->footer(
      "Examples:\n  bauhinia-wallet history trademark mark 305918274\n"
      "  bauhinia-wallet history accounts 01<64 hex account id>");
  history->callback([&ctx, hist] {
    ctx.action = [&ctx, hist]() -> int {
      if (!valid_path_segment(hist->module)) {
        return ctx.fail(kExitBadInput, "history: not a module name");
      }
      std::string key;
      if (hist->key.size() == 1 && core::from_hex(hist->key[0]) && hist->key[0].size() <= 512) {
        key = hist->key[0];
      } else {
        // A query path: the record it resolves to.
        auto target = query_target(hist->module, hist->key, "");
        if (!target) return ctx.fail(kExitBadInput, "history: " + target.error().detail);
        auto node = ctx.node();
        if (!node) return ctx.fail(node.error());
        auto answer = node->get_ok(*target);
        if (!answer) return ctx.fail(answer.error());
        key = text_of(answer->value("record_key_hex", json()));
        if (!core::from_hex(key) || key.empty()) {
          return ctx.fail(kExitNodeFailure, "history: the node's answer names no record key");
        }
      }
      return show(ctx,
                  "/v1/state/" + hist->module + "/" + key + "/history?from=" +
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
