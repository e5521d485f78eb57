#include "bauhinia/contracts/executor.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "test_util.hpp"

namespace bauhinia::contracts {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
using chain::IdentifiedTransaction;
using chain::TxOutcome;

// A module used only by these tests to drive the executor's failure paths
// through the real interface. Calls: "write" (payload = value to store under
// key "k"), "fail" (writes, emits, then fails), "big" (an oversized value),
// "many" (too many records), "noisy" (too many events), "badkind" (an event
// with an invalid kind), "badkey" (a record key over the limit).
class ProbeModule final : public Module {
 public:
  std::string_view name() const override { return "probe"; }
  core::Verdict check(const CallContext& call, const StateView&) const override {
    if (call.tx().call == "reject") return core::reject(core::Reject::kInvalid, "probe refuses");
    return core::Verdict::accept();
  }
  CallResult apply(CallContext& call, StateView& state) const override {
    const std::string& c = call.tx().call;
    const Bytes k{'k'};
    if (c == "write") {
      state.write(k, call.tx().payload);
      call.emit("written", k, call.tx().payload);
      return CallResult::success();
    }
    if (c == "fail") {
      state.write(k, Bytes{1});
      call.emit("written", k, {});
      return CallResult::failure(TxOutcome::kFailedPrecondition, "probe failed on purpose");
    }
    if (c == "big") {
      state.write(k, Bytes(chain::kMaxStateValueSize + 1, 0));
      return CallResult::success();
    }
    if (c == "many") {
      for (std::uint32_t i = 0; i <= kMaxWritesPerCall; ++i) {
        state.write(Bytes{static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)},
                    Bytes{1});
      }
      return CallResult::success();
    }
    if (c == "noisy") {
      for (std::size_t i = 0; i <= kMaxEventsPerCall; ++i) call.emit("tick", {}, {});
      return CallResult::success();
    }
    if (c == "badkind") {
      call.emit("Bad Kind", {}, {});
      return CallResult::success();
    }
    if (c == "badkey") {
      state.write(Bytes(chain::kMaxStateRecordKeySize + 1, 0), Bytes{1});
      return CallResult::success();
    }
    if (c == "mention") {  // payload: n; mentions accounts 1..n (and the sender)
      const std::uint8_t n = call.tx().payload.empty() ? 0 : call.tx().payload[0];
      call.mention_account(call.sender());
      for (std::uint8_t i = 1; i <= n; ++i) {
        core::AccountId other;
        other.bytes.fill(i);
        call.mention_account(other);
        call.mention_account(other);
      }
      return CallResult::success();
    }
    if (c == "erase") {
      state.erase(k);
      return CallResult::success();
    }
    return CallResult::failure(TxOutcome::kInvalidArgument, "unknown call");
  }
  core::Checked<QueryAnswer> query(std::string_view, const StateView& state) const override {
    return QueryAnswer{"probe", Bytes{'k'}, state.read_own(Bytes{'k'}), {}, std::nullopt};
  }
};

// A reader whose reads fail after `budget` successful ones (fault injection).
class FailingReader final : public StateReader {
 public:
  FailingReader(const StateReader& base, int budget) : base_(base), budget_(budget) {}
  core::Result<std::optional<Bytes>> read(const core::Hash256& key) const override {
    if (budget_-- <= 0) return core::Status::io_error("disk on fire");
    return base_.read(key);
  }

 private:
  const StateReader& base_;
  mutable int budget_;
};

class ExecutorTest : public ::testing::Test {
 protected:
  ExecutorTest() {
    executor_.add_module(accounts_);
    executor_.add_module(probe_);
  }

  ExecutedBlock run(const BlockContext& ctx, const std::vector<IdentifiedTransaction>& txs) {
    auto r = executor_.execute_block(ctx, txs, state_);
    EXPECT_TRUE(r) << r.error().to_string();
    EXPECT_TRUE(*r) << r->error().why.to_string();
    return std::move(*r).value();
  }
  RejectedBlock reject(const BlockContext& ctx, const std::vector<IdentifiedTransaction>& txs) {
    auto r = executor_.execute_block(ctx, txs, state_);
    EXPECT_TRUE(r);
    EXPECT_FALSE(*r);
    return std::move(*r).error();
  }
  std::optional<accounts::AccountRecord> account(const core::AccountId& id) {
    return accounts::load_account(state_, id).value();
  }
  IdentifiedTransaction probe(const core::schnorr::SecretKey& k, std::uint64_t seq,
                              std::string call, Bytes payload = {}) {
    return make_tx(k, account_of(k), seq, "probe", std::move(call), std::move(payload));
  }

  accounts::AccountsModule accounts_;
  ProbeModule probe_;
  Executor executor_;
  MemoryState state_;
};

TEST_F(ExecutorTest, FirstTransactionCreatesTheAccountAndConsumesSequence) {
  const auto k = key(1);
  const ExecutedBlock b = run(block_at(5, 100), {ping(k, 0), ping(k, 1)});
  ASSERT_EQ(b.transactions.size(), 2U);
  EXPECT_EQ(b.transactions[0].info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(b.transactions[0].info.version, 100U);
  EXPECT_EQ(b.transactions[1].info.version, 101U);
  ASSERT_EQ(b.transactions[0].events.size(), 2U);
  EXPECT_EQ(b.transactions[0].events[0].kind, "account_created");
  EXPECT_EQ(b.transactions[0].events[1].kind, "ping");
  ASSERT_EQ(b.transactions[1].events.size(), 1U);
  state_.apply(b.writes);
  const auto rec = account(account_of(k));
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->next_sequence, 2U);
  EXPECT_EQ(rec->created_height, 5U);
  EXPECT_EQ(rec->key, k.public_key());
  // Each info commits to its writes and events.
  for (const auto& t : b.transactions) {
    EXPECT_EQ(t.info.transaction_id, t.id);
    EXPECT_EQ(t.info.state_changes_hash, state_changes_hash(t.writes));
    EXPECT_EQ(t.info.events_hash, events_hash(t.events));
  }
}

TEST_F(ExecutorTest, TransactionsRootIsRfc6962OverIds) {
  const auto k = key(2);
  const std::vector<IdentifiedTransaction> txs{ping(k, 0), ping(k, 1), ping(k, 2)};
  const ExecutedBlock b = run(block_at(1), txs);
  std::vector<core::Hash256> leaves;
  for (const auto& t : txs) leaves.push_back(chain::merkle::leaf_hash(t.id.view()));
  EXPECT_EQ(b.transactions_root, chain::merkle::root(leaves));
  std::vector<core::Hash256> ids;
  for (const auto& t : txs) ids.push_back(t.id);
  EXPECT_EQ(b.transactions_root, chain::transactions_root_of(ids));
  const ExecutedBlock empty = run(block_at(2), {});
  EXPECT_EQ(empty.transactions_root, chain::merkle::empty_root());
  EXPECT_TRUE(empty.writes.empty());
}

TEST_F(ExecutorTest, FailedCallConsumesSequenceAndKeepsNothingElse) {
  const auto k = key(3);
  const ExecutedBlock b = run(block_at(1), {probe(k, 0, "fail")});
  const auto& t = b.transactions[0];
  EXPECT_EQ(t.info.outcome, TxOutcome::kFailedPrecondition);
  EXPECT_EQ(t.detail, "probe failed on purpose");
  // Only the account record (created) and its account_created event remain.
  ASSERT_EQ(t.writes.size(), 1U);
  EXPECT_EQ(t.writes.begin()->second.module, "accounts");
  ASSERT_EQ(t.events.size(), 1U);
  EXPECT_EQ(t.events[0].kind, "account_created");
  state_.apply(b.writes);
  EXPECT_EQ(account(account_of(k))->next_sequence, 1U);
  // The same sequence cannot be used again.
  const RejectedBlock r = reject(block_at(2), {probe(k, 0, "write", Bytes{7})});
  EXPECT_EQ(r.why.error, EnvelopeError::kStaleSequence);
}

TEST_F(ExecutorTest, EveryEnvelopeErrorRejectsTheBlock) {
  const auto k = key(4);
  const auto other = key(5);
  state_.apply(run(block_at(1), {ping(k, 0)}).writes);  // k's account exists, next = 1

  auto expect = [&](IdentifiedTransaction tx, EnvelopeError e) {
    const RejectedBlock r = reject(block_at(2), {ping(k, 1), std::move(tx)});
    EXPECT_EQ(r.index, 1U);
    EXPECT_EQ(r.why.error, e) << r.why.to_string();
  };
  {
    auto t = ping(k, 2);
    t.tx.signature.bytes[0] ^= 1;
    expect(chain::IdentifiedTransaction::of(t.tx), EnvelopeError::kBadSignature);
  }
  {
    auto t = make_tx(other, account_of(key(98)), 0, "accounts", "ping", {});
    t.tx.public_key.bytes.fill(0xFF);  // not a curve point; sender is "its" account
    t.tx.sender = core::account_id_of(t.tx.public_key);
    expect(chain::IdentifiedTransaction::of(t.tx), EnvelopeError::kMalformed);
  }
  {
    auto t = ping(k, 2);
    t.tx.call = "Bad";
    expect(chain::IdentifiedTransaction::of(t.tx), EnvelopeError::kMalformed);
  }
  {
    chain::Transaction tx = ping(k, 2).tx;
    tx.chain_id = "bauhinia-other";
    tx.sign(k);
    expect(chain::IdentifiedTransaction::of(tx), EnvelopeError::kWrongChain);
  }
  expect(make_tx(k, account_of(k), 2, "accounts", "ping", core::encode(accounts::PingArgs{}),
                 block_at(2).timestamp_ms),
         EnvelopeError::kExpired);
  expect(make_tx(k, account_of(k), 2, "nosuch", "ping", {}), EnvelopeError::kUnknownModule);
  // Another key signing for k's account.
  expect(make_tx(other, account_of(k), 2, "accounts", "ping", core::encode(accounts::PingArgs{})),
         EnvelopeError::kWrongKey);
  // A key claiming an account that does not exist and is not its own.
  expect(make_tx(other, account_of(key(99)), 0, "accounts", "ping",
                 core::encode(accounts::PingArgs{})),
         EnvelopeError::kUnknownAccount);
  expect(ping(k, 0), EnvelopeError::kStaleSequence);
  expect(ping(k, 3), EnvelopeError::kFutureSequence);
  expect(ping(other, 1), EnvelopeError::kFutureSequence);  // new account must start at 0
}

TEST_F(ExecutorTest, BlockOverTheLimitIsRejected) {
  Executor small({.max_block_transactions = 2, .signature_verified = {}, .on_signature_verified = {}});
  small.add_module(accounts_);
  const auto k = key(6);
  auto r =
      small.execute_block(block_at(1), std::vector{ping(k, 0), ping(k, 1), ping(k, 2)}, state_);
  ASSERT_TRUE(r);
  ASSERT_FALSE(*r);
  EXPECT_EQ(r->error().why.error, EnvelopeError::kBlockFull);

  auto built =
      small.build_block(block_at(1), std::vector{ping(k, 0), ping(k, 1), ping(k, 2)}, state_);
  ASSERT_TRUE(built);
  EXPECT_EQ(built->included, (std::vector<std::size_t>{0, 1}));
  ASSERT_EQ(built->left_out.size(), 1U);
  EXPECT_EQ(built->left_out[0].second.error, EnvelopeError::kBlockFull);
}

TEST_F(ExecutorTest, BuildLeavesOutInvalidAndMatchesExecute) {
  const auto a = key(7);
  const auto b = key(8);
  std::vector<IdentifiedTransaction> candidates{ping(a, 0),
                                                ping(a, 0) /* duplicate sequence */,
                                                ping(b, 1) /* gap */,
                                                ping(b, 0),
                                                ping(a, 1),
                                                probe(b, 1, "fail"),
                                                ping(b, 2)};
  auto built = executor_.build_block(block_at(3, 40), candidates, state_);
  ASSERT_TRUE(built);
  EXPECT_EQ(built->included, (std::vector<std::size_t>{0, 3, 4, 5, 6}));
  ASSERT_EQ(built->left_out.size(), 2U);
  EXPECT_EQ(built->left_out[0].first, 1U);
  EXPECT_EQ(built->left_out[0].second.error, EnvelopeError::kStaleSequence);
  EXPECT_EQ(built->left_out[1].second.error, EnvelopeError::kFutureSequence);
  // Versions are consecutive over the included transactions.
  for (std::size_t i = 0; i < built->block.transactions.size(); ++i) {
    EXPECT_EQ(built->block.transactions[i].info.version, 40 + i);
  }
  // A voter executing exactly the included transactions gets the same result.
  std::vector<IdentifiedTransaction> included;
  for (std::size_t i : built->included) included.push_back(candidates[i]);
  const ExecutedBlock again = run(block_at(3, 40), included);
  EXPECT_EQ(again.transactions_root, built->block.transactions_root);
  EXPECT_EQ(again.writes, built->block.writes);
  ASSERT_EQ(again.transactions.size(), built->block.transactions.size());
  for (std::size_t i = 0; i < again.transactions.size(); ++i) {
    EXPECT_EQ(again.transactions[i].info, built->block.transactions[i].info);
  }
}

TEST_F(ExecutorTest, ExecutionIsDeterministic) {
  std::vector<IdentifiedTransaction> txs;
  for (std::uint32_t i = 0; i < 20; ++i) {
    const auto k = key(100 + i % 5);
    txs.push_back(ping(k, i / 5, "memo " + std::to_string(i)));
  }
  const ExecutedBlock x = run(block_at(9), txs);
  Executor other;  // a fresh executor and a fresh store give the same bytes
  other.add_module(accounts_);
  MemoryState fresh;
  auto y = other.execute_block(block_at(9), txs, fresh);
  ASSERT_TRUE(y && *y);
  EXPECT_EQ((*y)->transactions_root, x.transactions_root);
  EXPECT_EQ((*y)->writes, x.writes);
  for (std::size_t i = 0; i < txs.size(); ++i) {
    EXPECT_EQ((*y)->transactions[i].info, x.transactions[i].info);
  }
}

TEST_F(ExecutorTest, PendingParentBlockIsReadThroughAnOverlay) {
  const auto k = key(9);
  const ExecutedBlock first = run(block_at(1), {ping(k, 0), ping(k, 1)});
  // Block 2 built on uncommitted block 1: state = committed + block 1's writes.
  StateOverlay pending(state_, first.writes);
  auto second = executor_.execute_block(block_at(2), std::vector{ping(k, 2)}, pending);
  ASSERT_TRUE(second && *second);
  // Against committed state alone the same block is invalid.
  const RejectedBlock r = reject(block_at(2), {ping(k, 2)});
  EXPECT_EQ(r.why.error, EnvelopeError::kFutureSequence);
  state_.apply(first.writes);
  state_.apply((*second)->writes);
  EXPECT_EQ(account(account_of(k))->next_sequence, 3U);
}

TEST_F(ExecutorTest, ModuleFaultsFailTheCallNotTheNode) {
  const auto k = key(10);
  const ExecutedBlock b =
      run(block_at(1), {probe(k, 0, "big"), probe(k, 1, "many"), probe(k, 2, "noisy"),
                        probe(k, 3, "badkind"), probe(k, 4, "badkey"), probe(k, 5, "nosuch")});
  const std::vector<TxOutcome> want{TxOutcome::kLimitExceeded,   TxOutcome::kLimitExceeded,
                                    TxOutcome::kLimitExceeded,   TxOutcome::kInvalidArgument,
                                    TxOutcome::kInvalidArgument, TxOutcome::kInvalidArgument};
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(b.transactions[i].info.outcome, want[i]) << i << " " << b.transactions[i].detail;
    for (const auto& [key, w] : b.transactions[i].writes) EXPECT_EQ(w.module, "accounts");
  }
  state_.apply(b.writes);
  EXPECT_EQ(account(account_of(k))->next_sequence, 6U);
}

TEST_F(ExecutorTest, ConcernedAccountsAreSenderThenMentioned) {
  const auto k = key(16);
  const ExecutedBlock b =
      run(block_at(1),
          {probe(k, 0, "mention", Bytes{2}),
           probe(k, 1, "mention", Bytes{static_cast<std::uint8_t>(kMaxAccountsPerTransaction)}),
           probe(k, 2, "fail")});
  ASSERT_EQ(b.transactions[0].accounts.size(), 3U);
  EXPECT_EQ(b.transactions[0].accounts[0], account_of(k));
  EXPECT_EQ(b.transactions[0].accounts[2].bytes[0], 2);
  EXPECT_EQ(b.transactions[1].info.outcome, TxOutcome::kLimitExceeded);
  EXPECT_EQ(b.transactions[1].accounts, std::vector<core::AccountId>{account_of(k)});
  EXPECT_EQ(b.transactions[2].accounts, std::vector<core::AccountId>{account_of(k)});
}

TEST_F(ExecutorTest, WritesAndErasesReachTheBlockWriteSet) {
  const auto k = key(11);
  const ExecutedBlock b = run(block_at(1), {probe(k, 0, "write", Bytes{1, 2, 3})});
  state_.apply(b.writes);
  auto q = executor_.query("probe/", state_);
  ASSERT_TRUE(q && *q);
  EXPECT_EQ((*q)->value, (Bytes{1, 2, 3}));
  const ExecutedBlock c = run(block_at(2), {probe(k, 1, "erase")});
  const auto key_hash = chain::state_key("probe", Bytes{'k'}).value();
  ASSERT_TRUE(c.writes.count(key_hash));
  EXPECT_FALSE(c.writes.at(key_hash).value.has_value());
  state_.apply(c.writes);
  EXPECT_FALSE((*executor_.query("probe/", state_))->value.has_value());
}

TEST_F(ExecutorTest, PreverifiedSignaturesAreNotCheckedAgain) {
  const auto k = key(12);
  auto bad = ping(k, 0);
  bad.tx.signature.bytes[5] ^= 1;
  bad = chain::IdentifiedTransaction::of(bad.tx);
  // A hook that vouches for exactly this id skips verification...
  Executor trusting({.max_block_transactions = 10,
                     .signature_verified = [&](const core::Hash256& id) { return id == bad.id; },
                     .on_signature_verified = {}});
  trusting.add_module(accounts_);
  auto r = trusting.execute_block(block_at(1), std::vector{bad}, state_);
  ASSERT_TRUE(r && *r);
  // ...while the default executor verifies.
  EXPECT_EQ(reject(block_at(1), {bad}).why.error, EnvelopeError::kBadSignature);
}

TEST_F(ExecutorTest, VerifiedSignaturesAreReportedOnceEachAndOnlyWhenValid) {
  const auto k = key(14);
  auto good = ping(k, 0);
  auto bad = ping(k, 0);
  bad.tx.signature.bytes[7] ^= 1;
  bad = chain::IdentifiedTransaction::of(bad.tx);
  std::vector<core::Hash256> reported;
  Executor recording({.max_block_transactions = 10,
                      .signature_verified = {},
                      .on_signature_verified = [&](const core::Hash256& id) { reported.push_back(id); }});
  recording.add_module(accounts_);
  // The forged signature is refused (the block with it is invalid) and not reported...
  auto refused = recording.execute_block(block_at(1), std::vector{bad}, state_);
  ASSERT_TRUE(refused);
  EXPECT_FALSE(*refused);
  EXPECT_TRUE(reported.empty());
  // ...the valid one is.
  auto r = recording.execute_block(block_at(1), std::vector{good}, state_);
  ASSERT_TRUE(r && *r);
  ASSERT_EQ(reported.size(), 1U);
  EXPECT_EQ(reported[0], good.id);
  // A signature the hook already vouches for is not verified, so not reported.
  reported.clear();
  Executor vouched({.max_block_transactions = 10,
                    .signature_verified = [&](const core::Hash256& id) { return id == good.id; },
                    .on_signature_verified = [&](const core::Hash256& id) { reported.push_back(id); }});
  vouched.add_module(accounts_);
  ASSERT_TRUE(vouched.execute_block(block_at(1), std::vector{good}, state_));
  EXPECT_TRUE(reported.empty());
}

TEST_F(ExecutorTest, ReaderFailureFailsTheWholeBlockWithItsStatus) {
  const auto k = key(13);
  state_.apply(run(block_at(1), {ping(k, 0)}).writes);
  // The block reads two records from the store (account, ping record); the
  // second transaction finds both in the block's overlay.
  for (int budget = 0; budget < 2; ++budget) {
    FailingReader failing(state_, budget);
    auto r = executor_.execute_block(block_at(2), std::vector{ping(k, 1), ping(k, 2)}, failing);
    ASSERT_FALSE(r) << budget;
    EXPECT_EQ(r.error().code(), core::StatusCode::kIoError);
  }
  FailingReader enough(state_, 2);
  auto ok = executor_.execute_block(block_at(2), std::vector{ping(k, 1), ping(k, 2)}, enough);
  ASSERT_TRUE(ok && *ok);
}

TEST_F(ExecutorTest, CorruptAccountRecordIsCorruptionNotACrash) {
  const auto k = key(14);
  WriteSet w;
  const Bytes rk = accounts::account_record_key(account_of(k));
  w.emplace(chain::state_key("accounts", rk).value(), StateWrite{"accounts", rk, Bytes{0xFF}});
  state_.apply(w);
  auto r = executor_.execute_block(block_at(1), std::vector{ping(k, 0)}, state_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), core::StatusCode::kCorruption);
}

TEST_F(ExecutorTest, CheckTransactionRunsEnvelopeAndModuleCheck) {
  const auto k = key(15);
  const auto ctx = block_at(1);
  const Executor::AdmissionOptions exact{.allow_future_sequence = false,
                                         .signature_verified = false};
  const Executor::AdmissionOptions queue{.allow_future_sequence = true,
                                         .signature_verified = false};
  EXPECT_TRUE(executor_.check_transaction(ctx, ping(k, 0), state_, exact).value());
  EXPECT_FALSE(executor_.check_transaction(ctx, ping(k, 3), state_, exact).value());
  EXPECT_TRUE(executor_.check_transaction(ctx, ping(k, 3), state_, queue).value());
  EXPECT_FALSE(executor_.check_transaction(ctx, probe(k, 0, "reject"), state_, exact).value());
  auto bad_call = make_tx(k, account_of(k), 0, "accounts", "nosuch", {});
  EXPECT_FALSE(executor_.check_transaction(ctx, bad_call, state_, exact).value());
  // A caller that verified the signature itself is trusted on it.
  auto forged = ping(k, 0);
  forged.tx.signature.bytes[1] ^= 1;
  forged = chain::IdentifiedTransaction::of(forged.tx);
  EXPECT_FALSE(executor_.check_transaction(ctx, forged, state_, exact).value());
  EXPECT_TRUE(executor_
                  .check_transaction(ctx, forged, state_,
                                     {.allow_future_sequence = false, .signature_verified = true})
                  .value());
  auto env = executor_.check_envelope(ctx, ping(k, 1), state_);
  ASSERT_TRUE(env && *env);
  EXPECT_EQ((*env)->error, EnvelopeError::kFutureSequence);
}

TEST(WriteSet, EncodingRoundTripsAndIsChecked) {
  WriteSet w;
  for (std::uint8_t i = 0; i < 5; ++i) {
    const Bytes rk{i};
    std::optional<Bytes> v;
    if (i % 2 == 0) v = Bytes{i, i};
    w.emplace(chain::state_key("probe", rk).value(), StateWrite{"probe", rk, v});
  }
  const Bytes enc = encode_write_set(w);
  auto back = decode_write_set(enc);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, w);
  EXPECT_EQ(state_changes_hash(w), core::tagged_hash(core::HashTag::kStateChanges, enc));
  // A state key that does not match its module and record key.
  Bytes forged = enc;
  forged[1] ^= 1;  // first byte of the first state key
  auto f = decode_write_set(forged);
  ASSERT_FALSE(f);
  EXPECT_TRUE(f.error().reason == core::Reject::kInvalid ||
              f.error().reason == core::Reject::kUnsorted);
  // Empty write set.
  EXPECT_EQ(encode_write_set({}), Bytes{0});
}

}  // namespace
}  // namespace bauhinia::contracts
