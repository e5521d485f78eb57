#include "bauhinia/loadgen/load_run.hpp"

#include <algorithm>
#include <deque>
#include <memory>
#include <tuple>
#include <utility>

#include "bauhinia/core/assert.hpp"
#include "bauhinia/loadgen/commit_tracker.hpp"
#include "bauhinia/loadgen/http_connection.hpp"
#include "bauhinia/loadgen/pacer.hpp"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace bauhinia::loadgen {

namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

constexpr std::uint64_t kLeavesPage = 1000;  // the API's default page limit
constexpr std::uint64_t kMaxBlockTransactions = 10'000'000;

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

core::Checked<tcp::endpoint> endpoint_of(const ApiAddress& api) {
  beast::error_code ec;
  const auto address = net::ip::make_address(api.host, ec);
  if (ec) {
    return core::reject(core::Reject::kBadEncoding,
                        "'" + api.host + "' is not an IP address literal");
  }
  return tcp::endpoint(address, api.port);
}

// The load run's state machine on one event loop.
class LoadRun {
 public:
  LoadRun(const RunOptions& o, const std::vector<PreparedTransaction>& txs)
      : options_(o),
        txs_(txs),
        pacer_(o.rate_per_s),
        tracker_(txs.size()),
        state_(txs.size()),
        queues_(o.apis.size()),
        idle_(o.apis.size()),
        release_timer_(io_),
        retry_timer_(io_),
        phase_timer_(io_),
        poll_timer_(io_),
        next_height_(o.start_height + 1) {}

  core::Result<Report> run();

 private:
  enum class TxStatus : std::uint8_t { kWaiting, kQueued, kInFlight, kAccepted, kRejected };
  struct TxState {
    TxStatus status = TxStatus::kWaiting;
    std::uint32_t retries = 0;
    bool sent = false;
  };
  struct Submitter {
    std::unique_ptr<HttpConnection> http;
    std::unique_ptr<net::steady_timer> backoff;
    std::size_t node = 0;
  };

  std::size_t node_of(std::size_t k) const { return txs_[k].account % options_.apis.size(); }
  std::size_t per_request() const { return std::max<std::size_t>(1, options_.batch); }

  void release_due();
  void dispatch(std::size_t node);
  void send(std::size_t submitter, std::vector<std::size_t> ks);
  void on_answer(std::size_t submitter, const std::vector<std::size_t>& ks, beast::error_code ec,
                 HttpConnection::Answer answer);
  void retry_all(std::size_t submitter, const std::vector<std::size_t>& ks);
  Clock::duration judge(std::size_t k, const BatchVerdict& verdict, Clock::time_point now);
  void rest(std::size_t submitter, Clock::duration delay);
  void schedule_retry(std::size_t k, Clock::time_point due);
  void arm_retry_timer();
  void become_idle(std::size_t submitter);
  void end_submission();
  bool submission_drained() const;
  void check_done();
  void finish(bool timed_out);

  void poll();
  void poll_later();
  void on_block(beast::error_code ec, HttpConnection::Answer answer);
  void fetch_leaves();
  void block_complete();

  const RunOptions& options_;
  const std::vector<PreparedTransaction>& txs_;
  Pacer pacer_;
  CommitTracker tracker_;
  Report report_;

  net::io_context io_;
  std::vector<TxState> state_;
  std::vector<std::deque<std::size_t>> queues_;  // per node: released, not yet sent
  std::vector<std::vector<std::size_t>> idle_;   // per node: idle submitters
  std::vector<Submitter> submitters_;
  std::deque<std::pair<Clock::time_point, std::size_t>> retries_;  // due time order
  net::steady_timer release_timer_;
  net::steady_timer retry_timer_;
  net::steady_timer phase_timer_;
  net::steady_timer poll_timer_;
  std::unique_ptr<HttpConnection> poller_;

  Clock::time_point start_;
  std::optional<Clock::time_point> last_send_;
  std::size_t released_ = 0;
  std::size_t in_flight_ = 0;
  bool submitting_ = true;
  bool done_ = false;

  // The block being read.
  std::uint64_t next_height_;
  BlockPage block_;
  Clock::time_point block_seen_;
};

core::Result<Report> LoadRun::run() {
  const std::size_t nodes = options_.apis.size();
  for (std::size_t n = 0; n < nodes; ++n) {
    auto endpoint = endpoint_of(options_.apis[n]);
    if (!endpoint) return core::Status::invalid_argument(endpoint.error().detail);
    for (std::size_t c = 0; c < options_.connections_per_node; ++c) {
      Submitter s;
      s.http = std::make_unique<HttpConnection>(io_, *endpoint, options_.apis[n].to_string(),
                                                options_.request_timeout, kMaxResponseBytes);
      s.backoff = std::make_unique<net::steady_timer>(io_);
      s.node = n;
      idle_[n].push_back(submitters_.size());
      submitters_.push_back(std::move(s));
    }
    report_.apis.push_back(options_.apis[n].to_string());
  }
  auto poll_endpoint = endpoint_of(options_.apis.front());
  if (!poll_endpoint) return core::Status::invalid_argument(poll_endpoint.error().detail);
  poller_ = std::make_unique<HttpConnection>(io_, *poll_endpoint, options_.apis.front().to_string(),
                                             options_.request_timeout, kMaxResponseBytes);
  report_.target_rate_per_s = options_.rate_per_s;
  report_.connections = submitters_.size();
  report_.batch = options_.batch;
  report_.start_height = options_.start_height;
  report_.end_height = options_.start_height;

  start_ = Clock::now();
  phase_timer_.expires_at(start_ + options_.duration);
  phase_timer_.async_wait([this](beast::error_code ec) {
    if (!ec && submitting_) end_submission();
  });
  poll();
  release_due();
  io_.run();

  const Clock::time_point end = Clock::now();
  report_.elapsed_s = seconds_between(start_, end);
  report_.submitted = tracker_.sent();
  report_.committed = tracker_.committed();
  report_.foreign = tracker_.foreign();
  report_.latency = tracker_.latencies().summary();
  report_.committed_timeline = tracker_.committed_timeline();
  for (const LatencyRecorder& minute : tracker_.latencies_by_minute()) {
    report_.latency_by_minute.push_back(minute.summary());
  }
  report_.committed_per_s = tracker_.committed_per_second();
  if (auto first = tracker_.first_sent()) {
    if (last_send_) {
      report_.submit_window_s = seconds_between(*first, *last_send_);
      if (report_.submit_window_s > 0) {
        report_.submitted_per_s = static_cast<double>(report_.submitted) / report_.submit_window_s;
      }
    }
    if (auto last = tracker_.last_commit())
      report_.commit_window_s = seconds_between(*first, *last);
  }
  for (const TxState& s : state_) {
    if (s.status == TxStatus::kInFlight) ++report_.unanswered;
  }
  return std::move(report_);
}

// ---- Submission --------------------------------------------------------------

void LoadRun::release_due() {
  if (!submitting_) return;
  const Clock::time_point now = Clock::now();
  const std::uint64_t due = pacer_.due_count(now - start_);
  const std::size_t target = static_cast<std::size_t>(std::min<std::uint64_t>(due, txs_.size()));
  std::vector<bool> touched(queues_.size(), false);
  for (; released_ < target; ++released_) {
    const std::size_t node = node_of(released_);
    state_[released_].status = TxStatus::kQueued;
    queues_[node].push_back(released_);
    touched[node] = true;
  }
  for (std::size_t n = 0; n < queues_.size(); ++n) {
    if (touched[n]) dispatch(n);
  }
  if (released_ < txs_.size()) {
    // Wake when the next one is due, but at most every half millisecond:
    // at high rates each wake releases a small batch.
    const Clock::time_point at = std::max<Clock::time_point>(start_ + pacer_.due_at(released_),
                                                             now + std::chrono::microseconds(500));
    release_timer_.expires_at(at);
    release_timer_.async_wait([this](beast::error_code ec) {
      if (!ec) release_due();
    });
  }
  check_done();
}

void LoadRun::dispatch(std::size_t node) {
  while (submitting_ && !queues_[node].empty() && !idle_[node].empty()) {
    auto& queue = queues_[node];
    const auto take = static_cast<std::ptrdiff_t>(std::min(queue.size(), per_request()));
    std::vector<std::size_t> ks(queue.begin(), queue.begin() + take);
    queue.erase(queue.begin(), queue.begin() + take);
    const std::size_t s = idle_[node].back();
    idle_[node].pop_back();
    send(s, std::move(ks));
  }
}

void LoadRun::send(std::size_t submitter, std::vector<std::size_t> ks) {
  const Clock::time_point now = Clock::now();
  for (std::size_t k : ks) {
    TxState& st = state_[k];
    if (!st.sent) {
      st.sent = true;
      tracker_.on_sent(txs_[k].id, now);
      if (!pacer_.unlimited()) {
        const double lag_ms =
            std::chrono::duration<double, std::milli>(now - (start_ + pacer_.due_at(k))).count();
        report_.max_send_lag_ms = std::max(report_.max_send_lag_ms, lag_ms);
      }
    }
    st.status = TxStatus::kInFlight;
  }
  last_send_ = now;
  in_flight_ += ks.size();
  ++report_.requests;
  std::string target = "/v1/transactions";
  std::string body;
  if (options_.batch == 0) {
    const core::Bytes& bytes = txs_[ks.front()].bytes;
    body.assign(bytes.begin(), bytes.end());
  } else {
    target = "/v1/transactions/batch";
    std::vector<const core::Bytes*> frames;
    frames.reserve(ks.size());
    for (std::size_t k : ks) frames.push_back(&txs_[k].bytes);
    body = encode_batch_frames(frames);
  }
  submitters_[submitter].http->post(
      std::move(target), "application/octet-stream", std::move(body),
      [this, submitter, ks = std::move(ks)](beast::error_code ec, HttpConnection::Answer answer) {
        on_answer(submitter, ks, ec, std::move(answer));
      });
}

void LoadRun::on_answer(std::size_t submitter, const std::vector<std::size_t>& ks,
                        beast::error_code ec, HttpConnection::Answer answer) {
  if (done_) return;
  in_flight_ -= ks.size();
  if (ec) {
    // Lost connection or timeout: the node may or may not have the
    // transactions; resubmitting is harmless (a duplicate is 202, a
    // committed one 200).
    ++report_.transport_errors;
    return retry_all(submitter, ks);
  }
  std::vector<BatchVerdict> verdicts;
  if (options_.batch == 0) {
    verdicts.push_back(BatchVerdict{
        answer.status, classify_submit_response(answer.status, answer.body), answer.retry_after_s});
  } else {
    std::vector<core::Hash256> ids;
    ids.reserve(ks.size());
    for (std::size_t k : ks) ids.push_back(txs_[k].id);
    auto parsed = parse_batch_answer(answer.status, answer.body, ids, answer.retry_after_s);
    if (!parsed) {
      ++report_.bad_answers;
      return retry_all(submitter, ks);
    }
    verdicts = std::move(parsed).value();
  }
  Clock::duration wait{0};
  const Clock::time_point now = Clock::now();  // one due time for a batch's retries
  for (std::size_t i = 0; i < ks.size(); ++i) {
    wait = std::max(wait, judge(ks[i], verdicts[i], now));
  }
  if (wait > Clock::duration{0}) {
    rest(submitter, wait);
  } else {
    become_idle(submitter);
  }
  check_done();
}

void LoadRun::retry_all(std::size_t submitter, const std::vector<std::size_t>& ks) {
  const Clock::time_point due = Clock::now() + options_.retry_delay;
  for (std::size_t k : ks) schedule_retry(k, due);
  rest(submitter, options_.retry_delay);  // the connection rests before it is used again
  check_done();
}

// One transaction's verdict; returns how long its connection should rest
// (a Retry-After the client honours), zero for none.
Clock::duration LoadRun::judge(std::size_t k, const BatchVerdict& verdict, Clock::time_point now) {
  TxState& st = state_[k];
  switch (verdict.outcome.kind) {
    case SubmitKind::kAccepted:
      st.status = TxStatus::kAccepted;
      ++report_.accepted;
      return Clock::duration{0};
    case SubmitKind::kRetry: {
      ++report_.rejections[verdict.outcome.reason];
      if (verdict.http_status == 429) {
        ++report_.throttled;
        if (!verdict.retry_after_s) ++report_.throttled_without_retry_after;
      }
      const auto asked = std::chrono::seconds(verdict.retry_after_s.value_or(0));
      if (options_.ignore_retry_after || asked.count() == 0) {
        schedule_retry(k, now + options_.retry_delay);
        return Clock::duration{0};
      }
      // A client that honours Retry-After: this transaction, and this
      // connection's next request, wait as long as the node asked.
      schedule_retry(k, now + std::max<Clock::duration>(options_.retry_delay, asked));
      return asked;
    }
    case SubmitKind::kRejected:
      ++report_.rejections[verdict.outcome.reason];
      st.status = TxStatus::kRejected;
      ++report_.rejected;
      return Clock::duration{0};
  }
  return Clock::duration{0};
}

void LoadRun::rest(std::size_t submitter, Clock::duration delay) {
  Submitter& s = submitters_[submitter];
  s.backoff->expires_after(delay);
  s.backoff->async_wait([this, submitter](beast::error_code e) {
    if (!e && !done_) become_idle(submitter);
  });
}

void LoadRun::schedule_retry(std::size_t k, Clock::time_point due) {
  TxState& st = state_[k];
  if (!submitting_ || st.retries >= options_.max_retries) {
    st.status = TxStatus::kRejected;
    ++report_.rejected;
    return;
  }
  ++st.retries;
  ++report_.retries;
  st.status = TxStatus::kQueued;
  if (retries_.empty() || retries_.back().first <= due) {
    retries_.emplace_back(due, k);
  } else {  // a shorter delay than the last one's: keep the due-time order
    const auto at = std::upper_bound(
        retries_.begin(), retries_.end(), due,
        [](const Clock::time_point& t, const auto& entry) { return t < entry.first; });
    retries_.emplace(at, due, k);
  }
  if (retries_.front().second == k && retries_.front().first == due) arm_retry_timer();
}

void LoadRun::arm_retry_timer() {
  if (retries_.empty()) return;
  retry_timer_.expires_at(retries_.front().first);
  retry_timer_.async_wait([this](beast::error_code ec) {
    if (ec || done_) return;
    const Clock::time_point now = Clock::now();
    std::vector<std::vector<std::size_t>> due(queues_.size());
    while (!retries_.empty() && retries_.front().first <= now) {
      const std::size_t k = retries_.front().second;
      retries_.pop_front();
      due[node_of(k)].push_back(k);
    }
    // Retried transactions go first, in the order they were due (a batch's
    // in its order): their accounts' later sequences wait for them in the
    // mempool.
    for (std::size_t n = 0; n < queues_.size(); ++n) {
      if (due[n].empty()) continue;
      queues_[n].insert(queues_[n].begin(), due[n].begin(), due[n].end());
      dispatch(n);
    }
    arm_retry_timer();
  });
}

void LoadRun::become_idle(std::size_t submitter) {
  const std::size_t node = submitters_[submitter].node;
  idle_[node].push_back(submitter);
  dispatch(node);
}

bool LoadRun::submission_drained() const {
  if (in_flight_ != 0 || !retries_.empty()) return false;
  if (!submitting_) return true;
  if (released_ < txs_.size()) return false;
  return std::all_of(queues_.begin(), queues_.end(), [](const auto& q) { return q.empty(); });
}

void LoadRun::end_submission() {
  if (!submitting_) return;
  submitting_ = false;
  release_timer_.cancel();
  // What was scheduled but not sent stays unsent; pending retries are given
  // up (counted as rejected).
  for (auto& q : queues_) {
    for (std::size_t k : q) {
      if (state_[k].sent) {
        state_[k].status = TxStatus::kRejected;
        ++report_.rejected;
      } else {
        state_[k].status = TxStatus::kWaiting;
      }
    }
    q.clear();
  }
  for (const auto& [at, k] : retries_) {
    state_[k].status = TxStatus::kRejected;
    ++report_.rejected;
  }
  retries_.clear();
  retry_timer_.cancel();
  phase_timer_.cancel();
  phase_timer_.expires_after(options_.timeout);
  phase_timer_.async_wait([this](beast::error_code ec) {
    if (!ec) finish(true);
  });
}

void LoadRun::check_done() {
  if (done_) return;
  if (submitting_ && submission_drained()) end_submission();
  if (!submitting_ && in_flight_ == 0 && tracker_.committed() >= report_.accepted) {
    finish(false);
  }
}

void LoadRun::finish(bool timed_out) {
  if (done_) return;
  done_ = true;
  report_.timed_out = timed_out && tracker_.committed() < report_.accepted;
  io_.stop();
}

// ---- Block poller --------------------------------------------------------------

void LoadRun::poll() {
  if (done_) return;
  poller_->get("/v1/blocks/" + std::to_string(next_height_),
               [this](beast::error_code ec, HttpConnection::Answer answer) {
                 on_block(ec, std::move(answer));
               });
}

void LoadRun::poll_later() {
  if (done_) return;
  poll_timer_.expires_after(options_.poll_interval);
  poll_timer_.async_wait([this](beast::error_code ec) {
    if (!ec) poll();
  });
}

void LoadRun::on_block(beast::error_code ec, HttpConnection::Answer answer) {
  if (done_) return;
  if (ec || (answer.status != 200 && answer.status != 404)) {
    ++report_.poll_errors;
    return poll_later();
  }
  if (answer.status == 404) return poll_later();  // not committed yet
  block_seen_ = Clock::now();
  auto block = parse_block(answer.body);
  if (!block || block->height != next_height_ || block->transaction_count > kMaxBlockTransactions) {
    ++report_.poll_errors;
    return poll_later();
  }
  block_ = std::move(block).value();
  if (block_.ids.size() < block_.transaction_count) return fetch_leaves();
  block_complete();
}

void LoadRun::fetch_leaves() {
  const std::uint64_t from = block_.first_index + block_.ids.size();
  const std::uint64_t count =
      std::min<std::uint64_t>(kLeavesPage, block_.transaction_count - block_.ids.size());
  poller_->get(
      "/v1/accumulator/leaves?from=" + std::to_string(from) + "&count=" + std::to_string(count),
      [this, from](beast::error_code ec, HttpConnection::Answer answer) {
        if (done_) return;
        if (ec || answer.status != 200) {
          ++report_.poll_errors;
          return poll_later();  // reads the block again
        }
        auto page = parse_leaves(answer.body);
        if (!page || page->from != from || page->ids.empty()) {
          ++report_.poll_errors;
          return poll_later();
        }
        const std::uint64_t missing = block_.transaction_count - block_.ids.size();
        const std::size_t take =
            static_cast<std::size_t>(std::min<std::uint64_t>(missing, page->ids.size()));
        block_.ids.insert(block_.ids.end(), page->ids.begin(), page->ids.begin() + take);
        if (block_.ids.size() < block_.transaction_count) return fetch_leaves();
        block_complete();
      });
}

void LoadRun::block_complete() {
  tracker_.on_block(block_.ids, block_seen_);
  ++report_.blocks;
  report_.end_height = next_height_;
  ++next_height_;
  block_ = {};
  check_done();
  poll();  // the next height at once: catch up before waiting
}

}  // namespace

std::string ApiAddress::to_string() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

core::Checked<ApiAddress> parse_api_address(std::string_view text) {
  using core::Reject;
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return core::reject(Reject::kBadEncoding,
                          "expected [ipv6]:port, got '" + std::string(text.substr(0, 80)) + "'");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) {
      return core::reject(Reject::kBadEncoding,
                          "expected host:port, got '" + std::string(text.substr(0, 80)) + "'");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  ApiAddress out;
  out.host = std::string(host);
  if (!endpoint_of(out)) {
    return core::reject(Reject::kBadEncoding, "'" + std::string(host.substr(0, 80)) +
                                                  "' is not an IPv4 or IPv6 address literal");
  }
  std::uint32_t value = 0;
  if (port.empty() || port.size() > 5) {
    return core::reject(Reject::kOutOfRange, "port must be 1..65535");
  }
  for (char c : port) {
    if (c < '0' || c > '9') return core::reject(Reject::kBadEncoding, "port is not a number");
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (value == 0 || value > 65535)
    return core::reject(Reject::kOutOfRange, "port must be 1..65535");
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

core::Verdict RunOptions::validate() const {
  using core::Reject;
  if (apis.empty() || apis.size() > kMaxApis) {
    return core::reject(Reject::kOutOfRange, "give 1.." + std::to_string(kMaxApis) + " APIs");
  }
  if (connections_per_node == 0 || connections_per_node > kMaxConnectionsPerNode) {
    return core::reject(Reject::kOutOfRange, "connections per node must be 1.." +
                                                 std::to_string(kMaxConnectionsPerNode));
  }
  if (batch > kMaxBatchTransactions) {
    return core::reject(Reject::kOutOfRange,
                        "batch must be 0..." + std::to_string(kMaxBatchTransactions));
  }
  if (rate_per_s > kMaxRatePerSecond) {
    return core::reject(Reject::kOutOfRange,
                        "rate must be 0..." + std::to_string(kMaxRatePerSecond) + " tx/s");
  }
  constexpr milliseconds kDay{24LL * 3600 * 1000};
  for (auto [value, name, min] : {std::tuple{duration, "duration", milliseconds(1)},
                                  std::tuple{timeout, "timeout", milliseconds(0)},
                                  std::tuple{poll_interval, "poll interval", milliseconds(1)},
                                  std::tuple{request_timeout, "request timeout", milliseconds(10)},
                                  std::tuple{retry_delay, "retry delay", milliseconds(1)}}) {
    if (value < min || value > kDay) {
      return core::reject(Reject::kOutOfRange, std::string(name) + " must be " +
                                                   std::to_string(min.count()) + " ms .. one day");
    }
  }
  return core::Verdict::accept();
}

core::Result<NodeStatusInfo> fetch_status(const ApiAddress& api,
                                          std::chrono::milliseconds timeout) {
  auto endpoint = endpoint_of(api);
  if (!endpoint) return core::Status::invalid_argument(endpoint.error().detail);
  net::io_context io;
  HttpConnection http(io, *endpoint, api.to_string(), timeout, kMaxResponseBytes);
  std::optional<core::Result<NodeStatusInfo>> result;
  http.get("/v1/status", [&](beast::error_code ec, HttpConnection::Answer answer) {
    if (ec) {
      result =
          core::Status::unavailable("GET /v1/status from " + api.to_string() + ": " + ec.message());
    } else if (answer.status != 200) {
      result = core::Status::unavailable("GET /v1/status from " + api.to_string() + ": HTTP " +
                                         std::to_string(answer.status) + " " +
                                         answer.body.substr(0, 200));
    } else if (auto status = parse_status(answer.body)) {
      result = std::move(status).value();
    } else {
      result = core::Status::unavailable("GET /v1/status from " + api.to_string() + ": " +
                                         status.error().detail);
    }
  });
  io.run();
  BAUHINIA_ASSERT(result.has_value());
  return std::move(*result);
}

core::Result<Report> run_load(const RunOptions& options,
                              const std::vector<PreparedTransaction>& transactions) {
  if (auto v = options.validate(); !v) return core::Status::invalid_argument(v.rejection().detail);
  if (transactions.empty()) return core::Status::invalid_argument("no transactions to send");
  LoadRun run(options, transactions);
  return run.run();
}

}  // namespace bauhinia::loadgen
