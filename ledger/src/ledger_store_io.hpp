#pragma once
// Internal to LedgerStore: typed reads of stored values. A value that fails to
// decode is Status::corruption naming the column and key; a value that must
// exist but does not (e.g. a header at or below the latest height) is
// corruption too, while data asked for beyond what is committed is not_found.

#include <optional>
#include <string>
#include <utility>

#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::ledger::detail {

inline core::Status corrupt(Column c, ByteView key, const std::string& why) {
  return core::Status::corruption("corrupt " + describe_key(c, key) + ": " + why);
}

template <class T>
core::Result<T> decode_stored(Column c, ByteView key, ByteView value) {
  auto decoded = core::decode<T>(value);
  if (!decoded) return corrupt(c, key, decoded.error().to_string());
  return std::move(decoded).value();
}

// nullopt when absent.
template <class T>
core::Result<std::optional<T>> read_optional(const KvReader& kv, Column c, ByteView key) {
  auto raw = kv.get(c, key);
  if (!raw) return std::move(raw).error();
  if (!raw->has_value()) return std::optional<T>{};
  auto decoded = decode_stored<T>(c, key, **raw);
  if (!decoded) return std::move(decoded).error();
  return std::optional<T>{std::move(decoded).value()};
}

// Corruption when absent: for data the committed ledger must contain.
template <class T>
core::Result<T> read_required(const KvReader& kv, Column c, ByteView key) {
  auto v = read_optional<T>(kv, c, key);
  if (!v) return std::move(v).error();
  if (!v->has_value()) return corrupt(c, key, "missing");
  return std::move(**v);
}

// A be64 value (the tx-index column).
inline core::Result<std::optional<std::uint64_t>> read_be64_value(const KvReader& kv, Column c,
                                                                  ByteView key) {
  auto raw = kv.get(c, key);
  if (!raw) return std::move(raw).error();
  if (!raw->has_value()) return std::optional<std::uint64_t>{};
  if ((*raw)->size() != 8) {
    return corrupt(c, key, "expected 8 bytes, found " + std::to_string((*raw)->size()));
  }
  return std::optional<std::uint64_t>{read_be64(**raw)};
}

inline Bytes meta_key(std::string_view name) {
  const ByteView v = core::as_bytes(name);
  return {v.begin(), v.end()};
}

// account[32] || be64(index)
inline Bytes account_tx_key(const core::Hash256& account, std::uint64_t index) {
  Bytes k(account.view().begin(), account.view().end());
  append_be64(k, index);
  return k;
}

}  // namespace bauhinia::ledger::detail
