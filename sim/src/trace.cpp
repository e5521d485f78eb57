#include "bauhinia/sim/trace.hpp"

#include "bauhinia/core/encoding.hpp"

namespace bauhinia::sim {

void Trace::record(std::uint64_t time_ms, std::string_view kind, std::uint64_t node,
                   const core::Hash256& digest, std::string_view note) {
  core::Writer w(64);
  w.u64(time_ms);
  w.bytes(core::as_bytes(kind));
  w.u64(node);
  w.raw(digest.view());
  hasher_.update(w.data());
  ++steps_;
  if (sink_ != nullptr) {
    *sink_ << "t=" << time_ms << " " << kind << " node=" << node;
    if (!digest.is_zero()) *sink_ << " " << digest.to_hex().substr(0, 12);
    if (!note.empty()) *sink_ << " " << note;
    *sink_ << '\n';
  }
}

core::Hash256 Trace::hash() const {
  core::Sha256 copy = hasher_;
  return copy.finalize();
}

}  // namespace bauhinia::sim
