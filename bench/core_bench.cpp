// Micro-benchmarks of core: hashing, signatures and the canonical codec.
// Figures and the command that produced them: docs/performance.md, "Core".

#include <benchmark/benchmark.h>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bauhinia/core/address.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/schnorr.hpp"

namespace {

using namespace bauhinia::core;

Bytes filled(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 31 + 7);
  return b;
}

// Shaped like a signed transfer: about 250 bytes encoded.
struct TxLike {
  std::uint8_t version = 1;
  std::uint64_t chain_id = 852;
  AccountId sender;
  std::uint64_t sequence = 0;
  std::uint64_t expires_at_ms = 0;
  std::string module;
  std::uint8_t action = 0;
  Bytes args;
  std::optional<std::string> memo;
  std::array<std::uint8_t, 32> public_key{};
  std::array<std::uint8_t, 64> signature{};

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.u64(s.chain_id);
    c.object(s.sender);
    c.u64(s.sequence);
    c.u64(s.expires_at_ms);
    c.string(s.module, 32, "module");
    c.u8(s.action);
    c.bytes(s.args, 4096, "args");
    c.optional(s.memo, [](auto& cc, auto& m) { cc.string(m, 256, "memo"); });
    c.fixed(s.public_key);
    c.fixed(s.signature);
  }
};

TxLike sample_tx() {
  TxLike t;
  t.sender.bytes.fill(0x11);
  t.sequence = 123456;
  t.expires_at_ms = 1'800'000'000'000ULL;
  t.module = "trademark";
  t.action = 3;
  t.args = filled(80);
  t.memo = "assignment of TM 302012345";
  t.public_key.fill(0x22);
  t.signature.fill(0x33);
  return t;
}

void BM_Sha256(benchmark::State& state) {
  const Bytes data = filled(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(sha256(data));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Sha256)->Arg(64)->Arg(1024);

void BM_TaggedHash(benchmark::State& state) {
  const Bytes data = filled(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(tagged_hash(HashTag::kTransaction, data));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_TaggedHash)->Arg(64)->Arg(250);

void BM_Bip340Sign(benchmark::State& state) {
  const auto key = schnorr::SecretKey::generate();
  const Hash256 msg = sha256(as_bytes("message"));
  for (auto _ : state) benchmark::DoNotOptimize(key.sign(msg.bytes()));
}
BENCHMARK(BM_Bip340Sign);

void BM_Bip340Verify(benchmark::State& state) {
  const auto key = schnorr::SecretKey::generate();
  const Hash256 msg = sha256(as_bytes("message"));
  const auto sig = key.sign(msg.bytes());
  const auto pk = key.public_key();
  for (auto _ : state) {
    const bool ok = schnorr::verify(pk, msg.view(), sig);
    if (!ok) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_Bip340Verify);

void BM_Ed25519Sign(benchmark::State& state) {
  const auto key = ed25519::SecretKey::generate();
  const Bytes msg = filled(120);  // about the size of a vote's signed bytes
  for (auto _ : state) benchmark::DoNotOptimize(key.sign(msg));
}
BENCHMARK(BM_Ed25519Sign);

void BM_Ed25519Verify(benchmark::State& state) {
  const auto key = ed25519::SecretKey::generate();
  const Bytes msg = filled(120);
  const auto sig = key.sign(msg);
  const auto pk = key.public_key();
  for (auto _ : state) {
    const bool ok = ed25519::verify(pk, msg, sig);
    if (!ok) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_Ed25519Verify);

void BM_EncodeTx(benchmark::State& state) {
  const TxLike tx = sample_tx();
  std::size_t size = 0;
  for (auto _ : state) {
    Bytes b = encode(tx);
    size = b.size();
    benchmark::DoNotOptimize(b);
  }
  state.counters["bytes"] = static_cast<double>(size);
}
BENCHMARK(BM_EncodeTx);

void BM_DecodeTx(benchmark::State& state) {
  const Bytes b = encode(sample_tx());
  for (auto _ : state) {
    auto tx = decode<TxLike>(b);
    if (!tx) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(tx);
  }
  state.counters["bytes"] = static_cast<double>(b.size());
}
BENCHMARK(BM_DecodeTx);

void BM_HashOfTx(benchmark::State& state) {
  const TxLike tx = sample_tx();
  for (auto _ : state) benchmark::DoNotOptimize(hash_of(HashTag::kTransaction, tx));
}
BENCHMARK(BM_HashOfTx);

void BM_AddressDecode(benchmark::State& state) {
  const std::string a = encode_address(kMainnetAddressPrefix, sample_tx().sender);
  for (auto _ : state) benchmark::DoNotOptimize(decode_address(kMainnetAddressPrefix, a));
}
BENCHMARK(BM_AddressDecode);

}  // namespace
