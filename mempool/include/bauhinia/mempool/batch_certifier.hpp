#pragma once
// Certified gossip, its deterministic core: which validators verify a
// gossiped batch's signatures, and when acknowledgements certify it so the
// others admit it without verifying (docs/network.md, "Certified gossip";
// ADR 0007 item 1).
//
// The rule. For a batch (author, digest), the verifiers are the author, if it
// is a validator, then the other validators in the order of
// SHA-256(digest || key), taken until their voting power reaches
// certifying_power() = total - quorum + 1: more than f Byzantine validators
// can hold. A verifier checks every signature and, if all verify, signs a
// BatchAck. Any other node keeps the batch waiting; once acknowledgements of
// distinct validators of the epoch reach certifying_power() the batch is
// certified (at least one honest validator verified every signature) and is
// admitted without verifying; after wait_ms without that, the node verifies
// the batch itself. With four equal validators two of the four verify each
// batch instead of all four.
//
// Safety does not depend on the verifiers being honest: an acknowledgement
// counts only when it comes from its signer, that signer is a validator of
// the current epoch, its Ed25519 signature verifies and its count matches
// the batch; a certificate needs signers whose power exceeds what f
// Byzantine validators hold. Liveness does not depend on them either: an
// uncertified batch is verified here after wait_ms.
//
// No I/O, no clock, no threads: the caller passes now_ms and serialises calls.
// Bounds: max_waiting_batches / max_waiting_transactions wait (beyond: the
// batch is verified here at once); max_early_acks_per_signer acknowledgements
// per signer wait for their batch (the oldest leave first).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/mempool/batch_ack.hpp"

namespace bauhinia::mempool {

struct BatchCertifierConfig {
  std::string chain_id;
  std::uint64_t wait_ms = 250;  // an uncertified batch's wait before this node verifies it
  std::size_t max_waiting_batches = 512;
  std::size_t max_waiting_transactions = 100'000;
  std::size_t max_early_acks_per_signer = 1'024;
};

struct GossipBatch {
  core::ed25519::PublicKey author;  // the peer that sent it (gossip is never relayed)
  core::Hash256 digest;             // batch_digest() of the frame's payload
  std::vector<core::Bytes> transactions;
};

struct BatchCertifierStats {
  std::uint64_t verified_and_acked = 0;  // batches this node verified as one of their verifiers
  std::uint64_t verified = 0;            // batches verified here for another reason (see Route)
  std::uint64_t certified = 0;           // admitted on acknowledgements, not verified here
  std::uint64_t waited_out = 0;          // no certificate within wait_ms: verified here
  std::uint64_t acks_counted = 0;
  std::uint64_t acks_early = 0;    // kept until their batch arrives
  std::uint64_t acks_ignored = 0;  // another epoch, or a repeat
  std::uint64_t acks_invalid = 0;  // misbehaviour of the sender (see on_ack)
};

class BatchCertifier {
 public:
  explicit BatchCertifier(BatchCertifierConfig config);

  // The epoch whose validators' acknowledgements count, and this node's key.
  // Batches still waiting (of the previous epoch) are returned: verify them here.
  std::vector<GossipBatch> set_epoch(std::uint64_t epoch, chain::ValidatorSet validators,
                                     const core::ed25519::PublicKey& self);

  // total power - quorum power + 1 (0 before set_epoch).
  std::uint64_t certifying_power() const noexcept { return certifying_power_; }
  std::uint64_t epoch() const noexcept { return epoch_; }
  // Is this node a validator of the epoch (does it acknowledge batches)?
  bool acknowledges() const noexcept { return self_power_ > 0; }
  // The validators that verify (author, digest) themselves, in order.
  std::vector<core::ed25519::PublicKey> verifiers(const core::ed25519::PublicKey& author,
                                                  const core::Hash256& digest) const;

  enum class Route : std::uint8_t {
    kVerifyAndAck,  // this node is a verifier: verify, then acknowledge if every signature verifies
    kVerify,        // verify here without acknowledging (no room to wait, empty or repeated batch)
    kWaiting,       // kept here until certified (on_ack) or expired (expire)
    kCertified,     // acknowledgements that came first certify it: admit without verifying
  };
  struct Arrival {
    Route route;
    GossipBatch batch;  // given back, except for kWaiting
  };
  // `reachable` (optional): is this validator connected? A batch one of
  // whose other verifiers is not is verified here at once (kVerify) instead
  // of waiting for an acknowledgement that cannot come.
  using Reachable = std::function<bool(const core::ed25519::PublicKey&)>;
  Arrival on_batch(GossipBatch batch, std::uint64_t now_ms, const Reachable& reachable = {});

  enum class AckOutcome : std::uint8_t {
    kCounted,    // counted towards its waiting batch
    kCertified,  // ... and certified it: `certified` holds the batch
    kEarly,      // no such batch waits (yet): kept for it
    kIgnored,    // another epoch, or this signer was already counted
    kInvalid,    // the sender misbehaved: not the signer, not a validator, a bad
                 // signature, or a count that does not match the batch
  };
  struct AckResult {
    AckOutcome outcome;
    std::string reason;  // for kIgnored and kInvalid
    std::optional<GossipBatch> certified;
  };
  // `from` is the peer that sent the acknowledgement. Verifies its signature.
  AckResult on_ack(const core::ed25519::PublicKey& from, const BatchAck& ack);

  // Batches whose wait ended at now_ms without a certificate, oldest first:
  // verify them here.
  std::vector<GossipBatch> expire(std::uint64_t now_ms);
  // When the oldest waiting batch expires (nullopt: none waits).
  std::optional<std::uint64_t> next_deadline() const;

  std::size_t waiting_batches() const noexcept { return waiting_.size(); }
  const BatchCertifierStats& stats() const noexcept { return stats_; }

 private:
  using Key = std::pair<core::ed25519::PublicKey, core::Hash256>;  // (author, digest)
  struct Waiting {
    GossipBatch batch;
    std::uint64_t deadline = 0;
    std::set<core::ed25519::PublicKey> signers;
    std::uint64_t power = 0;
  };
  std::uint64_t power_of(const core::ed25519::PublicKey& key) const;
  // Counts `signer` for `w`; true when that certifies it.
  bool count(Waiting& w, const core::ed25519::PublicKey& signer);

  const BatchCertifierConfig config_;
  std::uint64_t epoch_ = 0;
  chain::ValidatorSet validators_;
  std::map<core::ed25519::PublicKey, std::uint64_t> power_;
  std::uint64_t certifying_power_ = 0;
  std::uint64_t self_power_ = 0;
  core::ed25519::PublicKey self_;

  std::map<Key, Waiting> waiting_;
  std::deque<std::pair<std::uint64_t, Key>> deadlines_;  // arrival order (entries may be gone)
  std::size_t waiting_transactions_ = 0;
  std::map<Key, std::vector<BatchAck>> early_;
  std::map<core::ed25519::PublicKey, std::deque<Key>> early_order_;  // per signer, oldest first
  BatchCertifierStats stats_;
};

}  // namespace bauhinia::mempool
