#pragma once
// The company module's records (docs/contracts/company.md): the CR register
// of Hong Kong companies under the Companies Ordinance (Cap. 622).
//
// Records of module "company" (record key = kind byte || ...):
//   0x01 || CR number (canonical text)            CompanyRecord
//   0x02 || normalised name (UTF-8)               NameIndexRecord (one per live name)
//   0x03 || CR number || u32 seq (big-endian)     FilingRecord
//   0x04 || CR number || u32 id (big-endian)      OfficerRecord
// Index lists (index_list.hpp, kinds 0xF0..0xF2):
//   "filings/" + number    the company's filings (members: filing record keys)
//   "officers/" + number   its officers, current and former (officer record keys)
//   "due/" + "yyyy-mm"     companies whose oldest outstanding annual return is
//                          due in that month (company record keys)
//   "status/" + status     companies by status (company record keys)

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bauhinia/contracts/module.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::contracts::company {

inline constexpr std::string_view kModuleName = "company";
inline constexpr std::string_view kRegistrarRole = "company.registrar";

inline constexpr std::uint8_t kCompanyKind = 0x01;
inline constexpr std::uint8_t kNameKind = 0x02;
inline constexpr std::uint8_t kFilingKind = 0x03;
inline constexpr std::uint8_t kOfficerKind = 0x04;

// Field limits (bytes of UTF-8).
inline constexpr std::size_t kMaxNumberInputSize = 16;
inline constexpr std::size_t kMaxNumberSize = 8;  // "F1234567"
inline constexpr std::size_t kMaxNameSize = 256;
inline constexpr std::size_t kMaxOfficeSize = 512;
inline constexpr std::size_t kMaxPersonNameSize = 128;
inline constexpr std::size_t kMaxPartialIdSize = 16;  // "A123***(*)"
inline constexpr std::size_t kMaxAddressSize = 256;
inline constexpr std::size_t kMaxOfficersPerFiling = 16;

// ---- CR numbers ----------------------------------------------------------------

// The canonical CR number of `text`, or why it is not one:
//   - a Hong Kong company: 7 digits, or the 8-digit form of the search
//     pages (a leading 0 then 7 digits); canonical = the 7 digits;
//   - a registered non-Hong Kong company: "F" then 7 digits.
// All-zero numbers are refused.
core::Checked<std::string> canonical_cr_number(std::string_view text);
bool is_valid_cr_number(std::string_view text);

// ---- Dates ------------------------------------------------------------------------

// A civil date in Hong Kong (the payloads' dates). Days are counted from
// 1970-01-01; a block's date is its timestamp in Hong Kong time (UTC+8).
struct Date {
  std::uint16_t year = 0;
  std::uint8_t month = 0;
  std::uint8_t day = 0;

  bool valid() const;         // a real date in 1900..9999
  std::int64_t days() const;  // days since 1970-01-01 (valid dates only)
  static Date from_days(std::int64_t days);
  std::string to_string() const;  // "yyyy-mm-dd"
  friend bool operator==(const Date&, const Date&) = default;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u16(s.year);
    c.u8(s.month);
    c.u8(s.day);
  }
};

inline constexpr std::int64_t kMsPerDay = 86'400'000;
// The Hong Kong day (days since 1970-01-01) of a block timestamp.
std::int64_t hk_day_of(std::uint64_t timestamp_ms);
// `d` moved by `months` calendar months, the day clamped to the month's end
// (29 February + 12 months = 28 February).
Date add_months(const Date& d, std::int64_t months);

// ---- Records ----------------------------------------------------------------------

enum class CompanyType : std::uint8_t {
  kPrivateLimitedByShares = 0,
  kPublicLimitedByShares = 1,
  kLimitedByGuarantee = 2,
  kPrivateUnlimited = 3,
  kPublicUnlimited = 4,
  kRegisteredNonHongKong = 5,
};
inline constexpr CompanyType kMaxCompanyType = CompanyType::kRegisteredNonHongKong;
std::string_view type_name(CompanyType t);
bool is_limited(CompanyType t);  // shares or guarantee

enum class CompanyStatus : std::uint8_t {
  kLive = 0,
  kDeregistrationApplied = 1,   // application received (NDR1)
  kDeregistrationGazetted = 2,  // Gazette notice of the proposed deregistration
  kStrikeOffInquiry = 3,        // the Registrar's inquiry letter sent
  kStrikeOffGazetted = 4,       // Gazette notice of the proposed strike-off
  kDeregistered = 5,            // dissolved by deregistration
  kStruckOff = 6,               // dissolved by strike-off
  kDissolved = 7,               // dissolved (e.g. after winding up)
};
inline constexpr CompanyStatus kMaxCompanyStatus = CompanyStatus::kDissolved;
std::string_view status_name(CompanyStatus s);
std::optional<CompanyStatus> status_from_name(std::string_view name);
// The company still exists (not deregistered, struck off or dissolved).
bool is_live_status(CompanyStatus s);

struct CompanyRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string number;  // canonical
  std::string name_en;
  std::string name_zh;
  CompanyType type = CompanyType::kPrivateLimitedByShares;
  std::string registered_office;
  core::AccountId account;            // the company's own account (its filings)
  std::uint64_t incorporated_ms = 0;  // block time of incorporation
  Date incorporation_date;            // in Hong Kong
  Date next_return_date;              // the oldest annual return not yet delivered
  Date next_return_due;               // next_return_date + the window
  std::uint32_t returns_filed = 0;
  std::uint32_t filings = 0;   // filing records so far (next seq)
  std::uint32_t officers = 0;  // officer records so far (next id)
  CompanyStatus status = CompanyStatus::kLive;
  std::uint64_t status_since_ms = 0;  // block time of the last status change
  core::Hash256 status_document;      // the document of the last status change

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.number, kMaxNumberSize, "number");
    c.string(s.name_en, kMaxNameSize, "name_en");
    c.string(s.name_zh, kMaxNameSize, "name_zh");
    c.enumeration(s.type, kMaxCompanyType);
    c.string(s.registered_office, kMaxOfficeSize, "registered_office");
    c.fixed(s.account.bytes);
    c.u64(s.incorporated_ms);
    c.object(s.incorporation_date);
    c.object(s.next_return_date);
    c.object(s.next_return_due);
    c.u32(s.returns_filed);
    c.u32(s.filings);
    c.u32(s.officers);
    c.enumeration(s.status, kMaxCompanyStatus);
    c.u64(s.status_since_ms);
    c.fixed(s.status_document);
  }
  friend bool operator==(const CompanyRecord&, const CompanyRecord&) = default;
};

// The owner of a normalised name among live companies.
struct NameIndexRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string number;
  std::string name;  // as registered

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.number, kMaxNumberSize, "number");
    c.string(s.name, kMaxNameSize, "name");
  }
  friend bool operator==(const NameIndexRecord&, const NameIndexRecord&) = default;
};

enum class FilingKind : std::uint8_t {
  kIncorporation = 0,  // NNC1 / NNC1G / NN1 (non-Hong Kong company)
  kAnnualReturn = 1,   // NAR1
  kOfficers = 2,       // ND2A
  kOffice = 3,         // NR1
  kName = 4,           // NNC2
};
inline constexpr FilingKind kMaxFilingKind = FilingKind::kName;
std::string_view filing_form(FilingKind k);

struct FilingRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string number;
  std::uint32_t seq = 0;
  FilingKind kind = FilingKind::kIncorporation;
  core::Hash256 document_hash;
  Date event_date;  // the return date (NAR1), change date (ND2A, NR1), resolution date (NNC2)
  Date due_date;    // the last on-time day
  std::uint64_t filed_ms = 0;
  Date filed_date;  // in Hong Kong
  bool late = false;
  core::AccountId filed_by;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.number, kMaxNumberSize, "number");
    c.u32(s.seq);
    c.enumeration(s.kind, kMaxFilingKind);
    c.fixed(s.document_hash);
    c.object(s.event_date);
    c.object(s.due_date);
    c.u64(s.filed_ms);
    c.object(s.filed_date);
    c.boolean(s.late);
    c.fixed(s.filed_by.bytes);
  }
  friend bool operator==(const FilingRecord&, const FilingRecord&) = default;
};

enum class OfficerRole : std::uint8_t { kDirector = 0, kSecretary = 1 };
inline constexpr OfficerRole kMaxOfficerRole = OfficerRole::kSecretary;

// An officer as the public register shows it. The full identity-document
// number and the residential address are never on chain: only salted
// commitments (commit_field) that their holder can open.
struct OfficerRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string number;  // the company
  std::uint32_t id = 0;
  OfficerRole role = OfficerRole::kDirector;
  std::string name_en;
  std::string name_zh;
  std::string partial_id;  // as the public register shows it, e.g. "A123***(*)"
  std::string correspondence_address;
  core::Hash256 id_number_commitment;
  core::Hash256 residential_address_commitment;
  Date appointed;
  std::optional<Date> resigned;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.number, kMaxNumberSize, "number");
    c.u32(s.id);
    c.enumeration(s.role, kMaxOfficerRole);
    c.string(s.name_en, kMaxPersonNameSize, "name_en");
    c.string(s.name_zh, kMaxPersonNameSize, "name_zh");
    c.string(s.partial_id, kMaxPartialIdSize, "partial_id");
    c.string(s.correspondence_address, kMaxAddressSize, "correspondence_address");
    c.fixed(s.id_number_commitment);
    c.fixed(s.residential_address_commitment);
    c.object(s.appointed);
    c.optional(s.resigned, [](auto& cc, auto& d) { cc.object(d); });
  }
  friend bool operator==(const OfficerRecord&, const OfficerRecord&) = default;
};

// ---- Keys -------------------------------------------------------------------------

Bytes company_key(std::string_view canonical_number);
Bytes name_key(std::string_view normalised_name);
Bytes filing_key(std::string_view canonical_number, std::uint32_t seq);
Bytes officer_key(std::string_view canonical_number, std::uint32_t id);
Bytes filings_list_name(std::string_view canonical_number);
Bytes officers_list_name(std::string_view canonical_number);
Bytes due_list_name(std::int64_t year, std::int64_t month);
Bytes status_list_name(CompanyStatus s);

// The company record under `number` (any accepted form), nullopt when the
// number is invalid, absent or the record does not decode.
std::optional<CompanyRecord> load_company(const StateView& state, std::string_view number);

// ---- Commitments ------------------------------------------------------------------

using Salt = std::array<std::uint8_t, 32>;
// tagged_hash(kCommitment, salt || value): what the ledger keeps of a
// protected field (full identity number, residential address).
core::Hash256 commit_field(const Salt& salt, std::string_view value);
// True when `value` with `salt` opens `commitment`.
bool verify_field(const core::Hash256& commitment, const Salt& salt, std::string_view value);

}  // namespace bauhinia::contracts::company
