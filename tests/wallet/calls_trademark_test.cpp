// The trademark module's commands: every example builds a payload that
// decodes with the module's own payload struct to the intended values; a
// mark's life built entirely by the wallet (file to security interest, with
// the owner's co-signatures) is accepted by the real module; bad input is
// refused by the wallet with the argument and the rule.

#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "../contracts/trademark/fixture.hpp"
#include "bauhinia/contracts/trademark/calls.hpp"
#include "example_args.hpp"

namespace bauhinia::wallet {
namespace {

using namespace testing;                        // NOLINT(google-build-using-namespace)
using namespace contracts::trademark::testing;  // NOLINT(google-build-using-namespace)
namespace tm = contracts::trademark;

const std::string kDeed = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12";

std::string address(const core::schnorr::SecretKey& k) {
  return core::encode_address(core::kMainnetAddressPrefix, account_of(k));
}

core::AccountId example_account(const char* who) {
  return core::AccountId{
      core::sha256(core::as_bytes(std::string("bauhinia example ") + who)).bytes()};
}

BuiltCall example(const std::string& call) {
  return build_ok("trademark", call, example_args(spec_of("trademark", call)));
}

TEST(TrademarkCalls, EveryCallOfTheModuleHasACommand) {
  for (std::string_view call : tm::kCalls) EXPECT_NE(find_call("trademark", call), nullptr) << call;
}

TEST(TrademarkCalls, ExamplesDecodeToTheirValues) {
  const auto file = decoded<tm::FileArgs>(example("file").payload);
  EXPECT_EQ(file.number, "305918274");
  EXPECT_EQ(file.text_en, "HARBOUR LANTERN");
  EXPECT_EQ(file.text_zh, "港燈籠");
  EXPECT_FALSE(file.image_hash);
  EXPECT_EQ(file.applicant.account, example_account("owner"));
  EXPECT_EQ(file.applicant.name_en, "Harbour Lantern Foods Limited");
  EXPECT_EQ(file.applicant.cr_number, "1234567");
  EXPECT_EQ(file.classes, (std::vector<tm::ClassSpec>{{29, {"preserved fruits", "dried meat"}},
                                                      {30, {"tea", "mooncakes"}}}));
  EXPECT_EQ(tm::hong_kong_date(file.filing_date_ms), (tm::CivilDate{2026, 1, 5}));

  for (const char* call : {"examine", "accept", "publish", "extend_opposition", "oppose",
                           "register", "withdraw", "renew", "remove", "restore"}) {
    const BuiltCall b = example(call);
    EXPECT_EQ(decoded<tm::MarkArgs>(b.payload).number, "305918274") << call;
    EXPECT_TRUE(b.cosigners.empty());
  }
  const std::map<std::string, tm::Ground> grounds{{"refuse", tm::Ground::kAbsolute},
                                                  {"revoke", tm::Ground::kNonUse},
                                                  {"invalidate", tm::Ground::kBadFaith}};
  for (const auto& [call, ground] : grounds) {
    const auto g = decoded<tm::GroundArgs>(example(call).payload);
    EXPECT_EQ(g.number, "305918274");
    EXPECT_EQ(g.ground, ground) << call;
  }

  const BuiltCall assign = example("assign");
  const auto t = decoded<tm::AssignTerms>(assign.payload);
  EXPECT_EQ(t.number, "305918274");
  EXPECT_EQ(t.assignor, example_account("owner"));
  EXPECT_EQ(t.assignee.account, example_account("assignee"));
  EXPECT_EQ(t.assignee.name_en, "Victoria Tea House Limited");
  EXPECT_EQ(t.assignee.cr_number, "7654321");
  EXPECT_EQ(t.scope, (std::vector<tm::ClassSpec>{{29, {}}, {30, {}}}));
  EXPECT_TRUE(t.with_goodwill);
  EXPECT_EQ(tm::hong_kong_date(t.assignment_date_ms), (tm::CivilDate{2026, 3, 2}));
  EXPECT_EQ(t.deed_hash.to_hex(), kDeed);
  EXPECT_EQ(assign.cosigners, std::vector<core::AccountId>{example_account("owner")});
  ASSERT_GE(assign.description.size(), 3U);
  EXPECT_NE(assign.description[0].find("assign trade mark 305918274 classes 29, 30 to"),
            std::string::npos)
      << assign.description[0];
  EXPECT_EQ(assign.description[2], "with goodwill");

  const BuiltCall licence = example("record_licence");
  const auto l = decoded<tm::LicenceTerms>(licence.payload);
  EXPECT_EQ(l.licensor, example_account("owner"));
  EXPECT_EQ(l.licensee.account, example_account("assignee"));
  EXPECT_TRUE(l.exclusive);
  EXPECT_EQ(l.scope, (std::vector<tm::ClassSpec>{{30, {"tea"}}}));
  EXPECT_EQ(tm::hong_kong_date(l.start_ms), (tm::CivilDate{2026, 4, 1}));
  EXPECT_EQ(tm::hong_kong_date(l.end_ms), (tm::CivilDate{2029, 3, 31}));
  EXPECT_EQ(licence.cosigners, std::vector<core::AccountId>{example_account("owner")});

  const BuiltCall security = example("record_security_interest");
  const auto s = decoded<tm::SecurityTerms>(security.payload);
  EXPECT_EQ(s.chargor, example_account("owner"));
  EXPECT_EQ(s.holder.name_en, "Harbour Bank Limited");
  EXPECT_EQ(tm::hong_kong_date(s.effective_ms), (tm::CivilDate{2026, 5, 4}));
  EXPECT_EQ(security.cosigners, std::vector<core::AccountId>{example_account("owner")});

  const auto existing = decoded<tm::RegisterExistingArgs>(example("register_existing").payload);
  EXPECT_EQ(existing.mark.number, "300347715");
  EXPECT_EQ(existing.status, tm::Status::kRegistered);
  EXPECT_EQ(existing.renewals, 1U);
  EXPECT_EQ(tm::hong_kong_date(existing.expiry_ms), (tm::CivilDate{2035, 3, 2}));
  EXPECT_EQ(existing.removed_ms, 0U);
}

class TrademarkLedgerTest : public ::testing::Test {
 protected:
  contracts::ExecutedTransaction call(const std::string& name, const Args& args,
                                      const core::schnorr::SecretKey& sender = registrar()) {
    return ledger_.call(sender, name, build_ok("trademark", name, args).payload);
  }
  contracts::ExecutedTransaction act(const std::string& name, const std::string& mark) {
    return call(name, {{"mark", mark}});
  }
  Args filing(const std::string& mark, const core::schnorr::SecretKey& owner) {
    return example_args(spec_of("trademark", "file"),
                        {{"mark", mark}, {"owner", address(owner)}, {"owner-cr", std::nullopt}});
  }
  // A co-signed call built by the wallet, co-signed by `cosigner`.
  template <class Terms>
  contracts::ExecutedTransaction cosigned(const std::string& name, const Args& args,
                                          const core::schnorr::SecretKey& cosigner) {
    const BuiltCall b = build_ok("trademark", name, args);
    EXPECT_EQ(b.cosigners, std::vector<core::AccountId>{account_of(cosigner)});
    const Terms terms = decoded<Terms>(b.payload);
    EXPECT_EQ(core::encode(terms), b.payload);
    return ledger_.cosigned(registrar(), name, terms, {&cosigner});
  }

  Ledger ledger_;
};

#define EXPECT_OK(t) EXPECT_EQ(failure(t), "success/") << (t).detail

TEST_F(TrademarkLedgerTest, AMarksLifeBuiltByTheWalletIsAccepted) {
  const std::string mark = "305918274";
  EXPECT_OK(call("file", filing(mark, applicant())));
  EXPECT_OK(act("examine", mark));
  EXPECT_OK(act("accept", mark));
  EXPECT_OK(act("publish", mark));
  EXPECT_OK(act("extend_opposition", mark));
  ledger_.now_ms = ledger_.mark(mark)->opposition_deadline_ms;
  EXPECT_OK(act("register", mark));
  EXPECT_EQ(ledger_.mark(mark)->status, tm::Status::kRegistered);

  EXPECT_OK(cosigned<tm::AssignTerms>(
      "assign",
      example_args(spec_of("trademark", "assign"), {{"from", address(applicant())},
                                                    {"to", address(assignee())},
                                                    {"to-cr", std::nullopt},
                                                    {"classes", std::nullopt},
                                                    {"date", "2026-01-06"}}),
      applicant()));
  EXPECT_EQ(ledger_.mark(mark)->owner.account, account_of(assignee()));

  EXPECT_OK(cosigned<tm::LicenceTerms>(
      "record_licence",
      example_args(spec_of("trademark", "record_licence"), {{"owner", address(assignee())},
                                                            {"licensee", address(third())},
                                                            {"start-date", "2026-01-10"}}),
      assignee()));
  EXPECT_OK(cosigned<tm::SecurityTerms>(
      "record_security_interest",
      example_args(
          spec_of("trademark", "record_security_interest"),
          {{"owner", address(assignee())}, {"holder", address(third())}, {"date", "2026-01-10"}}),
      assignee()));
  EXPECT_EQ(ledger_.mark(mark)->history_size, 3U);

  // A second application withdrawn by its applicant, a third refused.
  EXPECT_OK(call("file", filing("305918275", applicant())));
  EXPECT_OK(call("withdraw", {{"mark", "305918275"}}, applicant()));
  EXPECT_OK(call("file", filing("305918276", applicant())));
  EXPECT_OK(act("examine", "305918276"));
  EXPECT_OK(call("refuse", {{"mark", "305918276"}, {"ground", "absolute"}}));
  EXPECT_EQ(ledger_.mark("305918276")->ground, tm::Ground::kAbsolute);
}

TEST_F(TrademarkLedgerTest, AMigrationBuiltByTheWalletIsAccepted) {
  const Args args = example_args(spec_of("trademark", "register_existing"),
                                 {{"owner", address(applicant())}, {"owner-cr", std::nullopt}});
  EXPECT_OK(call("register_existing", args));
  EXPECT_EQ(ledger_.mark("300347715")->status, tm::Status::kRegistered);
}

TEST(TrademarkCalls, BadInputIsRefusedWithTheArgumentAndTheRule) {
  const CallSpec& assign = spec_of("trademark", "assign");
  // The module's own number rule (number.hpp).
  for (const auto& [number, reason] :
       std::vector<std::pair<std::string, std::string>>{{"315918274", "number_prefix"},
                                                        {"3059182", "number_length"},
                                                        {"30591827X", "number_digits"},
                                                        {"305918274a1", "number_suffix"}}) {
    const std::string e = refusal("trademark", "assign", example_args(assign, {{"mark", number}}));
    EXPECT_NE(e.find("--mark: a trade mark number is 9 digits beginning with 30"),
              std::string::npos)
        << e;
    EXPECT_NE(e.find(reason), std::string::npos) << e;
  }
  EXPECT_NE(refusal("trademark", "assign", example_args(assign, {{"to", "hk1notanaddress"}}))
                .find("--to: an account address"),
            std::string::npos);
  EXPECT_NE(refusal("trademark", "assign", example_args(assign, {{"from", std::nullopt}}))
                .find("--from: required"),
            std::string::npos);
  EXPECT_NE(refusal("trademark", "assign", example_args(assign, {{"date", "2026-02-30"}}))
                .find("--date: a date YYYY-MM-DD"),
            std::string::npos);
  EXPECT_NE(refusal("trademark", "assign", example_args(assign, {{"classes", "29,46"}}))
                .find("--classes: a comma list"),
            std::string::npos);
  EXPECT_NE(
      refusal("trademark", "assign", example_args(assign, {{"goods", "30=tea"}})).find("not both"),
      std::string::npos);
  EXPECT_NE(refusal("trademark", "assign", example_args(assign, {{"to-name-en", std::nullopt}}))
                .find("--to-name-en: required: a name in English"),
            std::string::npos);
  EXPECT_NE(refusal("trademark", "assign", example_args(assign, {{"to-cr", "12"}}))
                .find("--to-cr: a CR number"),
            std::string::npos);
  EXPECT_NE(refusal("trademark", "assign", example_args(assign, {{"with-goodwill", "perhaps"}}))
                .find("--with-goodwill: a flag"),
            std::string::npos);
  EXPECT_NE(refusal("trademark", "assign", example_args(assign, {{"assignee", "x"}}))
                .find("--assignee: not an argument of trademark assign"),
            std::string::npos);
  EXPECT_NE(refusal("trademark", "revoke", {{"mark", "305918274"}, {"ground", "laziness"}})
                .find("--ground: one of none, absolute, relative"),
            std::string::npos);
  const CallSpec& file = spec_of("trademark", "file");
  for (const char* goods : {"29=", "0=tea", "tea", "29=tea|", "46=tea"}) {
    EXPECT_NE(refusal("trademark", "file", example_args(file, {{"goods", goods}}))
                  .find("--goods: classes separated by |"),
              std::string::npos)
        << goods;
  }
  std::string many = "1=a";
  for (int c = 2; c <= 46; ++c) many += "|" + std::to_string(c % 45 + 1) + "=a";
  EXPECT_NE(refusal("trademark", "file", example_args(file, {{"goods", many}}))
                .find("at most 45 classes of 32 items"),
            std::string::npos);
  std::string items = "30=i0";
  for (int i = 1; i <= 32; ++i) items += ";i" + std::to_string(i);
  EXPECT_NE(refusal("trademark", "file", example_args(file, {{"goods", items}})).find("--goods:"),
            std::string::npos);
  EXPECT_NE(
      refusal("trademark", "file", example_args(file, {{"goods", "30=" + std::string(257, 't')}}))
          .find("--goods:"),
      std::string::npos);
  EXPECT_NE(refusal("trademark", "file", example_args(file, {{"text-en", std::string(513, 'M')}}))
                .find("--text-en: text of 1 to 512 bytes"),
            std::string::npos);
  EXPECT_NE(refusal("trademark", "file",
                    example_args(file, {{"text-en", std::nullopt}, {"text-zh", std::nullopt}}))
                .find("--text-en: required"),
            std::string::npos);
  EXPECT_NE(refusal("trademark", "file", example_args(file, {{"filing-date", "1969-12-31"}}))
                .find("--filing-date: a date from 1970-01-02"),
            std::string::npos);
  EXPECT_NE(
      refusal("trademark", "register_existing",
              example_args(spec_of("trademark", "register_existing"), {{"status", "published"}}))
          .find("--status: one of registered, removed"),
      std::string::npos);
}

}  // namespace
}  // namespace bauhinia::wallet
