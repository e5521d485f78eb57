#pragma once
// What a block tells execution about itself. Time comes only from here (the
// header's timestamp), never from a clock.

#include <cstdint>
#include <string>

namespace bauhinia::contracts {

struct BlockContext {
  std::string chain_id;             // the chain's id; every transaction must carry it
  std::uint64_t height = 0;         // the block being executed
  std::uint64_t timestamp_ms = 0;   // the header's timestamp (Unix ms)
  std::uint64_t first_version = 0;  // accumulator size before the block: the first
                                    // transaction's TransactionInfo::version
  std::uint64_t epoch = 0;          // the block's epoch (header.epoch): governance
                                    // decides a set for epoch + 1 (docs/consensus.md)
};

}  // namespace bauhinia::contracts
