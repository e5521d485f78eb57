#include "bauhinia/network/channel.hpp"

namespace bauhinia::network {

std::optional<Channel> channel_from_byte(std::uint8_t b) noexcept {
  switch (b) {
    case 0: return Channel::kControl;
    case 1: return Channel::kConsensus;
    case 2: return Channel::kMempool;
    case 3: return Channel::kSync;
    case 4: return Channel::kBatchAck;
    default: return std::nullopt;
  }
}

std::string_view channel_name(Channel c) noexcept {
  switch (c) {
    case Channel::kControl: return "control";
    case Channel::kConsensus: return "consensus";
    case Channel::kMempool: return "mempool";
    case Channel::kSync: return "sync";
    case Channel::kBatchAck: return "batch_ack";
  }
  return "unknown";
}

}  // namespace bauhinia::network
