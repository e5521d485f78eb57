// Golden vectors of the health module: the canonical bytes of its records,
// call payloads and record keys, the commitment formula, the payload API's
// signed challenges, and a fixed block executed from genesis. A change here is
// a fork between node versions (or breaks every client that verifies).
//
// BAUHINIA_UPDATE_GOLDEN=1 rewrites tests/contracts/health/golden/health_v1.txt
// and FAILS the run (regenerating is never a pass).

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "../golden_file.hpp"
#include "bauhinia/contracts/health/payload_auth.hpp"
#include "fixture.hpp"

namespace bauhinia::contracts::health::testing {
namespace {

std::string golden_path() {
  return std::string(BAUHINIA_SOURCE_DIR) + "/tests/contracts/health/golden/health_v1.txt";
}

core::Hash256 filled(std::uint8_t b) {
  core::Hash256 h;
  h.bytes().fill(b);
  return h;
}

HealthRecord sample_record_entry() {
  HealthRecord r;
  r.id = filled(0x11);
  r.record_type = RecordType::kLaboratoryResult;
  r.issuer = account_of(facility());
  r.subject = account_of(patient());
  r.commitment = record_commitment(salt_of(0x5A), sample_record());
  r.issued_ms = kStartMs;
  r.issued_height = 7;
  r.status = RecordStatus::kRevoked;
  r.revoked_ms = kStartMs + kDayMs;
  r.revocation_reason = 2;
  r.erased = true;
  r.erased_ms = kStartMs + 2 * kDayMs;
  r.erased_by = account_of(patient());
  return r;
}

Consent sample_consent() {
  Consent c;
  c.id = filled(0x22);
  c.patient = account_of(patient());
  c.provider = account_of(provider());
  c.record_type = RecordType::kVaccination;
  c.granted_ms = kStartMs;
  c.until_ms = kStartMs + 30 * kDayMs;
  c.status = ConsentStatus::kWithdrawn;
  c.withdrawn_ms = kStartMs + kDayMs;
  return c;
}

AccessEntry sample_access() {
  AccessEntry e;
  e.id = filled(0x33);
  e.record_id = filled(0x11);
  e.consent_id = filled(0x22);
  e.provider = account_of(provider());
  e.patient = account_of(patient());
  e.record_type = RecordType::kVaccination;
  e.accessed_ms = kStartMs + 3600'000;
  e.height = 9;
  return e;
}

// The fixed block: issue, grant_consent, record_access and erase, each by
// its own account, in one block from genesis.
std::map<std::string, std::string> fixed_block() {
  std::map<std::string, std::string> out;
  ModuleSet modules;
  Executor executor;
  modules.register_with(executor);
  MemoryState state;
  state.apply(*genesis_writes(modules, genesis_input()));
  std::array<std::uint8_t, 32> aux{};
  auto tx = [&](const core::schnorr::SecretKey& k, std::uint64_t seq, std::string call,
                Bytes payload) {
    chain::Transaction t;
    t.chain_id = kChain;
    t.sender = account_of(k);
    t.public_key = k.public_key();
    t.sequence = seq;
    t.expiry_ms = kStartMs + 3'600'000;
    t.module = "health";
    t.call = std::move(call);
    t.payload = std::move(payload);
    aux[0] += 1;
    t.sign(k, aux);
    return chain::IdentifiedTransaction::of(std::move(t));
  };
  auto issue = tx(facility(), 0, "issue",
                  core::encode(IssueArgs{1, account_of(patient()),
                                         record_commitment(salt_of(0x5A), sample_record())}));
  auto grant = tx(patient(), 0, "grant_consent",
                  core::encode(GrantConsentArgs{account_of(provider()), 1, kStartMs + kDayMs}));
  auto access =
      tx(provider(), 0, "record_access", core::encode(RecordAccessArgs{issue.id, grant.id}));
  auto erase = tx(patient(), 1, "erase", core::encode(RecordArgs{issue.id}));
  const std::vector<chain::IdentifiedTransaction> txs{issue, grant, access, erase};
  const BlockContext ctx{kChain, 1, kStartMs, 0};
  auto r = executor.execute_block(ctx, txs, state);
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
  g["key.record"] = core::to_hex(record_key(filled(0x11)));
  g["key.commitment"] = core::to_hex(commitment_key(filled(0xC0)));
  g["key.consent"] = core::to_hex(consent_key(filled(0x22)));
  g["key.access"] = core::to_hex(access_key(filled(0x33)));
  g["list.patient_accesses"] = core::to_hex(patient_accesses_list(account_of(patient())));
  g["record.health_record"] = core::to_hex(core::encode(sample_record_entry()));
  g["record.commitment_ref"] =
      core::to_hex(core::encode(CommitmentRef{CommitmentRef::kVersion, filled(0x11)}));
  g["record.consent"] = core::to_hex(core::encode(sample_consent()));
  g["record.access"] = core::to_hex(core::encode(sample_access()));
  g["payload.issue"] = core::to_hex(core::encode(
      IssueArgs{2, account_of(patient()), record_commitment(salt_of(0x5A), sample_record())}));
  g["payload.revoke"] = core::to_hex(core::encode(RevokeArgs{filled(0x11), 3}));
  g["payload.grant_consent"] = core::to_hex(
      core::encode(GrantConsentArgs{account_of(provider()), 1, kStartMs + 30 * kDayMs}));
  g["payload.withdraw_consent"] = core::to_hex(core::encode(ConsentArgs{filled(0x22)}));
  g["payload.record_access"] =
      core::to_hex(core::encode(RecordAccessArgs{filled(0x11), filled(0x22)}));
  g["payload.erase"] = core::to_hex(core::encode(RecordArgs{filled(0x11)}));
  // The commitment a holder recomputes (docs/contracts/health.md).
  g["commitment.sample"] = record_commitment(salt_of(0x5A), sample_record()).to_hex();
  g["commitment.empty_record"] = record_commitment(salt_of(0x00), {}).to_hex();
  // The payload API's challenges (payload_auth.hpp).
  g["auth.upload_challenge"] =
      upload_challenge(kChain, account_of(facility()), kStartMs,
                       UploadTerms{filled(0x11), core::sha256(sample_record())})
          .hash()
          .to_hex();
  g["auth.release_challenge"] = release_challenge(kChain, account_of(provider()), kStartMs,
                                                  ReleaseTerms{filled(0x11), filled(0x33)})
                                    .hash()
                                    .to_hex();
  for (auto& [k, v] : fixed_block()) g[k] = v;
  return g;
}

const char* const kGoldenHeader =
    "# Golden vectors of the health module (tests/contracts/health/golden_test.cpp).\n"
    "# Canonical encodings and hashes in hex; never edit by hand: a change is a fork.\n";

TEST(HealthGolden, RecordsPayloadsCommitmentsChallengesAndAFixedBlockAreFrozen) {
  const auto got = computed();
  golden::check_golden_file("health", golden_path(), kGoldenHeader, got);
}

TEST(HealthGolden, FrozenBytesDecodeBackToTheSameValues) {
  const auto g = computed();
  auto r = core::decode<HealthRecord>(*core::from_hex(g.at("record.health_record")));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, sample_record_entry());
  auto c = core::decode<Consent>(*core::from_hex(g.at("record.consent")));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(*c, sample_consent());
  auto a = core::decode<AccessEntry>(*core::from_hex(g.at("record.access")));
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(*a, sample_access());
}

// The commitment formula written out with plain SHA-256, as the docs give it
// for other implementations (the explorer's JavaScript).
TEST(HealthGolden, CommitmentIsTheDocumentedFormula) {
  const std::string tag = "bauhinia/commitment";
  const core::Hash256 t =
      core::sha256(core::ByteView(reinterpret_cast<const std::uint8_t*>(tag.data()), tag.size()));
  Bytes msg(t.bytes().begin(), t.bytes().end());
  msg.insert(msg.end(), t.bytes().begin(), t.bytes().end());
  const Salt salt = salt_of(0x5A);
  msg.insert(msg.end(), salt.begin(), salt.end());
  const Bytes rec = sample_record();
  msg.insert(msg.end(), rec.begin(), rec.end());
  EXPECT_EQ(core::sha256(msg), record_commitment(salt, rec));
}

}  // namespace
}  // namespace bauhinia::contracts::health::testing
