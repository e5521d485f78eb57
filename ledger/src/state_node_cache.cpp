#include "bauhinia/ledger/state_node_cache.hpp"

namespace bauhinia::ledger {

namespace {

// Slots of all depths up to `depth`: 1 + 16 + ... + 16^depth.
std::size_t slots_up_to(std::size_t depth) {
  std::size_t total = 0;
  std::size_t level = 1;
  for (std::size_t d = 0; d <= depth; ++d) {
    total += level;
    level *= kStateRadix;
  }
  return total;
}

// An allocation's bookkeeping beside the slot itself (glibc).
constexpr std::size_t kAllocationOverhead = 16;

}  // namespace

StateNodeCache::StateNodeCache(std::size_t max_depth) : max_depth_(max_depth) {
  BAUHINIA_ASSERT(max_depth <= kMaxDepth);
  slots_.resize(slots_up_to(max_depth));
}

std::size_t StateNodeCache::slot_of(const NibblePath& path) {
  // Depth d starts after the slots of depths below it; within a depth, the
  // path's nibbles read as a number.
  const std::size_t depth = path.size();
  std::size_t value = 0;
  for (std::size_t i = 0; i < depth; ++i) value = value * kStateRadix + path.at(i);
  return (depth == 0 ? 0 : slots_up_to(depth - 1)) + value;
}

void StateNodeCache::set_max_version(std::uint64_t version) {
  std::lock_guard lock(mutex_);
  max_version_ = version;
  any_version_ = true;
}

std::uint64_t StateNodeCache::max_version() const {
  std::lock_guard lock(mutex_);
  return max_version_;
}

bool StateNodeCache::covers(std::uint64_t version, const NibblePath& path) const {
  if (path.size() > max_depth_) return false;
  std::lock_guard lock(mutex_);
  return any_version_ && version <= max_version_;
}

std::optional<StateNode> StateNodeCache::get(std::uint64_t version, const NibblePath& path) {
  auto entry = get_entry(version, path);
  if (!entry) return std::nullopt;
  return std::move(entry->node);
}

void StateNodeCache::put(std::uint64_t version, const NibblePath& path, const StateNode& node) {
  put(version, path, node, std::nullopt);
}

void StateNodeCache::put(std::uint64_t version, const NibblePath& path, const StateNode& node,
                         std::optional<Base> base) {
  if (path.size() > max_depth_) return;
  const std::size_t i = slot_of(path);
  std::lock_guard lock(mutex_);
  if (!any_version_ || version > max_version_) return;
  std::unique_ptr<Slot>& slot = slots_[i];
  if (slot == nullptr) {
    slot = std::make_unique<Slot>(Slot{version, node, std::move(base)});
    ++entries_;
  } else if (slot->version < version) {
    slot->version = version;
    slot->node = node;
    slot->base = std::move(base);
  }
}

std::optional<StateNodeCache::Entry> StateNodeCache::get_entry(std::uint64_t version,
                                                               const NibblePath& path) {
  if (path.size() > max_depth_) return std::nullopt;
  const std::size_t i = slot_of(path);
  std::lock_guard lock(mutex_);
  if (!any_version_ || version > max_version_) return std::nullopt;
  const Slot* slot = slots_[i].get();
  if (slot == nullptr || slot->version != version) {
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  return Entry{slot->node, slot->base};
}

std::optional<InternalNode> StateNodeCache::find_base(std::uint64_t base_version,
                                                      const NibblePath& path) {
  if (path.size() > max_depth_) return std::nullopt;
  const std::size_t i = slot_of(path);
  std::lock_guard lock(mutex_);
  const Slot* slot = slots_[i].get();
  if (slot == nullptr) return std::nullopt;
  if (slot->base && slot->base->version == base_version) return slot->base->node;
  if (!slot->base && slot->version == base_version) {
    if (const auto* internal = std::get_if<InternalNode>(&slot->node)) return *internal;
  }
  return std::nullopt;
}

std::size_t StateNodeCache::max_bytes() const noexcept {
  return slots_.size() * (sizeof(Slot) + kAllocationOverhead + sizeof(std::unique_ptr<Slot>));
}

StateNodeCache::Stats StateNodeCache::stats() const {
  std::lock_guard lock(mutex_);
  return Stats{entries_,
               slots_.size() * sizeof(std::unique_ptr<Slot>) +
                   entries_ * (sizeof(Slot) + kAllocationOverhead),
               hits_, misses_};
}

}  // namespace bauhinia::ledger
