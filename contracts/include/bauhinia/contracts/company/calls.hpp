#pragma once
// The company module's calls: their payloads (the canonical encoding of the
// structs below) and events (docs/contracts/company.md).
//
//   incorporate           IncorporateArgs     a company.registrar
//   annual_return         AnnualReturnArgs    NAR1: the company's account or a registrar
//   change_officers       ChangeOfficersArgs  ND2A: the company's account or a registrar
//   change_office         ChangeOfficeArgs    NR1:  the company's account or a registrar
//   change_name           ChangeNameArgs      NNC2: the company's account or a registrar
//   apply_deregistration  DeregistrationArgs  the company's account or a registrar
//   gazette_deregistration, deregister,
//   strike_off_inquiry, gazette_strike_off, strike_off,
//   cancel_ending, dissolve                   RegistrarActArgs, a registrar
//   restore               RestoreArgs         a registrar

#include <cstdint>
#include <string>
#include <vector>

#include "bauhinia/contracts/company/records.hpp"

namespace bauhinia::contracts::company {

// An officer appointed (at incorporation or by ND2A).
struct OfficerArgs {
  OfficerRole role = OfficerRole::kDirector;
  std::string name_en;
  std::string name_zh;
  std::string partial_id;
  std::string correspondence_address;
  core::Hash256 id_number_commitment;            // commit_field(salt, full id number)
  core::Hash256 residential_address_commitment;  // commit_field(salt, residential address)

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.enumeration(s.role, kMaxOfficerRole);
    c.string(s.name_en, kMaxPersonNameSize, "name_en");
    c.string(s.name_zh, kMaxPersonNameSize, "name_zh");
    c.string(s.partial_id, kMaxPartialIdSize, "partial_id");
    c.string(s.correspondence_address, kMaxAddressSize, "correspondence_address");
    c.fixed(s.id_number_commitment);
    c.fixed(s.residential_address_commitment);
  }
};

struct IncorporateArgs {
  std::string number;  // 7 digits, 0 + 7 digits, or F + 7 digits
  std::string name_en;
  std::string name_zh;
  CompanyType type = CompanyType::kPrivateLimitedByShares;
  std::string registered_office;
  core::AccountId account;      // the company's own account
  core::Hash256 document_hash;  // NNC1 / NNC1G / NN1
  // Public and guarantee companies: the day and month their accounting
  // reference period ends (their return date follows it); others: 0, 0.
  std::uint8_t accounting_reference_month = 0;
  std::uint8_t accounting_reference_day = 0;
  std::vector<OfficerArgs> officers;  // the first directors and secretary

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberInputSize, "number");
    c.string(s.name_en, kMaxNameSize, "name_en");
    c.string(s.name_zh, kMaxNameSize, "name_zh");
    c.enumeration(s.type, kMaxCompanyType);
    c.string(s.registered_office, kMaxOfficeSize, "registered_office");
    c.fixed(s.account.bytes);
    c.fixed(s.document_hash);
    c.u8(s.accounting_reference_month);
    c.u8(s.accounting_reference_day);
    c.sequence(s.officers, kMaxOfficersPerFiling, "officers");
  }
};

struct AnnualReturnArgs {
  std::string number;
  Date return_date;  // the return date the return is made up to
  core::Hash256 document_hash;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberInputSize, "number");
    c.object(s.return_date);
    c.fixed(s.document_hash);
  }
};

struct ChangeOfficersArgs {
  std::string number;
  Date change_date;
  core::Hash256 document_hash;
  std::vector<OfficerArgs> appoint;
  std::vector<std::uint32_t> resign;  // officer ids

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberInputSize, "number");
    c.object(s.change_date);
    c.fixed(s.document_hash);
    c.sequence(s.appoint, kMaxOfficersPerFiling, "appoint");
    c.sequence(s.resign, kMaxOfficersPerFiling, "resign", [](auto& cc, auto& v) { cc.u32(v); });
  }
};

struct ChangeOfficeArgs {
  std::string number;
  Date change_date;
  core::Hash256 document_hash;
  std::string registered_office;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberInputSize, "number");
    c.object(s.change_date);
    c.fixed(s.document_hash);
    c.string(s.registered_office, kMaxOfficeSize, "registered_office");
  }
};

struct ChangeNameArgs {
  std::string number;
  Date resolution_date;  // the special resolution
  core::Hash256 document_hash;
  std::string name_en;
  std::string name_zh;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberInputSize, "number");
    c.object(s.resolution_date);
    c.fixed(s.document_hash);
    c.string(s.name_en, kMaxNameSize, "name_en");
    c.string(s.name_zh, kMaxNameSize, "name_zh");
  }
};

struct DeregistrationArgs {
  std::string number;
  core::Hash256 document_hash;    // NDR1
  core::Hash256 ird_notice_hash;  // the IRD's notice of no objection

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberInputSize, "number");
    c.fixed(s.document_hash);
    c.fixed(s.ird_notice_hash);
  }
};

// A step of the Registrar: the document is the Gazette notice, the letter,
// the notice of deregistration, ...
struct RegistrarActArgs {
  std::string number;
  core::Hash256 document_hash;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberInputSize, "number");
    c.fixed(s.document_hash);
  }
};

struct RestoreArgs {
  std::string number;
  core::Hash256 document_hash;  // the application (administrative) or the court order
  bool court_order = false;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberInputSize, "number");
    c.fixed(s.document_hash);
    c.boolean(s.court_order);
  }
};

// ---- Events ------------------------------------------------------------------------

// kinds "incorporated", "filed", "status_changed", "officer_appointed",
// "officer_resigned", "name_changed"; data = the record written (its
// canonical encoding), so a subscriber needs no second read.

}  // namespace bauhinia::contracts::company
