#pragma once
// Health records of the Department of Health: salted commitments anchored by
// issuing facilities, patient consents to named providers, the access log,
// revocation and erasure (crypto-shredding of the off-chain payload, which
// the nodes keep: node/health_payloads.hpp). docs/contracts/health.md is the
// officer's guide; calls.hpp the payloads; records.hpp the records.

#include <span>
#include <string_view>

#include "bauhinia/contracts/health/calls.hpp"
#include "bauhinia/contracts/health/records.hpp"
#include "bauhinia/contracts/module.hpp"

namespace bauhinia::contracts::health {

// Chain parameters (read at execution with system::read_parameter; the
// release window also by the nodes' payload API).
inline constexpr std::string_view kMaxConsentDays = "health.max_consent_days";
inline constexpr std::string_view kReleaseWindowMs = "health.release_window_ms";

// Whether `consent` lets `provider` read `record` at time `now_ms` (nullopt)
// or the typed reason why not (consent_not_for_provider, consent_other_patient,
// wrong_record_type, consent_withdrawn, consent_expired, record_revoked,
// record_erased). The one rule record_access and the payload release share.
std::optional<CallResult> consent_refusal(const Consent& consent, const HealthRecord& record,
                                          const core::AccountId& provider, std::uint64_t now_ms);

// The stored record, consent or access entry (nullopt: absent or corrupt).
std::optional<HealthRecord> load_record(const StateView& state, const core::Hash256& id);
std::optional<Consent> load_consent(const StateView& state, const core::Hash256& id);
std::optional<AccessEntry> load_access(const StateView& state, const core::Hash256& id);

class HealthModule final : public Module {
 public:
  std::string_view name() const override { return kModuleName; }
  // Runs the whole call against a scratch copy of the state (check_by_applying).
  core::Verdict check(const CallContext& call, const StateView& state) const override;
  CallResult apply(CallContext& call, StateView& state) const override;
  // record/<id>, verify/<commitment>, consent/<id>, access/<id>,
  // record/<id>/accesses[/page], patient/<account>/{records,consents,accesses}[/page],
  // provider/<account>/consents[/page], issuer/<account>/records[/page]
  // (ids, commitments and accounts in hex).
  core::Checked<QueryAnswer> query(std::string_view path, const StateView& state) const override;
  std::span<const ParameterSpec> parameters() const override;
};

}  // namespace bauhinia::contracts::health
