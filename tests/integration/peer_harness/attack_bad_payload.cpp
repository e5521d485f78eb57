// Attack bad_payload (issue 9, item 3): serve the victim a host-level sync
// response (channel kSync, unsolicited) made of the REAL certified headers,
// their REAL QCs and the REAL commit certificate, copied from an honest
// --source, with the payload of the first block that has transactions
// tampered:
//   undecodable  bytes that do not decode as a block payload
//   different    a decodable payload with other transactions (the last one dropped)
// Parameters: --set after_height=N (the victim's committed height),
// --set max_blocks=M (default 64).
// RESULT penalized / not-penalized as for forged_sync_qc.
#include "bauhinia/execution/block_payload.hpp"
#include "harness.hpp"

namespace bauhinia::peer_harness {
namespace {

bool tamper(const std::string& variant, core::Bytes& payload) {
  if (variant == "undecodable") {
    payload = core::Bytes{0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03};
    return true;
  }
  if (variant == "different") {
    auto txs = execution::decode_payload(payload);
    if (!txs || txs->empty()) return false;
    txs->pop_back();
    payload = execution::encode_payload(*txs);
    return true;
  }
  return false;
}

int run(Harness& h, const AttackArgs& a) {
  if (!a.source) return result(64, "usage", "--source (an honest node) is required");
  if (a.variant != "undecodable" && a.variant != "different") {
    return result(64, "usage", "variant: undecodable or different");
  }
  auto after = a.number("after_height", 0);
  auto max_blocks = a.number("max_blocks", node::kMaxSyncBlocksPerResponse);
  if (!after || !max_blocks) return result(64, "usage", "bad --set value");
  if (!h.wait_connected(*a.source, a.timeout)) return result(2, "no-source", "not connected");
  auto resp = h.fetch_blocks(*a.source, *after, static_cast<std::uint32_t>(*max_blocks), a.timeout);
  if (!resp) return result(2, "no-blocks", resp.error().to_string());
  if (resp->blocks.empty() || !resp->commit_qc) {
    return result(2, "no-blocks",
                  "the source has no committed block after " + std::to_string(*after));
  }
  node::SyncedBlock* victim_block = nullptr;
  for (auto& b : resp->blocks) {
    if (!b.payload.empty()) {
      victim_block = &b;
      break;
    }
  }
  if (victim_block == nullptr) {
    return result(2, "no-transactions",
                  "no block with transactions after " + std::to_string(*after));
  }
  if (!tamper(a.variant, victim_block->payload)) return result(2, "cannot-tamper");
  say("tampered the payload of block " + std::to_string(victim_block->header.height) + " of " +
      std::to_string(resp->blocks.front().header.height) + ".." +
      std::to_string(resp->blocks.back().header.height) + " (" + a.variant + ")");
  if (!h.wait_connected(a.target, a.timeout)) return result(2, "no-target", "not connected");
  if (auto r = h.send_sync_response(a.target, *resp); r != network::SendResult::kQueued) {
    return result(2, "not-sent", std::string(network::send_result_name(r)));
  }
  say("sent the tampered sync response");
  if (h.wait_disconnected(a.target, a.timeout)) return result(0, "penalized");
  return result(0, "not-penalized");
}

}  // namespace
}  // namespace bauhinia::peer_harness

BAUHINIA_PEER_ATTACK(bad_payload, "real certified blocks with a tampered payload (item 3)",
                     ::bauhinia::peer_harness::run)
