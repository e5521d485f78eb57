#include "bauhinia/node/testnet.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "bauhinia/node/config.hpp"
#include "bauhinia/node/genesis.hpp"
#include "bauhinia/node/key_file.hpp"

namespace bauhinia::node {
namespace {

class Testnet : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/bauhinia-testnet-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(Testnet, WritesAConsistentConsortium) {
  TestnetOptions o;
  o.validators = 5;
  o.observers = 1;
  o.out = dir_ / "net";
  auto nodes = generate_testnet(o);
  ASSERT_TRUE(nodes) << nodes.error().to_string();
  ASSERT_EQ(nodes->size(), 6U);
  EXPECT_EQ((*nodes)[0].name, "IPD");
  EXPECT_EQ((*nodes)[4].name, "OGCIO");
  EXPECT_EQ((*nodes)[5].name, "OBS1");

  auto genesis = load_genesis(o.out / "genesis.json");
  ASSERT_TRUE(genesis) << genesis.error().to_string();
  EXPECT_EQ(genesis->validators.validators.size(), 5U);
  EXPECT_EQ(genesis->departments.size(), 5U);

  for (std::size_t i = 0; i < nodes->size(); ++i) {
    const auto& n = (*nodes)[i];
    auto config = load_config(n.home / "config.toml");
    ASSERT_TRUE(config) << config.error().to_string();
    EXPECT_EQ(config->name, n.name);
    EXPECT_EQ(config->peers.size(), 5U);
    EXPECT_EQ(config->p2p_listen.port, 26600 + i);
    EXPECT_EQ(config->role, n.validator ? Role::kValidator : Role::kObserver);
    auto key = read_ed25519_key(config->key_file);
    ASSERT_TRUE(key) << key.error().to_string();
    if (n.validator) {
      EXPECT_EQ(genesis->validators.validators[i].key, key->public_key());
    }
  }
  for (const auto& d : genesis->departments) {
    const auto path = o.out / "keys" / (d.code + "-admin.key");
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600U);
    auto admin = read_schnorr_key(path);
    ASSERT_TRUE(admin);
    EXPECT_EQ(admin->public_key(), d.admin_key);
  }
}

TEST_F(Testnet, RefusesANonEmptyFolderAndBadCounts) {
  TestnetOptions o;
  o.out = dir_;
  { std::ofstream(dir_ / "something") << "x"; }
  EXPECT_FALSE(generate_testnet(o));
  o.out = dir_ / "a";
  o.validators = 0;
  EXPECT_FALSE(generate_testnet(o));
  o.validators = 101;
  EXPECT_FALSE(generate_testnet(o));
}

}  // namespace
}  // namespace bauhinia::node
