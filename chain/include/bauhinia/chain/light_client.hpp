#pragma once
// THE way to verify what a node serves (docs/formats/chain.md, "How a client
// verifies"): a committed transaction, or a state record, under a header the
// client trusts. Each entry point does every check and answers one Verdict
// whose reason and detail say which check failed; callers (the node's tests,
// the fuzzers, the wallet, the explorer) never combine the lower-level
// verifiers (verify_inclusion, verify_state_proof) themselves, since those
// trust the proof's own tree size and the key they are given.
//
// A header is trusted either because the client holds it (the genesis header,
// by its id) or through its CertifiedHeader: the commit certificate of the
// header or of a descendant, checked against the validator set of the
// certified header's epoch (from verify_epoch_changes).

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/chain/transaction_info.hpp"
#include "bauhinia/chain/validator_set.hpp"

namespace bauhinia::chain {

// Descendant headers a CertifiedHeader may carry (the node serves at most
// this many: a block committed with up to 4096 later blocks by one certificate).
inline constexpr std::size_t kMaxCertifiedDescendants = 4096;

// A header with what vouches for it (the API's "certified" object): the headers
// of its descendants up to the block the certificate commits (usually none:
// the certificate commits `header` itself), then that certificate.
struct CertifiedHeader {
  BlockHeader header;
  std::vector<BlockHeader> descendants;  // heights header.height + 1 .. certified, in order
  QuorumCertificate commit_certificate;  // commits descendants.back(), or `header`

  // The header the certificate commits: descendants.back(), or `header`.
  const BlockHeader& certified() const { return descendants.empty() ? header : descendants.back(); }
};

// Accepts when `c.commit_certificate` commits c.certified() on `chain_id` by a
// quorum of `set` (verify_committed_header: `set` must be the trusted set of
// the certified header's epoch), and each descendant names the previous
// header's id as its parent at the next height (kBadProof); more than
// kMaxCertifiedDescendants is kTooLarge. Genesis has no certificate: trust it
// by its id instead.
core::Verdict verify_certified_header(const CertifiedHeader& c, const ValidatorSet& set,
                                      std::string_view chain_id);

// Accepts when `info` is the accumulator leaf of the transaction
// `transaction_id` under `trusted` (a header already trusted):
//   info.validate();
//   info.transaction_id == transaction_id                     (kBadProof)
//   proof.tree_size == trusted.accumulator_size               (kBadProof)
//   proof.leaf_index == info.version                          (kBadProof)
//   the path leads from info.leaf_hash() to trusted.accumulator_root
//   (verify_inclusion: kBadProof).
// `transaction_id` is the id of the transaction the client holds or asked for
// (Transaction::id(): the tagged hash of its signed bytes), never one taken
// from the response.
core::Verdict verify_transaction(const BlockHeader& trusted, const Hash256& transaction_id,
                                 const TransactionInfo& info, const InclusionProof& proof);

// The same under a header trusted through its certificate: first
// verify_certified_header(certified, set, chain_id), then the checks above
// against certified.header.
core::Verdict verify_transaction(const CertifiedHeader& certified, const ValidatorSet& set,
                                 std::string_view chain_id, const Hash256& transaction_id,
                                 const TransactionInfo& info, const InclusionProof& proof);

// Accepts when, under trusted.state_root, the record `record_key` of `module`
// holds `value` (or, for nullopt, does not exist): the state key is computed
// here, state_key(module, record_key) (its reasons for a bad module name or
// key), so the proof is bound to the record asked for, then
// verify_state_proof(trusted.state_root, key, value, proof).
core::Verdict verify_state_record(const BlockHeader& trusted, std::string_view module,
                                  ByteView record_key, const std::optional<ByteView>& value,
                                  const SparseMerkleProof& proof);

// The same under a header trusted through its certificate.
core::Verdict verify_state_record(const CertifiedHeader& certified, const ValidatorSet& set,
                                  std::string_view chain_id, std::string_view module,
                                  ByteView record_key, const std::optional<ByteView>& value,
                                  const SparseMerkleProof& proof);

}  // namespace bauhinia::chain
