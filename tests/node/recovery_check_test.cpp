// A node whose stored root QC (the commit record of its latest block) does not
// pass verification refuses to start with a clear error instead of installing
// it as the replica's high QC (issue 9, item 1: a forged QC with round 2^62
// stalled a node for good, restarts included). A real one-validator testnet
// commits a few blocks in-process; its record is then forged on disk.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "bauhinia/ledger/leveldb_store.hpp"
#include "bauhinia/node/config.hpp"
#include "bauhinia/node/consensus_store.hpp"
#include "bauhinia/node/runtime.hpp"
#include "bauhinia/node/testnet.hpp"

namespace bauhinia::node {
namespace {

class RecoveryCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/bauhinia-recovery-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(RecoveryCheck, AForgedStoredRootQcIsRefusedAtStart) {
  TestnetOptions o;
  o.validators = 1;
  o.out = dir_ / "net";
  auto nodes = generate_testnet(o);
  ASSERT_TRUE(nodes) << nodes.error().to_string();
  auto config = load_config((*nodes)[0].home / "config.toml");
  ASSERT_TRUE(config) << config.error().to_string();
  config->p2p_listen.port = 0;  // ports the OS picks: no collision with other tests
  config->api_listen.port = 0;

  std::uint64_t height = 0;
  {
    auto node = NodeRuntime::open(*config);
    ASSERT_TRUE(node) << node.error().to_string();
    ASSERT_TRUE((*node)->start().is_ok());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while ((*node)->status().height < 2 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    (*node)->stop();
    height = (*node)->status().height;
    ASSERT_GE(height, 2U) << "the one-validator testnet did not commit";
  }
  {
    // It restarts from its own records.
    auto node = NodeRuntime::open(*config);
    ASSERT_TRUE(node) << node.error().to_string();
  }
  {
    // Forge the records of every height the node may have reached.
    auto kv = ledger::LevelDbKvStore::open((config->data_dir / "ledger").string());
    ASSERT_TRUE(kv) << kv.error().to_string();
    auto cs = ConsensusStore::open((config->data_dir / "consensus").string());
    ASSERT_TRUE(cs) << cs.error().to_string();
    (*cs)->read_committed_from(**kv);
    ledger::WriteBatch forged;
    std::size_t n = 0;
    for (std::uint64_t h = 1; h <= height + 16; ++h) {
      auto rec = (*cs)->committed(h);
      if (!rec) continue;
      consensus::QuorumCert& qc = rec->qc;
      qc.vote_data.round = std::uint64_t{1} << 62;
      qc.certificate.ledger_info.round = qc.vote_data.round;
      qc.certificate.ledger_info.consensus_data_hash = qc.vote_data.hash();
      ConsensusStore::add_committed(forged, h, *rec);
      ++n;
    }
    ASSERT_GE(n, height);
    ASSERT_TRUE((*kv)->write(forged, true).is_ok());
  }
  auto node = NodeRuntime::open(*config);
  ASSERT_FALSE(node) << "the node installed a forged root QC";
  EXPECT_EQ(node.error().code(), core::StatusCode::kCorruption);
  EXPECT_NE(node.error().to_string().find("fail verification"), std::string::npos)
      << node.error().to_string();
}

}  // namespace
}  // namespace bauhinia::node
