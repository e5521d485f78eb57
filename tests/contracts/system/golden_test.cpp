// Golden vectors of the system module: record keys, records, call payloads
// and event data in the canonical encoding (tests/contracts/system/golden/
// system_v1.txt). A change is a fork between node versions. With
// BAUHINIA_UPDATE_GOLDEN=1 the file is rewritten and the test still FAILS,
// so a regenerated file is never mistaken for a pass.

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "bauhinia/chain/ledger_info.hpp"
#include "bauhinia/chain/proposal_signing.hpp"
#include "bauhinia/contracts/system/lists.hpp"
#include "system_test_util.hpp"

namespace bauhinia::contracts::system::testing {
namespace {

const std::string kPath =
    std::string(BAUHINIA_SOURCE_DIR) + "/tests/contracts/system/golden/system_v1.txt";

std::map<std::string, std::string> computed() {
  std::map<std::string, std::string> g;
  auto put = [&](const std::string& name, const Bytes& b) { g[name] = core::to_hex(b); };
  const core::AccountId officer = account_of(key(50));
  const auto node = node_key(5);

  // Record keys.
  put("key.department", department_key("IPD"));
  put("key.role_grant", role_grant_key(officer, "health.issuer"));
  put("key.parameter", parameter_key(kProposalMaxLifetime));
  put("key.validator_set", validator_set_key());
  put("key.admin_of", admin_of_key(account_of(key(1))));
  put("key.epoch_validators", epoch_validators_key(3));
  put("key.proposal", proposal_key(258));
  put("key.proposal_counter", proposal_counter_key());
  put("key.evidence", evidence_key(EvidenceKind::kProposal, node.public_key(), 2, 9));
  put("key.list.roles_head", roles_list(officer).head_key());
  put("key.list.holders_page", holders_list("DH").page_key(1));
  put("key.list.open_slot", open_proposals_list().slot_key(proposal_key(1)));

  // Records.
  put("record.department",
      core::encode(DepartmentRecord{1, "IPD", "Intellectual Property Department",
                                    account_of(key(1)), key(1).public_key(), true, 12}));
  put("record.role_grant", core::encode(RoleGrant{1, "health.issuer", "DH", 40}));
  put("record.parameter", core::encode(ParameterValue{1, 30 * kDay, 77}));
  chain::ValidatorSet set;
  set.epoch = 1;
  set.validators.push_back({node_key(1).public_key(), 1, "v1"});
  set.validators.push_back({node.public_key(), 2, "v5"});
  put("record.validator_set", core::encode(GovernedValidatorSet{1, set, 90}));
  put("record.epoch_validators", core::encode(EpochValidators{1, set, 90}));
  put("record.admin_of", core::encode(AdminOf{1, "CR"}));
  put("record.proposal_counter", core::encode(ProposalCounter{1, 258}));
  ProposalRecord p;
  p.id = 3;
  p.kind = ProposalKind::kAddValidator;
  p.terms = add_validator_terms(5);
  p.proposer = account_of(key(1));
  p.proposer_department = "IPD";
  p.created_height = 10;
  p.created_ms = kNowMs;
  p.expiry_ms = kNowMs + kDay;
  p.status = ProposalStatus::kPassed;
  p.approvals = {{"IPD", account_of(key(1)), 10, kNowMs},
                 {"CR", account_of(key(2)), 11, kNowMs + 1000}};
  p.closed_height = 13;
  put("record.proposal", core::encode(p));
  chain::LedgerInfo li;
  li.chain_id = kChain;
  li.round = 9;
  li.epoch = 2;
  const auto sig = [&](const core::Hash256& h) { return node.sign(h.view()); };
  chain::ProposalSigningData a{kChain, 2, 9, core::sha256(Bytes{1}), core::sha256(Bytes{})};
  chain::ProposalSigningData b{kChain, 2, 9, core::sha256(Bytes{2}), core::sha256(Bytes{})};
  SubmitEvidenceArgs ev{EvidenceKind::kProposal,
                        node.public_key(),
                        2,
                        9,
                        {core::encode(a), sig(a.signing_hash())},
                        {core::encode(b), sig(b.signing_hash())}};
  EvidenceRecord rec{1,        ev.kind,   ev.offender,         "v5", 2,     9,
                     ev.first, ev.second, account_of(key(60)), 44,   kNowMs};
  put("record.evidence", core::encode(rec));

  // Call payloads.
  put("call.grant_role", core::encode(RoleArgs{officer, "health.issuer"}));
  put("call.propose.add_validator",
      core::encode(
          ProposeArgs{ProposalKind::kAddValidator, add_validator_terms(5), kNowMs + kDay}));
  put("call.propose.set_parameter",
      core::encode(
          ProposeArgs{ProposalKind::kSetParameter,
                      core::encode(SetParameterTerms{std::string(kProposalMaxLifetime), kDay}),
                      kNowMs + kDay}));
  put("call.approve", core::encode(ProposalIdArgs{3}));
  put("call.submit_evidence", core::encode(ev));
  put("terms.remove_validator", remove_validator_terms(5));
  put("terms.rotate_validator_key",
      core::encode(RotateValidatorKeyTerms{node_key(1).public_key(), node.public_key()}));
  put("terms.add_department",
      core::encode(AddDepartmentTerms{"LR", "Land Registry", key(6).public_key()}));
  put("terms.retire_department", core::encode(RetireDepartmentTerms{"EPD"}));
  put("terms.rotate_admin_key", core::encode(RotateAdminKeyTerms{"DH", key(30).public_key()}));
  const core::Hash256 vote_hash = li.signing_hash();
  put("vote.signing_hash", Bytes(vote_hash.bytes().begin(), vote_hash.bytes().end()));

  // Events.
  put("event.role", core::encode(RoleEvent{officer, "health.issuer", "DH"}));
  put("event.proposal", core::encode(ProposalEvent{3, ProposalKind::kAddValidator, "CR", 4, 5}));
  put("event.evidence", core::encode(EvidenceEvent{ev.kind, ev.offender, 2, 9}));
  return g;
}

std::map<std::string, std::string> read_golden() {
  std::ifstream in(kPath);
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

TEST(SystemGolden, EncodingsMatchTheFrozenVectors) {
  const auto got = computed();
  if (std::getenv("BAUHINIA_UPDATE_GOLDEN") != nullptr) {
    std::ofstream out(kPath);
    out << "# Golden vectors of the system module, format 1 (docs/contracts/system.md).\n"
           "# FROZEN: record keys, records, call payloads and event data; a change is a\n"
           "# fork between node versions. Keys: tests/contracts/test_util.hpp key(n),\n"
           "# node keys system_test_util.hpp node_key(n).\n";
    for (const auto& [k, v] : got) out << k << "=" << v << "\n";
    FAIL() << "rewrote " << kPath << "; run again without BAUHINIA_UPDATE_GOLDEN";
  }
  const auto want = read_golden();
  ASSERT_FALSE(want.empty()) << kPath;
  EXPECT_EQ(want.size(), got.size());
  for (const auto& [k, v] : got) {
    const auto it = want.find(k);
    ASSERT_NE(it, want.end()) << k << " missing from " << kPath;
    EXPECT_EQ(it->second, v) << k << ": a system encoding changed (a fork between versions)";
  }
}

TEST(SystemGolden, FrozenPayloadsDecodeBack) {
  const auto want = read_golden();
  auto bytes = [&](const char* k) { return core::from_hex(want.at(k)).value(); };
  ASSERT_FALSE(want.empty());
  auto p = core::decode<ProposalRecord>(bytes("record.proposal"));
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->approvals.size(), 2u);
  EXPECT_EQ(core::encode(*p), bytes("record.proposal"));
  auto ev = core::decode<SubmitEvidenceArgs>(bytes("call.submit_evidence"));
  ASSERT_TRUE(ev.has_value());
  EXPECT_EQ(core::encode(*ev), bytes("call.submit_evidence"));
  auto args = core::decode<ProposeArgs>(bytes("call.propose.add_validator"));
  ASSERT_TRUE(args.has_value());
  EXPECT_TRUE(core::decode<AddValidatorTerms>(args->terms).has_value());
}

}  // namespace
}  // namespace bauhinia::contracts::system::testing
