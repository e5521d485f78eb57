#include "bauhinia/contracts/accounts.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace bauhinia::contracts {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
using chain::IdentifiedTransaction;
using chain::TxOutcome;

class AccountsTest : public ::testing::Test {
 protected:
  AccountsTest() { executor_.add_module(accounts_); }

  // Executes and commits one block; returns it.
  ExecutedBlock commit(const std::vector<IdentifiedTransaction>& txs) {
    auto r = executor_.execute_block(block_at(++height_), txs, state_);
    EXPECT_TRUE(r) << r.error().to_string();
    EXPECT_TRUE(*r) << r->error().why.to_string();
    ExecutedBlock b = std::move(*r).value();
    state_.apply(b.writes);
    return b;
  }
  std::optional<EnvelopeError> envelope(const IdentifiedTransaction& tx) {
    auto r = executor_.check_envelope(block_at(height_ + 1), tx, state_);
    EXPECT_TRUE(r);
    if (!*r) return std::nullopt;
    return (*r)->error;
  }
  accounts::AccountRecord account(const core::AccountId& id) {
    auto r = accounts::load_account(state_, id);
    EXPECT_TRUE(r && *r);
    return **r;
  }
  IdentifiedTransaction rotate(const core::schnorr::SecretKey& signer, const core::AccountId& id,
                               std::uint64_t seq, const core::schnorr::SecretKey& new_key) {
    return make_tx(signer, id, seq, "accounts", "rotate_key",
                   accounts::make_rotate_key_payload(kChain, id, seq, new_key));
  }

  accounts::AccountsModule accounts_;
  Executor executor_;
  MemoryState state_;
  std::uint64_t height_ = 0;
};

TEST_F(AccountsTest, PingRecordsCountMemoAndEvent) {
  const auto k = key(1);
  commit({ping(k, 0, "one")});
  const ExecutedBlock b = commit({ping(k, 1, "two")});
  auto q = executor_.query("accounts/ping/" + account_of(k).to_hex(), state_);
  ASSERT_TRUE(q && *q);
  ASSERT_TRUE((*q)->value);
  auto rec = core::decode<accounts::PingRecord>(*(*q)->value);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->count, 2U);
  EXPECT_EQ(rec->last_height, 2U);
  EXPECT_EQ(rec->last_timestamp_ms, block_at(2).timestamp_ms);
  EXPECT_EQ(rec->last_memo, (Bytes{'t', 'w', 'o'}));
  ASSERT_EQ(b.transactions[0].events.size(), 1U);
  const Event& e = b.transactions[0].events[0];
  EXPECT_EQ(e.module, "accounts");
  EXPECT_EQ(e.kind, "ping");
  EXPECT_EQ(e.record_key, accounts::ping_record_key(account_of(k)));
  auto pe = core::decode<accounts::PingEvent>(e.data);
  ASSERT_TRUE(pe);
  EXPECT_EQ(pe->account, account_of(k));
  EXPECT_EQ(pe->count, 2U);
}

TEST_F(AccountsTest, OversizedMemoFailsButConsumesSequence) {
  const auto k = key(2);
  accounts::PingArgs args;
  args.memo.assign(accounts::kMaxMemoSize, 'x');
  // Encode by hand with one byte more than the limit allows.
  core::Writer w;
  w.bytes(Bytes(accounts::kMaxMemoSize + 1, 'x'));
  const ExecutedBlock b =
      commit({make_tx(k, account_of(k), 0, "accounts", "ping", std::move(w).take()),
              make_tx(k, account_of(k), 1, "accounts", "ping", core::encode(args))});
  EXPECT_EQ(b.transactions[0].info.outcome, TxOutcome::kLimitExceeded);
  EXPECT_EQ(b.transactions[1].info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(account(account_of(k)).next_sequence, 2U);
}

TEST_F(AccountsTest, RotateKeyMovesSigningPowerToTheNewKey) {
  const auto old_key = key(3);
  const auto new_key = key(4);
  const core::AccountId id = account_of(old_key);
  commit({ping(old_key, 0)});
  const ExecutedBlock b = commit({rotate(old_key, id, 1, new_key)});
  ASSERT_EQ(b.transactions[0].info.outcome, TxOutcome::kSuccess) << b.transactions[0].detail;
  ASSERT_EQ(b.transactions[0].events.size(), 1U);
  EXPECT_EQ(b.transactions[0].events[0].kind, "key_rotated");
  auto ev = core::decode<accounts::KeyRotatedEvent>(b.transactions[0].events[0].data);
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->old_key, old_key.public_key());
  EXPECT_EQ(ev->new_key, new_key.public_key());

  const accounts::AccountRecord rec = account(id);
  EXPECT_EQ(rec.key, new_key.public_key());
  EXPECT_EQ(rec.next_sequence, 2U);
  EXPECT_EQ(rec.key_rotations, 1U);
  EXPECT_EQ(rec.key_updated_height, 2U);
  EXPECT_EQ(rec.created_height, 1U);

  // The old key can no longer sign for the account; the new one can, and the
  // account keeps its id.
  auto ping_with = [&](const core::schnorr::SecretKey& k, std::uint64_t seq) {
    return make_tx(k, id, seq, "accounts", "ping", core::encode(accounts::PingArgs{}));
  };
  EXPECT_EQ(envelope(ping_with(old_key, 2)), EnvelopeError::kWrongKey);
  EXPECT_EQ(envelope(ping_with(new_key, 2)), std::nullopt);
  commit({ping_with(new_key, 2)});
  EXPECT_EQ(account(id).next_sequence, 3U);
  // The new key's own (never created) account is a different account.
  EXPECT_NE(account_of(new_key), id);
}

TEST_F(AccountsTest, RotationProofMustBeFreshAndByTheNewKey) {
  const auto k = key(5);
  const auto next = key(6);
  const auto stranger = key(7);
  const core::AccountId id = account_of(k);
  commit({ping(k, 0)});

  // Proof for another sequence (a replayed or precomputed proof).
  auto stale = make_tx(k, id, 1, "accounts", "rotate_key",
                       accounts::make_rotate_key_payload(kChain, id, 0, next));
  // Proof signed by a key other than new_key.
  accounts::RotateKeyArgs forged;
  forged.new_key = next.public_key();
  forged.proof =
      stranger.sign(accounts::RotationChallenge{kChain, id, 2, next.public_key()}.hash().bytes());
  auto wrong_signer = make_tx(k, id, 2, "accounts", "rotate_key", core::encode(forged));
  // Proof for another chain.
  auto other_chain = make_tx(k, id, 3, "accounts", "rotate_key",
                             accounts::make_rotate_key_payload("bauhinia-other", id, 3, next));
  // Rotating to the current key.
  auto same = rotate(k, id, 4, k);
  // Not a valid x-only key.
  accounts::RotateKeyArgs bad_key;
  bad_key.new_key.bytes.fill(0xFF);
  auto invalid_key = make_tx(k, id, 5, "accounts", "rotate_key", core::encode(bad_key));
  // Truncated payload.
  auto truncated = make_tx(k, id, 6, "accounts", "rotate_key", Bytes(10, 0));
  // Unknown call.
  auto unknown = make_tx(k, id, 7, "accounts", "close_account", {});

  const ExecutedBlock b =
      commit({stale, wrong_signer, other_chain, same, invalid_key, truncated, unknown});
  const std::vector<TxOutcome> want{TxOutcome::kUnauthorized,    TxOutcome::kUnauthorized,
                                    TxOutcome::kUnauthorized,    TxOutcome::kInvalidArgument,
                                    TxOutcome::kInvalidArgument, TxOutcome::kInvalidArgument,
                                    TxOutcome::kInvalidArgument};
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(b.transactions[i].info.outcome, want[i]) << i << ": " << b.transactions[i].detail;
    EXPECT_EQ(b.transactions[i].events.size(), 0U);
  }
  const accounts::AccountRecord rec = account(id);
  EXPECT_EQ(rec.key, k.public_key());  // unchanged
  EXPECT_EQ(rec.next_sequence, 8U);    // every failure consumed its sequence
  EXPECT_EQ(rec.key_rotations, 0U);

  // The module's admission check gives the same verdicts without executing.
  const BlockContext ctx = block_at(height_ + 1);
  auto check = [&](const IdentifiedTransaction& t) {
    accounts::AccountsModule m;
    StateOverlay overlay(state_);
    OverlayStateView view("accounts", overlay);
    return m.check(CallContext(t.tx, t.id, ctx), view);
  };
  EXPECT_FALSE(check(stale));
  EXPECT_FALSE(check(wrong_signer));
  EXPECT_FALSE(check(same));
  EXPECT_TRUE(check(rotate(k, id, 8, next)));
}

TEST_F(AccountsTest, RotationInTheSameBlockAppliesToLaterTransactions) {
  const auto k = key(8);
  const auto next = key(9);
  const core::AccountId id = account_of(k);
  const ExecutedBlock b =
      commit({ping(k, 0), rotate(k, id, 1, next),
              make_tx(next, id, 2, "accounts", "ping", core::encode(accounts::PingArgs{}))});
  for (const auto& t : b.transactions) EXPECT_EQ(t.info.outcome, TxOutcome::kSuccess);
  EXPECT_EQ(account(id).key, next.public_key());
}

TEST_F(AccountsTest, NextSequencesOfABlock) {
  const auto a = key(12);
  const auto b = key(13);
  commit({ping(a, 0)});
  const ExecutedBlock blk = commit({ping(a, 1), ping(b, 0), ping(a, 2)});
  auto next = accounts::next_sequences(blk.writes);
  std::vector<std::pair<core::AccountId, std::uint64_t>> want{{account_of(a), 3},
                                                              {account_of(b), 1}};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(next, want);
}

TEST_F(AccountsTest, Queries) {
  const auto k = key(10);
  commit({ping(k, 0)});
  const std::string hex = account_of(k).to_hex();
  auto a = executor_.query("accounts/account/" + hex, state_);
  ASSERT_TRUE(a && *a);
  EXPECT_EQ((*a)->module, "accounts");
  EXPECT_EQ((*a)->record_key, accounts::account_record_key(account_of(k)));
  ASSERT_TRUE((*a)->value);
  EXPECT_EQ(core::decode<accounts::AccountRecord>(*(*a)->value)->next_sequence, 1U);
  // An account that does not exist: a valid query with no value (provable absence).
  auto none = executor_.query("accounts/account/" + account_of(key(11)).to_hex(), state_);
  ASSERT_TRUE(none && *none);
  EXPECT_FALSE((*none)->value);
  const std::vector<std::string> bad_paths{
      "accounts/account/xyz",  "accounts/nothing/" + hex,       "accounts/", "accounts",
      "nosuch/account/" + hex, "accounts/account/" + hex + "00"};
  for (const std::string& bad : bad_paths) {
    auto r = executor_.query(bad, state_);
    ASSERT_TRUE(r);
    EXPECT_FALSE(*r) << bad;
  }
}

}  // namespace
}  // namespace bauhinia::contracts
