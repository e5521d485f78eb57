#pragma once
// The key-value storage beneath the ledger. Everything the ledger keeps lives in
// one ordered key space split into columns (a one-byte key prefix); all that one
// block changes goes into one WriteBatch, written atomically. The ledger's
// roots are computed from its own structures, never from the store's behaviour.
// Two implementations: MemoryKvStore (tests, simulator) and LevelDbKvStore.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::ledger {

using core::Bytes;
using core::ByteView;

// Never renumber: the byte is the first byte of every stored key. Key and
// value layouts: docs/formats/storage.md.
enum class Column : std::uint8_t {
  kMeta = 0x01,           // "chain" -> ChainMeta, "latest" -> LatestMeta
  kBlockHeader = 0x02,    // height(be64) -> BlockHeader
  kBlockBody = 0x03,      // height(be64) -> BlockBody (its accumulator index range)
  kCertificate = 0x04,    // height(be64) -> commit certificate
  kTransaction = 0x05,    // accumulator index(be64) -> TransactionRecord (bytes + info)
  kTxIndex = 0x06,        // transaction id -> accumulator index(be64)
  kAccumulator = 0x07,    // (level u8, index be64) -> frozen node hash
  kStateNode = 0x08,      // state tree node key -> node
  kRecordHistory = 0x09,  // retired (store format 1); the history is read from kStateValue
  kAccountTx = 0x0A,      // account id || index(be64) -> empty
  kValidatorSet = 0x0B,   // epoch(be64) -> EpochRecord (validator set, first height)
  kSafety = 0x0C,         // consensus safety state
  kStateValue = 0x0D,     // state key || version(be64) -> value hash and bytes, or deletion
  kStateStale = 0x0E,     // be64(stale since version) || state node key -> empty (pruning)
};

// "block_header", ... for messages; "column_0xNN" for an unknown byte.
std::string column_name(Column c);
// "<column> key <hex>" (hex cut after 80 bytes): names a stored entry in errors.
std::string describe_key(Column c, ByteView key);

struct KvWrite {
  Column column;
  Bytes key;
  std::optional<Bytes> value;  // nullopt: delete
};

class WriteBatch {
 public:
  void put(Column c, ByteView key, ByteView value) {
    writes_.push_back({c, Bytes(key.begin(), key.end()), Bytes(value.begin(), value.end())});
  }
  void put(Column c, Bytes key, Bytes value) {
    writes_.push_back({c, std::move(key), std::move(value)});
  }
  void erase(Column c, ByteView key) {
    writes_.push_back({c, Bytes(key.begin(), key.end()), std::nullopt});
  }
  // Adds `other`'s writes after this batch's (later writes win).
  void append(const WriteBatch& other) {
    writes_.insert(writes_.end(), other.writes_.begin(), other.writes_.end());
  }
  const std::vector<KvWrite>& writes() const noexcept { return writes_; }
  std::size_t size() const noexcept { return writes_.size(); }
  std::size_t approximate_bytes() const noexcept;
  void clear() { writes_.clear(); }

 private:
  std::vector<KvWrite> writes_;
};

class KvReader {
 public:
  virtual ~KvReader() = default;
  // nullopt when the key is absent.
  virtual core::Result<std::optional<Bytes>> get(Column c, ByteView key) const = 0;
  // Calls fn(key, value) for keys starting with `prefix`, in increasing order,
  // until fn returns false or `limit` entries were visited. Keys are given
  // without the column byte.
  virtual core::Status scan(Column c, ByteView prefix, std::size_t limit,
                            const std::function<bool(ByteView key, ByteView value)>& fn) const = 0;
  // Like scan(), but starting at the first key >= `start` (pagination). The
  // default skips the keys before `start`; the stores seek to it directly.
  virtual core::Status scan_from(Column c, ByteView prefix, ByteView start, std::size_t limit,
                                 const std::function<bool(ByteView key, ByteView value)>& fn) const;
  // The greatest key in column c that starts with `prefix` and is <= `upper`
  // (keys without the column byte). Typical use: prefix = record key, upper =
  // record key || be64(version) finds the latest entry at or below a version.
  virtual core::Result<std::optional<std::pair<Bytes, Bytes>>> floor(Column c, ByteView prefix,
                                                                     ByteView upper) const = 0;
};

class KvStore : public KvReader {
 public:
  // Applies the batch atomically; with sync, durable before returning.
  virtual core::Status write(const WriteBatch& batch, bool sync) = 0;
  // Applies several batches, in order (later writes win), as ONE atomic
  // write, without concatenating them first where the store can. The default
  // concatenates and calls write().
  virtual core::Status write_all(std::span<const WriteBatch* const> batches, bool sync);
};

// An in-memory store (std::map), for tests and the simulator. Thread-safe like
// LevelDbKvStore: concurrent reads, writes exclusive; scan() callbacks must not
// write to the store.
class MemoryKvStore final : public KvStore {
 public:
  core::Result<std::optional<Bytes>> get(Column c, ByteView key) const override;
  core::Status scan(Column c, ByteView prefix, std::size_t limit,
                    const std::function<bool(ByteView, ByteView)>& fn) const override;
  core::Status scan_from(Column c, ByteView prefix, ByteView start, std::size_t limit,
                         const std::function<bool(ByteView, ByteView)>& fn) const override;
  core::Result<std::optional<std::pair<Bytes, Bytes>>> floor(Column c, ByteView prefix,
                                                             ByteView upper) const override;
  core::Status write(const WriteBatch& batch, bool sync) override;
  std::size_t entries() const;

 private:
  mutable std::shared_mutex mutex_;
  std::map<Bytes, Bytes> map_;  // column byte || key -> value
};

// Big-endian fixed-width integers for keys, so byte order is numeric order.
void append_be64(Bytes& out, std::uint64_t v);
std::uint64_t read_be64(ByteView in);  // requires in.size() >= 8
Bytes be64_key(std::uint64_t v);

}  // namespace bauhinia::ledger
