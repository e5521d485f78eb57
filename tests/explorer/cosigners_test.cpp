// The co-signers /api/tx/{id} lists: decoded from real co-signed payloads
// (signed with contracts::cosign, as wallets do) with the modules' own
// payload types; hostile or foreign payloads give an empty list, never a throw.

#include "bauhinia/explorer/cosigners.hpp"

#include <gtest/gtest.h>

#include "bauhinia/contracts/drugs/calls.hpp"
#include "bauhinia/contracts/environment/calls.hpp"
#include "bauhinia/contracts/trademark/calls.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::explorer {
namespace {

namespace tm = contracts::trademark;
using core::schnorr::SecretKey;
using json = nlohmann::json;

core::AccountId account_of(const SecretKey& k) {
  return core::account_id_of(k.public_key());
}

chain::Transaction draft(const SecretKey& sender, std::string module, std::string call) {
  chain::Transaction tx;
  tx.chain_id = "explorer-cosigners-test";
  tx.sender = account_of(sender);
  tx.public_key = sender.public_key();
  tx.sequence = 3;
  tx.expiry_ms = 1'900'000'000'000;
  tx.module = std::move(module);
  tx.call = std::move(call);
  return tx;
}

template <class Terms>
core::Bytes cosigned_payload(const chain::Transaction& tx, const Terms& terms,
                             const std::vector<const SecretKey*>& signers) {
  const core::Bytes t = core::encode(terms);
  contracts::Cosigned<Terms> p{terms, {}};
  for (const auto* s : signers) p.cosignatures.push_back(contracts::cosign(tx, t, *s));
  return core::encode(p);
}

TEST(ExplorerCosigners, ListsTheCoSignersOfATrademarkAssignment) {
  const SecretKey registrar = SecretKey::generate();
  const SecretKey assignor = SecretKey::generate();
  tm::AssignTerms terms;
  terms.number = "303000001";
  terms.assignor = account_of(assignor);
  terms.assignee.account = account_of(SecretKey::generate());
  terms.assignee.name_en = "Harbour Tea Ltd";
  auto tx = draft(registrar, "trademark", "assign");
  const auto payload = cosigned_payload(tx, terms, {&assignor});

  const auto list = cosigners_of("trademark", "assign", payload);
  ASSERT_EQ(list.size(), 1U) << list.dump();
  EXPECT_EQ(list[0]["account"], account_of(assignor).to_hex());
  EXPECT_EQ(list[0]["key"], assignor.public_key().to_hex());
}

TEST(ExplorerCosigners, ListsBothCoSignersOfADrugTransferInOrder) {
  const SecretKey supplier = SecretKey::generate();
  const SecretKey receiver = SecretKey::generate();
  const SecretKey witness = SecretKey::generate();
  contracts::drugs::TransferTerms terms;
  terms.regno = "HK-12345";
  terms.batch = "B2026-01";
  terms.from = account_of(supplier);
  terms.to = account_of(receiver);
  terms.quantity = 100;
  for (const char* call : {"transfer", "return_recalled"}) {
    auto tx = draft(supplier, "drugs", call);
    const auto payload = cosigned_payload(tx, terms, {&receiver, &witness});
    const auto list = cosigners_of("drugs", call, payload);
    ASSERT_EQ(list.size(), 2U) << call;
    EXPECT_EQ(list[0]["account"], account_of(receiver).to_hex());
    EXPECT_EQ(list[1]["account"], account_of(witness).to_hex());
    EXPECT_EQ(list[1]["key"], witness.public_key().to_hex());
  }
}

TEST(ExplorerCosigners, ListsTheHolderAndTransfereeOfAPermitTransfer) {
  const SecretKey officer = SecretKey::generate();
  const SecretKey holder = SecretKey::generate();
  const SecretKey transferee = SecretKey::generate();
  contracts::environment::TransferTerms terms;
  terms.permit = "EP-123/2026";
  terms.from = account_of(holder);
  terms.to = account_of(transferee);
  auto tx = draft(officer, "environment", "transfer_permit");
  const auto payload = cosigned_payload(tx, terms, {&holder, &transferee});
  const auto list = cosigners_of("environment", "transfer_permit", payload);
  ASSERT_EQ(list.size(), 2U) << list.dump();
  EXPECT_EQ(list[0]["account"], account_of(holder).to_hex());
  EXPECT_EQ(list[1]["account"], account_of(transferee).to_hex());
  EXPECT_EQ(list[1]["key"], transferee.public_key().to_hex());
}

TEST(ExplorerCosigners, ACallThatIsNotCoSignedListsNone) {
  const SecretKey supplier = SecretKey::generate();
  const SecretKey receiver = SecretKey::generate();
  contracts::drugs::TransferTerms terms;
  terms.regno = "HK-12345";
  terms.batch = "B1";
  terms.from = account_of(supplier);
  terms.to = account_of(receiver);
  auto tx = draft(supplier, "drugs", "transfer");
  const auto payload = cosigned_payload(tx, terms, {&receiver});
  // The same bytes under a call or module that carries no co-signatures.
  EXPECT_TRUE(cosigners_of("drugs", "recall", payload).empty());
  EXPECT_TRUE(cosigners_of("accounts", "transfer", payload).empty());
  EXPECT_TRUE(cosigners_of("", "", payload).empty());
  EXPECT_TRUE(cosigners_of("drugs", "transfer", payload).is_array());
  EXPECT_EQ(cosigners_of("drugs", "transfer", payload).size(), 1U);
}

TEST(ExplorerCosigners, HostilePayloadsListNoneAndNeverThrow) {
  const SecretKey registrar = SecretKey::generate();
  const SecretKey owner = SecretKey::generate();
  tm::AssignTerms terms;
  terms.number = "303000002";
  terms.assignor = account_of(owner);
  auto tx = draft(registrar, "trademark", "assign");
  const auto good = cosigned_payload(tx, terms, {&owner});
  ASSERT_EQ(cosigners_of("trademark", "assign", good).size(), 1U);

  core::Bytes truncated(good.begin(), good.end() - 1);
  core::Bytes trailing = good;
  trailing.push_back(0);
  core::Bytes garbage(300, 0xFF);
  for (const core::Bytes& bad : {truncated, trailing, garbage, core::Bytes{}}) {
    for (const char* call : {"assign", "record_licence", "record_security_interest"}) {
      json list;
      EXPECT_NO_THROW(list = cosigners_of("trademark", call, bad));
      EXPECT_TRUE(list.is_array());
      EXPECT_TRUE(list.empty()) << call << " " << list.dump();
    }
    EXPECT_TRUE(cosigners_of("environment", "transfer_permit", bad).empty());
    EXPECT_TRUE(cosigners_of("drugs", "return_recalled", bad).empty());
  }
  // An assignment payload is not a licence payload.
  EXPECT_TRUE(cosigners_of("trademark", "record_licence", good).empty());
}

}  // namespace
}  // namespace bauhinia::explorer
