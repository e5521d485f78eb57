#include "bauhinia/ledger/state_pruner.hpp"

#include <algorithm>
#include <string>

#include "bauhinia/core/assert.hpp"
#include "bauhinia/ledger/state_node.hpp"

namespace bauhinia::ledger {

namespace {

Bytes pruned_below_key() {
  const ByteView v = core::as_bytes(kMetaStatePrunedBelowKey);
  return {v.begin(), v.end()};
}

}  // namespace

Bytes state_stale_key(std::uint64_t since, ByteView node_key) {
  Bytes k;
  k.reserve(8 + node_key.size());
  append_be64(k, since);
  k.insert(k.end(), node_key.begin(), node_key.end());
  return k;
}

core::Result<std::uint64_t> read_state_pruned_below(const KvReader& store) {
  const Bytes key = pruned_below_key();
  auto raw = store.get(Column::kMeta, key);
  if (!raw) return std::move(raw).error();
  if (!raw->has_value()) return std::uint64_t{0};
  if ((*raw)->size() != 8) {
    return core::Status::corruption(describe_key(Column::kMeta, key) +
                                    ": expected 8 bytes, found " + std::to_string((*raw)->size()));
  }
  return read_be64(**raw);
}

core::Result<StatePruneSlice> plan_state_prune(const KvReader& store, std::uint64_t pruned_below,
                                               std::uint64_t retain_from, std::size_t max_nodes) {
  BAUHINIA_ASSERT(max_nodes > 0);
  StatePruneSlice slice;
  slice.pruned_below = pruned_below;
  std::size_t taken = 0;
  bool more = false;  // an entry beyond the slice is still due
  core::Status failure;
  core::Status s =
      store.scan(Column::kStateStale, ByteView{}, max_nodes + 1, [&](ByteView key, ByteView value) {
        if (key.size() < 8 || !value.empty() || !parse_state_node_key(key.subspan(8))) {
          failure = core::Status::corruption(describe_key(Column::kStateStale, key) +
                                             ": malformed stale-node entry");
          return false;
        }
        const std::uint64_t since = read_be64(key);
        if (since > retain_from) return false;
        if (taken == max_nodes) {
          more = true;
          return false;
        }
        slice.batch.erase(Column::kStateNode, key.subspan(8));
        slice.batch.erase(Column::kStateStale, key);
        slice.pruned_below = std::max(slice.pruned_below, since);
        ++taken;
        return true;
      });
  if (!s) return s;
  if (!failure) return failure;
  slice.nodes_deleted = taken;
  slice.done = !more;
  if (slice.done) slice.pruned_below = std::max(slice.pruned_below, retain_from);
  if (slice.pruned_below != pruned_below) {
    Bytes value;
    append_be64(value, slice.pruned_below);
    slice.batch.put(Column::kMeta, pruned_below_key(), std::move(value));
  }
  return slice;
}

}  // namespace bauhinia::ledger
