// The environment module's commands: the examples build payloads that decode
// to the intended values; the module accepts wallet-built payloads through
// the whole EIA process and a trip-ticket's custody (the environment tests'
// ledger); bad input is refused with the argument named.

#include <gtest/gtest.h>

#include "../contracts/environment/fixture.hpp"
#include "bauhinia/contracts/environment/calls.hpp"
#include "example_args.hpp"

namespace bauhinia::wallet {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
namespace env = contracts::environment;
namespace ef = contracts::environment::testing;

const std::string kHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

BuiltCall build(
    const char* call,
    const std::vector<std::pair<std::string, std::optional<std::string>>>& changes = {}) {
  return build_ok("environment", call, example_args(spec_of("environment", call), changes));
}

std::string hex_of(const core::schnorr::SecretKey& k) {
  return ef::account_of(k).to_hex();
}

TEST(EnvironmentCalls, ExamplesDecodeToTheirValues) {
  const auto profile = decoded<env::ProfileArgs>(build("submit_profile").payload);
  EXPECT_EQ(profile.title_en, "Tsing Yi Harbourfront Promenade");
  EXPECT_EQ(profile.title_zh, "青衣海濱長廊");
  EXPECT_EQ(profile.profile_hash.to_hex(), kHash);

  const auto window = decoded<env::InspectionArgs>(build("open_inspection").payload);
  EXPECT_EQ(window.project, "PP-001/2026");
  EXPECT_EQ(window.end_ms - window.start_ms, 30 * env::kDayMs);  // April has 30 days
  const auto from_block =
      decoded<env::InspectionArgs>(build("open_inspection", {{"start", std::nullopt}}).payload);
  EXPECT_EQ(from_block.start_ms, 0U);

  const auto d = decoded<env::DecisionArgs>(build("decide").payload);
  EXPECT_EQ(d.decision, env::Decision::kApprovedWithConditions);
  const BuiltCall t = build("transfer_permit");
  const auto terms = decoded<env::TransferTerms>(t.payload);
  ASSERT_EQ(t.cosigners.size(), 2U);
  EXPECT_EQ(t.cosigners[0], terms.from);
  EXPECT_EQ(t.cosigners[1], terms.to);

  const auto ticket = decoded<env::TicketArgs>(build("issue_ticket").payload);
  EXPECT_EQ(ticket.waste_type, env::WasteType::kMineralOil);
  EXPECT_EQ(ticket.declared_kg, 1200U);
  EXPECT_EQ(ticket.producer_cr, "3298741");
  EXPECT_EQ(decoded<env::ReceiptArgs>(build("record_receipt").payload).measured_kg, 1104U);
  EXPECT_EQ(decoded<env::DocumentArgs>(build("cancel_permit").payload).number, "EP-001/2026");
  // The 8-digit search form is canonicalised.
  EXPECT_EQ(decoded<env::TicketArgs>(build("issue_ticket", {{"producer-cr", "03298741"}}).payload)
                .producer_cr,
            "3298741");
}

TEST(EnvironmentCalls, TheModuleAcceptsWhatTheWalletBuilds) {
  ef::Ledger l;
  l.incorporate_producer();
  auto ok = [&](const core::schnorr::SecretKey& k, const char* call, const BuiltCall& b) {
    const auto r = l.call(k, call, b.payload);
    EXPECT_EQ(r.info.outcome, chain::TxOutcome::kSuccess)
        << call << ": " << r.reason << " " << r.detail;
  };
  ok(ef::proponent(), "submit_profile", build("submit_profile"));
  ok(ef::officer(), "issue_study_brief", build("issue_study_brief"));
  ok(ef::proponent(), "submit_report", build("submit_report"));
  const BuiltCall window = build("open_inspection");
  ok(ef::officer(), "open_inspection", window);
  const auto w = decoded<env::InspectionArgs>(window.payload);
  l.now_ms = w.start_ms;
  ok(ef::stranger(), "comment", build("comment"));
  l.now_ms = w.end_ms;
  ok(ef::officer(), "decide", build("decide"));
  ok(ef::officer(), "issue_permit", build("issue_permit"));
  ok(ef::officer(), "vary_permit", build("vary_permit"));

  const BuiltCall t = build("transfer_permit",
                            {{"from", hex_of(ef::proponent())}, {"to", hex_of(ef::transferee())}});
  const auto terms = decoded<env::TransferTerms>(t.payload);
  const auto r =
      l.cosigned(ef::officer(), "transfer_permit", terms, {&ef::proponent(), &ef::transferee()});
  ASSERT_EQ(r.info.outcome, chain::TxOutcome::kSuccess) << r.reason << " " << r.detail;
  l.now_ms = decoded<env::SubmissionArgs>(build("submit_em_a").payload).period_end_ms;
  ok(ef::transferee(), "submit_em_a", build("submit_em_a"));
  ok(ef::transferee(), "surrender_permit", build("surrender_permit"));
  EXPECT_EQ(l.permit("EP-001/2026")->status, env::PermitStatus::kSurrendered);

  const std::vector<std::pair<std::string, std::optional<std::string>>> parties{
      {"collector", hex_of(ef::collector())}, {"reception-point", hex_of(ef::reception())}};
  ok(ef::producer(), "issue_ticket", build("issue_ticket", parties));
  ok(ef::collector(), "record_collection", build("record_collection"));
  ok(ef::reception(), "record_receipt", build("record_receipt"));
  EXPECT_TRUE(l.ticket("CWTT-2026-000101")->weight_mismatch);  // 1104 of 1200 kg
  auto second = parties;
  second.emplace_back("ticket", "CWTT-2026-000102");
  ok(ef::producer(), "issue_ticket", build("issue_ticket", second));
  l.advance_days(15);
  ok(ef::stranger(), "flag_overdue", build("flag_overdue", {{"ticket", "CWTT-2026-000102"}}));
  EXPECT_TRUE(l.ticket("CWTT-2026-000102")->overdue);
}

TEST(EnvironmentCalls, BadInputIsRefusedWithTheArgumentNamed) {
  auto refused = [](const char* call,
                    std::vector<std::pair<std::string, std::optional<std::string>>> changes) {
    return refusal("environment", call, example_args(spec_of("environment", call), changes));
  };
  EXPECT_NE(refused("issue_study_brief", {{"project", "PP-1/2026"}}).find("--project: a number"),
            std::string::npos);
  EXPECT_NE(refused("vary_permit", {{"permit", "PP-001/2026"}}).find("--permit: a number"),
            std::string::npos);
  EXPECT_NE(refused("submit_profile", {{"title-en", std::nullopt}, {"title-zh", std::nullopt}})
                .find("--title-en"),
            std::string::npos);
  EXPECT_NE(refused("open_inspection", {{"end", "2026-03-01"}}).find("--end: a date after"),
            std::string::npos);
  EXPECT_NE(refused("decide", {{"decision", "maybe"}}).find("--decision: one of approved"),
            std::string::npos);
  const std::string holder = example_args(spec_of("environment", "transfer_permit")).at("from");
  EXPECT_NE(refused("transfer_permit", {{"to", holder}}).find("--to: another account"),
            std::string::npos);
  EXPECT_NE(refused("submit_em_a", {{"period-end", "2026-05-01"}}).find("--period-end"),
            std::string::npos);
  EXPECT_NE(refused("issue_ticket", {{"ticket", "lower case"}}).find("--ticket: a trip-ticket"),
            std::string::npos);
  EXPECT_NE(refused("issue_ticket", {{"waste-type", "glitter"}}).find("--waste-type: one of"),
            std::string::npos);
  EXPECT_NE(refused("issue_ticket", {{"kg", "0"}}).find("--kg"), std::string::npos);
  EXPECT_NE(refused("issue_ticket", {{"kg", "1.5"}}).find("--kg"), std::string::npos);
  EXPECT_NE(refused("issue_ticket", {{"producer-cr", "12AB"}}).find("--producer-cr: a CR number"),
            std::string::npos);
  EXPECT_NE(refused("record_collection", {{"vehicle", std::string(33, 'V')}}).find("--vehicle"),
            std::string::npos);
  EXPECT_NE(refused("record_receipt", {{"kg", "1000000001"}}).find("--kg"), std::string::npos);
  EXPECT_NE(refused("comment", {{"comment-hash", "zz"}}).find("--comment-hash"), std::string::npos);
}

}  // namespace
}  // namespace bauhinia::wallet
