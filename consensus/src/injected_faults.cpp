// The certificate checks as the replica and its safety rules make them, with
// the TEST-ONLY duplicate-signer bug of injected_faults.hpp. With the switch
// off these are verify_qc / verify_tc of certificates.cpp, unchanged.

#include "bauhinia/consensus/certificates.hpp"

namespace bauhinia::consensus {

using core::Reject;
using core::Verdict;

namespace {

// The bug: a signature counts for its slot when it verifies under the key of
// any validator of the set, not only under the key of the slot's validator.
bool signed_by_some_validator(const chain::ValidatorSet& set, const Hash256& message,
                              const core::ed25519::Signature& signature) {
  for (const auto& v : set.validators) {
    if (core::ed25519::verify(v.key, message.view(), signature)) return true;
  }
  return false;
}

bool fails_only_on_a_signature(const Verdict& v) {
  return !v.ok() && v.rejection().reason == Reject::kBadSignature;
}

}  // namespace

Verdict verify_qc(const QuorumCert& qc, const EpochContext& ctx, const InjectedFaults& faults) {
  if (!faults.accept_duplicate_signers) return verify_qc(qc, ctx);
  // Every check but the signatures' passed when the only failure is a
  // signature (chain::verify_quorum checks signatures last).
  Verdict v = verify_qc(qc, ctx);
  if (!fails_only_on_a_signature(v)) return v;
  const Hash256 message = qc.ledger_info().signing_hash();
  for (const auto& signature : qc.certificate.signatures) {
    if (!signed_by_some_validator(ctx.validators, message, signature)) return v;
  }
  return Verdict::accept();
}

Verdict verify_tc(const TimeoutCertificate& tc, const EpochContext& ctx,
                  const InjectedFaults& faults) {
  if (!faults.accept_duplicate_signers) return verify_tc(tc, ctx);
  // verify_tc checks the shape, signers and power first, then the high QC,
  // then each signature: a signature failure means everything else passed.
  Verdict v = verify_tc(tc, ctx);
  if (!fails_only_on_a_signature(v)) return v;
  if (Verdict q = verify_qc(tc.high_qc, ctx, faults); !q) return q;
  TimeoutSigningData data{ctx.chain_id, tc.epoch, tc.round, 0};
  for (std::size_t k = 0; k < tc.signatures.size(); ++k) {
    data.high_qc_round = tc.high_qc_rounds[k];
    if (!signed_by_some_validator(ctx.validators, data.signing_hash(), tc.signatures[k])) return v;
  }
  return Verdict::accept();
}

}  // namespace bauhinia::consensus
