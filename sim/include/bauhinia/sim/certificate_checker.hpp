#pragma once
// The certificate checker: every QC and TC an honest replica sends (in its
// proposals and timeouts) must verify against the epoch's validator set. An
// honest replica relays only certificates it verified itself, so one that does
// not verify means the replica accepted a forgery (for example a certificate
// that counts one signer several times). Verified certificates are cached by
// digest, so each is checked once.

#include <map>
#include <optional>
#include <set>
#include <string>

#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/messages.hpp"

namespace bauhinia::sim {

inline constexpr std::size_t kMaxVerifiedCertificates = 4096;

class CertificateChecker {
 public:
  explicit CertificateChecker(consensus::EpochContext epoch) { add_epoch(std::move(epoch)); }
  // Another epoch's context (an epoch change): certificates are checked
  // against the set of their own epoch; one of an unknown epoch fails.
  void add_epoch(consensus::EpochContext epoch) {
    const consensus::Epoch e = epoch.epoch();
    epochs_.insert_or_assign(e, std::move(epoch));
  }

  // nullopt when every certificate in `message` verifies; else which one fails.
  std::optional<std::string> check(const consensus::Message& message);

 private:
  bool ok(const consensus::QuorumCert& qc);
  bool ok(const consensus::TimeoutCertificate& tc);
  void remember(const core::Hash256& digest);

  const consensus::EpochContext* context(consensus::Epoch epoch) const;
  std::map<consensus::Epoch, consensus::EpochContext> epochs_;
  std::set<core::Hash256> verified_;
};

}  // namespace bauhinia::sim
