// Attack forged_sync_qc (issue 9, item 1): serve the victim a host-level sync
// response (channel kSync, unsolicited) made of REAL committed blocks and the
// REAL commit certificate, copied from an honest --source, with one block's own
// QC (the one the victim would keep as its root QC) forged:
//   huge_round     vote round 2^62, ledger info made consistent (signatures then fail)
//   other_block    a genuine QC of another block (the previous one): valid signatures
//   bad_signature  the genuine QC with one signature bit flipped
//   wrong_epoch    the genuine QC moved to epoch 7 (ledger info consistent)
// Parameters: --set after_height=N (the victim's committed height: the blocks
// start at N+1), --set block=I (which block of the response to forge; default
// the last), --set max_blocks=M (default 64).
// RESULT penalized: the victim dropped our connection after the response;
// RESULT not-penalized: it kept the connection for --timeout-ms.
#include "bauhinia/consensus/certificates.hpp"
#include "harness.hpp"

namespace bauhinia::peer_harness {
namespace {

bool forge(const std::string& variant, node::LedgerSyncResponse& resp, std::size_t index) {
  consensus::QuorumCert& qc = resp.blocks[index].qc;
  auto consistent = [&] {
    qc.certificate.ledger_info.epoch = qc.vote_data.epoch;
    qc.certificate.ledger_info.round = qc.vote_data.round;
    qc.certificate.ledger_info.consensus_data_hash = qc.vote_data.hash();
  };
  if (variant == "huge_round") {
    qc.vote_data.round = std::uint64_t{1} << 62;
    consistent();
  } else if (variant == "other_block") {
    if (index == 0) return false;
    qc = resp.blocks[index - 1].qc;
  } else if (variant == "bad_signature") {
    if (qc.certificate.signatures.empty()) return false;
    qc.certificate.signatures[0].bytes[5] ^= 0x10;
  } else if (variant == "wrong_epoch") {
    qc.vote_data.epoch += 7;
    consistent();
  } else {
    return false;
  }
  return true;
}

int run(Harness& h, const AttackArgs& a) {
  auto fetched = fetch_committed_run(h, a);
  if (const int* code = std::get_if<int>(&fetched)) return *code;
  auto& resp = std::get<node::LedgerSyncResponse>(fetched);
  auto index = a.number("block", resp.blocks.size() - 1);
  if (!index || *index >= resp.blocks.size()) return result(64, "usage", "bad --set block");
  if (!forge(a.variant, resp, *index)) {
    return result(64, "usage",
                  "variant " + a.variant + " does not apply (huge_round, " +
                      "other_block, bad_signature, wrong_epoch)");
  }
  say("forged the QC of block " + std::to_string(resp.blocks[*index].header.height) + " of " +
      std::to_string(resp.blocks.front().header.height) + ".." +
      std::to_string(resp.blocks.back().header.height) + " (" + a.variant + ")");
  return send_and_judge(h, a, resp, "forged");
}

}  // namespace
}  // namespace bauhinia::peer_harness

BAUHINIA_PEER_ATTACK(forged_sync_qc, "a real sync response with a forged block QC (item 1)",
                     ::bauhinia::peer_harness::run)
