#include "bauhinia/core/status.hpp"

namespace bauhinia::core {

std::string_view reject_name(Reject r) noexcept {
  switch (r) {
    case Reject::kTruncated: return "truncated";
    case Reject::kTrailingBytes: return "trailing_bytes";
    case Reject::kNonCanonical: return "non_canonical";
    case Reject::kTooLarge: return "too_large";
    case Reject::kOutOfRange: return "out_of_range";
    case Reject::kUnsorted: return "unsorted";
    case Reject::kBadVersion: return "bad_version";
    case Reject::kBadEncoding: return "bad_encoding";
    case Reject::kBadChecksum: return "bad_checksum";
    case Reject::kWrongPrefix: return "wrong_prefix";
    case Reject::kBadKey: return "bad_key";
    case Reject::kBadSignature: return "bad_signature";
    case Reject::kBadProof: return "bad_proof";
    case Reject::kInsufficientPower: return "insufficient_power";
    case Reject::kUnknownSigner: return "unknown_signer";
    case Reject::kDuplicate: return "duplicate";
    case Reject::kInvalid: return "invalid";
    case Reject::kWrongEpoch: return "wrong_epoch";
  }
  return "unknown";
}

std::string Rejection::to_string() const {
  std::string s(reject_name(reason));
  if (!detail.empty()) {
    s += ": ";
    s += detail;
  }
  return s;
}

std::string_view status_code_name(StatusCode c) noexcept {
  switch (c) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kIoError: return "io_error";
    case StatusCode::kCorruption: return "corruption";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kInternal: return "internal";
  }
  return "unknown";
}

std::string Status::to_string() const {
  std::string s(status_code_name(code_));
  if (!message_.empty()) {
    s += ": ";
    s += message_;
  }
  return s;
}

}  // namespace bauhinia::core
