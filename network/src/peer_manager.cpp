#include "bauhinia/network/peer_manager.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "backoff.hpp"
#include "bauhinia/core/assert.hpp"
#include "connection.hpp"
#include "delivery_queue.hpp"
#include "dialer.hpp"

namespace bauhinia::network {

namespace asio = boost::asio;
using boost::system::error_code;
using core::ed25519::PublicKey;
using detail::Admission;
using detail::Clock;
using detail::CloseReason;
using detail::Connection;
using detail::Dialer;
using detail::DialPlan;
using detail::Tcp;

std::string_view send_result_name(SendResult r) noexcept {
  switch (r) {
    case SendResult::kQueued: return "queued";
    case SendResult::kNotConnected: return "not connected";
    case SendResult::kQueueFull: return "queue full";
    case SendResult::kTooLarge: return "too large";
    case SendResult::kBadChannel: return "bad channel";
  }
  return "unknown";
}

namespace {

// The address that max_pending_handshakes_per_address counts: an IPv4 address
// (also when mapped into IPv6), or the /64 prefix of an IPv6 address.
asio::ip::address handshake_address(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  }
  if (a.is_v6()) {
    // One IPv6 host usually has a whole /64: count the prefix.
    asio::ip::address_v6::bytes_type b = a.to_v6().to_bytes();
    std::fill(b.begin() + 8, b.end(), std::uint8_t{0});
    return asio::ip::address_v6(b);
  }
  return a;
}

}  // namespace

class PeerManager::Impl final : public detail::ConnectionHost, public detail::DialerHost {
 public:
  Impl(NetworkConfig config, core::ed25519::SecretKey node_key)
      : config_(std::move(config)),
        node_key_(std::move(node_key)),
        log_(config_.log ? config_.log : stderr_log_sink(LogLevel::kInfo)),
        acceptor_(asio::make_strand(ioc_)),
        accept_retry_(acceptor_.get_executor()),
        delivery_(config_.limits.inbound_queue_messages, config_.limits.inbound_queue_bytes,
                  config_.on_message, config_.on_peer_event, log_) {
    context_.host = this;
    context_.node_key = &node_key_;
    context_.chain_id = config_.chain_id;
    context_.limits = config_.limits;
  }

  ~Impl() override { stop(); }

  core::Status start();
  void stop();

  // ConnectionHost
  Admission admit(const Connection& c, const PublicKey& key) override;
  Admission on_established(const std::shared_ptr<Connection>& c) override;
  void on_closed(const std::shared_ptr<Connection>& c, CloseReason reason,
                 const std::string& detail, bool authenticated, bool was_registered) override;
  bool deliver(InboundMessage& m, std::function<void()> resume) override {
    return delivery_.push_or_wait(m, std::move(resume));
  }
  void log(LogLevel level, std::string_view line) override;

  // DialerHost
  DialPlan plan_dial(const PublicKey& key) override;
  bool adopt_outbound(Tcp::socket socket, const PublicKey& key) override;

  SendResult send(const PublicKey& peer, Channel channel, core::Bytes payload);
  std::size_t broadcast(Channel channel, core::Bytes payload);
  void set_allowed_keys(std::vector<PublicKey> keys);
  void set_peers(std::vector<PeerAddress> peers);
  void penalize(const PublicKey& peer, std::string_view reason);
  bool is_connected(const PublicKey& peer) const;
  bool is_banned(const PublicKey& peer) const;
  std::vector<PublicKey> connected_peers() const;
  std::optional<PeerStats> peer_stats(const PublicKey& peer) const;
  NetworkStats stats() const;

  const PublicKey& node_key() const noexcept { return node_key_.public_key(); }
  std::uint16_t listen_port() const noexcept { return port_.load(); }

 private:
  struct Ban {
    Clock::time_point until{};
    std::uint32_t offences = 0;
  };

  void do_accept();
  void on_accept(const error_code& ec, Tcp::socket socket);
  // REQUIRES: mutex_ held.
  bool banned_locked(const PublicKey& key, Clock::time_point now,
                     std::chrono::milliseconds* remaining = nullptr) const;
  void ban_locked(const PublicKey& key, std::string_view why);
  // Why an inbound connection from `from` cannot start its handshake now, or
  // empty when it can.
  std::string inbound_refusal_locked(const asio::ip::address& from) const;
  // Removes `id` from the handshakes in progress; false if it was not one.
  bool end_handshake_locked(std::uint64_t id);
  // The peers holding a place under max_peers: established keys and the keys
  // of outbound handshakes in progress, not counting `key` itself.
  std::size_t peer_places_locked(const PublicKey& key) const;
  std::string max_peers_detail_locked() const;
  std::shared_ptr<Dialer> dialer_locked(const PublicKey& key) const;
  void start_dialer_locked(const PeerAddress& peer);

  // Declared first, destroyed last: every socket and timer below uses it.
  asio::io_context ioc_;
  NetworkConfig config_;
  core::ed25519::SecretKey node_key_;
  LogSink log_;
  detail::ConnectionContext context_;
  Tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  std::atomic<std::uint16_t> port_{0};
  detail::DeliveryQueue delivery_;

  // NetworkLimits::max_log_lines_per_second: peers cannot flood the log.
  std::mutex log_mutex_;
  Clock::time_point log_window_start_{};
  std::size_t log_window_lines_ = 0;
  std::size_t log_suppressed_ = 0;

  std::mutex lifecycle_mutex_;  // start/stop
  std::atomic<bool> started_{false};
  bool stopped_ = false;

  mutable std::mutex mutex_;  // everything below
  bool stopping_ = false;
  std::uint64_t next_id_ = 1;
  std::set<PublicKey> allowed_;
  std::map<std::uint64_t, std::shared_ptr<Connection>> all_;  // handshaking and established
  // Still handshaking: accepted ones (with their address, see
  // handshake_address) and dialed ones, bounded separately.
  std::map<std::uint64_t, asio::ip::address> pending_inbound_;
  std::map<asio::ip::address, std::size_t> pending_per_address_;  // no zero entries
  std::set<std::uint64_t> pending_outbound_;
  std::map<PublicKey, std::shared_ptr<Connection>> established_;
  std::map<PublicKey, std::shared_ptr<Dialer>> dialers_;
  std::map<PublicKey, Ban> bans_;
  NetworkStats counters_;
};

// ---- lifecycle -----------------------------------------------------------------

core::Status PeerManager::Impl::start() {
  const std::lock_guard lifecycle(lifecycle_mutex_);
  if (started_) return core::Status::internal("network already started");
  if (core::Verdict v = config_.validate(); !v) {
    return core::Status::invalid_argument("network config: " + v.rejection().to_string());
  }
  error_code ec;
  const auto address = asio::ip::make_address(config_.listen_host, ec);
  const Tcp::endpoint endpoint(address, config_.listen_port);
  const std::string where = config_.listen_host + ":" + std::to_string(config_.listen_port);
  if (acceptor_.open(endpoint.protocol(), ec); ec) {
    return core::Status::io_error("cannot open a socket for " + where + ": " + ec.message());
  }
  acceptor_.set_option(Tcp::acceptor::reuse_address(true), ec);
  if (acceptor_.bind(endpoint, ec); ec) {
    return core::Status::io_error("cannot listen on " + where + ": " + ec.message());
  }
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return core::Status::io_error("cannot listen on " + where + ": " + ec.message());
  }
  port_.store(acceptor_.local_endpoint(ec).port());
  {
    // Under mutex_ so that a concurrent set_peers() sees either no dialers
    // (and only records its list) or all of them.
    const std::lock_guard lock(mutex_);
    allowed_.insert(config_.allowed_keys.begin(), config_.allowed_keys.end());
    for (const PeerAddress& p : config_.peers) start_dialer_locked(p);
    started_ = true;
  }
  delivery_.start();
  work_.emplace(ioc_.get_executor());
  asio::post(acceptor_.get_executor(), [this] { do_accept(); });
  for (std::size_t i = 0; i < config_.io_threads; ++i) {
    threads_.emplace_back([this] { ioc_.run(); });
  }
  log(LogLevel::kInfo, "listening on " + config_.listen_host + ":" + std::to_string(port_.load()) +
                           " as " + node_key().to_hex() + " on chain '" + config_.chain_id + "'");
  return core::Status::ok();
}

void PeerManager::Impl::stop() {
  const std::lock_guard lifecycle(lifecycle_mutex_);
  if (!started_ || stopped_) return;
  stopped_ = true;
  std::vector<std::shared_ptr<Connection>> connections;
  std::vector<std::shared_ptr<Dialer>> dialers;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    for (const auto& [id, c] : all_) connections.push_back(c);
    for (const auto& [key, d] : dialers_) dialers.push_back(d);
  }
  asio::post(acceptor_.get_executor(), [this] {
    error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
  });
  for (const auto& d : dialers) d->stop();
  for (const auto& c : connections) c->close(CloseReason::kShutdown, "this node is stopping");
  // Every handler checks stopping_ and schedules nothing new, so the threads
  // run out of work once the closes and cancellations have completed.
  work_.reset();
  for (auto& t : threads_) t.join();
  threads_.clear();
  delivery_.stop();
  const std::lock_guard lock(mutex_);
  all_.clear();
  pending_inbound_.clear();
  pending_per_address_.clear();
  pending_outbound_.clear();
  established_.clear();
  dialers_.clear();
  log(LogLevel::kInfo, "stopped");
}

void PeerManager::Impl::log(LogLevel level, std::string_view line) {
  std::size_t suppressed = 0;
  {
    const std::lock_guard lock(log_mutex_);
    const auto now = Clock::now();
    if (now - log_window_start_ >= std::chrono::seconds(1)) {
      suppressed = log_suppressed_;
      log_window_start_ = now;
      log_window_lines_ = 0;
      log_suppressed_ = 0;
    }
    if (log_window_lines_ >= config_.limits.max_log_lines_per_second) {
      ++log_suppressed_;
      return;
    }
    ++log_window_lines_;
  }
  if (suppressed > 0) {
    log_(LogLevel::kWarn, std::to_string(suppressed) + " log lines suppressed (rate limit)");
  }
  log_(level, line);
}

// ---- accepting and dialing -------------------------------------------------------

void PeerManager::Impl::do_accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](const error_code& ec, Tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void PeerManager::Impl::on_accept(const error_code& ec, Tcp::socket socket) {
  if (ec == asio::error::operation_aborted) return;
  std::shared_ptr<Connection> c;
  std::string refusal;
  error_code peer_ec;
  const asio::ip::address from = handshake_address(socket.remote_endpoint(peer_ec).address());
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    if (!ec && !peer_ec) {
      refusal = inbound_refusal_locked(from);
      if (!refusal.empty()) {
        ++counters_.refused_limit;
      } else {
        c = std::make_shared<Connection>(context_, std::move(socket), Role::kResponder,
                                         std::nullopt, next_id_++);
        all_.emplace(c->id(), c);
        pending_inbound_.emplace(c->id(), from);
        ++pending_per_address_[from];
      }
    }
  }
  if (ec) {
    // E.g. out of file descriptors: wait a little rather than spin.
    log(LogLevel::kWarn, "accept failed: " + ec.message());
    accept_retry_.expires_after(std::chrono::milliseconds(100));
    accept_retry_.async_wait([this](const error_code& e) {
      if (!e) do_accept();
    });
    return;
  }
  if (c) {
    c->start();
  } else {
    error_code ignored;
    if (peer_ec) {
      log(LogLevel::kDebug, "an inbound connection closed before it was accepted");
    } else {
      log(LogLevel::kWarn,
          "refused an inbound connection from " + from.to_string() + ": " + refusal);
    }
    socket.close(ignored);
  }
  do_accept();
}

std::string PeerManager::Impl::inbound_refusal_locked(const asio::ip::address& from) const {
  const NetworkLimits& l = config_.limits;
  if (all_.size() >= l.max_connections) {
    return "at max_connections = " + std::to_string(l.max_connections);
  }
  if (pending_inbound_.size() >= l.max_pending_handshakes) {
    return "at max_pending_handshakes = " + std::to_string(l.max_pending_handshakes);
  }
  auto it = pending_per_address_.find(from);
  if (it != pending_per_address_.end() && it->second >= l.max_pending_handshakes_per_address) {
    return "at max_pending_handshakes_per_address = " +
           std::to_string(l.max_pending_handshakes_per_address);
  }
  return {};
}

bool PeerManager::Impl::end_handshake_locked(std::uint64_t id) {
  if (pending_outbound_.erase(id) > 0) return true;
  auto it = pending_inbound_.find(id);
  if (it == pending_inbound_.end()) return false;
  auto count = pending_per_address_.find(it->second);
  BAUHINIA_ASSERT(count != pending_per_address_.end() && count->second > 0);
  if (--count->second == 0) pending_per_address_.erase(count);
  pending_inbound_.erase(it);
  return true;
}

std::size_t PeerManager::Impl::peer_places_locked(const PublicKey& key) const {
  std::size_t places = established_.size() - (established_.contains(key) ? 1 : 0);
  // At most one outbound handshake per configured peer.
  std::set<PublicKey> dialing;
  for (const std::uint64_t id : pending_outbound_) {
    auto it = all_.find(id);
    if (it == all_.end()) continue;
    const auto& expected = it->second->expected_key();
    if (expected && *expected != key && !established_.contains(*expected)) {
      dialing.insert(*expected);
    }
  }
  return places + dialing.size();
}

std::string PeerManager::Impl::max_peers_detail_locked() const {
  return "this node is at max_peers = " + std::to_string(config_.max_peers) + " (" +
         std::to_string(established_.size()) + " peers connected)";
}

DialPlan PeerManager::Impl::plan_dial(const PublicKey& key) {
  const std::lock_guard lock(mutex_);
  if (stopping_ || established_.contains(key) || !allowed_.contains(key)) return {DialPlan::kIdle};
  std::chrono::milliseconds remaining{0};
  if (banned_locked(key, Clock::now(), &remaining)) return {DialPlan::kWait, remaining};
  // Inbound handshakes in progress do not count here: strangers holding those
  // slots must not stop this node from dialing its peers.
  if (all_.size() >= config_.limits.max_connections ||
      peer_places_locked(key) >= config_.max_peers) {
    return {DialPlan::kWait, std::chrono::milliseconds(config_.limits.reconnect_min_ms)};
  }
  return {DialPlan::kDial};
}

bool PeerManager::Impl::adopt_outbound(Tcp::socket socket, const PublicKey& key) {
  std::shared_ptr<Connection> c;
  {
    const std::lock_guard lock(mutex_);
    // Checked again under the lock that registers the dial: two dialers that
    // both passed plan_dial must not take one place under max_peers together.
    if (stopping_ || all_.size() >= config_.limits.max_connections ||
        peer_places_locked(key) >= config_.max_peers) {
      return false;
    }
    c = std::make_shared<Connection>(context_, std::move(socket), Role::kInitiator, key,
                                     next_id_++);
    all_.emplace(c->id(), c);
    pending_outbound_.insert(c->id());
  }
  c->start();
  return true;
}

std::shared_ptr<Dialer> PeerManager::Impl::dialer_locked(const PublicKey& key) const {
  auto it = dialers_.find(key);
  return it == dialers_.end() ? nullptr : it->second;
}

void PeerManager::Impl::start_dialer_locked(const PeerAddress& peer) {
  if (peer.key == node_key()) return;  // never dial ourselves
  auto d = std::make_shared<Dialer>(*this, ioc_, peer, config_.limits);
  dialers_[peer.key] = d;
  d->start();
}

// ---- connection events -------------------------------------------------------------

Admission PeerManager::Impl::admit(const Connection& /*c*/, const PublicKey& key) {
  const std::lock_guard lock(mutex_);
  if (stopping_) return Admission::refuse(CloseReason::kShutdown, "this node is stopping");
  if (!allowed_.contains(key)) {
    ++counters_.refused_not_allowed;
    return Admission::refuse(CloseReason::kRefused,
                             "key " + key.to_hex() + " is not in the allowed set");
  }
  std::chrono::milliseconds remaining{0};
  if (banned_locked(key, Clock::now(), &remaining)) {
    ++counters_.refused_banned;
    return Admission::refuse(
        CloseReason::kRefused,
        "key " + key.to_hex() + " is banned for " + std::to_string(remaining.count()) + " ms more");
  }
  // A peer already connected may replace its connection (e.g. it restarted).
  if (!established_.contains(key) && peer_places_locked(key) >= config_.max_peers) {
    ++counters_.refused_max_peers;
    return Admission::refuse(CloseReason::kRefused, max_peers_detail_locked());
  }
  return Admission::accept();
}

Admission PeerManager::Impl::on_established(const std::shared_ptr<Connection>& c) {
  const PublicKey& key = c->peer_key();
  std::shared_ptr<Connection> replaced;
  bool same_initiator = false;
  std::shared_ptr<Dialer> dialer;
  {
    const std::lock_guard lock(mutex_);
    end_handshake_locked(c->id());
    ++counters_.handshakes_completed;
    if (stopping_) return Admission::refuse(CloseReason::kShutdown, "this node is stopping");
    if (!allowed_.contains(key)) {
      ++counters_.refused_not_allowed;
      return Admission::refuse(CloseReason::kRefused,
                               "key " + key.to_hex() + " is no longer in the allowed set");
    }
    if (banned_locked(key, Clock::now())) {
      ++counters_.refused_banned;
      return Admission::refuse(CloseReason::kRefused, "key " + key.to_hex() + " is banned");
    }
    auto it = established_.find(key);
    if (it == established_.end() && established_.size() >= config_.max_peers) {
      // Several handshakes admitted at once may finish when no place is left.
      ++counters_.refused_max_peers;
      return Admission::refuse(CloseReason::kRefused, max_peers_detail_locked());
    }
    if (it != established_.end()) {
      // One connection per peer. Both ends keep the connection opened by the
      // smaller key; between two opened by the same side (a peer that
      // restarted and redialed) the newer one wins.
      // The loser is retired rather than closed at once: the other end may
      // still be using it until its own copy of the winner is established.
      const std::shared_ptr<Connection>& existing = it->second;
      same_initiator = existing->initiator_key() == c->initiator_key();
      const bool keep_new = same_initiator || c->initiator_key() < existing->initiator_key();
      ++counters_.duplicates_closed;
      if (!keep_new) {
        return Admission::duplicate("the connection opened by " +
                                    existing->initiator_key().to_hex() + " is kept");
      }
      replaced = existing;
      it->second = c;
    } else {
      established_.emplace(key, c);
    }
    dialer = dialer_locked(key);
  }
  if (replaced && same_initiator) {
    // The peer dialed again: its old connection is stale (it restarted or
    // lost it); tell the upper layer, whose session state with it is stale too.
    replaced->close(CloseReason::kDuplicate, "replaced by a newer connection from the same side");
    delivery_.push_event(PeerEvent{key, PeerEventKind::kDisconnected});
    delivery_.push_event(PeerEvent{key, PeerEventKind::kConnected});
  } else if (replaced) {
    replaced->retire("replaced by the connection opened by " + c->initiator_key().to_hex());
  } else {
    delivery_.push_event(PeerEvent{key, PeerEventKind::kConnected});
  }
  if (dialer) dialer->on_connected();
  return Admission::accept();
}

void PeerManager::Impl::on_closed(const std::shared_ptr<Connection>& c, CloseReason reason,
                                  const std::string& detail, bool authenticated,
                                  bool was_registered) {
  bool disconnected = false;
  std::shared_ptr<Dialer> peer_dialer;
  std::shared_ptr<Dialer> attempt_dialer;
  {
    const std::lock_guard lock(mutex_);
    all_.erase(c->id());
    if (end_handshake_locked(c->id()) && reason != CloseReason::kRefused &&
        reason != CloseReason::kShutdown) {
      ++counters_.handshakes_failed;
    }
    if (reason == CloseReason::kProtocolViolation) {
      ++counters_.protocol_violations;
      // Only an authenticated key can be blamed; before that anyone could
      // claim any key.
      if (authenticated && !stopping_) ban_locked(c->peer_key(), detail);
    }
    if (was_registered) {
      auto it = established_.find(c->peer_key());
      if (it != established_.end() && it->second == c) {
        established_.erase(it);
        disconnected = true;
        peer_dialer = dialer_locked(c->peer_key());
      }
    }
    if (c->role() == Role::kInitiator && !was_registered && c->expected_key()) {
      attempt_dialer = dialer_locked(*c->expected_key());
    }
    if (stopping_) peer_dialer = attempt_dialer = nullptr;
  }
  if (disconnected) delivery_.push_event(PeerEvent{c->peer_key(), PeerEventKind::kDisconnected});
  if (peer_dialer) peer_dialer->on_disconnected();
  if (attempt_dialer) attempt_dialer->on_attempt_failed();
}

// ---- bans --------------------------------------------------------------------------

bool PeerManager::Impl::banned_locked(const PublicKey& key, Clock::time_point now,
                                      std::chrono::milliseconds* remaining) const {
  auto it = bans_.find(key);
  if (it == bans_.end() || it->second.until <= now) return false;
  if (remaining != nullptr) {
    *remaining = std::chrono::ceil<std::chrono::milliseconds>(it->second.until - now);
  }
  return true;
}

void PeerManager::Impl::ban_locked(const PublicKey& key, std::string_view why) {
  const auto now = Clock::now();
  const auto forget_after = std::chrono::milliseconds(config_.limits.ban_max_ms);
  // Entries whose offences are forgotten anyway are dropped, so the map only
  // holds keys banned recently.
  std::erase_if(bans_, [&](const auto& entry) {
    return entry.first != key && now - entry.second.until > forget_after;
  });
  Ban& ban = bans_[key];
  // Offences are forgotten once a peer behaved for ban_max_ms after its last ban.
  if (ban.offences > 0 && now - ban.until > forget_after) {
    ban.offences = 0;
  }
  ++ban.offences;
  const auto duration =
      detail::ban_duration(ban.offences, config_.limits.ban_min_ms, config_.limits.ban_max_ms);
  ban.until = now + duration;
  log(LogLevel::kWarn, "banned peer " + key.to_hex() + " for " + std::to_string(duration.count()) +
                           " ms (offence " + std::to_string(ban.offences) +
                           "): " + std::string(why));
}

// ---- API -----------------------------------------------------------------------------

SendResult PeerManager::Impl::send(const PublicKey& peer, Channel channel, core::Bytes payload) {
  if (!is_application_channel(channel)) return SendResult::kBadChannel;
  std::shared_ptr<Connection> c;
  {
    const std::lock_guard lock(mutex_);
    auto it = established_.find(peer);
    if (it == established_.end()) return SendResult::kNotConnected;
    c = it->second;
  }
  return c->send(channel, std::make_shared<const core::Bytes>(std::move(payload)));
}

std::size_t PeerManager::Impl::broadcast(Channel channel, core::Bytes payload) {
  if (!is_application_channel(channel)) return 0;
  std::vector<std::shared_ptr<Connection>> targets;
  {
    const std::lock_guard lock(mutex_);
    targets.reserve(established_.size());
    for (const auto& [key, c] : established_) targets.push_back(c);
  }
  const auto shared = std::make_shared<const core::Bytes>(std::move(payload));
  std::size_t queued = 0;
  for (const auto& c : targets) {
    if (c->send(channel, shared) == SendResult::kQueued) ++queued;
  }
  return queued;
}

void PeerManager::Impl::set_allowed_keys(std::vector<PublicKey> keys) {
  std::vector<std::shared_ptr<Connection>> removed;
  std::vector<std::shared_ptr<Dialer>> dialers;
  {
    const std::lock_guard lock(mutex_);
    allowed_ = std::set<PublicKey>(keys.begin(), keys.end());
    for (const auto& [key, c] : established_) {
      if (!allowed_.contains(key)) removed.push_back(c);
    }
    for (const auto& [key, d] : dialers_) dialers.push_back(d);
  }
  log(LogLevel::kInfo, "allowed set replaced: " + std::to_string(keys.size()) + " keys, " +
                           std::to_string(removed.size()) + " connections to close");
  for (const auto& c : removed) {
    c->close(CloseReason::kRemoved,
             "key " + c->peer_key().to_hex() + " removed from the allowed set");
  }
  for (const auto& d : dialers) d->poke();
}

void PeerManager::Impl::set_peers(std::vector<PeerAddress> peers) {
  std::vector<std::shared_ptr<Dialer>> stopped;
  {
    const std::lock_guard lock(mutex_);
    if (!started_ || stopping_) {
      config_.peers = std::move(peers);
      return;
    }
    std::map<PublicKey, PeerAddress> wanted;
    for (auto& p : peers) wanted[p.key] = p;
    for (auto it = dialers_.begin(); it != dialers_.end();) {
      auto w = wanted.find(it->first);
      const PeerAddress& have = it->second->peer();
      if (w == wanted.end() || w->second.host != have.host || w->second.port != have.port) {
        stopped.push_back(it->second);
        it = dialers_.erase(it);
      } else {
        wanted.erase(w);
        ++it;
      }
    }
    for (const auto& [key, p] : wanted) start_dialer_locked(p);
  }
  for (const auto& d : stopped) d->stop();
}

void PeerManager::Impl::penalize(const PublicKey& peer, std::string_view reason) {
  std::shared_ptr<Connection> c;
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    ++counters_.penalties;
    ban_locked(peer, "penalized: " + std::string(reason));
    auto it = established_.find(peer);
    if (it != established_.end()) c = it->second;
  }
  if (c) c->close(CloseReason::kPenalized, std::string(reason));
}

bool PeerManager::Impl::is_connected(const PublicKey& peer) const {
  const std::lock_guard lock(mutex_);
  return established_.contains(peer);
}

bool PeerManager::Impl::is_banned(const PublicKey& peer) const {
  const std::lock_guard lock(mutex_);
  return banned_locked(peer, Clock::now());
}

std::vector<PublicKey> PeerManager::Impl::connected_peers() const {
  const std::lock_guard lock(mutex_);
  std::vector<PublicKey> out;
  out.reserve(established_.size());
  for (const auto& [key, c] : established_) out.push_back(key);
  return out;
}

std::optional<PeerStats> PeerManager::Impl::peer_stats(const PublicKey& peer) const {
  const std::lock_guard lock(mutex_);
  auto it = established_.find(peer);
  if (it == established_.end()) return std::nullopt;
  return it->second->stats();
}

NetworkStats PeerManager::Impl::stats() const {
  NetworkStats s;
  {
    const std::lock_guard lock(mutex_);
    s = counters_;
    s.connections = all_.size();
    s.established = established_.size();
    s.pending_handshakes = pending_inbound_.size() + pending_outbound_.size();
  }
  const detail::DeliveryStats d = delivery_.stats();
  s.inbound_queue_messages = d.messages;
  s.inbound_queue_bytes = d.bytes;
  s.peak_inbound_queue_bytes = d.peak_bytes;
  s.gossip_dropped = d.gossip_dropped;
  return s;
}

// ---- PeerManager -------------------------------------------------------------------

PeerManager::PeerManager(NetworkConfig config, core::ed25519::SecretKey node_key)
    : impl_(std::make_shared<Impl>(std::move(config), std::move(node_key))) {}

PeerManager::~PeerManager() {
  impl_->stop();
}

core::Status PeerManager::start() {
  return impl_->start();
}
void PeerManager::stop() {
  impl_->stop();
}
const PublicKey& PeerManager::node_key() const noexcept {
  return impl_->node_key();
}
std::uint16_t PeerManager::listen_port() const noexcept {
  return impl_->listen_port();
}
SendResult PeerManager::send(const PublicKey& peer, Channel channel, core::Bytes payload) {
  return impl_->send(peer, channel, std::move(payload));
}
std::size_t PeerManager::broadcast(Channel channel, core::Bytes payload) {
  return impl_->broadcast(channel, std::move(payload));
}
void PeerManager::set_allowed_keys(std::vector<PublicKey> keys) {
  impl_->set_allowed_keys(std::move(keys));
}
void PeerManager::set_peers(std::vector<PeerAddress> peers) {
  impl_->set_peers(std::move(peers));
}
void PeerManager::penalize(const PublicKey& peer, std::string_view reason) {
  impl_->penalize(peer, reason);
}
bool PeerManager::is_connected(const PublicKey& peer) const {
  return impl_->is_connected(peer);
}
bool PeerManager::is_banned(const PublicKey& peer) const {
  return impl_->is_banned(peer);
}
std::vector<PublicKey> PeerManager::connected_peers() const {
  return impl_->connected_peers();
}
std::optional<PeerStats> PeerManager::peer_stats(const PublicKey& peer) const {
  return impl_->peer_stats(peer);
}
NetworkStats PeerManager::stats() const {
  return impl_->stats();
}

}  // namespace bauhinia::network
