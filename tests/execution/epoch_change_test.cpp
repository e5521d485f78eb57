// The pipeline's epoch rule (docs/consensus.md, "Epoch changes"): a block that
// writes a governed validator set of the next epoch ends its epoch; its
// reconfiguration suffix is empty and ends nothing; a set of any other epoch
// ends nothing; leader and voters compute the same; the ledger records the
// new epoch and its change proof verifies from the genesis set.
//
// The GovernedValidatorSet record is written by a test module registered as
// "system" (the real system module writes it from governance proposals): it
// exercises the pipeline's rule on its own.

#include <gtest/gtest.h>

#include "bauhinia/chain/epoch_proof.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "bauhinia/execution/pipeline.hpp"

namespace bauhinia::execution {
namespace {

constexpr const char* kChain = "bauhinia-epoch-test";
constexpr std::uint64_t kGenesisMs = 1764201600000;

core::ed25519::SecretKey validator_key(int i) {
  std::array<std::uint8_t, 32> seed{};
  seed[0] = static_cast<std::uint8_t>(i + 1);
  seed[1] = 0xE0;
  return core::ed25519::SecretKey::from_seed(seed);
}

core::schnorr::SecretKey account_key(int i) {
  std::array<std::uint8_t, 32> b{};
  b[31] = static_cast<std::uint8_t>(i + 1);
  b[0] = 0x22;
  return std::move(core::schnorr::SecretKey::from_bytes(b)).value();
}

// Validators `first`..`first + count - 1` as the set of `epoch`.
chain::ValidatorSet set_of(std::uint64_t epoch, int first, int count) {
  chain::ValidatorSet set;
  set.epoch = epoch;
  for (int i = first; i < first + count; ++i) {
    set.validators.push_back({validator_key(i).public_key(), 1, "V" + std::to_string(i)});
  }
  return set;
}

// Test-only "system" module: call "set" stores its payload (an encoded
// GovernedValidatorSet) as the governed set, as governance would.
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

chain::IdentifiedTransaction transaction(int account, std::uint64_t sequence, std::string module,
                                         std::string call, core::Bytes payload) {
  const auto key = account_key(account);
  chain::Transaction tx;
  tx.chain_id = kChain;
  tx.public_key = key.public_key();
  tx.sender = core::account_id_of(key.public_key());
  tx.sequence = sequence;
  tx.expiry_ms = kGenesisMs + 3'600'000;
  tx.module = std::move(module);
  tx.call = std::move(call);
  tx.payload = std::move(payload);
  tx.sign(key);
  return chain::IdentifiedTransaction::of(std::move(tx));
}

chain::IdentifiedTransaction ping(int account, std::uint64_t sequence) {
  contracts::accounts::PingArgs args;
  args.memo = core::Bytes{'m'};
  return transaction(account, sequence, "accounts", "ping", core::encode(args));
}

chain::IdentifiedTransaction govern(int account, std::uint64_t sequence,
                                    const chain::ValidatorSet& set) {
  contracts::system::GovernedValidatorSet record;
  record.set = set;
  record.changed_height = 1;
  return transaction(account, sequence, "system", "set", core::encode(record));
}

// A commit certificate of `header` signed by every member of `set`
// (validators `first`.. in set order).
chain::QuorumCertificate certify(const chain::BlockHeader& header, const chain::ValidatorSet& set,
                                 int first) {
  chain::LedgerInfo li;
  li.chain_id = kChain;
  li.epoch = header.epoch;
  li.round = header.round + 1;
  li.commit_block = header.id();
  li.commit_height = header.height;
  li.consensus_data_hash = core::sha256(core::as_bytes("vote data"));
  std::vector<chain::IndexedSignature> votes;
  for (std::size_t i = 0; i < set.validators.size(); ++i) {
    votes.emplace_back(i,
                       validator_key(first + static_cast<int>(i)).sign(li.signing_hash().view()));
  }
  auto qc = chain::build_quorum_certificate(li, set, votes);
  EXPECT_TRUE(qc) << qc.error().to_string();
  return *qc;
}

struct Node {
  contracts::accounts::AccountsModule accounts;
  GovernedSetWriter system;
  contracts::Executor executor;
  std::unique_ptr<ledger::LedgerStore> store;
  std::unique_ptr<Pipeline> pipeline;

  Node() {
    executor.add_module(accounts);
    executor.add_module(system);
    ledger::GenesisSpec spec;
    spec.chain_id = kChain;
    spec.validators = set_of(0, 0, 4);
    spec.timestamp_ms = kGenesisMs;
    auto s = ledger::LedgerStore::open(std::make_unique<ledger::MemoryKvStore>(), spec);
    EXPECT_TRUE(s) << s.error().to_string();
    store = std::move(s).value();
    pipeline = std::make_unique<Pipeline>(*store, executor);
  }

  BuiltProposal build(const chain::BlockHeader& parent, std::uint64_t epoch, std::uint64_t round,
                      const std::vector<chain::IdentifiedTransaction>& txs,
                      bool suffix_flag = false) {
    BlockTemplate t;
    t.epoch = epoch;
    t.round = round;
    t.timestamp_ms = parent.timestamp_ms + 1000;
    t.proposer = validator_key(0).public_key();
    t.reconfiguration_suffix = suffix_flag;
    auto r = pipeline->build(parent, t, txs);
    EXPECT_TRUE(r) << r.error().to_string();
    EXPECT_TRUE(*r) << r->error().to_string();
    return std::move(*r).value();
  }

  void commit(const std::vector<BlockToCommit>& blocks, const chain::QuorumCertificate& qc) {
    auto v = pipeline->commit(blocks, qc);
    ASSERT_TRUE(v) << v.error().to_string();
    ASSERT_TRUE(*v) << v->rejection().to_string();
  }
};

TEST(EpochChange, ABlockWritingTheNextEpochsSetEndsTheEpoch) {
  Node leader;
  Node voter;
  const auto genesis = leader.store->latest_header();
  const chain::ValidatorSet genesis_set = set_of(0, 0, 4);
  const chain::ValidatorSet next = set_of(1, 1, 4);  // drops V0, adds V4

  auto b1 = leader.build(genesis, 0, 1, {ping(1, 0)});
  EXPECT_FALSE(b1.header.ends_epoch());
  EXPECT_FALSE(b1.next_validator_set);
  EXPECT_EQ(b1.header.validator_set_hash, genesis_set.hash());

  auto b2 = leader.build(b1.header, 0, 2, {ping(1, 1), govern(2, 0, next)});
  ASSERT_EQ(b2.included.size(), 2U);
  EXPECT_TRUE(b2.header.ends_epoch());
  EXPECT_EQ(b2.header.validator_set_hash, genesis_set.hash());
  EXPECT_EQ(b2.header.next_validator_set_hash, next.hash());
  ASSERT_TRUE(b2.next_validator_set);
  EXPECT_EQ(*b2.next_validator_set, next);
  EXPECT_EQ(leader.pipeline->next_validator_set(b2.header.id()), next);

  // A voter computes the same header and the same next set from the payload alone.
  for (const auto& b : {b1, b2}) {
    auto e = voter.pipeline->execute(b.header, b.payload);
    ASSERT_TRUE(e && *e);
    EXPECT_EQ(**e, b.header);
  }
  EXPECT_EQ(voter.pipeline->next_validator_set(b2.header.id()), next);
  EXPECT_FALSE(voter.pipeline->next_validator_set(b1.header.id()));

  // Committed (the epoch's last block with its own certificate): the ledger
  // is in epoch 1 and proves the change from the genesis set.
  const std::vector<BlockToCommit> blocks{{b1.header, b1.payload}, {b2.header, b2.payload}};
  for (Node* n : {&leader, &voter}) {
    n->commit(blocks, certify(b2.header, genesis_set, 0));
    EXPECT_EQ(n->store->current_validator_set(), next);
    auto rec = n->store->epoch(1);
    ASSERT_TRUE(rec) << rec.error().to_string();
    EXPECT_EQ(rec->first_height, 3U);
    auto proof = n->store->epoch_change_proof(0);
    ASSERT_TRUE(proof) << proof.error().to_string();
    auto reached = chain::verify_epoch_changes(genesis_set, *proof, kChain);
    ASSERT_TRUE(reached) << reached.error().to_string();
    EXPECT_EQ(*reached, next);
  }

  // The first block of epoch 1 is certified by the new set, on both nodes.
  auto b3 = leader.build(b2.header, 1, 1, {ping(1, 2)});
  EXPECT_EQ(b3.header.epoch, 1U);
  EXPECT_EQ(b3.header.validator_set_hash, next.hash());
  EXPECT_FALSE(b3.header.ends_epoch());  // the set is of epoch 1 now: nothing more to change
  auto e3 = voter.pipeline->execute(b3.header, b3.payload);
  ASSERT_TRUE(e3 && *e3);
  EXPECT_EQ(**e3, b3.header);
  for (Node* n : {&leader, &voter}) {
    n->commit({{b3.header, b3.payload}}, certify(b3.header, next, 1));
    EXPECT_EQ(n->store->latest_header(), b3.header);
  }
  // Epoch 0's validators cannot certify an epoch-1 block (a forged set of
  // epoch 1 holding their keys is not the set the ledger recorded).
  auto b4 = leader.build(b3.header, 1, 2, {});
  const std::vector<BlockToCommit> b4s{{b4.header, b4.payload}};
  auto stale = voter.pipeline->commit(b4s, certify(b4.header, set_of(1, 0, 4), 0));
  ASSERT_TRUE(stale);
  EXPECT_FALSE(*stale);
}

TEST(EpochChange, TheReconfigurationSuffixIsEmptyAndEndsNothing) {
  Node leader;
  Node voter;
  const auto genesis = leader.store->latest_header();
  const chain::ValidatorSet genesis_set = set_of(0, 0, 4);
  const chain::ValidatorSet next = set_of(1, 0, 5);
  auto end = leader.build(genesis, 0, 1, {govern(1, 0, next)});
  ASSERT_TRUE(end.header.ends_epoch());
  auto e = voter.pipeline->execute(end.header, end.payload);
  ASSERT_TRUE(e && *e);

  // Built without the consensus flag: the pipeline derives the suffix from
  // the state (the next set is decided) and leaves the candidates out.
  auto s1 = leader.build(end.header, 0, 2, {ping(1, 1), ping(2, 0)});
  EXPECT_TRUE(s1.included.empty());
  EXPECT_TRUE(s1.payload.empty());
  EXPECT_FALSE(s1.header.ends_epoch());
  EXPECT_FALSE(s1.next_validator_set);
  EXPECT_EQ(s1.header.validator_set_hash, genesis_set.hash());
  EXPECT_EQ(s1.header.state_root, end.header.state_root);
  EXPECT_EQ(s1.header.accumulator_size, end.header.accumulator_size);
  // A suffix of the suffix: the same.
  auto s2 = leader.build(s1.header, 0, 3, {ping(2, 0)}, /*suffix_flag=*/true);
  EXPECT_TRUE(s2.included.empty());
  EXPECT_FALSE(s2.header.ends_epoch());
  for (const auto& b : {s1, s2}) {
    auto x = voter.pipeline->execute(b.header, b.payload, true);
    ASSERT_TRUE(x && *x);
    EXPECT_EQ(**x, b.header);
  }
  // A suffix block with transactions is refused even when consensus did not
  // flag it (the state says the epoch has ended).
  chain::BlockHeader with_txs = s1.header;
  with_txs.round = 4;
  auto bad = voter.pipeline->execute(with_txs, encode_payload({ping(2, 0)}));
  ASSERT_TRUE(bad);
  EXPECT_FALSE(*bad);

  // The epoch's commit certificate commits the ending block (consensus
  // commits the end block, never its suffix): the ledger follows.
  voter.commit({{end.header, end.payload}}, certify(end.header, genesis_set, 0));
  EXPECT_EQ(voter.store->current_validator_set(), next);
}

TEST(EpochChange, ASetOfAnyOtherEpochEndsNothing) {
  Node leader;
  Node voter;
  const auto genesis = leader.store->latest_header();
  const chain::ValidatorSet genesis_set = set_of(0, 0, 4);
  // The current epoch's set rewritten, and a set two epochs ahead.
  for (const auto& set : {set_of(0, 1, 4), set_of(2, 1, 4)}) {
    auto b = leader.build(genesis, 0, 1, {govern(1, 0, set)});
    ASSERT_EQ(b.included.size(), 1U);
    EXPECT_FALSE(b.header.ends_epoch());
    EXPECT_EQ(b.header.validator_set_hash, genesis_set.hash());
    EXPECT_FALSE(b.next_validator_set);
    auto e = voter.pipeline->execute(b.header, b.payload);
    ASSERT_TRUE(e && *e);
    EXPECT_EQ(**e, b.header);
    // A header that claims the change anyway is not what a voter computes.
    chain::BlockHeader claimed = b.header;
    claimed.next_validator_set_hash = set.hash();
    auto c = voter.pipeline->execute(claimed, b.payload);
    ASSERT_TRUE(c && *c);
    EXPECT_NE(**c, claimed);
  }
}

TEST(EpochChange, AnInvalidNextSetAndAWrongEpochAreRefused) {
  Node leader;
  const auto genesis = leader.store->latest_header();
  chain::ValidatorSet empty;
  empty.epoch = 1;  // of the next epoch, but no members
  BlockTemplate t;
  t.round = 1;
  t.timestamp_ms = genesis.timestamp_ms + 1000;
  t.proposer = validator_key(0).public_key();
  auto r = leader.pipeline->build(genesis, t, std::vector{govern(1, 0, empty)});
  ASSERT_TRUE(r);
  EXPECT_FALSE(*r);

  // An epoch-1 block on a parent that did not end epoch 0.
  t.epoch = 1;
  auto wrong = leader.pipeline->build(genesis, t, std::vector{ping(1, 0)});
  ASSERT_TRUE(wrong);
  ASSERT_FALSE(*wrong);
  EXPECT_EQ(wrong->error().reason, core::Reject::kWrongEpoch);
}

}  // namespace
}  // namespace bauhinia::execution
