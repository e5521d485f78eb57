#pragma once
// The accounts module (system accounts): who may sign for an account, and the
// replay protection of every transaction (docs/contracts/accounts.md).
//
// Records of module "accounts" (record key = kind byte || 32-byte account id):
//   0x01 || id  AccountRecord  current key, next sequence, creation height
//   0x02 || id  PingRecord     the account's latest ping (load tests, liveness)
// The Executor creates an account on its first valid transaction and
// increments next_sequence on every committed transaction; the module's own
// calls are:
//   rotate_key(RotateKeyArgs)  replace the account's key; signed by the current
//                              key, with a proof signed by the new key
//   ping(PingArgs)             record a short memo; a harmless call for load tests

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bauhinia/contracts/module.hpp"
#include "bauhinia/contracts/state_reader.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/schnorr.hpp"

namespace bauhinia::contracts::accounts {

inline constexpr std::string_view kModuleName = "accounts";
inline constexpr std::uint8_t kAccountRecordKind = 0x01;
inline constexpr std::uint8_t kPingRecordKind = 0x02;
inline constexpr std::size_t kMaxMemoSize = 256;

Bytes account_record_key(const core::AccountId& id);
Bytes ping_record_key(const core::AccountId& id);

struct AccountRecord {
  static constexpr std::uint8_t kVersion = 1;

  std::uint8_t version = kVersion;
  core::schnorr::PublicKey key;          // signs the account's transactions
  std::uint64_t next_sequence = 0;       // the sequence its next transaction must carry
  std::uint64_t created_height = 0;      // block that created the account
  std::uint64_t key_updated_height = 0;  // block of the last rotation (= created_height if none)
  std::uint64_t key_rotations = 0;

  core::Verdict validate() const;  // version

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.fixed(s.key.bytes);
    c.u64(s.next_sequence);
    c.u64(s.created_height);
    c.u64(s.key_updated_height);
    c.u64(s.key_rotations);
  }
  friend bool operator==(const AccountRecord&, const AccountRecord&) = default;
};

struct PingRecord {
  static constexpr std::uint8_t kVersion = 1;

  std::uint8_t version = kVersion;
  std::uint64_t count = 0;  // pings so far
  std::uint64_t last_height = 0;
  std::uint64_t last_timestamp_ms = 0;
  Bytes last_memo;

  core::Verdict validate() const;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.count);
    c.u64(s.last_height);
    c.u64(s.last_timestamp_ms);
    c.bytes(s.last_memo, kMaxMemoSize, "memo");
  }
  friend bool operator==(const PingRecord&, const PingRecord&) = default;
};

// ---- Call arguments (the transaction payload) -----------------------------

struct PingArgs {
  Bytes memo;  // at most kMaxMemoSize bytes

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.bytes(s.memo, kMaxMemoSize, "memo");
  }
};

// What the new key signs to consent to a rotation:
//   BIP-340 over tagged_hash(kKeyRotation, encode(RotationChallenge)).
// Binding chain, account and sequence makes the proof single-use.
struct RotationChallenge {
  std::string chain_id;
  core::AccountId account;
  std::uint64_t sequence = 0;  // the rotate_key transaction's sequence
  core::schnorr::PublicKey new_key;

  core::Hash256 hash() const;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.chain_id, chain::kMaxTxChainIdSize, "chain_id");
    c.fixed(s.account.bytes);
    c.u64(s.sequence);
    c.fixed(s.new_key.bytes);
  }
};

struct RotateKeyArgs {
  core::schnorr::PublicKey new_key;
  core::schnorr::Signature proof;  // by new_key over RotationChallenge::hash()

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.new_key.bytes);
    c.fixed(s.proof.bytes);
  }
};

// ---- Events (Event::data is the canonical encoding) ------------------------

struct AccountCreatedEvent {  // kind "account_created", emitted by the Executor
  core::AccountId account;
  core::schnorr::PublicKey key;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.account.bytes);
    c.fixed(s.key.bytes);
  }
};

struct KeyRotatedEvent {  // kind "key_rotated"
  core::AccountId account;
  core::schnorr::PublicKey old_key;
  core::schnorr::PublicKey new_key;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.account.bytes);
    c.fixed(s.old_key.bytes);
    c.fixed(s.new_key.bytes);
  }
};

struct PingEvent {  // kind "ping"
  core::AccountId account;
  std::uint64_t count = 0;
  Bytes memo;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.account.bytes);
    c.u64(s.count);
    c.bytes(s.memo, kMaxMemoSize, "memo");
  }
};

// ---- Helpers for the Executor and for clients ------------------------------

// The account record under `id`, nullopt if none; a record that does not
// decode is Status::corruption.
core::Result<std::optional<AccountRecord>> load_account(const StateReader& state,
                                                        const core::AccountId& id);

// The next sequence of every account whose record `writes` change (e.g. a
// committed block's writes: what mempool::Mempool::remove_committed needs),
// in account order. Records that do not decode are skipped (they cannot come
// from the Executor).
std::vector<std::pair<core::AccountId, std::uint64_t>> next_sequences(const WriteSet& writes);

// A signed rotate_key payload: the proof signed by `new_key` (clients, tests).
Bytes make_rotate_key_payload(std::string_view chain_id, const core::AccountId& account,
                              std::uint64_t sequence, const core::schnorr::SecretKey& new_key);

class AccountsModule final : public Module {
 public:
  std::string_view name() const override { return kModuleName; }
  core::Verdict check(const CallContext& call, const StateView& state) const override;
  CallResult apply(CallContext& call, StateView& state) const override;
  // "account/<64 hex id>" or "ping/<64 hex id>".
  core::Checked<QueryAnswer> query(std::string_view path, const StateView& state) const override;
};

}  // namespace bauhinia::contracts::accounts
