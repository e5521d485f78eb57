#include "bauhinia/loadgen/workload.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <thread>
#include <utility>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/schnorr.hpp"

namespace bauhinia::loadgen {

namespace {

constexpr unsigned kMaxThreads = 64;

void put_u64(core::Sha256& h, std::uint64_t v) {
  std::array<std::uint8_t, 8> le{};
  for (std::size_t i = 0; i < le.size(); ++i) le[i] = static_cast<std::uint8_t>(v >> (8 * i));
  h.update(le);
}

// Account `index`'s key: from the seed when given (SHA-256 of a label, the
// seed, the index and a counter, retried until it is a valid secret key),
// otherwise fresh from the OS generator.
core::schnorr::SecretKey account_key(const std::optional<std::uint64_t>& seed,
                                     std::uint32_t index) {
  if (!seed) return core::schnorr::SecretKey::generate();
  for (std::uint64_t counter = 0;; ++counter) {
    core::Sha256 h;
    h.update(core::as_bytes("bauhinia-bench account key"));
    put_u64(h, *seed);
    put_u64(h, index);
    put_u64(h, counter);
    const core::Hash256 digest = h.finalize();
    auto key = core::schnorr::SecretKey::from_bytes(digest.bytes());
    if (key) return std::move(key).value();
  }
}

core::Bytes memo_of(std::size_t k, std::size_t size) {
  // "<k>" padded with '.' (or cut) to exactly `size` bytes.
  std::string text = std::to_string(k);
  text.resize(size, '.');
  return core::Bytes(text.begin(), text.end());
}

chain::Transaction unsigned_ping(const WorkloadOptions& o, const core::schnorr::PublicKey& key,
                                 std::uint64_t sequence, std::size_t k) {
  contracts::accounts::PingArgs args;
  args.memo = memo_of(k, o.memo_bytes);
  chain::Transaction tx;
  tx.chain_id = o.chain_id;
  tx.sender = core::account_id_of(key);
  tx.public_key = key;
  tx.sequence = sequence;
  tx.expiry_ms = o.expiry_ms;
  tx.module = std::string(contracts::accounts::kModuleName);
  tx.call = "ping";
  tx.payload = core::encode(args);
  return tx;
}

// Runs body(i) for i in [0, n) on `threads` threads (contiguous slices).
template <class F>
void parallel_for(std::size_t n, unsigned threads, const F& body) {
  const std::size_t t = std::max<std::size_t>(1, std::min<std::size_t>(threads, n));
  if (t == 1) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(t);
  for (std::size_t w = 0; w < t; ++w) {
    const std::size_t begin = n * w / t;
    const std::size_t end = n * (w + 1) / t;
    pool.emplace_back([&body, begin, end] {
      for (std::size_t i = begin; i < end; ++i) body(i);
    });
  }
  for (auto& th : pool) th.join();
}

}  // namespace

std::size_t sequences_per_account(std::size_t transactions, std::size_t accounts) noexcept {
  if (accounts == 0) return 0;
  return (transactions + accounts - 1) / accounts;
}

core::Verdict validate(const WorkloadOptions& o) {
  using core::Reject;
  if (o.transactions == 0 || o.transactions > kMaxTransactions) {
    return core::reject(Reject::kOutOfRange,
                        "transactions must be 1.." + std::to_string(kMaxTransactions));
  }
  if (o.accounts == 0 || o.accounts > kMaxAccounts) {
    return core::reject(Reject::kOutOfRange, "accounts must be 1.." + std::to_string(kMaxAccounts));
  }
  if (o.max_per_account == 0) {
    return core::reject(Reject::kOutOfRange, "max_per_account must be at least 1");
  }
  const std::size_t per_account = sequences_per_account(o.transactions, o.accounts);
  if (per_account > o.max_per_account) {
    return core::reject(
        Reject::kOutOfRange,
        std::to_string(o.transactions) + " transactions over " + std::to_string(o.accounts) +
            " accounts need " + std::to_string(per_account) +
            " sequences per account, over the mempool's per-account limit of " +
            std::to_string(o.max_per_account) + "; use at least " +
            std::to_string((o.transactions + o.max_per_account - 1) / o.max_per_account) +
            " accounts");
  }
  if (o.memo_bytes > contracts::accounts::kMaxMemoSize) {
    return core::reject(Reject::kTooLarge, "memo_bytes must be at most " +
                                               std::to_string(contracts::accounts::kMaxMemoSize));
  }
  if (o.threads == 0 || o.threads > kMaxThreads) {
    return core::reject(Reject::kOutOfRange, "threads must be 1.." + std::to_string(kMaxThreads));
  }
  if (o.expiry_ms == 0) return core::reject(Reject::kInvalid, "expiry_ms is not set");
  // The envelope's own format rules (chain id syntax, sizes).
  const auto probe = core::schnorr::SecretKey::from_bytes(core::Bytes(32, 1));
  BAUHINIA_ASSERT(probe.has_value());
  return unsigned_ping(o, probe->public_key(), 0, 0).validate();
}

core::Checked<std::vector<PreparedTransaction>> prepare_workload(const WorkloadOptions& o) {
  if (auto v = validate(o); !v) return v.rejection();
  const std::size_t accounts = std::min(o.accounts, o.transactions);

  std::vector<std::optional<core::schnorr::SecretKey>> keys(accounts);
  parallel_for(accounts, o.threads, [&](std::size_t a) {
    keys[a].emplace(account_key(o.key_seed, static_cast<std::uint32_t>(a)));
  });

  std::vector<PreparedTransaction> out(o.transactions);
  parallel_for(o.transactions, o.threads, [&](std::size_t k) {
    const std::size_t a = k % accounts;
    const std::uint64_t sequence = k / accounts;
    const core::schnorr::SecretKey& key = *keys[a];
    chain::Transaction tx = unsigned_ping(o, key.public_key(), sequence, k);
    if (o.key_seed) {
      // Reproducible signatures too: aux randomness from the index.
      std::array<std::uint8_t, 32> aux{};
      for (std::size_t i = 0; i < 8; ++i) aux[i] = static_cast<std::uint8_t>(k >> (8 * i));
      tx.sign(key, aux);
    } else {
      tx.sign(key);
    }
    PreparedTransaction& p = out[k];
    p.bytes = tx.encoded();
    p.id = core::tagged_hash(core::HashTag::kTransactionId, p.bytes);
    p.account = static_cast<std::uint32_t>(a);
    p.sequence = sequence;
  });
  return out;
}

}  // namespace bauhinia::loadgen
