// register_existing: the registrar takes over a mark from the legacy register
// (the ledger launches over the existing Trade Marks Registry). The mark gets
// the particulars file checks, its historic filing and entry dates, and its
// status there, registered (with its renewals so far) or removed; from then on
// renew / remove / restore / assign / licence act on it as on any mark.
//
// The record is what a registration on the ledger would have produced, plus
// history record 0 of kind `migration` (block, entry time, the legacy entry
// date, the owner, the SHA-256 of the legacy extract): the public sees that
// the data came from the legacy register, on which block.

#include <optional>

#include "bauhinia/contracts/trademark/calendar.hpp"
#include "bauhinia/contracts/trademark/module.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::trademark::detail {

namespace {

// Cap. 559 commenced on 2003-04-04. Marks filed before it were registered
// under the repealed Trade Marks Ordinance (Cap. 43), whose terms were not
// those of `trademark.term_years`: their expiry is checked only to fall on an
// anniversary of the filing date (docs/contracts/trademark.md).
constexpr CivilDate kCap559Commencement{2003, 4, 4};

std::string date_text(std::uint64_t ms) {
  const CivilDate d = hong_kong_date(ms);
  return std::to_string(d.year) + "-" + (d.month < 10 ? "0" : "") + std::to_string(d.month) + "-" +
         (d.day < 10 ? "0" : "") + std::to_string(d.day);
}

CallResult check_date(const CallContext& call, std::uint64_t ms, std::string_view what) {
  if (ms > call.block().timestamp_ms) {
    return fail(TxOutcome::kInvalidArgument, "date_in_future",
                "register_existing: " + std::string(what) + " " + date_text(ms) +
                    " is after the block's time");
  }
  return CallResult::success();
}

// Whole years from `from` to `to` when the Hong Kong date of `to` is an
// anniversary of `from`'s (29 February: 28 February in a common year).
std::optional<std::uint64_t> anniversary_years(std::uint64_t from, std::uint64_t to) {
  const CivilDate a = hong_kong_date(from);
  const CivilDate b = hong_kong_date(to);
  if (b.year <= a.year) return std::nullopt;
  const auto years = static_cast<std::uint64_t>(b.year - a.year);
  if (hong_kong_date(add_years(from, years)) != b) return std::nullopt;
  return years;
}

}  // namespace

CallResult apply_register_existing(CallContext& call, StateView& state) {
  RegisterExistingArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  if (CallResult r = require_registrar(call, state); !r.ok()) return r;
  if (CallResult r = check_filing(call, state, args.mark); !r.ok()) return r;
  const std::uint64_t now = call.block().timestamp_ms;
  if (args.status != Status::kRegistered && args.status != Status::kRemoved) {
    return fail(TxOutcome::kInvalidArgument, "status_not_migratable",
                "register_existing: a mark is migrated registered or removed, not " +
                    std::string(status_name(args.status)) +
                    " (pending applications are filed with file)");
  }
  if (CallResult r = check_date(call, args.entered_ms, "entry date"); !r.ok()) return r;
  if (args.entered_ms < args.mark.filing_date_ms) {
    return fail(TxOutcome::kInvalidArgument, "entry_before_filing",
                "register_existing: the registration was entered " + date_text(args.entered_ms) +
                    ", before its filing date " + date_text(args.mark.filing_date_ms));
  }

  std::uint64_t term = 0;
  std::uint64_t window = 0;
  std::uint64_t grace = 0;
  if (CallResult r = read_param(state, kTermYears, term); !r.ok()) return r;
  if (CallResult r = read_param(state, kRenewalWindowDays, window); !r.ok()) return r;
  if (CallResult r = read_param(state, kLateRenewalGraceDays, grace); !r.ok()) return r;
  // Registration dates back to filing; each renewal adds a term to the expiry.
  const std::uint64_t filing = args.mark.filing_date_ms;
  const std::uint64_t renewals = args.renewals;
  std::uint64_t expiry = add_years(filing, (renewals + 1) * term);
  if (days_from_civil(hong_kong_date(filing)) < days_from_civil(kCap559Commencement)) {
    // Cap. 43 terms: an anniversary of filing, after the entry, and not
    // beyond a renewal made today (`window` before expiry) for a full term.
    const auto years = anniversary_years(filing, args.expiry_ms);
    if (!years || args.expiry_ms < args.entered_ms ||
        args.expiry_ms > add_years(add_days(now, window), term)) {
      return fail(TxOutcome::kInvalidArgument, "expiry_inconsistent",
                  "register_existing: expiry " + date_text(args.expiry_ms) +
                      " is not an anniversary of the filing date " + date_text(filing) +
                      " between the entry " + date_text(args.entered_ms) +
                      " and a term renewed today");
    }
    expiry = add_years(filing, *years);
  } else {
    if (hong_kong_date(args.expiry_ms) != hong_kong_date(expiry)) {
      return fail(TxOutcome::kInvalidArgument, "expiry_inconsistent",
                  "register_existing: expiry " + date_text(args.expiry_ms) +
                      " is not filing date + " + std::to_string(renewals + 1) + " x " +
                      std::to_string(term) + " years = " + date_text(expiry));
    }
    // The last renewal could be made no earlier than `window` days before
    // the expiry it renewed.
    if (renewals > 0) {
      const std::uint64_t renewed = add_years(filing, renewals * term);
      if (add_days(now, window) < renewed) {
        return fail(TxOutcome::kInvalidArgument, "renewals_implausible",
                    "register_existing: " + std::to_string(renewals) +
                        " renewals would have renewed the term ending " + date_text(renewed) +
                        ", which is not yet open for renewal");
      }
    }
  }

  MarkRecord mark;
  mark.number = args.mark.number;
  mark.text_en = args.mark.text_en;
  mark.text_zh = args.mark.text_zh;
  mark.image_hash = args.mark.image_hash;
  mark.owner = args.mark.applicant;
  mark.classes = args.mark.classes;
  mark.filing_date_ms = args.mark.filing_date_ms;
  mark.status = args.status;
  mark.status_changed_ms = now;
  mark.registration_date_ms = args.mark.filing_date_ms;
  mark.entered_ms = args.entered_ms;
  mark.expiry_ms = expiry;
  mark.renewals = args.renewals;
  mark.filed_height = call.block().height;

  const std::uint64_t grace_end = add_days(expiry, grace);
  if (args.status == Status::kRegistered) {
    if (args.removed_ms != 0) {
      return fail(TxOutcome::kInvalidArgument, "unexpected_removal_date",
                  "register_existing: a registered mark has no removal date");
    }
    if (now >= grace_end) {
      return fail(TxOutcome::kFailedPrecondition, "expired_beyond_grace",
                  "register_existing: " + mark.number + " expired " + date_text(expiry) +
                      " and its late-renewal grace ended " + date_text(grace_end) +
                      "; migrate it as removed");
    }
  } else {
    if (CallResult r = check_date(call, args.removed_ms, "removal date"); !r.ok()) return r;
    if (args.removed_ms < grace_end) {
      return fail(TxOutcome::kInvalidArgument, "removal_before_grace_over",
                  "register_existing: removal " + date_text(args.removed_ms) +
                      " is before the late-renewal grace of the expiry " + date_text(expiry) +
                      " ended (" + date_text(grace_end) + ")");
    }
    mark.removed_ms = args.removed_ms;
  }

  HistoryRecord h;
  h.kind = TransactionKind::kMigration;
  h.transaction_id = call.transaction_id();
  h.height = call.block().height;
  h.entry_ms = now;
  h.effective_ms = args.entered_ms;
  h.to = mark.owner;
  h.deed_hash = args.extract_hash;
  append_history(state, mark, std::move(h));
  if (CallResult r = save_mark(state, nullptr, mark); !r.ok()) return r;
  call.mention_account(mark.owner.account);
  call.emit("migrated", mark_key(mark.number),
            core::encode(FiledEvent{mark.number, mark.owner.account, mark.filing_date_ms}));
  return CallResult::success();
}

}  // namespace bauhinia::contracts::trademark::detail
