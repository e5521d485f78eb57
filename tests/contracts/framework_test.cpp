// The module framework every register builds on: co-signatures, paged index
// lists and the genesis records (contracts/cosignature.hpp, index_list.hpp,
// genesis.hpp, system/records.hpp).

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "bauhinia/contracts/cosignature.hpp"
#include "bauhinia/contracts/genesis.hpp"
#include "bauhinia/contracts/index_list.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "test_util.hpp"

namespace bauhinia::contracts {
namespace {

using namespace testing;

// Terms of a made-up call, co-signed.
struct Terms {
  std::string what;
  std::uint64_t amount = 0;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.what, 64, "what");
    c.u64(s.amount);
  }
};

class CosignatureTest : public ::testing::Test {
 protected:
  chain::Transaction tx_of(std::uint64_t sequence) {
    chain::Transaction tx;
    tx.chain_id = kChain;
    tx.sender = account_of(sender_);
    tx.public_key = sender_.public_key();
    tx.sequence = sequence;
    tx.expiry_ms = kExpiryMs;
    tx.module = "trademark";
    tx.call = "assign";
    return tx;
  }
  CallResult check(const chain::Transaction& tx, const Bytes& terms,
                   const std::vector<Cosignature>& sigs) {
    StateOverlay overlay(state_);
    OverlayStateView view("trademark", overlay);
    const core::Hash256 id = tx.id();
    const BlockContext block = block_at(1);
    CallContext call(tx, id, block);
    return check_cosignatures(call, view, terms, sigs);
  }

  core::schnorr::SecretKey sender_ = key(1);
  core::schnorr::SecretKey assignor_ = key(2);
  core::schnorr::SecretKey other_ = key(3);
  MemoryState state_;
  Bytes terms_ = core::encode(Terms{"assign 305918274", 1});
};

TEST_F(CosignatureTest, ValidCosignatureOfANewOrExistingAccountPasses) {
  const chain::Transaction tx = tx_of(7);
  EXPECT_TRUE(check(tx, terms_, {cosign(tx, terms_, assignor_)}).ok());
  // The account exists with this key.
  WriteSet w;
  accounts::AccountRecord rec;
  rec.key = assignor_.public_key();
  w.emplace(*chain::state_key("accounts", accounts::account_record_key(account_of(assignor_))),
            StateWrite{"accounts", accounts::account_record_key(account_of(assignor_)),
                       core::encode(rec)});
  state_.apply(w);
  EXPECT_TRUE(check(tx, terms_, {cosign(tx, terms_, assignor_), cosign(tx, terms_, other_)}).ok());
}

TEST_F(CosignatureTest, ForgedTamperedOrReplayedCosignaturesFail) {
  const chain::Transaction tx = tx_of(7);
  Cosignature good = cosign(tx, terms_, assignor_);

  Cosignature forged = good;
  forged.signature.bytes[5] ^= 1;
  auto r = check(tx, terms_, {forged});
  EXPECT_EQ(r.outcome, chain::TxOutcome::kUnauthorized);
  EXPECT_EQ(r.reason, "bad_cosignature");

  // Other terms than those signed.
  const Bytes changed = core::encode(Terms{"assign 305918274", 2});
  EXPECT_EQ(check(tx, changed, {good}).reason, "bad_cosignature");
  // The same co-signature in another transaction (next sequence): single-use.
  EXPECT_EQ(check(tx_of(8), terms_, {good}).reason, "bad_cosignature");
  // Another chain.
  chain::Transaction other_chain = tx;
  other_chain.chain_id = "bauhinia-other";
  EXPECT_EQ(check(other_chain, terms_, {good}).reason, "bad_cosignature");

  // Claiming another account with one's own key.
  Cosignature impostor = cosign(tx, terms_, other_, account_of(assignor_));
  EXPECT_EQ(check(tx, terms_, {impostor}).reason, "wrong_cosigner_key");
}

TEST_F(CosignatureTest, RotatedKeyNoLongerCosigns) {
  const chain::Transaction tx = tx_of(7);
  WriteSet w;
  accounts::AccountRecord rec;
  rec.key = other_.public_key();  // the assignor's account rotated to another key
  const Bytes k = accounts::account_record_key(account_of(assignor_));
  w.emplace(*chain::state_key("accounts", k), StateWrite{"accounts", k, core::encode(rec)});
  state_.apply(w);
  EXPECT_EQ(check(tx, terms_, {cosign(tx, terms_, assignor_)}).reason, "wrong_cosigner_key");
  EXPECT_TRUE(check(tx, terms_, {cosign(tx, terms_, other_, account_of(assignor_))}).ok());
}

TEST_F(CosignatureTest, DuplicateAndTooManySignersFail) {
  const chain::Transaction tx = tx_of(7);
  const Cosignature c = cosign(tx, terms_, assignor_);
  EXPECT_EQ(check(tx, terms_, {c, c}).reason, "duplicate_cosigner");
  std::vector<Cosignature> many;
  for (std::uint32_t i = 0; i <= kMaxCosignatures; ++i)
    many.push_back(cosign(tx, terms_, key(10 + i)));
  EXPECT_EQ(check(tx, terms_, many).outcome, chain::TxOutcome::kLimitExceeded);
  // The payload carries at most kMaxCosignatures (the decoder's limit).
  many.pop_back();
  Cosigned<Terms> payload{Terms{"x", 1}, many};
  EXPECT_TRUE(core::decode<Cosigned<Terms>>(core::encode(payload)).has_value());
}

// ---- Index lists -------------------------------------------------------------

Bytes member(std::uint32_t i) {
  return Bytes{0x01, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
}

// Every page of `list` holds exactly the model's members, each once.
void expect_matches(const IndexList& list, const StateView& view, const std::set<Bytes>& model) {
  ASSERT_EQ(list.size(view), model.size());
  std::set<Bytes> seen;
  std::uint32_t page = 0;
  for (;;) {
    QueryAnswer a = list.answer_page(view, page);
    for (const QueryRecord& r : a.related) {
      EXPECT_TRUE(seen.insert(r.record_key).second);
      EXPECT_TRUE(list.contains(view, r.record_key));
    }
    if (!a.next_page) break;
    EXPECT_EQ(a.related.size(), kIndexPageSize);  // pages before the last are full
    page = static_cast<std::uint32_t>(*a.next_page);
  }
  EXPECT_EQ(seen, model);
}

TEST(IndexListTest, AddRemoveKeepsEveryPageConsistentWithTheModel) {
  MemoryState base;
  StateOverlay overlay(base);
  OverlayStateView view("trademark", overlay);
  const IndexList list(Bytes{'o', 'w', 'n', 'e', 'r'});
  std::set<Bytes> model;
  std::uint64_t x = 12345;
  for (int step = 0; step < 3000; ++step) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const Bytes m = member(static_cast<std::uint32_t>((x >> 33) % 300));
    if ((x >> 20) % 3 == 0) {
      ASSERT_TRUE(list.remove(view, m).ok());
      model.erase(m);
    } else {
      ASSERT_TRUE(list.add(view, m).ok());
      model.insert(m);
    }
    if (step % 250 == 0) expect_matches(list, view, model);
  }
  expect_matches(list, view, model);
  for (const Bytes& m : std::vector<Bytes>(model.begin(), model.end())) {
    ASSERT_TRUE(list.remove(view, m).ok());
  }
  EXPECT_EQ(list.size(view), 0U);
  // An empty list leaves no records behind.
  for (const auto& [k, w] : overlay.writes()) EXPECT_FALSE(w.value.has_value());
}

TEST(IndexListTest, ListsWithDifferentNamesDoNotShareRecords) {
  MemoryState base;
  StateOverlay overlay(base);
  OverlayStateView view("company", overlay);
  const IndexList a(Bytes{'a'});
  const IndexList ab(Bytes{'a', 'b'});
  ASSERT_TRUE(a.add(view, Bytes{'b', 'x'}).ok());
  EXPECT_FALSE(ab.contains(view, Bytes{'x'}));
  EXPECT_EQ(ab.size(view), 0U);
}

TEST(IndexListTest, OversizedMemberAndCorruptPageAreRefused) {
  MemoryState base;
  StateOverlay overlay(base);
  OverlayStateView view("company", overlay);
  const IndexList list(Bytes{'l'});
  EXPECT_EQ(list.add(view, Bytes(kMaxIndexMemberSize + 1, 1)).reason, "member_too_large");
  ASSERT_TRUE(list.add(view, member(1)).ok());
  view.write(list.page_key(0), Bytes{0xFF});
  EXPECT_EQ(list.add(view, member(2)).reason, "corrupt_record");
}

TEST(IndexListTest, PageNumbersParseStrictly) {
  EXPECT_EQ(*parse_page(""), 0U);
  EXPECT_EQ(*parse_page("12"), 12U);
  EXPECT_FALSE(parse_page("-1").has_value());
  EXPECT_FALSE(parse_page("1x").has_value());
  EXPECT_FALSE(parse_page("99999999999").has_value());
}

// ---- Genesis -----------------------------------------------------------------

GenesisInput sample_genesis() {
  GenesisInput in;
  in.chain_id = kChain;
  std::array<std::uint8_t, core::ed25519::kSeedSize> seed{};
  seed[0] = 7;
  in.validators.validators.push_back(
      chain::ValidatorInfo{core::ed25519::SecretKey::from_seed(seed).public_key(), 1, "v1"});
  in.departments.push_back({"IPD", "Intellectual Property Department", key(1).public_key()});
  in.departments.push_back({"CR", "Companies Registry", key(2).public_key()});
  in.departments.push_back({"DH", "Department of Health", key(4).public_key()});
  // health.* roles are DH's (system/roles.hpp); health is a planned module.
  in.roles.push_back({"DH", "health.issuer", account_of(key(9))});
  return in;
}

TEST(GenesisTest, RecordsNameDepartmentsAdminsRolesAndTheValidatorSet) {
  const ModuleSet modules;
  auto writes = genesis_writes(modules, sample_genesis());
  ASSERT_TRUE(writes.has_value()) << writes.error().to_string();
  MemoryState state;
  state.apply(*writes);
  StateOverlay overlay(state);
  OverlayStateView view("system", overlay);
  auto ipd = system::load_department(view, "IPD");
  ASSERT_TRUE(ipd.has_value());
  EXPECT_EQ(ipd->admin, account_of(key(1)));
  EXPECT_EQ(system::admin_department(view, account_of(key(2)))->code, "CR");
  EXPECT_FALSE(system::admin_department(view, account_of(key(3))).has_value());
  EXPECT_TRUE(system::has_role(view, account_of(key(9)), "health.issuer"));
  EXPECT_FALSE(system::has_role(view, account_of(key(9)), "health.other"));
  EXPECT_FALSE(system::has_role(view, account_of(key(1)), "health.issuer"));
  auto set = system::governed_validator_set(state);
  ASSERT_TRUE(set.has_value() && set->has_value());
  EXPECT_EQ(**set, sample_genesis().validators);
  // The admin accounts exist with their keys.
  auto admin = accounts::load_account(state, account_of(key(1)));
  ASSERT_TRUE(admin.has_value() && admin->has_value());
  EXPECT_EQ((*admin)->key, key(1).public_key());
}

TEST(GenesisTest, RefusesUnknownParametersRolesAndRepeatedDepartments) {
  const ModuleSet modules;
  GenesisInput in = sample_genesis();
  in.parameters["nobody.nothing"] = 1;
  EXPECT_FALSE(genesis_records(modules, in).has_value());

  in = sample_genesis();
  in.roles.push_back({"EPD", "health.issuer", account_of(key(9))});
  EXPECT_FALSE(genesis_records(modules, in).has_value());

  in = sample_genesis();  // a role of another department's module
  in.roles.push_back({"IPD", "health.issuer", account_of(key(8))});
  EXPECT_FALSE(genesis_records(modules, in).has_value());

  in = sample_genesis();  // roles nobody grants
  in.roles.push_back({"IPD", "accounts.tester", account_of(key(8))});
  EXPECT_FALSE(genesis_records(modules, in).has_value());

  in = sample_genesis();  // the same grant twice
  in.roles.push_back({"DH", "health.issuer", account_of(key(9))});
  EXPECT_FALSE(genesis_records(modules, in).has_value());

  in = sample_genesis();
  in.roles.push_back({"IPD", "nomodule.role", account_of(key(9))});
  EXPECT_FALSE(genesis_records(modules, in).has_value());

  in = sample_genesis();
  in.departments.push_back({"IPD", "again", key(5).public_key()});
  EXPECT_FALSE(genesis_records(modules, in).has_value());

  in = sample_genesis();
  in.departments.push_back({"EPD", "Environmental Protection Department", key(1).public_key()});
  EXPECT_FALSE(genesis_records(modules, in).has_value());
}

TEST(GenesisTest, EveryDeclaredParameterIsWrittenWithinItsRange) {
  const ModuleSet modules;
  auto writes = genesis_writes(modules, sample_genesis());
  ASSERT_TRUE(writes.has_value());
  MemoryState state;
  state.apply(*writes);
  StateOverlay overlay(state);
  OverlayStateView view("system", overlay);
  for (const ParameterSpec& p : modules.parameters()) {
    auto v = system::read_parameter(view, p.name);
    ASSERT_TRUE(v.has_value()) << p.name;
    EXPECT_EQ(*v, p.default_value) << p.name;
  }
}

}  // namespace
}  // namespace bauhinia::contracts
