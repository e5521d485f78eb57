#include "bauhinia/sim/certificate_checker.hpp"

namespace bauhinia::sim {

void CertificateChecker::remember(const core::Hash256& digest) {
  if (verified_.size() >= kMaxVerifiedCertificates) verified_.clear();
  verified_.insert(digest);
}

const consensus::EpochContext* CertificateChecker::context(consensus::Epoch epoch) const {
  auto it = epochs_.find(epoch);
  return it == epochs_.end() ? nullptr : &it->second;
}

bool CertificateChecker::ok(const consensus::QuorumCert& qc) {
  const core::Hash256 digest = core::sha256(core::encode(qc));
  if (verified_.contains(digest)) return true;
  const auto* ctx = context(qc.epoch());
  if (ctx == nullptr || !consensus::verify_qc(qc, *ctx).ok()) return false;
  remember(digest);
  return true;
}

bool CertificateChecker::ok(const consensus::TimeoutCertificate& tc) {
  const core::Hash256 digest = core::sha256(core::encode(tc));
  if (verified_.contains(digest)) return true;
  const auto* ctx = context(tc.epoch);
  if (ctx == nullptr || !consensus::verify_tc(tc, *ctx).ok()) return false;
  remember(digest);
  return true;
}

std::optional<std::string> CertificateChecker::check(const consensus::Message& message) {
  if (const auto* p = std::get_if<consensus::Proposal>(&message)) {
    if (!ok(p->qc)) return "proposal QC";
    if (p->tc && !ok(*p->tc)) return "proposal TC";
  } else if (const auto* t = std::get_if<consensus::TimeoutMessage>(&message)) {
    if (!ok(t->high_qc)) return "timeout high QC";
    if (t->last_tc && !ok(*t->last_tc)) return "timeout TC";
  }
  return std::nullopt;
}

}  // namespace bauhinia::sim
