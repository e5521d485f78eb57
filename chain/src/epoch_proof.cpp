#include "bauhinia/chain/epoch_proof.hpp"

#include <string>

namespace bauhinia::chain {

namespace detail {

core::Verdict verify_committed_header_binding(const BlockHeader& header,
                                              const QuorumCertificate& qc, const ValidatorSet& set,
                                              std::string_view chain_id) {
  if (core::Verdict v = header.validate(); !v) return v;
  if (header.epoch != set.epoch) {
    return core::reject(core::Reject::kWrongEpoch,
                        "header of epoch " + std::to_string(header.epoch) +
                            " checked against the set of epoch " + std::to_string(set.epoch));
  }
  if (header.validator_set_hash != set.hash()) {
    return core::reject(core::Reject::kBadProof,
                        "header's validator_set_hash is not the hash of the set of epoch " +
                            std::to_string(set.epoch));
  }
  const LedgerInfo& li = qc.ledger_info;
  if (li.chain_id != chain_id) {
    return core::reject(core::Reject::kInvalid, "certificate for chain '" + li.chain_id +
                                                    "', expected '" + std::string(chain_id) + "'");
  }
  if (li.commit_block != header.id() || li.commit_height != header.height) {
    return core::reject(
        core::Reject::kBadProof,
        "certificate does not commit this header (height " + std::to_string(header.height) + ")");
  }
  return core::Verdict::accept();
}

}  // namespace detail

core::Verdict verify_committed_header(const BlockHeader& header, const QuorumCertificate& qc,
                                      const ValidatorSet& set, std::string_view chain_id) {
  if (core::Verdict v = detail::verify_committed_header_binding(header, qc, set, chain_id); !v) {
    return v;
  }
  return verify_quorum(qc, set);
}

core::Checked<ValidatorSet> verify_epoch_changes(const ValidatorSet& trusted,
                                                 const EpochChangeProof& proof,
                                                 std::string_view chain_id) {
  if (proof.changes.size() > kMaxEpochChangesPerProof) {
    return core::reject(core::Reject::kTooLarge,
                        std::to_string(proof.changes.size()) + " epoch changes in one proof");
  }
  const ValidatorSet* current = &trusted;
  for (std::size_t k = 0; k < proof.changes.size(); ++k) {
    const EpochChange& change = proof.changes[k];
    const std::string where = "epoch change " + std::to_string(k) + ": ";
    auto fail = [&where](const core::Rejection& r) {
      return core::reject(r.reason, where + r.detail);
    };
    if (change.header.epoch != current->epoch) {
      return core::reject(core::Reject::kWrongEpoch,
                          where + "ends epoch " + std::to_string(change.header.epoch) +
                              ", expected epoch " + std::to_string(current->epoch));
    }
    if (!change.header.ends_epoch()) {
      return core::reject(core::Reject::kInvalid, where + "header at height " +
                                                      std::to_string(change.header.height) +
                                                      " does not end its epoch");
    }
    if (core::Verdict v =
            verify_committed_header(change.header, change.commit_certificate, *current, chain_id);
        !v) {
      return fail(v.rejection());
    }
    const ValidatorSet& next = change.next_set;
    if (next.epoch != current->epoch + 1) {
      return core::reject(core::Reject::kWrongEpoch,
                          where + "next set has epoch " + std::to_string(next.epoch) +
                              ", expected " + std::to_string(current->epoch + 1));
    }
    if (next.hash() != change.header.next_validator_set_hash) {
      return core::reject(core::Reject::kBadProof,
                          where + "next set does not match the header's next_validator_set_hash");
    }
    if (core::Verdict v = next.validate(); !v) return fail(v.rejection());
    current = &next;
  }
  return *current;
}

}  // namespace bauhinia::chain
