// Attack frames (issue 15, item 7): frame-level misbehaviour after a real
// handshake with a real allowed key. The peer manager only writes well-formed
// frames, so each step opens its own session (raw_session.hpp) to the node it
// names; the harness's peer manager is stopped first. Steps (--variant
// "step@node,..."; plan.hpp):
//   oversized      a frame header announcing more than the node's frame limit
//   tampered       a sealed consensus frame with one ciphertext byte flipped
//   replayed       a sealed ping frame sent twice (the second fails: wrong counter)
//   unknown_channel a correctly sealed frame on channel 9
//   bad_control    a control message of an unknown type (9)
//   bad_ping       a ping with a 3-byte nonce (wrong length)
//   auth_again     a second handshake signature after the handshake
//   ping_flood     2,000 pings written at once, nothing read until the end
// Each is a protocol violation (the node closes the session, counts it in
// bauhinia_network_protocol_violations_total and bans the key) except
// ping_flood: pongs are answered from a bounded queue and the session stays.
// RESULT done <steps>, or an error word.
#include <thread>

#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/network/control.hpp"
#include "bauhinia/node/key_file.hpp"
#include "harness.hpp"
#include "plan.hpp"
#include "raw_session.hpp"

namespace bauhinia::peer_harness {
namespace {

core::Bytes control(network::ControlType type, std::uint64_t nonce) {
  network::ControlMessage m;
  m.type = type;
  m.nonce = nonce;
  return network::encode_control(m);
}

// Runs one penalised step: writes `bytes`, then the node must close.
std::string judge_close(RawSession& s, const core::Bytes& bytes, Millis timeout) {
  if (!s.write(bytes)) return "penalized";  // closed while we wrote
  return s.wait_closed(timeout) ? "penalized" : "kept";
}

int run(Harness& h, const AttackArgs& a) {
  auto plan = parse_plan(a.variant);
  if (!plan) return result(64, "usage", plan.error().to_string());
  auto key = node::read_ed25519_key(h.config().key_file);
  if (!key) return result(2, "no-key", key.error().to_string());
  h.stop();  // our own sessions only: no second connection with this key
  int steps = 0;
  for (const PlanStep& step : *plan) {
    auto target = h.resolve(step.node);
    if (!target) return result(64, "usage", target.error().to_string());
    const node::PeerAddress* addr = nullptr;
    for (const auto& p : h.config().peers) {
      if (p.key == *target) addr = &p;
    }
    if (addr == nullptr) return result(64, "usage", step.node + " is not a configured peer");
    auto session = RawSession::open(addr->endpoint.host, addr->endpoint.port, h.genesis().chain_id,
                                    static_cast<std::uint32_t>(h.config().max_frame_bytes), *key,
                                    *target, a.timeout);
    if (!session) {
      check_line(step, "no-session", session.error().to_string());
      return result(2, "no-session", step.step + "@" + step.node);
    }
    RawSession& s = **session;
    const std::string& v = step.step;
    if (v == "oversized") {
      // A header only: the node must refuse before reading (and allocating) the body.
      const std::uint64_t length = std::uint64_t{s.peer_max_frame_payload()} + 1 + 16 + 1;
      core::Bytes header(4);
      for (int i = 0; i < 4; ++i) header[i] = static_cast<std::uint8_t>(length >> (8 * i));
      check_line(step, judge_close(s, header, a.timeout),
                 "announced " + std::to_string(length) + " bytes");
    } else if (v == "tampered") {
      const core::Bytes msg = consensus::encode_message(
          consensus::Message{consensus::SyncRequest{0, core::Hash256{}, 1}});
      core::Bytes frame = s.seal(network::Channel::kConsensus, msg);
      frame[frame.size() / 2] ^= 0x01;
      check_line(step, judge_close(s, frame, a.timeout));
    } else if (v == "replayed") {
      const core::Bytes frame =
          s.seal(network::Channel::kControl, control(network::ControlType::kPing, 7));
      if (!s.write(frame)) return result(2, "write-failed", step.step);
      check_line(step, judge_close(s, frame, a.timeout));
    } else if (v == "unknown_channel") {
      check_line(step, judge_close(s, s.seal(static_cast<network::Channel>(9), core::Bytes{1, 2}),
                                   a.timeout));
    } else if (v == "bad_control") {
      check_line(step,
                 judge_close(s, s.seal(network::Channel::kControl, core::Bytes{9}), a.timeout));
    } else if (v == "bad_ping") {
      check_line(step, judge_close(s, s.seal(network::Channel::kControl, core::Bytes{2, 1, 2, 3}),
                                   a.timeout));
    } else if (v == "auth_again") {
      network::ControlMessage auth;
      auth.type = network::ControlType::kAuth;
      check_line(step,
                 judge_close(s, s.seal(network::Channel::kControl, network::encode_control(auth)),
                             a.timeout));
    } else if (v == "ping_flood") {
      constexpr std::uint64_t kPings = 2000;
      core::Bytes all;
      for (std::uint64_t n = 1; n <= kPings; ++n) {
        const core::Bytes f =
            s.seal(network::Channel::kControl, control(network::ControlType::kPing, n));
        all.insert(all.end(), f.begin(), f.end());
      }
      if (!s.write(all)) {
        check_line(step, "penalized", "closed during the flood");
      } else {
        // Read the answers until the pong of the last ping (or a quiet spell:
        // pongs beyond the node's bounded queue may be dropped, which is fine).
        std::uint64_t pongs = 0;
        bool last = false;
        bool open = true;
        while (!last) {
          auto f = s.read_frame(Millis(3000));
          if (!f) {
            open = !s.wait_closed(Millis(0));
            break;
          }
          auto c = network::decode_control(f->payload);
          if (f->channel == network::Channel::kControl && c &&
              c->type == network::ControlType::kPong) {
            ++pongs;
            last = c->nonce == kPings;
          }
        }
        // A last ping of our own, answered: the session is alive.
        if (open && s.write(s.seal(network::Channel::kControl,
                                   control(network::ControlType::kPing, kPings + 1)))) {
          open = false;
          while (auto f = s.read_frame(Millis(3000))) {
            auto c = network::decode_control(f->payload);
            if (c && c->type == network::ControlType::kPong && c->nonce == kPings + 1) {
              open = true;
              break;
            }
          }
        }
        check_line(step, open ? "kept" : "penalized",
                   std::to_string(pongs) + " pongs for " + std::to_string(kPings) + " pings");
      }
    } else {
      return result(64, "usage", "unknown step " + v);
    }
    ++steps;
  }
  return result(0, "done", std::to_string(steps));
}

}  // namespace
}  // namespace bauhinia::peer_harness

BAUHINIA_PEER_ATTACK(frames,
                     "frame-level violations after a real handshake (oversized, tampered, "
                     "replayed, unknown channel, bad control, auth again, ping flood; issue 15)",
                     ::bauhinia::peer_harness::run)
