// Golden vectors of the drugs module: the canonical bytes of its records,
// call payloads (with a co-signature), events and record keys, and of a fixed
// block executed from genesis. A change here is a fork between node versions
// and breaks every stored record and signed payload.
//
// BAUHINIA_UPDATE_GOLDEN=1 rewrites tests/contracts/drugs/golden/drugs_v1.txt
// and FAILS the run (regenerating is never a pass).

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "../golden_file.hpp"
#include "fixture.hpp"

namespace bauhinia::contracts::drugs::testing {
namespace {

std::string golden_path() {
  return std::string(BAUHINIA_SOURCE_DIR) + "/tests/contracts/drugs/golden/drugs_v1.txt";
}

std::array<std::uint8_t, 32> aux(std::uint8_t b) {
  std::array<std::uint8_t, 32> a{};
  a.fill(b);
  return a;
}

core::Hash256 hash_of_byte(std::uint8_t b) {
  core::Hash256 h;
  h.bytes().fill(b);
  return h;
}

ProductRecord sample_product_record() {
  ProductRecord p;
  p.regno = kRegno;
  p.holder = account_of(maker());
  p.holder_role = TraderRole::kImporter;
  p.name_en = "Harbourcillin Capsules 500mg";
  p.name_zh = "港青黴素膠囊500毫克";
  p.form = "capsule";
  p.strength = "500 mg";
  p.registered_ms = kStartMs;
  p.registered_height = 3;
  p.batch_count = 2;
  return p;
}

BatchRecord sample_batch() {
  BatchRecord b;
  b.regno = kRegno;
  b.batch = kBatch;
  b.maker = account_of(maker());
  b.quantity = 12000;
  b.manufacture_ms = kStartMs - 20 * kDayMs;
  b.expiry_ms = kStartMs + 710 * kDayMs;
  b.created_ms = kStartMs;
  b.created_height = 4;
  b.custody_size = 3;
  b.recall = Recall{RecallClass::kClass2,
                    RecallLevel::kRetail,
                    RecallReason::kContamination,
                    kStartMs + 5 * kDayMs,
                    9,
                    hash_of_byte(0x77),
                    3};
  return b;
}

CustodyRecord sample_custody() {
  CustodyRecord c;
  c.index = 1;
  c.step = CustodyStep::kTransfer;
  c.from = account_of(maker());
  c.from_role = TraderRole::kManufacturer;
  c.to = account_of(wholesaler());
  c.to_role = TraderRole::kWholesaler;
  c.quantity = 6000;
  c.time_ms = kStartMs + kDayMs;
  c.height = 5;
  c.transaction_id = hash_of_byte(0x11);
  c.document_hash = hash_of_byte(0xD0);
  return c;
}

RecallNoticeRecord sample_notice() {
  RecallNoticeRecord n;
  n.regno = kRegno;
  n.batch = kBatch;
  n.index = 2;
  n.holder = account_of(pharmacy());
  n.quantity = 200;
  n.recall_class = RecallClass::kClass2;
  n.level = RecallLevel::kRetail;
  n.reason = RecallReason::kContamination;
  n.recalled_ms = kStartMs + 5 * kDayMs;
  n.acknowledged_ms = kStartMs + 6 * kDayMs;
  n.returned = 150;
  return n;
}

// The fixed block: register, create a batch, a co-signed transfer, a recall.
std::map<std::string, std::string> fixed_block() {
  std::map<std::string, std::string> out;
  ModuleSet modules;
  Executor executor;
  modules.register_with(executor);
  MemoryState state;
  state.apply(*genesis_writes(modules, genesis_input()));
  auto tx = [&](const Key& k, std::uint64_t seq, std::string call, Bytes payload) {
    chain::Transaction t;
    t.chain_id = kChain;
    t.sender = account_of(k);
    t.public_key = k.public_key();
    t.sequence = seq;
    t.expiry_ms = kStartMs + 3'600'000;
    t.module = "drugs";
    t.call = std::move(call);
    t.payload = std::move(payload);
    return t;
  };
  std::vector<std::pair<chain::Transaction, const Key*>> txs;
  txs.emplace_back(tx(regulator(), 0, "register_product", core::encode(sample_product())),
                   &regulator());
  txs.emplace_back(tx(maker(), 0, "create_batch",
                      core::encode(BatchArgs{kRegno, kBatch, 1000, kStartMs - 20 * kDayMs,
                                             kStartMs + 710 * kDayMs})),
                   &maker());
  chain::Transaction transfer = tx(maker(), 1, "transfer", {});
  const TransferTerms t = terms(maker(), wholesaler(), 600);
  Cosignature c;
  c.signer = account_of(wholesaler());
  c.key = wholesaler().public_key();
  c.signature =
      wholesaler().sign(cosign_challenge(transfer, core::encode(t)).hash().bytes(), aux(0x33));
  transfer.payload = core::encode(TransferPayload{t, {c}});
  out["payload.transfer_cosigned"] = core::to_hex(transfer.payload);
  txs.emplace_back(std::move(transfer), &maker());
  txs.emplace_back(tx(regulator(), 1, "recall",
                      core::encode(RecallArgs{kRegno, kBatch, RecallClass::kClass1,
                                              RecallLevel::kPatient, RecallReason::kCounterfeit})),
                   &regulator());

  std::vector<chain::IdentifiedTransaction> ids;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    txs[i].first.sign(*txs[i].second, aux(static_cast<std::uint8_t>(i + 1)));
    ids.push_back(chain::IdentifiedTransaction::of(std::move(txs[i].first)));
  }
  const BlockContext ctx{kChain, 1, kStartMs, 0};
  auto r = executor.execute_block(ctx, ids, state);
  EXPECT_TRUE(r && *r);
  if (!r || !*r) return out;
  for (std::size_t i = 0; i < (*r)->transactions.size(); ++i) {
    const ExecutedTransaction& e = (*r)->transactions[i];
    EXPECT_EQ(e.info.outcome, TxOutcome::kSuccess) << e.reason << " " << e.detail;
    out["block.tx" + std::to_string(i) + ".info"] = core::to_hex(core::encode(e.info));
  }
  out["block.writes_hash"] = core::sha256(encode_write_set((*r)->writes)).to_hex();
  return out;
}

std::map<std::string, std::string> computed() {
  std::map<std::string, std::string> g;
  g["key.product"] = core::to_hex(product_key(kRegno));
  g["key.batch"] = core::to_hex(batch_key(kRegno, kBatch));
  g["key.custody"] = core::to_hex(custody_key(kRegno, kBatch, 258));
  g["key.holding"] = core::to_hex(holding_key(kRegno, kBatch, account_of(pharmacy())));
  g["key.notice"] = core::to_hex(notice_key(kRegno, kBatch, 2));
  g["record.product"] = core::to_hex(core::encode(sample_product_record()));
  g["record.batch"] = core::to_hex(core::encode(sample_batch()));
  g["record.custody"] = core::to_hex(core::encode(sample_custody()));
  g["record.holding"] = core::to_hex(core::encode(
      HoldingRecord{HoldingRecord::kVersion, kRegno, kBatch, account_of(pharmacy()), 200, 7}));
  g["record.notice"] = core::to_hex(core::encode(sample_notice()));
  g["payload.register_product"] = core::to_hex(core::encode(sample_product()));
  g["payload.create_batch"] = core::to_hex(core::encode(
      BatchArgs{kRegno, kBatch, 12000, kStartMs - 20 * kDayMs, kStartMs + 710 * kDayMs}));
  g["payload.transfer_terms"] = core::to_hex(core::encode(terms(wholesaler(), pharmacy(), 200)));
  g["payload.recall"] = core::to_hex(core::encode(RecallArgs{
      kRegno, kBatch, RecallClass::kClass3, RecallLevel::kWholesale, RecallReason::kOther}));
  g["payload.acknowledge_recall"] = core::to_hex(core::encode(NoticeArgs{kRegno, kBatch, 2}));
  g["event.product_registered"] =
      core::to_hex(core::encode(ProductEvent{kRegno, account_of(maker())}));
  g["event.batch_created"] = core::to_hex(core::encode(
      BatchEvent{kRegno, kBatch, account_of(maker()), 12000, kStartMs + 710 * kDayMs}));
  g["event.custody"] = core::to_hex(core::encode(
      CustodyEvent{kRegno, kBatch, 1, account_of(maker()), account_of(wholesaler()), 6000}));
  g["event.batch_recalled"] = core::to_hex(
      core::encode(RecallEvent{kRegno, kBatch, RecallClass::kClass2, RecallLevel::kRetail,
                               RecallReason::kContamination, 3}));
  g["event.notice"] =
      core::to_hex(core::encode(NoticeEvent{kRegno, kBatch, 2, account_of(pharmacy()), 200}));
  for (auto& [k, v] : fixed_block()) g[k] = v;
  return g;
}

const char* const kGoldenHeader =
    "# Golden vectors of the drugs module (tests/contracts/drugs/golden_test.cpp).\n"
    "# Canonical encodings in hex; never edit by hand: a change is a fork.\n";

TEST(DrugsGolden, RecordsPayloadsEventsAndAFixedBlockAreFrozen) {
  const auto got = computed();
  golden::check_golden_file("drugs", golden_path(), kGoldenHeader, got);
}

TEST(DrugsGolden, FrozenBytesDecodeBackToTheSameValues) {
  const auto g = computed();
  auto product = core::decode<ProductRecord>(*core::from_hex(g.at("record.product")));
  ASSERT_TRUE(product.has_value());
  EXPECT_EQ(*product, sample_product_record());
  auto batch = core::decode<BatchRecord>(*core::from_hex(g.at("record.batch")));
  ASSERT_TRUE(batch.has_value());
  EXPECT_EQ(*batch, sample_batch());
  auto custody = core::decode<CustodyRecord>(*core::from_hex(g.at("record.custody")));
  ASSERT_TRUE(custody.has_value());
  EXPECT_EQ(*custody, sample_custody());
  auto notice = core::decode<RecallNoticeRecord>(*core::from_hex(g.at("record.notice")));
  ASSERT_TRUE(notice.has_value());
  EXPECT_EQ(*notice, sample_notice());
  auto transfer = core::decode<TransferPayload>(*core::from_hex(g.at("payload.transfer_cosigned")));
  ASSERT_TRUE(transfer.has_value());
  EXPECT_EQ(transfer->cosignatures.size(), 1U);
  EXPECT_EQ(transfer->terms.quantity, 600U);
  // Truncated or extended bytes do not decode.
  const Bytes bytes = *core::from_hex(g.at("record.batch"));
  EXPECT_FALSE(core::decode<BatchRecord>(Bytes(bytes.begin(), bytes.end() - 1)).has_value());
  Bytes longer = bytes;
  longer.push_back(0);
  EXPECT_FALSE(core::decode<BatchRecord>(longer).has_value());
}

}  // namespace
}  // namespace bauhinia::contracts::drugs::testing
