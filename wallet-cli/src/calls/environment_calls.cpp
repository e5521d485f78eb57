// The environment module's calls (contracts/environment/calls.hpp,
// docs/contracts/environment.md): the EIA Ordinance register and chemical
// waste trip-tickets. Numbers are checked with the module's own rules
// (environment::valid_number, valid_ticket_number, company::canonical_cr_number);
// roles, statuses, windows and deadlines are judged by the node's dry-run.

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "bauhinia/contracts/company/records.hpp"
#include "bauhinia/contracts/environment/calls.hpp"
#include "bauhinia/contracts/environment/records.hpp"
#include "bauhinia/wallet/calls/arg_parsers.hpp"
#include "examples.hpp"
#include "modules.hpp"

namespace bauhinia::wallet::calls {

namespace {

namespace env = contracts::environment;

core::Checked<std::string> parse_number(const Args& args, std::string_view name,
                                        std::string_view prefix) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  if (!env::valid_number(*v, prefix)) {
    return arg_error(name, core::Reject::kInvalid,
                     "a number in EPD's style " + std::string(prefix) + "-NNN/YYYY (e.g. " +
                         std::string(prefix) + "-001/2026)",
                     *v);
  }
  return std::string(*v);
}

core::Checked<std::string> parse_ticket(const Args& args, std::string_view name) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  if (!env::valid_ticket_number(*v)) {
    return arg_error(name, core::Reject::kInvalid, "a trip-ticket number: 1-24 of A-Z, 0-9 and '-'",
                     *v);
  }
  return std::string(*v);
}

core::Checked<std::string> parse_cr(const Args& args, std::string_view name) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  auto cr = contracts::company::canonical_cr_number(*v);
  if (!cr) {
    return arg_error(name, core::Reject::kInvalid,
                     "a CR number: 7 digits, 0 and 7 digits, or F and 7 digits", *v);
  }
  return std::move(*cr);
}

std::string value(const Args& args, std::string_view name) {
  return std::string(arg_value(args, name).value_or(""));
}

std::string hash_line(std::string_view what, const core::Hash256& h) {
  return std::string(what) + " sha256 " + h.to_hex();
}

// ---- EIA -------------------------------------------------------------------------------

core::Checked<BuiltCall> build_submit_profile(const Args& args) {
  Take take;
  env::ProfileArgs p;
  p.title_en = take(parse_optional_text(args, "title-en", env::kMaxTitleSize));
  p.title_zh = take(parse_optional_text(args, "title-zh", env::kMaxTitleSize));
  p.location = take(parse_text(args, "location", env::kMaxLocationSize));
  p.profile_hash = take(parse_hash(args, "profile"));
  if (!take.failed() && p.title_en.empty() && p.title_zh.empty()) {
    return arg_error("title-en", core::Reject::kInvalid,
                     "a title in English or Chinese (--title-zh) is required");
  }
  if (take.failed()) return take.error();
  const std::string title = p.title_en.empty() ? p.title_zh : p.title_en;
  return BuiltCall{core::encode(p),
                   {},
                   {"submit the project profile of \"" + title + "\" (the ledger numbers it)",
                    "location: " + p.location, hash_line("profile", p.profile_hash)}};
}

core::Checked<BuiltCall> build_issue_study_brief(const Args& args) {
  Take take;
  env::BriefArgs p;
  p.project = take(parse_number(args, "project", env::kProjectPrefix));
  p.brief_hash = take(parse_hash(args, "brief"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"issue the EIA study brief for project " + p.project,
                    hash_line("study brief", p.brief_hash)}};
}

core::Checked<BuiltCall> build_submit_report(const Args& args) {
  Take take;
  env::DocumentArgs p;
  p.number = take(parse_number(args, "project", env::kProjectPrefix));
  p.document_hash = take(parse_hash(args, "report"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"submit a version of the EIA report of project " + p.number,
                    hash_line("report", p.document_hash)}};
}

core::Checked<BuiltCall> build_open_inspection(const Args& args) {
  Take take;
  env::InspectionArgs p;
  p.project = take(parse_number(args, "project", env::kProjectPrefix));
  const auto start = take(parse_optional_date_ms(args, "start"));
  p.start_ms = start.value_or(0);
  p.end_ms = take(parse_date_ms(args, "end"));
  if (take.failed()) return take.error();
  if (p.start_ms != 0 && p.end_ms <= p.start_ms) {
    return arg_error("end", core::Reject::kInvalid, "a date after --start", value(args, "end"));
  }
  return BuiltCall{
      core::encode(p),
      {},
      {"open the public inspection of the EIA report of project " + p.project,
       "from " + (start ? value(args, "start") : std::string("the block that records it")) +
           " until " + value(args, "end") + " (00:00 Hong Kong time, not included)"}};
}

core::Checked<BuiltCall> build_comment(const Args& args) {
  Take take;
  env::CommentArgs p;
  p.project = take(parse_number(args, "project", env::kProjectPrefix));
  p.comment_hash = take(parse_hash(args, "comment"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"comment on the EIA report of project " + p.project +
                        " (only the hash of the comment is on the ledger)",
                    hash_line("comment", p.comment_hash)}};
}

std::string_view decision_name(env::Decision d) {
  switch (d) {
    case env::Decision::kApproved: return "approved";
    case env::Decision::kApprovedWithConditions: return "approved_with_conditions";
    case env::Decision::kRejected: break;
  }
  return "rejected";
}

core::Checked<BuiltCall> build_decide(const Args& args) {
  Take take;
  env::DecisionArgs p;
  p.project = take(parse_number(args, "project", env::kProjectPrefix));
  p.decision = take(parse_enum(args, "decision", env::kLastDecision, decision_name));
  p.document_hash = take(parse_hash(args, "decision"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"decide on the EIA report of project " + p.project + ": " +
                        in_words(decision_name(p.decision)),
                    hash_line("decision", p.document_hash)}};
}

// ---- Permits -----------------------------------------------------------------------------

core::Checked<BuiltCall> build_issue_permit(const Args& args) {
  Take take;
  env::DocumentArgs p;
  p.number = take(parse_number(args, "project", env::kProjectPrefix));
  p.document_hash = take(parse_hash(args, "permit"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"issue the environmental permit for project " + p.number +
                        " to its proponent (the ledger numbers it)",
                    hash_line("permit", p.document_hash)}};
}

// vary_permit, surrender_permit, cancel_permit: a permit and a document.
std::function<core::Checked<BuiltCall>(const Args&)> permit_act(std::string verb,
                                                                std::string stem) {
  return [verb = std::move(verb),
          stem = std::move(stem)](const Args& args) -> core::Checked<BuiltCall> {
    Take take;
    env::DocumentArgs p;
    p.number = take(parse_number(args, "permit", env::kPermitPrefix));
    p.document_hash = take(parse_hash(args, stem));
    if (take.failed()) return take.error();
    return BuiltCall{
        core::encode(p),
        {},
        {verb + " environmental permit " + p.number, hash_line(stem, p.document_hash)}};
  };
}

core::Checked<BuiltCall> build_transfer_permit(const Args& args) {
  Take take;
  env::TransferTerms t;
  t.permit = take(parse_number(args, "permit", env::kPermitPrefix));
  t.from = take(parse_account(args, "from"));
  t.to = take(parse_account(args, "to"));
  t.document_hash = take(parse_hash(args, "transfer"));
  if (take.failed()) return take.error();
  if (t.from == t.to) {
    return arg_error("to", core::Reject::kInvalid, "another account than --from",
                     value(args, "to"));
  }
  return BuiltCall{
      core::encode(t),
      {t.from, t.to},
      {"transfer environmental permit " + t.permit + " to " + value(args, "to"),
       "holder (co-signs): " + value(args, "from"), "transferee (co-signs): " + value(args, "to"),
       hash_line("transfer", t.document_hash)}};
}

core::Checked<BuiltCall> build_submit_em_a(const Args& args) {
  Take take;
  env::SubmissionArgs p;
  p.permit = take(parse_number(args, "permit", env::kPermitPrefix));
  p.document_hash = take(parse_hash(args, "report"));
  p.period_start_ms = take(parse_date_ms(args, "period-start"));
  p.period_end_ms = take(parse_date_ms(args, "period-end"));
  if (take.failed()) return take.error();
  if (p.period_end_ms <= p.period_start_ms) {
    return arg_error("period-end", core::Reject::kInvalid, "a date after --period-start",
                     value(args, "period-end"));
  }
  return BuiltCall{core::encode(p),
                   {},
                   {"submit EM&A data under environmental permit " + p.permit,
                    "monitoring period " + value(args, "period-start") + " to " +
                        value(args, "period-end") + " (end not included)",
                    hash_line("EM&A report", p.document_hash)}};
}

// ---- Trip-tickets --------------------------------------------------------------------------

core::Checked<BuiltCall> build_issue_ticket(const Args& args) {
  Take take;
  env::TicketArgs p;
  p.number = take(parse_ticket(args, "ticket"));
  p.producer_cr = take(parse_cr(args, "producer-cr"));
  p.waste_type = take(parse_enum(args, "waste-type", env::kLastWasteType, env::waste_type_name));
  p.declared_kg = take(parse_u64(args, "kg", 1, env::kMaxQuantityKg));
  p.from_premises = take(parse_text(args, "from", env::kMaxPremisesSize));
  p.reception_point = take(parse_account(args, "reception-point"));
  p.collector = take(parse_account(args, "collector"));
  if (take.failed()) return take.error();
  return BuiltCall{
      core::encode(p),
      {},
      {"issue trip-ticket " + p.number + " for company " + p.producer_cr,
       std::to_string(p.declared_kg) + " kg of " + in_words(env::waste_type_name(p.waste_type)),
       "from " + p.from_premises,
       "collector " + value(args, "collector") + ", to reception point " +
           value(args, "reception-point")}};
}

core::Checked<BuiltCall> build_record_collection(const Args& args) {
  Take take;
  env::CollectionArgs p;
  p.number = take(parse_ticket(args, "ticket"));
  p.vehicle = take(parse_text(args, "vehicle", env::kMaxVehicleSize));
  if (take.failed()) return take.error();
  return BuiltCall{
      core::encode(p),
      {},
      {"record the collection of trip-ticket " + p.number + " by vehicle " + p.vehicle}};
}

core::Checked<BuiltCall> build_record_receipt(const Args& args) {
  Take take;
  env::ReceiptArgs p;
  p.number = take(parse_ticket(args, "ticket"));
  p.measured_kg = take(parse_u64(args, "kg", 0, env::kMaxQuantityKg));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"record the receipt of trip-ticket " + p.number + ", weighed " +
                    std::to_string(p.measured_kg) + " kg"}};
}

core::Checked<BuiltCall> build_flag_overdue(const Args& args) {
  Take take;
  env::TicketNumberArgs p;
  p.number = take(parse_ticket(args, "ticket"));
  if (take.failed()) return take.error();
  return BuiltCall{
      core::encode(p), {}, {"flag trip-ticket " + p.number + " overdue (its deadline has passed)"}};
}

// ---- Specs -------------------------------------------------------------------------------

std::vector<ArgSpec> join(std::vector<std::vector<ArgSpec>> parts) {
  std::vector<ArgSpec> out;
  for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

const ArgSpec kProject{"project", "the project's number, PP-NNN/YYYY (e.g. PP-001/2026)"};
const ArgSpec kPermit{"permit", "the permit's number, EP-NNN/YYYY (e.g. EP-001/2026)"};
const ArgSpec kTicket{"ticket", "the trip-ticket number, 1-24 of A-Z 0-9 - (CWTT-2026-000101)"};
const std::string kHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const std::string kHolder(examples::kOwner);
const std::string kTransferee(examples::kAssignee);
const std::string kCollector(examples::kCompany);
const std::string kReception(examples::kOfficer);

CallSpec permit_spec(std::string call, std::string summary, std::string verb, std::string stem,
                     std::string what) {
  std::string command = call;
  std::replace(command.begin(), command.end(), '_', '-');
  return CallSpec{"environment",
                  call,
                  std::move(summary),
                  "bauhinia-wallet environment " + command + " --permit EP-001/2026 --" + stem +
                      "-hash " + kHash,
                  join({{kPermit}, hash_arg_specs(stem, what)}),
                  permit_act(std::move(verb), stem)};
}

}  // namespace

std::vector<CallSpec> environment_calls() {
  return {
      CallSpec{"environment", "submit_profile",
               "any account submits a project profile and becomes the project's proponent",
               "bauhinia-wallet environment submit-profile --title-en \"Tsing Yi Harbourfront "
               "Promenade\" --title-zh 青衣海濱長廊 --location \"Tsing Yi, Kwai Tsing District\" "
               "--profile-hash " +
                   kHash,
               join({{{"title-en", "the project's title in English (this or --title-zh)", false},
                      {"title-zh", "the project's title in Chinese", false},
                      {"location", "where the project is, 1-512 bytes of text"}},
                     hash_arg_specs("profile", "the project profile")}),
               build_submit_profile},
      CallSpec{"environment", "issue_study_brief",
               "an EIA officer issues the EIA study brief for a project profile",
               "bauhinia-wallet environment issue-study-brief --project PP-001/2026 --brief-hash " +
                   kHash,
               join({{kProject}, hash_arg_specs("brief", "the study brief")}),
               build_issue_study_brief},
      CallSpec{
          "environment", "submit_report",
          "the proponent submits a version of the EIA report (every version is kept)",
          "bauhinia-wallet environment submit-report --project PP-001/2026 --report-hash " + kHash,
          join({{kProject}, hash_arg_specs("report", "this version of the EIA report")}),
          build_submit_report},
      CallSpec{
          "environment",
          "open_inspection",
          "an EIA officer opens the public inspection window of the EIA report",
          "bauhinia-wallet environment open-inspection --project PP-001/2026 --start "
          "2026-04-01 --end 2026-05-01",
          {kProject,
           {"start", "the first day YYYY-MM-DD (default: from the block that records it)", false},
           {"end", "the day the window closes YYYY-MM-DD (00:00 Hong Kong, not included)"}},
          build_open_inspection},
      CallSpec{"environment", "comment",
               "anyone comments while the window is open (only the comment's hash is recorded)",
               "bauhinia-wallet environment comment --project PP-001/2026 --comment-hash " + kHash,
               join({{kProject}, hash_arg_specs("comment", "the comment's text")}), build_comment},
      CallSpec{"environment", "decide",
               "an EIA officer decides on the EIA report once the window has closed",
               "bauhinia-wallet environment decide --project PP-001/2026 --decision "
               "approved-with-conditions --decision-hash " +
                   kHash,
               join({{kProject, {"decision", "approved, approved-with-conditions or rejected"}},
                     hash_arg_specs("decision", "the decision and its conditions")}),
               build_decide},
      CallSpec{
          "environment", "issue_permit",
          "an EIA officer issues the environmental permit of an approved project",
          "bauhinia-wallet environment issue-permit --project PP-001/2026 --permit-hash " + kHash,
          join({{kProject}, hash_arg_specs("permit", "the permit")}), build_issue_permit},
      permit_spec("vary_permit", "an EIA officer varies a permit in force (a new version)", "vary",
                  "permit", "the permit as varied"),
      CallSpec{"environment", "transfer_permit",
               "an EIA officer records a permit's transfer (the holder and the transferee "
               "co-sign)",
               "bauhinia-wallet environment transfer-permit --permit EP-001/2026 --from " +
                   kHolder + " --to " + kTransferee + " --transfer-hash " + kHash,
               join({{kPermit,
                      {"from", "the current holder's account, which co-signs"},
                      {"to", "the transferee's account, which co-signs"}},
                     hash_arg_specs("transfer", "the transfer")}),
               build_transfer_permit},
      permit_spec("surrender_permit", "the holder surrenders its permit", "surrender", "surrender",
                  "the notice of surrender"),
      permit_spec("cancel_permit", "an EIA officer cancels a permit in force", "cancel",
                  "cancellation", "the cancellation"),
      CallSpec{"environment", "submit_em_a",
               "the permit holder submits environmental monitoring and audit (EM&A) data",
               "bauhinia-wallet environment submit-em-a --permit EP-001/2026 --period-start "
               "2026-06-01 --period-end 2026-07-01 --report-hash " +
                   kHash,
               join({{kPermit,
                      {"period-start", "the first day of the monitoring period YYYY-MM-DD"},
                      {"period-end", "the day after its last day YYYY-MM-DD, not in the future"}},
                     hash_arg_specs("report", "the EM&A report")}),
               build_submit_em_a},
      CallSpec{"environment",
               "issue_ticket",
               "the producer, a live company's own account, issues a chemical waste trip-ticket",
               "bauhinia-wallet environment issue-ticket --ticket CWTT-2026-000101 --producer-cr "
               "3298741 --waste-type mineral-oil --kg 1200 --from \"Workshop 3, 12 Cheung Tat "
               "Road, Tsing Yi\" --collector " +
                   kCollector + " --reception-point " + kReception,
               {kTicket,
                {"producer-cr", "the producing company's CR number (the sender is its account)"},
                {"waste-type",
                 "mineral-oil, solvent-halogenated, solvent-other, acid, alkali, "
                 "heavy-metal, paint-ink, pesticide, lead-acid-battery, asbestos, "
                 "laboratory-chemical or other"},
                {"kg", "the declared quantity in whole kilograms, 1 to 1000000000"},
                {"from", "the producer's premises, 1-512 bytes of text"},
                {"collector", "the licensed collector's account (environment.waste_collector)"},
                {"reception-point", "the reception point's account (environment.reception_point)"}},
               build_issue_ticket},
      CallSpec{"environment",
               "record_collection",
               "the ticket's licensed collector records the collection",
               "bauhinia-wallet environment record-collection --ticket CWTT-2026-000101 "
               "--vehicle \"LV 4821\"",
               {kTicket, {"vehicle", "the vehicle's registration mark, 1-32 bytes"}},
               build_record_collection},
      CallSpec{"environment",
               "record_receipt",
               "the ticket's reception point records the receipt and the measured weight",
               "bauhinia-wallet environment record-receipt --ticket CWTT-2026-000101 --kg 1104",
               {kTicket, {"kg", "the measured weight in whole kilograms, 0 to 1000000000"}},
               build_record_receipt},
      CallSpec{"environment",
               "flag_overdue",
               "anyone flags a trip-ticket not received by its deadline",
               "bauhinia-wallet environment flag-overdue --ticket CWTT-2026-000101",
               {kTicket},
               build_flag_overdue},
  };
}

}  // namespace bauhinia::wallet::calls
