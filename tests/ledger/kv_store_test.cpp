// The KvStore contract, run against both implementations, plus a randomized
// differential check against a std::map model, and LevelDB-specific behaviour
// (persistence, open failures, the directory lock).

#include "bauhinia/ledger/kv_store.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "bauhinia/ledger/leveldb_store.hpp"
#include "temp_dir.hpp"

namespace bauhinia::ledger {
namespace {

Bytes b(std::string_view s) {
  const ByteView v = core::as_bytes(s);
  return {v.begin(), v.end()};
}

struct MemoryFactory {
  std::unique_ptr<KvStore> make() { return std::make_unique<MemoryKvStore>(); }
};

struct LevelDbFactory {
  test::TempDir dir{"kvstore"};
  int n = 0;
  std::unique_ptr<KvStore> make() {
    auto s = LevelDbKvStore::open(dir.sub("db" + std::to_string(n++)));
    BAUHINIA_ASSERT_MSG(s.has_value(), "open failed");
    return std::move(s).value();
  }
};

template <class F>
class KvStoreContract : public ::testing::Test {
 protected:
  void SetUp() override { store_ = factory_.make(); }

  void put(Column c, std::string_view k, std::string_view v) {
    WriteBatch batch;
    batch.put(c, b(k), b(v));
    ASSERT_TRUE(store_->write(batch, false).is_ok());
  }
  std::optional<Bytes> get(Column c, std::string_view k) {
    auto r = store_->get(c, b(k));
    EXPECT_TRUE(r.has_value());
    return r.has_value() ? *r : std::nullopt;
  }
  std::vector<std::pair<Bytes, Bytes>> scan(Column c, std::string_view prefix,
                                            std::size_t limit = 1000) {
    std::vector<std::pair<Bytes, Bytes>> out;
    const core::Status s = store_->scan(c, b(prefix), limit, [&](ByteView k, ByteView v) {
      out.emplace_back(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
      return true;
    });
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return out;
  }
  std::optional<std::string> floor_key(Column c, std::string_view prefix, std::string_view upper) {
    auto r = store_->floor(c, b(prefix), b(upper));
    EXPECT_TRUE(r.has_value());
    if (!r.has_value() || !r->has_value()) return std::nullopt;
    const Bytes& k = (*r)->first;
    return std::string(k.begin(), k.end());
  }

  F factory_;
  std::unique_ptr<KvStore> store_;
};

using Factories = ::testing::Types<MemoryFactory, LevelDbFactory>;
TYPED_TEST_SUITE(KvStoreContract, Factories);

TYPED_TEST(KvStoreContract, GetPutOverwriteDelete) {
  EXPECT_EQ(this->get(Column::kMeta, "a"), std::nullopt);
  this->put(Column::kMeta, "a", "1");
  EXPECT_EQ(this->get(Column::kMeta, "a"), b("1"));
  this->put(Column::kMeta, "a", "22");
  EXPECT_EQ(this->get(Column::kMeta, "a"), b("22"));
  this->put(Column::kMeta, "empty", "");
  EXPECT_EQ(this->get(Column::kMeta, "empty"), Bytes{});  // present but empty
  WriteBatch del;
  del.erase(Column::kMeta, b("a"));
  del.erase(Column::kMeta, b("never-there"));
  ASSERT_TRUE(this->store_->write(del, true).is_ok());
  EXPECT_EQ(this->get(Column::kMeta, "a"), std::nullopt);
  EXPECT_EQ(this->get(Column::kMeta, "empty"), Bytes{});
}

TYPED_TEST(KvStoreContract, ColumnsAreSeparateKeySpaces) {
  this->put(Column::kBlockHeader, "k", "header");
  this->put(Column::kBlockBody, "k", "body");
  EXPECT_EQ(this->get(Column::kBlockHeader, "k"), b("header"));
  EXPECT_EQ(this->get(Column::kBlockBody, "k"), b("body"));
  EXPECT_EQ(this->get(Column::kCertificate, "k"), std::nullopt);
  // A scan of one column never runs into the next one.
  EXPECT_EQ(this->scan(Column::kBlockHeader, "").size(), 1u);
  EXPECT_EQ(this->scan(Column::kMeta, "").size(), 0u);
}

TYPED_TEST(KvStoreContract, BatchAppliesInOrder) {
  WriteBatch batch;
  batch.put(Column::kMeta, b("x"), b("1"));
  batch.erase(Column::kMeta, b("x"));
  batch.erase(Column::kMeta, b("y"));
  batch.put(Column::kMeta, b("y"), b("2"));
  batch.put(Column::kMeta, b("z"), b("3"));
  batch.put(Column::kMeta, b("z"), b("4"));
  ASSERT_TRUE(this->store_->write(batch, true).is_ok());
  EXPECT_EQ(this->get(Column::kMeta, "x"), std::nullopt);
  EXPECT_EQ(this->get(Column::kMeta, "y"), b("2"));
  EXPECT_EQ(this->get(Column::kMeta, "z"), b("4"));
  WriteBatch empty;
  EXPECT_TRUE(this->store_->write(empty, true).is_ok());
}

TYPED_TEST(KvStoreContract, ScanPrefixOrderLimitAndStop) {
  for (const char* k : {"ab2", "ab1", "ab10", "ac", "a", "b", "aa"})
    this->put(Column::kTxIndex, k, k);
  this->put(Column::kAccountTx, "ab0", "other column");
  auto all = this->scan(Column::kTxIndex, "ab");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].first, b("ab1"));
  EXPECT_EQ(all[1].first, b("ab10"));
  EXPECT_EQ(all[2].first, b("ab2"));
  EXPECT_EQ(all[2].second, b("ab2"));
  EXPECT_EQ(this->scan(Column::kTxIndex, "ab", 2).size(), 2u);
  EXPECT_EQ(this->scan(Column::kTxIndex, "ab", 0).size(), 0u);
  EXPECT_EQ(this->scan(Column::kTxIndex, "").size(), 7u);
  EXPECT_EQ(this->scan(Column::kTxIndex, "zz").size(), 0u);
  int calls = 0;
  ASSERT_TRUE(
      this->store_->scan(Column::kTxIndex, {}, 100, [&](ByteView, ByteView) { return ++calls < 2; })
          .is_ok());
  EXPECT_EQ(calls, 2);
}

// Forwards everything but scan_from, so the base class's default runs.
class DefaultScanFrom final : public KvReader {
 public:
  explicit DefaultScanFrom(const KvReader& base) : base_(base) {}
  core::Result<std::optional<Bytes>> get(Column c, ByteView key) const override {
    return base_.get(c, key);
  }
  core::Status scan(Column c, ByteView prefix, std::size_t limit,
                    const std::function<bool(ByteView, ByteView)>& fn) const override {
    return base_.scan(c, prefix, limit, fn);
  }
  core::Result<std::optional<std::pair<Bytes, Bytes>>> floor(Column c, ByteView prefix,
                                                             ByteView upper) const override {
    return base_.floor(c, prefix, upper);
  }

 private:
  const KvReader& base_;
};

TYPED_TEST(KvStoreContract, ScanFromStartsAtTheGivenKey) {
  for (const char* k : {"a1", "a3", "a5", "a7", "b1"}) this->put(Column::kAccountTx, k, k);
  const DefaultScanFrom fallback(*this->store_);
  for (const KvReader* reader : {static_cast<const KvReader*>(this->store_.get()),
                                 static_cast<const KvReader*>(&fallback)}) {
    auto keys = [&](std::string_view prefix, std::string_view start, std::size_t limit) {
      std::string out;
      EXPECT_TRUE(reader
                      ->scan_from(Column::kAccountTx, b(prefix), b(start), limit,
                                  [&](ByteView k, ByteView) {
                                    out.append(k.begin(), k.end());
                                    out += ',';
                                    return true;
                                  })
                      .is_ok());
      return out;
    };
    EXPECT_EQ(keys("a", "a3", 100), "a3,a5,a7,");
    EXPECT_EQ(keys("a", "a4", 100), "a5,a7,");
    EXPECT_EQ(keys("a", "a4", 1), "a5,");
    EXPECT_EQ(keys("a", "a8", 100), "");
    EXPECT_EQ(keys("a", "", 100), "a1,a3,a5,a7,");  // start before the prefix
    EXPECT_EQ(keys("a", "z", 100), "");
    EXPECT_EQ(keys("", "a6", 100), "a7,b1,");
    EXPECT_EQ(keys("a", "a1", 0), "");
  }
}

TYPED_TEST(KvStoreContract, ScanCallbackMayReadTheStore) {
  this->put(Column::kTxIndex, "k1", "v1");
  this->put(Column::kTxIndex, "k2", "v2");
  int seen = 0;
  ASSERT_TRUE(this->store_
                  ->scan(Column::kTxIndex, {}, 10,
                         [&](ByteView k, ByteView v) {
                           auto again = this->store_->get(Column::kTxIndex, k);
                           EXPECT_TRUE(again.has_value() && again->has_value() &&
                                       **again == Bytes(v.begin(), v.end()));
                           ++seen;
                           return true;
                         })
                  .is_ok());
  EXPECT_EQ(seen, 2);
}

TYPED_TEST(KvStoreContract, FloorFindsLatestVersionAtOrBelow) {
  // record key "r" at versions 2, 5, 9; a neighbour record "s".
  auto key = [](std::string_view rec, std::uint64_t v) {
    Bytes k = b(rec);
    append_be64(k, v);
    return k;
  };
  for (std::uint64_t v : {2, 5, 9}) {
    WriteBatch batch;
    batch.put(Column::kStateValue, key("r", v), be64_key(v));
    batch.put(Column::kStateValue, key("s", v + 1), be64_key(v + 1));
    ASSERT_TRUE(this->store_->write(batch, false).is_ok());
  }
  auto floor_version = [&](std::string_view rec, std::uint64_t v) -> std::optional<std::uint64_t> {
    auto r = this->store_->floor(Column::kStateValue, b(rec), key(rec, v));
    EXPECT_TRUE(r.has_value());
    if (!r.has_value() || !r->has_value()) return std::nullopt;
    EXPECT_EQ((*r)->first.size(), rec.size() + 8);
    EXPECT_EQ(read_be64((*r)->second), read_be64(ByteView((*r)->first).subspan(rec.size())));
    return read_be64(ByteView((*r)->first).subspan(rec.size()));
  };
  EXPECT_EQ(floor_version("r", 0), std::nullopt);
  EXPECT_EQ(floor_version("r", 1), std::nullopt);
  EXPECT_EQ(floor_version("r", 2), 2u);
  EXPECT_EQ(floor_version("r", 4), 2u);
  EXPECT_EQ(floor_version("r", 5), 5u);
  EXPECT_EQ(floor_version("r", 8), 5u);
  EXPECT_EQ(floor_version("r", 1000), 9u);
  EXPECT_EQ(floor_version("r", ~0ULL), 9u);
  EXPECT_EQ(floor_version("s", 2), std::nullopt);
  EXPECT_EQ(floor_version("s", 3), 3u);
  EXPECT_EQ(floor_version("q", 100), std::nullopt);
  EXPECT_EQ(floor_version("t", 100), std::nullopt);
}

TYPED_TEST(KvStoreContract, FloorWithUpperOutsideThePrefix) {
  for (const char* k : {"ab1", "ab5", "ac", "b"}) this->put(Column::kMeta, k, "v");
  this->put(Column::kRecordHistory, "ab9", "next column");
  // upper beyond every key with the prefix: the last key with it.
  EXPECT_EQ(this->floor_key(Column::kMeta, "ab", "ac"), "ab5");
  EXPECT_EQ(this->floor_key(Column::kMeta, "ab", "zz"), "ab5");
  // upper before every key with the prefix: nothing.
  EXPECT_EQ(this->floor_key(Column::kMeta, "ab", "aa"), std::nullopt);
  EXPECT_EQ(this->floor_key(Column::kMeta, "ab", ""), std::nullopt);
  // empty prefix: any key of the column.
  EXPECT_EQ(this->floor_key(Column::kMeta, "", "ab3"), "ab1");
  EXPECT_EQ(this->floor_key(Column::kMeta, "", "zzz"), "b");
  EXPECT_EQ(this->floor_key(Column::kMeta, "", "a"), std::nullopt);
  EXPECT_EQ(this->floor_key(Column::kMeta, "ab", "ab"), std::nullopt);  // "ab" itself absent
  this->put(Column::kMeta, "ab", "v");
  EXPECT_EQ(this->floor_key(Column::kMeta, "ab", "ab"), "ab");
  EXPECT_EQ(this->floor_key(Column::kMeta, "ab", "ab0"), "ab");
}

TYPED_TEST(KvStoreContract, FloorWithAllOnesPrefix) {
  const Bytes ff{0xFF, 0xFF};
  Bytes ff1 = ff;
  ff1.push_back(0x01);
  WriteBatch batch;
  batch.put(Column::kStateValue, ff, b("a"));
  batch.put(Column::kStateValue, ff1, b("b"));
  ASSERT_TRUE(this->store_->write(batch, false).is_ok());
  auto r = this->store_->floor(Column::kStateValue, ff, Bytes{0xFF, 0xFF, 0xFF});
  ASSERT_TRUE(r.has_value() && r->has_value());
  EXPECT_EQ((*r)->first, ff1);
  // A prefix of all 0xFF within the last column still stops at the column end.
  auto none = this->store_->floor(Column::kStateValue, Bytes{0xFF, 0xFF, 0xFF},
                                  Bytes{0xFF, 0xFF, 0xFF, 0xFF});
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
}

// Random batches and random queries: both stores must answer exactly like a
// std::map model (which is how the ledger's versions and indexes are read).
TYPED_TEST(KvStoreContract, MatchesModelOnRandomOperations) {
  std::mt19937_64 rng(20240611);
  std::map<Bytes, Bytes> model;  // column byte || key
  const Column columns[] = {Column::kStateValue, Column::kRecordHistory, Column::kTxIndex};
  auto random_key = [&] {
    Bytes k(1 + rng() % 4);
    for (auto& x : k) x = static_cast<std::uint8_t>(rng() % 3 == 0 ? 0xFF : rng() % 4);
    return k;
  };
  for (int round = 0; round < 60; ++round) {
    WriteBatch batch;
    const int n = static_cast<int>(rng() % 20);
    for (int i = 0; i < n; ++i) {
      const Column c = columns[rng() % 3];
      Bytes k = random_key();
      Bytes full{static_cast<std::uint8_t>(c)};
      full.insert(full.end(), k.begin(), k.end());
      if (rng() % 4 == 0) {
        batch.erase(c, k);
        model.erase(full);
      } else {
        Bytes v = be64_key(rng());
        model[full] = v;
        batch.put(c, k, v);
      }
    }
    ASSERT_TRUE(this->store_->write(batch, round % 10 == 0).is_ok());
    for (int q = 0; q < 30; ++q) {
      const Column c = columns[rng() % 3];
      const Bytes prefix = rng() % 5 == 0 ? Bytes{} : Bytes(random_key());
      const Bytes upper = random_key();
      Bytes fp{static_cast<std::uint8_t>(c)};
      fp.insert(fp.end(), prefix.begin(), prefix.end());
      Bytes fu{static_cast<std::uint8_t>(c)};
      fu.insert(fu.end(), upper.begin(), upper.end());
      // Model floor: the greatest key <= upper with the prefix.
      std::optional<Bytes> want;
      for (const auto& [k, v] : model) {
        if (k > fu) break;
        if (k.size() >= fp.size() && std::equal(fp.begin(), fp.end(), k.begin())) want = k;
      }
      auto got = this->store_->floor(c, prefix, upper);
      ASSERT_TRUE(got.has_value());
      if (want) {
        ASSERT_TRUE(got->has_value()) << "round " << round;
        EXPECT_EQ(Bytes(want->begin() + 1, want->end()), (*got)->first);
        EXPECT_EQ(model[*want], (*got)->second);
      } else {
        EXPECT_FALSE(got->has_value()) << "round " << round;
      }
      // Model scan.
      std::vector<Bytes> want_scan;
      for (auto it = model.lower_bound(fp); it != model.end() && it->first.size() >= fp.size() &&
                                            std::equal(fp.begin(), fp.end(), it->first.begin());
           ++it) {
        want_scan.emplace_back(it->first.begin() + 1, it->first.end());
      }
      std::vector<Bytes> got_scan;
      ASSERT_TRUE(this->store_
                      ->scan(c, prefix, 1000,
                             [&](ByteView k, ByteView) {
                               got_scan.emplace_back(k.begin(), k.end());
                               return true;
                             })
                      .is_ok());
      EXPECT_EQ(want_scan, got_scan);
      // Model scan_from: the same keys from `start` on.
      const Bytes start = random_key();
      std::vector<Bytes> want_from;
      for (const auto& k : want_scan) {
        if (!std::lexicographical_compare(k.begin(), k.end(), start.begin(), start.end())) {
          want_from.push_back(k);
        }
      }
      std::vector<Bytes> got_from;
      ASSERT_TRUE(this->store_
                      ->scan_from(c, prefix, start, 1000,
                                  [&](ByteView k, ByteView) {
                                    got_from.emplace_back(k.begin(), k.end());
                                    return true;
                                  })
                      .is_ok());
      EXPECT_EQ(want_from, got_from);
      const Bytes probe = random_key();
      Bytes fprobe{static_cast<std::uint8_t>(c)};
      fprobe.insert(fprobe.end(), probe.begin(), probe.end());
      auto g = this->store_->get(c, probe);
      ASSERT_TRUE(g.has_value());
      auto it = model.find(fprobe);
      EXPECT_EQ(it == model.end() ? std::nullopt : std::optional<Bytes>(it->second), *g);
    }
  }
}

TEST(Column, NamesAndKeyDescriptions) {
  EXPECT_EQ(column_name(Column::kBlockHeader), "block_header");
  EXPECT_EQ(column_name(static_cast<Column>(0x7F)), "column_0x7f");
  EXPECT_EQ(describe_key(Column::kTxIndex, be64_key(5)), "tx_index key 0000000000000005");
  EXPECT_EQ(describe_key(Column::kMeta, {}), "meta key (empty)");
  EXPECT_NE(describe_key(Column::kMeta, Bytes(200, 1)).find("..."), std::string::npos);
}

TEST(BigEndianKeys, OrderIsNumericOrder) {
  EXPECT_EQ(be64_key(0x0102030405060708ULL),
            (Bytes{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08}));
  EXPECT_EQ(read_be64(be64_key(0xFEDCBA9876543210ULL)), 0xFEDCBA9876543210ULL);
  EXPECT_LT(be64_key(255), be64_key(256));
  EXPECT_LT(be64_key(1ULL << 32), be64_key((1ULL << 32) + 1));
}

TEST(LevelDbKvStore, PersistsAcrossReopen) {
  test::TempDir dir("kvstore");
  const std::string path = dir.sub("db");
  {
    auto store = LevelDbKvStore::open(path);
    ASSERT_TRUE(store.has_value()) << store.error().to_string();
    WriteBatch batch;
    batch.put(Column::kBlockHeader, be64_key(1), b("one"));
    batch.put(Column::kBlockHeader, be64_key(2), b("two"));
    ASSERT_TRUE((*store)->write(batch, true).is_ok());
  }
  auto store = LevelDbKvStore::open(path);
  ASSERT_TRUE(store.has_value()) << store.error().to_string();
  auto v = (*store)->get(Column::kBlockHeader, be64_key(2));
  ASSERT_TRUE(v.has_value() && v->has_value());
  EXPECT_EQ(**v, b("two"));
  (*store)->compact();
  auto again = (*store)->get(Column::kBlockHeader, be64_key(1));
  ASSERT_TRUE(again.has_value() && again->has_value());
  EXPECT_EQ(**again, b("one"));
  EXPECT_FALSE((*store)->property("leveldb.stats").empty());
}

TEST(LevelDbKvStore, OpenFailuresAreClearStatuses) {
  test::TempDir dir("kvstore");
  // Missing and not allowed to create.
  LevelDbOptions no_create;
  no_create.create_if_missing = false;
  auto missing = LevelDbKvStore::open(dir.sub("absent"), no_create);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find(dir.sub("absent")), std::string::npos)
      << missing.error().to_string();
  // A regular file where the directory should be.
  { std::ofstream(dir.sub("file")) << "not a database"; }
  auto file = LevelDbKvStore::open(dir.sub("file"));
  ASSERT_FALSE(file.has_value());
  EXPECT_NE(file.error().message().find("cannot open"), std::string::npos);
  // Empty path.
  auto empty = LevelDbKvStore::open("");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code(), core::StatusCode::kInvalidArgument);
  // Already exists, when asked to fail then.
  {
    auto first = LevelDbKvStore::open(dir.sub("db"));
    ASSERT_TRUE(first.has_value());
  }
  LevelDbOptions exclusive;
  exclusive.error_if_exists = true;
  EXPECT_FALSE(LevelDbKvStore::open(dir.sub("db"), exclusive).has_value());
}

TEST(LevelDbKvStore, SecondOpenOfSameDirectoryIsRefused) {
  test::TempDir dir("kvstore");
  auto first = LevelDbKvStore::open(dir.sub("db"));
  ASSERT_TRUE(first.has_value());
  auto second = LevelDbKvStore::open(dir.sub("db"));
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code(), core::StatusCode::kIoError) << second.error().to_string();
  EXPECT_NE(second.error().message().find("LOCK"), std::string::npos) << second.error().to_string();
}

TEST(LevelDbKvStore, DestroyRemovesTheDatabase) {
  test::TempDir dir("kvstore");
  {
    auto s = LevelDbKvStore::open(dir.sub("db"));
    ASSERT_TRUE(s.has_value());
    WriteBatch batch;
    batch.put(Column::kMeta, b("k"), b("v"));
    ASSERT_TRUE((*s)->write(batch, true).is_ok());
  }
  ASSERT_TRUE(LevelDbKvStore::destroy(dir.sub("db")).is_ok());
  auto s = LevelDbKvStore::open(dir.sub("db"));
  ASSERT_TRUE(s.has_value());
  auto v = (*s)->get(Column::kMeta, b("k"));
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->has_value());
}

TEST(LevelDbKvStore, ColumnSizeEstimateGrowsAfterCompaction) {
  test::TempDir dir("kvstore");
  auto s = LevelDbKvStore::open(dir.sub("db"));
  ASSERT_TRUE(s.has_value());
  WriteBatch batch;
  std::mt19937_64 rng(7);
  for (std::uint64_t i = 0; i < 2000; ++i) {
    Bytes v(100);
    for (auto& x : v) x = static_cast<std::uint8_t>(rng());
    batch.put(Column::kTransaction, be64_key(i), v);
  }
  ASSERT_TRUE((*s)->write(batch, true).is_ok());
  (*s)->compact();
  EXPECT_GT((*s)->approximate_column_bytes(Column::kTransaction), 100'000u);
  EXPECT_EQ((*s)->approximate_column_bytes(Column::kBlockHeader), 0u);
}

}  // namespace
}  // namespace bauhinia::ledger
