#pragma once
// How a node's payload API (docs/api/README.md, "Health payloads") knows who
// is asking: the issuer uploading a record's payload and the provider asking
// for its release each sign a co-signature challenge (cosignature.hpp) for an
// off-chain call of the health module:
//   chain_id, module "health", call "payload_upload" | "payload_release",
//   sender = the signing account, sequence = the request's timestamp (Unix ms),
//   terms_hash = sha256(encode(UploadTerms | ReleaseTerms))
// BIP-340 over its tagged hash (kCosignature). The two call names are not
// calls of the module (a transaction naming them is refused, unknown_call), so
// such a signature never co-signs a transaction, and a transaction's
// co-signature never authorises a request. The node checks the timestamp
// against its clock (a freshness window) and the account's current key.

#include <cstdint>
#include <string_view>

#include "bauhinia/contracts/cosignature.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/schnorr.hpp"

namespace bauhinia::contracts::health {

inline constexpr std::string_view kUploadCall = "payload_upload";
inline constexpr std::string_view kReleaseCall = "payload_release";

struct UploadTerms {
  core::Hash256 record_id;
  core::Hash256 payload_sha256;  // SHA-256 of the uploaded record bytes
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.record_id);
    c.fixed(s.payload_sha256);
  }
};

struct ReleaseTerms {
  core::Hash256 record_id;
  core::Hash256 access_id;  // the committed record_access transaction
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.record_id);
    c.fixed(s.access_id);
  }
};

CosignChallenge upload_challenge(std::string_view chain_id, const core::AccountId& signer,
                                 std::uint64_t timestamp_ms, const UploadTerms& terms);
CosignChallenge release_challenge(std::string_view chain_id, const core::AccountId& signer,
                                  std::uint64_t timestamp_ms, const ReleaseTerms& terms);

// For clients and tests: the signature over challenge.hash().
core::schnorr::Signature sign_challenge(const CosignChallenge& challenge,
                                        const core::schnorr::SecretKey& key);

}  // namespace bauhinia::contracts::health
