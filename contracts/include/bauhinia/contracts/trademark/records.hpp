#pragma once
// The trade mark register's records (module "trademark", docs/contracts/trademark.md).
//
// Record keys (kind byte first):
//   0x01 || number (ASCII, 9 or 11 bytes)          MarkRecord
//   0x02 || base number (9 bytes)                  FamilyRecord (next divisional suffix)
//   0x03 || number || u32 index (big-endian)       HistoryRecord (a recorded transaction)
//   0xF0..0xF2                                      index lists (index_list.hpp):
//     "o" || owner account id   marks of an owner (any status)
//     "s" || status name        marks in a status
//     "e" || "yyyy-mm"          registered marks expiring in that (Hong Kong) month

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/contracts/trademark/number.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::contracts::trademark {

using core::Bytes;
using core::ByteView;

inline constexpr std::string_view kModuleName = "trademark";
inline constexpr std::string_view kRegistrarRole = "trademark.registrar";

inline constexpr std::uint8_t kMarkKind = 0x01;
inline constexpr std::uint8_t kFamilyKind = 0x02;
inline constexpr std::uint8_t kHistoryKind = 0x03;

// ---- Limits (every field is bounded) ----------------------------------------
inline constexpr std::size_t kMaxMarkTextSize = 512;  // bytes of UTF-8, each language
inline constexpr std::size_t kMaxNameSize = 256;      // a party's name, each language
inline constexpr std::size_t kMaxCrNumberSize = 16;
inline constexpr std::size_t kMaxClasses = 45;
inline constexpr std::size_t kMaxItemsPerClass = 32;  // goods/services items of one class
inline constexpr std::size_t kMaxItemSize = 256;
inline constexpr std::size_t kMaxSpecificationSize = 16'384;  // all items' bytes together
inline constexpr std::size_t kMaxChildren = 64;  // divisional registrations split off one mark
inline constexpr std::uint8_t kMinNiceClass = 1;
inline constexpr std::uint8_t kMaxNiceClass = 45;

enum class Status : std::uint8_t {
  kFiled,
  kExamination,
  kAccepted,
  kPublished,  // in the HK IP Journal; the opposition window runs
  kOpposed,
  kRegistered,
  kRefused,
  kWithdrawn,
  kRemoved,  // not renewed within the grace after expiry
  kRevoked,
  kInvalidated,
};
inline constexpr Status kLastStatus = Status::kInvalidated;
std::string_view status_name(Status s) noexcept;
std::optional<Status> status_from_name(std::string_view name) noexcept;
// Filed, examination, accepted, published, opposed or registered: a mark
// that can be owned, assigned and licensed.
bool is_live(Status s) noexcept;

// The ground of a refusal, revocation or invalidation.
enum class Ground : std::uint8_t {
  kNone,
  kAbsolute,          // s.11: absolute grounds for refusal
  kRelative,          // s.12: earlier marks and rights
  kBadFaith,          // s.11(5)(b)
  kOppositionUpheld,  // s.44: an opposition succeeded
  kNonUse,            // s.52(2)(a),(b): no genuine use for 3 years
  kGenericName,       // s.52(2)(c): became the common name of the goods/services
  kMisleading,        // s.52(2)(d): liable to mislead the public
};
inline constexpr Ground kLastGround = Ground::kMisleading;
std::string_view ground_name(Ground g) noexcept;

// An owner, applicant, assignee, licensee or security holder.
struct Party {
  core::AccountId account;  // the ledger account acting for the party
  std::string name_en;      // at least one name
  std::string name_zh;
  std::string cr_number;  // a company's CR number; empty: not a company

  bool is_company() const noexcept { return !cr_number.empty(); }

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.account.bytes);
    c.string(s.name_en, kMaxNameSize, "name_en");
    c.string(s.name_zh, kMaxNameSize, "name_zh");
    c.string(s.cr_number, kMaxCrNumberSize, "cr_number");
  }
  friend bool operator==(const Party&, const Party&) = default;
};

// One Nice class and its goods/services items ("computer software; cloud
// computing" is two items).
struct ClassSpec {
  std::uint8_t nice_class = 0;
  std::vector<std::string> items;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.nice_class);
    c.sequence(s.items, kMaxItemsPerClass, "items",
               [](auto& cc, auto& item) { cc.string(item, kMaxItemSize, "item"); });
  }
  friend bool operator==(const ClassSpec&, const ClassSpec&) = default;
};

struct MarkRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string number;
  std::string text_en;
  std::string text_zh;
  std::optional<core::Hash256> image_hash;  // SHA-256 of the mark's image, if any
  Party owner;
  std::vector<ClassSpec> classes;  // strictly increasing classes
  std::uint64_t filing_date_ms = 0;
  Status status = Status::kFiled;
  std::uint64_t status_changed_ms = 0;       // block time of the last status change
  std::uint64_t published_ms = 0;            // 0: not published
  std::uint64_t opposition_deadline_ms = 0;  // end (exclusive) of the opposition window
  bool opposition_extended = false;
  std::uint64_t registration_date_ms = 0;  // = filing date once registered
  std::uint64_t entered_ms = 0;            // block time the registration was entered
  std::uint64_t expiry_ms = 0;             // 0 until registered
  std::uint32_t renewals = 0;
  bool last_renewal_late = false;
  std::uint64_t removed_ms = 0;
  Ground ground = Ground::kNone;      // of a refusal, revocation or invalidation
  std::string parent;                 // the mark this one was split from
  std::vector<std::string> children;  // marks split off this one
  std::uint32_t history_size = 0;     // HistoryRecords 0..history_size-1
  std::uint64_t filed_height = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.number, kMaxNumberSize, "number");
    c.string(s.text_en, kMaxMarkTextSize, "text_en");
    c.string(s.text_zh, kMaxMarkTextSize, "text_zh");
    c.optional(s.image_hash, [](auto& cc, auto& h) { cc.fixed(h); });
    c.object(s.owner);
    c.sequence(s.classes, kMaxClasses, "classes");
    c.u64(s.filing_date_ms);
    c.enumeration(s.status, kLastStatus);
    c.u64(s.status_changed_ms);
    c.u64(s.published_ms);
    c.u64(s.opposition_deadline_ms);
    c.boolean(s.opposition_extended);
    c.u64(s.registration_date_ms);
    c.u64(s.entered_ms);
    c.u64(s.expiry_ms);
    c.u32(s.renewals);
    c.boolean(s.last_renewal_late);
    c.u64(s.removed_ms);
    c.enumeration(s.ground, kLastGround);
    c.string(s.parent, kMaxNumberSize, "parent");
    c.sequence(s.children, kMaxChildren, "children",
               [](auto& cc, auto& n) { cc.string(n, kMaxNumberSize, "child"); });
    c.u32(s.history_size);
    c.u64(s.filed_height);
  }
  friend bool operator==(const MarkRecord&, const MarkRecord&) = default;
};

// Per family (base number): the next divisional suffix to issue.
struct FamilyRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::uint32_t next_suffix = 0;  // index for suffix_of()

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u32(s.next_suffix);
  }
};

// A registrable transaction (s.29) recorded against a mark.
enum class TransactionKind : std::uint8_t {
  kAssignment,         // the whole mark to the assignee
  kPartialAssignment,  // some classes/items to the assignee, as a new registration (related)
  kSplitFrom,          // the new registration's origin: the partial assignment in `related`
  kLicence,
  kSecurityInterest,
  kMigration,  // the mark taken over from the legacy register (register_existing), index 0
};
inline constexpr TransactionKind kLastTransactionKind = TransactionKind::kMigration;
std::string_view transaction_kind_name(TransactionKind k) noexcept;

struct HistoryRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::uint32_t index = 0;
  TransactionKind kind = TransactionKind::kAssignment;
  core::Hash256 transaction_id;
  std::uint64_t height = 0;
  std::uint64_t entry_ms = 0;       // date of entry in the register (block time)
  std::uint64_t effective_ms = 0;   // date of the assignment / licence start / charge
  Party from;                       // the owner who granted it (assignor, licensor, chargor)
  Party to;                         // assignee, licensee or security holder
  std::vector<ClassSpec> scope;     // empty: the whole mark
  bool with_goodwill = false;       // assignments
  bool exclusive = false;           // licences
  std::uint64_t end_ms = 0;         // licences: end of the term, 0 = none
  std::string related;              // the other registration of a partial assignment
  std::uint32_t related_index = 0;  // split_from: the partial assignment's index in `related`
  core::Hash256 deed_hash;          // SHA-256 of the deed; the deed itself stays off the ledger

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u32(s.index);
    c.enumeration(s.kind, kLastTransactionKind);
    c.fixed(s.transaction_id);
    c.u64(s.height);
    c.u64(s.entry_ms);
    c.u64(s.effective_ms);
    c.object(s.from);
    c.object(s.to);
    c.sequence(s.scope, kMaxClasses, "scope");
    c.boolean(s.with_goodwill);
    c.boolean(s.exclusive);
    c.u64(s.end_ms);
    c.string(s.related, kMaxNumberSize, "related");
    c.u32(s.related_index);
    c.fixed(s.deed_hash);
  }
  friend bool operator==(const HistoryRecord&, const HistoryRecord&) = default;
};

Bytes mark_key(std::string_view number);
Bytes family_key(std::string_view base);
Bytes history_key(std::string_view number, std::uint32_t index);

// ---- Events (Event::data is the canonical encoding) ---------------------------

struct FiledEvent {  // "filed", "migrated"
  std::string number;
  core::AccountId owner;
  std::uint64_t filing_date_ms = 0;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberSize, "number");
    c.fixed(s.owner.bytes);
    c.u64(s.filing_date_ms);
  }
};

struct StatusChangedEvent {  // "status_changed"
  std::string number;
  Status from = Status::kFiled;
  Status to = Status::kFiled;
  Ground ground = Ground::kNone;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberSize, "number");
    c.enumeration(s.from, kLastStatus);
    c.enumeration(s.to, kLastStatus);
    c.enumeration(s.ground, kLastGround);
  }
};

struct DeadlineEvent {  // "opposition_extended", "renewed" (deadline = new expiry), "restored"
  std::string number;
  std::uint64_t deadline_ms = 0;
  bool late = false;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberSize, "number");
    c.u64(s.deadline_ms);
    c.boolean(s.late);
  }
};

struct TransactionRecordedEvent {  // "assigned", "partially_assigned", "licence_recorded",
                                   // "security_interest_recorded"
  std::string number;
  std::uint32_t index = 0;
  core::AccountId to;
  std::string related;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberSize, "number");
    c.u32(s.index);
    c.fixed(s.to.bytes);
    c.string(s.related, kMaxNumberSize, "related");
  }
};

}  // namespace bauhinia::contracts::trademark
