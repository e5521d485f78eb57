// Storage faults at start (issue 15, item 4; storage_guard.hpp): a real
// one-validator testnet commits in-process, then its stopped data folder is
// damaged on disk. A missing or outdated safety state and a damaged ledger
// table are refused by NodeRuntime::open with the fault that names the remedy;
// recover_ledger keeps the safety state, moves the ledger aside and the node
// opens again on an empty ledger with exactly the state it had.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

#include "bauhinia/node/config.hpp"
#include "bauhinia/node/consensus_store.hpp"
#include "bauhinia/node/runtime.hpp"
#include "bauhinia/node/storage_guard.hpp"
#include "bauhinia/node/testnet.hpp"

namespace bauhinia::node {
namespace {

namespace fs = std::filesystem;

class StorageGuard : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/bauhinia-storage-guard-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    TestnetOptions o;
    o.validators = 1;
    o.out = dir_ / "net";
    auto nodes = generate_testnet(o);
    ASSERT_TRUE(nodes) << nodes.error().to_string();
    auto config = load_config((*nodes)[0].home / "config.toml");
    ASSERT_TRUE(config) << config.error().to_string();
    config->p2p_listen.port = 0;  // ports the OS picks: no collision with other tests
    config->api_listen.port = 0;
    config_ = *config;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs the node until its height grew by `blocks`; returns the height.
  std::uint64_t run_blocks(std::uint64_t blocks) {
    StorageFault fault = StorageFault::kNone;
    auto node = NodeRuntime::open(config_, &fault);
    EXPECT_TRUE(node) << node.error().to_string();
    if (!node) return 0;
    EXPECT_EQ(fault, StorageFault::kNone);
    const std::uint64_t target = (*node)->status().height + blocks;
    EXPECT_TRUE((*node)->start().is_ok());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while ((*node)->status().height < target && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    (*node)->stop();
    EXPECT_GE((*node)->status().height, target) << "the one-validator testnet did not commit";
    return (*node)->status().height;
  }

  consensus::SafetyState stored_state() {
    auto cs = ConsensusStore::open(consensus_dir().string());
    EXPECT_TRUE(cs) << cs.error().to_string();
    if (!cs) return {};
    auto s = (*cs)->safety_state();
    EXPECT_TRUE(s) << s.error().to_string();
    return s ? *s : consensus::SafetyState{};
  }

  // NodeRuntime::open must fail with `fault`, its message holding `words`.
  void expect_refused(StorageFault fault, const std::string& words) {
    StorageFault got = StorageFault::kNone;
    auto node = NodeRuntime::open(config_, &got);
    ASSERT_FALSE(node) << "opened despite: " << words;
    EXPECT_EQ(got, fault) << node.error().to_string();
    EXPECT_NE(node.error().to_string().find(words), std::string::npos) << node.error().to_string();
  }

  fs::path consensus_dir() const { return config_.data_dir / "consensus"; }
  fs::path ledger_dir() const { return config_.data_dir / "ledger"; }

  fs::path dir_;
  NodeConfig config_;
};

TEST_F(StorageGuard, AMissingSafetyStateOfAValidatorWithBlocksIsRefused) {
  run_blocks(2);
  fs::remove_all(consensus_dir());
  expect_refused(StorageFault::kSafetyState, "no safety state");
  // The refused open left an empty database behind: still refused.
  expect_refused(StorageFault::kSafetyState, "no safety state");
  EXPECT_EQ(exit_code(StorageFault::kSafetyState), kExitSafetyState);
  // recover cannot make one up either.
  StorageFault fault = StorageFault::kNone;
  auto r = recover_ledger(config_, &fault);
  ASSERT_FALSE(r);
  EXPECT_EQ(fault, StorageFault::kSafetyState);
  EXPECT_TRUE(fs::exists(ledger_dir()));
}

TEST_F(StorageGuard, ASafetyStateBehindTheValidatorsOwnVotesIsRefused) {
  run_blocks(2);
  const fs::path old_copy = dir_ / "old-consensus";
  fs::copy(consensus_dir(), old_copy, fs::copy_options::recursive);
  const auto old_state = stored_state();
  run_blocks(3);  // the one validator signs every certificate
  ASSERT_GT(stored_state().last_voted_round, old_state.last_voted_round);
  fs::remove_all(consensus_dir());
  fs::copy(old_copy, consensus_dir(), fs::copy_options::recursive);
  expect_refused(StorageFault::kSafetyState, "behind this node's own vote");
}

TEST_F(StorageGuard, ADamagedLedgerTableIsRefusedAndRecoverKeepsTheSafetyState) {
  run_blocks(2);
  run_blocks(1);  // the first run's log is a table file after a reopen
  std::vector<fs::path> tables;
  for (const auto& e : fs::directory_iterator(ledger_dir())) {
    if (e.path().extension() == ".ldb") tables.push_back(e.path());
  }
  ASSERT_FALSE(tables.empty());
  const fs::path table = *std::max_element(
      tables.begin(), tables.end(),
      [](const fs::path& a, const fs::path& b) { return fs::file_size(a) < fs::file_size(b); });
  {
    std::fstream f(table, std::ios::in | std::ios::out | std::ios::binary);
    const auto at = static_cast<std::streamoff>(fs::file_size(table) / 3);
    char byte = 0;
    f.seekg(at);
    f.read(&byte, 1);
    byte = static_cast<char>(byte ^ 0x10);
    f.seekp(at);
    f.write(&byte, 1);
  }
  expect_refused(StorageFault::kDamaged, table.filename().string());
  EXPECT_EQ(exit_code(StorageFault::kDamaged), kExitStorageFault);
  EXPECT_NE(remedy(StorageFault::kDamaged, "/srv/x").find("bauhinia-node recover --home /srv/x"),
            std::string::npos);

  const auto before = stored_state();
  ASSERT_GT(before.last_voted_round, 0u);
  StorageFault fault = StorageFault::kNone;
  auto r = recover_ledger(config_, &fault);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_TRUE(r->safety.has_value());
  EXPECT_EQ(core::encode(*r->safety), core::encode(before));
  ASSERT_TRUE(r->moved_ledger.has_value());
  EXPECT_FALSE(fs::exists(ledger_dir()));
  EXPECT_TRUE(fs::exists(*r->moved_ledger / table.filename()));

  // Opens again on an empty ledger (the next start resyncs), with the same state.
  {
    StorageFault f = StorageFault::kNone;
    auto node = NodeRuntime::open(config_, &f);
    ASSERT_TRUE(node) << node.error().to_string();
    EXPECT_EQ((*node)->status().height, 0u);
  }
  EXPECT_EQ(core::encode(stored_state()), core::encode(before));
}

}  // namespace
}  // namespace bauhinia::node
