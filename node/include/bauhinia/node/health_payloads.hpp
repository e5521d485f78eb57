#pragma once
// The node's health payload service: the rules of POST /v1/health/payloads
// (an issuer uploads a record's payload) and POST /v1/health/payloads/{record}/
// release (a provider, naming its committed record_access, gets the payload),
// and erasure on commit (docs/api/README.md, "Health payloads";
// docs/contracts/health.md). Every decision reads the latest committed state of
// the ledger; nothing here writes to the chain.
//
// Thread safety: upload and release run on API threads, after_commit and
// sweep on the node's core thread; the store serialises what they share.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "bauhinia/contracts/health/records.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/node/health_payload_store.hpp"

namespace bauhinia::node {

struct HealthPayloadLimits {
  std::size_t max_payload_bytes = 64U << 10;  // record bytes per upload
  std::uint64_t request_window_ms = 120'000;  // |now - timestamp| of a signed request
};

struct PayloadUpload {
  core::Hash256 record_id;
  core::AccountId issuer;
  std::uint64_t timestamp_ms = 0;
  core::schnorr::Signature signature;  // over health::upload_challenge(...)
  HealthPayload payload;
};

struct PayloadRelease {
  core::Hash256 record_id;
  core::Hash256 access_id;
  core::AccountId provider;
  std::uint64_t timestamp_ms = 0;
  core::schnorr::Signature signature;  // over health::release_challenge(...)
};

// A refusal: the HTTP status, a stable code and a message.
struct PayloadRefusal {
  unsigned status = 403;
  std::string code;
  std::string message;
};

struct UploadResult {
  bool stored = false;  // false: the node already held this record's payload
};

struct ReleaseResult {
  HealthPayload payload;
  contracts::health::AccessEntry access;
  std::uint64_t height = 0;  // the committed state the decision read
};

template <class T>
using PayloadAnswer = core::Expected<T, PayloadRefusal>;

class HealthPayloads {
 public:
  // `ledger` and `store` must outlive the service. `now_ms`: the node's clock.
  // `admit`: the API admission budget (nullopt: admitted; else the seconds a
  // client should wait), asked once per request before any work.
  HealthPayloads(const ledger::LedgerStore& ledger, HealthPayloadStore& store,
                 HealthPayloadLimits limits, std::function<std::uint64_t()> now_ms,
                 std::function<std::optional<std::uint32_t>()> admit = {});

  PayloadAnswer<UploadResult> upload(const PayloadUpload& request);
  PayloadAnswer<ReleaseResult> release(const PayloadRelease& request);

  // After blocks commit: destroys the payload of every record a committed
  // `erase` in these blocks (their encoded transactions) erased on chain.
  core::Status after_commit(std::span<const core::Bytes> transactions);
  // Destroys the payload of every held record that is erased on chain (on
  // open: an erasure committed while the node was down or before a crash).
  core::Status sweep();

  const HealthPayloadLimits& limits() const noexcept { return limits_; }

 private:
  std::optional<PayloadRefusal> check_signer(const core::AccountId& account,
                                             const core::Hash256& challenge,
                                             const core::schnorr::Signature& signature,
                                             std::uint64_t timestamp_ms) const;
  core::Status destroy_if_erased(const core::Hash256& record_id);

  const ledger::LedgerStore* ledger_;
  HealthPayloadStore* store_;
  HealthPayloadLimits limits_;
  std::function<std::uint64_t()> now_ms_;
  std::function<std::optional<std::uint32_t>()> admit_;
};

}  // namespace bauhinia::node
