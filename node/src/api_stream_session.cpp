// One WebSocket stream (StreamSession) and the hub of all of them.
//
// Every member of a session runs on its connection's strand. Memory per
// session is bounded: at most one staged message plus the outgoing queue
// (max_queue_messages, max_queue_bytes; one message always fits an empty
// queue), and the stream reads the next height from the ledger only when the
// queue has room.

#include <chrono>
#include <deque>
#include <string>
#include <utility>

#include "api_json.hpp"
#include "api_stream_session.hpp"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#endif
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace bauhinia::node::api_stream {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;
using api_routes::json;

namespace {

std::chrono::milliseconds ms(std::uint32_t v) {
  return std::chrono::milliseconds(v);
}

// A close frame's reason fits in 123 bytes.
std::string close_reason_text(std::string text) {
  if (text.size() > 123) text.resize(123);
  return text;
}

}  // namespace

class StreamSession : public std::enable_shared_from_this<StreamSession> {
 public:
  StreamSession(std::shared_ptr<StreamHub> hub, beast::tcp_stream stream, StreamSpec spec,
                std::shared_ptr<StreamHub::Ticket> ticket, std::uint64_t id)
      : hub_(std::move(hub)),
        ws_(std::move(stream)),
        tick_(ws_.get_executor()),
        spec_(std::move(spec)),
        ticket_(std::move(ticket)),
        id_(id),
        cursor_(spec_.from),
        delivered_(spec_.from) {}

  ~StreamSession() {
    hub_->queued_bytes.fetch_sub(queued_bytes_);
    hub_->remove(id_);
  }

  void run(http::request<http::string_body> request) {
    request_ = std::move(request);
    net::dispatch(ws_.get_executor(), [self = shared_from_this()] { self->accept(); });
  }

  // New blocks may be committed (any thread).
  void wake() {
    net::post(ws_.get_executor(), [self = shared_from_this()] { self->fill(); });
  }

  // The server stops (any thread).
  void stop() {
    net::post(ws_.get_executor(), [self = shared_from_this()] {
      self->shut(websocket::close_code::going_away,
                 "the node is stopping; resume with from=" + std::to_string(self->resume_from()));
    });
  }

 private:
  struct Queued {
    std::shared_ptr<const std::string> text;
    std::optional<std::uint64_t> closes;  // the height this message closes
    Clock::time_point queued_at{};
  };

  const ApiStreamLimits& limits() const { return hub_->config; }

  // Where a consumer that receives our close frame resumes: the close frame
  // goes out after the message being written, so that one counts as delivered.
  std::uint64_t resume_from() const {
    if (writing_ && !queue_.empty() && queue_.front().closes) return *queue_.front().closes + 1;
    return delivered_;
  }

  void accept() {
    auto& tcp = beast::get_lowest_layer(ws_);
    tcp.expires_never();  // the websocket's own timeouts from here on
    boost::system::error_code ec;
    tcp.socket().set_option(
        net::socket_base::send_buffer_size(static_cast<int>(limits().socket_send_buffer_bytes)),
        ec);
    websocket::stream_base::timeout timeouts;
    timeouts.handshake_timeout = ms(limits().handshake_timeout_ms);
    timeouts.idle_timeout = ms(limits().idle_timeout_ms);
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "bauhinia-node"); }));
    ws_.read_message_max(limits().max_incoming_message_bytes);
    ws_.auto_fragment(false);
    ws_.async_accept(request_, [self = shared_from_this()](beast::error_code e) {
      self->request_ = {};
      if (e) return self->finish();
      self->on_open();
    });
  }

  void on_open() {
    opened_ = true;
    json kinds = json::array();
    if (spec_.blocks) kinds.push_back("blocks");
    if (spec_.events) kinds.push_back("events");
    json records = json::array();
    for (const auto& r : spec_.records) records.push_back(api_json::hex(r));
    const ApiStreamLimits& l = limits();
    push(Queued{std::make_shared<const std::string>(api_json::dump(json{
                    {"type", "subscribed"},
                    {"from", spec_.from},
                    {"latest_height", hub_->feed.backend().ledger().latest_height()},
                    {"kinds", std::move(kinds)},
                    {"modules", spec_.modules},
                    {"records", std::move(records)},
                    {"limits",
                     {{"max_queue_messages", l.max_queue_messages},
                      {"max_queue_bytes", l.max_queue_bytes},
                      {"max_queue_wait_ms", l.max_queue_wait_ms},
                      {"idle_timeout_ms", l.idle_timeout_ms},
                      {"max_incoming_message_bytes", l.max_incoming_message_bytes}}},
                })),
                std::nullopt});
    read();
    arm_tick();
    fill();
  }

  // Client messages: only control frames are expected (pongs, close).
  void read() {
    ws_.async_read(read_buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();  // closed by the client, timed out, or cut
      self->read_buffer_.consume(self->read_buffer_.size());
      self->shut(websocket::close_code::policy_error, "this stream takes no messages");
      self->read();
    });
  }

  // The next message of the stream, or nullopt when it is at the ledger's
  // latest height (or failed: then closed).
  std::optional<Queued> next_message() {
    StreamFeed& feed = hub_->feed;
    if (cursor_ > feed.backend().ledger().latest_height()) return std::nullopt;
    if (spec_.events && !events_) {
      auto events = feed.events(cursor_);
      if (!events) return fail(events.error());
      events_ = std::move(events).value();
      event_at_ = 0;
    }
    while (events_ && event_at_ < events_->size()) {
      const StreamEvent& e = (*events_)[event_at_++];
      if (spec_.wants(e.event)) {
        return Queued{std::make_shared<const std::string>(event_message(cursor_, e)), std::nullopt};
      }
    }
    // Every event of the height is out: its closing message.
    std::shared_ptr<const std::string> closing;
    if (spec_.blocks) {
      auto block = feed.block_message(cursor_);
      if (!block) return fail(block.error());
      closing = std::move(block).value();
    } else {
      auto header = feed.backend().ledger().header(cursor_);
      if (!header) return fail(header.error());
      closing = std::make_shared<const std::string>(checkpoint_message(cursor_, header->id()));
    }
    events_.reset();
    return Queued{std::move(closing), cursor_++};
  }

  std::optional<Queued> fail(const core::Status& why) {
    shut(websocket::close_code::internal_error, "internal: " + why.to_string());
    return std::nullopt;
  }

  void unqueued(std::size_t bytes) {
    queued_bytes_ -= bytes;
    hub_->queued_bytes.fetch_sub(bytes);
  }

  bool has_room(std::size_t bytes) const {
    return queue_.empty() || (queue_.size() < limits().max_queue_messages &&
                              queued_bytes_ + bytes <= limits().max_queue_bytes);
  }

  void push(Queued q) {
    q.queued_at = Clock::now();
    queued_bytes_ += q.text->size();
    hub_->queued_bytes.fetch_add(q.text->size());
    queue_.push_back(std::move(q));
  }

  // Moves messages from the ledger into the queue while it has room.
  void fill() {
    if (!opened_) return;  // a wake-up before the handshake: on_open fills
    while (!closing_) {
      if (!staged_) {
        staged_ = next_message();
        if (!staged_) break;
      }
      if (!has_room(staged_->text->size())) break;
      push(std::move(*staged_));
      staged_.reset();
    }
    write_next();
  }

  void write_next() {
    if (writing_ || queue_.empty() || closing_) return;
    writing_ = true;
    ws_.text(true);
    ws_.async_write(
        net::buffer(*queue_.front().text),
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_written(ec); });
  }

  void on_written(beast::error_code ec) {
    writing_ = false;
    if (!queue_.empty()) {
      const Queued& done = queue_.front();
      if (!ec && done.closes) delivered_ = *done.closes + 1;
      unqueued(done.text->size());
      queue_.pop_front();
    }
    if (ec) return finish();
    fill();
  }

  void arm_tick() {
    tick_.expires_after(ms(limits().poll_interval_ms));
    tick_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->finished_) return;
      self->on_tick();
    });
  }

  void on_tick() {
    const auto now = Clock::now();
    if (closing_) {
      // The close frame could not go out in time (a consumer that reads
      // nothing): drop the connection.
      if (now >= close_deadline_) return finish();
    } else if (!queue_.empty() && now - queue_.front().queued_at > ms(limits().max_queue_wait_ms)) {
      hub_->cut_off.fetch_add(1);
      shut(websocket::close_code::policy_error,
           "slow consumer: " + std::to_string(queue_.size()) + " messages (" +
               std::to_string(queued_bytes_) + " bytes) queued, the oldest for over " +
               std::to_string(limits().max_queue_wait_ms) +
               " ms; resume with from=" + std::to_string(resume_from()));
    } else {
      fill();  // blocks committed without a notification
    }
    arm_tick();
  }

  // Starts the closing handshake with `reason`; nothing more is queued. The
  // message being written (if any) finishes first.
  void shut(websocket::close_code code, const std::string& reason) {
    if (closing_ || finished_) return;
    if (!opened_) return finish();  // no WebSocket yet: just drop the connection
    closing_ = true;
    staged_.reset();
    events_.reset();
    while (queue_.size() > (writing_ ? 1U : 0U)) {
      unqueued(queue_.back().text->size());
      queue_.pop_back();
    }
    close_deadline_ = Clock::now() + ms(limits().handshake_timeout_ms);
    ws_.async_close(websocket::close_reason(code, close_reason_text(reason)),
                    [self = shared_from_this()](beast::error_code) {});
  }

  // The connection is over: release everything.
  void finish() {
    if (finished_) return;
    finished_ = true;
    closing_ = true;
    staged_.reset();
    events_.reset();
    tick_.cancel();
    beast::get_lowest_layer(ws_).close();
  }

  std::shared_ptr<StreamHub> hub_;
  websocket::stream<beast::tcp_stream> ws_;
  net::steady_timer tick_;
  const StreamSpec spec_;
  std::shared_ptr<StreamHub::Ticket> ticket_;
  const std::uint64_t id_;
  http::request<http::string_body> request_;
  beast::flat_buffer read_buffer_;

  std::uint64_t cursor_;     // the height whose messages are next
  std::uint64_t delivered_;  // heights below it are fully written: resume from here
  std::shared_ptr<const std::vector<StreamEvent>> events_;  // of cursor_, while sending them
  std::size_t event_at_ = 0;
  std::optional<Queued> staged_;  // read from the ledger, waiting for room
  std::deque<Queued> queue_;
  std::size_t queued_bytes_ = 0;
  bool opened_ = false;  // the opening handshake is done
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
  Clock::time_point close_deadline_{};
};

void start_stream(std::shared_ptr<StreamHub> hub, beast::tcp_stream stream,
                  http::request<http::string_body> request, StreamSpec spec,
                  std::shared_ptr<StreamHub::Ticket> ticket) {
  const std::uint64_t id = hub->next_id();
  auto session = std::make_shared<StreamSession>(hub, std::move(stream), std::move(spec),
                                                 std::move(ticket), id);
  hub->add(id, session);
  session->run(std::move(request));
}

// ---- StreamHub ---------------------------------------------------------------

StreamHub::Ticket::Ticket(std::shared_ptr<StreamHub> h, std::string a)
    : hub(std::move(h)), address(std::move(a)) {}

StreamHub::Ticket::~Ticket() {
  std::lock_guard lock(hub->mutex_);
  --hub->open_;
  if (auto it = hub->per_address_.find(address); it != hub->per_address_.end()) {
    if (--it->second == 0) hub->per_address_.erase(it);
  }
}

api_routes::Answer<std::pair<StreamSpec, std::shared_ptr<StreamHub::Ticket>>> StreamHub::admit(
    const ApiRequest& request, const std::string& address) {
  const ApiLimits& l = feed.limits();
  if (request.target.size() > l.max_target_bytes) {
    return api_error(
        414, "uri_too_long",
        "the request target is longer than " + std::to_string(l.max_target_bytes) + " bytes");
  }
  auto target = api_request::parse_target(request.target);
  if (!target) return api_error(400, "bad_target", target.error().detail);
  const api_routes::Context ctx{feed.backend(), l, request, *target};
  auto spec = parse_spec(ctx);
  if (!spec) return spec.error();
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return api_error(503, "unavailable", "the node is stopping");
    if (open_ >= config.max_subscribers) {
      return api_error(503, "too_many_subscribers",
                       "the node serves at most " + std::to_string(config.max_subscribers) +
                           " streams; try again later");
    }
    std::size_t& mine = per_address_[address];
    if (mine >= config.max_subscribers_per_address) {
      return api_error(429, "too_many_subscribers",
                       "at most " + std::to_string(config.max_subscribers_per_address) +
                           " streams per client address");
    }
    ++mine;
    ++open_;
  }
  return std::make_pair(std::move(spec).value(),
                        std::make_shared<Ticket>(shared_from_this(), address));
}

void StreamHub::add(std::uint64_t id, std::weak_ptr<StreamSession> session) {
  std::shared_ptr<StreamSession> late;
  {
    std::lock_guard lock(mutex_);
    sessions_.emplace(id, session);
    if (stopped_) late = session.lock();
  }
  if (late) late->stop();
}

void StreamHub::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
}

std::uint64_t StreamHub::next_id() {
  std::lock_guard lock(mutex_);
  return next_id_++;
}

void StreamHub::wake_all() {
  std::vector<std::shared_ptr<StreamSession>> open;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, weak] : sessions_) {
      if (auto s = weak.lock()) open.push_back(std::move(s));
    }
  }
  for (auto& s : open) s->wake();
}

void StreamHub::stop_all() {
  std::vector<std::shared_ptr<StreamSession>> open;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    for (auto& [id, weak] : sessions_) {
      if (auto s = weak.lock()) open.push_back(std::move(s));
    }
  }
  for (auto& s : open) s->stop();
}

std::size_t StreamHub::open() const {
  std::lock_guard lock(mutex_);
  return open_;
}

}  // namespace bauhinia::node::api_stream
