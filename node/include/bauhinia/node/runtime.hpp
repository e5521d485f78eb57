#pragma once
// The running node: one event loop (the "core" thread) owns the consensus
// replica and the execution pipeline and applies the replica's effects in
// order: safety state and kept blocks are written with fsync before any vote
// leaves; executing and committing blocks, timers and catching up by block
// sync all run on that loop. The network (its own threads) and the mempool's
// verifier pool (all cores) feed it through posted events; nothing holds a
// global lock. Peers' messages wait for the loop within a bounded per-peer
// budget (sync_liveness.hpp); serving block sync to peers runs on its own
// thread (sync_server.hpp), rate-limited per peer.
//
// The HTTP API (api_server.hpp) runs on its own threads over the same
// components (the ledger's reads and the mempool are thread-safe).
//
// Admission never starves consensus: client submissions pass an admission
// budget ([api] admission_rate / max_backlog; 429 with Retry-After beyond it)
// before any work, and the admission threads (API, verifier pool, gossip in
// and out) run 10 nice levels below the core and network threads.
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
#include "bauhinia/node/api_backend.hpp"
#include "bauhinia/node/config.hpp"
#include "bauhinia/node/storage_guard.hpp"

namespace bauhinia::node {

class NodeRuntime {
 public:
  // Opens (or creates) everything under config.data_dir; reports what is wrong.
  // Every database is verified first and the safety state checked against the
  // ledger (storage_guard.hpp); `fault` (if given) says whether a failure was
  // one of storage, and which.
  static core::Result<std::unique_ptr<NodeRuntime>> open(const NodeConfig& config,
                                                         StorageFault* fault = nullptr);
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
  // After wait(): kUnwritable when the node stopped because a write to its
  // storage failed (it signed nothing after that write).
  StorageFault storage_fault() const;

  // Thread-safe snapshot (the API's GET /v1/status).
  NodeStatus status() const;
  // Admits a transaction to the mempool and gossips it. Thread-safe.
  SubmitResult submit(core::ByteView transaction);
  // The bound API port (after start()).
  std::uint16_t api_port() const;

  struct Impl;

 private:
  explicit NodeRuntime(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bauhinia::node
