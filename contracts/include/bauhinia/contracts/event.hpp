#pragma once
// Events: what happened, for subscribers (API WebSocket) and the explorer.
// Each event names its module, a kind, the record it concerns (may be empty)
// and data (the canonical encoding of the kind's fields).
//
// A transaction's events_hash (in its chain::TransactionInfo) is
//   tagged_hash(kEvent, encode(sequence of Event))
// with the events in emission order.

#include <cstddef>
#include <string>
#include <vector>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::contracts {

inline constexpr std::size_t kMaxEventKindSize = 64;
inline constexpr std::size_t kMaxEventDataSize = 16 * 1024;
inline constexpr std::size_t kMaxEventsPerTransaction = 256;
// One slot is the Executor's (account_created); a call may emit the rest.
inline constexpr std::size_t kMaxEventsPerCall = kMaxEventsPerTransaction - 1;

struct Event {
  std::string module;      // the emitting module
  std::string kind;        // e.g. "ping", "key_rotated": [a-z][a-z0-9_]*
  core::Bytes record_key;  // the record concerned (empty: none)
  core::Bytes data;        // canonical encoding of the kind's fields

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.module, chain::kMaxModuleNameSize, "event module");
    c.string(s.kind, kMaxEventKindSize, "event kind");
    c.bytes(s.record_key, chain::kMaxStateRecordKeySize, "event record key");
    c.bytes(s.data, kMaxEventDataSize, "event data");
  }
  friend bool operator==(const Event&, const Event&) = default;
};

struct EventList {
  std::vector<Event> events;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.sequence(s.events, kMaxEventsPerTransaction, "events");
  }
};

// tagged_hash(kEvent, encode(EventList{events})).
core::Hash256 events_hash(const std::vector<Event>& events);

}  // namespace bauhinia::contracts
