#pragma once
// The block header: the identity of a block (its id is the tagged hash of this
// encoding) and the roots the block leaves behind. A block's header is final
// only after execution: the leader executes before proposing, and voters
// re-execute and vote only when they reach the same roots.

#include <array>
#include <cstdint>
#include <span>

#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::chain {

using core::Hash256;

struct BlockHeader {
  static constexpr std::uint8_t kVersion = 1;

  std::uint8_t version = kVersion;
  std::uint64_t epoch = 0;
  std::uint64_t height = 0;           // genesis is 0
  std::uint64_t round = 0;            // consensus round that produced it (0 for genesis)
  Hash256 parent_hash;                // id of the parent header (zero for genesis)
  std::uint64_t timestamp_ms = 0;     // Unix ms from the proposer; strictly above the parent's
  core::ed25519::PublicKey proposer;  // zero for genesis
  Hash256 transactions_root;          // transactions_root_of(the block's transaction ids)
  Hash256 accumulator_root;           // transaction accumulator after the block
  std::uint64_t accumulator_size = 0;
  Hash256 state_root;               // state tree after the block
  Hash256 validator_set_hash;       // the set that certifies this block
  Hash256 next_validator_set_hash;  // differs from validator_set_hash at an epoch's last block

  Hash256 id() const;  // tagged_hash(kBlockHeader, encode(*this))
  bool ends_epoch() const { return next_validator_set_hash != validator_set_hash; }
  core::Verdict validate() const;  // version

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.epoch);
    c.u64(s.height);
    c.u64(s.round);
    c.fixed(s.parent_hash);
    c.u64(s.timestamp_ms);
    c.fixed(s.proposer.bytes);
    c.fixed(s.transactions_root);
    c.fixed(s.accumulator_root);
    c.u64(s.accumulator_size);
    c.fixed(s.state_root);
    c.fixed(s.validator_set_hash);
    c.fixed(s.next_validator_set_hash);
  }
  friend bool operator==(const BlockHeader&, const BlockHeader&) = default;
};

// RFC 6962 Merkle Tree Hash over the block's transaction ids in block order,
// each leaf being the id's 32 bytes: MTH({SHA-256(0x00 || id)}); SHA-256("")
// for a block without transactions.
Hash256 transactions_root_of(std::span<const Hash256> transaction_ids);

}  // namespace bauhinia::chain
