// Shared light-client vectors: the C++ verifier (chain/light_client.hpp) and
// the explorer's independent JavaScript verifier (explorer/web/src/verify/)
// must give the same verdict on every case of
// tests/chain/golden/light_client_vectors.json.
//
// The cases are built here with the project's own code: a real validator
// committee per epoch (Ed25519 signatures), real epoch changes, a real state
// tree (ledger::StateTree over a MemoryKvStore) and a real accumulator
// (ledger::Accumulator, AccumulatorReader), then tampered one way each. Every
// case is run through the C++ light client from its hex fields alone, the
// verdict must be the one the case is built to get, and the file must equal
// what this test generates (BAUHINIA_UPDATE_GOLDEN=1 rewrites it and fails).
// explorer/web/test/vectors.test.js asserts the same verdicts in JavaScript.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "../chain/chain_fixtures.hpp"
#include "bauhinia/chain/epoch_proof.hpp"
#include "bauhinia/chain/light_client.hpp"
#include "bauhinia/ledger/accumulator.hpp"
#include "bauhinia/ledger/accumulator_reader.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/state_tree.hpp"

namespace bauhinia::ledger {
namespace {

using chain::BlockHeader;
using chain::CertifiedHeader;
using chain::EpochChange;
using chain::EpochChangeProof;
using chain::QuorumCertificate;
using chain::ValidatorSet;
using chain::test::Committee;
using chain::test::filled;
using core::Bytes;

constexpr const char* kChain = chain::test::kChainId;

std::string hex(const Bytes& b) {
  return core::to_hex(b);
}
template <class T>
std::string hex_of(const T& v) {
  return core::to_hex(core::encode(v));
}
Bytes ascii(std::string_view s) {
  return Bytes(s.begin(), s.end());
}
// Flips one bit of the byte at `index` of a hex string (negative: from the end).
std::string flip(std::string h, long index) {
  const auto n = static_cast<long>(h.size() / 2);
  const auto at = static_cast<std::size_t>(index < 0 ? n + index : index) * 2 + 1;
  const char digits[] = "0123456789abcdef";
  const auto v = std::string_view(digits).find(h[at]);
  h[at] = digits[v ^ 1U];
  return h;
}

// Adds the Ed25519 group order L to the little-endian scalar S of a signature
// (bytes 32..63): the same point equation holds, strict verifiers refuse it.
void add_group_order(std::array<std::uint8_t, 64>& sig) {
  static constexpr std::array<std::uint8_t, 32> kL = {
      0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
      0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};
  unsigned carry = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    const unsigned sum = sig[32 + i] + kL[i] + carry;
    sig[32 + i] = static_cast<std::uint8_t>(sum & 0xFF);
    carry = sum >> 8;
  }
}

// One vector: everything a browser receives, as hex, and the verdict expected.
struct Case {
  std::string name;
  std::string kind;  // "epochs", "transaction" or "record"
  std::string chain_id = kChain;
  std::string genesis_validator_set_hex;
  std::vector<std::string> epoch_proof_hex;  // pages, oldest first
  std::string header_hex;
  std::vector<std::string> descendant_headers_hex;
  std::string commit_certificate_hex;
  std::string transaction_id, leaf_hex, proof_hex;  // transaction
  std::string module, record_key_hex;               // record (and proof_hex)
  std::optional<std::string> value_hex;
  std::string expect;  // "ok" or a reason name
};

struct Outcome {
  std::string verdict;  // "ok" or the reason name
  std::string detail;
  std::uint64_t epoch = 0, height = 0, certified_height = 0;
};

Outcome rejected(const core::Rejection& r) {
  return {std::string(core::reject_name(r.reason)), r.detail};
}

template <class T>
core::Checked<T> from_hex(const std::string& h) {
  auto bytes = core::from_hex(h);
  if (!bytes) return std::move(bytes).error();
  return core::decode<T>(*bytes);
}

// The C++ light client run from the case's hex fields only.
Outcome run(const Case& c) {
  auto genesis = from_hex<ValidatorSet>(c.genesis_validator_set_hex);
  if (!genesis) return rejected(genesis.error());
  std::map<std::uint64_t, ValidatorSet> sets{{genesis->epoch, *genesis}};
  ValidatorSet current = *genesis;
  for (const auto& page : c.epoch_proof_hex) {
    auto proof = from_hex<EpochChangeProof>(page);
    if (!proof) return rejected(proof.error());
    auto next = chain::verify_epoch_changes(current, *proof, c.chain_id);
    if (!next) return rejected(next.error());
    for (const auto& change : proof->changes) sets[change.next_set.epoch] = change.next_set;
    current = *next;
  }
  if (c.kind == "epochs") return {"ok", "", current.epoch, 0, 0};

  CertifiedHeader certified;
  auto header = from_hex<BlockHeader>(c.header_hex);
  if (!header) return rejected(header.error());
  certified.header = *header;
  for (const auto& d : c.descendant_headers_hex) {
    auto child = from_hex<BlockHeader>(d);
    if (!child) return rejected(child.error());
    certified.descendants.push_back(*child);
  }
  auto qc = from_hex<QuorumCertificate>(c.commit_certificate_hex);
  if (!qc) return rejected(qc.error());
  certified.commit_certificate = *qc;
  const auto set = sets.find(certified.certified().epoch);
  if (set == sets.end()) {
    return {"wrong_epoch", "no verified validator set for the certified header's epoch"};
  }

  core::Verdict v = core::Verdict::accept();
  if (c.kind == "transaction") {
    auto id = core::Hash256::from_hex(c.transaction_id);
    if (!id) return rejected(id.error());
    auto info = from_hex<chain::TransactionInfo>(c.leaf_hex);
    if (!info) return rejected(info.error());
    auto proof = from_hex<chain::InclusionProof>(c.proof_hex);
    if (!proof) return rejected(proof.error());
    v = chain::verify_transaction(certified, set->second, c.chain_id, *id, *info, *proof);
  } else {
    auto key = core::from_hex(c.record_key_hex);
    if (!key) return rejected(key.error());
    std::optional<Bytes> value;
    if (c.value_hex) {
      auto bytes = core::from_hex(*c.value_hex);
      if (!bytes) return rejected(bytes.error());
      value = *bytes;
    }
    auto proof = from_hex<chain::SparseMerkleProof>(c.proof_hex);
    if (!proof) return rejected(proof.error());
    std::optional<ByteView> view;
    if (value) view = ByteView(*value);
    v = chain::verify_state_record(certified, set->second, c.chain_id, c.module, *key, view,
                                   *proof);
  }
  if (!v) return rejected(v.rejection());
  return {"ok", "", set->first, certified.header.height, certified.certified().height};
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

std::string json_list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + json_string(v[i]);
  return out + "]";
}

std::string to_json(const Case& c, const Outcome& o) {
  std::ostringstream j;
  j << "    {\n      \"name\": " << json_string(c.name) << ",\n      \"kind\": \"" << c.kind
    << "\",\n      \"chain_id\": " << json_string(c.chain_id)
    << ",\n      \"genesis_validator_set_hex\": \"" << c.genesis_validator_set_hex
    << "\",\n      \"epoch_proof_hex\": " << json_list(c.epoch_proof_hex);
  if (c.kind != "epochs") {
    j << ",\n      \"certified\": {\"header_hex\": \"" << c.header_hex
      << "\", \"descendant_headers_hex\": " << json_list(c.descendant_headers_hex)
      << ", \"commit_certificate_hex\": \"" << c.commit_certificate_hex << "\"}";
  }
  if (c.kind == "transaction") {
    j << ",\n      \"transaction_id\": \"" << c.transaction_id << "\",\n      \"leaf_hex\": \""
      << c.leaf_hex << "\",\n      \"proof_hex\": \"" << c.proof_hex << "\"";
  } else if (c.kind == "record") {
    j << ",\n      \"module\": " << json_string(c.module) << ",\n      \"record_key_hex\": \""
      << c.record_key_hex << "\",\n      \"value_hex\": "
      << (c.value_hex ? "\"" + *c.value_hex + "\"" : std::string("null"))
      << ",\n      \"proof_hex\": \"" << c.proof_hex << "\"";
  }
  j << ",\n      \"expect\": ";
  if (o.verdict == "ok") {
    j << "{\"ok\": true, \"epoch\": " << o.epoch;
    if (c.kind != "epochs") {
      j << ", \"height\": " << o.height << ", \"certified_height\": " << o.certified_height;
    }
    j << "}";
  } else {
    j << "{\"ok\": false, \"reason\": \"" << o.verdict << "\"}";
  }
  j << "\n    }";
  return j.str();
}

// A small chain: epoch 0 (genesis set, powers 1..4) ends at height 3, epoch 1
// ends at height 6, epoch 2 (powers 3,1,1,1,1: quorum 5 of 7) certifies
// height 10 with 9 transactions and six records.
class Fixture {
 public:
  Fixture() {
    e0_end = epoch_end(c0, 3, c1.set);
    e1_end = epoch_end(c1, 6, c2.set);
    EpochChangeProof proof;
    proof.changes.push_back(
        EpochChange{c0.certify(chain::test::commit_of(e0_end), {1, 2, 3}), e0_end, c1.set});
    proof.changes.push_back(
        EpochChange{c1.certify(chain::test::commit_of(e1_end), {0, 1, 2}), e1_end, c2.set});
    epoch_proof = proof;

    WriteBatch batch;
    Accumulator acc;
    for (std::uint64_t v = 0; v < kTransactions; ++v) {
      chain::TransactionInfo info;
      info.version = v;
      info.transaction_id = core::tagged_hash(core::HashTag::kTransactionId,
                                              ascii("vector transaction " + std::to_string(v)));
      info.outcome = v == 4 ? chain::TxOutcome::kFailedPrecondition : chain::TxOutcome::kSuccess;
      info.state_changes_hash = filled(static_cast<std::uint8_t>(0x60 + v));
      info.events_hash = filled(static_cast<std::uint8_t>(0x80 + v));
      infos.push_back(info);
      acc.append(info.leaf_hash(), batch);
    }
    std::vector<StateWrite> writes;
    for (const auto& [module, key, value] : records()) {
      writes.push_back({*chain::state_key(module, key), value});
    }
    std::sort(writes.begin(), writes.end(),
              [](const StateWrite& a, const StateWrite& b) { return a.key < b.key; });
    StateTree tree(store);
    auto update = tree.apply(10, writes, batch);
    BAUHINIA_ASSERT(update.has_value());
    BAUHINIA_ASSERT(store.write(batch, false).is_ok());

    certified = header(c2, 10, filled(0xb0));
    certified.accumulator_root = acc.root();
    certified.accumulator_size = acc.size();
    certified.state_root = update->root;
  }

  // Short ASCII records, and the modules' real record encodings from their
  // golden files (a mark, an assignment, a company, a late filing, an officer)
  // under their real keys, so that the pages show them in plain words.
  static std::vector<std::tuple<std::string, Bytes, Bytes>> records() {
    std::vector<std::tuple<std::string, Bytes, Bytes>> out = {
        {"trademark", ascii("303512345"), ascii("mark: BAUHINIA; owner: HKSAR")},
        {"trademark", ascii("304477102"), ascii("mark: HARBOUR LIGHT; owner: Harbour Light Ltd")},
        {"company", ascii("1234567"), ascii("name: Harbour Ferry Ltd / 港灣渡輪有限公司")},
        {"company", ascii("7654321"), ascii("name: Lion Rock Tea Co")},
        {"accounts", ascii("alice"), ascii("record of alice")},
        {"system", ascii("validators"), ascii("epoch 2")}};
    const auto tm = golden("tests/contracts/trademark/golden/trademark_v1.txt", ' ');
    const auto co = golden("tests/contracts/company/golden/company_v1.txt", '=');
    for (const char* kind : {"mark", "history"}) {
      out.emplace_back("trademark", unhex(tm.at(std::string("key.") + kind)),
                       unhex(tm.at(std::string("record.") + kind)));
    }
    for (const char* kind : {"company", "filing", "officer"}) {
      out.emplace_back("company", unhex(co.at(std::string("key.") + kind)),
                       unhex(co.at(std::string("record.") + kind)));
    }
    return out;
  }

  static Bytes unhex(const std::string& h) {
    auto b = core::from_hex(h);
    BAUHINIA_ASSERT(b.has_value());
    return *b;
  }

  // "key<sep>value" lines of a golden file ('#' comments).
  static std::map<std::string, std::string> golden(const std::string& path, char sep) {
    std::ifstream in(std::string(BAUHINIA_SOURCE_DIR) + "/" + path);
    BAUHINIA_ASSERT(in.good());
    std::map<std::string, std::string> out;
    for (std::string line; std::getline(in, line);) {
      const auto at = line.find(sep);
      if (line.empty() || line[0] == '#' || at == std::string::npos) continue;
      out[line.substr(0, at)] = line.substr(at + 1);
    }
    return out;
  }

  BlockHeader header(const Committee& c, std::uint64_t height, const core::Hash256& parent) const {
    BlockHeader h;
    h.epoch = c.set.epoch;
    h.height = height;
    h.round = height + 2;
    h.parent_hash = parent;
    h.timestamp_ms = 1'767'225'600'000 + height * 1000;
    h.proposer = c.keys[0].public_key();
    h.transactions_root = filled(0x11);
    h.accumulator_root = filled(0x22);
    h.accumulator_size = 0;
    h.state_root = filled(0x33);
    h.validator_set_hash = c.set.hash();
    h.next_validator_set_hash = h.validator_set_hash;
    return h;
  }

  BlockHeader epoch_end(const Committee& c, std::uint64_t height, const ValidatorSet& next) const {
    BlockHeader h = header(c, height, filled(static_cast<std::uint8_t>(0xa0 + height)));
    h.next_validator_set_hash = next.hash();
    return h;
  }

  // A case with the genuine trust path filled in.
  Case base(std::string name, std::string kind) const {
    Case c;
    c.name = std::move(name);
    c.kind = std::move(kind);
    c.genesis_validator_set_hex = hex_of(c0.set);
    c.epoch_proof_hex = {hex_of(epoch_proof)};
    c.header_hex = hex_of(certified);
    c.commit_certificate_hex = hex_of(c2.certify(chain::test::commit_of(certified), {0, 1, 2}));
    return c;
  }

  Case transaction(std::string name, std::uint64_t v) const {
    Case c = base(std::move(name), "transaction");
    AccumulatorReader reader(store);
    auto proof = reader.inclusion_proof(v, kTransactions);
    BAUHINIA_ASSERT(proof.has_value());
    c.transaction_id = infos[v].transaction_id.to_hex();
    c.leaf_hex = hex_of(infos[v]);
    c.proof_hex = hex_of(*proof);
    return c;
  }

  Case record(std::string name, const std::string& module, const std::string& key) const {
    return record_by_key(std::move(name), module, ascii(key));
  }

  Case record_by_key(std::string name, const std::string& module, const Bytes& key) const {
    Case c = base(std::move(name), "record");
    StateTree tree(store);
    auto got = tree.get_with_proof(*chain::state_key(module, key), 10);
    BAUHINIA_ASSERT(got.has_value());
    c.module = module;
    c.record_key_hex = hex(key);
    if (got->value) c.value_hex = hex(*got->value);
    c.proof_hex = hex_of(got->proof);
    return c;
  }

  static constexpr std::uint64_t kTransactions = 9;
  Committee c0 = Committee::make(0, 4, 1, {1, 2, 3, 4});
  Committee c1 = Committee::make(1, 4, 41);
  Committee c2 = Committee::make(2, 5, 81, {3, 1, 1, 1, 1});
  BlockHeader e0_end, e1_end, certified;
  EpochChangeProof epoch_proof;
  std::vector<chain::TransactionInfo> infos;
  MemoryKvStore store;
};

std::vector<Case> build_cases(const Fixture& f) {
  std::vector<Case> cases;
  auto add = [&cases](Case c, std::string expect) {
    c.expect = std::move(expect);
    cases.push_back(std::move(c));
  };
  const std::string qc_hex = f.base("", "record").commit_certificate_hex;

  // Genuine answers.
  add(f.base("epochs: genesis to epoch 2", "epochs"), "ok");
  add(f.record("record present: trademark 303512345", "trademark", "303512345"), "ok");
  add(f.record("record present: company 1234567 (Chinese name)", "company", "1234567"), "ok");
  add(f.record("record absent: trademark 999999999", "trademark", "999999999"), "ok");
  for (const auto& [module, key, value] : Fixture::records()) {
    if (key[0] > 0x04) continue;  // the real records (kind byte first), not the ASCII ones
    add(f.record_by_key("real record: " + module + " " + hex(key), module, key), "ok");
  }
  add(f.transaction("transaction: leaf 0", 0), "ok");
  add(f.transaction("transaction: leaf 4 (failed outcome)", 4), "ok");
  add(f.transaction("transaction: last leaf 8", 8), "ok");
  {
    // Certified through a descendant's certificate.
    Case c = f.record("record under a header certified by a descendant", "trademark", "304477102");
    BlockHeader child = f.header(f.c2, 11, f.certified.id());
    BlockHeader grandchild = f.header(f.c2, 12, child.id());
    c.descendant_headers_hex = {hex_of(child), hex_of(grandchild)};
    c.commit_certificate_hex = hex_of(f.c2.certify(chain::test::commit_of(grandchild), {0, 3, 4}));
    add(c, "ok");
    // ... whose chain of parents is broken.
    Case broken = c;
    BlockHeader stranger = f.header(f.c2, 12, filled(0xee));
    broken.descendant_headers_hex = {hex_of(child), hex_of(stranger)};
    broken.commit_certificate_hex =
        hex_of(f.c2.certify(chain::test::commit_of(stranger), {0, 3, 4}));
    broken.name = "descendant headers that do not chain";
    add(broken, "bad_proof");
  }

  // Tampered proofs and answers.
  {
    Case c = f.record("state proof: one sibling byte changed", "trademark", "303512345");
    c.proof_hex = flip(c.proof_hex, 5);
    add(c, "bad_proof");
    Case v = f.record("state proof: value changed", "trademark", "303512345");
    v.value_hex = hex(ascii("mark: BAUHINIA; owner: SOMEONE ELSE"));
    add(v, "bad_proof");
    Case leaf = f.record("state proof: leaf value hash changed", "trademark", "303512345");
    leaf.proof_hex = flip(leaf.proof_hex, -1);
    add(leaf, "bad_proof");
    Case absent = f.record("non-inclusion claimed for an existing key", "company", "7654321");
    absent.value_hex.reset();
    add(absent, "bad_proof");
    Case moved = f.record("proof of another record offered for this key", "trademark", "303512345");
    moved.record_key_hex = hex(ascii("304477102"));
    add(moved, "bad_proof");
    Case present = f.record("inclusion claimed for an absent key", "trademark", "999999999");
    present.value_hex = hex(ascii("mark: FORGED"));
    add(present, "bad_proof");
    Case version = f.record("state proof of an unknown version", "trademark", "303512345");
    version.proof_hex = "02" + version.proof_hex.substr(2);
    add(version, "bad_version");
    Case trailing = f.record("state proof with a trailing byte", "trademark", "303512345");
    trailing.proof_hex += "00";
    add(trailing, "trailing_bytes");
  }
  {
    Case c = f.transaction("inclusion proof: one path byte changed", 3);
    c.proof_hex = flip(c.proof_hex, 20);
    add(c, "bad_proof");
    Case outcome = f.transaction("transaction info: outcome changed", 4);
    outcome.leaf_hex = outcome.leaf_hex.substr(0, 82) + "00" + outcome.leaf_hex.substr(84);
    add(outcome, "bad_proof");
    Case other = f.transaction("another transaction's id asked for", 2);
    other.transaction_id = f.infos[3].transaction_id.to_hex();
    add(other, "bad_proof");
    Case size = f.transaction("inclusion proof relabelled with a smaller tree", 0);
    chain::InclusionProof p = *from_hex<chain::InclusionProof>(size.proof_hex);
    p.tree_size = 8;
    size.proof_hex = hex_of(p);
    add(size, "bad_proof");
  }

  // Certificates.
  {
    Case wrong_epoch =
        f.record("certificate signed by the previous epoch's set", "trademark", "303512345");
    chain::LedgerInfo li = chain::test::commit_of(f.certified);
    li.epoch = 1;
    wrong_epoch.commit_certificate_hex = hex_of(f.c1.certify(li, {0, 1, 2}));
    add(wrong_epoch, "wrong_epoch");

    Case below = f.record("signatures below quorum (power 4 of 7)", "trademark", "303512345");
    below.commit_certificate_hex =
        hex_of(f.c2.certify_unchecked(chain::test::commit_of(f.certified), {1, 2, 3, 4}));
    add(below, "insufficient_power");

    Case sig = f.record("one signature byte changed", "trademark", "303512345");
    sig.commit_certificate_hex = flip(qc_hex, -3);
    add(sig, "bad_signature");

    Case other_chain = f.record("header of another chain (certificate for another chain id)",
                                "trademark", "303512345");
    chain::LedgerInfo oli = chain::test::commit_of(f.certified);
    oli.chain_id = "bauhinia-other-1";
    other_chain.commit_certificate_hex = hex_of(f.c2.certify(oli, {0, 1, 2}));
    add(other_chain, "invalid");

    Case foreign =
        f.record("header of another chain (its own validators)", "trademark", "303512345");
    Committee strangers = Committee::make(2, 5, 121, {3, 1, 1, 1, 1});
    BlockHeader theirs = f.header(strangers, 10, filled(0xb0));
    theirs.state_root = f.certified.state_root;
    foreign.header_hex = hex_of(theirs);
    foreign.commit_certificate_hex =
        hex_of(strangers.certify(chain::test::commit_of(theirs), {0, 1, 2}));
    add(foreign, "bad_proof");

    Case uncommitted = f.record("certificate of another block", "trademark", "303512345");
    BlockHeader sibling = f.certified;
    sibling.round += 1;
    uncommitted.commit_certificate_hex =
        hex_of(f.c2.certify(chain::test::commit_of(sibling), {0, 1, 2}));
    add(uncommitted, "bad_proof");
  }

  // Epoch change proofs.
  {
    Case skipped = f.base("epoch change proof that skips epoch 0", "epochs");
    EpochChangeProof p = f.epoch_proof;
    p.changes.erase(p.changes.begin());
    skipped.epoch_proof_hex = {hex_of(p)};
    add(skipped, "wrong_epoch");

    Case swapped = f.base("epoch change with a substituted next set", "epochs");
    p = f.epoch_proof;
    p.changes[1].next_set = Committee::make(2, 5, 121).set;
    swapped.epoch_proof_hex = {hex_of(p)};
    add(swapped, "bad_proof");

    Case weak = f.base("epoch change certified below quorum", "epochs");
    p = f.epoch_proof;
    p.changes[0].commit_certificate =
        f.c0.certify_unchecked(chain::test::commit_of(f.e0_end), {0, 1, 2});  // power 6 of 10
    weak.epoch_proof_hex = {hex_of(p)};
    add(weak, "insufficient_power");

    Case missing =
        f.record("record certified in an epoch the proof does not reach", "trademark", "303512345");
    p = f.epoch_proof;
    p.changes.pop_back();
    missing.epoch_proof_hex = {hex_of(p)};
    add(missing, "wrong_epoch");

    Case paged = f.record("epoch change proof in two pages", "company", "1234567");
    EpochChangeProof first, second;
    first.changes.push_back(f.epoch_proof.changes[0]);
    second.changes.push_back(f.epoch_proof.changes[1]);
    paged.epoch_proof_hex = {hex_of(first), hex_of(second)};
    add(paged, "ok");

    // Ed25519 strictness both verifiers must share (libsodium's, RFC 8032):
    // a malleated signature (S + L) and a small-order key in a next set.
    Case malleable = f.record("signature made malleable (S + L)", "trademark", "303512345");
    QuorumCertificate mq = f.c2.certify(chain::test::commit_of(f.certified), {0, 1, 2});
    add_group_order(mq.signatures[1].bytes);
    malleable.commit_certificate_hex = hex_of(mq);
    add(malleable, "bad_signature");

    Case small = f.base("next validator set with a small-order key", "epochs");
    p = f.epoch_proof;
    ValidatorSet weak_set = f.c2.set;
    weak_set.validators[4].key.bytes = {};
    weak_set.validators[4].key.bytes[0] = 0x01;  // the identity point (order 1)
    BlockHeader end = f.epoch_end(f.c1, 6, weak_set);
    p.changes[1] = EpochChange{f.c1.certify(chain::test::commit_of(end), {0, 1, 2}), end, weak_set};
    small.epoch_proof_hex = {hex_of(p)};
    add(small, "bad_key");

    Case truncated = f.base("genesis validator set truncated", "epochs");
    truncated.genesis_validator_set_hex.resize(truncated.genesis_validator_set_hex.size() - 2);
    add(truncated, "truncated");
  }
  return cases;
}

TEST(LightClientVectors, CppVerdictsMatchAndTheFileIsCurrent) {
  Fixture f;
  const std::vector<Case> cases = build_cases(f);
  std::string text =
      "{\n  \"format\": \"bauhinia light-client vectors v1\",\n"
      "  \"about\": \"Generated by tests/ledger/light_client_vectors_test.cpp "
      "(BAUHINIA_UPDATE_GOLDEN=1 rewrites it); checked by that test (C++ light client) and "
      "explorer/web/test/vectors.test.js (JavaScript). Never edit by hand.\",\n"
      "  \"cases\": [\n";
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Outcome o = run(cases[i]);
    EXPECT_EQ(o.verdict, cases[i].expect) << cases[i].name << ": " << o.detail;
    text += to_json(cases[i], o) + (i + 1 < cases.size() ? ",\n" : "\n");
  }
  text += "  ]\n}\n";

  const std::string path =
      std::string(BAUHINIA_SOURCE_DIR) + "/tests/chain/golden/light_client_vectors.json";
  if (std::getenv("BAUHINIA_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << text;
    FAIL() << "BAUHINIA_UPDATE_GOLDEN is set: rewrote " << path
           << " instead of checking it; review the diff and rerun without it";
  }
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "missing " << path << " (BAUHINIA_UPDATE_GOLDEN=1 writes it)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(want.str(), text) << "the light-client vectors changed";
}

}  // namespace
}  // namespace bauhinia::ledger
