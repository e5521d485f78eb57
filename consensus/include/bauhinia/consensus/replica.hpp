#pragma once
// A Jolteon / DiemBFT v4 replica (two-chain HotStuff with timeout
// certificates) as a pure state machine: step(event) -> effects. No I/O, no
// clock, no threads, no randomness; the same code runs in bauhinia-node and in
// bauhinia-sim. docs/consensus.md describes the protocol and the host contract.
//
// API changes:
//  - Effect PersistBlock (appended to the Effect variant) and
//    RecoveryData::blocks: uncommitted blocks are kept by the host so that a
//    cluster where every validator crashed can still find the blocks its QCs
//    certify.
//  - TimeoutMessage::last_tc (wire format: an optional TC after high_qc): the
//    TC that took the sender into its round, so that replicas which missed it
//    catch up instead of waiting forever on a lossy network.
//  - validate() on Proposal, Vote, TimeoutMessage, SyncResponse, QuorumCert and
//    TimeoutCertificate (decode checks nested versions).
//  - SafetyState::highest_tc (appended to its encoding): the TC behind the
//    last signature, so that a cluster restarted after losing a TC can time
//    out in the round it last signed in (found by bauhinia-sim seed 502).
//  - SafetyState::highest_qc (format version 2; version 1 still loads): the
//    highest QC a vote or timeout was signed with. A restarted replica resumes
//    from max(it, kept blocks' QCs, the TC's QC) and enters max(qc, tc) + 1,
//    so its timeouts carry that QC even if its block never arrived
//    (bauhinia-sim fork-leader seeds 1182, 1238, 1255; sim-findings finding 2).

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/config.hpp"
#include "bauhinia/consensus/effects.hpp"
#include "bauhinia/consensus/events.hpp"
#include "bauhinia/consensus/leader_election.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/consensus/safety_rules.hpp"
#include "bauhinia/core/ed25519.hpp"

namespace bauhinia::consensus {

class Replica {
 public:
  // `recovery`: the last committed block with its QC and the epoch to run in
  // (at genesis: root = genesis header, root_qc = QuorumCert::for_epoch_root).
  // `safety`: the last persisted SafetyState (SafetyState{} on first start).
  // A replica whose key is not in the validator set follows the chain (it
  // processes proposals and certificates, commits) but never signs.
  Replica(ReplicaConfig config, core::ed25519::SecretKey key, RecoveryData recovery,
          SafetyState safety,
          std::shared_ptr<const LeaderElection> election = make_round_robin_election());
  ~Replica();
  Replica(Replica&&) noexcept;
  Replica& operator=(Replica&&) noexcept;
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  // Processes one event; the host applies the returned effects in order.
  std::vector<Effect> step(const Event& event);

  // Read-only views (tests, metrics, the simulator's invariant checks).
  const Author& author() const;
  Epoch epoch() const;
  Round round() const;  // the current round
  const EpochContext& epoch_context() const;
  const QuorumCert& high_qc() const;
  const std::optional<TimeoutCertificate>& last_tc() const;
  const chain::BlockHeader& committed_root() const;
  const SafetyState& safety_state() const;
  std::size_t pending_blocks() const;  // uncommitted blocks in the tree
  Author leader_of(Round round) const;
  const ReplicaConfig& config() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bauhinia::consensus
