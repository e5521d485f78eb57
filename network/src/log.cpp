#include "bauhinia/network/log.hpp"

#include <iostream>
#include <mutex>
#include <string>

namespace bauhinia::network {

std::string_view log_level_name(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarn: return "WARN";
    case LogLevel::kError: return "ERROR";
  }
  return "?";
}

LogSink stderr_log_sink(LogLevel min_level) {
  return [min_level](LogLevel level, std::string_view line) {
    if (level < min_level) return;
    static std::mutex mutex;
    std::string text = "network ";
    text += log_level_name(level);
    text += ' ';
    text += line;
    text += '\n';
    const std::lock_guard lock(mutex);
    std::cerr << text;
  };
}

}  // namespace bauhinia::network
