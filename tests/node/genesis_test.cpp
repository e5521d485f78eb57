#include "bauhinia/node/genesis.hpp"

#include <gtest/gtest.h>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/core/address.hpp"

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
  // department; then the validator set and every chain parameter; the system
  // module's department list (head, page, one slot per department) and the
  // first epoch's validator set (system/records.hpp, lists.hpp).
  const contracts::ModuleSet modules;
  ASSERT_EQ(spec->state.size(), 5U * 3 + 1 + modules.parameters().size() + 2 + 5 + 1);
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

// ---- Optional sections: "parameters" and "roles" ---------------------------

core::AccountId officer() {
  core::AccountId id;
  id.bytes.fill(0x42);
  return id;
}

TEST(Genesis, ParametersAndRolesRoundTripAndReachTheState) {
  Genesis g = sample();
  g.parameters["system.proposal_max_lifetime_ms"] = 7ULL * 24 * 3'600'000;
  g.roles.push_back({"DH", "health.issuer", officer()});
  auto back = parse_genesis_json(genesis_to_json(g));
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->parameters, g.parameters);
  EXPECT_EQ(back->roles, g.roles);
  auto spec = genesis_spec(*back);
  ASSERT_TRUE(spec) << spec.error().to_string();
  auto find = [&](const std::string& module, const core::Bytes& record) -> const core::Bytes* {
    auto key = chain::state_key(module, record);
    for (const auto& w : spec->state) {
      if (key && w.key == *key && w.value) return &*w.value;
    }
    return nullptr;
  };
  const core::Bytes* p =
      find("system", contracts::system::parameter_key("system.proposal_max_lifetime_ms"));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(core::decode<contracts::system::ParameterValue>(*p)->value, 7ULL * 24 * 3'600'000);
  const core::Bytes* r =
      find("system", contracts::system::role_grant_key(officer(), "health.issuer"));
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(core::decode<contracts::system::RoleGrant>(*r)->department, "DH");
}

TEST(Genesis, FilesWithoutTheOptionalSectionsKeepTheirForm) {
  const std::string text = genesis_to_json(sample());
  EXPECT_EQ(text.find("parameters"), std::string::npos);
  EXPECT_EQ(text.find("roles"), std::string::npos);
  auto back = parse_genesis_json(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(genesis_to_json(*back), text);
}

TEST(Genesis, AccountsAreHexOrAddresses) {
  Genesis g = sample();
  g.roles.push_back({"DH", "health.issuer", officer()});
  std::string text = genesis_to_json(g);
  const std::string address = core::encode_address("bauhinia", officer());
  text.replace(text.find(officer().to_hex()), 64, address);
  auto back = parse_genesis_json(text);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->roles[0].account, officer());
}

TEST(Genesis, RejectsBadParametersAndRoles) {
  auto refused = [](const std::string& section) {
    std::string text = genesis_to_json(sample());
    const auto end = text.rfind('}');
    text.insert(end, ",\n" + section + "\n");
    auto g = parse_genesis_json(text);
    EXPECT_FALSE(g) << section;
    return g ? std::string{} : g.error().detail;
  };
  EXPECT_NE(refused(R"("parameters": {"nobody.nothing": 1})").find("nobody.nothing"),
            std::string::npos);
  EXPECT_NE(refused(R"("parameters": {"system.proposal_max_lifetime_ms": 1})").find("outside"),
            std::string::npos);
  EXPECT_NE(
      refused(R"("parameters": {"system.proposal_max_lifetime_ms": -5})").find("non-negative"),
      std::string::npos);
  EXPECT_NE(refused(R"("parameters": [1])").find("object"), std::string::npos);
  const std::string acct = officer().to_hex();
  EXPECT_NE(refused(R"("roles": [{"department": "IPD", "role": "health.issuer", "account": ")" +
                    acct + "\"}]")
                .find("role_of_other_department"),
            std::string::npos);
  EXPECT_NE(refused(R"("roles": [{"department": "XX", "role": "health.issuer", "account": ")" +
                    acct + "\"}]")
                .find("unknown department"),
            std::string::npos);
  EXPECT_NE(refused(R"("roles": [{"department": "DH", "role": "health.issuer", "account": "zz"}])")
                .find("account"),
            std::string::npos);
  EXPECT_NE(refused(R"("roles": [{"department": "DH", "account": ")" + acct + "\"}]").find("role"),
            std::string::npos);
  EXPECT_NE(
      refused(R"("roles": [{"department": "DH", "role": "health.issuer", "account": ")" + acct +
              R"("}, {"department": "DH", "role": "health.issuer", "account": ")" + acct + "\"}]")
          .find("repeats"),
      std::string::npos);
  EXPECT_NE(refused(R"("roles": {})").find("array"), std::string::npos);
}

}  // namespace
}  // namespace bauhinia::node
