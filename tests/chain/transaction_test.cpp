#include "bauhinia/chain/transaction.hpp"

#include <gtest/gtest.h>

#include <string>

namespace bauhinia::chain {
namespace {

using core::schnorr::SecretKey;

SecretKey key_from_byte(std::uint8_t b) {
  core::Bytes raw(32, 0);
  raw[31] = b;
  raw[0] = 0x42;
  auto k = SecretKey::from_bytes(raw);
  EXPECT_TRUE(k);
  return std::move(k).value();
}

Transaction sample(const SecretKey& key) {
  Transaction tx;
  tx.chain_id = "bauhinia-test-1";
  tx.public_key = key.public_key();
  tx.sender = core::account_id_of(key.public_key());
  tx.sequence = 3;
  tx.expiry_ms = 1'800'000'000'000ULL;
  tx.module = "accounts";
  tx.call = "ping";
  tx.payload = {0x01, 0x02, 0x03};
  tx.sign(key);
  return tx;
}

TEST(Transaction, RoundTripAndVerify) {
  const SecretKey key = key_from_byte(1);
  const Transaction tx = sample(key);
  EXPECT_TRUE(tx.check_context_free());
  const core::Bytes bytes = tx.encoded();
  auto back = decode_transaction(bytes);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(*back, tx);
  EXPECT_EQ(back->id(), tx.id());
  EXPECT_TRUE(back->check_context_free());
  // The signed bytes are the envelope minus the trailing 64-byte signature.
  const core::Bytes unsigned_bytes = tx.signing_bytes();
  ASSERT_EQ(unsigned_bytes.size() + 64, bytes.size());
  EXPECT_TRUE(std::equal(unsigned_bytes.begin(), unsigned_bytes.end(), bytes.begin()));
  const auto ident = IdentifiedTransaction::of(tx);
  EXPECT_EQ(ident.id, tx.id());
  EXPECT_EQ(ident.encoded_size, bytes.size());
}

TEST(Transaction, IdAndSigningHashAreDifferentDomains) {
  const SecretKey key = key_from_byte(1);
  const Transaction tx = sample(key);
  EXPECT_NE(tx.id(), tx.signing_hash());
  EXPECT_EQ(tx.signing_hash(), core::tagged_hash(core::HashTag::kTransaction, tx.signing_bytes()));
  EXPECT_EQ(tx.id(), core::tagged_hash(core::HashTag::kTransactionId, tx.encoded()));
}

TEST(Transaction, ResigningChangesIdButNotSigningHash) {
  const SecretKey key = key_from_byte(1);
  Transaction a = sample(key);
  Transaction b = a;
  std::array<std::uint8_t, 32> aux{};
  aux[0] = 9;
  b.sign(key, aux);
  EXPECT_EQ(a.signing_hash(), b.signing_hash());
  EXPECT_NE(a.signature, b.signature);
  EXPECT_NE(a.id(), b.id());
  EXPECT_TRUE(b.check_context_free());
}

TEST(Transaction, EveryFieldIsCoveredBySignature) {
  const SecretKey key = key_from_byte(1);
  const Transaction tx = sample(key);
  auto expect_bad = [](Transaction t, const char* what) {
    auto v = t.check_context_free();
    ASSERT_FALSE(v) << what;
    EXPECT_EQ(v.rejection().reason, core::Reject::kBadSignature) << what;
  };
  {
    Transaction t = tx;
    t.chain_id = "bauhinia-test-2";
    expect_bad(t, "chain_id");
  }
  {
    Transaction t = tx;
    t.sender.bytes[0] ^= 1;
    expect_bad(t, "sender");
  }
  {
    Transaction t = tx;
    t.sequence += 1;
    expect_bad(t, "sequence");
  }
  {
    Transaction t = tx;
    t.expiry_ms += 1;
    expect_bad(t, "expiry");
  }
  {
    Transaction t = tx;
    t.module = "accountz";
    expect_bad(t, "module");
  }
  {
    Transaction t = tx;
    t.call = "pong";
    expect_bad(t, "call");
  }
  {
    Transaction t = tx;
    t.payload.push_back(0);
    expect_bad(t, "payload");
  }
  {
    Transaction t = tx;
    t.signature.bytes[63] ^= 0x80;
    expect_bad(t, "signature");
  }
  {
    Transaction t = tx;
    t.public_key = key_from_byte(2).public_key();
    expect_bad(t, "public key");
  }
}

TEST(Transaction, EveryBitFlipOfTheEncodingIsRejectedOrChangesTheId) {
  const SecretKey key = key_from_byte(5);
  const Transaction tx = sample(key);
  const core::Bytes bytes = tx.encoded();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      core::Bytes b = bytes;
      b[i] ^= static_cast<std::uint8_t>(1U << bit);
      auto d = decode_transaction(b);
      if (!d) continue;
      EXPECT_FALSE(d->check_context_free()) << "byte " << i << " bit " << bit;
      EXPECT_NE(d->id(), tx.id());
    }
  }
}

TEST(Transaction, ValidateRejectsBadFormats) {
  const SecretKey key = key_from_byte(1);
  auto reason = [&](auto mutate) {
    Transaction t = sample(key);
    mutate(t);
    auto v = t.validate();
    return v ? std::string("accepted") : std::string(core::reject_name(v.rejection().reason));
  };
  EXPECT_EQ(reason([](Transaction&) {}), "accepted");
  EXPECT_EQ(reason([](Transaction& t) { t.version = 2; }), "bad_version");
  EXPECT_EQ(reason([](Transaction& t) { t.chain_id = ""; }), "invalid");
  EXPECT_EQ(reason([](Transaction& t) { t.chain_id = "has space"; }), "invalid");
  EXPECT_EQ(reason([](Transaction& t) { t.module = ""; }), "invalid");
  EXPECT_EQ(reason([](Transaction& t) { t.module = "Accounts"; }), "invalid");
  EXPECT_EQ(reason([](Transaction& t) { t.module = "1accounts"; }), "invalid");
  EXPECT_EQ(reason([](Transaction& t) { t.module = "acc-ounts"; }), "invalid");
  EXPECT_EQ(reason([](Transaction& t) { t.module = std::string(33, 'a'); }), "invalid");
  EXPECT_EQ(reason([](Transaction& t) { t.module = std::string(32, 'a'); }), "accepted");
  EXPECT_EQ(reason([](Transaction& t) { t.call = "rotate key"; }), "invalid");
  EXPECT_EQ(reason([](Transaction& t) { t.call = std::string(65, 'c'); }), "invalid");
  EXPECT_EQ(reason([](Transaction& t) { t.call = std::string(64, 'c'); }), "accepted");
  // The key is checked with the signature, not by validate().
  Transaction bad_key = sample(key);
  bad_key.public_key.bytes.fill(0xFF);  // x >= p: not a field element
  EXPECT_TRUE(bad_key.validate());
  auto v = bad_key.check_context_free();
  ASSERT_FALSE(v);
  EXPECT_EQ(v.rejection().reason, core::Reject::kBadKey);
}

TEST(Transaction, DecodeEnforcesLimits) {
  const SecretKey key = key_from_byte(1);
  Transaction tx = sample(key);
  tx.payload.assign(kMaxPayloadSize, 0xAB);
  tx.sign(key);
  const core::Bytes max_bytes = tx.encoded();
  EXPECT_LT(max_bytes.size(), kMaxTransactionSize);
  ASSERT_TRUE(decode_transaction(max_bytes));

  // A payload one byte over its limit: patch the length prefix by hand.
  Transaction small = sample(key);
  core::Writer w;
  core::EncodeCodec c(w);
  c.u8(small.version);
  c.string(small.chain_id, kMaxTxChainIdSize);
  c.fixed(small.sender.bytes);
  c.fixed(small.public_key.bytes);
  c.u64(small.sequence);
  c.u64(small.expiry_ms);
  c.string(small.module, kMaxModuleNameSize);
  c.string(small.call, kMaxCallNameSize);
  w.length(kMaxPayloadSize + 1);
  w.raw(core::Bytes(kMaxPayloadSize + 1, 0));
  w.raw(small.signature.bytes);
  auto over = decode_transaction(w.data());
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().reason, core::Reject::kTooLarge);

  // Input over the total limit is refused before decoding.
  core::Bytes huge(kMaxTransactionSize + 1, 0);
  auto h = decode_transaction(huge);
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().reason, core::Reject::kTooLarge);

  // Truncated and trailing input.
  core::Bytes b = sample(key).encoded();
  core::Bytes cut(b.begin(), b.end() - 1);
  EXPECT_EQ(decode_transaction(cut).error().reason, core::Reject::kTruncated);
  b.push_back(0);
  EXPECT_EQ(decode_transaction(b).error().reason, core::Reject::kTrailingBytes);
}

TEST(Transaction, ContextChecks) {
  const SecretKey key = key_from_byte(1);
  const Transaction tx = sample(key);
  EXPECT_TRUE(tx.check_context("bauhinia-test-1", tx.expiry_ms - 1));
  auto expired = tx.check_context("bauhinia-test-1", tx.expiry_ms);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.rejection().reason, core::Reject::kInvalid);
  auto wrong = tx.check_context("bauhinia-hk-1", 0);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.rejection().reason, core::Reject::kWrongPrefix);
}

}  // namespace
}  // namespace bauhinia::chain
