#include "plan.hpp"

#include <iostream>

namespace bauhinia::peer_harness {

core::Result<std::vector<PlanStep>> parse_plan(const std::string& variant) {
  std::vector<PlanStep> out;
  std::size_t at = 0;
  while (at <= variant.size()) {
    std::size_t comma = variant.find(',', at);
    if (comma == std::string::npos) comma = variant.size();
    const std::string item = variant.substr(at, comma - at);
    const auto sep = item.find('@');
    if (sep == std::string::npos || sep == 0 || sep + 1 == item.size()) {
      return core::Status::invalid_argument("--variant: expected step@node, got '" + item + "'");
    }
    out.push_back({item.substr(0, sep), item.substr(sep + 1)});
    at = comma + 1;
  }
  if (out.empty()) return core::Status::invalid_argument("--variant: no step");
  return out;
}

void check_line(const PlanStep& s, const std::string& verdict, const std::string& detail) {
  std::cout << "CHECK " << s.step << " " << s.node << " " << verdict << (detail.empty() ? "" : " ")
            << detail << std::endl;
}

}  // namespace bauhinia::peer_harness
