// Custody transfers: signed by both sides, only along the legal direction,
// never more than the sender holds, never of an expired batch; quantities
// move and are never created or lost.

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace bauhinia::contracts::drugs::testing {
namespace {

class CustodyTest : public ::testing::Test {
 protected:
  void SetUp() override { l_.product_and_batch(1000); }

  // Every unit of the batch is held by someone: the holdings add up to the batch.
  void expect_conserved() {
    std::uint64_t total = 0;
    for (const Key* k : {&maker(), &importer(), &wholesaler(), &wholesaler2(), &pharmacy(),
                         &hospital(), &stranger()}) {
      total += l_.holding(*k);
    }
    EXPECT_EQ(total, 1000U);
  }

  Ledger l_;
};

TEST_F(CustodyTest, ManufacturerToWholesalerToPharmacyAndHospital) {
  auto t = l_.transfer(maker(), wholesaler(), 600);
  ASSERT_EQ(t.info.outcome, TxOutcome::kSuccess) << t.reason << " " << t.detail;
  // The sender signs the transaction, the receiver co-signs: both are indexed.
  EXPECT_EQ(t.accounts,
            (std::vector<core::AccountId>{account_of(maker()), account_of(wholesaler())}));
  ASSERT_EQ(t.events.size(), 1U);
  EXPECT_EQ(t.events[0].kind, "transferred");
  EXPECT_EQ(t.events[0].record_key, custody_key(kRegno, kBatch, 1));
  ASSERT_EQ(failure(l_.transfer(wholesaler(), wholesaler2(), 100)), "success/");
  ASSERT_EQ(failure(l_.transfer(wholesaler(), pharmacy(), 200)), "success/");
  ASSERT_EQ(failure(l_.transfer(wholesaler2(), hospital(), 100)), "success/");
  EXPECT_EQ(l_.holding(maker()), 400U);
  EXPECT_EQ(l_.holding(wholesaler()), 300U);
  EXPECT_EQ(l_.holding(wholesaler2()), 0U);  // passed on everything: no holding record
  EXPECT_FALSE(
      l_.record<HoldingRecord>(holding_key(kRegno, kBatch, account_of(wholesaler2()))).has_value());
  EXPECT_EQ(l_.holding(pharmacy()), 200U);
  EXPECT_EQ(l_.holding(hospital()), 100U);
  expect_conserved();
  auto b = l_.batch();
  EXPECT_EQ(b->custody_size, 5U);
  auto c = l_.record<CustodyRecord>(custody_key(kRegno, kBatch, 3));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->step, CustodyStep::kTransfer);
  EXPECT_EQ(c->from, account_of(wholesaler()));
  EXPECT_EQ(c->from_role, TraderRole::kWholesaler);
  EXPECT_EQ(c->to, account_of(pharmacy()));
  EXPECT_EQ(c->to_role, TraderRole::kDispenser);
  EXPECT_EQ(c->quantity, 200U);
  auto first = l_.record<CustodyRecord>(custody_key(kRegno, kBatch, 1));
  EXPECT_EQ(first->from_role, TraderRole::kManufacturer);
  EXPECT_EQ(first->to_role, TraderRole::kWholesaler);
}

TEST_F(CustodyTest, TheReceiverMustCoSign) {
  const TransferTerms t = terms(maker(), wholesaler(), 100);
  // No co-signature at all.
  EXPECT_EQ(failure(l_.submit(l_.custody_tx(maker(), t, {}))),
            "unauthorized/receiver_not_cosigned");
  // A valid co-signature of someone else.
  EXPECT_EQ(failure(l_.submit(l_.custody_tx(maker(), t, {&stranger()}))),
            "unauthorized/receiver_not_cosigned");
  // The sender co-signing for itself is not the receiver's consent.
  EXPECT_EQ(failure(l_.submit(l_.custody_tx(maker(), t, {&maker()}))),
            "unauthorized/receiver_not_cosigned");
  // The receiver plus an extra co-signer.
  EXPECT_EQ(failure(l_.submit(l_.custody_tx(maker(), t, {&wholesaler(), &stranger()}))),
            "invalid_argument/unexpected_cosigner");
  EXPECT_EQ(l_.holding(maker()), 1000U);
  EXPECT_EQ(l_.holding(wholesaler()), 0U);
}

TEST_F(CustodyTest, AForgedCoSignatureIsRefused) {
  const TransferTerms t = terms(maker(), wholesaler(), 100);
  chain::Transaction tx = l_.draft(maker(), "transfer");
  const Bytes bytes = core::encode(t);
  // Claims to be the wholesaler, signed with the stranger's key.
  Cosignature forged = cosign(tx, bytes, stranger(), account_of(wholesaler()));
  tx.payload = core::encode(TransferPayload{t, {forged}});
  EXPECT_EQ(failure(l_.submit(Ledger::sign(tx, maker()))), "unauthorized/wrong_cosigner_key");
  // The wholesaler's key, but a signature over other terms (a smaller quantity).
  chain::Transaction tx2 = l_.draft(maker(), "transfer");
  TransferTerms signed_terms = t;
  signed_terms.quantity = 10;
  Cosignature other = cosign(tx2, core::encode(signed_terms), wholesaler());
  tx2.payload = core::encode(TransferPayload{t, {other}});
  EXPECT_EQ(failure(l_.submit(Ledger::sign(tx2, maker()))), "unauthorized/bad_cosignature");
  // A flipped bit in an otherwise good signature.
  chain::Transaction tx3 = l_.draft(maker(), "transfer");
  Cosignature flipped = cosign(tx3, bytes, wholesaler());
  flipped.signature.bytes[5] ^= 0x01;
  tx3.payload = core::encode(TransferPayload{t, {flipped}});
  EXPECT_EQ(failure(l_.submit(Ledger::sign(tx3, maker()))), "unauthorized/bad_cosignature");
  EXPECT_EQ(l_.holding(wholesaler()), 0U);
  expect_conserved();
}

TEST_F(CustodyTest, ACoSignatureCannotBeReplayedInAnotherTransaction) {
  const TransferTerms t = terms(maker(), wholesaler(), 100);
  const auto tx = l_.custody_tx(maker(), t, {&wholesaler()});
  ASSERT_EQ(failure(l_.submit(tx)), "success/");
  // The same transaction again: its sequence is spent (the envelope refuses it).
  const BlockContext ctx{kChain, l_.height + 1, l_.now_ms, l_.version};
  Executor executor;
  const ModuleSet modules;
  modules.register_with(executor);
  auto r = executor.execute_block(ctx, std::vector<chain::IdentifiedTransaction>{tx}, l_.state);
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->has_value());
  EXPECT_EQ(r->error().why.error, EnvelopeError::kStaleSequence);
  // The same payload (with the co-signature) in a new transaction: the
  // co-signature was bound to the spent sequence number.
  chain::Transaction again = l_.draft(maker(), "transfer", tx.tx.payload);
  EXPECT_EQ(failure(l_.submit(Ledger::sign(again, maker()))), "unauthorized/bad_cosignature");
  EXPECT_EQ(l_.holding(wholesaler()), 100U);
  expect_conserved();
}

TEST_F(CustodyTest, OnlyTheLegalDirection) {
  ASSERT_EQ(failure(l_.transfer(maker(), wholesaler(), 500)), "success/");
  ASSERT_EQ(failure(l_.transfer(wholesaler(), pharmacy(), 100)), "success/");
  // Manufacturer straight to a pharmacy: not a wholesaler.
  EXPECT_EQ(failure(l_.transfer(maker(), pharmacy(), 10)), "failed_precondition/illegal_direction");
  // To an account with no licence.
  EXPECT_EQ(failure(l_.transfer(maker(), stranger(), 10)), "failed_precondition/illegal_direction");
  EXPECT_EQ(failure(l_.transfer(wholesaler(), stranger(), 10)),
            "failed_precondition/illegal_direction");
  // A wholesaler does not supply a manufacturer (only recalled stock goes back up).
  EXPECT_EQ(failure(l_.transfer(wholesaler(), maker(), 10)),
            "failed_precondition/illegal_direction");
  // A dispenser does not pass stock on.
  EXPECT_EQ(failure(l_.transfer(pharmacy(), hospital(), 10)), "unauthorized/sender_not_licensed");
  EXPECT_EQ(failure(l_.transfer(pharmacy(), wholesaler(), 10)), "unauthorized/sender_not_licensed");
  // A return of a batch that is not recalled.
  EXPECT_EQ(failure(l_.give_back(pharmacy(), wholesaler(), 10)),
            "failed_precondition/batch_not_recalled");
  EXPECT_EQ(l_.holding(pharmacy()), 100U);
  // A wholesaler whose licence is withdrawn supplies no more.
  ASSERT_EQ(l_.revoke_role(wholesaler(), kWholesalerRole).info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(failure(l_.transfer(wholesaler(), hospital(), 10)), "unauthorized/sender_not_licensed");
  // ... nor receives.
  EXPECT_EQ(failure(l_.transfer(maker(), wholesaler(), 10)),
            "failed_precondition/illegal_direction");
  expect_conserved();
}

TEST_F(CustodyTest, TheTermsMustBeTheSendersOwn) {
  // The wholesaler submits terms that take stock from the manufacturer.
  const TransferTerms t = terms(maker(), wholesaler(), 100);
  EXPECT_EQ(failure(l_.submit(l_.custody_tx(wholesaler(), t, {&wholesaler()}))),
            "unauthorized/not_sender");
  EXPECT_EQ(failure(l_.submit(l_.custody_tx(maker(), terms(maker(), maker(), 1), {&maker()}))),
            "invalid_argument/same_party");
  expect_conserved();
}

TEST_F(CustodyTest, NeverMoreThanTheSenderHolds) {
  EXPECT_EQ(failure(l_.transfer(maker(), wholesaler(), 1001)),
            "failed_precondition/insufficient_holding");
  EXPECT_EQ(failure(l_.transfer(maker(), wholesaler(), 0)), "invalid_argument/invalid_quantity");
  EXPECT_EQ(failure(l_.transfer(maker(), wholesaler(), kMaxQuantity + 1)),
            "invalid_argument/invalid_quantity");
  ASSERT_EQ(failure(l_.transfer(maker(), wholesaler(), 1000)), "success/");
  EXPECT_EQ(l_.holding(maker()), 0U);
  // The manufacturer gave everything away: nothing left to send.
  EXPECT_EQ(failure(l_.transfer(maker(), wholesaler2(), 1)),
            "failed_precondition/insufficient_holding");
  EXPECT_EQ(failure(l_.transfer(wholesaler(), pharmacy(), 1001)),
            "failed_precondition/insufficient_holding");
  // A wholesaler that never received the batch.
  EXPECT_EQ(failure(l_.transfer(wholesaler2(), pharmacy(), 1)),
            "failed_precondition/insufficient_holding");
  expect_conserved();
}

TEST_F(CustodyTest, UnknownBatchesAndMalformedPayloads) {
  EXPECT_EQ(failure(l_.submit(
                l_.custody_tx(maker(), terms(maker(), wholesaler(), 1, "NOPE"), {&wholesaler()}))),
            "not_found/batch_not_found");
  EXPECT_EQ(failure(l_.submit(
                l_.custody_tx(maker(), terms(maker(), wholesaler(), 1, "a b"), {&wholesaler()}))),
            "invalid_argument/invalid_batch_number");
  EXPECT_EQ(failure(l_.call(maker(), "transfer", Bytes{0xFF})),
            "invalid_argument/malformed_payload");
  EXPECT_EQ(failure(l_.call(maker(), "transfer", core::encode(terms(maker(), wholesaler(), 1)))),
            "invalid_argument/malformed_payload");  // terms without the co-signature list
  expect_conserved();
}

TEST_F(CustodyTest, AnExpiredBatchIsNotSupplied) {
  ASSERT_EQ(failure(l_.transfer(maker(), wholesaler(), 100)), "success/");
  l_.now_ms = l_.batch()->expiry_ms;  // the instant of expiry
  EXPECT_EQ(failure(l_.transfer(wholesaler(), pharmacy(), 10)),
            "failed_precondition/batch_expired");
  EXPECT_EQ(failure(l_.transfer(maker(), wholesaler(), 10)), "failed_precondition/batch_expired");
  EXPECT_EQ(l_.holding(pharmacy()), 0U);
  expect_conserved();
}

TEST_F(CustodyTest, HoldersPerBatchAreBounded) {
  // Fill the batch's holders up to the chain parameter with wholesalers
  // appointed for the purpose, then one more is refused.
  const std::uint64_t max = 64;  // drugs.max_holders_per_batch's default
  std::vector<Key> extra;
  for (std::uint32_t i = 0; i < max; ++i) extra.push_back(key(100 + i));
  for (const Key& k : extra) {
    ASSERT_EQ(l_.submit(Ledger::sign(l_.draft(dh_admin(), "grant_role",
                                              core::encode(system::RoleArgs{
                                                  account_of(k), std::string(kWholesalerRole)}),
                                              "system"),
                                     dh_admin()))
                  .info.outcome,
              TxOutcome::kSuccess);
  }
  for (std::uint32_t i = 0; i + 1 < max; ++i) {
    ASSERT_EQ(failure(l_.transfer(maker(), extra[i], 1)), "success/") << i;
  }
  // The maker and 63 wholesalers hold it: the 65th holder is refused...
  EXPECT_EQ(failure(l_.transfer(maker(), extra[max - 1], 1)), "limit_exceeded/too_many_holders");
  // ... but a holder passing on everything it holds makes room for its receiver.
  EXPECT_EQ(failure(l_.transfer(extra[0], extra[max - 1], 1)), "success/");
}

}  // namespace
}  // namespace bauhinia::contracts::drugs::testing
