#pragma once
// Paged, provable lists of records kept among a module's own records: the
// trademarks of an owner, the companies with an overdue annual return, the
// filings due in a month. Every page is a state record, so a client gets a
// state proof for the page (which records are on it) and for each record.
//
// Records (in the calling module's key space; kinds 0xF0..0xF2 are reserved
// for lists in every module):
//   0xF0 || name                       ListHead   {count}
//   0xF1 || u32 page (big-endian) || name   ListPage   {members}  (kIndexPageSize each)
//   0xF2 || u16 len(name) || name || member   ListSlot   {page, slot}
// A member is a record key of the module (≤ kMaxIndexMemberSize). Adding
// appends to the last page; removing moves the list's last member into the
// freed slot, so pages stay full but the order is not insertion order.
// Deterministic; costs O(1) record reads and writes per change.

#include <cstdint>
#include <optional>
#include <vector>

#include "bauhinia/contracts/module.hpp"
#include "bauhinia/contracts/state_view.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::contracts {

inline constexpr std::uint32_t kIndexPageSize = 64;
inline constexpr std::size_t kMaxIndexNameSize = 256;
inline constexpr std::size_t kMaxIndexMemberSize = 512;

struct ListHead {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::uint64_t count = 0;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.count);
  }
};

struct ListPage {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::vector<Bytes> members;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.sequence(s.members, kIndexPageSize, "members",
               [](auto& cc, auto& m) { cc.bytes(m, kMaxIndexMemberSize, "member"); });
  }
};

struct ListSlot {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  std::uint32_t page = 0;
  std::uint32_t slot = 0;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u32(s.page);
    c.u32(s.slot);
  }
};

class IndexList {
 public:
  // `name` identifies the list within the module, e.g. "owner/" + account id
  // bytes; at most kMaxIndexNameSize bytes (asserted: names come from code).
  explicit IndexList(Bytes name);

  Bytes head_key() const;
  Bytes page_key(std::uint32_t page) const;
  Bytes slot_key(core::ByteView member) const;

  // Adds `member` (no change if present). Fails (kFailedPrecondition) only on
  // a stored list record that does not decode; kInvalidArgument for a member
  // over kMaxIndexMemberSize.
  CallResult add(StateView& state, core::ByteView member) const;
  // Removes `member` (no change if absent).
  CallResult remove(StateView& state, core::ByteView member) const;
  bool contains(const StateView& state, core::ByteView member) const;
  std::uint64_t size(const StateView& state) const;  // 0 for a corrupt head

  // A query answer for page `page`: the page record (proven) and each member
  // record in `related`, read from `state` in the view's module; next_page is
  // set when a later page exists. A page past the end answers an absent page
  // record and no members.
  QueryAnswer answer_page(const StateView& state, std::uint32_t page) const;

 private:
  Bytes name_;
};

// Parses a page number from a query path segment ("" means page 0).
core::Checked<std::uint32_t> parse_page(std::string_view segment);

}  // namespace bauhinia::contracts
