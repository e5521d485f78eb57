// Execution over the ledger's real state tree (as the node will wire it): a
// StateReader backed by ledger::StateTree at the parent's version, each block's
// writes applied as the next version, and every record then proven against the
// tree's root with the light-client verifier.

#include <gtest/gtest.h>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/state_tree.hpp"
#include "test_util.hpp"

namespace bauhinia::contracts {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

// The committed state at one version of the tree.
class TreeReader final : public StateReader {
 public:
  TreeReader(const ledger::StateTree& tree, std::optional<std::uint64_t> version)
      : tree_(tree), version_(version) {}
  core::Result<std::optional<Bytes>> read(const core::Hash256& key) const override {
    if (!version_) return std::optional<Bytes>{};  // empty tree
    return tree_.get(key, *version_);
  }

 private:
  const ledger::StateTree& tree_;
  std::optional<std::uint64_t> version_;
};

TEST(LedgerIntegration, BlocksOverTheStateTreeMatchAnInMemoryStateAndProve) {
  ledger::MemoryKvStore store;
  ledger::StateTree tree(store);
  MemoryState memory;
  accounts::AccountsModule accounts;
  Executor executor;
  executor.add_module(accounts);

  const auto a = key(1);
  const auto b = key(2);
  const auto b2 = key(3);
  const std::vector<std::vector<chain::IdentifiedTransaction>> blocks{
      {ping(a, 0, "first"), ping(b, 0)},
      {ping(a, 1),
       make_tx(b, account_of(b), 1, "accounts", "rotate_key",
               accounts::make_rotate_key_payload(kChain, account_of(b), 1, b2)),
       make_tx(b2, account_of(b), 2, "accounts", "nosuch", {})},  // fails, consumes sequence 2
      {},
      {make_tx(b2, account_of(b), 3, "accounts", "ping", core::encode(accounts::PingArgs{}))},
  };
  std::optional<std::uint64_t> version;
  std::uint64_t first_version = 0;
  for (std::size_t h = 0; h < blocks.size(); ++h) {
    TreeReader committed(tree, version);
    auto r = executor.execute_block(block_at(h + 1, first_version), blocks[h], committed);
    ASSERT_TRUE(r) << r.error().to_string();
    ASSERT_TRUE(*r) << r->error().why.to_string();
    const ExecutedBlock& executed = **r;
    first_version += executed.transactions.size();

    // The same block over the in-memory state gives the same result.
    auto m = executor.execute_block(block_at(h + 1, first_version - blocks[h].size()), blocks[h],
                                    memory);
    ASSERT_TRUE(m && *m);
    EXPECT_EQ((*m)->writes, executed.writes);
    memory.apply(executed.writes);

    std::vector<ledger::StateWrite> writes;
    for (const auto& [k, w] : executed.writes) writes.push_back({k, w.value});
    ledger::WriteBatch batch;
    const std::uint64_t next_version = h + 1;
    auto update = tree.apply(next_version, writes, batch);
    ASSERT_TRUE(update) << update.error().to_string();
    ASSERT_TRUE(store.write(batch, false));
    version = next_version;
  }

  // Every record of the in-memory state is in the tree, with a valid proof.
  const core::Hash256 root = tree.root_hash(*version).value();
  EXPECT_EQ(memory.size(), 4U);  // two accounts, two ping records
  for (const auto& [k, value] : memory.values()) {
    auto proven = tree.get_with_proof(k, *version);
    ASSERT_TRUE(proven);
    ASSERT_TRUE(proven->value);
    EXPECT_EQ(*proven->value, value);
    EXPECT_TRUE(chain::verify_state_proof(root, k, core::ByteView(*proven->value), proven->proof));
  }
  // b's record shows the rotation and every consumed sequence.
  TreeReader latest(tree, version);
  const auto record = accounts::load_account(latest, account_of(b)).value();
  ASSERT_TRUE(record);
  EXPECT_EQ(record->key, b2.public_key());
  EXPECT_EQ(record->next_sequence, 4U);
  // A never-created account is provably absent.
  const auto missing =
      chain::state_key("accounts", accounts::account_record_key(account_of(key(9))));
  auto absent = tree.get_with_proof(missing.value(), *version);
  ASSERT_TRUE(absent);
  EXPECT_FALSE(absent->value);
  EXPECT_TRUE(chain::verify_state_proof(root, missing.value(), std::nullopt, absent->proof));
}

}  // namespace
}  // namespace bauhinia::contracts
