#pragma once
// The golden-file check the register modules' golden tests share: a module's
// frozen encodings as "key hex" lines under a header. BAUHINIA_UPDATE_GOLDEN=1
// rewrites the file and fails the run (so a rewrite is never mistaken for a
// pass); otherwise every computed entry must be in the file with the same
// bytes, and the file must hold nothing else.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace bauhinia::contracts::golden {

inline std::string golden_text(const std::string& header,
                               const std::map<std::string, std::string>& entries) {
  std::ostringstream out;
  out << header;
  for (const auto& [k, v] : entries) out << k << " " << v << "\n";
  return out.str();
}

inline void check_golden_file(const std::string& module, const std::string& path,
                              const std::string& header,
                              const std::map<std::string, std::string>& got) {
  if (std::getenv("BAUHINIA_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path) << golden_text(header, got);
    ADD_FAILURE() << "BAUHINIA_UPDATE_GOLDEN is set: rewrote " << path
                  << " instead of checking it; review the diff and rerun without it";
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "missing " << path << " (BAUHINIA_UPDATE_GOLDEN=1 writes it)";
  std::map<std::string, std::string> want;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find(' ');
    ASSERT_NE(space, std::string::npos) << line;
    EXPECT_TRUE(want.emplace(line.substr(0, space), line.substr(space + 1)).second) << line;
  }
  EXPECT_EQ(want.size(), got.size()) << "computed:\n" << golden_text(header, got);
  for (const auto& [k, v] : got) {
    auto it = want.find(k);
    ASSERT_NE(it, want.end()) << k << " missing from " << path;
    EXPECT_EQ(it->second, v) << k << ": the " << module << " module's bytes changed (a fork)";
  }
}

}  // namespace bauhinia::contracts::golden
