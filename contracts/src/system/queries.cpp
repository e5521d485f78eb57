// SystemModule::query: the module's records and lists (docs/contracts/system.md).

#include <charconv>
#include <string>
#include <vector>

#include "bauhinia/contracts/system/lists.hpp"
#include "bauhinia/contracts/system/module.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::system {

namespace {

constexpr std::size_t kParametersPage = 64;

core::Rejection bad(std::string detail) {
  return core::reject(core::Reject::kInvalid, "system: " + std::move(detail));
}

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  while (true) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos || out.size() > 8) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

core::Checked<std::uint64_t> number(std::string_view s, const char* what) {
  std::uint64_t n = 0;
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, n);
  if (s.empty() || s.size() > 20 || ec != std::errc() || p != end) {
    return bad(std::string(what) + " must be a decimal number");
  }
  return n;
}

QueryAnswer record(const StateView& state, Bytes key) {
  QueryAnswer a;
  a.module = std::string(kModuleName);
  a.value = state.read(kModuleName, key);
  a.record_key = std::move(key);
  return a;
}

core::Checked<QueryAnswer> page_of(const StateView& state, const IndexList& list,
                                   const std::vector<std::string_view>& parts, std::size_t at) {
  if (parts.size() > at + 1) return bad("too many path segments");
  auto page = parse_page(parts.size() > at ? parts[at] : std::string_view{});
  if (!page) return std::move(page).error();
  return list.answer_page(state, *page);
}

core::Checked<QueryAnswer> parameters_page(const ModuleSet& modules, const StateView& state,
                                           const std::vector<std::string_view>& parts) {
  if (parts.size() > 2) return bad("too many path segments");
  auto page = parse_page(parts.size() > 1 ? parts[1] : std::string_view{});
  if (!page) return std::move(page).error();
  // The page's anchor is the (absent) record 0x03: the parameters are the
  // related records, in ModuleSet::parameters() order.
  QueryAnswer a = record(state, Bytes{kParameterKind});
  const auto& specs = modules.parameters();
  const std::size_t first = static_cast<std::size_t>(*page) * kParametersPage;
  for (std::size_t i = first; i < specs.size() && i < first + kParametersPage; ++i) {
    QueryRecord r;
    r.module = a.module;
    r.record_key = parameter_key(specs[i].name);
    r.value = state.read(kModuleName, r.record_key);
    a.related.push_back(std::move(r));
  }
  if (first + kParametersPage < specs.size()) a.next_page = *page + 1;
  return a;
}

constexpr const char* kUsage =
    "queries: department/<code>, departments[/page], role/<account hex>/<role>, "
    "roles/<account hex>[/page], role_holders/<code>[/page], parameter/<name>, "
    "parameters[/page], validators[/<epoch>], proposal/<id>, proposals[/page], "
    "proposals/open[/page], evidence[/page], evidence/<validator key hex>[/page], "
    "evidence/<validator key hex>/<epoch>/<round>/<vote|proposal>";

}  // namespace

core::Checked<QueryAnswer> SystemModule::query(std::string_view path,
                                               const StateView& state) const {
  if (path.size() > 512) return bad("path too long");
  const auto parts = split(path);
  const std::string_view head = parts[0];
  const std::size_t n = parts.size();
  if (head == "department" && n == 2) {
    if (parts[1].empty() || parts[1].size() > kMaxDepartmentCodeSize) {
      return bad("a department code is 1..16 bytes");
    }
    return record(state, department_key(parts[1]));
  }
  if (head == "departments") return page_of(state, departments_list(), parts, 1);
  if ((head == "roles" || head == "role") && n >= 2) {
    auto id = core::AccountId::from_hex(parts[1]);
    if (!id) return std::move(id).error();
    if (head == "roles") return page_of(state, roles_list(*id), parts, 2);
    if (n != 3 || parts[2].empty() || parts[2].size() > kMaxRoleSize) {
      return bad("role/<account hex>/<role>");
    }
    return record(state, role_grant_key(*id, parts[2]));
  }
  if (head == "role_holders" && n >= 2) {
    if (parts[1].empty() || parts[1].size() > kMaxDepartmentCodeSize) {
      return bad("a department code is 1..16 bytes");
    }
    return page_of(state, holders_list(parts[1]), parts, 2);
  }
  if (head == "parameter" && n == 2) {
    if (parts[1].empty() || parts[1].size() > kMaxParameterNameSize) {
      return bad("a parameter name is 1..96 bytes");
    }
    return record(state, parameter_key(parts[1]));
  }
  if (head == "parameters") return parameters_page(*modules_, state, parts);
  if (head == "validators" && n == 1) return record(state, validator_set_key());
  if (head == "validators" && n == 2) {
    auto epoch = number(parts[1], "epoch");
    if (!epoch) return std::move(epoch).error();
    return record(state, epoch_validators_key(*epoch));
  }
  if (head == "proposal" && n == 2) {
    auto id = number(parts[1], "proposal id");
    if (!id) return std::move(id).error();
    return record(state, proposal_key(*id));
  }
  if (head == "proposals") {
    if (n >= 2 && parts[1] == "open") return page_of(state, open_proposals_list(), parts, 2);
    return page_of(state, proposals_list(), parts, 1);
  }
  if (head == "evidence") {
    if (n == 1) return evidence_list().answer_page(state, 0);
    if (n == 2 && parts[1].size() != 64) return page_of(state, evidence_list(), parts, 1);
    auto key = core::ed25519::PublicKey::from_hex(parts[1]);
    if (!key) return std::move(key).error();
    if (n <= 3) return page_of(state, evidence_by_list(*key), parts, 2);
    if (n != 5) return bad("evidence/<validator key hex>/<epoch>/<round>/<vote|proposal>");
    auto epoch = number(parts[2], "epoch");
    if (!epoch) return std::move(epoch).error();
    auto round = number(parts[3], "round");
    if (!round) return std::move(round).error();
    if (parts[4] != "vote" && parts[4] != "proposal") return bad("evidence kind: vote or proposal");
    return record(state,
                  evidence_key(parts[4] == "vote" ? EvidenceKind::kVote : EvidenceKind::kProposal,
                               *key, *epoch, *round));
  }
  return bad(kUsage);
}

}  // namespace bauhinia::contracts::system
