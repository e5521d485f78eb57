#include "bauhinia/ledger/state_tree.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "bauhinia/core/assert.hpp"
#include "bauhinia/ledger/state_node.hpp"
#include "bauhinia/ledger/state_pruner.hpp"
#include "state_node_io.hpp"
#include "state_tree_update.hpp"

namespace bauhinia::ledger {

namespace {

constexpr std::uint8_t kValueDeleted = 0x00;
constexpr std::uint8_t kValuePresent = 0x01;

core::Status no_version(std::uint64_t version) {
  return core::Status::not_found("state tree has no version " + std::to_string(version));
}

core::Status check_writes(std::span<const StateWrite> writes) {
  if (writes.size() > kMaxStateWritesPerVersion) {
    return core::Status::invalid_argument("state tree: " + std::to_string(writes.size()) +
                                          " writes in one version exceed " +
                                          std::to_string(kMaxStateWritesPerVersion));
  }
  for (std::size_t i = 0; i < writes.size(); ++i) {
    if (i > 0 && !(writes[i - 1].key < writes[i].key)) {
      return core::Status::invalid_argument(
          "state tree: writes not strictly increasing by key at " + writes[i].key.to_hex());
    }
    if (writes[i].value && writes[i].value->size() > chain::kMaxStateValueSize) {
      return core::Status::invalid_argument(
          "state tree: value of " + std::to_string(writes[i].value->size()) + " bytes for " +
          writes[i].key.to_hex() + " exceeds " + std::to_string(chain::kMaxStateValueSize));
    }
  }
  return core::Status::ok();
}

core::Status bad_value(ByteView stored_key) {
  return core::Status::corruption(describe_key(Column::kStateValue, stored_key) +
                                  ": malformed state value");
}

// The stored value bytes of `key` at `version` (or the newest before it).
core::Result<std::optional<Bytes>> read_value(const KvReader& store, const Hash256& key,
                                              std::uint64_t version) {
  auto found = store.floor(Column::kStateValue, key.view(), state_value_key(key, version));
  if (!found) return std::move(found).error();
  if (!found->has_value()) return std::optional<Bytes>{};
  const auto parsed = parse_stored_state_value((*found)->second);
  if (!parsed) return bad_value((*found)->first);
  if (!parsed->value_hash) return std::optional<Bytes>{};
  return std::optional<Bytes>{Bytes(parsed->value.begin(), parsed->value.end())};
}

}  // namespace

std::optional<StoredStateValue> parse_stored_state_value(ByteView stored) {
  if (stored.size() == 1 && stored[0] == kValueDeleted) return StoredStateValue{};
  if (stored.size() < 1 + Hash256::kSize || stored[0] != kValuePresent ||
      stored.size() - 1 - Hash256::kSize > chain::kMaxStateValueSize) {
    return std::nullopt;
  }
  Hash256 hash;
  std::copy_n(stored.begin() + 1, Hash256::kSize, hash.bytes().begin());
  return StoredStateValue{hash, stored.subspan(1 + Hash256::kSize)};
}

Bytes encode_stored_state_value(const std::optional<Bytes>& value,
                                const std::optional<Hash256>& value_hash) {
  BAUHINIA_ASSERT(value.has_value() == value_hash.has_value());
  if (!value) return Bytes{kValueDeleted};
  Bytes stored;
  stored.reserve(1 + Hash256::kSize + value->size());
  stored.push_back(kValuePresent);
  stored.insert(stored.end(), value_hash->bytes().begin(), value_hash->bytes().end());
  stored.insert(stored.end(), value->begin(), value->end());
  return stored;
}

Bytes state_value_key(const Hash256& key, std::uint64_t version) {
  Bytes k;
  k.reserve(Hash256::kSize + 8);
  k.insert(k.end(), key.bytes().begin(), key.bytes().end());
  append_be64(k, version);
  return k;
}

core::Result<std::optional<std::uint64_t>> StateTree::latest_version() const {
  // Every version writes a root, so the greatest node key names the newest version.
  const Bytes upper(8 + 1 + kStateMaxNibbles / 2, 0xFF);
  auto found = store_.floor(Column::kStateNode, ByteView{}, upper);
  if (!found) return std::move(found).error();
  if (!found->has_value()) return std::optional<std::uint64_t>{};
  if (!parse_state_node_key((*found)->first)) {
    return core::Status::corruption("state tree: malformed node key " +
                                    core::to_hex((*found)->first));
  }
  return std::optional<std::uint64_t>{read_be64((*found)->first)};
}

core::Result<StateUpdate> StateTree::apply(std::uint64_t version,
                                           std::span<const StateWrite> writes,
                                           WriteBatch& batch) const {
  if (core::Status s = check_writes(writes); !s) return s;
  auto latest = latest_version();
  if (!latest) return std::move(latest).error();
  std::optional<std::uint64_t> base;
  if (latest->has_value()) {
    if (**latest == UINT64_MAX || version != **latest + 1) {
      return core::Status::invalid_argument("state tree: cannot apply version " +
                                            std::to_string(version) + " after version " +
                                            std::to_string(**latest));
    }
    base = **latest;
  }

  std::vector<detail::HashedWrite> hashed;
  hashed.reserve(writes.size());
  for (const auto& w : writes) {
    hashed.push_back(
        {w.key, w.value ? std::optional{chain::state_value_hash(*w.value)} : std::nullopt});
  }
  std::vector<Bytes> stale;
  auto nodes = detail::update_state_nodes(store_, version, base, hashed, batch, cache_,
                                          record_stale_ ? &stale : nullptr);
  if (!nodes) return std::move(nodes).error();
  for (const Bytes& node_key : stale) {
    batch.put(Column::kStateStale, state_stale_key(version, node_key), Bytes{});
  }

  for (std::size_t i = 0; i < writes.size(); ++i) {
    batch.put(Column::kStateValue, state_value_key(writes[i].key, version),
              encode_stored_state_value(writes[i].value, hashed[i].value_hash));
  }
  return StateUpdate{nodes->root, nodes->nodes_written, writes.size()};
}

core::Result<Hash256> StateTree::root_hash(std::uint64_t version) const {
  auto root = detail::read_state_node(store_, version, NibblePath{}, cache_);
  if (!root) return std::move(root).error();
  if (!root->has_value()) return no_version(version);
  return state_node_hash(**root);
}

core::Result<std::optional<Bytes>> StateTree::get(const Hash256& key, std::uint64_t version) const {
  auto root = store_.get(Column::kStateNode, state_node_key(version, NibblePath{}));
  if (!root) return std::move(root).error();
  if (!root->has_value()) return no_version(version);
  return read_value(store_, key, version);
}

core::Result<std::optional<Bytes>> StateTree::get_in_known_version(const Hash256& key,
                                                                   std::uint64_t version) const {
  return read_value(store_, key, version);
}

core::Result<StateValueWithProof> StateTree::get_with_proof(const Hash256& key,
                                                            std::uint64_t version) const {
  auto root = detail::read_state_node(store_, version, NibblePath{}, cache_);
  if (!root) return std::move(root).error();
  if (!root->has_value()) return no_version(version);

  StateValueWithProof out;
  std::vector<Hash256> top_down;
  StateNode node = std::move(**root);
  std::uint64_t node_version = version;
  NibblePath path;
  while (const auto* internal = std::get_if<InternalNode>(&node)) {
    const InternalPathEnd end = internal->descend(key_nibble(key, path.size()), top_down);
    if (end.kind == InternalPathEnd::Kind::kEmpty) {
      node = EmptyNode{};
      break;
    }
    const ChildRef ref = *internal->children[end.slot];
    const NibblePath child_path = path.child(end.slot);
    auto child = detail::load_child_node(store_, node_version, ref, child_path, cache_);
    if (!child) return std::move(child).error();
    node = std::move(child).value();
    node_version = ref.version;
    path = child_path;
  }
  if (const auto* leaf = std::get_if<LeafNode>(&node)) {
    out.proof.leaf = chain::SparseMerkleLeaf{leaf->key, leaf->value_hash};
  }
  out.proof.siblings.assign(top_down.rbegin(), top_down.rend());

  if (out.proof.leaf && out.proof.leaf->key == key) {
    auto value = read_value(store_, key, version);
    if (!value) return std::move(value).error();
    if (!value->has_value() || chain::state_value_hash(**value) != out.proof.leaf->value_hash) {
      return core::Status::corruption("state value of " + key.to_hex() + " at version " +
                                      std::to_string(version) + " does not match its leaf");
    }
    out.value = std::move(*value);
  }
  return out;
}

core::Result<std::vector<StoredVersion>> StateTree::value_history(const Hash256& key,
                                                                  std::uint64_t from_version,
                                                                  std::uint64_t to_version,
                                                                  std::size_t limit) const {
  std::vector<StoredVersion> out;
  core::Status failure;
  core::Status s = store_.scan_from(
      Column::kStateValue, key.view(), state_value_key(key, from_version), limit,
      [&](ByteView k, ByteView stored) {
        if (k.size() != Hash256::kSize + 8) {
          failure =
              core::Status::corruption(describe_key(Column::kStateValue, k) + ": malformed key");
          return false;
        }
        const std::uint64_t version = read_be64(k.subspan(Hash256::kSize));
        if (version > to_version) return false;
        const auto parsed = parse_stored_state_value(stored);
        if (!parsed) {
          failure = bad_value(k);
          return false;
        }
        out.push_back(StoredVersion{version, parsed->value_hash});
        return true;
      });
  if (!s) return s;
  if (!failure) return failure;
  return out;
}

}  // namespace bauhinia::ledger
