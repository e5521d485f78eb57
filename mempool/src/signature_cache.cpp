#include "bauhinia/mempool/signature_cache.hpp"

#include <algorithm>

namespace bauhinia::mempool {

SignatureCache::SignatureCache(std::size_t capacity)
    : capacity_(std::max<std::size_t>(1, capacity)) {
  ids_.reserve(capacity_);
}

void SignatureCache::insert_locked(const core::Hash256& id) {
  if (!ids_.insert(id).second) return;
  order_.push_back(id);
  if (order_.size() > capacity_) {
    ids_.erase(order_.front());
    order_.pop_front();
  }
}

void SignatureCache::insert(const core::Hash256& id) {
  const std::lock_guard lock(mutex_);
  insert_locked(id);
}

void SignatureCache::insert(std::span<const core::Hash256> ids) {
  const std::lock_guard lock(mutex_);
  for (const auto& id : ids) insert_locked(id);
}

bool SignatureCache::contains(const core::Hash256& id) const {
  const std::lock_guard lock(mutex_);
  return ids_.count(id) != 0;
}

std::size_t SignatureCache::size() const {
  const std::lock_guard lock(mutex_);
  return ids_.size();
}

}  // namespace bauhinia::mempool
