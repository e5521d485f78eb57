#pragma once
// The environment module's records (module "environment", EPD;
// docs/contracts/environment.md): the EIA Ordinance register (Cap. 499) of
// project profiles, study briefs, EIA report versions, public inspection
// comments, decisions and environmental permits with their EM&A submissions;
// and the chemical waste trip-tickets (Cap. 354C).
//
// Record keys (kind byte first; numbers are ASCII):
//   0x01 || project number ("PP-001/2026")          ProjectRecord
//   0x02 || project number || u32 version (BE)      ReportRecord   (versions 0..reports-1)
//   0x03 || project number || u32 index (BE)        CommentRecord  (0..comments-1)
//   0x04 || permit number ("EP-001/2026")           PermitRecord
//   0x05 || permit number || u32 index (BE)         PermitHistoryRecord (0..history-1)
//   0x06 || permit number || u32 index (BE)         SubmissionRecord (EM&A, 0..submissions-1)
//   0x07 || prefix ("PP", "ESB", "EP") || u16 year  CounterRecord (the last number issued)
//   0x10 || ticket number                           TicketRecord
//   0xF0..0xF2                                      index lists (index_list.hpp):
//     "p" || account   projects of a proponent       "s" || status name  projects in a status
//     "h" || account   permits of a holder
//     "tp" || account  tickets of a producer         "tc" || account     of a collector
//     "tr" || account  tickets of a reception point  "flagged"           flagged tickets

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bauhinia/core/address.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::contracts::environment {

using core::Bytes;
using core::ByteView;

inline constexpr std::string_view kModuleName = "environment";
inline constexpr std::string_view kEiaOfficerRole = "environment.eia_officer";
inline constexpr std::string_view kCollectorRole = "environment.waste_collector";
inline constexpr std::string_view kReceptionRole = "environment.reception_point";

inline constexpr std::uint8_t kProjectKind = 0x01;
inline constexpr std::uint8_t kReportKind = 0x02;
inline constexpr std::uint8_t kCommentKind = 0x03;
inline constexpr std::uint8_t kPermitKind = 0x04;
inline constexpr std::uint8_t kPermitHistoryKind = 0x05;
inline constexpr std::uint8_t kSubmissionKind = 0x06;
inline constexpr std::uint8_t kCounterKind = 0x07;
inline constexpr std::uint8_t kTicketKind = 0x10;

// ---- Limits (every field from outside is bounded) ------------------------------
inline constexpr std::size_t kMaxNumberSize = 16;  // "ESB-12345/2026"
inline constexpr std::size_t kMaxTitleSize = 512;  // bytes of UTF-8, each language
inline constexpr std::size_t kMaxLocationSize = 512;
inline constexpr std::size_t kMaxTicketNumberSize = 24;  // [A-Z0-9-]
inline constexpr std::size_t kMaxCrNumberSize = 16;
inline constexpr std::size_t kMaxPremisesSize = 512;
inline constexpr std::size_t kMaxVehicleSize = 32;
inline constexpr std::uint32_t kMaxSerial = 99'999;  // numbers per prefix and year
inline constexpr std::uint32_t kMaxReportVersions = 64;
inline constexpr std::uint64_t kMaxQuantityKg = 1'000'000'000;  // a million tonnes
inline constexpr std::uint64_t kDayMs = 86'400'000;
inline constexpr std::uint64_t kMaxWindowMs = 366 * kDayMs;  // an inspection window, a deadline

// ---- Numbers ---------------------------------------------------------------------
// EPD's style: PREFIX-NNN/YYYY, the serial zero-padded to at least 3 digits
// (PP-001/2026). The ledger issues them in order per prefix and Hong Kong year.
inline constexpr std::string_view kProjectPrefix = "PP";
inline constexpr std::string_view kBriefPrefix = "ESB";
inline constexpr std::string_view kPermitPrefix = "EP";
std::string format_number(std::string_view prefix, std::uint32_t serial, std::uint16_t year);
// True when `number` is PREFIX-NNN/YYYY with this prefix (3 to 5 digits, the
// serial 1..kMaxSerial in its shortest padded form, a year 1998..9999).
bool valid_number(std::string_view number, std::string_view prefix);
// True for a ticket number: 1..kMaxTicketNumberSize of A-Z, 0-9 and '-'.
bool valid_ticket_number(std::string_view number);

// ---- EIA projects ------------------------------------------------------------------

enum class ProjectStatus : std::uint8_t {
  kProfileSubmitted,        // the project profile is on the register
  kBriefIssued,             // EPD issued the EIA study brief
  kReportSubmitted,         // at least one EIA report version submitted
  kOnInspection,            // public inspection window set (comments inside it)
  kApproved,                // the EIA report approved
  kApprovedWithConditions,  // approved with conditions (the decision document)
  kRejected,                // approval refused
};
inline constexpr ProjectStatus kLastProjectStatus = ProjectStatus::kRejected;
std::string_view project_status_name(ProjectStatus s) noexcept;
std::optional<ProjectStatus> project_status_from_name(std::string_view name) noexcept;
bool is_approved(ProjectStatus s) noexcept;

struct ProjectRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string number;  // PP-NNN/YYYY
  std::string title_en;
  std::string title_zh;
  core::AccountId proponent;
  std::string location;
  core::Hash256 profile_hash;  // SHA-256 of the project profile document
  std::uint64_t submitted_ms = 0;
  std::uint64_t submitted_height = 0;
  ProjectStatus status = ProjectStatus::kProfileSubmitted;
  std::uint64_t status_changed_ms = 0;
  std::string brief_number;  // ESB-NNN/YYYY once issued
  core::Hash256 brief_hash;
  std::uint64_t brief_issued_ms = 0;
  std::uint32_t reports = 0;              // ReportRecords 0..reports-1
  std::uint64_t inspection_start_ms = 0;  // window [start, end), 0 before it is set
  std::uint64_t inspection_end_ms = 0;
  std::uint32_t comments = 0;   // CommentRecords 0..comments-1
  core::Hash256 decision_hash;  // the decision (and conditions) document
  std::uint64_t decided_ms = 0;
  std::string permit;  // EP-NNN/YYYY once issued

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.number, kMaxNumberSize, "number");
    c.string(s.title_en, kMaxTitleSize, "title_en");
    c.string(s.title_zh, kMaxTitleSize, "title_zh");
    c.fixed(s.proponent.bytes);
    c.string(s.location, kMaxLocationSize, "location");
    c.fixed(s.profile_hash);
    c.u64(s.submitted_ms);
    c.u64(s.submitted_height);
    c.enumeration(s.status, kLastProjectStatus);
    c.u64(s.status_changed_ms);
    c.string(s.brief_number, kMaxNumberSize, "brief_number");
    c.fixed(s.brief_hash);
    c.u64(s.brief_issued_ms);
    c.u32(s.reports);
    c.u64(s.inspection_start_ms);
    c.u64(s.inspection_end_ms);
    c.u32(s.comments);
    c.fixed(s.decision_hash);
    c.u64(s.decided_ms);
    c.string(s.permit, kMaxNumberSize, "permit");
  }
  friend bool operator==(const ProjectRecord&, const ProjectRecord&) = default;
};

// One version of the EIA report (every version stays on the register).
struct ReportRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string project;
  std::uint32_t report_version = 0;  // 0 = the first submission
  core::Hash256 document_hash;
  std::uint64_t submitted_ms = 0;
  core::Hash256 transaction_id;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.project, kMaxNumberSize, "project");
    c.u32(s.report_version);
    c.fixed(s.document_hash);
    c.u64(s.submitted_ms);
    c.fixed(s.transaction_id);
  }
  friend bool operator==(const ReportRecord&, const ReportRecord&) = default;
};

// A public comment: only the hash of its text and who sent it.
struct CommentRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string project;
  std::uint32_t index = 0;
  core::AccountId commenter;
  core::Hash256 comment_hash;
  std::uint64_t received_ms = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.project, kMaxNumberSize, "project");
    c.u32(s.index);
    c.fixed(s.commenter.bytes);
    c.fixed(s.comment_hash);
    c.u64(s.received_ms);
  }
  friend bool operator==(const CommentRecord&, const CommentRecord&) = default;
};

// ---- Environmental permits ---------------------------------------------------------

enum class PermitStatus : std::uint8_t { kInForce, kSurrendered, kCancelled };
inline constexpr PermitStatus kLastPermitStatus = PermitStatus::kCancelled;
std::string_view permit_status_name(PermitStatus s) noexcept;

struct PermitRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string number;   // EP-NNN/YYYY
  std::string project;  // PP-NNN/YYYY
  core::AccountId holder;
  PermitStatus status = PermitStatus::kInForce;
  std::uint32_t permit_version = 0;  // 0 as issued, +1 per variation
  core::Hash256 document_hash;       // the permit as it now stands
  std::uint64_t issued_ms = 0;
  std::uint64_t status_changed_ms = 0;
  std::uint32_t history = 0;      // PermitHistoryRecords 0..history-1
  std::uint32_t submissions = 0;  // SubmissionRecords 0..submissions-1

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.number, kMaxNumberSize, "number");
    c.string(s.project, kMaxNumberSize, "project");
    c.fixed(s.holder.bytes);
    c.enumeration(s.status, kLastPermitStatus);
    c.u32(s.permit_version);
    c.fixed(s.document_hash);
    c.u64(s.issued_ms);
    c.u64(s.status_changed_ms);
    c.u32(s.history);
    c.u32(s.submissions);
  }
  friend bool operator==(const PermitRecord&, const PermitRecord&) = default;
};

enum class PermitAct : std::uint8_t { kIssued, kVaried, kTransferred, kSurrendered, kCancelled };
inline constexpr PermitAct kLastPermitAct = PermitAct::kCancelled;
std::string_view permit_act_name(PermitAct a) noexcept;

// One act on a permit: its whole history, every document version included.
struct PermitHistoryRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string permit;
  std::uint32_t index = 0;
  PermitAct act = PermitAct::kIssued;
  std::uint32_t permit_version = 0;  // the permit's version after the act
  core::AccountId holder_before;     // zero for the issue
  core::AccountId holder_after;
  core::Hash256 document_hash;
  std::uint64_t entry_ms = 0;
  std::uint64_t height = 0;
  core::Hash256 transaction_id;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.permit, kMaxNumberSize, "permit");
    c.u32(s.index);
    c.enumeration(s.act, kLastPermitAct);
    c.u32(s.permit_version);
    c.fixed(s.holder_before.bytes);
    c.fixed(s.holder_after.bytes);
    c.fixed(s.document_hash);
    c.u64(s.entry_ms);
    c.u64(s.height);
    c.fixed(s.transaction_id);
  }
  friend bool operator==(const PermitHistoryRecord&, const PermitHistoryRecord&) = default;
};

// An environmental monitoring and audit (EM&A) submission under a permit.
struct SubmissionRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string permit;
  std::uint32_t index = 0;
  core::AccountId submitted_by;
  core::Hash256 document_hash;
  std::uint64_t period_start_ms = 0;  // the monitoring period [start, end)
  std::uint64_t period_end_ms = 0;
  std::uint64_t submitted_ms = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.permit, kMaxNumberSize, "permit");
    c.u32(s.index);
    c.fixed(s.submitted_by.bytes);
    c.fixed(s.document_hash);
    c.u64(s.period_start_ms);
    c.u64(s.period_end_ms);
    c.u64(s.submitted_ms);
  }
  friend bool operator==(const SubmissionRecord&, const SubmissionRecord&) = default;
};

struct CounterRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::uint32_t last = 0;  // the last serial issued (0: none yet)

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u32(s.last);
  }
};

// ---- Chemical waste trip-tickets -----------------------------------------------------

// The ledger's waste categories (docs/contracts/environment.md lists them);
// a classification for the register, not the legal definitions of Cap. 354C.
enum class WasteType : std::uint8_t {
  kMineralOil,          // "mineral_oil": spent lubricating and hydraulic oil
  kSolventHalogenated,  // "solvent_halogenated"
  kSolventOther,        // "solvent_other"
  kAcid,                // "acid"
  kAlkali,              // "alkali"
  kHeavyMetal,          // "heavy_metal": solutions and sludges
  kPaintInk,            // "paint_ink"
  kPesticide,           // "pesticide"
  kLeadAcidBattery,     // "lead_acid_battery"
  kAsbestos,            // "asbestos"
  kLaboratoryChemical,  // "laboratory_chemical"
  kOther,               // "other": described in the producer's own copy
};
inline constexpr WasteType kLastWasteType = WasteType::kOther;
std::string_view waste_type_name(WasteType t) noexcept;

enum class TicketStatus : std::uint8_t {
  kIssued,     // the producer completed its part
  kCollected,  // the licensed collector took the waste
  kReceived,   // the reception point received and weighed it (complete)
};
inline constexpr TicketStatus kLastTicketStatus = TicketStatus::kReceived;
std::string_view ticket_status_name(TicketStatus s) noexcept;

// A trip-ticket: the whole custody chain (issued → collected → received, with
// who, when and the weights) in one record.
struct TicketRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string number;
  core::AccountId producer;  // the company's own account
  std::string producer_cr;   // canonical CR number of the producing company
  WasteType waste_type = WasteType::kOther;
  std::uint64_t declared_kg = 0;
  std::string from_premises;
  core::AccountId reception_point;
  core::AccountId collector;
  TicketStatus status = TicketStatus::kIssued;
  std::uint64_t issued_ms = 0;
  std::uint64_t issued_height = 0;
  std::uint64_t deadline_ms = 0;  // complete (received) before this, or overdue
  std::uint64_t collected_ms = 0;
  std::string vehicle;  // the collection vehicle's registration mark
  std::uint64_t received_ms = 0;
  std::uint64_t measured_kg = 0;
  std::uint32_t tolerance_bp = 0;  // the tolerance applied at receipt
  bool weight_mismatch = false;    // |measured - declared| > tolerance x declared
  bool overdue = false;            // not received before deadline_ms
  std::uint64_t flagged_ms = 0;    // block time of the first flag, 0: never flagged

  bool flagged() const noexcept { return weight_mismatch || overdue; }

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.number, kMaxTicketNumberSize, "number");
    c.fixed(s.producer.bytes);
    c.string(s.producer_cr, kMaxCrNumberSize, "producer_cr");
    c.enumeration(s.waste_type, kLastWasteType);
    c.u64(s.declared_kg);
    c.string(s.from_premises, kMaxPremisesSize, "from_premises");
    c.fixed(s.reception_point.bytes);
    c.fixed(s.collector.bytes);
    c.enumeration(s.status, kLastTicketStatus);
    c.u64(s.issued_ms);
    c.u64(s.issued_height);
    c.u64(s.deadline_ms);
    c.u64(s.collected_ms);
    c.string(s.vehicle, kMaxVehicleSize, "vehicle");
    c.u64(s.received_ms);
    c.u64(s.measured_kg);
    c.u32(s.tolerance_bp);
    c.boolean(s.weight_mismatch);
    c.boolean(s.overdue);
    c.u64(s.flagged_ms);
  }
  friend bool operator==(const TicketRecord&, const TicketRecord&) = default;
};

// ---- Keys --------------------------------------------------------------------------

Bytes project_key(std::string_view number);
Bytes report_key(std::string_view project, std::uint32_t version);
Bytes comment_key(std::string_view project, std::uint32_t index);
Bytes permit_key(std::string_view number);
Bytes permit_history_key(std::string_view permit, std::uint32_t index);
Bytes submission_key(std::string_view permit, std::uint32_t index);
Bytes counter_key(std::string_view prefix, std::uint16_t year);
Bytes ticket_key(std::string_view number);

// ---- Events (Event::data is the canonical encoding) ---------------------------------

// "profile_submitted", "study_brief_issued", "report_submitted",
// "inspection_opened", "comment_received", "decided" (record: the project).
struct ProjectEvent {
  std::string project;
  ProjectStatus status = ProjectStatus::kProfileSubmitted;
  std::string number;       // the study brief's number (study_brief_issued), else empty
  std::uint32_t index = 0;  // report version / comment index, else 0
  core::Hash256 document_hash;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.project, kMaxNumberSize, "project");
    c.enumeration(s.status, kLastProjectStatus);
    c.string(s.number, kMaxNumberSize, "number");
    c.u32(s.index);
    c.fixed(s.document_hash);
  }
};

// "permit_issued", "permit_varied", "permit_transferred", "permit_surrendered",
// "permit_cancelled" (record: the permit; index: the history record),
// "em_a_submitted" (index: the submission).
struct PermitEvent {
  std::string permit;
  std::uint32_t index = 0;
  core::AccountId holder;
  core::Hash256 document_hash;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.permit, kMaxNumberSize, "permit");
    c.u32(s.index);
    c.fixed(s.holder.bytes);
    c.fixed(s.document_hash);
  }
};

// "ticket_issued", "ticket_collected", "ticket_received",
// "weight_mismatch_flagged", "overdue_flagged" (record: the ticket).
struct TicketEvent {
  std::string number;
  TicketStatus status = TicketStatus::kIssued;
  std::uint64_t declared_kg = 0;
  std::uint64_t measured_kg = 0;
  std::uint64_t deadline_ms = 0;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxTicketNumberSize, "number");
    c.enumeration(s.status, kLastTicketStatus);
    c.u64(s.declared_kg);
    c.u64(s.measured_kg);
    c.u64(s.deadline_ms);
  }
};

}  // namespace bauhinia::contracts::environment
