// The overlay view of uncommitted blocks' writes over a store (moved here from
// the simulator, which used it before it ran the node's execution pipeline).
#include "bauhinia/ledger/overlay_store.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace bauhinia::ledger {
namespace {

// A seeded generator: the test's inputs are the same on every run.
class Gen {
 public:
  explicit Gen(std::uint64_t seed) : g_(seed) {}
  std::uint64_t next_u64() { return g_(); }
  std::uint64_t below(std::uint64_t n) { return g_() % n; }

 private:
  std::mt19937_64 g_;
};

Bytes key(std::uint64_t k, std::size_t len) {
  Bytes b;
  for (std::size_t i = 0; i < len; ++i) b.push_back(static_cast<std::uint8_t>((k >> (3 * i)) & 3));
  return b;
}

// A reference of the merged view: base writes, then overlay writes.
struct Model {
  std::map<Bytes, Bytes> m;
  void apply(const WriteBatch& b) {
    for (const auto& w : b.writes()) {
      if (w.column != Column::kStateNode) continue;
      if (w.value) {
        m[w.key] = *w.value;
      } else {
        m.erase(w.key);
      }
    }
  }
};

TEST(OverlayStore, MatchesAMergedModelForGetScanAndFloor) {
  Gen p(1);
  for (int trial = 0; trial < 40; ++trial) {
    MemoryKvStore base;
    Model model;
    WriteBatch b0;
    for (int i = 0; i < 30; ++i) {
      const Bytes k = key(p.below(1000), 1 + p.below(4));
      b0.put(Column::kStateNode, k, key(p.next_u64(), 3));
    }
    b0.put(Column::kStateValue, key(1, 2), key(2, 2));  // another column, never visible
    ASSERT_TRUE(base.write(b0, false).is_ok());
    model.apply(b0);
    OverlayStore view(base);
    for (int layer = 0; layer < 3; ++layer) {
      WriteBatch b;
      for (int i = 0; i < 10; ++i) {
        const Bytes k = key(p.below(1000), 1 + p.below(4));
        if (p.below(3) == 0) {
          b.erase(Column::kStateNode, k);
        } else {
          b.put(Column::kStateNode, k, key(p.next_u64(), 3));
        }
      }
      view.apply(b);
      model.apply(b);
    }
    // get
    for (int i = 0; i < 200; ++i) {
      const Bytes k = key(p.below(1000), 1 + p.below(4));
      auto got = view.get(Column::kStateNode, k);
      ASSERT_TRUE(got.has_value());
      auto it = model.m.find(k);
      if (it == model.m.end()) {
        EXPECT_FALSE(got->has_value());
      } else {
        ASSERT_TRUE(got->has_value());
        EXPECT_EQ(**got, it->second);
      }
    }
    // scan with a prefix and a limit
    for (int i = 0; i < 20; ++i) {
      const Bytes prefix = key(p.below(64), p.below(3));
      const std::size_t limit = 1 + p.below(8);
      std::vector<std::pair<Bytes, Bytes>> got, want;
      ASSERT_TRUE(view.scan(Column::kStateNode, prefix, limit,
                            [&](auto k, auto v) {
                              got.emplace_back(Bytes(k.begin(), k.end()),
                                               Bytes(v.begin(), v.end()));
                              return true;
                            })
                      .is_ok());
      for (const auto& [k, v] : model.m) {
        if (want.size() >= limit) break;
        if (k.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), k.begin())) {
          want.emplace_back(k, v);
        }
      }
      EXPECT_EQ(got, want);
    }
    // floor
    for (int i = 0; i < 100; ++i) {
      const Bytes prefix = key(p.below(16), p.below(3));
      Bytes upper = prefix;
      const Bytes tail = key(p.below(1000), p.below(4));
      upper.insert(upper.end(), tail.begin(), tail.end());
      auto got = view.floor(Column::kStateNode, prefix, upper);
      ASSERT_TRUE(got.has_value());
      std::optional<std::pair<Bytes, Bytes>> want;
      for (const auto& [k, v] : model.m) {
        const bool has_prefix =
            k.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), k.begin());
        if (has_prefix && k <= upper) want = std::make_pair(k, v);
      }
      EXPECT_EQ(*got, want);
    }
  }
}

}  // namespace
}  // namespace bauhinia::ledger
