// The ThreadStart hooks (the node lowers its admission threads' priority with
// them) run once on each thread the components start, before any work.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "bauhinia/mempool/admission_queue.hpp"
#include "bauhinia/mempool/gossip_batcher.hpp"
#include "bauhinia/mempool/mempool.hpp"
#include "bauhinia/mempool/verifier_pool.hpp"

namespace bauhinia::mempool {
namespace {

struct Seen {
  std::mutex mutex;
  std::set<std::thread::id> threads;
  std::atomic<int> calls{0};
  ThreadStart hook() {
    return [this] {
      calls.fetch_add(1);
      const std::lock_guard lock(mutex);
      threads.insert(std::this_thread::get_id());
    };
  }
};

TEST(ThreadStart, RunsOnEveryVerifierThread) {
  Seen seen;
  {
    VerifierPool pool(3, 16, seen.hook());
    EXPECT_EQ(pool.threads(), 3U);
  }  // joined: every thread has started
  EXPECT_EQ(seen.calls.load(), 3);
  EXPECT_EQ(seen.threads.size(), 3U);
  EXPECT_EQ(seen.threads.count(std::this_thread::get_id()), 0U);
}

TEST(ThreadStart, RunsOnTheAdmissionAndGossipThreads) {
  Seen seen;
  MempoolConfig mc;
  mc.chain_id = "bauhinia-test-1";
  Mempool pool(mc, [](const core::AccountId&) -> core::Result<std::optional<AccountState>> {
    return std::optional<AccountState>{};
  });
  {
    AdmissionQueueConfig aq;
    aq.on_thread_start = seen.hook();
    AdmissionQueue queue(aq, pool, [] { return std::uint64_t{1}; }, {});
    GossipBatcherConfig gb;
    gb.on_thread_start = seen.hook();
    GossipBatcher batcher(gb, [](std::vector<core::Bytes>) {});
    queue.stop();
    batcher.stop();
  }
  EXPECT_EQ(seen.calls.load(), 2);
  EXPECT_EQ(seen.threads.size(), 2U);
}

}  // namespace
}  // namespace bauhinia::mempool
