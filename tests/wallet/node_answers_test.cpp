// The wallet's query commands (run_wallet in-process) against a node whose
// answers have fields of another type than the API documents: the wallet says
// the node is at fault (exit 5, a message) and never throws out of run_wallet
// (a json::value on a field of another type throws nlohmann::json::type_error).
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "bauhinia/wallet/context.hpp"
#include "one_answer_node.hpp"
#include "run_in_process.hpp"

namespace bauhinia::wallet {
namespace {

using testing::Outcome;

Outcome wallet(std::vector<std::string> args, const std::string& body) {
  testing::OneAnswerNode node(body);
  args.insert(args.begin(), {"--node", node.url()});
  return testing::run_in_process(std::move(args));
}

TEST(NodeAnswers, FieldsOfAnotherTypeAreTheNodesFaultNotACrash) {
  const std::string tx_id(64, 'a');
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"status"}, R"({"chain_id":"c","height":3,"latest_timestamp_ms":"yesterday"})"},
      {{"block", "latest"}, R"({"block_id":"00","header":{"timestamp_ms":"noon"}})"},
      {{"block", "latest"}, R"({"block_id":"00","header":7})"},
      {{"tx", "show", tx_id}, R"({"id":"x","status":["committed"]})"},
  };
  for (const auto& [args, body] : cases) {
    Outcome r;
    ASSERT_NO_THROW(r = wallet(args, body)) << args.front() << " " << body;
    EXPECT_EQ(r.code, kExitNodeFailure) << body << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find("the node's answer is not in the API's documented form"),
              std::string::npos)
        << r.err;
  }
  // The same commands read well-formed answers (the test's answers are not
  // refused for another reason).
  Outcome ok = wallet({"status"}, R"({"chain_id":"c","height":3,"latest_timestamp_ms":0})");
  EXPECT_EQ(ok.code, kExitOk) << ok.err;
  EXPECT_NE(ok.out.find("chain"), std::string::npos) << ok.out;
}

}  // namespace
}  // namespace bauhinia::wallet
