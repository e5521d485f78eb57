#include "bauhinia/node/api_metrics.hpp"

#include <charconv>
#include <cmath>

namespace bauhinia::node {

namespace {

bool name_char(char c, bool first, bool colon) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
  if (c == ':') return colon;
  return !first && c >= '0' && c <= '9';
}

// HELP text escapes backslash and newline; label values also the double quote.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void append_value(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof(buf), v);
    out.append(buf, r.ptr);
  }
}

}  // namespace

bool valid_metric_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 200) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i], i == 0, true)) return false;
  }
  return true;
}

bool valid_label_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 100 || name.starts_with("__")) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!name_char(name[i], i == 0, false)) return false;
  }
  return true;
}

core::Verdict MetricsRegistry::add(MetricType type, std::string name, std::string help,
                                   MetricReader read) {
  if (!valid_metric_name(name)) {
    return core::reject(core::Reject::kInvalid, "invalid metric name '" + name + "'");
  }
  if (!read) return core::reject(core::Reject::kInvalid, "metric " + name + " has no reader");
  std::lock_guard lock(mutex_);
  for (const auto& m : metrics_) {
    if (m.name == name) {
      return core::reject(core::Reject::kDuplicate, "metric " + name + " already registered");
    }
  }
  metrics_.push_back(Metric{type, std::move(name), std::move(help), std::move(read)});
  return core::Verdict::accept();
}

core::Verdict MetricsRegistry::add_value(MetricType type, std::string name, std::string help,
                                         std::function<double()> read) {
  if (!read) return core::reject(core::Reject::kInvalid, "metric " + name + " has no reader");
  return add(type, std::move(name), std::move(help), [read = std::move(read)] {
    return std::vector<MetricSample>{{{}, read()}};
  });
}

std::string MetricsRegistry::render() const {
  std::vector<Metric> metrics;
  {
    std::lock_guard lock(mutex_);
    metrics = metrics_;
  }
  std::string out;
  for (const auto& m : metrics) {
    out += "# HELP " + m.name + " ";
    append_escaped(out, m.help, false);
    out += "\n# TYPE " + m.name + (m.type == MetricType::kCounter ? " counter\n" : " gauge\n");
    for (const auto& sample : m.read()) {
      bool labels_ok = true;
      for (const auto& [label, value] : sample.labels) labels_ok &= valid_label_name(label);
      if (!labels_ok) continue;
      out += m.name;
      if (!sample.labels.empty()) {
        out += '{';
        bool first = true;
        for (const auto& [label, value] : sample.labels) {
          if (!first) out += ',';
          first = false;
          out += label + "=\"";
          append_escaped(out, value, true);
          out += '"';
        }
        out += '}';
      }
      out += ' ';
      append_value(out, sample.value);
      out += '\n';
    }
  }
  return out;
}

}  // namespace bauhinia::node
