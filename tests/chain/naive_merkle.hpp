#pragma once
// RFC 9162 section 2.1 written as literally as possible (recursive, slices
// copied, hashing by concatenation), as the reference the real implementations
// are checked against. Quadratic and slow on purpose: tests only.

#include <cstdint>
#include <string>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::test::naive {

using core::Bytes;
using core::Hash256;
using Hashes = std::vector<Hash256>;

inline Hash256 leaf(const Bytes& data) {
  Bytes m{0x00};
  m.insert(m.end(), data.begin(), data.end());
  return core::sha256(m);
}

inline Hash256 node(const Hash256& l, const Hash256& r) {
  Bytes m{0x01};
  m.insert(m.end(), l.bytes().begin(), l.bytes().end());
  m.insert(m.end(), r.bytes().begin(), r.bytes().end());
  return core::sha256(m);
}

inline std::uint64_t largest_power_of_two_below(std::uint64_t n) {
  std::uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

inline Hashes slice(const Hashes& d, std::uint64_t from, std::uint64_t to) {
  return Hashes(d.begin() + static_cast<std::ptrdiff_t>(from),
                d.begin() + static_cast<std::ptrdiff_t>(to));
}

// MTH over leaf hashes (the leaves are already hashed with the 0x00 prefix).
inline Hash256 mth(const Hashes& d) {
  if (d.empty()) return core::sha256(Bytes{});
  if (d.size() == 1) return d[0];
  const std::uint64_t k = largest_power_of_two_below(d.size());
  return node(mth(slice(d, 0, k)), mth(slice(d, k, d.size())));
}

inline Hashes path(std::uint64_t m, const Hashes& d) {
  if (d.size() <= 1) return {};
  const std::uint64_t k = largest_power_of_two_below(d.size());
  Hashes out;
  if (m < k) {
    out = path(m, slice(d, 0, k));
    out.push_back(mth(slice(d, k, d.size())));
  } else {
    out = path(m - k, slice(d, k, d.size()));
    out.push_back(mth(slice(d, 0, k)));
  }
  return out;
}

inline Hashes subproof(std::uint64_t m, const Hashes& d, bool b) {
  if (m == d.size()) return b ? Hashes{} : Hashes{mth(d)};
  const std::uint64_t k = largest_power_of_two_below(d.size());
  Hashes out;
  if (m <= k) {
    out = subproof(m, slice(d, 0, k), b);
    out.push_back(mth(slice(d, k, d.size())));
  } else {
    out = subproof(m - k, slice(d, k, d.size()), false);
    out.push_back(mth(slice(d, 0, k)));
  }
  return out;
}

inline Hashes proof(std::uint64_t m, const Hashes& d) {
  return subproof(m, d, true);
}

// Leaf hashes of leaves "leaf 0", "leaf 1", ...
inline Hashes leaves(std::uint64_t n, std::uint64_t first = 0) {
  Hashes out;
  for (std::uint64_t i = first; i < first + n; ++i) {
    const std::string s = "leaf " + std::to_string(i);
    out.push_back(leaf(Bytes(s.begin(), s.end())));
  }
  return out;
}

}  // namespace bauhinia::test::naive
