#pragma once
// The simulated clients: signed transactions of the chain's real modules. Each
// replica instance drives one client account (a BIP-340 key derived from the
// run's seed and the instance) whose transactions are accounts/ping calls, the
// harmless call of the accounts module, with the account's sequence numbers.
//
// A client's transaction for a sequence number is a pure function of (key,
// sequence): the same signed bytes and id every time it is made, before or
// after a crash, on every branch. A leader therefore proposes the sequences
// that follow those already in the parent's uncommitted ancestors (found by
// id among Pipeline::pending_transactions), starting at the account's
// committed next sequence, like a mempool that holds each sequence once.
// Conflicting blocks (Byzantine leaders) carry a variant: the same sequence
// with another memo, so another id.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/state_reader.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/sim/prng.hpp"

namespace bauhinia::sim {

// The signing key of `index` within a run: a valid BIP-340 key derived from
// the run's seed and a purpose (e.g. "client", "admin").
core::schnorr::SecretKey derive_schnorr_key(std::uint64_t seed, std::string_view purpose,
                                            std::uint64_t index);

// A transaction signed by `key` for its own account, with fixed auxiliary
// randomness: its bytes and id are a function of its fields.
chain::IdentifiedTransaction signed_transaction(std::string_view chain_id,
                                                const core::schnorr::SecretKey& key,
                                                std::uint64_t sequence, std::uint64_t expiry_ms,
                                                std::string_view module, std::string_view call,
                                                core::Bytes payload);

class Workload {
 public:
  // `expiry_ms`: the expiry every transaction carries (far beyond the run).
  Workload(std::string chain_id, core::schnorr::SecretKey key, Prng prng, std::uint64_t expiry_ms);

  const core::AccountId& account() const noexcept { return account_; }

  // The next sequence of this client after the blocks whose transaction ids
  // are `pending`, given the committed state.
  std::uint64_t next_sequence(const contracts::StateReader& committed,
                              std::span<const core::Hash256> pending);
  // Candidates for a new block: 0..max transactions (drawn) from `next`.
  std::vector<chain::IdentifiedTransaction> candidates(std::uint64_t next, std::size_t max);
  // A transaction for `sequence` that differs from the one candidates() makes
  // and from every earlier variant (equivocation).
  chain::IdentifiedTransaction variant(std::uint64_t sequence);

 private:
  const chain::IdentifiedTransaction& transaction(std::uint64_t sequence);
  chain::IdentifiedTransaction make(std::uint64_t sequence, std::uint64_t variant) const;

  std::string chain_id_;
  core::schnorr::SecretKey key_;
  core::AccountId account_;
  Prng prng_;
  std::uint64_t expiry_ms_;
  std::uint64_t variants_ = 0;
  // Transactions made so far (signing is the costly part), dropped below the
  // committed sequence.
  std::map<std::uint64_t, chain::IdentifiedTransaction> made_;
};

}  // namespace bauhinia::sim
