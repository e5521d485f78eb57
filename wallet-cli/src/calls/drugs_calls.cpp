// The drugs module's calls (contracts/drugs/calls.hpp, docs/contracts/drugs.md):
// DH's pharmaceutical traceability. transfer and return_recalled are signed
// by both sides: the supplier (--from) signs the transaction, the receiver
// (--to) co-signs the terms, so their BuiltCall names --to as co-signer.
// Rules the module keeps to itself (roles, directions, holdings, names) are
// judged by the node's dry-run; here the numbers, sizes and enumerations.

#include "bauhinia/contracts/drugs/calls.hpp"
#include "bauhinia/wallet/calls/arg_parsers.hpp"
#include "modules.hpp"

namespace bauhinia::wallet::calls {

namespace {

namespace dr = contracts::drugs;

const std::string kMaker = "7a7f98e61bd3950f7f3c687fabf56c08019baa780ea7511748e0e75e6f7af4e9";
const std::string kWholesaler = "11e77d67233b915a34e298c0aacd9428622b10b3c3afa9186162f67ff09bad1c";

core::Checked<std::string> parse_regno(const Args& args, std::string_view name) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  if (dr::registration_number_error(*v)) {
    return arg_error(name, core::Reject::kInvalid,
                     "a registration number is HK- and 5 digits, e.g. HK-51234", *v);
  }
  return std::string(*v);
}

core::Checked<std::string> parse_batch(const Args& args, std::string_view name) {
  auto v = required_value(args, name);
  if (!v) return std::move(v).error();
  if (dr::batch_number_error(*v)) {
    return arg_error(name, core::Reject::kInvalid,
                     "a batch number is 1 to 20 of A-Z, a-z, 0-9 and '-'", *v);
  }
  return std::string(*v);
}

std::string text_of(const Args& args, std::string_view name) {
  auto v = arg_value(args, name);
  return v ? std::string(*v) : std::string();
}

std::string batch_text(const std::string& regno, const std::string& batch) {
  return "batch " + batch + " of " + regno;
}

core::Checked<BuiltCall> build_register_product(const Args& args) {
  Take take;
  dr::ProductArgs p;
  p.regno = take(parse_regno(args, "regno"));
  p.holder = take(parse_account(args, "holder"));
  p.name_en = take(parse_optional_text(args, "name-en", dr::kMaxNameSize));
  p.name_zh = take(parse_optional_text(args, "name-zh", dr::kMaxNameSize));
  p.form = take(parse_text(args, "form", dr::kMaxFormSize));
  p.strength = take(parse_optional_text(args, "strength", dr::kMaxStrengthSize));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"register pharmaceutical product " + p.regno + ": " + p.name_en +
                        (p.name_en.empty() || p.name_zh.empty() ? "" : " ") + p.name_zh,
                    p.form + (p.strength.empty() ? "" : ", " + p.strength),
                    "holder (manufacturer or importer): " + text_of(args, "holder")}};
}

core::Checked<BuiltCall> build_create_batch(const Args& args) {
  Take take;
  dr::BatchArgs p;
  p.regno = take(parse_regno(args, "regno"));
  p.batch = take(parse_batch(args, "batch"));
  p.quantity = take(parse_u64(args, "quantity", 1, dr::kMaxQuantity));
  p.manufacture_ms = take(parse_date_ms(args, "manufactured"));
  p.expiry_ms = take(parse_date_ms(args, "expiry"));
  if (take.failed()) return take.error();
  if (p.expiry_ms <= p.manufacture_ms) {
    return arg_error("expiry", core::Reject::kOutOfRange, "after the manufacture date",
                     text_of(args, "expiry"));
  }
  return BuiltCall{core::encode(p),
                   {},
                   {"release " + batch_text(p.regno, p.batch) + ": " + std::to_string(p.quantity) +
                        " units, into the sender's custody",
                    "manufactured " + text_of(args, "manufactured") + ", expires " +
                        text_of(args, "expiry") + " (00:00 Hong Kong time)"}};
}

core::Checked<BuiltCall> build_custody(const Args& args, bool is_return) {
  Take take;
  dr::TransferTerms t;
  t.regno = take(parse_regno(args, "regno"));
  t.batch = take(parse_batch(args, "batch"));
  t.from = take(parse_account(args, "from"));
  t.to = take(parse_account(args, "to"));
  t.quantity = take(parse_u64(args, "quantity", 1, dr::kMaxQuantity));
  const auto note = take(parse_optional_hash(args, "delivery-note"));
  if (take.failed()) return take.error();
  if (t.from == t.to) {
    return arg_error("to", core::Reject::kInvalid, "another account than --from",
                     text_of(args, "to"));
  }
  if (note) t.document_hash = *note;
  std::vector<std::string> what{std::string(is_return ? "return " : "supply ") +
                                    std::to_string(t.quantity) + " units of " +
                                    batch_text(t.regno, t.batch) + (is_return ? " (recalled)" : ""),
                                "from (signs the transaction): " + text_of(args, "from"),
                                "to (co-signs): " + text_of(args, "to")};
  if (note) what.push_back("delivery note sha256 " + note->to_hex());
  return BuiltCall{core::encode(t), {t.to}, std::move(what)};
}

core::Checked<BuiltCall> build_recall(const Args& args) {
  Take take;
  dr::RecallArgs p;
  p.regno = take(parse_regno(args, "regno"));
  p.batch = take(parse_batch(args, "batch"));
  p.recall_class = take(parse_enum(args, "class", dr::kLastRecallClass, dr::recall_class_name));
  p.level = take(parse_enum(args, "level", dr::kLastRecallLevel, dr::recall_level_name));
  p.reason = take(parse_enum(args, "reason", dr::kLastRecallReason, dr::recall_reason_name));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"recall " + batch_text(p.regno, p.batch) + ": every current holder is told",
                    std::string(dr::recall_class_name(p.recall_class)) + ", " +
                        std::string(dr::recall_level_name(p.level)) + " level, reason " +
                        std::string(dr::recall_reason_name(p.reason))}};
}

core::Checked<BuiltCall> build_acknowledge(const Args& args) {
  Take take;
  dr::NoticeArgs p;
  p.regno = take(parse_regno(args, "regno"));
  p.batch = take(parse_batch(args, "batch"));
  p.index = take(parse_u32(args, "notice"));
  if (take.failed()) return take.error();
  return BuiltCall{core::encode(p),
                   {},
                   {"acknowledge recall notice " + std::to_string(p.index) + " of " +
                    batch_text(p.regno, p.batch)}};
}

std::vector<ArgSpec> batch_specs() {
  return {{"regno", "the product's registration number: HK- and 5 digits, e.g. HK-51234"},
          {"batch", "the batch number: 1-20 of A-Z a-z 0-9 -"}};
}

std::vector<ArgSpec> custody_specs(std::string_view from, std::string_view to) {
  std::vector<ArgSpec> s = batch_specs();
  s.push_back({"from", std::string(from)});
  s.push_back({"to", std::string(to)});
  s.push_back({"quantity", "units moved, 1 to 10^12, at most what --from holds"});
  for (ArgSpec& a :
       hash_arg_specs("delivery-note", "the delivery note (kept off the ledger)", false)) {
    s.push_back(a);
  }
  return s;
}

}  // namespace

std::vector<CallSpec> drugs_calls() {
  std::vector<ArgSpec> batch_args = batch_specs();
  batch_args.push_back({"quantity", "units released, 1 to 10^12"});
  batch_args.push_back({"manufactured", "manufacture date YYYY-MM-DD, not in the future"});
  batch_args.push_back({"expiry", "expiry date YYYY-MM-DD: no supply from 00:00 that day"});
  std::vector<ArgSpec> recall_args = batch_specs();
  recall_args.push_back({"class", "health hazard: class_1 (most serious), class_2 or class_3"});
  recall_args.push_back({"level", "how far down the chain: wholesale, retail or patient"});
  recall_args.push_back({"reason",
                         "quality_defect, contamination, labelling_error, safety_concern, "
                         "registration_cancelled, counterfeit or other"});
  std::vector<ArgSpec> notice_args = batch_specs();
  notice_args.push_back({"notice",
                         "the notice's index in the batch's recall (from the "
                         "holder/<account>/recalls query)"});
  return {
      CallSpec{
          "drugs",
          "register_product",
          "a drugs.regulator enters a registered pharmaceutical product and its holder",
          "bauhinia-wallet drugs register-product --regno HK-51234 --holder " + kMaker +
              " --name-en \"Harbourcillin Capsules 500mg\" --name-zh 港青黴素膠囊500毫克 "
              "--form capsule --strength \"500 mg\"",
          {{"regno", "the registration number: HK- and 5 digits, e.g. HK-51234"},
           {"holder",
            "the certificate holder's account (holds drugs.manufacturer or "
            "drugs.importer)"},
           {"name-en", "the product's English name (this or --name-zh), up to 256 bytes", false},
           {"name-zh", "the product's Chinese name, up to 256 bytes", false},
           {"form", "the dosage form, e.g. capsule, up to 64 bytes"},
           {"strength", "the strength, e.g. \"500 mg\", up to 64 bytes", false}},
          build_register_product},
      CallSpec{"drugs", "create_batch",
               "the product's holder releases a batch (its units start in the holder's custody)",
               "bauhinia-wallet drugs create-batch --regno HK-51234 --batch B2026-001 "
               "--quantity 12000 --manufactured 2026-01-02 --expiry 2028-01-01",
               batch_args, build_create_batch},
      CallSpec{"drugs", "transfer",
               "a holder supplies part of a batch down the chain; the receiver co-signs",
               "bauhinia-wallet drugs transfer --regno HK-51234 --batch B2026-001 --from " +
                   kMaker + " --to " + kWholesaler + " --quantity 6000",
               custody_specs("the supplying account: signs the transaction",
                             "the receiving account (wholesaler or dispenser): co-signs"),
               [](const Args& a) { return build_custody(a, false); }},
      CallSpec{"drugs", "recall",
               "a drugs.regulator recalls a batch: a notice to every current holder",
               "bauhinia-wallet drugs recall --regno HK-51234 --batch B2026-001 --class class_2 "
               "--level retail --reason contamination",
               recall_args, build_recall},
      CallSpec{"drugs", "acknowledge_recall",
               "a holder acknowledges the recall notice addressed to it",
               "bauhinia-wallet drugs acknowledge-recall --regno HK-51234 --batch B2026-001 "
               "--notice 0",
               notice_args, build_acknowledge},
      CallSpec{"drugs", "return_recalled",
               "a holder sends recalled stock back up the chain; the receiver co-signs",
               "bauhinia-wallet drugs return-recalled --regno HK-51234 --batch B2026-001 --from " +
                   kWholesaler + " --to " + kMaker + " --quantity 6000",
               custody_specs("the returning account: signs the transaction",
                             "the receiving account up the chain: co-signs"),
               [](const Args& a) { return build_custody(a, true); }},
  };
}

}  // namespace bauhinia::wallet::calls
