#pragma once
// The parts of the node's HTTP/JSON API (docs/api/openapi.yaml) the load
// generator reads, parsed from response bodies. Bodies come from outside:
// anything malformed or oversized is a Rejection, never an exception.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::loadgen {

// More ids than this in one block or page are refused.
inline constexpr std::size_t kMaxIdsPerPage = 100'000;

// GET /v1/status
struct NodeStatusInfo {
  std::string chain_id;
  std::uint64_t height = 0;
  std::uint64_t round = 0;  // the node's consensus round (0 if not given)
  std::string node_name;
};
core::Checked<NodeStatusInfo> parse_status(std::string_view body);

// GET /v1/blocks/{h}: the block's first transaction ids (the API lists at
// most its page limit; `truncated` says the rest are to be read from
// /v1/accumulator/leaves starting at first_index + ids.size()).
struct BlockPage {
  std::uint64_t height = 0;
  std::uint64_t first_index = 0;
  std::uint64_t transaction_count = 0;
  std::vector<core::Hash256> ids;
  bool truncated = false;
};
core::Checked<BlockPage> parse_block(std::string_view body);

// GET /v1/accumulator/leaves?from=&count=: the transaction ids of the leaves.
struct LeavesPage {
  std::uint64_t from = 0;
  std::vector<core::Hash256> ids;
};
core::Checked<LeavesPage> parse_leaves(std::string_view body);

// What an answer to POST /v1/transactions means for the load generator.
enum class SubmitKind : std::uint8_t {
  kAccepted,  // 202 pending, or 200 already committed
  kRetry,     // 429 / 503 (account or mempool full, state unavailable): try again later
  kRejected,  // anything else: the transaction is refused for good
};
struct SubmitOutcome {
  SubmitKind kind = SubmitKind::kRejected;
  // The API's error code ({"error": {"code": ...}}), or "http_<status>" when
  // the body has none; empty when accepted.
  std::string reason;
};
// An HTTP Retry-After value in its delta-seconds form ("1", "30"), capped at
// kMaxRetryAfterS; nullopt when absent or not a plain number (the HTTP-date
// form is not used by the node).
inline constexpr std::uint32_t kMaxRetryAfterS = 3600;
std::optional<std::uint32_t> parse_retry_after(std::string_view value);

SubmitOutcome classify_submit_response(unsigned http_status, std::string_view body);

// POST /v1/transactions/batch (application/octet-stream): each transaction
// as a 4-byte big-endian length and its bytes, in order.
inline constexpr std::size_t kMaxBatchTransactions = 256;  // the API's limit per batch
std::string encode_batch_frames(const std::vector<const core::Bytes*>& transactions);

// What the batch answer says of one transaction: the outcome its single
// submission would have had, and that answer's Retry-After.
struct BatchVerdict {
  unsigned http_status = 0;
  SubmitOutcome outcome;
  std::optional<std::uint32_t> retry_after_s;  // capped at kMaxRetryAfterS
};
// The verdicts of a batch of the transactions `ids`, in order. A 200 answer
// must hold exactly one result per transaction, at its position, with its id
// (anything else is a Rejection: the answer cannot be matched to what was
// sent). Any other status refuses the batch as a whole: every transaction
// gets classify_submit_response(status, body) and the header's Retry-After.
core::Checked<std::vector<BatchVerdict>> parse_batch_answer(
    unsigned http_status, std::string_view body, const std::vector<core::Hash256>& ids,
    std::optional<std::uint32_t> retry_after_header);

}  // namespace bauhinia::loadgen
