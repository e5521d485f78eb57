#pragma once
// The chain and LevelDB settings shared by crash_writer.cpp and crash_test.cpp:
// both sides must build exactly the same chain. Bigger blocks than the other
// tests, and a small LevelDB write buffer so that memtable flushes and
// compactions happen often and the kills land inside them too.

#include "bauhinia/ledger/leveldb_store.hpp"
#include "chain_builder.hpp"

namespace bauhinia::test {

inline ChainParams crash_chain_params() {
  ChainParams p;
  p.chain_id = "bauhinia-crash-test";
  p.epoch_length = 7;
  p.transactions_per_block = 24;
  p.transaction_bytes = 200;
  p.writes_per_block = 10;
  p.record_space = 200;
  return p;
}

inline ledger::LevelDbOptions crash_leveldb_options() {
  ledger::LevelDbOptions o;
  o.write_buffer_bytes = 64 * 1024;
  o.block_cache_bytes = 1 << 20;
  return o;
}

// How many blocks the writer commits in one write starting at `height`: one,
// two or three (cut short at an epoch's last block, which is certified itself).
inline std::size_t crash_group_size(std::uint64_t height) {
  return 1 + (height / 2) % 3;
}

}  // namespace bauhinia::test
