#include "bauhinia/ledger/layered_view.hpp"

#include <algorithm>
#include <cstring>
#include <map>

#include "kv_store_keys.hpp"

namespace bauhinia::ledger {

namespace {

// (column, key) order: the order of the store's full keys.
int compare(Column ca, ByteView ka, Column cb, ByteView kb) {
  if (ca != cb) return static_cast<std::uint8_t>(ca) < static_cast<std::uint8_t>(cb) ? -1 : 1;
  const std::size_t n = std::min(ka.size(), kb.size());
  if (n > 0) {
    if (int r = std::memcmp(ka.data(), kb.data(), n); r != 0) return r;
  }
  if (ka.size() == kb.size()) return 0;
  return ka.size() < kb.size() ? -1 : 1;
}

bool entry_less(const KvWrite* a, const KvWrite* b) {
  return compare(a->column, a->key, b->column, b->key) < 0;
}

}  // namespace

void BatchIndex::add(const WriteBatch& batch) {
  BAUHINIA_ASSERT(!sealed_);
  entries_.reserve(entries_.size() + batch.size());
  for (const KvWrite& w : batch.writes()) {
    BAUHINIA_ASSERT_MSG(w.value.has_value(), "a layered batch holds puts only");
    entries_.push_back(&w);
  }
}

void BatchIndex::seal() {
  BAUHINIA_ASSERT(!sealed_);
  std::stable_sort(entries_.begin(), entries_.end(), entry_less);
  // Each key once: the last write of a key wins.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (kept > 0 && !entry_less(entries_[kept - 1], entries_[i])) {
      entries_[kept - 1] = entries_[i];
    } else {
      entries_[kept++] = entries_[i];
    }
  }
  entries_.resize(kept);
  sealed_ = true;
}

const Bytes* BatchIndex::find(Column c, ByteView key) const {
  BAUHINIA_ASSERT(sealed_);
  auto it = std::lower_bound(
      entries_.begin(), entries_.end(), key,
      [c](const KvWrite* w, ByteView k) { return compare(w->column, w->key, c, k) < 0; });
  if (it == entries_.end() || compare((*it)->column, (*it)->key, c, key) != 0) return nullptr;
  return &*(*it)->value;
}

const KvWrite* BatchIndex::floor(Column c, ByteView prefix, ByteView upper) const {
  BAUHINIA_ASSERT(sealed_);
  // The first entry above the bound, then one back. The bound is (c, upper),
  // or just below the keys after the prefix's range when upper lies past it.
  auto above = [&](ByteView bound, bool inclusive) {
    return std::upper_bound(entries_.begin(), entries_.end(), bound,
                            [c, inclusive](ByteView u, const KvWrite* w) {
                              const int r = compare(c, u, w->column, w->key);
                              return inclusive ? r < 0 : r <= 0;
                            });
  };
  auto it = entries_.end();
  if (detail::starts_with(upper, prefix) || !detail::less(prefix, upper)) {
    it = above(upper, true);
  } else if (auto successor = detail::prefix_successor(prefix)) {
    it = above(*successor, false);  // every key below the successor
  } else {
    it = std::upper_bound(entries_.begin(), entries_.end(), c, [](Column col, const KvWrite* w) {
      return static_cast<std::uint8_t>(col) < static_cast<std::uint8_t>(w->column);
    });
  }
  if (it == entries_.begin()) return nullptr;
  const KvWrite* w = *(it - 1);
  if (w->column != c || !detail::starts_with(w->key, prefix)) return nullptr;
  return w;
}

std::vector<const KvWrite*> BatchIndex::range(Column c, ByteView prefix) const {
  BAUHINIA_ASSERT(sealed_);
  std::vector<const KvWrite*> out;
  auto it = std::lower_bound(
      entries_.begin(), entries_.end(), prefix,
      [c](const KvWrite* w, ByteView p) { return compare(w->column, w->key, c, p) < 0; });
  for (; it != entries_.end() && (*it)->column == c && detail::starts_with((*it)->key, prefix);
       ++it) {
    out.push_back(*it);
  }
  return out;
}

core::Result<std::optional<Bytes>> LayeredView::get(Column c, ByteView key) const {
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
    if (const Bytes* v = (*it)->find(c, key)) return std::optional<Bytes>(*v);
  }
  return base_.get(c, key);
}

core::Result<std::optional<std::pair<Bytes, Bytes>>> LayeredView::floor(Column c, ByteView prefix,
                                                                        ByteView upper) const {
  using Out = std::optional<std::pair<Bytes, Bytes>>;
  // Layers only add keys, so the floor is the greatest of each layer's floor
  // and the base's (for an equal key, the newest layer's value).
  const KvWrite* best = nullptr;
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
    const KvWrite* w = (*it)->floor(c, prefix, upper);
    if (w != nullptr && (best == nullptr || detail::less(best->key, w->key))) best = w;
  }
  auto base = base_.floor(c, prefix, upper);
  if (!base) return std::move(base).error();
  if (best == nullptr) return base;
  if (base->has_value() && detail::less(best->key, (*base)->first)) return base;
  return Out{std::pair{best->key, *best->value}};
}

core::Status LayeredView::scan(Column c, ByteView prefix, std::size_t limit,
                               const std::function<bool(ByteView, ByteView)>& fn) const {
  // Rare (not on the execution path): merge into a map, newest layer winning.
  std::map<Bytes, Bytes> merged;
  std::size_t layered = 0;
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
    for (const KvWrite* w : (*it)->range(c, prefix)) {
      merged.emplace(w->key, *w->value);  // no overwrite: newer layers came first
      ++layered;
    }
  }
  const std::size_t base_limit = limit > SIZE_MAX - layered ? SIZE_MAX : limit + layered;
  core::Status s = base_.scan(c, prefix, base_limit, [&](ByteView k, ByteView v) {
    merged.emplace(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
    return true;
  });
  if (!s) return s;
  std::size_t visited = 0;
  for (const auto& [k, v] : merged) {
    if (visited++ >= limit) break;
    if (!fn(k, v)) break;
  }
  return core::Status::ok();
}

}  // namespace bauhinia::ledger
