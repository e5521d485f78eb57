// Certified gossip's core (batch_certifier.hpp): the verifier rule, the
// certificate rule, and hostile acknowledgements that must not count.
#include "bauhinia/mempool/batch_certifier.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace bauhinia::mempool {
namespace {

namespace ed = core::ed25519;
constexpr const char* kChain = "bauhinia-test-1";

ed::SecretKey node_key(std::uint8_t n) {
  std::array<std::uint8_t, ed::kSeedSize> seed{};
  seed[0] = 0x51;
  seed[31] = n;
  return ed::SecretKey::from_seed(seed);
}

struct Consortium {
  std::vector<ed::SecretKey> keys;
  chain::ValidatorSet set;
  explicit Consortium(std::size_t n, std::uint64_t epoch = 3) {
    set.epoch = epoch;
    for (std::size_t i = 0; i < n; ++i) {
      keys.push_back(node_key(static_cast<std::uint8_t>(i + 1)));
      set.validators.push_back({keys.back().public_key(), 1, "V" + std::to_string(i)});
    }
  }
  const ed::PublicKey& pk(std::size_t i) const { return keys[i].public_key(); }
  std::size_t index_of(const ed::PublicKey& k) const {
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i].public_key() == k) return i;
    }
    return keys.size();
  }
};

BatchCertifierConfig config() {
  BatchCertifierConfig c;
  c.chain_id = kChain;
  c.wait_ms = 100;
  return c;
}

GossipBatch batch_from(const ed::PublicKey& author, std::uint8_t tag, std::size_t n = 3) {
  GossipBatch b;
  b.author = author;
  for (std::size_t i = 0; i < n; ++i)
    b.transactions.push_back(core::Bytes{tag, static_cast<std::uint8_t>(i)});
  core::Bytes all;
  for (const auto& t : b.transactions) all.insert(all.end(), t.begin(), t.end());
  b.digest = batch_digest(all);
  return b;
}

BatchAck ack_of(const Consortium& c, std::size_t signer, const GossipBatch& b,
                std::uint64_t epoch = 3) {
  return sign_batch_ack(kChain, epoch, b.author, b.digest,
                        static_cast<std::uint32_t>(b.transactions.size()), c.keys[signer]);
}

// The index of a validator that is not among the batch's verifiers (nor `also_not`).
std::size_t bystander(const Consortium& c, const BatchCertifier& cert, const GossipBatch& b) {
  const auto who = cert.verifiers(b.author, b.digest);
  for (std::size_t i = 0; i < c.keys.size(); ++i) {
    if (std::find(who.begin(), who.end(), c.pk(i)) == who.end()) return i;
  }
  return c.keys.size();
}

TEST(BatchCertifier, VerifiersAreTheAuthorAndEnoughOthersToOutweighFByzantine) {
  Consortium four(4);
  BatchCertifier cert(config());
  cert.set_epoch(3, four.set, four.pk(0));
  EXPECT_EQ(cert.certifying_power(), 2U);  // total 4, quorum 3: f = 1, so f + 1 = 2
  std::set<std::size_t> partners;
  for (std::uint8_t t = 0; t < 40; ++t) {
    const auto b = batch_from(four.pk(1), t);
    const auto who = cert.verifiers(b.author, b.digest);
    ASSERT_EQ(who.size(), 2U);
    EXPECT_EQ(who[0], four.pk(1));
    EXPECT_NE(who[1], four.pk(1));
    EXPECT_EQ(who, cert.verifiers(b.author, b.digest));  // deterministic
    partners.insert(four.index_of(who[1]));
  }
  EXPECT_EQ(partners.size(), 3U);  // spread over the other three
  // A non-validator author (an observer) does not count: two validators verify.
  const auto observer = node_key(99);
  const auto b = batch_from(observer.public_key(), 7);
  EXPECT_EQ(cert.verifiers(b.author, b.digest).size(), 2U);
  // Seven validators: f = 2, three verify.
  Consortium seven(7);
  BatchCertifier c7(config());
  c7.set_epoch(3, seven.set, seven.pk(0));
  EXPECT_EQ(c7.certifying_power(), 3U);
  EXPECT_EQ(c7.verifiers(seven.pk(2), b.digest).size(), 3U);
}

TEST(BatchCertifier, AVerifierVerifiesAndABystanderWaitsForACertificate) {
  Consortium c(4);
  const auto b = batch_from(c.pk(1), 1);
  BatchCertifier probe(config());
  probe.set_epoch(3, c.set, c.pk(0));
  const auto who = probe.verifiers(b.author, b.digest);
  const std::size_t partner = c.index_of(who[1]);
  const std::size_t other = bystander(c, probe, b);

  BatchCertifier at_partner(config());
  at_partner.set_epoch(3, c.set, c.pk(partner));
  EXPECT_EQ(at_partner.on_batch(b, 1000).route, BatchCertifier::Route::kVerifyAndAck);

  BatchCertifier at_other(config());
  at_other.set_epoch(3, c.set, c.pk(other));
  // A verifier that is not connected cannot acknowledge: verify here at once.
  auto unreachable = [&](const ed::PublicKey& k) { return k != c.pk(partner); };
  EXPECT_EQ(at_other.on_batch(b, 1000, unreachable).route, BatchCertifier::Route::kVerify);
  EXPECT_EQ(at_other.on_batch(b, 1000, [](const ed::PublicKey&) { return true; }).route,
            BatchCertifier::Route::kWaiting);
  EXPECT_EQ(at_other.next_deadline(), 1100U);
  EXPECT_EQ(at_other.on_ack(c.pk(1), ack_of(c, 1, b)).outcome,
            BatchCertifier::AckOutcome::kCounted);
  auto done = at_other.on_ack(c.pk(partner), ack_of(c, partner, b));
  ASSERT_EQ(done.outcome, BatchCertifier::AckOutcome::kCertified);
  ASSERT_TRUE(done.certified);
  EXPECT_EQ(done.certified->transactions, b.transactions);
  EXPECT_EQ(at_other.waiting_batches(), 0U);
  EXPECT_TRUE(at_other.expire(5000).empty());
  EXPECT_EQ(at_other.stats().certified, 1U);
}

TEST(BatchCertifier, AcknowledgementsThatCameFirstCertifyOnArrival) {
  Consortium c(4);
  const auto b = batch_from(c.pk(2), 9);
  BatchCertifier probe(config());
  probe.set_epoch(3, c.set, c.pk(0));
  const std::size_t other = bystander(c, probe, b);
  BatchCertifier cert(config());
  cert.set_epoch(3, c.set, c.pk(other));
  const std::size_t partner = c.index_of(cert.verifiers(b.author, b.digest)[1]);
  EXPECT_EQ(cert.on_ack(c.pk(partner), ack_of(c, partner, b)).outcome,
            BatchCertifier::AckOutcome::kEarly);
  EXPECT_EQ(cert.on_ack(c.pk(2), ack_of(c, 2, b)).outcome, BatchCertifier::AckOutcome::kEarly);
  auto a = cert.on_batch(b, 10);
  EXPECT_EQ(a.route, BatchCertifier::Route::kCertified);
  EXPECT_EQ(a.batch.transactions, b.transactions);
}

TEST(BatchCertifier, HostileAcknowledgementsDoNotCount) {
  Consortium c(4);
  const auto b = batch_from(c.pk(1), 4);
  BatchCertifier probe(config());
  probe.set_epoch(3, c.set, c.pk(0));
  const std::size_t other = bystander(c, probe, b);
  BatchCertifier cert(config());
  cert.set_epoch(3, c.set, c.pk(other));
  ASSERT_EQ(cert.on_batch(b, 0).route, BatchCertifier::Route::kWaiting);
  using O = BatchCertifier::AckOutcome;
  // Relayed: validator 1's acknowledgement sent by another peer.
  EXPECT_EQ(cert.on_ack(c.pk(other == 0 ? 2 : 0), ack_of(c, 1, b)).outcome, O::kInvalid);
  // Signed by a key that is not a validator.
  const auto outsider = node_key(77);
  auto foreign = sign_batch_ack(kChain, 3, b.author, b.digest, 3, outsider);
  EXPECT_EQ(cert.on_ack(outsider.public_key(), foreign).outcome, O::kInvalid);
  // A signature that does not verify (one bit), another chain's acknowledgement.
  auto forged = ack_of(c, 1, b);
  forged.signature.bytes[3] ^= 1;
  EXPECT_EQ(cert.on_ack(c.pk(1), forged).outcome, O::kInvalid);
  auto other_chain = sign_batch_ack("bauhinia-other", 3, b.author, b.digest, 3, c.keys[1]);
  EXPECT_EQ(cert.on_ack(c.pk(1), other_chain).outcome, O::kInvalid);
  // A count that is not the batch's.
  auto miscounted = sign_batch_ack(kChain, 3, b.author, b.digest, 4, c.keys[1]);
  EXPECT_EQ(cert.on_ack(c.pk(1), miscounted).outcome, O::kInvalid);
  // Another epoch: ignored, not blamed (the sender may be ahead or behind).
  EXPECT_EQ(cert.on_ack(c.pk(1), ack_of(c, 1, b, 4)).outcome, O::kIgnored);
  // One validator acknowledging twice is one acknowledgement: still waiting.
  EXPECT_EQ(cert.on_ack(c.pk(1), ack_of(c, 1, b)).outcome, O::kCounted);
  EXPECT_EQ(cert.on_ack(c.pk(1), ack_of(c, 1, b)).outcome, O::kIgnored);
  EXPECT_EQ(cert.waiting_batches(), 1U);
  EXPECT_EQ(cert.stats().acks_invalid, 5U);
  // Without a certificate the batch is handed back for verification here.
  EXPECT_TRUE(cert.expire(99).empty());
  auto expired = cert.expire(100);
  ASSERT_EQ(expired.size(), 1U);
  EXPECT_EQ(expired[0].digest, b.digest);
  EXPECT_EQ(cert.stats().waited_out, 1U);
}

TEST(BatchCertifier, BoundsAndEpochChanges) {
  Consortium c(4);
  auto cfg = config();
  cfg.max_waiting_batches = 2;
  cfg.max_early_acks_per_signer = 2;
  BatchCertifier cert(cfg);
  cert.set_epoch(3, c.set, c.pk(0));
  std::vector<GossipBatch> waiting;
  for (std::uint8_t t = 0; waiting.size() < 3 && t < 100; ++t) {
    auto b = batch_from(c.pk(1), t);
    if (cert.verifiers(b.author, b.digest)[1] != c.pk(0)) {
      waiting.push_back(std::move(b));
    }
  }
  ASSERT_EQ(waiting.size(), 3U);
  EXPECT_EQ(cert.on_batch(waiting[0], 0).route, BatchCertifier::Route::kWaiting);
  EXPECT_EQ(cert.on_batch(waiting[0], 0).route, BatchCertifier::Route::kVerify);  // a repeat
  EXPECT_EQ(cert.on_batch(waiting[1], 0).route, BatchCertifier::Route::kWaiting);
  EXPECT_EQ(cert.on_batch(waiting[2], 0).route, BatchCertifier::Route::kVerify);  // no room
  // Early acknowledgements: at most two per signer, the oldest leave.
  for (std::uint8_t t = 200; t < 203; ++t) {
    EXPECT_EQ(cert.on_ack(c.pk(2), ack_of(c, 2, batch_from(c.pk(3), t))).outcome,
              BatchCertifier::AckOutcome::kEarly);
  }
  // A new epoch hands the waiting batches back and forgets the acknowledgements.
  auto released = cert.set_epoch(4, c.set, c.pk(0));
  EXPECT_EQ(released.size(), 2U);
  EXPECT_EQ(cert.waiting_batches(), 0U);
  EXPECT_EQ(cert.on_ack(c.pk(1), ack_of(c, 1, waiting[0], 3)).outcome,
            BatchCertifier::AckOutcome::kIgnored);
  // Not a validator of the new epoch: it acknowledges nothing.
  chain::ValidatorSet without = c.set;
  without.validators.erase(without.validators.begin());
  cert.set_epoch(5, without, c.pk(0));
  EXPECT_FALSE(cert.acknowledges());
}

// Seeded runs: four or seven validators, f of them Byzantine (they
// acknowledge every batch, valid or not, and send invalid batches), messages
// delivered in a random order. At every honest node: no batch holding an
// invalid transaction is ever certified, and every valid batch is certified
// or handed back for verification.
TEST(BatchCertifier, ByzantineValidatorsCannotCertifyAnInvalidBatch) {
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    std::mt19937 rng(seed);
    const std::size_t n = seed % 2 == 0 ? 4 : 7;
    const std::size_t f = (n - 1) / 3;
    Consortium c(n);
    std::vector<bool> byzantine(n, false);
    for (std::size_t i = 0; i < f; ++i) byzantine[(seed + i) % n] = true;
    std::vector<BatchCertifier> nodes;
    for (std::size_t i = 0; i < n; ++i) {
      nodes.emplace_back(config());
      nodes.back().set_epoch(3, c.set, c.pk(i));
    }
    struct Msg {
      std::size_t to;
      std::size_t from;
      std::optional<GossipBatch> batch;
      std::optional<BatchAck> ack;
    };
    std::vector<Msg> inbox;
    std::set<core::Hash256> invalid;
    for (std::uint8_t t = 0; t < 30; ++t) {
      const std::size_t author = rng() % n;
      const bool bad = byzantine[author] && rng() % 2 == 0;
      auto b = batch_from(c.pk(author), static_cast<std::uint8_t>(t + 16 * seed));
      if (bad) invalid.insert(b.digest);
      for (std::size_t to = 0; to < n; ++to) {
        if (to == author) continue;
        inbox.push_back({to, author, b, std::nullopt});
        inbox.push_back({to, author, std::nullopt, ack_of(c, author, b)});  // the author's own
        // Byzantine validators acknowledge every batch to everyone.
        for (std::size_t z = 0; z < n; ++z) {
          if (byzantine[z] && z != author && z != to)
            inbox.push_back({to, z, std::nullopt, ack_of(c, z, b)});
        }
      }
    }
    std::shuffle(inbox.begin(), inbox.end(), rng);
    std::vector<std::set<core::Hash256>> admitted_unverified(n), verified_here(n);
    std::uint64_t now = 0;
    for (std::size_t k = 0; k < inbox.size(); ++k) {
      Msg m = std::move(inbox[k]);
      now += rng() % 3;
      if (byzantine[m.to]) continue;
      BatchCertifier& node = nodes[m.to];
      if (m.batch) {
        auto a = node.on_batch(std::move(*m.batch), now);
        if (a.route == BatchCertifier::Route::kCertified)
          admitted_unverified[m.to].insert(a.batch.digest);
        if (a.route == BatchCertifier::Route::kVerifyAndAck) {
          verified_here[m.to].insert(a.batch.digest);
          // An honest verifier acknowledges only a batch whose signatures all verify.
          if (invalid.count(a.batch.digest) == 0) {
            for (std::size_t to = 0; to < n; ++to) {
              if (to != m.to) inbox.push_back({to, m.to, std::nullopt, ack_of(c, m.to, a.batch)});
            }
          }
        }
        if (a.route == BatchCertifier::Route::kVerify) verified_here[m.to].insert(a.batch.digest);
      } else {
        auto r = node.on_ack(c.pk(m.from), *m.ack);
        ASSERT_NE(r.outcome, BatchCertifier::AckOutcome::kInvalid) << r.reason;
        if (r.certified) admitted_unverified[m.to].insert(r.certified->digest);
      }
      for (auto& e : node.expire(now)) verified_here[m.to].insert(e.digest);
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (byzantine[i]) continue;
      for (auto& e : nodes[i].expire(now + 1000)) verified_here[i].insert(e.digest);
      for (const auto& d : admitted_unverified[i]) {
        EXPECT_EQ(invalid.count(d), 0U) << "seed " << seed << ": an invalid batch was certified";
      }
      EXPECT_EQ(nodes[i].waiting_batches(), 0U);
    }
  }
}

}  // namespace
}  // namespace bauhinia::mempool
