// register_product and create_batch: who may, what is checked, what is kept.

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace bauhinia::contracts::drugs::testing {
namespace {

// ProductArgs' wire format with no limits, to send what the encoder refuses to.
struct UnboundedProductArgs {
  std::string regno;
  core::AccountId holder;
  std::string name_en, name_zh, form, strength;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.regno, 1 << 20, "regno");
    c.fixed(s.holder.bytes);
    c.string(s.name_en, 1 << 20, "name_en");
    c.string(s.name_zh, 1 << 20, "name_zh");
    c.string(s.form, 1 << 20, "form");
    c.string(s.strength, 1 << 20, "strength");
  }
};

Bytes unbounded(const ProductArgs& a) {
  return core::encode(
      UnboundedProductArgs{a.regno, a.holder, a.name_en, a.name_zh, a.form, a.strength});
}

TEST(DrugsProducts, TheRegulatorRegistersAProductOfALicensedManufacturer) {
  Ledger l;
  auto t = l.call(regulator(), "register_product", core::encode(sample_product()));
  ASSERT_EQ(t.info.outcome, TxOutcome::kSuccess) << t.reason << " " << t.detail;
  auto p = l.record<ProductRecord>(product_key(kRegno));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->holder, account_of(maker()));
  EXPECT_EQ(p->holder_role, TraderRole::kManufacturer);
  EXPECT_EQ(p->name_zh, "港青黴素膠囊500毫克");
  EXPECT_EQ(p->registered_height, 1U);
  ASSERT_FALSE(t.events.empty());  // after the Executor's account_created
  EXPECT_EQ(t.events.back().kind, "product_registered");
  // The holder is indexed with the regulator.
  EXPECT_EQ(t.accounts,
            (std::vector<core::AccountId>{account_of(regulator()), account_of(maker())}));
  // An importer's product records the importer's capacity.
  auto i =
      l.call(regulator(), "register_product", core::encode(sample_product("HK-60001", importer())));
  ASSERT_EQ(i.info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(l.record<ProductRecord>(product_key("HK-60001"))->holder_role, TraderRole::kImporter);
}

TEST(DrugsProducts, RegisterProductRefusals) {
  Ledger l;
  // Wrong role: a licensed manufacturer is not the regulator.
  EXPECT_EQ(failure(l.call(maker(), "register_product", core::encode(sample_product()))),
            "unauthorized/not_regulator");
  // The holder must be a licensed manufacturer or importer.
  EXPECT_EQ(failure(l.call(regulator(), "register_product",
                           core::encode(sample_product(kRegno, wholesaler())))),
            "failed_precondition/holder_not_licensed");
  EXPECT_EQ(failure(l.call(regulator(), "register_product",
                           core::encode(sample_product(kRegno, stranger())))),
            "failed_precondition/holder_not_licensed");
  for (const char* bad : {"HK-1234", "hk-12345", "HK 12345", "HK-1234X", "HK-+1234", ""}) {
    EXPECT_EQ(failure(l.call(regulator(), "register_product", core::encode(sample_product(bad)))),
              "invalid_argument/invalid_registration_number")
        << bad;
  }
  ProductArgs unnamed = sample_product();
  unnamed.name_en.clear();
  unnamed.name_zh.clear();
  EXPECT_EQ(failure(l.call(regulator(), "register_product", core::encode(unnamed))),
            "invalid_argument/name_missing");
  ProductArgs no_form = sample_product();
  no_form.form.clear();
  EXPECT_EQ(failure(l.call(regulator(), "register_product", core::encode(no_form))),
            "invalid_argument/form_missing");
  ProductArgs bad_text = sample_product();
  bad_text.name_zh = std::string("\xE6\xB8", 2);  // truncated UTF-8: the codec refuses it
  EXPECT_EQ(failure(l.call(regulator(), "register_product", core::encode(bad_text))),
            "invalid_argument/malformed_payload");
  ProductArgs control = sample_product();
  control.strength = "500\nmg";
  EXPECT_EQ(failure(l.call(regulator(), "register_product", core::encode(control))),
            "invalid_argument/invalid_text");
  // Malformed payloads: garbage, trailing bytes, an oversized field.
  EXPECT_EQ(failure(l.call(regulator(), "register_product", Bytes{1, 2, 3})),
            "invalid_argument/malformed_payload");
  Bytes longer = core::encode(sample_product());
  longer.push_back(0);
  EXPECT_EQ(failure(l.call(regulator(), "register_product", longer)),
            "invalid_argument/malformed_payload");
  ProductArgs huge = sample_product();
  huge.form = std::string(kMaxFormSize + 1, 'x');
  EXPECT_EQ(failure(l.call(regulator(), "register_product", unbounded(huge))),
            "limit_exceeded/field_too_large");
  ProductArgs long_number = sample_product("HK-123456");
  EXPECT_EQ(failure(l.call(regulator(), "register_product", unbounded(long_number))),
            "limit_exceeded/field_too_large");
  // The unbounded format is the same wire format: within limits it is accepted below.
  EXPECT_EQ(unbounded(sample_product()), core::encode(sample_product()));
  EXPECT_EQ(failure(l.call(regulator(), "no_such_call", {})), "invalid_argument/unknown_call");
  // Nothing was written by any refusal.
  EXPECT_FALSE(l.record<ProductRecord>(product_key(kRegno)).has_value());
  // Registered once only.
  ASSERT_EQ(l.call(regulator(), "register_product", core::encode(sample_product())).info.outcome,
            TxOutcome::kSuccess);
  EXPECT_EQ(failure(l.call(regulator(), "register_product", core::encode(sample_product()))),
            "already_exists/product_exists");
}

TEST(DrugsProducts, TheHolderCreatesABatchHeldByItself) {
  Ledger l;
  l.product_and_batch(1000);
  auto b = l.batch();
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->quantity, 1000U);
  EXPECT_EQ(b->maker, account_of(maker()));
  EXPECT_EQ(b->custody_size, 1U);
  EXPECT_FALSE(b->recall.has_value());
  EXPECT_EQ(l.holding(maker()), 1000U);
  auto c = l.record<CustodyRecord>(custody_key(kRegno, kBatch, 0));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->step, CustodyStep::kCreated);
  EXPECT_EQ(c->to, account_of(maker()));
  EXPECT_EQ(c->quantity, 1000U);
  EXPECT_EQ(l.record<ProductRecord>(product_key(kRegno))->batch_count, 1U);
}

TEST(DrugsProducts, CreateBatchRefusals) {
  Ledger l;
  ASSERT_EQ(l.call(regulator(), "register_product", core::encode(sample_product())).info.outcome,
            TxOutcome::kSuccess);
  const std::uint64_t now = l.now_ms;
  auto args = [&](std::string batch = kBatch) {
    return BatchArgs{kRegno, std::move(batch), 500, now - 10 * kDayMs, now + 700 * kDayMs};
  };
  // Only the product's holder: another manufacturer-licensed or any other account is refused.
  EXPECT_EQ(failure(l.call(wholesaler(), "create_batch", core::encode(args()))),
            "unauthorized/not_product_holder");
  EXPECT_EQ(failure(l.call(regulator(), "create_batch", core::encode(args()))),
            "unauthorized/not_product_holder");
  BatchArgs a = args();
  a.regno = "HK-99999";
  EXPECT_EQ(failure(l.call(maker(), "create_batch", core::encode(a))),
            "not_found/product_not_found");
  for (const char* bad : {"", "B 1", "B/1", "B_1", "批次"}) {
    EXPECT_EQ(failure(l.call(maker(), "create_batch", core::encode(args(bad)))),
              "invalid_argument/invalid_batch_number")
        << bad;
  }
  a = args();
  a.quantity = 0;
  EXPECT_EQ(failure(l.call(maker(), "create_batch", core::encode(a))),
            "invalid_argument/invalid_quantity");
  a.quantity = kMaxQuantity + 1;
  EXPECT_EQ(failure(l.call(maker(), "create_batch", core::encode(a))),
            "invalid_argument/invalid_quantity");
  a = args();
  a.manufacture_ms = l.now_ms + kDayMs;  // made tomorrow
  EXPECT_EQ(failure(l.call(maker(), "create_batch", core::encode(a))),
            "invalid_argument/invalid_dates");
  a = args();
  a.expiry_ms = a.manufacture_ms;
  EXPECT_EQ(failure(l.call(maker(), "create_batch", core::encode(a))),
            "invalid_argument/invalid_dates");
  a = args();
  a.expiry_ms = l.now_ms - 1;  // already expired
  a.manufacture_ms = l.now_ms - 400 * kDayMs;
  EXPECT_EQ(failure(l.call(maker(), "create_batch", core::encode(a))),
            "failed_precondition/batch_expired");
  EXPECT_EQ(failure(l.call(maker(), "create_batch", Bytes{})),
            "invalid_argument/malformed_payload");
  Bytes trailing = core::encode(args());
  trailing.push_back(0);
  EXPECT_EQ(failure(l.call(maker(), "create_batch", trailing)),
            "invalid_argument/malformed_payload");
  EXPECT_FALSE(l.batch().has_value());
  ASSERT_EQ(l.call(maker(), "create_batch", core::encode(args())).info.outcome,
            TxOutcome::kSuccess);
  // Batch numbers are unique per product.
  EXPECT_EQ(failure(l.call(maker(), "create_batch", core::encode(args()))),
            "already_exists/batch_exists");
  EXPECT_EQ(l.holding(maker()), 500U);
  // A manufacturer whose licence (role) is withdrawn releases no more batches.
  ASSERT_EQ(l.revoke_role(maker(), kManufacturerRole).info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(failure(l.call(maker(), "create_batch", core::encode(args("B2026-002")))),
            "unauthorized/holder_not_licensed");
}

TEST(DrugsProducts, AdmissionRefusesWhatExecutionWould) {
  Ledger l;
  auto tx =
      Ledger::sign(l.draft(maker(), "register_product", core::encode(sample_product())), maker());
  const core::Verdict v = l.admit(tx);
  EXPECT_FALSE(v.ok());
  EXPECT_NE(v.rejection().detail.find("not_regulator"), std::string::npos);
  auto ok = Ledger::sign(l.draft(regulator(), "register_product", core::encode(sample_product())),
                         regulator());
  EXPECT_TRUE(l.admit(ok).ok());
}

}  // namespace
}  // namespace bauhinia::contracts::drugs::testing
