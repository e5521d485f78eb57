#pragma once
// A fresh directory under $TMPDIR (or /tmp), removed with everything in it when
// the object goes away. For tests that need a real LevelDB directory.

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "bauhinia/core/assert.hpp"

namespace bauhinia::test {

class TempDir {
 public:
  explicit TempDir(const std::string& stem = "bauhinia-test") {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/" + stem + "-XXXXXX";
    char* made = ::mkdtemp(pattern.data());
    BAUHINIA_ASSERT_MSG(made != nullptr, "mkdtemp failed");
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace bauhinia::test
