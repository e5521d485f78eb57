// The child process of crash_test.cpp: opens (or creates) the test chain in a
// LevelDB directory and commits blocks of the deterministic test chain until
// it reaches a height, or until it is killed. Some blocks are committed one by
// one (commit_block), others in chains of two or three under the last one's
// certificate (commit_blocks), as consensus commits them. Blocks at heights
// not divisible by 3 are committed with their state prepared ahead
// (LedgerStore::prepare_state, as the execution pipeline does), the others
// with the state tree recomputed by the commit. After every durable commit it
// prints "committed <height>" on stdout, so the parent knows what must
// survive a crash.
//
//   ledger_crash_writer <db-directory> <stop-height>
//
// Exit status: 0 when the stop height is reached, 1 on any error (printed on
// stderr), 2 on bad arguments.

#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bauhinia/ledger/leveldb_store.hpp"
#include "bauhinia/ledger/overlay_store.hpp"
#include "buffered_store.hpp"
#include "chain_builder.hpp"
#include "crash_chain.hpp"
#include "forwarding_store.hpp"

namespace {

int fail(const std::string& what) {
  std::fprintf(stderr, "crash_writer: %s\n", what.c_str());
  return 1;
}

// Prepares the state of each block (over the ledger and the blocks before it)
// and hands it to the commit for heights not divisible by 3. The prepared
// states live in `keep`. An empty string on success.
std::string prepare(const bauhinia::ledger::LedgerStore& ledger,
                    std::vector<bauhinia::ledger::BlockCommit>& blocks,
                    std::vector<std::shared_ptr<const bauhinia::ledger::PreparedState>>& keep) {
  using namespace bauhinia;
  ledger::OverlayStore view(ledger.kv());
  chain::BlockHeader parent = ledger.latest_header();
  for (auto& b : blocks) {
    auto p = ledger.prepare_state(parent, view, b.state_writes);
    if (!p) return "prepare_state: " + p.error().to_string();
    view.apply((*p)->batch());
    if (b.header.height % 3 != 0) {
      b.state_writes.clear();
      b.prepared = p->get();
    }
    keep.push_back(std::move(p).value());
    parent = b.header;
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bauhinia;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <db-directory> <stop-height>\n", argv[0]);
    return 2;
  }
  std::uint64_t stop = 0;
  const char* end = argv[2] + std::strlen(argv[2]);
  if (auto [p, ec] = std::from_chars(argv[2], end, stop); ec != std::errc() || p != end) {
    std::fprintf(stderr, "crash_writer: bad stop height '%s'\n", argv[2]);
    return 2;
  }
  auto kv = ledger::LevelDbKvStore::open(argv[1], test::crash_leveldb_options());
  if (!kv) return fail(kv.error().to_string());
  ledger::LevelDbKvStore& raw = **kv;
  const test::ChainBuilder builder(test::crash_chain_params());
  auto store =
      ledger::LedgerStore::open(std::make_unique<test::ForwardingKvStore>(raw), builder.genesis());
  if (!store) return fail("open: " + store.error().to_string());
  ledger::LedgerStore& ledger = **store;
  std::printf("opened %llu\n", static_cast<unsigned long long>(ledger.latest_height()));
  std::fflush(stdout);
  while (ledger.latest_height() < stop) {
    const std::uint64_t next = ledger.latest_height() + 1;
    std::vector<ledger::BlockCommit> blocks;
    std::vector<std::shared_ptr<const ledger::PreparedState>> prepared;
    if (test::crash_group_size(next) == 1) {
      blocks.push_back(builder.next_block(ledger));
      if (auto e = prepare(ledger, blocks, prepared); !e.empty()) return fail(e);
      auto r = ledger.commit_block(blocks.back());
      if (!r) return fail("commit: " + r.error().to_string());
      if (!r->ok()) return fail("commit refused: " + r->rejection().to_string());
    } else {
      // A chain committed by one certificate, built on a scratch twin.
      auto twin = ledger::LedgerStore::open(std::make_unique<test::BufferedKvStore>(raw),
                                            builder.genesis());
      if (!twin) return fail("twin: " + twin.error().to_string());
      for (std::size_t i = 0; i < test::crash_group_size(next) && next + i <= stop; ++i) {
        blocks.push_back(builder.next_block(**twin));
        auto r = (*twin)->commit_block(blocks.back());
        if (!r || !r->ok()) return fail("twin commit failed");
        if (blocks.back().header.ends_epoch()) break;  // an epoch's last block is certified
      }
      for (std::size_t i = 0; i + 1 < blocks.size(); ++i) blocks[i].certificate = {};
      if (auto e = prepare(ledger, blocks, prepared); !e.empty()) return fail(e);
      auto r = ledger.commit_blocks(blocks);
      if (!r) return fail("commit: " + r.error().to_string());
      if (!r->ok()) return fail("commit refused: " + r->rejection().to_string());
    }
    std::printf("committed %llu\n", static_cast<unsigned long long>(blocks.back().header.height));
    std::fflush(stdout);
  }
  return 0;
}
