#pragma once
// The simulated clients' transactions: each block's payload is a few synthetic
// transactions that write (or delete) keys of the "sim" module. The payload is
// opaque bytes to consensus; execution (executor.hpp) decodes and applies it.

#include <cstdint>
#include <string>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/sim/prng.hpp"

namespace bauhinia::sim {

inline constexpr std::size_t kMaxTxWrites = 8;
inline constexpr std::size_t kMaxTxKeyBytes = 32;
inline constexpr std::size_t kMaxTxValueBytes = 64;
inline constexpr std::size_t kMaxPayloadTransactions = 64;
inline constexpr char kSimModule[] = "sim";

struct SimWrite {
  core::Bytes key;    // record key within the "sim" module
  core::Bytes value;  // empty: delete the record

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.bytes(s.key, kMaxTxKeyBytes, "key");
    c.bytes(s.value, kMaxTxValueBytes, "value");
  }
  friend bool operator==(const SimWrite&, const SimWrite&) = default;
};

struct SimTransaction {
  std::uint32_t client = 0;    // which synthetic client (a proposer's instance)
  std::uint64_t sequence = 0;  // per client, increasing
  std::vector<SimWrite> writes;

  core::Hash256 id() const;  // tagged_hash(kTransaction, encode(*this))

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u32(s.client);
    c.u64(s.sequence);
    c.sequence(s.writes, kMaxTxWrites, "writes");
  }
  friend bool operator==(const SimTransaction&, const SimTransaction&) = default;
};

struct SimPayload {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::vector<SimTransaction> transactions;

  core::Verdict validate() const;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.sequence(s.transactions, kMaxPayloadTransactions, "transactions");
  }
  friend bool operator==(const SimPayload&, const SimPayload&) = default;
};

// Generates one client's transactions from its own Prng stream.
class Workload {
 public:
  Workload(std::uint32_t client, Prng prng, std::uint32_t keys = 32)
      : client_(client), prng_(prng), keys_(keys) {}

  // The payload of a new block: up to `max_transactions` transactions (it may
  // be empty: an idle client), each writing 1..3 keys.
  SimPayload next_payload(std::size_t max_transactions);
  // A payload that differs from any other this client makes (equivocation).
  SimPayload conflicting_payload();

 private:
  SimTransaction next_transaction();
  std::uint32_t client_;
  Prng prng_;
  std::uint32_t keys_;
  std::uint64_t sequence_ = 0;
};

}  // namespace bauhinia::sim
