#pragma once
// A chain for the system module's tests: five departments (IPD, CR, DH, EPD,
// OGCIO, admins key(1)..key(5)), four validators, the real ModuleSet and
// Executor over MemoryState; one block per call unless batched.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "../test_util.hpp"
#include "bauhinia/contracts/genesis.hpp"
#include "bauhinia/contracts/index_list.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/system/evidence.hpp"
#include "bauhinia/contracts/system/module.hpp"
#include "bauhinia/contracts/system/proposals.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/contracts/system/roles.hpp"

namespace bauhinia::contracts::system::testing {

using namespace contracts::testing;  // NOLINT(google-build-using-namespace)
using chain::TxOutcome;

inline constexpr const char* kCodes[] = {"IPD", "CR", "DH", "EPD", "OGCIO"};
inline constexpr std::uint64_t kDay = 24ULL * 3'600'000ULL;

inline core::ed25519::SecretKey node_key(std::uint32_t n) {
  std::array<std::uint8_t, core::ed25519::kSeedSize> seed{};
  seed[0] = 0xB0;
  seed[30] = static_cast<std::uint8_t>(n >> 8);
  seed[31] = static_cast<std::uint8_t>(n);
  return core::ed25519::SecretKey::from_seed(seed);
}

inline GenesisInput five_departments(std::size_t validators = 4) {
  GenesisInput in;
  in.chain_id = kChain;
  in.timestamp_ms = kNowMs;
  for (std::size_t i = 0; i < validators; ++i) {
    in.validators.validators.push_back(chain::ValidatorInfo{
        node_key(static_cast<std::uint32_t>(i + 1)).public_key(), 1, "v" + std::to_string(i + 1)});
  }
  const char* names[] = {"Intellectual Property Department", "Companies Registry",
                         "Department of Health", "Environmental Protection Department",
                         "Office of the Government Chief Information Officer"};
  for (std::uint32_t i = 0; i < 5; ++i) {
    in.departments.push_back({kCodes[i], names[i], key(i + 1).public_key()});
  }
  return in;
}

struct Outcome {
  TxOutcome outcome = TxOutcome::kSuccess;
  std::string reason;
  std::string detail;
  std::vector<Event> events;
  WriteSet writes;
  bool ok() const { return outcome == TxOutcome::kSuccess; }
};

class Chain {
 public:
  explicit Chain(GenesisInput genesis = five_departments()) {
    modules_.register_with(executor_);
    auto writes = genesis_writes(modules_, genesis);
    EXPECT_TRUE(writes.has_value()) << writes.error().to_string();
    if (writes) state_.apply(*writes);
  }

  // A signed transaction of the account of `signer`, with its next sequence.
  chain::IdentifiedTransaction tx(const core::schnorr::SecretKey& signer, std::string call,
                                  Bytes payload, std::uint64_t expiry = 0) {
    const core::AccountId id = account_of(signer);
    return make_tx(signer, id, sequence_[id]++, "system", std::move(call), std::move(payload),
                   expiry == 0 ? now() + 3'600'000 : expiry);
  }

  // Executes one block of `txs`; the envelope must accept every one.
  std::vector<Outcome> block(const std::vector<chain::IdentifiedTransaction>& txs) {
    BlockContext ctx{kChain, height_, now(), version_, epoch_};
    auto r = executor_.execute_block(ctx, txs, state_);
    std::vector<Outcome> out;
    if (!r || !r->has_value()) {
      ADD_FAILURE() << "block refused";
      return out;
    }
    state_.apply((*r)->writes);
    for (const ExecutedTransaction& t : (*r)->transactions) {
      out.push_back({t.info.outcome, t.reason, t.detail, t.events, t.writes});
    }
    last_writes_ = (*r)->writes;
    height_ += 1;
    version_ += txs.size();
    time_ += 1000;
    return out;
  }

  Outcome call(const core::schnorr::SecretKey& signer, std::string name, Bytes payload) {
    auto r = block({tx(signer, std::move(name), std::move(payload))});
    return r.empty() ? Outcome{TxOutcome::kInvalidArgument, "no_block", "", {}, {}} : r[0];
  }
  template <class Args>
  Outcome call(const core::schnorr::SecretKey& signer, std::string name, const Args& args) {
    return call(signer, std::move(name), core::encode(args));
  }

  // The admission verdict (mempool/API) for a call, at the current state.
  core::Verdict admit(const core::schnorr::SecretKey& signer, std::string name, Bytes payload) {
    const core::AccountId id = account_of(signer);
    auto t = make_tx(signer, id, sequence_[id], "system", std::move(name), std::move(payload),
                     now() + 3'600'000);
    BlockContext ctx{kChain, height_, now(), version_, epoch_};
    auto v = executor_.check_transaction(ctx, t, state_, {});
    EXPECT_TRUE(v.has_value());
    return v ? *v : core::Verdict::accept();
  }

  // ---- Shortcuts ---------------------------------------------------------
  Outcome propose(std::uint32_t admin, ProposalKind kind, Bytes terms, std::uint64_t life = kDay) {
    return call(key(admin), "propose", ProposeArgs{kind, std::move(terms), now() + life});
  }
  Outcome approve(std::uint32_t admin, std::uint64_t id) {
    return call(key(admin), "approve", ProposalIdArgs{id});
  }

  // ---- Reads --------------------------------------------------------------
  template <class T>
  std::optional<T> record(const Bytes& record_key) const {
    StateOverlay overlay(state_);
    OverlayStateView view("system", overlay);
    auto bytes = view.read("system", record_key);
    if (!bytes) return std::nullopt;
    auto decoded = core::decode<T>(*bytes);
    EXPECT_TRUE(decoded.has_value());
    if (!decoded) return std::nullopt;
    return std::move(*decoded);
  }
  std::optional<ProposalRecord> proposal(std::uint64_t id) const {
    return record<ProposalRecord>(proposal_key(id));
  }
  chain::ValidatorSet validators() const {
    auto r = record<GovernedValidatorSet>(validator_set_key());
    return r ? r->set : chain::ValidatorSet{};
  }
  bool has(const core::AccountId& account, std::string_view role) const {
    StateOverlay overlay(state_);
    OverlayStateView view("system", overlay);
    return has_role(view, account, role);
  }
  core::Checked<QueryAnswer> query(std::string_view path) const {
    StateOverlay overlay(state_);
    OverlayStateView view("system", overlay);
    return modules_.find("system")->query(path, view);
  }

  std::uint64_t now() const { return kNowMs + time_; }
  void advance(std::uint64_t ms) { time_ += ms; }
  void set_epoch(std::uint64_t e) { epoch_ = e; }
  std::uint64_t height() const { return height_; }
  const MemoryState& state() const { return state_; }
  const ModuleSet& modules() const { return modules_; }
  const WriteSet& last_writes() const { return last_writes_; }

 private:
  ModuleSet modules_;
  Executor executor_;
  MemoryState state_;
  std::map<core::AccountId, std::uint64_t> sequence_;
  std::uint64_t height_ = 1;
  std::uint64_t version_ = 0;
  std::uint64_t time_ = 0;
  std::uint64_t epoch_ = 0;
  WriteSet last_writes_;
};

inline Bytes add_validator_terms(std::uint32_t n, std::string department = "OGCIO") {
  return core::encode(AddValidatorTerms{node_key(n).public_key(), "v" + std::to_string(n), 1,
                                        std::move(department)});
}
inline Bytes remove_validator_terms(std::uint32_t n) {
  return core::encode(RemoveValidatorTerms{node_key(n).public_key()});
}

}  // namespace bauhinia::contracts::system::testing
