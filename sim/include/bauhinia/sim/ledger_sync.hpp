#pragma once
// Host-to-host catch-up of committed blocks (the consensus core's SyncLedger
// effect asks the host for it): a lagging replica asks a peer for the
// committed blocks after its own root; the peer answers with a run of them
// ending at a block it holds a commit certificate for. The requester checks
// the certificate (consensus::verify_qc), the parent links and the QC of the
// last block, re-executes every block (its roots must match the headers),
// commits them atomically and restarts its replica from the new root
// (LedgerSynced).

#include <cstdint>
#include <optional>
#include <vector>

#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/sim/executor.hpp"

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
  std::vector<StoredBlock> blocks;                   // heights after_height + 1 ... in order
  std::optional<consensus::QuorumCert> commit_cert;  // commits the last block

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.sequence(s.blocks, 4 * kMaxLedgerSyncBlocks, "blocks");
    c.optional(s.commit_cert, [](auto& cc, auto& q) { cc.object(q); });
  }
};

}  // namespace bauhinia::sim
