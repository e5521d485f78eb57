// Attacks as a Byzantine LEADER (issue 15, item 7), run from a validator's
// home with its node stopped. The harness waits until its key leads a round
// r: the honest validators then send it their votes for the proposal P of
// round r-1 (they expect its node to propose next). With a quorum of them it
// forms P's genuine QC (chain::build_quorum_certificate), a certificate no
// other node holds yet: it commits P's parent, one block beyond every honest
// node's committed root.
//
// Attack equivocating_leader: two different valid proposals for round r,
// empty children of P stamped 1 ms apart (an empty block changes no state:
// the parent's roots carry over), both signed with the real key. A goes to
// --set a=NODE, B to --set b=NODE, and A then B to --set both=NODE. With
// --set vote=1 the harness also votes for A (sent to every node; only round
// r+1's leader counts it), so that A can be certified. For --set serve_ms=N
// (default 3000) it then answers consensus SyncRequests for A or B (a node
// that learns A's QC without A asks the last voter, possibly us).
// RESULT sent <round> <height> <A id> <B id>.
//
// Attack withheld_block: a proposal for round r (an empty child of P) sent to
// every node but round r+1's leader (the victim, round robin); a second later
// our own vote for it completes the victim's quorum, so the victim holds the
// block's QC without the block and asks us, the last voter, for it (a
// solicited consensus SyncRequest). Plan steps, one leadership round each,
// against node "next" (the victim):
//   uncertified       answered with another block, one the QC does not
//                     certify (refused: bad_proof; not penalised)
//   forged_parent_qc  answered with the block asked for, its parent's QC
//                     with one signature bit flipped (refused: bad_signature,
//                     penalised)
// The victim then gets the block from an honest node (the next proposal
// builds on it). Prints "victim <key>"; RESULT done <steps>.
//
// Attack leader_sync_qc: unsolicited consensus SyncResponses (the replica's
// own SyncRequest/SyncResponse kind, not the host's ledger sync) carrying the
// fresh QC as the commit certificate, forged; plan steps (plan.hpp), all in
// one leadership round, each against its own node:
//   bad_signature  the genuine fresh QC with one signature bit flipped
//   other_block    its signatures over vote data naming another block (P's
//                  parent, at P's height; ledger info made consistent)
//   huge_round     its signatures over round 2^62 (ledger info consistent)
//   genuine        the fresh QC unchanged (a control: accepted, not penalised)
// The verdict of each step: penalized (the node dropped us) or kept.
// RESULT done <steps>.
#include <thread>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/consensus/certificates.hpp"
#include "bauhinia/consensus/leader_election.hpp"
#include "bauhinia/node/key_file.hpp"
#include "harness.hpp"
#include "plan.hpp"

namespace bauhinia::peer_harness {
namespace {

std::uint64_t unix_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

struct Leadership {
  consensus::Proposal parent;  // P, the proposal of round r-1
  consensus::QuorumCert qc;    // P's QC, formed from the votes sent to us
  consensus::Round round = 0;  // r
};

std::optional<consensus::Message> consensus_message(const network::InboundMessage& in) {
  if (in.channel != network::Channel::kConsensus) return std::nullopt;
  auto d = consensus::decode_message(in.payload);
  if (!d) return std::nullopt;
  return std::move(d).value();
}

// Until a quorum of votes for one proposal arrives (we lead the next round).
// Our own vote for every proposal counts too (a node that banned us sends us
// no votes; the honest rest and we still make a quorum).
std::optional<Leadership> await_leadership(Harness& h, Millis timeout,
                                           const core::ed25519::SecretKey& key) {
  const chain::ValidatorSet& set = h.genesis().validators;
  std::map<core::Hash256, consensus::Proposal> proposals;  // by block id (recent)
  // Votes by the hash their signers signed: the vote data and signatures.
  struct Tally {
    consensus::VoteData data;
    chain::LedgerInfo info;
    std::vector<chain::IndexedSignature> sigs;
    std::uint64_t power = 0;
  };
  std::map<core::Hash256, Tally> tallies;
  consensus::Round newest = 0;
  const auto me = set.index_of(key.public_key());
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto m = h.receive(Millis{500}, [](const network::InboundMessage& in) {
      return in.channel == network::Channel::kConsensus;
    });
    if (!m) continue;
    auto msg = consensus_message(*m);
    if (!msg) continue;
    std::optional<consensus::Vote> own;
    if (const auto* p = std::get_if<consensus::Proposal>(&*msg)) {
      if (proposals.size() > 64) proposals.clear();
      if (tallies.size() > 64) tallies.clear();
      proposals.emplace(p->header.id(), *p);
      if (!me) continue;
      own = vote_for(*p, h.genesis().chain_id, key);
    }
    const consensus::Vote* v = own ? &*own : std::get_if<consensus::Vote>(&*msg);
    if (v == nullptr || v->round() + 1 < newest) continue;
    newest = std::max(newest, v->round() + 1);
    const auto idx = set.index_of(v->author);
    if (!idx) continue;
    Tally& t = tallies[v->ledger_info.signing_hash()];
    if (std::any_of(t.sigs.begin(), t.sigs.end(), [&](const auto& s) { return s.first == *idx; })) {
      continue;
    }
    t.data = v->vote_data;
    t.info = v->ledger_info;
    t.sigs.emplace_back(*idx, v->signature);
    t.power += set.validators[*idx].voting_power;
    if (t.power < set.quorum_power()) continue;
    // The proposal went out before its votes; wait a little if it is late.
    auto it = proposals.find(t.data.block_id);
    for (int i = 0; i < 20 && it == proposals.end(); ++i) {
      auto late = h.receive(Millis{100}, [&](const network::InboundMessage& in) {
        auto d = consensus_message(in);
        return d && std::holds_alternative<consensus::Proposal>(*d) &&
               std::get<consensus::Proposal>(*d).header.id() == t.data.block_id;
      });
      if (late) {
        auto p = std::get<consensus::Proposal>(*consensus_message(*late));
        it = proposals.emplace(p.header.id(), p).first;
      }
    }
    if (it == proposals.end()) continue;
    std::sort(t.sigs.begin(), t.sigs.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    auto cert = chain::build_quorum_certificate(t.info, set, t.sigs);
    if (!cert) {
      say("cannot form a QC: " + cert.error().to_string());
      continue;
    }
    say("leader of round " + std::to_string(t.data.round + 1) + ": formed the QC of block " +
        t.data.block_id.to_hex().substr(0, 12) + " at height " + std::to_string(t.data.height) +
        " from " + std::to_string(t.sigs.size()) + " votes");
    return Leadership{it->second, consensus::QuorumCert{t.data, std::move(cert).value()},
                      t.data.round + 1};
  }
  return std::nullopt;
}

// An empty child of the leadership's parent, valid in every respect.
consensus::Proposal empty_child(const Leadership& l, std::uint64_t timestamp_ms,
                                const std::string& chain_id, const core::ed25519::SecretKey& key) {
  consensus::Proposal p;
  const chain::BlockHeader& ph = l.parent.header;
  p.header = ph;  // version, epoch, accumulator, state root, validator sets: unchanged
  p.header.height = ph.height + 1;
  p.header.round = l.round;
  p.header.parent_hash = ph.id();
  p.header.timestamp_ms = timestamp_ms;
  p.header.proposer = key.public_key();
  p.header.transactions_root = chain::transactions_root_of({});
  p.header.next_validator_set_hash = ph.validator_set_hash;
  p.qc = l.qc;
  p.signature = key.sign(p.signing_data(chain_id).signing_hash().view());
  return p;
}

network::SendResult send_msg(Harness& h, const Key& to, const consensus::Message& m) {
  return h.send(to, network::Channel::kConsensus, consensus::encode_message(m));
}

std::optional<Key> node_param(Harness& h, const AttackArgs& a, const std::string& name) {
  auto it = a.params.find(name);
  if (it == a.params.end()) return std::nullopt;
  auto k = h.resolve(it->second);
  if (!k) return std::nullopt;
  return *k;
}

int run_equivocating(Harness& h, const AttackArgs& a) {
  auto key = node::read_ed25519_key(h.config().key_file);
  if (!key) return result(2, "no-key", key.error().to_string());
  const auto to_a = node_param(h, a, "a");
  const auto to_b = node_param(h, a, "b");
  const auto to_both = node_param(h, a, "both");
  auto vote = a.number("vote", 0);
  auto serve_ms = a.number("serve_ms", 3000);
  if (!to_both || !vote || !serve_ms) {
    return result(64, "usage", "--set both=NODE [a=NODE] [b=NODE] [vote=1] [serve_ms=N]");
  }
  for (const auto& k : {to_a, to_b, to_both}) {
    if (k && !h.wait_connected(*k, a.timeout)) return result(2, "not-connected");
  }
  auto lead = await_leadership(h, a.timeout, *key);
  if (!lead) return result(2, "not-leader", "no quorum of votes came to this key");
  const std::string& chain_id = h.genesis().chain_id;
  const std::uint64_t ts = std::max(unix_ms(), lead->parent.header.timestamp_ms + 1);
  const consensus::Proposal pa = empty_child(*lead, ts, chain_id, *key);
  const consensus::Proposal pb = empty_child(*lead, ts + 1, chain_id, *key);
  if (to_a) (void)send_msg(h, *to_a, consensus::Message{pa});
  if (to_b) (void)send_msg(h, *to_b, consensus::Message{pb});
  (void)send_msg(h, *to_both, consensus::Message{pa});
  (void)send_msg(h, *to_both, consensus::Message{pb});
  say("proposed two blocks for round " + std::to_string(lead->round) + " at height " +
      std::to_string(pa.header.height) + ": A " + pa.header.id().to_hex().substr(0, 12) + ", B " +
      pb.header.id().to_hex().substr(0, 12));
  if (*vote != 0) {
    const consensus::Vote v = vote_for(pa, chain_id, *key);
    for (const auto& peer : h.peers().connected_peers()) {
      (void)send_msg(h, peer, consensus::Message{v});
    }
    say("voted for A");
  }
  // Serve A and B to whoever asks (an honest leader would have them too).
  const auto until = std::chrono::steady_clock::now() + Millis(*serve_ms);
  int served = 0;
  while (std::chrono::steady_clock::now() < until) {
    auto m = h.receive(Millis{100}, [&](const network::InboundMessage& in) {
      auto d = consensus_message(in);
      if (!d || !std::holds_alternative<consensus::SyncRequest>(*d)) return false;
      const auto& q = std::get<consensus::SyncRequest>(*d);
      return q.block_id == pa.header.id() || q.block_id == pb.header.id();
    });
    if (!m) continue;
    const auto q = std::get<consensus::SyncRequest>(*consensus_message(*m));
    const consensus::Proposal& p = q.block_id == pa.header.id() ? pa : pb;
    consensus::SyncResponse resp;
    resp.epoch = q.epoch;
    resp.block_id = q.block_id;
    resp.blocks.push_back(consensus::SyncBlock{p.header, p.payload, p.qc});
    (void)send_msg(h, m->peer, consensus::Message{resp});
    ++served;
  }
  if (served > 0) say("served A or B to " + std::to_string(served) + " request(s)");
  return result(0, "sent",
                std::to_string(lead->round) + " " + std::to_string(pa.header.height) + " " +
                    pa.header.id().to_hex() + " " + pb.header.id().to_hex());
}

int run_sync_qc(Harness& h, const AttackArgs& a) {
  auto plan = parse_plan(a.variant);
  if (!plan) return result(64, "usage", plan.error().to_string());
  auto key = node::read_ed25519_key(h.config().key_file);
  if (!key) return result(2, "no-key", key.error().to_string());
  std::vector<Key> targets;
  for (const PlanStep& s : *plan) {
    auto k = h.resolve(s.node);
    if (!k) return result(64, "usage", k.error().to_string());
    if (!h.wait_connected(*k, a.timeout)) return result(2, "not-connected", s.node);
    targets.push_back(*k);
  }
  // A leadership whose fresh QC commits (its round follows its parent's).
  std::optional<Leadership> lead;
  const auto deadline = std::chrono::steady_clock::now() + a.timeout;
  while (!lead && std::chrono::steady_clock::now() < deadline) {
    lead = await_leadership(h, a.timeout, *key);
    if (lead && !lead->qc.commits()) lead.reset();
  }
  if (!lead) return result(2, "not-leader", "no quorum of votes for a committing QC came to us");
  const consensus::QuorumCert& fresh = lead->qc;
  // The forgeries first (each in its own response), then the judgements.
  for (std::size_t i = 0; i < plan->size(); ++i) {
    const std::string& v = (*plan)[i].step;
    consensus::QuorumCert qc = fresh;
    auto consistent = [&] {
      qc.certificate.ledger_info.round = qc.vote_data.round;
      qc.certificate.ledger_info.consensus_data_hash = qc.vote_data.hash();
    };
    if (v == "bad_signature") {
      qc.certificate.signatures[0].bytes[5] ^= 0x10;
    } else if (v == "other_block") {
      qc.vote_data.block_id = lead->parent.header.parent_hash;
      consistent();
    } else if (v == "huge_round") {
      qc.vote_data.round = std::uint64_t{1} << 62;
      qc.vote_data.parent_round = qc.vote_data.round - 1;
      consistent();
    } else if (v != "genuine") {
      return result(64, "usage", "unknown step " + v);
    }
    consensus::SyncResponse resp;
    resp.epoch = qc.epoch();
    resp.commit_cert = qc;
    (void)send_msg(h, targets[i], consensus::Message{resp});
  }
  for (std::size_t i = 0; i < plan->size(); ++i) {
    const std::string detail = "round " + std::to_string(lead->round) + " commit height " +
                               std::to_string(fresh.ledger_info().commit_height);
    const bool dropped =
        h.wait_disconnected(targets[i], (*plan)[i].step == "genuine" ? Millis(1500) : a.timeout);
    check_line((*plan)[i], dropped ? "penalized" : "kept", detail);
  }
  return result(0, "done", std::to_string(plan->size()));
}

// The validator that leads `round` under round robin (the election the test
// configures: the attacks need to predict the schedule).
Key leader_of(Harness& h, consensus::Round round) {
  const chain::ValidatorSet& set = h.genesis().validators;
  return set.validators[consensus::make_round_robin_election()->leader_index(0, round, set)].key;
}

int run_withheld(Harness& h, const AttackArgs& a) {
  auto plan = parse_plan(a.variant);
  if (!plan) return result(64, "usage", plan.error().to_string());
  if (h.config().leader_election != "round_robin") {
    return result(64, "usage", "withheld_block needs the round_robin leader election");
  }
  auto key = node::read_ed25519_key(h.config().key_file);
  if (!key) return result(2, "no-key", key.error().to_string());
  const std::string& chain_id = h.genesis().chain_id;
  int steps = 0;
  for (const PlanStep& step : *plan) {
    const std::string& v = step.step;
    if (v != "uncertified" && v != "forged_parent_qc") {
      return result(64, "usage", "unknown step " + v);
    }
    auto lead = await_leadership(h, a.timeout, *key);
    if (!lead) return result(2, "not-leader", "no quorum of votes came to this key");
    // The victim: the next round's leader, the one node not given our block.
    const Key victim = leader_of(h, lead->round + 1);
    if (!h.connected(victim)) return result(2, "not-connected", "the next leader");
    say("victim " + victim.to_hex());
    const consensus::Proposal pa = empty_child(
        *lead, std::max(unix_ms(), lead->parent.header.timestamp_ms + 1), chain_id, *key);
    for (const auto& peer : h.peers().connected_peers()) {
      if (peer != victim) (void)send_msg(h, peer, consensus::Message{pa});
    }
    // The others' votes reach the victim first; ours completes the quorum, so
    // the victim, which does not have the block, asks us for it.
    std::this_thread::sleep_for(Millis(1000));
    (void)send_msg(h, victim, consensus::Message{vote_for(pa, chain_id, *key)});
    auto asked = h.receive(Millis(5000), [&](const network::InboundMessage& in) {
      if (in.peer != victim) return false;
      auto d = consensus_message(in);
      return d && std::holds_alternative<consensus::SyncRequest>(*d) &&
             std::get<consensus::SyncRequest>(*d).block_id == pa.header.id();
    });
    const std::string detail =
        "round " + std::to_string(lead->round) + " height " + std::to_string(pa.header.height);
    if (!asked) {
      check_line(step, "not-asked", detail);
      return result(2, "not-asked", step.step);
    }
    consensus::SyncResponse resp;
    resp.epoch = pa.epoch();
    resp.block_id = pa.header.id();
    if (v == "uncertified") {
      // Another block than the one asked for (the QC the victim holds does
      // not certify it).
      const consensus::Proposal other =
          empty_child(*lead, pa.header.timestamp_ms + 1, chain_id, *key);
      resp.blocks.push_back(consensus::SyncBlock{other.header, other.payload, other.qc});
    } else {
      // The block asked for, its parent's QC with one signature bit flipped.
      consensus::QuorumCert qc = pa.qc;
      qc.certificate.signatures[0].bytes[5] ^= 0x10;
      resp.blocks.push_back(consensus::SyncBlock{pa.header, pa.payload, qc});
    }
    (void)send_msg(h, victim, consensus::Message{resp});
    const bool dropped = h.wait_disconnected(victim, v == "uncertified" ? Millis(1500) : a.timeout);
    check_line(step, dropped ? "penalized" : "kept", detail + " asked");
    ++steps;
  }
  return result(0, "done", std::to_string(steps));
}

}  // namespace
}  // namespace bauhinia::peer_harness

BAUHINIA_PEER_ATTACK(equivocating_leader,
                     "as the round's leader, two different valid proposals for one round "
                     "(issue 15)",
                     ::bauhinia::peer_harness::run_equivocating)
BAUHINIA_PEER_ATTACK(withheld_block,
                     "as the round's leader, withholds its block from the next leader and "
                     "answers its request with a forged one (issue 15)",
                     ::bauhinia::peer_harness::run_withheld)
BAUHINIA_PEER_ATTACK(leader_sync_qc,
                     "as the round's leader, consensus sync responses with forged commit "
                     "certificates (issue 15)",
                     ::bauhinia::peer_harness::run_sync_qc)
