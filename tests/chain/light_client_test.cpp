// The light client's entry points (light_client.hpp): a genuine transaction
// or record under a certified header is accepted; every hostile variant is
// refused with its reason, including those the lower-level verifiers accept
// on their own (a proof relabelled with another tree size).

#include "bauhinia/chain/light_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "chain_fixtures.hpp"

namespace bauhinia::chain {
namespace {

using core::Bytes;
using core::Reject;
using test::Committee;
using test::filled;

// A naive state tree over (key, value hash) pairs (docs/formats/state-tree.md).
struct Entry {
  Hash256 key;
  Hash256 value_hash;
};

Hash256 state_root_of(const std::vector<Entry>& entries, unsigned depth = 0) {
  if (entries.empty()) return state_placeholder_hash();
  if (entries.size() == 1) return state_leaf_hash(entries[0].key, entries[0].value_hash);
  std::vector<Entry> left, right;
  for (const auto& e : entries) (e.key.bit(depth) ? right : left).push_back(e);
  return state_internal_hash(state_root_of(left, depth + 1), state_root_of(right, depth + 1));
}

SparseMerkleProof state_proof_of(std::vector<Entry> entries, const Hash256& key) {
  SparseMerkleProof proof;
  unsigned depth = 0;
  while (entries.size() > 1) {
    std::vector<Entry> left, right;
    for (const auto& e : entries) (e.key.bit(depth) ? right : left).push_back(e);
    const bool go_right = key.bit(depth);
    proof.siblings.push_back(state_root_of(go_right ? left : right, depth + 1));
    entries = go_right ? right : left;
    ++depth;
  }
  if (!entries.empty()) proof.leaf = SparseMerkleLeaf{entries[0].key, entries[0].value_hash};
  std::reverse(proof.siblings.begin(), proof.siblings.end());
  return proof;
}

Bytes B(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

std::string detail_of(const core::Verdict& v) {
  return v ? std::string("accepted") : v.rejection().detail;
}

Reject reason_of(const core::Verdict& v) {
  EXPECT_FALSE(v.ok()) << "accepted";
  return v ? Reject::kInvalid : v.rejection().reason;
}

class LightClientTest : public ::testing::Test {
 protected:
  static constexpr std::uint64_t kLeaves = 7;

  void SetUp() override {
    for (std::uint64_t v = 0; v < kLeaves; ++v) {
      TransactionInfo info;
      info.version = v;
      info.transaction_id = filled(static_cast<std::uint8_t>(0x40 + v));
      info.outcome = v % 2 == 0 ? TxOutcome::kSuccess : TxOutcome::kNotFound;
      info.state_changes_hash = filled(static_cast<std::uint8_t>(0x60 + v));
      info.events_hash = filled(static_cast<std::uint8_t>(0x80 + v));
      infos.push_back(info);
      leaves.push_back(info.leaf_hash());
    }
    for (const char* name : {"alice", "bob", "carol"}) {
      entries.push_back(
          {*state_key("accounts", B(name)), state_value_hash(B(std::string("record of ") + name))});
    }
    certified.header = header_at(9, filled(0x01));
    certified.commit_certificate = committee.certify(test::commit_of(certified.header), {0, 1, 2});
  }

  BlockHeader header_at(std::uint64_t height, const Hash256& parent) const {
    BlockHeader h;
    h.epoch = 0;
    h.height = height;
    h.round = height + 2;
    h.parent_hash = parent;
    h.timestamp_ms = 1'700'000'000'000 + height;
    h.proposer = committee.keys[0].public_key();
    h.transactions_root = filled(0x11);
    h.accumulator_root = merkle::root(leaves);
    h.accumulator_size = kLeaves;
    h.state_root = state_root_of(entries);
    h.validator_set_hash = committee.set.hash();
    h.next_validator_set_hash = h.validator_set_hash;
    return h;
  }

  InclusionProof proof_of(std::uint64_t index, std::uint64_t size = kLeaves) const {
    return InclusionProof{index, size,
                          merkle::inclusion_path(std::span(leaves).first(size), index)};
  }

  core::Verdict verify_tx(const CertifiedHeader& c, const TransactionInfo& info,
                          const InclusionProof& proof,
                          std::string_view chain_id = test::kChainId) const {
    return verify_transaction(c, committee.set, chain_id, info.transaction_id, info, proof);
  }

  core::Verdict verify_record(const CertifiedHeader& c, std::string_view name,
                              const std::optional<std::string>& value,
                              const SparseMerkleProof& proof) const {
    const Bytes key = B(name);
    std::optional<Bytes> bytes;
    if (value) bytes = B(*value);
    std::optional<ByteView> view;
    if (bytes) view = ByteView(*bytes);
    return verify_state_record(c, committee.set, test::kChainId, "accounts", key, view, proof);
  }

  SparseMerkleProof record_proof(std::string_view name) const {
    return state_proof_of(entries, *state_key("accounts", B(name)));
  }

  Committee committee = Committee::make(0, 4, 1);
  std::vector<TransactionInfo> infos;
  std::vector<Hash256> leaves;
  std::vector<Entry> entries;
  CertifiedHeader certified;
};

TEST_F(LightClientTest, GenuineTransactionsAndRecordsAreAccepted) {
  for (std::uint64_t v = 0; v < kLeaves; ++v) {
    EXPECT_TRUE(verify_tx(certified, infos[v], proof_of(v)).ok()) << v;
    EXPECT_TRUE(
        verify_transaction(certified.header, infos[v].transaction_id, infos[v], proof_of(v)).ok());
  }
  EXPECT_TRUE(verify_record(certified, "bob", "record of bob", record_proof("bob")).ok());
  EXPECT_TRUE(verify_record(certified, "dave", std::nullopt, record_proof("dave")).ok());

  // A header certified through a descendant's certificate.
  CertifiedHeader through;
  through.header = certified.header;
  through.descendants.push_back(header_at(10, certified.header.id()));
  through.descendants.push_back(header_at(11, through.descendants[0].id()));
  through.commit_certificate =
      committee.certify(test::commit_of(through.descendants.back()), {1, 2, 3});
  EXPECT_TRUE(verify_certified_header(through, committee.set, test::kChainId).ok());
  EXPECT_TRUE(verify_tx(through, infos[3], proof_of(3)).ok());
  EXPECT_TRUE(verify_record(through, "carol", "record of carol", record_proof("carol")).ok());
}

TEST_F(LightClientTest, AProofForAnotherTreeSizeIsRefused) {
  // Leaf 0's genuine path in the tree of 7 also "verifies" for a claimed tree
  // of 5: the RFC 9162 walk has the same shape. verify_inclusion alone
  // (which trusts proof.tree_size) accepts it; the certified size refuses it.
  InclusionProof relabelled = proof_of(0);
  relabelled.tree_size = 5;
  ASSERT_TRUE(
      verify_inclusion(infos[0].leaf_hash(), relabelled, certified.header.accumulator_root).ok());
  auto v = verify_tx(certified, infos[0], relabelled);
  EXPECT_EQ(reason_of(v), Reject::kBadProof);
  EXPECT_NE(detail_of(v).find("tree of 5 leaves"), std::string::npos) << detail_of(v);
  // A genuine proof from an older, smaller tree.
  EXPECT_EQ(reason_of(verify_tx(certified, infos[2], proof_of(2, 5))), Reject::kBadProof);
  // A larger claimed size.
  InclusionProof larger = proof_of(2);
  larger.tree_size = 8;
  EXPECT_EQ(reason_of(verify_tx(certified, infos[2], larger)), Reject::kBadProof);
}

TEST_F(LightClientTest, ALeafIndexOtherThanTheVersionIsRefused) {
  // The proof of leaf 3 offered for the info of version 2.
  auto v = verify_tx(certified, infos[2], proof_of(3));
  EXPECT_EQ(reason_of(v), Reject::kBadProof);
  EXPECT_NE(detail_of(v).find("version is 2"), std::string::npos) << detail_of(v);
  // The genuine path of leaf 2 with its index relabelled.
  InclusionProof moved = proof_of(2);
  moved.leaf_index = 3;
  EXPECT_EQ(reason_of(verify_tx(certified, infos[2], moved)), Reject::kBadProof);
  // An info whose version was rewritten to match another proof.
  TransactionInfo renumbered = infos[2];
  renumbered.version = 3;
  EXPECT_EQ(reason_of(verify_tx(certified, renumbered, proof_of(3))), Reject::kBadProof);
}

TEST_F(LightClientTest, AWrongLeafOrRootIsRefused) {
  // Another outcome, other effects: not the leaf the accumulator holds.
  TransactionInfo forged = infos[4];
  forged.outcome = TxOutcome::kUnauthorized;
  EXPECT_EQ(reason_of(verify_tx(certified, forged, proof_of(4))), Reject::kBadProof);
  forged = infos[4];
  forged.events_hash = filled(0xEE);
  EXPECT_EQ(reason_of(verify_tx(certified, forged, proof_of(4))), Reject::kBadProof);
  // The genuine leaf of another transaction than the one asked for.
  EXPECT_EQ(reason_of(verify_transaction(certified, committee.set, test::kChainId,
                                         infos[5].transaction_id, infos[4], proof_of(4))),
            Reject::kBadProof);
  // A bad format byte.
  forged = infos[4];
  forged.format = 2;
  EXPECT_FALSE(verify_tx(certified, forged, proof_of(4)).ok());
  // A path element changed.
  InclusionProof bent = proof_of(4);
  bent.path[1] = filled(0x99);
  EXPECT_EQ(reason_of(verify_tx(certified, infos[4], bent)), Reject::kBadProof);
  // A trusted header with another accumulator root (or state root).
  BlockHeader other = certified.header;
  other.accumulator_root = filled(0x22);
  EXPECT_EQ(reason_of(verify_transaction(other, infos[4].transaction_id, infos[4], proof_of(4))),
            Reject::kBadProof);
  other.state_root = filled(0x33);
  const Bytes bob = B("bob");
  const Bytes value = B("record of bob");
  EXPECT_EQ(
      reason_of(verify_state_record(other, "accounts", bob, ByteView(value), record_proof("bob"))),
      Reject::kBadProof);
}

TEST_F(LightClientTest, AHeaderNotMatchingTheCertificateIsRefused) {
  // The header's roots changed to fit a forged proof: the certificate no
  // longer commits it.
  CertifiedHeader altered = certified;
  altered.header.accumulator_size = 5;
  InclusionProof relabelled = proof_of(0);
  relabelled.tree_size = 5;
  EXPECT_EQ(reason_of(verify_tx(altered, infos[0], relabelled)), Reject::kBadProof);
  altered = certified;
  altered.header.state_root = filled(0x33);
  EXPECT_EQ(reason_of(verify_record(altered, "bob", "record of bob", record_proof("bob"))),
            Reject::kBadProof);
  // Another chain, too few signers, another epoch's set.
  EXPECT_EQ(reason_of(verify_tx(certified, infos[1], proof_of(1), "another-chain")),
            Reject::kInvalid);
  CertifiedHeader weak = certified;
  weak.commit_certificate = committee.certify_unchecked(test::commit_of(certified.header), {0, 1});
  EXPECT_EQ(reason_of(verify_tx(weak, infos[1], proof_of(1))), Reject::kInsufficientPower);
  const Committee outsiders = Committee::make(0, 4, 100);
  CertifiedHeader foreign = certified;
  foreign.commit_certificate = outsiders.certify(test::commit_of(certified.header), {0, 1, 2});
  EXPECT_EQ(reason_of(verify_tx(foreign, infos[1], proof_of(1))), Reject::kBadSignature);
  const Committee next = Committee::make(1, 4, 1);
  EXPECT_EQ(reason_of(verify_transaction(certified, next.set, test::kChainId,
                                         infos[1].transaction_id, infos[1], proof_of(1))),
            Reject::kWrongEpoch);
  // The certificate of another height.
  CertifiedHeader moved = certified;
  moved.header = header_at(10, filled(0x01));
  EXPECT_EQ(reason_of(verify_tx(moved, infos[1], proof_of(1))), Reject::kBadProof);

  // Descendants that do not chain, or too many of them.
  CertifiedHeader broken;
  broken.header = certified.header;
  broken.descendants.push_back(header_at(10, filled(0x77)));  // not the header's child
  broken.commit_certificate =
      committee.certify(test::commit_of(broken.descendants.back()), {0, 1, 2});
  EXPECT_EQ(reason_of(verify_tx(broken, infos[1], proof_of(1))), Reject::kBadProof);
  broken.descendants[0] = header_at(11, certified.header.id());  // skips a height
  broken.commit_certificate =
      committee.certify(test::commit_of(broken.descendants.back()), {0, 1, 2});
  EXPECT_EQ(reason_of(verify_tx(broken, infos[1], proof_of(1))), Reject::kBadProof);
  CertifiedHeader crowded = certified;
  crowded.descendants.assign(kMaxCertifiedDescendants + 1, certified.header);
  EXPECT_EQ(reason_of(verify_tx(crowded, infos[1], proof_of(1))), Reject::kTooLarge);
}

TEST_F(LightClientTest, AStateProofForAnotherRecordOrValueIsRefused) {
  // Another value, or absence claimed for a present record.
  EXPECT_EQ(reason_of(verify_record(certified, "bob", "record of eve", record_proof("bob"))),
            Reject::kBadProof);
  EXPECT_EQ(reason_of(verify_record(certified, "bob", std::nullopt, record_proof("bob"))),
            Reject::kBadProof);
  // Bob's genuine proof offered for Alice (with Bob's value), and Dave's
  // proof of absence offered for Bob: the key is computed from the record asked.
  EXPECT_EQ(reason_of(verify_record(certified, "alice", "record of bob", record_proof("bob"))),
            Reject::kBadProof);
  EXPECT_EQ(reason_of(verify_record(certified, "bob", std::nullopt, record_proof("dave"))),
            Reject::kBadProof);
  // A value claimed for an absent record.
  EXPECT_EQ(reason_of(verify_record(certified, "dave", "anything", record_proof("dave"))),
            Reject::kBadProof);
  // A module name no state key can have.
  const Bytes bob = B("bob");
  const Bytes value = B("record of bob");
  EXPECT_FALSE(verify_state_record(certified, committee.set, test::kChainId, "Accounts!", bob,
                                   ByteView(value), record_proof("bob"))
                   .ok());
}

}  // namespace
}  // namespace bauhinia::chain
