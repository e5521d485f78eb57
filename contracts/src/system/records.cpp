#include "bauhinia/contracts/system/records.hpp"

#include <utility>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/core/assert.hpp"

namespace bauhinia::contracts::system {

namespace {

Bytes with_kind(std::uint8_t kind, core::ByteView rest) {
  Bytes k{kind};
  k.insert(k.end(), rest.begin(), rest.end());
  return k;
}

core::ByteView text(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

template <class T>
std::optional<T> load(const StateView& state, const Bytes& key) {
  auto bytes = state.read(kModuleName, key);
  if (!bytes) return std::nullopt;
  auto decoded = core::decode<T>(*bytes);
  if (!decoded) return std::nullopt;
  return std::move(*decoded);
}

}  // namespace

Bytes department_key(std::string_view code) {
  return with_kind(kDepartmentKind, text(code));
}

Bytes role_grant_key(const core::AccountId& account, std::string_view role) {
  Bytes k = with_kind(kRoleGrantKind, account.bytes);
  k.insert(k.end(), role.begin(), role.end());
  return k;
}

Bytes parameter_key(std::string_view name) {
  return with_kind(kParameterKind, text(name));
}
Bytes validator_set_key() {
  return Bytes{kValidatorSetKind};
}
Bytes admin_of_key(const core::AccountId& account) {
  return with_kind(kAdminOfKind, account.bytes);
}

namespace {
Bytes with_u64(std::uint8_t kind, std::uint64_t n) {
  Bytes k{kind};
  for (int shift = 56; shift >= 0; shift -= 8) k.push_back(static_cast<std::uint8_t>(n >> shift));
  return k;
}
}  // namespace

Bytes epoch_validators_key(std::uint64_t epoch) {
  return with_u64(kEpochValidatorsKind, epoch);
}
Bytes proposal_key(std::uint64_t id) {
  return with_u64(kProposalKind, id);
}
Bytes proposal_counter_key() {
  return Bytes{kProposalCounterKind};
}

std::optional<chain::ValidatorSet> epoch_validators(const StateView& state, std::uint64_t epoch) {
  auto record = load<EpochValidators>(state, epoch_validators_key(epoch));
  if (!record) return std::nullopt;
  return std::move(record->set);
}

std::optional<DepartmentRecord> load_department(const StateView& state, std::string_view code) {
  if (code.empty() || code.size() > kMaxDepartmentCodeSize) return std::nullopt;
  return load<DepartmentRecord>(state, department_key(code));
}

std::optional<DepartmentRecord> admin_department(const StateView& state,
                                                 const core::AccountId& account) {
  auto of = load<AdminOf>(state, admin_of_key(account));
  if (!of) return std::nullopt;
  auto dep = load_department(state, of->department);
  if (!dep || !dep->active || dep->admin != account) return std::nullopt;
  return dep;
}

bool has_role(const StateView& state, const core::AccountId& account, std::string_view role) {
  if (role.empty() || role.size() > kMaxRoleSize) return false;
  auto grant = load<RoleGrant>(state, role_grant_key(account, role));
  if (!grant) return false;
  auto dep = load_department(state, grant->department);
  return dep && dep->active;
}

std::optional<std::uint64_t> read_parameter(const StateView& state, std::string_view name) {
  if (name.empty() || name.size() > kMaxParameterNameSize) return std::nullopt;
  auto v = load<ParameterValue>(state, parameter_key(name));
  if (!v) return std::nullopt;
  return v->value;
}

core::Result<std::optional<chain::ValidatorSet>> governed_validator_set(const StateReader& state) {
  using Out = std::optional<chain::ValidatorSet>;
  auto key = chain::state_key(kModuleName, validator_set_key());
  BAUHINIA_ASSERT(key.has_value());
  auto bytes = state.read(*key);
  if (!bytes) return std::move(bytes).error();
  if (!*bytes) return Out{};
  auto record = core::decode<GovernedValidatorSet>(**bytes);
  if (!record) {
    return core::Status::corruption("system validator-set record does not decode: " +
                                    record.error().to_string());
  }
  return Out{std::move(record->set)};
}

}  // namespace bauhinia::contracts::system
