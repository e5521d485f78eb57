#pragma once
// A small registry of metrics rendered in the Prometheus text exposition
// format (version 0.0.4) at GET /metrics. Metrics are read at scrape time
// through callbacks, so a component exposes a value it already keeps without
// copying it on every change. The API server registers its own (requests by
// status code, connections) and the ledger's and mempool's basics; the runtime
// adds gauges and counters of its own.
//
// Thread safety: add() and render() may be called from any thread; readers
// are called during render() without the registry's lock held, from the
// scraping API thread, so they must be thread-safe themselves.

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/core/status.hpp"

namespace bauhinia::node {

enum class MetricType : std::uint8_t { kCounter, kGauge };

// One sample of a metric: labels (name, value) and a value. Label values may
// hold any text (escaped on output).
struct MetricSample {
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

using MetricReader = std::function<std::vector<MetricSample>()>;

// Prometheus metric and label names: [a-zA-Z_:][a-zA-Z0-9_:]* (labels: no ':'
// and not starting with "__").
bool valid_metric_name(std::string_view name) noexcept;
bool valid_label_name(std::string_view name) noexcept;

class MetricsRegistry {
 public:
  // Adds a metric whose samples `read` returns at each scrape. Rejects an
  // invalid or already registered name (kInvalid / kDuplicate).
  core::Verdict add(MetricType type, std::string name, std::string help, MetricReader read);
  // A metric of one unlabelled sample.
  core::Verdict add_value(MetricType type, std::string name, std::string help,
                          std::function<double()> read);

  // The exposition text: per metric "# HELP", "# TYPE" and its samples, in
  // registration order. Samples with an invalid label name are skipped.
  std::string render() const;

 private:
  struct Metric {
    MetricType type;
    std::string name;
    std::string help;
    MetricReader read;
  };
  mutable std::mutex mutex_;
  std::vector<Metric> metrics_;  // guarded by mutex_
};

}  // namespace bauhinia::node
