#include "block_tree.hpp"

#include <algorithm>

namespace bauhinia::consensus {

void BlockTree::reset(const chain::BlockHeader& root, const QuorumCert& root_qc) {
  root_ = BlockNode{};
  root_.header = root;
  root_.id = root.id();
  root_.certified_by = root_qc;
  nodes_.clear();
}

const BlockNode* BlockTree::find(const Hash256& id) const {
  if (id == root_.id) return &root_;
  auto it = nodes_.find(id);
  return it == nodes_.end() ? nullptr : &it->second;
}

bool BlockTree::insert(BlockNode node) {
  const Hash256 parent = node.header.parent_hash;
  if (!contains(parent) || contains(node.id)) return false;
  BlockNode& p = parent == root_.id ? root_ : nodes_.at(parent);
  if (!p.certified_by) p.certified_by = node.qc;
  nodes_.emplace(node.id, std::move(node));
  return true;
}

void BlockTree::certify(const QuorumCert& qc) {
  if (qc.block_id() == root_.id) return;
  auto it = nodes_.find(qc.block_id());
  if (it != nodes_.end() && !it->second.certified_by) it->second.certified_by = qc;
}

std::vector<const BlockNode*> BlockTree::path_from_root(const Hash256& id) const {
  std::vector<const BlockNode*> path;
  Hash256 at = id;
  // Every step goes one height down, so the walk ends within size() steps.
  while (at != root_.id) {
    auto it = nodes_.find(at);
    if (it == nodes_.end()) return {};
    path.push_back(&it->second);
    at = it->second.header.parent_hash;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

const BlockNode* BlockTree::epoch_end_on_path(const Hash256& id) const {
  for (const BlockNode* n : path_from_root(id)) {
    if (n->header.ends_epoch()) return n;
  }
  return nullptr;
}

void BlockTree::prune_to(const Hash256& id) {
  if (id == root_.id) return;
  auto it = nodes_.find(id);
  BAUHINIA_ASSERT(it != nodes_.end());
  std::multimap<Hash256, Hash256> children;
  for (const auto& [nid, n] : nodes_) children.emplace(n.header.parent_hash, nid);
  std::map<Hash256, BlockNode> kept;
  std::vector<Hash256> todo{id};
  while (!todo.empty()) {
    const Hash256 at = todo.back();
    todo.pop_back();
    auto [b, e] = children.equal_range(at);
    for (auto c = b; c != e; ++c) {
      kept.emplace(c->second, std::move(nodes_.at(c->second)));
      todo.push_back(c->second);
    }
  }
  root_ = std::move(it->second);
  nodes_ = std::move(kept);
}

}  // namespace bauhinia::consensus
