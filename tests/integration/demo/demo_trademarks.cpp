#include "demo_trademarks.hpp"

#include <string>
#include <utility>
#include <vector>

#include "bauhinia/contracts/cosignature.hpp"
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

}  // namespace

void trademark_stage(Demo& d) {
  const std::uint64_t now = d.options().now_ms;
  // MIGRATED_MARKS

  // A new application, filed today for a company incorporated today, taken
  // through examination and acceptance to publication: its opposition window
  // runs for the next three months.
  tm::FileArgs pearl;
  pearl.number = "306512345";
  pearl.text_en = "PEARL DELTA";
  pearl.text_zh = "珠三角";
  pearl.image_hash = document("PEARL DELTA device mark (sample image)");
  pearl.applicant = company_party(d, "3412876", "Victoria Peak Devices Limited", "太平山裝置有限公司");
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
