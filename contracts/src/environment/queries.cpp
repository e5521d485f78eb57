// Queries: each answer is a record of the module (proven by the node) and,
// for lists, the records it names, a page (64) at a time. Numbers keep their
// slash: project/PP-001/2026 is the project PP-001/2026.
//   project/<PP-NNN>/<YYYY>                    the project; related: every report
//                                              version, then its permit (if any)
//   project/<PP-NNN>/<YYYY>/comments[/page]    the project; related: its comments
//   permit/<EP-NNN>/<YYYY>                     the permit; related: its project
//   permit/<EP-NNN>/<YYYY>/history[/page]      the permit; related: its acts
//   permit/<EP-NNN>/<YYYY>/submissions[/page]  the permit; related: EM&A submissions
//   ticket/<number>                            the ticket (its whole custody chain)
//   tickets/flagged[/page]                     index list of flagged tickets
//   producer|collector|reception/<account hex>/tickets[/page]
//   proponent/<account hex>/projects[/page]
//   holder/<account hex>/permits[/page]
//   projects/<status>[/page]

#include <vector>

#include "bauhinia/contracts/environment/module.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::environment {

namespace {

constexpr std::uint32_t kPageSize = kIndexPageSize;
constexpr std::size_t kMaxSegments = 6;

core::Rejection bad(std::string detail) {
  return core::reject(core::Reject::kInvalid, "environment: " + std::move(detail));
}

QueryRecord record_of(const StateView& state, Bytes key) {
  QueryRecord r;
  r.module = std::string(kModuleName);
  r.value = state.read(kModuleName, key);
  r.record_key = std::move(key);
  return r;
}

QueryAnswer answer_of(const StateView& state, Bytes key) {
  QueryAnswer a;
  a.module = std::string(kModuleName);
  a.value = state.read(kModuleName, key);
  a.record_key = std::move(key);
  return a;
}

// Records key_of(0..count-1), page `page`, into `a`.
template <class KeyOf>
void counted_page(QueryAnswer& a, const StateView& state, std::uint32_t count, std::uint32_t page,
                  KeyOf key_of) {
  const std::uint64_t first = static_cast<std::uint64_t>(page) * kPageSize;
  for (std::uint64_t i = first; i < count && i < first + kPageSize; ++i) {
    a.related.push_back(record_of(state, key_of(static_cast<std::uint32_t>(i))));
  }
  if (first + kPageSize < count) a.next_page = page + 1;
}

template <class Record>
core::Checked<std::optional<Record>> load(const StateView& state, const Bytes& key) {
  using Out = std::optional<Record>;
  auto bytes = state.read(kModuleName, key);
  if (!bytes) return Out{};
  auto r = core::decode<Record>(*bytes);
  if (!r) return bad("a stored record does not decode");
  return Out{std::move(*r)};
}

core::Checked<QueryAnswer> project_query(const StateView& state, const std::string& number,
                                         std::string_view sub, std::string_view page_text) {
  if (!valid_number(number, kProjectPrefix)) {
    return bad("'" + number.substr(0, 16) + "' is not a project number (PP-NNN/YYYY)");
  }
  if (!sub.empty() && sub != "comments") return bad("project/<number>[/comments[/page]]");
  if (sub.empty() && !page_text.empty()) return bad("project/<number> has no pages");
  auto page = parse_page(page_text);
  if (!page) return std::move(page).error();
  auto p = load<ProjectRecord>(state, project_key(number));
  if (!p) return std::move(p).error();
  QueryAnswer a = answer_of(state, project_key(number));
  if (!*p) return a;
  const ProjectRecord& project = **p;
  if (sub.empty()) {
    if (!page_text.empty()) return bad("project/<number> has no pages");
    counted_page(a, state, project.reports, 0,
                 [&](std::uint32_t i) { return report_key(number, i); });
    if (!project.permit.empty()) a.related.push_back(record_of(state, permit_key(project.permit)));
    return a;
  }
  if (sub == "comments") {
    counted_page(a, state, project.comments, *page,
                 [&](std::uint32_t i) { return comment_key(number, i); });
    return a;
  }
  return bad("project/<number>[/comments[/page]]");
}

core::Checked<QueryAnswer> permit_query(const StateView& state, const std::string& number,
                                        std::string_view sub, std::string_view page_text) {
  if (!valid_number(number, kPermitPrefix)) {
    return bad("'" + number.substr(0, 16) + "' is not a permit number (EP-NNN/YYYY)");
  }
  if (!sub.empty() && sub != "history" && sub != "submissions") {
    return bad("permit/<number>[/history|submissions[/page]]");
  }
  if (sub.empty() && !page_text.empty()) return bad("permit/<number> has no pages");
  auto page = parse_page(page_text);
  if (!page) return std::move(page).error();
  auto p = load<PermitRecord>(state, permit_key(number));
  if (!p) return std::move(p).error();
  QueryAnswer a = answer_of(state, permit_key(number));
  if (!*p) return a;
  const PermitRecord& permit = **p;
  if (sub.empty()) {
    if (!page_text.empty()) return bad("permit/<number> has no pages");
    a.related.push_back(record_of(state, project_key(permit.project)));
    return a;
  }
  if (sub == "history") {
    counted_page(a, state, permit.history, *page,
                 [&](std::uint32_t i) { return permit_history_key(number, i); });
    return a;
  }
  if (sub == "submissions") {
    counted_page(a, state, permit.submissions, *page,
                 [&](std::uint32_t i) { return submission_key(number, i); });
    return a;
  }
  return bad("permit/<number>[/history|submissions[/page]]");
}

core::Checked<QueryAnswer> account_query(const StateView& state, std::string_view kind,
                                         std::string_view hex, std::string_view what,
                                         std::string_view page_text) {
  auto id = core::AccountId::from_hex(hex);
  if (!id) return std::move(id).error();
  auto page = parse_page(page_text);
  if (!page) return std::move(page).error();
  if (what == "tickets") {
    if (kind == "producer") return detail::producer_list(*id).answer_page(state, *page);
    if (kind == "collector") return detail::collector_list(*id).answer_page(state, *page);
    if (kind == "reception") return detail::reception_list(*id).answer_page(state, *page);
  }
  if (kind == "proponent" && what == "projects") {
    return detail::proponent_list(*id).answer_page(state, *page);
  }
  if (kind == "holder" && what == "permits") {
    return detail::holder_list(*id).answer_page(state, *page);
  }
  return bad(std::string(kind) + "/<account hex>/" + std::string(what.substr(0, 16)) +
             " is not a list");
}

}  // namespace

core::Checked<QueryAnswer> EnvironmentModule::query(std::string_view path,
                                                    const StateView& state) const {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto slash = path.find('/', start);
    parts.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos || parts.size() > kMaxSegments) break;
    start = slash + 1;
  }
  auto part = [&](std::size_t i) { return i < parts.size() ? parts[i] : std::string_view{}; };
  const std::string_view kind = part(0);
  if (parts.size() > kMaxSegments) return bad("too many path segments");

  if (kind == "project" || kind == "permit") {
    if (parts.size() < 3 || parts.size() > 5) {
      return bad(std::string(kind) + "/<PREFIX-NNN>/<YYYY>[/list[/page]]");
    }
    const std::string number = std::string(part(1)) + "/" + std::string(part(2));
    if (kind == "project") return project_query(state, number, part(3), part(4));
    return permit_query(state, number, part(3), part(4));
  }
  if (kind == "ticket") {
    if (parts.size() != 2) return bad("ticket/<number>");
    if (!valid_ticket_number(part(1))) return bad("invalid_ticket_number");
    return answer_of(state, ticket_key(part(1)));
  }
  if (kind == "tickets") {
    if (part(1) != "flagged" || parts.size() > 3) return bad("tickets/flagged[/page]");
    auto page = parse_page(part(2));
    if (!page) return std::move(page).error();
    return detail::flagged_list().answer_page(state, *page);
  }
  if (kind == "projects") {
    if (parts.size() < 2 || parts.size() > 3) return bad("projects/<status>[/page]");
    auto s = project_status_from_name(part(1));
    if (!s) return bad("no project status '" + std::string(part(1).substr(0, 32)) + "'");
    auto page = parse_page(part(2));
    if (!page) return std::move(page).error();
    return detail::project_status_list(*s).answer_page(state, *page);
  }
  if (kind == "producer" || kind == "collector" || kind == "reception" || kind == "proponent" ||
      kind == "holder") {
    if (parts.size() < 3 || parts.size() > 4) {
      return bad(std::string(kind) + "/<account hex>/<list>[/page]");
    }
    return account_query(state, kind, part(1), part(2), part(3));
  }
  return bad("no query '" + std::string(kind.substr(0, 16)) + "'");
}

}  // namespace bauhinia::contracts::environment
