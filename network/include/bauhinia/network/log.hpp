#pragma once
// The network layer reports through a sink the node provides (the node routes
// it to its own logger). A sink is called from the network's threads and must
// be thread-safe and must not throw.

#include <cstdint>
#include <functional>
#include <string_view>

namespace bauhinia::network {

enum class LogLevel : std::uint8_t { kDebug, kInfo, kWarn, kError };

std::string_view log_level_name(LogLevel level) noexcept;

using LogSink = std::function<void(LogLevel level, std::string_view line)>;

// Writes "network <LEVEL> <line>" to stderr for levels >= min_level.
LogSink stderr_log_sink(LogLevel min_level = LogLevel::kInfo);

}  // namespace bauhinia::network
