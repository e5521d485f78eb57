// Attacks with votes signed by a real validator key.
//
// Attack removed_validator (issue 10, item 3): a validator that governance
// removed keeps voting. Run from the removed validator's own home (its node
// stopped), the harness joins with its real key, waits for proposals of
// epoch --set epoch=E or later (the epoch in which it is no longer a member)
// and answers each with a vote signed by that key, correctly formed for the
// proposal, sent to --target. The target's replica must refuse every one as
// a non-member's (metric bauhinia_consensus_messages_rejected_total
// {reason="unknown_signer"}, which the Python test reads).
// Parameters: --set epoch=E (required), --set votes=N (default 5).
// RESULT sent <N> (the votes sent) or timeout.
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/node/key_file.hpp"
#include "harness.hpp"

namespace bauhinia::peer_harness {
namespace {

int run(Harness& h, const AttackArgs& a) {
  auto epoch = a.number("epoch", UINT64_MAX);
  auto wanted = a.number("votes", 5);
  if (!epoch || !wanted || *epoch == UINT64_MAX) {
    return result(64, "usage", "--set epoch=E (the first epoch without this validator)");
  }
  auto key = node::read_ed25519_key(h.config().key_file);
  if (!key) return result(2, "no-key", key.error().to_string());
  if (!h.wait_connected(a.target, a.timeout)) return result(2, "not-connected");
  std::uint64_t sent = 0;
  consensus::Round last_round = 0;
  const auto deadline = std::chrono::steady_clock::now() + a.timeout;
  while (sent < *wanted && std::chrono::steady_clock::now() < deadline) {
    auto m = h.receive(Millis{1000}, [](const network::InboundMessage& in) {
      return in.channel == network::Channel::kConsensus;
    });
    if (!m) continue;
    auto msg = consensus::decode_message(m->payload);
    if (!msg) continue;
    const auto* p = std::get_if<consensus::Proposal>(&*msg);
    if (p == nullptr || p->header.epoch < *epoch || p->header.round <= last_round) continue;
    last_round = p->header.round;
    const consensus::Vote v = vote_for(*p, h.genesis().chain_id, *key);
    if (h.send(a.target, network::Channel::kConsensus,
               consensus::encode_message(consensus::Message{v})) == network::SendResult::kQueued) {
      ++sent;
      say("voted for block " + p->header.id().to_hex().substr(0, 12) + " of epoch " +
          std::to_string(p->header.epoch) + " round " + std::to_string(p->header.round));
    }
  }
  if (sent < *wanted) return result(1, "timeout", std::to_string(sent) + " votes sent");
  return result(0, "sent", std::to_string(sent));
}

// Attack equivocate (issue 10, item 4): a validator signs two different
// votes in one round. Run from a validator's home (its node stopped), for
// each of --set pairs=N (default 1) proposals it sends the vote for the
// proposed block and a vote for another block id, both signed with its real
// key, to every connected node (the round's next leader detects the
// conflict; the others refuse votes not meant for them). RESULT sent <N>.
int run_equivocate(Harness& h, const AttackArgs& a) {
  auto wanted = a.number("pairs", 1);
  if (!wanted) return result(64, "usage", wanted.error().to_string());
  auto key = node::read_ed25519_key(h.config().key_file);
  if (!key) return result(2, "no-key", key.error().to_string());
  if (!h.wait_connected(a.target, a.timeout)) return result(2, "not-connected");
  std::uint64_t sent = 0;
  consensus::Round last_round = 0;
  const auto deadline = std::chrono::steady_clock::now() + a.timeout;
  while (sent < *wanted && std::chrono::steady_clock::now() < deadline) {
    auto m = h.receive(Millis{1000}, [](const network::InboundMessage& in) {
      return in.channel == network::Channel::kConsensus;
    });
    if (!m) continue;
    auto msg = consensus::decode_message(m->payload);
    if (!msg) continue;
    const auto* p = std::get_if<consensus::Proposal>(&*msg);
    if (p == nullptr || p->header.round <= last_round) continue;
    last_round = p->header.round;
    const consensus::Vote honest = vote_for(*p, h.genesis().chain_id, *key);
    consensus::Proposal other = *p;
    other.header.timestamp_ms += 1;  // another block id
    const consensus::Vote conflicting = vote_for(other, h.genesis().chain_id, *key);
    for (const auto& peer : h.peers().connected_peers()) {
      for (const auto& v : {honest, conflicting}) {
        (void)h.send(peer, network::Channel::kConsensus,
                     consensus::encode_message(consensus::Message{v}));
      }
    }
    ++sent;
    say("signed two votes in epoch " + std::to_string(p->header.epoch) + " round " +
        std::to_string(p->header.round));
  }
  if (sent < *wanted) return result(1, "timeout", std::to_string(sent) + " pairs sent");
  return result(0, "sent", std::to_string(sent));
}

}  // namespace
}  // namespace bauhinia::peer_harness

BAUHINIA_PEER_ATTACK(equivocate, "a validator signs two different votes in one round (item 4)",
                     ::bauhinia::peer_harness::run_equivocate)
BAUHINIA_PEER_ATTACK(removed_validator,
                     "a validator removed by governance keeps voting (issue 10, item 3)",
                     ::bauhinia::peer_harness::run)
