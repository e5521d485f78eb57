// Attack messages (issue 15, item 7): every kind of application message a
// node accepts, sent hostile by an allowed peer that is not a validator (an
// observer's real key, through the real peer manager). Steps (--variant
// "step@node,..."; plan.hpp), each followed by a check that the node kept or
// dropped the connection:
// Consensus channel (the replica refuses anything a non-member signs or relays,
// reason unknown_signer, before any other check):
//   observer_proposal  a real proposal re-signed as the observer's own
//   relayed_proposal   a real proposal (the leader's valid signature) relayed
//   observer_vote      a vote for a real proposal, signed by the observer
//   observer_timeout   a timeout for the proposal's round, signed by the observer
//   far_future         a timeout of epoch + 1000 and round + 10^6
//   consensus_sync_response  an unsolicited SyncResponse carrying a real QC
//   huge_sync_requests  ledger sync requests for UINT32_MAX blocks after 0 and
//                      after UINT64_MAX, a consensus one for UINT32_MAX blocks:
//                      answered within the bounds (64, none, 8 blocks); the
//                      detail ends in UNBOUNDED otherwise
//   malformed_consensus      bytes that do not decode (penalised)
// Mempool channel:
//   bad_sig_gossip     20 copies of each --set txfile transaction, another
//                      signature bit flipped in each, in one batch (refused by
//                      admission, their ids printed "badtx <id>"; penalised:
//                      an honest node never forwards a bad signature)
//   duplicate_gossip   the same --set txfile transactions, 20 copies of each
//   malformed_gossip   a batch that does not decode (penalised)
// Sync channel:
//   stale_sync_response  real committed blocks 1..2 from --source, replayed
//                        unsolicited (dropped as not extending the ledger)
//   empty_sync, unknown_sync_kind, malformed_sync_request,
//   malformed_sync_response  (penalised)
// A step judged `kept` is followed by a probe (a ledger sync request the
// node answers) so the node has handled the step's message before the next.
// RESULT done <steps>.
#include <fstream>
#include <iostream>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "bauhinia/node/key_file.hpp"
#include "harness.hpp"
#include "plan.hpp"

namespace bauhinia::peer_harness {
namespace {

constexpr std::size_t kCopies = 20;  // per transaction, in the gossip steps

// The latest proposal broadcast to us (waits for a fresh one).
std::optional<consensus::Proposal> next_proposal(Harness& h, Millis timeout) {
  auto m = h.receive(timeout, [](const network::InboundMessage& in) {
    if (in.channel != network::Channel::kConsensus) return false;
    auto d = consensus::decode_message(in.payload);
    return d && std::holds_alternative<consensus::Proposal>(*d);
  });
  if (!m) return std::nullopt;
  return std::get<consensus::Proposal>(*consensus::decode_message(m->payload));
}

core::Result<std::vector<core::Bytes>> read_txfile(const AttackArgs& a) {
  auto it = a.params.find("txfile");
  if (it == a.params.end()) return core::Status::invalid_argument("--set txfile=FILE is required");
  std::ifstream in(it->second);
  if (!in) return core::Status::not_found("cannot read " + it->second);
  std::vector<core::Bytes> out;
  std::string hex;
  while (in >> hex) {
    auto b = core::from_hex(hex);
    if (!b) return core::Status::invalid_argument("txfile: not hex");
    out.push_back(std::move(b).value());
  }
  if (out.empty()) return core::Status::invalid_argument("txfile: no transaction");
  return out;
}

network::SendResult send_msg(Harness& h, const Key& to, const consensus::Message& m) {
  return h.send(to, network::Channel::kConsensus, consensus::encode_message(m));
}

// Drops queued input and asks the node for block 1: its answer means it has
// handled what we sent before, and kept the connection.
bool probe(Harness& h, const Key& target, Millis timeout) {
  auto r = h.fetch_blocks(target, 0, 1, timeout);
  return r.has_value() && h.connected(target);
}

int run(Harness& h, const AttackArgs& a) {
  auto plan = parse_plan(a.variant);
  if (!plan) return result(64, "usage", plan.error().to_string());
  auto key = node::read_ed25519_key(h.config().key_file);
  if (!key) return result(2, "no-key", key.error().to_string());
  const std::string& chain_id = h.genesis().chain_id;
  int steps = 0;
  for (const PlanStep& step : *plan) {
    auto target_r = h.resolve(step.node);
    if (!target_r) return result(64, "usage", target_r.error().to_string());
    const Key target = *target_r;
    if (!h.wait_connected(target, a.timeout)) {
      check_line(step, "not-connected");
      return result(2, "not-connected", step.node);
    }
    const std::string& v = step.step;
    bool expect_drop = false;
    std::string detail;
    network::SendResult sent = network::SendResult::kQueued;
    if (v == "observer_proposal" || v == "relayed_proposal" || v == "observer_vote" ||
        v == "observer_timeout" || v == "far_future" || v == "consensus_sync_response") {
      auto p = next_proposal(h, a.timeout);
      if (!p) return result(2, "no-proposal", step.step);
      detail = "epoch " + std::to_string(p->epoch()) + " round " + std::to_string(p->round());
      if (v == "observer_proposal") {
        p->header.proposer = key->public_key();
        p->signature = key->sign(p->signing_data(chain_id).signing_hash().view());
        sent = send_msg(h, target, consensus::Message{*p});
      } else if (v == "relayed_proposal") {
        sent = send_msg(h, target, consensus::Message{*p});
      } else if (v == "observer_vote") {
        consensus::Vote vote;
        vote.vote_data.epoch = p->epoch();
        vote.vote_data.round = p->round();
        vote.vote_data.block_id = p->header.id();
        vote.vote_data.height = p->header.height;
        vote.vote_data.parent_round = p->qc.round();
        vote.vote_data.parent_id = p->qc.block_id();
        vote.ledger_info.chain_id = chain_id;
        vote.ledger_info.epoch = p->epoch();
        vote.ledger_info.round = p->round();
        vote.ledger_info.consensus_data_hash = vote.vote_data.hash();
        vote.author = key->public_key();
        vote.signature = key->sign(vote.ledger_info.signing_hash().view());
        sent = send_msg(h, target, consensus::Message{vote});
      } else if (v == "observer_timeout" || v == "far_future") {
        consensus::TimeoutMessage t;
        t.epoch = p->epoch() + (v == "far_future" ? 1000 : 0);
        t.round = p->round() + (v == "far_future" ? 1'000'000 : 0);
        t.high_qc = p->qc;
        t.author = key->public_key();
        t.signature = key->sign(t.signing_data(chain_id).signing_hash().view());
        sent = send_msg(h, target, consensus::Message{t});
      } else {
        consensus::SyncResponse r;
        r.epoch = p->epoch();
        r.block_id = p->qc.block_id();
        r.commit_cert = p->qc;
        sent = send_msg(h, target, consensus::Message{r});
      }
    } else if (v == "huge_sync_requests") {
      // Well-formed requests with limits at their maximum: the answers must
      // stay within the protocol's bounds, and a height past the end must not
      // wrap around to genesis.
      auto p = next_proposal(h, a.timeout);
      if (!p) return result(2, "no-proposal", step.step);
      auto all = h.fetch_blocks(target, 0, UINT32_MAX, a.timeout);
      auto past_end = h.fetch_blocks(target, UINT64_MAX, UINT32_MAX, a.timeout);
      if (!all || !past_end) return result(2, "no-sync-response", step.step);
      (void)send_msg(
          h, target,
          consensus::Message{consensus::SyncRequest{p->epoch(), p->header.id(), UINT32_MAX}});
      auto m = h.receive(a.timeout, [&](const network::InboundMessage& in) {
        if (in.peer != target || in.channel != network::Channel::kConsensus) return false;
        auto d = consensus::decode_message(in.payload);
        return d && std::holds_alternative<consensus::SyncResponse>(*d);
      });
      if (!m) return result(2, "no-consensus-sync-response", step.step);
      const auto blocks =
          std::get<consensus::SyncResponse>(*consensus::decode_message(m->payload)).blocks.size();
      const bool bounded = all->blocks.size() <= node::kMaxSyncBlocksPerResponse &&
                           past_end->blocks.empty() && blocks <= consensus::kMaxSyncBlocks;
      detail = "ledger " + std::to_string(all->blocks.size()) + " past_end " +
               std::to_string(past_end->blocks.size()) + " consensus " + std::to_string(blocks) +
               (bounded ? "" : " UNBOUNDED");
    } else if (v == "malformed_consensus") {
      expect_drop = true;
      sent = h.send(target, network::Channel::kConsensus, core::Bytes{1, 0xEE, 0, 0, 0});
    } else if (v == "bad_sig_gossip" || v == "duplicate_gossip") {
      expect_drop = v == "bad_sig_gossip";
      auto txs = read_txfile(a);
      if (!txs) return result(64, "usage", txs.error().to_string());
      execution::BlockPayload batch;
      for (const auto& tx : *txs) {
        for (std::size_t i = 0; i < kCopies; ++i) {
          if (v == "bad_sig_gossip") {
            // The signature is the envelope's last 64 bytes: one of its bits
            // flipped, another in each copy (distinct transactions).
            core::Bytes bad = tx;
            bad[bad.size() - 1 - i / 8] ^= static_cast<std::uint8_t>(1U << (i % 8));
            auto decoded = chain::decode_transaction(bad);
            if (!decoded) return result(2, "bad-txfile", decoded.error().to_string());
            std::cout << "badtx " << decoded->id().to_hex() << std::endl;
            batch.transactions.push_back(std::move(bad));
          } else {
            batch.transactions.push_back(tx);
          }
        }
      }
      detail = std::to_string(batch.transactions.size()) + " transactions";
      sent = h.send(target, network::Channel::kMempool, core::encode(batch));
    } else if (v == "malformed_gossip") {
      expect_drop = true;
      sent = h.send(target, network::Channel::kMempool, core::Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0x0F});
    } else if (v == "stale_sync_response") {
      if (!a.source) return result(64, "usage", "stale_sync_response needs --source");
      if (!h.wait_connected(*a.source, a.timeout)) return result(2, "no-source");
      auto old = h.fetch_blocks(*a.source, 0, 2, a.timeout);
      if (!old || old->blocks.empty()) return result(2, "no-blocks", step.step);
      detail = std::to_string(old->blocks.size()) + " blocks from height 1";
      sent = h.send_sync_response(target, *old);
    } else if (v == "empty_sync") {
      expect_drop = true;
      sent = h.send(target, network::Channel::kSync, core::Bytes{});
    } else if (v == "unknown_sync_kind") {
      expect_drop = true;
      sent = h.send(target, network::Channel::kSync, core::Bytes{7, 0, 0});
    } else if (v == "malformed_sync_request") {
      expect_drop = true;
      sent = h.send(target, network::Channel::kSync, core::Bytes{1, 0xAA});
    } else if (v == "malformed_sync_response") {
      expect_drop = true;
      sent = h.send(target, network::Channel::kSync, core::Bytes{2, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F});
    } else {
      return result(64, "usage", "unknown step " + v);
    }
    if (sent != network::SendResult::kQueued) {
      check_line(step, "not-sent", std::string(network::send_result_name(sent)));
      return result(2, "not-sent", step.step);
    }
    if (expect_drop) {
      check_line(step, h.wait_disconnected(target, a.timeout) ? "penalized" : "kept", detail);
    } else {
      check_line(step, probe(h, target, a.timeout) ? "kept" : "penalized", detail);
    }
    ++steps;
  }
  return result(0, "done", std::to_string(steps));
}

}  // namespace
}  // namespace bauhinia::peer_harness

BAUHINIA_PEER_ATTACK(messages,
                     "every application message kind sent hostile by a non-validator "
                     "(consensus, gossip, sync; issue 15)",
                     ::bauhinia::peer_harness::run)
