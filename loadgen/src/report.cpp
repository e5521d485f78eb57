#include "bauhinia/loadgen/report.hpp"

#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

namespace bauhinia::loadgen {

namespace {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string ms(std::uint64_t us) {
  return fixed(static_cast<double>(us) / 1000.0, 1) + " ms";
}

double ms_value(std::uint64_t us) {
  return static_cast<double>(us) / 1000.0;
}

}  // namespace

std::string format_text(const Report& r) {
  std::ostringstream out;
  out << "chain            " << r.chain_id << ", blocks " << r.start_height + 1 << ".."
      << r.end_height << " read (" << r.blocks << "), consensus rounds " << r.start_round << ".."
      << r.end_round << "\n";
  out << "nodes            ";
  for (std::size_t i = 0; i < r.apis.size(); ++i) out << (i ? ", " : "") << r.apis[i];
  out << " (" << r.connections << " connections, "
      << (r.batch == 0 ? std::string("single submissions")
                       : "batches of up to " + std::to_string(r.batch))
      << ")\n";
  out << "load             " << r.prepared << " pings from " << r.accounts << " accounts, rate "
      << (r.target_rate_per_s == 0 ? std::string("unlimited")
                                   : std::to_string(r.target_rate_per_s) + " tx/s")
      << ", signed in " << fixed(r.prepare_s, 1) << " s\n";
  out << "submitted        " << r.submitted << " in " << fixed(r.submit_window_s, 2) << " s ("
      << fixed(r.submitted_per_s, 0) << " tx/s), max lag behind schedule "
      << fixed(r.max_send_lag_ms, 1) << " ms\n";
  out << "accepted         " << r.accepted << "\n";
  out << "rejected         " << r.rejected << " (final), " << r.retries << " retries, "
      << r.unanswered << " unanswered, " << r.transport_errors << " transport errors, "
      << r.bad_answers << " bad batch answers; " << r.requests << " requests\n";
  out << "throttled        " << r.throttled << " answers 429 (" << r.throttled_without_retry_after
      << " without Retry-After)\n";
  for (const auto& [reason, count] : r.rejections) {
    out << "  " << reason << ": " << count << "\n";
  }
  out << "committed        " << r.committed << " in " << fixed(r.commit_window_s, 2)
      << " s: " << fixed(r.committed_per_s, 0) << " tx/s" << (r.timed_out ? " (timed out)" : "")
      << "\n";
  out << "latency          p50 " << ms(r.latency.p50_us) << ", p90 " << ms(r.latency.p90_us)
      << ", p99 " << ms(r.latency.p99_us) << ", max " << ms(r.latency.max_us) << " (mean "
      << ms(r.latency.mean_us) << ", n " << r.latency.count << ")\n";
  out << "other            " << r.foreign << " foreign transactions in the blocks, "
      << r.poll_errors << " poll errors, run " << fixed(r.elapsed_s, 1) << " s using "
      << fixed(r.run_cpu_s, 1) << " s of CPU\n";
  return out.str();
}

std::string format_json(const Report& r) {
  using json = nlohmann::json;
  json rejections = json::object();
  for (const auto& [reason, count] : r.rejections) rejections[reason] = count;
  json by_minute = json::array();
  for (const LatencySummary& m : r.latency_by_minute) {
    by_minute.push_back(json{{"count", m.count},
                             {"p50", ms_value(m.p50_us)},
                             {"p99", ms_value(m.p99_us)},
                             {"max", ms_value(m.max_us)}});
  }
  const json doc{
      {"chain_id", r.chain_id},
      {"apis", r.apis},
      {"target_rate_per_s", r.target_rate_per_s},
      {"connections", r.connections},
      {"batch", r.batch},
      {"accounts", r.accounts},
      {"prepared", r.prepared},
      {"prepare_s", r.prepare_s},
      {"start_height", r.start_height},
      {"end_height", r.end_height},
      {"start_round", r.start_round},
      {"end_round", r.end_round},
      {"submitted", r.submitted},
      {"accepted", r.accepted},
      {"rejected", r.rejected},
      {"unanswered", r.unanswered},
      {"requests", r.requests},
      {"retries", r.retries},
      {"transport_errors", r.transport_errors},
      {"bad_answers", r.bad_answers},
      {"throttled", r.throttled},
      {"throttled_without_retry_after", r.throttled_without_retry_after},
      {"rejections", rejections},
      {"submit_window_s", r.submit_window_s},
      {"submitted_per_s", r.submitted_per_s},
      {"max_send_lag_ms", r.max_send_lag_ms},
      {"committed", r.committed},
      {"blocks", r.blocks},
      {"foreign", r.foreign},
      {"poll_errors", r.poll_errors},
      {"commit_window_s", r.commit_window_s},
      {"committed_per_s", r.committed_per_s},
      {"latency_ms",
       {{"count", r.latency.count},
        {"min", ms_value(r.latency.min_us)},
        {"mean", ms_value(r.latency.mean_us)},
        {"p50", ms_value(r.latency.p50_us)},
        {"p90", ms_value(r.latency.p90_us)},
        {"p99", ms_value(r.latency.p99_us)},
        {"max", ms_value(r.latency.max_us)}}},
      {"committed_timeline", r.committed_timeline},
      {"latency_by_minute_ms", std::move(by_minute)},
      {"timed_out", r.timed_out},
      {"elapsed_s", r.elapsed_s},
      {"run_cpu_s", r.run_cpu_s},
  };
  return doc.dump(2) + "\n";
}

}  // namespace bauhinia::loadgen
