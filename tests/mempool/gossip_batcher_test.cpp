#include "bauhinia/mempool/gossip_batcher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace bauhinia::mempool {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Collects the sink's batches; waits for a number of transactions.
class Collector {
 public:
  GossipBatcher::Sink sink() {
    return [this](std::vector<core::Bytes> batch) {
      std::lock_guard lock(mutex_);
      sizes_.push_back(batch.size());
      for (auto& b : batch) items_.push_back(std::move(b));
      times_.push_back(Clock::now());
      cv_.notify_all();
    };
  }
  bool wait_for_items(std::size_t n, std::chrono::milliseconds limit = 10s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return items_.size() >= n; });
  }
  std::vector<std::size_t> sizes() {
    std::lock_guard lock(mutex_);
    return sizes_;
  }
  std::vector<core::Bytes> items() {
    std::lock_guard lock(mutex_);
    return items_;
  }
  std::vector<Clock::time_point> times() {
    std::lock_guard lock(mutex_);
    return times_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::size_t> sizes_;
  std::vector<core::Bytes> items_;
  std::vector<Clock::time_point> times_;
};

core::Bytes item(std::uint8_t thread, std::uint32_t n, std::size_t size = 8) {
  core::Bytes b(size, 0);
  b[0] = thread;
  b[1] = static_cast<std::uint8_t>(n >> 16);
  b[2] = static_cast<std::uint8_t>(n >> 8);
  b[3] = static_cast<std::uint8_t>(n);
  return b;
}

TEST(GossipBatcher, FlushesAFullBatchWithoutWaitingForTheInterval) {
  Collector c;
  GossipBatcherConfig cfg;
  cfg.interval_ms = 60'000;  // never reached by this test
  cfg.max_transactions = 3;
  GossipBatcher b(cfg, c.sink());
  for (std::uint32_t i = 0; i < 7; ++i) ASSERT_TRUE(b.add(item(0, i)));
  ASSERT_TRUE(c.wait_for_items(6));
  EXPECT_EQ(c.sizes(), (std::vector<std::size_t>{3, 3}));
  b.stop();  // flushes the seventh
  EXPECT_EQ(c.sizes(), (std::vector<std::size_t>{3, 3, 1}));
  const auto items = c.items();
  ASSERT_EQ(items.size(), 7U);
  for (std::uint32_t i = 0; i < 7; ++i) EXPECT_EQ(items[i], item(0, i));
  EXPECT_EQ(b.stats().batches, 3U);
  EXPECT_EQ(b.stats().flushed_full, 2U);
}

TEST(GossipBatcher, FlushesAPartialBatchWhenItsOldestTransactionWaitedTheInterval) {
  Collector c;
  GossipBatcherConfig cfg;
  cfg.interval_ms = 200;
  cfg.max_transactions = 1000;
  GossipBatcher b(cfg, c.sink());
  const auto start = Clock::now();
  ASSERT_TRUE(b.add(item(0, 0)));
  ASSERT_TRUE(b.add(item(0, 1)));
  const auto added = Clock::now();
  ASSERT_TRUE(c.wait_for_items(2));
  const auto waited = c.times().at(0) - start;
  EXPECT_GE(waited, 200ms);  // not before the interval
  EXPECT_LT(waited, 5s);     // and not much later (generous: the machine is shared)
  // Both travel together, unless this thread was held up for a whole interval
  // between the two adds (a loaded machine): then the first went alone.
  if (added - start < 200ms) {
    EXPECT_EQ(c.sizes(), (std::vector<std::size_t>{2}));
  }
  // A later transaction starts a new interval of its own.
  const auto second = Clock::now();
  ASSERT_TRUE(b.add(item(0, 2)));
  ASSERT_TRUE(c.wait_for_items(3));
  EXPECT_GE(c.times().back() - second, 200ms);
  EXPECT_EQ(b.stats().flushed_full, 0U);
}

TEST(GossipBatcher, BatchesAreBoundedInBytesAndAnOversizedTransactionTravelsAlone) {
  Collector c;
  GossipBatcherConfig cfg;
  cfg.interval_ms = 60'000;
  cfg.max_transactions = 100;
  cfg.max_bytes = 100;
  GossipBatcher b(cfg, c.sink());
  for (std::uint32_t i = 0; i < 5; ++i) ASSERT_TRUE(b.add(item(0, i, 40)));
  ASSERT_TRUE(b.add(item(0, 5, 250)));
  b.stop();
  EXPECT_EQ(c.sizes(), (std::vector<std::size_t>{2, 2, 1, 1}));
  EXPECT_EQ(c.items().back().size(), 250U);
}

TEST(GossipBatcher, RefusesBeyondThePendingBoundWhileTheSinkIsSlow) {
  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  std::atomic<int> calls{0};
  Collector c;
  auto collect = c.sink();
  GossipBatcherConfig cfg;
  cfg.interval_ms = 60'000;
  cfg.max_transactions = 4;
  cfg.max_pending_transactions = 4;
  GossipBatcher b(cfg, [&](std::vector<core::Bytes> batch) {
    ++calls;
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return open; });
    collect(std::move(batch));
  });
  for (std::uint32_t i = 0; i < 4; ++i) ASSERT_TRUE(b.add(item(0, i)));
  // The thread takes the full batch and blocks in the sink.
  for (int i = 0; i < 1000 && calls == 0; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(calls, 1);
  for (std::uint32_t i = 4; i < 8; ++i) ASSERT_TRUE(b.add(item(0, i)));
  EXPECT_FALSE(b.add(item(0, 8)));  // four wait already
  EXPECT_EQ(b.stats().refused, 1U);
  {
    std::lock_guard lock(m);
    open = true;
  }
  cv.notify_all();
  b.stop();
  EXPECT_FALSE(b.add(item(0, 9)));  // stopped
  const auto items = c.items();
  ASSERT_EQ(items.size(), 8U);
  for (std::uint32_t i = 0; i < 8; ++i) EXPECT_EQ(items[i], item(0, i));
}

TEST(GossipBatcher, KeepsEachAddersOrderUnderConcurrentAdds) {
  Collector c;
  GossipBatcherConfig cfg;
  cfg.interval_ms = 2;
  cfg.max_transactions = 37;
  cfg.max_pending_transactions = 100'000;
  GossipBatcher b(cfg, c.sink());
  constexpr std::uint32_t kPerThread = 3000;
  std::vector<std::thread> threads;
  for (std::uint8_t t = 0; t < 3; ++t) {
    threads.emplace_back([&b, t] {
      for (std::uint32_t i = 0; i < kPerThread; ++i) EXPECT_TRUE(b.add(item(t, i)));
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(c.wait_for_items(3 * kPerThread));
  std::uint32_t next[3] = {0, 0, 0};
  for (const auto& it : c.items()) {
    const std::uint32_t n = (std::uint32_t{it[1]} << 16) | (std::uint32_t{it[2]} << 8) | it[3];
    ASSERT_LT(it[0], 3);
    EXPECT_EQ(n, next[it[0]]) << "adder " << int{it[0]};
    next[it[0]] = n + 1;
  }
  for (const std::size_t s : c.sizes()) EXPECT_LE(s, 37U);
  EXPECT_EQ(b.stats().added, 3U * kPerThread);
}

}  // namespace
}  // namespace bauhinia::mempool
