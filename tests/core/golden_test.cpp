// Freezes core's hashed and signed formats against tests/core/golden/core.txt.
// A failure here means a format changed; see the message and the file's header.

#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bauhinia/core/address.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/schnorr.hpp"

namespace bauhinia::core {
namespace {

constexpr const char* kNeverChange =
    "\nSigned and hashed formats must never change: existing signatures, hashes, ids and "
    "addresses would stop matching. If you meant to change a format, add a new version or a new "
    "tag instead (see docs/formats/). Do not edit tests/core/golden/core.txt to make this pass.";

class Golden {
 public:
  Golden() {
    const std::string path = std::string(BAUHINIA_SOURCE_DIR) + "/tests/core/golden/core.txt";
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << "cannot open " << path;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const auto space = line.find(' ');
      EXPECT_NE(space, std::string::npos) << line;
      if (space == std::string::npos) continue;
      const bool fresh = values_.emplace(line.substr(0, space), line.substr(space + 1)).second;
      EXPECT_TRUE(fresh) << "duplicate key in golden file: " << line;
    }
  }
  // Compares a computed value with the frozen one.
  void check(const std::string& key, const std::string& actual) {
    checked_.insert(key);
    const auto it = values_.find(key);
    if (it == values_.end()) {
      ADD_FAILURE() << "golden key '" << key << "' missing from tests/core/golden/core.txt"
                    << (key.starts_with("tag.") ? ": a new HashTag needs its name and tagged hash "
                                                  "frozen there (see the file's header)"
                                                : "");
      return;
    }
    EXPECT_EQ(actual, it->second) << "GOLDEN VALUE CHANGED: " << key << kNeverChange;
  }
  std::string get(const std::string& key) const {
    const auto it = values_.find(key);
    return it == values_.end() ? std::string() : it->second;
  }
  // Every frozen value must be checked by some test.
  void expect_all_checked() const {
    for (const auto& [key, value] : values_) {
      EXPECT_TRUE(checked_.contains(key))
          << "golden key '" << key << "' is not checked by any test";
    }
  }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> checked_;
};

// ---- The sample object: every primitive of the field codec -------------------

enum class Color : std::uint8_t { kRed, kGreen, kBlue };

struct Inner {
  std::uint16_t a = 0;
  std::string label;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u16(s.a);
    c.string(s.label, 32, "label");
  }
  bool operator==(const Inner&) const = default;
};

struct GoldenSample {
  std::uint8_t u8v = 0xAB;
  std::uint16_t u16v = 0x1234;
  std::uint32_t u32v = 0xDEADBEEF;
  std::uint64_t u64v = 0x0102030405060708ULL;
  std::int64_t i64v = -2;
  bool yes = true;
  bool no = false;
  Color color = Color::kBlue;
  Bytes blob;  // 200 bytes: a two-byte length prefix
  std::string text = "Bauhinia 洋紫荊";
  std::array<std::uint8_t, 4> fixed4{0xDE, 0xAD, 0xBE, 0xEF};
  Hash256 digest = sha256(as_bytes("abc"));
  Inner inner{7, "inner"};
  std::vector<Inner> inners{{1, "a"}, {2, ""}};
  std::vector<std::uint64_t> numbers{0, 1, std::numeric_limits<std::uint64_t>::max()};
  std::optional<std::uint32_t> present = 7;
  std::optional<Inner> absent;
  std::map<std::string, std::uint64_t> names{{"zeta", 26}, {"alpha", 1}, {"mu", 12}};
  // Sorted by encoded (little-endian) bytes: 256 comes before 1 and 2.
  std::map<std::uint32_t, bool> flags{{1, true}, {256, false}, {2, true}};

  GoldenSample() {
    for (int i = 0; i < 200; ++i) blob.push_back(static_cast<std::uint8_t>(i));
  }

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.u8v);
    c.u16(s.u16v);
    c.u32(s.u32v);
    c.u64(s.u64v);
    c.i64(s.i64v);
    c.boolean(s.yes);
    c.boolean(s.no);
    c.enumeration(s.color, Color::kBlue);
    c.bytes(s.blob, 1000, "blob");
    c.string(s.text, 64, "text");
    c.fixed(s.fixed4);
    c.fixed(s.digest);
    c.object(s.inner);
    c.sequence(s.inners, 8, "inners");
    c.sequence(s.numbers, 8, "numbers", [](auto& cc, auto& x) { cc.u64(x); });
    c.optional(s.present, [](auto& cc, auto& x) { cc.u32(x); });
    c.optional(s.absent, [](auto& cc, auto& x) { cc.object(x); });
    c.map(
        s.names, 8, "names", [](auto& cc, auto& k) { cc.string(k, 16, "name"); },
        [](auto& cc, auto& v) { cc.u64(v); });
    c.map(
        s.flags, 8, "flags", [](auto& cc, auto& k) { cc.u32(k); },
        [](auto& cc, auto& v) { cc.boolean(v); });
  }
  bool operator==(const GoldenSample&) const = default;
};

void check_HashTagNamesAndTaggedHashes(Golden& g) {
  for (int i = 0; i < static_cast<int>(HashTag::kCount_); ++i) {
    const auto tag = static_cast<HashTag>(i);
    const std::string prefix = "tag." + std::to_string(i);
    g.check(prefix + ".name", std::string(hash_tag_name(tag)));
    g.check(prefix + ".hash", tagged_hash(tag, as_bytes("bauhinia golden vector")).to_hex());
  }
}

void check_CanonicalEncodingOfEveryPrimitive(Golden& g) {
  const GoldenSample sample;
  const Bytes encoded = encode(sample);
  g.check("encoding.sample", to_hex(encoded));
  g.check("encoding.sample.hash_event", hash_of(HashTag::kEvent, sample).to_hex());
  // The frozen bytes decode to the same object (decode is the inverse of encode).
  auto frozen = from_hex(g.get("encoding.sample"));
  ASSERT_TRUE(frozen);
  auto decoded = decode<GoldenSample>(*frozen);
  ASSERT_TRUE(decoded) << decoded.error().to_string();
  EXPECT_TRUE(*decoded == sample);
}

void check_Ed25519KeyAndSignature(Golden& g) {
  auto seed = from_hex_fixed<32>(g.get("ed25519.seed"));
  ASSERT_TRUE(seed);
  std::array<std::uint8_t, 32> expected_seed;
  for (std::size_t i = 0; i < 32; ++i) expected_seed[i] = static_cast<std::uint8_t>(i);
  g.check("ed25519.seed", to_hex(expected_seed));
  const auto key = ed25519::SecretKey::from_seed(expected_seed);
  g.check("ed25519.public_key", key.public_key().to_hex());
  const auto message = as_bytes("bauhinia golden vote");
  g.check("ed25519.message", to_hex(message));
  const auto sig = key.sign(message);
  g.check("ed25519.signature", sig.to_hex());
  EXPECT_TRUE(ed25519::verify(key.public_key(), message, sig));
}

void check_Bip340KeySignatureAccountAndAddresses(Golden& g) {
  const Hash256 secret = sha256(as_bytes("bauhinia golden bip340 key"));
  g.check("bip340.secret_key", secret.to_hex());
  auto key = schnorr::SecretKey::from_bytes(secret.view());
  ASSERT_TRUE(key);
  g.check("bip340.public_key", key->public_key().to_hex());
  std::array<std::uint8_t, 32> aux;
  aux.fill(0x01);
  g.check("bip340.aux_rand", to_hex(aux));
  const Hash256 message = sha256(as_bytes("bauhinia golden transaction"));
  g.check("bip340.message", message.to_hex());
  const auto sig = key->sign(message.bytes(), aux);
  g.check("bip340.signature", sig.to_hex());
  EXPECT_TRUE(schnorr::verify(key->public_key(), message.view(), sig));

  const AccountId id = account_id_of(key->public_key());
  g.check("account.id", id.to_hex());
  g.check("address.hk", encode_address(kMainnetAddressPrefix, id));
  g.check("address.hktest", encode_address(kTestnetAddressPrefix, id));
  auto back = decode_address(kMainnetAddressPrefix, g.get("address.hk"));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, id);
}

// Each test checks against its own copy of the golden file, so no test depends
// on another having run first (filters, shuffling and ctest's one-test-per-process
// runs all give the same verdicts).
TEST(Golden, HashTagNamesAndTaggedHashes) {
  Golden g;
  check_HashTagNamesAndTaggedHashes(g);
}
TEST(Golden, CanonicalEncodingOfEveryPrimitive) {
  Golden g;
  check_CanonicalEncodingOfEveryPrimitive(g);
}
TEST(Golden, Ed25519KeyAndSignature) {
  Golden g;
  check_Ed25519KeyAndSignature(g);
}
TEST(Golden, Bip340KeySignatureAccountAndAddresses) {
  Golden g;
  check_Bip340KeySignatureAccountAndAddresses(g);
}

// Runs every check itself (not relying on the tests above having run).
TEST(Golden, EveryFrozenValueIsChecked) {
  Golden g;
  check_HashTagNamesAndTaggedHashes(g);
  check_CanonicalEncodingOfEveryPrimitive(g);
  check_Ed25519KeyAndSignature(g);
  check_Bip340KeySignatureAccountAndAddresses(g);
  g.expect_all_checked();
}

}  // namespace
}  // namespace bauhinia::core
