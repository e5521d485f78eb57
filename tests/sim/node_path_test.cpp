// The simulator runs the node's execution path: what a simulated replica
// committed is exactly what an execution::Pipeline with the chain's modules
// (contracts::ModuleSet), over its own LedgerStore, computes from the same
// genesis and blocks; and a run is a function of its seed.
#include <gtest/gtest.h>

#include <sstream>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "bauhinia/execution/pipeline.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/sim/simulation.hpp"

namespace bauhinia::sim {
namespace {

SimConfig faulty(std::uint64_t seed) {
  SimConfig c;
  c.seed = seed;
  c.validators = 4;
  c.byzantine = 1;
  c.rounds = 30;
  return c;
}

LedgerExport run_and_export(SimConfig c, RunResult* result = nullptr) {
  LedgerExport out;
  c.ledger_export = &out;
  const RunResult r = run_simulation(c);
  EXPECT_TRUE(r.ok()) << r.violation->to_string();
  if (result != nullptr) *result = r;
  return out;
}

// A node's execution stack, built apart from the simulator.
struct NodeStack {
  contracts::ModuleSet modules;
  contracts::Executor executor;
  std::unique_ptr<ledger::LedgerStore> store;
  std::unique_ptr<execution::Pipeline> pipeline;

  explicit NodeStack(const ledger::GenesisSpec& genesis) {
    modules.register_with(executor);
    auto s = ledger::LedgerStore::open(std::make_unique<ledger::MemoryKvStore>(), genesis);
    EXPECT_TRUE(s.has_value()) << s.error().to_string();
    store = std::move(s).value();
    pipeline = std::make_unique<execution::Pipeline>(*store, executor);
  }
};

TEST(NodePath, CommittedStateIsWhatTheNodesPipelineComputesFromTheSameBlocks) {
  RunResult r;
  const LedgerExport ex = run_and_export(faulty(3), &r);
  ASSERT_FALSE(ex.commits.empty());
  ASSERT_GT(r.transactions, 0u);
  ASSERT_EQ(ex.latest.height, r.blocks);

  NodeStack node(ex.genesis);
  std::size_t transactions = 0;
  for (const auto& c : ex.commits) {
    auto v = node.pipeline->commit(c.blocks, c.certificate);
    ASSERT_TRUE(v.has_value()) << v.error().to_string();
    ASSERT_TRUE(v->ok()) << v->rejection().to_string();
    for (const auto& b : c.blocks) {
      auto txs = execution::decode_payload(b.payload);
      ASSERT_TRUE(txs.has_value());
      transactions += txs->size();
    }
  }
  const chain::BlockHeader mine = node.store->latest_header();
  EXPECT_EQ(mine.height, ex.latest.height);
  EXPECT_EQ(mine.state_root, ex.latest.state_root);
  EXPECT_EQ(mine.accumulator_root, ex.latest.accumulator_root);
  EXPECT_EQ(mine.id(), ex.latest.id());
  EXPECT_EQ(mine.accumulator_size, transactions);
  EXPECT_GT(transactions, 0u);

  // The transactions are the real modules' calls: signed accounts/ping of
  // client accounts, whose records the accounts module keeps.
  std::size_t checked = 0;
  for (std::uint64_t h = ex.latest.height; h >= 1 && checked == 0; --h) {
    auto txs = node.store->block_transactions(h);
    ASSERT_TRUE(txs.has_value());
    for (const auto& t : *txs) {
      auto tx = chain::decode_transaction(t.transaction);
      ASSERT_TRUE(tx.has_value());
      EXPECT_EQ(tx->module, "accounts");
      EXPECT_EQ(tx->call, "ping");
      auto account =
          contracts::accounts::load_account(node.pipeline->committed_state(), tx->sender);
      ASSERT_TRUE(account.has_value());
      ASSERT_TRUE(account->has_value());
      EXPECT_GT((*account)->next_sequence, tx->sequence);
      ++checked;
    }
  }
  EXPECT_GT(checked, 0u);
  // The genesis of contracts::genesis_records: the governed validator set.
  auto set = contracts::system::governed_validator_set(node.pipeline->committed_state());
  ASSERT_TRUE(set.has_value());
  ASSERT_TRUE(set->has_value());
  EXPECT_EQ((*set)->hash(), ex.genesis.validators.hash());
}

TEST(NodePath, GovernanceEpochChangesAreTheNodesToo) {
  // Department admins add a standby validator and remove one: two epoch
  // changes, which a separate Pipeline derives from the same blocks.
  SimConfig c = faulty(5);
  c.governance = 2;
  RunResult r;
  const LedgerExport ex = run_and_export(c, &r);
  ASSERT_EQ(r.epoch_changes, 2u) << r.scenario;
  NodeStack node(ex.genesis);
  std::size_t ends = 0;
  for (const auto& commit : ex.commits) {
    auto v = node.pipeline->commit(commit.blocks, commit.certificate);
    ASSERT_TRUE(v.has_value()) << v.error().to_string();
    ASSERT_TRUE(v->ok()) << v->rejection().to_string();
    for (const auto& b : commit.blocks) ends += b.header.ends_epoch() ? 1 : 0;
  }
  EXPECT_EQ(ends, 2u);
  EXPECT_EQ(node.store->latest_header().id(), ex.latest.id());
  const chain::ValidatorSet now = node.store->current_validator_set();
  EXPECT_EQ(now.epoch, ex.genesis.validators.epoch + 2);
  EXPECT_EQ(now.validators.size(), ex.genesis.validators.validators.size());  // +1 -1
  EXPECT_NE(now.hash(), ex.genesis.validators.hash());
}

TEST(NodePath, AnAddedValidatorVotesAndARemovedOneIsRefused) {
  SimConfig c;
  c.seed = 1;
  c.validators = 4;
  // Delays leave the removed validator behind the epoch change for a while,
  // so that it still sends as a member and is refused (without faults it
  // learns of its removal before its next message since the round timers of
  // ADR 0008; the seed is one where it does send).
  auto delay = FaultSet::parse("delay");
  ASSERT_TRUE(delay.has_value());
  c.faults = *delay;
  c.rounds = 40;
  c.governance = 2;
  std::ostringstream trace;
  c.trace = &trace;
  const RunResult r = run_simulation(c);
  ASSERT_TRUE(r.ok()) << r.violation->to_string();
  EXPECT_EQ(r.epoch_changes, 2u);
  // Plan "+v4 -vK": replica 4 (the standby) votes from epoch 2 on; the
  // removed validator observes in epoch 3 and its messages are refused.
  ASSERT_NE(r.scenario.find("governance[+v4 -v"), std::string::npos) << r.scenario;
  const std::string removed = r.scenario.substr(r.scenario.find("-v") + 2, 1);
  const std::string text = trace.str();
  EXPECT_NE(text.find("epoch node=4 "), std::string::npos);
  EXPECT_NE(text.find("epoch 2 at height"), std::string::npos);
  const std::size_t added = text.find("epoch node=4 ");
  EXPECT_NE(text.find("5 validators, voting", added), std::string::npos);
  EXPECT_NE(text.find("epoch node=" + removed + " "), std::string::npos);
  EXPECT_NE(text.find("4 validators, observing"), std::string::npos);
  // After the removal, an honest replica of epoch 3 refuses the removed
  // validator's messages as a non-member's.
  const std::size_t epoch3 = text.find("epoch 3 at height");
  ASSERT_NE(epoch3, std::string::npos);
  EXPECT_NE(text.find("unknown_signer: non-member (from v" + removed + ")", epoch3),
            std::string::npos);
  EXPECT_GT(r.rejected, 0u);
}

TEST(NodePath, APipelineRefusesABlockWhosePayloadIsNotTheCertifiedOne) {
  LedgerExport ex = run_and_export(faulty(4));
  // Swap the payloads of two committed blocks with transactions: the
  // replay must fail, so the comparison above can.
  LedgerExport::Commit* with_txs = nullptr;
  for (auto& c : ex.commits) {
    for (auto& b : c.blocks) {
      if (!b.payload.empty() && with_txs == nullptr) with_txs = &c;
    }
  }
  ASSERT_NE(with_txs, nullptr);
  NodeStack node(ex.genesis);
  for (auto& c : ex.commits) {
    if (&c == with_txs) {
      auto& b = c.blocks.back().payload.empty() ? c.blocks.front() : c.blocks.back();
      auto txs = execution::decode_payload(b.payload);
      ASSERT_TRUE(txs.has_value());
      txs->pop_back();  // one transaction fewer: other roots
      b.payload = execution::encode_payload(*txs);
      auto v = node.pipeline->commit(c.blocks, c.certificate);
      ASSERT_TRUE(v.has_value());
      EXPECT_FALSE(v->ok());
      return;
    }
    auto v = node.pipeline->commit(c.blocks, c.certificate);
    ASSERT_TRUE(v.has_value() && v->ok());
  }
}

TEST(NodePath, SameSeedSameTraceAndLedger) {
  RunResult a, b, c;
  const LedgerExport la = run_and_export(faulty(21), &a);
  const LedgerExport lb = run_and_export(faulty(21), &b);
  const LedgerExport lc = run_and_export(faulty(22), &c);
  EXPECT_EQ(a.trace_hash, b.trace_hash);
  EXPECT_EQ(a.transactions, b.transactions);
  EXPECT_EQ(la.latest.id(), lb.latest.id());
  EXPECT_EQ(la.genesis.state.size(), lb.genesis.state.size());
  EXPECT_GT(a.transactions, 0u);
  EXPECT_NE(a.trace_hash, c.trace_hash);
  // Keys derive from the seed: another seed is another chain.
  EXPECT_NE(la.genesis.validators.hash(), lc.genesis.validators.hash());
  // With governance epoch changes too.
  SimConfig g = faulty(21);
  g.governance = 2;
  RunResult ga, gb;
  const LedgerExport lga = run_and_export(g, &ga);
  const LedgerExport lgb = run_and_export(g, &gb);
  EXPECT_EQ(ga.trace_hash, gb.trace_hash);
  EXPECT_EQ(lga.latest.id(), lgb.latest.id());
  EXPECT_EQ(ga.epoch_changes, gb.epoch_changes);
  EXPECT_GT(ga.epoch_changes, 0u);
  EXPECT_NE(ga.trace_hash, a.trace_hash);
}

}  // namespace
}  // namespace bauhinia::sim
