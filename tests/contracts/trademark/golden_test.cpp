// Golden vectors of the trademark module: the canonical bytes of its
// records, call payloads (with a co-signature), events and record keys, and
// of a fixed block executed from genesis. A change here is a fork between
// node versions and breaks every stored record and signed payload.
//
// BAUHINIA_UPDATE_GOLDEN=1 rewrites tests/contracts/trademark/golden/
// trademark_v1.txt and FAILS the run (regenerating is never a pass).

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "../golden_file.hpp"
#include "fixture.hpp"

namespace bauhinia::contracts::trademark::testing {
namespace {

std::string golden_path() {
  return std::string(BAUHINIA_SOURCE_DIR) + "/tests/contracts/trademark/golden/trademark_v1.txt";
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

MarkRecord sample_mark() {
  MarkRecord m;
  m.number = "305918274";
  m.text_en = "HARBOUR LANTERN";
  m.text_zh = "港燈籠";
  m.image_hash = hash_of_byte(0x42);
  m.owner = party(applicant(), "Harbour Lantern Foods Limited", "港燈籠食品有限公司", "3120456");
  m.classes = {{29, {"preserved fruits"}}, {43, {"restaurant services", "catering"}}};
  m.filing_date_ms = kStartMs;
  m.status = Status::kRegistered;
  m.status_changed_ms = kStartMs + 100 * kDayMs;
  m.published_ms = kStartMs + 5 * kDayMs;
  m.opposition_deadline_ms = kStartMs + 97 * kDayMs;
  m.registration_date_ms = kStartMs;
  m.entered_ms = kStartMs + 100 * kDayMs;
  m.expiry_ms = add_years(kStartMs, 10);
  m.renewals = 1;
  m.last_renewal_late = true;
  m.children = {"305918274AA"};
  m.history_size = 2;
  m.filed_height = 12;
  return m;
}

HistoryRecord sample_history() {
  HistoryRecord h;
  h.index = 1;
  h.kind = TransactionKind::kPartialAssignment;
  h.transaction_id = hash_of_byte(0x11);
  h.height = 40;
  h.entry_ms = kStartMs + 200 * kDayMs;
  h.effective_ms = kStartMs + 199 * kDayMs;
  h.from = party(applicant(), "Harbour Lantern Foods Limited");
  h.to = party(assignee(), "", "九龍動力科技有限公司", "3345678");
  h.scope = {{43, {"catering"}}};
  h.with_goodwill = true;
  h.related = "305918274AA";
  h.deed_hash = hash_of_byte(0xDE);
  return h;
}

// register_existing of a registered mark renewed once (filed 2006-01-05).
RegisterExistingArgs sample_migration() {
  RegisterExistingArgs a;
  a.mark = sample_filing("305918274",
                         party(applicant(), "Harbour Lantern Foods Limited", "港燈籠食品有限公司"),
                         kStartMs - 7305 * kDayMs);
  a.status = Status::kRegistered;
  a.entered_ms = a.mark.filing_date_ms + 200 * kDayMs;
  a.renewals = 1;
  a.expiry_ms = add_years(a.mark.filing_date_ms, 20);
  a.removed_ms = 0;
  a.extract_hash = hash_of_byte(0xE7);
  return a;
}

// History record 0 of a migrated mark.
HistoryRecord sample_migration_history() {
  HistoryRecord h;
  h.index = 0;
  h.kind = TransactionKind::kMigration;
  h.transaction_id = hash_of_byte(0x12);
  h.height = 3;
  h.entry_ms = kStartMs;
  h.effective_ms = kStartMs - 7105 * kDayMs;
  h.to = party(applicant(), "Harbour Lantern Foods Limited", "港燈籠食品有限公司");
  h.deed_hash = hash_of_byte(0xE7);
  return h;
}

// The fixed block: genesis, then file, examine and a co-signed assignment.
std::map<std::string, std::string> fixed_block() {
  std::map<std::string, std::string> out;
  ModuleSet modules;
  Executor executor;
  modules.register_with(executor);
  MemoryState state;
  state.apply(*genesis_writes(modules, genesis_input()));
  auto tx = [&](std::uint64_t seq, std::string call, Bytes payload) {
    chain::Transaction t;
    t.chain_id = kChain;
    t.sender = account_of(registrar());
    t.public_key = registrar().public_key();
    t.sequence = seq;
    t.expiry_ms = kStartMs + 3'600'000;
    t.module = "trademark";
    t.call = std::move(call);
    t.payload = std::move(payload);
    return t;
  };
  const Party owner = party(applicant(), "Harbour Lantern Foods Limited", "港燈籠食品有限公司");
  std::vector<chain::Transaction> txs{
      tx(0, "file", core::encode(sample_filing("305918274", owner, kStartMs - kDayMs))),
      tx(1, "examine", core::encode(MarkArgs{"305918274"}))};
  AssignTerms terms;
  terms.number = "305918274";
  terms.assignor = account_of(applicant());
  terms.assignee = party(assignee(), "Kowloon Kinetic Technology Limited");
  terms.scope = {{30, {"tea"}}};
  terms.assignment_date_ms = kStartMs - kDayMs;
  terms.deed_hash = hash_of_byte(0xDE);
  chain::Transaction assign = tx(2, "assign", {});
  Cosignature c;
  c.signer = account_of(applicant());
  c.key = applicant().public_key();
  c.signature =
      applicant().sign(cosign_challenge(assign, core::encode(terms)).hash().bytes(), aux(0x33));
  assign.payload = core::encode(AssignPayload{terms, {c}});
  out["payload.assign_cosigned"] = core::to_hex(assign.payload);
  txs.push_back(std::move(assign));

  std::vector<chain::IdentifiedTransaction> ids;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    txs[i].sign(registrar(), aux(static_cast<std::uint8_t>(i + 1)));
    ids.push_back(chain::IdentifiedTransaction::of(std::move(txs[i])));
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
  g["key.mark"] = core::to_hex(mark_key("305918274"));
  g["key.mark_divisional"] = core::to_hex(mark_key("301847179AA"));
  g["key.family"] = core::to_hex(family_key("301847179"));
  g["key.history"] = core::to_hex(history_key("305918274", 258));
  g["record.mark"] = core::to_hex(core::encode(sample_mark()));
  g["record.history"] = core::to_hex(core::encode(sample_history()));
  g["record.family"] = core::to_hex(core::encode(FamilyRecord{FamilyRecord::kVersion, 3}));
  g["payload.file"] = core::to_hex(core::encode(sample_filing(
      "305918274", party(applicant(), "Harbour Lantern Foods Limited", "港燈籠食品有限公司"),
      kStartMs)));
  g["payload.register_existing"] = core::to_hex(core::encode(sample_migration()));
  g["record.history_migration"] = core::to_hex(core::encode(sample_migration_history()));
  g["payload.mark"] = core::to_hex(core::encode(MarkArgs{"301847179AA"}));
  g["payload.ground"] = core::to_hex(core::encode(GroundArgs{"305918274", Ground::kNonUse}));
  LicenceTerms l;
  l.number = "305918274";
  l.licensor = account_of(applicant());
  l.licensee = party(third(), "Sham Shui Po Bakery Limited", "深水埗餅家有限公司");
  l.exclusive = true;
  l.scope = {{30, {"mooncakes"}}};
  l.start_ms = kStartMs;
  l.end_ms = add_years(kStartMs, 3);
  l.deed_hash = hash_of_byte(0x01);
  g["payload.licence_terms"] = core::to_hex(core::encode(l));
  SecurityTerms s;
  s.number = "305918274";
  s.chargor = account_of(applicant());
  s.holder = party(stranger(), "Victoria Harbour Bank Limited");
  s.effective_ms = kStartMs;
  s.deed_hash = hash_of_byte(0x02);
  g["payload.security_terms"] = core::to_hex(core::encode(s));
  g["event.filed"] =
      core::to_hex(core::encode(FiledEvent{"305918274", account_of(applicant()), kStartMs}));
  g["event.status_changed"] = core::to_hex(core::encode(
      StatusChangedEvent{"305918274", Status::kRegistered, Status::kRevoked, Ground::kNonUse}));
  g["event.deadline"] =
      core::to_hex(core::encode(DeadlineEvent{"305918274", add_years(kStartMs, 10), true}));
  g["event.transaction_recorded"] = core::to_hex(core::encode(
      TransactionRecordedEvent{"305918274", 1, account_of(assignee()), "305918274AA"}));
  for (auto& [k, v] : fixed_block()) g[k] = v;
  return g;
}

const char* const kGoldenHeader =
    "# Golden vectors of the trademark module (tests/contracts/trademark/golden_test.cpp).\n"
    "# Canonical encodings in hex; never edit by hand: a change is a fork.\n";

TEST(TrademarkGolden, RecordsPayloadsEventsAndAFixedBlockAreFrozen) {
  const auto got = computed();
  golden::check_golden_file("trademark", golden_path(), kGoldenHeader, got);
}

TEST(TrademarkGolden, FrozenBytesDecodeBackToTheSameValues) {
  const auto g = computed();
  auto mark = core::decode<MarkRecord>(*core::from_hex(g.at("record.mark")));
  ASSERT_TRUE(mark.has_value());
  EXPECT_EQ(*mark, sample_mark());
  auto history = core::decode<HistoryRecord>(*core::from_hex(g.at("record.history")));
  ASSERT_TRUE(history.has_value());
  EXPECT_EQ(*history, sample_history());
  auto migration =
      core::decode<RegisterExistingArgs>(*core::from_hex(g.at("payload.register_existing")));
  ASSERT_TRUE(migration.has_value());
  EXPECT_EQ(migration->mark.number, "305918274");
  EXPECT_EQ(migration->status, Status::kRegistered);
  EXPECT_EQ(migration->renewals, 1U);
  EXPECT_EQ(migration->expiry_ms, sample_migration().expiry_ms);
  EXPECT_EQ(migration->extract_hash, hash_of_byte(0xE7));
  auto migrated = core::decode<HistoryRecord>(*core::from_hex(g.at("record.history_migration")));
  ASSERT_TRUE(migrated.has_value());
  EXPECT_EQ(*migrated, sample_migration_history());
  auto assign = core::decode<AssignPayload>(*core::from_hex(g.at("payload.assign_cosigned")));
  ASSERT_TRUE(assign.has_value());
  EXPECT_EQ(assign->cosignatures.size(), 1U);
  EXPECT_EQ(assign->terms.scope, (std::vector<ClassSpec>{{30, {"tea"}}}));
  // Truncated or extended bytes do not decode.
  const Bytes bytes = *core::from_hex(g.at("record.mark"));
  EXPECT_FALSE(core::decode<MarkRecord>(Bytes(bytes.begin(), bytes.end() - 1)).has_value());
  Bytes longer = bytes;
  longer.push_back(0);
  EXPECT_FALSE(core::decode<MarkRecord>(longer).has_value());
}

}  // namespace
}  // namespace bauhinia::contracts::trademark::testing
