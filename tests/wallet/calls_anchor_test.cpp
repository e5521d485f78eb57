// The anchor module's commands: the examples build payloads that decode to
// the intended values and that the module accepts on a chain; bad input is
// refused with the argument named.

#include <gtest/gtest.h>

#include "../contracts/company/registry.hpp"
#include "bauhinia/contracts/anchor/module.hpp"
#include "example_args.hpp"

namespace bauhinia::wallet {
namespace {

using namespace testing;             // NOLINT(google-build-using-namespace)
using namespace contracts::testing;  // NOLINT(google-build-using-namespace)
namespace an = contracts::anchor;

TEST(AnchorCalls, ExamplesDecodeToTheirValues) {
  const BuiltCall a = build_ok("anchor", "anchor", example_args(spec_of("anchor", "anchor")));
  const auto args = decoded<an::AnchorArgs>(a.payload);
  EXPECT_EQ(args.department, "DH");
  EXPECT_EQ(args.document_type, "health.certificate");
  EXPECT_EQ(args.reference, "DH-2026-000123");
  EXPECT_EQ(args.document_hash.to_hex(),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  EXPECT_TRUE(a.cosigners.empty());
  ASSERT_FALSE(a.description.empty());
  EXPECT_NE(a.description[0].find("health.certificate"), std::string::npos);

  const BuiltCall r = build_ok("anchor", "revoke", example_args(spec_of("anchor", "revoke")));
  const auto rev = decoded<an::RevokeArgs>(r.payload);
  EXPECT_EQ(rev.id, 17U);
  EXPECT_EQ(rev.reason, "issued in error");
}

TEST(AnchorCalls, TheModuleAcceptsWhatTheWalletBuilds) {
  Chain chain;
  chain.at(contracts::company::Date{2026, 3, 2}, 9, 30);
  const BuiltCall a = build_ok("anchor", "anchor",
                               example_args(spec_of("anchor", "anchor"), {{"department", "EPD"}}));
  EXPECT_TRUE(chain.admit(epd_issuer(), "anchor", "anchor", a.payload).ok());
  const Outcome o = chain.call(epd_issuer(), "anchor", "anchor", a.payload);
  ASSERT_TRUE(o.ok()) << o.reason << ": " << o.detail;

  const BuiltCall r =
      build_ok("anchor", "revoke", example_args(spec_of("anchor", "revoke"), {{"id", "1"}}));
  const Outcome revoked = chain.call(epd_issuer(), "anchor", "revoke", r.payload);
  ASSERT_TRUE(revoked.ok()) << revoked.reason << ": " << revoked.detail;
  EXPECT_EQ(chain.record<an::AnchorRecord>("anchor/anchor/1")->revocation_reason,
            "issued in error");
}

TEST(AnchorCalls, BadInputIsRefusedWithTheArgumentNamed) {
  const CallSpec& s = spec_of("anchor", "anchor");
  EXPECT_NE(refusal("anchor", "anchor", example_args(s, {{"department", "dh"}}))
                .find("--department: a department code"),
            std::string::npos);
  EXPECT_NE(refusal("anchor", "anchor", example_args(s, {{"reference", std::nullopt}}))
                .find("--reference: required"),
            std::string::npos);
  EXPECT_NE(refusal("anchor", "anchor", example_args(s, {{"reference", std::string(129, 'R')}}))
                .find("--reference: text of 1 to 128 bytes"),
            std::string::npos);
  EXPECT_NE(refusal("anchor", "anchor", example_args(s, {{"document-hash", std::nullopt}}))
                .find("--document-hash: required"),
            std::string::npos);
  const std::string unknown = refusal("anchor", "anchor", example_args(s, {{"colour", "red"}}));
  EXPECT_NE(unknown.find("--colour: not an argument of anchor anchor"), std::string::npos)
      << unknown;
  EXPECT_NE(unknown.find("--department"), std::string::npos) << unknown;
  EXPECT_NE(refusal("anchor", "revoke", example_args(spec_of("anchor", "revoke"), {{"id", "0"}}))
                .find("--id: a whole number from 1"),
            std::string::npos);
}

}  // namespace
}  // namespace bauhinia::wallet
