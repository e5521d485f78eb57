#pragma once
// Shared helpers of the contracts tests: deterministic keys and signed
// transactions.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/core/address.hpp"

namespace bauhinia::contracts::testing {

inline constexpr const char* kChain = "bauhinia-test-1";
inline constexpr std::uint64_t kNowMs = 1'767'225'600'000ULL;  // 2026-01-01
inline constexpr std::uint64_t kExpiryMs = kNowMs + 3'600'000;

// A valid secret key determined by n.
inline core::schnorr::SecretKey key(std::uint32_t n) {
  core::Bytes raw(32, 0);
  raw[0] = 0x5A;
  raw[28] = static_cast<std::uint8_t>(n >> 24);
  raw[29] = static_cast<std::uint8_t>(n >> 16);
  raw[30] = static_cast<std::uint8_t>(n >> 8);
  raw[31] = static_cast<std::uint8_t>(n);
  return std::move(core::schnorr::SecretKey::from_bytes(raw)).value();
}

inline core::AccountId account_of(const core::schnorr::SecretKey& k) {
  return core::account_id_of(k.public_key());
}

// A transaction of `sender` signed by `signer` with fixed aux randomness (so
// ids are reproducible).
inline chain::IdentifiedTransaction make_tx(const core::schnorr::SecretKey& signer,
                                            const core::AccountId& sender, std::uint64_t sequence,
                                            std::string module, std::string call,
                                            core::Bytes payload,
                                            std::uint64_t expiry_ms = kExpiryMs) {
  chain::Transaction tx;
  tx.chain_id = kChain;
  tx.sender = sender;
  tx.public_key = signer.public_key();
  tx.sequence = sequence;
  tx.expiry_ms = expiry_ms;
  tx.module = std::move(module);
  tx.call = std::move(call);
  tx.payload = std::move(payload);
  std::array<std::uint8_t, 32> aux{};
  aux[0] = 0xA5;
  tx.sign(signer, aux);
  return chain::IdentifiedTransaction::of(std::move(tx));
}

inline chain::IdentifiedTransaction ping(const core::schnorr::SecretKey& k, std::uint64_t sequence,
                                         std::string memo = "hi") {
  accounts::PingArgs args;
  args.memo.assign(memo.begin(), memo.end());
  return make_tx(k, account_of(k), sequence, "accounts", "ping", core::encode(args));
}

inline BlockContext block_at(std::uint64_t height, std::uint64_t first_version = 0) {
  return BlockContext{kChain, height, kNowMs + height * 1000, first_version};
}

}  // namespace bauhinia::contracts::testing
