// HealthPayloads: upload, release and erasure against the committed state.

#include "bauhinia/node/health_payloads.hpp"

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/health/module.hpp"
#include "bauhinia/contracts/health/payload_auth.hpp"
#include "bauhinia/contracts/state_view.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/node/api_ledger_backend.hpp"

namespace bauhinia::node {

namespace health = contracts::health;

namespace {

PayloadRefusal refuse(unsigned status, std::string code, std::string message) {
  return PayloadRefusal{status, std::move(code), std::move(message)};
}

PayloadRefusal internal(const core::Status& s) {
  return refuse(500, "internal", s.to_string());
}

// The committed state at the latest height, read through the contracts'
// StateView (so the module's own loaders apply).
struct Committed {
  explicit Committed(const ledger::LedgerStore& ledger)
      : height(ledger.latest_height()),
        reader(ledger, height),
        overlay(reader),
        view(std::string(health::kModuleName), overlay) {}
  std::uint64_t height;
  LedgerVersionReader reader;
  contracts::StateOverlay overlay;
  contracts::OverlayStateView view;
};

std::string short_hex(const core::Hash256& h) {
  return h.to_hex().substr(0, 16);
}

}  // namespace

HealthPayloads::HealthPayloads(const ledger::LedgerStore& ledger, HealthPayloadStore& store,
                               HealthPayloadLimits limits, std::function<std::uint64_t()> now_ms,
                               std::function<std::optional<std::uint32_t>()> admit)
    : ledger_(&ledger),
      store_(&store),
      limits_(limits),
      now_ms_(std::move(now_ms)),
      admit_(std::move(admit)) {}

std::optional<PayloadRefusal> HealthPayloads::check_signer(
    const core::AccountId& account, const core::Hash256& challenge,
    const core::schnorr::Signature& signature, std::uint64_t timestamp_ms) const {
  const std::uint64_t now = now_ms_();
  const std::uint64_t skew = now > timestamp_ms ? now - timestamp_ms : timestamp_ms - now;
  if (skew > limits_.request_window_ms) {
    return refuse(401, "stale_request",
                  "the request's timestamp_ms is " + std::to_string(skew) +
                      " ms from this node's clock; at most " +
                      std::to_string(limits_.request_window_ms) + " ms");
  }
  const LedgerVersionReader reader(*ledger_, ledger_->latest_height());
  auto record = contracts::accounts::load_account(reader, account);
  if (!record) return internal(record.error());
  if (!*record) {
    return refuse(401, "unknown_account",
                  "account " + account.to_hex().substr(0, 16) + " has no key on chain");
  }
  if (!core::schnorr::verify((*record)->key, challenge.view(), signature)) {
    return refuse(401, "bad_signature",
                  "the signature does not verify with the account's current key");
  }
  return std::nullopt;
}

PayloadAnswer<UploadResult> HealthPayloads::upload(const PayloadUpload& r) {
  if (admit_) {
    if (auto wait = admit_()) {
      return refuse(429, "overloaded", "retry after " + std::to_string(*wait) + " s");
    }
  }
  if (r.payload.record.size() > limits_.max_payload_bytes) {
    return refuse(
        413, "payload_too_large",
        "a record payload is at most " + std::to_string(limits_.max_payload_bytes) + " bytes");
  }
  const health::UploadTerms terms{r.record_id, core::sha256(r.payload.record)};
  const auto challenge =
      health::upload_challenge(ledger_->chain_id(), r.issuer, r.timestamp_ms, terms).hash();
  if (auto no = check_signer(r.issuer, challenge, r.signature, r.timestamp_ms)) return *no;
  Committed state(*ledger_);
  auto record = health::load_record(state.view, r.record_id);
  if (!state.view.status()) return internal(state.view.status());
  if (!record) {
    return refuse(404, "record_not_found",
                  "no committed health record " + short_hex(r.record_id) +
                      " (upload after the issue transaction commits)");
  }
  if (record->issuer != r.issuer) {
    return refuse(403, "not_record_issuer", "the record was issued by another facility");
  }
  auto erased = store_->is_erased(r.record_id);
  if (!erased) return internal(erased.error());
  if (record->erased || *erased) {
    return refuse(410, "erased", "record " + short_hex(r.record_id) + " is erased");
  }
  if (!health::opens(*record, r.payload.salt, r.payload.record)) {
    return refuse(422, "commitment_mismatch",
                  "the salt and record bytes do not open the record's commitment on chain");
  }
  auto stored = store_->put(r.record_id, r.payload);
  if (!stored) {
    if (stored.error().code() == core::StatusCode::kInvalidArgument) {
      return refuse(410, "erased", stored.error().message());
    }
    return internal(stored.error());
  }
  return UploadResult{*stored};
}

PayloadAnswer<ReleaseResult> HealthPayloads::release(const PayloadRelease& r) {
  if (admit_) {
    if (auto wait = admit_()) {
      return refuse(429, "overloaded", "retry after " + std::to_string(*wait) + " s");
    }
  }
  const health::ReleaseTerms terms{r.record_id, r.access_id};
  const auto challenge =
      health::release_challenge(ledger_->chain_id(), r.provider, r.timestamp_ms, terms).hash();
  if (auto no = check_signer(r.provider, challenge, r.signature, r.timestamp_ms)) return *no;
  Committed state(*ledger_);
  auto record = health::load_record(state.view, r.record_id);
  auto access = health::load_access(state.view, r.access_id);
  if (!state.view.status()) return internal(state.view.status());
  if (!record) return refuse(404, "record_not_found", "no health record " + short_hex(r.record_id));
  auto erased = store_->is_erased(r.record_id);
  if (!erased) return internal(erased.error());
  if (record->erased || *erased) {
    return refuse(410, "erased",
                  "record " + short_hex(r.record_id) + " is erased: its payload is destroyed");
  }
  if (!access) {
    return refuse(
        404, "access_not_found",
        "no committed record_access " + short_hex(r.access_id) + " (release after it commits)");
  }
  if (access->record_id != r.record_id || access->provider != r.provider) {
    return refuse(
        403, "not_your_access",
        "access " + short_hex(r.access_id) + " is not this provider's access to " + "this record");
  }
  const std::uint64_t now = now_ms_();
  const auto window = contracts::system::read_parameter(state.view, health::kReleaseWindowMs);
  if (!window) return internal(core::Status::internal("health.release_window_ms is not set"));
  if (now > access->accessed_ms && now - access->accessed_ms > *window) {
    return refuse(403, "access_expired",
                  "access " + short_hex(r.access_id) + " was logged more than " +
                      std::to_string(*window) + " ms ago; log a new access");
  }
  auto consent = health::load_consent(state.view, access->consent_id);
  if (!consent) return refuse(403, "consent_not_found", "the access's consent is gone");
  if (!contracts::system::has_role(state.view, r.provider, health::kProviderRole)) {
    return refuse(403, "not_provider", "the account no longer holds health.provider");
  }
  if (auto no = health::consent_refusal(*consent, *record, r.provider, now)) {
    return refuse(403, no->reason, no->detail);
  }
  if (!state.view.status()) return internal(state.view.status());
  auto payload = store_->get(r.record_id);
  if (!payload) return internal(payload.error());
  if (!*payload) {
    return refuse(404, "no_payload",
                  "this node holds no payload of record " + short_hex(r.record_id));
  }
  auto first = store_->mark_released(r.access_id);
  if (!first) return internal(first.error());
  if (!*first) {
    return refuse(409, "already_released",
                  "access " + short_hex(r.access_id) +
                      " was already used for a release on this node; log a new access");
  }
  return ReleaseResult{std::move(**payload), *access, state.height};
}

core::Status HealthPayloads::destroy_if_erased(const core::Hash256& record_id) {
  Committed state(*ledger_);
  auto record = health::load_record(state.view, record_id);
  if (!state.view.status()) return state.view.status();
  if (record && record->erased) return store_->destroy(record_id);
  return core::Status::ok();
}

core::Status HealthPayloads::after_commit(std::span<const core::Bytes> transactions) {
  for (const core::Bytes& bytes : transactions) {
    auto tx = core::decode<chain::Transaction>(bytes);
    if (!tx || tx->module != health::kModuleName || tx->call != "erase") continue;
    auto args = core::decode<health::RecordArgs>(tx->payload);
    if (!args) continue;
    if (auto s = destroy_if_erased(args->record_id); !s) return s;
  }
  return core::Status::ok();
}

core::Status HealthPayloads::sweep() {
  auto held = store_->records_with_keys();
  if (!held) return std::move(held).error();
  for (const core::Hash256& id : *held) {
    if (auto s = destroy_if_erased(id); !s) return s;
  }
  return core::Status::ok();
}

}  // namespace bauhinia::node
