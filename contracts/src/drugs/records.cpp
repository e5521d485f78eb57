// Names of the enumerations, the number formats and the record keys.

#include "bauhinia/contracts/drugs/records.hpp"

#include <array>

#include "bauhinia/core/assert.hpp"

namespace bauhinia::contracts::drugs {

namespace {

constexpr std::array<std::string_view, 4> kTraderRoleNames{"manufacturer", "importer", "wholesaler",
                                                           "dispenser"};
constexpr std::array<std::string_view, 4> kRoles{kManufacturerRole, kImporterRole, kWholesalerRole,
                                                 kDispenserRole};
constexpr std::array<std::string_view, 3> kClassNames{"class_1", "class_2", "class_3"};
constexpr std::array<std::string_view, 3> kLevelNames{"wholesale", "retail", "patient"};
constexpr std::array<std::string_view, 7> kReasonNames{
    "quality_defect", "contamination",          "labelling_error",
    "safety_concern", "registration_cancelled", "counterfeit",
    "other"};
constexpr std::array<std::string_view, 3> kStepNames{"created", "transfer", "return"};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

void put_u32(Bytes& k, std::uint32_t v) {
  k.push_back(static_cast<std::uint8_t>(v >> 24));
  k.push_back(static_cast<std::uint8_t>(v >> 16));
  k.push_back(static_cast<std::uint8_t>(v >> 8));
  k.push_back(static_cast<std::uint8_t>(v));
}

Bytes keyed(std::uint8_t kind, std::string_view regno, std::string_view batch) {
  Bytes k{kind};
  const Bytes id = batch_id(regno, batch);
  k.insert(k.end(), id.begin(), id.end());
  return k;
}

}  // namespace

std::optional<std::string_view> registration_number_error(std::string_view t) noexcept {
  if (t.size() != kRegnoSize || t.substr(0, 3) != "HK-") return "invalid_registration_number";
  for (char c : t.substr(3)) {
    if (!is_digit(c)) return "invalid_registration_number";
  }
  return std::nullopt;
}

std::optional<std::string_view> batch_number_error(std::string_view t) noexcept {
  if (t.empty() || t.size() > kMaxBatchNumberSize) return "invalid_batch_number";
  for (char c : t) {
    const bool ok = is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
    if (!ok) return "invalid_batch_number";
  }
  return std::nullopt;
}

std::string_view trader_role_name(TraderRole r) noexcept {
  return kTraderRoleNames[static_cast<std::size_t>(r)];
}
std::string_view role_of(TraderRole r) noexcept {
  return kRoles[static_cast<std::size_t>(r)];
}
std::string_view recall_class_name(RecallClass c) noexcept {
  return kClassNames[static_cast<std::size_t>(c)];
}
std::string_view recall_level_name(RecallLevel l) noexcept {
  return kLevelNames[static_cast<std::size_t>(l)];
}
std::string_view recall_reason_name(RecallReason r) noexcept {
  return kReasonNames[static_cast<std::size_t>(r)];
}
std::string_view custody_step_name(CustodyStep s) noexcept {
  return kStepNames[static_cast<std::size_t>(s)];
}

Bytes batch_id(std::string_view regno, std::string_view batch) {
  BAUHINIA_ASSERT_MSG(regno.size() <= kRegnoSize && batch.size() <= 255,
                      "batch ids are built from bounded numbers");
  Bytes id(regno.begin(), regno.end());
  id.push_back(static_cast<std::uint8_t>(batch.size()));
  id.insert(id.end(), batch.begin(), batch.end());
  return id;
}

Bytes product_key(std::string_view regno) {
  Bytes k{kProductKind};
  k.insert(k.end(), regno.begin(), regno.end());
  return k;
}

Bytes batch_key(std::string_view regno, std::string_view batch) {
  return keyed(kBatchKind, regno, batch);
}

Bytes custody_key(std::string_view regno, std::string_view batch, std::uint32_t index) {
  Bytes k = keyed(kCustodyKind, regno, batch);
  put_u32(k, index);
  return k;
}

Bytes holding_key(std::string_view regno, std::string_view batch, const core::AccountId& holder) {
  Bytes k = keyed(kHoldingKind, regno, batch);
  k.insert(k.end(), holder.bytes.begin(), holder.bytes.end());
  return k;
}

Bytes notice_key(std::string_view regno, std::string_view batch, std::uint32_t index) {
  Bytes k = keyed(kNoticeKind, regno, batch);
  put_u32(k, index);
  return k;
}

}  // namespace bauhinia::contracts::drugs
