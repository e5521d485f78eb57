#include "bauhinia/chain/verified_certificate.hpp"

#include <string>
#include <vector>

#include "bauhinia/chain/epoch_proof.hpp"

namespace bauhinia::chain {

core::Checked<VerifiedSignature> VerifiedSignature::verify(
    const ValidatorSet& set, std::size_t index, const core::Hash256& signing_hash,
    const core::ed25519::Signature& signature) {
  if (index >= set.validators.size()) {
    return core::reject(core::Reject::kUnknownSigner, "signer index " + std::to_string(index) +
                                                          " outside a set of " +
                                                          std::to_string(set.validators.size()));
  }
  const core::ed25519::PublicKey& key = set.validators[index].key;
  if (!core::ed25519::verify(key, signing_hash.view(), signature)) {
    return core::reject(core::Reject::kBadSignature,
                        "signature of validator " + std::to_string(index) + " (" +
                            set.validators[index].name + ") does not verify");
  }
  return VerifiedSignature(index, key, signing_hash, signature);
}

core::Checked<VerifiedCertificate> VerifiedCertificate::verify(const QuorumCertificate& qc,
                                                               const ValidatorSet& set) {
  if (core::Verdict v = verify_quorum(qc, set); !v) return v.rejection();
  return VerifiedCertificate(qc, set.hash());
}

core::Checked<VerifiedCertificate> VerifiedCertificate::aggregate(
    const LedgerInfo& ledger_info, const ValidatorSet& set,
    std::span<const VerifiedSignature> votes) {
  const core::Hash256 message = ledger_info.signing_hash();
  std::vector<IndexedSignature> indexed;
  indexed.reserve(votes.size());
  for (const VerifiedSignature& vote : votes) {
    if (vote.signing_hash() != message) {
      return core::reject(core::Reject::kInvalid, "the signature of validator " +
                                                      std::to_string(vote.index()) +
                                                      " is over another ledger info");
    }
    if (vote.index() >= set.validators.size() || set.validators[vote.index()].key != vote.key()) {
      return core::reject(core::Reject::kUnknownSigner,
                          "the signature of validator " + std::to_string(vote.index()) +
                              " was checked against a key this set does not have there");
    }
    indexed.emplace_back(vote.index(), vote.signature());
  }
  auto qc = build_quorum_certificate(ledger_info, set, std::span<const IndexedSignature>(indexed));
  if (!qc) return std::move(qc).error();
  return VerifiedCertificate(std::move(qc).value(), set.hash());
}

core::Verdict verify_committed_header(const BlockHeader& header,
                                      const VerifiedCertificate& verified, const ValidatorSet& set,
                                      std::string_view chain_id) {
  const QuorumCertificate& qc = verified.certificate();
  if (core::Verdict v = detail::verify_committed_header_binding(header, qc, set, chain_id); !v) {
    return v;
  }
  // The binding checked header.validator_set_hash == set.hash().
  if (verified.validator_set_hash() != header.validator_set_hash) {
    return core::reject(core::Reject::kBadProof,
                        "certificate verified against another validator set than the one of "
                        "epoch " +
                            std::to_string(set.epoch));
  }
  if (qc.ledger_info.epoch != set.epoch) {  // implied by the set hash; checked all the same
    return core::reject(core::Reject::kWrongEpoch,
                        "certificate of epoch " + std::to_string(qc.ledger_info.epoch) +
                            " checked against the set of epoch " + std::to_string(set.epoch));
  }
  return core::Verdict::accept();
}

}  // namespace bauhinia::chain
