// `health show <id>`, `drugs show <regno> [<batch>]`, `environment show
// project|permit|ticket <number>`: one record of the register as a table (its
// fields decoded with the module's record structs), or the node's JSON with
// --json. The numbers are checked with the modules' own rules before any
// request; an absent record exits 2, as `trademark show` does.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bauhinia/contracts/drugs/records.hpp"
#include "bauhinia/contracts/environment/records.hpp"
#include "bauhinia/core/hash.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "record_views.hpp"

namespace bauhinia::wallet {

namespace {

using nlohmann::json;
namespace dr = contracts::drugs;
namespace env = contracts::environment;

// The query path of the record the words name, or a rejection saying why not.
using PathOf = std::function<core::Checked<std::string>(const std::vector<std::string>&)>;

int show_record(const Context& ctx, const std::string& what, const std::string& target) {
  auto node = ctx.node();
  if (!node) return ctx.fail(node.error());
  auto answer = node->get_ok(target);
  if (!answer) return ctx.fail(answer.error());
  if (ctx.options.json) {
    ctx.print_json(*answer);
    return kExitOk;
  }
  print_record(ctx, *answer);
  if (answer->value("value_hex", json()).is_null()) {
    return ctx.fail(kExitBadInput, what + ": no such record");
  }
  return kExitOk;
}

core::Checked<std::string> health_path(const std::vector<std::string>& w) {
  if (w.size() != 1) return core::reject(core::Reject::kInvalid, "give one record id");
  auto id = core::Hash256::from_hex(w[0]);
  if (!id) return core::reject(core::Reject::kBadEncoding, "a record id is 64 hex digits");
  return "/v1/query/health/record/" + id->to_hex();
}

core::Checked<std::string> drugs_path(const std::vector<std::string>& w) {
  if (w.empty() || w.size() > 2) {
    return core::reject(core::Reject::kInvalid, "give a registration number and a batch number");
  }
  if (auto e = dr::registration_number_error(w[0])) {
    return core::reject(core::Reject::kInvalid, "'" + w[0].substr(0, 32) +
                                                    "' is not a registration number (" +
                                                    std::string(*e) + "; e.g. HK-51234)");
  }
  if (w.size() == 1) return "/v1/query/drugs/product/" + w[0];
  if (auto e = dr::batch_number_error(w[1])) {
    return core::reject(
        core::Reject::kInvalid,
        "'" + w[1].substr(0, 32) + "' is not a batch number (" + std::string(*e) + ")");
  }
  return "/v1/query/drugs/batch/" + w[0] + "/" + w[1];
}

core::Checked<std::string> environment_path(const std::vector<std::string>& w) {
  if (w.size() != 2) {
    return core::reject(core::Reject::kInvalid, "give project|permit|ticket and its number");
  }
  const std::string& kind = w[0];
  const std::string& number = w[1];
  bool ok = false;
  if (kind == "project") {
    ok = env::valid_number(number, env::kProjectPrefix);
  } else if (kind == "permit") {
    ok = env::valid_number(number, env::kPermitPrefix);
  } else if (kind == "ticket") {
    ok = env::valid_ticket_number(number);
  } else {
    return core::reject(core::Reject::kInvalid,
                        "'" + kind.substr(0, 32) + "': give project, permit or ticket");
  }
  if (!ok) {
    return core::reject(core::Reject::kInvalid,
                        "'" + number.substr(0, 32) + "' is not a " + kind +
                            " number (e.g. PP-001/2026, EP-001/2026, a ticket's A-Z 0-9 -)");
  }
  // Project and permit numbers keep their slash in the path (environment.md, "Queries").
  return "/v1/query/environment/" + kind + "/" + number;
}

void add_show_command(CLI::App& module_cmd, Context& ctx, const std::string& module,
                      const std::string& words_help, const std::string& example, PathOf path_of) {
  auto* show = module_cmd.add_subcommand("show", "the " + module + " record " + words_help);
  auto words = std::make_shared<std::vector<std::string>>();
  show->add_option("what", *words, words_help)->required();
  show->footer("Example: " + example + "\n(--json prints the node's answer)");
  show->callback([&ctx, words, module, path_of] {
    ctx.action = [&ctx, words, module, path_of]() -> int {
      auto target = path_of(*words);
      if (!target) return ctx.fail(kExitBadInput, module + " show: " + target.error().detail);
      return show_record(ctx, module + " show", *target);
    };
  });
}

}  // namespace

void add_register_show_command(CLI::App& module_cmd, Context& ctx, const std::string& module) {
  if (module == "health") {
    add_show_command(module_cmd, ctx, module, "with this id (64 hex)",
                     "bauhinia-wallet health show d80cb5a830cab6fd...", health_path);
  } else if (module == "drugs") {
    add_show_command(module_cmd, ctx, module,
                     "of this registration number (the product) and batch number (the batch)",
                     "bauhinia-wallet drugs show HK-51234 B2026-001", drugs_path);
  } else if (module == "environment") {
    add_show_command(module_cmd, ctx, module, "project|permit|ticket and its number",
                     "bauhinia-wallet environment show project PP-001/2026", environment_path);
  }
}

}  // namespace bauhinia::wallet
