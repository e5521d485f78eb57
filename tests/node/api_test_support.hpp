#pragma once
// Shared by the API tests: a real chain (LedgerStore with blocks executed by
// the real Executor and accounts module, BIP-340-signed "ping" transactions,
// commit certificates signed with fixed-seed Ed25519 validator keys, one epoch
// change), a real Mempool over it, the API server on an ephemeral port of
// 127.0.0.1, and a small HTTP client over real sockets with timeouts.

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

// GCC 12 at -O3 reports a false -Wnull-dereference inside Boost.Asio 1.74
// (scheduler::compensating_work_started, inlined into our handlers).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <nlohmann/json.hpp>

#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/contracts/executor.hpp"
#include "bauhinia/core/assert.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/ledger/ledger_store.hpp"
#include "bauhinia/ledger/leveldb_store.hpp"
#include "bauhinia/mempool/mempool.hpp"
#include "bauhinia/node/api_ledger_backend.hpp"
#include "bauhinia/node/api_server.hpp"

namespace bauhinia::apitest {

using json = nlohmann::json;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

inline constexpr const char* kChainId = "bauhinia-api-test-1";

// ---- Keys ---------------------------------------------------------------------

inline core::ed25519::SecretKey validator_key(std::uint64_t epoch, std::size_t index) {
  std::array<std::uint8_t, core::ed25519::kSeedSize> seed{};
  seed.fill(0xA7);
  seed[0] = static_cast<std::uint8_t>(epoch);
  seed[1] = static_cast<std::uint8_t>(index);
  return core::ed25519::SecretKey::from_seed(seed);
}

// Four validators per epoch, unequal power (quorum needs three of them).
inline chain::ValidatorSet validator_set(std::uint64_t epoch) {
  static constexpr const char* kNames[] = {"IPD", "CR", "DH", "EPD"};
  chain::ValidatorSet set;
  set.epoch = epoch;
  for (std::size_t i = 0; i < 4; ++i) {
    set.validators.push_back({validator_key(epoch, i).public_key(), 1 + i % 2, kNames[i]});
  }
  return set;
}

inline core::schnorr::SecretKey user_key(std::uint32_t n) {
  core::Bytes raw(32, 0);
  raw[0] = 0x4B;
  raw[31] = static_cast<std::uint8_t>(n);
  return std::move(core::schnorr::SecretKey::from_bytes(raw)).value();
}

inline core::AccountId account_of(std::uint32_t user) {
  return core::account_id_of(user_key(user).public_key());
}

inline std::uint64_t now_ms() {
  return node::system_now_ms();
}

// A signed accounts.ping of `user` (fixed aux randomness: reproducible bytes).
inline chain::Transaction ping(std::uint32_t user, std::uint64_t sequence, std::string memo,
                               std::uint64_t expiry_ms) {
  const auto key = user_key(user);
  contracts::accounts::PingArgs args;
  args.memo.assign(memo.begin(), memo.end());
  chain::Transaction tx;
  tx.chain_id = kChainId;
  tx.sender = core::account_id_of(key.public_key());
  tx.public_key = key.public_key();
  tx.sequence = sequence;
  tx.expiry_ms = expiry_ms;
  tx.module = "accounts";
  tx.call = "ping";
  tx.payload = core::encode(args);
  std::array<std::uint8_t, 32> aux{};
  aux[0] = 0x11;
  tx.sign(key, aux);
  return tx;
}

// ---- The chain ------------------------------------------------------------------

// A commit certificate of `header` by validators 0, 1 and 3 of its epoch
// (power 1 + 2 + 2 = 5 of 6, quorum 5).
inline chain::QuorumCertificate certify(const chain::BlockHeader& header) {
  chain::LedgerInfo li;
  li.chain_id = kChainId;
  li.epoch = header.epoch;
  li.round = header.round;
  li.commit_block = header.id();
  li.commit_height = header.height;
  li.consensus_data_hash =
      core::sha256(core::as_bytes("vote data " + std::to_string(header.height)));
  const core::Hash256 msg = li.signing_hash();
  std::vector<chain::IndexedSignature> votes;
  for (std::size_t i : {0U, 1U, 3U})
    votes.emplace_back(i, validator_key(header.epoch, i).sign(msg.view()));
  auto qc = chain::build_quorum_certificate(li, validator_set(header.epoch), votes);
  BAUHINIA_ASSERT_MSG(qc.has_value(), "test certificate");
  return std::move(qc).value();
}

// The real ledger, executor and mempool of one node.
class TestNode {
 public:
  // Block 2 ends epoch 0; blocks 3 and 4 are certified by epoch 1's set.
  static constexpr std::uint64_t kEpochEndHeight = 2;
  static constexpr std::uint64_t kBlocks = 4;

  explicit TestNode(std::unique_ptr<ledger::KvStore> kv = std::make_unique<ledger::MemoryKvStore>())
      : genesis_ms_(process_start_ms() - 600'000), expiry_ms_(process_start_ms() + 3'600'000) {
    executor_.add_module(accounts_);
    ledger::GenesisSpec g;
    g.chain_id = kChainId;
    g.validators = validator_set(0);
    g.timestamp_ms = genesis_ms_;
    auto store = ledger::LedgerStore::open(std::move(kv), g);
    BAUHINIA_ASSERT_MSG(store.has_value(), "open ledger");
    ledger_ = std::move(store).value();
    mempool::MempoolConfig mc;
    mc.chain_id = kChainId;
    mempool_ = std::make_unique<mempool::Mempool>(mc, node::ledger_account_lookup(*ledger_));
  }

  // Commits the test chain: pings by users 1..3 in blocks 1..4.
  void build_chain() {
    commit({ping(1, 0, "first", expiry_ms_), ping(2, 0, "hello", expiry_ms_)});
    commit({ping(1, 1, "second", expiry_ms_)});
    commit({ping(3, 0, "new epoch", expiry_ms_), ping(2, 1, "again", expiry_ms_)});
    commit({ping(1, 2, "third", expiry_ms_)});
    BAUHINIA_ASSERT(ledger_->latest_height() == kBlocks);
  }

  // The time every TestNode of this process starts from, so that nodes built
  // alike hold identical chains.
  static std::uint64_t process_start_ms() {
    static const std::uint64_t start = now_ms();
    return start;
  }

  // Executes `txs` on top of the latest block and commits them; returns the block.
  ledger::BlockCommit commit(std::vector<chain::Transaction> txs) {
    const chain::BlockHeader parent = ledger_->latest_header();
    const chain::ValidatorSet set = ledger_->current_validator_set();
    const std::uint64_t height = parent.height + 1;
    std::vector<chain::IdentifiedTransaction> itxs;
    for (auto& tx : txs) itxs.push_back(chain::IdentifiedTransaction::of(std::move(tx)));
    const contracts::BlockContext ctx{kChainId, height, genesis_ms_ + height * 1000,
                                      parent.accumulator_size};
    const node::LedgerVersionReader state(*ledger_, parent.height);
    auto executed = executor_.execute_block(ctx, itxs, state);
    BAUHINIA_ASSERT_MSG(executed.has_value() && executed->has_value(), "execute block");
    const contracts::ExecutedBlock& block = executed->value();

    ledger::BlockCommit b;
    for (std::size_t i = 0; i < itxs.size(); ++i) {
      b.transactions.push_back(itxs[i].tx.encoded());
      b.infos.push_back(block.transactions[i].info);
      std::vector<core::Hash256> accounts;
      for (const auto& a : block.transactions[i].accounts)
        accounts.push_back(core::Hash256(a.bytes));
      b.accounts.push_back(std::move(accounts));
    }
    for (const auto& [key, write] : block.writes) b.state_writes.push_back({key, write.value});
    auto roots = ledger_->roots_after(b.infos, b.state_writes);
    BAUHINIA_ASSERT_MSG(roots.has_value(), "roots_after");
    BAUHINIA_ASSERT(roots->transactions_root == block.transactions_root);
    chain::BlockHeader& h = b.header;
    h.epoch = set.epoch;
    h.height = height;
    h.round = height + 10;
    h.parent_hash = parent.id();
    h.timestamp_ms = ctx.timestamp_ms;
    h.proposer = validator_key(set.epoch, height % 4).public_key();
    h.transactions_root = roots->transactions_root;
    h.accumulator_root = roots->accumulator_root;
    h.accumulator_size = roots->accumulator_size;
    h.state_root = roots->state_root;
    h.validator_set_hash = set.hash();
    h.next_validator_set_hash = set.hash();
    if (height == kEpochEndHeight) {
      b.next_validator_set = validator_set(set.epoch + 1);
      h.next_validator_set_hash = b.next_validator_set->hash();
    }
    b.certificate = certify(h);
    auto verdict = ledger_->commit_block(b);
    BAUHINIA_ASSERT_MSG(verdict.has_value() && verdict->ok(), "commit block");
    for (const auto& t : block.transactions) {
      for (std::size_t e = 0; e < t.events.size(); ++e) {
        events_.push_back({height, t.info.version, t.id, e, t.events[e]});
      }
    }
    committed_ids(itxs);
    return b;
  }

 private:
  // As the runtime does after a commit.
  void committed_ids(const std::vector<chain::IdentifiedTransaction>& itxs) {
    std::vector<core::Hash256> ids;
    for (const auto& itx : itxs) ids.push_back(itx.id);
    (void)mempool_->remove_committed(ids, {});
  }

 public:
  ledger::LedgerStore& ledger() { return *ledger_; }
  mempool::Mempool& mempool() { return *mempool_; }
  const contracts::Executor& executor() const { return executor_; }
  std::uint64_t expiry_ms() const { return expiry_ms_; }

  // Every event of the blocks committed, as execution emitted them.
  struct CommittedEvent {
    std::uint64_t height = 0;
    std::uint64_t version = 0;
    core::Hash256 transaction_id;
    std::size_t index = 0;
    contracts::Event event;
  };
  const std::vector<CommittedEvent>& events() const { return events_; }

 private:
  std::uint64_t genesis_ms_;
  std::uint64_t expiry_ms_;
  contracts::accounts::AccountsModule accounts_;
  contracts::Executor executor_;
  std::unique_ptr<ledger::LedgerStore> ledger_;
  std::unique_ptr<mempool::Mempool> mempool_;
  std::vector<CommittedEvent> events_;
};

// ---- HTTP client ----------------------------------------------------------------

struct HttpResponse {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  bool keep_alive = false;

  json body_json() const { return json::parse(body, nullptr, /*allow_exceptions=*/false); }
  std::string error_code() const {
    const json j = body_json();
    if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return "<no error>";
    return j["error"].value("code", "<no code>");
  }
};

// One connection to the server; every operation has a deadline.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port) : socket_(io_) {
    boost::system::error_code ec;
    socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
    connected_ = !ec;
  }
  bool connected() const { return connected_; }

  std::optional<HttpResponse> request(const std::string& method, const std::string& target,
                                      const std::string& body = {},
                                      const std::string& content_type = {},
                                      std::chrono::milliseconds timeout = kTimeout) {
    std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!content_type.empty()) raw += "Content-Type: " + content_type + "\r\n";
    if (!body.empty() || method == "POST")
      raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    raw += "\r\n" + body;
    if (!send_raw(raw, timeout)) return std::nullopt;
    return read_response(timeout);
  }

  bool send_raw(const std::string& bytes, std::chrono::milliseconds timeout = kTimeout) {
    bool done = false;
    boost::system::error_code result;
    net::async_write(socket_, net::buffer(bytes), [&](boost::system::error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    return run(done, timeout) && !result;
  }

  std::optional<HttpResponse> read_response(std::chrono::milliseconds timeout = kTimeout) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64U << 20);
    bool done = false;
    boost::system::error_code result;
    http::async_read(socket_, buffer_, parser, [&](boost::system::error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    if (!run(done, timeout) || result) return std::nullopt;
    HttpResponse out;
    const auto& msg = parser.get();
    out.status = msg.result_int();
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(field.value());
    }
    out.body = msg.body();
    out.keep_alive = msg.keep_alive();
    return out;
  }

  // True when the server closes the connection within `timeout` (reads and
  // discards anything it still sends).
  bool closed_by_server(std::chrono::milliseconds timeout = kTimeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::array<char, 4096> scratch{};
    while (std::chrono::steady_clock::now() < deadline) {
      bool done = false;
      boost::system::error_code result;
      socket_.async_read_some(net::buffer(scratch), [&](boost::system::error_code ec, std::size_t) {
        result = ec;
        done = true;
      });
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (!run(done, std::max(left, std::chrono::milliseconds(1)))) return false;
      if (result) return true;  // EOF or reset
    }
    return false;
  }

  static constexpr std::chrono::milliseconds kTimeout{20'000};

 private:
  // Runs the io_context until `done` or the timeout (then cancels: false).
  bool run(bool& done, std::chrono::milliseconds timeout) {
    io_.restart();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done && std::chrono::steady_clock::now() < deadline) {
      io_.run_one_until(deadline);
    }
    if (!done) {
      boost::system::error_code ec;
      socket_.cancel(ec);
      io_.restart();
      io_.run();  // the cancelled handler
      return false;
    }
    return true;
  }

  net::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  bool connected_ = false;
};

// ---- The server ------------------------------------------------------------------

// A TestNode with its chain, a LedgerApiBackend and an ApiServer on an
// ephemeral port, served by two io threads.
class ApiFixture {
 public:
  explicit ApiFixture(
      node::ApiServerConfig config = test_config(),
      std::unique_ptr<ledger::KvStore> kv = std::make_unique<ledger::MemoryKvStore>())
      : node_(std::move(kv)) {
    node_.build_chain();
    node::LedgerApiBackendOptions options;
    options.node_name = "api-test-node";
    options.role = node::Role::kObserver;
    options.runtime_status = [] { return node::RuntimeStatus{0, false, 3}; };
    backend_ = std::make_unique<node::LedgerApiBackend>(node_.ledger(), node_.mempool(),
                                                        node_.executor(), std::move(options));
    server_ = std::make_unique<node::ApiServer>(io_, config, *backend_);
    const core::Status started = server_->start();
    BAUHINIA_ASSERT_MSG(started.is_ok(), "api server start");
    work_.emplace(net::make_work_guard(io_));
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~ApiFixture() {
    server_->stop();
    work_.reset();
    for (auto& t : threads_) t.join();
  }

  static node::ApiServerConfig test_config() {
    node::ApiServerConfig c;
    c.max_body_bytes = 64 * 1024;
    c.max_header_bytes = 8 * 1024;
    c.request_timeout_ms = 3'000;
    c.write_timeout_ms = 10'000;
    return c;
  }

  std::uint16_t port() const { return server_->port(); }
  node::ApiServer& server() { return *server_; }
  TestNode& node() { return node_; }

  std::optional<HttpResponse> get(const std::string& target) {
    HttpClient client(port());
    return client.request("GET", target);
  }
  std::optional<HttpResponse> post(const std::string& target, const std::string& body,
                                   const std::string& content_type) {
    HttpClient client(port());
    return client.request("POST", target, body, content_type);
  }
  json get_json(const std::string& target, unsigned expected_status = 200) {
    auto r = get(target);
    if (!r) return json("<no response>");
    if (r->status != expected_status)
      return json("<status " + std::to_string(r->status) + ">: " + r->body);
    return r->body_json();
  }

 private:
  TestNode node_;
  net::io_context io_;
  std::unique_ptr<node::LedgerApiBackend> backend_;
  std::unique_ptr<node::ApiServer> server_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
};

// ---- Decoding hex fields -----------------------------------------------------------

template <class T>
T decode_hex(const json& field) {
  BAUHINIA_ASSERT_MSG(field.is_string(), "hex field");
  auto bytes = core::from_hex(field.get<std::string>());
  BAUHINIA_ASSERT_MSG(bytes.has_value(), "hex");
  auto value = core::decode<T>(*bytes);
  BAUHINIA_ASSERT_MSG(value.has_value(), "canonical decoding");
  return std::move(value).value();
}

inline core::Hash256 hash_hex(const json& field) {
  BAUHINIA_ASSERT_MSG(field.is_string(), "hash field");
  auto h = core::Hash256::from_hex(field.get<std::string>());
  BAUHINIA_ASSERT_MSG(h.has_value(), "hash hex");
  return *h;
}

}  // namespace bauhinia::apitest
