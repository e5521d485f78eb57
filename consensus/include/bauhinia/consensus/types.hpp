#pragma once
// Basic consensus types and the limits on everything that comes from outside.

#include <cstddef>
#include <cstdint>

#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::consensus {

using core::Hash256;
using Round = std::uint64_t;
using Epoch = std::uint64_t;
using Author = core::ed25519::PublicKey;  // a validator is named by its Ed25519 key

// Largest block payload (opaque transaction bytes chosen by the host).
inline constexpr std::size_t kMaxPayloadBytes = 8u << 20;
// Most blocks in one sync response.
inline constexpr std::size_t kMaxSyncBlocks = 8;
// Largest encoded consensus message (a sync response of kMaxSyncBlocks full blocks).
inline constexpr std::size_t kMaxMessageBytes = (kMaxSyncBlocks + 1) * (kMaxPayloadBytes + 65536);

// Bytes a block takes besides its payload in anything that carries one
// block: a Proposal (header, payload prefix, QC and TC of kMaxValidators
// signers, signature, message tags), a one-block sync response, a kept
// SyncBlock. tests/node/block_size_test.cpp checks the worst case (~53 KB).
inline constexpr std::size_t kMaxBlockOverheadBytes = 65536;
// The largest message carrying one block: every node's frame limit must be at
// least this, so that any block the protocol allows can be proposed, synced
// and served (docs/network.md, "Sizes of blocks and messages").
inline constexpr std::size_t kMaxBlockMessageBytes = kMaxPayloadBytes + kMaxBlockOverheadBytes;
static_assert(kMaxMessageBytes >= kMaxBlockMessageBytes);

}  // namespace bauhinia::consensus
