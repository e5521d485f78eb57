#include "bauhinia/ledger/kv_store.hpp"

#include <algorithm>

namespace bauhinia::ledger {

namespace {
Bytes full_key(Column c, ByteView key) {
  Bytes k;
  k.reserve(key.size() + 1);
  k.push_back(static_cast<std::uint8_t>(c));
  k.insert(k.end(), key.begin(), key.end());
  return k;
}
bool starts_with(ByteView s, ByteView prefix) {
  return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin());
}
}  // namespace

std::size_t WriteBatch::approximate_bytes() const noexcept {
  std::size_t n = 0;
  for (const auto& w : writes_) n += 1 + w.key.size() + (w.value ? w.value->size() : 0);
  return n;
}

core::Result<std::optional<Bytes>> MemoryKvStore::get(Column c, ByteView key) const {
  auto it = map_.find(full_key(c, key));
  if (it == map_.end()) return std::optional<Bytes>{};
  return std::optional<Bytes>{it->second};
}

core::Status MemoryKvStore::scan(Column c, ByteView prefix, std::size_t limit,
                                 const std::function<bool(ByteView, ByteView)>& fn) const {
  const Bytes start = full_key(c, prefix);
  std::size_t visited = 0;
  for (auto it = map_.lower_bound(start); it != map_.end() && visited < limit; ++it, ++visited) {
    if (!starts_with(it->first, start)) break;
    if (!fn(ByteView(it->first).subspan(1), it->second)) break;
  }
  return core::Status::ok();
}

core::Result<std::optional<std::pair<Bytes, Bytes>>> MemoryKvStore::floor(Column c, ByteView prefix,
                                                                          ByteView upper) const {
  using Out = std::optional<std::pair<Bytes, Bytes>>;
  const Bytes up = full_key(c, upper);
  const Bytes pre = full_key(c, prefix);
  auto it = map_.upper_bound(up);
  if (it == map_.begin()) return Out{};
  --it;
  if (!starts_with(it->first, pre)) return Out{};
  return Out{std::pair{Bytes(it->first.begin() + 1, it->first.end()), it->second}};
}

core::Status MemoryKvStore::write(const WriteBatch& batch, bool /*sync*/) {
  for (const auto& w : batch.writes()) {
    Bytes k = full_key(w.column, w.key);
    if (w.value) {
      map_[std::move(k)] = *w.value;
    } else {
      map_.erase(k);
    }
  }
  return core::Status::ok();
}

void append_be64(Bytes& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint64_t read_be64(ByteView in) {
  BAUHINIA_ASSERT(in.size() >= 8);
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | in[static_cast<std::size_t>(i)];
  return v;
}

Bytes be64_key(std::uint64_t v) {
  Bytes b;
  b.reserve(8);
  append_be64(b, v);
  return b;
}

}  // namespace bauhinia::ledger
