#pragma once
// The safety rules of two-chain HotStuff (Jolteon), after Aptos's
// safety_rules_2chain. They alone hold the validator's consensus key and decide
// whether a vote or a timeout may be signed. Everything they decide from is
// the SafetyState, which the host must persist before any vote or timeout
// signed from it leaves the node.
//
// Storage contract (host side):
//  - The Replica emits Effect PersistSafetyState{state} before every Send or
//    Broadcast that carries a vote or timeout signature, in the same effect
//    list. The host applies effects in order and makes the persist durable
//    (fsync / synced LevelDB write) before it sends anything after it.
//  - After a crash, the host constructs the Replica with the last persisted
//    SafetyState (SafetyState{} on first start). Since every signature was
//    preceded by a durable persist of the state that allowed it, the restarted
//    replica refuses any vote or timeout that could conflict with one already
//    sent: it never signs two different votes for one round.

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/injected_faults.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/consensus/types.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::consensus {

// Persisted format (docs/consensus.md, "The safety-state record"): version 1
// ends with highest_tc; version 2 appends highest_qc. Both decode (a version 1
// record has no highest_qc); any other version is refused with kBadVersion.
// SafetyRules upgrades what it loads, so the host only ever writes kVersion.
struct SafetyState {
  static constexpr std::uint8_t kVersion = 2;
  static constexpr std::uint8_t kOldestVersion = 1;

  std::uint8_t version = kVersion;
  Epoch epoch = 0;
  Round last_voted_round = 0;       // highest round voted or timed out in
  Round preferred_round = 0;        // highest two-chain round seen (QC's parent round)
  Round one_chain_round = 0;        // highest one-chain round seen (QC's round)
  Round highest_timeout_round = 0;  // highest round a timeout was signed for
  std::optional<Vote> last_vote;    // returned again when asked for the same round
  // The highest TC that justified a signed vote or timeout: after a restart it
  // lets the replica re-enter last_voted_round (a TC is not stored elsewhere).
  std::optional<TimeoutCertificate> highest_tc;
  // The highest QC a vote or timeout was signed with (version 2): after a
  // restart the replica resumes from it even if its block never arrived, and
  // its timeouts carry it to the others (a QC is otherwise only kept with its
  // block). Epoch-root QCs are not recorded.
  std::optional<QuorumCert> highest_qc;

  core::Verdict validate() const;  // version, and the shape of the certificates
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    if constexpr (std::is_same_v<C, core::DecodeCodec>) {
      if (s.version < kOldestVersion || s.version > kVersion) {
        c.reader().fail(core::Reject::kBadVersion, unknown_version_message(s.version));
        return;
      }
    } else {
      BAUHINIA_ASSERT_MSG(s.version >= 2 || !s.highest_qc, "highest_qc needs version 2");
    }
    c.u64(s.epoch);
    c.u64(s.last_voted_round);
    c.u64(s.preferred_round);
    c.u64(s.one_chain_round);
    c.u64(s.highest_timeout_round);
    c.optional(s.last_vote, [](auto& cc, auto& v) { cc.object(v); });
    c.optional(s.highest_tc, [](auto& cc, auto& t) { cc.object(t); });
    if (s.version >= 2) c.optional(s.highest_qc, [](auto& cc, auto& q) { cc.object(q); });
  }
  static std::string unknown_version_message(std::uint8_t version);
  friend bool operator==(const SafetyState&, const SafetyState&) = default;
};

// A block named by id and height (a commit target).
struct BlockRef {
  Hash256 id;
  std::uint64_t height = 0;
  friend bool operator==(const BlockRef&, const BlockRef&) = default;
};

class SafetyRules {
 public:
  // `ctx` is the epoch the replica is in. If persisted.epoch < ctx.epoch()
  // the state starts over for the new epoch (rounds 0, no last vote); a
  // persisted state from a later epoch than ctx is a host bug (asserted).
  // A state of an older format version is upgraded (state().version is
  // always kVersion).
  // `faults`: TEST-ONLY deliberate bugs (injected_faults.hpp); the node never
  // passes any, and with none every rule below holds as written.
  SafetyRules(core::ed25519::SecretKey key, SafetyState persisted, EpochContext ctx,
              InjectedFaults faults = {});

  const SafetyState& state() const noexcept { return state_; }
  const EpochContext& context() const noexcept { return ctx_; }
  const Author& author() const noexcept { return key_.public_key(); }
  bool is_validator() const;

  // Moves to the next epoch (ctx.epoch() > current): rounds and last vote reset.
  void start_epoch(EpochContext ctx);

  // Signs this replica's own proposal: epoch is current, author is us, round
  // above last_voted_round, QC (and TC) valid, the QC/TC justify the round
  // (round == qc.round + 1, or round == tc.round + 1 with qc.round >= tc's
  // highest QC round). State is unchanged.
  core::Checked<core::ed25519::Signature> sign_proposal(const Proposal& proposal);

  // Votes for `proposal` (its header already executed and matched by the host).
  // Rules, in order:
  //  1. epoch is current;
  //  2. if last_vote is for this round and this block, return it again
  //     (a vote for another block in that round is refused);
  //  3. QC (and TC) valid; QC certifies header.parent_hash; TC for round - 1;
  //  4. round > last_voted_round (never two votes in a round);
  //  5. qc.round >= preferred_round (extends the locked branch);
  //  6. round == qc.round + 1, or round == tc.round + 1 and
  //     qc.round >= tc.highest_hqc_round() (2-chain safe_to_vote);
  // then observes the QC (one_chain_round, preferred_round, highest_qc), sets
  // last_voted_round and last_vote. The ledger info commits the parent when
  // round == qc.round + 1 and the parent is not an epoch root; `commit_override`
  // replaces that target (the epoch-ending block when the parent is it or one
  // of its reconfiguration-suffix descendants). The caller persists state()
  // before sending the vote.
  core::Checked<Vote> vote(const Proposal& proposal, std::optional<BlockRef> commit_override);

  // Signs a timeout for `round` with our highest QC. Rules: epoch current;
  // high_qc valid, tc (of round - 1) valid if given; round == high_qc.round + 1
  // or round == tc.round + 1; high_qc.round >= one_chain_round; round >=
  // last_voted_round. Sets last_voted_round = max(.., round) (no vote for this
  // round after a timeout), highest_timeout_round and highest_qc (if higher).
  // The caller persists state() before sending it.
  core::Checked<TimeoutMessage> sign_timeout(Round round, const QuorumCert& high_qc,
                                             const std::optional<TimeoutCertificate>& tc);

 private:
  core::Verdict check_qc(const QuorumCert& qc);
  core::Verdict check_tc(const TimeoutCertificate& tc);
  void observe_qc(const QuorumCert& qc);
  void observe_tc(const std::optional<TimeoutCertificate>& tc);
  void observe_signed_qc(const QuorumCert& qc);

  core::ed25519::SecretKey key_;
  SafetyState state_;
  EpochContext ctx_;
  InjectedFaults faults_;     // TEST-ONLY, all off outside bauhinia-sim and tests
  Hash256 last_verified_qc_;  // digest of the last QC whose signatures verified
};

}  // namespace bauhinia::consensus
