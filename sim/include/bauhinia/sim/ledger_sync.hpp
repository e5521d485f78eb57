#pragma once
// Host-to-host catch-up of committed blocks (the consensus core's SyncLedger
// effect asks the host for it), the messages of node/sync_messages.hpp: a
// lagging replica asks a peer for the committed blocks after its own root; the
// peer answers with a run of them ending at a block it holds a commit QC for.
// The requester checks what the node checks before keeping anything
// (consensus::verify_committed_run, verify_extends, execution::check_payload),
// then commits the blocks through its Pipeline (re-executing every one: the
// roots must match the certified headers) in one atomic write and restarts its
// replica from the new root (LedgerSynced).

#include <cstdint>
#include <optional>
#include <vector>

#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/sim/replica_ledger.hpp"

namespace bauhinia::sim {

inline constexpr std::uint32_t kMaxLedgerSyncBlocks = 64;

struct LedgerSyncRequest {
  std::uint64_t after_height = 0;  // the requester's committed height
  std::uint32_t max_blocks = kMaxLedgerSyncBlocks;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u64(s.after_height);
    c.u32(s.max_blocks);
  }
};

struct LedgerSyncResponse {
  std::vector<SyncedBlock> blocks;                 // heights after_height + 1 ... in order
  std::optional<consensus::QuorumCert> commit_qc;  // commits the last block

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.sequence(s.blocks, 4 * kMaxLedgerSyncBlocks, "blocks");
    c.optional(s.commit_qc, [](auto& cc, auto& q) { cc.object(q); });
  }
};

}  // namespace bauhinia::sim
