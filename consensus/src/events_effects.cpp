#include <iterator>

#include "bauhinia/consensus/effects.hpp"
#include "bauhinia/consensus/events.hpp"

namespace bauhinia::consensus {

CommittedRecord committed_record(const chain::BlockHeader& header, const QuorumCert& qc) {
  CommittedRecord r;
  r.epoch = header.epoch;
  r.round = header.round;
  r.height = header.height;
  r.block_id = header.id();
  r.proposer = header.proposer;
  r.voters = qc.certificate.signer_bitmap;
  return r;
}

std::uint64_t event_time_ms(const Event& event) {
  return std::visit([](const auto& e) { return e.now_ms; }, event);
}

const char* effect_name(const Effect& effect) {
  static constexpr const char* kNames[] = {
      "persist-safety-state", "send",     "broadcast",        "build-proposal",
      "execute-block",        "commit",   "schedule-timeout", "wake-at",
      "sync-ledger",          "evidence", "epoch-started",    "message-rejected",
      "persist-block",        "proposal-timestamp"};
  static_assert(std::size(kNames) == std::variant_size_v<Effect>);
  return kNames[effect.index()];
}

}  // namespace bauhinia::consensus
