#include "bauhinia/execution/pipeline.hpp"

#include <algorithm>

#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "bauhinia/ledger/accumulator.hpp"
#include "bauhinia/ledger/layered_view.hpp"
#include "bauhinia/ledger/state_tree.hpp"
#include "committed_values.hpp"

namespace bauhinia::execution {

namespace {

using core::Reject;
using core::reject;

// Contract reads of a block: the writes of its speculative ancestors (newest
// first), then the committed values (cached), then the committed store at
// the committed height (which always exists).
class BlockStateReader final : public contracts::StateReader {
 public:
  BlockStateReader(const ledger::LedgerStore& store, std::uint64_t committed_height,
                   std::vector<const ledger::PreparedState*> ancestors,
                   detail::CommittedValues* values, ledger::StateNodeCache* cache)
      : store_(store),
        committed_height_(committed_height),
        ancestors_(std::move(ancestors)),
        values_(values),
        cache_(cache) {}

  core::Result<std::optional<core::Bytes>> read(const core::Hash256& key) const override {
    for (const ledger::PreparedState* a : ancestors_) {
      const auto writes = a->writes();  // strictly increasing keys
      auto it = std::lower_bound(
          writes.begin(), writes.end(), key,
          [](const ledger::StateWrite& w, const core::Hash256& k) { return w.key < k; });
      if (it != writes.end() && it->key == key) return it->value;
    }
    if (values_ != nullptr) {
      if (const auto* v = values_->find(key)) return *v;
    }
    auto r = ledger::StateTree(store_.kv(), cache_).get_in_known_version(key, committed_height_);
    if (!r) return std::move(r).error();
    if (values_ != nullptr) values_->put(key, *r);
    return r;
  }

 private:
  const ledger::LedgerStore& store_;
  std::uint64_t committed_height_;
  std::vector<const ledger::PreparedState*> ancestors_;  // newest first
  detail::CommittedValues* values_;
  ledger::StateNodeCache* cache_;
};

// Reads the latest committed version (which moves as blocks commit).
class CommittedStateReader final : public contracts::StateReader {
 public:
  explicit CommittedStateReader(const ledger::LedgerStore& store) : store_(store) {}
  core::Result<std::optional<core::Bytes>> read(const core::Hash256& key) const override {
    return store_.state_value(key, store_.latest_height());
  }

 private:
  const ledger::LedgerStore& store_;
};

// Where the system module keeps the validator set governance decided.
const core::Hash256& governed_set_key() {
  static const core::Hash256 key = [] {
    auto k =
        chain::state_key(contracts::system::kModuleName, contracts::system::validator_set_key());
    BAUHINIA_ASSERT(k.has_value());
    return *k;
  }();
  return key;
}

// The governed set a block wrote, if it wrote the record (nullopt inside:
// it erased it). Corruption when the record does not decode.
core::Result<std::optional<std::optional<chain::ValidatorSet>>> written_governed_set(
    std::span<const ledger::StateWrite> writes) {
  using Out = std::optional<std::optional<chain::ValidatorSet>>;
  const core::Hash256& key = governed_set_key();
  auto it = std::lower_bound(
      writes.begin(), writes.end(), key,
      [](const ledger::StateWrite& w, const core::Hash256& k) { return w.key < k; });
  if (it == writes.end() || it->key != key) return Out{};
  if (!it->value) return Out{std::optional<chain::ValidatorSet>{}};
  auto record = core::decode<contracts::system::GovernedValidatorSet>(*it->value);
  if (!record) {
    return core::Status::corruption("system validator-set record does not decode: " +
                                    record.error().to_string());
  }
  return Out{std::optional<chain::ValidatorSet>{std::move(record->set)}};
}

// Moves the values out of `writes`.
std::vector<ledger::StateWrite> to_state_writes(contracts::WriteSet&& writes) {
  std::vector<ledger::StateWrite> out;
  out.reserve(writes.size());
  for (auto& [key, w] : writes) out.push_back(ledger::StateWrite{key, std::move(w.value)});
  writes.clear();
  return out;  // WriteSet is a std::map: keys strictly increasing
}

}  // namespace

// One executed, not yet committed block.
struct Pipeline::Executed {
  chain::BlockHeader header;
  core::Hash256 id;
  core::Bytes payload;
  core::Hash256 payload_hash;  // sha256(payload)
  std::vector<core::Bytes> transactions;
  std::vector<std::pair<core::AccountId, std::uint64_t>> senders;  // (sender, sequence) per tx
  contracts::ExecutedBlock result;                                 // its writes moved into `state`
  ledger::WriteBatch accumulator_nodes;
  std::shared_ptr<const ledger::PreparedState> state;  // the state-tree nodes and values
  ledger::BatchIndex index;  // of both batches, for the views of its descendants
  // The next epoch's set when the block ends its epoch (header.ends_epoch()).
  std::optional<chain::ValidatorSet> next_set;
};

Pipeline::Pipeline(ledger::LedgerStore& store, const contracts::Executor& executor,
                   PipelineCaches caches)
    : store_(store),
      executor_(executor),
      committed_reader_(std::make_unique<CommittedStateReader>(store)) {
  if (caches.node_cache) {
    cache_ = std::make_unique<ledger::StateNodeCache>(
        std::min(caches.node_cache_depth, ledger::StateNodeCache::kMaxDepth));
  }
  if (caches.value_cache_bytes > 0) {
    values_ = std::make_unique<detail::CommittedValues>(caches.value_cache_bytes);
    values_->reset(store.latest_height());
  }
}

Pipeline::~Pipeline() = default;

const contracts::StateReader& Pipeline::committed_state() const {
  return *committed_reader_;
}

const Pipeline::Executed* Pipeline::find_block(const core::Hash256& id) const {
  auto it = blocks_.lower_bound(BlockKey{id, core::Hash256::zero()});
  return it != blocks_.end() && it->first.first == id ? it->second.get() : nullptr;
}

core::Result<core::Checked<std::unique_ptr<Pipeline::Executed>>> Pipeline::run(
    const chain::BlockHeader& header, std::span<const chain::IdentifiedTransaction> txs, bool build,
    const BlockTemplate* tmpl, BuiltProposal* built) {
  using Out = core::Checked<std::unique_ptr<Executed>>;
  const chain::BlockHeader root = store_.latest_header();
  const core::Hash256 root_id = root.id();

  // The chain of speculative ancestors, newest first, down to the committed root.
  std::vector<const Executed*> ancestors;
  chain::BlockHeader parent;
  if (header.parent_hash == root_id) {
    parent = root;
  } else {
    const Executed* p = find_block(header.parent_hash);
    if (p == nullptr) {
      return Out{reject(Reject::kInvalid, "parent " + header.parent_hash.to_hex() +
                                              " is neither committed nor executed here")};
    }
    parent = p->header;
    for (const Executed* e = p; e != nullptr;) {
      ancestors.push_back(e);
      if (e->header.parent_hash == root_id) break;
      const Executed* a = find_block(e->header.parent_hash);
      if (a == nullptr) {
        return Out{reject(Reject::kInvalid, "ancestor " + e->header.parent_hash.to_hex() +
                                                " is neither committed nor executed here")};
      }
      e = a;
    }
  }
  if (header.height != parent.height + 1) {
    return Out{reject(Reject::kInvalid, "height " + std::to_string(header.height) +
                                            " does not follow the parent's " +
                                            std::to_string(parent.height))};
  }
  // The epoch's set: the parent's, or the one the parent named when it ended
  // its epoch and this block is the first of the next (docs/consensus.md,
  // "Epoch changes").
  core::Hash256 set_hash;
  if (header.epoch == parent.epoch) {
    set_hash = parent.validator_set_hash;
  } else if (parent.ends_epoch() && header.epoch == parent.epoch + 1) {
    set_hash = parent.next_validator_set_hash;
  } else {
    return Out{reject(Reject::kWrongEpoch, "epoch " + std::to_string(header.epoch) +
                                               " does not follow the parent's " +
                                               std::to_string(parent.epoch))};
  }

  if (cache_) cache_->set_max_version(root.height);  // committed versions only
  if (values_ && values_->height() != root.height) values_->reset(root.height);
  ledger::LayeredView view(store_.kv());
  std::vector<const ledger::PreparedState*> ancestor_states;  // newest first
  ancestor_states.reserve(ancestors.size());
  for (const Executed* a : ancestors) ancestor_states.push_back(a->state.get());
  for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) view.push((*it)->index);
  BlockStateReader state(store_, root.height, std::move(ancestor_states), values_.get(),
                         cache_.get());

  // A block of an epoch whose set for the next epoch is already decided (an
  // ancestor of this epoch wrote it: that block ended the epoch) is a
  // reconfiguration suffix: empty, it changes nothing and ends nothing.
  auto decided = contracts::system::governed_validator_set(state);
  if (!decided) return std::move(decided).error();
  const bool suffix = decided->has_value() && (*decided)->epoch == header.epoch + 1;
  if (suffix) {
    if (!build && !txs.empty()) {
      return Out{reject(Reject::kInvalid, "a reconfiguration suffix block must be empty")};
    }
    txs = {};
  }

  auto exec = std::make_unique<Executed>();
  contracts::BlockContext ctx{store_.chain_id(), header.height, header.timestamp_ms,
                              parent.accumulator_size, header.epoch};
  if (build) {
    auto b = executor_.build_block(ctx, txs, state);
    if (!b) return b.error();
    // Sized by the payload's exact encoding (each transaction's length
    // prefix and the count included), never beyond the payload's wire limit.
    const std::size_t max_count = std::min(tmpl->max_transactions, kMaxBlockTransactions);
    std::size_t entries = 0;
    std::vector<chain::IdentifiedTransaction> chosen;
    for (std::size_t i : b->included) {
      const std::size_t entry = payload_entry_size(txs[i].encoded_size);
      if (chosen.size() >= max_count ||
          payload_size(chosen.size() + 1, entries + entry) > tmpl->max_bytes) {
        break;
      }
      entries += entry;
      chosen.push_back(txs[i]);
    }
    for (const auto& [i, why] : b->left_out)
      built->invalid.emplace_back(txs[i].id, why.to_string());
    if (chosen.size() != b->included.size()) {
      // Trimmed to the limits: execute exactly what goes in.
      auto again = executor_.execute_block(ctx, chosen, state);
      if (!again) return again.error();
      if (!*again) {
        return core::Status::internal("a built block no longer executes: " +
                                      again->error().why.to_string());
      }
      exec->result = std::move(*again).value();
    } else {
      exec->result = std::move(b->block);
    }
    for (const auto& t : chosen) {
      built->included.push_back(t.id);
      exec->transactions.push_back(t.tx.encoded());
      exec->senders.emplace_back(t.tx.sender, t.tx.sequence);
    }
    exec->payload = encode_payload(chosen);
    BAUHINIA_ASSERT(exec->payload.size() == payload_size(chosen.size(), entries));
  } else {
    auto r = executor_.execute_block(ctx, txs, state);
    if (!r) return r.error();
    if (!*r) {
      return Out{reject(Reject::kInvalid, "transaction " + std::to_string(r->error().index) + ": " +
                                              r->error().why.to_string())};
    }
    exec->result = std::move(*r).value();
    for (const auto& t : txs) {
      exec->transactions.push_back(t.tx.encoded());
      exec->senders.emplace_back(t.tx.sender, t.tx.sequence);
    }
  }

  // Roots after the block, computed over the speculative view.
  auto acc = ledger::Accumulator::load(view, parent.accumulator_size);
  if (!acc) return acc.error();
  std::vector<core::Hash256> leaves;
  leaves.reserve(exec->result.transactions.size());
  for (const auto& t : exec->result.transactions) leaves.push_back(t.info.leaf_hash());
  const core::Hash256 acc_root = acc->append(leaves, exec->accumulator_nodes);
  auto prepared = store_.prepare_state(
      parent, view, to_state_writes(std::move(exec->result.writes)), cache_.get());
  if (!prepared) return prepared.error();
  exec->state = std::move(prepared).value();
  exec->index.add(exec->accumulator_nodes);
  exec->index.add(exec->state->batch());
  exec->index.seal();

  exec->header = header;
  exec->header.transactions_root = exec->result.transactions_root;
  exec->header.accumulator_root = acc_root;
  exec->header.accumulator_size = acc->size();
  exec->header.state_root = exec->state->root();
  // The block ends its epoch when it wrote a governed set of the next epoch
  // (a set of any other epoch ends nothing).
  if (!suffix) {
    auto written = written_governed_set(exec->state->writes());
    if (!written) return std::move(written).error();
    if (*written && **written && (**written)->epoch == header.epoch + 1) {
      chain::ValidatorSet next = std::move(***written);
      if (core::Verdict v = next.validate(); !v) {
        return Out{reject(Reject::kInvalid, "the governed validator set of epoch " +
                                                std::to_string(next.epoch) +
                                                " is invalid: " + v.rejection().detail)};
      }
      exec->next_set = std::move(next);
    }
  }
  exec->header.validator_set_hash = set_hash;
  exec->header.next_validator_set_hash = exec->next_set ? exec->next_set->hash() : set_hash;
  exec->id = exec->header.id();
  return Out{std::move(exec)};
}

void Pipeline::keep(std::unique_ptr<Executed> e) {
  const BlockKey key{e->id, e->payload_hash};
  blocks_[key] = std::move(e);
  prune(&key);
}

core::Result<core::Checked<BuiltProposal>> Pipeline::build(
    const chain::BlockHeader& parent, const BlockTemplate& tmpl,
    std::span<const chain::IdentifiedTransaction> candidates) {
  using Out = core::Checked<BuiltProposal>;
  chain::BlockHeader header;
  header.epoch = tmpl.epoch;
  header.height = parent.height + 1;
  header.round = tmpl.round;
  header.parent_hash = parent.id();
  header.timestamp_ms = tmpl.timestamp_ms;
  header.proposer = tmpl.proposer;
  BuiltProposal built;
  std::span<const chain::IdentifiedTransaction> txs =
      tmpl.reconfiguration_suffix ? std::span<const chain::IdentifiedTransaction>{} : candidates;
  auto r = run(header, txs, /*build=*/true, &tmpl, &built);
  if (!r) return r.error();
  if (!*r) return Out{r->error()};
  std::unique_ptr<Executed> e = std::move(*r).value();
  e->payload_hash = core::sha256(e->payload);
  built.header = e->header;
  built.payload = e->payload;
  built.next_validator_set = e->next_set;
  keep(std::move(e));
  return Out{std::move(built)};
}

core::Result<core::Checked<chain::BlockHeader>> Pipeline::execute(
    const chain::BlockHeader& proposed, core::ByteView payload, bool reconfiguration_suffix) {
  using Out = core::Checked<chain::BlockHeader>;
  const core::Hash256 id = proposed.id();
  const core::Hash256 payload_hash = core::sha256(payload);
  if (auto it = blocks_.find(BlockKey{id, payload_hash}); it != blocks_.end()) {
    return Out{it->second->header};
  }
  auto txs = decode_payload(payload);
  if (!txs) return Out{txs.error()};
  if (reconfiguration_suffix && !txs->empty()) {
    return Out{reject(Reject::kInvalid, "a reconfiguration suffix block must be empty")};
  }
  auto r = run(proposed, *txs, /*build=*/false, nullptr, nullptr);
  if (!r) return r.error();
  if (!*r) return Out{r->error()};
  std::unique_ptr<Executed> e = std::move(*r).value();
  const chain::BlockHeader computed = e->header;
  // Only a result that reproduces the proposal is kept: another header is
  // one nobody proposed, and its payload is not this block's.
  if (e->id != id) return Out{computed};
  e->payload.assign(payload.begin(), payload.end());
  e->payload_hash = payload_hash;
  keep(std::move(e));
  return Out{computed};
}

core::Result<core::Verdict> Pipeline::commit(std::span<const BlockToCommit> blocks,
                                             const chain::QuorumCertificate& certificate,
                                             const ledger::WriteBatch* host_records) {
  return commit_with(blocks, certificate, nullptr, host_records);
}

core::Result<core::Verdict> Pipeline::commit(std::span<const BlockToCommit> blocks,
                                             const chain::VerifiedCertificate& certificate,
                                             const ledger::WriteBatch* host_records) {
  return commit_with(blocks, certificate.certificate(), &certificate, host_records);
}

core::Result<core::Verdict> Pipeline::commit_with(std::span<const BlockToCommit> blocks,
                                                  const chain::QuorumCertificate& certificate,
                                                  const chain::VerifiedCertificate* verified,
                                                  const ledger::WriteBatch* host_records) {
  if (blocks.empty()) return core::Verdict{reject(Reject::kInvalid, "nothing to commit")};
  // Each block's transactions move into the commit: after it the blocks are
  // pruned, and after a failed commit (at any step) they are dropped (and
  // executed again if asked). Their prepared states are held here, since
  // executing a later block may prune earlier ones from blocks_.
  std::vector<ledger::BlockCommit> commits(blocks.size());
  std::vector<std::shared_ptr<const ledger::PreparedState>> states;
  states.reserve(blocks.size());
  std::vector<BlockKey> moved;  // blocks whose transactions moved into `commits`
  auto drop_moved = [&] {
    for (const BlockKey& k : moved) blocks_.erase(k);
  };
  CommittedTransactions committed;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto& b = blocks[i];
    // The result of exactly this header and payload: the payload is what
    // consensus stores and serves, so it must be one that reproduces the header.
    const BlockKey key{b.header.id(), core::sha256(b.payload)};
    auto it = blocks_.find(key);
    if (it == blocks_.end()) {
      auto r = execute(b.header, b.payload);
      if (!r || !*r || **r != b.header) drop_moved();
      if (!r) return r.error();
      if (!*r) return core::Verdict{r->error()};
      if (**r != b.header) {
        return core::Verdict{reject(Reject::kInvalid, "block at height " +
                                                          std::to_string(b.header.height) +
                                                          " executes to a different header")};
      }
      it = blocks_.find(key);  // kept by execute (a block just kept is never pruned)
      if (it == blocks_.end()) {
        drop_moved();
        return core::Status::internal("an executed block was not kept");
      }
    }
    moved.push_back(key);
    Executed& e = *it->second;
    ledger::BlockCommit& c = commits[i];
    c.header = e.header;
    c.transactions = std::move(e.transactions);
    c.infos.reserve(e.result.transactions.size());
    c.accounts.reserve(e.result.transactions.size());
    committed.ids.reserve(committed.ids.size() + e.result.transactions.size());
    for (const auto& t : e.result.transactions) {
      c.infos.push_back(t.info);
      std::vector<core::Hash256> accounts;
      accounts.reserve(t.accounts.size());
      for (const auto& a : t.accounts) accounts.emplace_back(a.bytes);
      c.accounts.push_back(std::move(accounts));
      committed.ids.push_back(t.id);
    }
    for (const auto& [sender, sequence] : e.senders) {
      committed.next_sequences.emplace_back(sender, sequence + 1);
    }
    states.push_back(e.state);
    c.prepared = e.state.get();
    if (e.header.ends_epoch()) c.next_validator_set = e.next_set;
    if (i + 1 == blocks.size()) {
      c.certificate = certificate;
      c.verified_certificate = verified;
    }
  }
  const std::uint64_t height_before = store_.latest_height();
  auto v = store_.commit_blocks(commits, host_records);
  if (!v || !*v) {
    drop_moved();
    if (!v) return v.error();
    return *v;
  }
  // Each sender once, with its highest next sequence (sorted: the last entry
  // of a sender is its highest).
  auto& next = committed.next_sequences;
  std::sort(next.begin(), next.end());
  std::size_t kept = 0;
  for (std::size_t i = 0; i < next.size(); ++i) {
    if (kept > 0 && next[kept - 1].first == next[i].first) {
      next[kept - 1].second = next[i].second;
    } else {
      next[kept++] = next[i];
    }
  }
  next.resize(kept);
  if (values_) {
    if (values_->height() == height_before) {
      for (const auto& state : states) values_->advance(state->writes());
    }
    if (values_->height() != store_.latest_height()) values_->reset(store_.latest_height());
  }
  if (cache_) {
    cache_->set_max_version(store_.latest_height());
    for (const auto& state : states) warm_cache(*state);
  }
  last_committed_ = std::move(committed);
  prune(nullptr);
  return core::Verdict::accept();
}

void Pipeline::warm_cache(const ledger::PreparedState& committed) {
  // The nodes the cache covers are the ones the next blocks read first.
  for (const auto& w : committed.batch().writes()) {
    if (w.column != ledger::Column::kStateNode || !w.value) continue;
    auto key = ledger::parse_state_node_key(w.key);
    if (!key || !cache_->covers(key->first, key->second)) continue;
    auto stored = ledger::decode_stored_state_node(*w.value);
    if (!stored) continue;  // our own encoding: never happens; the store read would report it
    if (auto* whole = std::get_if<ledger::StateNode>(&*stored)) {
      cache_->put(key->first, key->second, *whole);
      continue;
    }
    // A patch: resolved over its base when the cache holds that (the base of
    // the node it replaced, or that node itself); else left to the next read.
    const auto& patch = std::get<ledger::StatePatch>(*stored);
    auto base = cache_->find_base(patch.base_version, key->second);
    if (!base) continue;
    auto node = ledger::apply_state_patch(*base, patch);
    if (!node) continue;
    cache_->put(key->first, key->second, *node,
                ledger::StateNodeCache::Base{patch.base_version, std::move(*base)});
  }
}

ledger::StateNodeCache::Stats Pipeline::node_cache_stats() const {
  return cache_ ? cache_->stats() : ledger::StateNodeCache::Stats{};
}

std::optional<chain::ValidatorSet> Pipeline::next_validator_set(const core::Hash256& id) const {
  const Executed* e = find_block(id);
  return e != nullptr ? e->next_set : std::nullopt;
}

std::vector<core::Hash256> Pipeline::pending_transactions(const core::Hash256& block_id) const {
  std::vector<core::Hash256> ids;
  for (const Executed* e = find_block(block_id); e != nullptr;
       e = find_block(e->header.parent_hash)) {
    for (const auto& t : e->result.transactions) ids.push_back(t.id);
  }
  return ids;
}

void Pipeline::prune(const BlockKey* keep) {
  const std::uint64_t committed = store_.latest_height();
  for (auto it = blocks_.begin(); it != blocks_.end();) {
    if (it->second->header.height <= committed) {
      it = blocks_.erase(it);
    } else {
      ++it;
    }
  }
  if (blocks_.size() <= kMaxSpeculativeBlocks) return;
  // Kept children per parent id: a block with children is an ancestor of a
  // pending block and stays (its descendants could neither execute nor commit
  // without it). Only blocks nothing descends from are dropped, lowest first.
  std::map<core::Hash256, std::size_t> children;
  for (const auto& [key, e] : blocks_) ++children[e->header.parent_hash];
  while (blocks_.size() > kMaxSpeculativeBlocks) {
    auto victim = blocks_.end();
    for (auto it = blocks_.begin(); it != blocks_.end(); ++it) {
      if ((keep != nullptr && it->first == *keep) || children.contains(it->first.first)) continue;
      if (victim == blocks_.end() || it->second->header.height < victim->second->header.height) {
        victim = it;
      }
    }
    // Every block left is an ancestor of another, or the one just kept.
    if (victim == blocks_.end()) return;
    auto parent = children.find(victim->second->header.parent_hash);
    if (parent != children.end() && --parent->second == 0) children.erase(parent);
    blocks_.erase(victim);
  }
}

}  // namespace bauhinia::execution
