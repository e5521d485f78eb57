// The API's side of durable acceptance (docs/adr/0005-durable-acceptance.md),
// through the real ApiServer over real sockets: a 202 leaves only once the
// transaction journal's write holds the transaction (single and batch); a
// journal that cannot write answers 503 journal_unavailable; GET
// /v1/transactions/{id} answers expired / dropped with the reason for a
// transaction that left the mempool, and 404 only for an id never accepted.

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "../ledger/forwarding_store.hpp"
#include "api_test_support.hpp"
#include "bauhinia/node/durable_acceptance.hpp"
#include "bauhinia/node/tx_journal.hpp"

namespace bauhinia::apitest {
namespace {

// Forwards to a store; writes wait while the gate is closed and fail while
// `fail` is set.
class GatedStore final : public ledger::KvStore {
 public:
  explicit GatedStore(ledger::KvStore& target) : target_(target) {}
  core::Result<std::optional<core::Bytes>> get(ledger::Column c,
                                               core::ByteView key) const override {
    return target_.get(c, key);
  }
  core::Status scan(ledger::Column c, core::ByteView prefix, std::size_t limit,
                    const std::function<bool(core::ByteView, core::ByteView)>& fn) const override {
    return target_.scan(c, prefix, limit, fn);
  }
  core::Result<std::optional<std::pair<core::Bytes, core::Bytes>>> floor(
      ledger::Column c, core::ByteView prefix, core::ByteView upper) const override {
    return target_.floor(c, prefix, upper);
  }
  core::Status write(const ledger::WriteBatch& batch, bool sync) override {
    std::unique_lock lock(mutex_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lock, [this] { return open_; });
    if (fail_) return core::Status::io_error("no space left on device (injected)");
    lock.unlock();
    return target_.write(batch, sync);
  }
  void wait_entered(int n) {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return entered_ >= n; });
  }
  void set(bool open, bool fail) {
    std::lock_guard lock(mutex_);
    open_ = open;
    fail_ = fail;
    cv_.notify_all();
  }

 private:
  ledger::KvStore& target_;
  std::mutex mutex_;
  std::condition_variable cv_;
  int entered_ = 0;
  bool open_ = true;
  bool fail_ = false;
};

// The runtime's submission path over the test chain: admitted (or already
// pending) transactions are journaled; answers wait for the journal.
class JournaledBackend final : public node::ApiBackend {
 public:
  JournaledBackend(node::LedgerApiBackend& inner, node::DurableAcceptance& acceptance)
      : inner_(inner), acceptance_(acceptance) {}
  const ledger::LedgerStore& ledger() const override { return inner_.ledger(); }
  const contracts::Executor& executor() const override { return inner_.executor(); }
  node::SubmitResult submit(core::ByteView transaction) override {
    node::SubmitResult r = inner_.submit(transaction);
    if (r.ok() || r.rejection->error == mempool::MempoolError::kDuplicate) {
      r.durable_ticket = acceptance_.accepted(r.id, transaction);
    }
    return r;
  }
  void when_durable(std::uint64_t ticket, std::function<void(core::Status)> done) const override {
    acceptance_.journal().when_durable(ticket, std::move(done));
  }
  bool is_pending(const core::Hash256& id) const override { return inner_.is_pending(id); }
  core::Result<std::optional<node::TxVerdict>> transaction_verdict(
      const core::Hash256& id) const override {
    return acceptance_.journal().verdict(id);
  }
  node::NodeStatus status() const override { return inner_.status(); }
  std::optional<chain::QuorumCertificate> latest_commit_certificate() const override {
    return inner_.latest_commit_certificate();
  }

 private:
  node::LedgerApiBackend& inner_;
  node::DurableAcceptance& acceptance_;
};

class DurableAcceptanceApi : public ::testing::Test {
 protected:
  DurableAcceptanceApi() : gate_(journal_store_) {
    node_.build_chain();
    auto journal = node::TxJournal::open(std::make_unique<test::ForwardingKvStore>(gate_));
    BAUHINIA_ASSERT_MSG(journal.has_value(), "open journal");
    acceptance_ = std::make_unique<node::DurableAcceptance>(
        std::move(journal).value(), node_.mempool(), node_.ledger(), [] { return now_ms(); });
    BAUHINIA_ASSERT(acceptance_->restore().has_value());
    inner_ =
        std::make_unique<node::LedgerApiBackend>(node_.ledger(), node_.mempool(), node_.executor());
    backend_ = std::make_unique<JournaledBackend>(*inner_, *acceptance_);
    server_ = std::make_unique<node::ApiServer>(io_, ApiFixture::test_config(), *backend_);
    BAUHINIA_ASSERT_MSG(server_->start().is_ok(), "api server start");
    work_.emplace(net::make_work_guard(io_));
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~DurableAcceptanceApi() override {
    gate_.set(true, false);
    server_->stop();
    work_.reset();
    for (auto& t : threads_) t.join();
    acceptance_->journal().stop();
  }

  static std::string body_of(const chain::Transaction& tx) {
    return json{{"transaction_hex", core::to_hex(tx.encoded())}}.dump();
  }
  std::string post_raw(const std::string& target, const std::string& body) {
    return "POST " + target +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           "Content-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }

  // The journal's record of `id` is in the store (past the gate).
  bool stored(const core::Hash256& id) {
    auto v = journal_store_.get(ledger::Column::kTransaction, id.view());
    return v.has_value() && v->has_value();
  }

  TestNode node_;
  ledger::MemoryKvStore journal_store_;
  GatedStore gate_;
  std::unique_ptr<node::DurableAcceptance> acceptance_;
  std::unique_ptr<node::LedgerApiBackend> inner_;
  std::unique_ptr<JournaledBackend> backend_;
  net::io_context io_;
  std::unique_ptr<node::ApiServer> server_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

TEST_F(DurableAcceptanceApi, TheAnswerWaitsForTheJournal) {
  const chain::Transaction tx = ping(7, 0, "durable", node_.expiry_ms());
  gate_.set(false, false);  // the journal's "fsync" does not finish
  HttpClient client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send_raw(post_raw("/v1/transactions", body_of(tx))));
  gate_.wait_entered(1);  // admitted, its journal write under way
  EXPECT_TRUE(node_.mempool().contains(tx.id()));
  // No answer can leave before the write finishes (whatever the wait).
  EXPECT_FALSE(client.read_response(std::chrono::milliseconds(300)).has_value())
      << "answered before the journal held the transaction";
  EXPECT_FALSE(stored(tx.id()));
  gate_.set(true, false);
  auto r = client.read_response();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 202U) << r->body;
  EXPECT_EQ(r->body_json()["status"], "pending");
  EXPECT_TRUE(acceptance_->journal().holds(tx.id()));
  EXPECT_TRUE(stored(tx.id()));

  // A batch: one answer, once every one of its transactions is stored.
  json batch{{"transactions_hex", json::array()}};
  std::vector<core::Hash256> ids;
  for (std::uint64_t s = 1; s <= 5; ++s) {
    const chain::Transaction t = ping(7, s, "batch", node_.expiry_ms());
    ids.push_back(t.id());
    batch["transactions_hex"].push_back(core::to_hex(t.encoded()));
  }
  HttpClient second(server_->port());
  auto b = second.request("POST", "/v1/transactions/batch", batch.dump(), "application/json");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->status, 200U) << b->body;
  EXPECT_EQ(b->body_json()["accepted"], 5);
  for (const auto& id : ids) EXPECT_TRUE(stored(id)) << "answered before " << id.to_hex();
  EXPECT_EQ(acceptance_->journal().stats().held, 6U);
}

TEST_F(DurableAcceptanceApi, AJournalThatCannotWriteAnswers503) {
  gate_.set(true, true);
  const chain::Transaction tx = ping(8, 0, "disk full", node_.expiry_ms());
  HttpClient client(server_->port());
  auto r = client.request("POST", "/v1/transactions", body_of(tx), "application/json");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 503U) << r->body;
  EXPECT_EQ(r->error_code(), "journal_unavailable");
  EXPECT_EQ(r->headers["retry-after"], "1");
  EXPECT_EQ(acceptance_->journal().stats().write_errors, 1U);
}

TEST_F(DurableAcceptanceApi, GetGivesADefiniteAnswerForEveryAcceptedId) {
  // Parked behind a gap (user 9 has no transaction 0..2), expiring soon.
  const std::uint64_t expiry = now_ms() + 60'000;
  const chain::Transaction parked = ping(9, 3, "parked", expiry);
  const chain::Transaction evicted_later = ping(10, 0, "kept", node_.expiry_ms());
  HttpClient client(server_->port());
  for (const auto* tx : {&parked, &evicted_later}) {
    auto r = client.request("POST", "/v1/transactions", body_of(*tx), "application/json");
    ASSERT_TRUE(r.has_value());
    ASSERT_EQ(r->status, 202U) << r->body;
  }
  auto pending = client.request("GET", "/v1/transactions/" + parked.id().to_hex());
  ASSERT_TRUE(pending.has_value());
  EXPECT_EQ(pending->body_json()["status"], "pending");

  // Its expiry passes (the node's housekeeping).
  EXPECT_EQ(node_.mempool().remove_expired(expiry), 1U);
  auto expired = client.request("GET", "/v1/transactions/" + parked.id().to_hex());
  ASSERT_TRUE(expired.has_value());
  EXPECT_EQ(expired->status, 200U) << expired->body;
  const json e = expired->body_json();
  EXPECT_EQ(e["status"], "expired");
  EXPECT_EQ(e["reason"], "expired");
  EXPECT_NE(e["detail"].get<std::string>().find(std::to_string(expiry)), std::string::npos);
  EXPECT_FALSE(acceptance_->journal().holds(parked.id()));

  // Left out as invalid (the block builder's remove()).
  const std::vector<core::Hash256> invalid{evicted_later.id()};
  EXPECT_EQ(node_.mempool().remove(invalid), 1U);
  auto dropped = client.request("GET", "/v1/transactions/" + evicted_later.id().to_hex());
  ASSERT_TRUE(dropped.has_value());
  EXPECT_EQ(dropped->body_json()["status"], "dropped");
  EXPECT_EQ(dropped->body_json()["reason"], "invalid");

  // Committed ones are answered from the ledger; an id never accepted is 404.
  auto committed = client.request(
      "GET", "/v1/transactions/" + ping(1, 0, "first", node_.expiry_ms()).id().to_hex());
  ASSERT_TRUE(committed.has_value());
  EXPECT_EQ(committed->body_json()["status"], "committed");
  auto unknown =
      client.request("GET", "/v1/transactions/" + ping(11, 0, "never", expiry).id().to_hex());
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->status, 404U);
  EXPECT_EQ(unknown->error_code(), "unknown_transaction");
}

}  // namespace
}  // namespace bauhinia::apitest
