// The state proof format and verifier: golden vectors computed by an independent
// Python implementation of docs/formats/state-tree.md, a naive binary reference
// tree in this file, and every kind of forged proof.

#include "bauhinia/chain/state_proof.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace bauhinia::chain {
namespace {

using core::Bytes;

Hash256 H(std::string_view hex) {
  return *Hash256::from_hex(hex);
}
Bytes B(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

// A naive reference: the root and proofs computed from the whole sorted set of
// (key, value hash) at every binary level, without any storage layout.
struct Entry {
  Hash256 key;
  Hash256 value_hash;
  friend auto operator<=>(const Entry&, const Entry&) = default;
};

Hash256 reference_root(const std::vector<Entry>& entries, unsigned depth = 0) {
  if (entries.empty()) return state_placeholder_hash();
  if (entries.size() == 1) return state_leaf_hash(entries[0].key, entries[0].value_hash);
  std::vector<Entry> left, right;
  for (const auto& e : entries) (e.key.bit(depth) ? right : left).push_back(e);
  return state_internal_hash(reference_root(left, depth + 1), reference_root(right, depth + 1));
}

SparseMerkleProof reference_proof(std::vector<Entry> entries, const Hash256& key) {
  SparseMerkleProof proof;
  unsigned depth = 0;
  while (entries.size() > 1) {
    std::vector<Entry> left, right;
    for (const auto& e : entries) (e.key.bit(depth) ? right : left).push_back(e);
    const bool go_right = key.bit(depth);
    proof.siblings.push_back(reference_root(go_right ? left : right, depth + 1));
    entries = go_right ? right : left;
    ++depth;
  }
  if (!entries.empty()) proof.leaf = SparseMerkleLeaf{entries[0].key, entries[0].value_hash};
  std::reverse(proof.siblings.begin(), proof.siblings.end());
  return proof;
}

std::vector<Hash256> prepend(const Hash256& first, const std::vector<Hash256>& rest) {
  std::vector<Hash256> out{first};
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

Hash256 random_hash(std::mt19937_64& rng) {
  Hash256 h;
  for (auto& b : h.bytes()) b = static_cast<std::uint8_t>(rng());
  return h;
}

// ---- Golden vectors (docs/formats/state-tree.md, "Test vectors") -----------

TEST(StateProofVectors, HashesAndKeys) {
  EXPECT_EQ(state_key("trademark", core::as_bytes("303512345"))->to_hex(),
            "43998e5f4b2056b71bbc10fe4b4ca799a6bf6c898641b89484fad4b66d870680");
  EXPECT_EQ(state_value_hash(core::as_bytes("hello")).to_hex(),
            "85f6c6a3fd4b4f4ed18017611fcb334698989967bf32c9a75d7a320444d41ce0");
  EXPECT_EQ(state_leaf_hash(H("43998e5f4b2056b71bbc10fe4b4ca799a6bf6c898641b89484fad4b66d870680"),
                            state_value_hash(core::as_bytes("hello")))
                .to_hex(),
            "de7dca9d6121f95b7636672acc9f0f6e4147a4af789345c8a2deaf7567952907");
  EXPECT_EQ(state_internal_hash(Hash256::zero(), Hash256::zero()).to_hex(),
            "ef65645841d4d5716fae6435d1ae6abb5518be460f53164e1e316a9f2ef6a8af");
  EXPECT_TRUE(state_placeholder_hash().is_zero());
}

struct Record {
  const char* module;
  const char* record_key;
  const char* value;
};
constexpr Record kRecords[] = {
    {"trademark", "303512345", "mark: BAUHINIA; owner: HKSAR"},
    {"company", "1234567", "name: Harbour Ferry Ltd"},
    {"environment", "EIA-271/2020", "decision: approved with conditions"},
    {"health", "batch-0042", "holder: Queen Mary Hospital"},
};
constexpr const char* kVectorRoot =
    "e64b2de42a18f9a689826ce0f740a546f96a7e53542015d7f913e282bb31d0ef";

std::vector<Entry> vector_entries() {
  std::vector<Entry> entries;
  for (const auto& r : kRecords) {
    entries.push_back({*state_key(r.module, core::as_bytes(r.record_key)),
                       state_value_hash(core::as_bytes(r.value))});
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

SparseMerkleProof decode_hex_proof(std::string_view hex) {
  auto bytes = core::from_hex(hex);
  EXPECT_TRUE(bytes.has_value());
  auto proof = core::decode<SparseMerkleProof>(*bytes);
  EXPECT_TRUE(proof.has_value()) << proof.error().to_string();
  return *proof;
}

TEST(StateProofVectors, FourRecordTree) {
  const auto entries = vector_entries();
  const Hash256 root = H(kVectorRoot);
  ASSERT_EQ(reference_root(entries), root);

  // Inclusion of trademark/303512345: leaf at depth 5 (three empty siblings in between).
  const char* inclusion =
      "0105667c9a88f67a0c730b2904a5e55c662c1aaaa415f97589f40f29bd8e8af61a6b00000000000000000000"
      "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
      "000000000000000000000000000000000000000000000000000000000000000000000000000000000000cc72"
      "ab47796c310af7c9eab416e5afe1e5cc2ecb11454362cc7df33fea86d1910143998e5f4b2056b71bbc10fe4b"
      "4ca799a6bf6c898641b89484fad4b66d8706809be217ad8b792aeba0da3668a5d5c14eaa2f8e68d92e62523d"
      "278dcf1dc78a7f";
  const Hash256 key = *state_key("trademark", core::as_bytes("303512345"));
  const SparseMerkleProof p1 = decode_hex_proof(inclusion);
  EXPECT_EQ(p1, reference_proof(entries, key));
  EXPECT_EQ(core::to_hex(core::encode(p1)), inclusion);
  const Bytes value = B(kRecords[0].value);
  EXPECT_TRUE(verify_state_proof(root, key, value, p1));

  // Non-inclusion of trademark/404: the path ends in an empty subtree at depth 2.
  const char* absent_empty =
      "010279c07a8beed3db23cf5883905e4dd2d8c04a0bde514af94e0f39741089782d49fb392819ebe61f19d63c"
      "5afae0d3e45982b72750e54c5c24d13e80d7bb7ab11200";
  const Hash256 k404 = *state_key("trademark", core::as_bytes("404"));
  const SparseMerkleProof p2 = decode_hex_proof(absent_empty);
  EXPECT_EQ(p2, reference_proof(entries, k404));
  EXPECT_TRUE(verify_state_proof(root, k404, std::nullopt, p2));

  // Non-inclusion of trademark/2: the path ends in health/batch-0042's leaf.
  const char* absent_leaf =
      "0103c2b7bbdb21479316e74047b1e92e4bc8e28f52c6c5b4f6415bffd48f62b2a1da00000000000000000000"
      "00000000000000000000000000000000000000000000fb392819ebe61f19d63c5afae0d3e45982b72750e54c"
      "5c24d13e80d7bb7ab112018e8b3c591cff4cd80ce986b133ce75447941b36f82c1aa09b040619b570591fb54"
      "7fed66ab8bce4cf6d75257c110bb99650752ff9e150144b6252f9cb5005adf";
  const Hash256 k2 = *state_key("trademark", core::as_bytes("2"));
  const SparseMerkleProof p3 = decode_hex_proof(absent_leaf);
  EXPECT_EQ(p3, reference_proof(entries, k2));
  EXPECT_TRUE(verify_state_proof(root, k2, std::nullopt, p3));
}

// ---- State keys -----------------------------------------------------------

TEST(StateKey, DomainSeparatedAndValidated) {
  const auto a = state_key("company", core::as_bytes("1"));
  const auto b = state_key("company", core::as_bytes("2"));
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
  // The length prefixes keep (module, key) pairs apart when their bytes run together.
  EXPECT_NE(*state_key("ab", core::as_bytes("c")), *state_key("a", core::as_bytes("bc")));
  EXPECT_TRUE(state_key("system", {}).has_value());  // an empty record key is allowed

  EXPECT_EQ(state_key("", core::as_bytes("x")).error().reason, core::Reject::kTooLarge);
  EXPECT_EQ(state_key(std::string(65, 'a'), core::as_bytes("x")).error().reason,
            core::Reject::kTooLarge);
  EXPECT_TRUE(state_key(std::string(64, 'a'), core::as_bytes("x")).has_value());
  EXPECT_EQ(state_key("Company", core::as_bytes("x")).error().reason, core::Reject::kBadEncoding);
  EXPECT_EQ(state_key("com pany", core::as_bytes("x")).error().reason, core::Reject::kBadEncoding);
  const Bytes long_key(kMaxStateRecordKeySize + 1, 'k');
  EXPECT_EQ(state_key("company", long_key).error().reason, core::Reject::kTooLarge);
  EXPECT_TRUE(state_key("company", Bytes(kMaxStateRecordKeySize, 'k')).has_value());
}

// ---- Verification -----------------------------------------------------------

class StateProofForgery : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 40; ++i) {
      const Bytes value = B("value " + std::to_string(i));
      values_.push_back(value);
      entries_.push_back({random_hash(rng), state_value_hash(value)});
    }
    // Two keys that share 255 bits: their leaves sit at depth 256.
    Hash256 deep = random_hash(rng);
    deep.bytes()[31] &= 0xFE;
    Hash256 deep_twin = deep;
    deep_twin.bytes()[31] |= 0x01;
    for (const Hash256& k : {deep, deep_twin}) {
      values_.push_back(B("deep " + k.to_hex()));
      entries_.push_back({k, state_value_hash(values_.back())});
    }
    deep_ = deep;
    // Value lookup by key before sorting.
    for (std::size_t i = 0; i < entries_.size(); ++i)
      value_of_.push_back({entries_[i].key, values_[i]});
    std::sort(entries_.begin(), entries_.end());
    root_ = reference_root(entries_);
    for (int i = 0; i < 40; ++i) absent_.push_back(random_hash(rng));
  }

  const Bytes& value(const Hash256& key) const {
    for (const auto& [k, v] : value_of_) {
      if (k == key) return v;
    }
    ADD_FAILURE() << "no value";
    return values_.front();
  }

  std::vector<Entry> entries_;
  std::vector<Bytes> values_;
  std::vector<std::pair<Hash256, Bytes>> value_of_;
  std::vector<Hash256> absent_;
  Hash256 root_;
  Hash256 deep_;
};

TEST_F(StateProofForgery, HonestProofsVerify) {
  for (const auto& e : entries_) {
    const auto proof = reference_proof(entries_, e.key);
    EXPECT_TRUE(verify_state_proof(root_, e.key, value(e.key), proof));
    EXPECT_TRUE(verify_state_proof_by_hash(root_, e.key, e.value_hash, proof));
  }
  bool saw_empty_end = false, saw_leaf_end = false;
  for (const auto& k : absent_) {
    const auto proof = reference_proof(entries_, k);
    (proof.leaf ? saw_leaf_end : saw_empty_end) = true;
    EXPECT_TRUE(verify_state_proof(root_, k, std::nullopt, proof));
  }
  EXPECT_TRUE(saw_empty_end && saw_leaf_end);
  EXPECT_EQ(reference_proof(entries_, deep_).siblings.size(), 256U);
  // The empty tree and a one-record tree.
  EXPECT_TRUE(verify_state_proof(Hash256::zero(), absent_[0], std::nullopt, SparseMerkleProof{}));
  const std::vector<Entry> one{entries_[0]};
  EXPECT_TRUE(verify_state_proof(reference_root(one), entries_[0].key, value(entries_[0].key),
                                 reference_proof(one, entries_[0].key)));
  EXPECT_TRUE(verify_state_proof(reference_root(one), absent_[0], std::nullopt,
                                 reference_proof(one, absent_[0])));
}

void expect_rejected(const core::Verdict& v, const char* what) {
  EXPECT_FALSE(v) << what;
}

TEST_F(StateProofForgery, FlippedSiblingBitsAreRejected) {
  std::vector<std::pair<Hash256, std::optional<Bytes>>> cases;
  for (int i = 0; i < 6; ++i)
    cases.emplace_back(entries_[static_cast<std::size_t>(i)].key,
                       value(entries_[static_cast<std::size_t>(i)].key));
  cases.emplace_back(deep_, value(deep_));
  for (int i = 0; i < 6; ++i)
    cases.emplace_back(absent_[static_cast<std::size_t>(i)], std::nullopt);
  std::size_t checked = 0;
  for (const auto& [key, val] : cases) {
    const auto honest = reference_proof(entries_, key);
    const std::optional<core::ByteView> v =
        val ? std::optional<core::ByteView>(*val) : std::nullopt;
    ASSERT_TRUE(verify_state_proof(root_, key, v, honest));
    // Every bit of every sibling (a 256-sibling proof: every 7th bit, to stay fast).
    const unsigned step = honest.siblings.size() > 32 ? 7 : 1;
    for (std::size_t s = 0; s < honest.siblings.size(); ++s) {
      for (unsigned b = 0; b < 256; b += step) {
        auto forged = honest;
        forged.siblings[s].bytes()[b / 8] ^= static_cast<std::uint8_t>(0x80U >> (b % 8));
        ASSERT_FALSE(verify_state_proof(root_, key, v, forged)) << "sibling " << s << " bit " << b;
        ++checked;
      }
    }
    // Every bit of the leaf's key and value hash.
    if (honest.leaf) {
      for (unsigned b = 0; b < 512; ++b) {
        auto forged = honest;
        auto& target = b < 256 ? forged.leaf->key : forged.leaf->value_hash;
        target.bytes()[(b % 256) / 8] ^= static_cast<std::uint8_t>(0x80U >> (b % 8));
        ASSERT_FALSE(verify_state_proof(root_, key, v, forged)) << "leaf bit " << b;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 5000U);
}

TEST_F(StateProofForgery, WrongLeafKeyOrValueAreRejected) {
  const Entry& e = entries_[3];
  const Bytes& v = value(e.key);
  const auto honest = reference_proof(entries_, e.key);
  ASSERT_TRUE(verify_state_proof(root_, e.key, v, honest));

  // Wrong value given to the verifier.
  expect_rejected(verify_state_proof(root_, e.key, B("another value"), honest), "wrong value");
  // Wrong key given to the verifier (a neighbour with the same path prefix or any other).
  expect_rejected(verify_state_proof(root_, entries_[4].key, v, honest), "wrong key");
  expect_rejected(verify_state_proof(root_, absent_[0], v, honest), "absent key");
  // Another record's leaf swapped into the proof.
  auto swapped = honest;
  swapped.leaf = SparseMerkleLeaf{entries_[4].key, entries_[4].value_hash};
  expect_rejected(verify_state_proof(root_, e.key, v, swapped), "other leaf");
  expect_rejected(verify_state_proof(root_, entries_[4].key, value(entries_[4].key), swapped),
                  "other leaf, its own key");
  // Leaf with the right key but the value hash of another value.
  auto revalued = honest;
  revalued.leaf->value_hash = state_value_hash(B("another value"));
  expect_rejected(verify_state_proof(root_, e.key, B("another value"), revalued), "forged value");
  // Wrong root.
  Hash256 other_root = root_;
  other_root.bytes()[0] ^= 1;
  expect_rejected(verify_state_proof(other_root, e.key, v, honest), "wrong root");
}

TEST_F(StateProofForgery, ExtraOrMissingSiblingsAreRejected) {
  std::vector<Hash256> keys{entries_[0].key, entries_[10].key, deep_,
                            absent_[0],      absent_[1],       absent_[2]};
  for (const Hash256& key : keys) {
    const auto honest = reference_proof(entries_, key);
    const bool present = honest.leaf && honest.leaf->key == key;
    const std::optional<core::ByteView> v =
        present ? std::optional<core::ByteView>(value(key)) : std::nullopt;
    ASSERT_TRUE(verify_state_proof(root_, key, v, honest));
    for (const Hash256& extra : {Hash256::zero(), entries_[5].value_hash, root_}) {
      auto bottom = honest;
      bottom.siblings = prepend(extra, honest.siblings);
      expect_rejected(verify_state_proof(root_, key, v, bottom), "extra sibling at the bottom");
      auto top = honest;
      top.siblings.push_back(extra);
      expect_rejected(verify_state_proof(root_, key, v, top), "extra sibling at the top");
    }
    if (!honest.siblings.empty()) {
      auto no_bottom = honest;
      no_bottom.siblings.erase(no_bottom.siblings.begin());
      expect_rejected(verify_state_proof(root_, key, v, no_bottom), "missing bottom sibling");
      auto no_top = honest;
      no_top.siblings.pop_back();
      expect_rejected(verify_state_proof(root_, key, v, no_top), "missing top sibling");
      auto none = honest;
      none.siblings.clear();
      expect_rejected(verify_state_proof(root_, key, v, none), "no siblings");
    }
  }
  // 257 siblings: rejected before any hashing.
  SparseMerkleProof huge;
  huge.siblings.assign(257, entries_[0].value_hash);
  EXPECT_EQ(verify_state_proof(root_, absent_[0], std::nullopt, huge).rejection().reason,
            core::Reject::kTooLarge);
}

TEST_F(StateProofForgery, NonInclusionOfPresentKeyIsRejected) {
  for (std::size_t i = 0; i < entries_.size(); i += 5) {
    const Hash256& key = entries_[i].key;
    const auto honest = reference_proof(entries_, key);
    // Its own inclusion proof offered as non-inclusion.
    expect_rejected(verify_state_proof(root_, key, std::nullopt, honest), "present key, own leaf");
    // The leaf dropped: "the path ends in an empty subtree".
    auto emptied = honest;
    emptied.leaf.reset();
    expect_rejected(verify_state_proof(root_, key, std::nullopt, emptied), "present key, no leaf");
    // A non-inclusion proof of another (absent) key offered for this one.
    for (std::size_t a = 0; a < 5; ++a) {
      const auto other = reference_proof(entries_, absent_[a]);
      expect_rejected(verify_state_proof(root_, key, std::nullopt, other), "borrowed proof");
    }
    // Another record's inclusion proof, whose leaf is not on this key's path.
    const auto neighbour = reference_proof(entries_, entries_[(i + 1) % entries_.size()].key);
    expect_rejected(verify_state_proof(root_, key, std::nullopt, neighbour), "neighbour's proof");
  }
}

TEST_F(StateProofForgery, InclusionOfAbsentKeyIsRejected) {
  for (std::size_t a = 0; a < absent_.size(); ++a) {
    const Hash256& key = absent_[a];
    const auto honest = reference_proof(entries_, key);
    expect_rejected(verify_state_proof(root_, key, B("anything"), honest), "absent key, a value");
    if (honest.leaf) {
      // The met leaf's own value, claimed for the searched key.
      expect_rejected(verify_state_proof_by_hash(root_, key, honest.leaf->value_hash, honest),
                      "absent key, the met leaf's value");
      // The met leaf relabelled with the searched key.
      auto relabelled = honest;
      relabelled.leaf->key = key;
      expect_rejected(verify_state_proof_by_hash(root_, key, honest.leaf->value_hash, relabelled),
                      "relabelled leaf");
    }
  }
}

TEST_F(StateProofForgery, LeafOffThePathIsRejected) {
  // A non-inclusion proof whose leaf does not share the searched key's path
  // prefix is rejected even before the root is computed.
  for (const Hash256& key : absent_) {
    auto proof = reference_proof(entries_, key);
    if (!proof.leaf || proof.siblings.empty()) continue;
    Hash256 off = proof.leaf->key;
    off.bytes()[0] ^= 0x80;  // differs in the first bit
    proof.leaf->key = off;
    const auto v = verify_state_proof(root_, key, std::nullopt, proof);
    ASSERT_FALSE(v);
    EXPECT_NE(v.rejection().detail.find("not on the searched key's path"), std::string::npos);
  }
}

TEST_F(StateProofForgery, NonCanonicalEmptyLowestSiblingIsRejected) {
  // Hand-built: two leaves under one parent with an empty sibling pushed in
  // would also change the root, but the verifier names the structural error.
  SparseMerkleProof proof = reference_proof(entries_, absent_[0]);
  proof.siblings = prepend(Hash256::zero(), proof.siblings);
  const auto v = verify_state_proof(root_, absent_[0], std::nullopt, proof);
  ASSERT_FALSE(v);
  EXPECT_NE(v.rejection().detail.find("non-canonical"), std::string::npos);
}

TEST_F(StateProofForgery, VersionAndValueLimits) {
  auto proof = reference_proof(entries_, entries_[0].key);
  proof.version = 2;
  EXPECT_EQ(
      verify_state_proof(root_, entries_[0].key, value(entries_[0].key), proof).rejection().reason,
      core::Reject::kBadVersion);
  const Bytes huge(kMaxStateValueSize + 1, 0x42);
  EXPECT_EQ(
      verify_state_proof(root_, entries_[0].key, huge, reference_proof(entries_, entries_[0].key))
          .rejection()
          .reason,
      core::Reject::kTooLarge);
}

// ---- Encoding ----------------------------------------------------------------

TEST_F(StateProofForgery, EncodingRoundTripsAndRejectsMalformedInput) {
  for (const Hash256& key : {entries_[0].key, deep_, absent_[0], absent_[1]}) {
    const auto proof = reference_proof(entries_, key);
    const Bytes enc = core::encode(proof);
    auto back = core::decode<SparseMerkleProof>(enc);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, proof);

    Bytes trailing = enc;
    trailing.push_back(0);
    EXPECT_EQ(core::decode<SparseMerkleProof>(trailing).error().reason,
              core::Reject::kTrailingBytes);
    for (std::size_t cut = 0; cut < enc.size(); cut += 13) {
      EXPECT_FALSE(core::decode<SparseMerkleProof>(core::ByteView(enc).first(cut)).has_value());
    }
    Bytes bad_flag = enc;
    bad_flag[enc.size() - (proof.leaf ? 65 : 1)] = 2;  // the optional leaf's presence byte
    EXPECT_EQ(core::decode<SparseMerkleProof>(bad_flag).error().reason,
              core::Reject::kNonCanonical);
    Bytes bad_version = enc;
    bad_version[0] = 9;
    EXPECT_EQ(core::decode<SparseMerkleProof>(bad_version).error().reason,
              core::Reject::kBadVersion);
  }
  // 257 siblings are refused by the decoder (count prefix 257 = 0x81 0x02).
  Bytes too_many{1, 0x81, 0x02};
  too_many.resize(too_many.size() + 257 * 32, 0xAB);
  too_many.push_back(0);
  EXPECT_EQ(core::decode<SparseMerkleProof>(too_many).error().reason, core::Reject::kTooLarge);
}

}  // namespace
}  // namespace bauhinia::chain
