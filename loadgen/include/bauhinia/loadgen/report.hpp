#pragma once
// The result of one load run and its two forms: a text summary for people
// and JSON (--json) for scripts. Times are from the load generator's
// monotonic clock; a commit is timed when the block poller first sees it.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bauhinia/loadgen/latency.hpp"

namespace bauhinia::loadgen {

struct Report {
  // The run.
  std::string chain_id;
  std::vector<std::string> apis;
  std::uint64_t target_rate_per_s = 0;  // 0: as fast as accepted
  std::size_t connections = 0;          // submitting connections in total
  std::size_t batch = 0;                // transactions per batch request (0: single submissions)
  std::size_t accounts = 0;
  std::size_t prepared = 0;  // transactions signed before the run
  double prepare_s = 0;      // time spent signing them
  std::uint64_t start_height = 0;
  std::uint64_t end_height = 0;  // last block read by the poller
  // The polled node's consensus round before and after the run: rounds that
  // produced no block (timeouts) show as more rounds than blocks.
  std::uint64_t start_round = 0;
  std::uint64_t end_round = 0;

  // Submission.
  std::size_t submitted = 0;           // distinct transactions sent at least once
  std::size_t accepted = 0;            // answered 202 pending or 200 committed
  std::size_t rejected = 0;            // refused for good (or retried too often)
  std::size_t unanswered = 0;          // sent, but no answer before the run ended
  std::uint64_t requests = 0;          // POST requests (single or batch), resubmissions included
  std::uint64_t retries = 0;           // resubmissions after 429/503 or a lost connection
  std::uint64_t transport_errors = 0;  // connects/reads/writes that failed or timed out
  std::uint64_t bad_answers = 0;  // batch answers not matching the batch (its transactions retried)
  std::uint64_t throttled = 0;    // 429 answers (the node is behind or over its budget)
  std::uint64_t throttled_without_retry_after = 0;  // of those, without a Retry-After
  std::map<std::string, std::uint64_t> rejections;  // every non-2xx answer, by API error code
  double submit_window_s = 0;                       // first send .. last send
  double submitted_per_s = 0;                       // submitted / submit_window_s
  double max_send_lag_ms = 0;  // worst delay of a send behind its schedule (--rate)

  // Commits.
  std::size_t committed = 0;  // our transactions seen in committed blocks
  std::uint64_t blocks = 0;   // blocks read by the poller
  std::uint64_t foreign = 0;  // transactions in those blocks that were not ours
  std::uint64_t poll_errors = 0;
  double commit_window_s = 0;                     // first send .. last commit seen
  double committed_per_s = 0;                     // committed / commit_window_s
  LatencySummary latency;                         // submission (first send) to commit seen
  std::vector<std::uint64_t> committed_timeline;  // our commits per second of the run
  // Latency of the transactions first sent in each minute of the run (JSON only).
  std::vector<LatencySummary> latency_by_minute;
  bool timed_out = false;  // stopped by --timeout with accepted transactions still uncommitted
  double elapsed_s = 0;    // the whole run, without preparation
  double run_cpu_s = 0;    // CPU time of the load generator itself during the run
};

std::string format_text(const Report& report);
std::string format_json(const Report& report);  // one JSON object, pretty-printed

}  // namespace bauhinia::loadgen
