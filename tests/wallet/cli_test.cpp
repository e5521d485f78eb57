// The command line itself (run_wallet in-process): every call's example is a
// valid command, arguments are checked before any key or node is used, the
// config file and the exit codes. No node runs here: a command that got past
// its checks stops at "no node address" (or the unreachable node's exit 5).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "bauhinia/wallet/call_spec.hpp"
#include "bauhinia/wallet/context.hpp"
#include "bauhinia/wallet/keystore.hpp"
#include "example_args.hpp"
#include "run_in_process.hpp"

namespace bauhinia::wallet {
namespace {

namespace fs = std::filesystem;

using testing::Outcome;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("bauhinia-cli-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // No user config or keystore of the machine running the test.
    ::setenv("HOME", dir_.c_str(), 1);
    ::unsetenv("XDG_CONFIG_HOME");
    ::unsetenv("XDG_DATA_HOME");
    ::unsetenv("BAUHINIA_WALLET_CONFIG");
    ::setenv("BAUHINIA_WALLET_PASSPHRASE", "cli test", 1);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Outcome wallet(std::vector<std::string> args) {
    args.insert(args.begin(), {"--keystore", (dir_ / "keys").string()});
    return testing::run_in_process(std::move(args));
  }

  void make_key(const std::string& name) {
    const Keystore store(dir_ / "keys");
    ASSERT_TRUE(
        store.add(name, core::schnorr::SecretKey::generate(), "cli test", KdfCost::kInteractive)
            .has_value());
  }

  fs::path dir_;
};

TEST_F(CliTest, EveryCallsExampleIsAValidCommandThatBuilds) {
  make_key("k");
  ASSERT_FALSE(all_calls().empty());
  for (const CallSpec& spec : all_calls()) {
    std::vector<std::string> words = testing::shell_words(spec.example);
    ASSERT_GE(words.size(), 3u) << spec.example;
    words.erase(words.begin());  // the program
    words.insert(words.end(), {"--key", "k", "--dry-run"});
    const Outcome r = wallet(words);
    EXPECT_EQ(r.code, kExitBadInput) << spec.example;
    // Past parsing and build(): it stops at the node (or the missing co-signer key).
    const bool built = r.err.find("no node address") != std::string::npos ||
                       r.err.find("must be co-signed") != std::string::npos;
    EXPECT_TRUE(built) << spec.example << "\n" << r.err;
  }
}

TEST_F(CliTest, HelpOfEveryCallShowsItsExample) {
  for (const CallSpec& spec : all_calls()) {
    std::string call = spec.call;
    std::replace(call.begin(), call.end(), '_', '-');
    const Outcome r = wallet({spec.module, call, "--help"});
    EXPECT_EQ(r.code, kExitOk) << spec.module << " " << call;
    EXPECT_NE(r.out.find(spec.summary), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Example"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("--key"), std::string::npos) << r.out;
  }
  EXPECT_EQ(wallet({"--help"}).code, kExitOk);
  EXPECT_EQ(wallet({"tx", "prepare", "trademark", "assign", "--help"}).code, kExitOk);
}

TEST_F(CliTest, ArgumentsAreCheckedBeforeAnyKeyOrNode) {
  // No key "k" exists and no node is configured: the argument's rule comes first.
  const CallSpec& spec = testing::spec_of("trademark", "assign");
  std::vector<std::string> words = testing::shell_words(spec.example);
  words.erase(words.begin());
  for (auto& w : words) {
    if (w == "305918274") w = "123";
  }
  words.insert(words.end(), {"--key", "k"});
  const Outcome r = wallet(words);
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("mark"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("no key"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "keys")) << "nothing created";

  EXPECT_EQ(
      wallet({"trademark", "examine", "--mark", "305918274", "--bogus", "1", "--key", "k"}).code,
      kExitBadInput);
  EXPECT_EQ(wallet({"trademark", "examine", "--key", "k"}).code, kExitBadInput);
  EXPECT_EQ(wallet({"no-such-module", "call"}).code, kExitBadInput);
  EXPECT_EQ(wallet({}).code, kExitBadInput);
  EXPECT_EQ(wallet({"block", "abc", "--node", "http://127.0.0.1:9"}).code, kExitBadInput);
  EXPECT_EQ(wallet({"tx", "show", "xyz", "--node", "http://127.0.0.1:9"}).code, kExitBadInput);
  EXPECT_EQ(wallet({"record", "../x", "mark", "--node", "http://127.0.0.1:9"}).code, kExitBadInput);
  EXPECT_EQ(wallet({"record", "trademark", "a\tb", "--node", "http://127.0.0.1:9"}).code,
            kExitBadInput);
  EXPECT_EQ(
      wallet({"record", "trademark", std::string(300, 'a'), "--node", "http://127.0.0.1:9"}).code,
      kExitBadInput);
  // A passphrase is never an argument.
  EXPECT_EQ(wallet({"key", "new", "x", "--passphrase", "p"}).code, kExitBadInput);
}

TEST_F(CliTest, NodeAddressesAndUnreachableNodes) {
  EXPECT_EQ(wallet({"status"}).code, kExitBadInput);  // none configured
  EXPECT_EQ(wallet({"status", "--node", "https://127.0.0.1:9"}).code, kExitBadInput);
  EXPECT_EQ(wallet({"status", "--node", "http://127.0.0.1:99999"}).code, kExitBadInput);
  EXPECT_EQ(wallet({"status", "--node", "http://user@host:1/x"}).code, kExitBadInput);
  const Outcome r = wallet({"--node", "http://127.0.0.1:9", "status"});
  EXPECT_EQ(r.code, kExitNodeFailure);
  EXPECT_NE(r.err.find("127.0.0.1:9"), std::string::npos) << r.err;
}

TEST_F(CliTest, ConfigFile) {
  const fs::path config = dir_ / "wallet.toml";
  std::ofstream(config) << "node = \"http://127.0.0.1:9\"\nchain_id = \"c\"\n";
  ::setenv("BAUHINIA_WALLET_CONFIG", config.c_str(), 1);
  Outcome r = wallet({"status"});
  EXPECT_EQ(r.code, kExitNodeFailure) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1:9"), std::string::npos) << r.err;

  std::ofstream(config) << "node = \"http://127.0.0.1:9\"\nnodes = 3\n";
  r = wallet({"status"});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("unknown key 'nodes'"), std::string::npos) << r.err;

  std::ofstream(config) << "node = [\n";
  EXPECT_EQ(wallet({"status"}).code, kExitBadInput);

  ::setenv("BAUHINIA_WALLET_CONFIG", (dir_ / "missing.toml").c_str(), 1);
  EXPECT_EQ(wallet({"status"}).code, kExitBadInput);

  // The default file under HOME.
  ::unsetenv("BAUHINIA_WALLET_CONFIG");
  fs::create_directories(dir_ / ".config" / "bauhinia");
  std::ofstream(dir_ / ".config" / "bauhinia" / "wallet.toml") << "node = \"127.0.0.1:9\"\n";
  EXPECT_EQ(wallet({"status"}).code, kExitNodeFailure);
}

TEST_F(CliTest, KeysFromTheCommandLine) {
  Outcome r = wallet({"--json", "key", "new", "alice", "--kdf", "interactive"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("\"address\""), std::string::npos);
  EXPECT_EQ(wallet({"key", "new", "alice", "--kdf", "interactive"}).code, kExitBadInput);
  EXPECT_EQ(wallet({"key", "new", "Bad/Name"}).code, kExitBadInput);
  EXPECT_EQ(wallet({"key", "new", "bob", "--kdf", "weak"}).code, kExitBadInput);
  r = wallet({"key", "list"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.out.find("alice"), std::string::npos);

  // Export the secret, import it under another name.
  const fs::path secret = dir_ / "alice.key";
  ASSERT_EQ(wallet({"key", "export", "alice", "--secret", "--out", secret.string()}).code, kExitOk);
  EXPECT_EQ(wallet({"key", "export", "alice", "--secret", "--out", secret.string()}).code,
            kExitBadInput)
      << "never overwritten";
  EXPECT_EQ(
      wallet({"key", "import", "copy", "--from", secret.string(), "--kdf", "interactive"}).code,
      kExitOk);

  // Wrong passphrase: exit 2, nothing written.
  ::setenv("BAUHINIA_WALLET_PASSPHRASE", "wrong", 1);
  r = wallet({"key", "export", "alice", "--secret", "--out", (dir_ / "x.key").string()});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("wrong passphrase"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "x.key"));

  // A passphrase file others can read is refused.
  const fs::path pass = dir_ / "pass.txt";
  std::ofstream(pass) << "cli test\n";
  ::chmod(pass.c_str(), 0644);
  EXPECT_EQ(wallet({"--passphrase-file", pass.string(), "key", "export", "alice", "--secret",
                    "--out", (dir_ / "y.key").string()})
                .code,
            kExitBadInput);
  ::chmod(pass.c_str(), 0600);
  EXPECT_EQ(wallet({"--passphrase-file", pass.string(), "key", "export", "alice", "--secret",
                    "--out", (dir_ / "y.key").string()})
                .code,
            kExitOk);
}

TEST_F(CliTest, PreparedFilesOffline) {
  make_key("officer");
  const fs::path file = dir_ / "ping.json";
  // Fully offline: chain id and sequence given.
  ASSERT_EQ(wallet({"tx", "prepare", "accounts", "ping", "--memo", "hi", "--key", "officer",
                    "--chain-id", "bauhinia-test-1", "--sequence", "3", "--out", file.string()})
                .code,
            kExitOk);
  EXPECT_EQ(wallet({"tx", "prepare", "accounts", "ping", "--memo", "hi", "--key", "officer",
                    "--out", file.string()})
                .code,
            kExitBadInput)
      << "needs a node, or --chain-id and --sequence";
  Outcome r = wallet({"tx", "inspect", file.string()});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("NOT YET"), std::string::npos) << r.out;
  ASSERT_EQ(wallet({"tx", "sign", file.string(), "--key", "officer"}).code, kExitOk);
  EXPECT_EQ(wallet({"tx", "sign", file.string(), "--key", "officer"}).code, kExitBadInput);
  r = wallet({"--json", "tx", "inspect", file.string()});
  EXPECT_NE(r.out.find("\"check\": \"ok\""), std::string::npos) << r.out;

  // A changed byte in the stored arguments: refused on inspect and on submit.
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string changed = text.str();
  const auto at = changed.find("\"hi\"");
  ASSERT_NE(at, std::string::npos);
  changed.replace(at, 4, "\"ho\"");
  std::ofstream(file, std::ios::trunc) << changed;
  r = wallet({"tx", "inspect", file.string()});
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_NE(r.err.find("tampered"), std::string::npos) << r.err;
  EXPECT_EQ(wallet({"tx", "submit", file.string(), "--node", "http://127.0.0.1:9"}).code,
            kExitBadInput);
  std::ofstream(file, std::ios::trunc) << changed.substr(0, changed.size() / 2);
  EXPECT_EQ(wallet({"tx", "inspect", file.string()}).code, kExitBadInput);
}

}  // namespace
}  // namespace bauhinia::wallet

namespace bauhinia::wallet {
namespace {

// Every command of the tree, group or leaf, says in its --help how it is used.
void expect_examples(const CLI::App& app, const std::string& path) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    const std::string name = path + " " + sub->get_name();
    EXPECT_NE(sub->get_footer().find("Example"), std::string::npos) << name << " has no example";
    EXPECT_FALSE(sub->get_description().empty()) << name;
    expect_examples(*sub, name);
  }
}

TEST(CliTree, EveryCommandHasAnExample) {
  Context ctx;
  CLI::App app{"test"};
  add_all_commands(app, ctx);
  expect_examples(app, "bauhinia-wallet");
}

}  // namespace
}  // namespace bauhinia::wallet
