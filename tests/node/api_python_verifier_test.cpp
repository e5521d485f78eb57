// docs/api/verify.py, the independent Python verifier of the API's responses
// (its own decoders, hashes, RFC 9162 and state-proof walks, Ed25519 via the
// `cryptography` package), checks transactions and records served by a real
// server against nothing but the genesis validator set, following the epoch
// change. Fails (not skipped) when the script, python3 or `cryptography` is
// missing: scripts/install-deps.sh installs them, ctest sets BAUHINIA_SOURCE_DIR.

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <cstdio>

#include "api_test_support.hpp"

namespace bauhinia::apitest {
namespace {

struct CommandResult {
  int status = -1;
  std::string output;
};

CommandResult run_command(const std::string& command) {
  CommandResult r;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0 && r.output.size() < (1U << 20)) {
    r.output.append(buf.data(), n);
  }
  const int raw = ::pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

class ApiPythonVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(script_))
        << script_ << " not found: run under ctest (it sets BAUHINIA_SOURCE_DIR)";
    ASSERT_EQ(run_command("python3 -c 'import cryptography'").status, 0)
        << "python3 with the cryptography package is not available (scripts/install-deps.sh)";
  }

  CommandResult verify(const std::string& args,
                       const chain::ValidatorSet& trusted = validator_set(0),
                       const std::string& chain_id = kChainId) {
    const std::string command =
        "python3 " + script_ + " --url http://127.0.0.1:" + std::to_string(f_.port()) +
        " --chain-id " + chain_id + " --genesis-validators " + core::to_hex(core::encode(trusted)) +
        " --genesis-id " + f_.node().ledger().genesis_id().to_hex() + " " + args;
    return run_command(command);
  }

  const std::string script_ = std::string(BAUHINIA_SOURCE_DIR) + "/docs/api/verify.py";
  ApiFixture f_;
};

TEST_F(ApiPythonVerifierTest, VerifiesTransactionsAtEveryCertifiedHeight) {
  const std::string id = ping(2, 0, "hello", f_.node().expiry_ms()).id().to_hex();
  for (const std::string height :
       {"", " --height 1", " --height 2", " --height 3", " --height 4"}) {
    const CommandResult r = verify("transaction " + id + height);
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("OK: transaction " + id), std::string::npos) << r.output;
  }
}

TEST_F(ApiPythonVerifierTest, VerifiesRecordsAndAbsence) {
  const std::string key = core::to_hex(contracts::accounts::account_record_key(account_of(1)));
  for (const std::string height : {"", " --height 0", " --height 2", " --height 4"}) {
    const CommandResult r = verify("record accounts " + key + height);
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find(height == " --height 0" ? "is absent" : "is value of"),
              std::string::npos)
        << r.output;
  }
  const CommandResult absent = verify("record accounts 00");
  EXPECT_EQ(absent.status, 0) << absent.output;
  EXPECT_NE(absent.output.find("is absent"), std::string::npos);
}

TEST_F(ApiPythonVerifierTest, FollowsDescendantHeadersToTheirCertificate) {
  // Blocks 5 and 6 committed by one certificate (of block 6).
  TestNode scratch;
  scratch.build_chain();
  const chain::Transaction five = ping(4, 0, "five", scratch.expiry_ms());
  ledger::BlockCommit b5 = scratch.commit({five});
  ledger::BlockCommit b6 = scratch.commit({ping(4, 1, "six", scratch.expiry_ms())});
  b5.certificate = {};
  const std::vector<ledger::BlockCommit> blocks{b5, b6};
  auto committed = f_.node().ledger().commit_blocks(blocks);
  ASSERT_TRUE(committed.has_value() && committed->ok());
  const CommandResult tx = verify("transaction " + five.id().to_hex() + " --height 5");
  EXPECT_EQ(tx.status, 0) << tx.output;
  const CommandResult record =
      verify("record accounts " +
             core::to_hex(contracts::accounts::account_record_key(account_of(4))) + " --height 5");
  EXPECT_EQ(record.status, 0) << record.output;
}

TEST_F(ApiPythonVerifierTest, FailsWithoutTheRightTrustAnchor) {
  const std::string id = ping(1, 0, "first", f_.node().expiry_ms()).id().to_hex();
  // Another genesis set: the epoch change certificate does not verify.
  const CommandResult wrong_set = verify("transaction " + id, validator_set(7));
  EXPECT_EQ(wrong_set.status, 1) << wrong_set.output;
  EXPECT_NE(wrong_set.output.find("FAIL"), std::string::npos);
  // Another chain: certificates are bound to the chain id.
  const CommandResult wrong_chain = verify("transaction " + id, validator_set(0), "another-chain");
  EXPECT_EQ(wrong_chain.status, 1) << wrong_chain.output;
  // Unknown transaction.
  const CommandResult unknown = verify("transaction " + std::string(64, '0'));
  EXPECT_EQ(unknown.status, 1) << unknown.output;
}

}  // namespace
}  // namespace bauhinia::apitest
