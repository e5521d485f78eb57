#include "demo_health.hpp"

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bauhinia/contracts/health/calls.hpp"
#include "bauhinia/contracts/health/records.hpp"
#include "bauhinia/contracts/system/roles.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/random.hpp"

namespace bauhinia::demo {

namespace {

namespace health = contracts::health;

constexpr std::uint64_t kConsentMs = 30ULL * 86'400'000;  // the patient consents for 30 days

// Invented patients and records (samples): every one of these strings is
// private — noted with keep_private, so the no-personal-data scan looks for it.
struct SampleRecord {
  const char* label;
  const char* patient;  // key name of the pseudonymous subject
  health::RecordType type;
  const char* name;
  const char* hkid;
  const char* born;
  const char* text;
};
constexpr SampleRecord kRecords[] = {
    {"vaccination-a", "patient-a7c2", health::RecordType::kVaccination, "KWOK Hoi Ying",
     "M2468013(5)", "1984-07-19",
     "Vaccination record (sample). Patient: KWOK Hoi Ying, HKID M2468013(5), born 1984-07-19. "
     "COVID-19 vaccine, dose 3, Comirnaty lot HK7731, given at the community vaccination "
     "centre of a public hospital."},
    {"laboratory-a", "patient-a7c2", health::RecordType::kLaboratoryResult, "KWOK Hoi Ying",
     "M2468013(5)", "1984-07-19",
     "Laboratory report (sample). Patient: KWOK Hoi Ying, HKID M2468013(5). HbA1c 6.3 %, "
     "fasting glucose 5.9 mmol/L."},
    {"vaccination-b", "patient-5e91", health::RecordType::kVaccination, "YIP Chun Kit",
     "D9081726(3)", "1957-01-30",
     "Vaccination record (sample). Patient: YIP Chun Kit, HKID D9081726(3), born 1957-01-30. "
     "Seasonal influenza vaccine 2026/27, lot FLU2611."},
};

// The hand-off file: "<kind> <label> <id hex> [fields...]" a line.
using State = std::map<std::string, std::vector<std::string>>;  // label -> id, fields...

bool read_state(const Demo& d, State& out) {
  std::ifstream in(d.options().health_state);
  if (!in) {
    std::cerr << "demo health: cannot read " << d.options().health_state << "\n";
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string kind, label, f;
    fields >> kind >> label;
    std::vector<std::string> rest;
    while (fields >> f) rest.push_back(f);
    if (!label.empty() && !rest.empty()) out[label] = std::move(rest);
  }
  return true;
}

bool append_state(const Demo& d, const std::string& lines, bool truncate) {
  std::ofstream out(d.options().health_state, truncate ? std::ios::trunc : std::ios::app);
  out << lines;
  out.flush();
  if (!out) std::cerr << "demo health: cannot write " << d.options().health_state << "\n";
  return static_cast<bool>(out);
}

// The id of `label` in the hand-off file; false (reason on stderr) when absent.
bool id_of(const State& s, const std::string& label, core::Hash256& out) {
  auto it = s.find(label);
  if (it != s.end()) {
    if (auto h = core::Hash256::from_hex(it->second.front())) {
      out = *h;
      return true;
    }
  }
  std::cerr << "demo health: no id for " << label << " in the hand-off file\n";
  return false;
}

void grant(Demo& d, const char* to, std::string_view role, const std::string& who) {
  d.call("DH-admin", "system", "grant_role",
         core::encode(contracts::system::RoleArgs{d.signer(to).account, std::string(role)}), "DH",
         "grants " + std::string(role) + " to " + to + " (" + who + ")");
}

std::string issue_all(Demo& d) {
  std::string lines;
  for (const SampleRecord& r : kRecords) {
    health::Salt salt{};
    core::os_random_bytes(salt);
    const std::string text = d.keep_private(r.text);
    d.keep_private(r.name);
    d.keep_private(r.hkid);
    d.keep_private(r.born);
    const std::string salt_hex = d.keep_private(core::to_hex(core::ByteView(salt)));
    const core::Hash256 commitment = health::record_commitment(salt, core::as_bytes(text));
    const core::Hash256 id =
        d.call("health-facility", "health", "issue",
               core::encode(health::IssueArgs{static_cast<std::uint8_t>(r.type),
                                              d.signer(r.patient).account, commitment}),
               "DH",
               "the facility issues a " + std::string(health::record_type_name(r.type)) +
                   " record to " + r.patient + ": commitment " + commitment.to_hex().substr(0, 16) +
                   "… (the record and its salt stay off chain)");
    lines += "record " + std::string(r.label) + " " + id.to_hex() + " " +
             std::string(health::record_type_name(r.type)) + " " + salt_hex + " " +
             commitment.to_hex() + " " + core::to_hex(core::as_bytes(text)) + "\n";
  }
  return lines;
}

std::string consent(Demo& d, const char* label, health::RecordType type) {
  const health::GrantConsentArgs args{d.signer("health-provider").account,
                                      static_cast<std::uint8_t>(type),
                                      d.options().now_ms + kConsentMs};
  const core::Hash256 id =
      d.call("patient-a7c2", "health", "grant_consent", core::encode(args), "DH",
             "patient-a7c2 consents to health-provider reading her " +
                 std::string(health::record_type_name(type)) + " records for 30 days");
  return "consent " + std::string(label) + " " + id.to_hex() + "\n";
}

}  // namespace

bool health_stage(Demo& d, int stage) {
  if (stage < 1 || stage > 4) return true;
  if (stage > 1 && d.options().health_state.empty()) {
    std::cerr << "demo health: stage " << stage << " needs --health-state\n";
    return false;
  }
  State s;
  switch (stage) {
    case 1:
      grant(d, "health-facility", health::kIssuerRole,
            "a public hospital's vaccination centre and laboratory");
      grant(d, "health-provider", health::kProviderRole, "a private doctor's clinic");
      return true;
    case 2: {
      std::string lines = issue_all(d);
      lines += consent(d, "consent-vaccination", health::RecordType::kVaccination);
      lines += consent(d, "consent-laboratory", health::RecordType::kLaboratoryResult);
      return append_state(d, lines, true);
    }
    case 3: {
      core::Hash256 record, granted, withdrawn;
      if (!read_state(d, s) || !id_of(s, "vaccination-a", record) ||
          !id_of(s, "consent-vaccination", granted) || !id_of(s, "consent-laboratory", withdrawn))
        return false;
      const core::Hash256 access =
          d.call("health-provider", "health", "record_access",
                 core::encode(health::RecordAccessArgs{record, granted}), "DH",
                 "health-provider logs its access to patient-a7c2's vaccination record");
      d.call("patient-a7c2", "health", "withdraw_consent",
             core::encode(health::ConsentArgs{withdrawn}), "DH",
             "patient-a7c2 withdraws her consent for laboratory results");
      return append_state(d, "access access-vaccination " + access.to_hex() + "\n", false);
    }
    default: {  // 4
      core::Hash256 record;
      if (!read_state(d, s) || !id_of(s, "vaccination-a", record)) return false;
      d.call("patient-a7c2", "health", "erase", core::encode(health::RecordArgs{record}), "DH",
             "patient-a7c2 erases her vaccination record (its payload key is destroyed)");
      return true;
    }
  }
}

}  // namespace bauhinia::demo
