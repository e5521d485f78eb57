#include "bauhinia/consensus/leader_election.hpp"

#include <algorithm>
#include <string_view>

#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/core/assert.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::consensus {

namespace {

// A deterministic 64-bit point from (domain, epoch, round, anchor); the
// proposal tag plus a domain string keep it apart from every signed digest
// (the bytes are never signed).
std::uint64_t election_point(std::string_view domain, Epoch epoch, Round round,
                             const Hash256* anchor) {
  core::Writer w;
  w.raw(core::as_bytes(domain));
  w.u64(epoch);
  w.u64(round);
  if (anchor != nullptr) w.raw(anchor->view());
  const Hash256 h = core::tagged_hash(core::HashTag::kProposal, w.data());
  std::uint64_t x = 0;
  for (std::size_t i = 0; i < 8; ++i) x = (x << 8) | h.bytes()[i];
  return x;
}

// The index whose interval of `weights` contains point % total.
std::size_t pick(const std::vector<std::uint64_t>& weights, std::uint64_t x) {
  std::uint64_t total = 0;
  for (std::uint64_t w : weights) total += w;
  BAUHINIA_ASSERT(total > 0);
  std::uint64_t point = x % total;  // total < 2^58: the bias is below 2^-6 of one weight unit
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (point < weights[i]) return i;
    point -= weights[i];
  }
  BAUHINIA_ASSERT_MSG(false, "weighted election ran past the set");
  return 0;
}

}  // namespace

void CommitHistory::append(CommittedRecord record, std::size_t capacity) {
  if (!records_.empty() && record.height != records_.back().height + 1) records_.clear();
  records_.push_back(std::move(record));
  while (records_.size() > capacity) records_.pop_front();
}

std::size_t LeaderElection::leader_index(Epoch epoch, Round round,
                                         const chain::ValidatorSet& set) const {
  return leader_index(epoch, round, set, CommitHistory{});
}

std::size_t RoundRobinElection::leader_index(Epoch /*epoch*/, Round round,
                                             const chain::ValidatorSet& set,
                                             const CommitHistory& /*history*/) const {
  BAUHINIA_ASSERT(!set.validators.empty());
  return static_cast<std::size_t>(round % set.validators.size());
}

std::size_t WeightedElection::leader_index(Epoch epoch, Round round,
                                           const chain::ValidatorSet& set,
                                           const CommitHistory& /*history*/) const {
  BAUHINIA_ASSERT(!set.validators.empty());
  std::vector<std::uint64_t> weights;
  weights.reserve(set.validators.size());
  for (const auto& v : set.validators) weights.push_back(v.voting_power);
  return pick(weights, election_point({}, epoch, round, nullptr));
}

ReputationElection::ReputationElection(ReputationParams params) : params_(params) {
  BAUHINIA_ASSERT(params_.inactive_weight >= 1);
  BAUHINIA_ASSERT(params_.active_weight >= params_.inactive_weight &&
                  params_.active_weight <= 1000);
  BAUHINIA_ASSERT(params_.min_window >= 1);
}

std::size_t ReputationElection::window(const chain::ValidatorSet& set) const {
  return std::max(params_.min_window, params_.window_per_validator * set.validators.size());
}

std::size_t ReputationElection::history_needed(const chain::ValidatorSet& set) const {
  // At most one block a round: the window's, the one below it that shows the
  // window is complete, those above the lag point, and a margin for leaders
  // asked of rounds a little in the past.
  return window(set) + 2 * static_cast<std::size_t>(params_.lag_rounds) + 16;
}

std::vector<bool> ReputationElection::active(Epoch epoch, Round round,
                                             const chain::ValidatorSet& set,
                                             const CommitHistory& history) const {
  return window_of(epoch, round, set, history).active;
}

ReputationElection::Window ReputationElection::window_of(Epoch epoch, Round round,
                                                         const chain::ValidatorSet& set,
                                                         const CommitHistory& history) const {
  const std::size_t n = set.validators.size();
  const Round span = window(set);
  Window w;
  // Rounds start at 1 in each epoch: the window must lie wholly after round 0.
  if (round <= params_.lag_rounds + span) return w;
  const Round last = round - params_.lag_rounds;  // the lag point
  const Round first = last - span + 1;            // >= 1
  const auto& records = history.records();
  // Only a replica whose committed root is at or past the lag point knows
  // every committed block of the window: the committed chain is one chain, so
  // all such replicas see the same blocks (and the same anchor). A replica
  // whose root is below it cannot tell which blocks of rounds (root, last]
  // others have committed; it elects round-robin, which every replica can
  // compute. Without this rule, replicas whose roots stopped at different
  // heights below the lag point (a stall: no commit can happen until they
  // agree on leaders) drew from different windows and anchors for every later
  // round and never agreed again (bauhinia-sim seed 2, n=7, fork-leader;
  // ADR 0008). With it, once the rounds have passed every honest root by
  // lag_rounds, all honest replicas elect round-robin until commits resume.
  if (records.empty() || records.back().epoch != epoch || records.back().round < last) return w;
  std::vector<bool> on(n, false);
  bool covered = false;
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    if (it->epoch > epoch || (it->epoch == epoch && it->round > last)) continue;
    if (w.anchor == nullptr) w.anchor = &it->block_id;  // the newest at or below the lag point
    if (it->epoch < epoch || it->round < first) {
      covered = true;  // heights ascend: every block of the window is above this one
      break;
    }
    if (auto i = set.index_of(it->proposer)) on[*i] = true;
    if (it->voters.size() == (n + 7) / 8) {
      for (std::size_t i = 0; i < n; ++i) {
        if (bitmap_get(it->voters, i)) on[i] = true;
      }
    }
  }
  if (!covered) return Window{};
  w.active = std::move(on);
  return w;
}

std::size_t ReputationElection::leader_index(Epoch epoch, Round round,
                                             const chain::ValidatorSet& set,
                                             const CommitHistory& history) const {
  BAUHINIA_ASSERT(!set.validators.empty());
  const Window w = window_of(epoch, round, set, history);
  if (w.active.empty()) return static_cast<std::size_t>(round % set.validators.size());
  BAUHINIA_ASSERT(w.anchor != nullptr);
  std::vector<std::uint64_t> weights;
  weights.reserve(set.validators.size());
  for (std::size_t i = 0; i < set.validators.size(); ++i) {
    weights.push_back(set.validators[i].voting_power *
                      (w.active[i] ? params_.active_weight : params_.inactive_weight));
  }
  return pick(weights, election_point("bauhinia/leader-reputation", epoch, round, w.anchor));
}

std::shared_ptr<const LeaderElection> make_round_robin_election() {
  return std::make_shared<RoundRobinElection>();
}

std::shared_ptr<const LeaderElection> make_weighted_election() {
  return std::make_shared<WeightedElection>();
}

std::shared_ptr<const LeaderElection> make_reputation_election(ReputationParams params) {
  return std::make_shared<ReputationElection>(params);
}

}  // namespace bauhinia::consensus
