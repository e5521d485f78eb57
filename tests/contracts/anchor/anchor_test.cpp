// The anchor module through the Executor: anchoring and revoking by the
// issuers of a department, every rejection path, the queries, golden
// vectors and a scenario on two independent state instances.

#include "bauhinia/contracts/anchor/module.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "../company/registry.hpp"

namespace bauhinia::contracts::anchor {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
using chain::TxOutcome;

core::Hash256 doc(std::uint8_t n) {
  core::Hash256 h;
  h.bytes().fill(n);
  return h;
}

AnchorArgs permit(std::uint8_t n, std::string department = "EPD") {
  return AnchorArgs{std::move(department), "eia.permit", "EP-" + std::to_string(600 + n) + "/2026",
                    doc(n)};
}

class AnchorTest : public ::testing::Test {
 protected:
  Outcome anchor(const AnchorArgs& a, const core::schnorr::SecretKey& k = epd_issuer()) {
    return chain_.call(k, "anchor", "anchor", core::encode(a));
  }
  Outcome revoke(std::uint64_t id, std::string reason,
                 const core::schnorr::SecretKey& k = epd_issuer()) {
    return chain_.call(k, "anchor", "revoke", core::encode(RevokeArgs{id, std::move(reason)}));
  }
  void expect_refused(const Outcome& o, TxOutcome outcome, const std::string& reason) {
    EXPECT_EQ(o.outcome, outcome) << o.reason << ": " << o.detail;
    EXPECT_EQ(o.reason, reason) << o.detail;
    EXPECT_FALSE(o.detail.empty());
    for (const Event& e : o.events) EXPECT_NE(e.module, "anchor");
  }
  std::vector<std::uint64_t> ids(const std::string& path) {
    std::vector<std::uint64_t> out;
    for (const QueryRecord& r : chain_.query(path).related) {
      out.push_back(core::decode<AnchorRecord>(*r.value).value().id);
    }
    return out;
  }

  Chain chain_;
};

TEST_F(AnchorTest, AnchorRecordsAndIndexesTheDocument) {
  chain_.at(company::Date{2026, 3, 2}, 9, 30);
  const Outcome o = anchor(permit(1));
  ASSERT_TRUE(o.ok()) << o.detail;
  auto r = chain_.record<AnchorRecord>("anchor/anchor/1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->department, "EPD");
  EXPECT_EQ(r->document_type, "eia.permit");
  EXPECT_EQ(r->reference, "EP-601/2026");
  EXPECT_EQ(r->document_hash, doc(1));
  EXPECT_EQ(r->issuer, account_of(epd_issuer()));
  EXPECT_EQ(r->anchored_ms, chain_.now());
  EXPECT_EQ(r->status, AnchorStatus::kActive);
  EXPECT_EQ(ids("anchor/by_hash/" + doc(1).to_hex()), std::vector<std::uint64_t>{1});
  EXPECT_EQ(ids("anchor/by_issuer/EPD"), std::vector<std::uint64_t>{1});
  // The same hash under another type, or by another department: new anchors.
  AnchorArgs other_type = permit(1);
  other_type.document_type = "eia.report";
  ASSERT_TRUE(anchor(other_type).ok());
  ASSERT_TRUE(anchor(permit(1, "CR"), cr_issuer()).ok());
  EXPECT_EQ(ids("anchor/by_hash/" + doc(1).to_hex()), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(ids("anchor/by_issuer/CR"), std::vector<std::uint64_t>{3});
  EXPECT_FALSE(chain_.query("anchor/anchor/4").value);  // provable absence
  EXPECT_TRUE(ids("anchor/by_hash/" + doc(9).to_hex()).empty());
}

TEST_F(AnchorTest, AnchorRejections) {
  expect_refused(anchor(permit(1), stranger()), TxOutcome::kUnauthorized, "not_issuer");
  expect_refused(anchor(permit(1), epd_admin()), TxOutcome::kUnauthorized, "not_issuer");
  expect_refused(anchor(permit(1), registrar()), TxOutcome::kUnauthorized, "not_issuer");
  expect_refused(anchor(permit(1, "CR")), TxOutcome::kUnauthorized, "wrong_department");
  expect_refused(anchor(permit(1, "DH")), TxOutcome::kNotFound, "unknown_department");
  AnchorArgs a = permit(1);
  a.document_type = "EIA Permit";
  expect_refused(anchor(a), TxOutcome::kInvalidArgument, "invalid_document_type");
  a = permit(1);
  a.document_type.clear();
  expect_refused(anchor(a), TxOutcome::kInvalidArgument, "invalid_document_type");
  a = permit(1);
  a.reference = "EP\n601";
  expect_refused(anchor(a), TxOutcome::kInvalidArgument, "invalid_reference");
  a.reference.clear();
  expect_refused(anchor(a), TxOutcome::kInvalidArgument, "invalid_reference");
  a = permit(1);
  a.document_hash = core::Hash256{};
  expect_refused(anchor(a), TxOutcome::kInvalidArgument, "missing_document");
  // Oversized and malformed payloads.
  core::Writer w;
  w.bytes(core::as_bytes(std::string("EPD")));
  w.bytes(core::as_bytes(std::string("eia.permit")));
  w.bytes(Bytes(kMaxReferenceSize + 1, 'x'));
  w.raw(doc(1).view());
  expect_refused(chain_.call(epd_issuer(), "anchor", "anchor", std::move(w).take()),
                 TxOutcome::kLimitExceeded, "field_too_large");
  Bytes truncated = core::encode(permit(1));
  truncated.pop_back();
  expect_refused(chain_.call(epd_issuer(), "anchor", "anchor", truncated),
                 TxOutcome::kInvalidArgument, "malformed_payload");
  expect_refused(chain_.call(epd_issuer(), "anchor", "delete", {}), TxOutcome::kInvalidArgument,
                 "unknown_call");
  EXPECT_FALSE(chain_.query("anchor/anchor/1").value);

  // Duplicate: the same department, type and hash.
  ASSERT_TRUE(anchor(permit(1)).ok());
  AnchorArgs again = permit(1);
  again.reference = "EP-601/2026 (copy)";
  expect_refused(anchor(again), TxOutcome::kAlreadyExists, "duplicate_anchor");
  // Admission agrees with execution.
  EXPECT_FALSE(chain_.admit(epd_issuer(), "anchor", "anchor", core::encode(again)));
  EXPECT_TRUE(chain_.admit(epd_issuer(), "anchor", "anchor", core::encode(permit(2))));
}

TEST_F(AnchorTest, RevocationByTheSameDepartmentsIssuers) {
  ASSERT_TRUE(anchor(permit(1)).ok());
  expect_refused(revoke(1, "issued in error", cr_issuer()), TxOutcome::kUnauthorized,
                 "wrong_department");
  expect_refused(revoke(1, "issued in error", stranger()), TxOutcome::kUnauthorized, "not_issuer");
  expect_refused(revoke(2, "issued in error"), TxOutcome::kNotFound, "anchor_not_found");
  expect_refused(revoke(1, ""), TxOutcome::kInvalidArgument, "invalid_reason");
  core::Writer w;
  w.u64(1);
  w.bytes(Bytes(kMaxReasonSize + 1, 'x'));
  expect_refused(chain_.call(epd_issuer(), "anchor", "revoke", std::move(w).take()),
                 TxOutcome::kLimitExceeded, "field_too_large");
  chain_.at(chain_.now() + 86'400'000);
  const Outcome o = revoke(1, "permit varied: superseded by EP-601/2026/A");
  ASSERT_TRUE(o.ok()) << o.detail;
  auto r = chain_.record<AnchorRecord>("anchor/anchor/1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, AnchorStatus::kRevoked);
  EXPECT_EQ(r->revoked_ms, chain_.now());
  EXPECT_EQ(r->revoked_by, account_of(epd_issuer()));
  expect_refused(revoke(1, "again"), TxOutcome::kFailedPrecondition, "already_revoked");
  // A revoked anchor still blocks re-anchoring the same document as new.
  expect_refused(anchor(permit(1)), TxOutcome::kAlreadyExists, "duplicate_anchor");
}

TEST_F(AnchorTest, MalformedQueriesAreRefused) {
  for (const std::string p :
       {"anchor/anchor", "anchor/anchor/x", "anchor/anchor/-1", "anchor/anchor/1/2",
        "anchor/by_hash/abcd", "anchor/by_issuer/", "anchor/by_issuer/EPD/x", "anchor/other/1"}) {
    EXPECT_TRUE(chain_.query_refused(p)) << p;
  }
}

// ---- Golden vectors ---------------------------------------------------------------------

TEST(AnchorGolden, RecordsKeysAndPayloadsAreFrozen) {
  AnchorRecord r;
  r.id = 7;
  r.department = "EPD";
  r.document_type = "eia.permit";
  r.reference = "EP-601/2026";
  r.document_hash = doc(1);
  r.issuer.bytes.fill(0xAC);
  r.anchored_ms = 1'772'415'000'000ULL;
  r.anchored_height = 12;
  r.status = AnchorStatus::kRevoked;
  r.revoked_ms = 1'772'501'400'000ULL;
  r.revoked_by.bytes.fill(0xAD);
  r.revocation_reason = "superseded";
  std::map<std::string, std::string> got;
  got["record.anchor"] = core::to_hex(core::encode(r));
  got["record.ref"] = core::to_hex(core::encode(AnchorRef{1, 7}));
  got["record.counter"] = core::to_hex(core::encode(AnchorCounter{1, 8}));
  got["call.anchor"] = core::to_hex(core::encode(permit(1)));
  got["call.revoke"] = core::to_hex(core::encode(RevokeArgs{7, "superseded"}));
  got["key.anchor"] = core::to_hex(anchor_key(7));
  got["key.ref"] = core::to_hex(ref_key("EPD", "eia.permit", doc(1)));
  got["key.counter"] = core::to_hex(counter_key());
  got["list.hash"] = core::to_hex(hash_list_name(doc(1)));
  got["list.issuer"] = core::to_hex(issuer_list_name("EPD"));
  auto back = core::decode<AnchorRecord>(core::encode(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, r);

  std::ostringstream text;
  text << "# anchor module v1: canonical encodings (hex). Never edit by hand.\n";
  for (const auto& [k, v] : got) text << k << "=" << v << "\n";
  const std::string path =
      std::string(BAUHINIA_SOURCE_DIR) + "/tests/contracts/anchor/golden/anchor_v1.txt";
  if (std::getenv("BAUHINIA_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << text.str();
    FAIL() << "BAUHINIA_UPDATE_GOLDEN is set: rewrote " << path
           << " instead of checking it; review the diff and rerun without it";
  }
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "missing " << path << " (BAUHINIA_UPDATE_GOLDEN=1 writes it)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(want.str(), text.str()) << "the anchor module's encodings changed";
}

// ---- Two state instances ----------------------------------------------------------------

void run_scenario(Chain& chain) {
  chain.at(company::Date{2026, 3, 2});
  chain.block({chain.tx(epd_issuer(), "anchor", "anchor", core::encode(permit(1))),
               chain.tx(epd_issuer(), "anchor", "anchor", core::encode(permit(2))),
               chain.tx(cr_issuer(), "anchor", "anchor", core::encode(permit(1, "CR"))),
               chain.tx(epd_issuer(), "anchor", "anchor", core::encode(permit(1)))});  // duplicate
  chain.at(company::Date{2026, 3, 5});
  chain.block({chain.tx(epd_issuer(), "anchor", "revoke",
                        core::encode(RevokeArgs{2, "withdrawn by the applicant"})),
               chain.tx(cr_issuer(), "anchor", "revoke", core::encode(RevokeArgs{1, "not ours"}))});
}

TEST(AnchorScenario, TwoIndependentStateInstancesReachIdenticalWrites) {
  Chain a;
  Chain b;
  run_scenario(a);
  run_scenario(b);
  ASSERT_EQ(a.blocks().size(), b.blocks().size());
  for (std::size_t i = 0; i < a.blocks().size(); ++i) {
    EXPECT_EQ(encode_write_set(a.blocks()[i].writes), encode_write_set(b.blocks()[i].writes));
    for (std::size_t t = 0; t < a.blocks()[i].transactions.size(); ++t) {
      EXPECT_EQ(core::encode(a.blocks()[i].transactions[t].info),
                core::encode(b.blocks()[i].transactions[t].info));
    }
  }
  EXPECT_EQ(a.state().values(), b.state().values());
  EXPECT_EQ(a.blocks()[0].transactions[3].reason, "duplicate_anchor");
  EXPECT_EQ(a.blocks()[1].transactions[1].reason, "wrong_department");
  EXPECT_EQ(a.record<AnchorRecord>("anchor/anchor/2")->status, AnchorStatus::kRevoked);
}

}  // namespace
}  // namespace bauhinia::contracts::anchor
