// Roles, parameters, numbering, loading, saving and indexing shared by every call.

#include <vector>

#include "bauhinia/contracts/company/names.hpp"
#include "bauhinia/contracts/company/records.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::environment::detail {

CallResult require_role(const CallContext& call, const StateView& state, std::string_view role,
                        std::string_view reason) {
  if (!system::has_role(state, call.sender(), role)) {
    return fail(TxOutcome::kUnauthorized, reason,
                call.tx().call + ": the sender does not hold the role " + std::string(role));
  }
  return CallResult::success();
}

CallResult require_officer(const CallContext& call, const StateView& state) {
  return require_role(call, state, kEiaOfficerRole, "not_eia_officer");
}

CallResult read_param(const StateView& state, std::string_view name, std::uint64_t& out) {
  auto v = system::read_parameter(state, name);
  if (!v) {
    return fail(TxOutcome::kFailedPrecondition, "missing_parameter",
                "chain parameter " + std::string(name) + " is not set");
  }
  out = *v;
  return CallResult::success();
}

CallResult require_document(const CallContext& call, const core::Hash256& hash,
                            std::string_view what) {
  if (hash.is_zero()) {
    return fail(TxOutcome::kInvalidArgument, "missing_document",
                call.tx().call + ": the " + std::string(what) + " hash is missing (all zero)");
  }
  return CallResult::success();
}

CallResult check_text(const CallContext& call, std::string_view text, std::string_view field) {
  if (!company::is_clean_text(text)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_text",
                call.tx().call + ": " + std::string(field) +
                    " is not UTF-8 text without control characters");
  }
  return CallResult::success();
}

CallResult next_number(const CallContext& call, StateView& state, std::string_view prefix,
                       std::string& out) {
  const auto year = static_cast<std::uint16_t>(
      company::Date::from_days(company::hk_day_of(call.block().timestamp_ms)).year);
  const Bytes key = counter_key(prefix, year);
  CounterRecord counter;
  if (auto bytes = state.read_own(key)) {
    auto c = core::decode<CounterRecord>(*bytes);
    if (!c) {
      return fail(TxOutcome::kFailedPrecondition, "corrupt_record",
                  "stored counter of " + std::string(prefix) + " does not decode");
    }
    counter = *c;
  }
  if (counter.last >= kMaxSerial) {
    return fail(TxOutcome::kLimitExceeded, "numbers_exhausted",
                call.tx().call + ": every " + std::string(prefix) + " number of " +
                    std::to_string(year) + " is used");
  }
  counter.last += 1;
  state.write(key, core::encode(counter));
  out = format_number(prefix, counter.last, year);
  return CallResult::success();
}

namespace {

template <class Record>
CallResult load_record(const StateView& state, const Bytes& key, std::string_view what,
                       std::string_view number, std::string_view not_found, Record& out) {
  auto bytes = state.read(kModuleName, key);
  if (!bytes) {
    return fail(TxOutcome::kNotFound, not_found,
                "no " + std::string(what) + " " + std::string(number));
  }
  auto r = core::decode<Record>(*bytes);
  if (!r) {
    return fail(TxOutcome::kFailedPrecondition, "corrupt_record",
                "stored " + std::string(what) + " " + std::string(number) + " does not decode");
  }
  out = std::move(*r);
  return CallResult::success();
}

bool contains_list(const std::vector<IndexList>& v, const IndexList& l) {
  for (const IndexList& x : v) {
    if (x.head_key() == l.head_key()) return true;
  }
  return false;
}

// Writes a record and moves its key from the lists it left to those it joined.
CallResult save_indexed(StateView& state, const Bytes& key, Bytes value,
                        const std::vector<IndexList>& before, const std::vector<IndexList>& now) {
  for (const IndexList& l : before) {
    if (contains_list(now, l)) continue;
    if (CallResult r = l.remove(state, key); !r.ok()) return r;
  }
  for (const IndexList& l : now) {
    if (CallResult r = l.add(state, key); !r.ok()) return r;
  }
  state.write(key, std::move(value));
  return CallResult::success();
}

IndexList account_list(std::string_view tag, const core::AccountId& account) {
  Bytes name(tag.begin(), tag.end());
  name.insert(name.end(), account.bytes.begin(), account.bytes.end());
  return IndexList(std::move(name));
}

std::vector<IndexList> lists_of(const ProjectRecord& p) {
  return {proponent_list(p.proponent), project_status_list(p.status)};
}

std::vector<IndexList> lists_of(const PermitRecord& p) {
  return {holder_list(p.holder)};
}

std::vector<IndexList> lists_of(const TicketRecord& t) {
  std::vector<IndexList> out{producer_list(t.producer), collector_list(t.collector),
                             reception_list(t.reception_point)};
  if (t.flagged()) out.push_back(flagged_list());
  return out;
}

}  // namespace

IndexList proponent_list(const core::AccountId& account) {
  return account_list("p", account);
}
IndexList project_status_list(ProjectStatus status) {
  const std::string_view s = project_status_name(status);
  Bytes name{'s'};
  name.insert(name.end(), s.begin(), s.end());
  return IndexList(std::move(name));
}
IndexList holder_list(const core::AccountId& account) {
  return account_list("h", account);
}
IndexList producer_list(const core::AccountId& account) {
  return account_list("tp", account);
}
IndexList collector_list(const core::AccountId& account) {
  return account_list("tc", account);
}
IndexList reception_list(const core::AccountId& account) {
  return account_list("tr", account);
}
IndexList flagged_list() {
  const std::string_view s = "flagged";
  return IndexList(Bytes(s.begin(), s.end()));
}

CallResult load_project(const StateView& state, std::string_view number, ProjectRecord& out) {
  if (!valid_number(number, kProjectPrefix)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_number",
                "'" + std::string(number) + "' is not a project number (PP-NNN/YYYY)");
  }
  return load_record(state, project_key(number), "project", number, "project_not_found", out);
}

CallResult save_project(StateView& state, const ProjectRecord* before, const ProjectRecord& after) {
  return save_indexed(state, project_key(after.number), core::encode(after),
                      before ? lists_of(*before) : std::vector<IndexList>{}, lists_of(after));
}

CallResult load_permit(const StateView& state, std::string_view number, PermitRecord& out) {
  if (!valid_number(number, kPermitPrefix)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_number",
                "'" + std::string(number) + "' is not a permit number (EP-NNN/YYYY)");
  }
  return load_record(state, permit_key(number), "permit", number, "permit_not_found", out);
}

CallResult save_permit(StateView& state, const PermitRecord* before, const PermitRecord& after) {
  return save_indexed(state, permit_key(after.number), core::encode(after),
                      before ? lists_of(*before) : std::vector<IndexList>{}, lists_of(after));
}

CallResult load_ticket(const StateView& state, std::string_view number, TicketRecord& out) {
  if (!valid_ticket_number(number)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_ticket_number",
                "a ticket number is 1-24 characters of A-Z, 0-9 and '-'");
  }
  return load_record(state, ticket_key(number), "ticket", number, "ticket_not_found", out);
}

CallResult save_ticket(StateView& state, const TicketRecord* before, const TicketRecord& after) {
  return save_indexed(state, ticket_key(after.number), core::encode(after),
                      before ? lists_of(*before) : std::vector<IndexList>{}, lists_of(after));
}

CallResult illegal_project_transition(const CallContext& call, const ProjectRecord& p,
                                      std::string_view to) {
  return fail(TxOutcome::kFailedPrecondition, "illegal_transition",
              call.tx().call + ": project " + p.number + " cannot go from " +
                  std::string(project_status_name(p.status)) + " to " + std::string(to));
}

CallResult illegal_permit_transition(const CallContext& call, const PermitRecord& p,
                                     std::string_view to) {
  return fail(TxOutcome::kFailedPrecondition, "illegal_transition",
              call.tx().call + ": permit " + p.number + " is " +
                  std::string(permit_status_name(p.status)) + " and cannot be " + std::string(to));
}

}  // namespace bauhinia::contracts::environment::detail
