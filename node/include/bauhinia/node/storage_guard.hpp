#pragma once
// Storage faults (docs/operator-guide.md, "Storage faults and recovery"): what
// the node checks of its databases before it signs anything, the exit codes
// that tell the operator which fault stopped it, and `bauhinia-node recover`.
//
// At start the ledger (data_dir/ledger) and the consensus records
// (data_dir/consensus) open with LevelDB's paranoid checks and every block of
// every table file read with its checksum (LevelDbOptions::verify_tables); the
// ledger's latest block must recompute (LedgerStore::verify_latest); and the
// safety state must be there and not behind this validator's own votes in
// the ledger (check_safety_state). At run time a failed write of either
// database stops the node before anything more is signed (runtime.cpp).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/safety_rules.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/node/config.hpp"
#include "bauhinia/node/consensus_store.hpp"

namespace bauhinia::node {

// Why the node refused to start or stopped, when its storage is the cause.
enum class StorageFault {
  kNone,
  kDamaged,      // a database does not open or fails its checks: `recover`
  kUnwritable,   // a write failed at run time (full disk, I/O error): fix, restart
  kSafetyState,  // the safety state is missing, damaged or behind: restore it
};

// Exit codes of `bauhinia-node start` (1: any other error).
inline constexpr int kExitStorageFault = 3;  // kDamaged, kUnwritable
inline constexpr int kExitSafetyState = 4;   // kSafetyState
int exit_code(StorageFault fault);
// What the operator does about `fault` (one paragraph naming the commands).
std::string remedy(StorageFault fault, const std::filesystem::path& home);

// A status of kind `code` with message `message` (context added to an error).
core::Status status_of_kind(core::StatusCode code, std::string message);

// How many of the ledger's latest blocks check_safety_state reads.
inline constexpr std::uint64_t kSafetyCheckBlocks = 16;

// The start check of the stored safety state against the ledger, for the
// node with key `self` in the ledger's current epoch `epoch`:
//  - stored: refused (corruption) when it is behind this key's own votes, i.e.
//    a QC among the latest kSafetyCheckBlocks blocks' records was signed by
//    `self` in a later round (or epoch) than the state's last voted round:
//    the state was lost or restored from an old copy, and voting from it
//    could sign twice in one round;
//  - absent: written now (default, synced) when nothing was committed after
//    genesis or `self` is no validator of `epoch` (it never voted in it), so
//    that a record that later disappears is noticed; otherwise refused
//    (not_found): a validator must not vote from a blank state.
// Returns the state to run with.
core::Result<consensus::SafetyState> check_safety_state(const ledger::LedgerStore& ledger,
                                                        ConsensusStore& records,
                                                        const consensus::EpochContext& epoch,
                                                        const core::ed25519::PublicKey& self);

// `bauhinia-node recover`: keeps the keys and the consensus records (safety
// state) and moves the ledger database aside, so that the next start begins
// from genesis and resyncs the chain from peers (every block verified as any
// sync is). Refused while the node runs (the databases are locked), when the
// consensus records do not open and verify, or when a validator has no
// safety state.
struct RecoverResult {
  std::optional<std::filesystem::path> moved_ledger;  // where the ledger went (none: no ledger)
  std::optional<consensus::SafetyState> safety;       // the state kept
};
core::Result<RecoverResult> recover_ledger(const NodeConfig& config, StorageFault* fault);

}  // namespace bauhinia::node
