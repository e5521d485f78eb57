#pragma once
// The validators of one epoch with their voting power. Order matters: a
// certificate's signer bitmap indexes this list.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::chain {

inline constexpr std::size_t kMaxValidators = 256;
inline constexpr std::size_t kMaxValidatorNameLength = 64;
inline constexpr std::uint64_t kMaxVotingPower = 1ULL << 40;  // keeps sums far from overflow

struct ValidatorInfo {
  core::ed25519::PublicKey key;
  std::uint64_t voting_power = 0;
  std::string name;  // e.g. "IPD"; informational

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.key.bytes);
    c.u64(s.voting_power);
    c.string(s.name, kMaxValidatorNameLength, "validator name");
  }
  friend bool operator==(const ValidatorInfo&, const ValidatorInfo&) = default;
};

struct ValidatorSet {
  static constexpr std::uint8_t kVersion = 1;

  std::uint8_t version = kVersion;
  std::uint64_t epoch = 0;
  std::vector<ValidatorInfo> validators;

  core::Hash256 hash() const;  // tagged_hash(kValidatorSet, encode(*this))
  std::uint64_t total_power() const;
  // Smallest power strictly above two thirds of the total: floor(2 * total / 3) + 1.
  std::uint64_t quorum_power() const;
  std::optional<std::size_t> index_of(const core::ed25519::PublicKey& key) const;
  // 1..kMaxValidators members, each with power 1..kMaxVotingPower, no duplicate keys.
  core::Verdict validate() const;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.epoch);
    c.sequence(s.validators, kMaxValidators, "validators");
  }
  friend bool operator==(const ValidatorSet&, const ValidatorSet&) = default;
};

}  // namespace bauhinia::chain
