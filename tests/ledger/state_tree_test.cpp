// The versioned state tree over a real MemoryKvStore: updates, deletions, past
// versions, inclusion and non-inclusion proofs checked with chain's verifier,
// roots compared with a naive binary reference over the full key set.

#include "bauhinia/ledger/state_tree.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/state_node_cache.hpp"

namespace bauhinia::ledger {
namespace {

using Model = std::map<Hash256, Bytes>;

Bytes B(std::string_view s) {
  return Bytes(s.begin(), s.end());
}

Hash256 random_hash(std::mt19937_64& rng) {
  Hash256 h;
  for (auto& b : h.bytes()) b = static_cast<std::uint8_t>(rng());
  return h;
}

// Naive reference: the root from the whole key set, one binary level at a time.
Hash256 reference_root(const std::vector<std::pair<Hash256, Hash256>>& entries, unsigned depth) {
  if (entries.empty()) return chain::state_placeholder_hash();
  if (entries.size() == 1) return chain::state_leaf_hash(entries[0].first, entries[0].second);
  std::vector<std::pair<Hash256, Hash256>> left, right;
  for (const auto& e : entries) (e.first.bit(depth) ? right : left).push_back(e);
  return chain::state_internal_hash(reference_root(left, depth + 1),
                                    reference_root(right, depth + 1));
}

Hash256 reference_root(const Model& model) {
  std::vector<std::pair<Hash256, Hash256>> entries;
  for (const auto& [k, v] : model) entries.emplace_back(k, chain::state_value_hash(v));
  return reference_root(entries, 0);
}

std::vector<StateWrite> writes_of(const std::map<Hash256, std::optional<Bytes>>& changes) {
  std::vector<StateWrite> out;
  for (const auto& [k, v] : changes) out.push_back({k, v});
  return out;
}

class Tree {
 public:
  StateUpdate apply(const std::vector<StateWrite>& writes) {
    WriteBatch batch;
    auto r = tree_.apply(next_, writes, batch);
    if (!r) {
      ADD_FAILURE() << "apply(" << next_ << "): " << r.error().to_string();
      return StateUpdate{};
    }
    EXPECT_TRUE(store_.write(batch, false));
    ++next_;
    return *r;
  }
  StateUpdate apply_changes(const std::map<Hash256, std::optional<Bytes>>& changes) {
    return apply(writes_of(changes));
  }

  // Checks get() and get_with_proof() of `key` at `version` against `expected`.
  void expect_value(const Hash256& key, std::uint64_t version,
                    const std::optional<Bytes>& expected) {
    auto root = tree_.root_hash(version);
    ASSERT_TRUE(root.has_value());
    auto got = tree_.get(key, version);
    ASSERT_TRUE(got.has_value()) << got.error().to_string();
    EXPECT_EQ(*got, expected) << "key " << key.to_hex() << " version " << version;
    auto proven = tree_.get_with_proof(key, version);
    ASSERT_TRUE(proven.has_value()) << proven.error().to_string();
    EXPECT_EQ(proven->value, expected);
    const std::optional<core::ByteView> v =
        expected ? std::optional<core::ByteView>(*expected) : std::nullopt;
    const auto verdict = chain::verify_state_proof(*root, key, v, proven->proof);
    EXPECT_TRUE(verdict) << verdict.rejection().to_string();
    // The same proof never proves the opposite.
    if (expected) {
      EXPECT_FALSE(chain::verify_state_proof(*root, key, std::nullopt, proven->proof));
    } else {
      EXPECT_FALSE(chain::verify_state_proof(*root, key, B("x"), proven->proof));
    }
  }

  Hash256 root(std::uint64_t version) const { return *tree_.root_hash(version); }
  std::uint64_t next() const { return next_; }
  MemoryKvStore& store() { return store_; }
  const StateTree& tree() const { return tree_; }

 private:
  MemoryKvStore store_;
  StateTree tree_{store_};
  std::uint64_t next_ = 0;
};

TEST(StateTree, EmptyTree) {
  Tree t;
  EXPECT_FALSE(t.tree().latest_version()->has_value());
  const StateUpdate u = t.apply(std::vector<StateWrite>{});
  EXPECT_TRUE(u.root.is_zero());
  EXPECT_EQ(u.nodes_written, 1U);  // the empty root of version 0
  EXPECT_EQ(**t.tree().latest_version(), 0U);
  std::mt19937_64 rng(1);
  t.expect_value(random_hash(rng), 0, std::nullopt);
  const auto p = t.tree().get_with_proof(random_hash(rng), 0);
  EXPECT_FALSE(p->proof.leaf.has_value());
  EXPECT_TRUE(p->proof.siblings.empty());
}

TEST(StateTree, InsertUpdateDelete) {
  Tree t;
  std::mt19937_64 rng(2);
  const Hash256 a = random_hash(rng), b = random_hash(rng), c = random_hash(rng);

  // v0: one record; the root is its leaf.
  auto u0 = t.apply({{a, B("a0")}});
  EXPECT_EQ(u0.root, chain::state_leaf_hash(a, chain::state_value_hash(B("a0"))));
  t.expect_value(a, 0, B("a0"));
  t.expect_value(b, 0, std::nullopt);

  // v1: two more.
  auto u1 = t.apply_changes({{b, B("b1")}, {c, B("c1")}});
  EXPECT_EQ(u1.root, reference_root(Model{{a, B("a0")}, {b, B("b1")}, {c, B("c1")}}));
  // v2: update a, delete b.
  auto u2 = t.apply_changes({{a, B("a2")}, {b, std::nullopt}});
  EXPECT_EQ(u2.root, reference_root(Model{{a, B("a2")}, {c, B("c1")}}));
  // v3: delete everything: back to the empty root.
  auto u3 = t.apply_changes({{a, std::nullopt}, {c, std::nullopt}});
  EXPECT_TRUE(u3.root.is_zero());
  // v4: re-insert a with its v0 value: the v0 root again.
  auto u4 = t.apply({{a, B("a0")}});
  EXPECT_EQ(u4.root, u0.root);

  t.expect_value(a, 1, B("a0"));
  t.expect_value(b, 1, B("b1"));
  t.expect_value(a, 2, B("a2"));
  t.expect_value(b, 2, std::nullopt);
  t.expect_value(c, 2, B("c1"));
  t.expect_value(a, 3, std::nullopt);
  t.expect_value(c, 3, std::nullopt);
  t.expect_value(a, 4, B("a0"));
  t.expect_value(c, 4, std::nullopt);
  EXPECT_EQ(t.root(1), u1.root);
  EXPECT_EQ(t.root(2), u2.root);
}

TEST(StateTree, VersionsWithoutWritesKeepTheRoot) {
  Tree t;
  std::mt19937_64 rng(3);
  std::map<Hash256, std::optional<Bytes>> first;
  for (int i = 0; i < 100; ++i) first[random_hash(rng)] = B("v" + std::to_string(i));
  const Hash256 r0 = t.apply_changes(first).root;
  const StateUpdate empty = t.apply(std::vector<StateWrite>{});
  EXPECT_EQ(empty.root, r0);
  EXPECT_EQ(empty.nodes_written, 1U);
  EXPECT_EQ(empty.values_written, 0U);
  EXPECT_EQ(t.root(1), r0);
  for (const auto& [k, v] : first) t.expect_value(k, 1, v);
}

TEST(StateTree, UnchangedWritesRewriteOnlyTheRoot) {
  Tree t;
  std::mt19937_64 rng(4);
  std::map<Hash256, std::optional<Bytes>> first;
  for (int i = 0; i < 500; ++i) first[random_hash(rng)] = B("v" + std::to_string(i));
  const Hash256 r0 = t.apply_changes(first).root;
  // The same value again, and deletions of absent keys.
  const auto& [k, v] = *first.begin();
  const StateUpdate u = t.apply_changes({{k, v}, {random_hash(rng), std::nullopt}});
  EXPECT_EQ(u.root, r0);
  EXPECT_EQ(u.nodes_written, 1U);
  t.expect_value(k, 1, v);
}

TEST(StateTree, OnlyTheChangedPathIsWritten) {
  Tree t;
  std::mt19937_64 rng(5);
  std::map<Hash256, std::optional<Bytes>> first;
  for (int i = 0; i < 5000; ++i) first[random_hash(rng)] = B("v" + std::to_string(i));
  t.apply_changes(first);
  std::size_t index = 0;
  for (const auto& [k, v] : first) {
    if (index++ % 500 != 0) continue;
    const auto proof = t.tree().get_with_proof(k, t.next() - 1)->proof;
    // Binary depth b: the leaf's nibble path is ceil(b/4) long, with one
    // internal node per nibble above it.
    const std::size_t nibble_depth = (proof.siblings.size() + 3) / 4;
    const StateUpdate u = t.apply({{k, B("changed")}});
    EXPECT_EQ(u.nodes_written, nibble_depth + 1);
    EXPECT_EQ(u.values_written, 1U);
  }
}

TEST(StateTree, PastVersionsStayReadableWithProofs) {
  Tree t;
  std::mt19937_64 rng(6);
  std::vector<Hash256> keys;
  for (int i = 0; i < 300; ++i) keys.push_back(random_hash(rng));
  std::vector<Model> history;
  Model model;
  for (int version = 0; version < 30; ++version) {
    std::map<Hash256, std::optional<Bytes>> changes;
    for (int i = 0; i < 25; ++i) {
      const Hash256& k = keys[rng() % keys.size()];
      if (rng() % 4 == 0) {
        changes[k] = std::nullopt;
      } else {
        changes[k] = B("v" + std::to_string(version) + "/" + std::to_string(i));
      }
    }
    for (const auto& [k, v] : changes) {
      if (v)
        model[k] = *v;
      else
        model.erase(k);
    }
    EXPECT_EQ(t.apply_changes(changes).root, reference_root(model));
    history.push_back(model);
  }
  for (std::uint64_t version = 0; version < history.size(); ++version) {
    EXPECT_EQ(t.root(version), reference_root(history[version]));
    for (std::size_t i = 0; i < keys.size(); i += 7) {
      const auto it = history[version].find(keys[i]);
      t.expect_value(
          keys[i], version,
          it == history[version].end() ? std::nullopt : std::optional<Bytes>(it->second));
    }
  }
}

TEST(StateTree, RootDependsOnlyOnTheFinalSet) {
  std::mt19937_64 rng(7);
  Model final_set;
  for (int i = 0; i < 2000; ++i) final_set[random_hash(rng)] = B("final " + std::to_string(i));
  const Hash256 expected = reference_root(final_set);

  // One batch.
  Tree one;
  std::map<Hash256, std::optional<Bytes>> all(final_set.begin(), final_set.end());
  EXPECT_EQ(one.apply_changes(all).root, expected);

  // Random batch boundaries, with temporary records and intermediate values
  // that are later deleted or overwritten.
  Tree many;
  std::vector<Hash256> order;
  for (const auto& [k, v] : final_set) order.push_back(k);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<Hash256> temporary;
  std::size_t pos = 0;
  while (pos < order.size()) {
    const std::size_t n = 1 + rng() % 300;
    std::map<Hash256, std::optional<Bytes>> batch;
    for (std::size_t i = 0; i < n && pos < order.size(); ++i, ++pos) {
      batch[order[pos]] = (rng() % 3 == 0) ? B("intermediate") : final_set.at(order[pos]);
    }
    for (int i = 0; i < 20; ++i) {
      temporary.push_back(random_hash(rng));
      batch[temporary.back()] = B("temporary");
    }
    many.apply_changes(batch);
  }
  std::map<Hash256, std::optional<Bytes>> cleanup;
  for (const auto& k : temporary) cleanup[k] = std::nullopt;
  for (const auto& [k, v] : final_set) cleanup[k] = v;
  EXPECT_EQ(many.apply_changes(cleanup).root, expected);

  // One record per version, in decreasing key order.
  Tree single;
  for (auto it = final_set.rbegin(); it != final_set.rend(); ++it) {
    single.apply({{it->first, it->second}});
  }
  EXPECT_EQ(single.root(single.next() - 1), expected);
}

TEST(StateTree, KeysWithLongCommonPrefixes) {
  Tree t;
  std::mt19937_64 rng(8);
  const Hash256 base = random_hash(rng);
  // Keys that differ only in the last bit, in the last nibble, and in the first bit.
  Hash256 k0 = base, k1 = base, k2 = base, k3 = base;
  k0.bytes()[31] &= 0xF0;
  k1 = k0;
  k1.bytes()[31] |= 0x01;  // shares 255 bits with k0
  k2 = k0;
  k2.bytes()[31] |= 0x08;  // shares 252 bits with k0
  k3.bytes()[0] ^= 0x80;
  Model model{{k0, B("k0")}, {k1, B("k1")}, {k2, B("k2")}, {k3, B("k3")}};
  std::map<Hash256, std::optional<Bytes>> all(model.begin(), model.end());
  EXPECT_EQ(t.apply_changes(all).root, reference_root(model));
  t.expect_value(k0, 0, B("k0"));
  t.expect_value(k1, 0, B("k1"));
  EXPECT_EQ(t.tree().get_with_proof(k1, 0)->proof.siblings.size(), 256U);
  Hash256 near = k0;
  near.bytes()[31] |= 0x02;  // absent, on the deep path
  t.expect_value(near, 0, std::nullopt);

  // Deleting k1 and k2 moves k0 up from nibble depth 64 to depth 1.
  model.erase(k1);
  model.erase(k2);
  EXPECT_EQ(t.apply({{k1, std::nullopt}, {k2, std::nullopt}}).root, reference_root(model));
  t.expect_value(k0, 1, B("k0"));
  EXPECT_EQ(t.tree().get_with_proof(k0, 1)->proof.siblings.size(), 1U);
  t.expect_value(near, 1, std::nullopt);
  t.expect_value(k1, 1, std::nullopt);
  // And back down.
  model[k1] = B("k1 again");
  EXPECT_EQ(t.apply({{k1, B("k1 again")}}).root, reference_root(model));
  t.expect_value(k1, 2, B("k1 again"));
  t.expect_value(k1, 0, B("k1"));
}

TEST(StateTree, RandomOperationsAgainstAMapModel) {
  Tree t;
  std::mt19937_64 rng(9);
  std::vector<Hash256> keys;
  for (int i = 0; i < 2500; ++i) keys.push_back(random_hash(rng));
  Model model;
  std::vector<Model> history;
  constexpr int kOps = 10000, kPerVersion = 100;
  for (int done = 0; done < kOps; done += kPerVersion) {
    std::map<Hash256, std::optional<Bytes>> changes;
    for (int i = 0; i < kPerVersion; ++i) {
      const Hash256& k = keys[rng() % keys.size()];
      const auto roll = rng() % 10;
      if (roll < 3) {
        changes[k] = std::nullopt;
      } else {
        Bytes value(1 + rng() % 200);
        for (auto& byte : value) byte = static_cast<std::uint8_t>(rng());
        changes[k] = value;
      }
    }
    const StateUpdate u = t.apply_changes(changes);
    for (const auto& [k, v] : changes) {
      if (v)
        model[k] = *v;
      else
        model.erase(k);
    }
    history.push_back(model);
    if (history.size() % 10 == 0) {
      EXPECT_EQ(u.root, reference_root(model));
    }
    // A sample of proofs at this version and at a random earlier one.
    for (int s = 0; s < 8; ++s) {
      const Hash256& k = keys[rng() % keys.size()];
      const auto it = model.find(k);
      t.expect_value(k, t.next() - 1,
                     it == model.end() ? std::nullopt : std::optional<Bytes>(it->second));
      const std::uint64_t past = rng() % history.size();
      const auto pit = history[past].find(k);
      t.expect_value(k, past,
                     pit == history[past].end() ? std::nullopt : std::optional<Bytes>(pit->second));
    }
  }
  EXPECT_EQ(t.root(t.next() - 1), reference_root(model));
  EXPECT_GT(model.size(), 1000U);
  for (const auto& [k, v] : model) {
    EXPECT_EQ(**t.tree().get(k, t.next() - 1), v);
  }
}

TEST(StateTree, FourRecordVector) {
  // The tree of docs/formats/state-tree.md's test vectors.
  struct Rec {
    const char* module;
    const char* key;
    const char* value;
  };
  const Rec records[] = {{"trademark", "303512345", "mark: BAUHINIA; owner: HKSAR"},
                         {"company", "1234567", "name: Harbour Ferry Ltd"},
                         {"environment", "EIA-271/2020", "decision: approved with conditions"},
                         {"health", "batch-0042", "holder: Queen Mary Hospital"}};
  std::map<Hash256, std::optional<Bytes>> all;
  for (const auto& r : records)
    all[*chain::state_key(r.module, core::as_bytes(r.key))] = B(r.value);
  Tree t;
  EXPECT_EQ(t.apply_changes(all).root.to_hex(),
            "e64b2de42a18f9a689826ce0f740a546f96a7e53542015d7f913e282bb31d0ef");
  const auto p = t.tree().get_with_proof(*chain::state_key("trademark", core::as_bytes("2")), 0);
  EXPECT_EQ(
      core::to_hex(core::encode(p->proof)),
      "0103c2b7bbdb21479316e74047b1e92e4bc8e28f52c6c5b4f6415bffd48f62b2a1da00000000000000000000"
      "00000000000000000000000000000000000000000000fb392819ebe61f19d63c5afae0d3e45982b72750e54c"
      "5c24d13e80d7bb7ab112018e8b3c591cff4cd80ce986b133ce75447941b36f82c1aa09b040619b570591fb54"
      "7fed66ab8bce4cf6d75257c110bb99650752ff9e150144b6252f9cb5005adf");
}

// ---- Invalid input and missing versions ---------------------------------------

TEST(StateTree, InvalidWritesAreRefusedAndChangeNothing) {
  Tree t;
  std::mt19937_64 rng(10);
  Hash256 a = random_hash(rng), b = random_hash(rng);
  if (b < a) std::swap(a, b);
  t.apply({{a, B("a")}});

  const auto refused = [&](std::uint64_t version, const std::vector<StateWrite>& writes) {
    WriteBatch batch;
    auto r = t.tree().apply(version, writes, batch);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code(), core::StatusCode::kInvalidArgument) << r.error().to_string();
    EXPECT_EQ(batch.size(), 0U);
  };
  refused(1, {{b, B("b")}, {a, B("a")}});                         // unsorted
  refused(1, {{a, B("a")}, {a, std::nullopt}});                   // same key twice
  refused(1, {{a, Bytes(chain::kMaxStateValueSize + 1, 0x01)}});  // value too large
  refused(0, {{b, B("b")}});                                      // existing version
  refused(2, {{b, B("b")}});                                      // a gap
  // The limit itself is accepted.
  WriteBatch ok;
  const std::vector<StateWrite> at_limit{{a, Bytes(chain::kMaxStateValueSize, 0x01)}};
  EXPECT_TRUE(t.tree().apply(1, at_limit, ok).has_value());
  EXPECT_EQ(**t.tree().latest_version(), 0U);  // nothing written to the store
}

TEST(StateTree, MissingVersionsAreNotFound) {
  Tree t;
  std::mt19937_64 rng(11);
  const Hash256 k = random_hash(rng);
  EXPECT_EQ(t.tree().root_hash(0).error().code(), core::StatusCode::kNotFound);
  t.apply({{k, B("x")}});
  EXPECT_EQ(t.tree().root_hash(1).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(t.tree().get(k, 1).error().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(t.tree().get_with_proof(k, 1).error().code(), core::StatusCode::kNotFound);
}

// ---- Corruption ------------------------------------------------------------------

// Stored node kinds of a store: whole nodes and patches (kind byte 3), with
// their bytes.
struct NodeCensus {
  std::size_t whole = 0;
  std::size_t patches = 0;
  std::size_t bytes = 0;
};
NodeCensus census(const KvStore& store) {
  NodeCensus c;
  EXPECT_TRUE(store.scan(Column::kStateNode, {}, 1 << 22, [&](ByteView k, ByteView v) {
    (v[0] == 0x03 ? c.patches : c.whole) += 1;
    c.bytes += k.size() + v.size();
    return true;
  }));
  return c;
}

// An archive store writes internal nodes that change in a few slots as
// patches of an older node; a store that keeps the stale-node index (pruning)
// writes every node whole. Both must hold the same tree at every version.
// Column::kStateValue entries: 0x01 || value hash || value, or 0x00.
TEST(StateTree, StoredValueLayout) {
  const Bytes value = B("abc");
  const Hash256 hash = chain::state_value_hash(value);
  const Bytes stored = encode_stored_state_value(value, hash);
  Bytes expected{0x01};
  expected.insert(expected.end(), hash.bytes().begin(), hash.bytes().end());
  expected.insert(expected.end(), value.begin(), value.end());
  EXPECT_EQ(stored, expected);
  auto parsed = parse_stored_state_value(stored);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->value_hash, std::optional<Hash256>(hash));
  EXPECT_EQ(Bytes(parsed->value.begin(), parsed->value.end()), value);

  EXPECT_EQ(encode_stored_state_value(std::nullopt, std::nullopt), Bytes{0x00});
  auto deleted = parse_stored_state_value(Bytes{0x00});
  ASSERT_TRUE(deleted.has_value());
  EXPECT_FALSE(deleted->value_hash.has_value());
  // An empty value is a value, not a deletion.
  auto empty = parse_stored_state_value(encode_stored_state_value(Bytes{}, hash));
  ASSERT_TRUE(empty.has_value() && empty->value_hash.has_value());
  EXPECT_TRUE(empty->value.empty());

  Bytes too_long(1 + Hash256::kSize + chain::kMaxStateValueSize + 1, 0);
  too_long[0] = 0x01;
  for (const Bytes& bad :
       {Bytes{}, Bytes{0x00, 0x00}, Bytes{0x02}, Bytes(Hash256::kSize, 0x01), too_long}) {
    EXPECT_FALSE(parse_stored_state_value(bad).has_value()) << core::to_hex(bad);
  }
  too_long.pop_back();
  EXPECT_TRUE(parse_stored_state_value(too_long).has_value());
}

// A record's history is its value column: every write, with the value's hash,
// bounded by from/to version and the limit.
TEST(StateTree, ValueHistoryListsEveryWrite) {
  Tree t;
  std::mt19937_64 rng(13);
  const Hash256 a = random_hash(rng), b = random_hash(rng);
  t.apply({{a, B("a0")}});                        // v0
  t.apply({{b, B("b1")}});                        // v1
  t.apply_changes({{a, B("a2")}, {b, B("b2")}});  // v2
  t.apply({{a, std::nullopt}});                   // v3
  t.apply(std::vector<StateWrite>{});             // v4
  t.apply({{a, B("")}});                          // v5: an empty value
  auto h = t.tree().value_history(a, 0, 5, 100);
  ASSERT_TRUE(h.has_value()) << h.error().to_string();
  ASSERT_EQ(h->size(), 4u);
  const std::vector<std::pair<std::uint64_t, std::optional<Hash256>>> want{
      {0, chain::state_value_hash(B("a0"))},
      {2, chain::state_value_hash(B("a2"))},
      {3, std::nullopt},
      {5, chain::state_value_hash(B(""))}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ((*h)[i].version, want[i].first);
    EXPECT_EQ((*h)[i].value_hash, want[i].second);
  }
  auto window = t.tree().value_history(a, 1, 3, 100);
  ASSERT_TRUE(window.has_value());
  ASSERT_EQ(window->size(), 2u);
  EXPECT_EQ((*window)[0].version, 2u);
  EXPECT_EQ((*window)[1].version, 3u);
  auto limited = t.tree().value_history(a, 0, 5, 1);
  ASSERT_TRUE(limited.has_value());
  ASSERT_EQ(limited->size(), 1u);
  EXPECT_EQ((*limited)[0].version, 0u);
  auto none = t.tree().value_history(random_hash(rng), 0, 5, 100);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

TEST(StateTree, PatchesHoldTheSameTreeAsWholeNodes) {
  MemoryKvStore archive_store;
  MemoryKvStore whole_store;
  const StateTree archive(archive_store);
  const StateTree whole(whole_store, nullptr, /*record_stale=*/true);
  std::mt19937_64 rng(30);
  std::vector<Hash256> keys;
  for (int i = 0; i < 3000; ++i) keys.push_back(random_hash(rng));
  std::vector<Model> history;
  Model model;
  for (std::uint64_t version = 0; version < 60; ++version) {
    std::map<Hash256, std::optional<Bytes>> changes;
    // The first version creates most keys; later ones change a few (some
    // versions nothing at all: a root copied as an empty patch), delete
    // some and create others.
    const int n = version == 0 ? 2500 : (version % 10 == 5 ? 0 : 1 + static_cast<int>(rng() % 40));
    for (int i = 0; i < n; ++i) {
      const Hash256& k = keys[rng() % keys.size()];
      changes[k] = rng() % 8 == 0
                       ? std::nullopt
                       : std::optional{B("v" + std::to_string(version) + "/" + std::to_string(i))};
    }
    for (const auto& [k, v] : changes) {
      if (v)
        model[k] = *v;
      else
        model.erase(k);
    }
    const auto writes = writes_of(changes);
    WriteBatch a;
    WriteBatch w;
    auto ra = archive.apply(version, writes, a);
    auto rw = whole.apply(version, writes, w);
    ASSERT_TRUE(ra.has_value() && rw.has_value());
    ASSERT_TRUE(archive_store.write(a, false));
    ASSERT_TRUE(whole_store.write(w, false));
    EXPECT_EQ(ra->root, rw->root) << version;
    EXPECT_EQ(ra->root, reference_root(model)) << version;
    history.push_back(model);
  }
  const NodeCensus a = census(archive_store);
  const NodeCensus w = census(whole_store);
  EXPECT_GT(a.patches, 100U);
  EXPECT_EQ(w.patches, 0U);
  EXPECT_LT(a.bytes * 4, w.bytes * 3);  // at least a quarter less
  // Every version reads and proves the same from both stores.
  for (std::uint64_t version = 0; version < history.size(); version += 3) {
    ASSERT_EQ(archive.root_hash(version).value(), whole.root_hash(version).value());
    const Hash256 root = *archive.root_hash(version);
    for (std::size_t i = 0; i < keys.size(); i += 97) {
      auto pa = archive.get_with_proof(keys[i], version);
      auto pw = whole.get_with_proof(keys[i], version);
      ASSERT_TRUE(pa.has_value()) << pa.error().to_string();
      ASSERT_TRUE(pw.has_value()) << pw.error().to_string();
      EXPECT_EQ(pa->value, pw->value);
      EXPECT_EQ(pa->proof, pw->proof);
      const auto it = history[version].find(keys[i]);
      EXPECT_EQ(pa->value,
                it == history[version].end() ? std::nullopt : std::optional<Bytes>(it->second));
      const std::optional<core::ByteView> v =
          pa->value ? std::optional<core::ByteView>(*pa->value) : std::nullopt;
      EXPECT_TRUE(chain::verify_state_proof(root, keys[i], v, pa->proof));
    }
  }
}

// With a node cache (as the execution pipeline uses it), patches are made and
// read from cached bases; the tree is the same as without the cache.
TEST(StateTree, PatchesThroughTheNodeCache) {
  MemoryKvStore cached_store;
  MemoryKvStore plain_store;
  StateNodeCache cache(3);
  const StateTree cached(cached_store, &cache);
  const StateTree plain(plain_store);
  std::mt19937_64 rng(31);
  std::vector<Hash256> keys;
  for (int i = 0; i < 2000; ++i) keys.push_back(random_hash(rng));
  for (std::uint64_t version = 0; version < 40; ++version) {
    std::vector<StateWrite> writes;
    std::map<Hash256, std::optional<Bytes>> changes;
    const int n = version == 0 ? 2000 : static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) {
      changes[keys[rng() % keys.size()]] = B("v" + std::to_string(version) + std::to_string(i));
    }
    WriteBatch c;
    WriteBatch p;
    auto rc = cached.apply(version, writes_of(changes), c);
    auto rp = plain.apply(version, writes_of(changes), p);
    ASSERT_TRUE(rc.has_value() && rp.has_value());
    EXPECT_EQ(rc->root, rp->root);
    ASSERT_TRUE(cached_store.write(c, false));
    ASSERT_TRUE(plain_store.write(p, false));
    cache.set_max_version(version);
    // Reads after the commit fill the cache, patches resolved with their
    // bases, as the pipeline's reads do; the next version's update reads them.
    ASSERT_EQ(cached.root_hash(version).value(), rp->root);
    auto proof = cached.get_with_proof(keys[rng() % keys.size()], version);
    ASSERT_TRUE(proof.has_value()) << proof.error().to_string();
    // Same bytes: the cache changes where nodes are read from, not what is written.
    EXPECT_EQ(census(cached_store).bytes, census(plain_store).bytes);
  }
  EXPECT_GT(census(cached_store).patches, 0U);
  EXPECT_GT(cache.stats().hits, 0U);
}

class StateTreeCorruption : public ::testing::Test {
 protected:
  void SetUp() override {
    std::mt19937_64 rng(12);
    for (int i = 0; i < 400; ++i) changes_[random_hash(rng)] = B("v" + std::to_string(i));
    tree_.apply_changes(changes_);
    key_ = changes_.begin()->first;
  }

  // All node keys of Column::kStateNode with the given nibble-path length.
  std::vector<Bytes> node_keys(std::size_t nibbles) {
    std::vector<Bytes> out;
    EXPECT_TRUE(tree_.store().scan(Column::kStateNode, {}, 1 << 20, [&](ByteView k, ByteView) {
      if (k[8] == nibbles) out.emplace_back(k.begin(), k.end());
      return true;
    }));
    return out;
  }
  // The node key on key_'s path at the given nibble depth.
  Bytes path_node(std::size_t nibbles) {
    for (const Bytes& k : node_keys(nibbles)) {
      bool match = true;
      for (std::size_t i = 0; i < (nibbles + 1) / 2; ++i) {
        const std::uint8_t mask = (i == nibbles / 2 && nibbles % 2 == 1) ? 0xF0 : 0xFF;
        match = match && (k[9 + i] & mask) == (key_.bytes()[i] & mask);
      }
      if (match) return k;
    }
    ADD_FAILURE() << "no node at depth " << nibbles;
    return {};
  }
  void put(Column c, const Bytes& k, Bytes v) {
    WriteBatch b;
    b.put(c, k, std::move(v));
    ASSERT_TRUE(tree_.store().write(b, false));
  }
  void erase(Column c, const Bytes& k) {
    WriteBatch b;
    b.erase(c, k);
    ASSERT_TRUE(tree_.store().write(b, false));
  }
  void expect_corruption() {
    auto p = tree_.tree().get_with_proof(key_, 0);
    ASSERT_FALSE(p.has_value());
    EXPECT_EQ(p.error().code(), core::StatusCode::kCorruption) << p.error().to_string();
    WriteBatch batch;
    const std::vector<StateWrite> writes{{key_, B("new")}};
    auto u = tree_.tree().apply(1, writes, batch);
    ASSERT_FALSE(u.has_value());
    EXPECT_EQ(u.error().code(), core::StatusCode::kCorruption) << u.error().to_string();
  }

  Tree tree_;
  std::map<Hash256, std::optional<Bytes>> changes_;
  Hash256 key_;
};

TEST_F(StateTreeCorruption, MissingInternalNode) {
  erase(Column::kStateNode, path_node(1));
  expect_corruption();
}

TEST_F(StateTreeCorruption, UndecodableNode) {
  put(Column::kStateNode, path_node(1), {0x02, 0xFF});
  expect_corruption();
}

TEST_F(StateTreeCorruption, UndecodableRoot) {
  put(Column::kStateNode, path_node(0), {0x07});
  auto r = tree_.tree().root_hash(0);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), core::StatusCode::kCorruption);
  expect_corruption();
}

// A root stored as a patch (a version without writes copies the root as an
// empty patch of it): its base missing, or a patch naming a base not older.
TEST_F(StateTreeCorruption, PatchWithoutItsBase) {
  tree_.apply(std::vector<StateWrite>{});  // version 1: the root as a patch of version 0's
  const Bytes root1 = state_node_key(1, NibblePath{});
  auto stored = tree_.store().get(Column::kStateNode, root1);
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  ASSERT_EQ((**stored)[0], 0x03);
  ASSERT_TRUE(tree_.tree().root_hash(1).has_value());
  erase(Column::kStateNode, state_node_key(0, NibblePath{}));
  auto r = tree_.tree().root_hash(1);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), core::StatusCode::kCorruption);
  EXPECT_NE(r.error().message().find("patch of a missing node"), std::string::npos)
      << r.error().to_string();
}

TEST_F(StateTreeCorruption, PatchOfANewerOrPatchedBase) {
  tree_.apply(std::vector<StateWrite>{});  // version 1: an empty patch of version 0's root
  tree_.apply(std::vector<StateWrite>{});  // version 2: the same, base still version 0
  // Version 1's root naming itself, then version 2, as base.
  put(Column::kStateNode, state_node_key(1, NibblePath{}),
      core::from_hex("0301000000000000").value());
  auto r = tree_.tree().root_hash(1);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), core::StatusCode::kCorruption);
  EXPECT_NE(r.error().message().find("not older"), std::string::npos) << r.error().to_string();
  // Version 2's root naming version 1's (itself a patch, not a whole node).
  put(Column::kStateNode, state_node_key(2, NibblePath{}),
      core::from_hex("0301000000000000").value());
  auto r2 = tree_.tree().root_hash(2);
  ASSERT_FALSE(r2.has_value());
  EXPECT_EQ(r2.error().code(), core::StatusCode::kCorruption);
  EXPECT_NE(r2.error().message().find("no internal node stored whole"), std::string::npos)
      << r2.error().to_string();
}

TEST_F(StateTreeCorruption, LeafReplacedByAnotherLeaf) {
  // The leaf of key_ (at depth 2 or 3 with 400 records) swapped for another record's leaf bytes.
  const auto proof = tree_.tree().get_with_proof(key_, 0)->proof;
  const std::size_t depth = (proof.siblings.size() + 3) / 4;
  const Bytes leaf_key = path_node(depth);
  Bytes forged{0x01};
  const Hash256 other_value = chain::state_value_hash(B("forged"));
  forged.insert(forged.end(), key_.bytes().begin(), key_.bytes().end());
  forged.insert(forged.end(), other_value.bytes().begin(), other_value.bytes().end());
  put(Column::kStateNode, leaf_key, forged);
  expect_corruption();
}

TEST_F(StateTreeCorruption, ValueDoesNotMatchItsLeaf) {
  const auto leaf_hash = tree_.tree().get_with_proof(key_, 0)->proof.leaf->value_hash;
  // Other bytes with their own hash, and other bytes beside the leaf's hash:
  // the value is checked against the leaf, never against the stored hash alone.
  for (const auto& stored : {encode_stored_state_value(B("z"), chain::state_value_hash(B("z"))),
                             encode_stored_state_value(B("z"), leaf_hash)}) {
    put(Column::kStateValue, state_value_key(key_, 0), stored);
    auto p = tree_.tree().get_with_proof(key_, 0);
    ASSERT_FALSE(p.has_value());
    EXPECT_EQ(p.error().code(), core::StatusCode::kCorruption);
    EXPECT_NE(p.error().message().find("does not match its leaf"), std::string::npos);
  }
  for (const Bytes& malformed : {Bytes{0x05}, Bytes{0x01, 'z'}, Bytes{0x00, 0x00}}) {
    put(Column::kStateValue, state_value_key(key_, 0), malformed);
    auto g = tree_.tree().get(key_, 0);
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code(), core::StatusCode::kCorruption);
    EXPECT_NE(g.error().message().find("state_value key"), std::string::npos)
        << g.error().to_string();
    auto h = tree_.tree().value_history(key_, 0, 0, 10);
    ASSERT_FALSE(h.has_value());
    EXPECT_EQ(h.error().code(), core::StatusCode::kCorruption);
  }
}

}  // namespace
}  // namespace bauhinia::ledger
