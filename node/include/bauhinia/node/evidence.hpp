#pragma once
// Equivocation evidence from the replica to the chain (issue 10, item 4): the
// replica's consensus::Evidence (two conflicting messages one validator
// signed for one epoch and round) becomes a system.submit_evidence
// transaction signed by this node's account key, which every replica then
// verifies from the signatures alone (docs/contracts/system.md).
//
// The node's account key: a BIP-340 key file `node_account.key` beside the
// node key (config [node] key_file's folder), created at the first start when
// absent (mode 0600). Its account submits the evidence; it needs no role.

#include <filesystem>
#include <string>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/consensus/effects.hpp"
#include "bauhinia/contracts/system/evidence.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::node {

inline constexpr const char* kNodeAccountKeyFileName = "node_account.key";

// The key in `path`, created (0600) when the file does not exist.
core::Result<core::schnorr::SecretKey> load_or_create_account_key(
    const std::filesystem::path& path);

// The call's arguments: each message's signed statement (a vote's ledger
// info, a proposal's signing data for `chain_id`) and its signature. A
// message that does not decode, is not of the evidence's kind or is not the
// offender's is a rejection.
core::Checked<contracts::system::SubmitEvidenceArgs> evidence_args(const consensus::Evidence& e,
                                                                   const std::string& chain_id);

// The signed system.submit_evidence transaction.
chain::Transaction evidence_transaction(const contracts::system::SubmitEvidenceArgs& args,
                                        const core::schnorr::SecretKey& key,
                                        const std::string& chain_id, std::uint64_t sequence,
                                        std::uint64_t expiry_ms);

}  // namespace bauhinia::node
