// LayeredView (batches indexed once, layered over a store) answers every read
// exactly as OverlayStore (batches copied into a map) does, over random
// put-only batches and random probes.

#include "bauhinia/ledger/layered_view.hpp"

#include <gtest/gtest.h>

#include <random>

#include "bauhinia/ledger/overlay_store.hpp"

namespace bauhinia::ledger {
namespace {

Bytes random_key(std::mt19937_64& rng) {
  // Short keys over a small alphabet, so prefixes and collisions are common.
  Bytes k(1 + rng() % 4);
  for (auto& b : k) b = static_cast<std::uint8_t>(rng() % 4);
  return k;
}

Column random_column(std::mt19937_64& rng) {
  return rng() % 2 == 0 ? Column::kStateNode : Column::kStateValue;
}

TEST(LayeredView, AnswersLikeAnOverlayOfTheSameBatches) {
  std::mt19937_64 rng(20261127);
  for (int round = 0; round < 40; ++round) {
    MemoryKvStore base;
    WriteBatch initial;
    for (int i = 0; i < 30; ++i) {
      initial.put(random_column(rng), random_key(rng), Bytes{static_cast<std::uint8_t>(i)});
    }
    ASSERT_TRUE(base.write(initial, false).is_ok());
    const int layers = 1 + static_cast<int>(rng() % 3);
    std::vector<WriteBatch> batches(static_cast<std::size_t>(layers) * 2);
    std::vector<BatchIndex> indexes(static_cast<std::size_t>(layers));
    OverlayStore overlay(base);
    LayeredView view(base);
    for (int l = 0; l < layers; ++l) {
      for (int part = 0; part < 2; ++part) {  // two batches per layer, as a block has
        WriteBatch& b = batches[static_cast<std::size_t>(l * 2 + part)];
        for (int i = 0; i < 12; ++i) {
          b.put(random_column(rng), random_key(rng),
                Bytes{static_cast<std::uint8_t>(100 + l), static_cast<std::uint8_t>(i)});
        }
        overlay.apply(b);
        indexes[static_cast<std::size_t>(l)].add(b);
      }
      indexes[static_cast<std::size_t>(l)].seal();
      view.push(indexes[static_cast<std::size_t>(l)]);
    }
    for (int probe = 0; probe < 200; ++probe) {
      const Column c = random_column(rng);
      const Bytes key = random_key(rng);
      auto a = overlay.get(c, key);
      auto b = view.get(c, key);
      ASSERT_TRUE(a.has_value() && b.has_value());
      EXPECT_EQ(*a, *b);
      Bytes prefix = random_key(rng);
      prefix.resize(rng() % 3);
      const Bytes upper = random_key(rng);
      auto fa = overlay.floor(c, prefix, upper);
      auto fb = view.floor(c, prefix, upper);
      ASSERT_TRUE(fa.has_value() && fb.has_value());
      EXPECT_EQ(*fa, *fb) << "floor, round " << round << " probe " << probe;
      std::vector<std::pair<Bytes, Bytes>> sa;
      std::vector<std::pair<Bytes, Bytes>> sb;
      const std::size_t limit = rng() % 8;
      ASSERT_TRUE(overlay
                      .scan(c, prefix, limit,
                            [&](ByteView k, ByteView v) {
                              sa.emplace_back(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
                              return true;
                            })
                      .is_ok());
      ASSERT_TRUE(view.scan(c, prefix, limit,
                            [&](ByteView k, ByteView v) {
                              sb.emplace_back(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
                              return true;
                            })
                      .is_ok());
      EXPECT_EQ(sa, sb) << "scan, round " << round << " probe " << probe;
    }
  }
}

}  // namespace
}  // namespace bauhinia::ledger
