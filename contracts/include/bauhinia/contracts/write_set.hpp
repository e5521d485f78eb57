#pragma once
// State writes: what a transaction (or a block) changes. Keys are state keys,
// chain::state_key(module, record key); each write also names its module and
// record key so indexes and clients can tell what changed.
//
// A transaction's state_changes_hash (in its chain::TransactionInfo) is
//   tagged_hash(kStateChanges, encode(WriteSetEncoding))
// where the encoding is a count, then per write in increasing state-key order:
// state key (32 bytes), module (string), record key (bytes), value (optional
// bytes; absent = deletion). See docs/contracts/README.md.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::contracts {

// A call may write at most this many distinct records (more fails the call
// with kLimitExceeded); its transaction adds the sender's account record.
inline constexpr std::size_t kMaxWritesPerCall = 1024;
inline constexpr std::size_t kMaxWritesPerTransaction = kMaxWritesPerCall + 1;

struct StateWrite {
  std::string module;
  core::Bytes record_key;
  std::optional<core::Bytes> value;  // nullopt: delete the record

  friend bool operator==(const StateWrite&, const StateWrite&) = default;
};

// Sorted by state key: the order the state tree and the hashes need.
using WriteSet = std::map<core::Hash256, StateWrite>;

// The canonical encoding of a write set (the input of state_changes_hash).
core::Bytes encode_write_set(const WriteSet& writes);
// tagged_hash(kStateChanges, encode_write_set(writes)).
core::Hash256 state_changes_hash(const WriteSet& writes);
// Decodes and re-derives every state key; rejects unsorted keys and keys that
// do not match their module and record key.
core::Checked<WriteSet> decode_write_set(core::ByteView in);

}  // namespace bauhinia::contracts
