// Every call of every module as a command, generated from all_calls():
//   bauhinia-wallet <module> <call-with-dashes> --<arg> VALUE ... --key NAME
// build() checks the arguments before any key is unlocked; co-signed calls
// need every co-signer's key here (--cosign-key), else `tx prepare`.

#include <algorithm>
#include <memory>

#include "bauhinia/wallet/call_spec.hpp"
#include "bauhinia/wallet/prepared_tx.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "record_views.hpp"
#include "signing.hpp"
#include "submit.hpp"

namespace bauhinia::wallet {

namespace {

using nlohmann::json;

// Whether an ArgSpec is a flag (the field exists once wallet-calls' change
// to call_spec.hpp is in; until then no argument is a flag).
template <class A>
bool is_flag(const A& a) {
  if constexpr (requires { a.flag; }) {
    return a.flag;
  } else {
    return false;
  }
}

std::string dashed(std::string s) {
  std::replace(s.begin(), s.end(), '_', '-');
  return s;
}

struct CallCli {
  const CallSpec* spec = nullptr;
  std::map<std::string, std::string> values;
  std::map<std::string, bool> flags;
  std::vector<std::pair<std::string, CLI::Option*>> given;
  std::string key;
  std::vector<std::string> cosign_keys;
  bool dry_run = false;
  bool no_wait = false;
  std::optional<std::uint64_t> sequence;
  std::uint64_t expires_in_s = kDefaultExpiresInS;
  // prepare only
  std::filesystem::path out;
  std::string chain_id;
};

Args collect_args(const CallCli& c) {
  Args args;
  for (const auto& [name, opt] : c.given) {
    if (opt->count() == 0) continue;
    if (c.flags.count(name)) {
      args.emplace(name, c.flags.at(name) ? "true" : "false");
    } else {
      args.emplace(name, c.values.at(name));
    }
  }
  return args;
}

std::string call_name(const CallSpec& s) {
  return s.module + " " + dashed(s.call);
}

int run_direct(Context& ctx, const CallCli& c) {
  const CallSpec& spec = *c.spec;
  const Args args = collect_args(c);
  // The arguments are checked (build) before any key, file or node is used.
  auto built = spec.build(args);
  if (!built) return ctx.fail(kExitBadInput, call_name(spec) + ": " + built.error().detail);
  KeyUnlocker keys(ctx);
  auto sender_info = keys.store().info(c.key);
  if (!sender_info) return ctx.fail(kExitBadInput, sender_info.error().message());

  // Every co-signer's key must be here; else the call goes through tx prepare.
  std::vector<std::pair<core::AccountId, std::string>> cosigners;
  for (const auto& who : built->cosigners) {
    std::string found;
    for (const auto& name : c.cosign_keys) {
      auto info = keys.store().info(name);
      if (!info) return ctx.fail(kExitBadInput, info.error().message());
      if (info->account == who) found = name;
    }
    if (found.empty()) {
      return ctx.fail(kExitBadInput,
                      call_name(spec) + " must be co-signed by " +
                          core::encode_address(ctx.options.address_prefix, who) +
                          ", whose key is not given (--cosign-key NAME); when that party signs "
                          "elsewhere, use `bauhinia-wallet tx prepare " +
                          call_name(spec) + " ... --out FILE`, then `tx sign` and `tx submit`");
    }
    cosigners.emplace_back(who, found);
  }

  auto node = ctx.node();
  if (!node) return ctx.fail(node.error());
  auto chain = fetch_chain_id(ctx, *node);
  if (!chain) return ctx.fail(chain.error());
  std::uint64_t sequence = 0;
  if (c.sequence) {
    sequence = *c.sequence;
  } else {
    auto s = fetch_next_sequence(*node, sender_info->account);
    if (!s) return ctx.fail(s.error());
    sequence = *s;
  }
  auto sender = keys.unlock(c.key);
  if (!sender) return ctx.fail(sender.error());
  auto p = prepare(spec, args, (*sender)->info.account, (*sender)->key.public_key(), *chain,
                   sequence, now_ms() + c.expires_in_s * 1000);
  if (!p) return ctx.fail(kExitBadInput, call_name(spec) + ": " + p.error().detail);
  for (const auto& [who, name] : cosigners) {
    auto k = keys.unlock(name);
    if (!k) return ctx.fail(k.error());
    if (auto v = add_cosignature(*p, who, (*k)->key, now_ms()); !v) {
      return ctx.fail(kExitBadInput, v.rejection().detail);
    }
  }
  if (auto v = sign_envelope(*p, (*sender)->key, now_ms()); !v) {
    return ctx.fail(kExitBadInput, v.rejection().detail);
  }
  const chain::Transaction tx = p->envelope();

  if (c.dry_run) {
    auto verdict = dry_run(*node, tx);
    if (!verdict) return ctx.fail(verdict.error());
    const auto lines = plan_lines(ctx, tx, p->description);
    if (ctx.options.json) {
      ctx.print_json(json{{"would_sign", lines},
                          {"transaction_id", tx.id().to_hex()},
                          {"transaction_hex", core::to_hex(tx.encoded())},
                          {"dry_run", verdict->body}});
    } else {
      *ctx.out << "Would sign (nothing submitted):\n";
      for (const auto& l : lines) *ctx.out << "  " << l << "\n";
      *ctx.out << "Node's verdict: " << verdict->text << "\n";
    }
    return verdict->would_succeed ? kExitOk : kExitRejected;
  }
  for (const auto& l : plan_lines(ctx, tx, p->description)) *ctx.err << l << "\n";
  return submit_transaction(ctx, *node, tx, !c.no_wait).exit_code;
}

int run_prepare(Context& ctx, const CallCli& c) {
  const CallSpec& spec = *c.spec;
  const Args args = collect_args(c);
  // The arguments are checked (build) before any key, file or node is used.
  auto built = spec.build(args);
  if (!built) return ctx.fail(kExitBadInput, call_name(spec) + ": " + built.error().detail);
  if (c.out.empty()) return ctx.fail(kExitBadInput, "tx prepare: --out FILE is required");
  std::error_code ec;
  if (std::filesystem::exists(c.out, ec)) {
    return ctx.fail(kExitBadInput, c.out.string() + " exists already; choose another --out");
  }
  Keystore store(ctx.options.keystore_dir);
  auto sender = store.info(c.key);
  if (!sender) return ctx.fail(kExitBadInput, sender.error().message());
  std::string chain = c.chain_id;
  std::optional<std::uint64_t> sequence = c.sequence;
  if (chain.empty() || !sequence) {
    auto node = ctx.node();
    if (!node) {
      return ctx.fail(kExitBadInput,
                      node.error().message() + " (offline: give both --chain-id and --sequence)");
    }
    if (chain.empty()) {
      auto id = fetch_chain_id(ctx, *node);
      if (!id) return ctx.fail(id.error());
      chain = *id;
    }
    if (!sequence) {
      auto s = fetch_next_sequence(*node, sender->account);
      if (!s) return ctx.fail(s.error());
      sequence = *s;
    }
  }
  auto p = prepare(spec, args, sender->account, sender->public_key, chain, *sequence,
                   now_ms() + c.expires_in_s * 1000);
  if (!p) return ctx.fail(kExitBadInput, call_name(spec) + ": " + p.error().detail);
  if (auto s = write_prepared(c.out, *p, ctx.options.address_prefix, /*create=*/true); !s) {
    return ctx.fail(kExitBadInput, s.message());
  }
  if (ctx.options.json) {
    ctx.print_json(to_json(*p, ctx.options.address_prefix));
    return kExitOk;
  }
  *ctx.out << "prepared " << c.out.string() << " (sequence " << p->sequence << ", valid until "
           << utc_time(p->expiry_ms) << ")\n";
  for (const auto& who : p->cosigners) {
    *ctx.out << "  must be co-signed by " << core::encode_address(ctx.options.address_prefix, who)
             << ": bauhinia-wallet tx sign " << c.out.string() << " --key <their key>\n";
  }
  *ctx.out << "  then signed by the sender: bauhinia-wallet tx sign " << c.out.string() << " --key "
           << c.key << "\n";
  return kExitOk;
}

std::string arg_help(const ArgSpec& a) {
  return a.help + (a.required ? "" : " (optional)");
}

void add_one_call(CLI::App& module_cmd, Context& ctx, const CallSpec& spec, bool prepare_mode) {
  auto* cmd = module_cmd.add_subcommand(dashed(spec.call), spec.summary);
  auto c = std::make_shared<CallCli>();
  c->spec = &spec;
  for (const ArgSpec& a : spec.args) {
    CLI::Option* opt = nullptr;
    if (is_flag(a)) {
      opt = cmd->add_flag("--" + a.name, c->flags[a.name], arg_help(a));
    } else {
      opt = cmd->add_option("--" + a.name, c->values[a.name], arg_help(a));
    }
    // Required arguments are checked by build() with the rule in the message.
    c->given.emplace_back(a.name, opt);
  }
  cmd->add_option("--key", c->key, "the sender's key in the keystore")->required();
  cmd->add_option("--sequence", c->sequence,
                  "the sender's sequence number (default: asked from the node)");
  if (prepare_mode) {
    c->expires_in_s = kDefaultPrepareExpiresInS;
    cmd->add_option("--out", c->out, "the prepared-transaction file to create")->required();
    cmd->add_option("--chain-id", c->chain_id, "the chain id (default: asked from the node)");
    cmd->add_option("--expires-in", c->expires_in_s,
                    "seconds the transaction stays valid (default 3600, at most 7200)")
        ->check(CLI::Range(std::uint64_t{10}, kMaxExpiresInS));
  } else {
    cmd->add_option("--cosign-key", c->cosign_keys,
                    "a co-signer's key in this keystore (repeatable)");
    cmd->add_flag("--dry-run", c->dry_run,
                  "show what would be signed and the node's verdict; submit nothing");
    cmd->add_flag("--no-wait", c->no_wait, "return once the node admitted it");
    cmd->add_option("--expires-in", c->expires_in_s,
                    "seconds the transaction stays valid (default 600, at most 7200)")
        ->check(CLI::Range(std::uint64_t{10}, kMaxExpiresInS));
  }
  std::string example = spec.example;
  if (prepare_mode && example.starts_with("bauhinia-wallet ")) {
    example = "bauhinia-wallet tx prepare " + example.substr(16) + " --out FILE";
  }
  cmd->footer("Example:\n  " + example);
  cmd->callback([&ctx, c, prepare_mode] {
    ctx.action = [&ctx, c, prepare_mode]() -> int {
      return prepare_mode ? run_prepare(ctx, *c) : run_direct(ctx, *c);
    };
  });
}

// `trademark show N`, `company show N`, `anchor show N`: the record by its number.
void add_show(CLI::App& module_cmd, Context& ctx, const std::string& module,
              const std::string& path) {
  auto* show = module_cmd.add_subcommand("show", "the " + module + " record with this number");
  auto number = std::make_shared<std::string>();
  show->add_option("number", *number, "the register number")->required();
  show->footer("Example: bauhinia-wallet " + module + " show <number>   (= record " + module + " " +
               path + " <number>)");
  show->callback([&ctx, number, module, path] {
    ctx.action = [&ctx, number, module, path]() -> int {
      const bool ok = !number->empty() && number->size() <= 64 &&
                      std::all_of(number->begin(), number->end(), [](char ch) {
                        return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
                               (ch >= 'a' && ch <= 'z') || ch == '-' || ch == '_';
                      });
      if (!ok) return ctx.fail(kExitBadInput, module + " show: not a register number");
      auto node = ctx.node();
      if (!node) return ctx.fail(node.error());
      auto answer = node->get_ok("/v1/query/" + module + "/" + path + "/" + *number);
      if (!answer) return ctx.fail(answer.error());
      if (ctx.options.json) {
        ctx.print_json(*answer);
        return kExitOk;
      }
      const json value = answer->value("value_hex", json());
      print_record(ctx, *answer);
      return value.is_null() ? static_cast<int>(kExitBadInput) : static_cast<int>(kExitOk);
    };
  });
}

}  // namespace

void add_call_tree(CLI::App& parent, Context& ctx, bool prepare_mode) {
  std::map<std::string, CLI::App*> modules;
  for (const CallSpec& spec : all_calls()) {
    CLI::App*& m = modules[spec.module];
    if (m == nullptr) {
      m = parent.add_subcommand(spec.module, "the " + spec.module + " module's calls");
      m->require_subcommand(1);
      std::string example = spec.example;
      if (prepare_mode && example.starts_with("bauhinia-wallet ")) {
        example = "bauhinia-wallet tx prepare " + example.substr(16) + " --out FILE";
      }
      m->footer("Example:\n  " + example + "\n(`bauhinia-wallet " + spec.module +
                " <call> --help` for each call)");
      if (!prepare_mode) {
        static const std::map<std::string, std::string> kShowPath = {
            {"trademark", "mark"}, {"company", "company"}, {"anchor", "anchor"}};
        if (auto it = kShowPath.find(spec.module); it != kShowPath.end()) {
          add_show(*m, ctx, it->first, it->second);
        } else {
          add_register_show_command(*m, ctx, spec.module);
        }
      }
    }
    add_one_call(*m, ctx, spec, prepare_mode);
  }
  if (!prepare_mode) {
    if (auto it = modules.find("health"); it != modules.end()) {
      add_health_check_command(*it->second, ctx);
    }
  }
}

void add_call_commands(CLI::App& app, Context& ctx) {
  add_call_tree(app, ctx, false);
}

}  // namespace bauhinia::wallet
