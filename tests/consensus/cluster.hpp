#pragma once
// A small deterministic in-test cluster: n replicas with real signatures and
// the trivial Executor, messages passed through the wire encoding in logical
// time. It checks on every step that signed votes/timeouts are persisted
// before they are sent, that no validator signs two votes for one round, and
// that all committed chains agree.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "bauhinia/consensus/replica.hpp"
#include "test_support.hpp"

namespace bauhinia::consensus::testing {

template <class... F>
struct Visitor : F... {
  using F::operator()...;
};
template <class... F>
Visitor(F...) -> Visitor<F...>;

struct Node {
  std::optional<Replica> replica;
  bool crashed = false;
  SafetyState persisted;
  std::map<Hash256, SyncBlock> stored_blocks;
  std::map<Hash256, chain::BlockHeader> executed;  // the host's executed headers
  std::map<Hash256, core::Bytes> payloads;
  std::vector<CommittedBlock> committed;
  std::optional<QuorumCert> commit_cert;
  std::vector<QuorumCert> commit_certs;  // every Commit's certificate
  std::size_t commits_with_proof = 0;    // Commits with a verified_certificate
  EpochContext ctx;
  std::uint64_t timer_generation = 0;
  std::vector<core::Bytes> mempool;
  std::vector<Evidence> evidence;
  std::vector<ProposalTimestamp> proposal_timestamps;
  std::vector<ScheduleTimeout> timeouts_scheduled;
  std::size_t proposals_built = 0;
  std::size_t ledger_syncs = 0;

  std::uint64_t committed_height() const {
    return committed.empty() ? 0 : committed.back().header.height;
  }
};

class Cluster {
 public:
  using DropFn = std::function<bool(std::size_t from, std::size_t to, const Message&)>;

  explicit Cluster(std::vector<std::uint64_t> powers, ReplicaConfig config = test_config())
      : config_(std::move(config)), set_(make_set(powers)), genesis_(genesis_for(set_)) {
    nodes_.resize(powers.size());
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      nodes_[i].ctx = context_for(set_, genesis_);
      nodes_[i].executed[genesis_.id()] = genesis_;
    }
  }

  static ReplicaConfig test_config() {
    ReplicaConfig c;
    c.chain_id = kChainId;
    c.round_timeout_base_ms = 400;
    c.round_timeout_max_ms = 6400;
    c.idle_block_interval_ms = 200;
    return c;
  }

  std::size_t size() const { return nodes_.size(); }
  Node& node(std::size_t i) { return nodes_[i]; }
  Replica& replica(std::size_t i) { return *nodes_[i].replica; }
  const chain::ValidatorSet& genesis_set() const { return set_; }
  std::uint64_t now() const { return now_; }
  std::uint64_t latency_ms = 5;
  DropFn drop;                                  // messages for which it returns true are lost
  std::optional<chain::ValidatorSet> next_set;  // what an "EPOCH" payload switches to
  bool check_double_votes = true;
  std::shared_ptr<const LeaderElection> election = make_round_robin_election();

  void start_all() {
    for (std::size_t i = 0; i < nodes_.size(); ++i) start(i);
  }

  void start(std::size_t i) {
    Node& n = nodes_[i];
    RecoveryData r;
    r.epoch = n.ctx;
    if (n.committed.empty()) {
      r.root = genesis_;
      r.root_qc = QuorumCert::for_epoch_root(kChainId, set_.epoch, genesis_);
    } else {
      r.root = n.committed.back().header;
      r.root_qc = r.root.id() == n.ctx.epoch_root_id
                      ? QuorumCert::for_epoch_root(kChainId, n.ctx.epoch(), r.root)
                      : n.committed.back().qc;
      r.commit_cert = n.commit_cert;
    }
    for (const auto& [id, b] : n.stored_blocks) r.blocks.push_back(b);
    r.history = history_of(n);
    n.replica.emplace(config_, key_for(static_cast<std::uint32_t>(i)), r, n.persisted, election);
    n.crashed = false;
    deliver(i, Start{now_});
  }

  // Loses the replica's memory and the host's speculative state; keeps what
  // was persisted (safety state, stored blocks, committed blocks).
  void crash(std::size_t i) {
    Node& n = nodes_[i];
    n.crashed = true;
    n.replica.reset();
    n.timer_generation++;
    std::map<Hash256, chain::BlockHeader> kept;
    kept[genesis_.id()] = genesis_;
    for (const CommittedBlock& c : n.committed) kept[c.header.id()] = c.header;
    n.executed = std::move(kept);
  }

  void submit(const std::string& tx) {
    for (Node& n : nodes_) {
      n.mempool.emplace_back(tx.begin(), tx.end());
      if (!n.crashed && n.replica) schedule(now_, nodes_index(n), TransactionsAvailable{now_});
    }
  }

  bool committed_tx(std::size_t i, const std::string& tx) const {
    const core::Bytes b(tx.begin(), tx.end());
    for (const CommittedBlock& c : nodes_[i].committed) {
      if (c.payload == b) return true;
    }
    return false;
  }

  // Runs events in time order until `done` holds or `max_ms` of logical time passed.
  bool run_until(const std::function<bool()>& done, std::uint64_t max_ms) {
    const std::uint64_t end = now_ + max_ms;
    while (!done()) {
      if (queue_.empty()) return false;
      auto it = queue_.begin();
      if (it->first.first > end) {
        now_ = end;
        return false;
      }
      now_ = std::max(now_, it->first.first);
      Item item = std::move(it->second);
      queue_.erase(it);
      dispatch(item);
      check_agreement();
    }
    return true;
  }
  void run_for(std::uint64_t ms) {
    run_until([] { return false; }, ms);
  }

  // Feeds an event to node i now (through the queue, after what is pending now).
  void deliver(std::size_t i, Event e) { schedule(now_, i, std::move(e)); }

  void check_agreement() {
    for (std::size_t a = 0; a < nodes_.size(); ++a) {
      for (std::size_t b = a + 1; b < nodes_.size(); ++b) {
        const auto& ca = nodes_[a].committed;
        const auto& cb = nodes_[b].committed;
        const std::size_t k = std::min(ca.size(), cb.size());
        for (std::size_t j = 0; j < k; ++j) {
          ASSERT_EQ(ca[j].header.id(), cb[j].header.id())
              << "nodes " << a << " and " << b << " disagree at height " << ca[j].header.height;
        }
      }
    }
  }

  std::size_t timeouts_sent = 0;
  std::size_t messages_sent = 0;

 private:
  struct Delivery {
    std::size_t to;
    std::size_t from;
    core::Bytes bytes;
  };
  struct Timer {
    std::size_t node;
    std::uint64_t generation;
    Epoch epoch;
    Round round;
  };
  struct Local {
    std::size_t node;
    Event event;
  };
  using Item = std::variant<Delivery, Timer, Local>;

  std::size_t nodes_index(const Node& n) const {
    return static_cast<std::size_t>(&n - nodes_.data());
  }

  void schedule(std::uint64_t at, std::size_t node, Event e) {
    queue_.emplace(std::make_pair(at, seq_++), Item{Local{node, std::move(e)}});
  }

  std::optional<std::size_t> index_of(const Author& a) const {
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (key_for(static_cast<std::uint32_t>(i)).public_key() == a) return i;
    }
    return std::nullopt;
  }

  void dispatch(Item& item) {
    std::visit(Visitor{
                   [&](Delivery& d) {
                     if (nodes_[d.to].crashed) return;
                     auto m = decode_message(d.bytes);
                     ASSERT_TRUE(m) << m.error().to_string();
                     step(d.to,
                          MessageReceived{key_for(static_cast<std::uint32_t>(d.from)).public_key(),
                                          *m, now_});
                   },
                   [&](Timer& t) {
                     Node& n = nodes_[t.node];
                     if (n.crashed || t.generation != n.timer_generation) return;
                     step(t.node, LocalTimeout{t.epoch, t.round, now_});
                   },
                   [&](Local& l) {
                     if (nodes_[l.node].crashed) return;
                     std::visit([&](auto& e) { e.now_ms = now_; }, l.event);
                     step(l.node, l.event);
                   },
               },
               item);
  }

  void step(std::size_t i, const Event& e) {
    Node& n = nodes_[i];
    if (!n.replica) return;
    const std::vector<Effect> effects = n.replica->step(e);
    bool persisted = false;
    for (const Effect& eff : effects) {
      if (const auto* s = std::get_if<Send>(&eff)) check_signed(i, s->message, persisted);
      if (const auto* b = std::get_if<Broadcast>(&eff)) check_signed(i, b->message, persisted);
      if (std::holds_alternative<PersistSafetyState>(eff)) persisted = true;
      apply(i, eff);
      if (n.crashed || !n.replica) return;
    }
  }

  void check_signed(std::size_t i, const Message& m, bool persisted) {
    const bool signed_vote = std::holds_alternative<Vote>(m);
    const bool signed_timeout = std::holds_alternative<TimeoutMessage>(m);
    if (signed_vote || signed_timeout) {
      ASSERT_TRUE(persisted) << "node " << i << " sent a " << message_name(m)
                             << " before persisting its safety state";
    }
    if (signed_vote && check_double_votes) {
      const Vote& v = std::get<Vote>(m);
      const auto key = std::make_tuple(v.author.bytes, v.epoch(), v.round());
      auto [it, fresh] = votes_seen_.emplace(key, v.ledger_info.signing_hash());
      ASSERT_TRUE(fresh || it->second == v.ledger_info.signing_hash())
          << "node " << i << " signed two different votes in round " << v.round();
    }
  }

  void send(std::size_t from, std::size_t to, const Message& m) {
    if (drop && drop(from, to, m)) return;
    ++messages_sent;
    queue_.emplace(std::make_pair(now_ + latency_ms, seq_++),
                   Item{Delivery{to, from, encode_message(m)}});
  }

  chain::BlockHeader execute(Node& n, const chain::BlockHeader& meta, const core::Bytes& payload,
                             bool& ok) {
    auto parent = n.executed.find(meta.parent_hash);
    ok = parent != n.executed.end();
    if (!ok) return {};
    Executor ex{next_set};
    return ex.execute(parent->second, meta, payload);
  }

  // Transactions on the path from `id` down to the committed root.
  std::set<core::Bytes> in_flight(const Node& n, Hash256 id) const {
    std::set<core::Bytes> out;
    const std::uint64_t root = n.committed_height();
    for (auto h = n.executed.find(id); h != n.executed.end() && h->second.height > root;
         h = n.executed.find(h->second.parent_hash)) {
      auto p = n.payloads.find(h->first);
      if (p != n.payloads.end()) out.insert(p->second);
    }
    return out;
  }

  void apply(std::size_t i, const Effect& eff) {
    Node& n = nodes_[i];
    std::visit(
        Visitor{
            [&](const PersistSafetyState& p) { n.persisted = p.state; },
            [&](const PersistBlock& p) { n.stored_blocks[p.block.header.id()] = p.block; },
            [&](const Send& s) {
              auto to = index_of(s.to);
              ASSERT_TRUE(to.has_value());
              if (std::holds_alternative<TimeoutMessage>(s.message)) ++timeouts_sent;
              send(i, *to, s.message);
            },
            [&](const Broadcast& b) {
              if (std::holds_alternative<TimeoutMessage>(b.message)) ++timeouts_sent;
              for (const auto& v : n.ctx.validators.validators) {
                auto to = index_of(v.key);
                if (to && *to != i) send(i, *to, b.message);
              }
            },
            [&](const BuildProposal& b) {
              ++n.proposals_built;
              const auto flying = in_flight(n, b.parent.id());
              core::Bytes payload;
              if (!b.reconfiguration_suffix) {
                for (const core::Bytes& tx : n.mempool) {
                  if (!flying.count(tx)) {
                    payload = tx;
                    break;
                  }
                }
              }
              ProposalBuilt built{b.epoch, b.round, std::nullopt, {}, std::nullopt, now_};
              if (!payload.empty() || b.allow_empty) {
                chain::BlockHeader meta;
                meta.epoch = b.epoch;
                meta.height = b.parent.height + 1;
                meta.round = b.round;
                meta.parent_hash = b.parent.id();
                meta.timestamp_ms = std::max(now_, b.min_timestamp_ms);
                meta.proposer = key_for(static_cast<std::uint32_t>(i)).public_key();
                bool ok = false;
                chain::BlockHeader h = execute(n, meta, payload, ok);
                ASSERT_TRUE(ok) << "leader " << i << " asked to build on an unexecuted parent";
                n.executed[h.id()] = h;
                n.payloads[h.id()] = payload;
                if (h.ends_epoch()) built.next_validator_set = next_set;
                built.header = h;
                built.payload = payload;
              }
              schedule(now_, i, built);
            },
            [&](const ExecuteBlock& x) {
              bool ok = false;
              chain::BlockHeader h = execute(n, x.header, x.payload, ok);
              ASSERT_TRUE(ok) << "node " << i << " asked to execute a block with no parent state";
              BlockExecuted done{x.header.id(), h, std::nullopt, now_};
              n.executed[h.id()] = h;
              n.payloads[h.id()] = x.payload;
              if (h.ends_epoch()) done.next_validator_set = next_set;
              schedule(now_, i, done);
            },
            [&](const Commit& c) {
              ASSERT_FALSE(c.blocks.empty());
              EXPECT_EQ(c.commit_cert.ledger_info().commit_block, c.blocks.back().header.id());
              EXPECT_TRUE(verify_qc(c.commit_cert, n.ctx)) << "commit certificate of node " << i;
              Hash256 parent = n.committed.empty() ? genesis_.id() : n.committed.back().header.id();
              for (const CommittedBlock& b : c.blocks) {
                ASSERT_EQ(b.header.parent_hash, parent) << "commit does not extend the chain";
                ASSERT_EQ(b.qc.block_id(), b.header.id());
                parent = b.header.id();
                n.committed.push_back(b);
                std::erase(n.mempool, b.payload);
              }
              n.commit_cert = c.commit_cert;
              n.commit_certs.push_back(c.commit_cert);
              if (c.verified_certificate) {
                // The proof is of exactly this certificate, against this epoch's set.
                EXPECT_EQ(c.verified_certificate->certificate(), c.commit_cert.certificate);
                EXPECT_EQ(c.verified_certificate->validator_set_hash(), n.ctx.validators.hash());
                EXPECT_TRUE(
                    chain::verify_quorum(c.verified_certificate->certificate(), n.ctx.validators));
                ++n.commits_with_proof;
              }
              for (auto it = n.stored_blocks.begin(); it != n.stored_blocks.end();) {
                if (it->second.header.height <= n.committed_height()) {
                  it = n.stored_blocks.erase(it);
                } else {
                  ++it;
                }
              }
            },
            [&](const ScheduleTimeout& t) {
              n.timeouts_scheduled.push_back(t);
              ++n.timer_generation;
              queue_.emplace(std::make_pair(now_ + t.duration_ms, seq_++),
                             Item{Timer{i, n.timer_generation, t.epoch, t.round}});
            },
            [&](const WakeAt& w) { schedule(std::max(now_, w.time_ms), i, Wake{now_}); },
            [&](const SyncLedger& s) {
              ++n.ledger_syncs;
              auto peer = index_of(s.peer);
              ASSERT_TRUE(peer.has_value());
              ledger_sync(i, *peer, s.commit_cert);
            },
            [&](const Evidence& e) { n.evidence.push_back(e); },
            [&](const EpochStarted& e) { n.ctx = e.epoch; },
            [&](const ProposalTimestamp& t) { n.proposal_timestamps.push_back(t); },
            [&](const MessageRejected& r) {
              if (std::getenv("CLUSTER_DEBUG")) {
                std::fprintf(stderr, "t=%llu node %zu rejected: %s\n",
                             static_cast<unsigned long long>(now_), i, r.why.to_string().c_str());
              }
            },
        },
        eff);
  }

  // The committed history the host keeps (leader reputation).
  std::vector<CommittedRecord> history_of(const Node& n) const {
    std::vector<CommittedRecord> h;
    const std::size_t want = election->history_needed(n.ctx.validators);
    for (std::size_t k = n.committed.size() > want ? n.committed.size() - want : 0;
         k < n.committed.size(); ++k) {
      h.push_back(committed_record(n.committed[k].header, n.committed[k].qc));
    }
    return h;
  }

  // The host's catch-up: copy the peer's committed blocks up to the target
  // (the node's own block sync will verify them; here the peer is honest).
  void ledger_sync(std::size_t i, std::size_t peer, const QuorumCert& cert) {
    Node& n = nodes_[i];
    const Node& p = nodes_[peer];
    const Hash256 target = cert.ledger_info().commit_block;
    std::size_t upto = 0;
    for (; upto < p.committed.size(); ++upto) {
      if (p.committed[upto].header.id() == target) break;
    }
    if (upto == p.committed.size()) return;
    for (std::size_t j = n.committed.size(); j <= upto; ++j) {
      n.committed.push_back(p.committed[j]);
      n.executed[p.committed[j].header.id()] = p.committed[j].header;
      std::erase(n.mempool, p.committed[j].payload);
    }
    n.commit_cert = cert;
    RecoveryData r;
    r.root = n.committed.back().header;
    if (r.root.ends_epoch()) {
      EpochContext next{kChainId, *next_set, r.root.id(), r.root.height};
      r.epoch = next;
      r.root_qc = QuorumCert::for_epoch_root(kChainId, next.epoch(), r.root);
      n.ctx = next;
    } else {
      r.epoch = n.ctx;
      r.root_qc = n.committed.back().qc;
      r.commit_cert = cert;
    }
    r.history = history_of(n);
    schedule(now_, i, LedgerSynced{r, now_});
  }

  ReplicaConfig config_;
  chain::ValidatorSet set_;
  chain::BlockHeader genesis_;
  std::vector<Node> nodes_;
  std::uint64_t now_ = 2000;
  std::uint64_t seq_ = 0;
  std::map<std::pair<std::uint64_t, std::uint64_t>, Item> queue_;
  std::map<std::tuple<std::array<std::uint8_t, 32>, Epoch, Round>, Hash256> votes_seen_;
};

}  // namespace bauhinia::consensus::testing
