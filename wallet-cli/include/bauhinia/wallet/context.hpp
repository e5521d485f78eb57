#pragma once
// What every `bauhinia-wallet` command shares: the global options (after the
// config file filled what the command line left out), where output goes, the
// exit codes, and the node client.
//
// Commands are wired onto the CLI11 app by add_*_commands(app, ctx): parsing
// only records the chosen command's action (ctx.action), which run_wallet runs
// after the whole command line is parsed and the config file loaded.

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "bauhinia/core/status.hpp"
#include "bauhinia/wallet/node_client.hpp"

namespace CLI {
class App;
}

namespace bauhinia::wallet {

// The process's exit codes (docs/wallet.md, "Exit codes").
enum ExitCode : int {
  kExitOk = 0,
  kExitBadInput = 2,      // command line, arguments, keystore, files
  kExitRejected = 3,      // refused at admission, or committed with a failure outcome
  kExitVerifyFailed = 4,  // `verify`: not proven; `health check-record`: no match
  kExitNodeFailure = 5,   // cannot reach the node, or the node failed
};

struct GlobalOptions {
  std::string node_url;                   // --node, else the config file's `node`
  bool json = false;                      // --json: the node's JSON, for scripts
  std::filesystem::path keystore_dir;     // --keystore, config `keystore`, or the default
  std::string chain_id;                   // config `chain_id`: checked against the node's
  std::string address_prefix;             // config `address_prefix`, default "hktest"
  std::filesystem::path config_file;      // --config, $BAUHINIA_WALLET_CONFIG, or the default
  std::filesystem::path passphrase_file;  // --passphrase-file
};

struct Context {
  GlobalOptions options;
  std::ostream* out = nullptr;  // results (stdout)
  std::ostream* err = nullptr;  // errors and progress (stderr)
  // Set by the chosen command while parsing; run by main afterwards.
  std::function<int()> action;
  // For commands that run inside their CLI11 callback instead (verify): the
  // exit code they chose.
  std::optional<int> exit_code;

  // The client of options.node_url (an error when none is configured).
  core::Result<NodeClient> node() const;

  // Prints "bauhinia-wallet: <message>" on err and returns `code`.
  int fail(int code, const std::string& message) const;
  // The exit code of a Status from the node client or the keystore:
  // kUnavailable/kIoError/kInternal/kCorruption from the node -> 5, else 2.
  int fail(const core::Status& status) const;
  // Prints `j` (indented) on out: the --json output.
  void print_json(const nlohmann::json& j) const;
};

// Fills the options the command line left empty from the TOML config file
// (docs/wallet.md, "Configuration"): node, keystore, chain_id, address_prefix.
// A missing default file is fine; a missing file named by --config or
// $BAUHINIA_WALLET_CONFIG, or a malformed one, is an error.
core::Status load_config(GlobalOptions& options);

// The default keystore folder: $XDG_DATA_HOME/bauhinia/wallet/keys or
// ~/.local/share/bauhinia/wallet/keys.
std::filesystem::path default_keystore_dir();

// Builds the whole command tree on `app` (every command of the wallet).
void add_all_commands(CLI::App& app, Context& ctx);

// Parses argv, loads the config and runs the chosen command: the process's
// exit code. `out`/`err` are std::cout/std::cerr in the executable.
int run_wallet(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace bauhinia::wallet
