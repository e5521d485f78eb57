// The stored record formats of LedgerStore (docs/formats/storage.md): layout,
// round trips, and strict decoding of damaged bytes.

#include "bauhinia/ledger/ledger_store_records.hpp"

#include <gtest/gtest.h>

namespace bauhinia::ledger {
namespace {

using core::Bytes;
using core::ByteView;

TransactionRecord sample_record() {
  TransactionRecord r;
  r.height = 2;
  r.info.version = 5;
  r.info.transaction_id = core::sha256(core::as_bytes("tx"));
  r.info.outcome = chain::TxOutcome::kNotFound;
  r.transaction = Bytes(160, 0x42);
  return r;
}

TEST(LedgerStoreRecords, TransactionRecordLayoutAsDocumented) {
  const TransactionRecord r = sample_record();
  const Bytes b = core::encode(r);
  // 01 | 0200000000000000 | info (106 bytes) | a001 | 160 bytes
  ASSERT_EQ(b.size(), 1u + 8 + 106 + 2 + 160);
  EXPECT_EQ(b[0], 0x01);
  EXPECT_EQ(core::to_hex(ByteView(b).subspan(1, 8)), "0200000000000000");
  EXPECT_EQ(Bytes(b.begin() + 9, b.begin() + 115), core::encode(r.info));
  EXPECT_EQ(core::to_hex(ByteView(b).subspan(115, 2)), "a001");
  auto back = core::decode<TransactionRecord>(b);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, r);
}

TEST(LedgerStoreRecords, RoundTripsAndExactSizes) {
  ChainMeta meta;
  meta.chain_id = "bauhinia-hk-1";
  meta.genesis_id = core::sha256(core::as_bytes("genesis"));
  EXPECT_EQ(core::decode<ChainMeta>(core::encode(meta)).value(), meta);
  const LatestMeta latest{LatestMeta::kFormat, 7, meta.genesis_id};
  EXPECT_EQ(core::encode(latest).size(), 1u + 8 + 32);
  EXPECT_EQ(core::decode<LatestMeta>(core::encode(latest)).value(), latest);
  const BlockBody body{BlockBody::kFormat, 1000, 24, true};
  EXPECT_EQ(core::encode(body).size(), 18u);
  EXPECT_EQ(core::decode<BlockBody>(core::encode(body)).value(), body);
  EpochRecord epoch;
  epoch.first_height = 15;
  epoch.validators.epoch = 3;
  epoch.validators.validators.push_back(
      {core::ed25519::SecretKey::from_seed({}).public_key(), 1, "IPD"});
  EXPECT_EQ(core::decode<EpochRecord>(core::encode(epoch)).value(), epoch);
}

TEST(LedgerStoreRecords, DamagedBytesAreRefused) {
  const Bytes good = core::encode(sample_record());
  Bytes truncated(good.begin(), good.end() - 1);
  EXPECT_FALSE(core::decode<TransactionRecord>(truncated).has_value());
  Bytes longer = good;
  longer.push_back(0);
  EXPECT_EQ(core::decode<TransactionRecord>(longer).error().reason, core::Reject::kTrailingBytes);
  Bytes format = good;
  format[0] = 2;
  EXPECT_EQ(core::decode<TransactionRecord>(format).error().reason, core::Reject::kBadVersion);
  Bytes info_format = good;
  info_format[9] = 9;  // the TransactionInfo's own format byte
  EXPECT_EQ(core::decode<TransactionRecord>(info_format).error().reason, core::Reject::kBadVersion);

  ChainMeta meta;
  meta.chain_id = "c";
  meta.store_format = kLedgerStoreFormat + 1;
  EXPECT_EQ(core::decode<ChainMeta>(core::encode(meta)).error().reason, core::Reject::kBadVersion);
  // Format 1 kept record history in its own column; this build cannot read it.
  meta.store_format = 1;
  EXPECT_EQ(core::decode<ChainMeta>(core::encode(meta)).error().reason, core::Reject::kBadVersion);
  meta.store_format = kLedgerStoreFormat;
  meta.chain_id.clear();
  EXPECT_FALSE(core::decode<ChainMeta>(core::encode(meta)).has_value());
  EXPECT_FALSE(core::decode<BlockBody>(Bytes{}).has_value());
  BlockBody too_big{BlockBody::kFormat, 0, kMaxBlockTransactions + 1, true};
  EXPECT_EQ(core::decode<BlockBody>(core::encode(too_big)).error().reason, core::Reject::kTooLarge);
  EpochRecord no_validators;
  EXPECT_FALSE(core::decode<EpochRecord>(core::encode(no_validators)).has_value());
}

}  // namespace
}  // namespace bauhinia::ledger
