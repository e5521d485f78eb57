// Attack validator_forgery (issue 15, item 7): consensus messages under a
// validator's real key (run from a validator's home, its node stopped), so
// that the replica gets past its membership check and must refuse them on
// their own merits. Steps (--variant "step@node,..."; plan.hpp):
//   far_future_round  a correctly signed timeout for round + 10^6 (refused:
//                     out_of_range; not penalised, nothing kept)
//   far_future_epoch  a correctly signed timeout of epoch + 1000: the node
//                     only asks us (once a round) which epoch we are in; the
//                     harness waits for that SyncRequest ("asked" in the detail)
// A node may be given as "any": the first node still connected to us.
//   forged_proposal   a real proposal with one signature bit flipped (refused:
//                     bad_signature, penalised)
//   forged_timeout    a timeout for round + 1 with a bad signature (penalised)
//   forged_vote       a vote for a real proposal with a bad signature, sent to
//                     every connected validator (node "all"): the round's next
//                     leader refuses it as bad_signature and penalises us, the
//                     others refuse it as sent to the wrong leader. Repeated on
//                     later proposals (at most 5) until one node drops us.
// RESULT done <steps>.
#include <thread>

#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/node/key_file.hpp"
#include "harness.hpp"
#include "plan.hpp"

namespace bauhinia::peer_harness {
namespace {

std::optional<consensus::Proposal> next_proposal(Harness& h, Millis timeout) {
  auto m = h.receive(timeout, [](const network::InboundMessage& in) {
    if (in.channel != network::Channel::kConsensus) return false;
    auto d = consensus::decode_message(in.payload);
    return d && std::holds_alternative<consensus::Proposal>(*d);
  });
  if (!m) return std::nullopt;
  return std::get<consensus::Proposal>(*consensus::decode_message(m->payload));
}

consensus::TimeoutMessage timeout_for(const consensus::Proposal& p, consensus::Epoch epoch,
                                      consensus::Round round, const std::string& chain_id,
                                      const core::ed25519::SecretKey& key) {
  consensus::TimeoutMessage t;
  t.epoch = epoch;
  t.round = round;
  t.high_qc = p.qc;
  t.author = key.public_key();
  t.signature = key.sign(t.signing_data(chain_id).signing_hash().view());
  return t;
}

consensus::Vote bad_vote_for(const consensus::Proposal& p, const std::string& chain_id,
                             const core::ed25519::SecretKey& key) {
  consensus::Vote v = vote_for(p, chain_id, key);
  v.signature.bytes[5] ^= 0x10;
  return v;
}

network::SendResult send_msg(Harness& h, const Key& to, const consensus::Message& m) {
  return h.send(to, network::Channel::kConsensus, consensus::encode_message(m));
}

int run(Harness& h, const AttackArgs& a) {
  auto plan = parse_plan(a.variant);
  if (!plan) return result(64, "usage", plan.error().to_string());
  auto key = node::read_ed25519_key(h.config().key_file);
  if (!key) return result(2, "no-key", key.error().to_string());
  const std::string& chain_id = h.genesis().chain_id;
  int steps = 0;
  for (const PlanStep& step : *plan) {
    const std::string& v = step.step;
    if (v == "forged_vote") {
      if (step.node != "all") return result(64, "usage", "forged_vote@all");
      std::string verdict = "kept";
      for (int attempt = 0; attempt < 5 && verdict == "kept"; ++attempt) {
        auto p = next_proposal(h, a.timeout);
        if (!p) return result(2, "no-proposal", step.step);
        const auto peers = h.peers().connected_peers();
        const consensus::Vote vote = bad_vote_for(*p, chain_id, *key);
        for (const auto& peer : peers) (void)send_msg(h, peer, consensus::Message{vote});
        // The next leader drops us at once; wait for the next proposal's
        // time before trying a later round.
        const auto deadline = std::chrono::steady_clock::now() + Millis(3000);
        while (std::chrono::steady_clock::now() < deadline && verdict == "kept") {
          for (const auto& peer : peers) {
            if (!h.connected(peer)) verdict = "penalized";
          }
          std::this_thread::sleep_for(Millis(20));
        }
        say("forged vote for round " + std::to_string(p->round()) + ": " + verdict);
      }
      check_line(step, verdict);
      ++steps;
      continue;
    }
    // "any": a node still connected to us (earlier steps may have had us banned).
    core::Result<Key> target_r = core::Status::not_found("no node connected");
    if (step.node == "any") {
      const auto peers = h.peers().connected_peers();
      if (!peers.empty()) target_r = peers.front();
    } else {
      target_r = h.resolve(step.node);
    }
    if (!target_r) return result(64, "usage", target_r.error().to_string());
    const Key target = *target_r;
    if (!h.wait_connected(target, a.timeout)) {
      check_line(step, "not-connected");
      return result(2, "not-connected", step.node);
    }
    auto p = next_proposal(h, a.timeout);
    if (!p) return result(2, "no-proposal", step.step);
    const std::string detail = "at " + target.to_hex().substr(0, 12) + " epoch " +
                               std::to_string(p->epoch()) + " round " + std::to_string(p->round());
    if (v == "far_future_round") {
      (void)send_msg(
          h, target,
          consensus::Message{timeout_for(*p, p->epoch(), p->round() + 1'000'000, chain_id, *key)});
      // The node's answer to a consensus sync request: it handled ours before.
      (void)send_msg(h, target,
                     consensus::Message{consensus::SyncRequest{p->epoch(), p->qc.block_id(), 1}});
      auto answer = h.receive(a.timeout, [&](const network::InboundMessage& in) {
        if (in.peer != target || in.channel != network::Channel::kConsensus) return false;
        auto d = consensus::decode_message(in.payload);
        return d && std::holds_alternative<consensus::SyncResponse>(*d);
      });
      check_line(step, answer && h.connected(target) ? "kept" : "penalized", detail);
    } else if (v == "far_future_epoch") {
      (void)send_msg(
          h, target,
          consensus::Message{timeout_for(*p, p->epoch() + 1000, p->round(), chain_id, *key)});
      auto asked = h.receive(a.timeout, [&](const network::InboundMessage& in) {
        if (in.peer != target || in.channel != network::Channel::kConsensus) return false;
        auto d = consensus::decode_message(in.payload);
        if (!d || !std::holds_alternative<consensus::SyncRequest>(*d)) return false;
        // The epoch query: our own epoch, the zero block id, one block.
        const auto& q = std::get<consensus::SyncRequest>(*d);
        return q.epoch == p->epoch() && q.block_id == core::Hash256{} && q.max_blocks == 1;
      });
      check_line(step, h.connected(target) ? "kept" : "penalized",
                 detail + (asked ? " asked" : " not-asked"));
    } else if (v == "forged_proposal") {
      p->signature.bytes[0] ^= 0x01;
      (void)send_msg(h, target, consensus::Message{*p});
      check_line(step, h.wait_disconnected(target, a.timeout) ? "penalized" : "kept", detail);
    } else if (v == "forged_timeout") {
      auto t = timeout_for(*p, p->epoch(), p->round() + 1, chain_id, *key);
      t.signature.bytes[10] ^= 0x04;
      (void)send_msg(h, target, consensus::Message{t});
      check_line(step, h.wait_disconnected(target, a.timeout) ? "penalized" : "kept", detail);
    } else {
      return result(64, "usage", "unknown step " + v);
    }
    ++steps;
  }
  return result(0, "done", std::to_string(steps));
}

}  // namespace
}  // namespace bauhinia::peer_harness

BAUHINIA_PEER_ATTACK(validator_forgery,
                     "consensus messages under a validator's key: forged signatures, "
                     "far-future rounds and epochs (issue 15)",
                     ::bauhinia::peer_harness::run)
