#pragma once
// Who leads a round. Deterministic in (epoch, round, validator set): every
// replica computes the same leader without talking.

#include <cstddef>
#include <memory>

#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/consensus/types.hpp"

namespace bauhinia::consensus {

class LeaderElection {
 public:
  virtual ~LeaderElection() = default;
  // Index into set.validators of the leader of `round`; set is non-empty.
  virtual std::size_t leader_index(Epoch epoch, Round round,
                                   const chain::ValidatorSet& set) const = 0;
};

// validators[round mod n]: every validator leads equally often.
class RoundRobinElection final : public LeaderElection {
 public:
  std::size_t leader_index(Epoch epoch, Round round, const chain::ValidatorSet& set) const override;
};

// Leaders in proportion to voting power: a point in [0, total power) taken
// from a tagged hash of (epoch, round) picks the validator whose power
// interval contains it. Deterministic, not random.
class WeightedElection final : public LeaderElection {
 public:
  std::size_t leader_index(Epoch epoch, Round round, const chain::ValidatorSet& set) const override;
};

std::shared_ptr<const LeaderElection> make_round_robin_election();
std::shared_ptr<const LeaderElection> make_weighted_election();

}  // namespace bauhinia::consensus
