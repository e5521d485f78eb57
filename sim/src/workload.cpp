#include "bauhinia/sim/workload.hpp"

#include <string>

namespace bauhinia::sim {

core::Hash256 SimTransaction::id() const {
  return core::hash_of(core::HashTag::kTransaction, *this);
}

core::Verdict SimPayload::validate() const {
  if (version != kVersion) {
    return core::reject(core::Reject::kBadVersion,
                        "sim payload version " + std::to_string(version));
  }
  for (const auto& tx : transactions) {
    if (tx.writes.empty())
      return core::reject(core::Reject::kInvalid, "transaction without writes");
    for (const auto& w : tx.writes) {
      if (w.key.empty()) return core::reject(core::Reject::kInvalid, "empty record key");
    }
  }
  return core::Verdict::accept();
}

SimTransaction Workload::next_transaction() {
  SimTransaction tx;
  tx.client = client_;
  tx.sequence = sequence_++;
  const std::uint64_t writes = prng_.between(1, 3);
  for (std::uint64_t i = 0; i < writes; ++i) {
    SimWrite w;
    const std::string key = "k" + std::to_string(prng_.below(keys_));
    w.key.assign(key.begin(), key.end());
    // One write in eight deletes the record.
    if (prng_.below(8) != 0) {
      core::Writer v;
      v.u64(prng_.next_u64());
      w.value = std::move(v).take();
    }
    tx.writes.push_back(std::move(w));
  }
  return tx;
}

SimPayload Workload::next_payload(std::size_t max_transactions) {
  SimPayload p;
  const std::uint64_t n = max_transactions == 0 ? 0 : prng_.between(0, max_transactions);
  for (std::uint64_t i = 0; i < n; ++i) p.transactions.push_back(next_transaction());
  return p;
}

SimPayload Workload::conflicting_payload() {
  SimPayload p;
  p.transactions.push_back(next_transaction());  // a fresh sequence number: never seen before
  return p;
}

}  // namespace bauhinia::sim
