#pragma once
// The plan of the multi-step attacks (attack_frames.cpp, attack_messages.cpp,
// attack_validator_forgery.cpp): --variant "step@node,step@node,...", each step
// run against the named node in order. After each step the harness prints
//   CHECK <step> <node> <verdict> [detail]
// where the verdict is `penalized` (the node dropped the connection) or
// `kept` (it did not), and the RESULT line counts them.

#include <string>
#include <utility>
#include <vector>

#include "harness.hpp"

namespace bauhinia::peer_harness {

struct PlanStep {
  std::string step;
  std::string node;  // as given ("all" is allowed where a step says so)
};

// Splits --variant; an empty list or a step without "@node" is a usage error.
core::Result<std::vector<PlanStep>> parse_plan(const std::string& variant);

// Prints the CHECK line.
void check_line(const PlanStep& s, const std::string& verdict, const std::string& detail = "");

}  // namespace bauhinia::peer_harness
