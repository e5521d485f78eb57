#include "bauhinia/mempool/admission_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "bauhinia/mempool/verifier_pool.hpp"

namespace bauhinia::mempool {
namespace {

using core::schnorr::SecretKey;
using namespace std::chrono_literals;

constexpr const char* kChain = "bauhinia-test-1";
constexpr std::uint64_t kNow = 1'767'225'600'000ULL;

SecretKey key(std::uint32_t n) {
  core::Bytes raw(32, 0);
  raw[0] = 0x44;
  raw[30] = static_cast<std::uint8_t>(n >> 8);
  raw[31] = static_cast<std::uint8_t>(n);
  return std::move(SecretKey::from_bytes(raw)).value();
}

core::Bytes signed_tx(const SecretKey& signer, std::uint64_t seq) {
  chain::Transaction tx;
  tx.chain_id = kChain;
  tx.sender = core::account_id_of(signer.public_key());
  tx.public_key = signer.public_key();
  tx.sequence = seq;
  tx.expiry_ms = kNow + 60'000;
  tx.module = "accounts";
  tx.call = "ping";
  tx.payload.assign(4, 0x22);
  std::array<std::uint8_t, 32> aux{};
  tx.sign(signer, aux);
  return tx.encoded();
}

std::vector<core::Bytes> run_of(const SecretKey& signer, std::uint64_t from, std::uint64_t to) {
  std::vector<core::Bytes> out;
  for (std::uint64_t s = from; s < to; ++s) out.push_back(signed_tx(signer, s));
  return out;
}

MempoolConfig config() {
  MempoolConfig c;
  c.chain_id = kChain;
  c.max_per_account = 64;
  c.max_sequence_ahead = 64;
  return c;
}

// New accounts only (every sender starts at sequence 0); the lookup can be
// held at a gate to keep the admission worker busy.
class Lookup {
 public:
  AccountLookup fn() {
    return [this](const AccountId&) -> core::Result<std::optional<AccountState>> {
      std::unique_lock lock(mutex_);
      ++calls_;
      cv_.notify_all();
      cv_.wait(lock, [this] { return open_; });
      return std::optional<AccountState>{};
    };
  }
  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }
  bool wait_for_call() {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, 10s, [this] { return calls_ > 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = true;
  int calls_ = 0;
};

TEST(AdmissionQueue, AdmitsBatchesInPushOrderOffTheCallersThread) {
  Lookup lookup;
  VerifierPool verifiers(2);
  Mempool pool(config(), lookup.fn(), &verifiers);
  std::atomic<std::size_t> signalled{0};
  AdmissionQueue q(
      {}, pool, [] { return kNow; }, [&](std::size_t n) { signalled += n; });
  const SecretKey a = key(1);
  const SecretKey b = key(2);
  auto a1 = run_of(a, 0, 20);
  auto b1 = run_of(b, 0, 10);
  auto a2 = run_of(a, 20, 40);
  ASSERT_TRUE(q.push(a1));
  ASSERT_TRUE(q.push(b1));
  ASSERT_TRUE(q.push(a2));
  EXPECT_TRUE(a1.empty());  // moved into the queue
  q.drain();
  EXPECT_EQ(signalled.load(), 50U);
  EXPECT_EQ(pool.size(), 50U);
  const auto stats = q.stats();
  EXPECT_EQ(stats.admitted, 50U);
  EXPECT_EQ(stats.refused, 0U);
  EXPECT_EQ(pool.stats().parked, 0U);  // every run is consecutive from 0
  const auto taken = pool.take(1000, 1U << 30);
  ASSERT_EQ(taken.size(), 50U);
  std::uint64_t next_a = 0;
  for (const auto& t : taken) {
    if (t.tx.sender == core::account_id_of(a.public_key())) {
      EXPECT_EQ(t.tx.sequence, next_a++);
    }
  }
  EXPECT_EQ(next_a, 40U);
}

TEST(AdmissionQueue, RefusesWhatTheMempoolRefusesAndCountsIt) {
  Lookup lookup;
  Mempool pool(config(), lookup.fn());
  AdmissionQueue q({}, pool, [] { return kNow; }, {});
  const SecretKey a = key(3);
  auto batch = run_of(a, 0, 3);
  batch.push_back(batch[0]);                       // a duplicate
  batch.push_back(core::Bytes{0x01, 0x02, 0x03});  // garbage
  core::Bytes forged = signed_tx(a, 3);
  forged[forged.size() - 1] ^= 0x01;  // the signature's last byte
  batch.push_back(forged);
  ASSERT_TRUE(q.push(batch));
  q.drain();
  EXPECT_EQ(q.stats().admitted, 3U);
  EXPECT_EQ(q.stats().refused, 3U);
  EXPECT_EQ(pool.size(), 3U);
}

// A transaction whose signature does not verify blames the peer that sent
// it, and only that peer, even when its batch is admitted merged with others.
TEST(AdmissionQueue, BlamesTheOriginOfEachBadSignatureOnce) {
  Lookup lookup;
  Mempool pool(config(), lookup.fn());
  core::ed25519::PublicKey honest;
  honest.bytes.fill(0x11);
  core::ed25519::PublicKey liar;
  liar.bytes.fill(0x22);
  std::mutex mutex;
  std::vector<std::pair<core::ed25519::PublicKey, std::size_t>> blamed;
  AdmissionQueueConfig cfg;
  cfg.on_bad_signature = [&](const core::ed25519::PublicKey& origin, std::size_t count) {
    std::lock_guard lock(mutex);
    blamed.emplace_back(origin, count);
  };
  AdmissionQueue q(cfg, pool, [] { return kNow; }, {});
  lookup.close();  // hold the worker so that the next three batches merge
  auto first = run_of(key(8), 0, 2);
  ASSERT_TRUE(q.push(first, honest));
  ASSERT_TRUE(lookup.wait_for_call());
  auto good = run_of(key(9), 0, 3);
  good.push_back(good[0]);  // a duplicate proves nothing
  auto bad = run_of(key(10), 0, 2);
  for (int i = 0; i < 2; ++i) {
    core::Bytes forged = signed_tx(key(11), static_cast<std::uint64_t>(i));
    forged[forged.size() - 1] ^= 0x01;  // the signature's last byte
    bad.push_back(forged);
  }
  auto more_bad = run_of(key(12), 0, 1);
  core::Bytes forged = signed_tx(key(13), 0);
  forged[forged.size() - 3] ^= 0x40;
  more_bad.push_back(forged);
  ASSERT_TRUE(q.push(good, honest));
  ASSERT_TRUE(q.push(bad, liar));
  ASSERT_TRUE(q.push(more_bad, liar));
  lookup.open();
  q.drain();
  const auto stats = q.stats();
  EXPECT_EQ(stats.admitted, 2U + 3U + 2U + 1U);
  EXPECT_EQ(stats.bad_signatures, 3U);
  std::lock_guard lock(mutex);
  ASSERT_EQ(blamed.size(), 1U);  // one call for the liar's two merged batches
  EXPECT_EQ(blamed[0].first, liar);
  EXPECT_EQ(blamed[0].second, 3U);
}

TEST(AdmissionQueue, DropsWholeBatchesBeyondItsBoundNeverBlockingTheCaller) {
  Lookup lookup;
  Mempool pool(config(), lookup.fn());
  AdmissionQueueConfig cfg;
  cfg.max_transactions = 5;
  cfg.max_merge_transactions = 3;
  AdmissionQueue q(cfg, pool, [] { return kNow; }, {});
  lookup.close();  // the worker will hold the first batch at the account lookup
  auto first = run_of(key(4), 0, 3);
  ASSERT_TRUE(q.push(first));
  ASSERT_TRUE(lookup.wait_for_call());
  auto second = run_of(key(5), 0, 3);
  auto third = run_of(key(6), 0, 3);
  auto fourth = run_of(key(7), 0, 2);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(q.push(second));                              // 3 waiting
  EXPECT_FALSE(q.push(third));                              // 6 > 5: dropped
  EXPECT_EQ(third.size(), 3U);                              // left with the caller
  EXPECT_TRUE(q.push(fourth));                              // 5 waiting
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);  // never waited for the worker
  lookup.open();
  q.drain();
  const auto stats = q.stats();
  EXPECT_EQ(stats.dropped_batches, 1U);
  EXPECT_EQ(stats.dropped_transactions, 3U);
  EXPECT_EQ(stats.admitted, 8U);
  EXPECT_EQ(pool.size(), 8U);
}

TEST(AdmissionQueue, StopDropsWhatWaitsAndRefusesLaterPushes) {
  Lookup lookup;
  Mempool pool(config(), lookup.fn());
  AdmissionQueue q({}, pool, [] { return kNow; }, {});
  lookup.close();
  auto first = run_of(key(8), 0, 2);
  ASSERT_TRUE(q.push(first));
  ASSERT_TRUE(lookup.wait_for_call());
  auto second = run_of(key(9), 0, 2);
  ASSERT_TRUE(q.push(second));
  std::thread stopper([&] { q.stop(); });
  // stop() has begun once a push is refused (a probe pushed before that waits
  // with the second batch and is dropped with it).
  bool refused = false;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!refused && std::chrono::steady_clock::now() < deadline) {
    auto probe = run_of(key(11), 0, 1);
    refused = !q.push(probe);
    if (!refused) std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(refused);
  lookup.open();  // lets the batch in progress finish
  stopper.join();
  auto third = run_of(key(10), 0, 1);
  EXPECT_FALSE(q.push(third));
  EXPECT_EQ(pool.size(), 2U);  // the first batch only
}

}  // namespace
}  // namespace bauhinia::mempool
