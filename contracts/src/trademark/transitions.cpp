// The status lifecycle (docs/contracts/trademark.md, "States and transitions"):
//   filed → examination → accepted → published → registered | opposed
//   opposed → registered | refused;   filed | examination | opposed → refused
//   filed .. opposed → withdrawn (by the applicant)
//   registered: renew (window before expiry, late within the grace after it),
//   → removed (after the grace) → registered (restore, within its window),
//   → revoked, → invalidated.
// Every deadline is a chain parameter read here, at execution.

#include <initializer_list>

#include "bauhinia/contracts/trademark/calendar.hpp"
#include "bauhinia/contracts/trademark/module.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::trademark::detail {

namespace {

template <class T>
bool one_of(T s, std::initializer_list<T> set) {
  for (T x : set) {
    if (x == s) return true;
  }
  return false;
}

std::string date_text(std::uint64_t ms) {
  const CivilDate d = hong_kong_date(ms);
  return std::to_string(d.year) + "-" + (d.month < 10 ? "0" : "") + std::to_string(d.month) + "-" +
         (d.day < 10 ? "0" : "") + std::to_string(d.day);
}

CallResult ground_not_applicable(std::string_view call, Ground g) {
  return fail(TxOutcome::kInvalidArgument, "ground_not_applicable",
              std::string(call) + ": ground " + std::string(ground_name(g)) +
                  " does not apply to this act");
}

// Moves `m` to `to`, emitting status_changed.
void set_status(CallContext& call, MarkRecord& m, Status to, Ground ground = Ground::kNone) {
  call.emit("status_changed", mark_key(m.number),
            core::encode(StatusChangedEvent{m.number, m.status, to, ground}));
  m.status = to;
  m.status_changed_ms = call.block().timestamp_ms;
}

}  // namespace

CallResult apply_transition(CallContext& call, StateView& state) {
  const std::string& name = call.tx().call;
  const std::uint64_t now = call.block().timestamp_ms;
  MarkRecord m;
  Ground ground = Ground::kNone;
  if (name == "refuse" || name == "revoke" || name == "invalidate") {
    GroundArgs args;
    if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
    if (CallResult r = require_registrar(call, state); !r.ok()) return r;
    if (CallResult r = load_mark(state, args.number, m); !r.ok()) return r;
    ground = args.ground;
  } else {
    MarkArgs args;
    if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
    if (name == "withdraw") {
      if (CallResult r = load_mark(state, args.number, m); !r.ok()) return r;
      if (call.sender() != m.owner.account) {
        return fail(
            TxOutcome::kUnauthorized, "not_applicant",
            "withdraw: only the applicant (the mark's owner account) withdraws " + m.number);
      }
    } else {
      if (CallResult r = require_registrar(call, state); !r.ok()) return r;
      if (CallResult r = load_mark(state, args.number, m); !r.ok()) return r;
    }
  }
  const MarkRecord before = m;

  if (name == "examine") {
    if (m.status != Status::kFiled) return illegal_transition(m, name, Status::kExamination);
    set_status(call, m, Status::kExamination);
  } else if (name == "accept") {
    if (m.status != Status::kExamination) return illegal_transition(m, name, Status::kAccepted);
    set_status(call, m, Status::kAccepted);
  } else if (name == "publish") {
    if (m.status != Status::kAccepted) return illegal_transition(m, name, Status::kPublished);
    std::uint64_t days = 0;
    if (CallResult r = read_param(state, kOppositionPeriodDays, days); !r.ok()) return r;
    m.published_ms = now;
    m.opposition_deadline_ms = add_days(now, days);
    set_status(call, m, Status::kPublished);
  } else if (name == "extend_opposition") {
    if (m.status != Status::kPublished) return illegal_transition(m, name, Status::kPublished);
    if (m.opposition_extended) {
      return fail(
          TxOutcome::kFailedPrecondition, "already_extended",
          "extend_opposition: the opposition period of " + m.number + " was already extended once");
    }
    if (now >= m.opposition_deadline_ms) {
      return fail(TxOutcome::kFailedPrecondition, "opposition_window_closed",
                  "extend_opposition: the opposition period of " + m.number + " ended " +
                      date_text(m.opposition_deadline_ms));
    }
    std::uint64_t days = 0;
    if (CallResult r = read_param(state, kOppositionExtensionDays, days); !r.ok()) return r;
    m.opposition_deadline_ms = add_days(m.opposition_deadline_ms, days);
    m.opposition_extended = true;
    call.emit("opposition_extended", mark_key(m.number),
              core::encode(DeadlineEvent{m.number, m.opposition_deadline_ms, false}));
  } else if (name == "oppose") {
    if (m.status != Status::kPublished) return illegal_transition(m, name, Status::kOpposed);
    if (now >= m.opposition_deadline_ms) {
      return fail(TxOutcome::kFailedPrecondition, "opposition_window_closed",
                  "oppose: the opposition period of " + m.number + " ended " +
                      date_text(m.opposition_deadline_ms));
    }
    set_status(call, m, Status::kOpposed);
  } else if (name == "register") {
    if (!one_of(m.status, {Status::kPublished, Status::kOpposed})) {
      return illegal_transition(m, name, Status::kRegistered);
    }
    if (m.status == Status::kPublished && now < m.opposition_deadline_ms) {
      return fail(TxOutcome::kFailedPrecondition, "opposition_window_open",
                  "register: the opposition period of " + m.number + " runs until " +
                      date_text(m.opposition_deadline_ms));
    }
    std::uint64_t term = 0;
    if (CallResult r = read_param(state, kTermYears, term); !r.ok()) return r;
    m.registration_date_ms = m.filing_date_ms;  // registration dates back to filing
    m.entered_ms = now;
    m.expiry_ms = add_years(m.filing_date_ms, term);
    set_status(call, m, Status::kRegistered);
  } else if (name == "refuse") {
    if (!one_of(m.status, {Status::kFiled, Status::kExamination, Status::kOpposed})) {
      return illegal_transition(m, name, Status::kRefused);
    }
    const bool opposition = ground == Ground::kOppositionUpheld;
    if (!one_of(ground, {Ground::kAbsolute, Ground::kRelative, Ground::kBadFaith,
                         Ground::kOppositionUpheld}) ||
        (opposition && m.status != Status::kOpposed)) {
      return ground_not_applicable(name, ground);
    }
    m.ground = ground;
    set_status(call, m, Status::kRefused, ground);
  } else if (name == "withdraw") {
    if (!one_of(m.status, {Status::kFiled, Status::kExamination, Status::kAccepted,
                           Status::kPublished, Status::kOpposed})) {
      return illegal_transition(m, name, Status::kWithdrawn);
    }
    set_status(call, m, Status::kWithdrawn);
  } else if (name == "renew") {
    if (m.status != Status::kRegistered) return illegal_transition(m, name, Status::kRegistered);
    std::uint64_t window = 0;
    std::uint64_t grace = 0;
    std::uint64_t term = 0;
    if (CallResult r = read_param(state, kRenewalWindowDays, window); !r.ok()) return r;
    if (CallResult r = read_param(state, kLateRenewalGraceDays, grace); !r.ok()) return r;
    if (CallResult r = read_param(state, kTermYears, term); !r.ok()) return r;
    if (add_days(now, window) < m.expiry_ms) {
      return fail(TxOutcome::kFailedPrecondition, "renewal_not_open",
                  "renew: " + m.number + " expires " + date_text(m.expiry_ms) + "; renewal opens " +
                      std::to_string(window) + " days before");
    }
    if (now >= add_days(m.expiry_ms, grace)) {
      return fail(TxOutcome::kFailedPrecondition, "renewal_window_closed",
                  "renew: " + m.number + " expired " + date_text(m.expiry_ms) +
                      " and its late-renewal grace is over; it can only be removed");
    }
    m.last_renewal_late = now >= m.expiry_ms;
    m.renewals += 1;
    m.expiry_ms = add_years(m.expiry_ms, term);
    call.emit("renewed", mark_key(m.number),
              core::encode(DeadlineEvent{m.number, m.expiry_ms, m.last_renewal_late}));
  } else if (name == "remove") {
    if (m.status != Status::kRegistered) return illegal_transition(m, name, Status::kRemoved);
    std::uint64_t grace = 0;
    if (CallResult r = read_param(state, kLateRenewalGraceDays, grace); !r.ok()) return r;
    if (now < add_days(m.expiry_ms, grace)) {
      return fail(TxOutcome::kFailedPrecondition, "grace_not_over",
                  "remove: " + m.number + " may still be renewed until " +
                      date_text(add_days(m.expiry_ms, grace)));
    }
    m.removed_ms = now;
    set_status(call, m, Status::kRemoved);
  } else if (name == "restore") {
    if (m.status != Status::kRemoved) return illegal_transition(m, name, Status::kRegistered);
    std::uint64_t window = 0;
    std::uint64_t term = 0;
    if (CallResult r = read_param(state, kRestorationWindowDays, window); !r.ok()) return r;
    if (CallResult r = read_param(state, kTermYears, term); !r.ok()) return r;
    if (now >= add_days(m.removed_ms, window)) {
      return fail(TxOutcome::kFailedPrecondition, "restoration_window_closed",
                  "restore: " + m.number + " was removed " + date_text(m.removed_ms) +
                      "; restoration closed after " + std::to_string(window) + " days");
    }
    // Restoration comes with the renewal that was missed: a new term from the old expiry.
    m.expiry_ms = add_years(m.expiry_ms, term);
    m.renewals += 1;
    m.last_renewal_late = true;
    m.removed_ms = 0;
    set_status(call, m, Status::kRegistered);
    call.emit("restored", mark_key(m.number),
              core::encode(DeadlineEvent{m.number, m.expiry_ms, true}));
  } else if (name == "revoke") {
    if (m.status != Status::kRegistered) return illegal_transition(m, name, Status::kRevoked);
    if (!one_of(ground, {Ground::kNonUse, Ground::kGenericName, Ground::kMisleading})) {
      return ground_not_applicable(name, ground);
    }
    if (ground == Ground::kNonUse) {
      std::uint64_t years = 0;
      if (CallResult r = read_param(state, kNonUseYears, years); !r.ok()) return r;
      if (now < add_years(m.entered_ms, years)) {
        return fail(TxOutcome::kFailedPrecondition, "non_use_period_not_over",
                    "revoke: " + m.number + " was entered on the register " +
                        date_text(m.entered_ms) + "; non-use counts only after " +
                        std::to_string(years) + " years");
      }
    }
    m.ground = ground;
    set_status(call, m, Status::kRevoked, ground);
  } else if (name == "invalidate") {
    if (m.status != Status::kRegistered) return illegal_transition(m, name, Status::kInvalidated);
    if (!one_of(ground, {Ground::kAbsolute, Ground::kRelative, Ground::kBadFaith})) {
      return ground_not_applicable(name, ground);
    }
    m.ground = ground;
    set_status(call, m, Status::kInvalidated, ground);
  } else {
    return fail(TxOutcome::kInvalidArgument, "unknown_call", "trademark has no call " + name);
  }
  call.mention_account(m.owner.account);
  return save_mark(state, &before, m);
}

}  // namespace bauhinia::contracts::trademark::detail
