// Department proposals: add a department, retire one, rotate an admin key.

#include "system_test_util.hpp"

namespace bauhinia::contracts::system::testing {
namespace {

Outcome pass(Chain& c, ProposalKind kind, Bytes terms) {
  Outcome r = c.propose(1, kind, std::move(terms));
  if (!r.ok()) return r;
  const std::uint64_t id = c.query("proposals")->related.size();
  for (std::uint32_t a : {2u, 3u, 4u}) {
    r = c.approve(a, id);
    if (!r.ok()) return r;
  }
  return r;
}

TEST(DepartmentsTest, AnAddedDepartmentsAdminActsAndCountsAtOnce) {
  Chain c;
  Outcome r = pass(c, ProposalKind::kAddDepartment,
                   core::encode(AddDepartmentTerms{"LR", "Land Registry", key(6).public_key()}));
  ASSERT_TRUE(r.ok()) << r.reason << " " << r.detail;
  auto dep = c.record<DepartmentRecord>(department_key("LR"));
  ASSERT_TRUE(dep.has_value());
  EXPECT_EQ(dep->admin, account_of(key(6)));
  EXPECT_TRUE(dep->active);
  EXPECT_EQ(c.query("departments")->related.size(), 6u);
  // Six active: 4 approvals are not enough (12 > 12 is false), 5 are.
  ASSERT_TRUE(
      c.propose(6, ProposalKind::kSetParameter,
                core::encode(SetParameterTerms{std::string(kProposalMaxLifetime), kDay * 5}))
          .ok());
  for (std::uint32_t a : {1u, 2u, 3u}) ASSERT_TRUE(c.approve(a, 2).ok());
  EXPECT_EQ(c.proposal(2)->status, ProposalStatus::kOpen);
  ASSERT_TRUE(c.approve(4, 2).ok());
  EXPECT_EQ(c.proposal(2)->status, ProposalStatus::kPassed);
}

TEST(DepartmentsTest, AddDepartmentRefusals) {
  Chain c;
  auto terms = [](std::string code, std::uint32_t admin) {
    return core::encode(
        AddDepartmentTerms{std::move(code), "Some Department", key(admin).public_key()});
  };
  EXPECT_EQ(c.propose(1, ProposalKind::kAddDepartment, terms("IPD", 6)).reason,
            "department_exists");
  EXPECT_EQ(c.propose(1, ProposalKind::kAddDepartment, terms("lr", 6)).reason,
            "invalid_department_code");
  EXPECT_EQ(c.propose(1, ProposalKind::kAddDepartment, terms("L", 6)).reason,
            "invalid_department_code");
  EXPECT_EQ(c.propose(1, ProposalKind::kAddDepartment, terms("LR", 2)).reason, "admin_key_in_use");
  AddDepartmentTerms bad{"LR", "Land Registry", core::schnorr::PublicKey{}};
  bad.admin_key.bytes.fill(0xFF);
  EXPECT_EQ(c.propose(1, ProposalKind::kAddDepartment, core::encode(bad)).reason, "bad_admin_key");
  AddDepartmentTerms unnamed{"LR", "", key(6).public_key()};
  EXPECT_EQ(c.propose(1, ProposalKind::kAddDepartment, core::encode(unnamed)).reason,
            "invalid_terms");
}

TEST(DepartmentsTest, RetireRefusesUnknownRetiredAndTheLastDepartment) {
  Chain c;
  auto retire = [](std::string code) {
    return core::encode(RetireDepartmentTerms{std::move(code)});
  };
  EXPECT_EQ(c.propose(1, ProposalKind::kRetireDepartment, retire("XYZ")).reason,
            "unknown_department");
  ASSERT_TRUE(pass(c, ProposalKind::kRetireDepartment, retire("EPD")).ok());
  EXPECT_FALSE(c.record<DepartmentRecord>(department_key("EPD"))->active);
  EXPECT_EQ(c.propose(1, ProposalKind::kRetireDepartment, retire("EPD")).reason,
            "department_retired");
  // A code once used is not used again.
  EXPECT_EQ(c.propose(1, ProposalKind::kAddDepartment,
                      core::encode(AddDepartmentTerms{"EPD", "again", key(7).public_key()}))
                .reason,
            "department_exists");
  GenesisInput one = five_departments();
  one.departments.resize(1);
  Chain solo(one);
  EXPECT_EQ(solo.propose(1, ProposalKind::kRetireDepartment, retire("IPD")).reason,
            "last_department");
}

TEST(DepartmentsTest, RotatingAnAdminKeyHandsTheDepartmentToTheNewAccount) {
  Chain c;
  Outcome r = pass(c, ProposalKind::kRotateAdminKey,
                   core::encode(RotateAdminKeyTerms{"DH", key(30).public_key()}));
  ASSERT_TRUE(r.ok()) << r.reason << " " << r.detail;
  auto dep = c.record<DepartmentRecord>(department_key("DH"));
  EXPECT_EQ(dep->admin, account_of(key(30)));
  EXPECT_EQ(dep->admin_key, key(30).public_key());
  // The old admin no longer acts; the new one (a new account) does.
  const core::AccountId officer = account_of(key(50));
  EXPECT_EQ(c.call(key(3), "grant_role", RoleArgs{officer, "health.issuer"}).reason, "not_admin");
  EXPECT_TRUE(c.call(key(30), "grant_role", RoleArgs{officer, "health.issuer"}).ok());
  // Neither key can become an admin again.
  EXPECT_EQ(c.propose(1, ProposalKind::kRotateAdminKey,
                      core::encode(RotateAdminKeyTerms{"CR", key(3).public_key()}))
                .reason,
            "admin_key_in_use");
  EXPECT_EQ(c.propose(1, ProposalKind::kRotateAdminKey,
                      core::encode(RotateAdminKeyTerms{"XYZ", key(31).public_key()}))
                .reason,
            "unknown_department");
}

TEST(DepartmentsTest, QueriesAnswerRecordsAndPages) {
  Chain c;
  auto dep = c.query("department/IPD");
  ASSERT_TRUE(dep.has_value());
  EXPECT_EQ(dep->record_key, department_key("IPD"));
  ASSERT_TRUE(dep->value.has_value());
  auto params = c.query("parameters");
  ASSERT_TRUE(params.has_value());
  EXPECT_EQ(params->related.size(), c.modules().parameters().size());
  for (const QueryRecord& q : params->related) EXPECT_TRUE(q.value.has_value());
  auto p = c.query(std::string("parameter/") + std::string(kProposalMaxLifetime));
  ASSERT_TRUE(p.has_value() && p->value.has_value());
  auto v0 = c.query("validators/0");
  ASSERT_TRUE(v0.has_value() && v0->value.has_value());
  EXPECT_FALSE(c.query("validators/1")->value.has_value());
  EXPECT_TRUE(c.query("validators")->value.has_value());
  EXPECT_FALSE(c.query("proposal/1")->value.has_value());
  EXPECT_EQ(c.query("departments")->related.size(), 5u);
  for (const char* bad :
       {"", "nothing", "department/", "validators/x", "proposal/-1", "roles/zz", "proposals/x",
        "evidence/zz/1/2/vote",
        "evidence/"
        "0000000000000000000000000000000000000000000000000000000000000000/1/2/other",
        "departments/1/2", "role/00/x"}) {
    EXPECT_FALSE(c.query(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace bauhinia::contracts::system::testing
