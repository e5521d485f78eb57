#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "bauhinia/wallet/context.hpp"
#include "bauhinia/wallet/verify/command.hpp"
#include "commands.hpp"

namespace bauhinia::wallet {

void add_all_commands(CLI::App& app, Context& ctx) {
  auto* tx = app.add_subcommand("tx", "prepared transactions (multi-party signing) and lookups");
  tx->require_subcommand(1);
  tx->footer("Example: bauhinia-wallet tx inspect assign.json");
  add_key_commands(app, ctx);
  add_query_commands(app, *tx, ctx);
  add_tx_file_commands(*tx, ctx);
  add_call_commands(app, ctx);
  verify::add_command(app, ctx);
}

int run_wallet(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Context ctx;
  ctx.out = &out;
  ctx.err = &err;
  CLI::App app{
      "bauhinia-wallet: keys, every call of every module, multi-party signing and queries "
      "against a Bauhinia Ledger node (docs/wallet.md)",
      "bauhinia-wallet"};
  app.require_subcommand(1);
  app.footer(
      "Example: bauhinia-wallet --node http://127.0.0.1:8600 status\n"
      "Exit codes: 0 ok, 2 bad input, 3 rejected by the ledger, 4 not proven (verify), "
      "5 node or connection failure");
  app.fallthrough();  // global options also after the command
  GlobalOptions& o = ctx.options;
  app.add_option("--node", o.node_url, "the node's API, http://HOST:PORT (default: config `node`)");
  app.add_flag("--json", o.json, "print the node's JSON instead of tables (for scripts)");
  app.add_option("--keystore", o.keystore_dir,
                 "keystore folder (default: config `keystore`, else "
                 "~/.local/share/bauhinia/wallet/keys)");
  app.add_option("--config", o.config_file,
                 "config file (default: $BAUHINIA_WALLET_CONFIG, else "
                 "~/.config/bauhinia/wallet.toml)");
  app.add_option("--passphrase-file", o.passphrase_file,
                 "read key passphrases from this file (first line) instead of the terminal or "
                 "$BAUHINIA_WALLET_PASSPHRASE");
  // The config fills the options the command line left out before any
  // command's callback runs (CLI11 runs the app's parse-complete callback
  // before the subcommands' callbacks).
  app.parse_complete_callback([&o] {
    if (auto s = load_config(o); !s) throw CLI::ValidationError("config", s.message());
  });
  add_all_commands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    // --help on a subcommand is a CallForHelp caught above through the app;
    // anything else is bad input.
    if (e.get_exit_code() == 0) {
      app.exit(e, out, err);
      return kExitOk;
    }
    err << "bauhinia-wallet: " << e.what() << "\n";
    err << "Run with --help for more information.\n";
    return kExitBadInput;
  }
  if (ctx.action) {
    // The commands read the node's JSON answers field by field; a field of
    // another type than the API documents throws from nlohmann::json. That is
    // the node's fault, reported as such, never a crash of the wallet.
    try {
      return ctx.action();
    } catch (const nlohmann::json::exception& e) {
      return ctx.fail(
          kExitNodeFailure,
          std::string("the node's answer is not in the API's documented form (") + e.what() + ")");
    }
  }
  if (ctx.exit_code) return *ctx.exit_code;
  return ctx.fail(kExitBadInput, "no command given (see --help)");
}

}  // namespace bauhinia::wallet
