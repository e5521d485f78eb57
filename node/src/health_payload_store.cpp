// HealthPayloadStore: XChaCha20-Poly1305 per record, ciphertexts in LevelDB,
// keys as files (health_payload_store.hpp).

#include "bauhinia/node/health_payload_store.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bauhinia/ledger/leveldb_store.hpp"

namespace bauhinia::node {

namespace {

using core::Bytes;
using core::ByteView;
using ledger::Column;

constexpr std::uint8_t kFormat = 1;
constexpr std::size_t kKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kKeyFileBytes = 1 + kKeyBytes;
constexpr std::string_view kAdPrefix = "bauhinia/health-payload";

static_assert(kKeyBytes == 32);

// Keys of the payload LevelDB (one column; the first byte is the kind).
Bytes db_key(char kind, const core::Hash256& id) {
  Bytes k{static_cast<std::uint8_t>(kind)};
  k.insert(k.end(), id.bytes().begin(), id.bytes().end());
  return k;
}

Bytes associated_data(const core::Hash256& record_id) {
  Bytes ad(kAdPrefix.begin(), kAdPrefix.end());
  ad.insert(ad.end(), record_id.bytes().begin(), record_id.bytes().end());
  return ad;
}

std::string errno_text(const std::string& what, const std::filesystem::path& p) {
  return what + " " + p.string() + ": " + std::strerror(errno);
}

core::Status fsync_dir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return core::Status::io_error(errno_text("open", dir));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return core::Status::io_error(errno_text("fsync", dir));
  return core::Status::ok();
}

// Writes `data` to `path` (mode 0600) and fsyncs it.
core::Status write_synced(const std::filesystem::path& path, ByteView data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return core::Status::io_error(errno_text("open", path));
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return core::Status::io_error(errno_text("write", path));
    }
    done += static_cast<std::size_t>(n);
  }
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return core::Status::io_error(errno_text("fsync", path));
  return core::Status::ok();
}

}  // namespace

HealthPayloadStore::HealthPayloadStore(std::unique_ptr<ledger::KvStore> db,
                                       std::filesystem::path key_dir)
    : db_(std::move(db)), key_dir_(std::move(key_dir)) {}

HealthPayloadStore::~HealthPayloadStore() = default;

core::Result<std::unique_ptr<HealthPayloadStore>> HealthPayloadStore::open(
    const std::filesystem::path& payload_dir, const std::filesystem::path& key_dir) {
  if (sodium_init() < 0) return core::Status::internal("libsodium failed to initialise");
  std::error_code ec;
  std::filesystem::create_directories(payload_dir, ec);
  if (ec) return core::Status::io_error(payload_dir.string() + ": " + ec.message());
  std::filesystem::create_directories(key_dir, ec);
  if (ec) return core::Status::io_error(key_dir.string() + ": " + ec.message());
  if (::chmod(key_dir.c_str(), 0700) != 0) {
    return core::Status::io_error(errno_text("chmod", key_dir));
  }
  if (std::filesystem::equivalent(payload_dir, key_dir, ec)) {
    return core::Status::invalid_argument("the key folder must not be the payload folder");
  }
  auto db = ledger::LevelDbKvStore::open(payload_dir.string());
  if (!db) return std::move(db).error();
  return std::unique_ptr<HealthPayloadStore>(
      new HealthPayloadStore(std::move(db).value(), key_dir));
}

std::filesystem::path HealthPayloadStore::key_file(const core::Hash256& record_id) const {
  return key_dir_ / (record_id.to_hex() + ".key");
}

core::Result<std::optional<std::array<std::uint8_t, 32>>> HealthPayloadStore::read_key(
    const core::Hash256& record_id) const {
  using Out = std::optional<std::array<std::uint8_t, 32>>;
  const auto path = key_file(record_id);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Out{};
    return core::Status::io_error(errno_text("open", path));
  }
  std::array<std::uint8_t, kKeyFileBytes + 1> buf{};
  std::size_t got = 0;
  while (got < buf.size()) {
    const ssize_t n = ::read(fd, buf.data() + got, buf.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return core::Status::io_error(errno_text("read", path));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got != kKeyFileBytes || buf[0] != kFormat) {
    sodium_memzero(buf.data(), buf.size());
    return core::Status::corruption("health payload key " + path.string() + " is damaged");
  }
  std::array<std::uint8_t, 32> key{};
  std::memcpy(key.data(), buf.data() + 1, kKeyBytes);
  sodium_memzero(buf.data(), buf.size());
  return Out{key};
}

core::Result<bool> HealthPayloadStore::is_erased(const core::Hash256& record_id) const {
  std::error_code ec;
  const bool marked = std::filesystem::exists(key_dir_ / (record_id.to_hex() + ".erased"), ec);
  if (ec) return core::Status::io_error(key_dir_.string() + ": " + ec.message());
  return marked;
}

core::Result<bool> HealthPayloadStore::put(const core::Hash256& record_id,
                                           const HealthPayload& payload) {
  std::lock_guard lock(mutex_);
  auto erased = is_erased(record_id);
  if (!erased) return std::move(erased).error();
  if (*erased) {
    return core::Status::invalid_argument("record " + record_id.to_hex() +
                                          " was erased: its payload is never stored again");
  }
  auto existing = read_key(record_id);
  if (!existing) return std::move(existing).error();
  auto have = db_->get(Column::kMeta, db_key('c', record_id));
  if (!have) return std::move(have).error();
  if (*existing && *have) return false;

  std::array<std::uint8_t, kKeyFileBytes> key_file_bytes{};
  key_file_bytes[0] = kFormat;
  crypto_aead_xchacha20poly1305_ietf_keygen(key_file_bytes.data() + 1);
  Bytes plain(payload.salt.begin(), payload.salt.end());
  plain.insert(plain.end(), payload.record.begin(), payload.record.end());
  Bytes value(1 + kNonceBytes + plain.size() + kTagBytes);
  value[0] = kFormat;
  randombytes_buf(value.data() + 1, kNonceBytes);
  const Bytes ad = associated_data(record_id);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(value.data() + 1 + kNonceBytes, &written, plain.data(),
                                             plain.size(), ad.data(), ad.size(), nullptr,
                                             value.data() + 1, key_file_bytes.data() + 1);
  sodium_memzero(plain.data(), plain.size());
  value.resize(1 + kNonceBytes + static_cast<std::size_t>(written));

  // The key first (synced under a temporary name, then renamed), then the
  // ciphertext: a crash in between leaves a key without a ciphertext, which
  // the next put replaces.
  const auto path = key_file(record_id);
  const auto tmp = key_dir_ / (record_id.to_hex() + ".tmp");
  core::Status s = write_synced(tmp, ByteView(key_file_bytes.data(), key_file_bytes.size()));
  sodium_memzero(key_file_bytes.data(), key_file_bytes.size());
  if (!s) return s;
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return core::Status::io_error(errno_text("rename", tmp));
  }
  if (auto d = fsync_dir(key_dir_); !d) return d;
  ledger::WriteBatch batch;
  batch.put(Column::kMeta, db_key('c', record_id), value);
  if (auto w = db_->write(batch, true); !w) return w;
  return true;
}

core::Result<std::optional<HealthPayload>> HealthPayloadStore::get(
    const core::Hash256& record_id) const {
  using Out = std::optional<HealthPayload>;
  std::lock_guard lock(mutex_);
  auto key = read_key(record_id);
  if (!key) return std::move(key).error();
  if (!*key) return Out{};
  auto value = db_->get(Column::kMeta, db_key('c', record_id));
  if (!value) {
    sodium_memzero(key->value().data(), kKeyBytes);
    return std::move(value).error();
  }
  if (!*value) {
    sodium_memzero(key->value().data(), kKeyBytes);
    return Out{};
  }
  const Bytes& v = **value;
  if (v.size() < 1 + kNonceBytes + kTagBytes + 32 || v[0] != kFormat) {
    sodium_memzero(key->value().data(), kKeyBytes);
    return core::Status::corruption("health payload of record " + record_id.to_hex() +
                                    " is damaged (format or length)");
  }
  const std::size_t cipher_len = v.size() - 1 - kNonceBytes;
  Bytes plain(cipher_len - kTagBytes);
  unsigned long long plain_len = 0;
  const Bytes ad = associated_data(record_id);
  const int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
      plain.data(), &plain_len, nullptr, v.data() + 1 + kNonceBytes, cipher_len, ad.data(),
      ad.size(), v.data() + 1, key->value().data());
  sodium_memzero(key->value().data(), kKeyBytes);
  if (rc != 0) {
    return core::Status::corruption("health payload of record " + record_id.to_hex() +
                                    " does not decrypt (damaged or not this record's)");
  }
  HealthPayload out;
  std::memcpy(out.salt.data(), plain.data(), 32);
  out.record.assign(plain.begin() + 32, plain.begin() + static_cast<std::ptrdiff_t>(plain_len));
  sodium_memzero(plain.data(), plain.size());
  return Out{std::move(out)};
}

core::Status HealthPayloadStore::destroy(const core::Hash256& record_id) {
  std::lock_guard lock(mutex_);
  const auto path = key_file(record_id);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    std::array<std::uint8_t, kKeyFileBytes> zeros{};
    const ssize_t n = ::write(fd, zeros.data(), zeros.size());
    const int rc = ::fsync(fd);
    ::close(fd);
    if (n != static_cast<ssize_t>(zeros.size()) || rc != 0) {
      return core::Status::io_error(errno_text("overwrite", path));
    }
    if (::unlink(path.c_str()) != 0) return core::Status::io_error(errno_text("unlink", path));
  } else if (errno != ENOENT) {
    return core::Status::io_error(errno_text("open", path));
  }
  if (auto s = write_synced(key_dir_ / (record_id.to_hex() + ".erased"), {}); !s) return s;
  if (auto s = fsync_dir(key_dir_); !s) return s;
  ledger::WriteBatch batch;
  batch.erase(Column::kMeta, db_key('c', record_id));
  return db_->write(batch, true);
}

core::Result<std::vector<core::Hash256>> HealthPayloadStore::records_with_keys() const {
  std::vector<core::Hash256> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(key_dir_, ec)) {
    const auto name = entry.path().filename().string();
    if (name.size() != 64 + 4 || !name.ends_with(".key")) continue;
    auto id = core::Hash256::from_hex(std::string_view(name).substr(0, 64));
    if (id) out.push_back(*id);
  }
  if (ec) return core::Status::io_error(key_dir_.string() + ": " + ec.message());
  return out;
}

core::Result<bool> HealthPayloadStore::mark_released(const core::Hash256& access_id) {
  std::lock_guard lock(mutex_);
  auto seen = db_->get(Column::kMeta, db_key('u', access_id));
  if (!seen) return std::move(seen).error();
  if (*seen) return false;
  ledger::WriteBatch batch;
  batch.put(Column::kMeta, db_key('u', access_id), Bytes{kFormat});
  if (auto w = db_->write(batch, true); !w) return w;
  return true;
}

core::Result<std::optional<core::Bytes>> HealthPayloadStore::raw_ciphertext(
    const core::Hash256& record_id) const {
  return db_->get(Column::kMeta, db_key('c', record_id));
}

core::Status HealthPayloadStore::put_raw_ciphertext(const core::Hash256& record_id,
                                                    core::ByteView value) {
  ledger::WriteBatch batch;
  batch.put(Column::kMeta, db_key('c', record_id), value);
  return db_->write(batch, true);
}

}  // namespace bauhinia::node
