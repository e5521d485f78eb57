#include <gtest/gtest.h>

#include <set>
#include <string>

#include "bauhinia/wallet/call_spec.hpp"

namespace bauhinia::wallet {
namespace {

// Every registered call is named like its module's call and fully described,
// and no call is registered twice.
TEST(CallRegistry, EveryCallIsUniqueAndDescribed) {
  std::set<std::string> seen;
  for (const CallSpec& s : all_calls()) {
    EXPECT_TRUE(seen.insert(s.module + "/" + s.call).second) << s.module << " " << s.call;
    EXPECT_FALSE(s.summary.empty()) << s.call;
    EXPECT_NE(s.example.find("bauhinia-wallet " + s.module), std::string::npos) << s.call;
    EXPECT_TRUE(static_cast<bool>(s.build)) << s.call;
    EXPECT_EQ(find_call(s.module, s.call), &s);
  }
  EXPECT_EQ(find_call("no_such_module", "call"), nullptr);
}

}  // namespace
}  // namespace bauhinia::wallet
