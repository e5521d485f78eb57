#pragma once
// The channel byte of every frame: it routes a message to the layer above
// (consensus, mempool, block sync) and sets its send priority.

#include <cstdint>
#include <optional>
#include <string_view>

namespace bauhinia::network {

enum class Channel : std::uint8_t {
  kControl = 0,    // the network layer's own messages (auth, ping, pong); never delivered
  kConsensus = 1,  // proposals, votes, timeouts: high priority
  kMempool = 2,    // transaction gossip: low priority
  kSync = 3,       // block and state sync: low priority, large frames
  kBatchAck = 4,   // acknowledgements of gossiped batches (certified gossip): low priority,
                   // delivered in the gossip lane behind the batches they follow
};

// Send priority. A connection writes every queued high-priority frame before
// any low-priority one (with a small anti-starvation share, docs/network.md).
enum class Priority : std::uint8_t { kHigh, kLow };

// The channels an upper layer may send on and receive from.
constexpr bool is_application_channel(Channel c) noexcept {
  return c == Channel::kConsensus || c == Channel::kMempool || c == Channel::kSync ||
         c == Channel::kBatchAck;
}

constexpr Priority priority_of(Channel c) noexcept {
  return (c == Channel::kControl || c == Channel::kConsensus) ? Priority::kHigh : Priority::kLow;
}

// The channel for a wire byte, or nothing for an unknown value.
std::optional<Channel> channel_from_byte(std::uint8_t b) noexcept;

std::string_view channel_name(Channel c) noexcept;

}  // namespace bauhinia::network
