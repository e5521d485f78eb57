#include "bauhinia/ledger/overlay_store.hpp"

#include <algorithm>
#include <vector>

namespace bauhinia::ledger {
namespace {


Bytes full_key(Column c, ByteView key) {
  Bytes out;
  out.reserve(key.size() + 1);
  out.push_back(static_cast<std::uint8_t>(c));
  out.insert(out.end(), key.begin(), key.end());
  return out;
}

bool has_prefix(ByteView s, ByteView prefix) {
  return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin());
}

bool less_equal(ByteView a, ByteView b) {
  return !std::lexicographical_compare(b.begin(), b.end(), a.begin(), a.end());
}

}  // namespace

void OverlayStore::apply(const WriteBatch& batch) {
  for (const auto& w : batch.writes()) top_[full_key(w.column, w.key)] = w.value;
}

core::Result<std::optional<Bytes>> OverlayStore::get(Column c, ByteView key) const {
  if (auto it = top_.find(full_key(c, key)); it != top_.end()) {
    return std::optional<Bytes>(it->second);
  }
  return base_.get(c, key);
}

core::Status OverlayStore::scan(Column c, ByteView prefix, std::size_t limit,
                                const std::function<bool(ByteView, ByteView)>& fn) const {
  // Merge: the overlay's entries under the prefix replace the base's.
  const Bytes start = full_key(c, prefix);
  std::map<Bytes, std::optional<Bytes>> merged;
  std::size_t overlay_count = 0;
  for (auto it = top_.lower_bound(start); it != top_.end() && has_prefix(it->first, start); ++it) {
    merged.emplace(Bytes(it->first.begin() + 1, it->first.end()), it->second);
    ++overlay_count;
  }
  // Deleted or replaced overlay keys can hide at most overlay_count base entries.
  const std::size_t base_limit =
      limit > SIZE_MAX - overlay_count ? SIZE_MAX : limit + overlay_count;
  core::Status s = base_.scan(c, prefix, base_limit, [&](ByteView k, ByteView v) {
    merged.emplace(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));  // no overwrite
    return true;
  });
  if (!s) return s;
  std::size_t visited = 0;
  for (const auto& [k, v] : merged) {
    if (visited >= limit) break;
    if (!v) continue;
    ++visited;
    if (!fn(k, *v)) break;
  }
  return core::Status::ok();
}

core::Result<std::optional<std::pair<Bytes, Bytes>>> OverlayStore::floor(Column c,
                                                                         ByteView prefix,
                                                                         ByteView upper) const {
  using Entry = std::pair<Bytes, Bytes>;
  const Bytes full_prefix = full_key(c, prefix);
  const Bytes full_upper = full_key(c, upper);
  // The overlay's best candidate, and whether it deletes keys in range.
  std::optional<Entry> top_best;
  bool deletion_in_range = false;
  for (auto it = top_.upper_bound(full_upper); it != top_.begin();) {
    --it;
    if (!has_prefix(it->first, full_prefix)) {
      if (std::lexicographical_compare(it->first.begin(), it->first.end(), full_prefix.begin(),
                                       full_prefix.end())) {
        break;  // below every key with the prefix
      }
      continue;
    }
    if (!it->second) {
      deletion_in_range = true;
      continue;
    }
    top_best = Entry(Bytes(it->first.begin() + 1, it->first.end()), *it->second);
    break;
  }
  std::optional<Entry> base_best;
  if (!deletion_in_range) {
    auto b = base_.floor(c, prefix, upper);
    if (!b) return std::move(b).error();
    base_best = std::move(*b);
    if (base_best && top_.contains(full_key(c, base_best->first))) {
      // Replaced by the overlay: the overlay's candidate is at least as high.
      base_best.reset();
    }
  } else {
    // Rare: a deletion may hide the base's floor; walk the base under the prefix.
    core::Status s = base_.scan(c, prefix, SIZE_MAX, [&](ByteView k, ByteView v) {
      if (!less_equal(k, upper)) return false;
      if (auto it = top_.find(full_key(c, k)); it != top_.end()) return true;
      base_best = Entry(Bytes(k.begin(), k.end()), Bytes(v.begin(), v.end()));
      return true;
    });
    if (!s) return s;
  }
  if (!top_best) return base_best;
  if (!base_best) return top_best;
  return less_equal(base_best->first, top_best->first) ? top_best : base_best;
}

}  // namespace bauhinia::ledger
