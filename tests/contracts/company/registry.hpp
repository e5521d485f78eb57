#pragma once
// A chain for the register tests: genesis with the CR, IPD and EPD
// departments and their grants (company.registrar, anchor.issuer), the real
// modules (ModuleSet) on an Executor over MemoryState, and signed
// transactions in blocks at chosen Hong Kong times.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "../test_util.hpp"
#include "bauhinia/contracts/company/records.hpp"
#include "bauhinia/contracts/genesis.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/core/ed25519.hpp"

namespace bauhinia::contracts::testing {

// Keys of the test chain.
inline core::schnorr::SecretKey ipd_admin() {
  return key(1);
}
inline core::schnorr::SecretKey cr_admin() {
  return key(2);
}
inline core::schnorr::SecretKey epd_admin() {
  return key(3);
}
inline core::schnorr::SecretKey registrar() {
  return key(20);
}  // company.registrar (CR)
inline core::schnorr::SecretKey epd_issuer() {
  return key(30);
}  // anchor.issuer (EPD)
inline core::schnorr::SecretKey cr_issuer() {
  return key(31);
}  // anchor.issuer (CR)
inline core::schnorr::SecretKey stranger() {
  return key(40);
}

inline GenesisInput register_genesis() {
  GenesisInput in;
  in.chain_id = kChain;
  in.timestamp_ms = kNowMs;
  std::array<std::uint8_t, core::ed25519::kSeedSize> seed{};
  seed[0] = 7;
  in.validators.validators.push_back(
      chain::ValidatorInfo{core::ed25519::SecretKey::from_seed(seed).public_key(), 1, "v1"});
  in.departments.push_back({"IPD", "Intellectual Property Department", ipd_admin().public_key()});
  in.departments.push_back({"CR", "Companies Registry", cr_admin().public_key()});
  in.departments.push_back(
      {"EPD", "Environmental Protection Department", epd_admin().public_key()});
  in.roles.push_back({"CR", "company.registrar", account_of(registrar())});
  in.roles.push_back({"EPD", "anchor.issuer", account_of(epd_issuer())});
  in.roles.push_back({"CR", "anchor.issuer", account_of(cr_issuer())});
  return in;
}

// Unix ms of `hour`:`minute` Hong Kong time (UTC+8) on `d`.
inline std::uint64_t hk_ms(const company::Date& d, std::uint64_t hour = 10,
                           std::uint64_t minute = 0) {
  return static_cast<std::uint64_t>(d.days()) * 86'400'000ULL + hour * 3'600'000ULL +
         minute * 60'000ULL - 8ULL * 3'600'000ULL;
}

struct Outcome {
  chain::TxOutcome outcome = chain::TxOutcome::kSuccess;
  std::string reason;
  std::string detail;
  std::vector<Event> events;
  bool ok() const { return outcome == chain::TxOutcome::kSuccess; }
};

class Chain {
 public:
  explicit Chain(const GenesisInput& genesis = register_genesis()) {
    modules_.register_with(executor_);
    auto writes = genesis_writes(modules_, genesis);
    EXPECT_TRUE(writes.has_value()) << writes.error().to_string();
    state_.apply(*writes);
  }

  void at(std::uint64_t ms) { now_ms_ = ms; }
  void at(const company::Date& d, std::uint64_t hour = 10, std::uint64_t minute = 0) {
    now_ms_ = hk_ms(d, hour, minute);
  }
  std::uint64_t now() const { return now_ms_; }

  chain::IdentifiedTransaction tx(const core::schnorr::SecretKey& k, std::string module,
                                  std::string call, core::Bytes payload) {
    const core::AccountId id = account_of(k);
    return make_tx(k, id, sequence_[id]++, std::move(module), std::move(call), std::move(payload),
                   now_ms_ + 3'600'000);
  }

  // Executes and commits one block at the current time.
  ExecutedBlock block(const std::vector<chain::IdentifiedTransaction>& txs) {
    const BlockContext ctx{kChain, ++height_, now_ms_, version_};
    auto r = executor_.execute_block(ctx, txs, state_);
    EXPECT_TRUE(r) << r.error().to_string();
    EXPECT_TRUE(*r) << r->error().why.to_string();
    ExecutedBlock b = std::move(*r).value();
    state_.apply(b.writes);
    version_ += txs.size();
    blocks_.push_back(b);
    return b;
  }

  // One call in its own block.
  Outcome call(const core::schnorr::SecretKey& k, std::string module, std::string call,
               core::Bytes payload) {
    ExecutedBlock b = block({tx(k, std::move(module), std::move(call), std::move(payload))});
    const ExecutedTransaction& t = b.transactions.at(0);
    return Outcome{t.info.outcome, t.reason, t.detail, t.events};
  }

  // Admission (the module's check) of a call at the current time.
  core::Verdict admit(const core::schnorr::SecretKey& k, std::string module, std::string call,
                      core::Bytes payload) {
    const core::AccountId id = account_of(k);
    auto t = make_tx(k, id, sequence_[id], std::move(module), std::move(call), std::move(payload),
                     now_ms_ + 3'600'000);
    auto r = executor_.check_transaction(BlockContext{kChain, height_ + 1, now_ms_, version_}, t,
                                         state_, {});
    EXPECT_TRUE(r);
    return *r;
  }

  QueryAnswer query(const std::string& path) {
    auto r = executor_.query(path, state_);
    EXPECT_TRUE(r) << path;
    EXPECT_TRUE(*r) << path << ": " << r->error().to_string();
    return **r;
  }
  bool query_refused(const std::string& path) {
    auto r = executor_.query(path, state_);
    return r && !*r;
  }

  template <class T>
  std::optional<T> record(const std::string& path) {
    QueryAnswer a = query(path);
    if (!a.value) return std::nullopt;
    auto v = core::decode<T>(*a.value);
    EXPECT_TRUE(v);
    return std::move(*v);
  }

  const MemoryState& state() const { return state_; }
  MemoryState& state() { return state_; }
  const std::vector<ExecutedBlock>& blocks() const { return blocks_; }

  // A StateView over committed state in `module`, for the library functions.
  template <class F>
  auto with_view(std::string module, F f) {
    StateOverlay overlay(state_);
    OverlayStateView view(std::move(module), overlay);
    return f(static_cast<const StateView&>(view));
  }

 private:
  ModuleSet modules_;
  Executor executor_;
  MemoryState state_;
  std::map<core::AccountId, std::uint64_t> sequence_;
  std::uint64_t height_ = 0;
  std::uint64_t version_ = 0;
  std::uint64_t now_ms_ = kNowMs;
  std::vector<ExecutedBlock> blocks_;
};

}  // namespace bauhinia::contracts::testing
