#pragma once
// Deterministic validators and certificates for the chain tests: real Ed25519
// keys from fixed seeds, real signatures.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/ledger_info.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/core/ed25519.hpp"

namespace bauhinia::chain::test {

inline constexpr const char* kChainId = "bauhinia-test-1";

// The key of seed number `n`: seed bytes are n, n+1, ..., n+31 (mod 256).
inline core::ed25519::SecretKey key_from_seed(std::uint8_t n) {
  std::array<std::uint8_t, core::ed25519::kSeedSize> seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(n + i);
  return core::ed25519::SecretKey::from_seed(seed);
}

// Validators with their secret keys; key seeds first_seed, first_seed+1, ...
struct Committee {
  ValidatorSet set;
  std::vector<core::ed25519::SecretKey> keys;

  static Committee make(std::uint64_t epoch, std::size_t n, std::uint8_t first_seed,
                        std::vector<std::uint64_t> powers = {}) {
    Committee c;
    c.set.epoch = epoch;
    for (std::size_t i = 0; i < n; ++i) {
      c.keys.push_back(key_from_seed(static_cast<std::uint8_t>(first_seed + i)));
      ValidatorInfo v;
      v.key = c.keys.back().public_key();
      v.voting_power = powers.empty() ? 1 : powers[i];
      v.name = "V" + std::to_string(i);
      c.set.validators.push_back(v);
    }
    return c;
  }

  core::ed25519::Signature sign(std::size_t i, const LedgerInfo& li) const {
    return keys[i].sign(li.signing_hash().view());
  }

  // A certificate by the validators in `signers` (canonical; asserts success).
  QuorumCertificate certify(const LedgerInfo& li, const std::vector<std::size_t>& signers) const {
    std::vector<IndexedSignature> votes;
    for (std::size_t i : signers) votes.emplace_back(i, sign(i, li));
    auto qc = build_quorum_certificate(li, set, std::span<const IndexedSignature>(votes));
    BAUHINIA_ASSERT(qc.has_value());
    return std::move(qc).value();
  }

  // The same without the builder's checks (for forged certificates): signers
  // must be increasing.
  QuorumCertificate certify_unchecked(const LedgerInfo& li,
                                      const std::vector<std::size_t>& signers) const {
    QuorumCertificate qc;
    qc.ledger_info = li;
    qc.signer_bitmap.assign((set.validators.size() + 7) / 8, 0);
    for (std::size_t i : signers) {
      qc.signer_bitmap[i / 8] =
          static_cast<std::uint8_t>(qc.signer_bitmap[i / 8] | (1U << (i % 8)));
      qc.signatures.push_back(sign(i, li));
    }
    return qc;
  }

  std::vector<std::size_t> all() const {
    std::vector<std::size_t> v;
    for (std::size_t i = 0; i < keys.size(); ++i) v.push_back(i);
    return v;
  }
};

inline Hash256 filled(std::uint8_t b) {
  Hash256 h;
  h.bytes().fill(b);
  return h;
}

// A ledger info committing `header`.
inline LedgerInfo commit_of(const BlockHeader& header, std::uint64_t round_offset = 1) {
  LedgerInfo li;
  li.chain_id = kChainId;
  li.epoch = header.epoch;
  li.round = header.round + round_offset;
  li.commit_block = header.id();
  li.commit_height = header.height;
  li.consensus_data_hash = filled(0xCD);
  return li;
}

}  // namespace bauhinia::chain::test
