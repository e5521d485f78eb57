// Golden vectors of the chain's signed and hashed formats (docs/formats/chain.md,
// docs/formats/accumulator.md): exact encodings and hashes of a fixed block
// header, ledger info, validator set, quorum certificate, epoch change proof,
// transaction infos and Merkle proofs, in tests/chain/golden/chain_formats_v1.txt.
// Validators sign these bytes and light clients (the explorer) re-implement
// them: they must never change. A failure here means a format changed.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/epoch_proof.hpp"
#include "bauhinia/chain/ledger_info.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/chain/transaction_info.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "chain_fixtures.hpp"

namespace bauhinia::chain {
namespace {

using Record = std::map<std::string, std::string>;

constexpr const char* kFrozen =
    "signed and hashed formats must never change: validators sign these bytes and light "
    "clients re-implement them. Make a new format version instead of editing this value.";

// Records of key=value lines separated by blank lines; '#' starts a comment.
std::map<std::string, Record> read_golden(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::map<std::string, Record> out;
  Record cur;
  auto flush = [&] {
    if (!cur.empty()) out[cur["name"]] = cur;
    cur.clear();
  };
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    if (line.empty()) {
      flush();
      continue;
    }
    const auto eq = line.find('=');
    EXPECT_NE(eq, std::string::npos) << line;
    if (eq != std::string::npos) cur[line.substr(0, eq)] = line.substr(eq + 1);
  }
  flush();
  return out;
}

std::string hex(const Bytes& b) {
  return core::to_hex(b);
}

// The fixed inputs (also described in the golden file's comments).
struct Fixture {
  test::Committee committee = test::Committee::make(7, 4, 1, {1, 2, 3, 4});
  test::Committee next = test::Committee::make(8, 3, 5, {5, 5, 5});
  BlockHeader header;
  LedgerInfo ledger_info;
  QuorumCertificate qc;
  EpochChangeProof epoch_proof;
  std::vector<Hash256> leaves;  // 11 leaf hashes of "bauhinia leaf <i>"

  Fixture() {
    const char* names[] = {"IPD", "CR", "DH", "EPD"};
    for (std::size_t i = 0; i < 4; ++i) committee.set.validators[i].name = names[i];
    header.epoch = 7;
    header.height = 1000;
    header.round = 1003;
    header.parent_hash = test::filled(0xA1);
    header.timestamp_ms = 1767225600000;
    header.proposer = committee.keys[1].public_key();
    header.transactions_root = transactions_root_of(
        std::vector<Hash256>{test::filled(1), test::filled(2), test::filled(3)});
    header.accumulator_root = test::filled(0xA3);
    header.accumulator_size = 5000;
    header.state_root = test::filled(0xA4);
    header.validator_set_hash = committee.set.hash();
    header.next_validator_set_hash = next.set.hash();

    ledger_info.chain_id = "bauhinia-hk-1";
    ledger_info.epoch = 7;
    ledger_info.round = 1004;
    ledger_info.commit_block = header.id();
    ledger_info.commit_height = 1000;
    ledger_info.consensus_data_hash = test::filled(0xC0);
    qc = committee.certify(ledger_info, {0, 2, 3});

    epoch_proof.changes.push_back(EpochChange{qc, header, next.set});

    for (int i = 0; i < 11; ++i) {
      leaves.push_back(merkle::leaf_hash(core::as_bytes("bauhinia leaf " + std::to_string(i))));
    }
  }
};

std::map<std::string, Record> computed() {
  const Fixture f;
  std::map<std::string, Record> out;
  out["block_header"] = {{"encoded", hex(core::encode(f.header))}, {"id", f.header.id().to_hex()}};
  out["transactions_root"] = {{"root", f.header.transactions_root.to_hex()}};
  out["validator_set"] = {{"encoded", hex(core::encode(f.committee.set))},
                          {"hash", f.committee.set.hash().to_hex()}};
  out["next_validator_set"] = {{"encoded", hex(core::encode(f.next.set))},
                               {"hash", f.next.set.hash().to_hex()}};
  out["ledger_info"] = {{"encoded", hex(core::encode(f.ledger_info))},
                        {"signing_hash", f.ledger_info.signing_hash().to_hex()}};
  out["quorum_certificate"] = {{"encoded", hex(core::encode(f.qc))}};
  out["epoch_change_proof"] = {{"encoded", hex(core::encode(f.epoch_proof))}};

  TransactionInfo ok;
  ok.version = 4999;
  ok.transaction_id = test::filled(0x42);
  ok.outcome = TxOutcome::kSuccess;
  ok.state_changes_hash = test::filled(0x5C);
  ok.events_hash = test::filled(0xE7);
  out["transaction_info_success"] = {{"encoded", hex(core::encode(ok))},
                                     {"leaf_hash", ok.leaf_hash().to_hex()}};
  TransactionInfo failed = ok;
  failed.version = 5000;
  failed.transaction_id = test::filled(0x43);
  failed.outcome = TxOutcome::kFailedPrecondition;
  failed.state_changes_hash = Hash256::zero();
  failed.events_hash = Hash256::zero();
  out["transaction_info_failed"] = {{"encoded", hex(core::encode(failed))},
                                    {"leaf_hash", failed.leaf_hash().to_hex()}};

  const InclusionProof ip{6, 11, merkle::inclusion_path(f.leaves, 6)};
  out["inclusion_proof"] = {{"leaf_hash", f.leaves[6].to_hex()},
                            {"root", merkle::root(f.leaves).to_hex()},
                            {"encoded", hex(core::encode(ip))}};
  const ConsistencyProof cp{6, 11, merkle::consistency_path(f.leaves, 6)};
  const ConsistencyProof cp4{4, 11, merkle::consistency_path(f.leaves, 4)};
  out["consistency_proof"] = {
      {"root1", merkle::root(std::span<const Hash256>(f.leaves).first(6)).to_hex()},
      {"root2", merkle::root(f.leaves).to_hex()},
      {"encoded", hex(core::encode(cp))}};
  out["consistency_proof_power_of_two"] = {
      {"root1", merkle::root(std::span<const Hash256>(f.leaves).first(4)).to_hex()},
      {"root2", merkle::root(f.leaves).to_hex()},
      {"encoded", hex(core::encode(cp4))}};
  for (auto& [name, r] : out) r["name"] = name;
  return out;
}

TEST(ChainGolden, FormatsAreFrozen) {
  const auto golden =
      read_golden(std::string(BAUHINIA_SOURCE_DIR) + "/tests/chain/golden/chain_formats_v1.txt");
  const auto now = computed();
  for (const auto& [name, record] : now) {
    const auto g = golden.find(name);
    if (g == golden.end()) {
      std::string lines;
      for (const auto& [k, v] : record) lines += k + "=" + v + "\n";
      ADD_FAILURE() << "no golden record '" << name << "'; computed:\n" << lines;
      continue;
    }
    for (const auto& [key, value] : record) {
      const auto it = g->second.find(key);
      ASSERT_NE(it, g->second.end()) << name << "." << key << " missing; computed " << value;
      EXPECT_EQ(value, it->second) << name << "." << key << ": " << kFrozen;
    }
  }
  EXPECT_EQ(golden.size(), now.size()) << "golden records without a computed counterpart";
}

// The golden bytes decode back to the same values and, where signed, verify.
TEST(ChainGolden, GoldenBytesDecodeAndVerify) {
  const auto golden =
      read_golden(std::string(BAUHINIA_SOURCE_DIR) + "/tests/chain/golden/chain_formats_v1.txt");
  auto bytes = [&](const std::string& name) {
    auto b = core::from_hex(golden.at(name).at("encoded"));
    EXPECT_TRUE(b) << name;
    return b ? *b : Bytes{};
  };
  const Fixture f;
  auto header = core::decode<BlockHeader>(bytes("block_header"));
  ASSERT_TRUE(header);
  EXPECT_EQ(*header, f.header);
  auto set = core::decode<ValidatorSet>(bytes("validator_set"));
  ASSERT_TRUE(set);
  auto qc = core::decode<QuorumCertificate>(bytes("quorum_certificate"));
  ASSERT_TRUE(qc);
  EXPECT_TRUE(verify_quorum(*qc, *set).ok());
  EXPECT_TRUE(verify_committed_header(*header, *qc, *set, "bauhinia-hk-1").ok());
  auto proof = core::decode<EpochChangeProof>(bytes("epoch_change_proof"));
  ASSERT_TRUE(proof);
  auto latest = verify_epoch_changes(*set, *proof, "bauhinia-hk-1");
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->hash().to_hex(), golden.at("next_validator_set").at("hash"));

  auto ip = core::decode<InclusionProof>(bytes("inclusion_proof"));
  ASSERT_TRUE(ip);
  const auto& r = golden.at("inclusion_proof");
  EXPECT_TRUE(
      verify_inclusion(*Hash256::from_hex(r.at("leaf_hash")), *ip, *Hash256::from_hex(r.at("root")))
          .ok());
  for (const char* name : {"consistency_proof", "consistency_proof_power_of_two"}) {
    auto cp = core::decode<ConsistencyProof>(bytes(name));
    ASSERT_TRUE(cp);
    const auto& c = golden.at(name);
    EXPECT_TRUE(verify_consistency(*cp, *Hash256::from_hex(c.at("root1")),
                                   *Hash256::from_hex(c.at("root2")))
                    .ok())
        << name;
  }
}

}  // namespace
}  // namespace bauhinia::chain
