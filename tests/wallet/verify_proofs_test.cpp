// bauhinia-wallet verify and its light client (lightclient/verifier.hpp) against a
// real node API server over a real ledger (tests/node/api_test_support.hpp:
// executed blocks, Ed25519 commit certificates, an epoch change at height 2),
// read through the wallet's own HTTP client. Real proofs are proven; every
// kind of tampering, applied to the node's real answers on their way to the
// verifier, is refused with the node named and the reason given.

#include <gtest/gtest.h>

#include <functional>

#include "../node/api_test_support.hpp"
#include "bauhinia/lightclient/verifier.hpp"
#include "bauhinia/wallet/verify/command.hpp"

namespace bauhinia::wallet::verify {
namespace {

using apitest::account_of;
using apitest::ApiFixture;
using apitest::kChainId;
using apitest::ping;
using json = nlohmann::json;

// Edits a node's 200 answers (as JSON) before the verifier reads them.
using Edit = std::function<void(const std::string& target, json& body)>;

Fetch tampering(Fetch inner, Edit edit) {
  return [inner = std::move(inner), edit = std::move(edit)](
             const std::string& target) -> core::Expected<NodeAnswer, FetchError> {
    auto answer = inner(target);
    if (answer && answer->status == 200) {
      json body = json::parse(answer->body);
      edit(target, body);
      answer->body = body.dump();
    }
    return answer;
  };
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

// Flips the last byte of a hex field.
void flip_last_byte(json& field) {
  std::string hex = field.get<std::string>();
  ASSERT_GE(hex.size(), 2U);
  hex.back() = hex.back() == '0' ? '1' : '0';
  field = hex;
}

// A commit certificate of `header` on `chain_id`, signed by validators 0, 1, 3
// of `signing_epoch`'s set and naming that epoch.
chain::QuorumCertificate certificate_of(const chain::BlockHeader& header,
                                        std::uint64_t signing_epoch, const std::string& chain_id) {
  chain::LedgerInfo li;
  li.chain_id = chain_id;
  li.epoch = signing_epoch;
  li.round = header.round;
  li.commit_block = header.id();
  li.commit_height = header.height;
  const core::Hash256 msg = li.signing_hash();
  std::vector<chain::IndexedSignature> votes;
  for (std::size_t i : {0U, 1U, 3U}) {
    votes.emplace_back(i, apitest::validator_key(signing_epoch, i).sign(msg.view()));
  }
  return std::move(
             chain::build_quorum_certificate(li, apitest::validator_set(signing_epoch), votes))
      .value();
}

class VerifyProofsTest : public ::testing::Test {
 protected:
  VerifyProofsTest() {
    trust_.chain_id = kChainId;
    trust_.genesis_validators = apitest::validator_set(0);
    trust_.genesis_header = *f_.node().ledger().header(0);
    trust_.genesis_id = trust_.genesis_header.id();
    url_ = "http://127.0.0.1:" + std::to_string(f_.port());
    auto address = NodeAddress::parse(url_);
    EXPECT_TRUE(address.has_value());
    fetch_ = node_fetch(NodeClient(*address));
    source_ = "node " + url_;
  }

  Outcome run(const Request& r, const Fetch& fetch) {
    return verify_request(trust_, r, fetch, source_);
  }
  Outcome run(const Request& r) { return run(r, fetch_); }
  Outcome run_tampered(const Request& r, Edit edit) {
    return run(r, tampering(fetch_, std::move(edit)));
  }

  static Request transaction(const std::string& id, std::optional<std::uint64_t> height = {}) {
    Request r;
    r.what = What::kTransaction;
    r.transaction_id = id;
    r.height = height;
    return r;
  }
  static Request record(std::uint32_t user, std::optional<std::uint64_t> height = {},
                        What what = What::kRecord) {
    Request r;
    r.what = what;
    r.module = "accounts";
    r.record_key_hex = core::to_hex(contracts::accounts::account_record_key(account_of(user)));
    r.height = height;
    return r;
  }
  static Request consistency(std::uint64_t from, std::optional<std::uint64_t> to) {
    Request r;
    r.what = What::kConsistency;
    r.from = from;
    r.to = to;
    return r;
  }

  // Expects a refusal naming this node as at fault, with `reason` in it.
  void expect_named(const Outcome& o, const std::string& kind, const std::string& reason) {
    EXPECT_EQ(o.exit_code(), 4) << o.summary;
    EXPECT_TRUE(o.node_at_fault) << o.summary;
    EXPECT_TRUE(starts_with(o.summary, source_ + " served " + kind)) << o.summary;
    EXPECT_NE(o.summary.find(reason), std::string::npos) << o.summary;
  }

  std::string tx_id() { return ping(1, 0, "first", f_.node().expiry_ms()).id().to_hex(); }

  ApiFixture f_;
  Trust trust_;
  std::string url_;
  std::string source_;
  Fetch fetch_;
};

// ---- Real proofs ---------------------------------------------------------------------

TEST_F(VerifyProofsTest, ProvesATransactionAtEveryCertifiedHeight) {
  const Outcome latest = run(transaction(tx_id()));
  EXPECT_EQ(latest.exit_code(), 0) << latest.summary;
  EXPECT_NE(latest.summary.find("committed in block 1 as accumulator leaf 0 with outcome success"),
            std::string::npos)
      << latest.summary;
  EXPECT_NE(latest.summary.find("height 4 (epoch 1, certified by 3 of 4 validators: IPD, CR, EPD)"),
            std::string::npos)
      << latest.summary;
  EXPECT_EQ(latest.certified_height, 4U);
  EXPECT_EQ(latest.certified_epoch, 1U);
  for (std::uint64_t h = 1; h <= 4; ++h) {
    const Outcome o = run(transaction(tx_id(), h));
    EXPECT_EQ(o.exit_code(), 0) << o.summary;
    EXPECT_EQ(o.certified_height, h);
  }
}

TEST_F(VerifyProofsTest, ProvesRecordsAndTheirAbsence) {
  const Outcome now = run(record(1));
  EXPECT_EQ(now.exit_code(), 0) << now.summary;
  EXPECT_NE(now.summary.find("holds a value of"), std::string::npos) << now.summary;
  const Outcome genesis = run(record(1, 0));
  EXPECT_EQ(genesis.exit_code(), 0) << genesis.summary;
  EXPECT_NE(genesis.summary.find("does not exist"), std::string::npos) << genesis.summary;
  EXPECT_NE(genesis.summary.find("genesis block"), std::string::npos) << genesis.summary;
  const Outcome never = run(record(9));
  EXPECT_EQ(never.exit_code(), 0) << never.summary;
  EXPECT_NE(never.summary.find("does not exist"), std::string::npos) << never.summary;
}

TEST_F(VerifyProofsTest, ProvesEveryStepOfAHistory) {
  // User 1 pinged in blocks 1, 2 and 4: its account record changed there.
  const Outcome o = run(record(1, {}, What::kHistory));
  EXPECT_EQ(o.exit_code(), 0) << o.summary;
  EXPECT_NE(o.summary.find("changed at heights 1, 2, 4"), std::string::npos) << o.summary;
  Request every = record(1, {}, What::kHistory);
  every.every_height = true;
  const Outcome all = run(every);
  EXPECT_EQ(all.exit_code(), 0) << all.summary;
  const Outcome none = run(record(9, {}, What::kHistory));
  EXPECT_EQ(none.exit_code(), 0) << none.summary;
  EXPECT_NE(none.summary.find("has no history"), std::string::npos) << none.summary;
}

TEST_F(VerifyProofsTest, ProvesConsistencyBetweenCertifiedHeights) {
  for (auto [from, to] : {std::pair<std::uint64_t, std::optional<std::uint64_t>>{1, 4},
                          {1, {}},
                          {2, 3},
                          {0, 4},
                          {3, 3}}) {
    const Outcome o = run(consistency(from, to));
    EXPECT_EQ(o.exit_code(), 0) << from << " " << o.summary;
    EXPECT_NE(o.summary.find("extends the one certified at"), std::string::npos) << o.summary;
  }
}

TEST_F(VerifyProofsTest, FollowsDescendantHeadersToTheirCertificate) {
  // Blocks 5 and 6 committed by one certificate (of block 6).
  apitest::TestNode scratch;
  scratch.build_chain();
  const chain::Transaction five = ping(4, 0, "five", scratch.expiry_ms());
  ledger::BlockCommit b5 = scratch.commit({five});
  ledger::BlockCommit b6 = scratch.commit({ping(4, 1, "six", scratch.expiry_ms())});
  b5.certificate = {};
  const std::vector<ledger::BlockCommit> blocks{b5, b6};
  auto committed = f_.node().ledger().commit_blocks(blocks);
  ASSERT_TRUE(committed.has_value() && committed->ok());
  const Outcome o = run(transaction(five.id().to_hex(), 5));
  EXPECT_EQ(o.exit_code(), 0) << o.summary;
  EXPECT_NE(o.summary.find("through its descendants to block 6"), std::string::npos) << o.summary;
  // Without the descendant, nothing certifies block 5.
  expect_named(run_tampered(transaction(five.id().to_hex(), 5),
                            [](const std::string& target, json& body) {
                              if (starts_with(target, "/v1/proofs/transaction/")) {
                                body["certified"]["descendant_headers_hex"] = json::array();
                              }
                            }),
               "a forged proof", "commit certificate of the header at height 5");
}

// ---- Tampering -------------------------------------------------------------------------

TEST_F(VerifyProofsTest, RefusesAChangedByteInEachProof) {
  expect_named(run_tampered(transaction(tx_id()),
                            [](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/proofs/transaction/"))
                                flip_last_byte(b["proof_hex"]);
                            }),
               "a forged proof", "inclusion proof of transaction");
  expect_named(run_tampered(transaction(tx_id()),
                            [](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/proofs/transaction/"))
                                flip_last_byte(b["leaf_hex"]);
                            }),
               "a forged proof", "inclusion proof");
  expect_named(run_tampered(record(1),
                            [](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/state/")) flip_last_byte(b["proof_hex"]);
                            }),
               "a forged proof", "state proof of record accounts/");
  expect_named(run_tampered(record(1),
                            [](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/state/")) flip_last_byte(b["value_hex"]);
                            }),
               "a forged proof", "state proof of record accounts/");
  expect_named(run_tampered(consistency(1, 4),
                            [](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/proofs/consistency"))
                                flip_last_byte(b["proof_hex"]);
                            }),
               "a forged proof", "consistency proof between accumulator sizes 2 and 6");
  expect_named(run_tampered(record(1),
                            [](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/state/")) {
                                flip_last_byte(b["certified"]["commit_certificate_hex"]);
                              }
                            }),
               "a forged proof", "commit certificate of the header at height 4");
  expect_named(run_tampered(transaction(tx_id()),
                            [](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/proofs/transaction/")) {
                                flip_last_byte(b["transaction_hex"]);
                              }
                            }),
               "a forged proof", "do not hash to the id");
}

TEST_F(VerifyProofsTest, RefusesACertificateFromTheWrongEpoch) {
  // Block 4 is of epoch 1; a certificate by epoch 0's validators does not count.
  const chain::BlockHeader four = *f_.node().ledger().header(4);
  const std::string forged = core::to_hex(core::encode(certificate_of(four, 0, kChainId)));
  expect_named(run_tampered(record(1),
                            [&](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/state/")) {
                                b["certified"]["commit_certificate_hex"] = forged;
                              }
                            }),
               "a forged proof", "wrong_epoch");
}

TEST_F(VerifyProofsTest, RefusesAHeaderFromAnotherChain) {
  // The same validators certify a header of another chain at height 4.
  chain::BlockHeader other = *f_.node().ledger().header(4);
  other.state_root = core::sha256(core::as_bytes(std::string("another chain's state")));
  const std::string header_hex = core::to_hex(core::encode(other));
  const std::string cert_hex =
      core::to_hex(core::encode(certificate_of(other, 1, "bauhinia-other-1")));
  expect_named(run_tampered(record(1),
                            [&](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/state/")) {
                                b["certified"]["header_hex"] = header_hex;
                                b["certified"]["commit_certificate_hex"] = cert_hex;
                              }
                            }),
               "a forged proof", "bauhinia-other-1");
  // At height 0, the genesis block is trusted by its id from the genesis file.
  chain::BlockHeader genesis = trust_.genesis_header;
  genesis.timestamp_ms += 1;
  const std::string genesis_hex = core::to_hex(core::encode(genesis));
  expect_named(run_tampered(record(1, 0),
                            [&](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/state/"))
                                b["certified"]["header_hex"] = genesis_hex;
                            }),
               "a forged proof", "not the genesis block of the genesis file");
}

TEST_F(VerifyProofsTest, RefusesAForgedEpochChange) {
  // The change names another next set: its hash is not the header's.
  auto proof = f_.node().ledger().epoch_change_proof(0);
  ASSERT_TRUE(proof.has_value());
  chain::EpochChangeProof other_set = *proof;
  other_set.changes.at(0).next_set = apitest::validator_set(7);
  other_set.changes.at(0).next_set.epoch = 1;
  const std::string other_set_hex = core::to_hex(core::encode(other_set));
  expect_named(run_tampered(record(1),
                            [&](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/epochs/proof"))
                                b["proof_hex"] = other_set_hex;
                            }),
               "a forged proof", "epoch change from epoch 0 to 1");
  // A change to another set, with a header naming it, certified by keys that
  // are not epoch 0's.
  chain::EpochChangeProof resigned = *proof;
  chain::EpochChange& c = resigned.changes.at(0);
  c.next_set = apitest::validator_set(7);
  c.next_set.epoch = 1;
  c.header.next_validator_set_hash = c.next_set.hash();
  c.commit_certificate = certificate_of(c.header, 0, kChainId);
  {
    // Re-sign with epoch 7's keys under epoch 0's name.
    chain::LedgerInfo li = c.commit_certificate.ledger_info;
    std::vector<chain::IndexedSignature> votes;
    for (std::size_t i : {0U, 1U, 3U}) {
      votes.emplace_back(i, apitest::validator_key(7, i).sign(li.signing_hash().view()));
    }
    chain::ValidatorSet pretend = apitest::validator_set(7);
    pretend.epoch = 0;
    c.commit_certificate = std::move(chain::build_quorum_certificate(li, pretend, votes)).value();
  }
  const std::string resigned_hex = core::to_hex(core::encode(resigned));
  expect_named(run_tampered(record(1),
                            [&](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/epochs/proof")) b["proof_hex"] = resigned_hex;
                            }),
               "a forged proof", "epoch change from epoch 0 to 1");
  // Hiding the epoch change: headers of epoch 1 cannot be checked.
  expect_named(run_tampered(record(1),
                            [&](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/epochs/proof")) {
                                b["proof_hex"] =
                                    core::to_hex(core::encode(chain::EpochChangeProof{}));
                                b["more"] = false;
                              }
                            }),
               "an inconsistent answer", "epoch change proofs reach only epoch 0");
}

TEST_F(VerifyProofsTest, RefusesAHeaderOfAnotherHeight) {
  // Asked for height 3, the node serves block 2's (valid) certified header and proof.
  json at_two = f_.get_json("/v1/state/accounts/" + record(1).record_key_hex + "?height=2");
  ASSERT_TRUE(at_two.is_object()) << at_two.dump();
  expect_named(run_tampered(record(1, 3),
                            [&](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/state/")) b = at_two;
                            }),
               "an inconsistent answer", "header of height 2 for height 3");
  // A stale "latest": the transaction proof against block 3 when 4 was asked.
  json tx_at_three = f_.get_json("/v1/proofs/transaction/" + tx_id() + "?height=3");
  ASSERT_TRUE(tx_at_three.is_object());
  expect_named(run_tampered(transaction(tx_id()),
                            [&](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/proofs/transaction/")) b = tx_at_three;
                            }),
               "an inconsistent answer", "header of height 3 for height 4");
}

TEST_F(VerifyProofsTest, RefusesANonInclusionProofForAnExistingRecord) {
  // The value withheld: the proof's leaf is the record itself.
  expect_named(run_tampered(record(1),
                            [](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/state/")) b["value_hex"] = nullptr;
                            }),
               "a forged proof", "(its absence)");
  // A real proof of absence of another key, served for this record.
  json absent = f_.get_json("/v1/state/accounts/00?height=4");
  ASSERT_TRUE(absent.is_object());
  expect_named(run_tampered(record(1),
                            [&](const std::string& t, json& b) {
                              if (starts_with(t, "/v1/state/")) b = absent;
                            }),
               "a forged proof", "(its absence)");
}

TEST_F(VerifyProofsTest, RefusesAShortenedHistory) {
  auto drop = [](std::size_t index) {
    return [index](const std::string& t, json& b) {
      if (t.find("/history") != std::string::npos) {
        b["versions"].erase(b["versions"].begin() + static_cast<std::ptrdiff_t>(index));
      }
    };
  };
  const Request history = record(1, {}, What::kHistory);
  expect_named(run_tampered(history, drop(0)), "an inconsistent answer", "omits an earlier change");
  expect_named(run_tampered(history, drop(1)), "an inconsistent answer",
               "omits a change before height 4");
  expect_named(run_tampered(history, drop(2)), "an inconsistent answer",
               "omits a change after height 2");
  // A wrong value hash at a listed step.
  expect_named(run_tampered(history,
                            [](const std::string& t, json& b) {
                              if (t.find("/history") != std::string::npos) {
                                b["versions"][1]["value_hash"] = std::string(64, 'a');
                              }
                            }),
               "an inconsistent answer", "is wrong: at height 2");
  // Out of order.
  expect_named(run_tampered(history,
                            [](const std::string& t, json& b) {
                              if (t.find("/history") != std::string::npos) {
                                std::swap(b["versions"][0], b["versions"][1]);
                              }
                            }),
               "an inconsistent answer", "increasing order");
}

// ---- Saved answers, the node's refusals, bad input ------------------------------------------

TEST_F(VerifyProofsTest, VerifiesSavedAnswersOfflineAndRefusesATamperedFile) {
  SavedAnswers saved;
  saved.node = url_;
  const Request r = record(1, {}, What::kHistory);
  saved.request_json = r.to_json();
  ASSERT_EQ(run(r, recording(fetch_, saved)).exit_code(), 0);
  const std::string text = to_json(saved);

  auto parsed = parse_saved_answers(text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
  auto request = Request::from_json(parsed->request_json);
  ASSERT_TRUE(request.has_value());
  const std::string offline = "node " + url_ + " (answers saved in f.json)";
  const Outcome o = verify_request(trust_, *request, replaying(*parsed), offline);
  EXPECT_EQ(o.exit_code(), 0) << o.summary;

  // One byte of one saved state proof changed.
  json doc = json::parse(text);
  bool changed = false;
  for (json& a : doc["answers"]) {
    if (!changed && a["target"].get<std::string>().find("?height=2") != std::string::npos) {
      json body = json::parse(a["body"].get<std::string>());
      flip_last_byte(body["proof_hex"]);
      a["body"] = body.dump();
      changed = true;
    }
  }
  ASSERT_TRUE(changed);
  auto tampered = parse_saved_answers(doc.dump());
  ASSERT_TRUE(tampered.has_value());
  const Outcome bad = verify_request(trust_, *request, replaying(*tampered), offline);
  EXPECT_EQ(bad.exit_code(), 4);
  EXPECT_TRUE(starts_with(bad.summary, offline + " served a forged proof: the state proof"))
      << bad.summary;
  // An answer missing from the file: not proven, nobody named.
  doc["answers"].erase(doc["answers"].begin());
  auto incomplete = parse_saved_answers(doc.dump());
  ASSERT_TRUE(incomplete.has_value());
  const Outcome missing = verify_request(trust_, *request, replaying(*incomplete), offline);
  EXPECT_EQ(missing.exit_code(), 4);
  EXPECT_FALSE(missing.node_at_fault);
  EXPECT_NE(missing.summary.find("holds no answer to GET"), std::string::npos) << missing.summary;
  // A saved request that is not a valid one.
  for (const std::string bad_request :
       {R"({"what": "transaction"})", R"({"what": "transaction", "transaction_id": "00"})",
        R"({"what": "record", "module": "Bad", "record_key_hex": "00"})",
        R"({"what": "record", "module": "accounts", "record_key_hex": "0"})",
        R"({"what": "consistency", "from": 5, "to": 2})", R"({"what": "everything"})", "[]"}) {
    EXPECT_FALSE(Request::from_json(bad_request).has_value()) << bad_request;
  }
  for (What w : {What::kTransaction, What::kRecord, What::kHistory, What::kConsistency}) {
    Request q = w == What::kTransaction   ? transaction(tx_id(), 3)
                : w == What::kConsistency ? consistency(1, 3)
                                          : record(1, 2, w);
    q.every_height = w == What::kHistory;
    auto back = Request::from_json(q.to_json());
    ASSERT_TRUE(back.has_value()) << q.to_json();
    EXPECT_EQ(back->to_json(), q.to_json());
  }
  // Malformed files.
  for (const std::string bad_file :
       {"", "[]", R"({"format": "other/1"})",
        R"({"format": "bauhinia-wallet-verify/1", "node": "x", "request": {}, "answers": [1]})"}) {
    EXPECT_FALSE(parse_saved_answers(bad_file).has_value()) << bad_file;
  }
}

TEST_F(VerifyProofsTest, SaysWhatTheNodeCouldNotProveAndWhenItIsUnreachable) {
  const Outcome unknown = run(transaction(std::string(64, '0')));
  EXPECT_EQ(unknown.exit_code(), 4) << unknown.summary;
  EXPECT_FALSE(unknown.node_at_fault);
  EXPECT_NE(unknown.summary.find("unknown_transaction"), std::string::npos) << unknown.summary;
  const Outcome beyond = run(record(1, 99));
  EXPECT_EQ(beyond.exit_code(), 4) << beyond.summary;

  // A closed port: no answer.
  auto address = NodeAddress::parse("http://127.0.0.1:1");
  ASSERT_TRUE(address.has_value());
  const Outcome closed = verify_request(trust_, record(1), node_fetch(NodeClient(*address)),
                                        "node http://127.0.0.1:1");
  EXPECT_EQ(closed.exit_code(), 5) << closed.summary;

  // Bad input, before anything is fetched.
  int fetched = 0;
  const Fetch counting = [&](const std::string& t) {
    ++fetched;
    return fetch_(t);
  };
  Request bad_id = transaction("xyz");
  EXPECT_EQ(run(bad_id, counting).exit_code(), 2);
  Request bad_module = record(1);
  bad_module.module = "Not A Module";
  EXPECT_EQ(run(bad_module, counting).exit_code(), 2);
  Request bad_key = record(1);
  bad_key.record_key_hex = "0g";
  EXPECT_EQ(run(bad_key, counting).exit_code(), 2);
  EXPECT_EQ(run(consistency(4, 2), counting).exit_code(), 2);
  EXPECT_EQ(fetched, 0);

  // Another trust anchor: the node's chain does not verify from it.
  Trust other = trust_;
  other.genesis_validators = apitest::validator_set(7);
  other.genesis_validators.epoch = 0;
  const Outcome wrong = verify_request(other, record(1), fetch_, source_);
  EXPECT_EQ(wrong.exit_code(), 4);
  EXPECT_TRUE(wrong.node_at_fault) << wrong.summary;
  // The genesis file of another chain: said so, the node not blamed.
  Trust other_chain = trust_;
  other_chain.chain_id = "bauhinia-other-1";
  const Outcome elsewhere = verify_request(other_chain, record(1), fetch_, source_);
  EXPECT_EQ(elsewhere.exit_code(), 4);
  EXPECT_FALSE(elsewhere.node_at_fault) << elsewhere.summary;
  EXPECT_NE(elsewhere.summary.find("serves chain '" + std::string(kChainId) +
                                   "', not the genesis file's chain 'bauhinia-other-1'"),
            std::string::npos)
      << elsewhere.summary;
  Trust other_genesis = trust_;
  other_genesis.genesis_header.timestamp_ms += 1;
  other_genesis.genesis_id = other_genesis.genesis_header.id();
  const Outcome regenesis = verify_request(other_genesis, record(1), fetch_, source_);
  EXPECT_EQ(regenesis.exit_code(), 4);
  EXPECT_FALSE(regenesis.node_at_fault) << regenesis.summary;
  EXPECT_NE(regenesis.summary.find("genesis id"), std::string::npos) << regenesis.summary;
}

}  // namespace
}  // namespace bauhinia::wallet::verify
