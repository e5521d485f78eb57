// The light client's trust anchor from genesis.json (lightclient/trust.hpp):
// the chain id, the genesis validator set and the genesis block id must be
// exactly those of a node started from the same file (node::genesis_spec and
// ledger::LedgerStore::open), including parameters and roles; a malformed
// file is refused with the field named.

#include <gtest/gtest.h>

#include "bauhinia/core/address.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/lightclient/trust.hpp"
#include "bauhinia/node/genesis.hpp"

namespace bauhinia::lightclient {
namespace {

node::Genesis sample(bool with_options) {
  node::Genesis g;
  g.chain_id = "bauhinia-verify-test-1";
  g.timestamp_ms = 1764201600000;
  for (int i = 0; i < 4; ++i) {
    std::array<std::uint8_t, 32> seed{};
    seed[0] = static_cast<std::uint8_t>(i + 1);
    auto key = core::ed25519::SecretKey::from_seed(seed);
    g.validators.validators.push_back(
        {key.public_key(), 1 + static_cast<std::uint64_t>(i % 2), node::kPilotDepartments[i].code});
  }
  for (int i = 0; i < 5; ++i) {
    std::array<std::uint8_t, 32> sk{};
    sk[31] = static_cast<std::uint8_t>(i + 1);
    auto key = core::schnorr::SecretKey::from_bytes(sk);
    g.departments.push_back(
        {node::kPilotDepartments[i].code, node::kPilotDepartments[i].name, key->public_key()});
  }
  if (with_options) {
    g.parameters["system.proposal_max_lifetime_ms"] = 7ULL * 24 * 3'600'000;
    std::array<std::uint8_t, 32> sk{};
    sk[31] = 0x42;
    g.roles.push_back(
        {"DH", "health.issuer",
         core::account_id_of(core::schnorr::SecretKey::from_bytes(sk)->public_key())});
  }
  return g;
}

// The genesis id of a ledger opened as the node opens it.
chain::BlockHeader node_genesis_header(const node::Genesis& g) {
  auto spec = node::genesis_spec(g);
  EXPECT_TRUE(spec.has_value());
  auto store = ledger::LedgerStore::open(std::make_unique<ledger::MemoryKvStore>(), *spec);
  EXPECT_TRUE(store.has_value());
  return *(*store)->header(0);
}

TEST(VerifyGenesis, DerivesTheNodesGenesisBlock) {
  for (bool with_options : {false, true}) {
    const node::Genesis g = sample(with_options);
    auto trust = trust_from_genesis_json(node::genesis_to_json(g));
    ASSERT_TRUE(trust.has_value()) << trust.error().to_string();
    EXPECT_EQ(trust->chain_id, g.chain_id);
    EXPECT_EQ(trust->genesis_validators, g.validators);
    const chain::BlockHeader header = node_genesis_header(g);
    EXPECT_EQ(trust->genesis_header, header);
    EXPECT_EQ(trust->genesis_id, header.id());
  }
}

TEST(VerifyGenesis, EveryFieldCountsInTheGenesisId) {
  auto base_trust = trust_from_genesis_json(node::genesis_to_json(sample(false)));
  ASSERT_TRUE(base_trust.has_value());
  const core::Hash256 base = base_trust->genesis_id;
  node::Genesis renamed = sample(false);
  renamed.departments[2].name = "Department of Wealth";
  node::Genesis later = sample(false);
  later.timestamp_ms += 1;
  node::Genesis with_options = sample(true);
  for (const node::Genesis& g : {renamed, later, with_options}) {
    auto trust = trust_from_genesis_json(node::genesis_to_json(g));
    ASSERT_TRUE(trust.has_value());
    EXPECT_NE(trust->genesis_id, base);
    EXPECT_EQ(trust->genesis_id, node_genesis_header(g).id());
  }
}

TEST(VerifyGenesis, StateRootOfRecordSets) {
  EXPECT_EQ(state_root_of({}), chain::state_placeholder_hash());
  const core::Hash256 k1 = core::sha256(core::as_bytes(std::string("one")));
  const core::Hash256 v1 = chain::state_value_hash(core::as_bytes(std::string("value")));
  EXPECT_EQ(state_root_of({{k1, v1}}), chain::state_leaf_hash(k1, v1));
  // Two keys differing first at bit 0.
  core::Hash256 left = k1;
  left.bytes()[0] &= 0x7F;
  core::Hash256 right = k1;
  right.bytes()[0] |= 0x80;
  EXPECT_EQ(state_root_of({{right, v1}, {left, v1}}),
            chain::state_internal_hash(chain::state_leaf_hash(left, v1),
                                       chain::state_leaf_hash(right, v1)));
}

TEST(VerifyGenesis, RefusesMalformedFilesNamingTheField) {
  const std::string good = node::genesis_to_json(sample(true));
  auto refused = [](const std::string& text, const std::string& field) {
    auto t = trust_from_genesis_json(text);
    ASSERT_FALSE(t.has_value()) << text;
    EXPECT_NE(t.error().detail.find(field), std::string::npos) << t.error().to_string();
  };
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
  };
  refused("", "not a JSON object");
  refused("[]", "not a JSON object");
  refused("{", "not a JSON object");
  refused(with("\"chain_id\"", "\"chain\""), "chain_id");
  refused(with("\"timestamp_ms\": 1764201600000", "\"timestamp_ms\": -1"), "timestamp_ms");
  refused(with("\"power\": 1", "\"power\": 0"), "genesis.validators");
  refused(with("\"key\": \"", "\"key\": \"zz"), "genesis.validators[0].key");
  refused(with("\"admin_key\": \"", "\"admin_key\": \"00"), "genesis.departments[0].admin_key");
  refused(with("system.proposal_max_lifetime_ms", "system.no_such_parameter"), "genesis records");
  refused(with("\"health.issuer\"", "\"no.such_role\""), "genesis records");
  refused(std::string(kMaxGenesisFileBytes + 1, ' '), "4 MiB");
  EXPECT_FALSE(load_trust("/nonexistent/genesis.json").has_value());
}

}  // namespace
}  // namespace bauhinia::lightclient
