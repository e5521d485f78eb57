// Queries: each answer is a record of the module (proven by the node) and,
// for lists, the records it names, a page at a time.
//   mark/<number>                  the mark record
//   history/<number>[/page]        the mark, and its recorded transactions (64 a page)
//   ownership/<number>[/page]      the mark, and its chain of title back through its parents:
//                                  each ancestor's record and the assignment records
//                                  (root first), 64 a page
//   by_owner/<account hex>[/page]  index list pages (index_list.hpp)
//   by_status/<status>[/page]
//   expiring/<yyyy-mm>[/page]      registered marks expiring in that Hong Kong month

#include <set>

#include "bauhinia/contracts/trademark/module.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::trademark {

namespace {

constexpr std::uint32_t kPageSize = kIndexPageSize;
// Ancestors followed by an ownership query (a family has at most 676 members).
constexpr std::size_t kMaxChainDepth = kSuffixCount + 1;

core::Rejection bad(std::string detail) {
  return core::reject(core::Reject::kInvalid, "trademark: " + std::move(detail));
}

QueryRecord record_of(const StateView& state, Bytes key) {
  QueryRecord r;
  r.module = std::string(kModuleName);
  r.value = state.read(kModuleName, key);
  r.record_key = std::move(key);
  return r;
}

core::Checked<std::optional<MarkRecord>> load(const StateView& state, std::string_view number) {
  using Out = std::optional<MarkRecord>;
  if (auto e = check_number(number)) {
    return bad(std::string(number_error_reason(*e)) + ": '" + std::string(number.substr(0, 16)) +
               "' is not a trade mark number");
  }
  auto bytes = state.read(kModuleName, mark_key(number));
  if (!bytes) return Out{};
  auto m = core::decode<MarkRecord>(*bytes);
  if (!m) return bad("stored mark " + std::string(number) + " does not decode");
  return Out{std::move(*m)};
}

// Page `page` of `all` into `a`.
void paginate(QueryAnswer& a, std::vector<QueryRecord> all, std::uint32_t page) {
  const std::uint64_t first = static_cast<std::uint64_t>(page) * kPageSize;
  for (std::uint64_t i = first; i < all.size() && i < first + kPageSize; ++i) {
    a.related.push_back(std::move(all[i]));
  }
  if (first + kPageSize < all.size()) a.next_page = page + 1;
}

bool is_title_record(TransactionKind k) {
  return k == TransactionKind::kAssignment || k == TransactionKind::kPartialAssignment ||
         k == TransactionKind::kSplitFrom;
}

core::Checked<QueryAnswer> ownership(const StateView& state, const MarkRecord& mark,
                                     std::uint32_t page) {
  // (mark, number of its history records on the chain), from the mark up to its root.
  std::vector<std::pair<MarkRecord, std::uint32_t>> chain{{mark, mark.history_size}};
  std::set<std::string> seen{mark.number};
  while (!chain.back().first.parent.empty()) {
    const MarkRecord& child = chain.back().first;
    if (chain.size() > kMaxChainDepth) return bad("ownership chain too long");
    auto origin = detail::load_history(state, child.number, 0);
    std::uint32_t cutoff = 0;
    if (origin && origin->kind == TransactionKind::kSplitFrom) cutoff = origin->related_index + 1;
    auto parent = load(state, child.parent);
    if (!parent) return std::move(parent).error();
    if (!*parent || !seen.insert(child.parent).second) {
      return bad("the parent " + child.parent + " of " + child.number + " is missing");
    }
    chain.emplace_back(std::move(**parent), cutoff);
  }
  std::vector<QueryRecord> all;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const MarkRecord& m = it->first;
    if (m.number != mark.number) all.push_back(record_of(state, mark_key(m.number)));
    for (std::uint32_t i = 0; i < it->second && i < m.history_size; ++i) {
      auto h = detail::load_history(state, m.number, i);
      if (h && is_title_record(h->kind)) {
        all.push_back(record_of(state, history_key(m.number, i)));
      }
    }
  }
  QueryAnswer a;
  a.module = std::string(kModuleName);
  a.record_key = mark_key(mark.number);
  a.value = state.read(kModuleName, a.record_key);
  paginate(a, std::move(all), page);
  return a;
}

bool valid_month(std::string_view m) {
  if (m.size() != 7 || m[4] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6}) {
    if (m[i] < '0' || m[i] > '9') return false;
  }
  const int month = (m[5] - '0') * 10 + (m[6] - '0');
  return month >= 1 && month <= 12;
}

}  // namespace

core::Checked<QueryAnswer> TrademarkModule::query(std::string_view path,
                                                  const StateView& state) const {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto slash = path.find('/', start);
    parts.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
    if (parts.size() > 3) break;
  }
  if (parts.size() < 2 || parts.size() > 3) {
    return bad(
        "query mark/<number>, history/<number>[/page], ownership/<number>[/page], "
        "by_owner/<account hex>[/page], by_status/<status>[/page] or "
        "expiring/<yyyy-mm>[/page]");
  }
  const std::string_view kind = parts[0];
  const std::string_view arg = parts[1];
  auto page = parse_page(parts.size() == 3 ? parts[2] : std::string_view{});
  if (!page) return std::move(page).error();

  if (kind == "mark" || kind == "history" || kind == "ownership") {
    if (kind == "mark" && parts.size() == 3) return bad("mark/<number> has no pages");
    auto m = load(state, arg);
    if (!m) return std::move(m).error();
    if (kind == "mark" || !*m) {
      QueryAnswer a;
      a.module = std::string(kModuleName);
      a.record_key = mark_key(arg);
      a.value = state.read(kModuleName, a.record_key);
      return a;
    }
    if (kind == "ownership") return ownership(state, **m, *page);
    QueryAnswer a;
    a.module = std::string(kModuleName);
    a.record_key = mark_key(arg);
    a.value = state.read(kModuleName, a.record_key);
    const std::uint64_t first = static_cast<std::uint64_t>(*page) * kPageSize;
    for (std::uint64_t i = first; i < (*m)->history_size && i < first + kPageSize; ++i) {
      a.related.push_back(record_of(state, history_key(arg, static_cast<std::uint32_t>(i))));
    }
    if (first + kPageSize < (*m)->history_size) a.next_page = *page + 1;
    return a;
  }
  if (kind == "by_owner") {
    auto id = core::AccountId::from_hex(arg);
    if (!id) return std::move(id).error();
    return detail::owner_list(*id).answer_page(state, *page);
  }
  if (kind == "by_status") {
    auto s = status_from_name(arg);
    if (!s) return bad("no status '" + std::string(arg.substr(0, 16)) + "'");
    return detail::status_list(*s).answer_page(state, *page);
  }
  if (kind == "expiring") {
    if (!valid_month(arg)) return bad("expiring/<yyyy-mm>, e.g. expiring/2036-03");
    return detail::expiring_list(arg).answer_page(state, *page);
  }
  return bad("no query '" + std::string(kind.substr(0, 16)) + "'");
}

}  // namespace bauhinia::contracts::trademark
