// The API's endpoints over real sockets, a real ledger (blocks executed by the
// real Executor, certified with real Ed25519 signatures) and a real mempool.
// Every proof served is checked with the light client's entry points
// (chain/light_client.hpp), from the hex of the canonical encodings, the way
// an independent client (the wallet, the explorer) does.

#include <gtest/gtest.h>

#include <set>

#include "api_test_support.hpp"
#include "bauhinia/chain/epoch_proof.hpp"
#include "bauhinia/chain/light_client.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/chain/state_proof.hpp"

namespace bauhinia::apitest {
namespace {

// A "certified" object decoded from its hex fields alone (the JSON copies
// are never trusted). Genesis has no certificate (left empty).
chain::CertifiedHeader certified_of(const json& certified) {
  EXPECT_TRUE(certified.is_object()) << certified.dump();
  chain::CertifiedHeader c;
  c.header = decode_hex<chain::BlockHeader>(certified["header_hex"]);
  for (const auto& hex : certified["descendant_headers_hex"]) {
    c.descendants.push_back(decode_hex<chain::BlockHeader>(hex));
  }
  if (c.header.height > 0) {
    c.commit_certificate =
        decode_hex<chain::QuorumCertificate>(certified["commit_certificate_hex"]);
  }
  return c;
}

// The validator set a light client trusts for the certified header's epoch
// (from the epoch change proofs; here the test's own copy, never one the
// server sent).
chain::ValidatorSet trusted_set(const chain::CertifiedHeader& c) {
  return validator_set(c.certified().epoch);
}

// The genesis id a client trusts (from the chain's configuration): every
// TestNode of this process starts from the same genesis.
core::Hash256 genesis_id() {
  static const core::Hash256 id = TestNode().ledger().genesis_id();
  return id;
}

// Checks a "certified" object as a light client does, with
// chain::verify_certified_header (genesis: its id), and that the JSON copies
// agree with the hex.
chain::BlockHeader check_certified(const json& certified) {
  const chain::CertifiedHeader c = certified_of(certified);
  const chain::BlockHeader& header = c.header;
  EXPECT_EQ(header.id(), hash_hex(certified["block_id"]));
  EXPECT_EQ(certified["height"], header.height);
  EXPECT_EQ(certified["header"]["id"], header.id().to_hex());
  EXPECT_EQ(certified["header"]["state_root"], header.state_root.to_hex());
  if (header.height == 0) {
    EXPECT_TRUE(certified["commit_certificate"].is_null());
    EXPECT_EQ(header.id(), genesis_id());
    return header;
  }
  EXPECT_EQ(certified["certified_height"], c.certified().height);
  const auto v = chain::verify_certified_header(c, trusted_set(c), kChainId);
  EXPECT_TRUE(v.ok()) << v.rejection().to_string();
  EXPECT_EQ(certified["commit_certificate"]["ledger_info"]["signing_hash"],
            c.commit_certificate.ledger_info.signing_hash().to_hex());
  return header;
}

// A transaction proof response as a light client checks it: every check of
// chain::verify_transaction, for the transaction asked for.
core::Verdict verify_transaction_response(const json& p, const core::Hash256& id) {
  const chain::CertifiedHeader c = certified_of(p["certified"]);
  const auto info = decode_hex<chain::TransactionInfo>(p["leaf_hex"]);
  const auto proof = decode_hex<chain::InclusionProof>(p["proof_hex"]);
  if (c.header.height == 0) {
    if (c.header.id() != genesis_id()) return core::reject(core::Reject::kBadProof, "genesis");
    return chain::verify_transaction(c.header, id, info, proof);
  }
  return chain::verify_transaction(c, trusted_set(c), kChainId, id, info, proof);
}

// A state record response (or a contract query's) as a light client checks
// it: every check of chain::verify_state_record, for the record asked for.
core::Verdict verify_record_response(const json& r, std::string_view module,
                                     core::ByteView record_key) {
  const chain::CertifiedHeader c = certified_of(r["certified"]);
  const auto proof = decode_hex<chain::SparseMerkleProof>(r["proof_hex"]);
  std::optional<core::Bytes> value;
  if (!r["value_hex"].is_null()) value = *core::from_hex(r["value_hex"].get<std::string>());
  std::optional<core::ByteView> view;
  if (value) view = core::ByteView(*value);
  if (c.header.height == 0) {
    if (c.header.id() != genesis_id()) return core::reject(core::Reject::kBadProof, "genesis");
    return chain::verify_state_record(c.header, module, record_key, view, proof);
  }
  return chain::verify_state_record(c, trusted_set(c), kChainId, module, record_key, view, proof);
}

class ApiServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { fixture_ = new ApiFixture(); }
  static void TearDownTestSuite() {
    delete fixture_;
    fixture_ = nullptr;
  }
  ApiFixture& f() { return *fixture_; }

  static ApiFixture* fixture_;
};

ApiFixture* ApiServerTest::fixture_ = nullptr;

TEST_F(ApiServerTest, HealthzAndStatus) {
  const json health = f().get_json("/healthz");
  EXPECT_EQ(health["status"], "ok");
  EXPECT_EQ(health["height"], TestNode::kBlocks);

  const json s = f().get_json("/v1/status");
  const chain::BlockHeader latest = f().node().ledger().latest_header();
  EXPECT_EQ(s["chain_id"], kChainId);
  EXPECT_EQ(s["genesis_id"], f().node().ledger().genesis_id().to_hex());
  EXPECT_EQ(s["node_name"], "api-test-node");
  EXPECT_EQ(s["role"], "observer");
  EXPECT_EQ(s["height"], TestNode::kBlocks);
  EXPECT_EQ(s["latest_block_id"], latest.id().to_hex());
  EXPECT_EQ(s["state_root"], latest.state_root.to_hex());
  EXPECT_EQ(s["accumulator_size"], 6);
  EXPECT_EQ(s["epoch"], 1);
  EXPECT_EQ(s["round"], latest.round);
  EXPECT_EQ(s["syncing"], false);
  EXPECT_EQ(s["peer_count"], 3);
}

TEST_F(ApiServerTest, ResponsesAreJsonWithHeaders) {
  auto r = f().get("/v1/status");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->headers["content-type"], "application/json");
  EXPECT_EQ(r->headers["content-length"], std::to_string(r->body.size()));
  EXPECT_TRUE(r->keep_alive);
}

TEST_F(ApiServerTest, LedgerInfoIsTheLatestCertifiedHeader) {
  const json li = f().get_json("/v1/ledger-info");
  EXPECT_EQ(li["chain_id"], kChainId);
  const chain::BlockHeader h = check_certified(li["certified"]);
  EXPECT_EQ(h, f().node().ledger().latest_header());
}

TEST_F(ApiServerTest, BlocksByHeightAndLatest) {
  for (std::uint64_t height = 0; height <= TestNode::kBlocks; ++height) {
    SCOPED_TRACE(height);
    const json b = f().get_json("/v1/blocks/" + std::to_string(height));
    const chain::BlockHeader h = check_certified(b);
    EXPECT_EQ(h, *f().node().ledger().header(height));
    // The listed ids are the block's transactions, whose root the header names.
    std::vector<core::Hash256> ids;
    for (const auto& id : b["transaction_ids"]) ids.push_back(hash_hex(id));
    EXPECT_EQ(b["transaction_count"], ids.size());
    EXPECT_EQ(b["transaction_ids_truncated"], false);
    EXPECT_EQ(chain::transactions_root_of(ids), h.transactions_root);
  }
  const json latest = f().get_json("/v1/blocks/latest");
  EXPECT_EQ(latest["height"], TestNode::kBlocks);
  EXPECT_EQ(latest["block_id"], f().node().ledger().latest_header().id().to_hex());
}

TEST_F(ApiServerTest, CommittedTransactionWithOutcome) {
  const chain::Transaction tx = ping(1, 1, "second", f().node().expiry_ms());
  const json t = f().get_json("/v1/transactions/" + tx.id().to_hex());
  EXPECT_EQ(t["status"], "committed");
  EXPECT_EQ(t["height"], 2);
  EXPECT_EQ(t["index"], 2);
  EXPECT_EQ(t["outcome"], "success");
  EXPECT_EQ(t["transaction_hex"], core::to_hex(tx.encoded()));
  EXPECT_EQ(t["transaction"]["call"], "ping");
  EXPECT_EQ(t["transaction"]["sequence"], 1);
  const auto info = decode_hex<chain::TransactionInfo>(t["info_hex"]);
  EXPECT_EQ(info.transaction_id, tx.id());
  EXPECT_EQ(info.version, 2u);
}

TEST_F(ApiServerTest, AccumulatorLeavesRebuildTheCertifiedRoot) {
  const json page = f().get_json("/v1/accumulator/leaves?from=0&count=1000");
  const chain::BlockHeader latest = f().node().ledger().latest_header();
  EXPECT_EQ(page["accumulator_size"], latest.accumulator_size);
  ASSERT_EQ(page["leaves"].size(), latest.accumulator_size);
  std::vector<core::Hash256> leaf_hashes;
  for (std::size_t i = 0; i < page["leaves"].size(); ++i) {
    const json& leaf = page["leaves"][i];
    EXPECT_EQ(leaf["index"], i);
    const auto bytes = core::from_hex(leaf["leaf_hex"].get<std::string>());
    ASSERT_TRUE(bytes);
    const auto info = core::decode<chain::TransactionInfo>(*bytes);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->version, i);
    leaf_hashes.push_back(chain::merkle::leaf_hash(*bytes));
    EXPECT_EQ(leaf["leaf_hash"], leaf_hashes.back().to_hex());
  }
  // Recomputed from the served bytes alone, the root is the certified one.
  EXPECT_EQ(chain::merkle::root(leaf_hashes), latest.accumulator_root);
  EXPECT_TRUE(page["next_from"].is_null());

  const json part = f().get_json("/v1/accumulator/leaves?from=4&count=1");
  ASSERT_EQ(part["leaves"].size(), 1u);
  EXPECT_EQ(part["leaves"][0]["index"], 4);
  EXPECT_EQ(part["next_from"], 5);
  const json end = f().get_json("/v1/accumulator/leaves?from=6");
  EXPECT_TRUE(end["leaves"].empty());
}

TEST_F(ApiServerTest, TransactionInclusionProofVerifies) {
  const chain::Transaction tx = ping(2, 0, "hello", f().node().expiry_ms());
  for (const std::string query : {"", "?height=1", "?height=3", "?height=4"}) {
    SCOPED_TRACE(query);
    const json p = f().get_json("/v1/proofs/transaction/" + tx.id().to_hex() + query);
    const chain::BlockHeader header = check_certified(p["certified"]);
    const auto bytes = core::from_hex(p["transaction_hex"].get<std::string>());
    ASSERT_TRUE(bytes);
    // The transaction is the one asked for, its info names it, and the info
    // is the leaf at its version of the accumulator the certified header
    // commits to (of exactly the header's size).
    EXPECT_EQ(core::tagged_hash(core::HashTag::kTransactionId, *bytes), tx.id());
    const auto v = verify_transaction_response(p, tx.id());
    EXPECT_TRUE(v.ok()) << v.rejection().to_string();
    const auto info = decode_hex<chain::TransactionInfo>(p["leaf_hex"]);
    EXPECT_EQ(info.outcome, chain::TxOutcome::kSuccess);
    // Hostile variants of the response do not verify: a forged outcome,
    // another transaction's id, the proof relabelled with another tree size
    // or leaf index.
    const chain::CertifiedHeader c = certified_of(p["certified"]);
    const auto proof = decode_hex<chain::InclusionProof>(p["proof_hex"]);
    auto check = [&](const chain::TransactionInfo& i, const chain::InclusionProof& pr,
                     const core::Hash256& id) {
      return chain::verify_transaction(c, trusted_set(c), kChainId, id, i, pr);
    };
    chain::TransactionInfo forged = info;
    forged.outcome = chain::TxOutcome::kUnauthorized;
    EXPECT_FALSE(check(forged, proof, tx.id()));
    EXPECT_FALSE(check(info, proof, ping(2, 1, "other", f().node().expiry_ms()).id()));
    chain::InclusionProof resized = proof;
    resized.tree_size = header.accumulator_size - 1;
    EXPECT_FALSE(check(info, resized, tx.id()));
    chain::InclusionProof moved = proof;
    moved.leaf_index = info.version + 1;
    EXPECT_FALSE(check(info, moved, tx.id()));
  }
  // Committed in block 1: not in the accumulator of genesis.
  auto before = f().get("/v1/proofs/transaction/" + tx.id().to_hex() + "?height=0");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 404u);
  EXPECT_EQ(before->error_code(), "not_committed");
}

TEST_F(ApiServerTest, ConsistencyProofVerifies) {
  const json p = f().get_json("/v1/proofs/consistency?from=2");
  const chain::BlockHeader latest = check_certified(p["certified"]);
  const auto proof = decode_hex<chain::ConsistencyProof>(p["proof_hex"]);
  EXPECT_EQ(proof.first, 2u);
  EXPECT_EQ(proof.second, latest.accumulator_size);
  // The older root is the one block 1 certified (its accumulator had 2 leaves).
  const chain::BlockHeader block1 = *f().node().ledger().header(1);
  EXPECT_EQ(block1.accumulator_size, 2u);
  EXPECT_EQ(hash_hex(p["first_root"]), block1.accumulator_root);
  EXPECT_EQ(hash_hex(p["second_root"]), latest.accumulator_root);
  EXPECT_TRUE(
      chain::verify_consistency(proof, block1.accumulator_root, latest.accumulator_root).ok());

  const json q = f().get_json("/v1/proofs/consistency?from=3&to=5");
  EXPECT_TRUE(q["certified"].is_null());
  EXPECT_TRUE(chain::verify_consistency(decode_hex<chain::ConsistencyProof>(q["proof_hex"]),
                                        hash_hex(q["first_root"]), hash_hex(q["second_root"]))
                  .ok());
}

TEST_F(ApiServerTest, StateRecordWithProofAtEveryHeight) {
  const core::AccountId account = account_of(1);
  const core::Bytes key = contracts::accounts::account_record_key(account);
  const core::Hash256 state_key = *chain::state_key("accounts", key);
  for (std::uint64_t height = 0; height <= TestNode::kBlocks; ++height) {
    SCOPED_TRACE(height);
    const json r = f().get_json("/v1/state/accounts/" + core::to_hex(key) +
                                "?height=" + std::to_string(height));
    const chain::BlockHeader header = check_certified(r["certified"]);
    EXPECT_EQ(hash_hex(r["state_key"]), state_key);
    const auto proof = decode_hex<chain::SparseMerkleProof>(r["proof_hex"]);
    std::optional<core::Bytes> value;
    if (!r["value_hex"].is_null()) value = *core::from_hex(r["value_hex"].get<std::string>());
    const auto v = verify_record_response(r, "accounts", key);
    EXPECT_TRUE(v.ok()) << v.rejection().to_string();
    // User 1 pinged at heights 1, 2 and 4: its next sequence follows.
    if (height == 0) {
      EXPECT_FALSE(value.has_value());  // a proof of absence
    } else {
      ASSERT_TRUE(value);
      const auto record = core::decode<contracts::accounts::AccountRecord>(*value);
      ASSERT_TRUE(record);
      EXPECT_EQ(record->next_sequence, height == 1 ? 1u : height < 4 ? 2u : 3u);
      // The same response does not verify for another account's record.
      EXPECT_FALSE(verify_record_response(r, "accounts",
                                          contracts::accounts::account_record_key(account_of(2))));
      // Another value does not verify against the same proof.
      core::Bytes other = *value;
      other.back() ^= 1;
      EXPECT_FALSE(chain::verify_state_record(header, "accounts", key,
                                              std::optional<core::ByteView>(other), proof)
                       .ok());
    }
  }
}

TEST_F(ApiServerTest, RecordHistory) {
  const core::Bytes key = contracts::accounts::account_record_key(account_of(1));
  const json h = f().get_json("/v1/state/accounts/" + core::to_hex(key) + "/history");
  ASSERT_EQ(h["versions"].size(), 3u);
  std::vector<std::uint64_t> versions;
  for (const auto& v : h["versions"]) {
    versions.push_back(v["version"].get<std::uint64_t>());
    EXPECT_EQ(v["deleted"], false);
    // The hash is the value's at that version.
    const auto value = f().node().ledger().state_value(hash_hex(h["state_key"]), versions.back());
    ASSERT_TRUE(value && value->has_value());
    EXPECT_EQ(v["value_hash"], chain::state_value_hash(**value).to_hex());
  }
  EXPECT_EQ(versions, (std::vector<std::uint64_t>{1, 2, 4}));
  EXPECT_TRUE(h["next_from"].is_null());

  const json page =
      f().get_json("/v1/state/accounts/" + core::to_hex(key) + "/history?from=2&limit=1");
  ASSERT_EQ(page["versions"].size(), 1u);
  EXPECT_EQ(page["versions"][0]["version"], 2);
  EXPECT_EQ(page["next_from"], 3);
}

TEST_F(ApiServerTest, ValidatorsAndEpochChangeProof) {
  const json v = f().get_json("/v1/validators");
  EXPECT_EQ(v["epoch"], 1);
  EXPECT_EQ(v["first_height"], TestNode::kEpochEndHeight + 1);
  EXPECT_EQ(decode_hex<chain::ValidatorSet>(v["validator_set_hex"]), validator_set(1));
  EXPECT_EQ(v["validator_set"]["hash"], validator_set(1).hash().to_hex());
  EXPECT_EQ(v["validator_set"]["validators"][0]["name"], "IPD");
  const json v0 = f().get_json("/v1/validators?epoch=0");
  EXPECT_EQ(decode_hex<chain::ValidatorSet>(v0["validator_set_hex"]), validator_set(0));

  // A light client that trusts only the genesis set reaches epoch 1's set.
  const json p = f().get_json("/v1/epochs/proof?from=0");
  EXPECT_EQ(p["from_epoch"], 0);
  EXPECT_EQ(p["to_epoch"], 1);
  EXPECT_EQ(p["more"], false);
  ASSERT_EQ(p["changes"].size(), 1u);
  const auto proof = decode_hex<chain::EpochChangeProof>(p["proof_hex"]);
  const auto reached = chain::verify_epoch_changes(validator_set(0), proof, kChainId);
  ASSERT_TRUE(reached);
  EXPECT_EQ(*reached, validator_set(1));
  EXPECT_EQ(p["changes"][0]["header"]["height"], TestNode::kEpochEndHeight);
  // The same proof checked against another chain id fails.
  EXPECT_FALSE(chain::verify_epoch_changes(validator_set(0), proof, "another-chain"));
  const json none = f().get_json("/v1/epochs/proof?from=1");
  EXPECT_TRUE(none["changes"].empty());
}

TEST_F(ApiServerTest, ContractQueryWithProof) {
  const core::AccountId account = account_of(2);
  const json q = f().get_json("/v1/query/accounts/account/" + account.to_hex());
  EXPECT_EQ(q["path"], "accounts/account/" + account.to_hex());
  EXPECT_EQ(q["module"], "accounts");
  const chain::BlockHeader header = check_certified(q["certified"]);
  EXPECT_EQ(header.height, TestNode::kBlocks);
  const core::Bytes value = *core::from_hex(q["value_hex"].get<std::string>());
  const auto record = core::decode<contracts::accounts::AccountRecord>(value);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->next_sequence, 2u);
  EXPECT_EQ(record->key, user_key(2).public_key());
  const core::Bytes record_key = contracts::accounts::account_record_key(account);
  EXPECT_EQ(hash_hex(q["state_key"]), *chain::state_key("accounts", record_key));
  const auto v = verify_record_response(q, "accounts", record_key);
  EXPECT_TRUE(v.ok()) << v.rejection().to_string();

  // The latest ping of user 2, and an account that does not exist (absence proven).
  const json pq = f().get_json("/v1/query/accounts/ping/" + account.to_hex());
  const auto ping_record = core::decode<contracts::accounts::PingRecord>(
      *core::from_hex(pq["value_hex"].get<std::string>()));
  ASSERT_TRUE(ping_record);
  EXPECT_EQ(ping_record->count, 2u);
  const json absent = f().get_json("/v1/query/accounts/account/" + account_of(99).to_hex());
  EXPECT_TRUE(absent["value_hex"].is_null());
  check_certified(absent["certified"]);
  EXPECT_TRUE(verify_record_response(absent, "accounts",
                                     contracts::accounts::account_record_key(account_of(99))));

  auto unknown = f().get("/v1/query/trademark/mark/1");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404u);
  EXPECT_EQ(unknown->error_code(), "unknown_module");
  auto bad = f().get("/v1/query/accounts/nothing/xyz");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400u);
}

TEST_F(ApiServerTest, PathSegmentsArePercentDecoded) {
  // A query path may carry names with spaces or Chinese characters, escaped.
  const std::string hex = account_of(2).to_hex();
  std::string escaped;
  for (char c : hex) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    const auto b = static_cast<unsigned char>(c);
    escaped += '%';
    escaped += kDigits[b >> 4];
    escaped += kDigits[b & 15];
  }
  const json plain = f().get_json("/v1/query/accounts/account/" + hex);
  const json decoded = f().get_json("/v1/query/accounts/account/" + escaped);
  EXPECT_EQ(decoded["value_hex"], plain["value_hex"]);
  EXPECT_EQ(decoded["path"], plain["path"]);
  // A decoded '/' stays inside its segment: no route matches.
  auto slash = f().get("/v1/query%2Faccounts");
  ASSERT_TRUE(slash);
  EXPECT_EQ(slash->status, 404u);
  for (const char* bad : {"/v1/query/accounts/account/%G1", "/v1/query/accounts/account/%4",
                          "/v1/query/accounts/account/abc%", "/v1/status%00"}) {
    auto r = f().get(bad);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400u) << bad;
  }
}

TEST_F(ApiServerTest, SubmitTransactionAsJsonThenPending) {
  mempool::Mempool& pool = f().node().mempool();
  const std::size_t before = pool.size();
  const chain::Transaction tx = ping(7, 0, "via json", now_ms() + 600'000);
  auto r =
      f().post("/v1/transactions", json{{"transaction_hex", core::to_hex(tx.encoded())}}.dump(),
               "application/json; charset=utf-8");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202u) << r->body;
  EXPECT_EQ(r->body_json()["id"], tx.id().to_hex());
  EXPECT_EQ(r->body_json()["status"], "pending");
  EXPECT_EQ(pool.size(), before + 1);
  EXPECT_TRUE(pool.contains(tx.id()));

  const json status = f().get_json("/v1/transactions/" + tx.id().to_hex());
  EXPECT_EQ(status["status"], "pending");
  // Resubmitting is idempotent; the mempool does not grow.
  const core::Bytes bytes = tx.encoded();
  auto again = f().post("/v1/transactions", std::string(bytes.begin(), bytes.end()),
                        "application/octet-stream");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 202u);
  EXPECT_EQ(pool.size(), before + 1);
  // Not committed yet: no inclusion proof.
  auto proof = f().get("/v1/proofs/transaction/" + tx.id().to_hex());
  ASSERT_TRUE(proof);
  EXPECT_EQ(proof->status, 404u);
  EXPECT_EQ(proof->error_code(), "not_committed");
  EXPECT_EQ(f().get_json("/v1/status")["mempool_size"], before + 1);
}

TEST_F(ApiServerTest, DryRunExecutesWithoutAdmittingOrCommitting) {
  mempool::Mempool& pool = f().node().mempool();
  const std::size_t before = pool.size();
  const std::uint64_t height = f().node().ledger().latest_height();
  const chain::Transaction tx = ping(9, 0, "dry", now_ms() + 600'000);
  auto r =
      f().post("/v1/transactions/dry-run",
               json{{"transaction_hex", core::to_hex(tx.encoded())}}.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200u) << r->body;
  const json ok = r->body_json();
  EXPECT_EQ(ok["id"], tx.id().to_hex());
  EXPECT_EQ(ok["would_commit"], true);
  EXPECT_EQ(ok["outcome"], "success");
  EXPECT_TRUE(ok["reason"].is_null());
  EXPECT_EQ(ok["writes"].size(), 2u);  // the new account and its ping record
  EXPECT_EQ(ok["events"].size(), 2u);  // account_created, ping

  // A call the module refuses: the typed reason and message, nothing changed.
  chain::Transaction bad = tx;
  bad.call = "rotate_key";
  bad.payload = core::Bytes(96, 0);
  bad.sign(user_key(9));
  const core::Bytes raw = bad.encoded();
  auto refused = f().post("/v1/transactions/dry-run", std::string(raw.begin(), raw.end()),
                          "application/octet-stream");
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->status, 200u) << refused->body;
  EXPECT_EQ(refused->body_json()["outcome"], "invalid_argument");
  EXPECT_EQ(refused->body_json()["reason"], "invalid_argument");
  EXPECT_FALSE(refused->body_json()["detail"].get<std::string>().empty());

  // An envelope no block may carry (another chain).
  chain::Transaction other = tx;
  other.chain_id = "another-chain";
  other.sign(user_key(9));
  auto wrong =
      f().post("/v1/transactions/dry-run",
               json{{"transaction_hex", core::to_hex(other.encoded())}}.dump(), "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->body_json()["would_commit"], false);
  EXPECT_EQ(wrong->body_json()["envelope_error"], "wrong_chain");

  // Garbage and GET are refused.
  auto garbage = f().post("/v1/transactions/dry-run", "\x01\x02", "application/octet-stream");
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400u);
  auto get = f().get("/v1/transactions/dry-run");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405u);

  EXPECT_EQ(pool.size(), before);
  EXPECT_FALSE(pool.contains(tx.id()));
  EXPECT_EQ(f().node().ledger().latest_height(), height);
}

TEST_F(ApiServerTest, SubmitRawBytes) {
  const chain::Transaction tx = ping(8, 0, "raw", now_ms() + 600'000);
  const core::Bytes bytes = tx.encoded();
  auto r = f().post("/v1/transactions", std::string(bytes.begin(), bytes.end()),
                    "application/octet-stream");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202u) << r->body;
  EXPECT_EQ(r->body_json()["id"], tx.id().to_hex());
  EXPECT_TRUE(f().node().mempool().contains(tx.id()));
}

TEST_F(ApiServerTest, ResubmittingACommittedTransactionReportsIt) {
  const chain::Transaction tx = ping(3, 0, "new epoch", f().node().expiry_ms());
  const std::size_t before = f().node().mempool().size();
  auto r =
      f().post("/v1/transactions", json{{"transaction_hex", core::to_hex(tx.encoded())}}.dump(),
               "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body_json()["status"], "committed");
  EXPECT_EQ(r->body_json()["height"], 3);
  EXPECT_EQ(f().node().mempool().size(), before);
}

TEST_F(ApiServerTest, KeepAliveAndPipelining) {
  HttpClient client(f().port());
  for (int i = 0; i < 5; ++i) {
    auto r = client.request("GET", "/v1/blocks/" + std::to_string(i % 5));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200u);
  }
  // Three requests in one write: three answers, in order.
  ASSERT_TRUE(
      client.send_raw("GET /v1/blocks/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /v1/nothing HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /v1/blocks/2 HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto a = client.read_response();
  auto b = client.read_response();
  auto c = client.read_response();
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->body_json()["height"], 1);
  EXPECT_EQ(b->status, 404u);
  EXPECT_EQ(c->body_json()["height"], 2);
  // HTTP/1.0 without keep-alive: one answer, then the server closes.
  HttpClient old(f().port());
  ASSERT_TRUE(old.send_raw("GET /healthz HTTP/1.0\r\n\r\n"));
  auto r = old.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_TRUE(old.closed_by_server());
}

TEST_F(ApiServerTest, ConcurrentClients) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      HttpClient client(f().port());
      for (int i = 0; i < 10; ++i) {
        auto r = client.request("GET", "/v1/blocks/" + std::to_string((t + i) % 5));
        if (r && r->status == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 40);
}

TEST_F(ApiServerTest, Metrics) {
  ASSERT_TRUE(f().get("/v1/status"));
  ASSERT_TRUE(f().get("/v1/no-such-thing"));
  auto r = f().get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  const std::string& m = r->body;
  EXPECT_NE(m.find("# TYPE bauhinia_ledger_height gauge\nbauhinia_ledger_height 4\n"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("\nbauhinia_transactions_committed_total 6\n"), std::string::npos) << m;
  EXPECT_NE(m.find("\nbauhinia_mempool_transactions "), std::string::npos) << m;
  EXPECT_NE(m.find("bauhinia_api_requests_total{code=\"200\"} "), std::string::npos) << m;
  EXPECT_NE(m.find("bauhinia_api_requests_total{code=\"404\"} "), std::string::npos) << m;
  EXPECT_NE(m.find("\nbauhinia_api_connections "), std::string::npos) << m;

  // The runtime adds its own.
  ASSERT_TRUE(f().server()
                  .metrics()
                  .add_value(node::MetricType::kGauge, "bauhinia_consensus_round", "Current round",
                             [] { return 42.0; })
                  .ok());
  auto again = f().get("/metrics");
  ASSERT_TRUE(again);
  EXPECT_NE(again->body.find("\nbauhinia_consensus_round 42\n"), std::string::npos);
}

TEST(ApiServerLevelDb, ServesALevelDbLedger) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("bauhinia-api-test-" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(dir);
  {
    auto kv = ledger::LevelDbKvStore::open(dir);
    ASSERT_TRUE(kv) << kv.error().to_string();
    ApiFixture fixture(ApiFixture::test_config(), std::move(kv).value());
    const json b = fixture.get_json("/v1/blocks/latest");
    EXPECT_EQ(b["height"], TestNode::kBlocks);
    const json s =
        fixture.get_json("/v1/state/accounts/" +
                         core::to_hex(contracts::accounts::account_record_key(account_of(3))));
    EXPECT_FALSE(s["value_hex"].is_null());
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bauhinia::apitest

namespace bauhinia::apitest {
namespace {

// Consensus commits a chain of blocks with one certificate (of the last):
// an earlier block of it is certified through its descendants' headers.
TEST(ApiServerMultiBlockCommit, BlockCertifiedByADescendant) {
  TestNode scratch;  // builds blocks 5 and 6 exactly as the served node would
  scratch.build_chain();
  const chain::Transaction five = ping(4, 0, "five", scratch.expiry_ms());
  ledger::BlockCommit b5 = scratch.commit({five});
  ledger::BlockCommit b6 = scratch.commit({ping(4, 1, "six", scratch.expiry_ms())});
  b5.certificate = {};
  ApiFixture f;
  const std::vector<ledger::BlockCommit> chain_of_two{b5, b6};
  auto committed = f.node().ledger().commit_blocks(chain_of_two);
  ASSERT_TRUE(committed.has_value() && committed->ok());
  ASSERT_FALSE(f.node().ledger().certificate(5).has_value());

  const json b = f.get_json("/v1/blocks/5");
  EXPECT_EQ(b["certified_height"], 6);
  ASSERT_EQ(b["descendant_headers_hex"].size(), 1u);
  EXPECT_EQ(check_certified(b).id(), b5.header.id());

  // A proof at height 5 carries the same chain of headers.
  const json p = f.get_json("/v1/proofs/transaction/" + five.id().to_hex() + "?height=5");
  const chain::BlockHeader header = check_certified(p["certified"]);
  EXPECT_EQ(header.height, 5u);
  EXPECT_EQ(certified_of(p["certified"]).descendants.size(), 1u);
  const auto tv = verify_transaction_response(p, five.id());
  EXPECT_TRUE(tv.ok()) << tv.rejection().to_string();
  const core::Bytes record_key = contracts::accounts::account_record_key(account_of(4));
  const json r = f.get_json("/v1/state/accounts/" + core::to_hex(record_key) + "?height=5");
  check_certified(r["certified"]);
  EXPECT_FALSE(r["value_hex"].is_null());
  const auto sv = verify_record_response(r, "accounts", record_key);
  EXPECT_TRUE(sv.ok()) << sv.rejection().to_string();
  // The latest block carries its own certificate.
  const json latest = f.get_json("/v1/blocks/latest");
  EXPECT_EQ(latest["height"], 6);
  EXPECT_TRUE(latest["descendant_headers_hex"].empty());
  check_certified(latest);
}

}  // namespace
}  // namespace bauhinia::apitest
