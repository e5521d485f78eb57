#pragma once
// The KvStore on LevelDB: one database directory holds every column (the column
// byte is the first byte of each LevelDB key). A WriteBatch becomes one
// leveldb::WriteBatch, so it is applied entirely or not at all, also across a
// crash; with sync it is in the (fsynced) log before write() returns.
// Reads verify block checksums and the database runs with paranoid checks, so
// damaged files are reported as Status::corruption instead of being served.
// No LevelDB type appears here (ledger links leveldb privately).
//
// Thread safety: all methods may be called concurrently (LevelDB serialises
// writers itself). scan() callbacks may read the store but must not write it.

#include <cstdint>
#include <memory>
#include <string>

#include "bauhinia/ledger/kv_store.hpp"

namespace bauhinia::ledger {

struct LevelDbOptions {
  bool create_if_missing = true;
  bool error_if_exists = false;
  // LevelDB's own paranoid checks (a damaged log or table makes open() or the
  // read fail rather than silently drop entries), plus, on open, every table
  // file the manifest lists must exist with the size it records.
  bool paranoid_checks = true;
  // On open, also read every block of every table file the manifest lists,
  // checksums verified (the node's start: a flipped bit in a table is found
  // before the node serves or signs anything). Costs one read of the whole
  // database.
  bool verify_tables = false;
  std::size_t block_cache_bytes = 32u << 20;
  std::size_t write_buffer_bytes = 8u << 20;
  std::size_t max_file_bytes = 2u << 20;  // table file size (LevelDB's max_file_size)
  int max_open_files = 512;
  int bloom_bits_per_key = 10;  // 0 disables the filter
  bool compression = true;      // Snappy

  // The node's ledger database (docs/performance.md, "Ledger storage options").
  // Changing these is compatible both ways with an existing database: LevelDB
  // records each block's compression in the block and reads tables of any size.
  static LevelDbOptions ledger();
};

class LevelDbKvStore final : public KvStore {
 public:
  // Opens (or, if allowed, creates) the database in directory `path`.
  // Failure (missing directory, lock held by another process, corruption) is
  // a Status naming the path and LevelDB's reason.
  static core::Result<std::unique_ptr<LevelDbKvStore>> open(const std::string& path,
                                                            const LevelDbOptions& options = {});
  // Deletes the database in `path` (its files only). For tests and tools.
  static core::Status destroy(const std::string& path);

  ~LevelDbKvStore() override;
  LevelDbKvStore(const LevelDbKvStore&) = delete;
  LevelDbKvStore& operator=(const LevelDbKvStore&) = delete;

  core::Result<std::optional<Bytes>> get(Column c, ByteView key) const override;
  core::Status scan(Column c, ByteView prefix, std::size_t limit,
                    const std::function<bool(ByteView, ByteView)>& fn) const override;
  core::Status scan_from(Column c, ByteView prefix, ByteView start, std::size_t limit,
                         const std::function<bool(ByteView, ByteView)>& fn) const override;
  core::Result<std::optional<std::pair<Bytes, Bytes>>> floor(Column c, ByteView prefix,
                                                             ByteView upper) const override;
  core::Status write(const WriteBatch& batch, bool sync) override;
  core::Status write_all(std::span<const WriteBatch* const> batches, bool sync) override;

  // LevelDB's estimate of the on-disk bytes of column c (0 if unknown).
  std::uint64_t approximate_column_bytes(Column c) const;
  // Compacts the whole key range (tools and tests; blocks the caller).
  void compact();
  // A LevelDB property such as "leveldb.stats", or "" if unknown.
  std::string property(const std::string& name) const;
  const std::string& path() const noexcept { return path_; }

 private:
  struct Impl;
  LevelDbKvStore(std::string path, std::unique_ptr<Impl> impl);
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bauhinia::ledger
