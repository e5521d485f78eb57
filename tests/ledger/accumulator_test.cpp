// The stored transaction accumulator against the literal RFC 9162 definitions:
// every size up to 70 with every index, random large sizes, any batching, the
// frontier reloaded from storage, proofs verified by the chain verifiers, and
// storage failures reported rather than served.

#include "bauhinia/ledger/accumulator.hpp"

#include <gtest/gtest.h>

#include <random>

#include "../chain/naive_merkle.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/ledger/accumulator_reader.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"
#include "temp_dir.hpp"

namespace bauhinia::ledger {
namespace {

namespace naive = test::naive;
using chain::verify_consistency;
using chain::verify_inclusion;

constexpr std::uint64_t kSmall = 70;

// Appends `leaves` in batches of `batch_size`, writing each batch.
Accumulator build(KvStore& store, const naive::Hashes& leaves, std::size_t batch_size,
                  Accumulator acc = {}) {
  for (std::size_t i = acc.size(); i < leaves.size(); i += batch_size) {
    const std::size_t n = std::min(batch_size, leaves.size() - i);
    WriteBatch batch;
    const Hash256 root = acc.append(std::span<const Hash256>(leaves.data() + i, n), batch);
    EXPECT_EQ(root, acc.root());
    EXPECT_TRUE(store.write(batch, false).is_ok());
  }
  return acc;
}

naive::Hashes prefix(const naive::Hashes& d, std::uint64_t n) {
  return naive::Hashes(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(n));
}

TEST(Accumulator, KeysAreLevelThenBigEndianIndex) {
  EXPECT_EQ(core::to_hex(accumulator_key(0, 0)), "000000000000000000");
  EXPECT_EQ(core::to_hex(accumulator_key(3, 0x0102030405060708ULL)), "030102030405060708");
}

TEST(Accumulator, EmptyTree) {
  Accumulator acc;
  EXPECT_EQ(acc.size(), 0U);
  EXPECT_EQ(acc.root(), chain::merkle::empty_root());
  MemoryKvStore store;
  AccumulatorReader reader(store);
  EXPECT_EQ(*reader.stored_size(), 0U);
  EXPECT_EQ(*reader.root_at(0), chain::merkle::empty_root());
  EXPECT_EQ(reader.root_at(1).error().code(), core::StatusCode::kNotFound);
}

TEST(Accumulator, AppendWritesOnlyFrozenNodesAndAmortizedTwoPerLeaf) {
  const auto d = naive::leaves(64);
  Accumulator acc;
  WriteBatch batch;
  acc.append(d, batch);
  // 64 leaves + 32 + 16 + 8 + 4 + 2 + 1 parents = 127 nodes, each written once.
  EXPECT_EQ(batch.size(), 127U);
  EXPECT_EQ(acc.peaks().size(), 1U);
  EXPECT_EQ(acc.root(), naive::mth(d));
  WriteBatch one;
  acc.append(naive::leaves(1, 64)[0], one);
  EXPECT_EQ(one.size(), 1U);  // leaf 64 completes nothing
  EXPECT_EQ(acc.peaks().size(), 2U);
}

TEST(Accumulator, MatchesNaiveForAllSmallSizesIndicesAndPairs) {
  const auto d = naive::leaves(kSmall);
  MemoryKvStore store;
  Accumulator acc;
  // Grow one leaf at a time and check the live root against the naive MTH.
  for (std::uint64_t n = 0; n < kSmall; ++n) {
    WriteBatch batch;
    ASSERT_EQ(acc.append(d[n], batch), naive::mth(prefix(d, n + 1))) << n + 1;
    ASSERT_TRUE(store.write(batch, false).is_ok());
  }
  AccumulatorReader reader(store);
  ASSERT_EQ(*reader.stored_size(), kSmall);
  std::vector<Hash256> roots;
  for (std::uint64_t n = 0; n <= kSmall; ++n) {
    roots.push_back(naive::mth(prefix(d, n)));
    ASSERT_EQ(*reader.root_at(n), roots.back()) << n;
  }
  for (std::uint64_t n = 1; n <= kSmall; ++n) {
    const auto dn = prefix(d, n);
    for (std::uint64_t i = 0; i < n; ++i) {
      auto p = reader.inclusion_proof(i, n);
      ASSERT_TRUE(p) << p.error().to_string();
      ASSERT_EQ(p->path, naive::path(i, dn)) << i << "/" << n;
      ASSERT_TRUE(verify_inclusion(d[i], *p, roots[n]).ok()) << i << "/" << n;
      ASSERT_EQ(*reader.leaf(i), d[i]);
    }
    for (std::uint64_t m = 1; m <= n; ++m) {
      auto p = reader.consistency_proof(m, n);
      ASSERT_TRUE(p) << p.error().to_string();
      ASSERT_EQ(p->path, naive::proof(m, dn)) << m << "->" << n;
      ASSERT_TRUE(verify_consistency(*p, roots[m], roots[n]).ok()) << m << "->" << n;
    }
  }
}

TEST(Accumulator, BatchingDoesNotChangeTheStoredTree) {
  const auto d = naive::leaves(kSmall);
  MemoryKvStore one_by_one;
  const Accumulator a = build(one_by_one, d, 1);
  for (std::size_t batch_size : {2U, 3U, 7U, 16U, 64U, 70U}) {
    MemoryKvStore batched;
    const Accumulator b = build(batched, d, batch_size);
    EXPECT_EQ(a, b) << batch_size;
    EXPECT_EQ(one_by_one.entries(), batched.entries()) << batch_size;
  }
}

TEST(Accumulator, LoadRestoresTheFrontierAtEverySize) {
  const auto d = naive::leaves(kSmall);
  MemoryKvStore store;
  Accumulator acc;
  for (std::uint64_t n = 0; n <= kSmall; ++n) {
    auto loaded = Accumulator::load(store, n);
    ASSERT_TRUE(loaded) << loaded.error().to_string();
    ASSERT_EQ(*loaded, acc) << n;
    if (n == kSmall) break;
    // Continue from the loaded frontier: same result as the live one.
    WriteBatch b1, b2;
    const Hash256 r1 = acc.append(d[n], b1);
    const Hash256 r2 = loaded->append(d[n], b2);
    ASSERT_EQ(r1, r2);
    ASSERT_TRUE(store.write(b1, false).is_ok());
  }
  // Beyond the stored tree a peak is missing.
  auto beyond = Accumulator::load(store, kSmall + 1);
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().code(), core::StatusCode::kCorruption);
}

TEST(Accumulator, RandomLargeSizes) {
  std::mt19937_64 rng(20240611);
  const std::uint64_t total = 5000;
  const auto d = naive::leaves(total);
  MemoryKvStore store;
  build(store, d, 333);
  AccumulatorReader reader(store);
  for (int trial = 0; trial < 12; ++trial) {
    const std::uint64_t n = 1 + rng() % total;
    const auto dn = prefix(d, n);
    const Hash256 root = naive::mth(dn);
    ASSERT_EQ(*reader.root_at(n), root) << n;
    for (int k = 0; k < 3; ++k) {
      const std::uint64_t i = rng() % n;
      auto p = reader.inclusion_proof(i, n);
      ASSERT_TRUE(p);
      EXPECT_EQ(p->path, naive::path(i, dn)) << i << "/" << n;
      EXPECT_TRUE(verify_inclusion(d[i], *p, root).ok());
      const std::uint64_t m = 1 + rng() % n;
      auto c = reader.consistency_proof(m, n);
      ASSERT_TRUE(c);
      EXPECT_EQ(c->path, naive::proof(m, dn)) << m << "->" << n;
      EXPECT_TRUE(verify_consistency(*c, naive::mth(prefix(d, m)), root).ok());
    }
  }
}

TEST(Accumulator, BadRequestsAreErrorsNotCrashes) {
  const auto d = naive::leaves(10);
  MemoryKvStore store;
  build(store, d, 4);
  AccumulatorReader reader(store);
  EXPECT_EQ(reader.inclusion_proof(10, 10).error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(reader.inclusion_proof(3, 11).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(reader.consistency_proof(0, 5).error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(reader.consistency_proof(6, 5).error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(reader.consistency_proof(5, 11).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(reader.root_at(~std::uint64_t{0}).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(reader.leaf(10).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(reader.leaf(~std::uint64_t{0}).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(Accumulator::load(store, ~std::uint64_t{0}).error().code(),
            core::StatusCode::kInvalidArgument);
  auto same = reader.consistency_proof(7, 7);
  ASSERT_TRUE(same);
  EXPECT_TRUE(same->path.empty());
}

TEST(Accumulator, MissingOrDamagedNodesAreCorruption) {
  const auto d = naive::leaves(13);
  MemoryKvStore store;
  build(store, d, 13);
  AccumulatorReader reader(store);
  // 13 = 8 + 4 + 1: the peak (2, 2) covers leaves 8..11.
  WriteBatch damage;
  damage.erase(Column::kAccumulator, accumulator_key(2, 2));
  ASSERT_TRUE(store.write(damage, false).is_ok());
  EXPECT_EQ(reader.root_at(13).error().code(), core::StatusCode::kCorruption);
  EXPECT_EQ(Accumulator::load(store, 13).error().code(), core::StatusCode::kCorruption);
  EXPECT_EQ(reader.inclusion_proof(0, 13).error().code(), core::StatusCode::kCorruption);
  EXPECT_TRUE(reader.root_at(8));  // older trees do not need that node
  WriteBatch shorten;
  shorten.put(Column::kAccumulator, accumulator_key(3, 0), Bytes(31, 0));
  ASSERT_TRUE(store.write(shorten, false).is_ok());
  EXPECT_EQ(reader.root_at(8).error().code(), core::StatusCode::kCorruption);
}

// The same tree on a real LevelDB, reopened: roots and proofs survive.
TEST(Accumulator, OnLevelDbAcrossReopen) {
  bauhinia::test::TempDir dir("accumulator");
  const auto d = naive::leaves(3000);
  Accumulator acc;
  {
    auto db = LevelDbKvStore::open(dir.sub("db"));
    ASSERT_TRUE(db) << db.error().to_string();
    acc = build(**db, d, 1000);
  }
  auto db = LevelDbKvStore::open(dir.sub("db"));
  ASSERT_TRUE(db) << db.error().to_string();
  AccumulatorReader reader(**db);
  EXPECT_EQ(*reader.stored_size(), 3000U);
  EXPECT_EQ(*reader.root_at(3000), acc.root());
  EXPECT_EQ(*Accumulator::load(**db, 3000), acc);
  auto p = reader.inclusion_proof(1234, 2500);
  ASSERT_TRUE(p);
  EXPECT_TRUE(verify_inclusion(d[1234], *p, *reader.root_at(2500)).ok());
  auto c = reader.consistency_proof(1999, 3000);
  ASSERT_TRUE(c);
  EXPECT_TRUE(verify_consistency(*c, *reader.root_at(1999), acc.root()).ok());
}

}  // namespace
}  // namespace bauhinia::ledger
