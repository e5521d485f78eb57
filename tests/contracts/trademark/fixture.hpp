#pragma once
// The trademark tests' ledger: genesis state with the IPD department and a
// registrar, the real Executor with every module of the chain, one block per
// call (or per batch), and helpers to build signed and co-signed calls.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../test_util.hpp"
#include "bauhinia/contracts/genesis.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/trademark/calendar.hpp"
#include "bauhinia/contracts/trademark/module.hpp"
#include "bauhinia/core/ed25519.hpp"

namespace bauhinia::contracts::trademark::testing {

using namespace contracts::testing;  // NOLINT(google-build-using-namespace)
using chain::TxOutcome;

// 2026-01-05 10:00 Hong Kong time.
inline constexpr std::uint64_t kStartMs = 1'767'578'400'000ULL;

inline const core::schnorr::SecretKey& ipd_admin() {
  static const auto k = key(1);
  return k;
}
inline const core::schnorr::SecretKey& registrar() {
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
inline const core::schnorr::SecretKey& applicant() {
  static const auto k = key(10);
  return k;
}
inline const core::schnorr::SecretKey& assignee() {
  static const auto k = key(11);
  return k;
}
inline const core::schnorr::SecretKey& stranger() {
  static const auto k = key(12);
  return k;
}
inline const core::schnorr::SecretKey& third() {
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
  in.departments.push_back({"IPD", "Intellectual Property Department", ipd_admin().public_key()});
  in.departments.push_back({"CR", "Companies Registry", cr_admin().public_key()});
  in.roles.push_back({"IPD", std::string(kRegistrarRole), account_of(registrar())});
  in.roles.push_back({"CR", "company.registrar", account_of(cr_registrar())});
  return in;
}

inline Party party(const core::schnorr::SecretKey& k, std::string en, std::string zh = "",
                   std::string cr = "") {
  return Party{account_of(k), std::move(en), std::move(zh), std::move(cr)};
}

// 305918274 HARBOUR LANTERN 港燈籠 (sample), classes 29/30/43.
inline FileArgs sample_filing(std::string number, const Party& owner, std::uint64_t filing_ms) {
  FileArgs a;
  a.number = std::move(number);
  a.text_en = "HARBOUR LANTERN";
  a.text_zh = "港燈籠";
  core::Hash256 image;
  image.bytes().fill(0x42);
  a.image_hash = image;
  a.applicant = owner;
  a.classes = {{29, {"preserved fruits", "dried meat"}},
               {30, {"tea", "mooncakes", "rice crackers"}},
               {43, {"restaurant services", "catering"}}};
  a.filing_date_ms = filing_ms;
  return a;
}

inline Bytes number_payload(const std::string& number) {
  return core::encode(MarkArgs{number});
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

  // An unsigned call of `k` at its next sequence.
  chain::Transaction draft(const core::schnorr::SecretKey& k, std::string call,
                           Bytes payload = {}) const {
    chain::Transaction tx;
    tx.chain_id = kChain;
    tx.sender = account_of(k);
    tx.public_key = k.public_key();
    tx.sequence = next_sequence(k);
    tx.expiry_ms = now_ms + 3'600'000;
    tx.module = std::string(kModuleName);
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

  // A co-signed call: each of `signers` signs `terms` for this transaction.
  template <class Terms>
  chain::IdentifiedTransaction cosigned_tx(
      const core::schnorr::SecretKey& sender, std::string call, const Terms& terms,
      const std::vector<const core::schnorr::SecretKey*>& signers) const {
    chain::Transaction tx = draft(sender, std::move(call));
    const Bytes t = core::encode(terms);
    Cosigned<Terms> p{terms, {}};
    for (const auto* s : signers) p.cosignatures.push_back(cosign(tx, t, *s));
    tx.payload = core::encode(p);
    return sign(std::move(tx), sender);
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
    return submit(sign(draft(k, std::move(name), std::move(payload)), k));
  }
  ExecutedTransaction act(std::string name, const std::string& number) {
    return call(registrar(), std::move(name), number_payload(number));
  }
  template <class Terms>
  ExecutedTransaction cosigned(const core::schnorr::SecretKey& sender, std::string name,
                               const Terms& terms,
                               const std::vector<const core::schnorr::SecretKey*>& signers) {
    return submit(cosigned_tx(sender, std::move(name), terms, signers));
  }

  // Admission (the mempool's check) of a transaction at the current state.
  core::Verdict admit(const chain::IdentifiedTransaction& tx) const {
    const BlockContext ctx{kChain, height + 1, now_ms, version};
    auto r = executor_.check_transaction(ctx, tx, state, {});
    EXPECT_TRUE(r.has_value());
    return r ? *r : core::Verdict::accept();
  }

  core::Checked<QueryAnswer> query(const std::string& path) const {
    auto r = executor_.query("trademark/" + path, state);
    EXPECT_TRUE(r.has_value());
    return r ? std::move(*r)
             : core::Checked<QueryAnswer>(core::reject(core::Reject::kInvalid, "io"));
  }

  std::optional<MarkRecord> mark(const std::string& number) const {
    auto key = chain::state_key(kModuleName, mark_key(number));
    auto bytes = state.read(*key);
    if (!bytes || !*bytes) return std::nullopt;
    auto m = core::decode<MarkRecord>(**bytes);
    EXPECT_TRUE(m.has_value());
    return m ? std::optional<MarkRecord>(*m) : std::nullopt;
  }

  void advance_days(std::uint64_t days) { now_ms += days * kDayMs; }

  // file → examine → accept → publish → (window) → register.
  void register_mark(const std::string& number, const Party& owner) {
    ASSERT_EQ(call(registrar(), "file", core::encode(sample_filing(number, owner, now_ms - kDayMs)))
                  .info.outcome,
              TxOutcome::kSuccess);
    for (const char* step : {"examine", "accept", "publish"}) {
      ASSERT_EQ(act(step, number).info.outcome, TxOutcome::kSuccess) << step;
    }
    now_ms = mark(number)->opposition_deadline_ms;
    ASSERT_EQ(act("register", number).info.outcome, TxOutcome::kSuccess);
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

// The reason and outcome of a failed call, for EXPECT_EQ.
inline std::string failure(const ExecutedTransaction& t) {
  return std::string(chain::tx_outcome_name(t.info.outcome)) + "/" + t.reason;
}

}  // namespace bauhinia::contracts::trademark::testing
