#include "bauhinia/ledger/leveldb_store.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <string_view>
#include <system_error>

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/env.h>
#include <leveldb/filter_policy.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/table.h>
#include <leveldb/write_batch.h>

#include "kv_store_keys.hpp"

namespace bauhinia::ledger {

namespace {

leveldb::Slice slice(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

ByteView view(const leveldb::Slice& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

Bytes bytes(const leveldb::Slice& s) {
  const ByteView v = view(s);
  return {v.begin(), v.end()};
}

// LevelDB's status as ours; `what` says which operation failed.
core::Status convert(const leveldb::Status& s, const std::string& what) {
  if (s.ok()) return core::Status::ok();
  std::string msg = what + ": " + s.ToString();
  if (s.IsCorruption()) return core::Status::corruption(std::move(msg));
  if (s.IsNotFound()) return core::Status::not_found(std::move(msg));
  if (s.IsInvalidArgument()) return core::Status::invalid_argument(std::move(msg));
  if (s.IsIOError()) return core::Status::io_error(std::move(msg));
  return core::Status::internal(std::move(msg));
}

// Reads every block of the table file `file` (`size` bytes) with checksums
// verified; a flipped bit anywhere in it is reported naming the file.
core::Status verify_table_blocks(const std::string& file, std::uint64_t size) {
  leveldb::Env* env = leveldb::Env::Default();
  leveldb::RandomAccessFile* raw_file = nullptr;
  leveldb::Status s = env->NewRandomAccessFile(file, &raw_file);
  if (!s.ok()) return convert(s, "leveldb: cannot read table file " + file);
  std::unique_ptr<leveldb::RandomAccessFile> handle(raw_file);
  leveldb::Options o;
  o.paranoid_checks = true;
  leveldb::Table* raw_table = nullptr;
  s = leveldb::Table::Open(o, handle.get(), size, &raw_table);
  if (!s.ok()) {
    return core::Status::corruption("leveldb: table file " + file + " is damaged: " + s.ToString());
  }
  std::unique_ptr<leveldb::Table> table(raw_table);
  leveldb::ReadOptions r;
  r.verify_checksums = true;
  r.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(table->NewIterator(r));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
  }
  if (!it->status().ok()) {
    return core::Status::corruption("leveldb: table file " + file +
                                    " is damaged: " + it->status().ToString());
  }
  return core::Status::ok();
}

// Every table file LevelDB's manifest lists must exist with the size the
// manifest records; a file cut short would otherwise surface only later, as an
// I/O error on the first read that reaches it. With `verify_blocks`, every
// block of every listed table is also read with its checksum verified. The
// manifest's file list comes from the "leveldb.sstables" property: lines
// " <number>:<size>[<keys>]".
core::Status check_table_files(leveldb::DB& db, const std::string& path, bool verify_blocks) {
  std::string listing;
  if (!db.GetProperty("leveldb.sstables", &listing)) return core::Status::ok();
  std::size_t pos = 0;
  while (pos < listing.size()) {
    std::size_t end = listing.find('\n', pos);
    if (end == std::string::npos) end = listing.size();
    const std::string_view line(listing.data() + pos, end - pos);
    pos = end + 1;
    if (line.size() < 2 || line[0] != ' ') continue;
    std::uint64_t number = 0;
    std::uint64_t size = 0;
    const char* p = line.data() + 1;
    const char* last = line.data() + line.size();
    auto [after_number, ec1] = std::from_chars(p, last, number);
    if (ec1 != std::errc() || after_number == last || *after_number != ':') continue;
    auto [after_size, ec2] = std::from_chars(after_number + 1, last, size);
    if (ec2 != std::errc()) continue;
    char name[32];
    std::snprintf(name, sizeof(name), "%06llu", static_cast<unsigned long long>(number));
    std::error_code err;
    std::string file = path + "/" + name + ".ldb";
    if (!std::filesystem::exists(file, err)) file = path + "/" + name + ".sst";
    const std::uintmax_t actual = std::filesystem::file_size(file, err);
    if (err) {
      return core::Status::corruption("leveldb: table file " + file +
                                      " is missing: " + err.message());
    }
    if (actual != size) {
      return core::Status::corruption("leveldb: table file " + file + " has " +
                                      std::to_string(actual) + " bytes, the manifest records " +
                                      std::to_string(size));
    }
    if (verify_blocks) {
      if (core::Status v = verify_table_blocks(file, size); !v) return v;
    }
  }
  return core::Status::ok();
}

}  // namespace

struct LevelDbKvStore::Impl {
  std::unique_ptr<leveldb::Cache> cache;
  std::unique_ptr<const leveldb::FilterPolicy> filter;
  std::unique_ptr<leveldb::DB> db;  // destroyed first (declared last)

  leveldb::ReadOptions read_options() const {
    leveldb::ReadOptions r;
    r.verify_checksums = true;
    return r;
  }
};

LevelDbKvStore::LevelDbKvStore(std::string path, std::unique_ptr<Impl> impl)
    : path_(std::move(path)), impl_(std::move(impl)) {}

LevelDbKvStore::~LevelDbKvStore() = default;

core::Result<std::unique_ptr<LevelDbKvStore>> LevelDbKvStore::open(const std::string& path,
                                                                   const LevelDbOptions& options) {
  if (path.empty()) return core::Status::invalid_argument("leveldb: empty database path");
  auto impl = std::make_unique<Impl>();
  leveldb::Options o;
  o.create_if_missing = options.create_if_missing;
  o.error_if_exists = options.error_if_exists;
  o.paranoid_checks = options.paranoid_checks;
  o.write_buffer_size = options.write_buffer_bytes;
  o.max_file_size = options.max_file_bytes;
  o.max_open_files = options.max_open_files;
  o.compression = options.compression ? leveldb::kSnappyCompression : leveldb::kNoCompression;
  if (options.block_cache_bytes > 0) {
    impl->cache.reset(leveldb::NewLRUCache(options.block_cache_bytes));
    o.block_cache = impl->cache.get();
  }
  if (options.bloom_bits_per_key > 0) {
    impl->filter.reset(leveldb::NewBloomFilterPolicy(options.bloom_bits_per_key));
    o.filter_policy = impl->filter.get();
  }
  leveldb::DB* raw = nullptr;
  const leveldb::Status s = leveldb::DB::Open(o, path, &raw);
  if (!s.ok()) return convert(s, "leveldb: cannot open " + path);
  impl->db.reset(raw);
  if (options.paranoid_checks || options.verify_tables) {
    if (core::Status c = check_table_files(*impl->db, path, options.verify_tables); !c) return c;
  }
  return std::unique_ptr<LevelDbKvStore>(new LevelDbKvStore(path, std::move(impl)));
}

LevelDbOptions LevelDbOptions::ledger() {
  LevelDbOptions o;
  o.compression = false;
  o.write_buffer_bytes = 32u << 20;
  o.max_file_bytes = 8u << 20;
  return o;
}

core::Status LevelDbKvStore::destroy(const std::string& path) {
  return convert(leveldb::DestroyDB(path, leveldb::Options{}), "leveldb: cannot destroy " + path);
}

core::Result<std::optional<Bytes>> LevelDbKvStore::get(Column c, ByteView key) const {
  const Bytes k = detail::full_key(c, key);
  std::string value;
  const leveldb::Status s = impl_->db->Get(impl_->read_options(), slice(k), &value);
  if (s.IsNotFound()) return std::optional<Bytes>{};
  if (!s.ok()) return convert(s, "leveldb get " + describe_key(c, key));
  return std::optional<Bytes>{Bytes(value.begin(), value.end())};
}

core::Status LevelDbKvStore::scan(Column c, ByteView prefix, std::size_t limit,
                                  const std::function<bool(ByteView, ByteView)>& fn) const {
  const Bytes start = detail::full_key(c, prefix);
  std::unique_ptr<leveldb::Iterator> it(impl_->db->NewIterator(impl_->read_options()));
  std::size_t visited = 0;
  for (it->Seek(slice(start)); it->Valid() && visited < limit; it->Next(), ++visited) {
    const ByteView k = view(it->key());
    if (!detail::starts_with(k, start)) break;
    if (!fn(k.subspan(1), view(it->value()))) break;
  }
  return convert(it->status(), "leveldb scan " + describe_key(c, prefix));
}

core::Status LevelDbKvStore::scan_from(Column c, ByteView prefix, ByteView start, std::size_t limit,
                                       const std::function<bool(ByteView, ByteView)>& fn) const {
  const Bytes pre = detail::full_key(c, prefix);
  const Bytes from = std::max(pre, detail::full_key(c, start));
  std::unique_ptr<leveldb::Iterator> it(impl_->db->NewIterator(impl_->read_options()));
  std::size_t visited = 0;
  for (it->Seek(slice(from)); it->Valid() && visited < limit; it->Next(), ++visited) {
    const ByteView k = view(it->key());
    if (!detail::starts_with(k, pre)) break;
    if (!fn(k.subspan(1), view(it->value()))) break;
  }
  return convert(it->status(), "leveldb scan " + describe_key(c, start));
}

core::Result<std::optional<std::pair<Bytes, Bytes>>> LevelDbKvStore::floor(Column c,
                                                                           ByteView prefix,
                                                                           ByteView upper) const {
  using Out = std::optional<std::pair<Bytes, Bytes>>;
  using Kind = detail::FloorBound::Kind;
  const detail::FloorBound bound = detail::floor_bound(c, prefix, upper);
  if (bound.kind == Kind::kNothing) return Out{};
  std::unique_ptr<leveldb::Iterator> it(impl_->db->NewIterator(impl_->read_options()));
  if (bound.kind == Kind::kLast) {
    it->SeekToLast();
  } else {
    it->Seek(slice(bound.key));
    const bool exact =
        bound.kind == Kind::kInclusive && it->Valid() && it->key() == slice(bound.key);
    if (!exact) {
      if (it->Valid()) {
        it->Prev();
      } else if (it->status().ok()) {
        it->SeekToLast();
      }
    }
  }
  if (!it->status().ok()) return convert(it->status(), "leveldb floor " + describe_key(c, upper));
  if (!it->Valid()) return Out{};
  const ByteView k = view(it->key());
  if (!detail::starts_with(k, bound.prefix)) return Out{};
  return Out{std::pair{Bytes(k.begin() + 1, k.end()), bytes(it->value())}};
}

core::Status LevelDbKvStore::write(const WriteBatch& batch, bool sync) {
  const WriteBatch* one = &batch;
  return write_all(std::span<const WriteBatch* const>(&one, 1), sync);
}

core::Status LevelDbKvStore::write_all(std::span<const WriteBatch* const> batches, bool sync) {
  leveldb::WriteBatch b;
  Bytes k;
  std::size_t entries = 0;
  for (const WriteBatch* batch : batches) {
    entries += batch->size();
    for (const auto& w : batch->writes()) {
      k.clear();
      k.push_back(static_cast<std::uint8_t>(w.column));
      k.insert(k.end(), w.key.begin(), w.key.end());
      if (w.value) {
        b.Put(slice(k), slice(*w.value));
      } else {
        b.Delete(slice(k));
      }
    }
  }
  leveldb::WriteOptions o;
  o.sync = sync;
  return convert(impl_->db->Write(o, &b),
                 "leveldb write of " + std::to_string(entries) + " entries to " + path_);
}

std::uint64_t LevelDbKvStore::approximate_column_bytes(Column c) const {
  const Bytes start{static_cast<std::uint8_t>(c)};
  const Bytes limit{static_cast<std::uint8_t>(static_cast<std::uint8_t>(c) + 1)};
  const leveldb::Range range(slice(start), slice(limit));
  std::uint64_t size = 0;
  impl_->db->GetApproximateSizes(&range, 1, &size);
  return size;
}

void LevelDbKvStore::compact() {
  impl_->db->CompactRange(nullptr, nullptr);
}

std::string LevelDbKvStore::property(const std::string& name) const {
  std::string value;
  if (!impl_->db->GetProperty(name, &value)) return {};
  return value;
}

}  // namespace bauhinia::ledger
