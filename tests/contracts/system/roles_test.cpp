// grant_role / revoke_role: who may grant which role, the index lists, and
// every refusal.

#include <set>

#include "system_test_util.hpp"

namespace bauhinia::contracts::system::testing {
namespace {

const core::AccountId kOfficer = account_of(key(50));

TEST(RolesTest, AdminGrantsARoleOfItsDepartmentAndRevokesIt) {
  Chain c;
  EXPECT_FALSE(c.has(kOfficer, "health.issuer"));
  Outcome r = c.call(key(3), "grant_role", RoleArgs{kOfficer, "health.issuer"});
  ASSERT_TRUE(r.ok()) << r.reason << " " << r.detail;
  EXPECT_TRUE(c.has(kOfficer, "health.issuer"));
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].kind, "role_granted");
  auto grant = c.record<RoleGrant>(role_grant_key(kOfficer, "health.issuer"));
  ASSERT_TRUE(grant.has_value());
  EXPECT_EQ(grant->department, "DH");
  EXPECT_EQ(grant->granted_height, 1u);

  // Listed under the account and under the department.
  auto roles = c.query("roles/" + kOfficer.to_hex());
  ASSERT_TRUE(roles.has_value());
  ASSERT_EQ(roles->related.size(), 1u);
  EXPECT_EQ(roles->related[0].record_key, role_grant_key(kOfficer, "health.issuer"));
  auto holders = c.query("role_holders/DH");
  ASSERT_TRUE(holders.has_value());
  EXPECT_EQ(holders->related.size(), 1u);

  r = c.call(key(3), "revoke_role", RoleArgs{kOfficer, "health.issuer"});
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.events[0].kind, "role_revoked");
  EXPECT_FALSE(c.has(kOfficer, "health.issuer"));
  EXPECT_TRUE(c.query("roles/" + kOfficer.to_hex())->related.empty());
  EXPECT_TRUE(c.query("role_holders/DH")->related.empty());
}

TEST(RolesTest, EveryDepartmentGrantsOnlyItsOwnModulesRoles) {
  Chain c;
  // environment.* is EPD's; anchor.issuer any department's (anchor is not a
  // module of this chain yet, so it is refused as unknown until it is).
  EXPECT_TRUE(c.call(key(4), "grant_role", RoleArgs{kOfficer, "environment.officer"}).ok());
  Outcome r = c.call(key(1), "grant_role", RoleArgs{kOfficer, "health.issuer"});
  EXPECT_EQ(r.outcome, TxOutcome::kUnauthorized);
  EXPECT_EQ(r.reason, "role_of_other_department");
  r = c.call(key(3), "grant_role", RoleArgs{kOfficer, "environment.officer"});
  EXPECT_EQ(r.reason, "role_of_other_department");
  EXPECT_FALSE(c.has(kOfficer, "health.issuer"));
}

TEST(RolesTest, RoleTableRefusesUngrantableAndUnknownRoles) {
  const ModuleSet modules;
  EXPECT_FALSE(role_grant_refusal(modules, "health.issuer", "DH").has_value());
  EXPECT_FALSE(role_grant_refusal(modules, "environment.officer", "EPD").has_value());
  EXPECT_EQ(role_grant_refusal(modules, "health.issuer", "IPD")->reason,
            "role_of_other_department");
  EXPECT_EQ(role_grant_refusal(modules, "system.admin", "OGCIO")->reason, "role_not_grantable");
  EXPECT_EQ(role_grant_refusal(modules, "accounts.tester", "OGCIO")->reason, "role_not_grantable");
  EXPECT_EQ(role_grant_refusal(modules, "nomodule.x", "IPD")->reason, "unknown_role_module");
  for (const char* bad :
       {"", "health", ".issuer", "health.", "Health.issuer", "health.is suer", "health.issuer.x"}) {
    EXPECT_EQ(role_grant_refusal(modules, bad, "DH")->reason, "invalid_role") << bad;
  }
  // trademark.* (IPD), company.* (CR) and anchor.issuer (any) once those
  // modules are registered: the table is checked when they are.
  if (modules.find("trademark") != nullptr) {
    EXPECT_FALSE(role_grant_refusal(modules, "trademark.registrar", "IPD").has_value());
    EXPECT_EQ(role_grant_refusal(modules, "trademark.registrar", "CR")->reason,
              "role_of_other_department");
  }
  if (modules.find("anchor") != nullptr) {
    EXPECT_FALSE(role_grant_refusal(modules, "anchor.issuer", "DH").has_value());
    EXPECT_EQ(role_grant_refusal(modules, "anchor.other", "DH")->reason, "role_not_grantable");
  }
}

TEST(RolesTest, RefusalsChangeNothing) {
  Chain c;
  // Not an admin.
  Outcome r = c.call(key(50), "grant_role", RoleArgs{kOfficer, "health.issuer"});
  EXPECT_EQ(r.outcome, TxOutcome::kUnauthorized);
  EXPECT_EQ(r.reason, "not_admin");
  // Invalid role and role nobody grants.
  EXPECT_EQ(c.call(key(3), "grant_role", RoleArgs{kOfficer, "health"}).reason, "invalid_role");
  EXPECT_EQ(c.call(key(3), "grant_role", RoleArgs{kOfficer, "system.admin"}).reason,
            "role_not_grantable");
  EXPECT_EQ(c.call(key(3), "grant_role", RoleArgs{kOfficer, "nomodule.x"}).reason,
            "unknown_role_module");
  // Granted twice.
  ASSERT_TRUE(c.call(key(3), "grant_role", RoleArgs{kOfficer, "health.issuer"}).ok());
  r = c.call(key(3), "grant_role", RoleArgs{kOfficer, "health.issuer"});
  EXPECT_EQ(r.outcome, TxOutcome::kAlreadyExists);
  EXPECT_EQ(r.reason, "already_granted");
  // Revoke: not held, by another department, by a non-admin.
  EXPECT_EQ(c.call(key(3), "revoke_role", RoleArgs{kOfficer, "health.other"}).reason,
            "not_granted");
  r = c.call(key(4), "revoke_role", RoleArgs{kOfficer, "health.issuer"});
  EXPECT_EQ(r.outcome, TxOutcome::kUnauthorized);
  EXPECT_EQ(r.reason, "not_granting_department");
  EXPECT_EQ(c.call(key(50), "revoke_role", RoleArgs{kOfficer, "health.issuer"}).reason,
            "not_admin");
  EXPECT_TRUE(c.has(kOfficer, "health.issuer"));
  // A failed call writes nothing but the sender's sequence (accounts module).
  for (const auto& [k, w] : c.last_writes()) EXPECT_EQ(w.module, "accounts");
}

TEST(RolesTest, MalformedAndOversizedPayloadsAreRefused) {
  Chain c;
  Outcome r = c.call(key(3), "grant_role", Bytes{1, 2, 3});
  EXPECT_EQ(r.outcome, TxOutcome::kInvalidArgument);
  EXPECT_EQ(r.reason, "malformed_payload");
  RoleArgs big{kOfficer, std::string(kMaxRoleSize + 1, 'a')};
  // Encode by hand: the codec refuses to encode beyond the limit.
  core::Writer w;
  w.raw(kOfficer.bytes);
  w.bytes(core::ByteView(reinterpret_cast<const std::uint8_t*>(big.role.data()), big.role.size()));
  r = c.call(key(3), "grant_role", std::move(w).take());
  EXPECT_EQ(r.outcome, TxOutcome::kLimitExceeded);
  EXPECT_EQ(r.reason, "field_too_large");
  Bytes trailing = core::encode(RoleArgs{kOfficer, "health.issuer"});
  trailing.push_back(0);
  EXPECT_EQ(c.call(key(3), "grant_role", trailing).reason, "malformed_payload");
  EXPECT_EQ(c.call(key(3), "no_such_call", Bytes{}).reason, "unknown_call");
  EXPECT_FALSE(c.has(kOfficer, "health.issuer"));
}

TEST(RolesTest, AdmissionAppliesTheSameRulesWithoutWriting) {
  Chain c;
  EXPECT_TRUE(c.admit(key(3), "grant_role", core::encode(RoleArgs{kOfficer, "health.issuer"})));
  core::Verdict v =
      c.admit(key(1), "grant_role", core::encode(RoleArgs{kOfficer, "health.issuer"}));
  ASSERT_FALSE(v);
  EXPECT_NE(v.rejection().detail.find("role_of_other_department"), std::string::npos);
  EXPECT_FALSE(c.has(kOfficer, "health.issuer"));
}

TEST(RolesTest, ARetiredDepartmentsAdminCannotGrantAndItsGrantsLapse) {
  Chain c;
  ASSERT_TRUE(c.call(key(3), "grant_role", RoleArgs{kOfficer, "health.issuer"}).ok());
  // Retire DH: 4 of 5 admins approve (> 2/3).
  ASSERT_TRUE(
      c.propose(1, ProposalKind::kRetireDepartment, core::encode(RetireDepartmentTerms{"DH"}))
          .ok());
  for (std::uint32_t a : {2u, 4u}) ASSERT_TRUE(c.approve(a, 1).ok());
  ASSERT_TRUE(c.approve(5, 1).ok());
  ASSERT_EQ(c.proposal(1)->status, ProposalStatus::kPassed);
  EXPECT_FALSE(c.has(kOfficer, "health.issuer"));
  Outcome r = c.call(key(3), "grant_role", RoleArgs{account_of(key(51)), "health.issuer"});
  EXPECT_EQ(r.reason, "not_admin");
  r = c.call(key(3), "revoke_role", RoleArgs{kOfficer, "health.issuer"});
  EXPECT_EQ(r.reason, "not_admin");
}

TEST(RolesTest, RoleHoldersArePagedAndStayCompleteAfterRevocations) {
  Chain c;
  std::vector<chain::IdentifiedTransaction> txs;
  for (std::uint32_t i = 0; i < 70; ++i) {
    txs.push_back(c.tx(key(3), "grant_role",
                       core::encode(RoleArgs{account_of(key(100 + i)), "health.issuer"})));
  }
  for (const Outcome& o : c.block(txs)) ASSERT_TRUE(o.ok()) << o.reason;
  auto first = c.query("role_holders/DH");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->related.size(), kIndexPageSize);
  EXPECT_EQ(first->next_page, 1u);
  auto second = c.query("role_holders/DH/1");
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->related.size(), 6u);
  EXPECT_FALSE(second->next_page.has_value());
  // Revoking one on the first page moves the last grant into its slot.
  ASSERT_TRUE(c.call(key(3), "revoke_role", RoleArgs{account_of(key(100)), "health.issuer"}).ok());
  std::set<Bytes> members;
  for (const char* page : {"role_holders/DH", "role_holders/DH/1"}) {
    auto answer = c.query(page);
    ASSERT_TRUE(answer.has_value());
    for (const QueryRecord& r : answer->related) {
      EXPECT_TRUE(r.value.has_value());
      members.insert(r.record_key);
    }
  }
  EXPECT_EQ(members.size(), 69u);
  EXPECT_FALSE(members.contains(role_grant_key(account_of(key(100)), "health.issuer")));
  EXPECT_TRUE(members.contains(role_grant_key(account_of(key(169)), "health.issuer")));
}

TEST(RolesTest, ReplayOfTheSameTransactionIsRefusedByTheEnvelope) {
  Chain c;
  auto t = c.tx(key(3), "grant_role", core::encode(RoleArgs{kOfficer, "health.issuer"}));
  ASSERT_TRUE(c.block({t})[0].ok());
  ASSERT_TRUE(c.call(key(3), "revoke_role", RoleArgs{kOfficer, "health.issuer"}).ok());
  // The same signed bytes again: the sequence is spent, the block is invalid.
  Executor executor;
  c.modules().register_with(executor);
  BlockContext ctx{kChain, c.height(), c.now(), 0, 0};
  auto env = executor.check_envelope(ctx, t, c.state());
  ASSERT_TRUE(env.has_value());
  ASSERT_TRUE(env->has_value());
  EXPECT_EQ((*env)->error, EnvelopeError::kStaleSequence);
  auto block = executor.execute_block(ctx, std::vector{t}, c.state());
  ASSERT_TRUE(block.has_value());
  EXPECT_FALSE(block->has_value());
  EXPECT_FALSE(c.has(kOfficer, "health.issuer"));
}

}  // namespace
}  // namespace bauhinia::contracts::system::testing
