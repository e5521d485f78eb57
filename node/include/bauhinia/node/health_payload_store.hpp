#pragma once
// The off-chain store of health record payloads on a node that holds them
// (docs/contracts/health.md, "The payload store"). Each record's payload (the
// record bytes and the salt that opens its on-chain commitment) is encrypted
// with XChaCha20-Poly1305 (libsodium) under its own random 256-bit key, with
// the record id as associated data (a ciphertext moved to another record does
// not decrypt). Two stores, apart:
//   <payload_dir>   LevelDB: ciphertexts, and the access ids already released
//   <key_dir>       one file per record key (0600); destroying a key is an
//                   overwrite with zeros, fsync, unlink and fsync of the folder
// Erasure (destroy) removes the key first, then the ciphertext, and leaves an
// "erased" marker so that the record's payload is never stored again.
// Without its key a ciphertext is unreadable, wherever a copy of it went
// (backups, snapshots): that is crypto-shredding.
//
// Thread safety: every member may be called from several threads at once;
// put, get and destroy of one record are serialised by the store.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::ledger {
class KvStore;
}

namespace bauhinia::node {

struct HealthPayload {
  std::array<std::uint8_t, 32> salt{};
  core::Bytes record;  // the record bytes (what the commitment covers)
};

class HealthPayloadStore {
 public:
  // Opens (or creates) both stores. The key folder is created with mode 0700.
  static core::Result<std::unique_ptr<HealthPayloadStore>> open(
      const std::filesystem::path& payload_dir, const std::filesystem::path& key_dir);
  ~HealthPayloadStore();
  HealthPayloadStore(const HealthPayloadStore&) = delete;
  HealthPayloadStore& operator=(const HealthPayloadStore&) = delete;

  // Encrypts and stores the payload of `record_id` under a fresh key (key
  // file synced before the ciphertext is written). Refused (kInvalidArgument)
  // for an erased record; a payload already held is kept as it is (returns
  // false: nothing written). True when stored now.
  core::Result<bool> put(const core::Hash256& record_id, const HealthPayload& payload);
  // The decrypted payload; nullopt when the node holds none (no ciphertext or
  // no key). kCorruption when a stored value is damaged or does not decrypt.
  core::Result<std::optional<HealthPayload>> get(const core::Hash256& record_id) const;
  // Destroys the record's key and ciphertext and marks it erased (durable
  // before returning). Idempotent.
  core::Status destroy(const core::Hash256& record_id);
  // True once destroy() ran for the record.
  core::Result<bool> is_erased(const core::Hash256& record_id) const;
  // The records whose key the store holds (for the erasure sweep on open).
  core::Result<std::vector<core::Hash256>> records_with_keys() const;
  // Marks the access `access_id` as released (synced): true the first time,
  // false when it was released before.
  core::Result<bool> mark_released(const core::Hash256& access_id);

  // For tests: the raw stored ciphertext (nullopt: none).
  core::Result<std::optional<core::Bytes>> raw_ciphertext(const core::Hash256& record_id) const;
  core::Status put_raw_ciphertext(const core::Hash256& record_id, core::ByteView value);
  std::filesystem::path key_file(const core::Hash256& record_id) const;

 private:
  HealthPayloadStore(std::unique_ptr<ledger::KvStore> db, std::filesystem::path key_dir);
  core::Result<std::optional<std::array<std::uint8_t, 32>>> read_key(
      const core::Hash256& record_id) const;

  std::unique_ptr<ledger::KvStore> db_;
  std::filesystem::path key_dir_;
  mutable std::mutex mutex_;
};

}  // namespace bauhinia::node
