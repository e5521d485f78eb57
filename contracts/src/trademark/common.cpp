// Validation, loading, saving and indexing shared by every call.

#include <set>

#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/contracts/trademark/calendar.hpp"
#include "bauhinia/contracts/trademark/module.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::trademark::detail {

bool valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) return false;  // no control characters
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Shortest form only, no surrogates, at most U+10FFFF.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

CallResult check_number_arg(std::string_view number) {
  if (auto e = check_number(number)) {
    return fail(TxOutcome::kInvalidArgument, number_error_reason(*e),
                "'" + std::string(number) +
                    "' is not a trade mark number (9 digits beginning 30, optionally two "
                    "letters A-Z of a divisional registration)");
  }
  return CallResult::success();
}

CallResult check_party(const StateView& state, const Party& party, std::string_view role) {
  const std::string who(role);
  if (party.name_en.empty() && party.name_zh.empty()) {
    return fail(TxOutcome::kInvalidArgument, "name_missing",
                who + ": a name in English or Chinese is required");
  }
  if (!valid_utf8(party.name_en) || !valid_utf8(party.name_zh)) {
    return fail(TxOutcome::kInvalidArgument, "invalid_text", who + ": a name is not valid UTF-8");
  }
  for (const char ch : party.cr_number) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z'))) {
      return fail(TxOutcome::kInvalidArgument, "invalid_cr_number",
                  who + ": a CR number has only digits and capital letters");
    }
  }
  if (party.is_company() && !company_is_live(state, party.cr_number)) {
    return fail(
        TxOutcome::kFailedPrecondition, "company_not_live",
        who + ": company " + party.cr_number + " is not a live company in the company register");
  }
  return CallResult::success();
}

CallResult check_classes(const std::vector<ClassSpec>& classes, std::string_view field,
                         bool allow_empty_items) {
  const std::string f(field);
  std::size_t total = 0;
  int previous = 0;
  for (const ClassSpec& spec : classes) {
    if (spec.nice_class < kMinNiceClass || spec.nice_class > kMaxNiceClass) {
      return fail(TxOutcome::kInvalidArgument, "class_out_of_range",
                  f + ": Nice class " + std::to_string(spec.nice_class) + " is not 1..45");
    }
    if (spec.nice_class <= previous) {
      return fail(TxOutcome::kInvalidArgument, "classes_not_increasing",
                  f + ": classes must be listed once each, in increasing order");
    }
    previous = spec.nice_class;
    if (spec.items.empty() && !allow_empty_items) {
      return fail(TxOutcome::kInvalidArgument, "goods_missing",
                  f + ": class " + std::to_string(spec.nice_class) + " names no goods or services");
    }
    std::set<std::string_view> seen;
    for (const std::string& item : spec.items) {
      if (item.empty() || !valid_utf8(item)) {
        return fail(TxOutcome::kInvalidArgument, "invalid_text",
                    f + ": an item of class " + std::to_string(spec.nice_class) +
                        " is empty or not valid UTF-8");
      }
      if (!seen.insert(item).second) {
        return fail(TxOutcome::kInvalidArgument, "duplicate_item",
                    f + ": class " + std::to_string(spec.nice_class) + " repeats '" + item + "'");
      }
      total += item.size();
    }
  }
  if (total > kMaxSpecificationSize) {
    return fail(TxOutcome::kLimitExceeded, "specification_too_large",
                f + ": " + std::to_string(total) + " bytes of goods/services; at most " +
                    std::to_string(kMaxSpecificationSize));
  }
  return CallResult::success();
}

CallResult require_registrar(const CallContext& call, const StateView& state) {
  if (!system::has_role(state, call.sender(), kRegistrarRole)) {
    return fail(TxOutcome::kUnauthorized, "not_registrar",
                call.tx().call + ": the sender does not hold the role trademark.registrar");
  }
  return CallResult::success();
}

CallResult read_param(const StateView& state, std::string_view name, std::uint64_t& out) {
  auto v = system::read_parameter(state, name);
  if (!v) {
    return fail(TxOutcome::kFailedPrecondition, "missing_parameter",
                "chain parameter " + std::string(name) + " is not set");
  }
  out = *v;
  return CallResult::success();
}

CallResult load_mark(const StateView& state, std::string_view number, MarkRecord& out) {
  if (CallResult r = check_number_arg(number); !r.ok()) return r;
  auto bytes = state.read(kModuleName, mark_key(number));
  if (!bytes) {
    return fail(TxOutcome::kNotFound, "mark_not_found", "no trade mark " + std::string(number));
  }
  auto mark = core::decode<MarkRecord>(*bytes);
  if (!mark) {
    return fail(TxOutcome::kFailedPrecondition, "corrupt_record",
                "stored mark " + std::string(number) + " does not decode");
  }
  out = std::move(*mark);
  return CallResult::success();
}

IndexList owner_list(const core::AccountId& owner) {
  Bytes name{'o'};
  name.insert(name.end(), owner.bytes.begin(), owner.bytes.end());
  return IndexList(std::move(name));
}

IndexList status_list(Status status) {
  Bytes name{'s'};
  const std::string_view s = status_name(status);
  name.insert(name.end(), s.begin(), s.end());
  return IndexList(std::move(name));
}

IndexList expiring_list(std::string_view month) {
  Bytes name{'e'};
  name.insert(name.end(), month.begin(), month.end());
  return IndexList(std::move(name));
}

namespace {

// The index lists a mark belongs to.
std::vector<IndexList> lists_of(const MarkRecord& m) {
  std::vector<IndexList> out{owner_list(m.owner.account), status_list(m.status)};
  if (m.status == Status::kRegistered && m.expiry_ms != 0) {
    out.push_back(expiring_list(month_of(m.expiry_ms)));
  }
  return out;
}

bool same_list(const IndexList& a, const IndexList& b) {
  return a.head_key() == b.head_key();
}

bool contains_list(const std::vector<IndexList>& v, const IndexList& l) {
  for (const IndexList& x : v) {
    if (same_list(x, l)) return true;
  }
  return false;
}

}  // namespace

CallResult save_mark(StateView& state, const MarkRecord* before, const MarkRecord& after) {
  const Bytes key = mark_key(after.number);
  const std::vector<IndexList> now = lists_of(after);
  if (before != nullptr) {
    for (const IndexList& l : lists_of(*before)) {
      if (contains_list(now, l)) continue;
      if (CallResult r = l.remove(state, key); !r.ok()) return r;
    }
  }
  for (const IndexList& l : now) {
    if (CallResult r = l.add(state, key); !r.ok()) return r;
  }
  state.write(key, core::encode(after));
  return CallResult::success();
}

void append_history(StateView& state, MarkRecord& mark, HistoryRecord record) {
  record.index = mark.history_size;
  mark.history_size += 1;
  state.write(history_key(mark.number, record.index), core::encode(record));
}

std::optional<HistoryRecord> load_history(const StateView& state, std::string_view number,
                                          std::uint32_t index) {
  auto bytes = state.read(kModuleName, history_key(number, index));
  if (!bytes) return std::nullopt;
  auto r = core::decode<HistoryRecord>(*bytes);
  if (!r) return std::nullopt;
  return std::move(*r);
}

CallResult illegal_transition(const MarkRecord& mark, std::string_view call, Status to) {
  return fail(TxOutcome::kFailedPrecondition, "illegal_transition",
              std::string(call) + ": mark " + mark.number + " cannot go from " +
                  std::string(status_name(mark.status)) + " to " + std::string(status_name(to)));
}

}  // namespace bauhinia::contracts::trademark::detail
