#include "bauhinia/ledger/kv_store.hpp"

#include <limits>
#include <mutex>

#include "kv_store_keys.hpp"

namespace bauhinia::ledger {

using detail::full_key;
using detail::starts_with;

std::string column_name(Column c) {
  switch (c) {
    case Column::kMeta: return "meta";
    case Column::kBlockHeader: return "block_header";
    case Column::kBlockBody: return "block_body";
    case Column::kCertificate: return "certificate";
    case Column::kTransaction: return "transaction";
    case Column::kTxIndex: return "tx_index";
    case Column::kAccumulator: return "accumulator";
    case Column::kStateNode: return "state_node";
    case Column::kRecordHistory: return "record_history";
    case Column::kAccountTx: return "account_tx";
    case Column::kValidatorSet: return "validator_set";
    case Column::kSafety: return "safety";
    case Column::kStateValue: return "state_value";
    case Column::kStateStale: return "state_stale";
  }
  static constexpr char kHex[] = "0123456789abcdef";
  const auto v = static_cast<std::uint8_t>(c);
  return std::string("column_0x") + kHex[v >> 4] + kHex[v & 0xF];
}

std::string describe_key(Column c, ByteView key) {
  constexpr std::size_t kMaxShown = 80;
  std::string s = column_name(c) + " key ";
  if (key.size() > kMaxShown) {
    s += core::to_hex(key.first(kMaxShown)) + "...";
  } else {
    s += key.empty() ? std::string("(empty)") : core::to_hex(key);
  }
  return s;
}

std::size_t WriteBatch::approximate_bytes() const noexcept {
  std::size_t n = 0;
  for (const auto& w : writes_) n += 1 + w.key.size() + (w.value ? w.value->size() : 0);
  return n;
}

core::Status KvReader::scan_from(Column c, ByteView prefix, ByteView start, std::size_t limit,
                                 const std::function<bool(ByteView, ByteView)>& fn) const {
  std::size_t visited = 0;
  return scan(c, prefix, std::numeric_limits<std::size_t>::max(), [&](ByteView k, ByteView v) {
    if (detail::less(k, start)) return true;
    if (visited >= limit) return false;
    ++visited;
    return fn(k, v);
  });
}

core::Status KvStore::write_all(std::span<const WriteBatch* const> batches, bool sync) {
  WriteBatch all;
  for (const WriteBatch* b : batches) all.append(*b);
  return write(all, sync);
}

core::Result<std::optional<Bytes>> MemoryKvStore::get(Column c, ByteView key) const {
  std::shared_lock lock(mutex_);
  auto it = map_.find(full_key(c, key));
  if (it == map_.end()) return std::optional<Bytes>{};
  return std::optional<Bytes>{it->second};
}

core::Status MemoryKvStore::scan(Column c, ByteView prefix, std::size_t limit,
                                 const std::function<bool(ByteView, ByteView)>& fn) const {
  std::shared_lock lock(mutex_);
  const Bytes start = full_key(c, prefix);
  std::size_t visited = 0;
  for (auto it = map_.lower_bound(start); it != map_.end() && visited < limit; ++it, ++visited) {
    if (!starts_with(it->first, start)) break;
    if (!fn(ByteView(it->first).subspan(1), it->second)) break;
  }
  return core::Status::ok();
}

core::Status MemoryKvStore::scan_from(Column c, ByteView prefix, ByteView start, std::size_t limit,
                                      const std::function<bool(ByteView, ByteView)>& fn) const {
  std::shared_lock lock(mutex_);
  const Bytes pre = full_key(c, prefix);
  const Bytes from = full_key(c, start);
  std::size_t visited = 0;
  for (auto it = map_.lower_bound(std::max(pre, from)); it != map_.end() && visited < limit;
       ++it, ++visited) {
    if (!starts_with(it->first, pre)) break;
    if (!fn(ByteView(it->first).subspan(1), it->second)) break;
  }
  return core::Status::ok();
}

core::Result<std::optional<std::pair<Bytes, Bytes>>> MemoryKvStore::floor(Column c, ByteView prefix,
                                                                          ByteView upper) const {
  using Out = std::optional<std::pair<Bytes, Bytes>>;
  using Kind = detail::FloorBound::Kind;
  const detail::FloorBound bound = detail::floor_bound(c, prefix, upper);
  if (bound.kind == Kind::kNothing) return Out{};
  std::shared_lock lock(mutex_);
  auto it = map_.end();
  if (bound.kind == Kind::kInclusive) it = map_.upper_bound(bound.key);
  if (bound.kind == Kind::kExclusive) it = map_.lower_bound(bound.key);
  if (it == map_.begin()) return Out{};
  --it;
  if (!starts_with(it->first, bound.prefix)) return Out{};
  return Out{std::pair{Bytes(it->first.begin() + 1, it->first.end()), it->second}};
}

core::Status MemoryKvStore::write(const WriteBatch& batch, bool /*sync*/) {
  std::unique_lock lock(mutex_);
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

std::size_t MemoryKvStore::entries() const {
  std::shared_lock lock(mutex_);
  return map_.size();
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
