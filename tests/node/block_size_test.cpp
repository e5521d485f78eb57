// Block sizes against every limit that carries a block (issue 9, item 2).
//
// Blocks are built the node's way: transactions admitted by the real mempool,
// picked by take() and built by execution::Pipeline::build under the limits of
// a parsed node config. Every block must then: decode as a block payload;
// encode as a consensus Proposal (with a QC and a TC of a full validator set)
// that fits in a frame of the config's max_frame_bytes and decodes back; be
// kept by the ConsensusStore (LevelDB) as a SyncBlock and read back; travel in
// a one-block consensus SyncResponse and a one-block LedgerSyncResponse that
// fit in a frame; commit to the leader's ledger (LevelDB); and commit, from the
// payload alone, on a second node (its ledger in memory; what catching up
// does). At main's commit (0953477) the first test failed: 512 transactions
// of 16,384 bytes (8 MiB exactly) made a payload of 8,390,146 bytes, over
// consensus::kMaxPayloadBytes, which the leader would abort encoding.
//
// Transaction sizes: a "blob" module accepts any call payload, so envelopes of
// every size from the smallest valid envelope to the largest (a 64 KiB call
// payload) can be made; sizes at the encoding's length-prefix boundaries are
// covered on purpose, as are blocks filled to the byte limit exactly.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "../ledger/temp_dir.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/contracts/module.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "bauhinia/execution/pipeline.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"
#include "bauhinia/mempool/mempool.hpp"
#include "bauhinia/node/config.hpp"
#include "bauhinia/node/consensus_store.hpp"
#include "bauhinia/node/sync_messages.hpp"

namespace bauhinia::node {
namespace {

constexpr const char* kChain = "bauhinia-block-size-test";
constexpr std::uint64_t kGenesisMs = 1764201600000;
constexpr std::uint64_t kNow = kGenesisMs + 1000;

// Accepts every call; writes nothing (the executor still writes the sender's
// account record and the ledger indexes every transaction).
class BlobModule final : public contracts::Module {
 public:
  std::string_view name() const override { return "blob"; }
  core::Verdict check(const contracts::CallContext&, const contracts::StateView&) const override {
    return core::Verdict::accept();
  }
  contracts::CallResult apply(contracts::CallContext&, contracts::StateView&) const override {
    return contracts::CallResult::success();
  }
  core::Checked<contracts::QueryAnswer> query(std::string_view,
                                              const contracts::StateView&) const override {
    return core::reject(core::Reject::kInvalid, "blob has no queries");
  }
};

core::ed25519::SecretKey validator_key(int i) {
  std::array<std::uint8_t, 32> seed{};
  seed[0] = static_cast<std::uint8_t>(i + 1);
  seed[1] = 0x5b;
  return core::ed25519::SecretKey::from_seed(seed);
}

chain::ValidatorSet validator_set() {
  chain::ValidatorSet set;
  for (int i = 0; i < 4; ++i) set.validators.push_back({validator_key(i).public_key(), 1, "V"});
  return set;
}

// A fresh account per transaction (sequence 0): no per-account limits apply.
core::schnorr::SecretKey account_key(std::uint32_t i) {
  std::array<std::uint8_t, 32> b{};
  b[0] = 0x22;
  b[28] = static_cast<std::uint8_t>(i >> 24);
  b[29] = static_cast<std::uint8_t>(i >> 16);
  b[30] = static_cast<std::uint8_t>(i >> 8);
  b[31] = static_cast<std::uint8_t>(i);
  return std::move(core::schnorr::SecretKey::from_bytes(b)).value();
}

chain::Transaction unsigned_blob(std::uint32_t account, std::size_t payload_bytes) {
  const auto key = account_key(account);
  chain::Transaction tx;
  tx.chain_id = kChain;
  tx.public_key = key.public_key();
  tx.sender = core::account_id_of(key.public_key());
  tx.sequence = 0;
  tx.expiry_ms = kNow + 3'600'000;
  tx.module = "blob";
  tx.call = "put";
  tx.payload.assign(payload_bytes, static_cast<std::uint8_t>(account));
  return tx;
}

// The envelope's size for a call payload of `payload_bytes`: the other fields
// (the same size for every account), the payload's length prefix, the payload.
const std::size_t kEnvelopeBase = core::encode(unsigned_blob(0, 0)).size() - 1;
std::size_t envelope_size(std::size_t payload_bytes) {
  return kEnvelopeBase + core::length_prefix_size(payload_bytes) + payload_bytes;
}
const std::size_t kMinEnvelope = envelope_size(0);
const std::size_t kMaxEnvelope = envelope_size(chain::kMaxPayloadSize);

// The call payload length whose envelope is `size` bytes, or the nearest
// smaller one (a few sizes cannot be made: the payload's length prefix grows
// by a byte at 128 and 16,384).
std::size_t payload_for(std::size_t size) {
  size = std::clamp(size, kMinEnvelope, kMaxEnvelope);
  std::size_t lo = 0;
  std::size_t hi = chain::kMaxPayloadSize;
  while (lo < hi) {  // largest payload with envelope_size(payload) <= size
    const std::size_t mid = (lo + hi + 1) / 2;
    if (envelope_size(mid) <= size) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

// Worst-case certificates: every one of kMaxValidators signed, the longest
// chain id. Their signatures are not checked by encoding or decoding.
consensus::QuorumCert full_qc(const chain::BlockHeader& certified) {
  consensus::QuorumCert qc;
  qc.vote_data.epoch = certified.epoch;
  qc.vote_data.round = certified.round;
  qc.vote_data.block_id = certified.id();
  qc.vote_data.height = certified.height;
  qc.certificate.ledger_info.chain_id = std::string(chain::kMaxChainIdLength, 'c');
  qc.certificate.ledger_info.round = certified.round;
  qc.certificate.ledger_info.commit_block = certified.id();
  qc.certificate.ledger_info.commit_height = certified.height;
  qc.certificate.signer_bitmap.assign((chain::kMaxValidators + 7) / 8, 0xFF);
  qc.certificate.signatures.resize(chain::kMaxValidators);
  return qc;
}

consensus::TimeoutCertificate full_tc(const chain::BlockHeader& parent) {
  consensus::TimeoutCertificate tc;
  tc.round = parent.round + 1;
  tc.high_qc = full_qc(parent);
  tc.signer_bitmap.assign((chain::kMaxValidators + 7) / 8, 0xFF);
  tc.high_qc_rounds.assign(chain::kMaxValidators, parent.round);
  tc.signatures.resize(chain::kMaxValidators);
  return tc;
}

// A commit certificate for `header`, signed by the four validators.
chain::QuorumCertificate certify(const chain::BlockHeader& header) {
  chain::LedgerInfo li;
  li.chain_id = kChain;
  li.epoch = header.epoch;
  li.round = header.round + 1;
  li.commit_block = header.id();
  li.commit_height = header.height;
  li.consensus_data_hash = core::sha256(core::as_bytes("vote data"));
  std::vector<chain::IndexedSignature> votes;
  for (int i = 0; i < 4; ++i) {
    votes.emplace_back(static_cast<std::size_t>(i),
                       validator_key(i).sign(li.signing_hash().view()));
  }
  auto qc = chain::build_quorum_certificate(li, validator_set(), votes);
  EXPECT_TRUE(qc) << qc.error().to_string();
  return *qc;
}

NodeConfig config_with(const std::string& consensus, const std::string& network) {
  const std::string text = std::string(R"(
[node]
name = "block-size"
role = "validator"
data_dir = "data"
key_file = "node_key"
genesis_file = "genesis.json"

[network]
listen = "127.0.0.1:26601"
)") + network + R"(

[api]
listen = "127.0.0.1:8601"

[consensus]
)" + consensus + "\n";
  auto c = parse_config(text, "/srv/block-size");
  EXPECT_TRUE(c) << c.error().to_string();
  return c ? *c : NodeConfig{};
}

// One node's ledger, pipeline and consensus records, on LevelDB (the
// follower's ledger in memory: the test's time goes to synced writes).
struct Ledger {
  test::TempDir dir{"block-size"};
  BlobModule blob;
  std::unique_ptr<contracts::Executor> executor;
  std::unique_ptr<ledger::LedgerStore> store;
  std::unique_ptr<execution::Pipeline> pipeline;
  std::unique_ptr<ConsensusStore> records;

  Ledger(std::size_t max_block_transactions, std::function<bool(const core::Hash256&)> verified,
         bool on_disk) {
    contracts::ExecutorConfig ec;
    ec.max_block_transactions = max_block_transactions;
    ec.signature_verified = std::move(verified);
    executor = std::make_unique<contracts::Executor>(std::move(ec));
    executor->add_module(blob);
    ledger::GenesisSpec spec;
    spec.chain_id = kChain;
    spec.validators = validator_set();
    spec.timestamp_ms = kGenesisMs;
    std::unique_ptr<ledger::KvStore> kv = std::make_unique<ledger::MemoryKvStore>();
    if (on_disk) {
      auto disk = ledger::LevelDbKvStore::open(dir.sub("ledger"));
      EXPECT_TRUE(disk) << disk.error().to_string();
      kv = std::move(disk).value();
    }
    auto s = ledger::LedgerStore::open(std::move(kv), spec);
    EXPECT_TRUE(s) << s.error().to_string();
    store = std::move(s).value();
    pipeline = std::make_unique<execution::Pipeline>(*store, *executor);
    auto r = ConsensusStore::open(dir.sub("consensus"));
    EXPECT_TRUE(r) << r.error().to_string();
    records = std::move(r).value();
  }
};

// A leader (mempool + pipeline under the config's limits) and a follower that
// commits the leader's blocks from their payloads.
class Chain {
 public:
  explicit Chain(const NodeConfig& config)
      : config_(config),
        leader_(
            config.max_block_transactions,
            [this](const core::Hash256& id) { return pool_ && pool_->contains(id); }, true),
        follower_(config.max_block_transactions, {}, false) {
    mempool::MempoolConfig mc;
    mc.chain_id = kChain;
    mc.max_count = 1'000'000;
    mc.max_bytes = std::size_t{1} << 30;
    mc.max_batch = 100'000;
    mc.max_transaction_bytes = max_transaction_bytes(config);  // as the node sets it
    const contracts::StateReader& state = leader_.pipeline->committed_state();
    pool_ = std::make_unique<mempool::Mempool>(
        mc,
        [&state](const core::AccountId& id) -> core::Result<std::optional<mempool::AccountState>> {
          auto a = contracts::accounts::load_account(state, id);
          if (!a) return std::move(a).error();
          if (!a->has_value()) return std::optional<mempool::AccountState>{};
          return std::optional<mempool::AccountState>{
              mempool::AccountState{(*a)->key, (*a)->next_sequence}};
        },
        &verifiers_);
  }

  // Submits transactions of these envelope sizes (each from a new account);
  // returns the results.
  std::vector<mempool::AdmitResult> submit(const std::vector<std::size_t>& sizes) {
    std::vector<chain::Transaction> txs;
    txs.reserve(sizes.size());
    for (std::size_t size : sizes) {
      chain::Transaction tx = unsigned_blob(next_account_, payload_for(size));
      EXPECT_EQ(tx.encoded().size(), envelope_size(tx.payload.size()));
      tx.sign(account_key(next_account_));
      ++next_account_;
      txs.push_back(std::move(tx));
    }
    return pool_->submit_batch(std::move(txs), kNow);
  }

  // Builds blocks until the mempool is empty, checking each; returns the
  // blocks' payload sizes.
  std::vector<std::size_t> drain() {
    std::vector<std::size_t> sizes;
    while (pool_->size() > 0 && !::testing::Test::HasFailure()) {
      const std::size_t before = pool_->size();
      sizes.push_back(build_and_check());
      if (pool_->size() >= before) {
        ADD_FAILURE() << pool_->size() << " transactions are pending and none goes into a block";
        break;
      }
    }
    return sizes;
  }

  const chain::BlockHeader& tip() const { return tip_; }
  mempool::Mempool& pool() { return *pool_; }

 private:
  std::size_t build_and_check() {
    const chain::BlockHeader parent = leader_.store->latest_header();
    const auto candidates =
        pool_->take(config_.max_block_transactions, config_.max_block_bytes, {});
    execution::BlockTemplate t;
    t.round = parent.round + 2;  // a TC for round - 1 rides along
    t.timestamp_ms = kNow + parent.height + 1;
    t.proposer = validator_key(0).public_key();
    t.max_transactions = config_.max_block_transactions;
    t.max_bytes = config_.max_block_bytes;
    auto r = leader_.pipeline->build(parent, t, candidates);
    EXPECT_TRUE(r) << r.error().to_string();
    if (!r) return 0;
    EXPECT_TRUE(*r) << r->error().to_string();
    if (!*r) return 0;
    const execution::BuiltProposal& b = **r;
    EXPECT_TRUE(b.invalid.empty());
    const std::size_t payload = b.payload.size();

    // The block's size against the config and the wire.
    EXPECT_LE(b.included.size(), config_.max_block_transactions);
    EXPECT_LE(payload, config_.max_block_bytes)
        << b.included.size() << " transactions, " << candidates.size() << " candidates";
    if (payload > consensus::kMaxPayloadBytes) {
      ADD_FAILURE() << "payload of " << payload << " bytes is over consensus::kMaxPayloadBytes ("
                    << consensus::kMaxPayloadBytes << "): the leader would abort encoding it";
      return payload;
    }
    auto decoded = execution::decode_payload(b.payload);
    EXPECT_TRUE(decoded) << decoded.error().to_string();
    if (decoded) {
      EXPECT_EQ(decoded->size(), b.included.size());
    }

    // A proposal with a full QC and TC: fits a frame, decodes back.
    consensus::Proposal p;
    p.header = b.header;
    p.payload = b.payload;
    p.qc = full_qc(parent);
    p.tc = full_tc(parent);
    const core::Bytes proposal = consensus::encode_message(p);
    EXPECT_LE(proposal.size(), config_.max_frame_bytes) << "proposal";
    auto back = consensus::decode_message(proposal);
    EXPECT_TRUE(back) << back.error().to_string();
    if (back) {
      EXPECT_EQ(std::get<consensus::Proposal>(*back), p);
    }

    // Kept as a SyncBlock by the consensus records, read back.
    consensus::SyncBlock sb{b.header, b.payload, full_qc(parent)};
    EXPECT_TRUE(leader_.records->save_block(sb).is_ok());
    auto kept = leader_.records->blocks();
    EXPECT_TRUE(kept) << kept.error().to_string();
    if (kept) {
      EXPECT_NE(std::find(kept->begin(), kept->end(), sb), kept->end());
    }
    EXPECT_TRUE(leader_.records->prune_blocks(b.header.height).is_ok());

    // Served in one-block sync responses (consensus and ledger catch-up).
    consensus::SyncResponse cs{b.header.epoch, b.header.id(), {sb}, full_qc(b.header)};
    const core::Bytes cs_bytes = consensus::encode_message(cs);
    EXPECT_LE(cs_bytes.size(), config_.max_frame_bytes) << "consensus sync response";
    auto cs_back = consensus::decode_message(cs_bytes);
    EXPECT_TRUE(cs_back) << cs_back.error().to_string();
    LedgerSyncResponse ls;
    ls.blocks.push_back(SyncedBlock{b.header, b.payload, full_qc(b.header)});
    ls.commit_qc = full_qc(b.header);
    const std::size_t ls_size = 1 + core::encode(ls).size();  // the SyncKind byte, then it
    EXPECT_LE(ls_size, config_.max_frame_bytes) << "ledger sync response";
    auto ls_back = core::decode<LedgerSyncResponse>(core::encode(ls));
    EXPECT_TRUE(ls_back) << ls_back.error().to_string();
    if (ls_back) {
      EXPECT_EQ(ls_back->blocks.at(0).payload, b.payload);
    }

    // Committed by the leader, and by a follower from the payload alone.
    const auto cert = certify(b.header);
    const std::vector<execution::BlockToCommit> blocks{{b.header, b.payload}};
    for (Ledger* l : {&leader_, &follower_}) {
      auto v = l->pipeline->commit(blocks, cert);
      EXPECT_TRUE(v) << v.error().to_string();
      if (v) {
        EXPECT_TRUE(*v) << v->rejection().to_string();
      }
      EXPECT_EQ(l->store->latest_header(), b.header);
    }
    const auto& done = leader_.pipeline->last_committed();
    pool_->remove_committed(done.ids, done.next_sequences);
    tip_ = b.header;
    return payload;
  }

  NodeConfig config_;
  mempool::VerifierPool verifiers_;
  std::unique_ptr<mempool::Mempool> pool_;
  Ledger leader_;
  Ledger follower_;
  chain::BlockHeader tip_;
  std::uint32_t next_account_ = 1;
};

// The largest limits a config accepts, with the smallest frame that holds a
// full block.
NodeConfig largest_config() {
  return config_with("max_block_transactions = 20000\nmax_block_bytes = 8388608",
                     "max_frame_bytes = 8454144");
}

TEST(BlockSize, BlocksFilledExactlyToTheByteLimitFitEveryCarrier) {
  const NodeConfig config = largest_config();
  Chain chain(config);
  // Transactions whose sizes add up to max_block_bytes exactly, at and around
  // the length-prefix boundaries, and the largest envelope.
  for (std::size_t size : {std::size_t{16384}, std::size_t{16383}, kMaxEnvelope}) {
    const std::size_t n = config.max_block_bytes / size;
    std::vector<std::size_t> sizes(n, size);
    const std::size_t rest = config.max_block_bytes - n * size;
    if (rest >= kMinEnvelope) sizes.push_back(rest);
    for (const auto& r : chain.submit(sizes)) ASSERT_TRUE(r.ok()) << r.rejection->to_string();
    SCOPED_TRACE("size " + std::to_string(size));
    const auto blocks = chain.drain();
    // The transactions alone fill max_block_bytes; with their prefixes they
    // need two blocks, the first one full up to less than one transaction.
    ASSERT_EQ(blocks.size(), 2U);
    EXPECT_GT(blocks[0] + execution::payload_entry_size(size) + 3, config.max_block_bytes);
  }
}

TEST(BlockSize, RandomSizesAndCountsNeverMakeAnUnsendableBlock) {
  const NodeConfig config = largest_config();
  Chain chain(config);
  std::mt19937_64 rng(9002);
  for (int round = 0; round < 2; ++round) {
    // 10 MiB of transactions of random sizes (skewed towards small ones).
    std::vector<std::size_t> sizes;
    std::size_t total = 0;
    while (total < (std::size_t{10} << 20)) {
      const std::size_t top =
          std::uniform_int_distribution<int>(0, 3)(rng) == 0 ? kMaxEnvelope : 2048;
      const std::size_t s = std::uniform_int_distribution<std::size_t>(kMinEnvelope, top)(rng);
      sizes.push_back(s);
      total += s;
    }
    for (const auto& r : chain.submit(sizes)) ASSERT_TRUE(r.ok()) << r.rejection->to_string();
    chain.drain();
  }
}

TEST(BlockSize, TheTransactionCountLimitHoldsAtTheWireLimit) {
  // More of the smallest transactions than a block may carry: a block of
  // exactly max_block_transactions (the payload's wire limit), then the rest.
  const NodeConfig config = largest_config();
  Chain chain(config);
  const std::vector<std::size_t> sizes(config.max_block_transactions + 1, kMinEnvelope);
  for (const auto& r : chain.submit(sizes)) ASSERT_TRUE(r.ok()) << r.rejection->to_string();
  chain.drain();
  EXPECT_EQ(chain.tip().height, 2U);
}

TEST(BlockSize, ATransactionNoBlockCanCarryIsRefusedAtAdmission) {
  // max_block_bytes at its minimum: 1024 bytes of payload carry one
  // transaction of at most 1,021 bytes (count and length prefixes); larger
  // ones are refused with kTooLarge instead of waiting for a block forever.
  const NodeConfig config = config_with("max_block_bytes = 1024", "max_frame_bytes = 8454144");
  const std::size_t largest = max_transaction_bytes(config);
  ASSERT_EQ(largest, 1021U);
  EXPECT_EQ(max_transaction_bytes(largest_config()), chain::kMaxTransactionSize);
  Chain chain(config);
  std::vector<std::size_t> sizes;
  for (std::size_t s = kMinEnvelope; s <= 1024; s += 7) sizes.push_back(s);
  for (std::size_t s : {largest - 1, largest, largest + 1, std::size_t{1024}, kMaxEnvelope}) {
    sizes.push_back(s);
  }
  const auto too_large = static_cast<std::size_t>(
      std::count_if(sizes.begin(), sizes.end(), [&](std::size_t s) { return s > largest; }));
  const auto results = chain.submit(sizes);
  std::size_t refused = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] <= largest) {
      EXPECT_TRUE(results[i].ok()) << sizes[i] << ": " << results[i].rejection->to_string();
    } else {
      ++refused;
      ASSERT_FALSE(results[i].ok()) << sizes[i];
      EXPECT_EQ(results[i].rejection->error, mempool::MempoolError::kTooLarge) << sizes[i];
      EXPECT_NE(results[i].rejection->detail.find("limit 1021"), std::string::npos)
          << results[i].rejection->detail;
    }
  }
  EXPECT_EQ(refused, too_large);
  EXPECT_GE(refused, 3U);
  const auto blocks = chain.drain();
  std::string all;
  for (std::size_t b : blocks) all += " " + std::to_string(b);
  EXPECT_NE(std::find(blocks.begin(), blocks.end(), std::size_t{1024}), blocks.end())
      << "the largest admitted transaction fills a block exactly; blocks:" << all;
}

TEST(BlockSize, WhatABlockCarriesBesidesItsPayloadIsBounded) {
  // The worst case of everything but the payload: a proposal with a QC and a
  // TC of kMaxValidators signers, the longest chain ids, one-block sync
  // responses with two such QCs.
  chain::BlockHeader parent;
  parent.round = std::uint64_t{1} << 62;
  parent.height = std::uint64_t{1} << 62;
  chain::BlockHeader header = parent;
  header.round = parent.round + 2;
  header.height = parent.height + 1;
  header.parent_hash = parent.id();
  for (const std::size_t payload : {std::size_t{0}, consensus::kMaxPayloadBytes}) {
    const core::Bytes bytes(payload, 0xAB);
    consensus::Proposal p{header, bytes, full_qc(parent), full_tc(parent), {}};
    const std::size_t proposal = consensus::encode_message(p).size();
    consensus::SyncBlock sb{header, bytes, full_qc(parent)};
    const std::size_t kept = core::encode(sb).size();
    consensus::SyncResponse cs{0, header.id(), {sb}, full_qc(header)};
    const std::size_t consensus_sync = consensus::encode_message(cs).size();
    LedgerSyncResponse ls;
    ls.blocks.push_back(SyncedBlock{header, bytes, full_qc(header)});
    ls.commit_qc = full_qc(header);
    const std::size_t ledger_sync = 1 + core::encode(ls).size();
    for (std::size_t size : {proposal, kept, consensus_sync, ledger_sync}) {
      EXPECT_LE(size - payload, consensus::kMaxBlockOverheadBytes);
      EXPECT_LE(size, consensus::kMaxBlockMessageBytes);
      EXPECT_LE(size, largest_config().max_frame_bytes);
    }
    if (payload == 0) {
      std::cout << "overhead: proposal " << proposal << ", kept block " << kept
                << ", consensus sync " << consensus_sync << ", ledger sync " << ledger_sync
                << " bytes\n";
    }
  }
}

}  // namespace
}  // namespace bauhinia::node
