// The node across an epoch change (node/epochs.hpp, docs/consensus.md "Epoch
// changes as the node runs them"): a source ledger commits a block that ends
// epoch 0 (a governed validator set of epoch 1 written by a test module
// registered as "system") and two blocks of epoch 1 certified by the new set.
// A follower catches up from the source's real sync responses: the first
// stops at the epoch's last block, the second is checked against the set the
// follower derived by executing that block. Forged epoch changes are refused:
// an ending block certified by keys that are not the old quorum's, epoch-1
// blocks signed by a set the old quorum never certified, a response that runs
// across the epoch end. A restarted follower resumes in epoch 1, on the epoch
// root; a node in epoch 1 tells a peer stuck in epoch 0 how far to catch up.
// Applying (apply_sync_response, node/sync_apply.hpp, what Runtime::apply_sync
// runs): stale, refused and empty responses and a certified run that fails
// re-execution change nothing, not even the good block before the bad one;
// genuine responses commit.

#include <gtest/gtest.h>

#include <filesystem>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "bauhinia/execution/pipeline.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"
#include "bauhinia/node/consensus_store.hpp"
#include "bauhinia/node/epochs.hpp"
#include "bauhinia/node/sync_apply.hpp"
#include "bauhinia/node/sync_server.hpp"

namespace bauhinia::node {
namespace {

constexpr const char* kChain = "bauhinia-epoch-sync-test";
constexpr std::uint64_t kGenesisMs = 1764201600000;

core::ed25519::SecretKey validator_key(int i) {
  std::array<std::uint8_t, 32> seed{};
  seed[0] = static_cast<std::uint8_t>(i + 1);
  seed[1] = 0xE5;
  return core::ed25519::SecretKey::from_seed(seed);
}

chain::ValidatorSet set_of(std::uint64_t epoch, int first, int count) {
  chain::ValidatorSet set;
  set.epoch = epoch;
  for (int i = first; i < first + count; ++i) {
    set.validators.push_back({validator_key(i).public_key(), 1, "V" + std::to_string(i)});
  }
  return set;
}

// Writes its payload as the governed validator-set record (as governance would).
class GovernedSetWriter final : public contracts::Module {
 public:
  std::string_view name() const override { return contracts::system::kModuleName; }
  core::Verdict check(const contracts::CallContext&, const contracts::StateView&) const override {
    return core::Verdict::accept();
  }
  contracts::CallResult apply(contracts::CallContext& call,
                              contracts::StateView& state) const override {
    state.write(contracts::system::validator_set_key(), call.tx().payload);
    return contracts::CallResult::success();
  }
  core::Checked<contracts::QueryAnswer> query(std::string_view,
                                              const contracts::StateView&) const override {
    return core::reject(core::Reject::kInvalid, "no queries");
  }
};

chain::IdentifiedTransaction govern(const chain::ValidatorSet& set) {
  std::array<std::uint8_t, 32> b{};
  b[0] = 0x33;
  b[31] = 1;
  const auto key = std::move(core::schnorr::SecretKey::from_bytes(b)).value();
  contracts::system::GovernedValidatorSet record;
  record.set = set;
  record.changed_height = 1;
  chain::Transaction tx;
  tx.chain_id = kChain;
  tx.public_key = key.public_key();
  tx.sender = core::account_id_of(key.public_key());
  tx.sequence = 0;
  tx.expiry_ms = kGenesisMs + 3'600'000;
  tx.module = "system";
  tx.call = "set";
  tx.payload = core::encode(record);
  tx.sign(key);
  return chain::IdentifiedTransaction::of(std::move(tx));
}

// A QC on `block` (parent QC round `parent_round`), signed by the members of
// `set` whose keys are validator_key(first + i); committing `commit` if given.
consensus::QuorumCert qc_on(const chain::BlockHeader& block, consensus::Round parent_round,
                            const chain::ValidatorSet& set, int first,
                            std::optional<consensus::BlockRef> commit = std::nullopt) {
  consensus::QuorumCert qc;
  qc.vote_data.epoch = block.epoch;
  qc.vote_data.round = block.round;
  qc.vote_data.block_id = block.id();
  qc.vote_data.height = block.height;
  qc.vote_data.parent_round = parent_round;
  qc.vote_data.parent_id = block.parent_hash;
  chain::LedgerInfo li;
  li.chain_id = kChain;
  li.epoch = block.epoch;
  li.round = block.round;
  if (commit) {
    li.commit_block = commit->id;
    li.commit_height = commit->height;
  }
  li.consensus_data_hash = qc.vote_data.hash();
  std::vector<chain::IndexedSignature> sigs;
  for (std::size_t i = 0; i < set.validators.size(); ++i) {
    sigs.emplace_back(i, validator_key(first + static_cast<int>(i)).sign(li.signing_hash().view()));
  }
  auto cert = chain::build_quorum_certificate(li, set, sigs);
  EXPECT_TRUE(cert) << cert.error().to_string();
  qc.certificate = std::move(cert).value();
  return qc;
}

// The commit certificate of `block`: a QC on a child one round later.
consensus::QuorumCert commit_qc_of(const chain::BlockHeader& block, const chain::ValidatorSet& set,
                                   int first) {
  chain::BlockHeader child;
  child.epoch = block.epoch;
  child.height = block.height + 1;
  child.round = block.round + 1;
  child.parent_hash = block.id();
  child.timestamp_ms = block.timestamp_ms + 1;
  return qc_on(child, block.round, set, first, consensus::BlockRef{block.id(), block.height});
}

struct Node {
  contracts::accounts::AccountsModule accounts;
  GovernedSetWriter system;
  contracts::Executor executor;
  std::unique_ptr<ledger::LedgerStore> ledger;
  std::unique_ptr<ConsensusStore> records;
  std::unique_ptr<execution::Pipeline> pipeline;

  explicit Node(const std::filesystem::path& dir) {
    executor.add_module(accounts);
    executor.add_module(system);
    open(dir);
  }

  void open(const std::filesystem::path& dir) {
    pipeline.reset();
    records.reset();
    ledger.reset();
    ledger::GenesisSpec spec;
    spec.chain_id = kChain;
    spec.validators = set_of(0, 0, 4);
    spec.timestamp_ms = kGenesisMs;
    std::filesystem::create_directories(dir);
    auto kv = ledger::LevelDbKvStore::open((dir / "ledger").string());
    ASSERT_TRUE(kv) << kv.error().to_string();
    auto s = ledger::LedgerStore::open(std::move(kv).value(), spec);
    ASSERT_TRUE(s) << s.error().to_string();
    ledger = std::move(s).value();
    auto cs = ConsensusStore::open((dir / "consensus").string());
    ASSERT_TRUE(cs) << cs.error().to_string();
    records = std::move(cs).value();
    records->read_committed_from(ledger->kv());
    pipeline = std::make_unique<execution::Pipeline>(*ledger, executor);
  }

  execution::BuiltProposal build(const chain::BlockHeader& parent, std::uint64_t epoch,
                                 std::uint64_t round,
                                 const std::vector<chain::IdentifiedTransaction>& txs) {
    execution::BlockTemplate t;
    t.epoch = epoch;
    t.round = round;
    t.timestamp_ms = parent.timestamp_ms + 1000;
    t.proposer = validator_key(1).public_key();
    auto r = pipeline->build(parent, t, txs);
    EXPECT_TRUE(r && *r);
    return std::move(*r).value();
  }

  // Commits blocks with their QCs as the runtime does (records in the ledger's batch).
  core::Verdict commit(const std::vector<SyncedBlock>& blocks, const consensus::QuorumCert& cqc) {
    std::vector<execution::BlockToCommit> commits;
    ledger::WriteBatch host;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      CommittedQcs qcs{blocks[i].qc, i + 1 == blocks.size() ? std::optional{cqc} : std::nullopt};
      ConsensusStore::add_committed(host, blocks[i].header.height, qcs);
      commits.push_back({blocks[i].header, blocks[i].payload});
    }
    auto v = pipeline->commit(commits, cqc.certificate, &host);
    EXPECT_TRUE(v) << v.error().to_string();
    return *v;
  }
};

class EpochSync : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/bauhinia-epoch-sync-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    source_ = std::make_unique<Node>(dir_ / "source");
    follower_ = std::make_unique<Node>(dir_ / "follower");
    const auto genesis = source_->ledger->latest_header();

    // Epoch 0 (validators 0..3) ends with b1, which decides epoch 1's set
    // (validators 1..4); b2 and b3 are epoch 1's, certified by that set.
    auto b1 = source_->build(genesis, 0, 1, {govern(set1_)});
    ASSERT_TRUE(b1.header.ends_epoch());
    end_ = SyncedBlock{b1.header, b1.payload, qc_on(b1.header, 0, set0_, 0)};
    end_commit_ = commit_qc_of(b1.header, set0_, 0);
    ASSERT_TRUE(source_->commit({end_}, end_commit_));
    auto b2 = source_->build(b1.header, 1, 1, {});
    auto b3 = source_->build(b2.header, 1, 2, {});
    epoch1_ = {SyncedBlock{b2.header, b2.payload, qc_on(b2.header, 0, set1_, 1)},
               SyncedBlock{b3.header, b3.payload,
                           qc_on(b3.header, 1, set1_, 1,
                                 consensus::BlockRef{b2.header.id(), b2.header.height})}};
    epoch1_commit_ = commit_qc_of(b3.header, set1_, 1);
    ASSERT_TRUE(source_->commit(epoch1_, epoch1_commit_));
  }
  void TearDown() override {
    source_.reset();
    follower_.reset();
    std::filesystem::remove_all(dir_);
  }

  LedgerSyncResponse serve(std::uint64_t after) const {
    return build_ledger_sync_response(*source_->ledger, *source_->records,
                                      LedgerSyncRequest{after, kMaxSyncBlocksPerResponse},
                                      kMaxSyncResponseBytes);
  }

  std::filesystem::path dir_;
  const chain::ValidatorSet set0_ = set_of(0, 0, 4);
  const chain::ValidatorSet set1_ = set_of(1, 1, 4);
  std::unique_ptr<Node> source_;
  std::unique_ptr<Node> follower_;
  SyncedBlock end_;
  consensus::QuorumCert end_commit_;
  std::vector<SyncedBlock> epoch1_;
  consensus::QuorumCert epoch1_commit_;
};

TEST_F(EpochSync, AFollowerCatchesUpAcrossTheEpochChange) {
  // The server stops at the epoch's last block.
  LedgerSyncResponse first = serve(0);
  ASSERT_EQ(first.blocks.size(), 1U);
  EXPECT_EQ(first.blocks[0].header, end_.header);
  ASSERT_TRUE(first.commit_qc);
  ASSERT_TRUE(verify_sync_response(*follower_->ledger, first));
  ASSERT_TRUE(follower_->commit(first.blocks, *first.commit_qc));
  // The follower executed the ending block: its next set is the one the
  // certified header names, recorded by its own ledger.
  EXPECT_EQ(follower_->ledger->current_validator_set(), set1_);
  auto ctx = ledger_epoch_context(*follower_->ledger);
  ASSERT_TRUE(ctx) << ctx.error().to_string();
  EXPECT_EQ(ctx->epoch(), 1U);
  EXPECT_EQ(ctx->epoch_root_id, end_.header.id());
  EXPECT_EQ(ctx->epoch_root_height, 1U);

  // The next response is checked against epoch 1's set.
  LedgerSyncResponse second = serve(1);
  ASSERT_EQ(second.blocks.size(), 2U);
  ASSERT_TRUE(verify_sync_response(*follower_->ledger, second));
  ASSERT_TRUE(follower_->commit(second.blocks, *second.commit_qc));
  EXPECT_EQ(follower_->ledger->latest_header(), source_->ledger->latest_header());
  EXPECT_EQ(follower_->ledger->epoch_change_proof(0).value(),
            source_->ledger->epoch_change_proof(0).value());
}

TEST_F(EpochSync, AForgedEpochChangeIsRefused) {
  // A different ending block naming a set of the forger's choice, "certified"
  // by keys that are not epoch 0's validators: refused, nothing committed.
  const chain::ValidatorSet forged_set = set_of(1, 8, 4);
  chain::BlockHeader forged = end_.header;
  forged.next_validator_set_hash = forged_set.hash();
  const chain::ValidatorSet impostors = set_of(0, 8, 4);
  LedgerSyncResponse r;
  r.blocks = {SyncedBlock{forged, end_.payload, qc_on(forged, 0, impostors, 8)}};
  r.commit_qc = commit_qc_of(forged, impostors, 8);
  auto v = verify_sync_response(*follower_->ledger, r);
  ASSERT_FALSE(v);
  EXPECT_EQ(follower_->ledger->latest_height(), 0U);

  // The genuine ending block passes.
  LedgerSyncResponse honest;
  honest.blocks = {end_};
  honest.commit_qc = end_commit_;
  ASSERT_TRUE(verify_sync_response(*follower_->ledger, honest));

  // A run across the epoch end (epoch 1's blocks in the same response,
  // checked against epoch 0's set) is refused.
  LedgerSyncResponse across;
  across.blocks = {end_, epoch1_[0], epoch1_[1]};
  across.commit_qc = epoch1_commit_;
  auto a = verify_sync_response(*follower_->ledger, across);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.rejection().reason, core::Reject::kWrongEpoch);

  ASSERT_TRUE(follower_->commit(honest.blocks, *honest.commit_qc));
  // Epoch 1's blocks signed by a set the old quorum never certified (the
  // forger's four keys, as epoch 1): refused.
  std::vector<SyncedBlock> forged_run = epoch1_;
  forged_run[0].qc = qc_on(epoch1_[0].header, 0, forged_set, 8);
  forged_run[1].qc = qc_on(epoch1_[1].header, 1, forged_set, 8,
                           consensus::BlockRef{epoch1_[0].header.id(), epoch1_[0].header.height});
  LedgerSyncResponse f;
  f.blocks = forged_run;
  f.commit_qc = commit_qc_of(epoch1_[1].header, forged_set, 8);
  EXPECT_FALSE(verify_sync_response(*follower_->ledger, f));
  // Even epoch 0's genuine validators cannot certify epoch 1's blocks.
  const chain::ValidatorSet old_keys_as_epoch1 = set_of(1, 0, 4);
  LedgerSyncResponse g;
  g.blocks = epoch1_;
  g.blocks[0].qc = qc_on(epoch1_[0].header, 0, old_keys_as_epoch1, 0);
  g.blocks[1].qc = qc_on(epoch1_[1].header, 1, old_keys_as_epoch1, 0,
                         consensus::BlockRef{epoch1_[0].header.id(), epoch1_[0].header.height});
  g.commit_qc = commit_qc_of(epoch1_[1].header, old_keys_as_epoch1, 0);
  EXPECT_FALSE(verify_sync_response(*follower_->ledger, g));
  EXPECT_EQ(follower_->ledger->latest_height(), 1U);

  LedgerSyncResponse genuine;
  genuine.blocks = epoch1_;
  genuine.commit_qc = epoch1_commit_;
  EXPECT_TRUE(verify_sync_response(*follower_->ledger, genuine));
}

TEST_F(EpochSync, ARestartedNodeResumesInTheNewEpoch) {
  ASSERT_TRUE(follower_->commit({end_}, end_commit_));
  // Restart on the epoch root: the root QC of epoch 1, and epoch 0's commit
  // certificate kept for peers still in epoch 0.
  follower_->open(dir_ / "follower");
  auto r = recovery_from_ledger(*follower_->ledger, *follower_->records);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->epoch.epoch(), 1U);
  EXPECT_EQ(r->epoch.validators, set1_);
  EXPECT_EQ(r->root, end_.header);
  EXPECT_TRUE(r->root_qc.is_epoch_root());
  EXPECT_EQ(r->root_qc, consensus::QuorumCert::for_epoch_root(kChain, 1, end_.header));
  ASSERT_TRUE(r->commit_cert);
  EXPECT_EQ(*r->commit_cert, end_commit_);

  // Restart later in the epoch: the latest block's own QC.
  ASSERT_TRUE(follower_->commit(epoch1_, epoch1_commit_));
  follower_->open(dir_ / "follower");
  auto later = recovery_from_ledger(*follower_->ledger, *follower_->records);
  ASSERT_TRUE(later) << later.error().to_string();
  EXPECT_EQ(later->epoch.epoch(), 1U);
  EXPECT_EQ(later->epoch.epoch_root_id, end_.header.id());
  EXPECT_EQ(later->root_qc, epoch1_[1].qc);
  EXPECT_EQ(*later->commit_cert, epoch1_commit_);
}

TEST_F(EpochSync, APeerStuckInAnEarlierEpochLearnsHowFarToCatchUp) {
  consensus::SyncRequest req{0, core::Hash256{}, 1};
  auto a = answer_past_epoch(*source_->ledger, *source_->records, req, 1);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->epoch, 0U);
  EXPECT_TRUE(a->blocks.empty());
  ASSERT_TRUE(a->commit_cert);
  EXPECT_EQ(*a->commit_cert, end_commit_);  // commits the epoch's last block
  // Its own epoch, or a later one, is the replica's to answer.
  EXPECT_FALSE(answer_past_epoch(*source_->ledger, *source_->records,
                                 consensus::SyncRequest{1, core::Hash256{}, 1}, 1));
  EXPECT_FALSE(answer_past_epoch(*source_->ledger, *source_->records,
                                 consensus::SyncRequest{5, core::Hash256{}, 1}, 1));
}

TEST_F(EpochSync, ApplyingCommitsOnlyWhatExecutesToItsCertifiedHeaders) {
  const auto head = follower_->ledger->latest_header();
  // Nothing to do; then epoch 1's blocks before the follower has the end: stale.
  EXPECT_EQ(apply_sync_response(*follower_->pipeline, LedgerSyncResponse{}).outcome,
            SyncApplyOutcome::kEmpty);
  EXPECT_EQ(apply_sync_response(*follower_->pipeline, serve(1)).outcome, SyncApplyOutcome::kStale);
  // The ending block certified by impostors: refused with the check's reason.
  chain::BlockHeader forged = end_.header;
  forged.next_validator_set_hash = set_of(1, 8, 4).hash();
  const chain::ValidatorSet impostors = set_of(0, 8, 4);
  LedgerSyncResponse bad;
  bad.blocks = {SyncedBlock{forged, end_.payload, qc_on(forged, 0, impostors, 8)}};
  bad.commit_qc = commit_qc_of(forged, impostors, 8);
  const SyncApplyResult refused = apply_sync_response(*follower_->pipeline, bad);
  EXPECT_EQ(refused.outcome, SyncApplyOutcome::kRefused);
  EXPECT_FALSE(refused.reason.empty());
  EXPECT_TRUE(refused.blocks.empty());
  EXPECT_EQ(follower_->ledger->latest_header(), head);

  // The genuine end commits, with its records.
  const SyncApplyResult first = apply_sync_response(*follower_->pipeline, serve(0));
  ASSERT_EQ(first.outcome, SyncApplyOutcome::kCommitted) << first.reason;
  ASSERT_EQ(first.blocks.size(), 1U);
  EXPECT_EQ(follower_->ledger->latest_header(), end_.header);
  EXPECT_EQ(follower_->ledger->current_validator_set(), set1_);
  ASSERT_TRUE(follower_->records->committed(1));
  EXPECT_EQ(follower_->records->committed(1)->commit_qc, end_commit_);

  // Epoch 1's run certified by epoch 1's own validators, but its second block
  // names a state root execution does not produce: refused by re-execution,
  // and the first block (which executes fine) is not written either.
  std::vector<SyncedBlock> run = epoch1_;
  run[1].header.state_root.bytes()[0] ^= 1;
  run[1].qc = qc_on(run[1].header, 1, set1_, 1,
                    consensus::BlockRef{run[0].header.id(), run[0].header.height});
  LedgerSyncResponse wrong_root;
  wrong_root.blocks = run;
  wrong_root.commit_qc = commit_qc_of(run[1].header, set1_, 1);
  ASSERT_TRUE(verify_sync_response(*follower_->ledger, wrong_root));
  const SyncApplyResult disagrees = apply_sync_response(*follower_->pipeline, wrong_root);
  EXPECT_EQ(disagrees.outcome, SyncApplyOutcome::kDisagrees);
  EXPECT_FALSE(disagrees.reason.empty());
  EXPECT_EQ(follower_->ledger->latest_header(), end_.header);
  EXPECT_FALSE(follower_->ledger->header(2));
  EXPECT_FALSE(follower_->records->committed(2));
  EXPECT_EQ(follower_->pipeline->speculative_blocks(), 0U);

  // The genuine run commits: the follower is the source.
  const SyncApplyResult second = apply_sync_response(*follower_->pipeline, serve(1));
  ASSERT_EQ(second.outcome, SyncApplyOutcome::kCommitted) << second.reason;
  EXPECT_EQ(follower_->ledger->latest_header(), source_->ledger->latest_header());
  EXPECT_EQ(follower_->ledger->state_root(3).value(), source_->ledger->state_root(3).value());
}

}  // namespace
}  // namespace bauhinia::node
