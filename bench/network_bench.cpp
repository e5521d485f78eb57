// Network layer: frame encryption/decryption throughput, the handshake's
// cryptography, and messages through two real PeerManagers over loopback.
// Figures: docs/network.md, "Performance".

#include <benchmark/benchmark.h>

#include <array>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "bauhinia/network/frame_cipher.hpp"
#include "bauhinia/network/handshake.hpp"
#include "bauhinia/network/peer_manager.hpp"

namespace bauhinia::network {
namespace {

SessionKey bench_key() {
  SessionKey::Array a{};
  a.fill(0x42);
  return SessionKey(a);
}

core::ed25519::SecretKey key_from(std::uint8_t n) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(n);
  return core::ed25519::SecretKey::from_seed(seed);
}

void BM_SealFrame(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const core::Bytes payload(size, 0xA5);
  FrameSealer sealer(bench_key());
  core::Bytes out;
  out.reserve(size + kFrameOverheadBytes);
  for (auto _ : state) {
    out.clear();
    sealer.seal(Channel::kSync, payload, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}
BENCHMARK(BM_SealFrame)->Arg(64)->Arg(1024)->Arg(64 * 1024)->Arg(1024 * 1024);

void BM_OpenFrame(benchmark::State& state) {
  // Frames must be opened in the order sealed: seal a batch with the timer
  // paused, then open it.
  const auto size = static_cast<std::size_t>(state.range(0));
  const std::size_t batch = std::max<std::size_t>(1, (std::size_t{8} << 20) / (size + 64));
  const core::Bytes payload(size, 0xA5);
  FrameSealer sealer(bench_key());
  FrameOpener opener(bench_key());
  std::vector<core::Bytes> frames(batch);
  std::size_t next = batch;
  for (auto _ : state) {
    if (next == batch) {
      state.PauseTiming();
      for (auto& f : frames) {
        f.clear();
        sealer.seal(Channel::kSync, payload, f);
      }
      next = 0;
      state.ResumeTiming();
    }
    core::Bytes& f = frames[next++];
    auto opened = opener.open(std::span<const std::uint8_t, kFrameHeaderBytes>(f.data(), 4),
                              std::span<std::uint8_t>(f.data() + 4, f.size() - 4));
    if (!opened) state.SkipWithError("frame did not open");
    benchmark::DoNotOptimize(opened);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}
BENCHMARK(BM_OpenFrame)->Arg(64)->Arg(1024)->Arg(64 * 1024)->Arg(1024 * 1024);

// Both sides' handshake cryptography: two ephemeral keys, two X25519, two
// signatures and two verifications.
void BM_HandshakeBothSides(benchmark::State& state) {
  const auto a = key_from(1);
  const auto b = key_from(2);
  for (auto _ : state) {
    Handshake i(Role::kInitiator, "bauhinia-bench", 1 << 20, a);
    Handshake r(Role::kResponder, "bauhinia-bench", 1 << 20, b);
    bool ok = i.receive_hello(r.hello()).ok() && r.receive_hello(i.hello()).ok() &&
              r.verify_peer_signature(i.signature()).ok() &&
              i.verify_peer_signature(r.signature()).ok();
    if (!ok) state.SkipWithError("handshake failed");
  }
}
BENCHMARK(BM_HandshakeBothSides);

// Messages of a given size from one PeerManager to another over 127.0.0.1,
// including encryption, TCP, decryption and delivery to the handler.
void BM_LoopbackMessages(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  constexpr std::size_t kPerIteration = 64;
  std::atomic<std::size_t> received{0};
  auto config = [](std::vector<core::ed25519::PublicKey> allowed) {
    NetworkConfig c;
    c.chain_id = "bauhinia-bench";
    c.allowed_keys = std::move(allowed);
    c.log = [](LogLevel, std::string_view) {};
    return c;
  };
  NetworkConfig rc = config({key_from(1).public_key()});
  rc.on_message = [&](InboundMessage) { received.fetch_add(1, std::memory_order_relaxed); };
  PeerManager receiver(rc, key_from(2));
  if (!receiver.start().is_ok()) return state.SkipWithError("receiver did not start");
  NetworkConfig sc = config({key_from(2).public_key()});
  sc.peers.push_back(PeerAddress{key_from(2).public_key(), "127.0.0.1", receiver.listen_port()});
  PeerManager sender(sc, key_from(1));
  if (!sender.start().is_ok()) return state.SkipWithError("sender did not start");
  const auto peer = key_from(2).public_key();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!sender.is_connected(peer)) {
    if (std::chrono::steady_clock::now() > deadline) return state.SkipWithError("no connection");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const core::Bytes payload(size, 0x5A);
  std::size_t sent = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < kPerIteration;) {
      const SendResult r = sender.send(peer, Channel::kSync, payload);
      if (r == SendResult::kQueued) {
        ++i;
        ++sent;
      } else if (r == SendResult::kQueueFull) {
        std::this_thread::yield();
      } else {
        return state.SkipWithError("send failed");
      }
    }
    while (received.load(std::memory_order_relaxed) < sent) std::this_thread::yield();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(sent));
  state.SetBytesProcessed(static_cast<std::int64_t>(sent * size));
}
BENCHMARK(BM_LoopbackMessages)->Arg(256)->Arg(16 * 1024)->Arg(1024 * 1024)->UseRealTime();

}  // namespace
}  // namespace bauhinia::network
