#pragma once
// Follows the consortium's nodes as a light client and indexes what it has
// verified (docs/explorer.md, "What it verifies"). For each node in turn it
// follows the epoch change proofs from the genesis set, verifies the node's
// latest certified header, then every block above the index's mark:
//   - the header's commit certificate (or that of a descendant, through the
//     parent hashes), against the validator set of its epoch;
//   - its parent hash is the id of the block indexed below it;
//   - its accumulator leaves (/v1/accumulator/leaves), appended to the
//     explorer's own frontier, give the certified accumulator root and size;
//   - the transaction ids of those leaves give the header's transactions_root;
//   - each transaction's bytes hash to its id.
// A node that serves anything that fails is refused (named, with the reason,
// in the log and in nodes()) and never asked again; a node that does not
// answer is marked unreachable and asked again next round. Thread-safe.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bauhinia/explorer/index.hpp"
#include "bauhinia/lightclient/fetch.hpp"
#include "bauhinia/lightclient/trust.hpp"

namespace bauhinia::explorer {

struct NodeReport {
  std::string url;
  std::string state = "unknown";  // following, unreachable, refused
  std::optional<std::uint64_t> height;
  std::string reason;
};

// A node the API may ask for a proof (not refused), with its Fetch.
struct UsableNode {
  std::string url;
  lightclient::Fetch fetch;
};

class Follower {
 public:
  using Log = std::function<void(const std::string& line)>;

  Follower(const lightclient::Trust& trust, Index& index, std::vector<UsableNode> nodes, Log log);
  ~Follower();
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;

  // One round: from the first usable node that answers, verifies and indexes
  // at most `max_blocks` blocks above the mark. Returns how many it indexed.
  std::size_t step(std::size_t max_blocks = 1000);

  // Marks a node refused (also used by the API when a node's proof fails).
  void refuse(const std::string& url, const std::string& reason);

  std::vector<NodeReport> nodes() const;
  std::vector<UsableNode> usable() const;  // not refused, reachable ones first
  const lightclient::Trust& trust() const { return trust_; }
  // The current validator set as verified (JSON of the node API's shape) and its hex.
  std::optional<json> validator_set() const;
  // The modules of the transactions indexed since the last call (for the
  // register sweeps, registers.hpp).
  std::set<std::string> take_changed_modules();

 private:
  struct Node;
  void log(const std::string& line) const;

  const lightclient::Trust& trust_;
  Index& index_;
  std::vector<std::unique_ptr<Node>> nodes_;
  Log log_;
  mutable std::mutex mutex_;  // nodes' reports, validator set
  std::mutex step_mutex_;     // one round at a time
  std::optional<json> validator_set_;
  std::set<std::string> changed_modules_;
};

}  // namespace bauhinia::explorer
