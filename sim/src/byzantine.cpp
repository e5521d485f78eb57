// Byzantine validators, implemented in the host around the real core: the
// core runs unchanged and the host adds what an attacker with the validator's
// key can do (sign a second proposal or vote). Twins need nothing here: they
// are two honest-code instances sharing one key (simulation.cpp).

#include <algorithm>

#include "simulation_impl.hpp"

namespace bauhinia::sim::detail {

bool Simulation::byzantine_send(Node& node, const std::vector<NodeId>& to,
                                const consensus::Message& message) {
  const auto key = [&] { return core::ed25519::SecretKey::from_seed(key_seeds_[node.validator]); };
  if (node.behaviour == Behaviour::kEquivocator) {
    const auto* p = std::get_if<consensus::Proposal>(&message);
    if (p == nullptr || !node.equivocation || node.equivocation->round != p->round()) return false;
    consensus::Proposal other = *p;
    other.header = node.equivocation->header;
    other.payload = node.equivocation->payload;
    other.signature = key().sign(other.signing_data(kChainId).signing_hash().view());
    node.equivocation.reset();
    // Split the receivers: some get the core's proposal, the others the forged one.
    std::vector<NodeId> first, second;
    for (NodeId n : to) (byz_prng_.below(2) == 0 ? first : second).push_back(n);
    if (first.empty() && !second.empty()) {
      first.push_back(second.back());
      second.pop_back();
    }
    if (second.empty() && first.size() > 1) {
      second.push_back(first.back());
      first.pop_back();
    }
    auto a = std::make_shared<const core::Bytes>(consensus::encode_message(message));
    auto b =
        std::make_shared<const core::Bytes>(consensus::encode_message(consensus::Message{other}));
    trace_.record(now(), "equivocate", node.id, other.header.id(),
                  "round " + std::to_string(p->round()));
    transmit(node.id, first, Packet{a});
    transmit(node.id, second, Packet{b});
    // Sometimes each side later sees the other proposal too.
    if (byz_prng_.below(2) == 0) {
      queue_.schedule_in(byz_prng_.between(1, 400), ByzantineSend{node.id, first, b});
      queue_.schedule_in(byz_prng_.between(1, 400), ByzantineSend{node.id, second, a});
    }
    return true;
  }
  if (node.behaviour == Behaviour::kDoubleVoter) {
    const auto* v = std::get_if<consensus::Vote>(&message);
    if (v == nullptr) return false;
    node.double_votes[v->round()].insert(v->vote_data.block_id);
    // Keep the map bounded: old rounds are of no use.
    while (node.double_votes.size() > 64) node.double_votes.erase(node.double_votes.begin());
    // A second vote for a made-up block of the same round, sent with the real one.
    consensus::Vote fake = *v;
    core::Hash256 invented;
    for (std::size_t i = 0; i < 32; i += 8) {
      const std::uint64_t w = byz_prng_.next_u64();
      for (std::size_t b = 0; b < 8; ++b)
        invented.bytes()[i + b] = static_cast<std::uint8_t>(w >> (8 * b));
    }
    fake.vote_data.block_id = invented;
    fake.ledger_info.consensus_data_hash = fake.vote_data.hash();
    fake.signature = key().sign(fake.ledger_info.signing_hash().view());
    auto real = std::make_shared<const core::Bytes>(consensus::encode_message(message));
    auto forged =
        std::make_shared<const core::Bytes>(consensus::encode_message(consensus::Message{fake}));
    if (byz_prng_.below(2) == 0) std::swap(real, forged);
    transmit(node.id, to, Packet{real});
    transmit(node.id, to, Packet{forged});
    return true;
  }
  return false;
}

void Simulation::byzantine_observe(Node& node, const consensus::Message& message) {
  if (node.behaviour != Behaviour::kDoubleVoter) return;
  if (const auto* p = std::get_if<consensus::Proposal>(&message)) double_vote(node, *p);
}

void Simulation::double_vote(Node& node, const consensus::Proposal& p) {
  // Only for a round in which the core already voted for another block: the
  // core refuses to vote twice, the attacker signs the second vote itself.
  auto it = node.double_votes.find(p.round());
  const Hash256 id = p.header.id();
  if (it == node.double_votes.end() || it->second.contains(id) || !node.up()) return;
  it->second.insert(id);
  consensus::Vote v;
  v.vote_data.epoch = p.header.epoch;
  v.vote_data.round = p.header.round;
  v.vote_data.block_id = id;
  v.vote_data.height = p.header.height;
  v.vote_data.parent_round = p.qc.round();
  v.vote_data.parent_id = p.qc.block_id();
  v.ledger_info.chain_id = kChainId;
  v.ledger_info.epoch = p.header.epoch;
  v.ledger_info.round = p.header.round;
  if (!p.qc.is_epoch_root() && p.header.round == p.qc.round() + 1) {
    v.ledger_info.commit_block = p.qc.block_id();
    v.ledger_info.commit_height = p.qc.vote_data.height;
  }
  v.ledger_info.consensus_data_hash = v.vote_data.hash();
  v.author = validator_set_.validators[node.validator].key;
  v.signature = core::ed25519::SecretKey::from_seed(key_seeds_[node.validator])
                    .sign(v.ledger_info.signing_hash().view());
  const std::vector<NodeId> to = instances_of(node.replica->leader_of(p.round() + 1));
  trace_.record(now(), "double-vote", node.id, id, "round " + std::to_string(p.round()));
  send_consensus(node, to, consensus::Message{v});
}

}  // namespace bauhinia::sim::detail
