#include "bauhinia/contracts/write_set.hpp"

#include <string>
#include <utility>

namespace bauhinia::contracts {

namespace {

// The encoded form: a sequence in state-key order (the map's order).
struct WriteEntry {
  core::Hash256 state_key;
  StateWrite write;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.state_key);
    c.string(s.write.module, chain::kMaxStateModuleNameSize, "write module");
    c.bytes(s.write.record_key, chain::kMaxStateRecordKeySize, "write record key");
    c.optional(s.write.value,
               [](auto& cc, auto& v) { cc.bytes(v, chain::kMaxStateValueSize, "write value"); });
  }
};

void encode_entry(core::EncodeCodec& c, const core::Hash256& key, const StateWrite& w) {
  c.fixed(key);
  c.string(w.module, chain::kMaxStateModuleNameSize, "write module");
  c.bytes(w.record_key, chain::kMaxStateRecordKeySize, "write record key");
  c.optional(w.value, [](auto& cc, const auto& v) {
    cc.bytes(v, chain::kMaxStateValueSize, "write value");
  });
}

}  // namespace

core::Bytes encode_write_set(const WriteSet& writes) {
  core::Writer w;
  core::EncodeCodec c(w);
  w.length(writes.size());
  for (const auto& [key, write] : writes) encode_entry(c, key, write);
  return std::move(w).take();
}

core::Hash256 state_changes_hash(const WriteSet& writes) {
  return core::tagged_hash(core::HashTag::kStateChanges, encode_write_set(writes));
}

core::Checked<WriteSet> decode_write_set(core::ByteView in) {
  core::Reader r(in);
  core::DecodeCodec c(r);
  std::vector<WriteEntry> entries;
  c.sequence(entries, kMaxWritesPerTransaction, "writes");
  if (core::Verdict v = r.finish(); !v) return v.rejection();
  WriteSet out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto& e = entries[i];
    if (i > 0 && !(entries[i - 1].state_key < e.state_key)) {
      return core::reject(core::Reject::kUnsorted, "write set: state keys not strictly increasing");
    }
    auto key = chain::state_key(e.write.module, e.write.record_key);
    if (!key) return std::move(key).error();
    if (*key != e.state_key) {
      return core::reject(core::Reject::kInvalid,
                          "write set: state key does not match its module and record key");
    }
    out.emplace(e.state_key, std::move(e.write));
  }
  return out;
}

}  // namespace bauhinia::contracts
