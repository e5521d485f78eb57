// `bauhinia-wallet health check-record` (run_wallet in-process) on the health
// module's golden vectors (tests/contracts/health/golden/health_v1.txt): the
// sample record and salt open commitment.sample; any other byte or salt does
// not; hostile files and salts are refused before anything is computed or
// sent. The --id checks and `record health` tables read the golden
// HealthRecord from a local HTTP server answering as a node's API does.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bauhinia/wallet/context.hpp"
#include "one_answer_node.hpp"
#include "run_in_process.hpp"

namespace bauhinia::wallet {
namespace {

namespace fs = std::filesystem;
using testing::OneAnswerNode;

// tests/contracts/health/golden/health_v1.txt
const std::string kSampleRecord = "COVID-19 vaccination, dose 2, lot EX1234";
const std::string kSampleCommitment =
    "2c2f1d3bf66df00cdcf6c552f44eee3d4ebd5ab365b9ff8f2f008d218f8fd995";
const std::string kRecordId(64, '1');
const std::string kGoldenHealthRecord =
    "01111111111111111111111111111111111111111111111111111111111111111102bc01c2aff265c7da7eeb9845"
    "3b67619f53d0b892cb4fce7059d7199c77f001bb78ac333e150848bc11ccace528251713e2e3d77cdb74926348"
    "430cfbf6fdedda2c2f1d3bf66df00cdcf6c552f44eee3d4ebd5ab365b9ff8f2f008d218f8fd99580260fac9c01"
    "0000070000000000000001808235b19c010000020180de5bb69c01000078ac333e150848bc11ccace528251713"
    "e2e3d77cdb74926348430cfbf6fdedda";

std::string salt_5a() {
  std::string s;
  for (int i = 0; i < 32; ++i) s += "5a";
  return s;
}

std::string record_answer(const std::string& value_hex) {
  return R"({"module":"health","record_key_hex":"01)" + kRecordId + R"(","value_hex":)" +
         (value_hex.empty() ? "null" : "\"" + value_hex + "\"") + R"(,"height":12})";
}

using testing::Outcome;

class HealthCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("bauhinia-health-check-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ::setenv("HOME", dir_.c_str(), 1);
    ::unsetenv("XDG_CONFIG_HOME");
    ::unsetenv("BAUHINIA_WALLET_CONFIG");
    record_ = write("record.txt", kSampleRecord);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return (dir_ / name).string();
  }

  Outcome wallet(std::vector<std::string> args) { return testing::run_in_process(std::move(args)); }

  Outcome offline(const std::string& file, const std::string& salt, const std::string& commitment) {
    return wallet({"health", "check-record", "--record-file", file, "--salt", salt, "--commitment",
                   commitment});
  }

  fs::path dir_;
  std::string record_;
};

TEST_F(HealthCheckTest, TheGoldenSampleMatchesOffline) {
  const Outcome r = offline(record_, salt_5a(), kSampleCommitment);
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("MATCH"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("computed     " + kSampleCommitment), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(40 bytes)"), std::string::npos) << r.out;
  // Upper-case hex is the same salt and commitment.
  std::string upper = kSampleCommitment;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(offline(record_, "5A" + salt_5a().substr(2), upper).code, kExitOk);
  // --json for scripts.
  const Outcome j = wallet({"--json", "health", "check-record", "--record-file", record_, "--salt",
                            salt_5a(), "--commitment", kSampleCommitment});
  EXPECT_EQ(j.code, kExitOk);
  const auto parsed = nlohmann::json::parse(j.out);
  EXPECT_TRUE(parsed.at("matches").get<bool>());
  EXPECT_EQ(parsed.at("computed_commitment"), kSampleCommitment);
}

TEST_F(HealthCheckTest, AnyOtherRecordOrSaltDoesNotMatch) {
  // One byte of the record changed, a byte appended, the salt's last bit flipped.
  std::string altered = kSampleRecord;
  altered[17] = '3';
  for (const auto& [file, salt] : std::vector<std::pair<std::string, std::string>>{
           {write("altered.txt", altered), salt_5a()},
           {write("longer.txt", kSampleRecord + "\n"), salt_5a()},
           {record_, salt_5a().substr(0, 62) + "5b"}}) {
    const Outcome r = offline(file, salt, kSampleCommitment);
    EXPECT_EQ(r.code, kExitVerifyFailed) << file << " " << salt;
    EXPECT_NE(r.out.find("NO MATCH"), std::string::npos) << r.out;
  }
  // An empty record (golden commitment.empty_record, salt 32 zero bytes) is a record too.
  EXPECT_EQ(offline(write("empty.txt", ""), salt_5a(), kSampleCommitment).code, kExitVerifyFailed);
  EXPECT_EQ(offline(write("empty2.txt", ""), std::string(64, '0'),
                    "0c1c81d28db880e4a42be901b5ec6ae25d5c3db12a5c612be6a735001e69611b")
                .code,
            kExitOk);
}

TEST_F(HealthCheckTest, HostileInputIsRefusedWithAClearError) {
  const std::string c = kSampleCommitment;
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const fs::path big = dir_ / "big.bin";
  { std::ofstream(big, std::ios::binary) << "x"; }
  fs::resize_file(big, (std::uintmax_t{16} << 20) + 1);  // sparse: one byte over the bound
  const std::vector<Case> cases = {
      {{"--record-file", (dir_ / "missing.txt").string(), "--salt", salt_5a(), "--commitment", c},
       "no such file"},
      {{"--record-file", dir_.string(), "--salt", salt_5a(), "--commitment", c},
       "not a regular file"},
      {{"--record-file", big.string(), "--salt", salt_5a(), "--commitment", c}, "more than"},
      {{"--record-file", record_, "--salt", "5a5a", "--commitment", c}, "--salt"},
      {{"--record-file", record_, "--salt", salt_5a().substr(0, 62) + "zz", "--commitment", c},
       "--salt"},
      {{"--record-file", record_, "--salt", "", "--commitment", c}, "--salt"},
      {{"--record-file", record_, "--salt", salt_5a(), "--commitment", c.substr(1)},
       "--commitment"},
      {{"--record-file", record_, "--salt", salt_5a(), "--id", "xyz"}, "--id"},
      {{"--record-file", record_, "--salt", salt_5a()}, "exactly one of"},
      {{"--record-file", record_, "--salt", salt_5a(), "--commitment", c, "--id", kRecordId},
       "excludes"},
  };
  for (const Case& k : cases) {
    std::vector<std::string> args{"health", "check-record"};
    args.insert(args.end(), k.args.begin(), k.args.end());
    // A node address that would fail loudly: nothing may reach it.
    args.insert(args.end(), {"--node", "http://127.0.0.1:9"});
    const Outcome r = wallet(args);
    EXPECT_EQ(r.code, kExitBadInput) << k.says << ": " << r.err;
    EXPECT_NE(r.err.find(k.says), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

TEST_F(HealthCheckTest, ComparesWithTheRecordOnChain) {
  {
    OneAnswerNode node(record_answer(kGoldenHealthRecord));
    const Outcome r = wallet({"--node", node.url(), "health", "check-record", "--record-file",
                              record_, "--salt", salt_5a(), "--id", kRecordId});
    EXPECT_EQ(r.code, kExitOk) << r.err;
    EXPECT_EQ(node.request_line(), "GET /v1/query/health/record/" + kRecordId + " HTTP/1.1\r");
    for (const std::string& s :
         std::vector<std::string>{"MATCH", "laboratory", "revoked", "superseded", "erased",
                                  "yes, at", "block 7", kSampleCommitment}) {
      EXPECT_NE(r.out.find(s), std::string::npos) << s << " in\n" << r.out;
    }
  }
  {  // The salt of another record: the anchored commitment is not opened.
    OneAnswerNode node(record_answer(kGoldenHealthRecord));
    const Outcome r = wallet({"--node", node.url(), "health", "check-record", "--record-file",
                              record_, "--salt", std::string(64, '0'), "--id", kRecordId});
    EXPECT_EQ(r.code, kExitVerifyFailed);
    EXPECT_NE(r.out.find("NO MATCH"), std::string::npos) << r.out;
  }
  {  // No such record on chain.
    OneAnswerNode node(record_answer(""));
    const Outcome r = wallet({"--node", node.url(), "health", "check-record", "--record-file",
                              record_, "--salt", salt_5a(), "--id", kRecordId});
    EXPECT_EQ(r.code, kExitVerifyFailed);
    EXPECT_NE(r.err.find("no health record"), std::string::npos) << r.err;
  }
  {  // A node answering with another record (its id differs) is not believed.
    OneAnswerNode node(record_answer(kGoldenHealthRecord));
    const Outcome r = wallet({"--node", node.url(), "health", "check-record", "--record-file",
                              record_, "--salt", salt_5a(), "--id", std::string(64, '2')});
    EXPECT_EQ(r.code, kExitNodeFailure);
    EXPECT_NE(r.err.find("not the health record"), std::string::npos) << r.err;
  }
  {  // Truncated record bytes.
    OneAnswerNode node(record_answer(kGoldenHealthRecord.substr(0, 100)));
    const Outcome r = wallet({"--node", node.url(), "health", "check-record", "--record-file",
                              record_, "--salt", salt_5a(), "--id", kRecordId});
    EXPECT_EQ(r.code, kExitNodeFailure);
  }
}

}  // namespace
}  // namespace bauhinia::wallet
