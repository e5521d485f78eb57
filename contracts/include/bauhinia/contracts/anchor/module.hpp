#pragma once
// The anchor module: any department anchors the hash of a document its
// e-government service issued (a licence, a certificate, a notice) and may
// revoke it; anyone verifies a document by its hash with a state proof
// (docs/contracts/anchor.md).
//
// Records of module "anchor" (record key = kind byte || ...):
//   0x01 || u64 id (big-endian)                       AnchorRecord
//   0x02 || department || 0x00 || type || 0x00 || hash   AnchorRef (one anchor per
//                                                      department, type and hash)
//   0x03                                             AnchorCounter (the next id)
// Index lists (kinds 0xF0..0xF2): "hash/" + 32 hash bytes, "issuer/" + department.
//
// Calls:
//   anchor(AnchorArgs)   an account holding anchor.issuer granted by that department
//   revoke(RevokeArgs)   an anchor.issuer of the anchor's department

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bauhinia/contracts/module.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::contracts::anchor {

inline constexpr std::string_view kModuleName = "anchor";
inline constexpr std::string_view kIssuerRole = "anchor.issuer";
inline constexpr std::uint8_t kAnchorKind = 0x01;
inline constexpr std::uint8_t kRefKind = 0x02;
inline constexpr std::uint8_t kCounterKind = 0x03;

inline constexpr std::size_t kMaxDocumentTypeSize = 64;
inline constexpr std::size_t kMaxReferenceSize = 128;
inline constexpr std::size_t kMaxReasonSize = 256;

enum class AnchorStatus : std::uint8_t { kActive = 0, kRevoked = 1 };

struct AnchorRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::uint64_t id = 0;
  std::string department;     // the issuing department's code
  std::string document_type;  // e.g. "eia.permit", "health.certificate"
  std::string reference;      // the document's own reference number
  core::Hash256 document_hash;
  core::AccountId issuer;  // the account that anchored it
  std::uint64_t anchored_ms = 0;
  std::uint64_t anchored_height = 0;
  AnchorStatus status = AnchorStatus::kActive;
  std::uint64_t revoked_ms = 0;  // 0 while active
  core::AccountId revoked_by;
  std::string revocation_reason;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.id);
    c.string(s.department, system::kMaxDepartmentCodeSize, "department");
    c.string(s.document_type, kMaxDocumentTypeSize, "document_type");
    c.string(s.reference, kMaxReferenceSize, "reference");
    c.fixed(s.document_hash);
    c.fixed(s.issuer.bytes);
    c.u64(s.anchored_ms);
    c.u64(s.anchored_height);
    c.enumeration(s.status, AnchorStatus::kRevoked);
    c.u64(s.revoked_ms);
    c.fixed(s.revoked_by.bytes);
    c.string(s.revocation_reason, kMaxReasonSize, "revocation_reason");
  }
  friend bool operator==(const AnchorRecord&, const AnchorRecord&) = default;
};

struct AnchorRef {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::uint64_t id = 0;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.id);
  }
};

struct AnchorCounter {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::uint64_t next_id = 1;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.next_id);
  }
};

struct AnchorArgs {
  std::string department;
  std::string document_type;  // [a-z0-9._-], 1-64
  std::string reference;      // printable UTF-8, 1-128 bytes
  core::Hash256 document_hash;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.department, system::kMaxDepartmentCodeSize, "department");
    c.string(s.document_type, kMaxDocumentTypeSize, "document_type");
    c.string(s.reference, kMaxReferenceSize, "reference");
    c.fixed(s.document_hash);
  }
};

struct RevokeArgs {
  std::uint64_t id = 0;
  std::string reason;  // printable UTF-8, 1-256 bytes
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u64(s.id);
    c.string(s.reason, kMaxReasonSize, "reason");
  }
};

Bytes anchor_key(std::uint64_t id);
Bytes ref_key(std::string_view department, std::string_view type, const core::Hash256& hash);
Bytes counter_key();
Bytes hash_list_name(const core::Hash256& hash);
Bytes issuer_list_name(std::string_view department);

class AnchorModule final : public Module {
 public:
  std::string_view name() const override { return kModuleName; }
  core::Verdict check(const CallContext& call, const StateView& state) const override;
  CallResult apply(CallContext& call, StateView& state) const override;
  // anchor/<id>, by_hash/<64 hex>[/page], by_issuer/<department>[/page].
  core::Checked<QueryAnswer> query(std::string_view path, const StateView& state) const override;
};

}  // namespace bauhinia::contracts::anchor
