// Every RFC 6962 / RFC 9162 vector of transparency-dev/merkle (kept in the
// project: tests/chain/vectors/rfc6962, see its README) verifies, or is
// rejected, exactly as its wantErr says. A missing or incomplete copy fails.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bauhinia/chain/merkle.hpp"

namespace bauhinia::chain {
namespace {

namespace fs = std::filesystem;

// Standard base64 (RFC 4648 section 4) with padding; nullopt on any malformed input.
std::optional<Bytes> base64_decode(const std::string& s) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (s.size() % 4 != 0) return std::nullopt;
  Bytes out;
  for (std::size_t i = 0; i < s.size(); i += 4) {
    const bool last = i + 4 == s.size();
    std::uint32_t acc = 0;
    int pad = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = s[i + j];
      if (c == '=' && last && j >= 2) {
        ++pad;
        acc <<= 6;
        continue;
      }
      const int v = value(c);
      if (v < 0 || pad > 0) return std::nullopt;
      acc = (acc << 6) | static_cast<std::uint32_t>(v);
    }
    out.push_back(static_cast<std::uint8_t>(acc >> 16));
    if (pad < 2) out.push_back(static_cast<std::uint8_t>(acc >> 8));
    if (pad < 1) out.push_back(static_cast<std::uint8_t>(acc));
  }
  return out;
}

TEST(Base64, DecodesKnownStrings) {
  EXPECT_EQ(base64_decode(""), Bytes{});
  EXPECT_EQ(base64_decode("Zg=="), (Bytes{'f'}));
  EXPECT_EQ(base64_decode("Zm8="), (Bytes{'f', 'o'}));
  EXPECT_EQ(base64_decode("Zm9v"), (Bytes{'f', 'o', 'o'}));
  EXPECT_EQ(base64_decode("Zm9vYg=="), (Bytes{'f', 'o', 'o', 'b'}));
  EXPECT_FALSE(base64_decode("Zm9"));
  EXPECT_FALSE(base64_decode("Z=9v"));
  EXPECT_FALSE(base64_decode("Zm9*"));
}

nlohmann::json load(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

Bytes b64(const nlohmann::json& j, const fs::path& file) {
  auto d = base64_decode(j.get<std::string>());
  EXPECT_TRUE(d.has_value()) << file << ": bad base64";
  return d.value_or(Bytes{});
}

std::vector<Bytes> b64_list(const nlohmann::json& j, const fs::path& file) {
  std::vector<Bytes> out;
  if (j.is_null()) return out;
  for (const auto& e : j) out.push_back(b64(e, file));
  return out;
}

fs::path vectors_dir() {
  return fs::path(BAUHINIA_SOURCE_DIR) / "tests" / "chain" / "vectors" / "rfc6962";
}

// The .json files under vectors_dir()/sub; empty when the folder is missing
// (VectorsArePresent then says so).
std::vector<fs::path> json_files(const char* sub) {
  std::vector<fs::path> out;
  const fs::path dir = vectors_dir() / sub;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The copy is complete: a missing folder (a tree without tests/chain/vectors,
// or BAUHINIA_SOURCE_DIR unset) fails here instead of passing with no vector.
TEST(Rfc6962Vectors, VectorsArePresent) {
  ASSERT_TRUE(fs::is_directory(vectors_dir()))
      << "missing " << vectors_dir() << " (is BAUHINIA_SOURCE_DIR the project root?)";
  EXPECT_EQ(json_files("inclusion").size(), 98U) << vectors_dir();
  EXPECT_EQ(json_files("consistency").size(), 98U) << vectors_dir();
  EXPECT_TRUE(fs::is_regular_file(vectors_dir() / "LICENSE"));
}

TEST(Rfc6962Vectors, Inclusion) {
  const auto files = json_files("inclusion");
  ASSERT_GT(files.size(), 0U) << "no vectors under " << vectors_dir();
  std::size_t accepted = 0;
  for (const auto& f : files) {
    const auto j = load(f);
    const auto v = verify_inclusion_bytes(
        j.at("leafIdx").get<std::uint64_t>(), j.at("treeSize").get<std::uint64_t>(),
        b64(j.at("leafHash"), f), b64_list(j.at("proof"), f), b64(j.at("root"), f));
    const bool want_err = j.at("wantErr").get<bool>();
    EXPECT_EQ(!v.ok(), want_err) << f << ": " << j.value("desc", "")
                                 << (v.ok() ? std::string() : " " + v.rejection().to_string());
    if (v.ok()) ++accepted;
  }
  EXPECT_GT(accepted, 0U);
  std::cout << files.size() << " inclusion vectors, " << accepted << " accepted\n";
}

TEST(Rfc6962Vectors, Consistency) {
  const auto files = json_files("consistency");
  ASSERT_GT(files.size(), 0U) << "no vectors under " << vectors_dir();
  std::size_t accepted = 0;
  for (const auto& f : files) {
    const auto j = load(f);
    const auto v = verify_consistency_bytes(
        j.at("size1").get<std::uint64_t>(), j.at("size2").get<std::uint64_t>(),
        b64(j.at("root1"), f), b64(j.at("root2"), f), b64_list(j.at("proof"), f));
    const bool want_err = j.at("wantErr").get<bool>();
    EXPECT_EQ(!v.ok(), want_err) << f << ": " << j.value("desc", "")
                                 << (v.ok() ? std::string() : " " + v.rejection().to_string());
    if (v.ok()) ++accepted;
  }
  EXPECT_GT(accepted, 0U);
  std::cout << files.size() << " consistency vectors, " << accepted << " accepted\n";
}

// The happy-path inclusion vectors also verify through the typed API, and their
// proofs survive an encode/decode round trip.
TEST(Rfc6962Vectors, HappyPathsThroughTypedApi) {
  std::size_t n = 0;
  for (const auto& f : json_files("inclusion")) {
    if (f.filename() != "happy-path.json") continue;
    const auto j = load(f);
    InclusionProof proof;
    proof.leaf_index = j.at("leafIdx").get<std::uint64_t>();
    proof.tree_size = j.at("treeSize").get<std::uint64_t>();
    for (const auto& b : b64_list(j.at("proof"), f)) proof.path.push_back(*Hash256::from_bytes(b));
    const Hash256 leaf = *Hash256::from_bytes(b64(j.at("leafHash"), f));
    const Hash256 root = *Hash256::from_bytes(b64(j.at("root"), f));
    EXPECT_TRUE(verify_inclusion(leaf, proof, root).ok()) << f;
    auto decoded = core::decode<InclusionProof>(core::encode(proof));
    ASSERT_TRUE(decoded) << f;
    EXPECT_EQ(*decoded, proof);
    ++n;
  }
  EXPECT_GT(n, 0U);
}

}  // namespace
}  // namespace bauhinia::chain
