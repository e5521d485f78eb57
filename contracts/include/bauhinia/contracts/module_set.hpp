#pragma once
// Every contract module of the chain, in one place: the single registration
// point. The node, the simulator, the benchmarks and the tests build their
// Executor from a ModuleSet, so every validator runs the same modules. A new
// module adds one line to module_set.cpp (and nothing else outside its own
// files).

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/contracts/module.hpp"
#include "bauhinia/contracts/parameters.hpp"

namespace bauhinia::contracts {

class ModuleSet {
 public:
  ModuleSet();  // every module of the chain
  ModuleSet(const ModuleSet&) = delete;
  ModuleSet& operator=(const ModuleSet&) = delete;

  // Adds every module to `executor`; the set must outlive it.
  void register_with(Executor& executor) const;

  std::span<const std::unique_ptr<Module>> modules() const noexcept { return modules_; }
  const Module* find(std::string_view name) const;
  // Every module's parameters, in module then declaration order.
  const std::vector<ParameterSpec>& parameters() const noexcept { return parameters_; }
  const ParameterSpec* find_parameter(std::string_view name) const;

 private:
  std::vector<std::unique_ptr<Module>> modules_;
  std::vector<ParameterSpec> parameters_;
};

}  // namespace bauhinia::contracts
