#pragma once
// Blocks sized by an execution-time budget (ADR 0007, item 2).
//
// A leader that takes whatever is pending builds, at saturation, blocks of
// thousands of transactions that cost every validator a second or more of wall
// time on shared cores; a commit needs three rounds of them, so latency grows
// to many seconds and nothing commits in between. Instead the leader caps a
// block at the number of transactions it expects to execute within the
// budget, from a moving average of the wall time per transaction this node
// measured executing recent blocks (its own proposals and others'). The
// excess waits in the mempool, whose bound turns it away at admission (429).
//
// Only the leader's choice changes: a validator accepts any block within
// max_block_transactions, so nothing here needs to agree across nodes.

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace bauhinia::node {

class BlockBudget {
 public:
  // Blocks under this many transactions are not measured: their fixed costs
  // (header, state root, certificate checks) would dominate the per-transaction figure.
  static constexpr std::size_t kMinSampleTransactions = 32;
  // The limit never goes below this, so a slow sample cannot starve the chain.
  static constexpr std::uint32_t kMinLimit = 64;
  // Weight of the newest block in the moving average.
  static constexpr double kWeight = 0.25;

  // budget_ms == 0: no budget, every block may hold max_transactions.
  BlockBudget(std::uint32_t budget_ms, std::uint32_t max_transactions) noexcept;

  // A block of `transactions` executed in `elapsed` wall time.
  void observe(std::size_t transactions, std::chrono::microseconds elapsed) noexcept;

  // The most transactions the next block this node proposes should carry:
  // max_transactions until a block was measured or without a budget.
  [[nodiscard]] std::uint32_t limit() const noexcept;

  // The moving average, microseconds of wall time per transaction (0 until measured).
  [[nodiscard]] double micros_per_transaction() const noexcept { return micros_per_tx_; }
  [[nodiscard]] std::uint32_t budget_ms() const noexcept { return budget_ms_; }

 private:
  std::uint32_t budget_ms_;
  std::uint32_t max_transactions_;
  double micros_per_tx_ = 0;
};

}  // namespace bauhinia::node
