#include "bauhinia/node/key_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

namespace bauhinia::node {

namespace {

constexpr std::size_t kMaxKeyFileBytes = 256;

core::Status write_secret_hex(const std::filesystem::path& path, core::ByteView secret) {
  std::string line = core::to_hex(secret) + "\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const std::string why = std::strerror(errno);
    core::secure_zero(line.data(), line.size());
    return core::Status::io_error(path.string() + ": cannot create key file: " + why);
  }
  const ssize_t n = ::write(fd, line.data(), line.size());
  const bool ok = n == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  const std::string why = ok ? "" : std::strerror(errno);
  ::close(fd);
  core::secure_zero(line.data(), line.size());
  if (!ok) return core::Status::io_error(path.string() + ": cannot write key file: " + why);
  return core::Status::ok();
}

// Reads the hex line of a key file that only its owner can access.
core::Result<core::Bytes> read_secret_hex(const std::filesystem::path& path, std::size_t size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return core::Status::io_error(path.string() +
                                  ": cannot open key file: " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return core::Status::io_error(path.string() + ": cannot stat key file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return core::Status::invalid_argument(
        path.string() +
        ": key file permissions are too open (others can access it); run chmod 600");
  }
  std::array<char, kMaxKeyFileBytes + 1> buf{};
  const ssize_t n = ::read(fd, buf.data(), buf.size());
  ::close(fd);
  if (n < 0) return core::Status::io_error(path.string() + ": cannot read key file");
  std::string_view text(buf.data(), static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  core::Status bad = core::Status::invalid_argument(path.string() + ": key file must hold " +
                                                    std::to_string(2 * size) + " hex digits");
  if (static_cast<std::size_t>(n) > kMaxKeyFileBytes || text.size() != 2 * size) {
    core::secure_zero(buf.data(), buf.size());
    return bad;
  }
  auto bytes = core::from_hex(text);
  core::secure_zero(buf.data(), buf.size());
  if (!bytes) return bad;
  return std::move(bytes).value();
}

}  // namespace

core::Status write_ed25519_key(const std::filesystem::path& path,
                               const core::ed25519::SecretKey& key) {
  auto seed = key.seed();
  core::Status s = write_secret_hex(path, seed);
  core::secure_zero(seed.data(), seed.size());
  return s;
}

core::Status write_schnorr_key(const std::filesystem::path& path,
                               const core::schnorr::SecretKey& key) {
  auto bytes = key.bytes();
  core::Status s = write_secret_hex(path, bytes);
  core::secure_zero(bytes.data(), bytes.size());
  return s;
}

core::Result<core::ed25519::SecretKey> read_ed25519_key(const std::filesystem::path& path) {
  auto bytes = read_secret_hex(path, core::ed25519::kSeedSize);
  if (!bytes) return std::move(bytes).error();
  auto key = core::ed25519::SecretKey::from_seed_bytes(*bytes);
  core::secure_zero(bytes->data(), bytes->size());
  if (!key) return core::Status::invalid_argument(path.string() + ": " + key.error().to_string());
  return std::move(key).value();
}

core::Result<core::schnorr::SecretKey> read_schnorr_key(const std::filesystem::path& path) {
  auto bytes = read_secret_hex(path, core::schnorr::kSecretKeySize);
  if (!bytes) return std::move(bytes).error();
  auto key = core::schnorr::SecretKey::from_bytes(*bytes);
  core::secure_zero(bytes->data(), bytes->size());
  if (!key) return core::Status::invalid_argument(path.string() + ": " + key.error().to_string());
  return std::move(key).value();
}

}  // namespace bauhinia::node
