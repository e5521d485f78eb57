// The company module's commands: every example decodes with the module's
// payload structs to the intended values; a company's filings and its ending
// and restoration, built by the wallet, are accepted by the real module; bad
// input is refused by the wallet with the register's own rules.

#include <gtest/gtest.h>

#include "../contracts/company/registry.hpp"
#include "bauhinia/contracts/company/calls.hpp"
#include "example_args.hpp"

namespace bauhinia::wallet {
namespace {

using namespace testing;             // NOLINT(google-build-using-namespace)
using namespace contracts::testing;  // NOLINT(google-build-using-namespace)
namespace co = contracts::company;

const std::string kHash = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";

BuiltCall example(const std::string& call) {
  return build_ok("company", call, example_args(spec_of("company", call)));
}

core::AccountId example_account(const char* who) {
  return core::AccountId{
      core::sha256(core::as_bytes(std::string("bauhinia example ") + who)).bytes()};
}

TEST(CompanyCalls, ExamplesDecodeToTheirValues) {
  const auto inc = decoded<co::IncorporateArgs>(example("incorporate").payload);
  EXPECT_EQ(inc.number, "1234567");
  EXPECT_EQ(inc.name_en, "Harbour Lantern Foods Limited");
  EXPECT_EQ(inc.name_zh, "港燈籠食品有限公司");
  EXPECT_EQ(inc.type, co::CompanyType::kPrivateLimitedByShares);
  EXPECT_EQ(inc.registered_office, "8 Harbour Road, Wan Chai, Hong Kong");
  EXPECT_EQ(inc.account, example_account("company"));
  EXPECT_EQ(inc.document_hash.to_hex(), kHash);
  EXPECT_EQ(inc.accounting_reference_month, 0U);
  ASSERT_EQ(inc.officers.size(), 1U);
  EXPECT_EQ(inc.officers[0].role, co::OfficerRole::kDirector);
  EXPECT_EQ(inc.officers[0].name_en, "CHAN Tai Man");
  EXPECT_EQ(inc.officers[0].name_zh, "陳大文");
  EXPECT_EQ(inc.officers[0].partial_id, "A123***(*)");
  EXPECT_EQ(inc.officers[0].id_number_commitment.to_hex(), kHash);

  const auto ex = decoded<co::RegisterExistingArgs>(example("register_existing").payload);
  EXPECT_EQ(ex.company.number, "0012345");
  EXPECT_EQ(ex.incorporation_date, (co::Date{1987, 6, 15}));
  EXPECT_EQ(ex.status, co::CompanyStatus::kLive);
  EXPECT_EQ(ex.last_return_date, (co::Date{2025, 6, 15}));

  const auto nar = decoded<co::AnnualReturnArgs>(example("annual_return").payload);
  EXPECT_EQ(nar.return_date, (co::Date{2027, 1, 5}));
  const auto nd2a = decoded<co::ChangeOfficersArgs>(example("change_officers").payload);
  EXPECT_EQ(nd2a.resign, std::vector<std::uint32_t>{2});
  EXPECT_TRUE(nd2a.appoint.empty());
  const auto nr1 = decoded<co::ChangeOfficeArgs>(example("change_office").payload);
  EXPECT_EQ(nr1.registered_office, "20 Pedder Street, Central, Hong Kong");
  EXPECT_EQ(nr1.change_date, (co::Date{2026, 9, 1}));
  const auto nnc2 = decoded<co::ChangeNameArgs>(example("change_name").payload);
  EXPECT_EQ(nnc2.name_en, "Victoria Lantern Foods Limited");
  const auto ndr1 = decoded<co::DeregistrationArgs>(example("apply_deregistration").payload);
  EXPECT_EQ(ndr1.ird_notice_hash.to_hex(), kHash);
  for (const char* call : {"gazette_deregistration", "deregister", "strike_off_inquiry",
                           "gazette_strike_off", "strike_off", "cancel_ending", "dissolve"}) {
    const auto act = decoded<co::RegistrarActArgs>(example(call).payload);
    EXPECT_EQ(act.number, "1234567") << call;
    EXPECT_EQ(act.document_hash.to_hex(), kHash) << call;
  }
  EXPECT_TRUE(decoded<co::RestoreArgs>(example("restore").payload).court_order);
}

TEST(CompanyCalls, OfficersMayBeCommittedByTheWallet) {
  const std::string salt(64, '5');
  const Args args = example_args(
      spec_of("company", "incorporate"),
      {{"officers",
        "[{\"role\":\"secretary\",\"name_en\":\"LEE Siu Ming\",\"partial_id\":\"B765***(*)\","
        "\"correspondence_address\":\"2 Ice House Street\",\"salt\":\"" +
            salt +
            "\",\"id_number\":\"B7654321\",\"residential_address\":\"Flat 3, 4 Hill Road\"}]"}});
  const auto inc = decoded<co::IncorporateArgs>(build_ok("company", "incorporate", args).payload);
  ASSERT_EQ(inc.officers.size(), 1U);
  co::Salt s{};
  s.fill(0x55);
  EXPECT_EQ(inc.officers[0].role, co::OfficerRole::kSecretary);
  EXPECT_TRUE(co::verify_field(inc.officers[0].id_number_commitment, s, "B7654321"));
  EXPECT_TRUE(
      co::verify_field(inc.officers[0].residential_address_commitment, s, "Flat 3, 4 Hill Road"));
}

class CompanyChainTest : public ::testing::Test {
 protected:
  Outcome call(const std::string& name, const Args& args) {
    return chain_.call(registrar(), "company", name, build_ok("company", name, args).payload);
  }
  Outcome act(const std::string& name) {
    return call(name, {{"number", "1234567"}, {"document-hash", kHash}});
  }
  void incorporate() {
    chain_.at(co::Date{2026, 1, 5});
    const Outcome o = call("incorporate", example_args(spec_of("company", "incorporate")));
    ASSERT_TRUE(o.ok()) << o.reason << ": " << o.detail;
  }
  co::CompanyStatus status() {
    return chain_.record<co::CompanyRecord>("company/company/1234567")->status;
  }

  Chain chain_;
};

#define EXPECT_DONE(o)                                            \
  do {                                                            \
    const Outcome out_ = (o);                                     \
    EXPECT_TRUE(out_.ok()) << out_.reason << ": " << out_.detail; \
  } while (0)

TEST_F(CompanyChainTest, FilingsBuiltByTheWalletAreAccepted) {
  incorporate();
  chain_.at(co::Date{2026, 9, 1});
  EXPECT_DONE(call("change_office", example_args(spec_of("company", "change_office"))));
  EXPECT_DONE(call("change_name", example_args(spec_of("company", "change_name"))));
  EXPECT_DONE(call(
      "change_officers",
      example_args(spec_of("company", "change_officers"),
                   {{"resign", std::nullopt},
                    {"appoint",
                     "[{\"role\":\"secretary\",\"name_en\":\"LEE Siu Ming\","
                     "\"partial_id\":\"B765***(*)\",\"correspondence_address\":\"2 "
                     "Ice House Street\",\"id_number_commitment\":\"" +
                         kHash + "\",\"residential_address_commitment\":\"" + kHash + "\"}]"}})));
  chain_.at(co::Date{2027, 1, 6});
  EXPECT_DONE(call("annual_return", example_args(spec_of("company", "annual_return"))));
  const auto c = chain_.record<co::CompanyRecord>("company/company/1234567");
  EXPECT_EQ(c->name_en, "Victoria Lantern Foods Limited");
  EXPECT_EQ(c->registered_office, "20 Pedder Street, Central, Hong Kong");
}

TEST_F(CompanyChainTest, EndingAndRestorationBuiltByTheWalletAreAccepted) {
  incorporate();
  EXPECT_DONE(act("strike_off_inquiry"));
  EXPECT_DONE(act("cancel_ending"));
  EXPECT_EQ(status(), co::CompanyStatus::kLive);
  EXPECT_DONE(act("strike_off_inquiry"));
  chain_.at(co::Date{2026, 3, 1});
  EXPECT_DONE(act("gazette_strike_off"));
  chain_.at(co::Date{2026, 7, 1});
  EXPECT_DONE(act("strike_off"));
  EXPECT_EQ(status(), co::CompanyStatus::kStruckOff);
  EXPECT_DONE(call("restore", {{"number", "1234567"}, {"document-hash", kHash}}));
  EXPECT_EQ(status(), co::CompanyStatus::kLive);
  EXPECT_DONE(
      call("apply_deregistration", example_args(spec_of("company", "apply_deregistration"))));
  EXPECT_DONE(act("gazette_deregistration"));
  chain_.at(co::Date{2026, 11, 1});
  EXPECT_DONE(act("deregister"));
  EXPECT_EQ(status(), co::CompanyStatus::kDeregistered);
  EXPECT_DONE(call("restore", example_args(spec_of("company", "restore"))));
  EXPECT_EQ(status(), co::CompanyStatus::kLive);
}

TEST_F(CompanyChainTest, AMigrationBuiltByTheWalletIsAccepted) {
  chain_.at(co::Date{2026, 1, 5});
  EXPECT_DONE(call("register_existing", example_args(spec_of("company", "register_existing"))));
  EXPECT_EQ(chain_.record<co::CompanyRecord>("company/company/0012345")->name_en,
            "Harbour Lantern Foods Limited");
}

TEST(CompanyCalls, BadInputIsRefusedWithTheRegistersRules) {
  const CallSpec& inc = spec_of("company", "incorporate");
  EXPECT_NE(refusal("company", "incorporate", example_args(inc, {{"number", "12345"}}))
                .find("--number: a CR number"),
            std::string::npos);
  const std::string suffix =
      refusal("company", "incorporate", example_args(inc, {{"name-en", "Harbour Lantern Foods"}}));
  EXPECT_NE(suffix.find("--name-en:"), std::string::npos) << suffix;
  EXPECT_NE(suffix.find("missing_limited_suffix"), std::string::npos) << suffix;
  const std::string mixed =
      refusal("company", "incorporate", example_args(inc, {{"name-zh", "港燈籠 Foods 有限公司"}}));
  EXPECT_NE(mixed.find("--name-zh:"), std::string::npos) << mixed;
  EXPECT_NE(mixed.find("mixed_language_name"), std::string::npos) << mixed;
  EXPECT_NE(refusal("company", "incorporate", example_args(inc, {{"type", "plc"}}))
                .find("--type: one of private_limited_by_shares, public_limited_by_shares"),
            std::string::npos);
  for (const char* officers : {"", "[]", "{}", "[1]", "[{\"role\":\"chairman\"}]", "not json",
                               "[{\"role\":\"director\",\"name_en\":\"A\"}]"}) {
    const std::string e =
        refusal("company", "incorporate", example_args(inc, {{"officers", officers}}));
    EXPECT_NE(e.find("--officers:"), std::string::npos) << officers << ": " << e;
    EXPECT_NE(e.find("JSON array of officers"), std::string::npos) << officers << ": " << e;
  }
  // Hostile JSON: huge, deeply nested, or too many officers.
  EXPECT_NE(refusal("company", "incorporate",
                    example_args(inc, {{"officers", "[" + std::string(70'000, ' ') + "]"}}))
                .find("--officers: at most 64 KiB"),
            std::string::npos);
  EXPECT_NE(refusal("company", "incorporate",
                    example_args(
                        inc, {{"officers", std::string(30'000, '[') + std::string(30'000, ']')}}))
                .find("--officers:"),
            std::string::npos);
  std::string seventeen = "[";
  for (int i = 0; i < 17; ++i) {
    seventeen += std::string(i ? "," : "") + "{\"role\":\"director\",\"name_en\":\"A\"," +
                 "\"partial_id\":\"A1***\",\"correspondence_address\":\"x\"," +
                 "\"id_number_commitment\":\"" + kHash +
                 "\",\"residential_address_commitment\":\"" + kHash + "\"}";
  }
  seventeen += "]";
  EXPECT_NE(refusal("company", "incorporate", example_args(inc, {{"officers", seventeen}}))
                .find("1 to 16 of them"),
            std::string::npos);
  EXPECT_NE(refusal("company", "register_existing",
                    example_args(spec_of("company", "register_existing"),
                                 {{"incorporation-date", "1860-01-01"}}))
                .find("--incorporation-date: a date from 1865-01-01"),
            std::string::npos);
  EXPECT_NE(refusal("company", "change_officers",
                    example_args(spec_of("company", "change_officers"), {{"resign", std::nullopt}}))
                .find("--appoint: required"),
            std::string::npos);
  EXPECT_NE(refusal("company", "change_name",
                    example_args(spec_of("company", "change_name"),
                                 {{"name-en", "Victoria 燈籠 Limited"}}))
                .find("--name-en:"),
            std::string::npos);
  EXPECT_NE(
      refusal("company", "restore", {{"number", "1234567"}}).find("--document-hash: required"),
      std::string::npos);
}

}  // namespace
}  // namespace bauhinia::wallet
