#include <array>

#include "bauhinia/contracts/trademark/records.hpp"

namespace bauhinia::contracts::trademark {

namespace {
constexpr std::array<std::string_view, 11> kStatusNames{
    "filed",   "examination", "accepted", "published", "opposed",    "registered",
    "refused", "withdrawn",   "removed",  "revoked",   "invalidated"};
constexpr std::array<std::string_view, 8> kGroundNames{
    "none",    "absolute",     "relative",  "bad_faith", "opposition_upheld",
    "non_use", "generic_name", "misleading"};
constexpr std::array<std::string_view, 6> kKindNames{
    "assignment", "partial_assignment", "split_from", "licence", "security_interest", "migration"};
}  // namespace

std::string_view status_name(Status s) noexcept {
  return kStatusNames[static_cast<std::size_t>(s)];
}

std::optional<Status> status_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == name) return static_cast<Status>(i);
  }
  return std::nullopt;
}

bool is_live(Status s) noexcept {
  return s <= Status::kRegistered;
}

std::string_view ground_name(Ground g) noexcept {
  return kGroundNames[static_cast<std::size_t>(g)];
}

std::string_view transaction_kind_name(TransactionKind k) noexcept {
  return kKindNames[static_cast<std::size_t>(k)];
}

Bytes mark_key(std::string_view number) {
  Bytes k{kMarkKind};
  k.insert(k.end(), number.begin(), number.end());
  return k;
}

Bytes family_key(std::string_view base) {
  Bytes k{kFamilyKind};
  k.insert(k.end(), base.begin(), base.end());
  return k;
}

Bytes history_key(std::string_view number, std::uint32_t index) {
  Bytes k = mark_key(number);
  k[0] = kHistoryKind;
  k.push_back(static_cast<std::uint8_t>(index >> 24));
  k.push_back(static_cast<std::uint8_t>(index >> 16));
  k.push_back(static_cast<std::uint8_t>(index >> 8));
  k.push_back(static_cast<std::uint8_t>(index));
  return k;
}

}  // namespace bauhinia::contracts::trademark
