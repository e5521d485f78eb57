#include "committed_values.hpp"

namespace bauhinia::execution::detail {

namespace {

// The list and index nodes beside the key and the value bytes.
constexpr std::size_t kOverheadBytes = 128;

}  // namespace

void CommittedValues::reset(std::uint64_t height) {
  lru_.clear();
  index_.clear();
  bytes_ = 0;
  height_ = height;
}

const std::optional<core::Bytes>* CommittedValues::find(const core::Hash256& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return &it->second->value;
}

void CommittedValues::put(const core::Hash256& key, std::optional<core::Bytes> value) {
  if (capacity_bytes_ == 0) return;
  const std::size_t bytes = kOverheadBytes + (value ? value->size() : 0);
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ = bytes_ - it->second->bytes + bytes;
    it->second->value = std::move(value);
    it->second->bytes = bytes;
    lru_.splice(lru_.begin(), lru_, it->second);
  } else {
    lru_.push_front(Entry{key, std::move(value), bytes});
    index_.emplace(key, lru_.begin());
    bytes_ += bytes;
  }
  evict();
}

void CommittedValues::advance(std::span<const ledger::StateWrite> writes) {
  ++height_;
  for (const auto& w : writes) put(w.key, w.value);
}

void CommittedValues::evict() {
  while (bytes_ > capacity_bytes_ && !lru_.empty()) {
    bytes_ -= lru_.back().bytes;
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
}

}  // namespace bauhinia::execution::detail
