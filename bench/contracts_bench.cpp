// Execution cost of ONE transaction of each call kind through the real
// contracts::Executor with every module of the chain (ModuleSet), over a
// MemoryState that already holds 10,000 companies and 10,000 registered trade
// marks (so index lists and reads are not trivially small). Each iteration
// executes a fresh, valid call (new numbers, ids, sequences) as a block of one
// transaction and commits its writes; only execute_block() is timed, and a
// call that does not succeed aborts the benchmark. Arg 0: the signature is
// known valid (ExecutorConfig::signature_verified, as in the node); arg 1: the
// executor verifies it (one BIP-340 check). Figures and the command:
// docs/performance.md, "Execution cost per call kind (issue 10)".

#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/anchor/module.hpp"
#include "bauhinia/contracts/company/calls.hpp"
#include "bauhinia/contracts/cosignature.hpp"
#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/contracts/genesis.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/system/proposals.hpp"
#include "bauhinia/contracts/system/roles.hpp"
#include "bauhinia/contracts/trademark/calls.hpp"
#include "bauhinia/contracts/trademark/module.hpp"
#include "bauhinia/core/ed25519.hpp"

namespace bauhinia {
namespace {

namespace ct = contracts;
namespace co = contracts::company;
namespace tmk = contracts::trademark;
namespace sy = contracts::system;
using chain::IdentifiedTransaction;
using core::Bytes;
using core::schnorr::SecretKey;

constexpr const char* kChain = "bauhinia-bench-1";
constexpr std::uint64_t kDayMs = 86'400'000ULL;
constexpr std::uint32_t kCompanies = 10'000;
constexpr std::uint32_t kMarks = 10'000;
constexpr std::uint32_t kOwners = 64;
constexpr std::size_t kSetupBlock = 500;
// Each iteration consumes a fresh record (a mark to renew, a company's
// return, ...), so every benchmark runs a fixed number of iterations:
// 2 arguments x 5 repetitions x 400 fits the pools below (4,000 marks to
// renew, 4,000 to divide). The benchmarks share one chain but each uses its
// own records, so repetitions may be interleaved
// (--benchmark_enable_random_interleaving) to spread a machine's load
// changes over all of them.
constexpr std::int64_t kIterations = 400;
constexpr int kRepetitions = 5;

SecretKey key(std::uint32_t n) {
  core::Bytes raw(32, 0);
  raw[0] = 0x66;
  raw[28] = static_cast<std::uint8_t>(n >> 24);
  raw[29] = static_cast<std::uint8_t>(n >> 16);
  raw[30] = static_cast<std::uint8_t>(n >> 8);
  raw[31] = static_cast<std::uint8_t>(n);
  return std::move(core::schnorr::SecretKey::from_bytes(raw)).value();
}

core::AccountId account_of(const SecretKey& k) {
  return core::account_id_of(k.public_key());
}

// An account id that needs no key (companies' own accounts, role grantees).
core::AccountId synthetic_account(std::uint8_t tag, std::uint32_t n) {
  core::AccountId a;
  a.bytes.fill(tag);
  for (int i = 0; i < 4; ++i) a.bytes[28 + i] = static_cast<std::uint8_t>(n >> (24 - 8 * i));
  return a;
}

core::Hash256 hash_of(std::uint8_t tag, std::uint32_t n) {
  core::Hash256 h;
  h.bytes().fill(tag);
  for (int i = 0; i < 4; ++i) h.bytes()[i] = static_cast<std::uint8_t>(n >> (24 - 8 * i));
  return h;
}

// n as letters ("Bcd" for 123): names that stay distinct after the
// Registry's normalisation.
std::string word(std::uint32_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (char d : digits) out.push_back(static_cast<char>((out.empty() ? 'A' : 'a') + (d - '0')));
  return out;
}

// Unix ms of 10:00 Hong Kong time on `d`.
std::uint64_t hk_ms(const co::Date& d) {
  return static_cast<std::uint64_t>(d.days()) * kDayMs + 2ULL * 3'600'000ULL;
}

const std::array<const char*, 5> kDepartments{"IPD", "CR", "DH", "EPD", "OGCIO"};

struct Keys {
  std::vector<SecretKey> admins;  // kDepartments' admins
  SecretKey tm_registrar = key(10);
  SecretKey cr_registrar = key(11);
  SecretKey anchor_issuer = key(12);  // EPD
  SecretKey pinger = key(13);
  std::vector<SecretKey> owners;  // trade mark owners
  std::vector<core::AccountId> owner_ids;
  Keys() {
    for (std::uint32_t i = 0; i < kDepartments.size(); ++i) admins.push_back(key(1 + i));
    for (std::uint32_t i = 0; i < kOwners; ++i) {
      owners.push_back(key(1000 + i));
      owner_ids.push_back(account_of(owners.back()));
    }
  }
};

const Keys& keys() {
  static const Keys k;
  return k;
}

co::OfficerArgs director(std::uint32_t n, std::uint8_t salt_tag) {
  co::OfficerArgs o;
  o.role = co::OfficerRole::kDirector;
  o.name_en = "CHAN " + word(n);
  o.name_zh = "陳大文";
  o.partial_id = "A123***(*)";
  o.correspondence_address = "Flat A, 12/F, 8 Harbour Road, Wan Chai, Hong Kong";
  co::Salt salt{};
  salt.fill(salt_tag);
  salt[0] = static_cast<std::uint8_t>(n);
  o.id_number_commitment = co::commit_field(salt, "A1234567");
  salt[1] = 0x01;
  o.residential_address_commitment = co::commit_field(salt, "Flat 3, 1 Shan Road, Kowloon");
  return o;
}

co::IncorporateArgs incorporation(std::uint32_t number, std::string name_en, std::uint32_t n) {
  co::IncorporateArgs a;
  a.number = std::to_string(number);
  a.name_en = std::move(name_en);
  a.type = co::CompanyType::kPrivateLimitedByShares;
  a.registered_office = "Room 1201, 88 Queensway, Admiralty, Hong Kong";
  a.account = synthetic_account(0xC0, n);
  a.document_hash = hash_of(0x11, n);
  a.officers.push_back(director(n, 0x21));
  a.officers.push_back(director(n + 1, 0x22));
  return a;
}

tmk::Party owner_party(std::uint32_t owner) {
  return tmk::Party{keys().owner_ids[owner], "Owner " + word(owner) + " Trading", "", ""};
}

tmk::FileArgs filing(std::string number, std::uint32_t owner, std::uint64_t filing_ms) {
  tmk::FileArgs a;
  a.number = std::move(number);
  a.text_en = "HARBOUR LANTERN";
  a.text_zh = "港燈籠";
  a.image_hash = hash_of(0x42, owner);
  a.applicant = owner_party(owner);
  a.classes = {{29, {"preserved fruits", "dried meat"}},
               {30, {"tea", "mooncakes", "rice crackers"}},
               {43, {"restaurant services", "catering"}}};
  a.filing_date_ms = filing_ms;
  return a;
}

std::string mark_number(std::uint32_t i) {
  return std::to_string(301'000'000U + i);
}

[[noreturn]] void setup_failed(const std::string& what) {
  std::fprintf(stderr, "contracts_bench setup failed: %s\n", what.c_str());
  std::exit(1);
}

// One chain, shared by every benchmark (each uses its own records), advanced
// block by block.
class Chain {
 public:
  Chain() {
    ct::ExecutorConfig fast;
    fast.signature_verified = [](const core::Hash256&) { return true; };
    fast_.emplace(fast);
    verifying_.emplace(ct::ExecutorConfig{});
    modules_.register_with(*fast_);
    modules_.register_with(*verifying_);
    build();
  }

  const ct::Executor& executor(bool verify) const { return verify ? *verifying_ : *fast_; }
  const ct::MemoryState& state() const { return state_; }
  std::uint64_t now() const { return now_ms_; }
  ct::BlockContext context() const {
    return ct::BlockContext{kChain, height_ + 1, now_ms_, version_};
  }

  // An unsigned call of `k` at its next sequence (consumed: it must be executed).
  chain::Transaction draft(const SecretKey& k, std::string module, std::string call,
                           Bytes payload = {}) {
    chain::Transaction tx;
    tx.chain_id = kChain;
    tx.sender = account_of(k);
    tx.public_key = k.public_key();
    tx.sequence = sequences_[tx.sender]++;
    tx.expiry_ms = now_ms_ + 3'600'000;
    tx.module = std::move(module);
    tx.call = std::move(call);
    tx.payload = std::move(payload);
    return tx;
  }
  static IdentifiedTransaction sign(chain::Transaction tx, const SecretKey& k) {
    std::array<std::uint8_t, 32> aux{};
    aux[0] = 0xA5;
    tx.sign(k, aux);
    return IdentifiedTransaction::of(std::move(tx));
  }
  IdentifiedTransaction tx(const SecretKey& k, std::string module, std::string call,
                           Bytes payload) {
    return sign(draft(k, std::move(module), std::move(call), std::move(payload)), k);
  }
  template <class Terms>
  IdentifiedTransaction cosigned(const SecretKey& sender, std::string call, const Terms& terms,
                                 const SecretKey& cosigner) {
    chain::Transaction t = draft(sender, "trademark", std::move(call));
    ct::Cosigned<Terms> p{terms, {}};
    p.cosignatures.push_back(ct::cosign(t, core::encode(terms), cosigner));
    t.payload = core::encode(p);
    return sign(std::move(t), sender);
  }

  void commit(const ct::ExecutedBlock& b, std::size_t n) {
    state_.apply(b.writes);
    height_ += 1;
    version_ += n;
    now_ms_ += 1000;
  }

  // Executes and commits a block whose calls must all succeed; "" or why not.
  std::string run(const std::vector<IdentifiedTransaction>& txs) {
    auto r = fast_->execute_block(context(), txs, state_);
    if (!r) return "execute_block: " + r.error().to_string();
    if (!*r) return "block rejected: " + r->error().why.to_string();
    for (const auto& t : (*r)->transactions) {
      if (t.info.outcome != chain::TxOutcome::kSuccess) return t.reason + ": " + t.detail;
    }
    commit(**r, txs.size());
    return "";
  }

  // Records consumed by the benchmarks (each its own range, see build()).
  std::uint32_t counter = 0;              // fresh numbers, ids, names
  std::uint32_t returns_filed = 0;        // company.annual_return
  std::uint32_t names_changed = 0;        // company.change_name
  std::uint32_t renewed = 0;              // marks 0..3999
  std::uint32_t partially_assigned = 0;   // marks 4000..7999
  std::uint32_t whole_assigned = 0;       // marks 8000..9999, cycled
  std::uint32_t licensed = 0;             // marks 8000..9999, cycled
  std::vector<std::uint32_t> mark_owner;  // owner index of each preloaded mark
  std::uint64_t last_proposal_id = 0;
  std::uint64_t open_proposal_id = 0;  // 0: none
  std::uint64_t extension_days = 62;   // trademark.opposition_extension_days

 private:
  void build() {
    const Keys& k = keys();
    ct::GenesisInput in;
    in.chain_id = kChain;
    const co::Date incorporation_day{2026, 1, 15};
    now_ms_ = hk_ms(incorporation_day);
    in.timestamp_ms = now_ms_ - kDayMs;
    std::array<std::uint8_t, core::ed25519::kSeedSize> seed{};
    seed[0] = 7;
    in.validators.validators.push_back(
        chain::ValidatorInfo{core::ed25519::SecretKey::from_seed(seed).public_key(), 1, "v1"});
    for (std::size_t i = 0; i < kDepartments.size(); ++i) {
      in.departments.push_back({kDepartments[i], std::string(kDepartments[i]) + " department",
                                k.admins[i].public_key()});
    }
    in.roles.push_back({"IPD", "trademark.registrar", account_of(k.tm_registrar)});
    in.roles.push_back({"CR", "company.registrar", account_of(k.cr_registrar)});
    in.roles.push_back({"EPD", "anchor.issuer", account_of(k.anchor_issuer)});
    auto genesis = ct::genesis_writes(modules_, in);
    if (!genesis) setup_failed("genesis: " + genesis.error().to_string());
    state_.apply(*genesis);

    std::vector<IdentifiedTransaction> block;
    auto flush = [&](bool force) {
      if (block.empty() || (!force && block.size() < kSetupBlock)) return;
      if (std::string e = run(block); !e.empty()) setup_failed(e);
      block.clear();
    };
    // 10,000 live companies incorporated on 2026-01-15, two directors each.
    for (std::uint32_t i = 0; i < kCompanies; ++i) {
      block.push_back(tx(k.cr_registrar, "company", "incorporate",
                         core::encode(incorporation(
                             1'000'000 + i, "Harbour " + word(i) + " Trading Limited", i))));
      flush(false);
    }
    flush(true);
    // 10,000 marks filed the day before, taken to registration.
    for (std::uint32_t i = 0; i < kMarks; ++i) {
      mark_owner.push_back(i % kOwners);
      block.push_back(tx(k.tm_registrar, "trademark", "file",
                         core::encode(filing(mark_number(i), i % kOwners, now_ms_ - kDayMs))));
      flush(false);
    }
    flush(true);
    for (const char* step : {"examine", "accept", "publish"}) {
      for (std::uint32_t i = 0; i < kMarks; ++i) {
        block.push_back(
            tx(k.tm_registrar, "trademark", step, core::encode(tmk::MarkArgs{mark_number(i)})));
        flush(false);
      }
      flush(true);
    }
    const tmk::MarkRecord first = mark(mark_number(0));
    now_ms_ = first.opposition_deadline_ms;
    for (std::uint32_t i = 0; i < kMarks; ++i) {
      block.push_back(
          tx(k.tm_registrar, "trademark", "register", core::encode(tmk::MarkArgs{mark_number(i)})));
      flush(false);
    }
    flush(true);
    // The benchmarks run 25 days before the marks expire (their renewal
    // window is open), in December 2035: each company has nine annual
    // returns outstanding (2027..2035).
    now_ms_ = mark(mark_number(0)).expiry_ms - 25 * kDayMs;
    std::fprintf(stderr, "contracts_bench: %zu records in state after %llu setup blocks\n",
                 state_.size(), static_cast<unsigned long long>(height_));
  }

  tmk::MarkRecord mark(const std::string& number) const {
    auto key = chain::state_key(tmk::kModuleName, tmk::mark_key(number));
    if (!key) setup_failed("state key");
    auto bytes = state_.read(*key);
    if (!bytes || !*bytes) setup_failed("no mark " + number);
    auto m = core::decode<tmk::MarkRecord>(**bytes);
    if (!m) setup_failed("mark record");
    return *m;
  }

  ct::ModuleSet modules_;
  std::optional<ct::Executor> fast_;
  std::optional<ct::Executor> verifying_;
  ct::MemoryState state_;
  std::map<core::AccountId, std::uint64_t> sequences_;
  std::uint64_t height_ = 0;
  std::uint64_t version_ = 0;
  std::uint64_t now_ms_ = 0;
};

Chain& the_chain() {
  static Chain c;
  return c;
}

// Builds the iteration's call (running any untimed prerequisite calls first);
// nullopt with `error` set when a prerequisite failed.
using MakeCall = std::function<std::optional<IdentifiedTransaction>(Chain&, std::string& error)>;

void run_calls(benchmark::State& state, const MakeCall& make) {
  Chain& ch = the_chain();
  const ct::Executor& executor = ch.executor(state.range(0) != 0);
  std::size_t writes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::string error;
    std::optional<IdentifiedTransaction> tx = make(ch, error);
    const ct::BlockContext ctx = ch.context();
    if (tx) {
      state.ResumeTiming();
      auto r =
          executor.execute_block(ctx, std::span<const IdentifiedTransaction>(&*tx, 1), ch.state());
      state.PauseTiming();
      if (!r) {
        error = "execute_block: " + r.error().to_string();
      } else if (!*r) {
        error = "block rejected: " + r->error().why.to_string();
      } else if (const auto& t = (*r)->transactions.at(0);
                 t.info.outcome != chain::TxOutcome::kSuccess) {
        error = "call failed: " + t.reason + ": " + t.detail;
      } else {
        writes += t.writes.size();
        ch.commit(**r, 1);
      }
    }
    state.ResumeTiming();
    if (!error.empty()) {
      state.SkipWithError(error.c_str());
      break;
    }
  }
  if (state.iterations() > 0) {
    state.counters["writes"] =
        static_cast<double>(writes) / static_cast<double>(state.iterations());
  }
}

#define BAUHINIA_CALL_BENCH(fn)     \
  BENCHMARK(fn)                     \
      ->Arg(0)                      \
      ->Arg(1)                      \
      ->Iterations(kIterations)     \
      ->Repetitions(kRepetitions)   \
      ->DisplayAggregatesOnly(true) \
      ->Unit(benchmark::kMicrosecond)

// Runs `txs` untimed; false with `error` when one failed.
bool prerequisite(Chain& ch, const std::vector<IdentifiedTransaction>& txs, std::string& error) {
  error = ch.run(txs);
  if (!error.empty()) error = "prerequisite: " + error;
  return error.empty();
}

// ---- accounts ---------------------------------------------------------------------

void BM_AccountsPing(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string&) -> std::optional<IdentifiedTransaction> {
    ct::accounts::PingArgs args;
    args.memo.assign(16, 0x42);
    return ch.tx(keys().pinger, "accounts", "ping", core::encode(args));
  });
}
BAUHINIA_CALL_BENCH(BM_AccountsPing);

// ---- system -----------------------------------------------------------------------

// The IPD admin's proposal to set trademark.opposition_extension_days.
IdentifiedTransaction proposal(Chain& ch, std::uint64_t value) {
  sy::ProposeArgs p;
  p.kind = sy::ProposalKind::kSetParameter;
  p.terms = core::encode(sy::SetParameterTerms{"trademark.opposition_extension_days", value});
  p.expiry_ms = ch.now() + 7 * kDayMs;
  return ch.tx(keys().admins[0], "system", "propose", core::encode(p));
}

// Withdraws the proposal left open by the previous iteration.
bool withdraw_open(Chain& ch, std::string& error) {
  if (ch.open_proposal_id == 0) return true;
  const std::uint64_t id = ch.open_proposal_id;
  ch.open_proposal_id = 0;
  return prerequisite(
      ch, {ch.tx(keys().admins[0], "system", "withdraw", core::encode(sy::ProposalIdArgs{id}))},
      error);
}

void BM_SystemGrantRole(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string&) -> std::optional<IdentifiedTransaction> {
    sy::RoleArgs a{synthetic_account(0xA0, ++ch.counter), "trademark.registrar"};
    return ch.tx(keys().admins[0], "system", "grant_role", core::encode(a));
  });
}
BAUHINIA_CALL_BENCH(BM_SystemGrantRole);

void BM_SystemPropose(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string& error) -> std::optional<IdentifiedTransaction> {
    if (!withdraw_open(ch, error)) return std::nullopt;
    ch.open_proposal_id = ++ch.last_proposal_id;
    return proposal(ch, ch.extension_days + 1);
  });
}
BAUHINIA_CALL_BENCH(BM_SystemPropose);

// The second department's approval (2 of 5: not yet more than two thirds).
void BM_SystemApprove(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string& error) -> std::optional<IdentifiedTransaction> {
    if (!withdraw_open(ch, error)) return std::nullopt;
    if (!prerequisite(ch, {proposal(ch, ch.extension_days + 1)}, error)) return std::nullopt;
    ch.open_proposal_id = ++ch.last_proposal_id;
    return ch.tx(keys().admins[1], "system", "approve",
                 core::encode(sy::ProposalIdArgs{ch.open_proposal_id}));
  });
}
BAUHINIA_CALL_BENCH(BM_SystemApprove);

// The fourth department's approval (4 of 5 > two thirds): the proposal passes
// and the parameter changes in this call.
void BM_SystemApprovePassing(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string& error) -> std::optional<IdentifiedTransaction> {
    if (!withdraw_open(ch, error)) return std::nullopt;
    const std::uint64_t value = ch.extension_days == 62 ? 63 : 62;
    if (!prerequisite(ch, {proposal(ch, value)}, error)) return std::nullopt;
    const std::uint64_t id = ++ch.last_proposal_id;
    const Bytes approve = core::encode(sy::ProposalIdArgs{id});
    if (!prerequisite(ch,
                      {ch.tx(keys().admins[1], "system", "approve", approve),
                       ch.tx(keys().admins[2], "system", "approve", approve)},
                      error)) {
      return std::nullopt;
    }
    ch.extension_days = value;
    return ch.tx(keys().admins[3], "system", "approve", approve);
  });
}
BAUHINIA_CALL_BENCH(BM_SystemApprovePassing);

// ---- company ----------------------------------------------------------------------

void BM_CompanyIncorporate(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string&) -> std::optional<IdentifiedTransaction> {
    const std::uint32_t n = ++ch.counter;
    return ch.tx(keys().cr_registrar, "company", "incorporate",
                 core::encode(incorporation(
                     2'000'000 + n, "Lantern " + word(n) + " Holdings Limited", 100'000 + n)));
  });
}
BAUHINIA_CALL_BENCH(BM_CompanyIncorporate);

// A preloaded company's outstanding annual return (late: filed in 2035).
void BM_CompanyAnnualReturn(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string&) -> std::optional<IdentifiedTransaction> {
    const std::uint32_t n = ch.returns_filed++;
    const co::Date return_date{static_cast<std::uint16_t>(2027 + n / kCompanies), 1, 15};
    co::AnnualReturnArgs a{std::to_string(1'000'000 + n % kCompanies), return_date,
                           hash_of(0x31, n)};
    return ch.tx(keys().cr_registrar, "company", "annual_return", core::encode(a));
  });
}
BAUHINIA_CALL_BENCH(BM_CompanyAnnualReturn);

void BM_CompanyChangeName(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string&) -> std::optional<IdentifiedTransaction> {
    const std::uint32_t n = ch.names_changed++;
    co::ChangeNameArgs a{std::to_string(1'000'000 + n % kCompanies), co::Date{2035, 12, 10},
                         hash_of(0x32, n), "Harbour " + word(n) + " Freight Limited", ""};
    return ch.tx(keys().cr_registrar, "company", "change_name", core::encode(a));
  });
}
BAUHINIA_CALL_BENCH(BM_CompanyChangeName);

// ---- trademark --------------------------------------------------------------------

void BM_TrademarkFile(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string&) -> std::optional<IdentifiedTransaction> {
    const std::uint32_t n = ++ch.counter;
    return ch.tx(
        keys().tm_registrar, "trademark", "file",
        core::encode(filing(std::to_string(302'000'000U + n), n % kOwners, ch.now() - kDayMs)));
  });
}
BAUHINIA_CALL_BENCH(BM_TrademarkFile);

// filed -> examination, of a mark filed (untimed) just before.
void BM_TrademarkExamine(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string& error) -> std::optional<IdentifiedTransaction> {
    const std::string number = std::to_string(303'000'000U + ++ch.counter);
    const auto& k = keys();
    if (!prerequisite(ch,
                      {ch.tx(k.tm_registrar, "trademark", "file",
                             core::encode(filing(number, 0, ch.now() - kDayMs)))},
                      error)) {
      return std::nullopt;
    }
    return ch.tx(k.tm_registrar, "trademark", "examine", core::encode(tmk::MarkArgs{number}));
  });
}
BAUHINIA_CALL_BENCH(BM_TrademarkExamine);

void BM_TrademarkRenew(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string& error) -> std::optional<IdentifiedTransaction> {
    const std::uint32_t i = ch.renewed++;
    if (i >= 4000) {
      error = "no mark left to renew";
      return std::nullopt;
    }
    return ch.tx(keys().tm_registrar, "trademark", "renew",
                 core::encode(tmk::MarkArgs{mark_number(i)}));
  });
}
BAUHINIA_CALL_BENCH(BM_TrademarkRenew);

// Registrar's call co-signed by the assignor (one BIP-340 check in the module,
// in both figures).
IdentifiedTransaction assignment(Chain& ch, std::uint32_t i, std::vector<tmk::ClassSpec> scope) {
  const auto& k = keys();
  const std::uint32_t from = ch.mark_owner[i];
  const std::uint32_t to = (from + 1) % kOwners;
  tmk::AssignTerms t;
  t.number = mark_number(i);
  t.assignor = k.owner_ids[from];
  t.assignee = owner_party(to);
  t.scope = std::move(scope);
  t.with_goodwill = true;
  t.assignment_date_ms = ch.now() - kDayMs;
  t.deed_hash = hash_of(0x51, i);
  if (t.scope.empty()) ch.mark_owner[i] = to;
  return ch.cosigned(k.tm_registrar, "assign", t, k.owners[from]);
}

void BM_TrademarkAssignWhole(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string&) -> std::optional<IdentifiedTransaction> {
    return assignment(ch, 8000 + ch.whole_assigned++ % 2000, {});
  });
}
BAUHINIA_CALL_BENCH(BM_TrademarkAssignWhole);

// Class 43 of the mark to another owner: a new divisional registration.
void BM_TrademarkAssignPartial(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string& error) -> std::optional<IdentifiedTransaction> {
    const std::uint32_t i = ch.partially_assigned++;
    if (i >= 4000) {
      error = "no mark left to divide";
      return std::nullopt;
    }
    return assignment(ch, 4000 + i, {{43, {"restaurant services", "catering"}}});
  });
}
BAUHINIA_CALL_BENCH(BM_TrademarkAssignPartial);

// A non-exclusive licence of the whole mark, co-signed by the owner.
void BM_TrademarkRecordLicence(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string&) -> std::optional<IdentifiedTransaction> {
    const auto& k = keys();
    const std::uint32_t i = 8000 + ch.licensed++ % 2000;
    const std::uint32_t owner = ch.mark_owner[i];
    tmk::LicenceTerms t;
    t.number = mark_number(i);
    t.licensor = k.owner_ids[owner];
    t.licensee = owner_party((owner + 7) % kOwners);
    t.start_ms = ch.now() - kDayMs;
    t.deed_hash = hash_of(0x61, ch.licensed);
    return ch.cosigned(k.tm_registrar, "record_licence", t, k.owners[owner]);
  });
}
BAUHINIA_CALL_BENCH(BM_TrademarkRecordLicence);

// ---- anchor -----------------------------------------------------------------------

void BM_AnchorAnchor(benchmark::State& state) {
  run_calls(state, [](Chain& ch, std::string&) -> std::optional<IdentifiedTransaction> {
    const std::uint32_t n = ++ch.counter;
    ct::anchor::AnchorArgs a{"EPD", "eia.permit", "EP-" + std::to_string(n), hash_of(0x71, n)};
    return ch.tx(keys().anchor_issuer, "anchor", "anchor", core::encode(a));
  });
}
BAUHINIA_CALL_BENCH(BM_AnchorAnchor);

}  // namespace
}  // namespace bauhinia
