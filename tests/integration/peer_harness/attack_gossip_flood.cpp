// Attack gossip_flood (issue 15, item 7): a sustained flood of maximum-size
// transaction gossip batches to the victim, as fast as our connection to it
// takes them, for --set seconds=S (default 6). Each batch holds --set
// batch=N (default and at most the payload's limit, 20,000) distinct
// transactions with VALID signatures (a fresh key, sequences 10^9 and up):
// every one costs the victim a signature verification before its mempool
// refuses it (sequence too far ahead), and none is provable misbehaviour (the
// refusal depends on the node's limits and view of the account), so
// the victim must bound the work (its admission queue drops what does not
// fit, counted in bauhinia_gossip_dropped_total{stage="admission"}) rather
// than disconnect us. Prints the counts; RESULT flooded <batches>
// <transactions> queued to the connection (the last ones may never leave it
// when we stop), or RESULT penalized if the victim dropped the connection.
#include <thread>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "harness.hpp"

namespace bauhinia::peer_harness {
namespace {

int run(Harness& h, const AttackArgs& a) {
  auto seconds = a.number("seconds", 6);
  auto size = a.number("batch", execution::kMaxBlockTransactions);
  if (!seconds || *seconds == 0 || *seconds > 600) return result(64, "usage", "bad seconds");
  if (!size || *size == 0 || *size > execution::kMaxBlockTransactions) {
    return result(64, "usage", "bad batch");
  }
  if (!h.wait_connected(a.target, a.timeout)) return result(2, "no-target", "not connected");

  const auto key = core::schnorr::SecretKey::generate();
  const std::uint64_t now =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  execution::BlockPayload batch;
  batch.transactions.reserve(*size);
  for (std::uint64_t i = 0; i < *size; ++i) {
    chain::Transaction tx;
    tx.chain_id = h.genesis().chain_id;
    tx.public_key = key.public_key();
    tx.sender = core::account_id_of(tx.public_key);
    tx.sequence = 1'000'000'000 + i;
    tx.expiry_ms = now + 600'000;
    tx.module = "accounts";
    tx.call = "ping";
    tx.sign(key);
    batch.transactions.push_back(tx.encoded());
  }
  const core::Bytes frame = core::encode(batch);
  say("flooding with batches of " + std::to_string(*size) + " signed transactions (" +
      std::to_string(frame.size()) + " bytes) for " + std::to_string(*seconds) + " s");

  std::uint64_t sent = 0;
  std::uint64_t full = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(*seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (!h.connected(a.target)) {
      say("the victim dropped the connection after " + std::to_string(sent) + " batches");
      return result(0, "penalized", std::to_string(sent));
    }
    if (h.send(a.target, network::Channel::kMempool, frame) == network::SendResult::kQueued) {
      ++sent;
    } else {
      ++full;  // our queue to it is full: let it drain
      std::this_thread::sleep_for(Millis(2));
    }
    // Drop whatever the consortium broadcasts to us.
    while (h.receive(Millis(0), [](const network::InboundMessage&) { return true; })) {
    }
  }
  say("queued " + std::to_string(sent) + " batches, " + std::to_string(sent * *size) +
      " transactions (" + std::to_string(full) + " times our queue was full)");
  return result(0, "flooded", std::to_string(sent) + " " + std::to_string(sent * *size));
}

}  // namespace
}  // namespace bauhinia::peer_harness

BAUHINIA_PEER_ATTACK(gossip_flood,
                     "floods maximum-size gossip batches of validly signed transactions "
                     "(issue 15)",
                     ::bauhinia::peer_harness::run)
