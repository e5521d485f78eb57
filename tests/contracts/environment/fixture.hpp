#pragma once
// The environment tests' ledger: genesis with EPD (an EIA officer, a licensed
// collector, a reception point) and the Companies Registry (a registrar), the
// real Executor with every module of the chain, one block per call, and
// helpers to build signed and co-signed calls.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../test_util.hpp"
#include "bauhinia/contracts/company/calls.hpp"
#include "bauhinia/contracts/environment/module.hpp"
#include "bauhinia/contracts/genesis.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/core/ed25519.hpp"

namespace bauhinia::contracts::environment::testing {

using namespace contracts::testing;  // NOLINT(google-build-using-namespace)
using chain::TxOutcome;

// 2026-03-02 10:00 Hong Kong time.
inline constexpr std::uint64_t kStartMs = 1'772'416'800'000ULL;

inline const core::schnorr::SecretKey& epd_admin() {
  static const auto k = key(1);
  return k;
}
inline const core::schnorr::SecretKey& officer() {
  static const auto k = key(2);
  return k;
}
inline const core::schnorr::SecretKey& cr_admin() {
  static const auto k = key(3);
  return k;
}
inline const core::schnorr::SecretKey& cr_registrar() {
  static const auto k = key(4);
  return k;
}
inline const core::schnorr::SecretKey& collector() {
  static const auto k = key(5);
  return k;
}
inline const core::schnorr::SecretKey& reception() {
  static const auto k = key(6);
  return k;
}
inline const core::schnorr::SecretKey& proponent() {
  static const auto k = key(10);
  return k;
}
inline const core::schnorr::SecretKey& transferee() {
  static const auto k = key(11);
  return k;
}
inline const core::schnorr::SecretKey& stranger() {
  static const auto k = key(12);
  return k;
}
inline const core::schnorr::SecretKey& producer() {  // the account of a live company
  static const auto k = key(13);
  return k;
}

inline GenesisInput genesis_input() {
  GenesisInput in;
  in.chain_id = kChain;
  in.timestamp_ms = kStartMs;
  std::array<std::uint8_t, core::ed25519::kSeedSize> seed{};
  seed[0] = 7;
  in.validators.validators.push_back(
      chain::ValidatorInfo{core::ed25519::SecretKey::from_seed(seed).public_key(), 1, "v1"});
  in.departments.push_back(
      {"EPD", "Environmental Protection Department", epd_admin().public_key()});
  in.departments.push_back({"CR", "Companies Registry", cr_admin().public_key()});
  in.roles.push_back({"EPD", std::string(kEiaOfficerRole), account_of(officer())});
  in.roles.push_back({"EPD", std::string(kCollectorRole), account_of(collector())});
  in.roles.push_back({"EPD", std::string(kReceptionRole), account_of(reception())});
  in.roles.push_back({"CR", "company.registrar", account_of(cr_registrar())});
  return in;
}

inline core::Hash256 doc(std::uint8_t n) {
  core::Hash256 h;
  h.bytes().fill(n);
  return h;
}

// A private company whose own account is `account`.
inline company::IncorporateArgs company_args(std::string number, std::string en, std::string zh,
                                             const core::schnorr::SecretKey& account) {
  company::IncorporateArgs a;
  a.number = std::move(number);
  a.name_en = std::move(en);
  a.name_zh = std::move(zh);
  a.type = company::CompanyType::kPrivateLimitedByShares;
  a.registered_office = "Unit 5, 18/F, 3 Tsing Yi Road, Tsing Yi, New Territories";
  a.account = account_of(account);
  a.document_hash = doc(0x11);
  company::OfficerArgs o;
  o.role = company::OfficerRole::kDirector;
  o.name_en = "CHAN Tai Man";
  o.name_zh = "陳大文";
  o.partial_id = "A123***(*)";
  o.correspondence_address = "Flat A, 12/F, 8 Harbour Road, Wan Chai, Hong Kong";
  o.id_number_commitment = doc(0x21);
  o.residential_address_commitment = doc(0x22);
  a.officers.push_back(o);
  return a;
}

inline ProfileArgs sample_profile() {
  ProfileArgs a;
  a.title_en = "Tsing Yi Harbourfront Promenade";
  a.title_zh = "青衣海濱長廊";
  a.location = "Tsing Yi, Kwai Tsing District";
  a.profile_hash = doc(0xA1);
  return a;
}

inline TicketArgs sample_ticket(std::string number, std::uint64_t kg = 1200) {
  TicketArgs a;
  a.number = std::move(number);
  a.producer_cr = "3298741";
  a.waste_type = WasteType::kMineralOil;
  a.declared_kg = kg;
  a.from_premises = "Workshop 3, 12 Cheung Tat Road, Tsing Yi";
  a.reception_point = account_of(reception());
  a.collector = account_of(collector());
  return a;
}

class Ledger {
 public:
  explicit Ledger(std::uint64_t start_ms = kStartMs) : now_ms(start_ms) {
    modules_.register_with(executor_);
    auto writes = genesis_writes(modules_, genesis_input());
    EXPECT_TRUE(writes.has_value()) << writes.error().to_string();
    if (writes) state.apply(*writes);
  }

  std::uint64_t next_sequence(const core::schnorr::SecretKey& k) const {
    auto a = accounts::load_account(state, account_of(k));
    return a && *a ? (**a).next_sequence : 0;
  }

  chain::Transaction draft(const core::schnorr::SecretKey& k, std::string call, Bytes payload = {},
                           std::string module = "environment") const {
    chain::Transaction tx;
    tx.chain_id = kChain;
    tx.sender = account_of(k);
    tx.public_key = k.public_key();
    tx.sequence = next_sequence(k);
    tx.expiry_ms = now_ms + 3'600'000;
    tx.module = std::move(module);
    tx.call = std::move(call);
    tx.payload = std::move(payload);
    return tx;
  }

  static chain::IdentifiedTransaction sign(chain::Transaction tx,
                                           const core::schnorr::SecretKey& k) {
    std::array<std::uint8_t, 32> aux{};
    aux[0] = 0xA5;
    tx.sign(k, aux);
    return chain::IdentifiedTransaction::of(std::move(tx));
  }

  template <class Terms>
  chain::IdentifiedTransaction cosigned_tx(
      const core::schnorr::SecretKey& sender, std::string call, const Terms& terms,
      const std::vector<const core::schnorr::SecretKey*>& signers) const {
    chain::Transaction tx = draft(sender, std::move(call));
    const Bytes t = core::encode(terms);
    Cosigned<Terms> p{terms, {}};
    for (const auto* s : signers) p.cosignatures.push_back(fixed_cosign(tx, t, *s));
    tx.payload = core::encode(p);
    return sign(std::move(tx), sender);
  }

  // cosign() with fixed aux randomness, so that transaction ids repeat.
  static Cosignature fixed_cosign(const chain::Transaction& tx, ByteView terms,
                                  const core::schnorr::SecretKey& k) {
    std::array<std::uint8_t, 32> aux{};
    aux[0] = 0x3C;
    Cosignature c;
    c.signer = account_of(k);
    c.key = k.public_key();
    c.signature = k.sign(cosign_challenge(tx, terms).hash().bytes(), aux);
    return c;
  }

  std::vector<ExecutedTransaction> block(const std::vector<chain::IdentifiedTransaction>& txs) {
    const BlockContext ctx{kChain, height + 1, now_ms, version};
    auto r = executor_.execute_block(ctx, txs, state);
    EXPECT_TRUE(r.has_value());
    if (!r || !*r) {
      if (r) ADD_FAILURE() << "block rejected: " << r->error().why.to_string();
      return {};
    }
    ExecutedBlock& b = **r;
    state.apply(b.writes);
    blocks.push_back(b.writes);
    height += 1;
    version += txs.size();
    now_ms += 1000;
    return std::move(b.transactions);
  }

  ExecutedTransaction submit(const chain::IdentifiedTransaction& tx) {
    auto out = block({tx});
    return out.empty() ? ExecutedTransaction{} : std::move(out[0]);
  }

  ExecutedTransaction call(const core::schnorr::SecretKey& k, std::string name, Bytes payload) {
    return submit(sign(draft(k, std::move(name), std::move(payload)), k));
  }
  template <class Args>
  ExecutedTransaction act(const core::schnorr::SecretKey& k, std::string name, const Args& args) {
    return call(k, std::move(name), core::encode(args));
  }
  template <class Terms>
  ExecutedTransaction cosigned(const core::schnorr::SecretKey& sender, std::string name,
                               const Terms& terms,
                               const std::vector<const core::schnorr::SecretKey*>& signers) {
    return submit(cosigned_tx(sender, std::move(name), terms, signers));
  }

  // A company call of the CR registrar (incorporate, strike-off steps).
  ExecutedTransaction company(std::string name, Bytes payload) {
    return submit(sign(draft(cr_registrar(), std::move(name), std::move(payload), "company"),
                       cr_registrar()));
  }

  core::Verdict admit(const chain::IdentifiedTransaction& tx) const {
    const BlockContext ctx{kChain, height + 1, now_ms, version};
    auto r = executor_.check_transaction(ctx, tx, state, {});
    EXPECT_TRUE(r.has_value());
    return r ? *r : core::Verdict::accept();
  }

  // The envelope error of a block holding only `tx` at this state (e.g. a
  // replayed transaction: kStaleSequence); nullopt when the block executes.
  std::optional<EnvelopeError> envelope_error(const chain::IdentifiedTransaction& tx) const {
    const BlockContext ctx{kChain, height + 1, now_ms, version};
    auto r = executor_.execute_block(ctx, std::vector<chain::IdentifiedTransaction>{tx}, state);
    EXPECT_TRUE(r.has_value());
    if (!r || r->has_value()) return std::nullopt;
    return r->error().why.error;
  }

  core::Checked<QueryAnswer> query(const std::string& path) const {
    auto r = executor_.query("environment/" + path, state);
    EXPECT_TRUE(r.has_value());
    return r ? std::move(*r)
             : core::Checked<QueryAnswer>(core::reject(core::Reject::kInvalid, "io"));
  }

  template <class Record>
  std::optional<Record> record(const Bytes& key) const {
    auto k = chain::state_key(kModuleName, key);
    auto bytes = state.read(*k);
    if (!bytes || !*bytes) return std::nullopt;
    auto r = core::decode<Record>(**bytes);
    EXPECT_TRUE(r.has_value());
    return r ? std::optional<Record>(*r) : std::nullopt;
  }
  std::optional<ProjectRecord> project(const std::string& n) const {
    return record<ProjectRecord>(project_key(n));
  }
  std::optional<PermitRecord> permit(const std::string& n) const {
    return record<PermitRecord>(permit_key(n));
  }
  std::optional<TicketRecord> ticket(const std::string& n) const {
    return record<TicketRecord>(ticket_key(n));
  }

  void advance_days(std::uint64_t days) { now_ms += days * kDayMs; }

  // Incorporates 3298741 Lantern Harbour Logistics Limited (sample), account producer().
  void incorporate_producer() {
    const auto r = company("incorporate",
                           core::encode(company_args("3298741", "Lantern Harbour Logistics Limited",
                                                     "港燈物流有限公司", producer())));
    ASSERT_EQ(r.info.outcome, TxOutcome::kSuccess) << r.reason << " " << r.detail;
  }

  // submit_profile → issue_study_brief → submit_report; returns the project number.
  std::string project_with_report() {
    const auto p = act(proponent(), "submit_profile", sample_profile());
    EXPECT_EQ(p.info.outcome, TxOutcome::kSuccess) << p.reason << " " << p.detail;
    const std::string number = "PP-" + pad(++projects_) + "/2026";
    EXPECT_EQ(act(officer(), "issue_study_brief", BriefArgs{number, doc(0xB1)}).info.outcome,
              TxOutcome::kSuccess);
    EXPECT_EQ(act(proponent(), "submit_report", DocumentArgs{number, doc(0xC1)}).info.outcome,
              TxOutcome::kSuccess);
    return number;
  }

  // ... → open_inspection (30 days from the next block) → decide(approved) →
  // issue_permit; returns the permit number.
  std::string permitted_project(std::string* project_out = nullptr) {
    const std::string number = project_with_report();
    EXPECT_EQ(
        act(officer(), "open_inspection", InspectionArgs{number, now_ms, now_ms + 30 * kDayMs})
            .info.outcome,
        TxOutcome::kSuccess);
    advance_days(31);
    EXPECT_EQ(
        act(officer(), "decide", DecisionArgs{number, Decision::kApproved, doc(0xD1)}).info.outcome,
        TxOutcome::kSuccess);
    const auto r = act(officer(), "issue_permit", DocumentArgs{number, doc(0xE1)});
    EXPECT_EQ(r.info.outcome, TxOutcome::kSuccess) << r.reason << " " << r.detail;
    if (project_out != nullptr) *project_out = number;
    return "EP-" + pad(++permits_) + "/2026";
  }

  MemoryState state;
  std::uint64_t now_ms;
  std::uint64_t height = 0;
  std::uint64_t version = 0;
  std::vector<WriteSet> blocks;

 private:
  static std::string pad(std::uint32_t n) {
    std::string s = std::to_string(n);
    while (s.size() < 3) s.insert(s.begin(), '0');
    return s;
  }

  ModuleSet modules_;
  Executor executor_;
  std::uint32_t projects_ = 0;
  std::uint32_t permits_ = 0;
};

// The kinds of the environment module's events of a call (in order).
inline std::vector<std::string> kinds(const ExecutedTransaction& t) {
  std::vector<std::string> out;
  for (const Event& e : t.events) {
    if (e.module == kModuleName) out.push_back(e.kind);
  }
  return out;
}

inline std::string failure(const ExecutedTransaction& t) {
  return std::string(chain::tx_outcome_name(t.info.outcome)) + "/" + t.reason;
}

}  // namespace bauhinia::contracts::environment::testing
