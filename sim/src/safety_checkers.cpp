#include "bauhinia/sim/safety_checkers.hpp"

#include "bauhinia/core/assert.hpp"

namespace bauhinia::sim {

std::string short_id(const Hash256& h) {
  return h.to_hex().substr(0, 8);
}

void AgreementChecker::on_commit(NodeId replica, std::uint64_t height, const Hash256& block_id,
                                 std::uint64_t now_ms) {
  auto [it, inserted] = by_height_.try_emplace(height, block_id, replica);
  if (!inserted && it->second.first != block_id) {
    log_.report(ViolationKind::kAgreement, now_ms,
                "height " + std::to_string(height) + ": replica " + std::to_string(replica) +
                    " committed " + short_id(block_id) + " but replica " +
                    std::to_string(it->second.second) + " committed " + short_id(it->second.first));
  }
  if (height > highest_) highest_ = height;
}

void HistoryChecker::on_commit(NodeId replica, std::uint64_t height, const Hash256& block_id,
                               std::uint64_t now_ms) {
  auto& chain = chains_.at(replica);
  const std::string who = "replica " + std::to_string(replica);
  if (height == 0) {
    log_.report(ViolationKind::kHistory, now_ms, who + " committed a block at height 0");
    return;
  }
  if (height <= chain.size()) {
    if (chain[height - 1] != block_id) {
      log_.report(ViolationKind::kHistory, now_ms,
                  who + " rewrote height " + std::to_string(height) + ": " +
                      short_id(chain[height - 1]) + " -> " + short_id(block_id));
    }
    return;  // a repeated commit of the same block is harmless
  }
  if (height != chain.size() + 1) {
    log_.report(ViolationKind::kHistory, now_ms,
                who + " committed height " + std::to_string(height) + " after height " +
                    std::to_string(chain.size()) + " (a gap)");
    return;
  }
  chain.push_back(block_id);
}

void HistoryChecker::on_restart(NodeId replica, const std::vector<Hash256>& persisted,
                                std::uint64_t now_ms) {
  const auto& chain = chains_.at(replica);
  const std::string who = "replica " + std::to_string(replica);
  if (persisted.size() < chain.size()) {
    log_.report(ViolationKind::kHistory, now_ms,
                who + " restarted with " + std::to_string(persisted.size()) +
                    " committed blocks but had committed " + std::to_string(chain.size()));
    return;
  }
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (persisted[i] != chain[i]) {
      log_.report(ViolationKind::kHistory, now_ms,
                  who + " restarted with a different block at height " + std::to_string(i + 1));
      return;
    }
  }
  if (persisted.size() > chain.size()) {
    // The store may hold commits whose effects were applied but not yet
    // reported; they count as committed now.
    for (std::size_t i = chain.size(); i < persisted.size(); ++i) {
      chains_.at(replica).push_back(persisted[i]);
    }
  }
}

void DoubleSignChecker::on_vote(std::uint32_t validator, std::uint64_t epoch, std::uint64_t round,
                                const Hash256& signed_message, std::uint64_t now_ms) {
  BAUHINIA_ASSERT(validator < validators_);
  ++votes_seen_;
  RoundRecord& r = rounds_[Key{validator, epoch, round}];
  const std::string where = "validator " + std::to_string(validator) + " epoch " +
                            std::to_string(epoch) + " round " + std::to_string(round);
  if (r.vote && *r.vote != signed_message) {
    log_.report(ViolationKind::kDoubleSign, now_ms,
                where + " signed two different votes: " + short_id(*r.vote) + " and " +
                    short_id(signed_message));
    return;
  }
  if (!r.vote && r.timed_out) {
    log_.report(ViolationKind::kDoubleSign, now_ms,
                where + " voted after signing a timeout for that round");
    return;
  }
  r.vote = signed_message;
}

void DoubleSignChecker::on_timeout(std::uint32_t validator, std::uint64_t epoch,
                                   std::uint64_t round, std::uint64_t /*now_ms*/) {
  BAUHINIA_ASSERT(validator < validators_);
  rounds_[Key{validator, epoch, round}].timed_out = true;
}

}  // namespace bauhinia::sim
