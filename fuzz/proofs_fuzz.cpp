// Fuzzes the proof verifiers against trees whose contents are known, so that
// the oracle is exact: whatever proof a verifier ACCEPTS must tell the truth.
//   - State records (chain::verify_state_record, the light client's entry
//     point: the key computed from module and record key) under a header whose
//     state root is that of a real ledger::StateTree holding kRecords records:
//     an accepted proof must give the record's true value (or its true absence).
//   - RFC 6962 inclusion proofs against the roots of a tree of kLeaves leaves:
//     an accepted proof must name the true leaf at its index.
//   - Committed transactions (chain::verify_transaction, the light client's
//     entry point) under headers of every accumulator size over a log of
//     transaction infos: an accepted (info, proof) must be the true info at
//     its version, within the header's size, for the id asked for.
//   - RFC 6962 consistency proofs between a prefix of that tree and a second
//     tree that differs in one leaf: accepted only if the changed leaf lies
//     beyond the prefix.
// The first byte selects the mode; modes 1, 3 and 5 start from a genuine proof
// and flip bits in its encoding, which reaches the interesting paths quickly.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/chain/light_client.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/core/assert.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/state_tree.hpp"

namespace {

using bauhinia::core::Bytes;
using bauhinia::core::ByteView;
using bauhinia::core::Hash256;
namespace chain = bauhinia::chain;
namespace ledger = bauhinia::ledger;

constexpr std::size_t kRecords = 9;
constexpr std::uint64_t kLeaves = 13;

Bytes text(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

// Record keys (module "fuzz"): record-0 .. record-(kRecords - 1) exist.
Bytes record_key(std::size_t i) {
  return text("record-" + std::to_string(i));
}

struct StateFixture {
  ledger::MemoryKvStore store;
  std::map<Hash256, Bytes> records;
  std::vector<Hash256> keys;
  Hash256 root;
  chain::BlockHeader header;  // trusted; state_root == root

  StateFixture() {
    std::vector<ledger::StateWrite> writes;
    for (std::size_t i = 0; i < kRecords; ++i) {
      auto key = chain::state_key("fuzz", record_key(i));
      BAUHINIA_ASSERT(key.has_value());
      records[*key] = text("value-" + std::to_string(i * 7));
    }
    for (const auto& [k, v] : records) {
      keys.push_back(k);
      writes.push_back({k, v});
    }
    ledger::StateTree tree(store);
    ledger::WriteBatch batch;
    auto update = tree.apply(0, writes, batch);
    BAUHINIA_ASSERT(update.has_value());
    BAUHINIA_ASSERT(store.write(batch, false).is_ok());
    root = update->root;
    header.state_root = root;
  }

  std::optional<Bytes> truth(const Hash256& key) const {
    auto it = records.find(key);
    if (it == records.end()) return std::nullopt;
    return it->second;
  }
};

struct LogFixture {
  std::vector<Hash256> leaves;  // the tree
  std::vector<Hash256> other;   // the same but for one leaf (index chosen per input)
  std::array<Hash256, kLeaves + 1> roots{};

  LogFixture() {
    for (std::uint64_t i = 0; i < kLeaves; ++i) {
      leaves.push_back(chain::merkle::leaf_hash(text("leaf-" + std::to_string(i))));
    }
    for (std::uint64_t n = 1; n <= kLeaves; ++n) {
      roots[n] = chain::merkle::root(std::span(leaves).first(n));
    }
  }
};

// A log of transaction infos, version i at leaf i, and a trusted header for
// every accumulator size.
struct TransactionFixture {
  std::vector<chain::TransactionInfo> infos;
  std::vector<Hash256> leaves;
  std::array<chain::BlockHeader, kLeaves + 1> headers{};  // headers[n]: n leaves

  TransactionFixture() {
    for (std::uint64_t v = 0; v < kLeaves; ++v) {
      chain::TransactionInfo info;
      info.version = v;
      info.transaction_id = bauhinia::core::sha256(text("tx-" + std::to_string(v)));
      info.outcome = v % 3 == 0 ? chain::TxOutcome::kSuccess : chain::TxOutcome::kNotFound;
      info.state_changes_hash = bauhinia::core::sha256(text("changes-" + std::to_string(v)));
      info.events_hash = bauhinia::core::sha256(text("events-" + std::to_string(v)));
      infos.push_back(info);
      leaves.push_back(info.leaf_hash());
    }
    for (std::uint64_t n = 1; n <= kLeaves; ++n) {
      headers[n].height = n;
      headers[n].accumulator_size = n;
      headers[n].accumulator_root = chain::merkle::root(std::span(leaves).first(n));
    }
  }
};

const StateFixture& state() {
  static const StateFixture f;
  return f;
}
const LogFixture& log_tree() {
  static const LogFixture f;
  return f;
}
const TransactionFixture& transactions() {
  static const TransactionFixture f;
  return f;
}

// Reads bytes from the input, yielding zeros once it is exhausted.
struct Reader {
  ByteView in;
  std::size_t at = 0;
  std::uint8_t byte() { return at < in.size() ? in[at++] : 0; }
  Hash256 hash() {
    Hash256 h;
    for (auto& b : h.bytes()) b = byte();
    return h;
  }
  ByteView rest() const { return at < in.size() ? in.subspan(at) : ByteView{}; }
};

// XORs the rest of the input (at most `max_edits` pairs of it) into `bytes`,
// at positions chosen by it.
Bytes mutate(Bytes bytes, Reader& r, std::size_t max_edits = SIZE_MAX) {
  if (bytes.empty()) return bytes;
  for (std::size_t n = 0; n < max_edits && r.rest().size() >= 2; ++n) {
    const std::size_t pos = r.byte() % bytes.size();
    bytes[pos] ^= r.byte();
  }
  return bytes;
}

void check_state_proof(ByteView record, std::uint8_t value_choice,
                       const chain::SparseMerkleProof& proof) {
  const auto& f = state();
  auto key = chain::state_key("fuzz", record);
  BAUHINIA_ASSERT(key.has_value());
  const std::optional<Bytes> truth = f.truth(*key);
  std::optional<Bytes> claimed;
  switch (value_choice % 3) {
    case 0: claimed = truth; break;
    case 1: claimed = std::nullopt; break;
    default: claimed = text("value-forged"); break;
  }
  std::optional<ByteView> claimed_view;
  if (claimed) claimed_view = ByteView(*claimed);
  if (chain::verify_state_record(f.header, "fuzz", record, claimed_view, proof).ok()) {
    BAUHINIA_ASSERT_MSG(claimed == truth, "a state proof was accepted for a false value");
  }
}

void state_mode(Reader& r, bool from_genuine) {
  const auto& f = state();
  const std::uint8_t which = r.byte();
  // An existing record, or one that does not exist.
  const Bytes record =
      which < 200 ? record_key(which % kRecords) : text("absent-" + std::to_string(r.byte()));
  const std::uint8_t value_choice = r.byte();
  Bytes encoded;
  if (from_genuine) {
    ledger::StateTree tree(f.store);
    auto genuine = tree.get_with_proof(f.keys[r.byte() % f.keys.size()], 0);
    BAUHINIA_ASSERT(genuine.has_value());
    encoded = mutate(bauhinia::core::encode(genuine->proof), r);
  } else {
    const ByteView rest = r.rest();
    encoded.assign(rest.begin(), rest.end());
  }
  auto proof = bauhinia::core::decode<chain::SparseMerkleProof>(encoded);
  if (!proof) return;
  check_state_proof(record, value_choice, *proof);
}

void inclusion_mode(Reader& r, bool from_genuine) {
  const auto& f = log_tree();
  const std::uint8_t which = r.byte();
  const Hash256 leaf = which < 200 ? f.leaves[which % kLeaves] : r.hash();
  Bytes encoded;
  if (from_genuine) {
    chain::InclusionProof p;
    p.tree_size = 1 + r.byte() % kLeaves;
    p.leaf_index = r.byte() % p.tree_size;
    p.path = chain::merkle::inclusion_path(std::span(f.leaves).first(p.tree_size), p.leaf_index);
    encoded = mutate(bauhinia::core::encode(p), r);
  } else {
    const ByteView rest = r.rest();
    encoded.assign(rest.begin(), rest.end());
  }
  auto proof = bauhinia::core::decode<chain::InclusionProof>(encoded);
  if (!proof || proof->tree_size == 0 || proof->tree_size > kLeaves) return;
  if (chain::verify_inclusion(leaf, *proof, f.roots[proof->tree_size]).ok()) {
    BAUHINIA_ASSERT_MSG(proof->leaf_index < proof->tree_size && f.leaves[proof->leaf_index] == leaf,
                        "an inclusion proof was accepted for a leaf not at its index");
  }
}

void transaction_mode(Reader& r) {
  const auto& f = transactions();
  const std::uint64_t size = 1 + r.byte() % kLeaves;  // the trusted header's
  const std::uint64_t proof_size = 1 + r.byte() % kLeaves;
  const std::uint64_t index = r.byte() % proof_size;
  // The transaction asked for: one of the log's (maybe beyond `size`) or unknown.
  const std::uint8_t which = r.byte();
  const Hash256 asked = which < 200 ? f.infos[which % kLeaves].transaction_id : r.hash();
  // A genuine (info, proof) in a tree of proof_size leaves, then mutated.
  chain::InclusionProof genuine{
      index, proof_size,
      chain::merkle::inclusion_path(std::span(f.leaves).first(proof_size), index)};
  const std::size_t info_edits = r.byte() % 3;
  auto info = bauhinia::core::decode<chain::TransactionInfo>(
      mutate(bauhinia::core::encode(f.infos[index]), r, info_edits));
  auto proof =
      bauhinia::core::decode<chain::InclusionProof>(mutate(bauhinia::core::encode(genuine), r));
  if (!info || !proof) return;
  if (chain::verify_transaction(f.headers[size], asked, *info, *proof).ok()) {
    BAUHINIA_ASSERT_MSG(info->version < size && *info == f.infos[info->version] &&
                            info->transaction_id == asked && proof->tree_size == size &&
                            proof->leaf_index == info->version,
                        "a transaction proof was accepted for a false or foreign leaf");
  }
}

void consistency_mode(Reader& r) {
  const auto& f = log_tree();
  const std::uint64_t changed = r.byte() % kLeaves;
  std::vector<Hash256> other = f.leaves;
  other[changed] = chain::merkle::leaf_hash(text("changed"));
  const std::uint64_t first = 1 + r.byte() % kLeaves;
  const std::uint64_t second = first + r.byte() % (kLeaves - first + 1);
  std::vector<Hash256> path;
  if (r.byte() % 2 == 0) {
    // Start from the genuine path between the unchanged trees, then mutate it.
    chain::ConsistencyProof p{
        first, second, chain::merkle::consistency_path(std::span(f.leaves).first(second), first)};
    auto mutated =
        bauhinia::core::decode<chain::ConsistencyProof>(mutate(bauhinia::core::encode(p), r));
    if (!mutated) return;
    path = mutated->path;
  } else {
    while (r.rest().size() >= 32 && path.size() < 64) path.push_back(r.hash());
  }
  const Hash256 root2 = chain::merkle::root(std::span(other).first(second));
  if (chain::verify_consistency(first, second, f.roots[first], root2, path).ok()) {
    BAUHINIA_ASSERT_MSG(changed >= first,
                        "a consistency proof was accepted although the older tree changed");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Reader r{ByteView(data + 1, size - 1)};
  switch (data[0] % 6) {
    case 0: state_mode(r, false); break;
    case 1: state_mode(r, true); break;
    case 2: inclusion_mode(r, false); break;
    case 3: inclusion_mode(r, true); break;
    case 5: transaction_mode(r); break;
    default: consistency_mode(r); break;
  }
  return 0;
}
