#include "bauhinia/ledger/latest_value_cache.hpp"

namespace bauhinia::ledger {

namespace {

// The list and index nodes beside the key and the value bytes.
constexpr std::size_t kOverheadBytes = 144;

}  // namespace

void LatestValueCache::reset(std::uint64_t height) {
  std::lock_guard lock(mutex_);
  lru_.clear();
  index_.clear();
  bytes_ = 0;
  height_ = height;
}

std::uint64_t LatestValueCache::height() const {
  std::lock_guard lock(mutex_);
  return height_;
}

std::size_t LatestValueCache::size() const {
  std::lock_guard lock(mutex_);
  return index_.size();
}

LatestValueCache::Counts LatestValueCache::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

std::optional<std::optional<core::Bytes>> LatestValueCache::find(const core::Hash256& key,
                                                                 std::uint64_t version) const {
  std::lock_guard lock(mutex_);
  auto it = version > height_ ? index_.end() : index_.find(key);
  if (it == index_.end() || version < it->second->since) {
    ++counts_.misses;
    return std::nullopt;
  }
  ++counts_.hits;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->value;
}

void LatestValueCache::put(const core::Hash256& key, std::uint64_t version,
                           std::optional<core::Bytes> value) {
  std::lock_guard lock(mutex_);
  if (version != height_) return;
  // An entry present already is at least as current (a put at the same
  // height, or the write of this very height): keep it.
  if (index_.contains(key)) return;
  store(key, version, std::move(value));
}

void LatestValueCache::advance(std::uint64_t height, std::span<const StateWrite> writes) {
  std::lock_guard lock(mutex_);
  if (height_ == UINT64_MAX || height != height_ + 1) {
    lru_.clear();
    index_.clear();
    bytes_ = 0;
  }
  height_ = height;
  for (const auto& w : writes) store(w.key, height, w.value);
}

void LatestValueCache::store(const core::Hash256& key, std::uint64_t since,
                             std::optional<core::Bytes> value) {
  if (capacity_bytes_ == 0) return;
  const std::size_t bytes = kOverheadBytes + (value ? value->size() : 0);
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ = bytes_ - it->second->bytes + bytes;
    it->second->since = since;
    it->second->value = std::move(value);
    it->second->bytes = bytes;
    lru_.splice(lru_.begin(), lru_, it->second);
  } else {
    lru_.push_front(Entry{key, since, std::move(value), bytes});
    index_.emplace(key, lru_.begin());
    bytes_ += bytes;
  }
  evict();
}

void LatestValueCache::evict() {
  while (bytes_ > capacity_bytes_ && !lru_.empty()) {
    bytes_ -= lru_.back().bytes;
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

}  // namespace bauhinia::ledger
