// Queries: each answer is a record of the module (proven by the node) and,
// for lists, the records it names, a page (64) at a time:
//   product/<regno>                          the product
//   product/<regno>/batches[/page]           index list of its batches
//   batch/<regno>/<batch>                    the batch (expiry, recall)
//   batch/<regno>/<batch>/custody[/page]     the batch, and its custody records in order
//   batch/<regno>/<batch>/holders[/page]     index list of its current holdings
//   batch/<regno>/<batch>/recall[/page]      the batch, and its recall notices in order
//   holder/<account hex>/holdings[/page]     index list of the account's holdings
//   holder/<account hex>/recalls[/page]      index list of the recall notices it received

#include <vector>

#include "bauhinia/contracts/drugs/module.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::drugs {

namespace {

constexpr std::uint32_t kPageSize = kIndexPageSize;
constexpr std::size_t kMaxParts = 5;

core::Rejection bad(std::string detail) {
  return core::reject(core::Reject::kInvalid, "drugs: " + std::move(detail));
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

std::optional<core::Rejection> check_regno(std::string_view regno) {
  if (registration_number_error(regno)) {
    return bad("'" + std::string(regno.substr(0, 16)) +
               "' is not a registration number (HK- and 5 digits)");
  }
  return std::nullopt;
}

// The batch and, when it exists, `count` indexed records of it from page `page`.
template <class KeyOf>
core::Checked<QueryAnswer> numbered(const StateView& state, std::string_view regno,
                                    std::string_view batch, std::uint32_t page, KeyOf key_of,
                                    bool custody) {
  QueryAnswer a = answer_of(state, batch_key(regno, batch));
  if (!a.value) return a;
  auto b = core::decode<BatchRecord>(*a.value);
  if (!b) return bad("stored batch does not decode");
  const std::uint64_t count = custody ? b->custody_size : (b->recall ? b->recall->notices : 0);
  const std::uint64_t first = static_cast<std::uint64_t>(page) * kPageSize;
  for (std::uint64_t i = first; i < count && i < first + kPageSize; ++i) {
    a.related.push_back(record_of(state, key_of(static_cast<std::uint32_t>(i))));
  }
  if (first + kPageSize < count) a.next_page = page + 1;
  return a;
}

core::Checked<QueryAnswer> batch_query(const StateView& state,
                                       const std::vector<std::string_view>& parts,
                                       std::uint32_t page) {
  const std::string_view regno = parts[1];
  const std::string_view batch = parts[2];
  if (auto e = check_regno(regno)) return *e;
  if (batch_number_error(batch)) {
    return bad("'" + std::string(batch.substr(0, 24)) + "' is not a batch number");
  }
  if (parts.size() == 3) return answer_of(state, batch_key(regno, batch));
  const std::string_view what = parts[3];
  if (what == "custody") {
    return numbered(
        state, regno, batch, page, [&](std::uint32_t i) { return custody_key(regno, batch, i); },
        true);
  }
  if (what == "recall") {
    return numbered(
        state, regno, batch, page, [&](std::uint32_t i) { return notice_key(regno, batch, i); },
        false);
  }
  if (what == "holders") return detail::holders_list(regno, batch).answer_page(state, page);
  return bad("batch/<regno>/<batch>/{custody,holders,recall}[/page]");
}

}  // namespace

core::Checked<QueryAnswer> DrugsModule::query(std::string_view path, const StateView& state) const {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto slash = path.find('/', start);
    parts.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos || parts.size() > kMaxParts) break;
    start = slash + 1;
  }
  const std::string_view usage =
      "query product/<regno>[/batches[/page]], batch/<regno>/<batch>"
      "[/custody|/holders|/recall[/page]] or holder/<account hex>/{holdings,recalls}[/page]";
  if (parts.size() < 2 || parts.size() > kMaxParts) return bad(std::string(usage));
  const std::string_view kind = parts[0];

  if (kind == "product") {
    if (auto e = check_regno(parts[1])) return *e;
    if (parts.size() == 2) return answer_of(state, product_key(parts[1]));
    if (parts[2] != "batches" || parts.size() > 4) return bad(std::string(usage));
    auto page = parse_page(parts.size() == 4 ? parts[3] : std::string_view{});
    if (!page) return std::move(page).error();
    return detail::batches_list(parts[1]).answer_page(state, *page);
  }
  if (kind == "batch") {
    if (parts.size() < 3) return bad(std::string(usage));
    auto page = parse_page(parts.size() == 5 ? parts[4] : std::string_view{});
    if (!page) return std::move(page).error();
    return batch_query(state, parts, *page);
  }
  if (kind == "holder") {
    if (parts.size() < 3 || parts.size() > 4) return bad(std::string(usage));
    auto id = core::AccountId::from_hex(parts[1]);
    if (!id) return std::move(id).error();
    auto page = parse_page(parts.size() == 4 ? parts[3] : std::string_view{});
    if (!page) return std::move(page).error();
    if (parts[2] == "holdings") return detail::holdings_list(*id).answer_page(state, *page);
    if (parts[2] == "recalls") return detail::recalls_list(*id).answer_page(state, *page);
    return bad(std::string(usage));
  }
  return bad("no query '" + std::string(kind.substr(0, 16)) + "'; " + std::string(usage));
}

}  // namespace bauhinia::contracts::drugs
