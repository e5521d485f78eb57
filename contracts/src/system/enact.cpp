// The terms of each proposal kind: whether they can take effect, and their effect.

#include <algorithm>
#include <string>

#include "bauhinia/contracts/system/lists.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::system::detail {

namespace {

// Event "validator_set_changed", "department_added", "department_retired",
// "admin_key_rotated", "parameter_changed" (record: the changed record).
struct EnactedEvent {
  std::uint64_t proposal = 0;
  ProposalKind kind = ProposalKind::kAddValidator;
  Bytes terms;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u64(s.proposal);
    c.enumeration(s.kind, kLastProposalKind);
    c.bytes(s.terms, kMaxTermsSize, "terms");
  }
};

template <class T>
core::Checked<T> decode_terms(const Bytes& terms) {
  return core::decode<T>(terms);
}

CallResult malformed_terms(ProposalKind kind, const core::Rejection& r) {
  return fail(TxOutcome::kInvalidArgument, "malformed_terms",
              std::string(proposal_kind_name(kind)) + " terms: " + r.to_string());
}

bool valid_department_code(std::string_view code) {
  return code.size() >= 2 && code.size() <= kMaxDepartmentCodeSize &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::optional<CallResult> active_department_refusal(const StateView& state, std::string_view code) {
  auto dep = load_department(state, code);
  if (!dep) {
    return fail(TxOutcome::kNotFound, "unknown_department",
                "no department '" + std::string(code.substr(0, kMaxDepartmentCodeSize)) + "'");
  }
  if (!dep->active) {
    return fail(TxOutcome::kFailedPrecondition, "department_retired",
                "department " + std::string(code) + " is retired");
  }
  return std::nullopt;
}

std::optional<CallResult> validator_key_refusal(const core::ed25519::PublicKey& key) {
  if (!core::ed25519::PublicKey::from_bytes(key.bytes)) {
    return fail(TxOutcome::kInvalidArgument, "bad_validator_key",
                "not a valid Ed25519 public key: " + key.to_hex());
  }
  return std::nullopt;
}

std::optional<CallResult> admin_key_refusal(const StateView& state,
                                            const core::schnorr::PublicKey& key) {
  if (!core::schnorr::PublicKey::from_bytes(key.bytes)) {
    return fail(TxOutcome::kInvalidArgument, "bad_admin_key",
                "not a valid BIP-340 public key: " + key.to_hex());
  }
  if (state.read(kModuleName, admin_of_key(core::account_id_of(key)))) {
    return fail(TxOutcome::kAlreadyExists, "admin_key_in_use",
                "the key's account is (or was) a department admin");
  }
  return std::nullopt;
}

// The governed set with `change` applied (epoch unchanged), or why not.
template <class Change>
core::Checked<chain::ValidatorSet> changed_set(const StateView& state, CallResult& refusal,
                                               Change change) {
  auto record = read<GovernedValidatorSet>(state, validator_set_key());
  if (!record || !*record) {
    refusal = corrupt("validator set");
    return core::reject(core::Reject::kInvalid, "");
  }
  chain::ValidatorSet set = (*record)->set;
  if (auto r = change(set)) {
    refusal = *r;
    return core::reject(core::Reject::kInvalid, "");
  }
  if (auto v = set.validate(); !v) {
    refusal = fail(TxOutcome::kInvalidArgument, "invalid_validator_set",
                   "the resulting validator set is refused: " + v.rejection().to_string());
    return core::reject(core::Reject::kInvalid, "");
  }
  return set;
}

auto find_key(chain::ValidatorSet& set, const core::ed25519::PublicKey& key) {
  return std::find_if(set.validators.begin(), set.validators.end(),
                      [&](const chain::ValidatorInfo& v) { return v.key == key; });
}

CallResult unknown_validator(const core::ed25519::PublicKey& key) {
  return fail(TxOutcome::kNotFound, "unknown_validator",
              "no validator with key " + key.to_hex() + " in the governed set");
}

CallResult validator_exists(const core::ed25519::PublicKey& key) {
  return fail(TxOutcome::kAlreadyExists, "validator_exists",
              "key " + key.to_hex() + " is already a validator's");
}

// The validator set after the terms of a validator proposal, or why not.
core::Checked<chain::ValidatorSet> next_set(const StateView& state, ProposalKind kind,
                                            const Bytes& terms, CallResult& refusal) {
  if (kind == ProposalKind::kAddValidator) {
    auto t = decode_terms<AddValidatorTerms>(terms);
    if (!t) {
      refusal = malformed_terms(kind, t.error());
      return core::reject(core::Reject::kInvalid, "");
    }
    return changed_set(state, refusal, [&](chain::ValidatorSet& set) -> std::optional<CallResult> {
      if (auto r = validator_key_refusal(t->key)) return r;
      if (t->name.empty() || t->voting_power == 0 || t->voting_power > chain::kMaxVotingPower) {
        return fail(TxOutcome::kInvalidArgument, "invalid_terms",
                    "add_validator: a name and a voting power 1.." +
                        std::to_string(chain::kMaxVotingPower));
      }
      if (auto r = active_department_refusal(state, t->department)) return r;
      if (find_key(set, t->key) != set.validators.end()) return validator_exists(t->key);
      set.validators.push_back(chain::ValidatorInfo{t->key, t->voting_power, t->name});
      return std::nullopt;
    });
  }
  if (kind == ProposalKind::kRemoveValidator) {
    auto t = decode_terms<RemoveValidatorTerms>(terms);
    if (!t) {
      refusal = malformed_terms(kind, t.error());
      return core::reject(core::Reject::kInvalid, "");
    }
    return changed_set(state, refusal, [&](chain::ValidatorSet& set) -> std::optional<CallResult> {
      auto it = find_key(set, t->key);
      if (it == set.validators.end()) return unknown_validator(t->key);
      if (set.validators.size() == 1) {
        return fail(TxOutcome::kFailedPrecondition, "last_validator",
                    "the chain's last validator cannot be removed");
      }
      set.validators.erase(it);
      return std::nullopt;
    });
  }
  auto t = decode_terms<RotateValidatorKeyTerms>(terms);
  if (!t) {
    refusal = malformed_terms(kind, t.error());
    return core::reject(core::Reject::kInvalid, "");
  }
  return changed_set(state, refusal, [&](chain::ValidatorSet& set) -> std::optional<CallResult> {
    if (auto r = validator_key_refusal(t->new_key)) return r;
    auto it = find_key(set, t->old_key);
    if (it == set.validators.end()) return unknown_validator(t->old_key);
    if (find_key(set, t->new_key) != set.validators.end()) return validator_exists(t->new_key);
    it->key = t->new_key;
    return std::nullopt;
  });
}

bool is_validator_kind(ProposalKind kind) {
  return kind == ProposalKind::kAddValidator || kind == ProposalKind::kRemoveValidator ||
         kind == ProposalKind::kRotateValidatorKey;
}

}  // namespace

std::optional<CallResult> terms_refusal(const ModuleSet& modules, const CallContext& /*call*/,
                                        const StateView& state, ProposalKind kind,
                                        const Bytes& terms) {
  if (is_validator_kind(kind)) {
    CallResult refusal;
    if (!next_set(state, kind, terms, refusal)) return refusal;
    return std::nullopt;
  }
  switch (kind) {
    case ProposalKind::kAddDepartment: {
      auto t = decode_terms<AddDepartmentTerms>(terms);
      if (!t) return malformed_terms(kind, t.error());
      if (!valid_department_code(t->code)) {
        return fail(TxOutcome::kInvalidArgument, "invalid_department_code",
                    "a department code is 2..16 upper-case letters, got '" + t->code + "'");
      }
      if (t->name.empty()) {
        return fail(TxOutcome::kInvalidArgument, "invalid_terms", "add_department: empty name");
      }
      if (load_department(state, t->code)) {
        return fail(TxOutcome::kAlreadyExists, "department_exists",
                    "department code " + t->code + " is (or was) in use");
      }
      if (departments_list().size(state) >= kMaxDepartments) {
        return fail(TxOutcome::kLimitExceeded, "too_many_departments",
                    "a chain has at most " + std::to_string(kMaxDepartments) + " departments");
      }
      return admin_key_refusal(state, t->admin_key);
    }
    case ProposalKind::kRetireDepartment: {
      auto t = decode_terms<RetireDepartmentTerms>(terms);
      if (!t) return malformed_terms(kind, t.error());
      if (auto r = active_department_refusal(state, t->code)) return r;
      if (active_departments(state) <= 1) {
        return fail(TxOutcome::kFailedPrecondition, "last_department",
                    "the last active department cannot be retired");
      }
      return std::nullopt;
    }
    case ProposalKind::kRotateAdminKey: {
      auto t = decode_terms<RotateAdminKeyTerms>(terms);
      if (!t) return malformed_terms(kind, t.error());
      if (auto r = active_department_refusal(state, t->code)) return r;
      return admin_key_refusal(state, t->new_admin_key);
    }
    case ProposalKind::kSetParameter: {
      auto t = decode_terms<SetParameterTerms>(terms);
      if (!t) return malformed_terms(kind, t.error());
      const ParameterSpec* spec = modules.find_parameter(t->name);
      if (spec == nullptr) {
        return fail(TxOutcome::kNotFound, "unknown_parameter",
                    "no chain parameter '" + t->name + "'");
      }
      if (t->value < spec->min_value || t->value > spec->max_value) {
        return fail(TxOutcome::kInvalidArgument, "parameter_out_of_range",
                    t->name + " = " + std::to_string(t->value) + " is outside " +
                        std::to_string(spec->min_value) + ".." + std::to_string(spec->max_value));
      }
      return std::nullopt;
    }
    default: break;
  }
  return fail(TxOutcome::kInvalidArgument, "malformed_terms", "unknown proposal kind");
}

CallResult enact(const ModuleSet& /*modules*/, CallContext& call, StateView& state,
                 const ProposalRecord& p) {
  const BlockContext& block = call.block();
  const EnactedEvent event{p.id, p.kind, p.terms};
  if (is_validator_kind(p.kind)) {
    auto current = read<GovernedValidatorSet>(state, validator_set_key());
    if (!current || !*current) return corrupt("validator set");
    if ((*current)->set.epoch > block.epoch) {
      return fail(TxOutcome::kFailedPrecondition, "epoch_change_pending",
                  "the validator set of epoch " + std::to_string((*current)->set.epoch) +
                      " is decided and takes effect when epoch " + std::to_string(block.epoch) +
                      " ends; approve again in the next epoch");
    }
    CallResult refusal;
    auto set = next_set(state, p.kind, p.terms, refusal);
    if (!set) return refusal;
    set->epoch = block.epoch + 1;
    GovernedValidatorSet governed;
    governed.set = *set;
    governed.changed_height = block.height;
    state.write(validator_set_key(), core::encode(governed));
    state.write(epoch_validators_key(set->epoch),
                core::encode(EpochValidators{EpochValidators::kVersion, *set, block.height}));
    call.emit("validator_set_changed", validator_set_key(), core::encode(event));
    return CallResult::success();
  }
  switch (p.kind) {
    case ProposalKind::kAddDepartment: {
      auto t = decode_terms<AddDepartmentTerms>(p.terms);
      if (!t) return malformed_terms(p.kind, t.error());
      DepartmentRecord dep;
      dep.code = t->code;
      dep.name = t->name;
      dep.admin = core::account_id_of(t->admin_key);
      dep.admin_key = t->admin_key;
      dep.since_height = block.height;
      const Bytes key = department_key(dep.code);
      state.write(key, core::encode(dep));
      state.write(admin_of_key(dep.admin), core::encode(AdminOf{AdminOf::kVersion, dep.code}));
      if (CallResult r = departments_list().add(state, key); !r.ok()) return r;
      call.mention_account(dep.admin);
      call.emit("department_added", key, core::encode(event));
      return CallResult::success();
    }
    case ProposalKind::kRetireDepartment: {
      auto t = decode_terms<RetireDepartmentTerms>(p.terms);
      if (!t) return malformed_terms(p.kind, t.error());
      auto dep = load_department(state, t->code);
      if (!dep) return corrupt("department " + t->code);
      dep->active = false;
      dep->since_height = block.height;
      state.write(department_key(dep->code), core::encode(*dep));
      call.emit("department_retired", department_key(dep->code), core::encode(event));
      return CallResult::success();
    }
    case ProposalKind::kRotateAdminKey: {
      auto t = decode_terms<RotateAdminKeyTerms>(p.terms);
      if (!t) return malformed_terms(p.kind, t.error());
      auto dep = load_department(state, t->code);
      if (!dep) return corrupt("department " + t->code);
      // The old admin account keeps its AdminOf record (so it can never
      // become another department's admin) but no longer matches dep.admin.
      dep->admin = core::account_id_of(t->new_admin_key);
      dep->admin_key = t->new_admin_key;
      dep->since_height = block.height;
      state.write(department_key(dep->code), core::encode(*dep));
      state.write(admin_of_key(dep->admin), core::encode(AdminOf{AdminOf::kVersion, dep->code}));
      call.mention_account(dep->admin);
      call.emit("admin_key_rotated", department_key(dep->code), core::encode(event));
      return CallResult::success();
    }
    case ProposalKind::kSetParameter: {
      auto t = decode_terms<SetParameterTerms>(p.terms);
      if (!t) return malformed_terms(p.kind, t.error());
      const Bytes key = parameter_key(t->name);
      state.write(key,
                  core::encode(ParameterValue{ParameterValue::kVersion, t->value, block.height}));
      call.emit("parameter_changed", key, core::encode(event));
      return CallResult::success();
    }
    default: break;
  }
  return fail(TxOutcome::kInvalidArgument, "malformed_terms", "unknown proposal kind");
}

}  // namespace bauhinia::contracts::system::detail
