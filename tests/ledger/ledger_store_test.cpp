// LedgerStore: genesis, commits, every read against a model of the chain,
// proofs checked with the light-client verifiers, and every way a block can be
// refused (each writes nothing). Runs on MemoryKvStore and on LevelDB.

#include "bauhinia/ledger/ledger_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <thread>

#include "bauhinia/chain/epoch_proof.hpp"
#include "bauhinia/chain/light_client.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"
#include "chain_builder.hpp"
#include "forwarding_store.hpp"
#include "temp_dir.hpp"

namespace bauhinia::ledger {
namespace {

using core::Hash256;
using test::ChainBuilder;

std::unique_ptr<LedgerStore> open_memory(MemoryKvStore& kv, const GenesisSpec& g) {
  auto store = LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), g);
  EXPECT_TRUE(store.has_value()) << store.error().to_string();
  return store.has_value() ? std::move(store).value() : nullptr;
}

void commit_ok(LedgerStore& store, const BlockCommit& b) {
  auto r = store.commit_block(b);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  ASSERT_TRUE(r->ok()) << r->rejection().to_string();
}

// What the chain should hold, kept while committing.
struct Model {
  std::vector<std::map<Hash256, Bytes>> state_at;  // per version
  std::map<Hash256, std::vector<RecordVersion>> history;
  std::map<Hash256, std::vector<std::uint64_t>> account_txs;
  std::vector<chain::BlockHeader> headers;

  void genesis(const GenesisSpec& g, const chain::BlockHeader& h) {
    std::map<Hash256, Bytes> s;
    for (const auto& w : g.state) {
      if (w.value) s[w.key] = *w.value;
      history[w.key].push_back(
          {0, w.value ? std::optional(chain::state_value_hash(*w.value)) : std::nullopt});
    }
    state_at.push_back(std::move(s));
    headers.push_back(h);
  }
  void add(const BlockCommit& b) {
    std::map<Hash256, Bytes> s = state_at.back();
    for (const auto& w : b.state_writes) {
      if (w.value) {
        s[w.key] = *w.value;
      } else {
        s.erase(w.key);
      }
      history[w.key].push_back(
          {b.header.height,
           w.value ? std::optional(chain::state_value_hash(*w.value)) : std::nullopt});
    }
    state_at.push_back(std::move(s));
    for (std::size_t i = 0; i < b.accounts.size(); ++i) {
      for (const auto& a : b.accounts[i]) account_txs[a].push_back(b.infos[i].version);
    }
    headers.push_back(b.header);
  }
};

// Checks every read of `store` against `model` and `builder`.
void check_everything(const LedgerStore& store, const Model& model, const ChainBuilder& builder) {
  const std::uint64_t latest = store.latest_height();
  ASSERT_EQ(latest + 1, model.headers.size());
  EXPECT_EQ(store.latest_header(), model.headers.back());
  EXPECT_TRUE(store.verify_latest().is_ok());
  const chain::ValidatorSet genesis_set = builder.genesis().validators;
  for (std::uint64_t h = 0; h <= latest; ++h) {
    SCOPED_TRACE("height " + std::to_string(h));
    auto header = store.header(h);
    ASSERT_TRUE(header.has_value()) << header.error().to_string();
    EXPECT_EQ(*header, model.headers[h]);
    if (h > 0) {
      // Each header is certified by its epoch's set: the light client's check.
      auto qc = store.certificate(h);
      ASSERT_TRUE(qc.has_value());
      auto set = store.validator_set(header->epoch);
      ASSERT_TRUE(set.has_value());
      EXPECT_TRUE(chain::verify_committed_header(*header, *qc, *set, store.chain_id()).ok());
      EXPECT_EQ(header->parent_hash, model.headers[h - 1].id());
    } else {
      EXPECT_EQ(store.certificate(0).error().code(), core::StatusCode::kNotFound);
    }
    auto txs = store.block_transactions(h);
    ASSERT_TRUE(txs.has_value()) << txs.error().to_string();
    const auto expected_txs = h == 0 ? std::vector<Bytes>{} : builder.transactions(h);
    ASSERT_EQ(txs->size(), expected_txs.size());
    std::vector<Hash256> ids;
    for (const auto& tx : *txs) ids.push_back(tx.info.transaction_id);
    EXPECT_EQ(header->transactions_root, chain::transactions_root_of(ids));
    for (std::size_t i = 0; i < txs->size(); ++i) {
      const CommittedTransaction& tx = (*txs)[i];
      EXPECT_EQ(tx.transaction, expected_txs[i]);
      EXPECT_EQ(tx.height, h);
      auto by_id = store.transaction_by_id(tx.info.transaction_id);
      ASSERT_TRUE(by_id.has_value());
      EXPECT_EQ(by_id->index, tx.index);
      EXPECT_EQ(by_id->transaction, tx.transaction);
      // The transaction proves against this and every later certified header.
      for (std::uint64_t later = h; later <= latest; later += 3) {
        const chain::BlockHeader& lh = model.headers[later];
        auto proof = store.transaction_with_proof(tx.info.transaction_id, lh.accumulator_size);
        ASSERT_TRUE(proof.has_value()) << proof.error().to_string();
        EXPECT_TRUE(
            chain::verify_transaction(lh, tx.info.transaction_id, tx.info, proof->proof).ok());
      }
    }
    // The state at version h, record by record, with proofs against header h.
    for (std::uint64_t n = 0; n < builder.params().record_space; n += 3) {
      const Hash256 key = test::record_key(n);
      auto it = model.state_at[h].find(key);
      const std::optional<Bytes> want =
          it == model.state_at[h].end() ? std::nullopt : std::optional<Bytes>(it->second);
      auto got = store.state_value(key, h);
      ASSERT_TRUE(got.has_value());
      EXPECT_EQ(*got, want);
      auto proof = store.state_value_with_proof(key, h);
      ASSERT_TRUE(proof.has_value());
      EXPECT_EQ(proof->value, want);
      std::optional<ByteView> value;
      if (want) value = ByteView(*want);
      EXPECT_TRUE(chain::verify_state_proof(header->state_root, key, value, proof->proof).ok());
    }
    auto root = store.state_root(h);
    ASSERT_TRUE(root.has_value());
    EXPECT_EQ(*root, header->state_root);
    auto acc_root = store.accumulator_root(header->accumulator_size);
    ASSERT_TRUE(acc_root.has_value());
    EXPECT_EQ(*acc_root, header->accumulator_root);
  }
  // Consistency between every pair of non-empty certified accumulators.
  for (std::uint64_t a = 1; a <= latest; ++a) {
    for (std::uint64_t b = a; b <= latest; b += 2) {
      const auto& ha = model.headers[a];
      const auto& hb = model.headers[b];
      auto proof = store.consistency_proof(ha.accumulator_size, hb.accumulator_size);
      ASSERT_TRUE(proof.has_value()) << proof.error().to_string();
      EXPECT_TRUE(chain::verify_consistency(*proof, ha.accumulator_root, hb.accumulator_root).ok());
    }
  }
  // Record history and account index.
  for (const auto& [key, versions] : model.history) {
    auto got = store.record_history(key, 0, kMaxHistoryPage);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, versions);
    if (versions.size() > 1) {
      auto tail = store.record_history(key, versions[1].version, 1);
      ASSERT_TRUE(tail.has_value());
      ASSERT_EQ(tail->size(), 1u);
      EXPECT_EQ((*tail)[0], versions[1]);
    }
  }
  for (const auto& [account, indexes] : model.account_txs) {
    auto got = store.account_transactions(account, 0, kMaxAccountPage);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, indexes);
    auto from = store.account_transactions(account, indexes.back(), 10);
    ASSERT_TRUE(from.has_value());
    EXPECT_EQ(*from, std::vector<std::uint64_t>{indexes.back()});
  }
  // Epochs: a light client follows the changes from the genesis set.
  const std::uint64_t current = store.current_validator_set().epoch;
  for (std::uint64_t e = 0; e <= current; ++e) {
    auto set = store.validator_set(e);
    ASSERT_TRUE(set.has_value()) << set.error().to_string();
    EXPECT_EQ(*set, test::validator_set(e));
  }
  auto proof = store.epoch_change_proof(0);
  ASSERT_TRUE(proof.has_value()) << proof.error().to_string();
  EXPECT_EQ(proof->changes.size(), current);
  auto reached = chain::verify_epoch_changes(genesis_set, *proof, store.chain_id());
  ASSERT_TRUE(reached.has_value()) << reached.error().to_string();
  EXPECT_EQ(*reached, store.current_validator_set());
}

TEST(LedgerStore, GenesisIsDerivedFromTheSpec) {
  ChainBuilder builder;
  const GenesisSpec g = builder.genesis();
  MemoryKvStore kv;
  auto store = open_memory(kv, g);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->latest_height(), 0u);
  const chain::BlockHeader h = store->latest_header();
  EXPECT_EQ(h, genesis_header(g, h.state_root));
  EXPECT_EQ(store->genesis_id(), h.id());
  EXPECT_EQ(store->chain_id(), g.chain_id);
  EXPECT_EQ(h.accumulator_root, chain::merkle::empty_root());
  EXPECT_EQ(store->current_validator_set(), g.validators);
  auto v = store->state_value(g.state[0].key, 0);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, g.state[0].value);
  auto txs = store->block_transactions(0);
  ASSERT_TRUE(txs.has_value());
  EXPECT_TRUE(txs->empty());
  EXPECT_TRUE(store->verify_latest().is_ok());
  // Above the latest: not_found, never a crash.
  EXPECT_EQ(store->header(1).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(store->state_value(g.state[0].key, 1).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(store->accumulator_root(1).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(store->transaction_at(0).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(store->transaction_by_id(Hash256{}).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(store->validator_set(1).error().code(), core::StatusCode::kNotFound);
}

TEST(LedgerStore, ReopenChecksItIsTheSameChain) {
  ChainBuilder builder;
  MemoryKvStore kv;
  {
    auto store = open_memory(kv, builder.genesis());
    ASSERT_NE(store, nullptr);
    commit_ok(*store, builder.next_block(*store));
  }
  {
    auto again = open_memory(kv, builder.genesis());
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(again->latest_height(), 1u);
  }
  GenesisSpec other_id = builder.genesis();
  other_id.chain_id = "another-chain";
  auto a = LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), other_id);
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error().code(), core::StatusCode::kInvalidArgument);
  GenesisSpec other_state = builder.genesis();
  other_state.state.pop_back();
  auto b = LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), other_state);
  ASSERT_FALSE(b.has_value());
  EXPECT_NE(b.error().message().find("genesis"), std::string::npos) << b.error().to_string();
  auto existing = LedgerStore::open_existing(std::make_unique<test::ForwardingKvStore>(kv));
  ASSERT_TRUE(existing.has_value());
  EXPECT_EQ((*existing)->latest_height(), 1u);
  MemoryKvStore empty;
  auto none = LedgerStore::open_existing(std::make_unique<test::ForwardingKvStore>(empty));
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code(), core::StatusCode::kNotFound);
}

TEST(LedgerStore, BadGenesisSpecsAreRefused) {
  ChainBuilder builder;
  GenesisSpec no_id = builder.genesis();
  no_id.chain_id.clear();
  GenesisSpec no_validators = builder.genesis();
  no_validators.validators.validators.clear();
  GenesisSpec unsorted = builder.genesis();
  std::swap(unsorted.state[0], unsorted.state[1]);
  for (const GenesisSpec* g : {&no_id, &no_validators, &unsorted}) {
    MemoryKvStore kv;
    auto store = LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), *g);
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(kv.entries(), 0u);
  }
}

class LedgerStoreOnBothStores : public ::testing::TestWithParam<bool> {
 protected:
  std::unique_ptr<KvStore> make_kv() {
    if (!GetParam()) return std::make_unique<test::ForwardingKvStore>(memory_);
    auto s = LevelDbKvStore::open(dir_.sub("db"));
    EXPECT_TRUE(s.has_value()) << s.error().to_string();
    return std::move(s).value();
  }
  MemoryKvStore memory_;
  test::TempDir dir_{"ledger-store"};
};

TEST_P(LedgerStoreOnBothStores, CommitsReadBackAndSurviveReopen) {
  ChainBuilder builder;
  const GenesisSpec g = builder.genesis();
  Model model;
  {
    auto opened = LedgerStore::open(make_kv(), g);
    ASSERT_TRUE(opened.has_value()) << opened.error().to_string();
    LedgerStore& store = **opened;
    model.genesis(g, store.latest_header());
    for (int i = 0; i < 12; ++i) {
      const BlockCommit b = builder.next_block(store);
      CommitStats stats;
      auto r = store.commit_block(b, &stats);
      ASSERT_TRUE(r.has_value()) << r.error().to_string();
      ASSERT_TRUE(r->ok()) << r->rejection().to_string();
      EXPECT_GT(stats.batch_entries, b.transactions.size() * 2);
      EXPECT_GT(stats.batch_bytes, 0u);
      model.add(b);
    }
    EXPECT_EQ(store.current_validator_set().epoch, 2u);  // blocks 5 and 10 ended epochs
    check_everything(store, model, builder);
  }
  // Reopened (for LevelDB: from disk), the same answers, and it continues.
  auto reopened = LedgerStore::open(make_kv(), g);
  ASSERT_TRUE(reopened.has_value()) << reopened.error().to_string();
  check_everything(**reopened, model, builder);
  const BlockCommit next = builder.next_block(**reopened);
  commit_ok(**reopened, next);
  model.add(next);
  check_everything(**reopened, model, builder);
}

INSTANTIATE_TEST_SUITE_P(Stores, LedgerStoreOnBothStores, ::testing::Values(false, true),
                         [](const auto& p) { return p.param ? "LevelDb" : "Memory"; });

// The bytes of LevelDB's table files in `path` (not its log or manifest).
std::uint64_t table_bytes(const std::string& path) {
  std::uint64_t total = 0;
  for (const auto& e : std::filesystem::directory_iterator(path)) {
    if (e.is_regular_file() && e.path().extension() == ".ldb") total += e.file_size();
  }
  return total;
}

// LevelDbOptions::ledger() (no Snappy, larger memtable and table files, ADR
// 0007 item 3) against a data directory written with the options of earlier
// versions (Snappy, 8 MiB memtable, 2 MiB files), and back: each opens the
// other's tables, serves every block, proof and record, and commits on.
TEST(LedgerStoreOptions, OpensDirectoriesWrittenWithTheEarlierOptionsAndBack) {
  ChainBuilder builder;
  const GenesisSpec g = builder.genesis();
  Model model;
  test::TempDir dir{"ledger-options"};
  const std::string path = dir.sub("db");
  LevelDbOptions earlier;  // the defaults every ledger was written with so far
  earlier.verify_tables = true;
  ASSERT_TRUE(earlier.compression);
  LevelDbOptions now = LevelDbOptions::ledger();
  now.verify_tables = true;
  ASSERT_FALSE(now.compression);
  auto open_with = [&](const LevelDbOptions& o) -> std::unique_ptr<LedgerStore> {
    auto kv = LevelDbKvStore::open(path, o);
    EXPECT_TRUE(kv.has_value()) << kv.error().to_string();
    if (!kv) return nullptr;
    LevelDbKvStore* raw = kv->get();
    auto store = LedgerStore::open(std::move(kv).value(), g);
    EXPECT_TRUE(store.has_value()) << store.error().to_string();
    if (!store) return nullptr;
    raw->compact();  // rewrites every table with `o`'s compression
    return std::move(store).value();
  };
  auto commit_some = [&](LedgerStore& store, int blocks) {
    for (int i = 0; i < blocks; ++i) {
      const BlockCommit b = builder.next_block(store);
      commit_ok(store, b);
      model.add(b);
    }
  };
  std::uint64_t compressed = 0;
  {
    auto store = open_with(earlier);
    ASSERT_NE(store, nullptr);
    model.genesis(g, store->latest_header());
    commit_some(*store, 12);
    check_everything(*store, model, builder);
  }
  {
    auto store = open_with(earlier);  // compacted with Snappy
    ASSERT_NE(store, nullptr);
    compressed = table_bytes(path);
  }
  {
    // The same 12 blocks written with the ledger's options take more table
    // bytes: the earlier tables do hold Snappy-compressed blocks.
    test::TempDir plain_dir{"ledger-options-plain"};
    ChainBuilder same;
    auto kv = LevelDbKvStore::open(plain_dir.sub("db"), now);
    ASSERT_TRUE(kv.has_value());
    LevelDbKvStore* raw = kv->get();
    auto plain = LedgerStore::open(std::move(kv).value(), same.genesis());
    ASSERT_TRUE(plain.has_value());
    for (int i = 0; i < 12; ++i) commit_ok(**plain, same.next_block(**plain));
    EXPECT_EQ((*plain)->latest_header().id(), model.headers.back().id());
    raw->compact();
    EXPECT_GT(table_bytes(plain_dir.sub("db")), compressed);
  }
  {
    auto store = open_with(now);  // reads the compressed tables, writes plain ones
    ASSERT_NE(store, nullptr);
    check_everything(*store, model, builder);
    commit_some(*store, 6);
    check_everything(*store, model, builder);
  }
  {
    auto store = open_with(earlier);  // back: tables without compression, read and rewritten
    ASSERT_NE(store, nullptr);
    check_everything(*store, model, builder);
    commit_some(*store, 2);
    check_everything(*store, model, builder);
  }
}

// A light client trusting only the genesis validator set checks, at every
// later height H, a record and a transaction written once at height h: the
// header of H through epoch changes and its certificate, then the proofs of
// the record (state tree at version H) and of the transaction (accumulator of
// H's size) against that header, and the accumulator's consistency from h.
TEST(LedgerStore, OldRecordsAndTransactionsProveAgainstLaterCertifiedHeaders) {
  ChainBuilder builder;
  MemoryKvStore kv;
  auto store = open_memory(kv, builder.genesis());
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < 3; ++i) commit_ok(*store, builder.next_block(*store));

  // Block h writes a record nobody writes again.
  const Hash256 key = *chain::state_key("registry", test::text_bytes("TM-2024-000123"));
  const Bytes value = test::text_bytes("mark: BAUHINIA; owner: HK Flower Co.");
  BlockCommit written = builder.next_block(*store);
  written.state_writes.push_back({key, value});
  std::sort(written.state_writes.begin(), written.state_writes.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  builder.seal(*store, written);
  commit_ok(*store, written);
  const chain::BlockHeader at_h = written.header;
  const chain::TransactionInfo info = written.infos.back();

  for (int i = 0; i < 13; ++i) commit_ok(*store, builder.next_block(*store));  // 3 epoch changes
  ASSERT_GE(store->current_validator_set().epoch, 3u);

  const chain::ValidatorSet trusted = builder.genesis().validators;
  for (std::uint64_t later = at_h.height; later <= store->latest_height(); ++later) {
    SCOPED_TRACE("height " + std::to_string(later));
    // The client learns the header and its epoch's set from the node...
    auto header = store->header(later);
    auto qc = store->certificate(later);
    auto changes = store->epoch_change_proof(trusted.epoch);
    ASSERT_TRUE(header.has_value() && qc.has_value() && changes.has_value());
    // ...and believes them only through the genesis set.
    chain::EpochChangeProof upto = *changes;
    while (!upto.changes.empty() && upto.changes.back().header.epoch >= header->epoch) {
      upto.changes.pop_back();
    }
    auto set = chain::verify_epoch_changes(trusted, upto, store->chain_id());
    ASSERT_TRUE(set.has_value()) << set.error().to_string();
    ASSERT_TRUE(chain::verify_committed_header(*header, *qc, *set, store->chain_id()).ok());

    auto record = store->state_value_with_proof(key, later);
    ASSERT_TRUE(record.has_value());
    ASSERT_EQ(record->value, value);
    EXPECT_TRUE(
        chain::verify_state_proof(header->state_root, key, ByteView(value), record->proof).ok());
    // The same proof does not show another value, nor the record's absence.
    EXPECT_FALSE(chain::verify_state_proof(header->state_root, key,
                                           ByteView(test::text_bytes("forged")), record->proof)
                     .ok());
    EXPECT_FALSE(
        chain::verify_state_proof(header->state_root, key, std::nullopt, record->proof).ok());

    auto tx = store->transaction_with_proof(info.transaction_id, header->accumulator_size);
    ASSERT_TRUE(tx.has_value()) << tx.error().to_string();
    EXPECT_EQ(tx->transaction.info, info);
    EXPECT_TRUE(chain::verify_transaction(*header, info.transaction_id, info, tx->proof).ok());

    auto consistency = store->consistency_proof(at_h.accumulator_size, header->accumulator_size);
    ASSERT_TRUE(consistency.has_value());
    EXPECT_TRUE(
        chain::verify_consistency(*consistency, at_h.accumulator_root, header->accumulator_root)
            .ok());
  }
  // Before h the record did not exist, provably.
  auto before = store->state_value_with_proof(key, at_h.height - 1);
  ASSERT_TRUE(before.has_value());
  EXPECT_FALSE(before->value.has_value());
  auto old_header = store->header(at_h.height - 1);
  ASSERT_TRUE(old_header.has_value());
  EXPECT_TRUE(
      chain::verify_state_proof(old_header->state_root, key, std::nullopt, before->proof).ok());
  auto history = store->record_history(key, 0, 10);
  ASSERT_TRUE(history.has_value());
  EXPECT_EQ(*history, (std::vector<RecordVersion>{{at_h.height, chain::state_value_hash(value)}}));
}

// Readers running while blocks are committed never see part of a block: every
// read at or below the height they observed succeeds and proves.
TEST(LedgerStore, ReadsDuringCommitsSeeWholeBlocks) {
  ChainBuilder builder;
  test::TempDir dir("ledger-store");
  auto kv = LevelDbKvStore::open(dir.sub("db"));
  ASSERT_TRUE(kv.has_value());
  auto opened = LedgerStore::open(std::move(kv).value(), builder.genesis());
  ASSERT_TRUE(opened.has_value());
  LedgerStore& store = **opened;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    while (!done.load()) {
      const chain::BlockHeader h = store.latest_header();
      auto txs = store.block_transactions(h.height);
      auto root = store.accumulator_root(h.accumulator_size);
      auto state = store.state_root(h.height);
      if (!txs || !root || !state || *root != h.accumulator_root || *state != h.state_root) {
        ++failures;
        continue;
      }
      for (const auto& tx : *txs) {
        auto p = store.transaction_with_proof(tx.info.transaction_id, h.accumulator_size);
        if (!p || !chain::verify_transaction(h, tx.info.transaction_id, tx.info, p->proof).ok()) {
          ++failures;
        }
      }
      ++reads;
    }
  });
  for (int i = 0; i < 20; ++i) commit_ok(store, builder.next_block(store));
  done = true;
  reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(reads.load(), 0);
}

// ---- Refused blocks -------------------------------------------------------------

class LedgerStoreRejects : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_memory(kv_, builder_.genesis());
    ASSERT_NE(store_, nullptr);
    for (int i = 0; i < 3; ++i) commit_ok(*store_, builder_.next_block(*store_));
    entries_ = kv_.entries();
  }

  // Commits `b` expecting `reason`, and checks nothing at all was written.
  void expect_rejected(const BlockCommit& b, core::Reject reason, const std::string& what) {
    SCOPED_TRACE(what);
    const chain::BlockHeader before = store_->latest_header();
    auto r = store_->commit_block(b);
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    ASSERT_FALSE(r->ok()) << "accepted";
    EXPECT_EQ(r->rejection().reason, reason) << r->rejection().to_string();
    EXPECT_EQ(kv_.entries(), entries_);
    EXPECT_EQ(store_->latest_header(), before);
  }

  BlockCommit next() { return builder_.next_block(*store_); }
  // A header change needs a certificate of the changed header to reach the
  // check under test.
  void resign(BlockCommit& b) { b.certificate = test::certify(b.header, store_->chain_id()); }

  ChainBuilder builder_;
  MemoryKvStore kv_;
  std::unique_ptr<LedgerStore> store_;
  std::size_t entries_ = 0;
};

TEST_F(LedgerStoreRejects, HeaderThatDoesNotFollow) {
  using core::Reject;
  {
    BlockCommit b = next();
    b.header.height += 1;
    resign(b);
    expect_rejected(b, Reject::kInvalid, "height skips");
  }
  {
    BlockCommit b = next();
    b.header.parent_hash.bytes()[0] ^= 1;
    resign(b);
    expect_rejected(b, Reject::kInvalid, "parent");
  }
  {
    BlockCommit b = next();
    b.header.epoch += 1;
    resign(b);
    expect_rejected(b, Reject::kWrongEpoch, "epoch");
  }
  {
    BlockCommit b = next();
    b.header.validator_set_hash = test::validator_set(7).hash();
    resign(b);
    expect_rejected(b, Reject::kInvalid, "validator set hash");
  }
  {
    BlockCommit b = next();
    b.header.timestamp_ms = store_->latest_header().timestamp_ms;
    resign(b);
    expect_rejected(b, Reject::kInvalid, "timestamp");
  }
  {
    BlockCommit b = next();
    b.header.round = store_->latest_header().round;
    resign(b);
    expect_rejected(b, Reject::kInvalid, "round");
  }
  {
    BlockCommit b = next();
    b.header.version = 9;
    expect_rejected(b, Reject::kBadVersion, "header version");
  }
}

TEST_F(LedgerStoreRejects, WrongRoots) {
  using core::Reject;
  {
    BlockCommit b = next();
    b.header.accumulator_root.bytes()[5] ^= 1;
    resign(b);
    expect_rejected(b, Reject::kBadProof, "accumulator root");
  }
  {
    BlockCommit b = next();
    b.header.accumulator_size += 1;
    resign(b);
    expect_rejected(b, Reject::kBadProof, "accumulator size");
  }
  {
    BlockCommit b = next();
    b.header.state_root.bytes()[0] ^= 0x80;
    resign(b);
    expect_rejected(b, Reject::kBadProof, "state root");
  }
  {
    BlockCommit b = next();
    b.header.transactions_root.bytes()[31] ^= 1;
    resign(b);
    expect_rejected(b, Reject::kBadProof, "transactions root");
  }
  {
    // Writes that differ from what the header's state root commits to.
    BlockCommit b = next();
    b.state_writes.back().value = test::text_bytes("something else");
    expect_rejected(b, Reject::kBadProof, "state writes");
  }
  {
    BlockCommit b = next();
    b.infos[0].outcome = chain::TxOutcome::kUnauthorized;
    expect_rejected(b, Reject::kBadProof, "transaction info (accumulator leaf)");
  }
}

TEST_F(LedgerStoreRejects, BadTransactions) {
  using core::Reject;
  {
    BlockCommit b = next();
    b.infos.pop_back();
    expect_rejected(b, Reject::kInvalid, "info count");
  }
  {
    BlockCommit b = next();
    b.infos[0].version += 1;
    expect_rejected(b, Reject::kInvalid, "info version");
  }
  {
    BlockCommit b = next();
    b.transactions[0].push_back(0);
    expect_rejected(b, Reject::kInvalid, "id does not match the bytes");
  }
  {
    BlockCommit b = next();
    b.infos[0].format = 2;
    expect_rejected(b, Reject::kBadVersion, "info format");
  }
  {
    BlockCommit b = next();
    b.transactions[0] = Bytes(kMaxTransactionBytes + 1, 7);
    expect_rejected(b, Reject::kTooLarge, "transaction size");
  }
  {
    // The same transaction twice in one block.
    BlockCommit b = next();
    ASSERT_GE(b.transactions.size(), 1u);
    b.transactions.push_back(b.transactions[0]);
    chain::TransactionInfo dup = b.infos[0];
    dup.version = b.infos.back().version + 1;
    b.infos.push_back(dup);
    b.accounts.push_back({});
    expect_rejected(b, Reject::kDuplicate, "duplicate in block");
  }
  {
    // A transaction committed before (replay).
    BlockCommit b = next();
    auto old = store_->transaction_at(0);
    ASSERT_TRUE(old.has_value());
    b.transactions[0] = old->transaction;
    b.infos[0].transaction_id = old->info.transaction_id;
    expect_rejected(b, Reject::kDuplicate, "already committed");
  }
  {
    BlockCommit b = next();
    b.accounts.push_back({});
    expect_rejected(b, Reject::kInvalid, "account lists");
  }
  {
    BlockCommit b = next();
    b.accounts[0] = {ChainBuilder::account(1), ChainBuilder::account(1)};
    expect_rejected(b, Reject::kDuplicate, "repeated account");
  }
  {
    BlockCommit b = next();
    b.accounts[0] = std::vector<Hash256>(kMaxAccountsPerTransaction + 1);
    expect_rejected(b, Reject::kTooLarge, "too many accounts");
  }
}

TEST_F(LedgerStoreRejects, BadStateWrites) {
  using core::Reject;
  {
    BlockCommit b = next();
    ASSERT_GE(b.state_writes.size(), 2u);
    std::swap(b.state_writes[0], b.state_writes[1]);
    expect_rejected(b, Reject::kUnsorted, "unsorted");
  }
  {
    BlockCommit b = next();
    b.state_writes.push_back(b.state_writes.back());
    expect_rejected(b, Reject::kUnsorted, "repeated key");
  }
  {
    BlockCommit b = next();
    b.state_writes[0].value = Bytes(chain::kMaxStateValueSize + 1, 1);
    expect_rejected(b, Reject::kTooLarge, "value size");
  }
}

TEST_F(LedgerStoreRejects, BadCertificates) {
  using core::Reject;
  {
    BlockCommit b = next();
    b.certificate.signatures[0].bytes[10] ^= 1;
    expect_rejected(b, Reject::kBadSignature, "forged signature");
  }
  {
    BlockCommit b = next();
    BlockCommit other = next();
    other.header.round += 1;
    b.certificate = test::certify(other.header, store_->chain_id());
    expect_rejected(b, Reject::kBadProof, "certifies another block");
  }
  {
    BlockCommit b = next();
    b.certificate = test::certify(b.header, "another-chain");
    expect_rejected(b, Reject::kInvalid, "another chain's certificate");
  }
  {
    // Only one signer: too little power.
    BlockCommit b = next();
    chain::LedgerInfo li = b.certificate.ledger_info;
    const auto keys = test::validator_keys(b.header.epoch);
    b.certificate.signer_bitmap = {0x01};
    b.certificate.signatures = {keys[0].sign(li.signing_hash().view())};
    expect_rejected(b, Reject::kInsufficientPower, "one signer");
  }
  {
    // Signed by the right number of keys, but of another epoch's set.
    BlockCommit b = next();
    const auto keys = test::validator_keys(9);
    const Hash256 msg = b.certificate.ledger_info.signing_hash();
    for (std::size_t i = 0; i < b.certificate.signatures.size(); ++i) {
      b.certificate.signatures[i] = keys[i].sign(msg.view());
    }
    expect_rejected(b, Reject::kBadSignature, "keys outside the set");
  }
}

// ADR 0007, item 4: a certificate consensus verified is not checked again,
// but the proof covers exactly that certificate and that set; anything else
// is checked in full, so a forged certificate cannot ride on another's proof.
TEST_F(LedgerStoreRejects, VerifiedCertificateCoversOnlyItself) {
  using core::Reject;
  const chain::ValidatorSet set = store_->current_validator_set();
  {
    // A forged signature beside the proof of the genuine certificate: the
    // block's certificate is not the verified one, so it is checked in full.
    BlockCommit b = next();
    auto verified = chain::VerifiedCertificate::verify(b.certificate, set);
    ASSERT_TRUE(verified.has_value());
    b.certificate.signatures[0].bytes[10] ^= 1;
    b.verified_certificate = &*verified;
    expect_rejected(b, Reject::kBadSignature, "forged signature beside a proof");
  }
  {
    // No proof can be made of the forged certificate itself.
    BlockCommit b = next();
    b.certificate.signatures[0].bytes[10] ^= 1;
    EXPECT_EQ(chain::VerifiedCertificate::verify(b.certificate, set).error().reason,
              Reject::kBadSignature);
  }
  {
    // Verified against another set (another epoch's keys, renumbered as this
    // epoch): the proof is not for this epoch's set.
    BlockCommit b = next();
    chain::ValidatorSet other = test::validator_set(9);
    other.epoch = set.epoch;
    const auto keys = test::validator_keys(9);
    const Hash256 msg = b.certificate.ledger_info.signing_hash();
    for (std::size_t i = 0; i < b.certificate.signatures.size(); ++i) {
      b.certificate.signatures[i] = keys[i].sign(msg.view());
    }
    auto verified = chain::VerifiedCertificate::verify(b.certificate, other);
    ASSERT_TRUE(verified.has_value()) << verified.error().to_string();
    b.verified_certificate = &*verified;
    expect_rejected(b, Reject::kBadProof, "verified against another set");
  }
  {
    // A genuine proof of a certificate of another block.
    BlockCommit b = next();
    BlockCommit other = next();
    other.header.timestamp_ms += 1;
    const chain::QuorumCertificate theirs = test::certify(other.header, store_->chain_id());
    auto verified = chain::VerifiedCertificate::verify(theirs, set);
    ASSERT_TRUE(verified.has_value());
    b.certificate = theirs;
    b.verified_certificate = &*verified;
    expect_rejected(b, Reject::kBadProof, "proof of another block's certificate");
  }
  // The genuine certificate with its proof commits, and reads back.
  BlockCommit b = next();
  auto verified = chain::VerifiedCertificate::verify(b.certificate, set);
  ASSERT_TRUE(verified.has_value());
  b.verified_certificate = &*verified;
  commit_ok(*store_, b);
  auto stored = store_->certificate(b.header.height);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(*stored, b.certificate);
}

TEST_F(LedgerStoreRejects, EpochChanges) {
  using core::Reject;
  // Block 4 does not end an epoch; block 5 does (epoch_length 5).
  {
    BlockCommit b = next();
    b.next_validator_set = test::validator_set(1);
    expect_rejected(b, Reject::kInvalid, "next set without an epoch change");
  }
  commit_ok(*store_, next());
  entries_ = kv_.entries();
  const BlockCommit good = next();
  ASSERT_TRUE(good.header.ends_epoch());
  {
    BlockCommit b = good;
    b.next_validator_set.reset();
    expect_rejected(b, Reject::kInvalid, "epoch change without the next set");
  }
  {
    BlockCommit b = good;
    b.next_validator_set = test::validator_set(2);
    b.header.next_validator_set_hash = b.next_validator_set->hash();
    resign(b);
    expect_rejected(b, Reject::kWrongEpoch, "next set of a later epoch");
  }
  {
    BlockCommit b = good;
    b.next_validator_set->validators[0].voting_power += 1;
    expect_rejected(b, Reject::kBadProof, "next set hash");
  }
  {
    BlockCommit b = good;
    b.next_validator_set->validators.clear();
    b.header.next_validator_set_hash = b.next_validator_set->hash();
    resign(b);
    expect_rejected(b, Reject::kInvalid, "empty next set");
  }
  commit_ok(*store_, good);
  EXPECT_EQ(store_->current_validator_set(), test::validator_set(1));
  // The new epoch's blocks are signed by the new set only.
  BlockCommit b = next();
  EXPECT_EQ(b.header.epoch, 1u);
  entries_ = kv_.entries();
  // This header, certified by the previous epoch's set.
  BlockCommit old_signers = b;
  chain::QuorumCertificate& qc = old_signers.certificate;
  qc.ledger_info.epoch = 0;
  const auto keys0 = test::validator_keys(0);
  const Hash256 msg = qc.ledger_info.signing_hash();
  for (std::size_t i = 0; i < qc.signatures.size(); ++i)
    qc.signatures[i] = keys0[i].sign(msg.view());
  expect_rejected(old_signers, Reject::kWrongEpoch, "certificate of the previous epoch");
  commit_ok(*store_, b);
}

TEST(LedgerStore, RootsAfterRefusesInputThatCannotFollow) {
  ChainBuilder builder;
  MemoryKvStore kv;
  auto store = open_memory(kv, builder.genesis());
  ASSERT_NE(store, nullptr);
  BlockCommit b = builder.next_block(*store);
  b.infos[0].version = 5;
  auto r = store->roots_after(b.infos, b.state_writes);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), core::StatusCode::kInvalidArgument);
  std::vector<StateWrite> unsorted = {b.state_writes[1], b.state_writes[0]};
  auto u = store->roots_after({}, unsorted);
  ASSERT_FALSE(u.has_value());
  EXPECT_EQ(u.error().code(), core::StatusCode::kInvalidArgument);
  const std::size_t entries = kv.entries();
  auto ok = store->roots_after({}, {});
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->state_root, store->latest_header().state_root);  // no writes, same root
  EXPECT_EQ(ok->accumulator_root, store->latest_header().accumulator_root);
  EXPECT_EQ(kv.entries(), entries);  // a preview writes nothing
}

TEST(LedgerStore, ProofRequestsOutsideTheLedger) {
  ChainBuilder builder;
  MemoryKvStore kv;
  auto store = open_memory(kv, builder.genesis());
  ASSERT_NE(store, nullptr);
  for (int i = 0; i < 3; ++i) commit_ok(*store, builder.next_block(*store));
  const std::uint64_t size = store->latest_header().accumulator_size;
  auto last = store->transaction_at(size - 1);
  ASSERT_TRUE(last.has_value());
  auto outside = store->transaction_with_proof(last->info.transaction_id, size - 1);
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->transaction_with_proof(last->info.transaction_id, size + 1).error().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(store->consistency_proof(1, size + 1).error().code(), core::StatusCode::kNotFound);
  EXPECT_FALSE(store->consistency_proof(0, size).has_value());
  EXPECT_FALSE(store->consistency_proof(2, 1).has_value());
  EXPECT_EQ(store->inclusion_proof(size, size).error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->epoch_change_proof(5).error().code(), core::StatusCode::kNotFound);
  auto history = store->record_history(test::record_key(0), 0, 100000);
  ASSERT_TRUE(history.has_value());
  EXPECT_LE(history->size(), kMaxHistoryPage);
}

}  // namespace
}  // namespace bauhinia::ledger
