#pragma once
// The wallet's keystore: one JSON file per key, <dir>/<name>.json, holding the
// key's name, account, address and public key in clear and its 32-byte
// BIP-340 secret encrypted with XChaCha20-Poly1305 under a key derived from
// the passphrase by Argon2id (libsodium). Format: docs/formats/keystore.md.
//
// Invariants:
//  - a file is created 0600 in a 0700 folder, written to a temporary file and
//    linked into place, so a key file is either absent or complete, and an
//    existing file is never overwritten;
//  - a file that others can read (mode & 077) is refused before it is read;
//  - the clear fields are the AEAD's associated data, and the decrypted
//    secret must give the stored public key: an altered file does not unlock;
//  - every failure (wrong passphrase, truncated or corrupt file, bad
//    permissions, a name in use) is a Status naming the file and the reason,
//    and changes nothing on disk.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/core/address.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::wallet {

inline constexpr std::size_t kMaxKeystoreFileBytes = 16 * 1024;
inline constexpr std::size_t kMaxKeyNameSize = 64;

// Argon2id cost, recorded in each file (libsodium's presets).
enum class KdfCost { kInteractive, kModerate };

struct KeyInfo {
  std::string name;
  core::AccountId account;  // may differ from account_id_of(public_key) after a rotation
  core::schnorr::PublicKey public_key;
  std::uint64_t created_ms = 0;
  std::filesystem::path file;
};

// [a-z0-9][a-z0-9_.-]* of at most kMaxKeyNameSize, not ending in ".pending".
core::Verdict check_key_name(std::string_view name);

class Keystore {
 public:
  explicit Keystore(std::filesystem::path dir) : dir_(std::move(dir)) {}
  const std::filesystem::path& dir() const { return dir_; }

  // Every key (the clear fields only; no passphrase), by name. Files that do
  // not parse are reported as an error naming them.
  core::Result<std::vector<KeyInfo>> list() const;
  // The clear fields of one key.
  core::Result<KeyInfo> info(std::string_view name) const;
  // The key's secret; kInvalidArgument "wrong passphrase" when it does not decrypt.
  core::Result<core::schnorr::SecretKey> unlock(std::string_view name,
                                                std::string_view passphrase) const;

  // Stores `key` as `name` (refused when the name is taken). `account`
  // defaults to the account whose first key is `key`.
  core::Result<KeyInfo> add(std::string_view name, const core::schnorr::SecretKey& key,
                            std::string_view passphrase, KdfCost cost,
                            std::optional<core::AccountId> account = std::nullopt,
                            std::uint64_t now_ms = 0) const;

  // Key rotation in two steps, so that the new secret is on disk before the
  // ledger learns its public key: stage() writes <name>.pending.json (refused
  // when one exists); after the rotation commits, promote() moves the old file
  // to <name>.retired-<ms>.json and the pending one to <name>.json; discard()
  // removes a pending file whose rotation failed.
  core::Result<KeyInfo> stage_rotation(std::string_view name, const core::schnorr::SecretKey& key,
                                       std::string_view passphrase, KdfCost cost,
                                       std::uint64_t now_ms) const;
  core::Status promote_rotation(std::string_view name, std::uint64_t now_ms) const;
  core::Status discard_rotation(std::string_view name) const;

  std::filesystem::path path_of(std::string_view name) const;

 private:
  core::Result<KeyInfo> write_new(const std::filesystem::path& target, std::string_view name,
                                  const core::schnorr::SecretKey& key, std::string_view passphrase,
                                  KdfCost cost, const core::AccountId& account,
                                  std::uint64_t now_ms) const;
  std::filesystem::path dir_;
};

// The whole of a small file that only its owner can read (mode & 077 == 0),
// at most `limit` bytes: key files and passphrase files.
core::Result<std::string> read_private_file(const std::filesystem::path& path, std::size_t limit);

// A secret key from a key file as `bauhinia-node keygen` and `key export
// --secret` write it: one line of 64 hex digits, mode 0600.
core::Result<core::schnorr::SecretKey> read_secret_key_file(const std::filesystem::path& path);
// Writes such a file (0600, never overwriting).
core::Status write_secret_key_file(const std::filesystem::path& path,
                                   const core::schnorr::SecretKey& key);

}  // namespace bauhinia::wallet
