// Names of the enumerations, record keys and EPD-style numbers.

#include "bauhinia/contracts/environment/records.hpp"

#include <array>

namespace bauhinia::contracts::environment {

namespace {

constexpr std::array<std::string_view, 7> kProjectStatusNames{
    "profile_submitted",        "brief_issued", "report_submitted", "on_inspection", "approved",
    "approved_with_conditions", "rejected"};
constexpr std::array<std::string_view, 3> kPermitStatusNames{"in_force", "surrendered",
                                                             "cancelled"};
constexpr std::array<std::string_view, 5> kPermitActNames{"issued", "varied", "transferred",
                                                          "surrendered", "cancelled"};
constexpr std::array<std::string_view, 12> kWasteTypeNames{"mineral_oil",
                                                           "solvent_halogenated",
                                                           "solvent_other",
                                                           "acid",
                                                           "alkali",
                                                           "heavy_metal",
                                                           "paint_ink",
                                                           "pesticide",
                                                           "lead_acid_battery",
                                                           "asbestos",
                                                           "laboratory_chemical",
                                                           "other"};
constexpr std::array<std::string_view, 3> kTicketStatusNames{"issued", "collected", "received"};

Bytes keyed(std::uint8_t kind, std::string_view text) {
  Bytes k{kind};
  k.insert(k.end(), text.begin(), text.end());
  return k;
}

Bytes indexed(std::uint8_t kind, std::string_view text, std::uint32_t index) {
  Bytes k = keyed(kind, text);
  k.push_back(static_cast<std::uint8_t>(index >> 24));
  k.push_back(static_cast<std::uint8_t>(index >> 16));
  k.push_back(static_cast<std::uint8_t>(index >> 8));
  k.push_back(static_cast<std::uint8_t>(index));
  return k;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::string_view project_status_name(ProjectStatus s) noexcept {
  return kProjectStatusNames[static_cast<std::size_t>(s)];
}

std::optional<ProjectStatus> project_status_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kProjectStatusNames.size(); ++i) {
    if (kProjectStatusNames[i] == name) return static_cast<ProjectStatus>(i);
  }
  return std::nullopt;
}

bool is_approved(ProjectStatus s) noexcept {
  return s == ProjectStatus::kApproved || s == ProjectStatus::kApprovedWithConditions;
}

std::string_view permit_status_name(PermitStatus s) noexcept {
  return kPermitStatusNames[static_cast<std::size_t>(s)];
}

std::string_view permit_act_name(PermitAct a) noexcept {
  return kPermitActNames[static_cast<std::size_t>(a)];
}

std::string_view waste_type_name(WasteType t) noexcept {
  return kWasteTypeNames[static_cast<std::size_t>(t)];
}

std::string_view ticket_status_name(TicketStatus s) noexcept {
  return kTicketStatusNames[static_cast<std::size_t>(s)];
}

std::string format_number(std::string_view prefix, std::uint32_t serial, std::uint16_t year) {
  std::string digits = std::to_string(serial);
  while (digits.size() < 3) digits.insert(digits.begin(), '0');
  return std::string(prefix) + "-" + digits + "/" + std::to_string(year);
}

bool valid_number(std::string_view number, std::string_view prefix) {
  if (number.size() > kMaxNumberSize || !number.starts_with(prefix)) return false;
  std::string_view rest = number.substr(prefix.size());
  if (rest.empty() || rest.front() != '-') return false;
  rest.remove_prefix(1);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view serial = rest.substr(0, slash);
  const std::string_view year = rest.substr(slash + 1);
  if (serial.size() < 3 || serial.size() > 5 || year.size() != 4) return false;
  std::uint32_t s = 0;
  for (char c : serial) {
    if (!is_digit(c)) return false;
    s = s * 10 + static_cast<std::uint32_t>(c - '0');
  }
  std::uint32_t y = 0;
  for (char c : year) {
    if (!is_digit(c)) return false;
    y = y * 10 + static_cast<std::uint32_t>(c - '0');
  }
  // Shortest padded form only, so that one number has one spelling.
  if (s == 0 || s > kMaxSerial || (serial.size() > 3 && serial.front() == '0')) return false;
  return y >= 1998;  // the EIA Ordinance commenced in 1998
}

bool valid_ticket_number(std::string_view number) {
  if (number.empty() || number.size() > kMaxTicketNumberSize) return false;
  for (char c : number) {
    if (!(is_digit(c) || (c >= 'A' && c <= 'Z') || c == '-')) return false;
  }
  return true;
}

Bytes project_key(std::string_view number) {
  return keyed(kProjectKind, number);
}
Bytes report_key(std::string_view project, std::uint32_t version) {
  return indexed(kReportKind, project, version);
}
Bytes comment_key(std::string_view project, std::uint32_t index) {
  return indexed(kCommentKind, project, index);
}
Bytes permit_key(std::string_view number) {
  return keyed(kPermitKind, number);
}
Bytes permit_history_key(std::string_view permit, std::uint32_t index) {
  return indexed(kPermitHistoryKind, permit, index);
}
Bytes submission_key(std::string_view permit, std::uint32_t index) {
  return indexed(kSubmissionKind, permit, index);
}
Bytes counter_key(std::string_view prefix, std::uint16_t year) {
  Bytes k = keyed(kCounterKind, prefix);
  k.push_back(static_cast<std::uint8_t>(year >> 8));
  k.push_back(static_cast<std::uint8_t>(year));
  return k;
}
Bytes ticket_key(std::string_view number) {
  return keyed(kTicketKind, number);
}

}  // namespace bauhinia::contracts::environment
