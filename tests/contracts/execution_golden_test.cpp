// Golden vectors of execution: the bytes every validator must produce for a
// fixed block (account records, record keys, write sets, events, transaction
// infos, the transactions root). A change here is a fork between node
// versions: it must never happen silently.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/executor.hpp"

namespace bauhinia::contracts {
namespace {

core::schnorr::SecretKey secret(const char* hex) {
  return std::move(core::schnorr::SecretKey::from_bytes(core::from_hex(hex).value())).value();
}

std::array<std::uint8_t, 32> aux(std::uint8_t b) {
  std::array<std::uint8_t, 32> a{};
  a.fill(b);
  return a;
}

chain::IdentifiedTransaction signed_tx(const core::schnorr::SecretKey& signer,
                                       const core::AccountId& sender, std::uint64_t seq,
                                       std::string call, core::Bytes payload) {
  chain::Transaction tx;
  tx.chain_id = "bauhinia-test-1";
  tx.sender = sender;
  tx.public_key = signer.public_key();
  tx.sequence = seq;
  tx.expiry_ms = 1767225600000ULL;
  tx.module = "accounts";
  tx.call = std::move(call);
  tx.payload = std::move(payload);
  tx.sign(signer, aux(static_cast<std::uint8_t>(seq + 1)));
  return chain::IdentifiedTransaction::of(std::move(tx));
}

std::map<std::string, std::string> read_golden(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

TEST(ExecutionGolden, FixedBlockProducesFrozenBytes) {
  const auto first = secret("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef");
  const auto second = secret("c90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b14e5c9");
  const core::AccountId id = core::account_id_of(first.public_key());

  accounts::PingArgs hello;
  hello.memo = {'h', 'e', 'l', 'l', 'o'};
  accounts::RotateKeyArgs rotate;
  rotate.new_key = second.public_key();
  rotate.proof = second.sign(
      accounts::RotationChallenge{"bauhinia-test-1", id, 1, second.public_key()}.hash().bytes(),
      aux(0x77));
  core::Writer too_long;  // a memo one byte over the limit: a failed call
  too_long.bytes(core::Bytes(accounts::kMaxMemoSize + 1, 'x'));

  const std::vector<chain::IdentifiedTransaction> txs{
      signed_tx(first, id, 0, "ping", core::encode(hello)),
      signed_tx(first, id, 1, "rotate_key", core::encode(rotate)),
      signed_tx(second, id, 2, "ping", std::move(too_long).take()),
  };
  accounts::AccountsModule module;
  Executor executor;
  executor.add_module(module);
  MemoryState state;
  const BlockContext ctx{"bauhinia-test-1", 7, 1767225599000ULL, 1000};
  auto r = executor.execute_block(ctx, txs, state);
  ASSERT_TRUE(r && *r);
  const ExecutedBlock& b = **r;

  std::map<std::string, std::string> got;
  got["transactions_root"] = b.transactions_root.to_hex();
  got["block_writes"] = core::to_hex(encode_write_set(b.writes));
  for (std::size_t i = 0; i < b.transactions.size(); ++i) {
    const auto& t = b.transactions[i];
    const std::string p = "tx" + std::to_string(i) + ".";
    got[p + "id"] = t.id.to_hex();
    got[p + "info"] = core::to_hex(core::encode(t.info));
    got[p + "leaf_hash"] = t.info.leaf_hash().to_hex();
    got[p + "writes"] = core::to_hex(encode_write_set(t.writes));
    core::Writer ev;
    core::EncodeCodec c(ev);
    c.sequence(t.events, kMaxEventsPerTransaction, "events");
    got[p + "events"] = core::to_hex(ev.data());
  }
  const auto want =
      read_golden(std::string(BAUHINIA_SOURCE_DIR) + "/tests/contracts/golden/execution_v1.txt");
  std::ostringstream all;
  for (const auto& [k, v] : got) all << k << "=" << v << "\n";
  EXPECT_EQ(want.size(), got.size()) << "computed:\n" << all.str();
  for (const auto& [k, v] : got) {
    const auto it = want.find(k);
    ASSERT_NE(it, want.end()) << k << " missing; computed:\n" << all.str();
    EXPECT_EQ(it->second, v)
        << k << ": execution results must never change (a fork between node versions)";
  }
  EXPECT_EQ(b.transactions[0].info.outcome, chain::TxOutcome::kSuccess);
  EXPECT_EQ(b.transactions[1].info.outcome, chain::TxOutcome::kSuccess);
  EXPECT_EQ(b.transactions[2].info.outcome, chain::TxOutcome::kLimitExceeded);
}

}  // namespace
}  // namespace bauhinia::contracts
