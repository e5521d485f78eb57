#include "bauhinia/contracts/system/lists.hpp"

#include <string>

namespace bauhinia::contracts::system {

namespace {

IndexList named(std::string_view prefix, core::ByteView rest = {}) {
  Bytes name(prefix.begin(), prefix.end());
  name.insert(name.end(), rest.begin(), rest.end());
  return IndexList(std::move(name));
}

core::ByteView text(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

IndexList departments_list() {
  return named("departments");
}
IndexList roles_list(const core::AccountId& account) {
  return named("roles/", account.bytes);
}
IndexList holders_list(std::string_view department) {
  return named("holders/", text(department));
}
IndexList proposals_list() {
  return named("proposals");
}
IndexList open_proposals_list() {
  return named("open_proposals");
}
IndexList evidence_list() {
  return named("evidence");
}
IndexList evidence_by_list(const core::ed25519::PublicKey& validator) {
  return named("evidence_by/", validator.bytes);
}

}  // namespace bauhinia::contracts::system
