// The health module's commands: the examples build payloads that decode to
// the intended values, the module accepts what the wallet builds on a chain
// (issue, consent, access, withdrawal, revocation, erasure), and bad input is
// refused with the argument named.

#include <gtest/gtest.h>

#include "../contracts/health/fixture.hpp"
#include "example_args.hpp"

namespace bauhinia::wallet {
namespace {

using testing::build_ok;
using testing::decoded;
using testing::example_args;
using testing::refusal;
using testing::spec_of;
namespace hl = contracts::health;
namespace ht = contracts::health::testing;

TEST(HealthCalls, ExamplesDecodeToTheirValues) {
  const auto issue = decoded<hl::IssueArgs>(
      build_ok("health", "issue", example_args(spec_of("health", "issue"))).payload);
  EXPECT_EQ(issue.record_type, 1);
  EXPECT_EQ(issue.subject.to_hex(),
            "305aea2429bd12070c418b5373187a103e9fa1b339b7a212b1a1fb991f0fe466");
  EXPECT_EQ(issue.commitment.to_hex(),
            "2c2f1d3bf66df00cdcf6c552f44eee3d4ebd5ab365b9ff8f2f008d218f8fd995");
  const auto revoke = decoded<hl::RevokeArgs>(
      build_ok("health", "revoke", example_args(spec_of("health", "revoke"))).payload);
  EXPECT_EQ(revoke.reason, static_cast<std::uint8_t>(hl::RevocationReason::kSuperseded));
  const BuiltCall g =
      build_ok("health", "grant_consent", example_args(spec_of("health", "grant_consent")));
  const auto grant = decoded<hl::GrantConsentArgs>(g.payload);
  EXPECT_EQ(grant.record_type, 1);
  EXPECT_EQ(grant.until_ms, 1'798'646'400'000ULL);  // 2026-12-31 00:00 Hong Kong (UTC+8)
  EXPECT_TRUE(g.cosigners.empty());
  EXPECT_NE(g.description[0].find("vaccination"), std::string::npos);
  const auto access = decoded<hl::RecordAccessArgs>(
      build_ok("health", "record_access", example_args(spec_of("health", "record_access")))
          .payload);
  EXPECT_EQ(access.consent_id.to_hex(),
            "a3f1e5c7b9d2046e8f1a3c5e7b9d1f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d");
  decoded<hl::ConsentArgs>(
      build_ok("health", "withdraw_consent", example_args(spec_of("health", "withdraw_consent")))
          .payload);
  decoded<hl::RecordArgs>(
      build_ok("health", "erase", example_args(spec_of("health", "erase"))).payload);
}

TEST(HealthCalls, TheModuleAcceptsWhatTheWalletBuilds) {
  ht::Ledger l;
  const std::string patient = ht::account_of(ht::patient()).to_hex();
  const std::string provider = ht::account_of(ht::provider()).to_hex();
  const core::Hash256 c = hl::record_commitment(ht::salt_of(0x33), ht::sample_record());
  using Changes = std::vector<std::pair<std::string, std::optional<std::string>>>;
  auto built = [](std::string_view call, const Changes& ch) {
    return build_ok("health", call, example_args(spec_of("health", call), ch)).payload;
  };
  auto issued = l.call(ht::facility(), "issue",
                       built("issue", Changes{{"subject", patient},
                                              {"record-type", "laboratory-result"},
                                              {"commitment", c.to_hex()}}));
  ASSERT_EQ(ht::result(issued), "success/") << issued.detail;
  EXPECT_EQ(l.record(issued.id)->record_type, hl::RecordType::kLaboratoryResult);
  auto consent = l.call(ht::patient(), "grant_consent",
                        built("grant_consent", Changes{{"provider", provider},
                                                       {"record-type", "laboratory_result"},
                                                       {"until", "2026-12-31"}}));
  ASSERT_EQ(ht::result(consent), "success/") << consent.detail;
  const std::string record = issued.id.to_hex();
  auto access =
      l.call(ht::provider(), "record_access",
             built("record_access", Changes{{"record", record}, {"consent", consent.id.to_hex()}}));
  ASSERT_EQ(ht::result(access), "success/") << access.detail;
  EXPECT_TRUE(l.access_entry(access.id));
  ASSERT_EQ(
      ht::result(l.call(ht::patient(), "withdraw_consent",
                        built("withdraw_consent", Changes{{"consent", consent.id.to_hex()}}))),
      "success/");
  ASSERT_EQ(
      ht::result(l.call(ht::facility(), "revoke",
                        built("revoke", Changes{{"record", record}, {"reason", "wrong-subject"}}))),
      "success/");
  ASSERT_EQ(ht::result(l.call(ht::patient(), "erase", built("erase", Changes{{"record", record}}))),
            "success/");
  EXPECT_TRUE(l.record(issued.id)->erased);
}

TEST(HealthCalls, BadInputIsRefusedWithTheArgumentNamed) {
  const CallSpec& issue = spec_of("health", "issue");
  EXPECT_NE(refusal("health", "issue", example_args(issue, {{"record-type", "x-ray"}}))
                .find("--record-type: one of vaccination, laboratory_result"),
            std::string::npos);
  EXPECT_NE(refusal("health", "issue", example_args(issue, {{"commitment", "12"}}))
                .find("--commitment: the record's salted commitment, 64 hex digits"),
            std::string::npos);
  EXPECT_NE(refusal("health", "issue", example_args(issue, {{"commitment", std::string(64, '0')}}))
                .find("--commitment: not all zeros"),
            std::string::npos);
  EXPECT_NE(refusal("health", "issue", example_args(issue, {{"subject", "Chan Tai Man"}}))
                .find("--subject"),
            std::string::npos);
  EXPECT_NE(refusal("health", "issue", example_args(issue, {{"subject", std::nullopt}}))
                .find("--subject: required"),
            std::string::npos);
  EXPECT_NE(refusal("health", "revoke",
                    example_args(spec_of("health", "revoke"), {{"reason", "because"}}))
                .find("--reason: one of issued_in_error, superseded, wrong_subject, other"),
            std::string::npos);
  EXPECT_NE(refusal("health", "grant_consent",
                    example_args(spec_of("health", "grant_consent"), {{"until", "2026-02-30"}}))
                .find("--until"),
            std::string::npos);
  EXPECT_NE(refusal("health", "record_access",
                    example_args(spec_of("health", "record_access"), {{"consent", "zz"}}))
                .find("--consent: the consent id, 64 hex digits"),
            std::string::npos);
}

}  // namespace
}  // namespace bauhinia::wallet
