// file: the registrar records an application IPD received (form T2), under
// the number IPD gave it. The applicant's account is named in the record and
// in the ledger's index of the transaction.

#include "internal.hpp"

namespace bauhinia::contracts::trademark::detail {

CallResult check_filing(const CallContext& call, const StateView& state, const FileArgs& args) {
  const std::string& name = call.tx().call;
  if (CallResult r = check_number_arg(args.number); !r.ok()) return r;
  if (args.text_en.empty() && args.text_zh.empty()) {
    return fail(TxOutcome::kInvalidArgument, "mark_text_missing",
                name + ": the mark needs its text in English or Chinese (or both)");
  }
  if (!valid_utf8(args.text_en) || !valid_utf8(args.text_zh)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_text",
                name + ": mark text is not valid UTF-8");
  }
  if (args.classes.empty()) {
    return fail(TxOutcome::kInvalidArgument, "classes_missing",
                name + ": an application names at least one Nice class");
  }
  if (CallResult r = check_classes(args.classes, "classes", false); !r.ok()) return r;
  if (args.filing_date_ms > call.block().timestamp_ms) {
    return fail(TxOutcome::kInvalidArgument, "filing_date_in_future",
                name + ": the filing date is after the block's time");
  }
  if (CallResult r = check_party(state, args.applicant, "applicant"); !r.ok()) return r;
  if (state.read_own(mark_key(args.number))) {
    return fail(TxOutcome::kAlreadyExists, "mark_exists",
                name + ": trade mark " + args.number + " is already on the register");
  }
  return CallResult::success();
}

CallResult apply_file(CallContext& call, StateView& state) {
  FileArgs args;
  if (CallResult r = decode_args(call.tx(), args); !r.ok()) return r;
  if (CallResult r = require_registrar(call, state); !r.ok()) return r;
  if (CallResult r = check_filing(call, state, args); !r.ok()) return r;

  MarkRecord mark;
  mark.number = args.number;
  mark.text_en = args.text_en;
  mark.text_zh = args.text_zh;
  mark.image_hash = args.image_hash;
  mark.owner = args.applicant;
  mark.classes = args.classes;
  mark.filing_date_ms = args.filing_date_ms;
  mark.status = Status::kFiled;
  mark.status_changed_ms = call.block().timestamp_ms;
  mark.filed_height = call.block().height;
  if (CallResult r = save_mark(state, nullptr, mark); !r.ok()) return r;
  call.mention_account(mark.owner.account);
  call.emit("filed", mark_key(mark.number),
            core::encode(FiledEvent{mark.number, mark.owner.account, mark.filing_date_ms}));
  return CallResult::success();
}

}  // namespace bauhinia::contracts::trademark::detail
