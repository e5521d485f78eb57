#pragma once
// The drugs module's calls and their payloads (docs/contracts/drugs.md).
//
//   register_product    ProductArgs               drugs.regulator
//   create_batch        BatchArgs                 the product's holder (manufacturer/importer)
//   transfer            Cosigned<TransferTerms>   the supplier (`from`), co-signed by `to`
//   recall              RecallArgs                drugs.regulator
//   acknowledge_recall  NoticeArgs                the holder the notice is addressed to
//   return_recalled     Cosigned<TransferTerms>   a holder of a recalled batch (`from`),
//                                                 co-signed by `to` (up the chain)

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "bauhinia/contracts/cosignature.hpp"
#include "bauhinia/contracts/drugs/records.hpp"

namespace bauhinia::contracts::drugs {

inline constexpr std::array<std::string_view, 6> kCalls{"register_product",   "create_batch",
                                                        "transfer",           "recall",
                                                        "acknowledge_recall", "return_recalled"};

struct ProductArgs {
  std::string regno;
  core::AccountId holder;  // holds drugs.manufacturer or drugs.importer
  std::string name_en;     // at least one name
  std::string name_zh;
  std::string form;      // required
  std::string strength;  // may be empty
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.regno, kRegnoSize, "regno");
    c.fixed(s.holder.bytes);
    c.string(s.name_en, kMaxNameSize, "name_en");
    c.string(s.name_zh, kMaxNameSize, "name_zh");
    c.string(s.form, kMaxFormSize, "form");
    c.string(s.strength, kMaxStrengthSize, "strength");
  }
};

struct BatchArgs {
  std::string regno;
  std::string batch;
  std::uint64_t quantity = 0;        // units, 1..kMaxQuantity
  std::uint64_t manufacture_ms = 0;  // not after the block's time
  std::uint64_t expiry_ms = 0;       // after the manufacture date and the block's time
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.regno, kRegnoSize, "regno");
    c.string(s.batch, kMaxBatchNumberSize, "batch");
    c.u64(s.quantity);
    c.u64(s.manufacture_ms);
    c.u64(s.expiry_ms);
  }
};

// What both sides of a custody step sign: the sender by the transaction's
// signature (it must be `from`), the receiver `to` by its co-signature.
struct TransferTerms {
  std::string regno;
  std::string batch;
  core::AccountId from;
  core::AccountId to;
  std::uint64_t quantity = 0;
  core::Hash256 document_hash;  // SHA-256 of the delivery note (zero: none)
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.regno, kRegnoSize, "regno");
    c.string(s.batch, kMaxBatchNumberSize, "batch");
    c.fixed(s.from.bytes);
    c.fixed(s.to.bytes);
    c.u64(s.quantity);
    c.fixed(s.document_hash);
  }
};
using TransferPayload = Cosigned<TransferTerms>;

struct RecallArgs {
  std::string regno;
  std::string batch;
  RecallClass recall_class = RecallClass::kClass1;
  RecallLevel level = RecallLevel::kWholesale;
  RecallReason reason = RecallReason::kQualityDefect;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.regno, kRegnoSize, "regno");
    c.string(s.batch, kMaxBatchNumberSize, "batch");
    c.enumeration(s.recall_class, kLastRecallClass);
    c.enumeration(s.level, kLastRecallLevel);
    c.enumeration(s.reason, kLastRecallReason);
  }
};

struct NoticeArgs {
  std::string regno;
  std::string batch;
  std::uint32_t index = 0;  // the notice's index in the batch's recall
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.regno, kRegnoSize, "regno");
    c.string(s.batch, kMaxBatchNumberSize, "batch");
    c.u32(s.index);
  }
};

}  // namespace bauhinia::contracts::drugs
