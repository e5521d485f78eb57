#include "bauhinia/core/schnorr.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace bauhinia::core::schnorr {
namespace {

// One row of bip340/test-vectors.csv (the BIP's own file).
struct Bip340Row {
  int index = 0;
  std::string secret_key;  // empty for verification-only rows
  std::string public_key;
  std::string aux_rand;
  std::string message;
  std::string signature;
  bool valid = false;
  std::string comment;
};

std::vector<std::string> split_csv_line(const std::string& line) {
  // The file has no quoted fields; commas only in the (last) comment column.
  std::vector<std::string> out;
  std::size_t start = 0;
  for (int col = 0; col < 7; ++col) {
    const std::size_t comma = line.find(',', start);
    if (comma == std::string::npos) break;
    out.push_back(line.substr(start, comma - start));
    start = comma + 1;
  }
  std::string rest = line.substr(start);
  if (!rest.empty() && rest.back() == '\r') rest.pop_back();
  out.push_back(rest);
  return out;
}

// The final BIP-340 vectors (bitcoin/bips bip-0340/test-vectors.csv, 19 rows with
// the 2022-12 additions), kept in the project: see tests/core/vectors/README.md.
std::vector<Bip340Row> load_vectors() {
  const std::string path =
      std::string(BAUHINIA_SOURCE_DIR) + "/tests/core/vectors/bip340/test-vectors.csv";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<Bip340Row> rows;
  std::string line;
  std::getline(in, line);  // header
  EXPECT_EQ(line.rfind("index,secret key,public key,aux_rand,message,signature", 0), 0U);
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") continue;
    const auto f = split_csv_line(line);
    EXPECT_EQ(f.size(), 8U) << line;
    if (f.size() != 8) continue;
    Bip340Row r;
    r.index = std::stoi(f[0]);
    r.secret_key = f[1];
    r.public_key = f[2];
    r.aux_rand = f[3];
    r.message = f[4];
    r.signature = f[5];
    EXPECT_TRUE(f[6] == "TRUE" || f[6] == "FALSE") << line;
    r.valid = f[6] == "TRUE";
    r.comment = f[7];
    rows.push_back(std::move(r));
  }
  return rows;
}

Bytes hex(std::string_view h) {
  auto b = from_hex(h);
  BAUHINIA_ASSERT(b.has_value());
  return *b;
}

std::array<std::uint8_t, 32> hex32(std::string_view h) {
  auto b = from_hex_fixed<32>(h);
  BAUHINIA_ASSERT(b.has_value());
  return *b;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(Bip340, AllVectorsOfTheBip) {
  const auto rows = load_vectors();
  ASSERT_EQ(rows.size(), 19U);
  int keyed_rows = 0;
  int signed_rows = 0;
  int rejected_keys = 0;
  for (const auto& r : rows) {
    SCOPED_TRACE("vector " + std::to_string(r.index) + " " + r.comment);
    const Bytes message = hex(r.message);
    if (!r.secret_key.empty()) {
      auto key = SecretKey::from_bytes(hex(r.secret_key));
      ASSERT_TRUE(key) << key.error().to_string();
      EXPECT_EQ(key->public_key().to_hex(), lower(r.public_key));
      ++keyed_rows;
      // Our signing API takes the 32-byte messages that transactions sign;
      // the rows with 0-, 1-, 17- and 100-byte messages are checked by verification.
      if (message.size() == 32) {
        std::array<std::uint8_t, 32> msg32;
        std::copy(message.begin(), message.end(), msg32.begin());
        const Signature sig = key->sign(msg32, hex32(r.aux_rand));
        EXPECT_EQ(sig.to_hex(), lower(r.signature));
        ++signed_rows;
      }
    }
    auto sig = Signature::from_hex(r.signature);
    ASSERT_TRUE(sig);
    auto key = PublicKey::from_hex(r.public_key);
    bool verified = false;
    if (key) {
      verified = verify(*key, message, *sig);
    } else {
      EXPECT_EQ(key.error().reason, Reject::kBadKey);
      ++rejected_keys;
    }
    EXPECT_EQ(verified, r.valid);
  }
  EXPECT_EQ(keyed_rows, 8);
  EXPECT_EQ(signed_rows, 4);
  EXPECT_EQ(rejected_keys, 2);  // vectors 5 (not on the curve) and 14 (exceeds the field size)
}

TEST(Bip340, SignVerifyRoundTripsWithFreshRandomness) {
  const SecretKey key = SecretKey::generate();
  std::array<std::uint8_t, 32> msg{};
  msg[0] = 0x42;
  const Signature s1 = key.sign(msg);
  const Signature s2 = key.sign(msg);
  EXPECT_NE(s1, s2);  // fresh aux randomness each time
  EXPECT_TRUE(verify(key.public_key(), msg, s1));
  EXPECT_TRUE(verify(key.public_key(), msg, s2));
  // With the same aux_rand signing is deterministic.
  const std::array<std::uint8_t, 32> aux{7};
  EXPECT_EQ(key.sign(msg, aux), key.sign(msg, aux));
}

TEST(Bip340, TamperingFails) {
  const SecretKey key = SecretKey::generate();
  const SecretKey other = SecretKey::generate();
  std::array<std::uint8_t, 32> msg{};
  for (std::size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<std::uint8_t>(i);
  const Signature good = key.sign(msg);
  ASSERT_TRUE(verify(key.public_key(), msg, good));
  EXPECT_FALSE(verify(other.public_key(), msg, good));
  for (std::size_t bit = 0; bit < kSignatureSize * 8; ++bit) {
    Signature bad = good;
    bad.bytes[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
    EXPECT_FALSE(verify(key.public_key(), msg, bad)) << "signature bit " << bit;
  }
  for (std::size_t bit = 0; bit < 256; ++bit) {
    auto m = msg;
    m[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
    EXPECT_FALSE(verify(key.public_key(), m, good)) << "message bit " << bit;
  }
  // The same bytes as a message of another length are another message.
  EXPECT_FALSE(verify(key.public_key(), ByteView(msg).first(31), good));
  EXPECT_FALSE(verify(key.public_key(), ByteView{}, good));
}

TEST(Bip340, SecretKeyRange) {
  auto zero = SecretKey::from_bytes(Bytes(32, 0));
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().reason, Reject::kBadKey);
  // n, the group order, and anything above are invalid; n - 1 is valid.
  EXPECT_FALSE(SecretKey::from_bytes(
      hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141")));
  EXPECT_FALSE(SecretKey::from_bytes(Bytes(32, 0xFF)));
  EXPECT_TRUE(SecretKey::from_bytes(
      hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140")));
  EXPECT_FALSE(SecretKey::from_bytes(Bytes(31, 1)));
  EXPECT_FALSE(SecretKey::from_bytes(Bytes(33, 1)));
}

TEST(Bip340, PublicKeyAndSignatureParsing) {
  auto short_key = PublicKey::from_bytes(Bytes(31, 1));
  ASSERT_FALSE(short_key);
  EXPECT_EQ(short_key.error().reason, Reject::kBadKey);
  // x = 0 is not on the curve (0^3 + 7 = 7 is not a square mod p).
  auto not_on_curve = PublicKey::from_bytes(Bytes(32, 0));
  ASSERT_FALSE(not_on_curve);
  EXPECT_EQ(not_on_curve.error().reason, Reject::kBadKey);
  EXPECT_FALSE(PublicKey::from_hex("00"));
  // The generator's x coordinate is a key.
  EXPECT_TRUE(
      PublicKey::from_hex("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"));

  auto short_sig = Signature::from_bytes(Bytes(63));
  ASSERT_FALSE(short_sig);
  EXPECT_EQ(short_sig.error().reason, Reject::kBadSignature);
  EXPECT_FALSE(Signature::from_hex("abcd"));
  auto sig = Signature::from_bytes(Bytes(64, 3));
  ASSERT_TRUE(sig);
  auto back = Signature::from_hex(sig->to_hex());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, *sig);
}

TEST(Bip340, KeysAreDistinctAndRoundTrip) {
  std::set<PublicKey> seen;
  for (int i = 0; i < 16; ++i) {
    const SecretKey k = SecretKey::generate();
    EXPECT_TRUE(seen.insert(k.public_key()).second);
    auto again = SecretKey::from_bytes(k.bytes());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->public_key(), k.public_key());
    EXPECT_TRUE(PublicKey::from_bytes(k.public_key().bytes));
  }
}

TEST(Bip340, MoveKeepsTheKeyAndZeroesTheSource) {
  SecretKey a = SecretKey::generate();
  const PublicKey pk = a.public_key();
  const auto secret = a.bytes();
  SecretKey b(std::move(a));
  EXPECT_EQ(b.public_key(), pk);
  EXPECT_EQ(b.bytes(), secret);
  EXPECT_EQ(a.bytes(),
            (std::array<std::uint8_t, kSecretKeySize>{}));  // NOLINT(bugprone-use-after-move)
  const std::array<std::uint8_t, 32> msg{1};
  EXPECT_TRUE(verify(pk, msg, b.sign(msg)));
  SecretKey c = SecretKey::generate();
  c = std::move(b);
  EXPECT_TRUE(verify(pk, msg, c.sign(msg)));
  EXPECT_EQ(b.bytes(),
            (std::array<std::uint8_t, kSecretKeySize>{}));  // NOLINT(bugprone-use-after-move)
}

TEST(Bip340, ConcurrentUseOfTheSharedContext) {
  // Many threads sign and verify at once through the one shared, read-only context.
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&failures, t] {
      for (int i = 0; i < 25; ++i) {
        const SecretKey key = SecretKey::generate();
        std::array<std::uint8_t, 32> msg{};
        msg[0] = static_cast<std::uint8_t>(t);
        msg[1] = static_cast<std::uint8_t>(i);
        if (!verify(key.public_key(), msg, key.sign(msg))) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(Bip340, SigningWithAMovedFromKeyIsABug) {
  SecretKey a = SecretKey::generate();
  SecretKey b(std::move(a));
  const std::array<std::uint8_t, 32> msg{};
  EXPECT_DEATH((void)a.sign(msg), "");  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace bauhinia::core::schnorr
