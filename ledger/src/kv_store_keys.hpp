#pragma once
// Internal to the KvStore implementations: the physical key layout (column
// byte || key) and the search bound of floor(), shared so that MemoryKvStore
// and LevelDbKvStore answer every query identically.

#include <algorithm>
#include <optional>

#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::ledger::detail {

inline Bytes full_key(Column c, ByteView key) {
  Bytes k;
  k.reserve(key.size() + 1);
  k.push_back(static_cast<std::uint8_t>(c));
  k.insert(k.end(), key.begin(), key.end());
  return k;
}

inline bool starts_with(ByteView s, ByteView prefix) {
  return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin());
}

inline bool less(ByteView a, ByteView b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

// The smallest key greater than every key that starts with `prefix`, or
// nullopt when there is none (prefix is all 0xFF).
inline std::optional<Bytes> prefix_successor(ByteView prefix) {
  Bytes s(prefix.begin(), prefix.end());
  while (!s.empty() && s.back() == 0xFF) s.pop_back();
  if (s.empty()) return std::nullopt;
  ++s.back();
  return s;
}

// Where floor(c, prefix, upper) starts searching backwards.
struct FloorBound {
  enum class Kind {
    kNothing,    // upper sorts before every key with the prefix: no answer
    kInclusive,  // the greatest key <= key
    kExclusive,  // the greatest key < key
    kLast,       // the greatest key of the whole store
  };
  Kind kind = Kind::kNothing;
  Bytes key;     // physical key (column byte first)
  Bytes prefix;  // physical prefix the answer must start with
};

inline FloorBound floor_bound(Column c, ByteView prefix, ByteView upper) {
  FloorBound b;
  b.prefix = full_key(c, prefix);
  Bytes up = full_key(c, upper);
  if (starts_with(up, b.prefix)) {
    b.kind = FloorBound::Kind::kInclusive;
    b.key = std::move(up);
  } else if (less(up, b.prefix)) {
    b.kind = FloorBound::Kind::kNothing;
  } else if (auto succ = prefix_successor(b.prefix)) {
    // upper is beyond every key with the prefix: the answer is the last of them.
    b.kind = FloorBound::Kind::kExclusive;
    b.key = std::move(*succ);
  } else {
    b.kind = FloorBound::Kind::kLast;
  }
  return b;
}

}  // namespace bauhinia::ledger::detail
