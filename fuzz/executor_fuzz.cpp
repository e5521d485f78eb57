// Fuzzes contract calls through the real contracts::Executor with every
// module of the chain (contracts::ModuleSet), over a real genesis state.
//
// Genesis: the five pilot departments (IPD, CR, DH, EPD, OGCIO) with harness
// admin keys, and every grantable role held by a harness key (trademark and
// company registrars, the drugs, health and environment roles, an anchor
// issuer), plus two keys without roles. The input is a program: each
// transaction names one call of one module from the table below (accounts,
// system, trademark, company, health, drugs, environment, anchor), the
// signing key, the payload bytes (genuine encodings in the seed corpus, which
// the fuzzer mutates) and envelope faults (sequence gap or reuse, another
// sender, expired, broken signature, other chain); a block ends on request
// (the clock moves forward by a fuzzer-chosen amount, up to weeks, so
// deadlines pass) and at the end of the input.
//
// Oracles, for every block:
//  - no crash, leak or sanitizer report;
//  - determinism and the build/execute contract: executor A builds the block
//    from the candidates over state A; executor B (separately constructed
//    modules) executes exactly the included transactions over state B (built
//    separately from the same genesis): both succeed with byte-identical
//    transaction infos, per-transaction writes and events, block writes and
//    transactions root; after applying, the two states are identical;
//  - a left-out transaction has a real envelope fault (check_envelope agrees
//    over the state before the block when it is the first candidate);
//  - a transaction whose call failed changes nothing but its sender's account
//    record (the sequence it consumed); a successful one consumed it too;
//  - a transaction's info names its id and the next version.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/drugs/calls.hpp"
#include "bauhinia/contracts/environment/calls.hpp"
#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/contracts/genesis.hpp"
#include "bauhinia/contracts/health/calls.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/state_reader.hpp"
#include "bauhinia/contracts/trademark/calls.hpp"
#include "bauhinia/contracts/write_set.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/assert.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "fuzz_input.hpp"

namespace {

namespace ct = bauhinia::contracts;
namespace chain = bauhinia::chain;
namespace core = bauhinia::core;
using bauhinia::fuzz::FuzzInput;
using core::AccountId;

constexpr const char* kChain = "bauhinia-fuzz";
constexpr std::uint64_t kGenesisMs = 1'767'578'400'000ULL;  // 2026-01-05 10:00 HKT
constexpr std::size_t kMaxTransactions = 24;
constexpr std::size_t kMaxBlockTxs = 8;

struct Call {
  std::string module;
  std::string call;
};

std::vector<Call> make_calls() {
  std::vector<Call> out;
  auto add = [&](std::string_view module, auto&& names) {
    for (std::string_view n : names) out.push_back(Call{std::string(module), std::string(n)});
  };
  add("accounts", std::array<std::string_view, 2>{"ping", "rotate_key"});
  add("system", std::array<std::string_view, 7>{"grant_role", "revoke_role", "propose", "approve",
                                                "withdraw", "close_expired", "submit_evidence"});
  add("trademark", ct::trademark::kCalls);
  add("company",
      std::array<std::string_view, 15>{
          "incorporate", "register_existing", "annual_return", "change_officers", "change_office",
          "change_name", "apply_deregistration", "restore", "gazette_deregistration", "deregister",
          "strike_off_inquiry", "gazette_strike_off", "strike_off", "cancel_ending", "dissolve"});
  add("health", ct::health::kCalls);
  add("drugs", ct::drugs::kCalls);
  add("environment", ct::environment::kCalls);
  add("anchor", std::array<std::string_view, 2>{"anchor", "revoke"});
  return out;
}

const std::vector<Call>& calls() {
  static const std::vector<Call> c = make_calls();
  return c;
}

core::schnorr::SecretKey key(std::uint32_t n) {
  core::Bytes raw(32, 0);
  raw[0] = 0x6B;
  raw[31] = static_cast<std::uint8_t>(n + 1);
  return std::move(core::schnorr::SecretKey::from_bytes(raw)).value();
}

// Harness keys: 0..4 department admins, then role holders, then two without roles.
struct Party {
  const char* department;  // granting department (roles), or the admin's department
  const char* role;        // nullptr: a department admin or a plain account
};
constexpr std::array<Party, 20> kParties{{
    {"IPD", nullptr},
    {"CR", nullptr},
    {"DH", nullptr},
    {"EPD", nullptr},
    {"OGCIO", nullptr},
    {"IPD", "trademark.registrar"},
    {"CR", "company.registrar"},
    {"DH", "drugs.regulator"},
    {"DH", "drugs.manufacturer"},
    {"DH", "drugs.importer"},
    {"DH", "drugs.wholesaler"},
    {"DH", "drugs.dispenser"},
    {"DH", "health.issuer"},
    {"DH", "health.provider"},
    {"EPD", "environment.eia_officer"},
    {"EPD", "environment.waste_collector"},
    {"EPD", "environment.reception_point"},
    {"OGCIO", "anchor.issuer"},
    {nullptr, nullptr},
    {nullptr, nullptr},
}};

struct World {
  std::vector<core::schnorr::SecretKey> keys;
  ct::WriteSet genesis;

  World() {
    static constexpr std::array<std::pair<const char*, const char*>, 5> kDepartments{{
        {"IPD", "Intellectual Property Department"},
        {"CR", "Companies Registry"},
        {"DH", "Department of Health"},
        {"EPD", "Environmental Protection Department"},
        {"OGCIO", "Office of the Government Chief Information Officer"},
    }};
    for (std::uint32_t i = 0; i < kParties.size(); ++i) keys.push_back(key(i));
    ct::GenesisInput in;
    in.chain_id = kChain;
    in.timestamp_ms = kGenesisMs;
    std::array<std::uint8_t, core::ed25519::kSeedSize> seed{};
    seed[0] = 9;
    in.validators.epoch = 1;
    in.validators.validators.push_back(
        chain::ValidatorInfo{core::ed25519::SecretKey::from_seed(seed).public_key(), 1, "v0"});
    for (std::size_t i = 0; i < kDepartments.size(); ++i) {
      in.departments.push_back(
          {kDepartments[i].first, kDepartments[i].second, keys[i].public_key()});
    }
    for (std::size_t i = 0; i < kParties.size(); ++i) {
      if (kParties[i].role == nullptr) continue;
      in.roles.push_back(
          {kParties[i].department, kParties[i].role, core::account_id_of(keys[i].public_key())});
    }
    const ct::ModuleSet modules;
    auto writes = ct::genesis_writes(modules, in);
    BAUHINIA_ASSERT_MSG(writes.has_value(), "the fuzz genesis is valid");
    genesis = std::move(writes).value();
  }
};

const World& world() {
  static const World w;
  return w;
}

// One side of the determinism check: its own modules, executor and state.
struct Side {
  ct::ModuleSet modules;
  ct::Executor executor;
  ct::MemoryState state;
  Side() {
    modules.register_with(executor);
    state.apply(world().genesis);
  }
};

bool same(const ct::ExecutedTransaction& a, const ct::ExecutedTransaction& b) {
  if (a.id != b.id || !(a.info == b.info) || a.accounts != b.accounts) return false;
  if (ct::encode_write_set(a.writes) != ct::encode_write_set(b.writes)) return false;
  return a.events == b.events;
}

class Harness {
 public:
  explicit Harness(FuzzInput& in)
      : in_(in), a_(std::make_unique<Side>()), b_(std::make_unique<Side>()) {}

  void run() {
    std::size_t made = 0;
    while (!in_.empty() && made < kMaxTransactions) {
      const std::uint8_t op = in_.byte();
      if (op % 4 == 3 || candidates_.size() >= kMaxBlockTxs) {
        end_block(in_.byte());
        continue;
      }
      candidates_.push_back(make_tx());
      ++made;
    }
    end_block(0);
  }

 private:
  std::uint64_t next_sequence(const AccountId& id) const {
    auto it = next_.find(id);
    return it == next_.end() ? 0 : it->second;
  }

  chain::IdentifiedTransaction make_tx() {
    const World& w = world();
    const Call& c = calls()[in_.byte() % calls().size()];
    const std::size_t signer = in_.byte() % w.keys.size();
    const std::uint8_t faults = in_.byte();
    core::Bytes payload = in_.bytes(4096);
    chain::Transaction tx;
    tx.chain_id = (faults & 0x20) != 0 ? "other-chain" : kChain;
    const std::size_t sender_index = (faults & 0x04) != 0 ? (signer + 1) % w.keys.size() : signer;
    tx.sender = core::account_id_of(w.keys[sender_index].public_key());
    tx.public_key = w.keys[signer].public_key();
    const std::uint64_t next = next_sequence(tx.sender) + planned_[tx.sender];
    tx.sequence = next;
    if ((faults & 0x01) != 0) tx.sequence = next + 1;
    if ((faults & 0x02) != 0 && next > 0) tx.sequence = next - 1;
    tx.expiry_ms = (faults & 0x08) != 0 ? now_ms_ : now_ms_ + 3'600'000;
    tx.module = c.module;
    tx.call = c.call;
    tx.payload = std::move(payload);
    std::array<std::uint8_t, 32> aux{};
    tx.sign(w.keys[signer], aux);
    if ((faults & 0x10) != 0) tx.signature.bytes[faults % 64] ^= 0x40;
    if ((faults & 0x3f) == 0) planned_[tx.sender] += 1;  // expected to be included
    return chain::IdentifiedTransaction::of(std::move(tx));
  }

  // BAUHINIA_FUZZ_VERBOSE=1: each executed transaction's outcome (to check seeds).
  static bool verbose() {
    static const bool v = std::getenv("BAUHINIA_FUZZ_VERBOSE") != nullptr;
    return v;
  }

  void end_block(std::uint8_t advance) {
    planned_.clear();
    if (candidates_.empty()) {
      now_ms_ += std::uint64_t{advance} * 3'600'000;
      return;
    }
    ++height_;
    now_ms_ += 1000 + std::uint64_t{advance} * 3'600'000;  // up to ~10 days per block
    const ct::BlockContext ctx{kChain, height_, now_ms_, version_, 1};

    // The first candidate alone: check_envelope decides exactly whether it is left out.
    auto first = a_->executor.check_envelope(ctx, candidates_.front(), a_->state);
    BAUHINIA_ASSERT_MSG(first.has_value(), "memory state read failed");

    auto built = a_->executor.build_block(ctx, candidates_, a_->state);
    BAUHINIA_ASSERT_MSG(built.has_value(), "build_block failed on a memory state");
    const ct::BuiltBlock& bb = *built;
    BAUHINIA_ASSERT_MSG(bb.included.size() + bb.left_out.size() == candidates_.size(),
                        "every candidate included or left out");
    const bool first_included = !bb.included.empty() && bb.included.front() == 0;
    BAUHINIA_ASSERT_MSG(first_included == !first->has_value(),
                        "check_envelope and build_block disagree on the first candidate");

    std::vector<chain::IdentifiedTransaction> included;
    for (std::size_t i : bb.included) included.push_back(candidates_[i]);
    auto executed = b_->executor.execute_block(ctx, included, b_->state);
    BAUHINIA_ASSERT_MSG(executed.has_value(), "execute_block failed on a memory state");
    BAUHINIA_ASSERT_MSG(executed->has_value(), "the built block's transactions were refused");
    const ct::ExecutedBlock& eb = **executed;

    BAUHINIA_ASSERT_MSG(eb.transactions.size() == bb.block.transactions.size(),
                        "built and executed blocks differ in size");
    BAUHINIA_ASSERT_MSG(eb.transactions_root == bb.block.transactions_root,
                        "transactions root not deterministic");
    BAUHINIA_ASSERT_MSG(ct::encode_write_set(eb.writes) == ct::encode_write_set(bb.block.writes),
                        "block writes not deterministic");
    for (std::size_t i = 0; i < eb.transactions.size(); ++i) {
      const ct::ExecutedTransaction& t = eb.transactions[i];
      BAUHINIA_ASSERT_MSG(same(t, bb.block.transactions[i]), "a transaction's execution differs");
      BAUHINIA_ASSERT_MSG(t.id == included[i].id && t.info.version == version_ + i,
                          "transaction info names another transaction or version");
      const AccountId& sender = included[i].tx.sender;
      const core::Bytes account_key = ct::accounts::account_record_key(sender);
      bool touched_account = false;
      for (const auto& [k, wr] : t.writes) {
        const bool is_account = wr.module == "accounts" && wr.record_key == account_key;
        touched_account = touched_account || is_account;
        if (t.info.outcome != chain::TxOutcome::kSuccess) {
          BAUHINIA_ASSERT_MSG(is_account, "a failed call changed state beyond its sequence");
        }
      }
      BAUHINIA_ASSERT_MSG(touched_account, "a transaction did not consume its sequence");
      next_[sender] = included[i].tx.sequence + 1;
      if (verbose()) {
        std::fprintf(stderr, "tx %s.%s outcome %u %s\n", included[i].tx.module.c_str(),
                     included[i].tx.call.c_str(), static_cast<unsigned>(t.info.outcome),
                     t.reason.c_str());
      }
    }
    a_->state.apply(bb.block.writes);
    b_->state.apply(eb.writes);
    BAUHINIA_ASSERT_MSG(a_->state.values() == b_->state.values(), "the two states diverged");
    version_ += eb.transactions.size();
    candidates_.clear();
  }

  FuzzInput& in_;
  std::unique_ptr<Side> a_;
  std::unique_ptr<Side> b_;
  std::vector<chain::IdentifiedTransaction> candidates_;
  std::map<AccountId, std::uint64_t> next_;
  std::map<AccountId, std::uint64_t> planned_;  // sequences used by earlier candidates
  std::uint64_t now_ms_ = kGenesisMs + 60'000;
  std::uint64_t height_ = 0;
  std::uint64_t version_ = 1;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  Harness h(in);
  h.run();
  return 0;
}
