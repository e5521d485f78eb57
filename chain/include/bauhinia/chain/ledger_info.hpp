#pragma once
// What validators sign. Every consensus vote signs a LedgerInfo; when the vote
// also commits a block (two-chain rule), `commit_block` names that block's
// header and a quorum of such signatures is the block's commit certificate.

#include <cstdint>
#include <string>

#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::chain {

using core::Hash256;

inline constexpr std::size_t kMaxChainIdLength = 64;

struct LedgerInfo {
  static constexpr std::uint8_t kVersion = 1;

  std::uint8_t version = kVersion;
  std::string chain_id;              // e.g. "bauhinia-hk-1"; binds signatures to one chain
  std::uint64_t epoch = 0;
  std::uint64_t round = 0;           // round of the block voted for
  Hash256 commit_block;              // header id of the committed block; zero: commits nothing
  std::uint64_t commit_height = 0;
  Hash256 consensus_data_hash;       // hash of the consensus vote data (opaque to light clients)

  bool commits() const { return !commit_block.is_zero(); }
  // The 32 bytes each validator signs: tagged_hash(kLedgerInfo, encode(*this)).
  Hash256 signing_hash() const;
  core::Verdict validate() const;  // version, chain id length

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.chain_id, kMaxChainIdLength, "chain_id");
    c.u64(s.epoch);
    c.u64(s.round);
    c.fixed(s.commit_block);
    c.u64(s.commit_height);
    c.fixed(s.consensus_data_hash);
  }
  friend bool operator==(const LedgerInfo&, const LedgerInfo&) = default;
};

}  // namespace bauhinia::chain
