#pragma once
// The wallet tests' reading of a CallSpec's example command line the way a
// shell would: words split at spaces, "..." and '...' quote, `--name value`
// pairs, and `--flag` alone (followed by another --name or the end) as "".

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bauhinia/core/encoding.hpp"
#include "bauhinia/wallet/call_spec.hpp"

namespace bauhinia::wallet::testing {

struct Example {
  std::string program;  // bauhinia-wallet
  std::string module;
  std::string command;  // the call with dashes
  Args args;
};

inline std::vector<std::string> shell_words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == ' ') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  EXPECT_EQ(quote, 0) << "unterminated quote in: " << line;
  if (in_word) words.push_back(std::move(word));
  return words;
}

inline Example parse_example(const std::string& line) {
  const std::vector<std::string> w = shell_words(line);
  Example e;
  if (w.size() < 3) {
    ADD_FAILURE() << "example too short: " << line;
    return e;
  }
  e.program = w[0];
  e.module = w[1];
  e.command = w[2];
  for (std::size_t i = 3; i < w.size(); ++i) {
    if (w[i].rfind("--", 0) != 0) {
      ADD_FAILURE() << "a value without --name: '" << w[i] << "' in: " << line;
      continue;
    }
    std::string name = w[i].substr(2);
    std::string value;
    if (i + 1 < w.size() && w[i + 1].rfind("--", 0) != 0) value = w[++i];
    EXPECT_TRUE(e.args.emplace(std::move(name), std::move(value)).second)
        << "repeated argument in: " << line;
  }
  return e;
}

// The spec's example arguments, with `changes` set (value) or removed (nullopt).
inline Args example_args(
    const CallSpec& spec,
    const std::vector<std::pair<std::string, std::optional<std::string>>>& changes = {}) {
  Args a = parse_example(spec.example).args;
  for (const auto& [name, value] : changes) {
    if (value) {
      a[name] = *value;
    } else {
      a.erase(name);
    }
  }
  return a;
}

// The spec of module/call; fails the test when there is none.
inline const CallSpec& spec_of(std::string_view module, std::string_view call) {
  const CallSpec* s = find_call(module, call);
  EXPECT_NE(s, nullptr) << module << " " << call;
  static const CallSpec none{};
  return s ? *s : none;
}

// Builds `module call` from `args`; fails the test when refused.
inline BuiltCall build_ok(std::string_view module, std::string_view call, const Args& args) {
  const CallSpec& s = spec_of(module, call);
  if (!s.build) return {};
  auto b = s.build(args);
  EXPECT_TRUE(b.has_value()) << module << " " << call << ": " << b.error().to_string();
  return b ? *b : BuiltCall{};
}

// The refusal of `module call` with `args` ("" when it was built).
inline std::string refusal(std::string_view module, std::string_view call, const Args& args) {
  const CallSpec& s = spec_of(module, call);
  if (!s.build) return "no spec";
  auto b = s.build(args);
  EXPECT_FALSE(b.has_value()) << module << " " << call << " was built";
  return b ? "" : b.error().detail;
}

// Decodes a payload as T; fails the test when it does not decode.
template <class T>
T decoded(const core::Bytes& payload) {
  auto v = core::decode<T>(payload);
  EXPECT_TRUE(v.has_value()) << v.error().to_string();
  return v ? std::move(*v) : T{};
}

}  // namespace bauhinia::wallet::testing
