#pragma once
// The ids of transactions whose BIP-340 signature this node knows to be
// valid: verified by its mempool or by execution, or certified by validators
// that verified it (batch_certifier.hpp). A transaction's id covers its
// signature (tagged_hash(kTransactionId, the signed encoding)), so an id in
// the cache vouches for exactly those bytes.
//
// Why: a node met the same transaction twice and verified it twice — once in
// a block it executed before the transaction's gossip arrived, once more when
// the late gossip was admitted (and then refused as stale). At saturation that
// was about 0.6 extra verifications per transaction per node
// (docs/performance.md, "One verification per transaction per node").
//
// Bounds: at most `capacity` ids; the oldest insertion leaves first. Losing an
// id costs a verification, never correctness. Thread-safe.

#include <cstddef>
#include <deque>
#include <mutex>
#include <span>
#include <unordered_set>

#include "bauhinia/core/hash.hpp"

namespace bauhinia::mempool {

class SignatureCache {
 public:
  explicit SignatureCache(std::size_t capacity = 131'072);
  SignatureCache(const SignatureCache&) = delete;
  SignatureCache& operator=(const SignatureCache&) = delete;

  void insert(const core::Hash256& id);
  void insert(std::span<const core::Hash256> ids);
  bool contains(const core::Hash256& id) const;
  std::size_t size() const;
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  // REQUIRES: mutex_ held.
  void insert_locked(const core::Hash256& id);

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_set<core::Hash256, core::Hash256Hasher> ids_;  // guarded by mutex_
  std::deque<core::Hash256> order_;                             // insertion order, oldest first
};

}  // namespace bauhinia::mempool
