// Attack sync_flood (issue 9, item 5): flood the victim with sync requests as
// fast as our send queue to it takes them, for --set seconds=S (default 20):
//   ledger     host-level LedgerSyncRequest{after_height 0, max_blocks 64}
//   consensus  consensus SyncRequest{epoch, a block of the victim's tree, 8}
//              (the id of the latest proposal heard; the zero id if none)
//   mixed      both, alternately (the default)
// Responses are read and discarded (an attacker wants the victim to do the
// work). Prints the counts; RESULT flooded <requests sent> <responses read>,
// or RESULT penalized if the victim dropped the connection (it should not: a
// flood of well-formed requests is rate-limited, not punished).
#include <chrono>
#include <thread>

#include "bauhinia/consensus/messages.hpp"
#include "harness.hpp"

namespace bauhinia::peer_harness {
namespace {

int run(Harness& h, const AttackArgs& a) {
  auto seconds = a.number("seconds", 20);
  if (!seconds || *seconds == 0 || *seconds > 600) return result(64, "usage", "bad seconds");
  const std::string variant = a.variant.empty() ? "mixed" : a.variant;
  if (variant != "ledger" && variant != "consensus" && variant != "mixed") {
    return result(64, "usage", "variant: ledger, consensus or mixed");
  }
  if (!h.wait_connected(a.target, a.timeout)) return result(2, "no-target", "not connected");

  // A block id in the victim's tree: the latest proposal broadcast to us.
  core::Hash256 block_id;
  consensus::Epoch epoch = 0;
  if (variant != "ledger") {
    auto m = h.receive(Millis(5000), [](const network::InboundMessage& msg) {
      if (msg.channel != network::Channel::kConsensus) return false;
      auto d = consensus::decode_message(msg.payload);
      return d && std::holds_alternative<consensus::Proposal>(*d);
    });
    if (m) {
      auto p = std::get<consensus::Proposal>(*consensus::decode_message(m->payload));
      block_id = p.header.id();
      epoch = p.epoch();
      say("asking for block " + block_id.to_hex().substr(0, 16) + " at height " +
          std::to_string(p.header.height));
    } else {
      say("no proposal heard: asking for the zero block id");
    }
  }
  const core::Bytes ledger_req =
      sync_frame(node::SyncKind::kRequest, core::encode(node::LedgerSyncRequest{0, 64}));
  const core::Bytes consensus_req =
      consensus::encode_message(consensus::Message{consensus::SyncRequest{epoch, block_id, 8}});

  std::uint64_t sent = 0;
  std::uint64_t refused = 0;
  std::uint64_t read = 0;
  std::uint64_t read_bytes = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(*seconds);
  bool flip = false;
  while (std::chrono::steady_clock::now() < end) {
    if (!h.connected(a.target)) {
      say("the victim dropped the connection after " + std::to_string(sent) + " requests");
      return result(0, "penalized", std::to_string(sent));
    }
    for (int i = 0; i < 256; ++i) {
      const bool ledger = variant == "ledger" || (variant == "mixed" && (flip = !flip));
      const network::SendResult r =
          ledger ? h.send(a.target, network::Channel::kSync, ledger_req)
                 : h.send(a.target, network::Channel::kConsensus, consensus_req);
      if (r == network::SendResult::kQueued) {
        ++sent;
      } else {
        ++refused;
        break;  // our queue to it is full: let it drain
      }
    }
    // Read and drop whatever came back.
    while (auto m = h.receive(Millis(0), [](const network::InboundMessage&) { return true; })) {
      ++read;
      read_bytes += m->payload.size();
    }
    std::this_thread::sleep_for(Millis(1));
  }
  say("sent " + std::to_string(sent) + " requests (" + std::to_string(refused) +
      " times our queue was full); read " + std::to_string(read) + " messages, " +
      std::to_string(read_bytes) + " bytes");
  return result(0, "flooded", std::to_string(sent) + " " + std::to_string(read));
}

}  // namespace
}  // namespace bauhinia::peer_harness

BAUHINIA_PEER_ATTACK(sync_flood, "floods sync requests (ledger, consensus or mixed; item 5)",
                     ::bauhinia::peer_harness::run)
