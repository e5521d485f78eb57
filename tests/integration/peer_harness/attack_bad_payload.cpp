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
  if (a.variant != "undecodable" && a.variant != "different") {
    return result(64, "usage", "variant: undecodable or different");
  }
  auto fetched = fetch_committed_run(h, a);
  if (const int* code = std::get_if<int>(&fetched)) return *code;
  auto& resp = std::get<node::LedgerSyncResponse>(fetched);
  node::SyncedBlock* victim_block = nullptr;
  for (auto& b : resp.blocks) {
    if (!b.payload.empty()) {
      victim_block = &b;
      break;
    }
  }
  if (victim_block == nullptr) {
    return result(2, "no-transactions", "no block with transactions in the fetched run");
  }
  if (!tamper(a.variant, victim_block->payload)) return result(2, "cannot-tamper");
  say("tampered the payload of block " + std::to_string(victim_block->header.height) + " of " +
      std::to_string(resp.blocks.front().header.height) + ".." +
      std::to_string(resp.blocks.back().header.height) + " (" + a.variant + ")");
  return send_and_judge(h, a, resp, "tampered");
}

}  // namespace
}  // namespace bauhinia::peer_harness

BAUHINIA_PEER_ATTACK(bad_payload, "real certified blocks with a tampered payload (item 3)",
                     ::bauhinia::peer_harness::run)
