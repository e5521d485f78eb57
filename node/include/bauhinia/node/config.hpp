#pragma once
// The node's configuration file (TOML, docs/operator-guide.md). Every field is
// validated on load; an error names the file, the field and what is wrong.
// Unknown fields are errors too, so a typo never silently falls back to a default.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::node {

enum class Role : std::uint8_t { kValidator, kObserver };

struct Endpoint {
  std::string host;  // an IPv4 or IPv6 literal (no name lookups)
  std::uint16_t port = 0;
  std::string to_string() const;
};

struct PeerAddress {
  core::ed25519::PublicKey key;
  Endpoint endpoint;
};

// The smallest non-zero state_prune_window: readers (light clients, the
// explorer) ask proofs at heights a few blocks old.
inline constexpr std::uint64_t kMinStatePruneWindow = 16;

struct NodeConfig {
  // [node]
  std::string name;
  Role role = Role::kValidator;
  std::filesystem::path home;      // folder of the config file; relative paths start here
  std::filesystem::path data_dir;  // LevelDB and safety state
  std::filesystem::path key_file;  // Ed25519 seed, mode 0600
  std::filesystem::path genesis_file;
  // [network]
  Endpoint p2p_listen;
  std::vector<PeerAddress> peers;
  // At least consensus::kMaxBlockMessageBytes: any block fits in one frame.
  std::uint32_t max_frame_bytes = 16U << 20;
  std::uint32_t max_peers = 128;  // peers connected at once, inbound and outbound together
  // [api]
  Endpoint api_listen;
  std::uint32_t api_max_body_bytes = 1U << 20;
  std::uint32_t api_max_connections = 256;
  // Admission budget of submissions (mempool/admission_budget.hpp): at most
  // api_admission_rate per second on average (0: no rate limit) in bursts of
  // at most api_admission_burst; none while the mempool holds api_max_backlog
  // transactions or more (0: no limit). Refusals are 429 with Retry-After.
  std::uint32_t api_admission_rate = 5000;
  std::uint32_t api_admission_burst = 1000;
  std::uint32_t api_max_backlog = 10000;
  // WebSocket streams (GET /v1/stream): open at once, per client address, and
  // how long a subscriber's oldest queued message may wait (slow consumer).
  std::uint32_t api_stream_max_subscribers = 256;
  std::uint32_t api_stream_max_per_address = 16;
  std::uint32_t api_stream_max_queue_wait_ms = 10000;
  // [consensus]
  std::uint32_t round_timeout_ms = 600;
  std::uint32_t max_round_timeout_ms = 60000;
  std::uint32_t idle_block_interval_ms = 1000;
  // "round_robin" or "reputation" (docs/adr/0008-leader-reputation.md; every
  // validator must use the same). The stall the simulator found under
  // reputation is fixed (ADR 0008), but reputation stays opt-in until the
  // live chaos runs pass under it: the suite's one chaos run with it as the
  // default saw a validator rejoin 15.8 s after a loss fault (ADR 0008).
  std::string leader_election = "round_robin";
  // Limits of the blocks this node builds as leader: a count of at most
  // execution::kMaxBlockTransactions, and the payload's encoded size (length
  // prefixes included) at most consensus::kMaxPayloadBytes.
  std::uint32_t max_block_transactions = 5000;
  std::uint32_t max_block_bytes = 8U << 20;
  // Unless a block's worth of transactions is pending, a leader proposes no
  // sooner than this long after the parent block's timestamp, so that
  // per-block costs are shared by more transactions; 0 proposes at once. The
  // node uses at most a quarter of round_timeout_ms.
  std::uint32_t proposal_delay_ms = 20;
  // A leader caps its block at the transactions it expects to execute in
  // this much wall time, from its measured recent cost per transaction
  // (block_budget.hpp; ADR 0007 item 2); 0: always up to max_block_transactions.
  std::uint32_t block_execution_budget_ms = 100;
  // [mempool]
  std::uint32_t mempool_max_transactions = 200000;
  std::uint64_t mempool_max_bytes = 256ULL << 20;
  std::uint32_t mempool_max_per_account = 64;
  // Transactions clients submit are gossiped in batches: a batch leaves when
  // it holds gossip_max_transactions or its oldest transaction waited
  // gossip_interval_ms.
  std::uint32_t gossip_interval_ms = 10;
  std::uint32_t gossip_max_transactions = 500;
  // Gossip received from peers waits for admission (off the network thread)
  // in a queue of at most this many transactions; beyond it, it is dropped.
  std::uint32_t gossip_queue_transactions = 50000;
  // [sync] Block sync (docs/operator-guide.md). Sync requests of one peer
  // (ledger catch-up and consensus block fetches together) served at most at
  // this rate, with this burst; beyond it they are dropped.
  std::uint32_t sync_serve_requests_per_second = 10;
  std::uint32_t sync_serve_burst = 20;
  // A catch-up request unanswered this long goes to another peer.
  std::uint32_t sync_request_timeout_ms = 10000;
  // [ledger] State-tree pruning (docs/adr/0006-state-tree-pruning.md): keep
  // the state of the newest state_prune_window heights (0: an archive, every
  // height kept), deleting older tree nodes in the background in slices of at
  // most state_prune_slice_nodes nodes. Older heights answer 410 "pruned".
  std::uint64_t state_prune_window = 0;
  std::uint32_t state_prune_slice_nodes = 2000;
  // [log]
  std::string log_level = "info";
  // [health] (optional) The health payload store of a node that holds record
  // payloads (node/health_payload_store.hpp): ciphertexts in payload_dir, keys
  // in key_dir (default: payload_dir + "-keys"), never the same folder.
  std::filesystem::path health_payload_dir;  // empty: this node holds no payloads
  std::filesystem::path health_key_dir;
  std::uint32_t health_max_payload_bytes = 64U << 10;
  std::uint32_t health_request_window_ms = 120000;  // freshness of signed payload requests
};

// Parses and validates the TOML text; `home` anchors relative paths.
core::Checked<NodeConfig> parse_config(std::string_view toml_text,
                                       const std::filesystem::path& home);
// Reads `path` (at most 1 MiB) and parses it with home = its folder.
core::Checked<NodeConfig> load_config(const std::filesystem::path& path);
// The TOML text of a config (what `bauhinia-node testnet` writes).
std::string format_config(const NodeConfig& config);

core::Checked<Endpoint> parse_endpoint(std::string_view text);

// The largest transaction the node admits (mempool::MempoolError::kTooLarge
// beyond): one that a block of max_block_bytes can carry alone, at most
// chain::kMaxTransactionSize.
std::size_t max_transaction_bytes(const NodeConfig& config);

}  // namespace bauhinia::node
