#pragma once
// Representative types for the decode fuzzer: together they use every
// primitive of the field codec (integers, bool, enum, bytes, strings, fixed
// arrays, hashes, nested objects, sequences, optionals, maps) with limits.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/core/address.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::fuzz {

enum class OpKind : std::uint8_t { kTransfer, kRegister, kRevoke };

struct Op {
  OpKind kind = OpKind::kTransfer;
  std::uint64_t amount = 0;
  std::optional<std::string> note;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.enumeration(s.kind, OpKind::kRevoke);
    c.u64(s.amount);
    c.optional(s.note, [](auto& cc, auto& x) { cc.string(x, 32, "note"); });
  }
  bool operator==(const Op&) const = default;
};

// Shaped like a transaction: header fields, a body, operations and metadata.
struct TxLike {
  std::uint8_t version = 0;
  std::uint64_t nonce = 0;
  core::AccountId sender;
  std::int64_t fee_delta = 0;
  bool urgent = false;
  std::string memo;
  core::Bytes payload;
  std::vector<Op> ops;
  std::map<std::string, std::uint64_t> meta;
  core::Hash256 parent;
  std::array<std::uint8_t, 64> signature{};
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.nonce);
    c.object(s.sender);
    c.i64(s.fee_delta);
    c.boolean(s.urgent);
    c.string(s.memo, 64, "memo");
    c.bytes(s.payload, 256, "payload");
    c.sequence(s.ops, 8, "ops");
    c.map(
        s.meta, 8, "meta", [](auto& cc, auto& k) { cc.string(k, 16, "key"); },
        [](auto& cc, auto& v) { cc.u64(v); });
    c.fixed(s.parent);
    c.fixed(s.signature);
  }
  bool operator==(const TxLike&) const = default;
};

// Nested containers: maps keyed by integers (ordered by encoded bytes, which
// for little-endian integers is not numeric order) holding sequences.
struct Nested {
  std::uint16_t epoch = 0;
  std::map<std::uint32_t, std::vector<core::Bytes>> buckets;
  std::optional<std::vector<std::uint32_t>> extra;
  std::vector<std::optional<std::uint8_t>> sparse;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u16(s.epoch);
    c.map(
        s.buckets, 4, "buckets", [](auto& cc, auto& k) { cc.u32(k); },
        [](auto& cc, auto& v) {
          cc.sequence(v, 4, "bucket", [](auto& c3, auto& b) { c3.bytes(b, 16, "item"); });
        });
    c.optional(s.extra, [](auto& cc, auto& v) {
      cc.sequence(v, 6, "extra", [](auto& c3, auto& x) { c3.u32(x); });
    });
    c.sequence(s.sparse, 6, "sparse",
               [](auto& cc, auto& x) { cc.optional(x, [](auto& c3, auto& y) { c3.u8(y); }); });
  }
  bool operator==(const Nested&) const = default;
};

}  // namespace bauhinia::fuzz
