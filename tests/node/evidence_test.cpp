// Equivocation evidence from the replica to the chain (node/evidence.hpp):
// the replica's Evidence effect for two conflicting votes (or proposals) one
// validator signed becomes a system.submit_evidence transaction signed by the
// node's account key; executed by the real modules over genesis state it is
// recorded once. Evidence whose second statement was not signed by the
// offender is refused by every replica (the module checks the signatures);
// messages that are not the offender's, or of another kind, never become a
// transaction. The node's account key is created once and kept.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/contracts/genesis.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/state_reader.hpp"
#include "bauhinia/node/evidence.hpp"

namespace bauhinia::node {
namespace {

constexpr const char* kChain = "bauhinia-evidence-test";
constexpr std::uint64_t kNowMs = 1767225600000ULL;

core::ed25519::SecretKey validator_key(int i) {
  std::array<std::uint8_t, 32> seed{};
  seed[0] = static_cast<std::uint8_t>(i + 1);
  seed[1] = 0xEE;
  return core::ed25519::SecretKey::from_seed(seed);
}

core::schnorr::SecretKey admin_key(int i) {
  std::array<std::uint8_t, 32> b{};
  b[0] = 0x44;
  b[31] = static_cast<std::uint8_t>(i + 1);
  return std::move(core::schnorr::SecretKey::from_bytes(b)).value();
}

consensus::Vote vote(int signer, std::uint64_t round, const core::Hash256& block) {
  consensus::Vote v;
  v.vote_data.epoch = 0;
  v.vote_data.round = round;
  v.vote_data.block_id = block;
  v.vote_data.height = 5;
  v.vote_data.parent_round = round - 1;
  v.vote_data.parent_id = core::sha256(core::as_bytes("parent"));
  v.ledger_info.chain_id = kChain;
  v.ledger_info.epoch = 0;
  v.ledger_info.round = round;
  v.ledger_info.consensus_data_hash = v.vote_data.hash();
  v.author = validator_key(signer).public_key();
  v.signature = validator_key(signer).sign(v.ledger_info.signing_hash().view());
  return v;
}

consensus::Evidence vote_evidence(const consensus::Vote& a, const consensus::Vote& b) {
  return consensus::Evidence{consensus::Evidence::Kind::kVote,
                             a.author,
                             a.epoch(),
                             a.round(),
                             consensus::encode_message(consensus::Message{a}),
                             consensus::encode_message(consensus::Message{b})};
}

struct Chain {
  contracts::ModuleSet modules;
  contracts::Executor executor;
  contracts::MemoryState state;
  std::uint64_t height = 1;

  Chain() {
    modules.register_with(executor);
    contracts::GenesisInput in;
    in.chain_id = kChain;
    in.timestamp_ms = kNowMs;
    for (int i = 0; i < 4; ++i) {
      in.validators.validators.push_back(
          {validator_key(i).public_key(), 1, "V" + std::to_string(i)});
    }
    const char* codes[] = {"IPD", "CR", "DH", "EPD", "OGCIO"};
    for (int i = 0; i < 5; ++i)
      in.departments.push_back({codes[i], codes[i], admin_key(i).public_key()});
    auto writes = contracts::genesis_writes(modules, in);
    EXPECT_TRUE(writes) << writes.error().to_string();
    state.apply(*writes);
  }

  // Executes one block of `tx`; its outcome and reason.
  std::pair<chain::TxOutcome, std::string> run(const chain::Transaction& tx) {
    const contracts::BlockContext ctx{kChain, height++, kNowMs + 1000, 0, 0};
    const std::vector<chain::IdentifiedTransaction> txs{chain::IdentifiedTransaction::of(tx)};
    auto r = executor.execute_block(ctx, txs, state);
    EXPECT_TRUE(r && *r);
    state.apply((*r)->writes);
    const auto& t = (*r)->transactions.at(0);
    return {t.info.outcome, t.reason};
  }
};

TEST(Evidence, TwoConflictingVotesAreRecordedOnceFromTheNodesAccount) {
  Chain chain;
  const auto first = vote(2, 7, core::sha256(core::as_bytes("block a")));
  const auto second = vote(2, 7, core::sha256(core::as_bytes("block b")));
  auto args = evidence_args(vote_evidence(first, second), kChain);
  ASSERT_TRUE(args) << args.error().to_string();
  EXPECT_EQ(args->offender, validator_key(2).public_key());
  EXPECT_EQ(args->first.statement, core::encode(first.ledger_info));
  EXPECT_EQ(args->second.signature, second.signature);

  const auto account = admin_key(9);  // a node account: no role needed
  auto tx = evidence_transaction(*args, account, kChain, 0, kNowMs + 3'600'000);
  EXPECT_EQ(tx.module, "system");
  EXPECT_EQ(tx.call, "submit_evidence");
  auto [outcome, reason] = chain.run(tx);
  ASSERT_EQ(outcome, chain::TxOutcome::kSuccess) << reason;
  auto key = chain::state_key(contracts::system::kModuleName,
                              contracts::system::evidence_key(
                                  contracts::system::EvidenceKind::kVote, args->offender, 0, 7));
  ASSERT_TRUE(key);
  auto record = chain.state.read(*key);
  ASSERT_TRUE(record && *record);
  auto decoded = core::decode<contracts::system::EvidenceRecord>(**record);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->submitter, core::account_id_of(account.public_key()));

  // The same evidence again (another node's submission): recorded once.
  auto again = evidence_transaction(*args, account, kChain, 1, kNowMs + 3'600'000);
  EXPECT_EQ(chain.run(again).second, "already_recorded");
}

TEST(Evidence, ForgedOrMismatchedEvidenceIsRefused) {
  Chain chain;
  const auto first = vote(1, 4, core::sha256(core::as_bytes("block a")));
  auto forged = vote(1, 4, core::sha256(core::as_bytes("block b")));
  forged.signature = validator_key(3).sign(forged.ledger_info.signing_hash().view());
  auto args = evidence_args(vote_evidence(first, forged), kChain);
  ASSERT_TRUE(args);  // the node does not judge; every replica does
  auto [outcome, reason] =
      chain.run(evidence_transaction(*args, admin_key(9), kChain, 0, kNowMs + 3'600'000));
  EXPECT_NE(outcome, chain::TxOutcome::kSuccess);
  EXPECT_EQ(reason, "bad_signature");

  // Messages of another validator than the offender, or of another kind.
  consensus::Evidence other = vote_evidence(first, vote(2, 4, core::sha256(core::as_bytes("c"))));
  EXPECT_FALSE(evidence_args(other, kChain));
  consensus::Evidence wrong_kind = vote_evidence(first, first);
  wrong_kind.kind = consensus::Evidence::Kind::kProposal;
  EXPECT_FALSE(evidence_args(wrong_kind, kChain));
  consensus::Evidence garbage = vote_evidence(first, first);
  garbage.second = core::Bytes{0xff, 0x00};
  EXPECT_FALSE(evidence_args(garbage, kChain));
}

TEST(Evidence, TheNodeAccountKeyIsCreatedOnceAndKept) {
  char tmpl[] = "/tmp/bauhinia-evidence-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::filesystem::path dir = tmpl;
  const auto path = dir / kNodeAccountKeyFileName;
  auto a = load_or_create_account_key(path);
  ASSERT_TRUE(a) << a.error().to_string();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  auto b = load_or_create_account_key(path);
  ASSERT_TRUE(b);
  EXPECT_EQ(a->public_key(), b->public_key());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bauhinia::node
