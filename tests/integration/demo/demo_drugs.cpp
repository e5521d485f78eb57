#include "demo_drugs.hpp"

#include <string>
#include <utility>

#include "bauhinia/contracts/cosignature.hpp"
#include "bauhinia/contracts/drugs/calls.hpp"
#include "bauhinia/contracts/drugs/records.hpp"
#include "bauhinia/contracts/system/roles.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::demo {

namespace {

namespace drugs = contracts::drugs;

constexpr std::uint64_t kDayMs = 86'400'000ULL;
// Sample products (invented registration numbers and names).
constexpr const char* kCapsules = "HK-51234";  // the manufacturer's
constexpr const char* kInhaler = "HK-60417";   // the importer's
constexpr const char* kRecalled = "B2026-0147";

core::Hash256 document(std::string_view what) {
  return core::sha256(core::as_bytes(what));
}

void grant(Demo& d, const char* to, std::string_view role) {
  d.call("DH-admin", "system", "grant_role",
         core::encode(contracts::system::RoleArgs{d.signer(to).account, std::string(role)}), "DH",
         "grants " + std::string(role) + " to " + to);
}

void product(Demo& d, const char* regno, const char* holder, std::string en, std::string zh,
             std::string form, std::string strength, const std::string& what) {
  drugs::ProductArgs a{regno,         d.signer(holder).account, std::move(en),
                       std::move(zh), std::move(form),          std::move(strength)};
  d.call("DH-drug-office", "drugs", "register_product", core::encode(a), "DH", what);
}

void batch(Demo& d, const char* holder, const char* regno, const char* number,
           std::uint64_t quantity, std::uint64_t days_old, std::uint64_t shelf_days) {
  const std::uint64_t now = d.options().now_ms;
  drugs::BatchArgs a{regno, number, quantity, now - days_old * kDayMs,
                     now - days_old * kDayMs + shelf_days * kDayMs};
  d.call(holder, "drugs", "create_batch", core::encode(a), "DH",
         std::string(holder) + " releases batch " + number + " of " + regno + " (" +
             std::to_string(quantity) + " units)");
}

// A custody step: `from` submits, `to` co-signs the terms offline.
void move(Demo& d, const char* call, const char* from, const char* to, const char* regno,
          const char* number, std::uint64_t quantity) {
  Signer& sender = d.signer(from);
  Signer& receiver = d.signer(to);
  drugs::TransferTerms t{
      regno,
      number,
      sender.account,
      receiver.account,
      quantity,
      document(std::string("delivery note ") + regno + " " + number + " " + from + " " + to)};
  chain::Transaction tx = d.unsigned_tx(sender, "drugs", call);
  const core::Bytes terms = core::encode(t);
  tx.payload = core::encode(
      drugs::TransferPayload{t, {contracts::cosign(tx, terms, receiver.key, receiver.account)}});
  d.emit(sender, std::move(tx), "DH",
         std::string(from) + " supplies " + std::to_string(quantity) + " units of " + regno + " " +
             number + " to " + to + " (" + to + " co-signs)");
}

}  // namespace

void drugs_stage(Demo& d, int stage) {
  switch (stage) {
    case 1:
      grant(d, "DH-drug-office", drugs::kRegulatorRole);
      grant(d, "drugs-manufacturer", drugs::kManufacturerRole);
      grant(d, "drugs-importer", drugs::kImporterRole);
      grant(d, "drugs-wholesaler-1", drugs::kWholesalerRole);
      grant(d, "drugs-wholesaler-2", drugs::kWholesalerRole);
      grant(d, "drugs-pharmacy", drugs::kDispenserRole);
      grant(d, "drugs-hospital", drugs::kDispenserRole);
      break;
    case 2:
      product(d, kCapsules, "drugs-manufacturer", "Harbourcillin Capsules 500mg",
              "港青黴素膠囊500毫克", "capsule", "500 mg",
              "registers HK-51234 Harbourcillin Capsules 500mg (sample) of the manufacturer");
      product(d, kInhaler, "drugs-importer", "Lionrock Salbutamol Inhaler 100mcg",
              "獅子山沙丁胺醇吸入器100微克", "pressurised inhalation", "100 mcg/dose",
              "registers HK-60417 Lionrock Salbutamol Inhaler (sample) of the importer");
      break;
    case 3:
      batch(d, "drugs-manufacturer", kCapsules, kRecalled, 5000, 40, 730);
      batch(d, "drugs-manufacturer", kCapsules, "B2026-0152", 3000, 10, 730);
      move(d, "transfer", "drugs-manufacturer", "drugs-wholesaler-1", kCapsules, kRecalled, 3000);
      move(d, "transfer", "drugs-manufacturer", "drugs-wholesaler-1", kCapsules, "B2026-0152",
           1000);
      batch(d, "drugs-importer", kInhaler, "LR24117", 800, 90, 540);
      move(d, "transfer", "drugs-importer", "drugs-wholesaler-2", kInhaler, "LR24117", 500);
      break;
    case 4:
      move(d, "transfer", "drugs-wholesaler-1", "drugs-pharmacy", kCapsules, kRecalled, 600);
      move(d, "transfer", "drugs-wholesaler-1", "drugs-hospital", kCapsules, kRecalled, 1200);
      move(d, "transfer", "drugs-wholesaler-1", "drugs-wholesaler-2", kCapsules, kRecalled, 400);
      move(d, "transfer", "drugs-wholesaler-1", "drugs-pharmacy", kCapsules, "B2026-0152", 200);
      move(d, "transfer", "drugs-wholesaler-2", "drugs-hospital", kInhaler, "LR24117", 120);
      break;
    case 5: {
      drugs::RecallArgs r{kCapsules, kRecalled, drugs::RecallClass::kClass2,
                          drugs::RecallLevel::kRetail, drugs::RecallReason::kQualityDefect};
      d.call("DH-drug-office", "drugs", "recall", core::encode(r), "DH",
             "recalls HK-51234 batch B2026-0147 (class 2, retail level, quality defect): one "
             "notice each to the manufacturer, both wholesalers, the pharmacy and the hospital");
      break;
    }
    default: break;
  }
}

}  // namespace bauhinia::demo
