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
  if (node.behaviour == Behaviour::kForger) {
    if (const auto* v = std::get_if<consensus::Vote>(&message)) {
      send_consensus(node, to, message);
      send_forged_certificate(node, *v);
      return true;
    }
    return false;
  }
  if (node.behaviour == Behaviour::kForkLeader) return fork_send(node, to, message);
  if (node.behaviour == Behaviour::kStaleLeader) {
    if (const auto* t = std::get_if<consensus::TimeoutMessage>(&message)) {
      byzantine_observe(node, message);  // its own timeout counts too
      (void)t;
      return false;
    }
    const auto* p = std::get_if<consensus::Proposal>(&message);
    if (p == nullptr || !node.stale_proposal || node.stale_proposal->round() != p->round()) {
      return false;
    }
    trace_.record(now(), "stale-proposal", node.id, node.stale_proposal->header.id(),
                  "round " + std::to_string(p->round()) + " on qc round " +
                      std::to_string(node.stale_proposal->qc.round()) + " instead of " +
                      std::to_string(p->qc.round()));
    send_consensus(node, to, consensus::Message{*node.stale_proposal});
    node.stale_proposal.reset();
    return true;
  }
  return false;
}

void Simulation::byzantine_observe(Node& node, const consensus::Message& message) {
  if (node.behaviour == Behaviour::kDoubleVoter) {
    if (const auto* p = std::get_if<consensus::Proposal>(&message)) double_vote(node, *p);
    return;
  }
  if (node.behaviour == Behaviour::kForkLeader) {
    fork_observe(node, message);
    return;
  }
  if (node.behaviour == Behaviour::kStaleLeader) {
    const auto* t = std::get_if<consensus::TimeoutMessage>(&message);
    if (t == nullptr) return;
    note_timeout(node, *t);
  }
}

void Simulation::note_timeout(Node& node, const consensus::TimeoutMessage& t) {
  const auto index = epoch_set(node).index_of(t.author);
  if (!index) return;
  auto& by_author = node.timeouts_seen[t.round];
  // Keep the lowest high QC each validator signed for the round.
  auto [it, fresh] = by_author.emplace(*index, t);
  if (!fresh && t.high_qc.round() < it->second.high_qc.round()) it->second = t;
  while (node.timeouts_seen.size() > 8) node.timeouts_seen.erase(node.timeouts_seen.begin());
}

void Simulation::send_forged_certificate(Node& node, const consensus::Vote& vote) {
  // A QC that counts one signer several times: the forger's own vote
  // signature copied into the slots of other validators until the bitmap
  // claims a quorum. Carried as the high QC of a signed timeout for the next
  // round, which every honest replica must refuse (and never relay).
  const chain::ValidatorSet& set = epoch_set(node);
  const auto member = set.index_of(vote.author);
  if (!member) return;  // not a validator of this epoch (any more)
  const std::size_t me = *member;
  const std::size_t n = set.validators.size();
  consensus::QuorumCert qc;
  qc.vote_data = vote.vote_data;
  qc.certificate.ledger_info = vote.ledger_info;
  qc.certificate.signer_bitmap.assign((n + 7) / 8, 0);
  std::vector<std::size_t> claimed{me};
  std::uint64_t power = set.validators[me].voting_power;
  const std::size_t start = byz_prng_.below(n);
  for (std::size_t k = 0; k < n && power < set.quorum_power(); ++k) {
    const std::size_t i = (start + k) % n;
    if (i == me) continue;
    claimed.push_back(i);
    power += set.validators[i].voting_power;
  }
  std::sort(claimed.begin(), claimed.end());
  for (std::size_t i : claimed) {
    consensus::bitmap_set(qc.certificate.signer_bitmap, i);
    qc.certificate.signatures.push_back(vote.signature);
  }
  if (byz_prng_.below(2) == 0) {
    // The other form: the signer listed once more than the bitmap says.
    qc.certificate.signatures.push_back(vote.signature);
  }
  consensus::TimeoutMessage t;
  t.epoch = vote.epoch();
  t.round = vote.round() + 1;
  t.high_qc = qc;
  t.author = vote.author;
  t.signature = core::ed25519::SecretKey::from_seed(key_seeds_[node.validator])
                    .sign(t.signing_data(kChainId).signing_hash().view());
  ++result_.forged;
  trace_.record(now(), "forged-qc", node.id, core::sha256(core::encode(qc)),
                "round " + std::to_string(vote.round()) + ", " + std::to_string(claimed.size()) +
                    " slots, one signer");
  send_consensus(node, others_of(node), consensus::Message{t});
}

std::optional<consensus::TimeoutCertificate> Simulation::lowest_tc(const Node& node,
                                                                   consensus::Epoch epoch,
                                                                   consensus::Round round) const {
  // Of all the timeouts of `round` seen, those with the lowest high QCs, and
  // our own re-signed with the lowest QC any of them carries.
  auto seen = node.timeouts_seen.find(round);
  if (seen == node.timeouts_seen.end()) return std::nullopt;
  const chain::ValidatorSet& set = epoch_set(node);
  const auto member = member_index(node);
  if (!member) return std::nullopt;
  const std::size_t my_index = *member;
  // The lowest QC any timeout of that round carries.
  const consensus::TimeoutMessage* lowest = nullptr;
  for (const auto& [i, t] : seen->second) {
    if (lowest == nullptr || t.high_qc.round() < lowest->high_qc.round()) lowest = &t;
  }
  if (lowest == nullptr) return std::nullopt;
  std::vector<std::pair<consensus::Round, std::size_t>> order;  // (hqc round, index)
  std::map<std::size_t, consensus::TimeoutMessage> chosen_msgs;
  for (const auto& [i, t] : seen->second) {
    if (i == my_index) continue;
    order.emplace_back(t.high_qc.round(), i);
  }
  std::sort(order.begin(), order.end());
  // Our own timeout, re-signed over the lowest QC.
  consensus::TimeoutMessage mine;
  mine.epoch = epoch;
  mine.round = round;
  mine.high_qc = lowest->high_qc;
  mine.author = keys_[node.validator];
  mine.signature = core::ed25519::SecretKey::from_seed(key_seeds_[node.validator])
                       .sign(mine.signing_data(kChainId).signing_hash().view());
  chosen_msgs.emplace(my_index, mine);
  const std::uint64_t quorum = set.quorum_power();
  std::uint64_t power = set.validators[my_index].voting_power;
  for (const auto& [r, i] : order) {
    if (power >= quorum) break;
    chosen_msgs.emplace(i, seen->second.at(i));
    power += set.validators[i].voting_power;
  }
  if (power < quorum) return std::nullopt;
  consensus::TimeoutCertificate tc;
  tc.epoch = epoch;
  tc.round = round;
  tc.signer_bitmap.assign((set.validators.size() + 7) / 8, 0);
  std::size_t best = my_index;
  for (const auto& [i, t] : chosen_msgs) {  // index order
    consensus::bitmap_set(tc.signer_bitmap, i);
    tc.high_qc_rounds.push_back(t.high_qc.round());
    tc.signatures.push_back(t.signature);
    if (t.high_qc.round() > chosen_msgs.at(best).high_qc.round()) best = i;
  }
  tc.high_qc = chosen_msgs.at(best).high_qc;
  if (!consensus::verify_tc(tc, node.replica->epoch_context()).ok()) return std::nullopt;
  return tc;
}

void Simulation::prepare_stale_proposal(Node& node, const consensus::BuildProposal& b) {
  // A leader may justify its round with any TC of the previous round; this one
  // aggregates, of all the timeouts it saw, those with the lowest high QCs (and
  // signs its own with the lowest QC it knows), then extends that TC's high QC:
  // the oldest branch the two-chain voting rule lets it propose on. Honest
  // voters must refuse whatever their lock forbids.
  node.stale_proposal.reset();
  if (b.round == 0) return;
  auto tc = lowest_tc(node, b.epoch, b.round - 1);
  if (!tc) return;
  if (tc->high_qc.block_id() == b.parent.id()) return;  // no older branch than the core's
  auto parent = node.ledger->header_of(tc->high_qc.block_id());
  if (!parent) return;
  consensus::BuildProposal stale = b;
  stale.parent = *parent;
  stale.min_timestamp_ms = parent->timestamp_ms + 1;
  auto built = build_conflicting(node, stale);
  if (!built) return;
  consensus::Proposal p;
  p.header = built->header;
  p.payload = std::move(built->payload);
  p.qc = tc->high_qc;
  p.tc = std::move(tc);
  p.signature = core::ed25519::SecretKey::from_seed(key_seeds_[node.validator])
                    .sign(p.signing_data(kChainId).signing_hash().view());
  node.stale_proposal = std::move(p);
}

void Simulation::double_vote(Node& node, const consensus::Proposal& p) {
  // Only for a round in which the core already voted for another block: the
  // core refuses to vote twice, the attacker signs the second vote itself.
  auto it = node.double_votes.find(p.round());
  const Hash256 id = p.header.id();
  if (it == node.double_votes.end() || it->second.contains(id) || !node.up()) return;
  it->second.insert(id);
  const consensus::Vote v = sign_vote_for(node, p);
  const std::vector<NodeId> to = instances_of(node.replica->leader_of(p.round() + 1));
  trace_.record(now(), "double-vote", node.id, id, "round " + std::to_string(p.round()));
  send_consensus(node, to, consensus::Message{v});
}

consensus::Vote Simulation::sign_vote_for(const Node& node, const consensus::Proposal& p) const {
  // The vote an honest voter would sign for `p`, signed without safety rules.
  consensus::Vote v;
  v.vote_data.epoch = p.header.epoch;
  v.vote_data.round = p.header.round;
  v.vote_data.block_id = p.header.id();
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
  v.author = keys_[node.validator];
  v.signature = core::ed25519::SecretKey::from_seed(key_seeds_[node.validator])
                    .sign(v.ledger_info.signing_hash().view());
  return v;
}

}  // namespace bauhinia::sim::detail
