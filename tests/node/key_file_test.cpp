#include "bauhinia/node/key_file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

namespace bauhinia::node {
namespace {

class KeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/bauhinia-keyfile-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(KeyFile, Ed25519RoundTripWithOwnerOnlyMode) {
  const auto key = core::ed25519::SecretKey::generate();
  const auto path = dir_ / "node_key";
  ASSERT_TRUE(write_ed25519_key(path, key).is_ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  auto back = read_ed25519_key(path);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->public_key(), key.public_key());
  // never overwrites an existing key
  EXPECT_FALSE(write_ed25519_key(path, key).is_ok());
}

TEST_F(KeyFile, SchnorrRoundTrip) {
  const auto key = core::schnorr::SecretKey::generate();
  const auto path = dir_ / "admin_key";
  ASSERT_TRUE(write_schnorr_key(path, key).is_ok());
  auto back = read_schnorr_key(path);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->public_key(), key.public_key());
}

TEST_F(KeyFile, RefusesOpenPermissionsAndGarbage) {
  const auto key = core::ed25519::SecretKey::generate();
  const auto path = dir_ / "node_key";
  ASSERT_TRUE(write_ed25519_key(path, key).is_ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto open = read_ed25519_key(path);
  ASSERT_FALSE(open);
  EXPECT_NE(open.error().message().find("too open"), std::string::npos);

  const auto bad = dir_ / "bad_key";
  {
    std::ofstream out(bad);
    out << "not hex at all\n";
  }
  ASSERT_EQ(::chmod(bad.c_str(), 0600), 0);
  auto garbage = read_ed25519_key(bad);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_FALSE(read_ed25519_key(dir_ / "missing"));
  // zero is not a valid secp256k1 secret key
  const auto zero = dir_ / "zero_key";
  {
    std::ofstream out(zero);
    out << std::string(64, '0') << "\n";
  }
  ASSERT_EQ(::chmod(zero.c_str(), 0600), 0);
  EXPECT_FALSE(read_schnorr_key(zero));
}

}  // namespace
}  // namespace bauhinia::node
