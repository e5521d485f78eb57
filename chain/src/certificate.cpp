#include "bauhinia/chain/certificate.hpp"

#include <algorithm>
#include <string>

namespace bauhinia::chain {

namespace {

std::size_t bitmap_size(std::size_t validators) {
  return (validators + 7) / 8;
}

bool bit_set(const core::Bytes& bitmap, std::size_t i) {
  return ((bitmap[i / 8] >> (i % 8)) & 1U) != 0;
}

core::Verdict check_epoch(const LedgerInfo& li, const ValidatorSet& set) {
  if (li.epoch != set.epoch) {
    return core::reject(core::Reject::kWrongEpoch,
                        "certificate of epoch " + std::to_string(li.epoch) +
                            " checked against the set of epoch " + std::to_string(set.epoch));
  }
  return core::Verdict::accept();
}

}  // namespace

std::vector<std::size_t> QuorumCertificate::signer_indices() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < signer_bitmap.size() * 8; ++i) {
    if (bit_set(signer_bitmap, i)) out.push_back(i);
  }
  return out;
}

core::Verdict verify_quorum(const QuorumCertificate& qc, const ValidatorSet& set) {
  if (core::Verdict v = qc.ledger_info.validate(); !v) return v;
  if (core::Verdict v = check_epoch(qc.ledger_info, set); !v) return v;

  const std::size_t n = set.validators.size();
  if (qc.signer_bitmap.size() != bitmap_size(n)) {
    return core::reject(core::Reject::kNonCanonical,
                        "signer bitmap of " + std::to_string(qc.signer_bitmap.size()) +
                            " bytes for " + std::to_string(n) + " validators (needs " +
                            std::to_string(bitmap_size(n)) + ")");
  }
  for (std::size_t i = n; i < qc.signer_bitmap.size() * 8; ++i) {
    if (bit_set(qc.signer_bitmap, i)) {
      return core::reject(
          core::Reject::kNonCanonical,
          "signer bitmap names index " + std::to_string(i) + " of a set of " + std::to_string(n));
    }
  }
  const std::vector<std::size_t> signers = qc.signer_indices();
  if (signers.size() != qc.signatures.size()) {
    return core::reject(core::Reject::kInvalid, std::to_string(qc.signatures.size()) +
                                                    " signatures for " +
                                                    std::to_string(signers.size()) + " signers");
  }
  std::uint64_t power = 0;
  for (std::size_t i : signers) power += set.validators[i].voting_power;
  if (power < set.quorum_power()) {
    return core::reject(core::Reject::kInsufficientPower,
                        "signers hold " + std::to_string(power) + " of " +
                            std::to_string(set.total_power()) + " voting power, quorum is " +
                            std::to_string(set.quorum_power()));
  }
  const Hash256 message = qc.ledger_info.signing_hash();
  for (std::size_t k = 0; k < signers.size(); ++k) {
    const std::size_t i = signers[k];
    if (!core::ed25519::verify(set.validators[i].key, message.view(), qc.signatures[k])) {
      return core::reject(core::Reject::kBadSignature,
                          "signature of validator " + std::to_string(i) + " (" +
                              set.validators[i].name + ") does not verify");
    }
  }
  return core::Verdict::accept();
}

core::Checked<QuorumCertificate> build_quorum_certificate(const LedgerInfo& ledger_info,
                                                          const ValidatorSet& set,
                                                          std::span<const IndexedSignature> votes) {
  if (core::Verdict v = ledger_info.validate(); !v) return v.rejection();
  if (core::Verdict v = check_epoch(ledger_info, set); !v) return v.rejection();
  const std::size_t n = set.validators.size();
  std::vector<const IndexedSignature*> sorted;
  sorted.reserve(votes.size());
  for (const auto& vote : votes) {
    if (vote.first >= n) {
      return core::reject(
          core::Reject::kUnknownSigner,
          "signer index " + std::to_string(vote.first) + " outside a set of " + std::to_string(n));
    }
    sorted.push_back(&vote);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  QuorumCertificate qc;
  qc.ledger_info = ledger_info;
  qc.signer_bitmap.assign(bitmap_size(n), 0);
  qc.signatures.reserve(sorted.size());
  std::uint64_t power = 0;
  for (std::size_t k = 0; k < sorted.size(); ++k) {
    const std::size_t i = sorted[k]->first;
    if (k > 0 && sorted[k - 1]->first == i) {
      return core::reject(core::Reject::kDuplicate,
                          "validator " + std::to_string(i) + " signed twice");
    }
    qc.signer_bitmap[i / 8] = static_cast<std::uint8_t>(qc.signer_bitmap[i / 8] | (1U << (i % 8)));
    qc.signatures.push_back(sorted[k]->second);
    power += set.validators[i].voting_power;
  }
  if (power < set.quorum_power()) {
    return core::reject(core::Reject::kInsufficientPower, "signers hold " + std::to_string(power) +
                                                              " voting power, quorum is " +
                                                              std::to_string(set.quorum_power()));
  }
  return qc;
}

core::Checked<QuorumCertificate> build_quorum_certificate(const LedgerInfo& ledger_info,
                                                          const ValidatorSet& set,
                                                          std::span<const KeyedSignature> votes) {
  std::vector<IndexedSignature> indexed;
  indexed.reserve(votes.size());
  for (const auto& [key, sig] : votes) {
    const auto i = set.index_of(key);
    if (!i) {
      return core::reject(core::Reject::kUnknownSigner,
                          "signer " + key.to_hex() + " is not in the validator set of epoch " +
                              std::to_string(set.epoch));
    }
    indexed.emplace_back(*i, sig);
  }
  return build_quorum_certificate(ledger_info, set, std::span<const IndexedSignature>(indexed));
}

}  // namespace bauhinia::chain
