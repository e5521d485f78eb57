#include "demo_environment.hpp"

#include <string>

#include "bauhinia/contracts/company/records.hpp"
#include "bauhinia/contracts/environment/calls.hpp"
#include "bauhinia/contracts/environment/records.hpp"
#include "bauhinia/contracts/system/roles.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::demo {

namespace {

namespace env = contracts::environment;

// The window the officer opens in stage 5 closes this long after it is built;
// the demo waits longer than that before stage 7 (STAGE_PAUSE_S in
// scripts/demo_sample_data.py), and the genesis's minimum window
// (environment.inspection_min_ms) is shorter, so the window is valid even if
// stage 5 commits a few seconds late.
constexpr std::uint64_t kWindowMs = 25'000;

core::Hash256 document(std::string_view what) {
  return core::sha256(
      core::ByteView(reinterpret_cast<const std::uint8_t*>(what.data()), what.size()));
}

std::string year(Demo& d) {
  return std::to_string(contracts::company::Date::from_days(d.today()).year);
}
// The ledger numbers the demo's first project, brief and permit of the year.
std::string project(Demo& d) {
  return "PP-001/" + year(d);
}
std::string permit(Demo& d) {
  return "EP-001/" + year(d);
}

const char* const kMismatch = "CWTT-2026-004821";  // weighed 8% light at the reception point
const char* const kOverdue = "CWTT-2026-004822";   // collected, never received

void epd(Demo& d, const std::string& signer, const char* call, core::Bytes payload,
         const std::string& what) {
  d.call(signer, "environment", call, std::move(payload), "EPD", what);
}

env::TicketArgs ticket(Demo& d, const char* number, env::WasteType type, std::uint64_t kg) {
  env::TicketArgs t;
  t.number = number;
  t.producer_cr = "3298741";
  t.waste_type = type;
  t.declared_kg = kg;
  t.from_premises =
      "Vehicle workshop, Unit 1203, 12/F, Harbour Plaza, 182 Wai Yip Street, "
      "Kwun Tong, Kowloon";
  t.reception_point = d.signer("reception-cwtc").account;
  t.collector = d.signer("collector-4821").account;
  return t;
}

}  // namespace

void environment_roles(Demo& d) {
  const auto grant = [&](const char* to, std::string_view role, const std::string& who) {
    contracts::system::RoleArgs args{d.signer(to).account, std::string(role)};
    d.call("EPD-admin", "system", "grant_role", core::encode(args), "EPD",
           "grants " + std::string(role) + " to " + who);
  };
  grant("EPD-officer", env::kEiaOfficerRole, "EPD-officer");
  grant("collector-4821", env::kCollectorRole,
        "collector-4821, a licensed chemical waste collector (sample)");
  grant("reception-cwtc", env::kReceptionRole,
        "reception-cwtc, the Chemical Waste Treatment Centre, Tsing Yi");
}

void environment_profile(Demo& d) {
  env::ProfileArgs p;
  p.title_en = "Tsing Yi Harbourfront Promenade (sample)";
  p.title_zh = "青衣海濱長廊（樣本）";
  p.location = "Tsing Yi North Coastal Road, Kwai Tsing District";
  p.profile_hash = document("Project profile: Tsing Yi Harbourfront Promenade (sample)");
  epd(d, "proponent-cedd", "submit_profile", core::encode(p),
      "the proponent submits the project profile of the Tsing Yi Harbourfront Promenade: "
      "the ledger numbers it " +
          project(d));
}

void environment_stage(Demo& d, int stage) {
  const std::uint64_t now = d.options().now_ms;
  const std::string pp = project(d);
  const std::string ep = permit(d);
  switch (stage) {
    case 3:
      epd(d, "EPD-officer", "issue_study_brief",
          core::encode(env::BriefArgs{pp, document("EIA study brief for " + pp)}),
          "EPD issues the EIA study brief for " + pp + " (ESB-001/" + year(d) + ")");
      epd(d, "company-3298741", "issue_ticket",
          core::encode(ticket(d, kMismatch, env::WasteType::kMineralOil, 1200)),
          "Lantern Harbour Logistics Limited issues trip-ticket " + std::string(kMismatch) +
              ": 1,200 kg of spent mineral oil to the Chemical Waste Treatment Centre");
      epd(d, "company-3298741", "issue_ticket",
          core::encode(ticket(d, kOverdue, env::WasteType::kSolventHalogenated, 350)),
          "Lantern Harbour Logistics Limited issues trip-ticket " + std::string(kOverdue) +
              ": 350 kg of spent halogenated solvent");
      break;
    case 4:
      epd(d, "proponent-cedd", "submit_report",
          core::encode(env::DocumentArgs{pp, document("EIA report " + pp + " version 1")}),
          "the proponent submits the EIA report of " + pp + ", version 1");
      epd(d, "proponent-cedd", "submit_report",
          core::encode(env::DocumentArgs{pp, document("EIA report " + pp + " version 2")}),
          "the proponent submits a revised EIA report, version 2 (both versions kept)");
      for (const char* n : {kMismatch, kOverdue}) {
        epd(d, "collector-4821", "record_collection",
            core::encode(env::CollectionArgs{n, "LV 4821"}),
            "the licensed collector collects " + std::string(n) + " (vehicle LV 4821)");
      }
      break;
    case 5:
      epd(d, "EPD-officer", "open_inspection",
          core::encode(env::InspectionArgs{pp, 0, now + kWindowMs}),
          "EPD opens the public inspection of the EIA report of " + pp +
              " (the demo's window: seconds, not 30 days)");
      epd(d, "reception-cwtc", "record_receipt", core::encode(env::ReceiptArgs{kMismatch, 1104}),
          "the Chemical Waste Treatment Centre receives " + std::string(kMismatch) +
              " and weighs 1,104 kg: 8% below the declared 1,200 kg, FLAGGED");
      break;
    case 6:
      for (const auto& [who, text] :
           {std::pair{"owner-lee-ka-ming", "Please keep the cycle track along the promenade."},
            std::pair{"company-3310562", "Construction noise near our shop in the evenings."},
            std::pair{"company-3354410", "Support; lighting should avoid the bird roost."}}) {
        // The comment's text goes to EPD off chain; only its hash is recorded.
        const std::string comment(text);
        d.keep_private(comment);
        epd(d, who, "comment", core::encode(env::CommentArgs{pp, document(comment)}),
            std::string(who) + " comments on " + pp + " (only the comment's hash is on chain)");
      }
      break;
    case 7:
      epd(d, "EPD-officer", "decide",
          core::encode(env::DecisionArgs{pp, env::Decision::kApprovedWithConditions,
                                         document("EIA approval with conditions " + pp)}),
          "the window has closed: EPD approves the EIA report of " + pp + " with conditions");
      epd(d, "EPD-officer", "issue_permit",
          core::encode(env::DocumentArgs{pp, document("Environmental permit for " + pp)}),
          "EPD issues the environmental permit " + ep + " to the proponent");
      epd(d, "EPD-officer", "flag_overdue", core::encode(env::TicketNumberArgs{kOverdue}),
          "trip-ticket " + std::string(kOverdue) +
              " is past its deadline and not received: FLAGGED overdue");
      break;
    case 8:
      epd(d, "proponent-cedd", "submit_em_a",
          core::encode(env::SubmissionArgs{ep, document("EM&A baseline report " + ep),
                                           now - 30 * env::kDayMs, now}),
          "the permit holder submits its EM&A baseline monitoring report under " + ep);
      break;
    default: break;
  }
}

}  // namespace bauhinia::demo
