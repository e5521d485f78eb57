// The system and accounts modules' commands: roles, proposals of every kind
// with their approvals, and ping; built by the wallet, decoded with the
// modules' structs and accepted on a chain; bad input refused by the wallet.

#include <gtest/gtest.h>

#include "../contracts/company/registry.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/system/proposals.hpp"
#include "bauhinia/contracts/system/roles.hpp"
#include "example_args.hpp"

namespace bauhinia::wallet {
namespace {

using namespace testing;             // NOLINT(google-build-using-namespace)
using namespace contracts::testing;  // NOLINT(google-build-using-namespace)
namespace sys = contracts::system;

const std::string kKeyA = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const std::string kKeyB = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";

std::string address(const core::schnorr::SecretKey& k) {
  return core::encode_address(core::kTestnetAddressPrefix, account_of(k));
}

sys::ProposeArgs proposal(const Args& args) {
  return decoded<sys::ProposeArgs>(build_ok("system", "propose", args).payload);
}

TEST(SystemCalls, ExamplesDecodeToTheirValues) {
  const auto role = decoded<sys::RoleArgs>(
      build_ok("system", "grant_role", example_args(spec_of("system", "grant_role"))).payload);
  EXPECT_EQ(role.role, "trademark.registrar");
  EXPECT_EQ(role.account,
            core::AccountId{
                core::sha256(core::as_bytes(std::string("bauhinia example officer"))).bytes()});
  const auto p = proposal(example_args(spec_of("system", "propose")));
  EXPECT_EQ(p.kind, sys::ProposalKind::kSetParameter);
  const auto t = decoded<sys::SetParameterTerms>(p.terms);
  EXPECT_EQ(t.name, "trademark.opposition_period_days");
  EXPECT_EQ(t.value, 92U);
  // Open until the end of 2026-12-31 in Hong Kong: 2026-12-31 15:59:59.999 UTC.
  EXPECT_EQ(p.expiry_ms, 1'798'732'799'999ULL);
  for (const char* call : {"approve", "withdraw", "close_expired"}) {
    EXPECT_EQ(decoded<sys::ProposalIdArgs>(
                  build_ok("system", call, example_args(spec_of("system", call))).payload)
                  .id,
              3U);
  }
}

TEST(SystemCalls, EveryKindOfProposal) {
  const Args base{{"expires", "2026-01-08"}};
  auto with = [&](Args more) {
    more.insert(base.begin(), base.end());
    return more;
  };
  auto p = proposal(with({{"kind", "add_validator"},
                          {"validator-key", kKeyA},
                          {"name", "IPD-2"},
                          {"voting-power", "10"},
                          {"department", "IPD"}}));
  const auto add = decoded<sys::AddValidatorTerms>(p.terms);
  EXPECT_EQ(core::to_hex(add.key.bytes), kKeyA);
  EXPECT_EQ(add.name, "IPD-2");
  EXPECT_EQ(add.voting_power, 10U);
  EXPECT_EQ(add.department, "IPD");
  p = proposal(with({{"kind", "remove-validator"}, {"validator-key", kKeyA}}));
  EXPECT_EQ(p.kind, sys::ProposalKind::kRemoveValidator);
  EXPECT_EQ(core::to_hex(decoded<sys::RemoveValidatorTerms>(p.terms).key.bytes), kKeyA);
  p = proposal(with({{"kind", "rotate_validator_key"}, {"old-key", kKeyA}, {"new-key", kKeyB}}));
  EXPECT_EQ(core::to_hex(decoded<sys::RotateValidatorKeyTerms>(p.terms).new_key.bytes), kKeyB);
  const std::string admin = core::to_hex(key(50).public_key().bytes);
  p = proposal(with({{"kind", "add_department"},
                     {"code", "DH"},
                     {"name", "Department of Health"},
                     {"admin-key", admin}}));
  const auto dep = decoded<sys::AddDepartmentTerms>(p.terms);
  EXPECT_EQ(dep.code, "DH");
  EXPECT_EQ(dep.name, "Department of Health");
  EXPECT_EQ(dep.admin_key, key(50).public_key());
  p = proposal(with({{"kind", "retire_department"}, {"code", "EPD"}}));
  EXPECT_EQ(decoded<sys::RetireDepartmentTerms>(p.terms).code, "EPD");
  p = proposal(with({{"kind", "rotate_admin_key"}, {"code", "IPD"}, {"admin-key", admin}}));
  EXPECT_EQ(decoded<sys::RotateAdminKeyTerms>(p.terms).new_admin_key, key(50).public_key());
  p = proposal(with(
      {{"kind", "set_parameter"}, {"parameter", "company.restoration_years"}, {"value", "20"}}));
  EXPECT_EQ(decoded<sys::SetParameterTerms>(p.terms).value, 20U);
}

TEST(SystemCalls, RolesAndGovernanceBuiltByTheWalletAreAccepted) {
  Chain chain;
  auto run = [&](const core::schnorr::SecretKey& k, const std::string& call, const Args& args) {
    const Outcome o = chain.call(k, "system", call, build_ok("system", call, args).payload);
    EXPECT_TRUE(o.ok()) << call << ": " << o.reason << ": " << o.detail;
  };
  run(ipd_admin(), "grant_role",
      {{"account", address(stranger())}, {"role", "trademark.registrar"}});
  run(cr_admin(), "revoke_role",
      {{"account", address(registrar())}, {"role", "company.registrar"}});
  EXPECT_FALSE(
      chain.query("system/role/" + account_of(registrar()).to_hex() + "/company.registrar").value);

  run(ipd_admin(), "propose",
      {{"kind", "set_parameter"},
       {"parameter", "trademark.opposition_period_days"},
       {"value", "93"},
       {"expires", "2026-01-08"}});
  run(cr_admin(), "approve", {{"id", "1"}});
  run(epd_admin(), "approve", {{"id", "1"}});
  EXPECT_EQ(
      chain.record<sys::ParameterValue>("system/parameter/trademark.opposition_period_days")->value,
      93U);
  run(ipd_admin(), "propose",
      {{"kind", "retire_department"}, {"code", "EPD"}, {"expires", "2026-01-08"}});
  run(ipd_admin(), "withdraw", {{"id", "2"}});
  run(ipd_admin(), "propose",
      {{"kind", "retire_department"}, {"code", "EPD"}, {"expires", "2026-01-08"}});
  chain.at(chain.now() + 10 * 86'400'000ULL);
  run(cr_admin(), "close_expired", {{"id", "3"}});
  EXPECT_EQ(chain.record<sys::ProposalRecord>("system/proposal/3")->status,
            sys::ProposalStatus::kExpired);
}

TEST(SystemCalls, BadInputIsRefusedWithTheArgumentAndTheRule) {
  const contracts::ModuleSet modules;
  const contracts::ParameterSpec* spec = modules.find_parameter("trademark.opposition_period_days");
  ASSERT_NE(spec, nullptr);
  const Args set{{"kind", "set_parameter"},
                 {"parameter", "trademark.opposition_period_days"},
                 {"expires", "2026-01-08"}};
  auto with = [&](Args base, Args more) {
    for (auto& [k, v] : more) base[k] = v;
    return base;
  };
  std::string e =
      refusal("system", "propose", with(set, {{"value", std::to_string(spec->max_value + 1)}}));
  EXPECT_NE(e.find("--value: a whole number from " + std::to_string(spec->min_value) + " to " +
                   std::to_string(spec->max_value)),
            std::string::npos)
      << e;
  e = refusal("system", "propose", with(set, {{"parameter", "trademark.colour"}, {"value", "1"}}));
  EXPECT_NE(e.find("--parameter: a parameter of the chain"), std::string::npos) << e;
  e = refusal("system", "propose", with(set, {{"value", "92"}, {"code", "IPD"}}));
  EXPECT_NE(e.find("--code: not used by a set_parameter proposal"), std::string::npos) << e;
  e = refusal("system", "propose", with(set, {{"kind", "add_king"}}));
  EXPECT_NE(e.find("--kind: one of add_validator, remove_validator"), std::string::npos) << e;
  e = refusal("system", "propose",
              {{"kind", "add_validator"},
               {"validator-key", kKeyA},
               {"name", "IPD-2"},
               {"department", "IPD"},
               {"expires", "2026-01-08"}});
  EXPECT_NE(e.find("--voting-power: required"), std::string::npos) << e;
  e = refusal("system", "propose",
              {{"kind", "remove_validator"}, {"validator-key", "00"}, {"expires", "2026-01-08"}});
  EXPECT_NE(e.find("--validator-key: an Ed25519"), std::string::npos) << e;
  e = refusal("system", "propose", with(set, {{"value", "92"}, {"expires", "2026-13-01"}}));
  EXPECT_NE(e.find("--expires:"), std::string::npos) << e;
  e = refusal("system", "grant_role", {{"account", address(stranger())}, {"role", "registrar"}});
  EXPECT_NE(e.find("--role:"), std::string::npos) << e;
  EXPECT_NE(e.find("invalid_role"), std::string::npos) << e;
  e = refusal("system", "grant_role", {{"account", address(stranger())}, {"role", "system.admin"}});
  EXPECT_NE(e.find("--role:"), std::string::npos) << e;
  e = refusal("system", "approve", {{"id", "one"}});
  EXPECT_NE(e.find("--id: a whole number"), std::string::npos) << e;
  e = refusal("system", "approve", {});
  EXPECT_NE(e.find("--id: required"), std::string::npos) << e;
}

TEST(AccountsCalls, PingIsBuiltAndAccepted) {
  const BuiltCall b = build_ok("accounts", "ping", example_args(spec_of("accounts", "ping")));
  const auto p = decoded<contracts::accounts::PingArgs>(b.payload);
  EXPECT_EQ(std::string(p.memo.begin(), p.memo.end()), "hello from IPD");
  EXPECT_TRUE(decoded<contracts::accounts::PingArgs>(build_ok("accounts", "ping", {}).payload)
                  .memo.empty());
  Chain chain;
  const Outcome o = chain.call(stranger(), "accounts", "ping", b.payload);
  EXPECT_TRUE(o.ok()) << o.reason << ": " << o.detail;
  EXPECT_NE(refusal("accounts", "ping", {{"memo", std::string(257, 'm')}})
                .find("--memo: text of 1 to 256 bytes"),
            std::string::npos);
  EXPECT_EQ(find_call("accounts", "rotate_key"), nullptr);  // made by `key rotate`
}

}  // namespace
}  // namespace bauhinia::wallet
