// Damaged storage: every read either returns exactly what was committed or a
// clear Status::corruption, never wrong data and never a crash.
//  - through the KvStore API: every stored entry in turn truncated by a byte
//    and extended by a byte, with every LedgerStore read run after each;
//  - on disk: bytes of a LevelDB table file overwritten, a table file cut
//    short, the MANIFEST damaged.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "bauhinia/ledger/accumulator.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"
#include "chain_builder.hpp"
#include "forwarding_store.hpp"
#include "temp_dir.hpp"

namespace bauhinia::ledger {
namespace {

using core::Hash256;
namespace fs = std::filesystem;

// ---- Every read of a LedgerStore, as bytes ------------------------------------

template <core::HasFields T>
void put(core::Writer& w, const T& v) {
  w.bytes(core::encode(v));
}
void put(core::Writer& w, const Hash256& v) {
  w.raw(v.view());
}
void put(core::Writer& w, std::uint64_t v) {
  w.u64(v);
}
void put(core::Writer& w, const Bytes& v) {
  w.bytes(v);
}
void put(core::Writer& w, const CommittedTransaction& v) {
  w.u64(v.index);
  w.u64(v.height);
  put(w, v.info);
  w.bytes(v.transaction);
}
void put(core::Writer& w, const RecordVersion& v) {
  w.u64(v.version);
  w.boolean(v.value_hash.has_value());
  if (v.value_hash) put(w, *v.value_hash);
}
void put(core::Writer& w, const std::optional<Bytes>& v) {
  w.boolean(v.has_value());
  if (v) put(w, *v);
}
void put(core::Writer& w, const StateValueWithProof& v) {
  put(w, v.value);
  put(w, v.proof);
}
void put(core::Writer& w, const TransactionWithProof& v) {
  put(w, v.transaction);
  put(w, v.proof);
}
template <class T>
void put(core::Writer& w, const std::vector<T>& v) {
  w.length(v.size());
  for (const auto& x : v) put(w, x);
}

template <class T>
core::Result<Bytes> as_bytes(core::Result<T> r) {
  if (!r) return std::move(r).error();
  core::Writer w;
  put(w, *r);
  return std::move(w).take();
}

using Reads = std::vector<std::pair<std::string, core::Result<Bytes>>>;

struct Probe {
  std::vector<chain::BlockHeader> headers;
  std::vector<Hash256> tx_ids;
  std::vector<Hash256> keys;
  std::vector<Hash256> accounts;
  std::uint64_t epochs = 0;
};

Reads all_reads(const LedgerStore& s, const Probe& p) {
  Reads out;
  auto add = [&](std::string name, core::Result<Bytes> r) {
    out.emplace_back(std::move(name), std::move(r));
  };
  for (std::uint64_t h = 0; h < p.headers.size(); ++h) {
    const std::string at = " " + std::to_string(h);
    add("header" + at, as_bytes(s.header(h)));
    if (h > 0) add("certificate" + at, as_bytes(s.certificate(h)));
    add("body" + at, as_bytes(s.block_body(h)));
    add("transactions" + at, as_bytes(s.block_transactions(h)));
    add("state root" + at, as_bytes(s.state_root(h)));
    add("accumulator root" + at, as_bytes(s.accumulator_root(p.headers[h].accumulator_size)));
    for (std::size_t k = 0; k < p.keys.size(); ++k) {
      const std::string kn = " key " + std::to_string(k) + at;
      add("state value" + kn, as_bytes(s.state_value(p.keys[k], h)));
      add("state proof" + kn, as_bytes(s.state_value_with_proof(p.keys[k], h)));
    }
  }
  const std::uint64_t size = p.headers.back().accumulator_size;
  for (std::uint64_t i = 0; i < size; ++i) {
    add("transaction " + std::to_string(i), as_bytes(s.transaction_at(i)));
    add("inclusion " + std::to_string(i), as_bytes(s.inclusion_proof(i, size)));
  }
  for (std::size_t i = 0; i < p.tx_ids.size(); ++i) {
    add("by id " + std::to_string(i), as_bytes(s.transaction_with_proof(p.tx_ids[i], size)));
  }
  for (std::uint64_t a = 1; a <= size; a += 3) {
    add("consistency " + std::to_string(a), as_bytes(s.consistency_proof(a, size)));
  }
  for (std::size_t k = 0; k < p.keys.size(); ++k) {
    add("history " + std::to_string(k), as_bytes(s.record_history(p.keys[k], 0, kMaxHistoryPage)));
  }
  for (std::size_t a = 0; a < p.accounts.size(); ++a) {
    add("account " + std::to_string(a),
        as_bytes(s.account_transactions(p.accounts[a], 0, kMaxAccountPage)));
  }
  for (std::uint64_t e = 0; e <= p.epochs; ++e) {
    add("epoch " + std::to_string(e), as_bytes(s.epoch(e)));
  }
  add("epoch proof", as_bytes(s.epoch_change_proof(0)));
  const core::Status v = s.verify_latest();
  add("verify_latest", v.is_ok() ? core::Result<Bytes>(Bytes{}) : core::Result<Bytes>(v));
  return out;
}

struct Outcome {
  int corrupt = 0;                 // reads that reported corruption
  std::vector<std::string> wrong;  // reads that returned other data, or another error
};

Outcome compare(const Reads& baseline, const Reads& now) {
  Outcome o;
  EXPECT_EQ(baseline.size(), now.size());
  for (std::size_t i = 0; i < baseline.size() && i < now.size(); ++i) {
    const auto& r = now[i].second;
    if (r.has_value()) {
      if (*r != *baseline[i].second) o.wrong.push_back(now[i].first + ": different data");
    } else if (r.error().code() == core::StatusCode::kCorruption) {
      ++o.corrupt;
    } else {
      o.wrong.push_back(now[i].first + ": " + r.error().to_string());
    }
  }
  return o;
}

test::ChainParams small_chain() {
  test::ChainParams p;
  p.epoch_length = 3;
  p.record_space = 12;
  p.writes_per_block = 3;
  return p;
}

// Builds a few blocks and the probe that reads all of them.
Probe build_chain(LedgerStore& store, const test::ChainBuilder& builder, int blocks) {
  Probe p;
  p.headers.push_back(store.latest_header());
  for (int i = 0; i < blocks; ++i) {
    const BlockCommit b = builder.next_block(store);
    auto r = store.commit_block(b);
    BAUHINIA_ASSERT(r.has_value() && r->ok());
    p.headers.push_back(b.header);
    for (const auto& info : b.infos) p.tx_ids.push_back(info.transaction_id);
  }
  for (std::uint64_t n = 0; n < builder.params().record_space; ++n) {
    p.keys.push_back(test::record_key(n));
  }
  for (std::uint64_t a = 0; a < 5; ++a) p.accounts.push_back(test::ChainBuilder::account(a));
  p.epochs = store.current_validator_set().epoch;
  return p;
}

// Every (column, key, value) in the store.
std::vector<std::tuple<Column, Bytes, Bytes>> dump(const KvReader& kv) {
  std::vector<std::tuple<Column, Bytes, Bytes>> all;
  for (int c = 1; c < 0x20; ++c) {
    const auto column = static_cast<Column>(c);
    EXPECT_TRUE(kv.scan(column, {}, 1'000'000, [&](ByteView k, ByteView v) {
                    all.emplace_back(column, Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
                    return true;
                  }).is_ok());
  }
  return all;
}

TEST(Corruption, EveryDamagedEntryIsReportedNeverServed) {
  const test::ChainBuilder builder(small_chain());
  MemoryKvStore kv;
  auto opened = LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), builder.genesis());
  ASSERT_TRUE(opened.has_value());
  LedgerStore& store = **opened;
  const Probe probe = build_chain(store, builder, 5);
  const Reads baseline = all_reads(store, probe);
  for (const auto& [name, r] : baseline)
    ASSERT_TRUE(r.has_value()) << name << ": " << r.error().to_string();

  const auto entries = dump(kv);
  ASSERT_GT(entries.size(), 100u);
  std::map<Column, int> damaged_per_column;
  for (const auto& [column, key, value] : entries) {
    std::vector<Bytes> variants;
    if (!value.empty()) variants.emplace_back(value.begin(), value.end() - 1);  // truncated
    Bytes longer = value;
    longer.push_back(0x5A);  // a trailing garbage byte
    variants.push_back(std::move(longer));
    for (const Bytes& damaged : variants) {
      SCOPED_TRACE(describe_key(column, key) +
                   (damaged.size() < value.size() ? " truncated" : " extended"));
      WriteBatch damage;
      damage.put(column, key, damaged);
      ASSERT_TRUE(kv.write(damage, false).is_ok());
      const Outcome o = compare(baseline, all_reads(store, probe));
      EXPECT_TRUE(o.wrong.empty()) << o.wrong.size() << " wrong reads, first: " << o.wrong[0];
      // A deletion marker of the state tree's value column is never served:
      // a deleted record is proven absent by the tree alone.
      const bool deletion_marker = column == Column::kStateValue && value == Bytes{0x00};
      if (!deletion_marker) {
        EXPECT_GT(o.corrupt, 0) << "damage not detected by any read";
      }
      WriteBatch restore;
      restore.put(column, key, value);
      ASSERT_TRUE(kv.write(restore, false).is_ok());
      ++damaged_per_column[column];
    }
  }
  // Every column the ledger writes was damaged at least once.
  for (Column c : {Column::kMeta, Column::kBlockHeader, Column::kBlockBody, Column::kCertificate,
                   Column::kTransaction, Column::kTxIndex, Column::kAccumulator, Column::kStateNode,
                   Column::kAccountTx, Column::kValidatorSet, Column::kStateValue}) {
    EXPECT_GT(damaged_per_column[c], 0) << column_name(c);
  }
  const Outcome after = compare(baseline, all_reads(store, probe));
  EXPECT_TRUE(after.wrong.empty());
  EXPECT_EQ(after.corrupt, 0);
}

TEST(Corruption, MessagesNameTheColumnAndKey) {
  const test::ChainBuilder builder(small_chain());
  MemoryKvStore kv;
  auto opened = LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), builder.genesis());
  ASSERT_TRUE(opened.has_value());
  LedgerStore& store = **opened;
  const Probe probe = build_chain(store, builder, 4);
  auto damage = [&](Column c, const Bytes& key, Bytes value) {
    WriteBatch b;
    b.put(c, key, std::move(value));
    ASSERT_TRUE(kv.write(b, false).is_ok());
  };
  auto expect_corrupt = [](const core::Status& s, const std::string& where) {
    EXPECT_EQ(s.code(), core::StatusCode::kCorruption) << s.to_string();
    EXPECT_NE(s.message().find(where), std::string::npos) << s.to_string();
  };

  damage(Column::kBlockHeader, be64_key(2), Bytes{1, 2, 3});
  expect_corrupt(store.header(2).error(), "block_header key 0000000000000002");
  damage(Column::kCertificate, be64_key(3), Bytes{});
  expect_corrupt(store.certificate(3).error(), "certificate key 0000000000000003");
  damage(Column::kTransaction, be64_key(1), Bytes(10, 0xEE));
  expect_corrupt(store.transaction_at(1).error(), "transaction key 0000000000000001");
  damage(Column::kTxIndex, Bytes(probe.tx_ids[0].view().begin(), probe.tx_ids[0].view().end()),
         Bytes(7, 0));
  expect_corrupt(store.transaction_by_id(probe.tx_ids[0]).error(),
                 "tx_index key " + probe.tx_ids[0].to_hex());
  // An index entry that points at another transaction.
  damage(Column::kTxIndex, Bytes(probe.tx_ids[2].view().begin(), probe.tx_ids[2].view().end()),
         be64_key(3));
  expect_corrupt(store.transaction_by_id(probe.tx_ids[2]).error(), "another id");
  damage(Column::kValidatorSet, be64_key(1), Bytes{0xFF});
  expect_corrupt(store.validator_set(1).error(), "validator_set key 0000000000000001");
  Bytes history_key(probe.keys[0].view().begin(), probe.keys[0].view().end());
  append_be64(history_key, 0);
  damage(Column::kStateValue, history_key, Bytes{0x01, 0x07});
  expect_corrupt(store.record_history(probe.keys[0], 0, 10).error(), "state_value key");
  damage(Column::kAccumulator, accumulator_key(0, 0), Bytes(31, 0));
  EXPECT_EQ(store.transaction_at(0).error().code(), core::StatusCode::kCorruption);
  EXPECT_EQ(store.accumulator_root(1).error().code(), core::StatusCode::kCorruption);

  // A damaged latest-block marker: open refuses the store and says where.
  damage(Column::kMeta, test::text_bytes("latest"), Bytes{0x01, 0x02});
  auto reopened =
      LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), builder.genesis());
  ASSERT_FALSE(reopened.has_value());
  expect_corrupt(reopened.error(), "meta key " + core::to_hex(core::as_bytes("latest")));
}

TEST(Corruption, OpenRefusesAnIncompleteOrOverlongLatestBlock) {
  const test::ChainBuilder builder(small_chain());
  MemoryKvStore kv;
  {
    auto opened =
        LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), builder.genesis());
    ASSERT_TRUE(opened.has_value());
    build_chain(**opened, builder, 3);
  }
  auto reopen = [&] {
    return LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), builder.genesis());
  };
  ASSERT_TRUE(reopen().has_value());
  const auto entries = dump(kv);
  std::uint64_t first_tx = 0;
  {
    auto opened = reopen();
    ASSERT_TRUE(opened.has_value());
    auto body = (*opened)->block_body(3);
    ASSERT_TRUE(body.has_value());
    first_tx = body->first_index;
  }
  // Remove, one at a time, each entry of the latest block (height 3): its
  // header, body, certificate, transactions, their index entries and
  // accumulator leaves. Open must refuse every such store.
  int removed = 0;
  for (const auto& [column, key, value] : entries) {
    const bool of_block_3 = (column == Column::kBlockHeader || column == Column::kBlockBody ||
                             column == Column::kCertificate) &&
                            key == be64_key(3);
    const bool of_its_transactions =
        (column == Column::kTransaction || column == Column::kAccumulator) &&
        read_be64(ByteView(key).last(8)) >= first_tx;
    const bool its_index =
        column == Column::kTxIndex && value.size() == 8 && read_be64(value) >= first_tx;
    if (!of_block_3 && !of_its_transactions && !its_index) continue;
    if (column == Column::kAccumulator && key[0] != 0) continue;  // leaves only
    WriteBatch erase;
    erase.erase(column, key);
    ASSERT_TRUE(kv.write(erase, false).is_ok());
    auto r = reopen();
    ASSERT_FALSE(r.has_value()) << describe_key(column, key);
    EXPECT_EQ(r.error().code(), core::StatusCode::kCorruption) << r.error().to_string();
    WriteBatch restore;
    restore.put(column, key, value);
    ASSERT_TRUE(kv.write(restore, false).is_ok());
    ++removed;
  }
  EXPECT_GE(removed, 6);
  // Entries of a block after the latest: open refuses them too.
  for (Column c : {Column::kBlockHeader, Column::kBlockBody, Column::kCertificate}) {
    WriteBatch extra;
    extra.put(c, be64_key(4), Bytes{0x01});
    ASSERT_TRUE(kv.write(extra, false).is_ok());
    auto r = reopen();
    ASSERT_FALSE(r.has_value()) << column_name(c);
    EXPECT_NE(r.error().message().find("beyond the latest block"), std::string::npos)
        << r.error().to_string();
    WriteBatch undo;
    undo.erase(c, be64_key(4));
    ASSERT_TRUE(kv.write(undo, false).is_ok());
  }
  ASSERT_TRUE(reopen().has_value());
}

// ---- On-disk damage ------------------------------------------------------------

class DiskCorruption : public ::testing::Test {
 protected:
  void SetUp() override {
    const test::ChainBuilder builder(chain_params());
    auto kv = LevelDbKvStore::open(db());
    ASSERT_TRUE(kv.has_value());
    LevelDbKvStore* raw = kv->get();
    auto store = LedgerStore::open(std::move(kv).value(), builder.genesis());
    ASSERT_TRUE(store.has_value());
    probe_ = build_chain(**store, builder, 12);
    baseline_ = all_reads(**store, probe_);
    entries_ = dump(*raw);
    raw->compact();  // everything into table files
  }

  static test::ChainParams chain_params() {
    test::ChainParams p = small_chain();
    p.transactions_per_block = 20;
    p.transaction_bytes = 300;
    return p;
  }
  std::string db() const { return dir_.sub("db"); }

  std::vector<fs::path> files(const std::string& extension) const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(db())) {
      if (e.path().extension() == extension) out.push_back(e.path());
    }
    std::sort(out.begin(), out.end(), [](const fs::path& a, const fs::path& b) {
      return fs::file_size(a) > fs::file_size(b);
    });
    return out;
  }

  // After damage: the store refuses to open with corruption, or every entry
  // reads back unchanged or as corruption, and the ledger's reads likewise.
  void expect_reported_never_served() {
    auto kv = LevelDbKvStore::open(db());
    if (!kv.has_value()) {
      EXPECT_EQ(kv.error().code(), core::StatusCode::kCorruption) << kv.error().to_string();
      return;
    }
    int corrupt = 0;
    for (const auto& [column, key, value] : entries_) {
      auto got = (*kv)->get(column, key);
      if (got.has_value()) {
        ASSERT_TRUE(got->has_value()) << describe_key(column, key) << " vanished silently";
        EXPECT_EQ(**got, value) << describe_key(column, key);
      } else {
        EXPECT_EQ(got.error().code(), core::StatusCode::kCorruption) << got.error().to_string();
        EXPECT_NE(got.error().message().find(column_name(column)), std::string::npos);
        ++corrupt;
      }
    }
    EXPECT_GT(corrupt, 0) << "the damage was not detected";
    const test::ChainBuilder builder(chain_params());
    auto store = LedgerStore::open(std::move(kv).value(), builder.genesis());
    if (!store.has_value()) {
      EXPECT_EQ(store.error().code(), core::StatusCode::kCorruption) << store.error().to_string();
      return;
    }
    const Outcome o = compare(baseline_, all_reads(**store, probe_));
    EXPECT_TRUE(o.wrong.empty()) << o.wrong.size() << " wrong reads, first: " << o.wrong[0];
  }

  test::TempDir dir_{"corruption"};
  Probe probe_;
  Reads baseline_;
  std::vector<std::tuple<Column, Bytes, Bytes>> entries_;
};

TEST_F(DiskCorruption, OverwrittenTableBytes) {
  const auto tables = files(".ldb");
  ASSERT_FALSE(tables.empty());
  const auto size = fs::file_size(tables[0]);
  ASSERT_GT(size, 8192u);
  {
    std::fstream f(tables[0], std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 3));
    const std::string garbage(300, '\xA5');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  expect_reported_never_served();
}

// With verify_tables (the node's start), the same damage refuses the open
// itself, naming the table file; undamaged, the same open succeeds.
TEST_F(DiskCorruption, VerifyTablesRefusesOverwrittenTableBytesAtOpen) {
  LevelDbOptions verify;
  verify.verify_tables = true;
  ASSERT_TRUE(LevelDbKvStore::open(db(), verify).has_value());
  const auto tables = files(".ldb");
  ASSERT_FALSE(tables.empty());
  const auto& damaged = tables.back();  // the smallest: damage anywhere is found
  const auto size = fs::file_size(damaged);
  {
    std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
    const auto at = static_cast<std::streamoff>(size / 4);
    char byte = 0;
    f.seekg(at);
    f.read(&byte, 1);
    byte = static_cast<char>(byte ^ 0x10);  // one bit flipped
    f.seekp(at);
    f.write(&byte, 1);
  }
  auto kv = LevelDbKvStore::open(db(), verify);
  ASSERT_FALSE(kv.has_value());
  EXPECT_EQ(kv.error().code(), core::StatusCode::kCorruption) << kv.error().to_string();
  EXPECT_NE(kv.error().message().find(damaged.filename().string()), std::string::npos)
      << kv.error().to_string();
}

TEST_F(DiskCorruption, TruncatedTableFileRefusesToOpen) {
  const auto tables = files(".ldb");
  ASSERT_FALSE(tables.empty());
  fs::resize_file(tables[0], fs::file_size(tables[0]) / 2);
  auto kv = LevelDbKvStore::open(db());
  ASSERT_FALSE(kv.has_value());
  EXPECT_EQ(kv.error().code(), core::StatusCode::kCorruption) << kv.error().to_string();
  EXPECT_NE(kv.error().message().find(tables[0].filename().string()), std::string::npos)
      << kv.error().to_string();
}

TEST_F(DiskCorruption, MissingTableFileRefusesToOpen) {
  const auto tables = files(".ldb");
  ASSERT_FALSE(tables.empty());
  fs::remove(tables[0]);
  auto kv = LevelDbKvStore::open(db());
  ASSERT_FALSE(kv.has_value());
  EXPECT_EQ(kv.error().code(), core::StatusCode::kCorruption) << kv.error().to_string();
}

TEST_F(DiskCorruption, DamagedManifestRefusesToOpen) {
  std::vector<fs::path> manifests;
  for (const auto& e : fs::directory_iterator(db())) {
    if (e.path().filename().string().rfind("MANIFEST-", 0) == 0) manifests.push_back(e.path());
  }
  ASSERT_FALSE(manifests.empty());
  for (const auto& m : manifests) {
    std::fstream f(m, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(10);
    const std::string garbage(40, '\x5A');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  auto kv = LevelDbKvStore::open(db());
  ASSERT_FALSE(kv.has_value());
  EXPECT_EQ(kv.error().code(), core::StatusCode::kCorruption) << kv.error().to_string();
  EXPECT_NE(kv.error().message().find(db()), std::string::npos);
}

}  // namespace
}  // namespace bauhinia::ledger
