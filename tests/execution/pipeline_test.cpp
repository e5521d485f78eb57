#include "bauhinia/execution/pipeline.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/execution/block_payload.hpp"

namespace bauhinia::execution {
namespace {

constexpr const char* kChain = "bauhinia-pipeline-test";
constexpr std::uint64_t kGenesisMs = 1764201600000;

core::ed25519::SecretKey validator_key(int i) {
  std::array<std::uint8_t, 32> seed{};
  seed[0] = static_cast<std::uint8_t>(i + 1);
  return core::ed25519::SecretKey::from_seed(seed);
}

core::schnorr::SecretKey account_key(int i) {
  std::array<std::uint8_t, 32> b{};
  b[31] = static_cast<std::uint8_t>(i + 1);
  b[0] = 0x11;
  return std::move(core::schnorr::SecretKey::from_bytes(b)).value();
}

chain::ValidatorSet validator_set() {
  chain::ValidatorSet set;
  for (int i = 0; i < 4; ++i) set.validators.push_back({validator_key(i).public_key(), 1, "V"});
  return set;
}

chain::IdentifiedTransaction ping(int account, std::uint64_t sequence, const std::string& memo) {
  const auto key = account_key(account);
  chain::Transaction tx;
  tx.chain_id = kChain;
  tx.public_key = key.public_key();
  tx.sender = core::account_id_of(key.public_key());
  tx.sequence = sequence;
  tx.expiry_ms = kGenesisMs + 3'600'000;
  tx.module = "accounts";
  tx.call = "ping";
  contracts::accounts::PingArgs args;
  args.memo.assign(memo.begin(), memo.end());
  tx.payload = core::encode(args);
  tx.sign(key);
  return chain::IdentifiedTransaction::of(std::move(tx));
}

// A commit certificate for `header`, signed by all four validators.
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

struct Node {
  contracts::accounts::AccountsModule accounts;
  contracts::Executor executor;
  std::unique_ptr<ledger::LedgerStore> store;
  std::unique_ptr<Pipeline> pipeline;

  explicit Node(PipelineCaches caches = {}) {
    executor.add_module(accounts);
    ledger::GenesisSpec spec;
    spec.chain_id = kChain;
    spec.validators = validator_set();
    spec.timestamp_ms = kGenesisMs;
    auto s = ledger::LedgerStore::open(std::make_unique<ledger::MemoryKvStore>(), spec);
    EXPECT_TRUE(s) << s.error().to_string();
    store = std::move(s).value();
    pipeline = std::make_unique<Pipeline>(*store, executor, caches);
  }

  BuiltProposal build(const chain::BlockHeader& parent, std::uint64_t round,
                      const std::vector<chain::IdentifiedTransaction>& txs) {
    BlockTemplate t;
    t.round = round;
    t.timestamp_ms = parent.timestamp_ms + 1000;
    t.proposer = validator_key(0).public_key();
    auto r = pipeline->build(parent, t, txs);
    EXPECT_TRUE(r) << r.error().to_string();
    EXPECT_TRUE(*r) << r->error().to_string();
    return std::move(*r).value();
  }
};

TEST(Pipeline, VotersReachTheLeadersHeaderAndCommit) {
  Node leader;
  Node voter;
  const auto genesis = leader.store->latest_header();
  ASSERT_EQ(genesis, voter.store->latest_header());

  auto b1 = leader.build(genesis, 1, {ping(1, 0, "a"), ping(2, 0, "b")});
  EXPECT_EQ(b1.included.size(), 2U);
  EXPECT_EQ(b1.header.height, 1U);
  EXPECT_EQ(b1.header.accumulator_size, 2U);
  EXPECT_NE(b1.header.state_root, genesis.state_root);
  auto executed = voter.pipeline->execute(b1.header, b1.payload);
  ASSERT_TRUE(executed && *executed);
  EXPECT_EQ(**executed, b1.header);

  // A child of the uncommitted block sees its writes (sequence 1 is next).
  auto b2 = leader.build(b1.header, 2, {ping(1, 1, "c")});
  EXPECT_EQ(b2.included.size(), 1U);
  EXPECT_EQ(b2.header.accumulator_size, 3U);
  auto executed2 = voter.pipeline->execute(b2.header, b2.payload);
  ASSERT_TRUE(executed2 && *executed2);
  EXPECT_EQ(**executed2, b2.header);

  const std::vector<BlockToCommit> blocks{{b1.header, b1.payload}, {b2.header, b2.payload}};
  for (Node* n : {&leader, &voter}) {
    auto v = n->pipeline->commit(blocks, certify(b2.header));
    ASSERT_TRUE(v) << v.error().to_string();
    ASSERT_TRUE(*v) << v->rejection().to_string();
    EXPECT_EQ(n->store->latest_height(), 2U);
    EXPECT_EQ(n->store->latest_header(), b2.header);
    EXPECT_EQ(n->pipeline->speculative_blocks(), 0U);
  }
  const auto& committed = leader.pipeline->last_committed();
  EXPECT_EQ(committed.ids.size(), 3U);
  const auto sender1 = core::account_id_of(account_key(1).public_key());
  const auto next1 = std::find_if(committed.next_sequences.begin(), committed.next_sequences.end(),
                                  [&](const auto& p) { return p.first == sender1; });
  ASSERT_NE(next1, committed.next_sequences.end());
  EXPECT_EQ(next1->second, 2U);
  EXPECT_EQ(committed.next_sequences.size(), 2U);  // each sender once
  EXPECT_TRUE(std::is_sorted(committed.next_sequences.begin(), committed.next_sequences.end()));
}

TEST(Pipeline, SiblingsDoNotSeeEachOther) {
  Node n;
  const auto genesis = n.store->latest_header();
  auto a = n.build(genesis, 1, {ping(1, 0, "a")});
  auto b = n.build(genesis, 2, {ping(1, 0, "b")});  // same sequence: valid on its own branch
  EXPECT_EQ(b.included.size(), 1U);
  EXPECT_NE(a.header.id(), b.header.id());
  EXPECT_EQ(a.header.accumulator_size, b.header.accumulator_size);
}

TEST(Pipeline, CachesFollowTheCommittedBranchOnly) {
  // The leader's caches (record values at the committed height, state-tree
  // nodes of committed versions) see sibling branches executed and dropped;
  // a voter without caches must reach the same headers.
  Node leader;
  PipelineCaches none;
  none.node_cache = false;
  none.value_cache_bytes = 0;
  Node voter(none);
  const auto genesis = leader.store->latest_header();
  auto commit = [](Node& n, const BuiltProposal& b) {
    auto v =
        n.pipeline->commit(std::vector<BlockToCommit>{{b.header, b.payload}}, certify(b.header));
    ASSERT_TRUE(v) << v.error().to_string();
    ASSERT_TRUE(*v) << v->rejection().to_string();
  };
  auto agree = [&](const BuiltProposal& b) {
    auto h = voter.pipeline->execute(b.header, b.payload);
    ASSERT_TRUE(h && *h);
    EXPECT_EQ(**h, b.header);
  };

  std::uint64_t round = 1;
  chain::BlockHeader parent = genesis;
  std::uint64_t next1 = 0;  // next sequences of accounts 1 and 2 on the committed chain
  std::uint64_t next2 = 0;
  for (int i = 0; i < 4; ++i) {
    // A sibling that writes the same records differently (and creates
    // account 3), never committed.
    auto dropped =
        leader.build(parent, round++, {ping(1, next1, "dropped"), ping(3, 0, "dropped")});
    ASSERT_EQ(dropped.included.size(), 2U);
    // Account 3 does not exist on this branch: its sequence 1 is left out.
    auto kept = leader.build(parent, round++,
                             {ping(1, next1, "kept"), ping(2, next2, "kept"), ping(3, 1, "gap")});
    ASSERT_EQ(kept.included.size(), 2U);
    agree(kept);
    // A child of the kept block, built and executed before the commit.
    auto child = leader.build(kept.header, round++, {ping(1, next1 + 1, "child")});
    ASSERT_EQ(child.included.size(), 1U);
    agree(child);
    commit(leader, kept);
    commit(voter, kept);
    commit(leader, child);
    commit(voter, child);
    next1 += 2;
    next2 += 1;
    parent = child.header;
  }
  EXPECT_EQ(leader.store->latest_header(), voter.store->latest_header());
  EXPECT_GT(leader.pipeline->node_cache_stats().hits, 0U);
  EXPECT_EQ(voter.pipeline->node_cache_stats().hits, 0U);
}

TEST(Pipeline, LeavesOutInvalidCandidatesAndRejectsInvalidProposals) {
  Node n;
  const auto genesis = n.store->latest_header();
  auto stale = ping(1, 5, "gap");  // sequence 5 for a new account
  auto built = n.build(genesis, 1, {ping(1, 0, "ok"), stale});
  EXPECT_EQ(built.included.size(), 1U);
  ASSERT_EQ(built.invalid.size(), 1U);
  EXPECT_EQ(built.invalid[0].first, stale.id);

  Node voter;
  // A payload that does not decode.
  auto garbage = voter.pipeline->execute(built.header, core::Bytes{0x05, 0x01});
  ASSERT_TRUE(garbage);
  EXPECT_FALSE(*garbage);
  // A payload with the invalid transaction.
  auto bad = voter.pipeline->execute(built.header, encode_payload({stale}));
  ASSERT_TRUE(bad);
  EXPECT_FALSE(*bad);
  // An unknown parent.
  chain::BlockHeader orphan = built.header;
  orphan.parent_hash = core::sha256(core::as_bytes("nobody"));
  auto o = voter.pipeline->execute(orphan, built.payload);
  ASSERT_TRUE(o);
  EXPECT_FALSE(*o);
  // A proposal whose roots lie executes to a different header (the caller does not vote).
  chain::BlockHeader lying = built.header;
  lying.state_root = core::sha256(core::as_bytes("lie"));
  auto l = voter.pipeline->execute(lying, built.payload);
  ASSERT_TRUE(l && *l);
  EXPECT_NE(**l, lying);
  EXPECT_EQ(**l, built.header);
}

TEST(Pipeline, CommitsBlocksItNeverExecutedAndRefusesWrongOnes) {
  Node leader;
  Node late;  // saw nothing: executes at commit time (after a restart or from sync)
  const auto genesis = leader.store->latest_header();
  auto b1 = leader.build(genesis, 1, {ping(3, 0, "x")});
  chain::BlockHeader wrong = b1.header;
  wrong.timestamp_ms += 1;  // certified header that this payload does not produce
  wrong.state_root = core::sha256(core::as_bytes("x"));
  const std::vector<BlockToCommit> bad{{wrong, b1.payload}};
  auto r = late.pipeline->commit(bad, certify(wrong));
  ASSERT_TRUE(r);
  EXPECT_FALSE(*r);
  EXPECT_EQ(late.store->latest_height(), 0U);

  const std::vector<BlockToCommit> good{{b1.header, b1.payload}};
  auto ok = late.pipeline->commit(good, certify(b1.header));
  ASSERT_TRUE(ok);
  ASSERT_TRUE(*ok) << ok->rejection().to_string();
  EXPECT_EQ(late.store->latest_header(), b1.header);
}

TEST(Pipeline, EmptyBlocksAndReconfigurationSuffix) {
  Node n;
  const auto genesis = n.store->latest_header();
  BlockTemplate t;
  t.round = 1;
  t.timestamp_ms = genesis.timestamp_ms + 1;
  t.reconfiguration_suffix = true;
  auto r =
      n.pipeline->build(genesis, t, std::vector<chain::IdentifiedTransaction>{ping(1, 0, "x")});
  ASSERT_TRUE(r && *r);
  EXPECT_TRUE((*r)->included.empty());
  EXPECT_EQ((*r)->header.state_root, genesis.state_root);
  EXPECT_EQ((*r)->header.accumulator_root, genesis.accumulator_root);
  Node voter;
  auto e = voter.pipeline->execute((*r)->header, encode_payload({ping(1, 0, "x")}), true);
  ASSERT_TRUE(e);
  EXPECT_FALSE(*e);
}

// The executed-block cache answers for a header AND the payload that produced
// it: the same header with another payload is executed again (and is not the
// header), never served from the cache, and cannot be committed.
TEST(PipelineCache, TheSameHeaderWithAnotherPayloadIsNotServedFromTheCache) {
  Node leader;
  Node voter;
  const auto genesis = leader.store->latest_header();
  auto b1 = leader.build(genesis, 1, {ping(1, 0, "a")});
  auto b2 = leader.build(b1.header, 2, {ping(2, 0, "b")});
  auto h1 = voter.pipeline->execute(b1.header, b1.payload);
  ASSERT_TRUE(h1 && *h1);
  ASSERT_EQ(**h1, b1.header);
  ASSERT_EQ(voter.pipeline->speculative_blocks(), 1U);

  // Another valid payload: it executes to another header (the caller does not vote).
  const core::Bytes other = encode_payload({ping(3, 0, "other")});
  auto o = voter.pipeline->execute(b1.header, other);
  ASSERT_TRUE(o);
  ASSERT_TRUE(*o) << o->error().to_string();
  EXPECT_NE(**o, b1.header);
  // A payload that does not decode, and the empty payload: rejected or another header.
  auto garbage = voter.pipeline->execute(b1.header, core::Bytes{0x05, 0x01});
  ASSERT_TRUE(garbage);
  EXPECT_FALSE(*garbage);
  auto empty = voter.pipeline->execute(b1.header, core::Bytes{});
  ASSERT_TRUE(empty);
  ASSERT_TRUE(*empty);
  EXPECT_NE(**empty, b1.header);
  EXPECT_EQ(voter.pipeline->speculative_blocks(), 1U);  // none of them was kept

  // Committing the header with the other payload is refused and writes nothing,
  // also when it comes after a block that does execute (as from a bad sync
  // response); the genuine chain then commits.
  auto bad =
      voter.pipeline->commit(std::vector<BlockToCommit>{{b1.header, other}}, certify(b1.header));
  ASSERT_TRUE(bad) << bad.error().to_string();
  EXPECT_FALSE(*bad);
  EXPECT_EQ(voter.store->latest_height(), 0U);
  auto bad2 = voter.pipeline->commit(
      std::vector<BlockToCommit>{{b1.header, b1.payload}, {b2.header, other}}, certify(b2.header));
  ASSERT_TRUE(bad2) << bad2.error().to_string();
  EXPECT_FALSE(*bad2);
  EXPECT_EQ(voter.store->latest_height(), 0U);
  auto good = voter.pipeline->commit(
      std::vector<BlockToCommit>{{b1.header, b1.payload}, {b2.header, b2.payload}},
      certify(b2.header));
  ASSERT_TRUE(good) << good.error().to_string();
  ASSERT_TRUE(*good) << good->rejection().to_string();
  EXPECT_EQ(voter.store->latest_header(), b2.header);
}

// An execution that does not reproduce the proposed header is not kept: its
// header is one nobody proposed, so no child can build on it.
TEST(PipelineCache, AMismatchingExecutionIsNotCached) {
  Node leader;
  Node voter;
  const auto genesis = leader.store->latest_header();
  auto b1 = leader.build(genesis, 1, {ping(1, 0, "a")});
  auto child = leader.build(b1.header, 2, {ping(1, 1, "b")});
  chain::BlockHeader lying = b1.header;
  lying.state_root = core::sha256(core::as_bytes("lie"));
  auto l = voter.pipeline->execute(lying, b1.payload);
  ASSERT_TRUE(l && *l);
  EXPECT_EQ(**l, b1.header);
  EXPECT_EQ(voter.pipeline->speculative_blocks(), 0U);
  auto orphan = voter.pipeline->execute(child.header, child.payload);
  ASSERT_TRUE(orphan);
  EXPECT_FALSE(*orphan);  // its parent was never executed as proposed here
  // Once the real parent is executed, the child executes.
  auto h1 = voter.pipeline->execute(b1.header, b1.payload);
  ASSERT_TRUE(h1 && *h1);
  auto h2 = voter.pipeline->execute(child.header, child.payload);
  ASSERT_TRUE(h2 && *h2);
  EXPECT_EQ(**h2, child.header);
  EXPECT_EQ(voter.pipeline->speculative_blocks(), 2U);
}

// Past the cache limit only blocks nothing descends from are dropped: a chain
// of uncommitted blocks longer than the limit keeps every ancestor, so it
// extends and commits.
TEST(PipelineCache, AChainLongerThanTheLimitKeepsItsUncommittedAncestors) {
  Node leader;
  Node voter;
  const auto genesis = leader.store->latest_header();
  std::vector<BuiltProposal> chain_blocks;
  // The first block writes account 1, which the last one reads (sequence 1).
  chain_blocks.push_back(leader.build(genesis, 1, {ping(1, 0, "root")}));
  while (chain_blocks.size() < kMaxSpeculativeBlocks + 8) {
    const auto& parent = chain_blocks.back().header;
    chain_blocks.push_back(leader.build(parent, parent.round + 1, {}));
  }
  for (const auto& b : chain_blocks) {
    auto h = voter.pipeline->execute(b.header, b.payload);
    ASSERT_TRUE(h && *h) << "height " << b.header.height;
    ASSERT_EQ(**h, b.header);
  }
  EXPECT_EQ(voter.pipeline->speculative_blocks(), chain_blocks.size());
  const auto& tip = chain_blocks.back().header;
  auto last = leader.build(tip, tip.round + 1, {ping(1, 1, "tip")});
  ASSERT_EQ(last.included.size(), 1U);  // it saw the first block's write
  auto h = voter.pipeline->execute(last.header, last.payload);
  ASSERT_TRUE(h);
  ASSERT_TRUE(*h) << h->error().to_string();
  ASSERT_EQ(**h, last.header);
  chain_blocks.push_back(std::move(last));

  // Committed in two certified parts (a commit holds at most 1,024 blocks).
  std::vector<BlockToCommit> blocks;
  for (const auto& b : chain_blocks) blocks.push_back({b.header, b.payload});
  const std::size_t half = blocks.size() / 2;
  const std::vector<BlockToCommit> first(blocks.begin(), blocks.begin() + half);
  const std::vector<BlockToCommit> second(blocks.begin() + half, blocks.end());
  for (Node* n : {&leader, &voter}) {
    for (const auto* part : {&first, &second}) {
      auto v = n->pipeline->commit(*part, certify(part->back().header));
      ASSERT_TRUE(v) << v.error().to_string();
      ASSERT_TRUE(*v) << v->rejection().to_string();
      EXPECT_EQ(n->store->latest_header(), part->back().header);
    }
    EXPECT_EQ(n->pipeline->speculative_blocks(), 0U);
  }
}

// Stale forks are what the limit drops: blocks nothing descends from, the
// lowest first, never an ancestor of a pending block.
TEST(PipelineCache, PastTheLimitStaleForksAreDroppedNotAncestors) {
  Node n;
  const auto genesis = n.store->latest_header();
  auto a1 = n.build(genesis, 1, {ping(1, 0, "a1")});
  auto a2 = n.build(a1.header, 2, {ping(1, 1, "a2")});
  auto a3 = n.build(a2.header, 3, {ping(1, 2, "a3")});
  std::uint64_t round = 4;
  for (std::size_t i = 0; i < kMaxSpeculativeBlocks + 8; ++i) {
    n.build(a1.header, round++, {});  // empty siblings of a2
  }
  EXPECT_EQ(n.pipeline->speculative_blocks(), kMaxSpeculativeBlocks);
  auto a4 = n.build(a3.header, round++, {ping(1, 3, "a4")});
  EXPECT_EQ(a4.included.size(), 1U);
  auto v = n.pipeline->commit(std::vector<BlockToCommit>{{a1.header, a1.payload},
                                                         {a2.header, a2.payload},
                                                         {a3.header, a3.payload},
                                                         {a4.header, a4.payload}},
                              certify(a4.header));
  ASSERT_TRUE(v) << v.error().to_string();
  ASSERT_TRUE(*v) << v->rejection().to_string();
  EXPECT_EQ(n.store->latest_header(), a4.header);
}

}  // namespace
}  // namespace bauhinia::execution

namespace bauhinia::execution {
namespace {

TEST(BlockPayload, NoTransactionsIsTheEmptyPayloadOnly) {
  EXPECT_TRUE(encode_payload({}).empty());
  auto empty = decode_payload({});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  auto explicit_zero = decode_payload(core::Bytes{0x00});
  ASSERT_FALSE(explicit_zero);
  EXPECT_EQ(explicit_zero.error().reason, core::Reject::kNonCanonical);
  const auto tx = ping(1, 0, "p");
  auto back = decode_payload(encode_payload({tx}));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 1U);
  EXPECT_EQ((*back)[0].id, tx.id);
}

}  // namespace
}  // namespace bauhinia::execution
