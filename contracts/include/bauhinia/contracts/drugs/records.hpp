#pragma once
// The pharmaceutical traceability register's records (module "drugs",
// docs/contracts/drugs.md): registered products, their batches, the custody
// of every unit of a batch, and recalls. No patient data: every record is
// about a product, a batch or a licensed trader's account.
//
// A batch is named by its product's registration number and its batch
// number; batch_id = regno (8 bytes) || u8 len(batch) || batch.
//
// Record keys (kind byte first):
//   0x01 || regno                          ProductRecord
//   0x02 || batch_id                       BatchRecord
//   0x03 || batch_id || u32 index (BE)     CustodyRecord (0: the batch's creation)
//   0x04 || batch_id || holder account     HoldingRecord (only while quantity > 0)
//   0x05 || batch_id || u32 index (BE)     RecallNoticeRecord (one per holder at the recall)
//   0xF0..0xF2                             index lists (index_list.hpp):
//     "b" || regno            batches of a product (batch keys)
//     "h" || batch_id         current holders of a batch (holding keys)
//     "H" || account          current holdings of an account (holding keys)
//     "r" || account          recall notices addressed to an account (notice keys)

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bauhinia/core/address.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::contracts::drugs {

using core::Bytes;
using core::ByteView;

inline constexpr std::string_view kModuleName = "drugs";
// Roles, granted by DH's admin (system grant_role). A trader's licence under
// the Pharmacy and Poisons Ordinance (Cap. 138) is issued off the ledger; the
// role is the ledger's record that the account acts for a licensed trader.
inline constexpr std::string_view kRegulatorRole = "drugs.regulator";
inline constexpr std::string_view kManufacturerRole = "drugs.manufacturer";
inline constexpr std::string_view kImporterRole = "drugs.importer";
inline constexpr std::string_view kWholesalerRole = "drugs.wholesaler";
inline constexpr std::string_view kDispenserRole = "drugs.dispenser";

inline constexpr std::uint8_t kProductKind = 0x01;
inline constexpr std::uint8_t kBatchKind = 0x02;
inline constexpr std::uint8_t kCustodyKind = 0x03;
inline constexpr std::uint8_t kHoldingKind = 0x04;
inline constexpr std::uint8_t kNoticeKind = 0x05;

// ---- Limits (every field is bounded) ----------------------------------------
// A registration number: "HK-" and 5 digits (e.g. HK-51234), the form DH's
// Drug Office register of pharmaceutical products shows.
inline constexpr std::size_t kRegnoSize = 8;
inline constexpr std::size_t kMaxBatchNumberSize = 20;  // [A-Za-z0-9-], 1..20
inline constexpr std::size_t kMaxNameSize = 256;        // bytes of UTF-8, each language
inline constexpr std::size_t kMaxFormSize = 64;         // "tablet", "injection", ...
inline constexpr std::size_t kMaxStrengthSize = 64;     // "500 mg", "10 mg/ml", ...
inline constexpr std::uint64_t kMaxQuantity = 1'000'000'000'000ULL;  // units of a batch

// Why a string is not a registration or batch number (typed reasons).
std::optional<std::string_view> registration_number_error(std::string_view text) noexcept;
std::optional<std::string_view> batch_number_error(std::string_view text) noexcept;

// The capacity in which an account took part in a custody step.
enum class TraderRole : std::uint8_t { kManufacturer, kImporter, kWholesaler, kDispenser };
inline constexpr TraderRole kLastTraderRole = TraderRole::kDispenser;
std::string_view trader_role_name(TraderRole r) noexcept;
std::string_view role_of(TraderRole r) noexcept;  // "drugs.manufacturer", ...

// Recall classification by health hazard (class 1: most serious).
enum class RecallClass : std::uint8_t { kClass1, kClass2, kClass3 };
inline constexpr RecallClass kLastRecallClass = RecallClass::kClass3;
std::string_view recall_class_name(RecallClass c) noexcept;

// How far down the supply chain the recall reaches.
enum class RecallLevel : std::uint8_t { kWholesale, kRetail, kPatient };
inline constexpr RecallLevel kLastRecallLevel = RecallLevel::kPatient;
std::string_view recall_level_name(RecallLevel l) noexcept;

enum class RecallReason : std::uint8_t {
  kQualityDefect,
  kContamination,
  kLabellingError,
  kSafetyConcern,
  kRegistrationCancelled,
  kCounterfeit,
  kOther,
};
inline constexpr RecallReason kLastRecallReason = RecallReason::kOther;
std::string_view recall_reason_name(RecallReason r) noexcept;

struct ProductRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string regno;
  core::AccountId holder;  // the certificate holder: a manufacturer or importer account
  TraderRole holder_role = TraderRole::kManufacturer;
  std::string name_en;
  std::string name_zh;
  std::string form;
  std::string strength;
  std::uint64_t registered_ms = 0;  // block time of registration on the ledger
  std::uint64_t registered_height = 0;
  std::uint32_t batch_count = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.regno, kRegnoSize, "regno");
    c.fixed(s.holder.bytes);
    c.enumeration(s.holder_role, kLastTraderRole);
    c.string(s.name_en, kMaxNameSize, "name_en");
    c.string(s.name_zh, kMaxNameSize, "name_zh");
    c.string(s.form, kMaxFormSize, "form");
    c.string(s.strength, kMaxStrengthSize, "strength");
    c.u64(s.registered_ms);
    c.u64(s.registered_height);
    c.u32(s.batch_count);
  }
  friend bool operator==(const ProductRecord&, const ProductRecord&) = default;
};

struct Recall {
  RecallClass recall_class = RecallClass::kClass1;
  RecallLevel level = RecallLevel::kWholesale;
  RecallReason reason = RecallReason::kQualityDefect;
  std::uint64_t recalled_ms = 0;
  std::uint64_t height = 0;
  core::Hash256 transaction_id;
  std::uint32_t notices = 0;  // RecallNoticeRecords 0..notices-1

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.enumeration(s.recall_class, kLastRecallClass);
    c.enumeration(s.level, kLastRecallLevel);
    c.enumeration(s.reason, kLastRecallReason);
    c.u64(s.recalled_ms);
    c.u64(s.height);
    c.fixed(s.transaction_id);
    c.u32(s.notices);
  }
  friend bool operator==(const Recall&, const Recall&) = default;
};

struct BatchRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string regno;
  std::string batch;
  core::AccountId maker;       // the product holder that created the batch
  std::uint64_t quantity = 0;  // units released; never changes (custody moves them)
  std::uint64_t manufacture_ms = 0;
  std::uint64_t expiry_ms = 0;  // the batch may not be supplied from this instant
  std::uint64_t created_ms = 0;
  std::uint64_t created_height = 0;
  std::uint32_t custody_size = 0;  // CustodyRecords 0..custody_size-1
  std::optional<Recall> recall;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.regno, kRegnoSize, "regno");
    c.string(s.batch, kMaxBatchNumberSize, "batch");
    c.fixed(s.maker.bytes);
    c.u64(s.quantity);
    c.u64(s.manufacture_ms);
    c.u64(s.expiry_ms);
    c.u64(s.created_ms);
    c.u64(s.created_height);
    c.u32(s.custody_size);
    c.optional(s.recall, [](auto& cc, auto& r) { cc.object(r); });
  }
  friend bool operator==(const BatchRecord&, const BatchRecord&) = default;
};

enum class CustodyStep : std::uint8_t {
  kCreated,   // the batch released to its maker (from: none)
  kTransfer,  // supply down the chain, signed by both sides
  kReturn,    // a recalled batch sent back up the chain, signed by both sides
};
inline constexpr CustodyStep kLastCustodyStep = CustodyStep::kReturn;
std::string_view custody_step_name(CustodyStep s) noexcept;

struct CustodyRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::uint32_t index = 0;
  CustodyStep step = CustodyStep::kCreated;
  core::AccountId from;  // zero for kCreated
  TraderRole from_role = TraderRole::kManufacturer;
  core::AccountId to;
  TraderRole to_role = TraderRole::kManufacturer;
  std::uint64_t quantity = 0;
  std::uint64_t time_ms = 0;  // block time
  std::uint64_t height = 0;
  core::Hash256 transaction_id;
  core::Hash256 document_hash;  // SHA-256 of the delivery note / invoice (kept off the ledger)

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u32(s.index);
    c.enumeration(s.step, kLastCustodyStep);
    c.fixed(s.from.bytes);
    c.enumeration(s.from_role, kLastTraderRole);
    c.fixed(s.to.bytes);
    c.enumeration(s.to_role, kLastTraderRole);
    c.u64(s.quantity);
    c.u64(s.time_ms);
    c.u64(s.height);
    c.fixed(s.transaction_id);
    c.fixed(s.document_hash);
  }
  friend bool operator==(const CustodyRecord&, const CustodyRecord&) = default;
};

struct HoldingRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string regno;
  std::string batch;
  core::AccountId holder;
  std::uint64_t quantity = 0;  // > 0 (the record is erased at 0)
  std::uint64_t changed_height = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.regno, kRegnoSize, "regno");
    c.string(s.batch, kMaxBatchNumberSize, "batch");
    c.fixed(s.holder.bytes);
    c.u64(s.quantity);
    c.u64(s.changed_height);
  }
  friend bool operator==(const HoldingRecord&, const HoldingRecord&) = default;
};

// What the recall told one holder (a holder with quantity > 0 at the recall).
struct RecallNoticeRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::string regno;
  std::string batch;
  std::uint32_t index = 0;
  core::AccountId holder;
  std::uint64_t quantity = 0;  // held at the recall
  RecallClass recall_class = RecallClass::kClass1;
  RecallLevel level = RecallLevel::kWholesale;
  RecallReason reason = RecallReason::kQualityDefect;
  std::uint64_t recalled_ms = 0;
  std::uint64_t acknowledged_ms = 0;  // 0: not acknowledged
  std::uint64_t returned = 0;         // units the holder returned since

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.string(s.regno, kRegnoSize, "regno");
    c.string(s.batch, kMaxBatchNumberSize, "batch");
    c.u32(s.index);
    c.fixed(s.holder.bytes);
    c.u64(s.quantity);
    c.enumeration(s.recall_class, kLastRecallClass);
    c.enumeration(s.level, kLastRecallLevel);
    c.enumeration(s.reason, kLastRecallReason);
    c.u64(s.recalled_ms);
    c.u64(s.acknowledged_ms);
    c.u64(s.returned);
  }
  friend bool operator==(const RecallNoticeRecord&, const RecallNoticeRecord&) = default;
};

Bytes batch_id(std::string_view regno, std::string_view batch);
Bytes product_key(std::string_view regno);
Bytes batch_key(std::string_view regno, std::string_view batch);
Bytes custody_key(std::string_view regno, std::string_view batch, std::uint32_t index);
Bytes holding_key(std::string_view regno, std::string_view batch, const core::AccountId& holder);
Bytes notice_key(std::string_view regno, std::string_view batch, std::uint32_t index);

// ---- Events (Event::data is the canonical encoding) ---------------------------

struct ProductEvent {  // "product_registered"
  std::string regno;
  core::AccountId holder;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.regno, kRegnoSize, "regno");
    c.fixed(s.holder.bytes);
  }
};

struct BatchEvent {  // "batch_created"
  std::string regno;
  std::string batch;
  core::AccountId maker;
  std::uint64_t quantity = 0;
  std::uint64_t expiry_ms = 0;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.regno, kRegnoSize, "regno");
    c.string(s.batch, kMaxBatchNumberSize, "batch");
    c.fixed(s.maker.bytes);
    c.u64(s.quantity);
    c.u64(s.expiry_ms);
  }
};

struct CustodyEvent {  // "transferred", "returned" (record: the custody record)
  std::string regno;
  std::string batch;
  std::uint32_t index = 0;
  core::AccountId from;
  core::AccountId to;
  std::uint64_t quantity = 0;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.regno, kRegnoSize, "regno");
    c.string(s.batch, kMaxBatchNumberSize, "batch");
    c.u32(s.index);
    c.fixed(s.from.bytes);
    c.fixed(s.to.bytes);
    c.u64(s.quantity);
  }
};

struct RecallEvent {  // "batch_recalled" (record: the batch)
  std::string regno;
  std::string batch;
  RecallClass recall_class = RecallClass::kClass1;
  RecallLevel level = RecallLevel::kWholesale;
  RecallReason reason = RecallReason::kQualityDefect;
  std::uint32_t holders = 0;  // notices issued
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.regno, kRegnoSize, "regno");
    c.string(s.batch, kMaxBatchNumberSize, "batch");
    c.enumeration(s.recall_class, kLastRecallClass);
    c.enumeration(s.level, kLastRecallLevel);
    c.enumeration(s.reason, kLastRecallReason);
    c.u32(s.holders);
  }
};

struct NoticeEvent {  // "recall_notice", "recall_acknowledged" (record: the notice)
  std::string regno;
  std::string batch;
  std::uint32_t index = 0;
  core::AccountId holder;
  std::uint64_t quantity = 0;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.regno, kRegnoSize, "regno");
    c.string(s.batch, kMaxBatchNumberSize, "batch");
    c.u32(s.index);
    c.fixed(s.holder.bytes);
    c.u64(s.quantity);
  }
};

}  // namespace bauhinia::contracts::drugs
