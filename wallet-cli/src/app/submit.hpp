#pragma once
// The envelope around a call and its way to the ledger, shared by every
// command that signs: chain id and sequence from the node, the plan printed
// in plain words, the node's dry-run verdict, submission and the wait for commit.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/wallet/context.hpp"

namespace bauhinia::wallet {

inline constexpr std::uint64_t kDefaultExpiresInS = 600;
// The mempool refuses an expiry more than two hours ahead (mempool.hpp).
inline constexpr std::uint64_t kMaxExpiresInS = 2 * 3600;
inline constexpr std::uint64_t kDefaultPrepareExpiresInS = 3600;

// The node's chain id (GET /v1/status); an error when the config names another.
core::Result<std::string> fetch_chain_id(const Context& ctx, const NodeClient& node);
// The account's next sequence (GET /v1/query/accounts/account/<id>): 0 when
// the account does not exist yet.
core::Result<std::uint64_t> fetch_next_sequence(const NodeClient& node,
                                                const core::AccountId& account);

// What will be signed, one fact a line: the call's description, then the envelope.
std::vector<std::string> plan_lines(const Context& ctx, const chain::Transaction& tx,
                                    const std::vector<std::string>& description);

struct DryRunVerdict {
  bool would_succeed = false;
  std::string text;  // "would commit with outcome success" / "would be refused: ..."
  nlohmann::json body;
};
// POST /v1/transactions/dry-run: what the ledger would do, submitting nothing.
core::Result<DryRunVerdict> dry_run(const NodeClient& node, const chain::Transaction& tx);

struct Submitted {
  int exit_code = kExitOk;
  bool committed_success = false;  // committed with outcome success
};
// Checks the dry-run verdict (a call the ledger would refuse is not
// submitted: exit 3 with the module's reason), submits, and with `wait`
// polls until the transaction commits (or `wait_for` passes). Prints the
// result (table or JSON) on ctx.out, progress on ctx.err.
Submitted submit_transaction(const Context& ctx, const NodeClient& node,
                             const chain::Transaction& tx, bool wait,
                             std::chrono::seconds wait_for = std::chrono::seconds(60));

}  // namespace bauhinia::wallet
