#include "demo_trademarks.hpp"

#include <string>
#include <utility>
#include <vector>

#include "bauhinia/contracts/cosignature.hpp"
#include "bauhinia/contracts/trademark/calendar.hpp"
#include "bauhinia/contracts/trademark/calls.hpp"
#include "bauhinia/contracts/trademark/records.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::demo {

namespace {

namespace tm = contracts::trademark;

constexpr std::uint64_t kDayMs = 86'400'000ULL;

core::Hash256 document(std::string_view what) {
  return core::sha256(
      core::ByteView(reinterpret_cast<const std::uint8_t*>(what.data()), what.size()));
}

tm::ClassSpec nice(std::uint8_t c, std::vector<std::string> items) {
  return tm::ClassSpec{c, std::move(items)};
}

tm::Party company_party(Demo& d, const std::string& number, std::string en, std::string zh) {
  return tm::Party{d.signer("company-" + number).account, std::move(en), std::move(zh), number};
}

void registrar(Demo& d, const char* call, std::string number, const std::string& what) {
  d.call("IPD-registrar", "trademark", call, core::encode(tm::MarkArgs{std::move(number)}), "IPD",
         what);
}

// A co-signed call of the IPD registrar: `cosigner` signs the terms offline.
template <class Terms>
void cosigned(Demo& d, const char* call, const Terms& terms, const std::string& cosigner,
              const std::string& what) {
  Signer& from = d.signer("IPD-registrar");
  chain::Transaction tx = d.unsigned_tx(from, "trademark", call);
  const core::Bytes encoded_terms = core::encode(terms);
  contracts::Cosigned<Terms> payload{terms, {}};
  Signer& by = d.signer(cosigner);
  payload.cosignatures.push_back(contracts::cosign(tx, encoded_terms, by.key, by.account));
  tx.payload = core::encode(payload);
  d.emit(from, std::move(tx), "IPD", what);
}

tm::Party owner_lee(Demo& d) {
  return tm::Party{d.signer("owner-lee-ka-ming").account, "LEE Ka Ming", "李家明", ""};
}

// Migrates a registered mark from the legacy register (its legacy extract's
// hash recorded), filed at `filing_ms` and renewed `renewals` times.
void migrate(Demo& d, tm::FileArgs mark, std::uint64_t filing_ms, std::uint32_t renewals,
             const std::string& what) {
  mark.filing_date_ms = filing_ms;
  tm::RegisterExistingArgs m;
  m.extract_hash = document("legacy register extract " + mark.number);
  m.mark = std::move(mark);
  m.status = tm::Status::kRegistered;
  m.entered_ms = filing_ms + 200 * kDayMs;  // entered after examination and opposition
  m.renewals = renewals;
  m.expiry_ms = tm::add_years(filing_ms, 10ULL * (renewals + 1));
  d.call("IPD-registrar", "trademark", "register_existing", core::encode(m), "IPD", what);
}

// The marks the Trade Marks Registry held before the ledger, and what happens
// to them today: a renewal in the renewal window, a whole assignment with
// goodwill, a partial one (class 42 only), a licence — each transaction of
// the owner co-signed by it (Cap. 559 s.28: signed by the assignor).
void migrated_marks(Demo& d) {
  const std::uint64_t now = d.options().now_ms;

  // Filed ten years less 90 days ago: it expires in 90 days, inside the
  // six-month renewal window.
  tm::FileArgs lantern;
  lantern.number = "305918274";
  lantern.text_en = "HARBOUR LANTERN";
  lantern.text_zh = "港燈籠";
  lantern.image_hash = document("HARBOUR LANTERN device mark (sample image)");
  lantern.applicant =
      company_party(d, "3310562", "Harbour Lantern Foods Limited", "港燈籠食品有限公司");
  lantern.classes = {nice(29, {"preserved and dried fruits", "edible oils"}),
                     nice(30, {"tea", "pastries", "mooncakes"}),
                     nice(43, {"restaurant services", "catering services"})};
  const std::uint64_t lantern_filed = now - (10 * 365 + 2) * kDayMs + 90 * kDayMs;
  migrate(d, lantern, lantern_filed, 0,
          "migrates 305918274 HARBOUR LANTERN 港燈籠 of Harbour Lantern Foods Limited "
          "(classes 29, 30, 43; expires in about 90 days)");

  tm::FileArgs kinetic;
  kinetic.number = "304477102";
  kinetic.text_en = "KOWLOON KINETIC";
  kinetic.text_zh = "九龍動力";
  kinetic.applicant = owner_lee(d);
  kinetic.classes = {
      nice(9, {"robots for industrial use (control apparatus)", "computer software"}),
      nice(42, {"design and development of robotics software"})};
  migrate(d, kinetic, now - (12 * 365 + 40) * kDayMs, 1,
          "migrates 304477102 KOWLOON KINETIC 九龍動力 of LEE Ka Ming 李家明 (classes 9, 42; "
          "renewed once)");

  tm::FileArgs jade;
  jade.number = "306100233";
  jade.text_en = "JADE TEAHOUSE";
  jade.text_zh = "翡翠茶居";
  jade.applicant =
      company_party(d, "3298741", "Lantern Harbour Logistics Limited", "港燈物流有限公司");
  jade.classes = {nice(30, {"tea", "tea-based beverages"}), nice(43, {"teahouse services"})};
  migrate(d, jade, now - (4 * 365 + 100) * kDayMs, 0,
          "migrates 306100233 JADE TEAHOUSE 翡翠茶居 of Lantern Harbour Logistics Limited "
          "(classes 30, 43)");

  registrar(d, "renew", "305918274",
            "renews 305918274 HARBOUR LANTERN for ten years, in its renewal window (on time)");

  tm::AssignTerms whole;
  whole.number = "306100233";
  whole.assignor = d.signer("company-3298741").account;
  whole.assignee =
      company_party(d, "3310562", "Harbour Lantern Foods Limited", "港燈籠食品有限公司");
  whole.with_goodwill = true;
  whole.assignment_date_ms = now - 10 * kDayMs;
  whole.deed_hash = document("deed of assignment 306100233 (kept by the parties)");
  cosigned(
      d, "assign", whole, "company-3298741",
      "records the assignment of 306100233 JADE TEAHOUSE, whole and with goodwill, from "
      "Lantern Harbour Logistics Limited to Harbour Lantern Foods Limited (assignor co-signs)");

  tm::AssignTerms part;
  part.number = "304477102";
  part.assignor = d.signer("owner-lee-ka-ming").account;
  part.assignee =
      company_party(d, "3354410", "Kowloon Kinetic Robotics Limited", "九龍動力機械人有限公司");
  part.scope = {nice(42, {})};
  part.with_goodwill = false;
  part.assignment_date_ms = now - 5 * kDayMs;
  part.deed_hash = document("deed of partial assignment 304477102 class 42");
  cosigned(d, "assign", part, "owner-lee-ka-ming",
           "records the partial assignment of 304477102 KOWLOON KINETIC, class 42 only, from LEE "
           "Ka Ming to Kowloon Kinetic Robotics Limited (a new registration linked to the "
           "original; assignor co-signs)");

  tm::LicenceTerms licence;
  licence.number = "305918274";
  licence.licensor = d.signer("company-3310562").account;
  licence.licensee =
      company_party(d, "3298741", "Lantern Harbour Logistics Limited", "港燈物流有限公司");
  licence.exclusive = false;
  licence.scope = {nice(43, {})};
  licence.start_ms = now - kDayMs;
  licence.end_ms = now + 3 * 365 * kDayMs;
  licence.deed_hash = document("licence 305918274 class 43");
  cosigned(d, "record_licence", licence, "company-3310562",
           "records a non-exclusive licence of 305918274 HARBOUR LANTERN in class 43 to Lantern "
           "Harbour Logistics Limited for three years (owner co-signs)");
}

}  // namespace

void trademark_stage(Demo& d) {
  const std::uint64_t now = d.options().now_ms;
  migrated_marks(d);

  // A new application, filed today for a company incorporated today, taken
  // through examination and acceptance to publication: its opposition window
  // runs for the next three months.
  tm::FileArgs pearl;
  pearl.number = "306512345";
  pearl.text_en = "PEARL DELTA";
  pearl.text_zh = "珠三角";
  pearl.image_hash = document("PEARL DELTA device mark (sample image)");
  pearl.applicant =
      company_party(d, "3412876", "Victoria Peak Devices Limited", "太平山裝置有限公司");
  pearl.classes = {nice(9, {"smart home controllers", "computer software"}),
                   nice(42, {"design of computer hardware"})};
  pearl.filing_date_ms = now - 2 * kDayMs;
  d.call("IPD-registrar", "trademark", "file", core::encode(pearl), "IPD",
         "records application 306512345 PEARL DELTA 珠三角 by Victoria Peak Devices Limited "
         "(classes 9, 42)");
  registrar(d, "examine", "306512345", "306512345 enters examination");
  registrar(d, "accept", "306512345", "306512345 is accepted");
  registrar(d, "publish", "306512345",
            "306512345 is published in the HK IP Journal: the 3-month opposition window opens");
}

}  // namespace bauhinia::demo
