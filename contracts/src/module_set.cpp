#include "bauhinia/contracts/module_set.hpp"

#include <algorithm>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/anchor/module.hpp"
#include "bauhinia/contracts/company/module.hpp"
#include "bauhinia/contracts/drugs/module.hpp"
#include "bauhinia/contracts/environment/module.hpp"
#include "bauhinia/contracts/health/module.hpp"
#include "bauhinia/contracts/system/module.hpp"
#include "bauhinia/contracts/trademark/module.hpp"
#include "bauhinia/core/assert.hpp"

namespace bauhinia::contracts {

ModuleSet::ModuleSet() {
  // The registration point: one line per module.
  modules_.push_back(std::make_unique<accounts::AccountsModule>());
  modules_.push_back(std::make_unique<company::CompanyModule>());
  modules_.push_back(std::make_unique<anchor::AnchorModule>());
  modules_.push_back(std::make_unique<system::SystemModule>(*this));
  modules_.push_back(std::make_unique<trademark::TrademarkModule>());
  modules_.push_back(std::make_unique<environment::EnvironmentModule>());
  modules_.push_back(std::make_unique<health::HealthModule>());
  modules_.push_back(std::make_unique<drugs::DrugsModule>());

  for (const auto& m : modules_) {
    for (const ParameterSpec& p : m->parameters()) {
      BAUHINIA_ASSERT_MSG(p.name.starts_with(std::string(m->name()) + "."),
                          "a module's parameter names begin with its name");
      BAUHINIA_ASSERT_MSG(p.min_value <= p.default_value && p.default_value <= p.max_value,
                          "a parameter's default lies within its range");
      BAUHINIA_ASSERT_MSG(find_parameter(p.name) == nullptr, "parameter names are unique");
      parameters_.push_back(p);
    }
  }
}

void ModuleSet::register_with(Executor& executor) const {
  for (const auto& m : modules_) executor.add_module(*m);
}

const Module* ModuleSet::find(std::string_view name) const {
  for (const auto& m : modules_) {
    if (m->name() == name) return m.get();
  }
  return nullptr;
}

const ParameterSpec* ModuleSet::find_parameter(std::string_view name) const {
  auto it = std::find_if(parameters_.begin(), parameters_.end(),
                         [&](const ParameterSpec& p) { return p.name == name; });
  return it == parameters_.end() ? nullptr : &*it;
}

}  // namespace bauhinia::contracts
