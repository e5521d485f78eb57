#include "bauhinia/contracts/index_list.hpp"

#include <charconv>
#include <string>
#include <utility>

#include "bauhinia/core/assert.hpp"

namespace bauhinia::contracts {

using chain::TxOutcome;

namespace {

constexpr std::uint8_t kHeadKind = 0xF0;
constexpr std::uint8_t kPageKind = 0xF1;
constexpr std::uint8_t kSlotKind = 0xF2;

CallResult corrupt(const char* what) {
  return CallResult::failure(TxOutcome::kFailedPrecondition, "corrupt_record",
                             std::string("stored list ") + what + " does not decode");
}

template <class T>
std::optional<core::Checked<T>> load(const StateView& state, const Bytes& key) {
  auto bytes = state.read_own(key);
  if (!bytes) return std::nullopt;
  return core::decode<T>(*bytes);
}

}  // namespace

IndexList::IndexList(Bytes name) : name_(std::move(name)) {
  BAUHINIA_ASSERT(name_.size() <= kMaxIndexNameSize);
}

Bytes IndexList::head_key() const {
  Bytes k{kHeadKind};
  k.insert(k.end(), name_.begin(), name_.end());
  return k;
}

Bytes IndexList::page_key(std::uint32_t page) const {
  Bytes k{kPageKind, static_cast<std::uint8_t>(page >> 24), static_cast<std::uint8_t>(page >> 16),
          static_cast<std::uint8_t>(page >> 8), static_cast<std::uint8_t>(page)};
  k.insert(k.end(), name_.begin(), name_.end());
  return k;
}

Bytes IndexList::slot_key(core::ByteView member) const {
  Bytes k{kSlotKind, static_cast<std::uint8_t>(name_.size() >> 8),
          static_cast<std::uint8_t>(name_.size())};
  k.insert(k.end(), name_.begin(), name_.end());
  k.insert(k.end(), member.begin(), member.end());
  return k;
}

std::uint64_t IndexList::size(const StateView& state) const {
  auto head = load<ListHead>(state, head_key());
  return head && *head ? (*head)->count : 0;
}

bool IndexList::contains(const StateView& state, core::ByteView member) const {
  return state.read_own(slot_key(member)).has_value();
}

CallResult IndexList::add(StateView& state, core::ByteView member) const {
  if (member.size() > kMaxIndexMemberSize) {
    return CallResult::failure(
        TxOutcome::kInvalidArgument, "member_too_large",
        "a list member is at most " + std::to_string(kMaxIndexMemberSize) + " bytes");
  }
  if (contains(state, member)) return CallResult::success();
  ListHead head;
  if (auto h = load<ListHead>(state, head_key())) {
    if (!*h) return corrupt("head");
    head = **h;
  }
  const auto page = static_cast<std::uint32_t>(head.count / kIndexPageSize);
  const auto slot = static_cast<std::uint32_t>(head.count % kIndexPageSize);
  ListPage p;
  if (slot != 0) {
    auto loaded = load<ListPage>(state, page_key(page));
    if (!loaded || !*loaded || (*loaded)->members.size() != slot) return corrupt("page");
    p = std::move(**loaded);
  }
  p.members.emplace_back(member.begin(), member.end());
  head.count += 1;
  state.write(page_key(page), core::encode(p));
  state.write(head_key(), core::encode(head));
  state.write(slot_key(member), core::encode(ListSlot{ListSlot::kVersion, page, slot}));
  return CallResult::success();
}

CallResult IndexList::remove(StateView& state, core::ByteView member) const {
  auto found = load<ListSlot>(state, slot_key(member));
  if (!found) return CallResult::success();
  if (!*found) return corrupt("slot");
  const ListSlot at = **found;
  auto h = load<ListHead>(state, head_key());
  if (!h || !*h || (*h)->count == 0) return corrupt("head");
  ListHead head = **h;
  const std::uint64_t last = head.count - 1;
  const auto last_page = static_cast<std::uint32_t>(last / kIndexPageSize);
  const auto last_slot = static_cast<std::uint32_t>(last % kIndexPageSize);
  auto lp = load<ListPage>(state, page_key(last_page));
  if (!lp || !*lp || (*lp)->members.size() != last_slot + 1) return corrupt("page");
  ListPage tail = std::move(**lp);
  Bytes moved = std::move(tail.members.back());
  tail.members.pop_back();
  if (at.page == last_page) {
    if (at.slot != last_slot) {
      if (at.slot >= tail.members.size()) return corrupt("slot");
      tail.members[at.slot] = moved;
    }
  } else {
    auto ap = load<ListPage>(state, page_key(at.page));
    if (!ap || !*ap || at.slot >= (*ap)->members.size()) return corrupt("page");
    ListPage page = std::move(**ap);
    page.members[at.slot] = moved;
    state.write(page_key(at.page), core::encode(page));
  }
  if (tail.members.empty()) {
    state.erase(page_key(last_page));
  } else {
    state.write(page_key(last_page), core::encode(tail));
  }
  state.erase(slot_key(member));
  if (!(at.page == last_page && at.slot == last_slot)) {
    state.write(slot_key(moved), core::encode(ListSlot{ListSlot::kVersion, at.page, at.slot}));
  }
  head.count = last;
  if (head.count == 0) {
    state.erase(head_key());
  } else {
    state.write(head_key(), core::encode(head));
  }
  return CallResult::success();
}

QueryAnswer IndexList::answer_page(const StateView& state, std::uint32_t page) const {
  QueryAnswer a;
  a.module = std::string(state.module());
  a.record_key = page_key(page);
  a.value = state.read_own(a.record_key);
  if (a.value) {
    if (auto p = core::decode<ListPage>(*a.value)) {
      for (Bytes& m : p->members) {
        QueryRecord r;
        r.module = a.module;
        r.value = state.read_own(m);
        r.record_key = std::move(m);
        a.related.push_back(std::move(r));
      }
    }
  }
  if (static_cast<std::uint64_t>(page + 1) * kIndexPageSize < size(state)) a.next_page = page + 1;
  return a;
}

core::Checked<std::uint32_t> parse_page(std::string_view segment) {
  if (segment.empty()) return std::uint32_t{0};
  std::uint32_t page = 0;
  const auto* end = segment.data() + segment.size();
  auto [p, ec] = std::from_chars(segment.data(), end, page);
  if (ec != std::errc() || p != end || segment.size() > 9) {
    return core::reject(core::Reject::kInvalid,
                        "page: a number from 0, got '" + std::string(segment.substr(0, 16)) + "'");
  }
  return page;
}

}  // namespace bauhinia::contracts
