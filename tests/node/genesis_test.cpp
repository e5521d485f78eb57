#include "bauhinia/node/genesis.hpp"

#include <gtest/gtest.h>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/module_set.hpp"

namespace bauhinia::node {
namespace {

Genesis sample() {
  Genesis g;
  g.chain_id = "bauhinia-test-1";
  g.timestamp_ms = 1764201600000;
  for (int i = 0; i < 4; ++i) {
    std::array<std::uint8_t, 32> seed{};
    seed[0] = static_cast<std::uint8_t>(i + 1);
    auto key = core::ed25519::SecretKey::from_seed(seed);
    g.validators.validators.push_back({key.public_key(), 1, kPilotDepartments[i].code});
  }
  for (int i = 0; i < 5; ++i) {
    std::array<std::uint8_t, 32> sk{};
    sk[31] = static_cast<std::uint8_t>(i + 1);
    auto key = core::schnorr::SecretKey::from_bytes(sk);
    g.departments.push_back(
        {kPilotDepartments[i].code, kPilotDepartments[i].name, key->public_key()});
  }
  return g;
}

TEST(Genesis, JsonRoundTrip) {
  const Genesis g = sample();
  auto back = parse_genesis_json(genesis_to_json(g));
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->chain_id, g.chain_id);
  EXPECT_EQ(back->validators, g.validators);
  ASSERT_EQ(back->departments.size(), 5U);
  EXPECT_EQ(back->departments[4].code, "OGCIO");
  EXPECT_EQ(back->departments[4].admin_key, g.departments[4].admin_key);
}

TEST(Genesis, SpecHoldsOneAccountPerDepartmentSorted) {
  auto spec = genesis_spec(sample());
  ASSERT_TRUE(spec) << spec.error().to_string();
  // Per department: its admin account, its system record and the admin's
  // department; then the validator set and every chain parameter.
  const contracts::ModuleSet modules;
  ASSERT_EQ(spec->state.size(), 5U * 3 + 1 + modules.parameters().size());
  for (std::size_t i = 1; i < spec->state.size(); ++i) {
    EXPECT_LT(spec->state[i - 1].key, spec->state[i].key);
  }
  const auto id = core::account_id_of(sample().departments[0].admin_key);
  auto key = chain::state_key(contracts::accounts::kModuleName,
                              contracts::accounts::account_record_key(id));
  ASSERT_TRUE(key);
  bool found = false;
  for (const auto& w : spec->state) {
    if (w.key != *key) continue;
    found = true;
    auto record = core::decode<contracts::accounts::AccountRecord>(*w.value);
    ASSERT_TRUE(record);
    EXPECT_EQ(record->key, sample().departments[0].admin_key);
    EXPECT_EQ(record->next_sequence, 0U);
  }
  EXPECT_TRUE(found);
}

TEST(Genesis, RejectsBadFiles) {
  EXPECT_FALSE(parse_genesis_json("[]"));
  EXPECT_FALSE(parse_genesis_json("{"));
  std::string good = genesis_to_json(sample());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    s.replace(at, from.size(), to);
    auto g = parse_genesis_json(s);
    EXPECT_FALSE(g) << from << " -> " << to;
    return g ? std::string{} : g.error().detail;
  };
  EXPECT_NE(with("\"chain_id\"", "\"chainid\"").find("chain_id"), std::string::npos);
  EXPECT_NE(with("\"power\": 1", "\"power\": -1").find("power"), std::string::npos);
  EXPECT_NE(with("\"power\": 1", "\"power\": 0").find("power"), std::string::npos);
  EXPECT_NE(with("\"code\": \"IPD\"", "\"code\": \"ipd\"").find("code"), std::string::npos);
  EXPECT_NE(with("\"code\": \"CR\"", "\"code\": \"IPD\"").find("repeats"), std::string::npos);
  const std::string k0 = sample().validators.validators[0].key.to_hex();
  EXPECT_NE(with(k0, "00" + k0.substr(2)).find("key"), std::string::npos);
}

}  // namespace
}  // namespace bauhinia::node
