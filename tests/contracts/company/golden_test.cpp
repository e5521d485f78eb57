// Golden vectors of the company module: the canonical bytes of its records,
// record keys and call payloads. A change here is a fork between node
// versions (or a client that can no longer build calls): it must never
// happen silently. BAUHINIA_UPDATE_GOLDEN=1 rewrites the file and fails.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "bauhinia/contracts/company/calls.hpp"
#include "bauhinia/contracts/company/names.hpp"

namespace bauhinia::contracts::company {
namespace {

core::Hash256 h(std::uint8_t n) {
  core::Hash256 x;
  x.bytes().fill(n);
  return x;
}

OfficerArgs officer() {
  Salt s{};
  s.fill(0x21);
  OfficerArgs o;
  o.name_en = "CHAN Tai Man";
  o.name_zh = "陳大文";
  o.partial_id = "A123***(*)";
  o.correspondence_address = "Flat A, 12/F, 8 Harbour Road, Wan Chai";
  o.id_number_commitment = commit_field(s, "A1234567");
  o.residential_address_commitment = commit_field(s, "Flat 3, 1 Shan Road, Kowloon");
  return o;
}

template <class T>
void put(std::map<std::string, std::string>& out, const std::string& name, const T& v) {
  const Bytes bytes = core::encode(v);
  out[name] = core::to_hex(bytes);
  // Every vector decodes back to the same bytes.
  auto back = core::decode<T>(bytes);
  ASSERT_TRUE(back) << name;
  EXPECT_EQ(core::encode(*back), bytes) << name;
}

std::map<std::string, std::string> vectors() {
  std::map<std::string, std::string> out;
  core::AccountId account;
  account.bytes.fill(0xAC);

  CompanyRecord c;
  c.number = "3298741";
  c.name_en = "Lantern Harbour Logistics Limited";
  c.name_zh = "港燈物流有限公司";
  c.registered_office = "Room 1201, 88 Queensway, Admiralty";
  c.account = account;
  c.incorporated_ms = 1'768'442'400'000ULL;
  c.incorporation_date = Date{2026, 1, 15};
  c.next_return_date = Date{2027, 1, 15};
  c.next_return_due = Date{2027, 2, 26};
  c.filings = 2;
  c.officers = 1;
  c.status = CompanyStatus::kStrikeOffInquiry;
  c.status_since_ms = 1'780'000'000'000ULL;
  c.status_document = h(0x71);
  put(out, "record.company", c);
  put(out, "record.name_index", NameIndexRecord{1, "3298741", "Lantern Harbour Logistics Limited"});
  FilingRecord f;
  f.number = "3298741";
  f.seq = 1;
  f.kind = FilingKind::kAnnualReturn;
  f.document_hash = h(0x31);
  f.event_date = Date{2027, 1, 15};
  f.due_date = Date{2027, 2, 26};
  f.filed_ms = 1'803'916'800'000ULL;
  f.filed_date = Date{2027, 2, 27};
  f.late = true;
  f.filed_by = account;
  put(out, "record.filing", f);
  OfficerRecord o;
  const OfficerArgs oa = officer();
  o.number = "3298741";
  o.id = 0;
  o.name_en = oa.name_en;
  o.name_zh = oa.name_zh;
  o.partial_id = oa.partial_id;
  o.correspondence_address = oa.correspondence_address;
  o.id_number_commitment = oa.id_number_commitment;
  o.residential_address_commitment = oa.residential_address_commitment;
  o.appointed = Date{2026, 1, 15};
  o.resigned = Date{2026, 2, 1};
  put(out, "record.officer", o);

  IncorporateArgs inc;
  inc.number = "03298741";
  inc.name_en = c.name_en;
  inc.name_zh = c.name_zh;
  inc.registered_office = c.registered_office;
  inc.account = account;
  inc.document_hash = h(0x11);
  inc.officers.push_back(oa);
  put(out, "call.incorporate", inc);
  put(out, "call.annual_return", AnnualReturnArgs{"3298741", Date{2027, 1, 15}, h(0x31)});
  ChangeOfficersArgs nd2a{"3298741", Date{2026, 2, 1}, h(0x41), {oa}, {0}};
  put(out, "call.change_officers", nd2a);
  put(out, "call.change_office",
      ChangeOfficeArgs{"3298741", Date{2026, 2, 1}, h(0x42), "2 Science Park Road"});
  put(out, "call.change_name",
      ChangeNameArgs{"3298741", Date{2026, 2, 20}, h(0x22), "Lantern Harbour Freight Limited",
                     "港燈貨運有限公司"});
  put(out, "call.apply_deregistration", DeregistrationArgs{"3298741", h(0x61), h(0x62)});
  put(out, "call.registrar_act", RegistrarActArgs{"3298741", h(0x71)});
  put(out, "call.restore", RestoreArgs{"3298741", h(0x56), true});

  out["key.company"] = core::to_hex(company_key("3298741"));
  out["key.name"] = core::to_hex(name_key(normalise_english(c.name_en)));
  out["key.filing"] = core::to_hex(filing_key("3298741", 1));
  out["key.officer"] = core::to_hex(officer_key("F0012345", 2));
  out["list.due"] = core::to_hex(due_list_name(2027, 2));
  out["list.status"] = core::to_hex(status_list_name(CompanyStatus::kStruckOff));
  Salt s{};
  s.fill(0x21);
  out["commitment"] = commit_field(s, "A1234567").to_hex();
  return out;
}

TEST(CompanyGolden, RecordsKeysAndPayloadsAreFrozen) {
  const std::string path =
      std::string(BAUHINIA_SOURCE_DIR) + "/tests/contracts/company/golden/company_v1.txt";
  const auto got = vectors();
  std::ostringstream text;
  text << "# company module v1: canonical encodings (hex). Never edit by hand.\n";
  for (const auto& [k, v] : got) text << k << "=" << v << "\n";
  if (std::getenv("BAUHINIA_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << text.str();
    FAIL() << "BAUHINIA_UPDATE_GOLDEN is set: rewrote " << path
           << " instead of checking it; review the diff and rerun without it";
  }
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "missing " << path << " (BAUHINIA_UPDATE_GOLDEN=1 writes it)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(want.str(), text.str()) << "the company module's encodings changed";
}

}  // namespace
}  // namespace bauhinia::contracts::company
