#pragma once
// The WebSocket stream of committed blocks and events (GET /v1/stream with an
// Upgrade; docs/api/README.md "Streaming"). Internal to the node library.
//
// Resumption without gap or duplicate. A stream is a cursor over the ledger:
// it emits height after height, each read from the LedgerStore, only heights
// at most latest_height() (a read never sees part of a block). There is no
// separate live path: a commit notification (or the poll tick) only wakes the
// stream, which then reads the new heights from the store like any replayed
// one. So the replay and the live part are the same loop and the cursor moves
// by one per height: nothing is skipped, nothing sent twice. For each height
// the stream sends the matching events (in accumulator version, then event
// index order) and then ONE closing message: the "block" (kind blocks) or a
// "checkpoint". A consumer that counts a height as seen at its closing
// message and reconnects with from = that height + 1 gets every later
// message exactly once.
//
// Events are not stored by the ledger (only each transaction's events_hash):
// the feed re-executes a block's transactions over the state of its parent,
// with the block's context, and checks every TransactionInfo (events_hash
// included) against the committed one before it serves them.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api_routes.hpp"
#include "bauhinia/contracts/event.hpp"
#include "bauhinia/node/api_server.hpp"

namespace bauhinia::node::api_stream {

// What one stream asked for.
struct StreamSpec {
  std::uint64_t from = 0;  // the first height sent
  bool blocks = true;      // "block" messages (else "checkpoint" ones close each height)
  bool events = false;     // "event" messages of `modules`
  std::vector<std::string> modules;
  std::vector<core::Bytes> records;  // when not empty: only events of these record keys

  bool wants(const contracts::Event& event) const;
};

// GET /v1/stream's parameters: from (default latest + 1, at most latest + 1),
// module (comma-separated registered modules), record (comma-separated hex
// keys, with exactly one module), kinds (comma-separated "blocks", "events";
// default blocks, plus events when a module is named). 400/404 otherwise.
api_routes::Answer<StreamSpec> parse_spec(const api_routes::Context& ctx);

// True when `target` names the stream (/v1/stream[?...]).
bool is_stream_target(std::string_view target);

// One committed event with where it comes from.
struct StreamEvent {
  contracts::Event event;
  core::Hash256 transaction_id;
  std::uint64_t version = 0;      // the transaction's accumulator index
  std::uint32_t event_index = 0;  // its position among the transaction's events
};

// The messages of committed heights, built once and shared by every stream
// (small caches of the newest heights). Thread-safe.
class StreamFeed {
 public:
  StreamFeed(ApiBackend& backend, ApiLimits limits) : backend_(backend), limits_(limits) {}

  // The "block" message of `height` (JSON text): GET /v1/blocks/{height}'s
  // object with "type": "block".
  core::Result<std::shared_ptr<const std::string>> block_message(std::uint64_t height);
  // The events of the block at `height`, re-executed and checked.
  core::Result<std::shared_ptr<const std::vector<StreamEvent>>> events(std::uint64_t height);

  ApiBackend& backend() const { return backend_; }
  const ApiLimits& limits() const { return limits_; }

 private:
  core::Result<std::vector<StreamEvent>> execute(std::uint64_t height) const;

  ApiBackend& backend_;
  const ApiLimits limits_;
  std::mutex mutex_;
  std::map<std::uint64_t, std::shared_ptr<const std::string>> blocks_;               // guarded
  std::map<std::uint64_t, std::shared_ptr<const std::vector<StreamEvent>>> events_;  // guarded
};

std::string event_message(std::uint64_t height, const StreamEvent& e);
std::string checkpoint_message(std::uint64_t height, const core::Hash256& block_id);

class StreamSession;

// Every open stream of one server: limits, admission, wake-ups, stop.
class StreamHub : public std::enable_shared_from_this<StreamHub> {
 public:
  StreamHub(ApiBackend& backend, ApiLimits limits, ApiStreamLimits stream_limits)
      : feed(backend, limits), config(stream_limits) {}

  // A stream slot for a client, released when the ticket is destroyed.
  struct Ticket {
    Ticket(std::shared_ptr<StreamHub> hub, std::string address);
    ~Ticket();
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    std::shared_ptr<StreamHub> hub;
    std::string address;
  };

  // Checks the request and takes a slot: the spec and the ticket, or the HTTP
  // error to answer instead of the upgrade (the request's own errors, then
  // 429/503 too_many_subscribers).
  api_routes::Answer<std::pair<StreamSpec, std::shared_ptr<Ticket>>> admit(
      const ApiRequest& request, const std::string& address);

  void add(std::uint64_t id, std::weak_ptr<StreamSession> session);
  void remove(std::uint64_t id);
  std::uint64_t next_id();
  // Wakes every stream (new blocks).
  void wake_all();
  // Closes every stream ("going away").
  void stop_all();
  std::size_t open() const;

  StreamFeed feed;
  const ApiStreamLimits config;
  std::atomic<std::uint64_t> cut_off{0};  // slow consumers closed
  // Bytes in every stream's outgoing queue together (each bounded by
  // max_queue_bytes, or one message).
  std::atomic<std::uint64_t> queued_bytes{0};

 private:
  mutable std::mutex mutex_;
  std::size_t open_ = 0;                                            // guarded
  std::map<std::string, std::size_t> per_address_;                  // guarded
  std::map<std::uint64_t, std::weak_ptr<StreamSession>> sessions_;  // guarded
  std::uint64_t next_id_ = 0;                                       // guarded
  bool stopped_ = false;                                            // guarded
};

}  // namespace bauhinia::node::api_stream
