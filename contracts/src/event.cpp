#include "bauhinia/contracts/event.hpp"

namespace bauhinia::contracts {

core::Hash256 events_hash(const std::vector<Event>& events) {
  core::Writer w;
  core::EncodeCodec c(w);
  c.sequence(events, kMaxEventsPerTransaction, "events");
  return core::tagged_hash(core::HashTag::kEvent, w.data());
}

}  // namespace bauhinia::contracts
