// LedgerStore::commit_blocks: a chain of blocks that one certificate commits,
// written in one synced batch. The blocks are built on a twin ledger (the
// same deterministic chain committed block by block), then committed together.

#include <gtest/gtest.h>

#include <memory>

#include "bauhinia/chain/epoch_proof.hpp"
#include "bauhinia/chain/light_client.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "chain_builder.hpp"
#include "forwarding_store.hpp"

namespace bauhinia::ledger {
namespace {

using test::ChainBuilder;

class CommitBlocks : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open(kv_);
    twin_ = open(twin_kv_);
    ASSERT_NE(store_, nullptr);
    ASSERT_NE(twin_, nullptr);
  }
  std::unique_ptr<LedgerStore> open(MemoryKvStore& kv) {
    auto s = LedgerStore::open(std::make_unique<test::ForwardingKvStore>(kv), builder_.genesis());
    EXPECT_TRUE(s.has_value()) << s.error().to_string();
    return s.has_value() ? std::move(s).value() : nullptr;
  }
  // The next `n` blocks, as consensus commits them: only the last certified.
  std::vector<BlockCommit> next_blocks(std::size_t n) {
    std::vector<BlockCommit> blocks;
    for (std::size_t i = 0; i < n; ++i) {
      BlockCommit b = builder_.next_block(*twin_);
      auto r = twin_->commit_block(b);
      EXPECT_TRUE(r.has_value() && r->ok());
      blocks.push_back(std::move(b));
    }
    for (std::size_t i = 0; i + 1 < n; ++i) blocks[i].certificate = chain::QuorumCertificate{};
    return blocks;
  }
  void expect_rejected(const std::vector<BlockCommit>& blocks, core::Reject reason,
                       const std::string& what) {
    SCOPED_TRACE(what);
    const std::size_t entries = kv_.entries();
    const std::uint64_t latest = store_->latest_height();
    auto r = store_->commit_blocks(blocks);
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->rejection().reason, reason) << r->rejection().to_string();
    EXPECT_EQ(kv_.entries(), entries);
    EXPECT_EQ(store_->latest_height(), latest);
  }

  ChainBuilder builder_{[] {
    test::ChainParams p;
    p.epoch_length = 6;
    return p;
  }()};
  MemoryKvStore kv_;
  MemoryKvStore twin_kv_;
  std::unique_ptr<LedgerStore> store_;
  std::unique_ptr<LedgerStore> twin_;
};

TEST_F(CommitBlocks, ChainCommittedInOneWrite) {
  const auto blocks = next_blocks(3);
  auto r = store_->commit_blocks(blocks);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  ASSERT_TRUE(r->ok()) << r->rejection().to_string();
  EXPECT_EQ(store_->latest_height(), 3u);
  EXPECT_EQ(store_->latest_header(), twin_->latest_header());
  EXPECT_TRUE(store_->verify_latest().is_ok());
  for (std::uint64_t h = 1; h <= 3; ++h) {
    auto header = store_->header(h);
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(*header, blocks[h - 1].header);
    auto txs = store_->block_transactions(h);
    ASSERT_TRUE(txs.has_value()) << txs.error().to_string();
    EXPECT_EQ(txs->size(), blocks[h - 1].transactions.size());
    for (const auto& tx : *txs) {
      auto proof = store_->transaction_with_proof(tx.info.transaction_id,
                                                  blocks.back().header.accumulator_size);
      ASSERT_TRUE(proof.has_value());
      EXPECT_TRUE(chain::verify_transaction(blocks.back().header, tx.info.transaction_id, tx.info,
                                            proof->proof)
                      .ok());
    }
  }
  // The earlier blocks have no certificate of their own: the last block's
  // certificate covers them through the parent hashes.
  EXPECT_EQ(store_->certificate(1).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(store_->certificate(2).error().code(), core::StatusCode::kNotFound);
  auto qc = store_->certificate(3);
  ASSERT_TRUE(qc.has_value());
  EXPECT_TRUE(chain::verify_committed_header(blocks[2].header, *qc, store_->current_validator_set(),
                                             store_->chain_id())
                  .ok());
  // Reopened, the same.
  store_.reset();
  store_ = open(kv_);
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(store_->latest_height(), 3u);
  EXPECT_EQ(store_->certificate(2).error().code(), core::StatusCode::kNotFound);
}

TEST_F(CommitBlocks, OneBadBlockWritesNothing) {
  const auto good = next_blocks(3);
  {
    auto blocks = good;
    blocks[2].header.state_root.bytes()[0] ^= 1;
    blocks[2].certificate = test::certify(blocks[2].header, store_->chain_id());
    expect_rejected(blocks, core::Reject::kBadProof, "last block's state root");
  }
  {
    auto blocks = good;
    blocks[1].state_writes.pop_back();
    expect_rejected(blocks, core::Reject::kBadProof, "middle block's writes");
  }
  {
    auto blocks = good;
    blocks[2].certificate.signatures[0].bytes[0] ^= 1;
    expect_rejected(blocks, core::Reject::kBadSignature, "the certificate");
  }
  auto r = store_->commit_blocks(good);
  ASSERT_TRUE(r.has_value() && r->ok());
  EXPECT_EQ(store_->latest_header(), twin_->latest_header());
}

TEST_F(CommitBlocks, MalformedCommits) {
  expect_rejected({}, core::Reject::kInvalid, "no blocks");
  const auto good = next_blocks(3);
  {
    auto blocks = good;
    blocks[0].certificate = test::certify(blocks[0].header, store_->chain_id());
    expect_rejected(blocks, core::Reject::kInvalid, "a certificate on an earlier block");
  }
  {
    auto blocks = good;
    blocks[2].certificate = chain::QuorumCertificate{};
    expect_rejected(blocks, core::Reject::kInvalid, "no certificate on the last block");
  }
  {
    auto blocks = good;
    std::swap(blocks[0], blocks[1]);
    expect_rejected(blocks, core::Reject::kInvalid, "out of order");
  }
  {
    auto blocks = good;
    blocks.erase(blocks.begin() + 1);
    expect_rejected(blocks, core::Reject::kInvalid, "a gap");
  }
  auto r = store_->commit_blocks(good);
  ASSERT_TRUE(r.has_value() && r->ok());
}

TEST_F(CommitBlocks, AnEpochsLastBlockCarriesItsOwnCertificate) {
  auto first = next_blocks(4);  // heights 1..4
  ASSERT_TRUE(store_->commit_blocks(first).value().ok());
  // Heights 5, 6, 7: block 6 ends epoch 0, so it cannot be committed through
  // block 7's certificate (a light client needs its own to change epochs).
  auto blocks = next_blocks(3);
  ASSERT_TRUE(blocks[1].header.ends_epoch());
  expect_rejected(blocks, core::Reject::kInvalid, "epoch change inside a commit");
  // Committed as 5..6 and then 7, it is fine, and the epoch change proof
  // verifies from genesis.
  std::vector<BlockCommit> upto6{blocks[0], blocks[1]};
  upto6[1].certificate = test::certify(upto6[1].header, store_->chain_id());
  auto r = store_->commit_blocks(upto6);
  ASSERT_TRUE(r.has_value() && r->ok()) << (r.has_value() ? r->rejection().to_string() : "");
  auto r7 = store_->commit_blocks(std::vector<BlockCommit>{blocks[2]});
  ASSERT_TRUE(r7.has_value() && r7->ok());
  auto proof = store_->epoch_change_proof(0);
  ASSERT_TRUE(proof.has_value()) << proof.error().to_string();
  ASSERT_EQ(proof->changes.size(), 1u);
  auto set = chain::verify_epoch_changes(builder_.genesis().validators, *proof, store_->chain_id());
  ASSERT_TRUE(set.has_value()) << set.error().to_string();
  EXPECT_EQ(*set, store_->current_validator_set());
}

TEST_F(CommitBlocks, DuplicateTransactionAcrossTheChain) {
  auto blocks = next_blocks(2);
  // Block 2 repeats block 1's first transaction: rebuild block 2 around it.
  BlockCommit& b2 = blocks[1];
  b2.transactions[0] = blocks[0].transactions[0];
  b2.infos[0].transaction_id = blocks[0].infos[0].transaction_id;
  b2.header.transactions_root = chain::transactions_root_of([&] {
    std::vector<core::Hash256> ids;
    for (const auto& i : b2.infos) ids.push_back(i.transaction_id);
    return ids;
  }());
  b2.certificate = test::certify(b2.header, store_->chain_id());
  expect_rejected(blocks, core::Reject::kDuplicate, "replay across blocks of one commit");
}

}  // namespace
}  // namespace bauhinia::ledger
