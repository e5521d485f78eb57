// Attack batch_acks: hostile certified-gossip acknowledgements (channel
// kBatchAck, docs/network.md "Certified gossip"), run from a validator's home
// with its node stopped, so that the acknowledgements come from a real
// validator of the epoch and must be refused on their own merits. Steps
// (--variant "step@node,..."; plan.hpp), each against its own node:
//   valid_ack      a correct acknowledgement of ours for a batch the node has
//                  not seen (kept for it: a control, not penalised)
//   wrong_epoch    a correct acknowledgement of epoch + 1000 (ignored, kept)
//   bad_signature  our acknowledgement with one signature bit flipped
//   relayed        an acknowledgement signed by another validator's key (read
//                  from the home of --set signer=NAME beside ours), sent by us
//   other_chain    our acknowledgement signed over another chain id
//   malformed      an acknowledgement cut short by one byte (undecodable)
//   forged_tx      a Byzantine author: a gossip batch (kMempool) of one
//                  transaction whose BIP-340 signature has a flipped bit,
//                  chosen so that the node is NOT one of the batch's verifiers,
//                  then our own VALID acknowledgement of it. Ours is one
//                  validator's; certifying needs more power than f hold, so
//                  the node must wait, verify the batch itself, refuse the
//                  transaction and penalise us. Prints "forged <tx id>".
// The verdict of each step: penalized (the node dropped us within --set
// settle_ms, default 4000; forged_tx waits --timeout-ms) or kept.
// RESULT done <steps>.
#include <algorithm>
#include <thread>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "bauhinia/mempool/batch_ack.hpp"
#include "bauhinia/mempool/batch_certifier.hpp"
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

// The epoch of the consortium: that of the next proposal we receive.
std::optional<std::uint64_t> current_epoch(Harness& h, Millis timeout) {
  auto m = h.receive(timeout, [](const network::InboundMessage& in) {
    if (in.channel != network::Channel::kConsensus) return false;
    auto d = consensus::decode_message(in.payload);
    return d && std::holds_alternative<consensus::Proposal>(*d);
  });
  if (!m) return std::nullopt;
  return std::get<consensus::Proposal>(*consensus::decode_message(m->payload)).epoch();
}

// The secret key of the node named `name` whose home is beside ours.
core::Result<core::ed25519::SecretKey> sibling_key(const Harness& h, const std::string& name) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(h.config().home.parent_path(), ec)) {
    const auto file = entry.path() / "config.toml";
    if (!std::filesystem::is_regular_file(file, ec)) continue;
    auto c = node::load_config(file);
    if (!c || c->name != name) continue;
    return node::read_ed25519_key(c->key_file);
  }
  return core::Status::not_found("no node named " + name);
}

// A digest no batch has: acknowledgements of it wait for their batch.
core::Hash256 unseen_digest(const std::string& what) {
  const std::string s = what + " " + std::to_string(unix_ms());
  return mempool::batch_digest(
      core::ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

struct ForgedBatch {
  core::Bytes payload;
  core::Hash256 digest;
  std::string tx_id;
  std::vector<Key> verifiers;
};

// One transaction of a fresh key with a flipped signature bit, in a batch
// whose verifiers (author: us) do not include `target`.
std::optional<ForgedBatch> forged_batch(Harness& h, std::uint64_t epoch, const Key& target) {
  mempool::BatchCertifier rule(mempool::BatchCertifierConfig{h.genesis().chain_id});
  (void)rule.set_epoch(epoch, h.genesis().validators, h.key());
  const auto key = core::schnorr::SecretKey::generate();
  for (std::uint64_t seq = 1; seq <= 64; ++seq) {
    chain::Transaction tx;
    tx.chain_id = h.genesis().chain_id;
    tx.public_key = key.public_key();
    tx.sender = core::account_id_of(tx.public_key);
    tx.sequence = seq;
    tx.expiry_ms = unix_ms() + 600'000;
    tx.module = "accounts";
    tx.call = "ping";
    tx.sign(key);
    tx.signature.bytes[40] ^= 0x01;
    execution::BlockPayload batch;
    batch.transactions.push_back(tx.encoded());
    ForgedBatch f;
    f.payload = core::encode(batch);
    f.digest = mempool::batch_digest(f.payload);
    f.verifiers = rule.verifiers(h.key(), f.digest);
    if (std::find(f.verifiers.begin(), f.verifiers.end(), target) != f.verifiers.end()) continue;
    f.tx_id = tx.id().to_hex();
    return f;
  }
  return std::nullopt;
}

int run(Harness& h, const AttackArgs& a) {
  auto plan = parse_plan(a.variant);
  if (!plan) return result(64, "usage", plan.error().to_string());
  auto settle = a.number("settle_ms", 4000);
  if (!settle || *settle > 600'000) return result(64, "usage", "bad settle_ms");
  auto key = node::read_ed25519_key(h.config().key_file);
  if (!key) return result(2, "no-key", key.error().to_string());
  const std::string& chain_id = h.genesis().chain_id;
  const auto epoch = current_epoch(h, a.timeout);
  if (!epoch) return result(2, "no-proposal", "no proposal to learn the epoch from");
  say("epoch " + std::to_string(*epoch) + ", acknowledging as " + h.key().to_hex().substr(0, 12));

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
    Millis wait{static_cast<std::int64_t>(*settle)};
    std::string detail = "at " + target.to_hex().substr(0, 12);
    auto own_ack = [&](std::string_view chain, std::uint64_t ep, const core::Hash256& digest) {
      return mempool::sign_batch_ack(chain, ep, h.key(), digest, 1, *key);
    };
    if (v == "valid_ack") {
      (void)h.send(target, network::Channel::kBatchAck,
                   core::encode(own_ack(chain_id, *epoch, unseen_digest(v))));
    } else if (v == "wrong_epoch") {
      (void)h.send(target, network::Channel::kBatchAck,
                   core::encode(own_ack(chain_id, *epoch + 1000, unseen_digest(v))));
    } else if (v == "bad_signature") {
      auto ack = own_ack(chain_id, *epoch, unseen_digest(v));
      ack.signature.bytes[33] ^= 0x04;
      (void)h.send(target, network::Channel::kBatchAck, core::encode(ack));
    } else if (v == "relayed") {
      const auto it = a.params.find("signer");
      if (it == a.params.end()) return result(64, "usage", "relayed needs --set signer=NAME");
      auto other = sibling_key(h, it->second);
      if (!other) return result(2, "no-key", other.error().to_string());
      if (other->public_key() == h.key()) return result(64, "usage", "signer is ourselves");
      // A genuine acknowledgement of the other validator's (its own batch).
      const auto ack = mempool::sign_batch_ack(chain_id, *epoch, other->public_key(),
                                               unseen_digest(v), 1, *other);
      (void)h.send(target, network::Channel::kBatchAck, core::encode(ack));
      detail += " signer " + other->public_key().to_hex().substr(0, 12);
    } else if (v == "other_chain") {
      (void)h.send(target, network::Channel::kBatchAck,
                   core::encode(own_ack(chain_id + "-other", *epoch, unseen_digest(v))));
    } else if (v == "malformed") {
      core::Bytes bytes = core::encode(own_ack(chain_id, *epoch, unseen_digest(v)));
      bytes.pop_back();
      (void)h.send(target, network::Channel::kBatchAck, std::move(bytes));
    } else if (v == "forged_tx") {
      auto f = forged_batch(h, *epoch, target);
      if (!f) return result(2, "no-batch", "no batch without the target among its verifiers");
      say("forged " + f->tx_id);
      std::string names;
      for (const auto& k : f->verifiers) names += " " + k.to_hex().substr(0, 12);
      say("verifiers" + names);
      (void)h.send(target, network::Channel::kMempool, f->payload);
      const auto ack = mempool::sign_batch_ack(chain_id, *epoch, h.key(), f->digest, 1, *key);
      (void)h.send(target, network::Channel::kBatchAck, core::encode(ack));
      wait = a.timeout;
      detail += " tx " + f->tx_id.substr(0, 12);
    } else {
      return result(64, "usage", "unknown step " + v);
    }
    const bool dropped = h.wait_disconnected(target, wait);
    check_line(step, dropped ? "penalized" : "kept", detail);
    ++steps;
  }
  return result(0, "done", std::to_string(steps));
}

}  // namespace
}  // namespace bauhinia::peer_harness

BAUHINIA_PEER_ATTACK(batch_acks,
                     "hostile certified-gossip acknowledgements and a Byzantine author's "
                     "self-acknowledged forged batch",
                     ::bauhinia::peer_harness::run)
