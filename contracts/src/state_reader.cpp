#include "bauhinia/contracts/state_reader.hpp"

#include <utility>

namespace bauhinia::contracts {

core::Result<std::optional<Bytes>> MemoryState::read(const Hash256& state_key) const {
  const auto it = values_.find(state_key);
  if (it == values_.end()) return std::optional<Bytes>{};
  return std::optional<Bytes>{it->second};
}

void MemoryState::apply(const WriteSet& writes) {
  for (const auto& [key, w] : writes) {
    if (w.value) {
      values_[key] = *w.value;
    } else {
      values_.erase(key);
    }
  }
}

core::Result<std::optional<Bytes>> StateOverlay::read(const Hash256& state_key) const {
  const auto it = writes_.find(state_key);
  if (it != writes_.end()) return it->second.value;
  return base_->read(state_key);
}

void StateOverlay::put(const Hash256& state_key, StateWrite write) {
  writes_.insert_or_assign(state_key, std::move(write));
}

void StateOverlay::absorb(StateOverlay&& other) {
  BAUHINIA_ASSERT_MSG(other.base_ == this, "absorb() takes an overlay stacked on this one");
  for (auto& [key, w] : other.writes_) writes_.insert_or_assign(key, std::move(w));
  other.writes_.clear();
}

}  // namespace bauhinia::contracts
