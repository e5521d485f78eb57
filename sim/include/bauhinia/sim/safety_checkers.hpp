#pragma once
// The safety checkers, called by the simulation on every step. They see only
// what a replica commits, signs and persists, never its internals, so they
// check the real core as a black box.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bauhinia/core/hash.hpp"
#include "bauhinia/sim/network.hpp"
#include "bauhinia/sim/violation.hpp"

namespace bauhinia::sim {

using core::Hash256;

// Agreement: no two honest replicas commit different blocks at one height.
class AgreementChecker {
 public:
  explicit AgreementChecker(ViolationLog& log) : log_(log) {}
  void on_commit(NodeId replica, std::uint64_t height, const Hash256& block_id,
                 std::uint64_t now_ms);
  // The highest height any honest replica committed (0: only genesis).
  std::uint64_t highest() const noexcept { return highest_; }
  std::size_t heights() const noexcept { return by_height_.size(); }

 private:
  ViolationLog& log_;
  std::map<std::uint64_t, std::pair<Hash256, NodeId>> by_height_;
  std::uint64_t highest_ = 0;
};

// History: each honest replica's committed chain only grows, one height at a
// time, and is never rewritten, also across crash and restart (the checker
// keeps its own copy, outside the replica).
class HistoryChecker {
 public:
  HistoryChecker(ViolationLog& log, std::size_t replicas) : log_(log), chains_(replicas) {}
  void on_commit(NodeId replica, std::uint64_t height, const Hash256& block_id,
                 std::uint64_t now_ms);
  // After a restart: the ledger the replica reloaded from its persisted store,
  // ids by height from 1, must equal everything it committed before.
  void on_restart(NodeId replica, const std::vector<Hash256>& persisted, std::uint64_t now_ms);
  std::uint64_t committed_height(NodeId replica) const { return chains_.at(replica).size(); }

 private:
  ViolationLog& log_;
  std::vector<std::vector<Hash256>> chains_;  // chains_[r][h - 1] = id at height h
};

// No honest double-sign: per validator and (epoch, round), every vote it signs
// signs the same message, and it never votes in a round after signing a
// timeout for that round (the timeout certificate would then not be safe).
class DoubleSignChecker {
 public:
  DoubleSignChecker(ViolationLog& log, std::size_t validators)
      : log_(log), validators_(validators) {}
  void on_vote(std::uint32_t validator, std::uint64_t epoch, std::uint64_t round,
               const Hash256& signed_message, std::uint64_t now_ms);
  void on_timeout(std::uint32_t validator, std::uint64_t epoch, std::uint64_t round,
                  std::uint64_t now_ms);
  std::uint64_t votes_seen() const noexcept { return votes_seen_; }

 private:
  struct RoundRecord {
    std::optional<Hash256> vote;
    bool timed_out = false;
  };
  using Key = std::tuple<std::uint32_t, std::uint64_t, std::uint64_t>;
  ViolationLog& log_;
  std::size_t validators_;
  std::map<Key, RoundRecord> rounds_;
  std::uint64_t votes_seen_ = 0;
};

std::string short_id(const Hash256& h);  // first 8 hex digits, for reports

}  // namespace bauhinia::sim
