// The Merkle helpers and verifiers against the literal RFC 9162 definitions,
// and every kind of forged proof.

#include "bauhinia/chain/merkle.hpp"

#include <gtest/gtest.h>

#include "bauhinia/chain/block_header.hpp"
#include "naive_merkle.hpp"

namespace bauhinia::chain {
namespace {

namespace naive = test::naive;
using core::Reject;

constexpr std::uint64_t kMaxSize = 70;

TEST(Merkle, PrimitivesMatchTheRfc) {
  EXPECT_EQ(merkle::empty_root().to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // RFC 6962 leaf hash of the empty string (transparency-dev's "empty leaf").
  EXPECT_EQ(merkle::leaf_hash({}).to_hex(),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  const Bytes d{'a', 'b', 'c'};
  EXPECT_EQ(merkle::leaf_hash(d), naive::leaf(d));
  const Hash256 a = naive::leaf(d), b = naive::leaf(Bytes{});
  EXPECT_EQ(merkle::node_hash(a, b), naive::node(a, b));
  EXPECT_NE(merkle::node_hash(a, b), merkle::node_hash(b, a));
  EXPECT_EQ(merkle::split_point(2), 1U);
  EXPECT_EQ(merkle::split_point(3), 2U);
  EXPECT_EQ(merkle::split_point(8), 4U);
  EXPECT_EQ(merkle::split_point(9), 8U);
  EXPECT_EQ(merkle::split_point(~std::uint64_t{0}), 1ULL << 63);
}

TEST(Merkle, InMemoryHelpersMatchNaiveForAllSmallTrees) {
  const auto all = naive::leaves(kMaxSize);
  for (std::uint64_t n = 0; n <= kMaxSize; ++n) {
    const naive::Hashes d(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    ASSERT_EQ(merkle::root(d), naive::mth(d)) << n;
    for (std::uint64_t i = 0; i < n; ++i) {
      ASSERT_EQ(merkle::inclusion_path(d, i), naive::path(i, d)) << i << "/" << n;
    }
    for (std::uint64_t m = 1; m <= n; ++m) {
      ASSERT_EQ(merkle::consistency_path(d, m), naive::proof(m, d)) << m << "->" << n;
    }
  }
}

TEST(Merkle, EveryInclusionProofOfSmallTreesVerifies) {
  const auto all = naive::leaves(kMaxSize);
  for (std::uint64_t n = 1; n <= kMaxSize; ++n) {
    const naive::Hashes d(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    const Hash256 root = naive::mth(d);
    for (std::uint64_t i = 0; i < n; ++i) {
      const InclusionProof p{i, n, naive::path(i, d)};
      ASSERT_TRUE(verify_inclusion(d[i], p, root).ok()) << i << "/" << n;
      // Any other leaf at this position fails.
      ASSERT_FALSE(verify_inclusion(d[(i + 1) % n], p, root).ok() && n > 1);
    }
  }
}

TEST(Merkle, EveryConsistencyProofOfSmallTreesVerifies) {
  const auto all = naive::leaves(kMaxSize);
  std::vector<Hash256> roots;
  for (std::uint64_t n = 0; n <= kMaxSize; ++n) {
    roots.push_back(
        naive::mth(naive::Hashes(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n))));
  }
  for (std::uint64_t n = 1; n <= kMaxSize; ++n) {
    const naive::Hashes d(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    for (std::uint64_t m = 1; m <= n; ++m) {
      const auto p = naive::proof(m, d);
      ASSERT_TRUE(verify_consistency(m, n, roots[m], roots[n], p).ok()) << m << "->" << n;
      if (m < n) {
        // Swapped roots and a wrong old root fail.
        ASSERT_FALSE(verify_consistency(m, n, roots[n], roots[m], p).ok());
        ASSERT_FALSE(verify_consistency(m, n, roots[m - 1], roots[n], p).ok());
      }
    }
  }
}

// A flipped bit anywhere, a wrong index or size, an extra, missing or
// reordered hash: all rejected.
TEST(Merkle, ForgedInclusionProofsAreRejected) {
  const auto d = naive::leaves(37);
  const Hash256 root = naive::mth(d);
  for (std::uint64_t i = 0; i < d.size(); ++i) {
    const InclusionProof good{i, d.size(), naive::path(i, d)};
    ASSERT_TRUE(verify_inclusion(d[i], good, root).ok());
    for (std::size_t e = 0; e < good.path.size(); ++e) {
      for (unsigned bit : {0U, 7U, 128U, 255U}) {
        InclusionProof bad = good;
        bad.path[e].bytes()[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
        const auto v = verify_inclusion(d[i], bad, root);
        ASSERT_FALSE(v.ok());
        EXPECT_EQ(v.rejection().reason, Reject::kBadProof);
      }
    }
    Hash256 leaf = d[i];
    leaf.bytes()[31] ^= 1;
    EXPECT_FALSE(verify_inclusion(leaf, good, root).ok());
    Hash256 bad_root = root;
    bad_root.bytes()[0] ^= 0x80;
    EXPECT_FALSE(verify_inclusion(d[i], good, bad_root).ok());
    for (std::uint64_t wrong : {i + 1, i ^ 1, i - 1, i + 32}) {
      if (wrong == i) continue;
      InclusionProof bad = good;
      bad.leaf_index = wrong;
      EXPECT_FALSE(verify_inclusion(d[i], bad, root).ok()) << i << " as " << wrong;
    }
    // The size is authenticated together with the root (a header names both):
    // a proof can only pass under another size whose path has the same shape,
    // never under one of a different depth, and never for index >= size.
    for (std::uint64_t wrong = 1; wrong <= 80; ++wrong) {
      if (wrong == d.size()) continue;
      InclusionProof bad = good;
      bad.tree_size = wrong;
      const bool ok = verify_inclusion(d[i], bad, root).ok();
      if (i >= wrong || naive::path(i, naive::leaves(wrong)).size() != good.path.size()) {
        EXPECT_FALSE(ok) << i << " in " << wrong;
      }
    }
    InclusionProof huge = good;
    huge.tree_size = 1ULL << 40;
    EXPECT_FALSE(verify_inclusion(d[i], huge, root).ok());
    InclusionProof longer = good;
    longer.path.push_back(root);
    EXPECT_FALSE(verify_inclusion(d[i], longer, root).ok());
    InclusionProof shorter = good;
    shorter.path.pop_back();
    EXPECT_FALSE(verify_inclusion(d[i], shorter, root).ok());
    if (good.path.size() >= 2) {
      InclusionProof swapped = good;
      std::swap(swapped.path[0], swapped.path[1]);
      EXPECT_FALSE(verify_inclusion(d[i], swapped, root).ok());
    }
  }
}

TEST(Merkle, ForgedConsistencyProofsAreRejected) {
  const auto d = naive::leaves(45);
  const Hash256 root2 = naive::mth(d);
  for (std::uint64_t m = 1; m < d.size(); ++m) {
    const naive::Hashes old(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(m));
    const Hash256 root1 = naive::mth(old);
    const auto good = naive::proof(m, d);
    ASSERT_TRUE(verify_consistency(m, d.size(), root1, root2, good).ok());
    for (std::size_t e = 0; e < good.size(); ++e) {
      for (unsigned bit : {0U, 100U, 255U}) {
        auto bad = good;
        bad[e].bytes()[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
        const auto v = verify_consistency(m, d.size(), root1, root2, bad);
        ASSERT_FALSE(v.ok()) << m << " element " << e;
        EXPECT_EQ(v.rejection().reason, Reject::kBadProof);
      }
    }
    for (std::uint64_t wrong1 : {m - 1, m + 1, m * 2}) {
      if (wrong1 == 0) continue;
      EXPECT_FALSE(verify_consistency(wrong1, d.size(), root1, root2, good).ok());
    }
    // As for inclusion: another new size passes only with the same proof shape.
    for (std::uint64_t wrong2 = m; wrong2 <= 90; ++wrong2) {
      if (wrong2 == d.size()) continue;
      const bool ok = verify_consistency(m, wrong2, root1, root2, good).ok();
      if (naive::proof(m, naive::leaves(wrong2)).size() != good.size() || wrong2 == m) {
        EXPECT_FALSE(ok) << m << " -> " << wrong2;
      }
    }
    auto longer = good;
    longer.push_back(root2);
    EXPECT_FALSE(verify_consistency(m, d.size(), root1, root2, longer).ok());
    auto shorter = good;
    shorter.pop_back();
    EXPECT_FALSE(verify_consistency(m, d.size(), root1, root2, shorter).ok());
    EXPECT_FALSE(verify_consistency(m, d.size(), root1, root2, {}).ok());
  }
}

TEST(Merkle, ConsistencyEdgeCases) {
  const Hash256 r = merkle::empty_root();
  EXPECT_FALSE(verify_consistency(0, 0, r, r, {}).ok());
  EXPECT_FALSE(verify_consistency(0, 5, r, r, {}).ok());
  EXPECT_FALSE(verify_consistency(3, 2, r, r, {}).ok());
  EXPECT_TRUE(verify_consistency(7, 7, r, r, {}).ok());
  const Hash256 other = naive::leaf(Bytes{1});
  EXPECT_FALSE(verify_consistency(7, 7, r, other, {}).ok());
  const std::vector<Hash256> one{r};
  EXPECT_FALSE(verify_consistency(7, 7, r, r, one).ok());
}

TEST(Merkle, ProofEncodingsRoundTripAndAreBounded) {
  const auto d = naive::leaves(20);
  const InclusionProof ip{13, 20, naive::path(13, d)};
  auto ip2 = core::decode<InclusionProof>(core::encode(ip));
  ASSERT_TRUE(ip2);
  EXPECT_EQ(*ip2, ip);
  const ConsistencyProof cp{7, 20, naive::proof(7, d)};
  auto cp2 = core::decode<ConsistencyProof>(core::encode(cp));
  ASSERT_TRUE(cp2);
  EXPECT_EQ(*cp2, cp);

  // Semantic checks on decode.
  EXPECT_FALSE(core::decode<InclusionProof>(core::encode(InclusionProof{20, 20, {}})));
  EXPECT_FALSE(core::decode<ConsistencyProof>(core::encode(ConsistencyProof{0, 20, {}})));
  EXPECT_FALSE(core::decode<ConsistencyProof>(core::encode(ConsistencyProof{21, 20, {}})));

  // 65 path hashes: refused by the decoder before anything is allocated.
  core::Writer w;
  w.u64(0);
  w.u64(1);
  w.length(kMaxProofHashes + 1);
  for (std::size_t i = 0; i <= kMaxProofHashes; ++i) w.raw(d[0].view());
  auto too_long = core::decode<InclusionProof>(w.data());
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().reason, Reject::kTooLarge);

  // Truncated and trailing bytes.
  Bytes enc = core::encode(ip);
  EXPECT_FALSE(core::decode<InclusionProof>(ByteView(enc).first(enc.size() - 1)));
  enc.push_back(0);
  EXPECT_FALSE(core::decode<InclusionProof>(enc));
}

TEST(Merkle, BytesVerifiersRequireFullHashes) {
  const auto d = naive::leaves(5);
  const Hash256 root = naive::mth(d);
  std::vector<Bytes> path;
  for (const auto& h : naive::path(2, d)) path.emplace_back(h.bytes().begin(), h.bytes().end());
  const Bytes leaf(d[2].bytes().begin(), d[2].bytes().end());
  const Bytes rootb(root.bytes().begin(), root.bytes().end());
  EXPECT_TRUE(verify_inclusion_bytes(2, 5, leaf, path, rootb).ok());
  auto short_path = path;
  short_path[1].pop_back();
  EXPECT_EQ(verify_inclusion_bytes(2, 5, leaf, short_path, rootb).rejection().reason,
            Reject::kBadEncoding);
  EXPECT_FALSE(verify_inclusion_bytes(2, 5, Bytes{}, path, rootb).ok());
  EXPECT_FALSE(verify_inclusion_bytes(2, 5, leaf, path, Bytes{}).ok());
}

TEST(TransactionsRoot, IsTheMthOverIdLeaves) {
  std::vector<Hash256> ids;
  naive::Hashes leaves;
  EXPECT_EQ(transactions_root_of(ids), merkle::empty_root());
  for (std::uint8_t i = 0; i < 9; ++i) {
    Hash256 id;
    id.bytes().fill(i);
    ids.push_back(id);
    leaves.push_back(naive::leaf(Bytes(id.bytes().begin(), id.bytes().end())));
    EXPECT_EQ(transactions_root_of(ids), naive::mth(leaves));
  }
}

}  // namespace
}  // namespace bauhinia::chain
