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

}  // namespace bauhinia::consensus
