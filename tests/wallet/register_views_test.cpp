// `health show`, `drugs show`, `environment show` and `record` tables of the
// health, drugs and environment registers (run_wallet in-process): real record
// bytes from the modules' golden vectors (tests/contracts/<module>/golden),
// served as a node's query answer, decode into their fields, never raw hex;
// --json prints the node's answer unchanged; bad numbers are refused before
// any request.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bauhinia/wallet/context.hpp"
#include "one_answer_node.hpp"
#include "run_in_process.hpp"

namespace bauhinia::wallet {
namespace {

using nlohmann::json;
using testing::OneAnswerNode;

// "name hex" lines of a golden file.
std::map<std::string, std::string> golden(const std::string& module) {
  std::ifstream in(std::string(BAUHINIA_SOURCE_DIR) + "/tests/contracts/" + module + "/golden/" +
                   module + "_v1.txt");
  std::map<std::string, std::string> g;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto sp = line.find(' ');
    if (sp != std::string::npos) g[line.substr(0, sp)] = line.substr(sp + 1);
  }
  return g;
}

std::string answer(const std::string& module, const std::string& key, const std::string& value) {
  return json{{"module", module}, {"record_key_hex", key}, {"value_hex", value}, {"height", 9}}
      .dump();
}

struct Outcome {
  int code = -1;
  std::string out, err;
  std::string request;
};

Outcome wallet(std::vector<std::string> args, const std::string& body) {
  OneAnswerNode node(body);
  args.insert(args.begin(), {"--node", node.url()});
  const testing::Outcome ran = testing::run_in_process(std::move(args));
  Outcome r;
  r.code = ran.code;
  r.out = ran.out;
  r.err = ran.err;
  if (r.code == kExitOk || r.code == kExitBadInput) r.request = node.request_line();
  return r;
}

struct Shown {
  Shown(std::string m, std::string r, std::vector<std::string> a, std::vector<std::string> s,
        std::string k = "")
      : module(std::move(m)),
        record(std::move(r)),
        args(std::move(a)),
        says(std::move(s)),
        key(std::move(k)) {}
  std::string module, record;  // golden names: key.<record>, record.<record>
  std::vector<std::string> args;
  std::vector<std::string> says;  // substrings of the table
  std::string key;                // the key's golden name when not key.<record>
};

void expect_tables(const std::vector<Shown>& cases) {
  for (const Shown& c : cases) {
    auto g = golden(c.module);
    const std::string key = "key." + (c.key.empty() ? c.record : c.key);
    ASSERT_TRUE(g.count(key) && g.count("record." + c.record)) << c.record;
    const Outcome r = wallet(c.args, answer(c.module, g[key], g["record." + c.record]));
    EXPECT_EQ(r.code, kExitOk) << c.record << ": " << r.err;
    EXPECT_EQ(r.out.find("bytes:"), std::string::npos) << c.record << " printed as hex:\n" << r.out;
    for (const std::string& s : c.says) {
      EXPECT_NE(r.out.find(s), std::string::npos) << c.record << ": '" << s << "' in\n" << r.out;
    }
  }
}

TEST(RegisterViews, DrugsRecordsAreTables) {
  expect_tables({
      {"drugs", "product", {"drugs", "show", "HK-51234"}, {"product", "HK-51234", "Harbourcillin"}},
      {"drugs",
       "batch",
       {"drugs", "show", "HK-51234", "B2026-001"},
       {"batch", "HK-51234 B2026-001", "quantity", "expires", "recall"}},
      {"drugs",
       "custody",
       {"record", "drugs", "batch", "HK-51234", "B2026-001", "custody"},
       {"custody step", "units"}},
      {"drugs",
       "holding",
       {"record", "drugs", "batch", "HK-51234", "B2026-001", "holders"},
       {"holding", "200 units"}},
      {"drugs",
       "notice",
       {"record", "drugs", "batch", "HK-51234", "B2026-001", "recall"},
       {"recall notice", "HK-51234 B2026-001 #2", "held at recall"}},
  });
  // The path asked for.
  auto g = golden("drugs");
  EXPECT_EQ(wallet({"drugs", "show", "HK-51234", "B2026-001"},
                   answer("drugs", g["key.batch"], g["record.batch"]))
                .request,
            "GET /v1/query/drugs/batch/HK-51234/B2026-001 HTTP/1.1\r");
}

TEST(RegisterViews, EnvironmentRecordsAreTables) {
  expect_tables({
      {"environment",
       "project",
       {"environment", "show", "project", "PP-001/2026"},
       {"project", "PP-001/2026", "Tsing Yi", "status", "proponent"}},
      {"environment",
       "permit",
       {"environment", "show", "permit", "EP-001/2026"},
       {"permit", "EP-001/2026 (project PP-001/2026)", "holder"}},
      {"environment",
       "ticket",
       {"environment", "show", "ticket", "CWTT-2026-000201"},
       {"trip-ticket", "CWTT-2026-000201", "waste", "kg", "flagged"}},
      {"environment",
       "report",
       {"record", "environment", "project", "PP-001/2026"},
       {"EIA report", "PP-001/2026 version 1"}},
      {"environment",
       "comment",
       {"record", "environment", "project", "PP-001/2026"},
       {"comment", "PP-001/2026 #2", "text hash"}},
      {"environment",
       "permit_history",
       {"record", "environment", "permit", "EP-001/2026"},
       {"permit act", "EP-001/2026 #2"}},
      {"environment",
       "submission",
       {"record", "environment", "permit", "EP-001/2026"},
       {"EM&A submission", "EP-001/2026 #3", "period"}},
  });
  auto g = golden("environment");
  EXPECT_EQ(wallet({"environment", "show", "project", "PP-001/2026"},
                   answer("environment", g["key.project"], g["record.project"]))
                .request,
            "GET /v1/query/environment/project/PP-001/2026 HTTP/1.1\r");
}

TEST(RegisterViews, HealthRecordsAreTables) {
  auto g = golden("health");
  const std::string id(64, '1');
  expect_tables({
      {"health",
       "health_record",
       {"health", "show", id},
       {"health record", "laboratory_result", "revoked", "superseded", "erased", "yes, at"},
       "record"},
      {"health",
       "consent",
       {"record", "health", "consent", std::string(64, '2')},
       {"consent", "provider", "until"}},
      {"health",
       "access",
       {"record", "health", "access", std::string(64, '3')},
       {"access", "accessed"}},
      {"health",
       "commitment_ref",
       {"record", "health", "verify", std::string(64, 'c')},
       {"commitment of record", id},
       "commitment"},
  });
  EXPECT_EQ(
      wallet({"health", "show", id}, answer("health", g["key.record"], g["record.health_record"]))
          .request,
      "GET /v1/query/health/record/" + id + " HTTP/1.1\r");
}

TEST(RegisterViews, JsonIsTheNodesAnswerAndAbsentRecordsExit2) {
  auto g = golden("drugs");
  const std::string body = answer("drugs", g["key.product"], g["record.product"]);
  const Outcome j = wallet({"--json", "drugs", "show", "HK-51234"}, body);
  EXPECT_EQ(j.code, kExitOk);
  EXPECT_EQ(json::parse(j.out), json::parse(body));
  const Outcome none =
      wallet({"environment", "show", "permit", "EP-009/2026"}, json{{"module", "environment"},
                                                                    {"record_key_hex", "04"},
                                                                    {"value_hex", nullptr},
                                                                    {"height", 9}}
                                                                   .dump());
  EXPECT_EQ(none.code, kExitBadInput);
  EXPECT_NE(none.out.find("does not exist"), std::string::npos) << none.out;
}

TEST(RegisterViews, BadNumbersAreRefusedBeforeAnyRequest) {
  // An unreachable node: a request would exit 5, not 2.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"health", "show", "d80cb5a8"},
           {"health", "show", std::string(64, 'g')},
           {"drugs", "show", "51234"},
           {"drugs", "show", "HK-51234", "B/../../x"},
           {"drugs", "show", "HK-51234", std::string(21, 'B')},
           {"drugs", "show", "HK-51234", "B1", "extra"},
           {"environment", "show", "project", "EP-001/2026"},
           {"environment", "show", "permit", "EP-001/2026/../x"},
           {"environment", "show", "ticket", "a b"},
           {"environment", "show", "report", "PP-001/2026"},
           {"environment", "show", "project"},
       }) {
    std::vector<std::string> full{"bauhinia-wallet", "--node", "http://127.0.0.1:9"};
    full.insert(full.end(), args.begin(), args.end());
    std::vector<const char*> argv;
    for (const auto& a : full) argv.push_back(a.c_str());
    std::ostringstream out, err;
    EXPECT_EQ(run_wallet(static_cast<int>(argv.size()), argv.data(), out, err), kExitBadInput)
        << args.back() << ": " << err.str();
    EXPECT_NE(err.str().find("show"), std::string::npos) << err.str();
  }
}

}  // namespace
}  // namespace bauhinia::wallet
