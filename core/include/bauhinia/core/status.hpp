#pragma once
// Three kinds of failure, three mechanisms:
//  - a bug is BAUHINIA_ASSERT (assert.hpp), on in every build;
//  - invalid input from a peer, client, file or user is a Rejection with a
//    typed reason, returned as Checked<T>; never an exception, never a crash;
//  - a local operational failure (disk, I/O, corruption) is a Status, returned
//    as Result<T>.
// Both are [[nodiscard]]; success carries no message and costs no allocation.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "bauhinia/core/assert.hpp"

namespace bauhinia::core {

// Why input was rejected. Stable: the names appear in API errors and logs.
enum class Reject : std::uint8_t {
  kTruncated,        // input ended before the value did
  kTrailingBytes,    // bytes left after a complete value
  kNonCanonical,     // a non-minimal or otherwise non-canonical form
  kTooLarge,         // a length or count beyond the field's declared maximum
  kOutOfRange,       // a value outside its allowed set (enum tag, bool, ...)
  kUnsorted,         // map keys not strictly increasing
  kBadVersion,       // unknown format version
  kBadEncoding,      // malformed text form (hex, address, ...)
  kBadChecksum,      // checksum mismatch
  kWrongPrefix,      // address for another chain or purpose
  kBadKey,           // not a valid public or secret key
  kBadSignature,     // signature does not verify or does not parse
  kBadProof,         // Merkle proof or certificate does not verify
  kInsufficientPower,// certificate signers hold too little voting power
  kUnknownSigner,    // signer outside the validator set
  kDuplicate,        // a repeated element that must be unique
  kInvalid,          // any other semantic check
  kWrongEpoch,       // a certificate, header or set of another epoch than expected
};

std::string_view reject_name(Reject r) noexcept;

struct [[nodiscard]] Rejection {
  Reject reason;
  std::string detail;  // human-readable, names the offending field

  std::string to_string() const;
};

enum class StatusCode : std::uint8_t {
  kOk,
  kIoError,     // the OS or the storage engine failed
  kCorruption,  // stored data fails its checks
  kNotFound,
  kInvalidArgument,
  kUnavailable,
  kInternal,
};

std::string_view status_code_name(StatusCode c) noexcept;

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status ok() { return {}; }
  static Status io_error(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status not_found(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status invalid_argument(std::string msg) {
    return {StatusCode::kInvalidArgument, std::move(msg)};
  }
  static Status unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool is_ok() const noexcept { return code_ == StatusCode::kOk; }
  explicit operator bool() const noexcept { return is_ok(); }
  StatusCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  std::string to_string() const;

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or an error. `value()` on an error (or `error()` on a value) is a
// programmer error and asserts.
template <class T, class E>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Expected(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & {
    BAUHINIA_ASSERT(has_value());
    return std::get<0>(v_);
  }
  const T& value() const& {
    BAUHINIA_ASSERT(has_value());
    return std::get<0>(v_);
  }
  T&& value() && {
    BAUHINIA_ASSERT(has_value());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const E& error() const& {
    BAUHINIA_ASSERT(!has_value());
    return std::get<1>(v_);
  }
  E&& error() && {
    BAUHINIA_ASSERT(!has_value());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, E> v_;
};

template <class T>
using Result = Expected<T, Status>;  // operational failures
template <class T>
using Checked = Expected<T, Rejection>;  // invalid input

// A Checked<void>: either fine or rejected.
class [[nodiscard]] Verdict {
 public:
  Verdict() = default;
  Verdict(Rejection r) : rejection_(std::move(r)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  static Verdict accept() { return {}; }
  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Rejection& rejection() const {
    BAUHINIA_ASSERT(!ok_);
    return rejection_;
  }

 private:
  Rejection rejection_{Reject::kInvalid, {}};
  bool ok_ = true;
};

inline Rejection reject(Reject reason, std::string detail) {
  return Rejection{reason, std::move(detail)};
}

}  // namespace bauhinia::core
