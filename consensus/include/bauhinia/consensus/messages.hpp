#pragma once
// The consensus messages and their canonical encodings (docs/consensus.md,
// frozen by tests/consensus/golden/). Every signature is over a tagged hash:
//   proposal: tagged_hash(kProposal, encode(ProposalSigningData))
//   vote:     chain::LedgerInfo::signing_hash() (tag kLedgerInfo)
//   timeout:  tagged_hash(kTimeout, encode(TimeoutSigningData))

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/ledger_info.hpp"
#include "bauhinia/chain/proposal_signing.hpp"
#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/types.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::consensus {

// What a proposer signs (chain/proposal_signing.hpp: contracts verify it too).
using ProposalSigningData = chain::ProposalSigningData;

// A block proposal: the leader's executed header, the payload, the QC of the
// parent and, when the parent's round is not round - 1, the TC of round - 1.
// The author is header.proposer.
struct Proposal {
  chain::BlockHeader header;
  core::Bytes payload;  // opaque to consensus; empty means "no transactions"
  QuorumCert qc;        // certifies header.parent_hash
  std::optional<TimeoutCertificate> tc;
  core::ed25519::Signature signature;

  Epoch epoch() const { return header.epoch; }
  Round round() const { return header.round; }
  const Author& author() const { return header.proposer; }
  ProposalSigningData signing_data(const std::string& chain_id) const;
  core::Verdict validate() const;  // header, qc, tc versions and shapes

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.header);
    c.bytes(s.payload, kMaxPayloadBytes, "payload");
    c.object(s.qc);
    c.optional(s.tc, [](auto& cc, auto& t) { cc.object(t); });
    c.fixed(s.signature.bytes);
  }
  friend bool operator==(const Proposal&, const Proposal&) = default;
};

// A vote for one block, sent to the next round's leader.
struct Vote {
  VoteData vote_data;
  chain::LedgerInfo ledger_info;  // consensus_data_hash == vote_data.hash()
  Author author;
  core::ed25519::Signature signature;  // over ledger_info.signing_hash()

  Epoch epoch() const { return vote_data.epoch; }
  Round round() const { return vote_data.round; }
  core::Verdict validate() const;  // vote data and ledger info versions and shapes

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.vote_data);
    c.object(s.ledger_info);
    c.fixed(s.author.bytes);
    c.fixed(s.signature.bytes);
  }
  friend bool operator==(const Vote&, const Vote&) = default;
};

// "Round `round` timed out for me; my highest QC is high_qc", broadcast.
struct TimeoutMessage {
  Epoch epoch = 0;
  Round round = 0;
  QuorumCert high_qc;
  // The TC that took the sender into `round` (round - 1), if any: not signed,
  // it carries itself, and lets a replica that missed it catch up.
  std::optional<TimeoutCertificate> last_tc;
  Author author;
  core::ed25519::Signature signature;  // over TimeoutSigningData{.., high_qc.round()}

  TimeoutSigningData signing_data(const std::string& chain_id) const;
  core::Verdict validate() const;  // high_qc

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u64(s.epoch);
    c.u64(s.round);
    c.object(s.high_qc);
    c.optional(s.last_tc, [](auto& cc, auto& t) { cc.object(t); });
    c.fixed(s.author.bytes);
    c.fixed(s.signature.bytes);
  }
  friend bool operator==(const TimeoutMessage&, const TimeoutMessage&) = default;
};

// Asks a peer for the chain of uncommitted blocks ending at block_id (walking
// parents), at most max_blocks of them.
struct SyncRequest {
  Epoch epoch = 0;
  Hash256 block_id;
  std::uint32_t max_blocks = 0;  // 1..kMaxSyncBlocks

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u64(s.epoch);
    c.fixed(s.block_id);
    c.u32(s.max_blocks);
  }
  friend bool operator==(const SyncRequest&, const SyncRequest&) = default;
};

// One block of a sync response: its header, payload and the QC of its parent
// (the block's own identity is proven by the QC that certifies it: the
// requester's target, or the QC carried by the previous block of the response).
struct SyncBlock {
  chain::BlockHeader header;
  core::Bytes payload;
  QuorumCert qc;  // certifies header.parent_hash

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.header);
    c.bytes(s.payload, kMaxPayloadBytes, "payload");
    c.object(s.qc);
  }
  friend bool operator==(const SyncBlock&, const SyncBlock&) = default;
};

// The answer to a SyncRequest: blocks from the requested one towards the
// responder's committed root (newest first, the root itself not included), and
// the responder's latest commit certificate, so a requester whose own root is
// further behind knows which committed block to catch up to (Effect SyncLedger).
struct SyncResponse {
  Epoch epoch = 0;
  Hash256 block_id;  // as requested
  std::vector<SyncBlock> blocks;
  std::optional<QuorumCert> commit_cert;

  core::Verdict validate() const;  // every block and certificate

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u64(s.epoch);
    c.fixed(s.block_id);
    c.sequence(s.blocks, kMaxSyncBlocks, "sync blocks");
    c.optional(s.commit_cert, [](auto& cc, auto& q) { cc.object(q); });
  }
  friend bool operator==(const SyncResponse&, const SyncResponse&) = default;
};

using Message = std::variant<Proposal, Vote, TimeoutMessage, SyncRequest, SyncResponse>;

// The wire form: a version byte (1), a u8 variant tag in the order above, the
// message's fields. decode_message rejects unknown versions or tags, trailing
// bytes, oversized fields and anything longer than kMaxMessageBytes.
inline constexpr std::uint8_t kMessageVersion = 1;
core::Bytes encode_message(const Message& message);
core::Checked<Message> decode_message(core::ByteView bytes);

const char* message_name(const Message& message);

}  // namespace bauhinia::consensus
