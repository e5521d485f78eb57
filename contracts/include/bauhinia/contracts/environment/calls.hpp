#pragma once
// The environment module's calls and their payloads (docs/contracts/environment.md).
//
// EIA Ordinance register (Cap. 499):
//   submit_profile     ProfileArgs        any account (becomes the project's proponent)
//   issue_study_brief  BriefArgs          environment.eia_officer
//   submit_report      DocumentArgs       the project's proponent (a new version each time)
//   open_inspection    InspectionArgs     environment.eia_officer
//   comment            CommentArgs        any account, inside the inspection window only
//   decide             DecisionArgs       environment.eia_officer, after the window closed
//   issue_permit       DocumentArgs       environment.eia_officer, after an approval
//   vary_permit        DocumentArgs       environment.eia_officer (number: the permit)
//   transfer_permit    Cosigned<TransferTerms>  environment.eia_officer, co-signed by the
//                                         holder and the transferee
//   surrender_permit   DocumentArgs       the permit's holder
//   cancel_permit      DocumentArgs       environment.eia_officer
//   submit_em_a        SubmissionArgs     the permit's holder, while the permit is in force
// Chemical waste trip-tickets (Cap. 354C):
//   issue_ticket       TicketArgs         the account of a live company (the producer)
//   record_collection  CollectionArgs     the ticket's collector (environment.waste_collector)
//   record_receipt     ReceiptArgs        the ticket's reception point
//   (environment.reception_point) flag_overdue       TicketNumberArgs   any account, once the
//   ticket's deadline has passed

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "bauhinia/contracts/cosignature.hpp"
#include "bauhinia/contracts/environment/records.hpp"

namespace bauhinia::contracts::environment {

inline constexpr std::array<std::string_view, 16> kCalls{
    "submit_profile", "issue_study_brief", "submit_report", "open_inspection",   "comment",
    "decide",         "issue_permit",      "vary_permit",   "transfer_permit",   "surrender_permit",
    "cancel_permit",  "submit_em_a",       "issue_ticket",  "record_collection", "record_receipt",
    "flag_overdue"};

// submit_profile: the ledger gives the project its number (PP-NNN/YYYY).
struct ProfileArgs {
  std::string title_en;
  std::string title_zh;
  std::string location;
  core::Hash256 profile_hash;  // SHA-256 of the project profile document

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.title_en, kMaxTitleSize, "title_en");
    c.string(s.title_zh, kMaxTitleSize, "title_zh");
    c.string(s.location, kMaxLocationSize, "location");
    c.fixed(s.profile_hash);
  }
};

// issue_study_brief: the ledger numbers the brief (ESB-NNN/YYYY).
struct BriefArgs {
  std::string project;
  core::Hash256 brief_hash;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.project, kMaxNumberSize, "project");
    c.fixed(s.brief_hash);
  }
};

// A number (project or permit, per call) and a document: submit_report,
// issue_permit (number: the project), vary_permit, surrender_permit,
// cancel_permit (number: the permit).
struct DocumentArgs {
  std::string number;
  core::Hash256 document_hash;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberSize, "number");
    c.fixed(s.document_hash);
  }
};

// open_inspection: the window [start_ms, end_ms), not starting before the
// block; start_ms 0: from the block's time.
struct InspectionArgs {
  std::string project;
  std::uint64_t start_ms = 0;
  std::uint64_t end_ms = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.project, kMaxNumberSize, "project");
    c.u64(s.start_ms);
    c.u64(s.end_ms);
  }
};

// comment: the hash of the comment's text (the text stays with EPD and the commenter).
struct CommentArgs {
  std::string project;
  core::Hash256 comment_hash;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.project, kMaxNumberSize, "project");
    c.fixed(s.comment_hash);
  }
};

enum class Decision : std::uint8_t { kApproved, kApprovedWithConditions, kRejected };
inline constexpr Decision kLastDecision = Decision::kRejected;

struct DecisionArgs {
  std::string project;
  Decision decision = Decision::kApproved;
  core::Hash256 document_hash;  // the decision, with its conditions

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.project, kMaxNumberSize, "project");
    c.enumeration(s.decision, kLastDecision);
    c.fixed(s.document_hash);
  }
};

// What the holder and the transferee sign for transfer_permit.
struct TransferTerms {
  std::string permit;
  core::AccountId from;  // the current holder; co-signs
  core::AccountId to;    // the transferee; co-signs
  core::Hash256 document_hash;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.permit, kMaxNumberSize, "permit");
    c.fixed(s.from.bytes);
    c.fixed(s.to.bytes);
    c.fixed(s.document_hash);
  }
};
using TransferPayload = Cosigned<TransferTerms>;

struct SubmissionArgs {
  std::string permit;
  core::Hash256 document_hash;
  std::uint64_t period_start_ms = 0;  // [start, end), ending no later than the block
  std::uint64_t period_end_ms = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.permit, kMaxNumberSize, "permit");
    c.fixed(s.document_hash);
    c.u64(s.period_start_ms);
    c.u64(s.period_end_ms);
  }
};

struct TicketArgs {
  std::string number;
  std::string producer_cr;  // the producing company; the sender is its account
  WasteType waste_type = WasteType::kOther;
  std::uint64_t declared_kg = 0;
  std::string from_premises;
  core::AccountId reception_point;
  core::AccountId collector;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxTicketNumberSize, "number");
    c.string(s.producer_cr, kMaxCrNumberSize, "producer_cr");
    c.enumeration(s.waste_type, kLastWasteType);
    c.u64(s.declared_kg);
    c.string(s.from_premises, kMaxPremisesSize, "from_premises");
    c.fixed(s.reception_point.bytes);
    c.fixed(s.collector.bytes);
  }
};

struct CollectionArgs {
  std::string number;
  std::string vehicle;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxTicketNumberSize, "number");
    c.string(s.vehicle, kMaxVehicleSize, "vehicle");
  }
};

struct ReceiptArgs {
  std::string number;
  std::uint64_t measured_kg = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxTicketNumberSize, "number");
    c.u64(s.measured_kg);
  }
};

struct TicketNumberArgs {
  std::string number;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxTicketNumberSize, "number");
  }
};

}  // namespace bauhinia::contracts::environment
