#include "demo_records.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/anchor/module.hpp"
#include "bauhinia/contracts/company/calls.hpp"
#include "bauhinia/contracts/company/records.hpp"
#include "bauhinia/contracts/cosignature.hpp"
#include "bauhinia/contracts/system/proposals.hpp"
#include "bauhinia/contracts/system/roles.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/node/key_file.hpp"
#include "demo_context.hpp"
#include "demo_drugs.hpp"
#include "demo_environment.hpp"
#include "demo_trademarks.hpp"

namespace bauhinia::demo {

namespace {

namespace company = contracts::company;
namespace system = contracts::system;
namespace anchor = contracts::anchor;

// Keys the demo creates beside the department admins' (from genesis).
constexpr std::array<const char*, 15> kCreatedKeys{
    "IPD-registrar",   "CR-registrar",      "DH-officer",      "EPD-officer",     "OGCIO-officer",
    "LANDSD-admin",    "company-3298741",   "company-3310562", "company-3354410", "company-2987001",
    "company-3412876", "owner-lee-ka-ming", "proponent-cedd",  "collector-4821",  "reception-cwtc"};
constexpr std::array<const char*, 5> kAdmins{"IPD-admin", "CR-admin", "DH-admin", "EPD-admin",
                                             "OGCIO-admin"};

core::Hash256 document(std::string_view what) {
  return core::sha256(
      core::ByteView(reinterpret_cast<const std::uint8_t*>(what.data()), what.size()));
}

}  // namespace

// ---- Context shared with the trademark part (demo_trademarks.hpp) ----------

Demo::Demo(const DemoOptions& options) : options_(options) {}

core::Status Demo::load_keys(bool create_missing) {
  for (const char* name : kAdmins) {
    auto key = node::read_schnorr_key(options_.keys / (std::string(name) + ".key"));
    if (!key) return key.error();
    add_signer(name, std::move(*key));
  }
  std::vector<const char*> created(kCreatedKeys.begin(), kCreatedKeys.end());
  created.insert(created.end(), kDrugsKeys.begin(), kDrugsKeys.end());
  for (const char* name : created) {
    const auto path = options_.keys / (std::string(name) + ".key");
    if (create_missing && !std::filesystem::exists(path)) {
      if (auto s = node::write_schnorr_key(path, core::schnorr::SecretKey::generate()); !s)
        return s;
    }
    auto key = node::read_schnorr_key(path);
    if (!key) return key.error();
    add_signer(name, std::move(*key));
  }
  return core::Status::ok();
}

void Demo::add_signer(const std::string& name, core::schnorr::SecretKey key) {
  auto s = std::make_unique<Signer>(
      Signer{name, core::account_id_of(key.public_key()), std::move(key), 0});
  if (auto it = options_.sequences.find(name); it != options_.sequences.end()) s->next = it->second;
  signers_.emplace(name, std::move(s));
}

Signer& Demo::signer(const std::string& name) {
  return *signers_.at(name);
}

chain::Transaction Demo::unsigned_tx(Signer& from, std::string module, std::string call) const {
  chain::Transaction tx;
  tx.chain_id = options_.chain_id;
  tx.sender = from.account;
  tx.public_key = from.key.public_key();
  tx.sequence = from.next;
  tx.expiry_ms = options_.now_ms + options_.ttl_ms;
  tx.module = std::move(module);
  tx.call = std::move(call);
  return tx;
}

const std::string& Demo::keep_private(const std::string& value) {
  if (std::find(private_values_.begin(), private_values_.end(), value) == private_values_.end()) {
    private_values_.push_back(value);
  }
  return value;
}

core::Status Demo::write_private_values() const {
  if (options_.private_out.empty() || private_values_.empty()) return core::Status::ok();
  std::ofstream out(options_.private_out, std::ios::app);
  for (const std::string& v : private_values_) out << v << "\n";
  out.flush();
  if (!out) return core::Status::io_error(options_.private_out.string() + ": cannot be written");
  return core::Status::ok();
}

void Demo::emit(Signer& from, chain::Transaction tx, const std::string& department,
                const std::string& description) {
  tx.sign(from.key);
  from.next += 1;
  std::cout << tx.id().to_hex() << " " << core::to_hex(tx.encoded()) << " " << department << " "
            << description << "\n";
}

void Demo::call(const std::string& signer_name, std::string module, std::string call,
                core::Bytes payload, const std::string& department,
                const std::string& description) {
  Signer& from = signer(signer_name);
  chain::Transaction tx = unsigned_tx(from, std::move(module), std::move(call));
  tx.payload = std::move(payload);
  emit(from, std::move(tx), department, description);
}

std::int64_t Demo::today() const {
  return static_cast<std::int64_t>((options_.now_ms + 8 * 3'600'000ULL) / company::kMsPerDay);
}

namespace {

company::Date date_of(std::int64_t days) {
  return company::Date::from_days(days);
}

company::Date years_before(const company::Date& d, int years) {
  return company::Date{static_cast<std::uint16_t>(d.year - years), d.month,
                       static_cast<std::uint8_t>(std::min<int>(d.day, 28))};
}

// The anniversary of `incorporated` on or before `today`.
company::Date last_anniversary(const company::Date& incorporated, const company::Date& today) {
  company::Date a{today.year, incorporated.month, std::min<std::uint8_t>(incorporated.day, 28)};
  if (a.days() > today.days()) a.year -= 1;
  return a;
}

company::Salt fresh_salt() {
  // Salts are the officer's secret (the demo does not keep them): random.
  const auto k = core::schnorr::SecretKey::generate();
  return k.bytes();
}

company::OfficerArgs officer(Demo& d, company::OfficerRole role, std::string en, std::string zh,
                             std::string partial_id, std::string full_id) {
  company::OfficerArgs o;
  o.role = role;
  o.name_en = std::move(en);
  o.name_zh = std::move(zh);
  o.partial_id = std::move(partial_id);
  o.correspondence_address = "Room 1501, 15/F, 1 Harbour View Street, Central, Hong Kong";
  o.id_number_commitment = company::commit_field(fresh_salt(), d.keep_private(full_id));
  o.residential_address_commitment = company::commit_field(
      fresh_salt(), d.keep_private("Flat B, 20/F, Block 3, Sha Tin, New Territories"));
  return o;
}

company::IncorporateArgs company_args(Demo& d, std::string number, std::string en, std::string zh,
                                      std::string office,
                                      std::vector<company::OfficerArgs> officers) {
  company::IncorporateArgs a;
  a.number = number;
  a.name_en = std::move(en);
  a.name_zh = std::move(zh);
  a.type = company::CompanyType::kPrivateLimitedByShares;
  a.registered_office = std::move(office);
  a.account = d.signer("company-" + number).account;
  a.document_hash = document("NNC1 " + number);
  a.officers = std::move(officers);
  return a;
}

// Stage 1: the admins appoint their officers and OGCIO proposes a new department.
void stage_roles(Demo& d) {
  const auto grant = [&](const char* admin, const char* to, const char* role, const char* dept) {
    system::RoleArgs args{d.signer(to).account, role};
    d.call(admin, "system", "grant_role", core::encode(args), dept,
           std::string("grants ") + role + " to " + to);
  };
  grant("IPD-admin", "IPD-registrar", "trademark.registrar", "IPD");
  grant("IPD-admin", "IPD-registrar", "anchor.issuer", "IPD");
  grant("CR-admin", "CR-registrar", "company.registrar", "CR");
  grant("DH-admin", "DH-officer", "anchor.issuer", "DH");
  grant("EPD-admin", "EPD-officer", "anchor.issuer", "EPD");
  grant("OGCIO-admin", "OGCIO-officer", "anchor.issuer", "OGCIO");

  system::AddDepartmentTerms terms{"LANDSD", "Lands Department 地政總署",
                                   d.signer("LANDSD-admin").key.public_key()};
  system::ProposeArgs p;
  p.kind = system::ProposalKind::kAddDepartment;
  p.terms = core::encode(terms);
  p.expiry_ms = d.options().now_ms + 7ULL * 24 * 3'600'000;
  d.call("OGCIO-admin", "system", "propose", core::encode(p), "OGCIO",
         "proposes adding the Lands Department (地政總署) to the consortium (proposal 1)");
  environment_roles(d);
  drugs_stage(d, 1);
}

// Stage 2: three more admins approve (4 of 5: it passes); the Registry
// migrates four companies and incorporates a fifth; departments anchor documents.
void stage_registers(Demo& d) {
  for (const char* admin : {"IPD-admin", "CR-admin", "DH-admin"}) {
    const std::string dept = std::string(admin).substr(0, std::string(admin).find('-'));
    d.call(admin, "system", "approve", core::encode(system::ProposalIdArgs{1}), dept,
           "approves proposal 1 (add the Lands Department)");
  }

  const company::Date today = date_of(d.today());
  const auto migrate = [&](company::IncorporateArgs args, company::Date incorporated,
                           company::CompanyStatus status, company::Date status_date,
                           std::optional<company::Date> last_return, const std::string& what) {
    company::RegisterExistingArgs m;
    args.document_hash = document("legacy register extract " + args.number);
    m.company = std::move(args);
    m.incorporation_date = incorporated;
    m.status = status;
    m.status_date = status_date;
    m.last_return_date = last_return;
    d.call("CR-registrar", "company", "register_existing", core::encode(m), "CR", what);
  };

  // Incorporated ~7 years 4 months ago: this year's annual return is overdue.
  const company::Date i1 = years_before(date_of(d.today() - 120), 7);
  const company::Date a1 = last_anniversary(i1, today);
  migrate(company_args(d, "3298741", "Lantern Harbour Logistics Limited", "港燈物流有限公司",
                       "Unit 1203, 12/F, Harbour Plaza, 182 Wai Yip Street, Kwun Tong, Kowloon",
                       {officer(d, company::OfficerRole::kDirector, "CHAN Tai Man", "陳大文",
                                "A123***(*)", "A1234567"),
                        officer(d, company::OfficerRole::kSecretary, "WONG Mei Ling", "黃美玲",
                                "K654***(*)", "K6543210")}),
          i1, company::CompanyStatus::kLive, i1, years_before(a1, 1),
          "migrates 3298741 Lantern Harbour Logistics Limited 港燈物流有限公司 (incorporated " +
              i1.to_string() + ", last annual return " + years_before(a1, 1).to_string() + ")");

  // Incorporated five years and twenty days ago: its return is due in 22 days.
  const company::Date i2 = years_before(date_of(d.today() - 20), 5);
  const company::Date a2 = last_anniversary(i2, today);
  migrate(company_args(d, "3310562", "Harbour Lantern Foods Limited", "港燈籠食品有限公司",
                       "Shop 5, G/F, 28 Bonham Strand, Sheung Wan, Hong Kong",
                       {officer(d, company::OfficerRole::kDirector, "LAU Wing Kei", "劉永基",
                                "Y778***(*)", "Y7781234")}),
          i2, company::CompanyStatus::kLive, i2, years_before(a2, 1),
          "migrates 3310562 Harbour Lantern Foods Limited 港燈籠食品有限公司 (incorporated " +
              i2.to_string() + ")");

  const company::Date i3 = years_before(date_of(d.today() + 100), 4);
  migrate(company_args(d, "3354410", "Kowloon Kinetic Technology Limited", "九龍動力科技有限公司",
                       "Unit 8, 3/F, Science Park West Avenue, Sha Tin, New Territories",
                       {officer(d, company::OfficerRole::kDirector, "HO Chun Yin", "何俊賢",
                                "R112***(*)", "R1122334")}),
          i3, company::CompanyStatus::kLive, i3, last_anniversary(i3, today),
          "migrates 3354410 Kowloon Kinetic Technology Limited 九龍動力科技有限公司");

  const company::Date struck{static_cast<std::uint16_t>(today.year - 1), 5, 2};
  migrate(company_args(d, "2987001", "Tsing Yi Trading Limited", "青衣貿易有限公司",
                       "Flat 9, 6/F, 3 Tsing Yi Road, Tsing Yi, New Territories",
                       {officer(d, company::OfficerRole::kDirector, "CHEUNG Siu Fung", "張少峰",
                                "C334***(*)", "C3344556")}),
          company::Date{2009, 6, 1}, company::CompanyStatus::kStruckOff, struck, std::nullopt,
          "migrates 2987001 Tsing Yi Trading Limited 青衣貿易有限公司, struck off on " +
              struck.to_string());

  company::IncorporateArgs fresh = company_args(
      d, "3412876", "Victoria Peak Devices Limited", "太平山裝置有限公司",
      "Room 2302, 23/F, 9 Queen's Road Central, Central, Hong Kong",
      {officer(d, company::OfficerRole::kDirector, "NG Ka Yan", "吳嘉欣", "Z998***(*)", "Z9987766"),
       officer(d, company::OfficerRole::kSecretary, "LEUNG Chi Wai", "梁志偉", "P445***(*)",
               "P4455667")});
  d.call("CR-registrar", "company", "incorporate", core::encode(fresh), "CR",
         "incorporates 3412876 Victoria Peak Devices Limited 太平山裝置有限公司 today");

  const auto anchor_doc = [&](const char* who, const char* dept, const char* type,
                              const std::string& reference) {
    anchor::AnchorArgs a{dept, type, reference, document(reference)};
    d.call(who, "anchor", "anchor", core::encode(a), dept,
           std::string("anchors ") + type + " \"" + reference + "\"");
  };
  anchor_doc("OGCIO-officer", "OGCIO", "circular",
             "OGCIO Circular No. 7/2026: Shared Blockchain Platform for departments (sample)");
  anchor_doc("EPD-officer", "EPD", "eia-report",
             "AEIAR-251/2026 Tuen Mun cycle track EIA report, version 2 (sample)");
  anchor_doc("DH-officer", "DH", "licence",
             "Licence to manufacture pharmaceutical products No. M-0413 (sample)");
  anchor_doc("IPD-registrar", "IPD", "certificate",
             "Certificate of registration of trade mark 305918274 (sample)");
  environment_profile(d);
  drugs_stage(d, 2);
}

// Stage 3: companies file (one late, one on time, a name change, a late
// change of directors); the Trade Marks Registry (demo_trademarks.cpp).
void stage_filings(Demo& d) {
  const company::Date today = date_of(d.today());
  const company::Date a1 = last_anniversary(years_before(date_of(d.today() - 120), 7), today);
  d.call("company-3298741", "company", "annual_return",
         core::encode(
             company::AnnualReturnArgs{"3298741", a1, document("NAR1 3298741 " + a1.to_string())}),
         "CR",
         "3298741 delivers its annual return made up to " + a1.to_string() +
             " (due 42 days after: LATE)");
  company::ChangeOfficersArgs nd2a;
  nd2a.number = "3298741";
  nd2a.change_date = date_of(d.today() - 40);
  nd2a.document_hash = document("ND2A 3298741");
  nd2a.appoint.push_back(officer(d, company::OfficerRole::kDirector, "CHAN Siu Ming", "陳小明",
                                 "A765***(*)", "A7654321"));
  d.call("company-3298741", "company", "change_officers", core::encode(nd2a), "CR",
         "3298741 notifies a new director appointed on " + nd2a.change_date.to_string() +
             " (due within 15 days: LATE)");

  const company::Date a2 = last_anniversary(years_before(date_of(d.today() - 20), 5), today);
  d.call("company-3310562", "company", "annual_return",
         core::encode(
             company::AnnualReturnArgs{"3310562", a2, document("NAR1 3310562 " + a2.to_string())}),
         "CR", "3310562 delivers its annual return made up to " + a2.to_string() + " (on time)");

  company::ChangeNameArgs nnc2;
  nnc2.number = "3354410";
  nnc2.resolution_date = date_of(d.today() - 3);
  nnc2.document_hash = document("NNC2 3354410");
  nnc2.name_en = "Kowloon Kinetic Robotics Limited";
  nnc2.name_zh = "九龍動力機械人有限公司";
  d.call("company-3354410", "company", "change_name", core::encode(nnc2), "CR",
         "3354410 changes its name to Kowloon Kinetic Robotics Limited 九龍動力機械人有限公司");
  company::ChangeOfficeArgs nr1;
  nr1.number = "3354410";
  nr1.change_date = date_of(d.today() - 2);
  nr1.document_hash = document("NR1 3354410");
  nr1.registered_office = "Unit 12, 5/F, Cyberport 2, 100 Cyberport Road, Pok Fu Lam, Hong Kong";
  d.call("company-3354410", "company", "change_office", core::encode(nr1), "CR",
         "3354410 moves its registered office to Cyberport (on time)");

  trademark_stage(d);
  environment_stage(d, 3);
  drugs_stage(d, 3);
}

}  // namespace

int run_demo_records(const DemoOptions& options) {
  Demo d(options);
  if (auto s = d.load_keys(options.stage == 0); !s) {
    std::cerr << "bauhinia-testtx demo-records: " << s.to_string() << "\n";
    return 1;
  }
  switch (options.stage) {
    case 0:
      for (const auto& [name, s] : d.signers()) {
        std::cout << name << " " << s->account.to_hex() << "\n";
      }
      break;
    case 1: stage_roles(d); break;
    case 2: stage_registers(d); break;
    case 3: stage_filings(d); break;
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
      environment_stage(d, options.stage);
      drugs_stage(d, options.stage);
      break;
    default: std::cerr << "bauhinia-testtx demo-records: --stage 0.." << kStages << "\n"; return 1;
  }
  if (auto s = d.write_private_values(); !s) {
    std::cerr << "bauhinia-testtx demo-records: " << s.to_string() << "\n";
    return 1;
  }
  std::cout.flush();
  return std::cout ? 0 : 1;
}

}  // namespace bauhinia::demo
