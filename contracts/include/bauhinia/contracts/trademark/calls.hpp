#pragma once
// The trademark module's calls and their payloads (docs/contracts/trademark.md).
//
//   file                      FileArgs            registrar: records an application IPD received
//   register_existing         RegisterExistingArgs registrar: migrates a mark from the legacy
//   register examine, accept, publish, extend_opposition, oppose, register, renew, remove, restore
//   MarkArgs            registrar refuse, revoke, invalidate GroundArgs         registrar withdraw
//   MarkArgs            the applicant (the mark's owner account) assign Cosigned<AssignTerms>
//   registrar, co-signed by the assignor record_licence            Cosigned<LicenceTerms>
//   registrar, co-signed by the owner record_security_interest  Cosigned<SecurityTerms>  registrar,
//   co-signed by the owner

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/contracts/cosignature.hpp"
#include "bauhinia/contracts/trademark/records.hpp"

namespace bauhinia::contracts::trademark {

inline constexpr std::array<std::string_view, 18> kCalls{"file",
                                                         "examine",
                                                         "accept",
                                                         "publish",
                                                         "extend_opposition",
                                                         "oppose",
                                                         "register",
                                                         "refuse",
                                                         "withdraw",
                                                         "renew",
                                                         "remove",
                                                         "restore",
                                                         "revoke",
                                                         "invalidate",
                                                         "assign",
                                                         "record_licence",
                                                         "record_security_interest",
                                                         "register_existing"};

struct FileArgs {
  std::string number;
  std::string text_en;
  std::string text_zh;
  std::optional<core::Hash256> image_hash;
  Party applicant;
  std::vector<ClassSpec> classes;
  std::uint64_t filing_date_ms = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberSize, "number");
    c.string(s.text_en, kMaxMarkTextSize, "text_en");
    c.string(s.text_zh, kMaxMarkTextSize, "text_zh");
    c.optional(s.image_hash, [](auto& cc, auto& h) { cc.fixed(h); });
    c.object(s.applicant);
    c.sequence(s.classes, kMaxClasses, "classes");
    c.u64(s.filing_date_ms);
  }
};

// The migration of a mark that is on the legacy register (the ledger launches
// over the existing register): the particulars of file, with the historic
// filing date, and the mark's status there. Only `registered` and `removed`
// marks are migrated (docs/contracts/trademark.md, "Marks migrated from the
// legacy register").
struct RegisterExistingArgs {
  FileArgs mark;                        // as file; filing_date_ms: the historic filing date
  Status status = Status::kRegistered;  // kRegistered or kRemoved
  std::uint64_t entered_ms = 0;         // entry of the registration on the legacy register
  std::uint32_t renewals = 0;           // renewals so far
  // The current expiry (registered) or the expiry that lapsed (removed): its
  // Hong Kong date must be filing date + (renewals + 1) x term_years (filed
  // before Cap. 559 commenced, 2003-04-04: an anniversary of the filing date).
  std::uint64_t expiry_ms = 0;
  std::uint64_t removed_ms = 0;  // removed: the date of removal; registered: 0
  core::Hash256 extract_hash;    // SHA-256 of the legacy register's extract of the mark

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.mark);
    c.enumeration(s.status, kLastStatus);
    c.u64(s.entered_ms);
    c.u32(s.renewals);
    c.u64(s.expiry_ms);
    c.u64(s.removed_ms);
    c.fixed(s.extract_hash);
  }
};

struct MarkArgs {
  std::string number;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberSize, "number");
  }
};

struct GroundArgs {
  std::string number;
  Ground ground = Ground::kNone;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberSize, "number");
    c.enumeration(s.ground, kLastGround);
  }
};

// What the assignor signs (s.28: an assignment is in writing signed by the assignor).
struct AssignTerms {
  std::string number;
  core::AccountId assignor;  // must be the mark's current owner, and co-sign
  Party assignee;
  std::vector<ClassSpec> scope;  // empty: the whole mark; else the classes/items assigned
  bool with_goodwill = false;
  std::uint64_t assignment_date_ms = 0;
  core::Hash256 deed_hash;  // SHA-256 of the signed deed (kept private)

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberSize, "number");
    c.fixed(s.assignor.bytes);
    c.object(s.assignee);
    c.sequence(s.scope, kMaxClasses, "scope");
    c.boolean(s.with_goodwill);
    c.u64(s.assignment_date_ms);
    c.fixed(s.deed_hash);
  }
};

struct LicenceTerms {
  std::string number;
  core::AccountId licensor;  // the owner; co-signs
  Party licensee;
  bool exclusive = false;
  std::vector<ClassSpec> scope;  // empty: the whole mark
  std::uint64_t start_ms = 0;
  std::uint64_t end_ms = 0;  // 0: no fixed end
  core::Hash256 deed_hash;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberSize, "number");
    c.fixed(s.licensor.bytes);
    c.object(s.licensee);
    c.boolean(s.exclusive);
    c.sequence(s.scope, kMaxClasses, "scope");
    c.u64(s.start_ms);
    c.u64(s.end_ms);
    c.fixed(s.deed_hash);
  }
};

struct SecurityTerms {
  std::string number;
  core::AccountId chargor;  // the owner; co-signs
  Party holder;
  std::uint64_t effective_ms = 0;
  core::Hash256 deed_hash;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.number, kMaxNumberSize, "number");
    c.fixed(s.chargor.bytes);
    c.object(s.holder);
    c.u64(s.effective_ms);
    c.fixed(s.deed_hash);
  }
};

using AssignPayload = Cosigned<AssignTerms>;
using LicencePayload = Cosigned<LicenceTerms>;
using SecurityPayload = Cosigned<SecurityTerms>;

}  // namespace bauhinia::contracts::trademark
