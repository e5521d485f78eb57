#include "bauhinia/consensus/leader_election.hpp"

#include "bauhinia/core/assert.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::consensus {

std::size_t RoundRobinElection::leader_index(Epoch /*epoch*/, Round round,
                                             const chain::ValidatorSet& set) const {
  BAUHINIA_ASSERT(!set.validators.empty());
  return static_cast<std::size_t>(round % set.validators.size());
}

std::size_t WeightedElection::leader_index(Epoch epoch, Round round,
                                           const chain::ValidatorSet& set) const {
  BAUHINIA_ASSERT(!set.validators.empty());
  core::Writer w;
  w.u64(epoch);
  w.u64(round);
  // A deterministic point from (epoch, round); the proposal tag keeps it apart
  // from every signed digest (the bytes are never signed).
  const Hash256 h = core::tagged_hash(core::HashTag::kProposal, w.data());
  std::uint64_t x = 0;
  for (std::size_t i = 0; i < 8; ++i) x = (x << 8) | h.bytes()[i];
  const std::uint64_t total = set.total_power();
  BAUHINIA_ASSERT(total > 0);
  std::uint64_t point = x % total;  // total <= 2^48: the bias is below 2^-16
  for (std::size_t i = 0; i < set.validators.size(); ++i) {
    const std::uint64_t p = set.validators[i].voting_power;
    if (point < p) return i;
    point -= p;
  }
  BAUHINIA_ASSERT_MSG(false, "weighted election ran past the set");
  return 0;
}

std::shared_ptr<const LeaderElection> make_round_robin_election() {
  return std::make_shared<RoundRobinElection>();
}

std::shared_ptr<const LeaderElection> make_weighted_election() {
  return std::make_shared<WeightedElection>();
}

}  // namespace bauhinia::consensus
