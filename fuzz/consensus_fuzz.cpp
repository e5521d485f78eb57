// Fuzzes a real consensus::Replica through its own entry point (step) and the
// pure sync verification (consensus::verify_committed_run / verify_extends).
//
// Setup: a 4-validator epoch-1 genesis with deterministic Ed25519 keys (the
// consensus tests' test_support.hpp); the replica under test is validator 0,
// the harness holds the other keys and the host's side (it executes blocks
// with the tests' real hash-chain executor, builds proposals, answers sync
// requests from its pool of blocks). The input is a program of operations:
// proposals, votes and timeouts built from fuzzer-chosen fields and signed by
// the right (or a wrong) key, certificates with fuzzer-chosen signers, raw
// bytes through decode_message, mutated encodings of signed messages, sync
// requests and (tampered) sync responses, local timeouts and clock steps.
//
// Invariants after every step:
//  - no crash, no sanitizer report;
//  - every vote or timeout the replica signs is preceded, in the same effect
//    list, by PersistSafetyState covering its round; the persisted
//    last_voted_round and epoch never decrease; it never signs two different
//    votes for one round; it votes only for headers the host executed;
//  - every Commit carries a commit certificate that verify_qc accepts, that
//    commits the last block, and blocks that extend the previous commit;
//  - a message whose signature the harness broke, and any step answered only
//    by a rejection other than a late (post-certificate) one, leaves the
//    replica's observable state unchanged;
//  - a sync response the replica sends fits its size and block limits;
//  - verify_committed_run accepts every genuine run and refuses each
//    tampering (wrong header, too few signers, bad signature, outsider
//    signers, wrong commit target, reordered blocks, wrong attachment); a
//    mutated encoding it accepts certifies exactly the genuine headers.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/effects.hpp"
#include "bauhinia/consensus/events.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/consensus/replica.hpp"
#include "bauhinia/consensus/sync_verify.hpp"
#include "bauhinia/core/assert.hpp"
#include "bauhinia/core/encoding.hpp"
#include "fuzz_input.hpp"
#include "test_support.hpp"

namespace {

namespace cs = bauhinia::consensus;
namespace chain = bauhinia::chain;
namespace core = bauhinia::core;
using bauhinia::fuzz::FuzzInput;
using core::Hash256;

constexpr cs::Epoch kEpoch = 1;
constexpr std::size_t kValidators = 4;
constexpr std::size_t kMaxPool = 48;
constexpr std::size_t kMaxOps = 48;
constexpr std::size_t kMaxFollowUps = 256;

struct World {
  chain::ValidatorSet set = cs::testing::make_set({1, 1, 1, 1}, kEpoch);
  chain::BlockHeader genesis = cs::testing::genesis_for(set);
  cs::EpochContext ctx = cs::testing::context_for(set, genesis);
  std::vector<core::ed25519::SecretKey> keys;
  core::ed25519::SecretKey outsider = cs::testing::key_for(77);
  cs::ReplicaConfig config;

  World() {
    for (std::uint32_t i = 0; i < kValidators; ++i) keys.push_back(cs::testing::key_for(i));
    config.chain_id = cs::testing::kChainId;
    config.round_timeout_base_ms = 400;
    config.round_timeout_max_ms = 6400;
    config.idle_block_interval_ms = 200;
    config.max_future_rounds = 64;
    config.max_pending_blocks = 32;
    config.sync_batch_blocks = 4;
    // Checking the harness (never in the campaign): BAUHINIA_FUZZ_INJECT=vote-round
    // or duplicate-signers turns on one of the replica's TEST-ONLY deliberate bugs
    // (injected_faults.hpp), which the invariants must catch.
    if (const char* bug = std::getenv("BAUHINIA_FUZZ_INJECT")) {
      const std::string b = bug;
      config.injected_faults.skip_vote_round_check = b == "vote-round";
      config.injected_faults.accept_duplicate_signers = b == "duplicate-signers";
    }
  }
};

const World& world() {
  static const World w;
  return w;
}

std::vector<std::size_t> signers_of(std::uint8_t mask) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < kValidators; ++i) {
    if ((mask >> i) & 1U) out.push_back(i);
  }
  return out;
}

// Ed25519 signatures are deterministic: the harness's own signatures are
// memoised per (key, digest), so an input spends its time in the replica.
const core::ed25519::Signature& sign_cached(std::size_t signer, const Hash256& digest) {
  static std::map<std::pair<std::size_t, Hash256>, core::ed25519::Signature> cache;
  auto it = cache.find({signer, digest});
  if (it == cache.end()) {
    if (cache.size() > 200'000) cache.clear();
    const core::ed25519::SecretKey key = cs::testing::key_for(static_cast<std::uint32_t>(signer));
    it = cache.emplace(std::make_pair(signer, digest), key.sign(digest.view())).first;
  }
  return it->second;
}

cs::Vote sign_vote(std::size_t signer, const cs::VoteData& vd, std::optional<cs::BlockRef> commit) {
  cs::Vote v;
  v.vote_data = vd;
  v.ledger_info.chain_id = world().ctx.chain_id;
  v.ledger_info.epoch = vd.epoch;
  v.ledger_info.round = vd.round;
  if (commit) {
    v.ledger_info.commit_block = commit->id;
    v.ledger_info.commit_height = commit->height;
  }
  v.ledger_info.consensus_data_hash = vd.hash();
  v.author = cs::testing::key_for(static_cast<std::uint32_t>(signer)).public_key();
  v.signature = sign_cached(signer, v.ledger_info.signing_hash());
  return v;
}

// A QC over `vd` by `signers` (seeds first_seed + index); below quorum (or
// by outsiders) it is assembled by hand so that it reaches the verifiers.
cs::QuorumCert make_qc(const cs::VoteData& vd, const std::vector<std::size_t>& signers,
                       std::optional<cs::BlockRef> commit, std::size_t first_seed = 0,
                       bool duplicate = false) {
  const chain::ValidatorSet& set = world().set;
  std::vector<chain::IndexedSignature> sigs;
  cs::Vote v = sign_vote(first_seed, vd, commit);
  for (std::size_t i : signers) {
    // duplicate: a forged certificate whose every signature is its first signer's.
    const std::size_t by = duplicate && !signers.empty() ? signers.front() : i;
    sigs.emplace_back(i, sign_cached(first_seed + by, v.ledger_info.signing_hash()));
  }
  cs::QuorumCert qc;
  qc.vote_data = vd;
  qc.certificate.ledger_info = v.ledger_info;
  if (sigs.empty()) return qc;
  auto cert = chain::build_quorum_certificate(v.ledger_info, set, sigs);
  if (!cert || duplicate) {
    qc.certificate.signer_bitmap.assign((set.validators.size() + 7) / 8, 0);
    for (const auto& [i, sig] : sigs) {
      cs::bitmap_set(qc.certificate.signer_bitmap, i);
      qc.certificate.signatures.push_back(sig);
    }
    return qc;
  }
  qc.certificate = std::move(cert).value();
  return qc;
}

cs::TimeoutMessage sign_timeout(std::size_t signer, cs::Round round, const cs::QuorumCert& hqc,
                                std::optional<cs::TimeoutCertificate> last_tc = {}) {
  cs::TimeoutMessage t;
  t.epoch = kEpoch;
  t.round = round;
  t.high_qc = hqc;
  t.last_tc = std::move(last_tc);
  t.author = cs::testing::key_for(static_cast<std::uint32_t>(signer)).public_key();
  t.signature = sign_cached(signer, t.signing_data(world().ctx.chain_id).signing_hash());
  return t;
}

cs::TimeoutCertificate make_tc(cs::Round round, const std::vector<std::size_t>& signers,
                               const cs::QuorumCert& hqc) {
  cs::TimeoutCertificate tc;
  tc.epoch = kEpoch;
  tc.round = round;
  tc.high_qc = hqc;
  tc.signer_bitmap.assign((world().set.validators.size() + 7) / 8, 0);
  for (std::size_t i : signers) {
    cs::bitmap_set(tc.signer_bitmap, i);
    tc.high_qc_rounds.push_back(hqc.round());
    tc.signatures.push_back(sign_timeout(i, round, hqc).signature);
  }
  return tc;
}

// A block the harness knows: its header, payload and the round of its parent.
struct Block {
  chain::BlockHeader header;
  cs::Round parent_round = 0;
  core::Bytes payload;
};

chain::BlockHeader execute_child(const chain::BlockHeader& parent, cs::Round round,
                                 const core::ed25519::PublicKey& proposer,
                                 std::uint64_t timestamp_ms, const core::Bytes& payload) {
  chain::BlockHeader meta;
  meta.epoch = kEpoch;
  meta.height = parent.height + 1;
  meta.round = round;
  meta.parent_hash = parent.id();
  meta.timestamp_ms = timestamp_ms;
  meta.proposer = proposer;
  return cs::testing::Executor{}.execute(parent, meta, payload);
}

// The QC certifying `b`, signed by `mask`'s validators; the commit fields
// follow the two-chain rule.
cs::QuorumCert qc_for(const Block& b, std::uint8_t mask) {
  const World& w = world();
  if (b.header.height == 0) return cs::QuorumCert::for_epoch_root(w.ctx.chain_id, kEpoch, b.header);
  std::optional<cs::BlockRef> commit;
  if (b.header.round == b.parent_round + 1 && b.parent_round >= 1) {
    commit = cs::BlockRef{b.header.parent_hash, b.header.height - 1};
  }
  return make_qc(cs::testing::vote_data_for(b.header, b.parent_round, kEpoch), signers_of(mask),
                 commit, 0, (mask & 0x40) != 0);
}

struct Snapshot {
  cs::Round round = 0;
  cs::QuorumCert high_qc;
  std::optional<cs::TimeoutCertificate> last_tc;
  cs::SafetyState safety;
  Hash256 root;
  std::size_t pending = 0;

  explicit Snapshot(const cs::Replica& r)
      : round(r.round()),
        high_qc(r.high_qc()),
        last_tc(r.last_tc()),
        safety(r.safety_state()),
        root(r.committed_root().id()),
        pending(r.pending_blocks()) {}
  bool operator==(const Snapshot&) const = default;
};

bool late_rejection(const cs::Effect& e) {
  const auto* m = std::get_if<cs::MessageRejected>(&e);
  if (m == nullptr) return false;
  // kInvalid / kTooLarge / kBadProof may follow the processing of a valid
  // certificate carried by the same message (which legitimately moves state).
  return m->why.reason == core::Reject::kInvalid || m->why.reason == core::Reject::kTooLarge ||
         m->why.reason == core::Reject::kBadProof;
}

class Harness {
 public:
  explicit Harness(FuzzInput& in)
      : in_(in),
        replica_(world().config, cs::testing::key_for(0),
                 cs::testing::genesis_recovery(world().set), cs::SafetyState{}) {
    const World& w = world();
    pool_.push_back(Block{w.genesis, 0, {}});
    executed_[w.genesis.id()] = w.genesis;
    committed_id_ = w.genesis.id();
    now_ms_ = w.genesis.timestamp_ms + 1000;
  }

  void run() {
    step(cs::Start{now_ms_});
    for (std::size_t op = 0; op < kMaxOps && !in_.empty(); ++op) {
      switch (in_.byte() % 10) {
        case 0: propose(); break;
        case 1: vote(); break;
        case 2: timeout(); break;
        case 3:
          step(cs::LocalTimeout{kEpoch, in_.flag() ? replica_.round() : in_.u64(), now_ms_});
          break;
        case 4: raw_message(); break;
        case 5: sync_request(); break;
        case 6: answer_sync(); break;
        case 7: clock(); break;
        case 8:
          if ((in_.byte() & 3) == 0) {
            restart();
          } else {
            withheld_block();
          }
          break;
        default: sync_verify(); break;
      }
    }
  }

 private:
  // ---- the replica's steps and the invariants --------------------------------
  void step(const cs::Event& event, bool expect_refusal = false) {
    std::vector<cs::Event> queue{event};
    for (std::size_t n = 0; !queue.empty() && n < kMaxFollowUps; ++n) {
      cs::Event e = std::move(queue.front());
      queue.erase(queue.begin());
      const Snapshot before(replica_);
      const std::vector<cs::Effect> effects = replica_.step(e);
      if (verbose()) trace(e, effects);
      check(effects);
      const Snapshot after(replica_);
      BAUHINIA_ASSERT_MSG(after.safety.last_voted_round >= before.safety.last_voted_round,
                          "last_voted_round went back");
      BAUHINIA_ASSERT_MSG(replica_.committed_root().height >= committed_height_ ||
                              replica_.committed_root().id() == committed_id_,
                          "committed root went back");
      const bool only_rejections = std::all_of(effects.begin(), effects.end(), [](const auto& x) {
        return std::holds_alternative<cs::MessageRejected>(x);
      });
      if (n == 0 && expect_refusal) {
        BAUHINIA_ASSERT_MSG(only_rejections, "a message with a broken signature had effects");
        BAUHINIA_ASSERT_MSG(after == before, "a message with a broken signature changed state");
      }
      if (!effects.empty() && only_rejections &&
          std::none_of(effects.begin(), effects.end(), late_rejection)) {
        BAUHINIA_ASSERT_MSG(after == before, "a rejected message changed the replica's state");
      }
      follow_up(effects, queue);
    }
  }

  // BAUHINIA_FUZZ_VERBOSE=1: one line per step (to write and check seeds).
  static bool verbose() {
    static const bool v = std::getenv("BAUHINIA_FUZZ_VERBOSE") != nullptr;
    return v;
  }
  void trace(const cs::Event& e, const std::vector<cs::Effect>& effects) const {
    std::fprintf(stderr, "event %zu round %llu ->", e.index(),
                 static_cast<unsigned long long>(replica_.round()));
    for (const cs::Effect& x : effects) {
      std::fprintf(stderr, " %s", cs::effect_name(x));
      if (const auto* r = std::get_if<cs::MessageRejected>(&x)) {
        std::fprintf(stderr, "(%s)", r->why.detail.c_str());
      }
    }
    std::fprintf(stderr, "\n");
  }

  void check(const std::vector<cs::Effect>& effects) {
    const World& w = world();
    const cs::Author& me = replica_.author();
    std::optional<cs::Round> persisted;
    for (const cs::Effect& e : effects) {
      if (const auto* p = std::get_if<cs::PersistSafetyState>(&e)) {
        BAUHINIA_ASSERT_MSG(p->state.epoch >= persisted_epoch_, "persisted epoch went back");
        BAUHINIA_ASSERT_MSG(
            p->state.last_voted_round >= persisted_lvr_ || p->state.epoch > persisted_epoch_,
            "persisted last_voted_round went back");
        persisted_epoch_ = p->state.epoch;
        persisted_lvr_ = p->state.last_voted_round;
        persisted_state_ = p->state;
        persisted = p->state.last_voted_round;
        continue;
      }
      const cs::Message* sent = nullptr;
      if (const auto* s = std::get_if<cs::Send>(&e)) sent = &s->message;
      if (const auto* b = std::get_if<cs::Broadcast>(&e)) sent = &b->message;
      if (sent != nullptr) {
        check_sent(*sent, me, persisted);
        continue;
      }
      if (const auto* pb = std::get_if<cs::PersistBlock>(&e)) {
        if (kept_blocks_.size() < 64) kept_blocks_.push_back(pb->block);
        continue;
      }
      if (const auto* c = std::get_if<cs::Commit>(&e)) {
        last_commit_ = *c;
        BAUHINIA_ASSERT_MSG(!c->blocks.empty(), "empty commit");
        BAUHINIA_ASSERT_MSG(cs::verify_qc(c->commit_cert, w.ctx).ok(),
                            "commit without a valid certificate");
        BAUHINIA_ASSERT_MSG(c->commit_cert.commits(), "commit certificate commits nothing");
        BAUHINIA_ASSERT_MSG(
            c->commit_cert.ledger_info().commit_block == c->blocks.back().header.id(),
            "commit certificate names another block");
        for (const cs::CommittedBlock& b : c->blocks) {
          BAUHINIA_ASSERT_MSG(
              b.header.parent_hash == committed_id_ && b.header.height == committed_height_ + 1,
              "committed block does not extend the previous commit");
          BAUHINIA_ASSERT_MSG(executed_.count(b.header.id()) != 0, "committed an unexecuted block");
          committed_id_ = b.header.id();
          committed_height_ = b.header.height;
        }
        continue;
      }
      if (const auto* ev = std::get_if<cs::Evidence>(&e)) {
        BAUHINIA_ASSERT_MSG(w.set.index_of(ev->offender).has_value(),
                            "evidence against an outsider");
        BAUHINIA_ASSERT_MSG(ev->first != ev->second, "evidence of one message");
      }
    }
  }

  void check_sent(const cs::Message& m, const cs::Author& me, std::optional<cs::Round> persisted) {
    if (const auto* v = std::get_if<cs::Vote>(&m); v != nullptr && v->author == me) {
      BAUHINIA_ASSERT_MSG(persisted && *persisted >= v->round(), "vote sent before persisting");
      auto [it, fresh] = my_votes_.emplace(v->round(), v->ledger_info);
      BAUHINIA_ASSERT_MSG(fresh || it->second == v->ledger_info, "two different votes for a round");
      auto ex = executed_.find(v->vote_data.block_id);
      BAUHINIA_ASSERT_MSG(ex != executed_.end(), "vote for a block the host did not execute");
      BAUHINIA_ASSERT_MSG(
          core::ed25519::verify(me, v->ledger_info.signing_hash().view(), v->signature),
          "own vote signature invalid");
    }
    if (const auto* t = std::get_if<cs::TimeoutMessage>(&m); t != nullptr && t->author == me) {
      BAUHINIA_ASSERT_MSG(persisted && *persisted >= t->round, "timeout sent before persisting");
    }
    if (const auto* r = std::get_if<cs::SyncResponse>(&m)) {
      BAUHINIA_ASSERT_MSG(r->blocks.size() <= cs::kMaxSyncBlocks, "sync response too long");
      BAUHINIA_ASSERT_MSG(cs::encode_message(m).size() <= world().config.max_sync_response_bytes,
                          "sync response over the byte limit");
    }
    if (const auto* p = std::get_if<cs::Proposal>(&m); p != nullptr && p->author() == me) {
      remember(Block{p->header, p->qc.round(), p->payload});
    }
    if (const auto* q = std::get_if<cs::SyncRequest>(&m)) pending_request_ = *q;
  }

  // The host's side: execute, build proposals.
  void follow_up(const std::vector<cs::Effect>& effects, std::vector<cs::Event>& queue) {
    for (const cs::Effect& e : effects) {
      if (const auto* x = std::get_if<cs::ExecuteBlock>(&e)) {
        auto parent = executed_.find(x->header.parent_hash);
        BAUHINIA_ASSERT_MSG(parent != executed_.end(),
                            "ExecuteBlock of a block whose parent is unknown");
        chain::BlockHeader result =
            cs::testing::Executor{}.execute(parent->second, x->header, x->payload);
        executed_[x->header.id()] = result;
        // The host answers with its own result (which the replica compares).
        queue.push_back(cs::BlockExecuted{x->header.id(), result, std::nullopt, now_ms_});
      } else if (const auto* b = std::get_if<cs::BuildProposal>(&e)) {
        const std::uint64_t ts = std::max(b->min_timestamp_ms, b->parent.timestamp_ms + 1);
        chain::BlockHeader h = execute_child(b->parent, b->round, replica_.author(), ts, {});
        h.epoch = b->epoch;
        executed_[h.id()] = h;
        queue.push_back(cs::ProposalBuilt{b->epoch, b->round, h, {}, std::nullopt, now_ms_});
      }
    }
  }

  void remember(Block b) {
    if (pool_.size() >= kMaxPool) return;
    for (const Block& x : pool_) {
      if (x.header.id() == b.header.id()) return;
    }
    pool_.push_back(std::move(b));
  }

  const Block& pick_block() { return pool_[in_.below(pool_.size())]; }

  cs::Author sender() {
    const std::size_t i = in_.byte() % (kValidators + 1);
    return i < kValidators ? world().keys[i].public_key() : world().outsider.public_key();
  }

  static core::ed25519::Signature* signature_of(cs::Message& m) {
    if (auto* p = std::get_if<cs::Proposal>(&m)) return &p->signature;
    if (auto* v = std::get_if<cs::Vote>(&m)) return &v->signature;
    if (auto* t = std::get_if<cs::TimeoutMessage>(&m)) return &t->signature;
    return nullptr;
  }

  // Delivers `m`: as built, with a broken signature (which must be refused
  // without any change), or as a mutated encoding.
  void deliver(const cs::Author& from, cs::Message m) {
    const std::uint8_t mode = in_.byte() % 4;
    core::ed25519::Signature* sig = signature_of(m);
    if (mode == 1 && sig != nullptr) {
      sig->bytes[in_.byte() % sig->bytes.size()] ^= static_cast<std::uint8_t>(1 + in_.byte() % 255);
      step(cs::MessageReceived{from, std::move(m), now_ms_}, true);
      return;
    }
    if (mode == 2) {
      core::Bytes enc = bauhinia::fuzz::xor_edits(cs::encode_message(m), in_.bytes(12));
      auto decoded = cs::decode_message(enc);
      if (!decoded) return;
      step(cs::MessageReceived{from, std::move(decoded).value(), now_ms_});
      return;
    }
    step(cs::MessageReceived{from, std::move(m), now_ms_});
  }

  std::size_t leader_index(cs::Round round) const {
    const cs::Author leader = replica_.leader_of(round);
    for (std::size_t i = 0; i < kValidators; ++i) {
      if (world().keys[i].public_key() == leader) return i;
    }
    return 0;
  }

  // ---- operations -------------------------------------------------------------
  cs::Proposal make_proposal(Block& out) {
    const World& w = world();
    const Block parent = pick_block();
    const std::uint8_t gap = in_.byte();
    const cs::Round round = parent.header.round + 1 + gap % 3;
    const std::uint8_t qc_mask = in_.byte();
    const std::uint8_t tc_mask = in_.byte();
    core::Bytes payload = in_.bytes(48);
    const std::uint64_t ts = parent.header.timestamp_ms + 1 + std::uint64_t{in_.byte()} * 20;
    const bool wrong_proposer = (gap & 0x80) != 0;
    const std::size_t proposer = wrong_proposer ? in_.byte() % kValidators : leader_index(round);
    chain::BlockHeader h =
        execute_child(parent.header, round, w.keys[proposer].public_key(), ts, payload);
    const cs::QuorumCert qc = qc_for(parent, qc_mask);
    std::optional<cs::TimeoutCertificate> tc;
    if (round > parent.header.round + 1 || (tc_mask & 0x80) != 0) {
      std::vector<std::size_t> s = signers_of(tc_mask);
      tc = make_tc(round - 1, s, qc);
    }
    out = Block{h, parent.header.round, payload};
    cs::Proposal p;
    p.header = h;
    p.payload = std::move(payload);
    p.qc = qc;
    p.tc = std::move(tc);
    p.signature = sign_cached(proposer, p.signing_data(w.ctx.chain_id).signing_hash());
    return p;
  }

  void propose() {
    Block b;
    auto p = make_proposal(b);
    remember(b);
    const cs::Author from = sender();
    deliver(from, cs::Message{std::move(p)});
  }

  // A crash and restart, as the node does it: the last persisted safety state,
  // the last committed block with its QC and commit certificate, the kept
  // blocks. Every invariant (two votes for a round above all) spans restarts.
  void restart() {
    const World& w = world();
    cs::RecoveryData r = cs::testing::genesis_recovery(w.set);
    if (last_commit_) {
      r.root = last_commit_->blocks.back().header;
      r.root_qc = last_commit_->blocks.back().qc;
      r.commit_cert = last_commit_->commit_cert;
    }
    r.blocks = kept_blocks_;
    replica_ = cs::Replica(w.config, cs::testing::key_for(0), std::move(r), persisted_state_);
    pending_request_.reset();
    step(cs::Start{now_ms_});
  }

  void withheld_block() {  // known to the harness (and its sync answers) only
    Block b;
    (void)make_proposal(b);
    remember(b);
  }

  void vote() {
    const World& w = world();
    const Block& b = pick_block();
    if (b.header.height == 0) return;
    const std::size_t voter = in_.byte() % kValidators;
    std::optional<cs::BlockRef> commit;
    if (b.header.round == b.parent_round + 1 && b.parent_round >= 1 && !in_.flag()) {
      commit = cs::BlockRef{b.header.parent_hash, b.header.height - 1};
    }
    deliver(w.keys[voter].public_key(),
            cs::Message{sign_vote(
                voter, cs::testing::vote_data_for(b.header, b.parent_round, kEpoch), commit)});
  }

  void timeout() {
    const World& w = world();
    const std::size_t signer = in_.byte() % kValidators;
    const std::uint8_t delta = in_.byte();
    const cs::Round round = replica_.round() + delta % 4 - (delta & 0x10 ? 1 : 0);
    const Block& b = pick_block();
    cs::QuorumCert hqc = b.header.round < round ? qc_for(b, in_.byte()) : qc_for(pool_.front(), 0);
    std::optional<cs::TimeoutCertificate> last_tc;
    const std::uint8_t tc_mask = in_.byte();
    if ((tc_mask & 0x80) != 0 && round >= 1 && hqc.round() < round - 1) {
      std::vector<std::size_t> s = signers_of(tc_mask);
      last_tc = make_tc(round - 1, s, hqc);
    }
    deliver(w.keys[signer].public_key(),
            cs::Message{sign_timeout(signer, round, hqc, std::move(last_tc))});
  }

  void raw_message() {
    const cs::Author from = sender();
    const core::Bytes bytes = in_.bytes(2048);
    auto m = cs::decode_message(bytes);
    if (!m) return;
    step(cs::MessageReceived{from, std::move(m).value(), now_ms_});
  }

  void sync_request() {
    cs::SyncRequest r;
    r.epoch = in_.flag() ? kEpoch : in_.u64();
    r.block_id = in_.flag() ? pick_block().header.id() : replica_.high_qc().block_id();
    r.max_blocks = in_.byte() % 12;
    step(cs::MessageReceived{sender(), cs::Message{r}, now_ms_});
  }

  // Answers the replica's last block request from the pool (walking back
  // from the requested block), possibly tampered with.
  void answer_sync() {
    if (!pending_request_) return;
    const cs::SyncRequest req = *pending_request_;
    cs::SyncResponse r;
    r.epoch = req.epoch;
    r.block_id = req.block_id;
    Hash256 want = req.block_id;
    const std::size_t limit = std::min<std::size_t>(req.max_blocks, cs::kMaxSyncBlocks);
    while (r.blocks.size() < limit) {
      auto it = std::find_if(pool_.begin(), pool_.end(),
                             [&](const Block& b) { return b.header.id() == want; });
      if (it == pool_.end() || it->header.height == 0) break;
      const Block* parent = nullptr;
      for (const Block& b : pool_) {
        if (b.header.id() == it->header.parent_hash) parent = &b;
      }
      if (parent == nullptr) break;
      r.blocks.push_back(cs::SyncBlock{it->header, it->payload, qc_for(*parent, 0x0f)});
      want = it->header.parent_hash;
    }
    if (in_.flag()) r.commit_cert = replica_.high_qc();
    const cs::Author from = sender();
    const std::uint8_t tamper = in_.byte() % 4;
    if (tamper == 1 && !r.blocks.empty()) {
      chain::BlockHeader& h = r.blocks[in_.byte() % r.blocks.size()].header;
      h.timestamp_ms += 1;  // no longer the header its child's QC certifies
      const Hash256 forged = h.id();
      const auto effects = replica_.step(cs::MessageReceived{from, cs::Message{r}, now_ms_});
      check(effects);
      for (const auto& e : effects) {
        const auto* x = std::get_if<cs::ExecuteBlock>(&e);
        BAUHINIA_ASSERT_MSG(x == nullptr || x->header.id() != forged,
                            "a tampered sync block was executed");
      }
      std::vector<cs::Event> queue;
      follow_up(effects, queue);
      for (auto& ev : queue) step(ev);
      return;
    }
    if (tamper == 2) {
      core::Bytes enc =
          bauhinia::fuzz::xor_edits(cs::encode_message(cs::Message{r}), in_.bytes(12));
      auto decoded = cs::decode_message(enc);
      if (!decoded) return;
      step(cs::MessageReceived{from, std::move(decoded).value(), now_ms_});
      return;
    }
    step(cs::MessageReceived{from, cs::Message{std::move(r)}, now_ms_});
  }

  void clock() {
    now_ms_ += std::uint64_t{in_.u16()} * 4;
    switch (in_.byte() % 3) {
      case 0: step(cs::Wake{now_ms_}); break;
      case 1: step(cs::TransactionsAvailable{now_ms_}); break;
      default: step(cs::LocalTimeout{kEpoch, replica_.round(), now_ms_}); break;
    }
  }

  // ---- the pure sync verification ------------------------------------------------
  void sync_verify() {
    const World& w = world();
    const std::size_t k = 1 + in_.byte() % 4;
    std::vector<Block> run;
    Block prev = pool_.front();
    for (std::size_t i = 0; i < k; ++i) {
      const cs::Round round = prev.header.round + 1 + in_.byte() % 2;
      Block b{execute_child(prev.header, round, w.keys[i % kValidators].public_key(),
                            prev.header.timestamp_ms + 10, in_.bytes(16)),
              prev.header.round,
              {}};
      run.push_back(b);
      prev = b;
    }
    std::vector<cs::QuorumCert> qcs;
    const std::uint8_t mask = (in_.byte() & 1) != 0 ? 0x0f : 0x07;
    for (const Block& b : run) qcs.push_back(qc_for(b, mask));
    const Block& last = run.back();
    const Block child{execute_child(last.header, last.header.round + 1, w.keys[0].public_key(),
                                    last.header.timestamp_ms + 10, {}),
                      last.header.round,
                      {}};
    cs::QuorumCert commit_qc = qc_for(child, mask);
    auto verdict = [&](const std::vector<Block>& blocks, const std::vector<cs::QuorumCert>& q,
                       const cs::QuorumCert& cqc) {
      std::vector<cs::CertifiedHeader> certified;
      for (std::size_t i = 0; i < blocks.size(); ++i) certified.push_back({blocks[i].header, q[i]});
      return cs::verify_committed_run(certified, cqc, w.ctx).ok() &&
             cs::verify_extends(w.genesis, certified.front()).ok();
    };
    BAUHINIA_ASSERT_MSG(verdict(run, qcs, commit_qc), "a genuine committed run was refused");

    std::vector<Block> bad_run = run;
    std::vector<cs::QuorumCert> bad_qcs = qcs;
    cs::QuorumCert bad_commit = commit_qc;
    const std::size_t i = in_.byte() % k;
    switch (in_.byte() % 8) {
      case 0: bad_run[i].header.timestamp_ms += 1; break;
      case 1: bad_qcs[i] = qc_for(run[i], 0x03); break;
      case 2: bad_qcs[i].certificate.signatures[0].bytes[in_.byte() % 64] ^= 0x20; break;
      case 3:
        bad_commit = make_qc(
            cs::testing::vote_data_for(child.header, last.header.round, kEpoch), signers_of(mask),
            cs::BlockRef{k >= 2 ? run[k - 2].header.id() : last.header.id(),
                         k >= 2 ? last.header.height - 1 : last.header.height + 1});
        break;
      case 4: {
        std::optional<cs::BlockRef> commit;
        if (run[i].header.round == run[i].parent_round + 1 && run[i].parent_round >= 1) {
          commit = cs::BlockRef{run[i].header.parent_hash, run[i].header.height - 1};
        }
        bad_qcs[i] = make_qc(cs::testing::vote_data_for(run[i].header, run[i].parent_round, kEpoch),
                             {0, 1, 2}, commit, 40);
        break;
      }
      case 5:
        if (k >= 2) {
          std::swap(bad_run[0], bad_run[1]);
          std::swap(bad_qcs[0], bad_qcs[1]);
        } else {
          bad_run[0].header.height += 1;
        }
        break;
      case 6: bad_run[i].header.epoch = kEpoch + 1; break;
      default: {
        std::vector<cs::CertifiedHeader> certified;
        for (std::size_t j = 0; j < k; ++j) certified.push_back({run[j].header, qcs[j]});
        BAUHINIA_ASSERT_MSG(!cs::verify_extends(last.header, certified.front()).ok(),
                            "a run attached to the wrong root");
        return;
      }
    }
    BAUHINIA_ASSERT_MSG(!verdict(bad_run, bad_qcs, bad_commit),
                        "a tampered committed run was accepted");

    // A mutated encoding of the run: if it verifies, it certifies the same headers.
    cs::SyncResponse carrier;
    for (std::size_t j = 0; j < k; ++j) carrier.blocks.push_back({run[j].header, {}, qcs[j]});
    carrier.commit_cert = commit_qc;
    core::Bytes enc =
        bauhinia::fuzz::xor_edits(cs::encode_message(cs::Message{carrier}), in_.bytes(12));
    auto decoded = cs::decode_message(enc);
    if (!decoded || !std::holds_alternative<cs::SyncResponse>(*decoded)) return;
    const auto& got = std::get<cs::SyncResponse>(*decoded);
    if (got.blocks.empty() || !got.commit_cert || got.blocks.size() > cs::kMaxSyncBlocks) return;
    std::vector<Block> got_run;
    std::vector<cs::QuorumCert> got_qcs;
    for (const cs::SyncBlock& b : got.blocks) {
      got_run.push_back(Block{b.header, 0, {}});
      got_qcs.push_back(b.qc);
    }
    if (!verdict(got_run, got_qcs, *got.commit_cert)) return;
    BAUHINIA_ASSERT_MSG(got_run.size() == run.size(),
                        "an accepted mutation changed the run's length");
    for (std::size_t j = 0; j < k; ++j) {
      BAUHINIA_ASSERT_MSG(got_run[j].header == run[j].header &&
                              got_qcs[j].vote_data == qcs[j].vote_data &&
                              got_qcs[j].ledger_info() == qcs[j].ledger_info(),
                          "an accepted mutation certifies something else");
    }
    BAUHINIA_ASSERT_MSG(got.commit_cert->ledger_info() == commit_qc.ledger_info(),
                        "an accepted mutation commits something else");
  }

  FuzzInput& in_;
  cs::Replica replica_;
  std::vector<Block> pool_;
  std::map<Hash256, chain::BlockHeader> executed_;
  std::map<cs::Round, chain::LedgerInfo> my_votes_;
  std::optional<cs::SyncRequest> pending_request_;
  Hash256 committed_id_;
  std::uint64_t committed_height_ = 0;
  cs::Epoch persisted_epoch_ = 0;
  cs::Round persisted_lvr_ = 0;
  cs::SafetyState persisted_state_;         // the last PersistSafetyState
  std::vector<cs::SyncBlock> kept_blocks_;  // PersistBlock'd, given back on restart
  std::optional<cs::Commit> last_commit_;   // the root to restart from
  std::uint64_t now_ms_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzInput in(data, size);
  Harness h(in);
  h.run();
  return 0;
}
