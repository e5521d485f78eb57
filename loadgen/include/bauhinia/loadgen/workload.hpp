#pragma once
// The load: signed accounts.ping transactions prepared before the run, so
// that signing costs nothing while the cluster is measured.
//
// Transaction k is sent by account k % accounts with sequence k / accounts
// (sequence-major order): every account's transactions leave in sequence
// order, and an account never has more than sequences_per_account() of them,
// which the caller keeps within the mempool's per-account limit (64).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::loadgen {

inline constexpr std::size_t kMaxTransactions = 10'000'000;
inline constexpr std::size_t kMaxAccounts = 1'000'000;

struct WorkloadOptions {
  std::string chain_id;               // from GET /v1/status
  std::size_t transactions = 20'000;  // 1..kMaxTransactions
  std::size_t accounts = 2'000;       // 1..kMaxAccounts
  std::size_t max_per_account = 64;   // refuse a load that needs more sequences per account
  std::uint64_t expiry_ms = 0;        // absolute Unix ms of every transaction
  std::size_t memo_bytes = 8;         // ping memo length, <= accounts::kMaxMemoSize
  // Keys derived from this seed (reproducible bytes, e.g. tests); nullopt:
  // fresh keys from the OS generator, so that a rerun on the same chain
  // starts from sequence 0 again.
  std::optional<std::uint64_t> key_seed;
  unsigned threads = 1;  // signing threads, 1..64
};

// One signed envelope ready to send.
struct PreparedTransaction {
  core::Bytes bytes;  // the canonical encoding (the POST body)
  core::Hash256 id;   // tagged_hash(kTransactionId, bytes)
  std::uint32_t account = 0;
  std::uint64_t sequence = 0;
};

// Ceil(transactions / accounts) (accounts capped at transactions).
std::size_t sequences_per_account(std::size_t transactions, std::size_t accounts) noexcept;

// Checks the options (ranges, chain id format, per-account limit).
core::Verdict validate(const WorkloadOptions& options);

// Signs options.transactions pings in the order described above.
core::Checked<std::vector<PreparedTransaction>> prepare_workload(const WorkloadOptions& options);

}  // namespace bauhinia::loadgen
