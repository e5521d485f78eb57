#include "bauhinia/node/tx_journal.hpp"

#include <algorithm>
#include <utility>

#include "bauhinia/ledger/leveldb_store.hpp"

namespace bauhinia::node {

namespace {

using ledger::Column;

constexpr std::uint8_t kRecordVersion = 1;
constexpr std::uint8_t kVerdictVersion = 1;
constexpr char kVerdictPrefix = 'v';
constexpr char kOrderPrefix = 'o';

void put_be64(core::Bytes& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint64_t get_be64(core::ByteView in) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | in[i];
  return v;
}

core::Bytes verdict_key(const core::Hash256& id) {
  core::Bytes k{static_cast<std::uint8_t>(kVerdictPrefix)};
  k.insert(k.end(), id.bytes().begin(), id.bytes().end());
  return k;
}

core::Bytes order_key(std::uint64_t seq) {
  core::Bytes k{static_cast<std::uint8_t>(kOrderPrefix)};
  put_be64(k, seq);
  return k;
}

void put_text(core::Bytes& out, const std::string& s) {
  const auto n = static_cast<std::uint16_t>(std::min<std::size_t>(s.size(), 0xFFFF));
  out.push_back(static_cast<std::uint8_t>(n >> 8));
  out.push_back(static_cast<std::uint8_t>(n & 0xFF));
  out.insert(out.end(), s.begin(), s.begin() + n);
}

// version u8 | fate u8 | at_ms be64 | order be64 | reason (u16 len) | detail (u16 len)
core::Bytes encode_verdict(const TxVerdict& v, std::uint64_t order) {
  core::Bytes out{kVerdictVersion, static_cast<std::uint8_t>(v.fate)};
  put_be64(out, v.at_ms);
  put_be64(out, order);
  put_text(out, v.reason);
  put_text(out, v.detail);
  return out;
}

core::Result<std::pair<TxVerdict, std::uint64_t>> decode_verdict(core::ByteView in) {
  auto bad = [](const std::string& why) {
    return core::Status::corruption("transaction journal: verdict record " + why);
  };
  if (in.size() < 2 + 16 + 4 || in[0] != kVerdictVersion) return bad("has a bad header");
  TxVerdict v;
  if (in[1] != static_cast<std::uint8_t>(TxFate::kExpired) &&
      in[1] != static_cast<std::uint8_t>(TxFate::kDropped)) {
    return bad("has an unknown fate");
  }
  v.fate = static_cast<TxFate>(in[1]);
  v.at_ms = get_be64(in.subspan(2));
  const std::uint64_t order = get_be64(in.subspan(10));
  std::size_t at = 18;
  for (std::string* s : {&v.reason, &v.detail}) {
    if (in.size() - at < 2) return bad("is truncated");
    const std::size_t n = (std::size_t{in[at]} << 8) | in[at + 1];
    at += 2;
    if (in.size() - at < n) return bad("is truncated");
    s->assign(in.begin() + static_cast<std::ptrdiff_t>(at),
              in.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
  }
  if (at != in.size()) return bad("has trailing bytes");
  return std::make_pair(std::move(v), order);
}

}  // namespace

std::string_view tx_fate_name(TxFate f) noexcept {
  switch (f) {
    case TxFate::kExpired: return "expired";
    case TxFate::kDropped: return "dropped";
  }
  return "unknown";
}

core::Result<std::unique_ptr<TxJournal>> TxJournal::open(const std::string& path,
                                                         TxJournalConfig config) {
  ledger::LevelDbOptions options;
  options.block_cache_bytes = 4U << 20;
  options.write_buffer_bytes = 4U << 20;
  options.max_open_files = 64;
  auto kv = ledger::LevelDbKvStore::open(path, options);
  if (!kv) return kv.error();  // names the path and LevelDB's reason
  return open(std::unique_ptr<ledger::KvStore>(std::move(kv).value()), config);
}

core::Result<std::unique_ptr<TxJournal>> TxJournal::open(std::unique_ptr<ledger::KvStore> kv,
                                                         TxJournalConfig config) {
  BAUHINIA_ASSERT(kv != nullptr);
  BAUHINIA_ASSERT(config.max_verdicts >= 1);
  std::unique_ptr<TxJournal> j(new TxJournal(std::move(kv), config));
  if (auto s = j->load_verdict_order(); !s) return s;
  j->writer_ = std::thread([p = j.get()] { p->run(); });
  return j;
}

TxJournal::TxJournal(std::unique_ptr<ledger::KvStore> kv, TxJournalConfig config)
    : kv_(std::move(kv)), config_(config) {}

TxJournal::~TxJournal() {
  stop();
}

core::Status TxJournal::load_verdict_order() {
  const core::Bytes prefix{static_cast<std::uint8_t>(kOrderPrefix)};
  core::Status bad;
  auto s =
      kv_->scan(Column::kMeta, prefix, SIZE_MAX, [&](core::ByteView key, core::ByteView value) {
        auto id = core::Hash256::from_bytes(value);
        if (key.size() != 9 || !id) {
          bad = core::Status::corruption("transaction journal: bad verdict order entry " +
                                         ledger::describe_key(Column::kMeta, key));
          return false;
        }
        const std::uint64_t seq = get_be64(key.subspan(1));
        order_.emplace_back(seq, *id);
        latest_order_[*id] = seq;
        next_order_ = seq + 1;
        return true;
      });
  if (!s) return s;
  if (!bad) return bad;
  stats_.verdicts = latest_order_.size();
  return core::Status::ok();
}

core::Result<JournalContents> TxJournal::load() {
  JournalContents out;
  ledger::WriteBatch not_ids;  // keys that name no transaction: erased at once
  auto s =
      kv_->scan(Column::kTransaction, {}, SIZE_MAX, [&](core::ByteView key, core::ByteView value) {
        auto id = core::Hash256::from_bytes(key);
        if (!id) {
          out.corrupt.emplace_back(core::Hash256{}, "a key of " + std::to_string(key.size()) +
                                                        " bytes is not a transaction id");
          not_ids.erase(Column::kTransaction, key);
          return true;
        }
        if (value.empty() || value[0] != kRecordVersion) {
          out.corrupt.emplace_back(*id, "record " + id->to_hex() + " has an unknown version");
          return true;
        }
        const core::ByteView bytes = value.subspan(1);
        if (core::tagged_hash(core::HashTag::kTransactionId, bytes) != *id) {
          out.corrupt.emplace_back(
              *id, "record " + id->to_hex() + " does not hash to its id (damaged bytes)");
          return true;
        }
        out.transactions.push_back(JournaledTx{*id, core::Bytes(bytes.begin(), bytes.end())});
        return true;
      });
  if (!s) return s;
  if (not_ids.size() > 0) {
    if (auto w = kv_->write(not_ids, false); !w) return w;
  }
  {
    std::lock_guard lock(mutex_);
    for (const auto& t : out.transactions) held_.emplace(t.id, 0);
    stats_.held = held_.size();
  }
  // A corrupt record leaves the journal now, with its verdict (when its key
  // names an id) so that the client who was promised it learns to resubmit.
  std::vector<Op> ops;
  for (const auto& [id, why] : out.corrupt) {
    if (id.is_zero()) continue;  // erased above
    Op op;
    op.id = id;
    op.erase = true;
    op.verdict = TxVerdict{TxFate::kDropped, "journal_corrupt",
                           "the node's journal record was damaged: " + why, 0};
    ops.push_back(std::move(op));
  }
  if (!ops.empty()) {
    std::lock_guard lock(mutex_);
    for (auto& op : ops) {
      if (op.verdict) unwritten_verdicts_[op.id] = *op.verdict;
      queue_.push_back(std::move(op));
    }
    wake_.notify_one();
  }
  return out;
}

std::uint64_t TxJournal::append(const core::Hash256& id, core::ByteView bytes) {
  std::lock_guard lock(mutex_);
  if (auto it = held_.find(id); it != held_.end()) return it->second;
  const std::uint64_t ticket = next_ticket_++;
  held_.emplace(id, ticket);
  ++stats_.appended;
  stats_.held = held_.size();
  Op op;
  op.id = id;
  op.bytes = core::Bytes(bytes.begin(), bytes.end());
  op.ticket = ticket;
  queue_.push_back(std::move(op));
  wake_.notify_one();
  return ticket;
}

void TxJournal::when_durable(std::uint64_t ticket, std::function<void(core::Status)> done) {
  core::Status now;
  {
    std::lock_guard lock(mutex_);
    if (ticket > durable_ticket_ && ticket > failed_up_to_ && !stopping_) {
      waiters_.emplace(ticket, std::move(done));
      return;
    }
    if (ticket > durable_ticket_) {
      now = ticket <= failed_up_to_ ? last_error_
                                    : core::Status::unavailable("transaction journal stopped");
    }
  }
  done(now);
}

core::Status TxJournal::wait_durable(std::uint64_t ticket) {
  std::mutex m;
  std::condition_variable cv;
  std::optional<core::Status> result;
  when_durable(ticket, [&](core::Status s) {
    std::lock_guard lock(m);
    result = std::move(s);
    cv.notify_one();
  });
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return result.has_value(); });
  return *result;
}

void TxJournal::settle(const core::Hash256& id, std::optional<TxVerdict> verdict) {
  std::lock_guard lock(mutex_);
  Op op;
  op.id = id;
  op.erase = held_.erase(id) != 0;
  if (!op.erase && !verdict) return;
  stats_.held = held_.size();
  ++stats_.settled;
  if (verdict) {
    if (verdict->reason.size() > config_.max_verdict_text) {
      verdict->reason.resize(config_.max_verdict_text);
    }
    if (verdict->detail.size() > config_.max_verdict_text) {
      verdict->detail.resize(config_.max_verdict_text);
    }
    unwritten_verdicts_[id] = *verdict;
  }
  op.verdict = std::move(verdict);
  queue_.push_back(std::move(op));
  wake_.notify_one();
}

core::Result<std::optional<TxVerdict>> TxJournal::verdict(const core::Hash256& id) const {
  {
    std::lock_guard lock(mutex_);
    if (auto it = unwritten_verdicts_.find(id); it != unwritten_verdicts_.end()) {
      return std::optional<TxVerdict>{it->second};
    }
  }
  auto v = kv_->get(Column::kMeta, verdict_key(id));
  if (!v) return v.error();
  if (!v->has_value()) return std::optional<TxVerdict>{};
  auto d = decode_verdict(**v);
  if (!d) return d.error();
  return std::optional<TxVerdict>{std::move(d->first)};
}

bool TxJournal::holds(const core::Hash256& id) const {
  std::lock_guard lock(mutex_);
  return held_.count(id) != 0;
}

void TxJournal::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !writer_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
  // Whoever still waits (appends after the stop) learns it now.
  std::multimap<std::uint64_t, std::function<void(core::Status)>> left;
  {
    std::lock_guard lock(mutex_);
    left.swap(waiters_);
  }
  for (auto& [ticket, done] : left) done(core::Status::unavailable("transaction journal stopped"));
}

TxJournalStats TxJournal::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void TxJournal::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, everything written
    std::vector<Op> ops;
    ops.swap(queue_);
    lock.unlock();
    write(ops);
    lock.lock();
  }
}

void TxJournal::write(std::vector<Op>& ops) {
  ledger::WriteBatch batch;
  std::uint64_t max_ticket = 0;
  std::vector<core::Hash256> verdict_ids;
  for (Op& op : ops) {
    if (op.bytes) {
      core::Bytes record{kRecordVersion};
      record.insert(record.end(), op.bytes->begin(), op.bytes->end());
      batch.put(Column::kTransaction, core::Bytes(op.id.bytes().begin(), op.id.bytes().end()),
                std::move(record));
      max_ticket = std::max(max_ticket, op.ticket);
      continue;
    }
    if (op.erase) batch.erase(Column::kTransaction, op.id.view());
    if (!op.verdict) continue;
    const std::uint64_t seq = next_order_++;
    batch.put(Column::kMeta, verdict_key(op.id), encode_verdict(*op.verdict, seq));
    batch.put(Column::kMeta, order_key(seq), core::Bytes(op.id.view().begin(), op.id.view().end()));
    order_.emplace_back(seq, op.id);
    latest_order_[op.id] = seq;
    verdict_ids.push_back(op.id);
    // Bounded: forget the oldest (its verdict only if no newer one replaced it).
    while (latest_order_.size() > config_.max_verdicts && !order_.empty()) {
      const auto [old_seq, old_id] = order_.front();
      order_.pop_front();
      batch.erase(Column::kMeta, order_key(old_seq));
      if (auto it = latest_order_.find(old_id);
          it != latest_order_.end() && it->second == old_seq) {
        latest_order_.erase(it);
        batch.erase(Column::kMeta, verdict_key(old_id));
      }
    }
    // Order entries of verdicts since replaced are kept until they are the
    // oldest; bound them too (at most max_verdicts of them).
    while (order_.size() > 2 * config_.max_verdicts) {
      const auto [old_seq, old_id] = order_.front();
      order_.pop_front();
      batch.erase(Column::kMeta, order_key(old_seq));
      if (auto it = latest_order_.find(old_id);
          it != latest_order_.end() && it->second == old_seq) {
        latest_order_.erase(it);
        batch.erase(Column::kMeta, verdict_key(old_id));
      }
    }
  }
  // Only a batch carrying a promise needs the fsync.
  const core::Status s = kv_->write(batch, /*sync=*/max_ticket != 0);

  std::vector<std::pair<std::function<void(core::Status)>, core::Status>> ready;
  {
    std::lock_guard lock(mutex_);
    for (const auto& id : verdict_ids) {
      // A newer verdict queued meanwhile stays visible from memory.
      bool newer = false;
      for (const Op& q : queue_) newer = newer || (q.verdict && q.id == id);
      if (!newer) unwritten_verdicts_.erase(id);
    }
    stats_.verdicts = latest_order_.size();
    if (max_ticket != 0) ++stats_.syncs;
    if (!s) {
      ++stats_.write_errors;
      last_error_ = core::Status::io_error("transaction journal: " + s.to_string());
      failed_up_to_ = std::max(failed_up_to_, max_ticket);
    } else if (max_ticket != 0) {
      durable_ticket_ = std::max(durable_ticket_, max_ticket);
    }
    const std::uint64_t done_up_to = std::max(durable_ticket_, failed_up_to_);
    const core::Status result = s ? core::Status::ok() : last_error_;
    for (auto it = waiters_.begin(); it != waiters_.end() && it->first <= done_up_to;) {
      auto done = std::move(it->second);
      it = waiters_.erase(it);
      ready.emplace_back(std::move(done), result);
    }
  }
  for (auto& [done, result] : ready) done(std::move(result));
}

}  // namespace bauhinia::node
