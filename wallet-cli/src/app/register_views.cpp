// Record views of the drugs and environment registers (record_views.hpp):
// each record's fields decoded with the module's own record structs.

#include "bauhinia/contracts/drugs/records.hpp"
#include "bauhinia/contracts/environment/records.hpp"
#include "bauhinia/core/encoding.hpp"
#include "record_views.hpp"

namespace bauhinia::wallet {

namespace {

namespace dr = contracts::drugs;
namespace env = contracts::environment;

std::string address(const Context& ctx, const core::AccountId& id) {
  return core::encode_address(ctx.options.address_prefix, id);
}

std::string time_or_dash(std::uint64_t ms) {
  return ms == 0 ? "-" : utc_time(ms);
}

std::string names(const std::string& en, const std::string& zh) {
  if (en.empty()) return zh;
  if (zh.empty()) return en;
  return en + " " + zh;
}

template <class T, class F>
std::optional<Rows> view(core::ByteView value, F&& rows_of) {
  auto r = core::decode<T>(value);
  if (!r) return std::nullopt;
  return rows_of(*r);
}

Rows product_rows(const Context& ctx, const dr::ProductRecord& p) {
  return {{"product", p.regno + "  " + names(p.name_en, p.name_zh)},
          {"form", p.form + (p.strength.empty() ? "" : ", " + p.strength)},
          {"holder",
           address(ctx, p.holder) + " (" + std::string(dr::trader_role_name(p.holder_role)) + ")"},
          {"registered",
           utc_time(p.registered_ms) + " (block " + std::to_string(p.registered_height) + ")"},
          {"batches", std::to_string(p.batch_count)}};
}

Rows batch_rows(const Context& ctx, const dr::BatchRecord& b) {
  Rows rows{
      {"batch", b.regno + " " + b.batch},
      {"maker", address(ctx, b.maker)},
      {"quantity", std::to_string(b.quantity) + " units"},
      {"manufactured", time_or_dash(b.manufacture_ms)},
      {"expires", time_or_dash(b.expiry_ms)},
      {"created", utc_time(b.created_ms) + " (block " + std::to_string(b.created_height) + ")"},
      {"custody steps", std::to_string(b.custody_size)}};
  if (b.recall) {
    const dr::Recall& r = *b.recall;
    rows.emplace_back("recall", std::string(dr::recall_class_name(r.recall_class)) + ", " +
                                    std::string(dr::recall_level_name(r.level)) + " level, " +
                                    std::string(dr::recall_reason_name(r.reason)));
    rows.emplace_back("  recalled", utc_time(r.recalled_ms) + " (block " +
                                        std::to_string(r.height) + ", " +
                                        std::to_string(r.notices) + " notices)");
  } else {
    rows.emplace_back("recall", "none");
  }
  return rows;
}

Rows custody_rows(const Context& ctx, const dr::CustodyRecord& c) {
  Rows rows{{"custody step",
             std::to_string(c.index) + ": " + std::string(dr::custody_step_name(c.step))}};
  if (c.step != dr::CustodyStep::kCreated) {
    rows.emplace_back(
        "from", address(ctx, c.from) + " (" + std::string(dr::trader_role_name(c.from_role)) + ")");
  }
  rows.emplace_back("to",
                    address(ctx, c.to) + " (" + std::string(dr::trader_role_name(c.to_role)) + ")");
  rows.emplace_back("quantity", std::to_string(c.quantity) + " units");
  rows.emplace_back("time", utc_time(c.time_ms) + " (block " + std::to_string(c.height) + ")");
  rows.emplace_back("transaction", c.transaction_id.to_hex());
  if (!c.document_hash.is_zero()) rows.emplace_back("document", c.document_hash.to_hex());
  return rows;
}

Rows holding_rows(const Context& ctx, const dr::HoldingRecord& h) {
  return {{"holding", h.regno + " " + h.batch},
          {"holder", address(ctx, h.holder)},
          {"quantity", std::to_string(h.quantity) + " units"},
          {"changed at", "block " + std::to_string(h.changed_height)}};
}

Rows notice_rows(const Context& ctx, const dr::RecallNoticeRecord& n) {
  return {{"recall notice", n.regno + " " + n.batch + " #" + std::to_string(n.index)},
          {"holder", address(ctx, n.holder)},
          {"held at recall", std::to_string(n.quantity) + " units"},
          {"recall", std::string(dr::recall_class_name(n.recall_class)) + ", " +
                         std::string(dr::recall_level_name(n.level)) + " level, " +
                         std::string(dr::recall_reason_name(n.reason))},
          {"recalled", utc_time(n.recalled_ms)},
          {"acknowledged", time_or_dash(n.acknowledged_ms)},
          {"returned", std::to_string(n.returned) + " units"}};
}

Rows project_rows(const Context& ctx, const env::ProjectRecord& p) {
  Rows rows{{"project", p.number + "  " + names(p.title_en, p.title_zh)},
            {"status", std::string(env::project_status_name(p.status)) + " (since " +
                           time_or_dash(p.status_changed_ms) + ")"},
            {"proponent", address(ctx, p.proponent)},
            {"location", p.location},
            {"profile", p.profile_hash.to_hex()},
            {"submitted",
             utc_time(p.submitted_ms) + " (block " + std::to_string(p.submitted_height) + ")"}};
  if (!p.brief_number.empty()) {
    rows.emplace_back("study brief", p.brief_number + " issued " + time_or_dash(p.brief_issued_ms) +
                                         "  " + p.brief_hash.to_hex());
  }
  rows.emplace_back("report versions", std::to_string(p.reports));
  if (p.inspection_start_ms != 0) {
    rows.emplace_back("inspection",
                      utc_time(p.inspection_start_ms) + " to " + utc_time(p.inspection_end_ms));
  }
  rows.emplace_back("comments", std::to_string(p.comments));
  if (p.decided_ms != 0) {
    rows.emplace_back("decided", utc_time(p.decided_ms) + "  " + p.decision_hash.to_hex());
  }
  if (!p.permit.empty()) rows.emplace_back("permit", p.permit);
  return rows;
}

Rows report_rows(const env::ReportRecord& r) {
  return {{"EIA report", r.project + " version " + std::to_string(r.report_version)},
          {"document", r.document_hash.to_hex()},
          {"submitted", utc_time(r.submitted_ms)},
          {"transaction", r.transaction_id.to_hex()}};
}

Rows comment_rows(const Context& ctx, const env::CommentRecord& c) {
  return {{"comment", c.project + " #" + std::to_string(c.index)},
          {"from", address(ctx, c.commenter)},
          {"text hash", c.comment_hash.to_hex()},
          {"received", utc_time(c.received_ms)}};
}

Rows permit_rows(const Context& ctx, const env::PermitRecord& p) {
  return {{"permit", p.number + " (project " + p.project + ")"},
          {"status", std::string(env::permit_status_name(p.status)) + " (since " +
                         time_or_dash(p.status_changed_ms) + ")"},
          {"holder", address(ctx, p.holder)},
          {"version", std::to_string(p.permit_version) + "  " + p.document_hash.to_hex()},
          {"issued", utc_time(p.issued_ms)},
          {"history entries", std::to_string(p.history)},
          {"EM&A submissions", std::to_string(p.submissions)}};
}

Rows permit_history_rows(const Context& ctx, const env::PermitHistoryRecord& h) {
  Rows rows{{"permit act", h.permit + " #" + std::to_string(h.index) + ": " +
                               std::string(env::permit_act_name(h.act))},
            {"version", std::to_string(h.permit_version) + "  " + h.document_hash.to_hex()}};
  if (h.act != env::PermitAct::kIssued) {
    rows.emplace_back("holder before", address(ctx, h.holder_before));
  }
  rows.emplace_back("holder", address(ctx, h.holder_after));
  rows.emplace_back("time", utc_time(h.entry_ms) + " (block " + std::to_string(h.height) + ")");
  rows.emplace_back("transaction", h.transaction_id.to_hex());
  return rows;
}

Rows submission_rows(const Context& ctx, const env::SubmissionRecord& s) {
  return {{"EM&A submission", s.permit + " #" + std::to_string(s.index)},
          {"by", address(ctx, s.submitted_by)},
          {"document", s.document_hash.to_hex()},
          {"period", utc_time(s.period_start_ms) + " to " + utc_time(s.period_end_ms)},
          {"submitted", utc_time(s.submitted_ms)}};
}

Rows ticket_rows(const Context& ctx, const env::TicketRecord& t) {
  Rows rows{{"trip-ticket", t.number},
            {"status", std::string(env::ticket_status_name(t.status))},
            {"waste", std::string(env::waste_type_name(t.waste_type)) + ", declared " +
                          std::to_string(t.declared_kg) + " kg"},
            {"producer", address(ctx, t.producer) + " (CR " + t.producer_cr + ")"},
            {"from", t.from_premises},
            {"collector", address(ctx, t.collector)},
            {"reception point", address(ctx, t.reception_point)},
            {"issued", utc_time(t.issued_ms) + " (block " + std::to_string(t.issued_height) + ")"},
            {"deadline", utc_time(t.deadline_ms)},
            {"collected", time_or_dash(t.collected_ms) +
                              (t.vehicle.empty() ? "" : " (vehicle " + t.vehicle + ")")},
            {"received", t.received_ms == 0 ? "-"
                                            : utc_time(t.received_ms) + ", measured " +
                                                  std::to_string(t.measured_kg) + " kg"}};
  std::string flags;
  if (t.weight_mismatch)
    flags += "weight mismatch (tolerance " + std::to_string(t.tolerance_bp) + " bp)";
  if (t.overdue) flags += std::string(flags.empty() ? "" : ", ") + "overdue";
  rows.emplace_back("flagged", flags.empty() ? "no" : flags + " since " + utc_time(t.flagged_ms));
  return rows;
}

}  // namespace

std::optional<Rows> describe_register_record(const Context& ctx, std::string_view module,
                                             std::uint8_t kind, core::ByteView value) {
  if (module == dr::kModuleName) {
    switch (kind) {
      case dr::kProductKind:
        return view<dr::ProductRecord>(value, [&](const auto& r) { return product_rows(ctx, r); });
      case dr::kBatchKind:
        return view<dr::BatchRecord>(value, [&](const auto& r) { return batch_rows(ctx, r); });
      case dr::kCustodyKind:
        return view<dr::CustodyRecord>(value, [&](const auto& r) { return custody_rows(ctx, r); });
      case dr::kHoldingKind:
        return view<dr::HoldingRecord>(value, [&](const auto& r) { return holding_rows(ctx, r); });
      case dr::kNoticeKind:
        return view<dr::RecallNoticeRecord>(value,
                                            [&](const auto& r) { return notice_rows(ctx, r); });
      default: return std::nullopt;
    }
  }
  if (module == env::kModuleName) {
    switch (kind) {
      case env::kProjectKind:
        return view<env::ProjectRecord>(value, [&](const auto& r) { return project_rows(ctx, r); });
      case env::kReportKind:
        return view<env::ReportRecord>(value, [](const auto& r) { return report_rows(r); });
      case env::kCommentKind:
        return view<env::CommentRecord>(value, [&](const auto& r) { return comment_rows(ctx, r); });
      case env::kPermitKind:
        return view<env::PermitRecord>(value, [&](const auto& r) { return permit_rows(ctx, r); });
      case env::kPermitHistoryKind:
        return view<env::PermitHistoryRecord>(
            value, [&](const auto& r) { return permit_history_rows(ctx, r); });
      case env::kSubmissionKind:
        return view<env::SubmissionRecord>(value,
                                           [&](const auto& r) { return submission_rows(ctx, r); });
      case env::kTicketKind:
        return view<env::TicketRecord>(value, [&](const auto& r) { return ticket_rows(ctx, r); });
      default: return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace bauhinia::wallet
