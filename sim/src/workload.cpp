#include "bauhinia/sim/workload.hpp"

#include <algorithm>
#include <array>

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/core/assert.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::sim {

core::schnorr::SecretKey derive_schnorr_key(std::uint64_t seed, std::string_view purpose,
                                            std::uint64_t index) {
  // SHA-256 over (seed, purpose, index, attempt) until it is a valid scalar.
  for (std::uint64_t attempt = 0;; ++attempt) {
    core::Writer w;
    w.u64(seed);
    w.bytes(core::as_bytes(purpose));
    w.u64(index);
    w.u64(attempt);
    const core::Hash256 h = core::sha256(w.data());
    auto key = core::schnorr::SecretKey::from_bytes(h.view());
    if (key) return std::move(key).value();
  }
}

Workload::Workload(std::string chain_id, core::schnorr::SecretKey key, Prng prng,
                   std::uint64_t expiry_ms)
    : chain_id_(std::move(chain_id)),
      key_(std::move(key)),
      account_(core::account_id_of(key_.public_key())),
      prng_(prng),
      expiry_ms_(expiry_ms) {}

chain::IdentifiedTransaction signed_transaction(std::string_view chain_id,
                                                const core::schnorr::SecretKey& key,
                                                std::uint64_t sequence, std::uint64_t expiry_ms,
                                                std::string_view module, std::string_view call,
                                                core::Bytes payload) {
  chain::Transaction tx;
  tx.chain_id = std::string(chain_id);
  tx.sender = core::account_id_of(key.public_key());
  tx.public_key = key.public_key();
  tx.sequence = sequence;
  tx.expiry_ms = expiry_ms;
  tx.module = std::string(module);
  tx.call = std::string(call);
  tx.payload = std::move(payload);
  // Fixed auxiliary randomness: the signature, hence the id, is a function
  // of the transaction (BIP-340 stays secure with any aux value).
  std::array<std::uint8_t, 32> aux{};
  tx.sign(key, aux);
  return chain::IdentifiedTransaction::of(std::move(tx));
}

chain::IdentifiedTransaction Workload::make(std::uint64_t sequence, std::uint64_t variant) const {
  contracts::accounts::PingArgs args;
  const std::string memo = "sim client " + account_.to_hex().substr(0, 8) + " #" +
                           std::to_string(sequence) +
                           (variant == 0 ? std::string() : " variant " + std::to_string(variant));
  args.memo.assign(memo.begin(), memo.end());
  return signed_transaction(chain_id_, key_, sequence, expiry_ms_, contracts::accounts::kModuleName,
                            "ping", core::encode(args));
}

const chain::IdentifiedTransaction& Workload::transaction(std::uint64_t sequence) {
  auto it = made_.find(sequence);
  if (it == made_.end()) it = made_.emplace(sequence, make(sequence, 0)).first;
  return it->second;
}

std::uint64_t Workload::next_sequence(const contracts::StateReader& committed,
                                      std::span<const core::Hash256> pending) {
  auto account = contracts::accounts::load_account(committed, account_);
  BAUHINIA_ASSERT_MSG(account.has_value(), "memory store read");
  std::uint64_t next = *account ? (*account)->next_sequence : 0;
  made_.erase(made_.begin(), made_.lower_bound(next));
  // Each uncommitted ancestor holds some of this client's next sequences, in order.
  while (std::find(pending.begin(), pending.end(), transaction(next).id) != pending.end()) ++next;
  return next;
}

std::vector<chain::IdentifiedTransaction> Workload::candidates(std::uint64_t next,
                                                               std::size_t max) {
  std::vector<chain::IdentifiedTransaction> out;
  const std::uint64_t n = max == 0 ? 0 : prng_.between(0, max);
  for (std::uint64_t i = 0; i < n; ++i) out.push_back(transaction(next + i));
  return out;
}

chain::IdentifiedTransaction Workload::variant(std::uint64_t sequence) {
  return make(sequence, ++variants_);
}

}  // namespace bauhinia::sim
