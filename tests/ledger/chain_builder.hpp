#pragma once
// Builds a deterministic test chain on a LedgerStore: the content of block h
// (its transactions, state writes, accounts, whether it ends an epoch) depends
// only on h, so a checker can recompute what any stored block must hold, and a
// writer restarted after a crash continues the same chain. Commit certificates
// are real: Ed25519 keys from fixed seeds, 4 validators per epoch, 3 signing.
// Used by the ledger tests, the crash writer and bench/storage_bench.cpp.

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/ledger/ledger_store.hpp"

namespace bauhinia::test {

using core::Bytes;
using core::Hash256;

inline Bytes text_bytes(const std::string& s) {
  const core::ByteView v = core::as_bytes(s);
  return {v.begin(), v.end()};
}

// The validator keys of an epoch: seed = (epoch, index, 0xB5...).
inline std::vector<core::ed25519::SecretKey> validator_keys(std::uint64_t epoch,
                                                            std::size_t count = 4) {
  std::vector<core::ed25519::SecretKey> keys;
  for (std::size_t i = 0; i < count; ++i) {
    std::array<std::uint8_t, core::ed25519::kSeedSize> seed{};
    seed.fill(0xB5);
    for (int b = 0; b < 8; ++b)
      seed[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(epoch >> (8 * b));
    seed[8] = static_cast<std::uint8_t>(i);
    keys.push_back(core::ed25519::SecretKey::from_seed(seed));
  }
  return keys;
}

inline chain::ValidatorSet validator_set(std::uint64_t epoch, std::size_t count = 4) {
  chain::ValidatorSet set;
  set.epoch = epoch;
  const auto keys = validator_keys(epoch, count);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    set.validators.push_back({keys[i].public_key(), 1 + i % 2, "dept" + std::to_string(i)});
  }
  return set;
}

inline Hash256 record_key(std::uint64_t n) {
  auto k = chain::state_key("test", text_bytes("record-" + std::to_string(n)));
  BAUHINIA_ASSERT(k.has_value());
  return *k;
}

// A commit certificate for `header` signed by enough of the epoch's keys.
inline chain::QuorumCertificate certify(const chain::BlockHeader& header,
                                        const std::string& chain_id) {
  const chain::ValidatorSet set = validator_set(header.epoch);
  const auto keys = validator_keys(header.epoch);
  chain::LedgerInfo li;
  li.chain_id = chain_id;
  li.epoch = header.epoch;
  li.round = header.round;
  li.commit_block = header.id();
  li.commit_height = header.height;
  li.consensus_data_hash = core::sha256(text_bytes("consensus/" + std::to_string(header.height)));
  const Hash256 msg = li.signing_hash();
  std::vector<chain::IndexedSignature> votes;
  std::uint64_t power = 0;
  for (std::size_t i = 0; i < keys.size() && power < set.quorum_power(); ++i) {
    votes.emplace_back(i, keys[i].sign(msg.view()));
    power += set.validators[i].voting_power;
  }
  auto qc = chain::build_quorum_certificate(li, set, votes);
  BAUHINIA_ASSERT_MSG(qc.has_value(), "test certificate");
  return std::move(qc).value();
}

struct ChainParams {
  std::string chain_id = "bauhinia-test-1";
  std::uint64_t epoch_length = 5;          // every 5th block ends its epoch (0: never)
  std::size_t transactions_per_block = 0;  // 0: 1 + height % 4
  std::size_t transaction_bytes = 120;
  std::size_t writes_per_block = 3;
  std::uint64_t record_space = 40;  // records "record-0" .. "record-(n-1)"
};

class ChainBuilder {
 public:
  explicit ChainBuilder(ChainParams params = {}) : p_(std::move(params)) {}
  const ChainParams& params() const { return p_; }

  ledger::GenesisSpec genesis() const {
    ledger::GenesisSpec g;
    g.chain_id = p_.chain_id;
    g.validators = validator_set(0);
    g.timestamp_ms = kBaseTime;
    for (std::uint64_t n : {0ULL, 1ULL, 2ULL}) {
      g.state.push_back({record_key(n), text_bytes("genesis value " + std::to_string(n))});
    }
    std::sort(g.state.begin(), g.state.end(),
              [](const auto& a, const auto& b) { return a.key < b.key; });
    return g;
  }

  std::size_t transaction_count(std::uint64_t height) const {
    return p_.transactions_per_block != 0 ? p_.transactions_per_block : 1 + height % 4;
  }

  // The signed-envelope stand-ins of block `height` (unique bytes per transaction).
  std::vector<Bytes> transactions(std::uint64_t height) const {
    std::vector<Bytes> txs;
    for (std::size_t i = 0; i < transaction_count(height); ++i) {
      Bytes tx = text_bytes("tx/" + std::to_string(height) + "/" + std::to_string(i) + "/");
      // Incompressible filler, like the keys and signatures of a real envelope.
      std::uint64_t x = height * 0x9E3779B97F4A7C15ULL + i;
      while (tx.size() < p_.transaction_bytes) {
        x += 0x9E3779B97F4A7C15ULL;  // splitmix64
        std::uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        tx.push_back(static_cast<std::uint8_t>(z ^ (z >> 31)));
      }
      txs.push_back(std::move(tx));
    }
    return txs;
  }

  // The state writes of block `height`: sets a few records, deletes one now and then.
  std::vector<ledger::StateWrite> state_writes(std::uint64_t height) const {
    std::map<Hash256, std::optional<Bytes>> writes;
    for (std::size_t j = 0; j < p_.writes_per_block; ++j) {
      const std::uint64_t n = (height * 7 + j * 13) % p_.record_space;
      writes[record_key(n)] =
          text_bytes("value of " + std::to_string(n) + " at " + std::to_string(height));
    }
    if (height % 4 == 0) writes[record_key((height * 3) % p_.record_space)] = std::nullopt;
    std::vector<ledger::StateWrite> out;
    for (auto& [k, v] : writes) out.push_back({k, std::move(v)});
    return out;
  }

  static Hash256 account(std::uint64_t n) {
    return core::tagged_hash(core::HashTag::kAccount, text_bytes("account-" + std::to_string(n)));
  }

  // The accounts transaction i of block `height` concerns (no repeats).
  static std::vector<Hash256> accounts_of(std::uint64_t height, std::size_t i) {
    std::vector<Hash256> accounts{account(height % 3)};
    if (i % 5 != height % 3) accounts.push_back(account(i % 5));
    return accounts;
  }

  bool ends_epoch(std::uint64_t height) const {
    return p_.epoch_length != 0 && height % p_.epoch_length == 0;
  }

  // The block at store.latest_height() + 1, with roots from the store.
  ledger::BlockCommit next_block(const ledger::LedgerStore& store) const {
    const chain::BlockHeader parent = store.latest_header();
    const chain::ValidatorSet set = store.current_validator_set();
    const std::uint64_t height = parent.height + 1;
    ledger::BlockCommit b;
    b.transactions = transactions(height);
    b.state_writes = state_writes(height);
    std::uint64_t index = parent.accumulator_size;
    for (std::size_t i = 0; i < b.transactions.size(); ++i, ++index) {
      chain::TransactionInfo info;
      info.version = index;
      info.transaction_id = core::tagged_hash(core::HashTag::kTransactionId, b.transactions[i]);
      info.outcome = i % 3 == 2 ? chain::TxOutcome::kNotFound : chain::TxOutcome::kSuccess;
      info.state_changes_hash = core::tagged_hash(core::HashTag::kStateChanges, b.transactions[i]);
      info.events_hash = core::sha256(b.transactions[i]);
      b.infos.push_back(info);
      b.accounts.push_back(accounts_of(height, i));
    }
    seal(store, b);
    return b;
  }

  // Fills in b's header (roots from the store) and certificate for the
  // transactions, infos and writes it holds: after a test changed them.
  void seal(const ledger::LedgerStore& store, ledger::BlockCommit& b) const {
    const chain::BlockHeader parent = store.latest_header();
    const chain::ValidatorSet set = store.current_validator_set();
    const std::uint64_t height = parent.height + 1;
    auto roots = store.roots_after(b.infos, b.state_writes);
    BAUHINIA_ASSERT_MSG(roots.has_value(), "roots_after");
    chain::BlockHeader& h = b.header;
    h = chain::BlockHeader{};
    h.epoch = set.epoch;
    h.height = height;
    h.round = height;
    h.parent_hash = parent.id();
    h.timestamp_ms = kBaseTime + height * 1000;
    h.proposer = validator_keys(set.epoch)[height % 4].public_key();
    h.transactions_root = roots->transactions_root;
    h.accumulator_root = roots->accumulator_root;
    h.accumulator_size = roots->accumulator_size;
    h.state_root = roots->state_root;
    h.validator_set_hash = set.hash();
    h.next_validator_set_hash = set.hash();
    b.next_validator_set.reset();
    if (ends_epoch(height)) {
      b.next_validator_set = validator_set(set.epoch + 1);
      h.next_validator_set_hash = b.next_validator_set->hash();
    }
    b.certificate = certify(h, store.chain_id());
  }

  static constexpr std::uint64_t kBaseTime = 1'750'000'000'000ULL;

 private:
  ChainParams p_;
};

}  // namespace bauhinia::test
