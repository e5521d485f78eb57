// Golden vectors of the environment module: the canonical bytes of its
// records, call payloads (with a co-signature), events and record keys, and
// of a fixed block executed from genesis. A change here is a fork between
// node versions and breaks every stored record and signed payload.
//
// BAUHINIA_UPDATE_GOLDEN=1 rewrites tests/contracts/environment/golden/
// environment_v1.txt and FAILS the run (regenerating is never a pass).

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "../golden_file.hpp"
#include "bauhinia/contracts/write_set.hpp"
#include "fixture.hpp"

namespace bauhinia::contracts::environment::testing {
namespace {

std::string golden_path() {
  return std::string(BAUHINIA_SOURCE_DIR) +
         "/tests/contracts/environment/golden/environment_v1.txt";
}

std::array<std::uint8_t, 32> aux(std::uint8_t b) {
  std::array<std::uint8_t, 32> a{};
  a.fill(b);
  return a;
}

ProjectRecord sample_project() {
  ProjectRecord p;
  p.number = "PP-001/2026";
  p.title_en = "Tsing Yi Harbourfront Promenade";
  p.title_zh = "青衣海濱長廊";
  p.proponent = account_of(proponent());
  p.location = "Tsing Yi, Kwai Tsing District";
  p.profile_hash = doc(0xA1);
  p.submitted_ms = kStartMs;
  p.submitted_height = 3;
  p.status = ProjectStatus::kApprovedWithConditions;
  p.status_changed_ms = kStartMs + 90 * kDayMs;
  p.brief_number = "ESB-001/2026";
  p.brief_hash = doc(0xB1);
  p.brief_issued_ms = kStartMs + 10 * kDayMs;
  p.reports = 2;
  p.inspection_start_ms = kStartMs + 50 * kDayMs;
  p.inspection_end_ms = kStartMs + 80 * kDayMs;
  p.comments = 3;
  p.decision_hash = doc(0xD1);
  p.decided_ms = kStartMs + 90 * kDayMs;
  p.permit = "EP-001/2026";
  return p;
}

PermitRecord sample_permit() {
  PermitRecord p;
  p.number = "EP-001/2026";
  p.project = "PP-001/2026";
  p.holder = account_of(transferee());
  p.status = PermitStatus::kInForce;
  p.permit_version = 1;
  p.document_hash = doc(0xE2);
  p.issued_ms = kStartMs + 91 * kDayMs;
  p.status_changed_ms = kStartMs + 120 * kDayMs;
  p.history = 3;
  p.submissions = 4;
  return p;
}

PermitHistoryRecord sample_history() {
  PermitHistoryRecord h;
  h.permit = "EP-001/2026";
  h.index = 2;
  h.act = PermitAct::kTransferred;
  h.permit_version = 1;
  h.holder_before = account_of(proponent());
  h.holder_after = account_of(transferee());
  h.document_hash = doc(0x7A);
  h.entry_ms = kStartMs + 120 * kDayMs;
  h.height = 40;
  h.transaction_id = doc(0x11);
  return h;
}

TicketRecord sample_ticket_record() {
  TicketRecord t;
  t.number = "CWTT-2026-000201";
  t.producer = account_of(producer());
  t.producer_cr = "3298741";
  t.waste_type = WasteType::kSolventHalogenated;
  t.declared_kg = 1000;
  t.from_premises = "Workshop 3, 12 Cheung Tat Road, Tsing Yi";
  t.reception_point = account_of(reception());
  t.collector = account_of(collector());
  t.status = TicketStatus::kReceived;
  t.issued_ms = kStartMs;
  t.issued_height = 5;
  t.deadline_ms = kStartMs + 14 * kDayMs;
  t.collected_ms = kStartMs + kDayMs;
  t.vehicle = "LV 4821";
  t.received_ms = kStartMs + 2 * kDayMs;
  t.measured_kg = 940;
  t.tolerance_bp = 500;
  t.weight_mismatch = true;
  t.flagged_ms = kStartMs + 2 * kDayMs;
  return t;
}

// The fixed block: genesis, then a profile, its study brief and a report
// version (the proponent and the officer), and a co-signed transfer payload.
std::map<std::string, std::string> fixed_block() {
  std::map<std::string, std::string> out;
  ModuleSet modules;
  Executor executor;
  modules.register_with(executor);
  MemoryState state;
  state.apply(*genesis_writes(modules, genesis_input()));
  auto tx = [&](const core::schnorr::SecretKey& k, std::uint64_t seq, std::string call,
                Bytes payload) {
    chain::Transaction t;
    t.chain_id = kChain;
    t.sender = account_of(k);
    t.public_key = k.public_key();
    t.sequence = seq;
    t.expiry_ms = kStartMs + 3'600'000;
    t.module = "environment";
    t.call = std::move(call);
    t.payload = std::move(payload);
    return t;
  };
  std::vector<std::pair<chain::Transaction, const core::schnorr::SecretKey*>> txs;
  txs.emplace_back(tx(proponent(), 0, "submit_profile", core::encode(sample_profile())),
                   &proponent());
  txs.emplace_back(
      tx(officer(), 0, "issue_study_brief", core::encode(BriefArgs{"PP-001/2026", doc(0xB1)})),
      &officer());
  txs.emplace_back(
      tx(proponent(), 1, "submit_report", core::encode(DocumentArgs{"PP-001/2026", doc(0xC1)})),
      &proponent());

  // A transfer's payload with both co-signatures (not executed: no permit yet).
  chain::Transaction transfer = tx(officer(), 1, "transfer_permit", {});
  const TransferTerms terms{"EP-001/2026", account_of(proponent()), account_of(transferee()),
                            doc(0x7A)};
  TransferPayload p{terms, {}};
  for (const auto* k : {&proponent(), &transferee()}) {
    Cosignature c;
    c.signer = account_of(*k);
    c.key = k->public_key();
    c.signature =
        k->sign(cosign_challenge(transfer, core::encode(terms)).hash().bytes(), aux(0x33));
    p.cosignatures.push_back(c);
  }
  out["payload.transfer_cosigned"] = core::to_hex(core::encode(p));

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
    const ExecutedTransaction& t = (*r)->transactions[i];
    EXPECT_EQ(t.info.outcome, TxOutcome::kSuccess) << t.reason << " " << t.detail;
    out["block.tx" + std::to_string(i) + ".info"] = core::to_hex(core::encode(t.info));
  }
  out["block.writes_hash"] = core::sha256(encode_write_set((*r)->writes)).to_hex();
  return out;
}

std::map<std::string, std::string> computed() {
  std::map<std::string, std::string> g;
  g["key.project"] = core::to_hex(project_key("PP-001/2026"));
  g["key.report"] = core::to_hex(report_key("PP-001/2026", 1));
  g["key.comment"] = core::to_hex(comment_key("PP-001/2026", 258));
  g["key.permit"] = core::to_hex(permit_key("EP-001/2026"));
  g["key.permit_history"] = core::to_hex(permit_history_key("EP-001/2026", 2));
  g["key.submission"] = core::to_hex(submission_key("EP-001/2026", 3));
  g["key.counter"] = core::to_hex(counter_key("ESB", 2026));
  g["key.ticket"] = core::to_hex(ticket_key("CWTT-2026-000201"));
  g["record.project"] = core::to_hex(core::encode(sample_project()));
  g["record.report"] = core::to_hex(core::encode(
      ReportRecord{ReportRecord::kVersion, "PP-001/2026", 1, doc(0xC2), kStartMs, doc(0x12)}));
  g["record.comment"] = core::to_hex(core::encode(CommentRecord{
      CommentRecord::kVersion, "PP-001/2026", 2, account_of(stranger()), doc(0x31), kStartMs}));
  g["record.permit"] = core::to_hex(core::encode(sample_permit()));
  g["record.permit_history"] = core::to_hex(core::encode(sample_history()));
  g["record.submission"] = core::to_hex(core::encode(
      SubmissionRecord{SubmissionRecord::kVersion, "EP-001/2026", 3, account_of(transferee()),
                       doc(0x53), kStartMs - 30 * kDayMs, kStartMs, kStartMs + 1000}));
  g["record.counter"] = core::to_hex(core::encode(CounterRecord{CounterRecord::kVersion, 7}));
  g["record.ticket"] = core::to_hex(core::encode(sample_ticket_record()));
  g["payload.profile"] = core::to_hex(core::encode(sample_profile()));
  g["payload.brief"] = core::to_hex(core::encode(BriefArgs{"PP-001/2026", doc(0xB1)}));
  g["payload.document"] = core::to_hex(core::encode(DocumentArgs{"EP-001/2026", doc(0xE2)}));
  g["payload.inspection"] =
      core::to_hex(core::encode(InspectionArgs{"PP-001/2026", kStartMs, kStartMs + 30 * kDayMs}));
  g["payload.comment"] = core::to_hex(core::encode(CommentArgs{"PP-001/2026", doc(0x31)}));
  g["payload.decision"] = core::to_hex(
      core::encode(DecisionArgs{"PP-001/2026", Decision::kApprovedWithConditions, doc(0xD1)}));
  g["payload.submission"] = core::to_hex(
      core::encode(SubmissionArgs{"EP-001/2026", doc(0x53), kStartMs - 30 * kDayMs, kStartMs}));
  g["payload.ticket"] = core::to_hex(core::encode(sample_ticket("CWTT-2026-000201", 1000)));
  g["payload.collection"] =
      core::to_hex(core::encode(CollectionArgs{"CWTT-2026-000201", "LV 4821"}));
  g["payload.receipt"] = core::to_hex(core::encode(ReceiptArgs{"CWTT-2026-000201", 940}));
  g["payload.ticket_number"] = core::to_hex(core::encode(TicketNumberArgs{"CWTT-2026-000201"}));
  g["event.project"] = core::to_hex(core::encode(
      ProjectEvent{"PP-001/2026", ProjectStatus::kBriefIssued, "ESB-001/2026", 0, doc(0xB1)}));
  g["event.permit"] = core::to_hex(
      core::encode(PermitEvent{"EP-001/2026", 2, account_of(transferee()), doc(0x7A)}));
  g["event.ticket"] = core::to_hex(core::encode(
      TicketEvent{"CWTT-2026-000201", TicketStatus::kReceived, 1000, 940, kStartMs + 14 * kDayMs}));
  for (auto& [k, v] : fixed_block()) g[k] = v;
  return g;
}

const char* const kGoldenHeader =
    "# Golden vectors of the environment module "
    "(tests/contracts/environment/golden_test.cpp).\n"
    "# Canonical encodings in hex; never edit by hand: a change is a fork.\n";

TEST(EnvironmentGolden, RecordsPayloadsEventsAndAFixedBlockAreFrozen) {
  const auto got = computed();
  golden::check_golden_file("environment", golden_path(), kGoldenHeader, got);
}

TEST(EnvironmentGolden, FrozenBytesDecodeBackToTheSameValues) {
  const auto g = computed();
  auto project = core::decode<ProjectRecord>(*core::from_hex(g.at("record.project")));
  ASSERT_TRUE(project.has_value());
  EXPECT_EQ(*project, sample_project());
  auto permit = core::decode<PermitRecord>(*core::from_hex(g.at("record.permit")));
  ASSERT_TRUE(permit.has_value());
  EXPECT_EQ(*permit, sample_permit());
  auto history = core::decode<PermitHistoryRecord>(*core::from_hex(g.at("record.permit_history")));
  ASSERT_TRUE(history.has_value());
  EXPECT_EQ(*history, sample_history());
  auto ticket = core::decode<TicketRecord>(*core::from_hex(g.at("record.ticket")));
  ASSERT_TRUE(ticket.has_value());
  EXPECT_EQ(*ticket, sample_ticket_record());
  auto transfer = core::decode<TransferPayload>(*core::from_hex(g.at("payload.transfer_cosigned")));
  ASSERT_TRUE(transfer.has_value());
  EXPECT_EQ(transfer->cosignatures.size(), 2U);
  EXPECT_EQ(transfer->terms.to, account_of(transferee()));
  // Truncated or extended bytes do not decode.
  const Bytes bytes = *core::from_hex(g.at("record.ticket"));
  EXPECT_FALSE(core::decode<TicketRecord>(Bytes(bytes.begin(), bytes.end() - 1)).has_value());
  Bytes longer = bytes;
  longer.push_back(0);
  EXPECT_FALSE(core::decode<TicketRecord>(longer).has_value());
}

}  // namespace
}  // namespace bauhinia::contracts::environment::testing
