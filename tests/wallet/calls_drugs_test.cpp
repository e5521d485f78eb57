// The drugs module's commands: the examples build payloads that decode to the
// intended values; the module accepts what the wallet builds on a chain (a
// custody step co-signed by the receiver the wallet names); bad input is
// refused with the argument named.

#include <gtest/gtest.h>

#include "../contracts/drugs/fixture.hpp"
#include "bauhinia/contracts/drugs/module.hpp"
#include "example_args.hpp"

namespace bauhinia::wallet {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
namespace dr = contracts::drugs;
namespace dt = contracts::drugs::testing;

std::string hex_of(const dt::Key& k) {
  return dt::account_of(k).to_hex();
}

TEST(DrugsCalls, ExamplesDecodeToTheirValues) {
  const BuiltCall p =
      build_ok("drugs", "register_product", example_args(spec_of("drugs", "register_product")));
  const auto product = decoded<dr::ProductArgs>(p.payload);
  EXPECT_EQ(product.regno, "HK-51234");
  EXPECT_EQ(product.name_en, "Harbourcillin Capsules 500mg");
  EXPECT_EQ(product.name_zh, "港青黴素膠囊500毫克");
  EXPECT_EQ(product.form, "capsule");
  EXPECT_EQ(product.strength, "500 mg");
  EXPECT_TRUE(p.cosigners.empty());

  const BuiltCall b =
      build_ok("drugs", "create_batch", example_args(spec_of("drugs", "create_batch")));
  const auto batch = decoded<dr::BatchArgs>(b.payload);
  EXPECT_EQ(batch.batch, "B2026-001");
  EXPECT_EQ(batch.quantity, 12000U);
  // 2026-01-02 00:00 Hong Kong time (UTC+8) = 2026-01-01 16:00 UTC.
  EXPECT_EQ(batch.manufacture_ms, 1'767'283'200'000ULL);
  EXPECT_LT(batch.manufacture_ms, batch.expiry_ms);

  const BuiltCall t = build_ok("drugs", "transfer", example_args(spec_of("drugs", "transfer")));
  const auto terms = decoded<dr::TransferTerms>(t.payload);
  EXPECT_EQ(terms.quantity, 6000U);
  // The receiver co-signs.
  EXPECT_EQ(t.cosigners, std::vector<core::AccountId>{terms.to});
  EXPECT_EQ(terms.document_hash, core::Hash256{});

  const BuiltCall r = build_ok("drugs", "recall", example_args(spec_of("drugs", "recall")));
  const auto recall = decoded<dr::RecallArgs>(r.payload);
  EXPECT_EQ(recall.recall_class, dr::RecallClass::kClass2);
  EXPECT_EQ(recall.level, dr::RecallLevel::kRetail);
  EXPECT_EQ(recall.reason, dr::RecallReason::kContamination);

  const BuiltCall a =
      build_ok("drugs", "acknowledge_recall", example_args(spec_of("drugs", "acknowledge_recall")));
  EXPECT_EQ(decoded<dr::NoticeArgs>(a.payload).index, 0U);
  const BuiltCall back =
      build_ok("drugs", "return_recalled", example_args(spec_of("drugs", "return_recalled")));
  const auto returned = decoded<dr::TransferTerms>(back.payload);
  EXPECT_EQ(back.cosigners, std::vector<core::AccountId>{returned.to});
}

TEST(DrugsCalls, TheModuleAcceptsWhatTheWalletBuilds) {
  dt::Ledger l;
  auto ok = [](const contracts::ExecutedTransaction& t) {
    EXPECT_EQ(t.info.outcome, chain::TxOutcome::kSuccess) << t.reason << ": " << t.detail;
  };
  ok(l.call(dt::regulator(), "register_product",
            build_ok("drugs", "register_product",
                     example_args(spec_of("drugs", "register_product"),
                                  {{"holder", hex_of(dt::maker())}}))
                .payload));
  ok(l.call(
      dt::maker(), "create_batch",
      build_ok("drugs", "create_batch",
               example_args(spec_of("drugs", "create_batch"), {{"manufactured", "2025-12-01"}}))
          .payload));
  // The transfer: the wallet builds the terms; the receiver it names co-signs them.
  const BuiltCall t = build_ok(
      "drugs", "transfer",
      example_args(spec_of("drugs", "transfer"),
                   {{"from", hex_of(dt::maker())},
                    {"to", hex_of(dt::wholesaler())},
                    {"delivery-note-hash",
                     "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}}));
  ASSERT_EQ(t.cosigners, std::vector<core::AccountId>{dt::account_of(dt::wholesaler())});
  chain::Transaction tx = l.draft(dt::maker(), "transfer");
  tx.payload = core::encode(dr::TransferPayload{
      decoded<dr::TransferTerms>(t.payload), {contracts::cosign(tx, t.payload, dt::wholesaler())}});
  ok(l.submit(dt::Ledger::sign(tx, dt::maker())));
  EXPECT_EQ(l.holding(dt::wholesaler(), "B2026-001"), 6000U);
  ok(l.call(dt::regulator(), "recall",
            build_ok("drugs", "recall", example_args(spec_of("drugs", "recall"))).payload));
  ok(l.call(
      dt::maker(), "acknowledge_recall",
      build_ok("drugs", "acknowledge_recall", example_args(spec_of("drugs", "acknowledge_recall")))
          .payload));
}

TEST(DrugsCalls, BadInputIsRefusedWithTheArgumentNamed) {
  const CallSpec& p = spec_of("drugs", "register_product");
  EXPECT_NE(refusal("drugs", "register_product", example_args(p, {{"regno", "HK-1234"}}))
                .find("--regno: a registration number is HK- and 5 digits"),
            std::string::npos);
  EXPECT_NE(refusal("drugs", "register_product", example_args(p, {{"holder", "nobody"}}))
                .find("--holder"),
            std::string::npos);
  EXPECT_NE(refusal("drugs", "register_product", example_args(p, {{"form", std::nullopt}}))
                .find("--form: required"),
            std::string::npos);
  const CallSpec& b = spec_of("drugs", "create_batch");
  EXPECT_NE(refusal("drugs", "create_batch", example_args(b, {{"batch", "B 1"}}))
                .find("--batch: a batch number is 1 to 20"),
            std::string::npos);
  EXPECT_NE(
      refusal("drugs", "create_batch", example_args(b, {{"quantity", "0"}})).find("--quantity"),
      std::string::npos);
  EXPECT_NE(refusal("drugs", "create_batch", example_args(b, {{"expiry", "2025-01-01"}}))
                .find("--expiry: after the manufacture date"),
            std::string::npos);
  const CallSpec& t = spec_of("drugs", "transfer");
  const std::string sender = example_args(t).at("from");
  EXPECT_NE(refusal("drugs", "transfer", example_args(t, {{"to", sender}}))
                .find("--to: another account than --from"),
            std::string::npos);
  EXPECT_NE(refusal("drugs", "transfer", example_args(t, {{"quantity", "1000000000001"}}))
                .find("--quantity"),
            std::string::npos);
  const CallSpec& r = spec_of("drugs", "recall");
  EXPECT_NE(refusal("drugs", "recall", example_args(r, {{"class", "class_4"}}))
                .find("--class: one of class_1, class_2, class_3"),
            std::string::npos);
  EXPECT_NE(refusal("drugs", "recall", example_args(r, {{"reason", "because"}})).find("--reason"),
            std::string::npos);
}

}  // namespace
}  // namespace bauhinia::wallet
