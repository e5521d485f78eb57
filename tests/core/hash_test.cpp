#include "bauhinia/core/hash.hpp"

#include <gtest/gtest.h>

#include <set>

namespace bauhinia::core {
namespace {

TEST(Sha256, KnownAnswers) {
  // FIPS 180-2 examples.
  EXPECT_EQ(sha256(as_bytes("")).to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256(as_bytes("abc")).to_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256(as_bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).to_hex(),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalEqualsOneShot) {
  Sha256 h;
  h.update(as_bytes("ab")).update(as_bytes("c"));
  EXPECT_EQ(h.finalize(), sha256(as_bytes("abc")));
  // reusable after finalize
  h.update(as_bytes("abc"));
  EXPECT_EQ(h.finalize(), sha256(as_bytes("abc")));
}

TEST(TaggedHash, MatchesDefinitionAndSeparatesDomains) {
  const Hash256 t = sha256(as_bytes("bauhinia/transaction"));
  Bytes msg(t.bytes().begin(), t.bytes().end());
  msg.insert(msg.end(), t.bytes().begin(), t.bytes().end());
  msg.push_back('x');
  EXPECT_EQ(tagged_hash(HashTag::kTransaction, as_bytes("x")), sha256(msg));

  std::set<Hash256> seen;
  std::set<std::string_view> names;
  for (int i = 0; i < static_cast<int>(HashTag::kCount_); ++i) {
    seen.insert(tagged_hash(static_cast<HashTag>(i), as_bytes("same")));
    names.insert(hash_tag_name(static_cast<HashTag>(i)));
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(HashTag::kCount_));
  EXPECT_EQ(names.size(), static_cast<std::size_t>(HashTag::kCount_));
}

TEST(Hash256, HexAndBytes) {
  const Hash256 h = sha256(as_bytes("abc"));
  auto back = Hash256::from_hex(h.to_hex());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, h);
  EXPECT_FALSE(Hash256::from_hex("abcd"));
  EXPECT_FALSE(Hash256::from_bytes(Bytes(31)));
  EXPECT_TRUE(Hash256::zero().is_zero());
  EXPECT_FALSE(h.is_zero());
  EXPECT_TRUE(h.bit(0));    // 0xba = 1011 1010
  EXPECT_FALSE(h.bit(1));
}

}  // namespace
}  // namespace bauhinia::core
