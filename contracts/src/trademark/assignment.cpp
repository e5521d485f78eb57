// The registrable transactions (s.29): assignment (whole or partial, with or
// without goodwill), licence and security interest. Each is recorded by a
// registrar and carries the co-signature of the owner who grants it (for an
// assignment, s.28: signed by the assignor) over the terms (cosignature.hpp).

#include <algorithm>

#include "bauhinia/contracts/trademark/number.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::trademark::detail {

namespace {

// Splits `classes` by `scope` (each scope class in the mark; no items = the
// whole class, else items of that class) into what moves and what remains.
CallResult split_scope(const std::vector<ClassSpec>& classes, const std::vector<ClassSpec>& scope,
                       std::vector<ClassSpec>& moved, std::vector<ClassSpec>& remaining) {
  if (CallResult r = check_classes(scope, "scope", true); !r.ok()) return r;
  moved.clear();
  remaining.clear();
  for (const ClassSpec& s : scope) {
    const bool found = std::any_of(classes.begin(), classes.end(), [&](const ClassSpec& c) {
      return c.nice_class == s.nice_class;
    });
    if (!found) {
      return fail(TxOutcome::kInvalidArgument, "scope_not_in_mark",
                  "scope: the mark has no class " + std::to_string(s.nice_class));
    }
  }
  for (const ClassSpec& c : classes) {
    auto s = std::find_if(scope.begin(), scope.end(),
                          [&](const ClassSpec& x) { return x.nice_class == c.nice_class; });
    if (s == scope.end()) {
      remaining.push_back(c);
      continue;
    }
    if (s->items.empty()) {
      moved.push_back(c);
      continue;
    }
    for (const std::string& item : s->items) {
      if (std::find(c.items.begin(), c.items.end(), item) == c.items.end()) {
        return fail(TxOutcome::kInvalidArgument, "scope_not_in_mark",
                    "scope: class " + std::to_string(c.nice_class) + " of the mark has no item '" +
                        item + "'");
      }
    }
    ClassSpec out{c.nice_class, {}};
    ClassSpec keep{c.nice_class, {}};
    for (const std::string& item : c.items) {
      const bool goes = std::find(s->items.begin(), s->items.end(), item) != s->items.end();
      (goes ? out : keep).items.push_back(item);
    }
    moved.push_back(std::move(out));
    if (!keep.items.empty()) remaining.push_back(std::move(keep));
  }
  return CallResult::success();
}

// The rules every co-signed transaction shares: registrar, a live mark, the
// named grantor is the owner and co-signed, the counterparty is valid.
CallResult check_common(const CallContext& call, const StateView& state, const Bytes& terms,
                        const std::vector<Cosignature>& cosignatures, std::string_view number,
                        const core::AccountId& grantor, const Party& counterparty,
                        std::string_view grantor_role, std::string_view counterparty_role,
                        MarkRecord& mark) {
  if (CallResult r = require_registrar(call, state); !r.ok()) return r;
  if (CallResult r = load_mark(state, number, mark); !r.ok()) return r;
  const std::string& name = call.tx().call;
  if (!is_live(mark.status)) {
    return fail(TxOutcome::kFailedPrecondition, "mark_not_live",
                name + ": mark " + mark.number + " is " + std::string(status_name(mark.status)));
  }
  const std::string who(grantor_role);
  if (grantor != mark.owner.account) {
    return fail(TxOutcome::kFailedPrecondition,
                grantor_role == "assignor" ? "assignor_not_owner" : "grantor_not_owner",
                name + ": the " + who + " is not the current owner of " + mark.number);
  }
  if (CallResult r = check_cosignatures(call, state, terms, cosignatures); !r.ok()) return r;
  if (!cosigned_by(cosignatures, grantor)) {
    return fail(
        TxOutcome::kUnauthorized,
        grantor_role == "assignor" ? "assignor_not_cosigned" : "owner_not_cosigned",
        name + ": the " + who + " (the owner of " + mark.number + ") has not co-signed the terms");
  }
  if (counterparty.account == mark.owner.account) {
    return fail(TxOutcome::kInvalidArgument, "counterparty_is_owner",
                name + ": the " + std::string(counterparty_role) + " is the owner itself");
  }
  return check_party(state, counterparty, counterparty_role);
}

CallResult check_date(const CallContext& call, std::uint64_t ms, std::string_view what) {
  if (ms > call.block().timestamp_ms) {
    return fail(TxOutcome::kInvalidArgument, "date_in_future",
                call.tx().call + ": the " + std::string(what) + " is after the block's time");
  }
  return CallResult::success();
}

HistoryRecord base_record(const CallContext& call, TransactionKind kind, const MarkRecord& mark,
                          const Party& to, std::uint64_t effective_ms,
                          const core::Hash256& deed_hash) {
  HistoryRecord h;
  h.kind = kind;
  h.transaction_id = call.transaction_id();
  h.height = call.block().height;
  h.entry_ms = call.block().timestamp_ms;
  h.effective_ms = effective_ms;
  h.from = mark.owner;
  h.to = to;
  h.deed_hash = deed_hash;
  return h;
}

// The next free divisional number of the mark's family.
CallResult next_divisional_number(StateView& state, const MarkRecord& mark, std::string& out) {
  const std::string base(base_of(mark.number));
  FamilyRecord family;
  if (auto bytes = state.read_own(family_key(base))) {
    auto f = core::decode<FamilyRecord>(*bytes);
    if (!f) {
      return fail(TxOutcome::kFailedPrecondition, "corrupt_record",
                  "stored family record of " + base + " does not decode");
    }
    family = *f;
  }
  while (family.next_suffix < kSuffixCount) {
    std::string candidate = base + suffix_of(family.next_suffix);
    family.next_suffix += 1;
    if (!state.read_own(mark_key(candidate))) {  // skip numbers IPD already used
      state.write(family_key(base), core::encode(family));
      out = std::move(candidate);
      return CallResult::success();
    }
  }
  return fail(TxOutcome::kLimitExceeded, "no_suffix_left",
              "assign: every divisional suffix AA..ZZ of " + base + " is used");
}

}  // namespace

CallResult apply_assign(CallContext& call, StateView& state) {
  AssignPayload p;
  if (CallResult r = decode_args(call.tx(), p); !r.ok()) return r;
  const AssignTerms& t = p.terms;
  MarkRecord mark;
  if (CallResult r = check_common(call, state, core::encode(t), p.cosignatures, t.number,
                                  t.assignor, t.assignee, "assignor", "assignee", mark);
      !r.ok()) {
    return r;
  }
  if (CallResult r = check_date(call, t.assignment_date_ms, "assignment date"); !r.ok()) return r;
  const MarkRecord before = mark;
  mention_cosigners(call, p.cosignatures);
  call.mention_account(t.assignee.account);

  if (t.scope.empty()) {
    HistoryRecord h = base_record(call, TransactionKind::kAssignment, mark, t.assignee,
                                  t.assignment_date_ms, t.deed_hash);
    h.with_goodwill = t.with_goodwill;
    append_history(state, mark, h);
    mark.owner = t.assignee;
    if (CallResult r = save_mark(state, &before, mark); !r.ok()) return r;
    call.emit("assigned", mark_key(mark.number),
              core::encode(TransactionRecordedEvent{mark.number, mark.history_size - 1,
                                                    t.assignee.account, ""}));
    return CallResult::success();
  }

  std::vector<ClassSpec> moved;
  std::vector<ClassSpec> remaining;
  if (CallResult r = split_scope(mark.classes, t.scope, moved, remaining); !r.ok()) return r;
  if (remaining.empty()) {
    return fail(TxOutcome::kInvalidArgument, "scope_is_whole",
                "assign: the scope covers every class and item of " + mark.number +
                    "; assign the whole mark with an empty scope");
  }
  if (mark.children.size() >= kMaxChildren) {
    return fail(TxOutcome::kLimitExceeded, "too_many_divisions",
                "assign: " + mark.number + " already has " + std::to_string(kMaxChildren) +
                    " divisional registrations");
  }
  std::string child_number;
  if (CallResult r = next_divisional_number(state, mark, child_number); !r.ok()) return r;

  HistoryRecord out = base_record(call, TransactionKind::kPartialAssignment, mark, t.assignee,
                                  t.assignment_date_ms, t.deed_hash);
  out.scope = moved;
  out.with_goodwill = t.with_goodwill;
  out.related = child_number;
  append_history(state, mark, out);
  const std::uint32_t out_index = mark.history_size - 1;

  // The new registration: same mark, dates and status; the assignee's; the moved goods.
  MarkRecord child = before;
  child.number = child_number;
  child.owner = t.assignee;
  child.classes = moved;
  child.parent = mark.number;
  child.children.clear();
  child.history_size = 0;
  HistoryRecord in = out;
  in.kind = TransactionKind::kSplitFrom;
  in.related = mark.number;
  in.related_index = out_index;
  append_history(state, child, in);

  mark.classes = std::move(remaining);
  mark.children.push_back(child_number);
  if (CallResult r = save_mark(state, &before, mark); !r.ok()) return r;
  if (CallResult r = save_mark(state, nullptr, child); !r.ok()) return r;
  call.emit("partially_assigned", mark_key(mark.number),
            core::encode(TransactionRecordedEvent{mark.number, out_index, t.assignee.account,
                                                  child_number}));
  return CallResult::success();
}

CallResult apply_licence(CallContext& call, StateView& state) {
  LicencePayload p;
  if (CallResult r = decode_args(call.tx(), p); !r.ok()) return r;
  const LicenceTerms& t = p.terms;
  MarkRecord mark;
  if (CallResult r = check_common(call, state, core::encode(t), p.cosignatures, t.number,
                                  t.licensor, t.licensee, "licensor", "licensee", mark);
      !r.ok()) {
    return r;
  }
  if (t.end_ms != 0 && t.end_ms <= t.start_ms) {
    return fail(TxOutcome::kInvalidArgument, "invalid_term",
                "record_licence: the licence ends before it starts");
  }
  std::vector<ClassSpec> moved;
  std::vector<ClassSpec> remaining;
  if (!t.scope.empty()) {
    if (CallResult r = split_scope(mark.classes, t.scope, moved, remaining); !r.ok()) return r;
  }
  const MarkRecord before = mark;
  mention_cosigners(call, p.cosignatures);
  call.mention_account(t.licensee.account);
  HistoryRecord h =
      base_record(call, TransactionKind::kLicence, mark, t.licensee, t.start_ms, t.deed_hash);
  h.scope = moved;
  h.exclusive = t.exclusive;
  h.end_ms = t.end_ms;
  append_history(state, mark, h);
  if (CallResult r = save_mark(state, &before, mark); !r.ok()) return r;
  call.emit("licence_recorded", mark_key(mark.number),
            core::encode(TransactionRecordedEvent{mark.number, mark.history_size - 1,
                                                  t.licensee.account, ""}));
  return CallResult::success();
}

CallResult apply_security(CallContext& call, StateView& state) {
  SecurityPayload p;
  if (CallResult r = decode_args(call.tx(), p); !r.ok()) return r;
  const SecurityTerms& t = p.terms;
  MarkRecord mark;
  if (CallResult r = check_common(call, state, core::encode(t), p.cosignatures, t.number, t.chargor,
                                  t.holder, "chargor", "security holder", mark);
      !r.ok()) {
    return r;
  }
  if (CallResult r = check_date(call, t.effective_ms, "date of the security interest"); !r.ok()) {
    return r;
  }
  const MarkRecord before = mark;
  mention_cosigners(call, p.cosignatures);
  call.mention_account(t.holder.account);
  append_history(state, mark,
                 base_record(call, TransactionKind::kSecurityInterest, mark, t.holder,
                             t.effective_ms, t.deed_hash));
  if (CallResult r = save_mark(state, &before, mark); !r.ok()) return r;
  call.emit("security_interest_recorded", mark_key(mark.number),
            core::encode(TransactionRecordedEvent{mark.number, mark.history_size - 1,
                                                  t.holder.account, ""}));
  return CallResult::success();
}

}  // namespace bauhinia::contracts::trademark::detail
