#pragma once
// Shared helpers of the consensus tests: deterministic validator keys, a
// genesis, a trivial but real execution function, and signing helpers that
// build votes, QCs, timeouts and TCs the way honest validators would.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/events.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/consensus/safety_rules.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::consensus::testing {

inline const std::string kChainId = "bauhinia-test";

inline core::ed25519::SecretKey key_for(std::uint32_t seed) {
  std::array<std::uint8_t, 32> s{};
  s[0] = static_cast<std::uint8_t>(seed);
  s[1] = static_cast<std::uint8_t>(seed >> 8);
  s[31] = 0x5a;
  return core::ed25519::SecretKey::from_seed(s);
}

inline chain::ValidatorSet make_set(const std::vector<std::uint64_t>& powers, Epoch epoch = 0,
                                    std::uint32_t first_seed = 0) {
  chain::ValidatorSet set;
  set.epoch = epoch;
  for (std::size_t i = 0; i < powers.size(); ++i) {
    set.validators.push_back(
        chain::ValidatorInfo{key_for(first_seed + static_cast<std::uint32_t>(i)).public_key(),
                             powers[i], "v" + std::to_string(i)});
  }
  return set;
}

inline chain::BlockHeader genesis_for(const chain::ValidatorSet& set) {
  chain::BlockHeader g;
  g.epoch = set.epoch;
  g.timestamp_ms = 1000;
  g.validator_set_hash = set.hash();
  g.next_validator_set_hash = set.hash();
  return g;
}

inline EpochContext context_for(const chain::ValidatorSet& set, const chain::BlockHeader& root) {
  return EpochContext{kChainId, set, root.id(), root.height};
}

inline RecoveryData genesis_recovery(const chain::ValidatorSet& set) {
  const chain::BlockHeader g = genesis_for(set);
  RecoveryData r;
  r.epoch = context_for(set, g);
  r.root = g;
  r.root_qc = QuorumCert::for_epoch_root(kChainId, set.epoch, g);
  return r;
}

// The trivial execution: the state is a hash chain over payloads. A payload
// "EPOCH:<n>" ends the epoch with the set given to the executor.
struct Executor {
  std::optional<chain::ValidatorSet> next_set;  // applied by an "EPOCH" payload

  chain::BlockHeader execute(const chain::BlockHeader& parent, const chain::BlockHeader& meta,
                             const core::Bytes& payload) const {
    chain::BlockHeader h;
    h.epoch = meta.epoch;
    h.height = meta.height;
    h.round = meta.round;
    h.parent_hash = meta.parent_hash;
    h.timestamp_ms = meta.timestamp_ms;
    h.proposer = meta.proposer;
    h.transactions_root = core::sha256(payload);
    core::Bytes acc(parent.accumulator_root.view().begin(), parent.accumulator_root.view().end());
    acc.insert(acc.end(), payload.begin(), payload.end());
    h.accumulator_root = payload.empty() ? parent.accumulator_root : core::sha256(acc);
    h.accumulator_size = parent.accumulator_size + (payload.empty() ? 0 : 1);
    h.state_root = h.accumulator_root;
    // A parent that ended the epoch leaves the next set pending (suffix blocks).
    const bool new_epoch = meta.epoch != parent.epoch;
    h.validator_set_hash = new_epoch ? parent.next_validator_set_hash : parent.validator_set_hash;
    h.next_validator_set_hash = new_epoch ? h.validator_set_hash : parent.next_validator_set_hash;
    const std::string text(payload.begin(), payload.end());
    if (text.rfind("EPOCH", 0) == 0 && next_set) h.next_validator_set_hash = next_set->hash();
    return h;
  }
};

// Signs a vote as validator `seed` would (no safety rules): for tests of
// aggregation and certificate checks.
inline Vote sign_vote(const core::ed25519::SecretKey& key, const VoteData& vd,
                      std::optional<BlockRef> commit = std::nullopt) {
  Vote v;
  v.vote_data = vd;
  v.ledger_info.chain_id = kChainId;
  v.ledger_info.epoch = vd.epoch;
  v.ledger_info.round = vd.round;
  if (commit) {
    v.ledger_info.commit_block = commit->id;
    v.ledger_info.commit_height = commit->height;
  }
  v.ledger_info.consensus_data_hash = vd.hash();
  v.author = key.public_key();
  v.signature = key.sign(v.ledger_info.signing_hash().view());
  return v;
}

// A QC over `vd` signed by the validators `signers` (indices into set, seeds = index).
inline QuorumCert make_qc(const chain::ValidatorSet& set, const VoteData& vd,
                          const std::vector<std::size_t>& signers,
                          std::optional<BlockRef> commit = std::nullopt,
                          std::uint32_t first_seed = 0) {
  std::vector<chain::IndexedSignature> sigs;
  chain::LedgerInfo li;
  for (std::size_t i : signers) {
    Vote v = sign_vote(key_for(first_seed + static_cast<std::uint32_t>(i)), vd, commit);
    li = v.ledger_info;
    sigs.emplace_back(i, v.signature);
  }
  QuorumCert qc;
  qc.vote_data = vd;
  if (sigs.empty()) {
    qc.certificate.ledger_info = li;
    return qc;
  }
  auto cert = chain::build_quorum_certificate(li, set, sigs);
  if (!cert) {
    // Too little power: build it by hand so tests can feed it to verifiers.
    qc.certificate.ledger_info = li;
    qc.certificate.signer_bitmap.assign((set.validators.size() + 7) / 8, 0);
    for (const auto& [i, s] : sigs) {
      bitmap_set(qc.certificate.signer_bitmap, i);
      qc.certificate.signatures.push_back(s);
    }
    return qc;
  }
  qc.certificate = std::move(cert).value();
  return qc;
}

inline TimeoutMessage sign_timeout_message(const core::ed25519::SecretKey& key, Epoch epoch,
                                           Round round, const QuorumCert& hqc,
                                           std::optional<TimeoutCertificate> last_tc = {}) {
  TimeoutMessage t;
  t.epoch = epoch;
  t.round = round;
  t.high_qc = hqc;
  t.last_tc = std::move(last_tc);
  t.author = key.public_key();
  t.signature = key.sign(t.signing_data(kChainId).signing_hash().view());
  return t;
}

inline TimeoutCertificate make_tc(const chain::ValidatorSet& set, Epoch epoch, Round round,
                                  const std::vector<std::size_t>& signers,
                                  const std::vector<QuorumCert>& hqcs) {
  TimeoutCertificate tc;
  tc.epoch = epoch;
  tc.round = round;
  tc.signer_bitmap.assign((set.validators.size() + 7) / 8, 0);
  const QuorumCert* best = nullptr;
  for (std::size_t k = 0; k < signers.size(); ++k) {
    TimeoutMessage t = sign_timeout_message(key_for(static_cast<std::uint32_t>(signers[k])), epoch,
                                            round, hqcs[k]);
    bitmap_set(tc.signer_bitmap, signers[k]);
    tc.high_qc_rounds.push_back(hqcs[k].round());
    tc.signatures.push_back(t.signature);
    if (best == nullptr || hqcs[k].round() > best->round()) best = &hqcs[k];
  }
  if (best != nullptr) tc.high_qc = *best;
  return tc;
}

// A block header child of `parent` at `round`, as if executed by Executor.
inline chain::BlockHeader child_header(const chain::BlockHeader& parent, Round round,
                                       const core::ed25519::PublicKey& proposer,
                                       const core::Bytes& payload = {}, Epoch epoch = 0) {
  chain::BlockHeader meta;
  meta.epoch = epoch;
  meta.height = parent.height + 1;
  meta.round = round;
  meta.parent_hash = parent.id();
  meta.timestamp_ms = parent.timestamp_ms + 100;
  meta.proposer = proposer;
  return Executor{}.execute(parent, meta, payload);
}

inline VoteData vote_data_for(const chain::BlockHeader& block, Round parent_round,
                              Epoch epoch = 0) {
  VoteData vd;
  vd.epoch = epoch;
  vd.round = block.round;
  vd.block_id = block.id();
  vd.height = block.height;
  vd.parent_round = parent_round;
  vd.parent_id = block.parent_hash;
  return vd;
}

inline Proposal make_proposal(const core::ed25519::SecretKey& leader,
                              const chain::BlockHeader& header, const QuorumCert& qc,
                              std::optional<TimeoutCertificate> tc = std::nullopt,
                              core::Bytes payload = {}) {
  Proposal p;
  p.header = header;
  p.payload = std::move(payload);
  p.qc = qc;
  p.tc = std::move(tc);
  p.signature = leader.sign(p.signing_data(kChainId).signing_hash().view());
  return p;
}

}  // namespace bauhinia::consensus::testing
