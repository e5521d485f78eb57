// Crash safety: a real child process (ledger_crash_writer) commits blocks to a
// LevelDB directory and is killed with SIGKILL at random instants. After each
// kill the store must open, hold the latest block completely (header, body,
// certificate, every transaction, every index entry, state and history), show
// nothing of the next block, have every block the writer reported as committed,
// and recompute its accumulator and state roots independently; then the
// writer continues from there.
//
// 30 kills by default; BAUHINIA_LONG=1 runs 300. BAUHINIA_CRASH_SEED=<n>
// replays one sequence of kill instants.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <sstream>
#include <string>

#include "bauhinia/chain/epoch_proof.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/ledger/accumulator_reader.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"
#include "chain_builder.hpp"
#include "crash_chain.hpp"
#include "forwarding_store.hpp"
#include "temp_dir.hpp"

extern char** environ;

namespace bauhinia::ledger {
namespace {

using core::Hash256;

struct WriterRun {
  std::optional<std::uint64_t> opened;          // the height it found on open
  std::optional<std::uint64_t> last_committed;  // the last durable commit it reported
  bool killed = false;
  int exit_code = -1;
};

// When to kill the writer: a delay after the spawn (the kill may land in the
// exec, in LevelDB's own recovery or in the open checks), or a fraction of two
// commit durations after its first commit report (inside the commit loop,
// whatever the machine's speed: the duration is measured on the run itself).
struct KillPlan {
  enum class From { kSpawn, kFirstCommit } from = From::kSpawn;
  std::chrono::microseconds after{0};  // kSpawn
  double fraction = 0;                 // kFirstCommit, in [0, 1)
};

// Runs the writer until it exits, or kills it as `kill` says.
WriterRun run_writer(const std::string& dir, std::uint64_t stop, std::optional<KillPlan> kill) {
  WriterRun run;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2 failed";
    return run;
  }
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::string path = BAUHINIA_CRASH_WRITER;
  std::string dir_arg = dir;
  std::string stop_arg = std::to_string(stop);
  char* argv[] = {path.data(), dir_arg.data(), stop_arg.data(), nullptr};
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, path.c_str(), &actions, nullptr, argv, environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (spawned != 0) {
    ::close(fds[0]);
    ADD_FAILURE() << "posix_spawn " << path << " failed: " << spawned;
    return run;
  }
  // Read the child's reports until it exits or the deadline passes, then kill.
  using Clock = std::chrono::steady_clock;
  const auto safety = Clock::now() + std::chrono::minutes(2);
  auto deadline =
      kill && kill->from == KillPlan::From::kSpawn ? Clock::now() + kill->after : safety;
  std::optional<Clock::time_point> opened_at;
  bool timed_from_commit = false;
  std::string output;
  char buf[4096];
  bool eof = false;
  bool sent_kill = false;
  while (!eof) {
    int timeout_ms = -1;
    if (!sent_kill) {
      const auto left =
          std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        ::kill(pid, SIGKILL);
        sent_kill = true;
        continue;
      }
      timeout_ms = static_cast<int>((left.count() + 999) / 1000);
      if (left.count() < 1000) {
        // Sub-millisecond precision for the kill instant.
        ::usleep(static_cast<useconds_t>(left.count()));
        continue;
      }
    }
    pollfd p{fds[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, timeout_ms);
    if (ready <= 0) continue;
    const ssize_t n = ::read(fds[0], buf, sizeof(buf));
    if (n <= 0) {
      eof = true;
    } else {
      output.append(buf, static_cast<std::size_t>(n));
      const auto now = Clock::now();
      if (!opened_at && output.find("opened") != std::string::npos) opened_at = now;
      if (kill && kill->from == KillPlan::From::kFirstCommit && !timed_from_commit &&
          output.find("committed") != std::string::npos) {
        const auto commit =
            std::max<Clock::duration>(now - opened_at.value_or(now), std::chrono::milliseconds(2));
        deadline = now + std::chrono::duration_cast<Clock::duration>(2 * kill->fraction * commit);
        timed_from_commit = true;
      }
    }
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  run.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::istringstream lines(output);
  std::string word;
  std::uint64_t height = 0;
  while (lines >> word >> height) {
    if (word == "opened") run.opened = height;
    if (word == "committed") run.last_committed = height;
  }
  return run;
}

// Recomputes the state root of any height from the chain's writes alone, in
// a separate in-memory state tree (never reading the LevelDB store).
class ReferenceState {
 public:
  explicit ReferenceState(const test::ChainBuilder& builder) : builder_(builder) {
    WriteBatch batch;
    auto update = StateTree(kv_).apply(0, builder.genesis().state, batch);
    BAUHINIA_ASSERT(update.has_value());
    BAUHINIA_ASSERT(kv_.write(batch, false).is_ok());
  }
  Hash256 root_at(std::uint64_t height) {
    while (version_ < height) {
      ++version_;
      WriteBatch batch;
      auto update = StateTree(kv_).apply(version_, builder_.state_writes(version_), batch);
      BAUHINIA_ASSERT(update.has_value());
      BAUHINIA_ASSERT(kv_.write(batch, false).is_ok());
    }
    auto root = StateTree(kv_).root_hash(height);
    BAUHINIA_ASSERT(root.has_value());
    return *root;
  }

 private:
  const test::ChainBuilder& builder_;
  MemoryKvStore kv_;
  std::uint64_t version_ = 0;
};

bool absent(const KvReader& kv, Column c, ByteView key) {
  auto v = kv.get(c, key);
  return v.has_value() && !v->has_value();
}

// Opens the store after a crash and checks it; returns the latest height.
std::uint64_t check_after_crash(const std::string& dir, const test::ChainBuilder& builder,
                                ReferenceState& reference) {
  auto kv = LevelDbKvStore::open(dir, test::crash_leveldb_options());
  EXPECT_TRUE(kv.has_value()) << kv.error().to_string();
  if (!kv.has_value()) return 0;
  LevelDbKvStore& raw = **kv;
  auto opened =
      LedgerStore::open(std::make_unique<test::ForwardingKvStore>(raw), builder.genesis());
  EXPECT_TRUE(opened.has_value()) << opened.error().to_string();
  if (!opened.has_value()) return 0;
  const LedgerStore& store = **opened;
  const std::uint64_t latest = store.latest_height();
  const chain::BlockHeader header = store.latest_header();
  SCOPED_TRACE("latest height " + std::to_string(latest));

  // The latest block is all there (and certified: a chain committed by one
  // certificate is written whole or not at all).
  if (latest > 0) {
    auto qc = store.certificate(latest);
    EXPECT_TRUE(qc.has_value()) << qc.error().to_string();
    auto set = store.validator_set(header.epoch);
    EXPECT_TRUE(set.has_value());
    if (qc.has_value() && set.has_value()) {
      EXPECT_TRUE(chain::verify_committed_header(header, *qc, *set, store.chain_id()).ok());
    }
    auto txs = store.block_transactions(latest);
    EXPECT_TRUE(txs.has_value()) << txs.error().to_string();
    const auto expected = builder.transactions(latest);
    if (txs.has_value()) {
      EXPECT_EQ(txs->size(), expected.size());
      for (std::size_t i = 0; i < txs->size() && i < expected.size(); ++i) {
        const CommittedTransaction& tx = (*txs)[i];
        EXPECT_EQ(tx.transaction, expected[i]);
        auto by_id = store.transaction_by_id(tx.info.transaction_id);
        EXPECT_TRUE(by_id.has_value() && by_id->index == tx.index);
        for (const Hash256& account : test::ChainBuilder::accounts_of(latest, i)) {
          auto indexes = store.account_transactions(account, tx.index, 1);
          EXPECT_TRUE(indexes.has_value() && indexes->size() == 1 && (*indexes)[0] == tx.index);
        }
      }
    }
    for (const StateWrite& w : builder.state_writes(latest)) {
      auto value = store.state_value(w.key, latest);
      EXPECT_TRUE(value.has_value() && *value == w.value);
      auto history = store.record_history(w.key, latest, 10);
      EXPECT_TRUE(history.has_value() && history->size() == 1 && (*history)[0].version == latest);
    }
    if (header.ends_epoch()) {
      auto next = store.validator_set(header.epoch + 1);
      EXPECT_TRUE(next.has_value() && *next == test::validator_set(header.epoch + 1));
    }
  }

  // Nothing of the next block, looking at the raw store.
  const std::uint64_t next = latest + 1;
  EXPECT_TRUE(absent(raw, Column::kBlockHeader, be64_key(next)));
  EXPECT_TRUE(absent(raw, Column::kBlockBody, be64_key(next)));
  EXPECT_TRUE(absent(raw, Column::kCertificate, be64_key(next)));
  EXPECT_TRUE(absent(raw, Column::kTransaction, be64_key(header.accumulator_size)));
  EXPECT_TRUE(absent(raw, Column::kAccumulator, accumulator_key(0, header.accumulator_size)));
  for (const Bytes& tx : builder.transactions(next)) {
    EXPECT_TRUE(
        absent(raw, Column::kTxIndex, core::tagged_hash(core::HashTag::kTransactionId, tx).view()));
  }
  for (const StateWrite& w : builder.state_writes(next)) {
    EXPECT_TRUE(absent(raw, Column::kStateValue, state_value_key(w.key, next)));
  }
  auto version = StateTree(raw).latest_version();
  EXPECT_TRUE(version.has_value() && *version == std::optional<std::uint64_t>(latest));

  // Roots recomputed independently: the accumulator from every stored leaf
  // payload, the state from the chain's writes in a separate tree.
  std::vector<Hash256> leaves;
  for (std::uint64_t i = 0; i < header.accumulator_size; ++i) {
    auto tx = store.transaction_at(i);
    EXPECT_TRUE(tx.has_value());
    if (tx.has_value()) leaves.push_back(tx->info.leaf_hash());
  }
  EXPECT_EQ(chain::merkle::root(leaves), header.accumulator_root);
  EXPECT_EQ(reference.root_at(latest), header.state_root);
  return latest;
}

int kill_count() {
  const char* long_run = std::getenv("BAUHINIA_LONG");
  return long_run != nullptr && std::string(long_run) == "1" ? 300 : 30;
}

TEST(CrashSafety, SurvivesSigkillAtRandomInstants) {
  test::TempDir dir("crash");
  const std::string db = dir.sub("db");
  const test::ChainBuilder builder(test::crash_chain_params());
  ReferenceState reference(builder);

  std::uint64_t seed = std::random_device{}();
  if (const char* s = std::getenv("BAUHINIA_CRASH_SEED")) seed = std::strtoull(s, nullptr, 10);
  SCOPED_TRACE("BAUHINIA_CRASH_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);

  std::uint64_t latest = 0;
  int kills = 0;
  int mid_run_kills = 0;  // kills after the writer had committed at least once
  for (int i = 0; i < kill_count(); ++i) {
    SCOPED_TRACE("kill " + std::to_string(i));
    // One kill in three is timed from the spawn, the others from the first
    // commit (see KillPlan).
    KillPlan plan;
    if (i % 3 == 0) {
      plan.after = std::chrono::microseconds(500 + rng() % 120'000);
    } else {
      plan.from = KillPlan::From::kFirstCommit;
      plan.fraction = static_cast<double>(rng() % 1'000'000) / 1e6;
    }
    const WriterRun run = run_writer(db, ~0ULL, plan);
    ASSERT_TRUE(run.killed) << "the writer exited by itself with " << run.exit_code;
    ++kills;
    if (run.opened) {
      EXPECT_EQ(*run.opened, latest) << "the writer did not start from the latest";
    }
    if (run.last_committed) ++mid_run_kills;
    const std::uint64_t reported = run.last_committed.value_or(latest);
    const std::uint64_t now = check_after_crash(db, builder, reference);
    if (::testing::Test::HasFatalFailure()) return;
    // Every reported commit survived; at most the one in flight was added
    // (up to three blocks in one write).
    EXPECT_GE(now, reported);
    EXPECT_LE(now, reported + 3);
    latest = now;
  }
  std::printf("crash test: %d kills, %d inside the commit loop, reached height %llu\n", kills,
              mid_run_kills, static_cast<unsigned long long>(latest));
  EXPECT_EQ(kills, kill_count());
  EXPECT_GE(mid_run_kills, kill_count() / 2) << "too few kills landed in the commit loop";

  // The writer continues from there to a target height and stops cleanly.
  const std::uint64_t target = latest + 8;
  const WriterRun final_run = run_writer(db, target, std::nullopt);
  EXPECT_FALSE(final_run.killed);
  EXPECT_EQ(final_run.exit_code, 0);
  EXPECT_EQ(final_run.opened, latest);
  EXPECT_EQ(final_run.last_committed, target);
  EXPECT_EQ(check_after_crash(db, builder, reference), target);

  // The whole chain links up and every certificate verifies.
  auto kv = LevelDbKvStore::open(db, test::crash_leveldb_options());
  ASSERT_TRUE(kv.has_value());
  auto store = LedgerStore::open(std::move(kv).value(), builder.genesis());
  ASSERT_TRUE(store.has_value()) << store.error().to_string();
  auto proof = (*store)->epoch_change_proof(0);
  ASSERT_TRUE(proof.has_value());
  EXPECT_TRUE(
      chain::verify_epoch_changes(builder.genesis().validators, *proof, (*store)->chain_id())
          .has_value());
  int uncertified = 0;
  for (std::uint64_t h = 1; h <= target; ++h) {
    auto header = (*store)->header(h);
    auto parent = (*store)->header(h - 1);
    ASSERT_TRUE(header.has_value() && parent.has_value());
    EXPECT_EQ(header->parent_hash, parent->id());
    auto qc = (*store)->certificate(h);
    if (!qc.has_value()) {
      // Committed under a later block's certificate.
      EXPECT_EQ(qc.error().code(), core::StatusCode::kNotFound) << qc.error().to_string();
      EXPECT_FALSE(header->ends_epoch());
      ++uncertified;
      continue;
    }
    auto set = (*store)->validator_set(header->epoch);
    ASSERT_TRUE(set.has_value());
    EXPECT_TRUE(chain::verify_committed_header(*header, *qc, *set, (*store)->chain_id()).ok());
  }
  EXPECT_GT(uncertified, 0) << "no chain was committed under one certificate";
}

TEST(CrashSafety, WriterRefusesBadArguments) {
  test::TempDir dir("crash");
  // A stop height that is not a number: exit 2, nothing created.
  std::string path = BAUHINIA_CRASH_WRITER;
  std::string db = dir.sub("db");
  std::string bad = "12x";
  char* argv[] = {path.data(), db.data(), bad.data(), nullptr};
  pid_t pid = -1;
  ASSERT_EQ(::posix_spawn(&pid, path.c_str(), nullptr, nullptr, argv, environ), 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_EQ(::access(db.c_str(), F_OK), -1);
}

}  // namespace
}  // namespace bauhinia::ledger
