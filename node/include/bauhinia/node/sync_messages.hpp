#pragma once
// Host-to-host catch-up of committed blocks (channel kSync). A node whose
// replica asks for SyncLedger sends LedgerSyncRequest{its committed height};
// the peer answers with the committed blocks after it, ending at a block it
// holds a commit QC for, and at the latest at the block that ends an epoch
// (the next epoch's blocks are checked against the next set, which the
// requester derives by executing that block: node/epochs.hpp). Before keeping or executing anything
// the requester checks every certificate (consensus::verify_committed_run: each block's QC and the
// commit QC against the epoch's validator set, each QC bound to its block, parent links, increasing
// rounds) and every payload against its header (execution::check_payload); a response that fails is
// refused and its sender penalised. It then re-executes every block (its roots must match the
// certified headers: if not, this node disagrees with the consortium and
// stops) and commits them in one atomic write.

#include <cstdint>
#include <optional>
#include <vector>

#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/types.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::node {

inline constexpr std::uint32_t kMaxSyncBlocksPerResponse = 64;
inline constexpr std::size_t kMaxSyncResponseBytes = 48U << 20;

struct SyncedBlock {
  chain::BlockHeader header;
  core::Bytes payload;
  consensus::QuorumCert qc;  // certifies header

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.header);
    c.bytes(s.payload, consensus::kMaxPayloadBytes, "payload");
    c.object(s.qc);
  }
};

struct LedgerSyncRequest {
  std::uint64_t after_height = 0;
  std::uint32_t max_blocks = kMaxSyncBlocksPerResponse;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u64(s.after_height);
    c.u32(s.max_blocks);
  }
};

struct LedgerSyncResponse {
  std::vector<SyncedBlock> blocks;                 // after_height + 1, ... in order
  std::optional<consensus::QuorumCert> commit_qc;  // commits the last block

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.sequence(s.blocks, kMaxSyncBlocksPerResponse, "blocks");
    c.optional(s.commit_qc, [](auto& cc, auto& q) { cc.object(q); });
  }
};

// One byte before the encoding says which of the two it is.
enum class SyncKind : std::uint8_t { kRequest = 1, kResponse = 2 };

}  // namespace bauhinia::node
