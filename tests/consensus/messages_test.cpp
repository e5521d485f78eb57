// The consensus wire formats: round trips, rejection of garbage, and golden
// vectors that freeze every signed format (tests/consensus/golden/).
#include "bauhinia/consensus/messages.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "test_support.hpp"

namespace bauhinia::consensus {
namespace {

using namespace testing;

struct Samples {
  chain::ValidatorSet set = make_set({1, 1, 1, 1});
  chain::BlockHeader genesis = genesis_for(set);
  QuorumCert root_qc = QuorumCert::for_epoch_root(kChainId, 0, genesis);
  chain::BlockHeader b1 = child_header(genesis, 1, key_for(1).public_key(), {'t', 'x'});
  QuorumCert qc1 = make_qc(set, vote_data_for(b1, 0), {0, 1, 3});
  chain::BlockHeader b3 = child_header(b1, 3, key_for(3).public_key());
  TimeoutCertificate tc2 = make_tc(set, 0, 2, {0, 2, 3}, {qc1, root_qc, qc1});

  Proposal proposal() const { return make_proposal(key_for(3), b3, qc1, tc2); }
  Vote vote() const { return sign_vote(key_for(2), vote_data_for(b3, 1)); }
  Vote commit_vote() const {
    const chain::BlockHeader b2 = child_header(b1, 2, key_for(2).public_key());
    return sign_vote(key_for(0), vote_data_for(b2, 1), BlockRef{b1.id(), 1});
  }
  TimeoutMessage timeout() const { return sign_timeout_message(key_for(1), 0, 2, qc1); }
  TimeoutMessage timeout_after_tc() const {
    return sign_timeout_message(key_for(2), 0, 3, qc1, tc2);
  }
  SyncRequest sync_request() const { return SyncRequest{0, b1.id(), 8}; }
  SyncResponse sync_response() const {
    return SyncResponse{0, b1.id(), {SyncBlock{b1, {'t', 'x'}, root_qc}}, qc1};
  }
};

std::map<std::string, Message> all_messages() {
  Samples s;
  return {{"proposal", s.proposal()},
          {"vote", s.vote()},
          {"vote_commit", s.commit_vote()},
          {"timeout", s.timeout()},
          {"timeout_after_tc", s.timeout_after_tc()},
          {"sync_request", s.sync_request()},
          {"sync_response", s.sync_response()}};
}

TEST(MessagesTest, EveryMessageRoundTrips) {
  for (const auto& [name, m] : all_messages()) {
    const core::Bytes b = encode_message(m);
    auto d = decode_message(b);
    ASSERT_TRUE(d) << name << ": " << d.error().to_string();
    EXPECT_EQ(*d, m) << name;
    EXPECT_EQ(encode_message(*d), b) << name;
    EXPECT_STREQ(message_name(m), message_name(*d));
  }
}

TEST(MessagesTest, SignaturesVerifyOverTheDocumentedDigests) {
  Samples s;
  const Proposal p = s.proposal();
  EXPECT_TRUE(core::ed25519::verify(p.author(), p.signing_data(kChainId).signing_hash().view(),
                                    p.signature));
  EXPECT_EQ(p.signing_data(kChainId).signing_hash(),
            core::tagged_hash(core::HashTag::kProposal, core::encode(p.signing_data(kChainId))));
  const Vote v = s.vote();
  EXPECT_TRUE(core::ed25519::verify(v.author, v.ledger_info.signing_hash().view(), v.signature));
  EXPECT_EQ(v.ledger_info.consensus_data_hash,
            core::tagged_hash(core::HashTag::kVote, core::encode(v.vote_data)));
  const TimeoutMessage t = s.timeout();
  EXPECT_TRUE(
      core::ed25519::verify(t.author, t.signing_data(kChainId).signing_hash().view(), t.signature));
  EXPECT_EQ(t.signing_data(kChainId).high_qc_round, 1u);
  EXPECT_TRUE(verify_qc(s.qc1, context_for(s.set, s.genesis)));
  EXPECT_TRUE(verify_tc(s.tc2, context_for(s.set, s.genesis)));
}

TEST(MessagesTest, EveryTruncationAndExtensionIsRejected) {
  for (const auto& [name, m] : all_messages()) {
    const core::Bytes b = encode_message(m);
    for (std::size_t n = 0; n < b.size(); ++n) {
      EXPECT_FALSE(decode_message(core::ByteView(b.data(), n))) << name << " cut at " << n;
    }
    core::Bytes longer = b;
    longer.push_back(0);
    auto d = decode_message(longer);
    ASSERT_FALSE(d) << name;
    EXPECT_EQ(d.error().reason, core::Reject::kTrailingBytes) << name;
  }
}

TEST(MessagesTest, RejectsUnknownVersionsTagsAndBadFields) {
  Samples s;
  core::Bytes b = encode_message(s.proposal());
  core::Bytes bad = b;
  bad[0] = 2;
  EXPECT_EQ(decode_message(bad).error().reason, core::Reject::kBadVersion);
  bad = b;
  bad[1] = 5;
  EXPECT_EQ(decode_message(bad).error().reason, core::Reject::kOutOfRange);
  // A header of an unknown version inside the proposal.
  bad = b;
  bad[2] = 9;
  EXPECT_EQ(decode_message(bad).error().reason, core::Reject::kBadVersion);
  // A sync request asking for 2^32-1 blocks decodes (it is clamped when served),
  // but a sync response with more than kMaxSyncBlocks blocks does not.
  SyncResponse many = s.sync_response();
  core::Writer w;
  w.u8(kMessageVersion);
  w.u8(4);
  w.u64(0);
  w.raw(s.b1.id().view());
  w.length(kMaxSyncBlocks + 1);
  auto d = decode_message(w.data());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, core::Reject::kTooLarge);
  // A payload length beyond the limit is refused before any allocation.
  core::Writer pw;
  pw.u8(kMessageVersion);
  pw.u8(0);
  core::encode_into(pw, s.b3);
  pw.length(kMaxPayloadBytes + 1);
  d = decode_message(pw.data());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().reason, core::Reject::kTooLarge);
  // An optional's presence byte other than 0/1 (the commit certificate's).
  const core::Bytes with_cert = encode_message(s.sync_response());
  const core::Bytes cert = core::encode(s.qc1);
  core::Bytes opt = with_cert;
  opt[opt.size() - cert.size() - 1] = 2;
  EXPECT_EQ(decode_message(opt).error().reason, core::Reject::kNonCanonical);
  core::Bytes too_big(kMaxMessageBytes + 1, 0);
  EXPECT_EQ(decode_message(too_big).error().reason, core::Reject::kTooLarge);
}

TEST(MessagesTest, RandomBytesNeverCrashTheDecoder) {
  Hash256 h = core::sha256(core::as_bytes("seed"));
  const core::Bytes good = encode_message(Samples{}.vote());
  for (int i = 0; i < 2000; ++i) {
    h = core::sha256(h.view());
    core::Bytes b = good;
    // Flip a few bytes at pseudo-random places, or decode pure noise.
    if (i % 4 == 0) {
      b.assign(h.view().begin(), h.view().end());
      b[0] = kMessageVersion;
      b[1] = static_cast<std::uint8_t>(h.bytes()[1] % 6);
    } else {
      for (int k = 0; k < 3; ++k) b[h.bytes()[k] * 7u % b.size()] ^= h.bytes()[k + 3];
    }
    auto d = decode_message(b);
    if (d) {
      EXPECT_EQ(encode_message(*d), b) << "a decoded message re-encodes to its bytes";
    }
  }
}

// ---- golden vectors ----------------------------------------------------------

std::string golden_path(const std::string& name) {
  return std::string(BAUHINIA_SOURCE_DIR) + "/tests/consensus/golden/" + name + ".hex";
}

std::string golden_text(const Message& m) {
  std::ostringstream out;
  out << "# " << message_name(m)
      << ": encode_message() hex, then the digest its signature covers\n";
  out << "message " << core::to_hex(encode_message(m)) << "\n";
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Proposal>) {
          out << "signing_hash " << x.signing_data(kChainId).signing_hash().to_hex() << "\n";
        } else if constexpr (std::is_same_v<T, Vote>) {
          out << "signing_hash " << x.ledger_info.signing_hash().to_hex() << "\n";
        } else if constexpr (std::is_same_v<T, TimeoutMessage>) {
          out << "signing_hash " << x.signing_data(kChainId).signing_hash().to_hex() << "\n";
        }
      },
      m);
  return out.str();
}

TEST(MessagesTest, GoldenVectorsFreezeTheSignedFormats) {
  const bool update = std::getenv("BAUHINIA_UPDATE_GOLDEN") != nullptr;
  for (const auto& [name, m] : all_messages()) {
    const std::string expected = golden_text(m);
    if (update) {
      // Regenerating is never a pass: a suite run with the variable set must
      // not report the formats as checked.
      std::ofstream(golden_path(name)) << expected;
      ADD_FAILURE() << "BAUHINIA_UPDATE_GOLDEN is set: rewrote " << golden_path(name)
                    << " instead of checking it; review the diff and rerun without it";
      continue;
    }
    std::ifstream in(golden_path(name));
    ASSERT_TRUE(in.good()) << "missing " << golden_path(name)
                           << " (BAUHINIA_UPDATE_GOLDEN=1 writes it)";
    std::stringstream got;
    got << in.rdbuf();
    EXPECT_EQ(got.str(), expected) << name << ": a signed format changed";
    // The stored bytes decode to the same message.
    const std::string text = got.str();
    const auto at = text.find("message ");
    ASSERT_NE(at, std::string::npos);
    auto bytes = core::from_hex(text.substr(at + 8, text.find('\n', at) - at - 8));
    ASSERT_TRUE(bytes);
    auto d = decode_message(*bytes);
    ASSERT_TRUE(d) << name;
    EXPECT_EQ(*d, m);
  }
}

}  // namespace
}  // namespace bauhinia::consensus
