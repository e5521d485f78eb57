#include "bauhinia/chain/validator_set.hpp"

#include <algorithm>
#include <string>

namespace bauhinia::chain {

core::Hash256 ValidatorSet::hash() const {
  return core::hash_of(core::HashTag::kValidatorSet, *this);
}

std::uint64_t ValidatorSet::total_power() const {
  std::uint64_t total = 0;
  for (const auto& v : validators) total += v.voting_power;  // validate() bounds the sum by 2^48
  return total;
}

std::uint64_t ValidatorSet::quorum_power() const {
  return total_power() * 2 / 3 + 1;
}

std::optional<std::size_t> ValidatorSet::index_of(const core::ed25519::PublicKey& key) const {
  for (std::size_t i = 0; i < validators.size(); ++i) {
    if (validators[i].key == key) return i;
  }
  return std::nullopt;
}

core::Verdict ValidatorSet::validate() const {
  if (version != kVersion) {
    return core::reject(core::Reject::kBadVersion,
                        "validator set version " + std::to_string(version) + " is not supported");
  }
  if (validators.empty()) return core::reject(core::Reject::kInvalid, "validator set is empty");
  if (validators.size() > kMaxValidators) {
    return core::reject(core::Reject::kTooLarge,
                        "validator set has " + std::to_string(validators.size()) +
                            " members, at most " + std::to_string(kMaxValidators));
  }
  std::vector<core::ed25519::PublicKey> keys;
  keys.reserve(validators.size());
  for (std::size_t i = 0; i < validators.size(); ++i) {
    const auto& v = validators[i];
    if (v.voting_power == 0 || v.voting_power > kMaxVotingPower) {
      return core::reject(core::Reject::kOutOfRange,
                          "validator " + std::to_string(i) + ": voting power " +
                              std::to_string(v.voting_power) + " outside 1..2^40");
    }
    if (!core::ed25519::PublicKey::from_bytes(v.key.bytes)) {
      return core::reject(core::Reject::kBadKey,
                          "validator " + std::to_string(i) + ": not a valid Ed25519 public key");
    }
    keys.push_back(v.key);
  }
  std::sort(keys.begin(), keys.end());
  if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) {
    return core::reject(core::Reject::kDuplicate, "validator set lists a key twice");
  }
  return core::Verdict::accept();
}

}  // namespace bauhinia::chain
