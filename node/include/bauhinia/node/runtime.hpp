#pragma once
// The running node: one event loop (the "core" thread) owns the consensus
// replica and the execution pipeline and applies the replica's effects in
// order: safety state and kept blocks are written with fsync before any vote
// leaves; executing and committing blocks, timers and block sync all run on
// that loop. The network (its own threads) and the mempool's verifier pool
// (all cores) feed it through posted events; nothing holds a global lock.
//
// Restart resumes from disk: the ledger (data_dir/ledger), the consensus
// records (data_dir/consensus: safety state, kept blocks, QCs), so a
// restarted validator never signs twice for one round.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/node/config.hpp"

namespace bauhinia::node {

// A consistent snapshot for status pages and tests (thread-safe to read).
struct NodeStatus {
  std::string chain_id;
  std::string name;
  bool validator = false;
  std::uint64_t height = 0;
  std::string latest_block_id;  // hex
  std::string state_root;       // hex
  std::uint64_t accumulator_size = 0;
  std::uint64_t epoch = 0;
  std::uint64_t round = 0;
  std::size_t peers = 0;
  std::size_t mempool = 0;
  bool syncing = false;
};

class NodeRuntime {
 public:
  // Opens (or creates) everything under config.data_dir; reports what is wrong.
  static core::Result<std::unique_ptr<NodeRuntime>> open(const NodeConfig& config);
  ~NodeRuntime();
  NodeRuntime(const NodeRuntime&) = delete;
  NodeRuntime& operator=(const NodeRuntime&) = delete;

  // Starts the network and the event loop. Call once.
  core::Status start();
  // Stops everything and joins the threads; idempotent. Committed data is
  // already durable.
  void stop();
  // Blocks until stop() was called or the node stopped itself on a fatal
  // error (then returns that error).
  core::Status wait();

  NodeStatus status() const;
  // Admits a transaction to the mempool and gossips it. Thread-safe.
  // The id, or why it was refused (API: 422 with the reason).
  core::Checked<core::Hash256> submit(core::ByteView transaction);

  struct Impl;

 private:
  explicit NodeRuntime(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bauhinia::node
