#pragma once
// Who leads a round. Deterministic in (epoch, round, validator set, committed
// history): every replica with the same committed prefix computes the same
// leader without talking. docs/adr/0008-leader-reputation.md.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/consensus/types.hpp"

namespace bauhinia::consensus {

// One committed block as leader election sees it.
struct CommittedRecord {
  Epoch epoch = 0;
  Round round = 0;
  std::uint64_t height = 0;
  Hash256 block_id;
  Author proposer;
  // Signer bitmap of the QC certifying the block (indices into the set of the
  // block's epoch); empty when unknown (an epoch root QC has no signers).
  core::Bytes voters;

  friend bool operator==(const CommittedRecord&, const CommittedRecord&) = default;
};

// The most recent committed blocks, oldest first, at consecutive heights (a
// record that does not follow the last starts the history over), at most
// `capacity` of them.
class CommitHistory {
 public:
  void append(CommittedRecord record, std::size_t capacity);
  void clear() { records_.clear(); }
  const std::deque<CommittedRecord>& records() const { return records_; }
  bool empty() const { return records_.empty(); }
  const CommittedRecord& back() const { return records_.back(); }

 private:
  std::deque<CommittedRecord> records_;
};

class LeaderElection {
 public:
  virtual ~LeaderElection() = default;
  // Index into set.validators of the leader of `round`; set is non-empty.
  virtual std::size_t leader_index(Epoch epoch, Round round, const chain::ValidatorSet& set,
                                   const CommitHistory& history) const = 0;
  // The same with no committed history.
  std::size_t leader_index(Epoch epoch, Round round, const chain::ValidatorSet& set) const;
  // How many of the latest committed records the election may look at (the
  // replica keeps that many; the host hands that many to a restarted replica).
  virtual std::size_t history_needed(const chain::ValidatorSet& /*set*/) const { return 0; }
};

// validators[round mod n]: every validator leads equally often.
class RoundRobinElection final : public LeaderElection {
 public:
  using LeaderElection::leader_index;
  std::size_t leader_index(Epoch epoch, Round round, const chain::ValidatorSet& set,
                           const CommitHistory& history) const override;
};

// Leaders in proportion to voting power: a point in [0, total power) taken
// from a tagged hash of (epoch, round) picks the validator whose power
// interval contains it. Deterministic, not random.
class WeightedElection final : public LeaderElection {
 public:
  using LeaderElection::leader_index;
  std::size_t leader_index(Epoch epoch, Round round, const chain::ValidatorSet& set,
                           const CommitHistory& history) const override;
};

// Leader reputation (after DiemBFT v4 / Aptos LeaderReputation). For round r
// the window is the rounds (r - lag_rounds - window, r - lag_rounds] of the
// epoch, and the committed blocks of those rounds are looked at. A validator
// that proposed one of them or signed the QC certifying one of them is active
// and weighs power * active_weight; any other weighs power * inactive_weight
// (never 0: a validator that comes back is elected now and then, and once it
// votes it is active again). The window counts rounds, not blocks: a crashed
// validator drops out lag_rounds + window rounds after its last vote even
// while few blocks are committed. The leader is drawn in proportion to weight
// with a point from a tagged hash of (epoch, r, id of the newest committed
// block at or below the lag point). Round-robin when the window does not lie
// wholly after the epoch's round 0, when the history's newest block (the
// committed root) is below the lag point (blocks of the window may be
// committed that this replica has not seen: replicas at different roots would
// draw differently), or when the history does not show it has every block of
// the window (it holds no block of an older round or epoch).
struct ReputationParams {
  Round lag_rounds = 6;
  std::size_t window_per_validator = 2;  // window rounds = max(min_window, this * n)
  std::size_t min_window = 8;
  std::uint64_t active_weight = 100;
  std::uint64_t inactive_weight = 1;
};

class ReputationElection final : public LeaderElection {
 public:
  explicit ReputationElection(ReputationParams params = {});
  using LeaderElection::leader_index;
  std::size_t leader_index(Epoch epoch, Round round, const chain::ValidatorSet& set,
                           const CommitHistory& history) const override;
  std::size_t history_needed(const chain::ValidatorSet& set) const override;
  std::size_t window(const chain::ValidatorSet& set) const;  // in rounds
  // Which validators (by index) the window for `round` finds active; empty
  // when the election falls back to round-robin.
  std::vector<bool> active(Epoch epoch, Round round, const chain::ValidatorSet& set,
                           const CommitHistory& history) const;
  const ReputationParams& params() const { return params_; }

 private:
  struct Window {
    std::vector<bool> active;         // empty: round-robin
    const Hash256* anchor = nullptr;  // the seed's block
  };
  Window window_of(Epoch epoch, Round round, const chain::ValidatorSet& set,
                   const CommitHistory& history) const;
  ReputationParams params_;
};

std::shared_ptr<const LeaderElection> make_round_robin_election();
std::shared_ptr<const LeaderElection> make_weighted_election();
std::shared_ptr<const LeaderElection> make_reputation_election(ReputationParams params = {});

}  // namespace bauhinia::consensus
