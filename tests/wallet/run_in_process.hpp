#pragma once
// The wallet's command line run in-process for its tests: run_wallet with
// "bauhinia-wallet" and `args` as argv, stdout and stderr captured.

#include <sstream>
#include <string>
#include <vector>

#include "bauhinia/wallet/context.hpp"

namespace bauhinia::wallet::testing {

struct Outcome {
  int code = -1;
  std::string out, err;
};

inline Outcome run_in_process(std::vector<std::string> args) {
  args.insert(args.begin(), "bauhinia-wallet");
  std::vector<const char*> argv;
  argv.reserve(args.size());
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  Outcome r;
  r.code = run_wallet(static_cast<int>(argv.size()), argv.data(), out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

}  // namespace bauhinia::wallet::testing
