// Fuzzes block sync (node/sync_messages.hpp) through the node's own entry
// points, both sides, without sockets:
//
//  - the serving side: a real SyncServer (node/src/sync_server.cpp) over a
//    LevelDB ledger and the consensus records of a small certified chain
//    across an epoch change, offered requests as the runtime offers them (the
//    kind byte and the encoding, decoded as Runtime::on_sync_frame does, from
//    genuine requests, mutated ones or raw bytes), from three peers, with
//    fuzzer-chosen queue bounds, response budgets, peer backlogs and send
//    results (kTooLarge makes it rebuild a smaller response);
//  - the requesting side: apply_sync_response (node/sync_apply.hpp), what
//    Runtime::apply_sync runs once a response decoded: the stale check,
//    verify_sync_response (node/epochs.hpp, the check before anything a peer
//    sent is kept or executed), the re-execution of the blocks from their
//    payloads and the atomic commit with their consensus records, onto
//    LevelDB followers at every height a sync can leave a node at, fed
//    genuine responses, tampered ones (blocks dropped, swapped or taken from
//    elsewhere, QCs and commit certificates exchanged, signatures dropped,
//    header fields and payloads changed, byte flips), raw bytes, and forged
//    runs signed with the validators' own keys (a Byzantine quorum): a state
//    root, accumulator root or size or next validator set that execution
//    does not produce, or a run signed by the other epoch's validators;
//    verify_sync_response alone on in-memory followers for what the server
//    sends and for stale responses;
//  - answer_past_epoch for consensus SyncRequests of a peer in an earlier epoch.
//
// The chain: epoch 0 (validators 0..3) commits b1, then b2 and b3 (b3 ends the
// epoch, a governed set of validators 1..4 written by a test module registered
// as "system", as tests/node/epoch_sync_test.cpp does); epoch 1 commits b4
// and b5, then b6. Followers sit at heights 0, 1, 3 and 5.
//
// Exact oracles:
//  - the server answers every request it queued exactly once (served, failed
//    send or backlogged, as counted), refuses offers exactly beyond its
//    bounds, and halves its budget exactly on kTooLarge while a smaller
//    response is possible;
//  - every response is tagged kResponse and canonical; its blocks are the
//    source's own blocks (header, payload, QC) from after_height + 1 on, at
//    most min(max_blocks, 64); it ends at a block with a commit certificate
//    (the stored one) and no block but the last ends an epoch; beyond its
//    first run it fits the budget; it is not cut short (the next run would
//    not have fitted) and is empty only when no run fits in max_blocks;
//  - a follower accepts every non-empty genuine response for its height, and
//    an accepted response (tampered or raw) holds exactly the source's
//    headers and payloads from the follower's next height on, with a commit
//    certificate that commits its last block;
//  - applying: a response of the source's blocks that the check accepts is
//    committed, in exactly one synced write, and the follower then holds the
//    source's header, state root, transactions, accumulator root and
//    validator set at every height, the response's QCs as its consensus
//    records and its certificate, and recovers from its ledger (the
//    runtime's next step); a forged run the check accepts fails
//    re-execution; one signed by the other epoch's set is refused; whatever
//    did not commit (empty, stale, refused, failed re-execution) wrote
//    nothing at all (not even the good blocks before a bad one), left the
//    head and state root as they were and no executed block in the
//    pipeline; a stale response is one the check refuses too; no storage
//    error;
//  - answer_past_epoch answers exactly for a past epoch that ended here, with
//    its stored commit certificate.
//
// Followers that applied nothing are kept for the next input (no write
// reached them); one that committed is replaced by a fresh copy of a closed
// LevelDB template at its height.
// BAUHINIA_FUZZ_SYNC_STATS=1 prints at exit how often each outcome of
// applying was reached.
// BAUHINIA_FUZZ_WRITE_SEEDS=<dir> writes a seed program per operation and exits.

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/core/assert.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "bauhinia/execution/pipeline.hpp"
#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"
#include "bauhinia/node/consensus_store.hpp"
#include "bauhinia/node/epochs.hpp"
#include "bauhinia/node/sync_apply.hpp"
#include "bauhinia/node/sync_server.hpp"
#include "fuzz_input.hpp"

namespace fs = std::filesystem;
namespace core = bauhinia::core;
namespace chain = bauhinia::chain;
namespace consensus = bauhinia::consensus;
namespace contracts = bauhinia::contracts;
namespace execution = bauhinia::execution;
namespace ledger = bauhinia::ledger;
namespace network = bauhinia::network;
namespace node = bauhinia::node;
using bauhinia::fuzz::FuzzInput;

namespace {

constexpr const char* kChain = "bauhinia-sync-fuzz";
constexpr std::uint64_t kGenesisMs = 1'796'000'000'000ULL;
constexpr std::uint64_t kEpochEnd = 3;                   // b3 ends epoch 0
constexpr std::uint64_t kCommitPoints[] = {1, 3, 5, 6};  // blocks with a commit certificate
constexpr std::uint64_t kFollowerHeights[] = {0, 1, 3, 5};

// Validators 0..4 and the serving side's peers 10..12, derived once.
const core::ed25519::SecretKey& validator_key(int i) {
  static const std::vector<core::ed25519::SecretKey> keys = [] {
    std::vector<core::ed25519::SecretKey> out;
    for (int k = 0; k < 16; ++k) {
      std::array<std::uint8_t, 32> seed{};
      seed[0] = static_cast<std::uint8_t>(k + 1);
      seed[1] = 0x5F;
      out.push_back(core::ed25519::SecretKey::from_seed(seed));
    }
    return out;
  }();
  return keys.at(static_cast<std::size_t>(i));
}

chain::ValidatorSet set_of(std::uint64_t epoch, int first) {
  chain::ValidatorSet set;
  set.epoch = epoch;
  for (int i = first; i < first + 4; ++i) {
    set.validators.push_back({validator_key(i).public_key(), 1, "V" + std::to_string(i)});
  }
  return set;
}

// Writes its payload as the governed validator-set record (as governance
// would; tests/node/epoch_sync_test.cpp).
class GovernedSetWriter final : public contracts::Module {
 public:
  std::string_view name() const override { return contracts::system::kModuleName; }
  core::Verdict check(const contracts::CallContext&, const contracts::StateView&) const override {
    return core::Verdict::accept();
  }
  contracts::CallResult apply(contracts::CallContext& call,
                              contracts::StateView& state) const override {
    state.write(contracts::system::validator_set_key(), call.tx().payload);
    return contracts::CallResult::success();
  }
  core::Checked<contracts::QueryAnswer> query(std::string_view,
                                              const contracts::StateView&) const override {
    return core::reject(core::Reject::kInvalid, "no queries");
  }
};

core::schnorr::SecretKey user_key(std::uint8_t n) {
  core::Bytes raw(32, 0);
  raw[0] = 0x5C;
  raw[31] = n;
  return std::move(core::schnorr::SecretKey::from_bytes(raw)).value();
}

chain::IdentifiedTransaction signed_tx(std::uint8_t user, std::uint64_t sequence,
                                       std::string module, std::string call, core::Bytes payload) {
  const auto key = user_key(user);
  chain::Transaction tx;
  tx.chain_id = kChain;
  tx.public_key = key.public_key();
  tx.sender = core::account_id_of(key.public_key());
  tx.sequence = sequence;
  tx.expiry_ms = kGenesisMs + 3'600'000;
  tx.module = std::move(module);
  tx.call = std::move(call);
  tx.payload = std::move(payload);
  std::array<std::uint8_t, 32> aux{};
  aux[0] = 0x5E;
  tx.sign(key, aux);
  return chain::IdentifiedTransaction::of(std::move(tx));
}

chain::IdentifiedTransaction ping(std::uint8_t user, std::uint64_t sequence, std::string memo) {
  contracts::accounts::PingArgs args;
  args.memo.assign(memo.begin(), memo.end());
  return signed_tx(user, sequence, "accounts", "ping", core::encode(args));
}

chain::IdentifiedTransaction govern(const chain::ValidatorSet& set) {
  contracts::system::GovernedValidatorSet record;
  record.set = set;
  record.changed_height = 1;
  return signed_tx(9, 0, "system", "set", core::encode(record));
}

// A QC on `block` signed by the four members of `set` (keys first..first+3),
// committing `commit` if given (tests/node/epoch_sync_test.cpp).
consensus::QuorumCert qc_on(const chain::BlockHeader& block, consensus::Round parent_round,
                            const chain::ValidatorSet& set, int first,
                            std::optional<consensus::BlockRef> commit = std::nullopt) {
  consensus::QuorumCert qc;
  qc.vote_data.epoch = block.epoch;
  qc.vote_data.round = block.round;
  qc.vote_data.block_id = block.id();
  qc.vote_data.height = block.height;
  qc.vote_data.parent_round = parent_round;
  qc.vote_data.parent_id = block.parent_hash;
  chain::LedgerInfo li;
  li.chain_id = kChain;
  li.epoch = block.epoch;
  li.round = block.round;
  if (commit) {
    li.commit_block = commit->id;
    li.commit_height = commit->height;
  }
  li.consensus_data_hash = qc.vote_data.hash();
  std::vector<chain::IndexedSignature> sigs;
  for (std::size_t i = 0; i < set.validators.size(); ++i) {
    sigs.emplace_back(i, validator_key(first + static_cast<int>(i)).sign(li.signing_hash().view()));
  }
  auto cert = chain::build_quorum_certificate(li, set, sigs);
  BAUHINIA_ASSERT_MSG(cert.has_value(), "build a quorum certificate");
  qc.certificate = std::move(cert).value();
  return qc;
}

// The commit certificate of `block`: a QC on a child one round later.
consensus::QuorumCert commit_qc_of(const chain::BlockHeader& block, const chain::ValidatorSet& set,
                                   int first) {
  chain::BlockHeader child;
  child.epoch = block.epoch;
  child.height = block.height + 1;
  child.round = block.round + 1;
  child.parent_hash = block.id();
  child.timestamp_ms = block.timestamp_ms + 1;
  return qc_on(child, block.round, set, first, consensus::BlockRef{block.id(), block.height});
}

// A node's ledger and consensus records, committed to as the runtime does.
struct Node {
  contracts::accounts::AccountsModule accounts;
  GovernedSetWriter system;
  contracts::Executor executor;
  std::unique_ptr<ledger::LedgerStore> ledger;
  std::unique_ptr<node::ConsensusStore> records;
  std::unique_ptr<execution::Pipeline> pipeline;

  explicit Node(std::unique_ptr<ledger::KvStore> kv) {
    executor.add_module(accounts);
    executor.add_module(system);
    ledger::GenesisSpec spec;
    spec.chain_id = kChain;
    spec.validators = set_of(0, 0);
    spec.timestamp_ms = kGenesisMs;
    auto s = ledger::LedgerStore::open(std::move(kv), spec);
    BAUHINIA_ASSERT_MSG(s.has_value(), "open ledger");
    ledger = std::move(s).value();
    records = node::ConsensusStore::over(std::make_unique<ledger::MemoryKvStore>());
    records->read_committed_from(ledger->kv());
    pipeline = std::make_unique<execution::Pipeline>(*ledger, executor);
  }

  execution::BuiltProposal build(const chain::BlockHeader& parent, std::uint64_t epoch,
                                 std::uint64_t round,
                                 const std::vector<chain::IdentifiedTransaction>& txs) {
    execution::BlockTemplate t;
    t.epoch = epoch;
    t.round = round;
    t.timestamp_ms = parent.timestamp_ms + 1000;
    t.proposer = validator_key(1).public_key();
    auto r = pipeline->build(parent, t, txs);
    BAUHINIA_ASSERT_MSG(r && *r, "build a block");
    BAUHINIA_ASSERT_MSG(r->value().included.size() == txs.size(), "every transaction included");
    return std::move(*r).value();
  }

  void commit(const std::vector<node::SyncedBlock>& blocks, const consensus::QuorumCert& cqc) {
    std::vector<execution::BlockToCommit> commits;
    ledger::WriteBatch host;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      node::CommittedQcs qcs{blocks[i].qc,
                             i + 1 == blocks.size() ? std::optional{cqc} : std::nullopt};
      node::ConsensusStore::add_committed(host, blocks[i].header.height, qcs);
      commits.push_back({blocks[i].header, blocks[i].payload});
    }
    auto v = pipeline->commit(commits, cqc.certificate, &host);
    BAUHINIA_ASSERT_MSG(v && *v, "commit blocks");
  }
};

struct World {
  fs::path dir;
  std::unique_ptr<Node> source;
  std::vector<node::SyncedBlock> blocks;                      // index h - 1
  std::map<std::uint64_t, consensus::QuorumCert> commit_qcs;  // by height
  std::vector<std::unique_ptr<Node>> followers;               // kFollowerHeights
  node::SyncedBlock suffix;  // a reconfiguration suffix block after b3 (epoch 0)

  World() {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    dir = base / ("bauhinia-fuzz-sync-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto kv = ledger::LevelDbKvStore::open((dir / "ledger").string());
    BAUHINIA_ASSERT_MSG(kv.has_value(), "open LevelDB");
    source = std::make_unique<Node>(std::move(kv).value());

    const chain::ValidatorSet set0 = set_of(0, 0);
    const chain::ValidatorSet set1 = set_of(1, 1);
    const chain::BlockHeader genesis = source->ledger->latest_header();
    auto add = [&](const execution::BuiltProposal& b, consensus::Round parent_round,
                   const chain::ValidatorSet& set, int first, bool commits_parent) {
      std::optional<consensus::BlockRef> commit;
      if (commits_parent)
        commit = consensus::BlockRef{blocks.back().header.id(), blocks.back().header.height};
      blocks.push_back({b.header, b.payload, qc_on(b.header, parent_round, set, first, commit)});
    };
    auto commit_run = [&](std::size_t from, const chain::ValidatorSet& set, int first) {
      const chain::BlockHeader& last = blocks.back().header;
      commit_qcs[last.height] = commit_qc_of(last, set, first);
      source->commit({blocks.begin() + static_cast<std::ptrdiff_t>(from), blocks.end()},
                     commit_qcs[last.height]);
    };
    // Epoch 0: b1 | b2 b3 (b3 ends the epoch).
    add(source->build(genesis, 0, 1, {ping(1, 0, "first"), ping(2, 0, "hello")}), 0, set0, 0,
        false);
    commit_run(0, set0, 0);
    add(source->build(blocks.back().header, 0, 2, {ping(1, 1, "second")}), 1, set0, 0, false);
    add(source->build(blocks.back().header, 0, 3, {govern(set1)}), 2, set0, 0, true);
    BAUHINIA_ASSERT(blocks.back().header.ends_epoch());
    commit_run(1, set0, 0);
    // Epoch 1: b4 b5 | b6.
    add(source->build(blocks.back().header, 1, 1, {ping(3, 0, "new epoch")}), 0, set1, 1, false);
    add(source->build(blocks.back().header, 1, 2, {}), 1, set1, 1, true);
    commit_run(3, set1, 1);
    add(source->build(blocks.back().header, 1, 3, {ping(1, 2, "third"), ping(2, 1, "again")}), 2,
        set1, 1, false);
    commit_run(5, set1, 1);
    BAUHINIA_ASSERT(source->ledger->latest_height() == 6);
    // A reconfiguration suffix after b3 (an empty block of epoch 0, as
    // consensus runs them until the epoch's end commits), built by a node
    // at b3, with a QC of the old set that commits b3.
    {
      Node at3(std::make_unique<ledger::MemoryKvStore>());
      grow(at3, kEpochEnd);
      const chain::BlockHeader& b3 = blocks[kEpochEnd - 1].header;
      const execution::BuiltProposal s = at3.build(b3, 0, b3.round + 1, {});
      BAUHINIA_ASSERT(s.header.epoch == 0 && s.header.height == kEpochEnd + 1 &&
                      !s.header.ends_epoch());
      suffix = {s.header, s.payload,
                qc_on(s.header, b3.round, set0, 0, consensus::BlockRef{b3.id(), b3.height})};
    }

    for (std::uint64_t h : kFollowerHeights) {
      auto f = std::make_unique<Node>(std::make_unique<ledger::MemoryKvStore>());
      grow(*f, h);
      followers.push_back(std::move(f));
      // The same follower on LevelDB, closed: copied for each follower that
      // applies responses (Applier).
      auto tkv = ledger::LevelDbKvStore::open(template_dir(h).string());
      BAUHINIA_ASSERT_MSG(tkv.has_value(), "open a template LevelDB");
      {
        Node t(std::move(tkv).value());
        grow(t, h);
      }
      // Opened once more, so that its log is a table (each copy's open then
      // has no log to turn into one).
      BAUHINIA_ASSERT(ledger::LevelDbKvStore::open(template_dir(h).string()).has_value());
    }
  }

  // Commits the source's blocks onto `f` (at genesis) up to height h, one
  // commit per commit point, as the chain was committed.
  void grow(Node& f, std::uint64_t h) const {
    std::size_t from = 0;
    for (std::uint64_t c : kCommitPoints) {
      if (c > h) break;
      f.commit({blocks.begin() + static_cast<std::ptrdiff_t>(from),
                blocks.begin() + static_cast<std::ptrdiff_t>(c)},
               commit_qcs.at(c));
      from = c;
    }
    BAUHINIA_ASSERT(f.ledger->latest_height() == h);
  }
  fs::path template_dir(std::uint64_t h) const { return dir / ("template-" + std::to_string(h)); }
  ~World() {
    followers.clear();
    source.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  std::uint64_t latest() const { return blocks.size(); }
};

const fs::path* g_world_dir = nullptr;  // removed at exit (the world itself is never destroyed)

World& world() {
  static World* w = [] {
    World* made = new World();  // lives for the process (libFuzzer exits without unwinding)
    g_world_dir = new fs::path(made->dir);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(*g_world_dir, ec);
    });
    return made;
  }();
  return *w;
}

bool is_commit_point(std::uint64_t h) {
  for (std::uint64_t c : kCommitPoints)
    if (c == h) return true;
  return false;
}

std::size_t tagged_size(const node::LedgerSyncResponse& r) {
  return 1 + core::encode(r).size();
}

// The response of the source's own blocks after `after` up to `last`.
node::LedgerSyncResponse genuine(std::uint64_t after, std::uint64_t last) {
  const World& w = world();
  node::LedgerSyncResponse r;
  for (std::uint64_t h = after + 1; h <= last; ++h) r.blocks.push_back(w.blocks[h - 1]);
  if (!r.blocks.empty()) r.commit_qc = w.commit_qcs.at(last);
  return r;
}

// Everything a response must be, for a request (after, max_blocks) under a
// budget of `budget` bytes (sync_server.hpp).
void check_response(const node::LedgerSyncResponse& r, const node::LedgerSyncRequest& req,
                    std::size_t budget) {
  const World& w = world();
  const std::uint64_t max = std::min(req.max_blocks, node::kMaxSyncBlocksPerResponse);
  const std::uint64_t n = r.blocks.size();
  BAUHINIA_ASSERT_MSG(n <= max, "more blocks than asked for");
  if (n == 0) {
    BAUHINIA_ASSERT_MSG(!r.commit_qc, "a commit certificate without blocks");
  } else {
    BAUHINIA_ASSERT_MSG(req.after_height < w.latest() && req.after_height + n <= w.latest(),
                        "blocks beyond the ledger");
    const std::uint64_t last = req.after_height + n;
    BAUHINIA_ASSERT_MSG(is_commit_point(last), "a response that does not end at a commit");
    const node::LedgerSyncResponse g = genuine(req.after_height, last);
    for (std::uint64_t i = 0; i < n; ++i) {
      const node::SyncedBlock& b = r.blocks[i];
      const node::SyncedBlock& t = g.blocks[i];
      BAUHINIA_ASSERT_MSG(b.header == t.header && b.payload == t.payload && b.qc == t.qc,
                          "a served block that is not the ledger's");
      BAUHINIA_ASSERT_MSG(i + 1 == n || !b.header.ends_epoch(),
                          "a response that runs across an epoch end");
    }
    BAUHINIA_ASSERT_MSG(r.commit_qc && *r.commit_qc == *g.commit_qc,
                        "not the stored commit certificate of the last block");
    // Beyond its first run, a response fits the budget.
    bool several_runs = false;
    for (std::uint64_t h = req.after_height + 1; h < last; ++h) several_runs |= is_commit_point(h);
    if (several_runs) {
      BAUHINIA_ASSERT_MSG(tagged_size(r) <= budget, "a response of several runs over the budget");
    }
  }
  // Not cut short: the next run would have passed max_blocks, the epoch end
  // or (when there is a run already) the budget.
  const std::uint64_t end = req.after_height + n;
  if (req.after_height >= w.latest() || end >= w.latest()) return;
  if (n > 0 && r.blocks.back().header.ends_epoch()) return;
  std::uint64_t next = end + 1;
  while (!is_commit_point(next)) ++next;  // the last block is one
  if (next - req.after_height > max) return;
  BAUHINIA_ASSERT_MSG(n > 0, "an empty response although a run fits");
  const node::LedgerSyncResponse longer = genuine(req.after_height, next);
  BAUHINIA_ASSERT_MSG(tagged_size(longer) + 16 > budget, "a response cut short");
}

// The node's reading of a sync frame (Runtime::on_sync_frame): kind, then body.
std::optional<node::LedgerSyncRequest> read_request(const core::Bytes& frame) {
  if (frame.empty() || frame[0] != static_cast<std::uint8_t>(node::SyncKind::kRequest)) {
    return std::nullopt;
  }
  auto req = core::decode<node::LedgerSyncRequest>(core::ByteView(frame).subspan(1));
  if (!req) return std::nullopt;
  return *req;
}

core::Bytes tagged_request(const node::LedgerSyncRequest& req) {
  core::Bytes out{static_cast<std::uint8_t>(node::SyncKind::kRequest)};
  const core::Bytes body = core::encode(req);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

// ---- the serving side ----------------------------------------------------------

node::PeerKey peer_key(std::size_t i) {
  return validator_key(10 + static_cast<int>(i)).public_key();
}

void serve(FuzzInput& in) {
  node::SyncServerConfig config;
  switch (in.byte() % 4) {
    case 0: break;  // the node's default: 16 MiB
    case 1: config.max_response_bytes = 64 + in.u16(); break;
    case 2: config.max_response_bytes = 1 + in.byte() * 64; break;
    default: config.max_response_bytes = 512 + in.byte() * 16; break;
  }
  config.max_queued = 1 + in.byte() % 8;
  config.max_queued_per_peer = 1 + in.byte() % 3;
  std::array<std::size_t, 3> backlog{};
  for (auto& b : backlog) {
    const std::uint8_t c = in.byte() % 4;
    b = c == 0 ? config.max_response_bytes : c == 1 ? config.max_response_bytes - 1 : 0;
  }
  std::vector<network::SendResult> results;
  for (std::size_t i = 0, n = in.byte() % 8; i < n; ++i) {
    const std::uint8_t c = in.byte() % 4;
    results.push_back(c == 0   ? network::SendResult::kTooLarge
                      : c == 1 ? network::SendResult::kQueueFull
                      : c == 2 ? network::SendResult::kNotConnected
                               : network::SendResult::kQueued);
  }

  struct Sent {
    node::PeerKey peer;
    core::Bytes bytes;
    network::SendResult result;
  };
  std::mutex mutex;
  std::vector<Sent> sent;
  auto send = [&](const node::PeerKey& peer, core::Bytes bytes) {
    std::lock_guard lock(mutex);
    const network::SendResult r =
        results.empty() ? network::SendResult::kQueued : results[sent.size() % results.size()];
    sent.push_back({peer, std::move(bytes), r});
    return r;
  };
  auto backlog_of = [&](const node::PeerKey& peer) {
    for (std::size_t i = 0; i < backlog.size(); ++i)
      if (peer == peer_key(i)) return backlog[i];
    return std::size_t{0};
  };

  const World& w = world();
  node::SyncServer server(config, *w.source->ledger, *w.source->records, send, backlog_of);
  struct Offered {
    std::size_t peer;
    node::LedgerSyncRequest req;
  };
  std::vector<Offered> queued;
  std::map<std::size_t, std::size_t> per_peer;
  std::uint64_t refused = 0;
  for (std::size_t i = 0, n = 1 + in.byte() % 6; i < n; ++i) {
    const std::size_t peer = in.byte() % 3;
    node::LedgerSyncRequest req;
    core::Bytes frame;
    switch (in.byte() % 4) {
      case 0:
      case 1:
        req.after_height = in.byte() % 9;
        req.max_blocks = in.byte() % 8;
        if (req.max_blocks == 7) req.max_blocks = node::kMaxSyncBlocksPerResponse;
        frame = tagged_request(req);
        break;
      case 2:
        req.after_height = in.u64();
        req.max_blocks = in.u32();
        frame = bauhinia::fuzz::xor_edits(tagged_request(req), in.bytes(12));
        break;
      default: frame = in.bytes(32); break;
    }
    auto read = read_request(frame);
    if (!read) continue;  // the runtime penalises the peer; nothing is offered
    const bool fits =
        queued.size() < config.max_queued && per_peer[peer] < config.max_queued_per_peer;
    const node::SyncServer::Offer o = server.offer(peer_key(peer), *read);
    BAUHINIA_ASSERT_MSG((o == node::SyncServer::Offer::kQueued) == fits,
                        "an offer queued or refused against the queue's bounds");
    if (fits) {
      queued.push_back({peer, *read});
      ++per_peer[peer];
    } else {
      ++refused;
    }
  }
  server.start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    const node::SyncServer::Stats s = server.stats();
    if (s.served + s.send_failed + s.backlogged == queued.size()) break;
    BAUHINIA_ASSERT_MSG(std::chrono::steady_clock::now() < deadline,
                        "the sync server did not answer its queued requests");
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  server.stop();
  const node::SyncServer::Stats stats = server.stats();

  // Replays the server's sends against the requests, in queue order.
  std::size_t k = 0;
  node::SyncServer::Stats expect;
  expect.queue_full = refused;
  for (const Offered& o : queued) {
    if (backlog[o.peer] >= config.max_response_bytes) {
      ++expect.backlogged;
      continue;
    }
    std::size_t budget = config.max_response_bytes;
    for (;;) {
      BAUHINIA_ASSERT_MSG(k < sent.size(), "a queued request without an answer");
      const Sent& s = sent[k++];
      BAUHINIA_ASSERT_MSG(s.peer == peer_key(o.peer), "an answer to another peer");
      BAUHINIA_ASSERT_MSG(
          !s.bytes.empty() && s.bytes[0] == static_cast<std::uint8_t>(node::SyncKind::kResponse),
          "an answer not tagged as a response");
      const core::ByteView body = core::ByteView(s.bytes).subspan(1);
      auto resp = core::decode<node::LedgerSyncResponse>(body);
      BAUHINIA_ASSERT_MSG(resp.has_value(), "an answer that does not decode");
      BAUHINIA_ASSERT_MSG(core::encode(*resp) == core::Bytes(body.begin(), body.end()),
                          "an answer that is not canonical");
      check_response(*resp, o.req, budget);
      // The requester's check accepts it, when a follower is at its height.
      if (!resp->blocks.empty()) {
        for (std::size_t f = 0; f < std::size(kFollowerHeights); ++f) {
          if (kFollowerHeights[f] != o.req.after_height) continue;
          const core::Verdict v = node::verify_sync_response(*w.followers[f]->ledger, *resp);
          BAUHINIA_ASSERT_MSG(v.ok(), "a follower refuses a genuine response");
        }
      }
      if (s.result == network::SendResult::kQueued) {
        ++expect.served;
        break;
      }
      if (s.result == network::SendResult::kTooLarge && resp->blocks.size() > 1 && budget > 1024) {
        budget /= 2;
        continue;
      }
      ++expect.send_failed;
      break;
    }
  }
  BAUHINIA_ASSERT_MSG(k == sent.size(), "answers nobody asked for");
  BAUHINIA_ASSERT_MSG(stats.served == expect.served && stats.send_failed == expect.send_failed &&
                          stats.backlogged == expect.backlogged &&
                          stats.queue_full == expect.queue_full,
                      "the server's counters disagree with what it did");
}

// ---- the requesting side -------------------------------------------------------

const consensus::QuorumCert& some_qc(FuzzInput& in) {
  const World& w = world();
  const std::size_t i = in.below(w.blocks.size() + w.commit_qcs.size());
  if (i < w.blocks.size()) return w.blocks[i].qc;
  auto it = w.commit_qcs.begin();
  std::advance(it, static_cast<std::ptrdiff_t>(i - w.blocks.size()));
  return it->second;
}

void tamper(FuzzInput& in, node::LedgerSyncResponse& r) {
  const World& w = world();
  const std::size_t n = r.blocks.size();
  auto pick = [&]() -> node::SyncedBlock& { return r.blocks[in.below(n)]; };
  switch (in.byte() % 12) {
    case 0: break;  // genuine
    case 1:
      if (n > 0) r.blocks.erase(r.blocks.begin() + static_cast<std::ptrdiff_t>(in.below(n)));
      break;
    case 2:
      if (n > 1) std::swap(pick(), pick());
      break;
    case 3: r.blocks.push_back(w.blocks[in.below(w.blocks.size())]); break;
    case 4:
      if (n > 0) pick() = w.blocks[in.below(w.blocks.size())];
      break;
    case 5:
      if (n > 0) pick().qc = some_qc(in);
      break;
    case 6:
      if (in.flag()) {
        r.commit_qc = some_qc(in);
      } else {
        r.commit_qc.reset();
      }
      break;
    case 7:
      if (n > 0) pick().payload = w.blocks[in.below(w.blocks.size())].payload;
      break;
    case 8: {  // a signature dropped, repeated or replaced
      const bool block_qc = n > 0 && (in.flag() || !r.commit_qc);
      if (!block_qc && !r.commit_qc) break;
      consensus::QuorumCert& qc = block_qc ? pick().qc : *r.commit_qc;
      auto& sigs = qc.certificate.signatures;
      if (sigs.empty()) break;
      const std::size_t i = in.below(sigs.size());
      switch (in.byte() % 3) {
        case 0: sigs.erase(sigs.begin() + static_cast<std::ptrdiff_t>(i)); break;
        case 1: sigs[i] = sigs[in.below(sigs.size())]; break;
        default: sigs[i].bytes[in.below(sigs[i].bytes.size())] ^= 1 + in.byte() % 255; break;
      }
      if (in.flag() && !qc.certificate.signer_bitmap.empty())
        qc.certificate.signer_bitmap[0] ^= in.byte();
      break;
    }
    case 9: {  // a header field changed
      if (n == 0) break;
      chain::BlockHeader& h = pick().header;
      switch (in.byte() % 6) {
        case 0: h.round += 1 + in.byte(); break;
        case 1: h.timestamp_ms ^= in.u64(); break;
        case 2: h.height += 1 + in.byte(); break;
        case 3: h.epoch ^= 1; break;
        case 4: h.state_root.bytes()[in.below(32)] ^= 1 + in.byte() % 255; break;
        default: h.transactions_root.bytes()[in.below(32)] ^= 1 + in.byte() % 255; break;
      }
      break;
    }
    case 10: {  // byte flips in the encoding
      const core::Bytes edited = bauhinia::fuzz::xor_edits(core::encode(r), in.bytes(24));
      auto d = core::decode<node::LedgerSyncResponse>(edited);
      if (d) r = std::move(d).value();
      break;
    }
    default:
      if (n > 0) pick().payload = in.bytes(300);
      break;
  }
}

// A certificate a follower accepted is signed by a quorum of its epoch's set,
// checked here signature by signature with the validators' keys (not by
// chain::verify_quorum, which is what is under test): one the source holds,
// or (tampered yet accepted) at least 3 of the 4 validators, each signature
// valid over its ledger info of this chain.
void check_signed(const consensus::QuorumCert& qc, std::uint64_t epoch) {
  const chain::QuorumCertificate& cert = qc.certificate;
  BAUHINIA_ASSERT_MSG(cert.ledger_info.epoch == epoch && cert.ledger_info.chain_id == kChain,
                      "accepted a certificate of another epoch or chain");
  const int first = epoch == 0 ? 0 : 1;
  const std::vector<std::size_t> signers = cert.signer_indices();
  BAUHINIA_ASSERT_MSG(signers.size() == cert.signatures.size() && signers.size() >= 3,
                      "accepted a certificate without a quorum");
  const core::Hash256 hash = cert.ledger_info.signing_hash();
  for (std::size_t i = 0; i < signers.size(); ++i) {
    BAUHINIA_ASSERT_MSG(signers[i] < 4, "accepted a signer outside the set");
    BAUHINIA_ASSERT_MSG(
        core::ed25519::verify(validator_key(first + static_cast<int>(signers[i])).public_key(),
                              hash.view(), cert.signatures[i]),
        "accepted a certificate with a signature its validator did not make");
  }
}

// What a follower at `height` accepted (verify_sync_response, reached through
// apply_sync_response): exactly the source's headers and payloads from its
// next height on, each with a QC on it, with a commit certificate that
// commits the last block; every certificate signed by the epoch's quorum.
void check_accepted(std::uint64_t height, const node::LedgerSyncResponse& r) {
  const World& w = world();
  BAUHINIA_ASSERT_MSG(!r.blocks.empty() && r.commit_qc, "accepted without blocks or certificate");
  BAUHINIA_ASSERT_MSG(height + r.blocks.size() <= w.latest(), "accepted blocks nobody certified");
  for (std::size_t i = 0; i < r.blocks.size(); ++i) {
    const node::SyncedBlock& truth = w.blocks[height + i];
    BAUHINIA_ASSERT_MSG(r.blocks[i].header == truth.header, "accepted a header not certified");
    BAUHINIA_ASSERT_MSG(r.blocks[i].payload == truth.payload, "accepted a payload not its block's");
    BAUHINIA_ASSERT_MSG(r.blocks[i].qc.vote_data.block_id == truth.header.id(),
                        "accepted a QC on another block");
    if (!(r.blocks[i].qc == truth.qc)) check_signed(r.blocks[i].qc, truth.header.epoch);
  }
  const chain::LedgerInfo& li = r.commit_qc->certificate.ledger_info;
  BAUHINIA_ASSERT_MSG(li.commit_block == r.blocks.back().header.id() &&
                          li.commit_height == r.blocks.back().header.height,
                      "accepted a certificate that does not commit the last block");
  const auto stored = w.commit_qcs.find(r.blocks.back().header.height);
  if (stored == w.commit_qcs.end() || !(*r.commit_qc == stored->second)) {
    check_signed(*r.commit_qc, r.blocks.back().header.epoch);
  }
}

// ---- applying: what the node runs after the check ------------------------------

// A follower's LevelDB store, counting the writes that reach it (every call
// goes to LevelDB unchanged): whatever did not commit wrote nothing at all,
// and a commit is one synced write.
class CountingKvStore final : public ledger::KvStore {
 public:
  explicit CountingKvStore(std::unique_ptr<ledger::KvStore> target) : target_(std::move(target)) {}

  core::Result<std::optional<core::Bytes>> get(ledger::Column c,
                                               core::ByteView key) const override {
    return target_->get(c, key);
  }
  core::Status scan(ledger::Column c, core::ByteView prefix, std::size_t limit,
                    const std::function<bool(core::ByteView, core::ByteView)>& fn) const override {
    return target_->scan(c, prefix, limit, fn);
  }
  core::Status scan_from(
      ledger::Column c, core::ByteView prefix, core::ByteView start, std::size_t limit,
      const std::function<bool(core::ByteView, core::ByteView)>& fn) const override {
    return target_->scan_from(c, prefix, start, limit, fn);
  }
  core::Result<std::optional<std::pair<core::Bytes, core::Bytes>>> floor(
      ledger::Column c, core::ByteView prefix, core::ByteView upper) const override {
    return target_->floor(c, prefix, upper);
  }
  core::Status write(const ledger::WriteBatch& batch, bool sync) override {
    count(sync);
    return target_->write(batch, sync);
  }
  core::Status write_all(std::span<const ledger::WriteBatch* const> batches, bool sync) override {
    count(sync);
    return target_->write_all(batches, sync);
  }

  std::uint64_t writes() const { return writes_.load(); }
  std::uint64_t synced() const { return synced_.load(); }

 private:
  void count(bool sync) {
    ++writes_;
    if (sync) ++synced_;
  }
  std::unique_ptr<ledger::KvStore> target_;
  std::atomic<std::uint64_t> writes_{0};
  std::atomic<std::uint64_t> synced_{0};
};

// Followers on LevelDB (copies of the World's closed templates) at each
// follower height, through which responses are applied with
// apply_sync_response (node/sync_apply.hpp, what Runtime::apply_sync runs). A
// follower that a response left unchanged (asserted: no write reached it,
// CountingKvStore, and its pipeline kept no executed block) is kept, with its
// pipeline, for the next input; only the pipeline's caches of committed state
// may be warmer. One that committed is closed and removed, and the next input
// gets a fresh copy.
struct Applier {
  std::array<std::unique_ptr<Node>, std::size(kFollowerHeights)> pool;
  std::array<const CountingKvStore*, std::size(kFollowerHeights)> stores{};
  std::uint64_t copies = 0;
  std::map<node::SyncApplyOutcome, std::uint64_t> outcomes;

  fs::path dir_of(std::size_t f) const {
    return world().dir / ("apply-" + std::to_string(kFollowerHeights[f]));
  }
  Node& at(std::size_t f) {
    if (pool[f]) return *pool[f];
    const fs::path d = dir_of(f);
    // libFuzzer's -timeout alarm (SIGALRM each second) can interrupt the
    // kernel's copy (EINTR): the copy starts again from scratch.
    for (int attempt = 0;; ++attempt) {
      fs::remove_all(d);
      std::error_code ec;
      fs::copy(world().template_dir(kFollowerHeights[f]), d, fs::copy_options::recursive, ec);
      if (!ec) break;
      BAUHINIA_ASSERT_MSG(ec == std::errc::interrupted && attempt < 100,
                          "copy a follower's LevelDB template");
    }
    auto kv = ledger::LevelDbKvStore::open(d.string());
    BAUHINIA_ASSERT_MSG(kv.has_value(), "open a follower's LevelDB copy");
    auto counting = std::make_unique<CountingKvStore>(std::move(kv).value());
    stores[f] = counting.get();
    pool[f] = std::make_unique<Node>(std::move(counting));
    ++copies;
    BAUHINIA_ASSERT(pool[f]->ledger->latest_height() == kFollowerHeights[f]);
    return *pool[f];
  }
  void spend(std::size_t f) {
    pool[f].reset();
    stores[f] = nullptr;
    std::error_code ec;
    fs::remove_all(dir_of(f), ec);
  }
};

// BAUHINIA_FUZZ_SYNC_STATS=1 prints, at exit, how often each outcome of
// applying was reached and how many LevelDB copies were opened.
Applier& applier() {
  static Applier* a = [] {
    auto* made = new Applier();  // lives for the process, as the world
    if (std::getenv("BAUHINIA_FUZZ_SYNC_STATS")) {
      std::atexit([] {
        const Applier& p = applier();
        for (const auto& [outcome, n] : p.outcomes) {
          std::fprintf(stderr, "sync apply %s: %llu\n",
                       std::string(node::sync_apply_outcome_name(outcome)).c_str(),
                       static_cast<unsigned long long>(n));
        }
        std::fprintf(stderr, "sync apply LevelDB copies: %llu\n",
                     static_cast<unsigned long long>(p.copies));
      });
    }
    return made;
  }();
  return *a;
}

// The follower at kFollowerHeights[f] after it committed `r` is the source
// at that height: the same headers, state roots, accumulator, transactions and
// validator set, with r's QCs as its consensus records and r's certificate.
void check_committed(const Node& a, std::uint64_t height, const node::LedgerSyncResponse& r) {
  const World& w = world();
  const ledger::LedgerStore& src = *w.source->ledger;
  const ledger::LedgerStore& got = *a.ledger;
  const std::uint64_t top = height + r.blocks.size();
  BAUHINIA_ASSERT_MSG(got.latest_height() == top, "a committed sync at the wrong height");
  BAUHINIA_ASSERT_MSG(got.latest_header() == w.blocks[top - 1].header,
                      "a committed sync whose head is not the source's");
  for (std::uint64_t h = height + 1; h <= top; ++h) {
    auto header = got.header(h);
    BAUHINIA_ASSERT_MSG(header && *header == w.blocks[h - 1].header, "a block not the source's");
    auto root = got.state_root(h);
    auto src_root = src.state_root(h);
    BAUHINIA_ASSERT_MSG(root && src_root && *root == *src_root && *root == header->state_root,
                        "a state root not the source's");
    auto txs = got.block_transactions(h);
    auto src_txs = src.block_transactions(h);
    BAUHINIA_ASSERT(txs && src_txs && txs->size() == src_txs->size());
    for (std::size_t i = 0; i < txs->size(); ++i) {
      BAUHINIA_ASSERT_MSG((*txs)[i].transaction == (*src_txs)[i].transaction &&
                              (*txs)[i].index == (*src_txs)[i].index,
                          "a transaction not the source's");
    }
    auto records = a.records->committed(h);
    BAUHINIA_ASSERT_MSG(records.has_value(), "a synced block without its consensus record");
    const std::size_t i = h - height - 1;
    BAUHINIA_ASSERT_MSG(records->qc == r.blocks[i].qc, "a record not the block's QC");
    BAUHINIA_ASSERT_MSG(h == top ? records->commit_qc == r.commit_qc : !records->commit_qc,
                        "a commit certificate recorded at the wrong block");
  }
  const chain::BlockHeader& head = w.blocks[top - 1].header;
  auto acc = got.accumulator_root(head.accumulator_size);
  auto src_acc = src.accumulator_root(head.accumulator_size);
  BAUHINIA_ASSERT_MSG(acc && src_acc && *acc == *src_acc && *acc == head.accumulator_root,
                      "an accumulator root not the source's");
  auto cert = got.certificate(top);
  BAUHINIA_ASSERT_MSG(cert && *cert == r.commit_qc->certificate, "not the response's certificate");
  BAUHINIA_ASSERT_MSG(
      got.current_validator_set() == (top >= kEpochEnd ? set_of(1, 1) : set_of(0, 0)),
      "the wrong validator set after a synced epoch end");
  BAUHINIA_ASSERT_MSG(got.verify_latest().is_ok(), "a synced ledger fails its own check");
  // The runtime's next step (Runtime::recovery, then LedgerSynced).
  auto rec = node::recovery_from_ledger(got, *a.records);
  BAUHINIA_ASSERT_MSG(rec.has_value(), "no recovery from a synced ledger");
  BAUHINIA_ASSERT(rec->root == head);
}

// What applying a response must come to (apply_and_check).
enum class Expect : std::uint8_t {
  kAny,      // from the fuzzer: committed exactly when it is the source's blocks, certified
  kCommit,   // a genuine response for this height
  kForged,   // certified by the epoch's quorum, one header wrong: never committed
  kRefused,  // certified only where the check must refuse it
};

// Applies `r` through apply_sync_response (node/sync_apply.hpp, what
// Runtime::apply_sync runs: the stale check, verify_sync_response, the
// re-execution and the atomic commit) on the LevelDB follower at
// kFollowerHeights[f]. Exact: a response the check accepts holds the
// source's blocks (check_accepted) and commits, leaving the follower equal
// to the source (check_committed), in one synced write; or, forged with the
// epoch's keys, it fails re-execution. Whatever did not commit wrote nothing
// and left no executed block behind in the pipeline; a stale response is
// one the check refuses too.
void apply_and_check(std::size_t f, const node::LedgerSyncResponse& r, Expect expect) {
  const std::uint64_t height = kFollowerHeights[f];
  Node& a = applier().at(f);
  const CountingKvStore& store = *applier().stores[f];
  const std::uint64_t writes = store.writes();
  const std::uint64_t synced = store.synced();
  const chain::BlockHeader head = a.ledger->latest_header();
  const node::SyncApplyResult res = node::apply_sync_response(*a.pipeline, r);
  ++applier().outcomes[res.outcome];
  const bool accepted = res.outcome == node::SyncApplyOutcome::kCommitted ||
                        res.outcome == node::SyncApplyOutcome::kDisagrees;
  if (expect == Expect::kCommit) {
    BAUHINIA_ASSERT_MSG(res.outcome == node::SyncApplyOutcome::kCommitted,
                        "a follower does not commit a genuine response");
  }
  if (expect == Expect::kRefused) {
    BAUHINIA_ASSERT_MSG(
        !accepted, "a follower accepts a run it must refuse (wrong keys, across the epoch end)");
  }
  if (accepted && expect != Expect::kForged) check_accepted(height, r);
  if (res.outcome == node::SyncApplyOutcome::kCommitted) {
    BAUHINIA_ASSERT_MSG(expect != Expect::kForged, "committed a forged run");
    BAUHINIA_ASSERT(res.blocks.size() == r.blocks.size());
    BAUHINIA_ASSERT_MSG(store.writes() == writes + 1 && store.synced() == synced + 1,
                        "a sync committed in other than one synced write");
    check_committed(a, height, r);
    applier().spend(f);
    return;
  }
  BAUHINIA_ASSERT(res.blocks.empty());
  BAUHINIA_ASSERT_MSG(store.writes() == writes, "a sync that did not commit wrote to the ledger");
  BAUHINIA_ASSERT_MSG(a.ledger->latest_height() == height && a.ledger->latest_header() == head,
                      "a sync that did not commit changed the ledger's head");
  auto root = a.ledger->state_root(height);
  BAUHINIA_ASSERT_MSG(root && *root == head.state_root,
                      "a sync that did not commit changed the state");
  BAUHINIA_ASSERT_MSG(a.pipeline->speculative_blocks() == 0,
                      "a sync that did not commit left executed blocks behind");
  switch (res.outcome) {
    case node::SyncApplyOutcome::kEmpty:
      BAUHINIA_ASSERT_MSG(r.blocks.empty() || !r.commit_qc, "a response ignored as empty");
      break;
    case node::SyncApplyOutcome::kStale: {
      const core::Verdict v = node::verify_sync_response(*world().followers[f]->ledger, r);
      BAUHINIA_ASSERT_MSG(!v.ok(), "the check accepts a response that does not extend the ledger");
      break;
    }
    case node::SyncApplyOutcome::kRefused:
      BAUHINIA_ASSERT_MSG(!res.reason.empty(), "refused without a reason");
      break;
    case node::SyncApplyOutcome::kDisagrees:
      BAUHINIA_ASSERT_MSG(expect == Expect::kForged && !res.reason.empty(),
                          "a certified run of the source's own blocks fails re-execution");
      break;
    default: BAUHINIA_ASSERT_MSG(false, "a storage error on a healthy LevelDB");
  }
}

void request(FuzzInput& in) {
  const std::size_t f = in.below(std::size(kFollowerHeights));
  const std::uint64_t after = kFollowerHeights[f];
  node::LedgerSyncRequest req{after, static_cast<std::uint32_t>(1 + in.byte() % 8)};
  const std::size_t budget = in.flag() ? node::kMaxSyncResponseBytes : 256 + in.u16();
  node::LedgerSyncResponse r = node::build_ledger_sync_response(
      *world().source->ledger, *world().source->records, req, budget);
  check_response(r, req, budget);
  const bool genuine_nonempty = !r.blocks.empty();
  for (std::size_t i = 0, n = 1 + in.byte() % 3; i < n; ++i) tamper(in, r);
  const core::Bytes wire = core::encode(r);
  auto decoded = core::decode<node::LedgerSyncResponse>(wire);
  BAUHINIA_ASSERT_MSG(decoded.has_value(), "a response does not decode");
  const core::Bytes untouched = core::encode(node::build_ledger_sync_response(
      *world().source->ledger, *world().source->records, req, budget));
  apply_and_check(f, *decoded,
                  genuine_nonempty && wire == untouched ? Expect::kCommit : Expect::kAny);
}

void raw_response(FuzzInput& in) {
  const std::size_t f = in.below(std::size(kFollowerHeights));
  const core::Bytes bytes = in.bytes(4096);
  auto r = core::decode<node::LedgerSyncResponse>(bytes);
  if (!r) return;
  apply_and_check(f, *r, Expect::kAny);
}

struct Forged {
  node::LedgerSyncResponse response;
  bool changed = false;  // kind 4 changes nothing on a block that does not end its epoch
};

// The run after kFollowerHeights[f] up to `last` with block k forged by
// `kind` (below), signed again; built once per choice (signing is slow).
const Forged& forged_run(std::size_t f, std::uint64_t last, std::size_t k, std::uint8_t kind) {
  static std::map<std::tuple<std::size_t, std::uint64_t, std::size_t, std::uint8_t>, Forged> made;
  const auto key = std::make_tuple(f, last, k, kind);
  if (auto it = made.find(key); it != made.end()) return it->second;
  node::LedgerSyncResponse r = genuine(kFollowerHeights[f], last);
  if (kind == 6) {  // on across the epoch end: the old set's suffix block, committed by it
    r.blocks.push_back(world().suffix);
    r.commit_qc = commit_qc_of(world().suffix.header, set_of(0, 0), 0);
    return made[key] = Forged{std::move(r), true};
  }
  chain::BlockHeader& h = r.blocks[k].header;
  const chain::BlockHeader original = h;
  switch (kind) {
    case 0: h.state_root.bytes()[7] ^= 0x10; break;
    case 1: h.accumulator_root.bytes()[0] ^= 0x01; break;
    case 2: h.accumulator_size += 1; break;
    case 3: h.next_validator_set_hash.bytes()[31] ^= 0x80; break;
    case 4: h.next_validator_set_hash = h.validator_set_hash; break;  // an end not marked
    default: break;  // unchanged, signed by the other epoch's validators
  }
  const bool changed = !(h == original);
  // The epoch's own validators sign (the keys of set_of(epoch, first)), or
  // with kind 5 the other epoch's: across the epoch end, the old set.
  auto first_of = [&](std::uint64_t epoch) { return (epoch == 0) == (kind != 5) ? 0 : 1; };
  for (std::size_t i = k; i < r.blocks.size(); ++i) {
    chain::BlockHeader& b = r.blocks[i].header;
    const chain::LedgerInfo li = r.blocks[i].qc.certificate.ledger_info;
    std::optional<consensus::BlockRef> commit;
    if (li.commits()) commit = consensus::BlockRef{li.commit_block, li.commit_height};
    if (i > k) {
      b.parent_hash = r.blocks[i - 1].header.id();
      if (commit && commit->height + 1 == b.height) commit->id = b.parent_hash;
    }
    const int first = first_of(b.epoch);
    r.blocks[i].qc =
        qc_on(b, r.blocks[i].qc.vote_data.parent_round, set_of(b.epoch, first), first, commit);
  }
  const chain::BlockHeader& end = r.blocks.back().header;
  const int first = first_of(end.epoch);
  r.commit_qc = commit_qc_of(end, set_of(end.epoch, first), first);
  return made[key] = Forged{std::move(r), changed};
}

// A run signed by the epoch's own quorum (a Byzantine quorum, or a follower
// whose execution differs) whose block k carries a state root, accumulator
// root or size, or next validator set this ledger's execution does not
// produce (kinds 0-4); the blocks after it are re-linked and every QC from k
// on signed again. The check accepts it where it is certified; applying it
// must fail re-execution and write nothing (no block of the run before k
// either). Kind 5 changes no header but signs from block k on with the other
// epoch's validators (after the epoch end, the old set); kind 6 runs on
// across the epoch end with a reconfiguration suffix block that the old set
// certified and committed: the check must refuse both.
void forged(FuzzInput& in) {
  const World& w = world();
  const std::size_t f = in.below(std::size(kFollowerHeights));
  std::uint64_t last = kFollowerHeights[f] + 1;
  while (!is_commit_point(last)) ++last;
  if (in.flag() && last != kEpochEnd && last < w.latest()) {
    ++last;
    while (!is_commit_point(last)) ++last;
  }
  std::size_t k = in.below(last - kFollowerHeights[f]);
  const std::uint8_t kind = in.byte() % 7;
  std::size_t from = f;
  if (kind == 6) {  // the runs that end at the epoch end: b1 b2 b3, or b2 b3
    from = f % 2;
    last = kEpochEnd;
    k = 0;
  }
  const Forged& run = forged_run(from, last, k, kind);
  // Mostly to the follower it extends; else to another (stale).
  const std::size_t to = in.byte() % 4 == 0 ? in.below(std::size(kFollowerHeights)) : from;
  apply_and_check(to, run.response,
                  kind >= 5     ? Expect::kRefused
                  : run.changed ? Expect::kForged
                                : Expect::kAny);
}

void past_epoch(FuzzInput& in) {
  const World& w = world();
  consensus::SyncRequest req;
  req.epoch = in.flag() ? in.u64() : in.byte() % 3;
  for (auto& b : req.block_id.bytes()) b = in.byte();
  req.max_blocks = in.u32();
  const consensus::Epoch current = in.byte() % 4;
  auto a = node::answer_past_epoch(*w.source->ledger, *w.source->records, req, current);
  const bool expected = req.epoch == 0 && current >= 1;  // epoch 0 ended at b3; epoch 1 did not
  BAUHINIA_ASSERT_MSG(a.has_value() == expected, "answered a past epoch wrongly");
  if (!a) return;
  BAUHINIA_ASSERT(a->epoch == req.epoch && a->block_id == req.block_id && a->blocks.empty());
  BAUHINIA_ASSERT_MSG(a->commit_cert && *a->commit_cert == w.commit_qcs.at(kEpochEnd),
                      "not the certificate that ended the epoch");
}

void write_seeds(const fs::path& out);

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)world();
  if (const char* out = std::getenv("BAUHINIA_FUZZ_WRITE_SEEDS")) {
    write_seeds(out);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  for (int ops = 0; ops < 8 && !in.empty(); ++ops) {
    // byte % 8 == 7: a forged certified run; else byte % 4 (as before it came).
    const std::uint8_t op = in.byte() % 8;
    switch (op == 7 ? 4 : op % 4) {
      case 0: serve(in); break;
      case 1: request(in); break;
      case 2: raw_response(in); break;
      case 3: past_epoch(in); break;
      default: forged(in); break;
    }
  }
  return 0;
}

namespace {

void write_seeds(const fs::path& out) {
  fs::create_directories(out);
  auto seed = [&](const std::string& name, const core::Bytes& program) {
    std::ofstream(out / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(program.data()),
               static_cast<std::streamsize>(program.size()));
  };
  // serve: config kind, queue bounds, backlogs, send results, requests.
  auto serve_program = [](std::uint8_t budget_kind, std::uint8_t budget,
                          std::vector<std::uint8_t> results,
                          std::vector<std::pair<std::uint8_t, std::uint8_t>> requests) {
    core::Bytes p{0, budget_kind};
    if (budget_kind == 2 || budget_kind == 3) p.push_back(budget);
    if (budget_kind == 1) p.insert(p.end(), {budget, 0});
    p.insert(p.end(), {7, 2, 2, 2, 2});  // 8 queued, 3 per peer, no backlog
    p.push_back(static_cast<std::uint8_t>(results.size()));
    p.insert(p.end(), results.begin(), results.end());
    p.push_back(static_cast<std::uint8_t>(requests.size() - 1));
    std::uint8_t peer = 0;
    for (auto [after, max] : requests) p.insert(p.end(), {peer++, 0, after, max});
    return p;
  };
  seed("serve-every-height",
       serve_program(0, 0, {}, {{0, 7}, {1, 7}, {3, 7}, {5, 7}, {2, 7}, {6, 7}}));
  seed("serve-small-budget", serve_program(2, 3, {}, {{3, 7}, {0, 1}, {1, 2}}));
  seed("serve-too-large", serve_program(3, 200, {0, 0, 3}, {{3, 7}, {0, 7}}));
  seed("serve-send-fails", serve_program(0, 0, {1, 2, 3}, {{0, 7}, {1, 7}, {3, 7}}));
  // A full per-peer queue, a backlogged peer, a mutated and a raw request.
  seed("serve-bounds", core::Bytes{0, 0, 1, 0, 0, 1, 0, 0, 3, 0, 0, 0,  0, 0, 0, 0, 3, 1, 0, 5,
                                   7, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 1, 3, 1, 0});
  // request: follower, max blocks, budget flag, tamper count, tamper kinds.
  for (std::uint8_t f = 0; f < 4; ++f) {
    seed("verify-genuine-" + std::to_string(f), core::Bytes{1, f, 7, 1, 0, 0});
    for (std::uint8_t kind = 1; kind < 12; ++kind) {
      seed("verify-tamper-" + std::to_string(f) + "-" + std::to_string(kind),
           core::Bytes{1, f, 7, 1, 0, kind, 1, 1, 0, 1, 2, 3, 4, 5, 6, 7});
    }
  }
  // raw responses: a genuine encoding for each follower.
  for (std::uint8_t f = 0; f < 4; ++f) {
    std::uint64_t last = kFollowerHeights[f] + 1;
    while (!is_commit_point(last)) ++last;
    const core::Bytes body = core::encode(genuine(kFollowerHeights[f], last));
    if (body.size() > 4096) continue;
    core::Bytes p{2, f, static_cast<std::uint8_t>(body.size() & 0xFF),
                  static_cast<std::uint8_t>(body.size() >> 8)};
    p.insert(p.end(), body.begin(), body.end());
    seed("raw-response-" + std::to_string(f), p);
  }
  // forged: follower, extend flag, block k, kind, its bytes, then 1 (to the
  // follower it extends) or 0 and another follower (stale).
  auto forged_program = [](std::uint8_t f, std::uint8_t extend, std::uint8_t k, std::uint8_t kind,
                           std::uint8_t to) {
    core::Bytes p{7, f, extend, k, kind};
    if (to == 0xFF) {
      p.push_back(1);
    } else {
      p.insert(p.end(), {0, to});
    }
    return p;
  };
  for (std::uint8_t f = 0; f < 4; ++f) {
    for (std::uint8_t kind = 0; kind < 7; ++kind) {
      seed("apply-forged-" + std::to_string(f) + "-" + std::to_string(kind),
           forged_program(f, 0, 0, kind, 0xFF));
    }
  }
  // Runs of several blocks, the forged one last (b3, the epoch end) or in
  // the middle (b5 of b4 b5 b6: b4 must not be written either).
  seed("apply-forged-epoch-end-hash", forged_program(0, 1, 2, 3, 0xFF));
  seed("apply-forged-epoch-end-unmarked", forged_program(1, 0, 1, 4, 0xFF));
  seed("apply-forged-middle", forged_program(2, 1, 1, 0, 0xFF));
  seed("apply-forged-stale", forged_program(2, 1, 1, 0, 1));
  seed("apply-old-keys-across-epoch-end", forged_program(2, 1, 0, 5, 0xFF));
  seed("apply-suffix-across-epoch-end", forged_program(0, 0, 0, 6, 0xFF));
  seed("past-epoch",
       core::Bytes{3,  0,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17,
                   18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 64, 0,  0,  0,  1});
}

}  // namespace
