#pragma once
// The health tests' ledger: genesis state with the Department of Health, a
// facility holding health.issuer and two providers holding health.provider,
// the real Executor with every module of the chain, one block per call, and
// helpers that build each call.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../test_util.hpp"
#include "bauhinia/contracts/genesis.hpp"
#include "bauhinia/contracts/health/module.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/core/ed25519.hpp"

namespace bauhinia::contracts::health::testing {

using namespace contracts::testing;  // NOLINT(google-build-using-namespace)
using chain::TxOutcome;

// 2026-03-02 09:00 Hong Kong time.
inline constexpr std::uint64_t kStartMs = 1'772'413'200'000ULL;
inline constexpr std::uint64_t kDayMs = 86'400'000;

#define BAUHINIA_HEALTH_KEY(fn, n)              \
  inline const core::schnorr::SecretKey& fn() { \
    static const auto k = key(n);               \
    return k;                                   \
  }
BAUHINIA_HEALTH_KEY(dh_admin, 1)
BAUHINIA_HEALTH_KEY(facility, 2)   // health.issuer (e.g. a public hospital's laboratory)
BAUHINIA_HEALTH_KEY(facility2, 3)  // another health.issuer
BAUHINIA_HEALTH_KEY(provider, 4)   // health.provider (a clinic)
BAUHINIA_HEALTH_KEY(provider2, 5)  // another health.provider
BAUHINIA_HEALTH_KEY(patient, 10)   // pseudonymous patient keys
BAUHINIA_HEALTH_KEY(patient2, 11)
BAUHINIA_HEALTH_KEY(stranger, 12)
#undef BAUHINIA_HEALTH_KEY

inline GenesisInput genesis_input() {
  GenesisInput in;
  in.chain_id = kChain;
  in.timestamp_ms = kStartMs;
  std::array<std::uint8_t, core::ed25519::kSeedSize> seed{};
  seed[0] = 7;
  in.validators.validators.push_back(
      chain::ValidatorInfo{core::ed25519::SecretKey::from_seed(seed).public_key(), 1, "v1"});
  in.departments.push_back({"DH", "Department of Health", dh_admin().public_key()});
  in.roles.push_back({"DH", std::string(kIssuerRole), account_of(facility())});
  in.roles.push_back({"DH", std::string(kIssuerRole), account_of(facility2())});
  in.roles.push_back({"DH", std::string(kProviderRole), account_of(provider())});
  in.roles.push_back({"DH", std::string(kProviderRole), account_of(provider2())});
  return in;
}

inline Salt salt_of(std::uint8_t b) {
  Salt s{};
  s.fill(b);
  return s;
}

// A sample record's bytes (what the facility keeps and the node stores
// encrypted; never on chain).
inline Bytes sample_record(std::string_view text = "COVID-19 vaccination, dose 2, lot EX1234") {
  return Bytes(text.begin(), text.end());
}

class Ledger {
 public:
  explicit Ledger(std::uint64_t start_ms = kStartMs + 60'000) : now_ms(start_ms) {
    modules_.register_with(executor_);
    auto writes = genesis_writes(modules_, genesis_input());
    EXPECT_TRUE(writes.has_value()) << writes.error().to_string();
    if (writes) state.apply(*writes);
  }

  std::uint64_t next_sequence(const core::schnorr::SecretKey& k) const {
    auto a = accounts::load_account(state, account_of(k));
    return a && *a ? (**a).next_sequence : 0;
  }

  chain::IdentifiedTransaction signed_call(const core::schnorr::SecretKey& k, std::string call,
                                           Bytes payload) const {
    chain::Transaction tx;
    tx.chain_id = kChain;
    tx.sender = account_of(k);
    tx.public_key = k.public_key();
    tx.sequence = next_sequence(k);
    tx.expiry_ms = now_ms + 3'600'000;
    tx.module = std::string(kModuleName);
    tx.call = std::move(call);
    tx.payload = std::move(payload);
    std::array<std::uint8_t, 32> aux{};
    aux[0] = 0xA5;
    tx.sign(k, aux);
    return chain::IdentifiedTransaction::of(std::move(tx));
  }

  // Executes one block; the writes are applied. Fails the test when the
  // block is rejected (an envelope failure).
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
    return submit(signed_call(k, std::move(name), std::move(payload)));
  }

  // The calls; each returns the executed transaction (its id is the new
  // record's, consent's or access entry's id).
  ExecutedTransaction issue(const core::schnorr::SecretKey& by, const core::AccountId& subject,
                            RecordType type, const core::Hash256& commitment) {
    return call(by, "issue",
                core::encode(IssueArgs{static_cast<std::uint8_t>(type), subject, commitment}));
  }
  ExecutedTransaction issue_sample(std::uint8_t salt = 0x5A,
                                   RecordType type = RecordType::kVaccination,
                                   const core::schnorr::SecretKey* subject = nullptr) {
    return issue(facility(), account_of(subject ? *subject : patient()), type,
                 record_commitment(salt_of(salt), sample_record()));
  }
  ExecutedTransaction grant(const core::schnorr::SecretKey& by, const core::AccountId& to,
                            RecordType type, std::uint64_t until_ms) {
    return call(by, "grant_consent",
                core::encode(GrantConsentArgs{to, static_cast<std::uint8_t>(type), until_ms}));
  }
  ExecutedTransaction grant_sample(RecordType type = RecordType::kVaccination) {
    return grant(patient(), account_of(provider()), type, now_ms + 30 * kDayMs);
  }
  ExecutedTransaction withdraw(const core::schnorr::SecretKey& by, const core::Hash256& consent) {
    return call(by, "withdraw_consent", core::encode(ConsentArgs{consent}));
  }
  ExecutedTransaction access(const core::schnorr::SecretKey& by, const core::Hash256& record,
                             const core::Hash256& consent) {
    return call(by, "record_access", core::encode(RecordAccessArgs{record, consent}));
  }
  ExecutedTransaction revoke(const core::schnorr::SecretKey& by, const core::Hash256& record,
                             RevocationReason reason = RevocationReason::kIssuedInError) {
    return call(by, "revoke", core::encode(RevokeArgs{record, static_cast<std::uint8_t>(reason)}));
  }
  ExecutedTransaction erase(const core::schnorr::SecretKey& by, const core::Hash256& record) {
    return call(by, "erase", core::encode(RecordArgs{record}));
  }

  core::Verdict admit(const chain::IdentifiedTransaction& tx) const {
    const BlockContext ctx{kChain, height + 1, now_ms, version};
    auto r = executor_.check_transaction(ctx, tx, state, {});
    EXPECT_TRUE(r.has_value());
    return r ? *r : core::Verdict::accept();
  }

  core::Checked<QueryAnswer> query(const std::string& path) const {
    auto r = executor_.query("health/" + path, state);
    EXPECT_TRUE(r.has_value());
    return r ? std::move(*r)
             : core::Checked<QueryAnswer>(core::reject(core::Reject::kInvalid, "io"));
  }

  template <class T>
  std::optional<T> load(const Bytes& key) const {
    auto k = chain::state_key(kModuleName, key);
    auto bytes = state.read(*k);
    if (!bytes || !*bytes) return std::nullopt;
    auto v = core::decode<T>(**bytes);
    EXPECT_TRUE(v.has_value());
    return v ? std::optional<T>(*v) : std::nullopt;
  }
  std::optional<HealthRecord> record(const core::Hash256& id) const {
    return load<HealthRecord>(record_key(id));
  }
  std::optional<Consent> consent(const core::Hash256& id) const {
    return load<Consent>(consent_key(id));
  }
  std::optional<AccessEntry> access_entry(const core::Hash256& id) const {
    return load<AccessEntry>(access_key(id));
  }

  MemoryState state;
  std::uint64_t now_ms;
  std::uint64_t height = 0;
  std::uint64_t version = 0;
  std::vector<WriteSet> blocks;

 private:
  ModuleSet modules_;
  Executor executor_;
};

// The outcome and reason of a call, for EXPECT_EQ ("success/" on success).
inline std::string result(const ExecutedTransaction& t) {
  return std::string(chain::tx_outcome_name(t.info.outcome)) + "/" + t.reason;
}

}  // namespace bauhinia::contracts::health::testing
