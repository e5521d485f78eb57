#pragma once
// The drugs tests' ledger: genesis with DH, its regulator and licensed
// traders (a manufacturer, an importer, two wholesalers, a pharmacy and a
// hospital), the real Executor with every module of the chain, one block per
// call, and helpers for signed and co-signed calls.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../test_util.hpp"
#include "bauhinia/contracts/drugs/module.hpp"
#include "bauhinia/contracts/genesis.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/system/roles.hpp"
#include "bauhinia/core/ed25519.hpp"

namespace bauhinia::contracts::drugs::testing {

using namespace contracts::testing;  // NOLINT(google-build-using-namespace)
using chain::TxOutcome;
using Key = core::schnorr::SecretKey;

// 2026-01-05 10:00 Hong Kong time.
inline constexpr std::uint64_t kStartMs = 1'767'578'400'000ULL;
inline constexpr std::uint64_t kDayMs = 86'400'000ULL;

// Sample parties: keys by number.
inline const Key& dh_admin() {
  static const auto k = key(1);
  return k;
}
inline const Key& regulator() {
  static const auto k = key(2);
  return k;
}
inline const Key& maker() {  // a licensed manufacturer, holder of HK-51234
  static const auto k = key(10);
  return k;
}
inline const Key& importer() {
  static const auto k = key(11);
  return k;
}
inline const Key& wholesaler() {
  static const auto k = key(12);
  return k;
}
inline const Key& wholesaler2() {
  static const auto k = key(13);
  return k;
}
inline const Key& pharmacy() {
  static const auto k = key(14);
  return k;
}
inline const Key& hospital() {
  static const auto k = key(15);
  return k;
}
inline const Key& stranger() {  // holds no role
  static const auto k = key(16);
  return k;
}

inline constexpr const char* kRegno = "HK-51234";
inline constexpr const char* kBatch = "B2026-001";

inline GenesisInput genesis_input() {
  GenesisInput in;
  in.chain_id = kChain;
  in.timestamp_ms = kStartMs;
  std::array<std::uint8_t, core::ed25519::kSeedSize> seed{};
  seed[0] = 7;
  in.validators.validators.push_back(
      chain::ValidatorInfo{core::ed25519::SecretKey::from_seed(seed).public_key(), 1, "v1"});
  in.departments.push_back({"DH", "Department of Health", dh_admin().public_key()});
  in.roles.push_back({"DH", std::string(kRegulatorRole), account_of(regulator())});
  in.roles.push_back({"DH", std::string(kManufacturerRole), account_of(maker())});
  in.roles.push_back({"DH", std::string(kImporterRole), account_of(importer())});
  in.roles.push_back({"DH", std::string(kWholesalerRole), account_of(wholesaler())});
  in.roles.push_back({"DH", std::string(kWholesalerRole), account_of(wholesaler2())});
  in.roles.push_back({"DH", std::string(kDispenserRole), account_of(pharmacy())});
  in.roles.push_back({"DH", std::string(kDispenserRole), account_of(hospital())});
  return in;
}

inline ProductArgs sample_product(std::string regno = kRegno, const Key& holder = maker()) {
  ProductArgs a;
  a.regno = std::move(regno);
  a.holder = account_of(holder);
  a.name_en = "Harbourcillin Capsules 500mg";
  a.name_zh = "港青黴素膠囊500毫克";
  a.form = "capsule";
  a.strength = "500 mg";
  return a;
}

inline TransferTerms terms(const Key& from, const Key& to, std::uint64_t quantity,
                           std::string batch = kBatch, std::string regno = kRegno) {
  TransferTerms t;
  t.regno = std::move(regno);
  t.batch = std::move(batch);
  t.from = account_of(from);
  t.to = account_of(to);
  t.quantity = quantity;
  t.document_hash.bytes().fill(0xD0);
  return t;
}

class Ledger {
 public:
  explicit Ledger(std::uint64_t start_ms = kStartMs) : now_ms(start_ms) {
    modules_.register_with(executor_);
    auto writes = genesis_writes(modules_, genesis_input());
    EXPECT_TRUE(writes.has_value()) << writes.error().to_string();
    if (writes) state.apply(*writes);
  }

  std::uint64_t next_sequence(const Key& k) const {
    auto a = accounts::load_account(state, account_of(k));
    return a && *a ? (**a).next_sequence : 0;
  }

  chain::Transaction draft(const Key& k, std::string call, Bytes payload = {},
                           std::string module = std::string(kModuleName)) const {
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

  static chain::IdentifiedTransaction sign(chain::Transaction tx, const Key& k) {
    std::array<std::uint8_t, 32> aux{};
    aux[0] = 0xA5;
    tx.sign(k, aux);
    return chain::IdentifiedTransaction::of(std::move(tx));
  }

  // A custody call of `sender` co-signed by each of `signers` over `t`.
  chain::IdentifiedTransaction custody_tx(const Key& sender, const TransferTerms& t,
                                          const std::vector<const Key*>& signers,
                                          std::string call = "transfer") const {
    chain::Transaction tx = draft(sender, std::move(call));
    const Bytes bytes = core::encode(t);
    TransferPayload p{t, {}};
    for (const Key* s : signers) p.cosignatures.push_back(cosign(tx, bytes, *s));
    tx.payload = core::encode(p);
    return sign(std::move(tx), sender);
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

  ExecutedTransaction call(const Key& k, std::string name, Bytes payload) {
    return submit(sign(draft(k, std::move(name), std::move(payload)), k));
  }

  ExecutedTransaction transfer(const Key& from, const Key& to, std::uint64_t quantity,
                               std::string batch = kBatch) {
    return submit(custody_tx(from, terms(from, to, quantity, std::move(batch)), {&to}));
  }

  ExecutedTransaction give_back(const Key& from, const Key& to, std::uint64_t quantity) {
    return submit(custody_tx(from, terms(from, to, quantity), {&to}, "return_recalled"));
  }

  ExecutedTransaction revoke_role(const Key& account, std::string_view role) {
    return submit(sign(
        draft(dh_admin(), "revoke_role",
              core::encode(system::RoleArgs{account_of(account), std::string(role)}), "system"),
        dh_admin()));
  }

  core::Verdict admit(const chain::IdentifiedTransaction& tx) const {
    const BlockContext ctx{kChain, height + 1, now_ms, version};
    auto r = executor_.check_transaction(ctx, tx, state, {});
    EXPECT_TRUE(r.has_value());
    return r ? *r : core::Verdict::accept();
  }

  core::Checked<QueryAnswer> query(const std::string& path) const {
    auto r = executor_.query("drugs/" + path, state);
    EXPECT_TRUE(r.has_value());
    return r ? std::move(*r)
             : core::Checked<QueryAnswer>(core::reject(core::Reject::kInvalid, "io"));
  }

  template <class T>
  std::optional<T> record(const Bytes& key) const {
    auto sk = chain::state_key(kModuleName, key);
    auto bytes = state.read(*sk);
    if (!bytes || !*bytes) return std::nullopt;
    auto r = core::decode<T>(**bytes);
    EXPECT_TRUE(r.has_value());
    return r ? std::optional<T>(*r) : std::nullopt;
  }
  std::optional<BatchRecord> batch(const std::string& b = kBatch,
                                   const std::string& regno = kRegno) const {
    return record<BatchRecord>(batch_key(regno, b));
  }
  std::uint64_t holding(const Key& k, const std::string& b = kBatch) const {
    auto h = record<HoldingRecord>(holding_key(kRegno, b, account_of(k)));
    return h ? h->quantity : 0;
  }

  // The product HK-51234 of maker() and its batch kBatch of `quantity` units,
  // expiring in two years.
  void product_and_batch(std::uint64_t quantity = 1000, std::string b = kBatch) {
    if (!record<ProductRecord>(product_key(kRegno))) {
      ASSERT_EQ(call(regulator(), "register_product", core::encode(sample_product())).info.outcome,
                TxOutcome::kSuccess);
    }
    BatchArgs a{kRegno, std::move(b), quantity, now_ms - 30 * kDayMs, now_ms + 730 * kDayMs};
    auto r = call(maker(), "create_batch", core::encode(a));
    ASSERT_EQ(r.info.outcome, TxOutcome::kSuccess) << r.reason << " " << r.detail;
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

inline std::string failure(const ExecutedTransaction& t) {
  return std::string(chain::tx_outcome_name(t.info.outcome)) + "/" + t.reason;
}

}  // namespace bauhinia::contracts::drugs::testing
