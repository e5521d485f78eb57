#include "bauhinia/wallet/keystore.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "../json_text.hpp"
#include "bauhinia/core/bytes.hpp"

namespace bauhinia::wallet {

namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "bauhinia-wallet-key";
constexpr int kVersion = 1;
constexpr std::string_view kKdfName = "argon2id13";
constexpr std::string_view kCipherName = "xchacha20poly1305-ietf";
constexpr std::string_view kPendingSuffix = ".pending";
// Bounds on the Argon2id cost a file may ask for: a hostile file must not
// make the wallet allocate without limit or spin for minutes.
constexpr std::uint64_t kMaxOpsLimit = 16;
constexpr std::uint64_t kMaxMemLimit = 1ULL << 30;

void init_sodium() {
  static const bool ok = sodium_init() >= 0;
  BAUHINIA_ASSERT_MSG(ok, "libsodium failed to initialise");
}

std::string errno_text() {
  return std::strerror(errno);
}

// Secret bytes that are zeroed when they go out of scope.
template <std::size_t N>
struct SecretBytes {
  std::array<std::uint8_t, N> b{};
  SecretBytes() = default;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes() { core::secure_zero(b.data(), b.size()); }
};

// What the AEAD authenticates besides the secret: the clear identity fields.
std::string associated_data(std::string_view name, const core::AccountId& account,
                            const core::schnorr::PublicKey& key) {
  return std::string(kFormat) + "/" + std::to_string(kVersion) + "\n" + std::string(name) + "\n" +
         account.to_hex() + "\n" + key.to_hex();
}

core::Status bad_file(const std::filesystem::path& p, const std::string& why) {
  return core::Status::corruption(p.string() + ": not a valid keystore file: " + why);
}

}  // namespace

core::Result<std::string> read_private_file(const std::filesystem::path& path, std::size_t limit) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return core::Status::not_found(path.string() + ": no such file");
    return core::Status::io_error(path.string() + ": cannot open: " + errno_text());
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return core::Status::invalid_argument(path.string() + ": not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return core::Status::invalid_argument(
        path.string() + ": permissions " + mode +
        " let other users read it; a key file must be private: run chmod 600 " + path.string());
  }
  if (static_cast<std::uint64_t>(st.st_size) > limit) {
    ::close(fd);
    return core::Status::invalid_argument(path.string() + ": larger than " + std::to_string(limit) +
                                          " bytes");
  }
  std::string text(static_cast<std::size_t>(st.st_size) + 1, '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return core::Status::io_error(path.string() + ": cannot read: " + errno_text());
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got > limit) {
    return core::Status::invalid_argument(path.string() + ": larger than " + std::to_string(limit) +
                                          " bytes");
  }
  text.resize(got);
  return text;
}

namespace {

using detail::text_or_empty;

core::Status sync_dir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return core::Status::io_error(dir.string() + ": cannot open folder: " + errno_text());
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return core::Status::io_error(dir.string() + ": cannot sync folder: " + errno_text());
  return core::Status::ok();
}

core::Status ensure_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return core::Status::ok();
  std::filesystem::create_directories(dir.parent_path().empty() ? "." : dir.parent_path(), ec);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return core::Status::io_error(dir.string() +
                                  ": cannot create the keystore folder: " + errno_text());
  }
  return core::Status::ok();
}

// Writes `text` to `target` through a temporary file in the same folder,
// linked into place: fails, changing nothing, when `target` exists.
core::Status write_new_file(const std::filesystem::path& target, std::string_view text) {
  const std::filesystem::path dir = target.parent_path().empty() ? "." : target.parent_path();
  std::array<std::uint8_t, 8> r{};
  randombytes_buf(r.data(), r.size());
  const std::filesystem::path tmp =
      dir / (".tmp-" + core::to_hex(r) + "-" + target.filename().string());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return core::Status::io_error(tmp.string() + ": cannot create: " + errno_text());
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const std::string why = ok ? "" : errno_text();
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    return core::Status::io_error(tmp.string() + ": cannot write: " + why);
  }
  if (::link(tmp.c_str(), target.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    if (e == EEXIST) {
      return core::Status::invalid_argument(target.string() +
                                            " exists already; it is never overwritten");
    }
    return core::Status::io_error(target.string() + ": cannot create: " + std::strerror(e));
  }
  ::unlink(tmp.c_str());
  return sync_dir(dir);
}

struct KdfParams {
  std::uint64_t opslimit = 0;
  std::uint64_t memlimit = 0;
  std::array<std::uint8_t, crypto_pwhash_SALTBYTES> salt{};
};

core::Status derive(std::string_view passphrase, const KdfParams& p,
                    std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_KEYBYTES>& out) {
  if (crypto_pwhash(out.data(), out.size(), passphrase.data(), passphrase.size(), p.salt.data(),
                    p.opslimit, static_cast<std::size_t>(p.memlimit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::Status::io_error("Argon2id failed (out of memory for " +
                                  std::to_string(p.memlimit >> 20) + " MiB?)");
  }
  return core::Status::ok();
}

template <std::size_t N>
core::Checked<std::array<std::uint8_t, N>> hex_field(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    return core::reject(core::Reject::kInvalid, std::string("field ") + key + " is missing");
  }
  auto v = core::from_hex_fixed<N>(it->get<std::string>());
  if (!v) {
    return core::reject(core::Reject::kBadEncoding,
                        std::string("field ") + key + ": " + std::to_string(N) + " bytes in hex");
  }
  return v;
}

// A parsed keystore file: its clear fields and what decrypts the secret.
struct Parsed {
  KeyInfo info;
  KdfParams kdf;
  std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce{};
  std::array<std::uint8_t,
             core::schnorr::kSecretKeySize + crypto_aead_xchacha20poly1305_ietf_ABYTES>
      ciphertext{};
};

core::Result<Parsed> parse_file(const std::filesystem::path& path, std::string_view name) {
  auto text = read_private_file(path, kMaxKeystoreFileBytes);
  if (!text) return std::move(text).error();
  const json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return bad_file(path, "not JSON (truncated?)");
  if (text_or_empty(j, "format") != kFormat)
    return bad_file(path, "format is not " + std::string(kFormat));
  if (!j.contains("version") || !j["version"].is_number_unsigned() || j["version"] != kVersion) {
    return bad_file(path, "unknown version (this wallet reads version 1)");
  }
  Parsed p;
  p.info.file = path;
  p.info.name = text_or_empty(j, "name");
  if (p.info.name != name) {
    return bad_file(path, "its name '" + p.info.name.substr(0, 64) + "' is not its file's name");
  }
  auto account = hex_field<core::AccountId::kSize>(j, "account_id");
  if (!account) return bad_file(path, account.error().detail);
  p.info.account.bytes = *account;
  auto pub = hex_field<core::schnorr::kPublicKeySize>(j, "public_key");
  if (!pub) return bad_file(path, pub.error().detail);
  auto key = core::schnorr::PublicKey::from_bytes(*pub);
  if (!key) return bad_file(path, "public_key is not a BIP-340 key");
  p.info.public_key = *key;
  if (!j.contains("created_ms") || !j["created_ms"].is_number_unsigned()) {
    return bad_file(path, "created_ms is missing");
  }
  p.info.created_ms = j["created_ms"].get<std::uint64_t>();
  const json kdf = j.value("kdf", json::object());
  const json cipher = j.value("cipher", json::object());
  if (!kdf.is_object() || text_or_empty(kdf, "algorithm") != kKdfName) {
    return bad_file(path, "kdf.algorithm must be " + std::string(kKdfName));
  }
  if (!kdf.contains("opslimit") || !kdf["opslimit"].is_number_unsigned() ||
      !kdf.contains("memlimit") || !kdf["memlimit"].is_number_unsigned()) {
    return bad_file(path, "kdf.opslimit and kdf.memlimit are required");
  }
  p.kdf.opslimit = kdf["opslimit"].get<std::uint64_t>();
  p.kdf.memlimit = kdf["memlimit"].get<std::uint64_t>();
  if (p.kdf.opslimit < crypto_pwhash_OPSLIMIT_MIN || p.kdf.opslimit > kMaxOpsLimit ||
      p.kdf.memlimit < crypto_pwhash_MEMLIMIT_MIN || p.kdf.memlimit > kMaxMemLimit) {
    return bad_file(path,
                    "kdf cost outside the accepted range (opslimit <= 16, memlimit <= 1 GiB)");
  }
  auto salt = hex_field<crypto_pwhash_SALTBYTES>(kdf, "salt");
  if (!salt) return bad_file(path, "kdf." + salt.error().detail);
  p.kdf.salt = *salt;
  if (!cipher.is_object() || text_or_empty(cipher, "algorithm") != kCipherName) {
    return bad_file(path, "cipher.algorithm must be " + std::string(kCipherName));
  }
  auto nonce = hex_field<crypto_aead_xchacha20poly1305_ietf_NPUBBYTES>(cipher, "nonce");
  if (!nonce) return bad_file(path, "cipher." + nonce.error().detail);
  p.nonce = *nonce;
  auto ct = hex_field<core::schnorr::kSecretKeySize + crypto_aead_xchacha20poly1305_ietf_ABYTES>(
      cipher, "ciphertext");
  if (!ct) return bad_file(path, "cipher." + ct.error().detail);
  p.ciphertext = *ct;
  return p;
}

}  // namespace

core::Verdict check_key_name(std::string_view name) {
  auto bad = [&](const std::string& why) {
    return core::reject(core::Reject::kInvalid,
                        "key name '" + std::string(name.substr(0, 64)) + "': " + why);
  };
  if (name.empty() || name.size() > kMaxKeyNameSize) return bad("1 to 64 characters");
  const char first = name.front();
  if (!((first >= 'a' && first <= 'z') || (first >= '0' && first <= '9'))) {
    return bad("must begin with a lower-case letter or a digit");
  }
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!ok) return bad("only a-z, 0-9, '_', '-' and '.'");
  }
  if (name.ends_with(kPendingSuffix) || name.find(".retired-") != std::string_view::npos) {
    return bad("names ending in .pending or holding .retired- are the wallet's own");
  }
  return core::Verdict::accept();
}

std::filesystem::path Keystore::path_of(std::string_view name) const {
  return dir_ / (std::string(name) + ".json");
}

core::Result<KeyInfo> Keystore::info(std::string_view name) const {
  if (auto v = check_key_name(name); !v)
    return core::Status::invalid_argument(v.rejection().detail);
  auto p = parse_file(path_of(name), name);
  if (!p) {
    if (p.error().code() == core::StatusCode::kNotFound) {
      return core::Status::not_found("no key named '" + std::string(name) + "' in the keystore " +
                                     dir_.string() + " (see `bauhinia-wallet key list`)");
    }
    return std::move(p).error();
  }
  return std::move(p->info);
}

core::Result<std::vector<KeyInfo>> Keystore::list() const {
  std::vector<KeyInfo> keys;
  std::error_code ec;
  if (!std::filesystem::exists(dir_, ec)) return keys;
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string file = entry.path().filename().string();
    if (!file.ends_with(".json")) continue;
    const std::string name = file.substr(0, file.size() - 5);
    if (!check_key_name(name)) continue;  // temporary, pending and retired files
    names.push_back(name);
  }
  if (ec) return core::Status::io_error(dir_.string() + ": cannot list: " + ec.message());
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    auto k = info(name);
    if (!k) return std::move(k).error();
    keys.push_back(std::move(*k));
  }
  return keys;
}

core::Result<core::schnorr::SecretKey> Keystore::unlock(std::string_view name,
                                                        std::string_view passphrase) const {
  init_sodium();
  if (auto v = check_key_name(name); !v)
    return core::Status::invalid_argument(v.rejection().detail);
  auto p = parse_file(path_of(name), name);
  if (!p) {
    if (p.error().code() == core::StatusCode::kNotFound) return info(name).error();
    return std::move(p).error();
  }
  SecretBytes<crypto_aead_xchacha20poly1305_ietf_KEYBYTES> k;
  if (auto s = derive(passphrase, p->kdf, k.b); !s) return s;
  const std::string ad = associated_data(p->info.name, p->info.account, p->info.public_key);
  SecretBytes<core::schnorr::kSecretKeySize> secret;
  unsigned long long n = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(secret.b.data(), &n, nullptr, p->ciphertext.data(),
                                                 p->ciphertext.size(),
                                                 reinterpret_cast<const unsigned char*>(ad.data()),
                                                 ad.size(), p->nonce.data(), k.b.data()) != 0 ||
      n != secret.b.size()) {
    return core::Status::invalid_argument("key '" + std::string(name) +
                                          "': wrong passphrase (or the file " +
                                          p->info.file.string() + " was altered)");
  }
  auto key = core::schnorr::SecretKey::from_bytes(secret.b);
  if (!key || key->public_key() != p->info.public_key) {
    return bad_file(p->info.file, "the secret does not belong to the stored public key");
  }
  return std::move(key).value();
}

core::Result<KeyInfo> Keystore::write_new(const std::filesystem::path& target,
                                          std::string_view name,
                                          const core::schnorr::SecretKey& key,
                                          std::string_view passphrase, KdfCost cost,
                                          const core::AccountId& account,
                                          std::uint64_t now_ms) const {
  init_sodium();
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(target, ec))) {
    return core::Status::invalid_argument("a key named '" + std::string(name) +
                                          "' exists already (" + target.string() +
                                          "); it is never overwritten");
  }
  if (passphrase.empty()) return core::Status::invalid_argument("the passphrase is empty");
  if (auto s = ensure_dir(dir_); !s) return s;
  KdfParams kdf;
  kdf.opslimit = cost == KdfCost::kModerate ? crypto_pwhash_OPSLIMIT_MODERATE
                                            : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  kdf.memlimit = cost == KdfCost::kModerate ? crypto_pwhash_MEMLIMIT_MODERATE
                                            : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  randombytes_buf(kdf.salt.data(), kdf.salt.size());
  SecretBytes<crypto_aead_xchacha20poly1305_ietf_KEYBYTES> k;
  if (auto s = derive(passphrase, kdf, k.b); !s) return s;
  std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce{};
  randombytes_buf(nonce.data(), nonce.size());
  const std::string ad = associated_data(name, account, key.public_key());
  SecretBytes<core::schnorr::kSecretKeySize> secret;
  secret.b = key.bytes();
  std::array<std::uint8_t,
             core::schnorr::kSecretKeySize + crypto_aead_xchacha20poly1305_ietf_ABYTES>
      ct{};
  unsigned long long n = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(ct.data(), &n, secret.b.data(), secret.b.size(),
                                             reinterpret_cast<const unsigned char*>(ad.data()),
                                             ad.size(), nullptr, nonce.data(), k.b.data());
  BAUHINIA_ASSERT(n == ct.size());
  const json file = {
      {"format", kFormat},
      {"version", kVersion},
      {"name", name},
      {"account_id", account.to_hex()},
      {"public_key", key.public_key().to_hex()},
      {"created_ms", now_ms},
      {"kdf",
       {{"algorithm", kKdfName},
        {"opslimit", kdf.opslimit},
        {"memlimit", kdf.memlimit},
        {"salt", core::to_hex(kdf.salt)}}},
      {"cipher",
       {{"algorithm", kCipherName},
        {"nonce", core::to_hex(nonce)},
        {"ciphertext", core::to_hex(ct)}}},
  };
  if (auto s = write_new_file(target, file.dump(2) + "\n"); !s) return s;
  return KeyInfo{std::string(name), account, key.public_key(), now_ms, target};
}

core::Result<KeyInfo> Keystore::add(std::string_view name, const core::schnorr::SecretKey& key,
                                    std::string_view passphrase, KdfCost cost,
                                    std::optional<core::AccountId> account,
                                    std::uint64_t now_ms) const {
  if (auto v = check_key_name(name); !v)
    return core::Status::invalid_argument(v.rejection().detail);
  return write_new(path_of(name), name, key, passphrase, cost,
                   account.value_or(core::account_id_of(key.public_key())), now_ms);
}

core::Result<KeyInfo> Keystore::stage_rotation(std::string_view name,
                                               const core::schnorr::SecretKey& key,
                                               std::string_view passphrase, KdfCost cost,
                                               std::uint64_t now_ms) const {
  auto old = info(name);
  if (!old) return std::move(old).error();
  const std::filesystem::path pending = dir_ / (std::string(name) + ".pending.json");
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(pending, ec))) {
    return core::Status::invalid_argument(
        pending.string() +
        " exists: an earlier rotation did not finish. If that rotation committed (see `account`), "
        "move it to " +
        old->file.string() + " by hand; otherwise delete it");
  }
  // The pending file's name field is the key's name: it becomes <name>.json.
  return write_new(pending, name, key, passphrase, cost, old->account, now_ms);
}

core::Status Keystore::promote_rotation(std::string_view name, std::uint64_t now_ms) const {
  const std::filesystem::path current = path_of(name);
  const std::filesystem::path pending = dir_ / (std::string(name) + ".pending.json");
  const std::filesystem::path retired =
      dir_ / (std::string(name) + ".retired-" + std::to_string(now_ms) + ".json");
  if (::link(current.c_str(), retired.c_str()) != 0) {
    return core::Status::io_error(retired.string() + ": cannot keep the old key: " + errno_text());
  }
  if (::rename(pending.c_str(), current.c_str()) != 0) {
    return core::Status::io_error(pending.string() + ": cannot move into place: " + errno_text() +
                                  "; move it to " + current.string() + " by hand");
  }
  return sync_dir(dir_);
}

core::Status Keystore::discard_rotation(std::string_view name) const {
  const std::filesystem::path pending = dir_ / (std::string(name) + ".pending.json");
  if (::unlink(pending.c_str()) != 0 && errno != ENOENT) {
    return core::Status::io_error(pending.string() + ": cannot remove: " + errno_text());
  }
  return core::Status::ok();
}

core::Result<core::schnorr::SecretKey> read_secret_key_file(const std::filesystem::path& path) {
  auto text = read_private_file(path, 256);
  if (!text) return std::move(text).error();
  std::string_view t = *text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' '))
    t.remove_suffix(1);
  auto bytes = core::from_hex_fixed<core::schnorr::kSecretKeySize>(t);
  core::secure_zero(text->data(), text->size());
  if (!bytes) {
    return core::Status::invalid_argument(path.string() +
                                          ": a key file holds one line of 64 hex digits");
  }
  auto key = core::schnorr::SecretKey::from_bytes(*bytes);
  core::secure_zero(bytes->data(), bytes->size());
  if (!key) return core::Status::invalid_argument(path.string() + ": not a valid BIP-340 secret");
  return std::move(key).value();
}

core::Status write_secret_key_file(const std::filesystem::path& path,
                                   const core::schnorr::SecretKey& key) {
  auto bytes = key.bytes();
  std::string line = core::to_hex(bytes) + "\n";
  core::secure_zero(bytes.data(), bytes.size());
  core::Status s = write_new_file(path, line);
  core::secure_zero(line.data(), line.size());
  return s;
}

}  // namespace bauhinia::wallet
