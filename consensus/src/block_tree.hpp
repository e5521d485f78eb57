#pragma once
// The replica's tree of executed, uncommitted blocks above the committed root.
// Private to the consensus library.

#include <cstddef>
#include <map>
#include <optional>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/consensus/certificates.hpp"

namespace bauhinia::consensus {

struct BlockNode {
  chain::BlockHeader header;
  Hash256 id;
  core::Bytes payload;
  QuorumCert qc;                                // certifies the parent
  std::optional<QuorumCert> certified_by;       // a QC on this block, once known
  std::optional<chain::ValidatorSet> next_set;  // when header.ends_epoch()
  // The replica's clock (event now_ms) when the block joined its tree; 0 for
  // the root and for blocks given back after a restart (unknown).
  std::uint64_t seen_ms = 0;

  bool has_content() const { return !payload.empty() || header.ends_epoch(); }
};

class BlockTree {
 public:
  // Starts over from a committed root (certified by root_qc).
  void reset(const chain::BlockHeader& root, const QuorumCert& root_qc);

  const BlockNode& root() const { return root_; }
  const Hash256& root_id() const { return root_.id; }
  // The root or an uncommitted block; nullptr if unknown.
  const BlockNode* find(const Hash256& id) const;
  bool contains(const Hash256& id) const { return find(id) != nullptr; }
  std::size_t size() const { return nodes_.size(); }

  // Adds a block whose parent is in the tree; also records block.qc as the
  // parent's certificate. Returns false if the parent is unknown.
  bool insert(BlockNode node);
  // Records a QC on a known block.
  void certify(const QuorumCert& qc);

  // Blocks from just above the root to `id` (inclusive), oldest first; empty
  // when id is the root or unknown.
  std::vector<const BlockNode*> path_from_root(const Hash256& id) const;
  // The first block on the path root..id (inclusive) that ends the epoch.
  const BlockNode* epoch_end_on_path(const Hash256& id) const;

  // Makes `id` (a block of the tree) the root and drops every block that does
  // not descend from it.
  void prune_to(const Hash256& id);

 private:
  BlockNode root_;
  std::map<Hash256, BlockNode> nodes_;
};

}  // namespace bauhinia::consensus
