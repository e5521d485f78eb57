// Prepared-transaction files: the multi-party flow of a co-signed call
// (trademark assignment, co-signed by the assignor), and every way a file can
// be wrong — tampered, expired, signed by the wrong party, signed twice.
#include <gtest/gtest.h>

#include <string>

#include "bauhinia/contracts/trademark/calls.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/wallet/prepared_tx.hpp"
#include "example_args.hpp"

namespace bauhinia::wallet {
namespace {

using nlohmann::json;
namespace tm = contracts::trademark;

constexpr std::uint64_t kNow = 1'800'000'000'000ULL;
constexpr std::string_view kPrefix = "hktest";

struct Parties {
  core::schnorr::SecretKey officer = core::schnorr::SecretKey::generate();
  core::schnorr::SecretKey owner = core::schnorr::SecretKey::generate();
  core::schnorr::SecretKey stranger = core::schnorr::SecretKey::generate();
  core::AccountId officer_id = core::account_id_of(officer.public_key());
  core::AccountId owner_id = core::account_id_of(owner.public_key());
  core::AccountId stranger_id = core::account_id_of(stranger.public_key());
};

PreparedTx prepared_assignment(const Parties& p) {
  const CallSpec& spec = testing::spec_of("trademark", "assign");
  const Args args = testing::example_args(spec, {{"from", p.owner_id.to_hex()}});
  auto prepared = prepare(spec, args, p.officer_id, p.officer.public_key(), "bauhinia-test-1", 7,
                          kNow + 3'600'000);
  EXPECT_TRUE(prepared.has_value()) << prepared.error().to_string();
  return prepared ? *prepared : PreparedTx{};
}

// Round trip through the file's JSON, as another party's wallet reads it.
PreparedTx through_file(const PreparedTx& p) {
  auto back = prepared_from_json(json::parse(to_json(p, kPrefix).dump()));
  EXPECT_TRUE(back.has_value()) << back.error().to_string();
  return back ? *back : PreparedTx{};
}

TEST(PreparedTx, CoSignedAssignmentEndToEnd) {
  const Parties parties;
  PreparedTx p = prepared_assignment(parties);
  ASSERT_EQ(p.cosigners, std::vector<core::AccountId>{parties.owner_id});
  EXPECT_TRUE(check(p));
  EXPECT_EQ(p.missing_cosigners().size(), 1u);

  // The sender cannot sign before the assignor.
  EXPECT_FALSE(sign_envelope(p, parties.officer, kNow));

  p = through_file(p);
  ASSERT_TRUE(add_cosignature(p, parties.owner_id, parties.owner, kNow));
  p = through_file(p);
  EXPECT_TRUE(check(p));
  EXPECT_TRUE(p.missing_cosigners().empty());
  ASSERT_TRUE(sign_envelope(p, parties.officer, kNow));
  p = through_file(p);
  ASSERT_TRUE(check(p));

  const chain::Transaction tx = p.envelope();
  EXPECT_TRUE(tx.check_context_free()) << "the envelope signature verifies";
  EXPECT_TRUE(tx.check_context("bauhinia-test-1", kNow));
  EXPECT_EQ(tx.module, "trademark");
  EXPECT_EQ(tx.call, "assign");
  EXPECT_EQ(tx.sender, parties.officer_id);
  EXPECT_EQ(tx.sequence, 7u);
  // The payload is what the module decodes: the terms, then the assignor's co-signature.
  auto payload = core::decode<tm::AssignPayload>(tx.payload);
  ASSERT_TRUE(payload.has_value()) << payload.error().to_string();
  EXPECT_EQ(core::encode(payload->terms), p.terms);
  ASSERT_EQ(payload->cosignatures.size(), 1u);
  EXPECT_EQ(payload->cosignatures[0].signer, parties.owner_id);
  const auto challenge = contracts::cosign_challenge(tx, p.terms).hash();
  EXPECT_TRUE(core::schnorr::verify(parties.owner.public_key(), challenge.view(),
                                    payload->cosignatures[0].signature));
}

TEST(PreparedTx, SignersMustBeRequiredOnceAndInOrder) {
  const Parties parties;
  PreparedTx p = prepared_assignment(parties);
  auto refused = add_cosignature(p, parties.stranger_id, parties.stranger, kNow);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.rejection().detail.find("not a co-signer"), std::string::npos);
  ASSERT_TRUE(add_cosignature(p, parties.owner_id, parties.owner, kNow));
  const auto once = p.cosignatures;
  auto twice = add_cosignature(p, parties.owner_id, parties.owner, kNow);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.rejection().detail.find("signed already"), std::string::npos);
  EXPECT_EQ(p.cosignatures, once) << "nothing changed";
  // Only the prepared sender key signs the envelope, once.
  EXPECT_FALSE(sign_envelope(p, parties.stranger, kNow));
  ASSERT_TRUE(sign_envelope(p, parties.officer, kNow));
  EXPECT_FALSE(sign_envelope(p, parties.officer, kNow));
  // No co-signature after the envelope is signed.
  EXPECT_FALSE(add_cosignature(p, parties.owner_id, parties.owner, kNow));
}

TEST(PreparedTx, ExpiredFilesAreRefused) {
  const Parties parties;
  PreparedTx p = prepared_assignment(parties);
  const std::uint64_t late = p.expiry_ms;
  EXPECT_TRUE(p.expired(late));
  auto r = add_cosignature(p, parties.owner_id, parties.owner, late);
  ASSERT_FALSE(r);
  EXPECT_NE(r.rejection().detail.find("expired"), std::string::npos);
  ASSERT_TRUE(add_cosignature(p, parties.owner_id, parties.owner, kNow));
  EXPECT_FALSE(sign_envelope(p, parties.officer, late + 1));
  EXPECT_FALSE(p.signature.has_value());
}

// Each edit of a complete file's JSON is refused as tampered (or malformed).
TEST(PreparedTx, TamperedFilesAreRefused) {
  const Parties parties;
  PreparedTx p = prepared_assignment(parties);
  ASSERT_TRUE(add_cosignature(p, parties.owner_id, parties.owner, kNow));
  ASSERT_TRUE(sign_envelope(p, parties.officer, kNow));
  const json good = to_json(p, kPrefix);
  const std::string other_hex = parties.stranger_id.to_hex();
  std::string flipped_terms = good["terms_hex"];
  flipped_terms[10] = flipped_terms[10] == '0' ? '1' : '0';
  std::string flipped_sig = good["cosignatures"][0]["signature"];
  flipped_sig[0] = flipped_sig[0] == '0' ? '1' : '0';
  const std::vector<std::pair<std::string, json>> edits = {
      {"/args/classes", "29"},                     // what the parties agreed changed
      {"/args/to", other_hex},                     // another assignee
      {"/terms_hex", flipped_terms},               // terms that the args do not build
      {"/cosigners/0/account_id", other_hex},      // another co-signer
      {"/cosignatures/0/signature", flipped_sig},  // a forged co-signature
      {"/cosignatures/0/signer", other_hex},       // a co-signature by someone else
      {"/sequence", 8},                            // the co-signature binds the sequence
      {"/chain_id", "bauhinia-other-1"},           // ... and the chain
      {"/expiry_ms", kNow + 7'000'000},            // the envelope signature covers the expiry
      {"/sender/public_key", parties.stranger.public_key().to_hex()},
      {"/module", "company"},
      {"/call", "record_licence"},
  };
  for (const auto& [pointer, value] : edits) {
    json bad = good;
    bad[json::json_pointer(pointer)] = value;
    auto parsed = prepared_from_json(bad);
    if (!parsed) continue;  // refused as malformed: fine
    EXPECT_FALSE(check(*parsed)) << pointer << " was accepted";
  }
  // The untouched file passes.
  auto parsed = prepared_from_json(good);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
  EXPECT_TRUE(check(*parsed));
}

TEST(PreparedTx, MalformedFilesAreRefused) {
  const Parties parties;
  const json good = to_json(prepared_assignment(parties), kPrefix);
  EXPECT_FALSE(prepared_from_json(json::array()).has_value());
  EXPECT_FALSE(prepared_from_json(json{{"format", "something else"}}).has_value());
  for (const char* field : {"chain_id", "module", "call", "terms_hex", "sequence", "expiry_ms",
                            "sender", "version", "format"}) {
    json bad = good;
    bad.erase(field);
    EXPECT_FALSE(prepared_from_json(bad).has_value()) << "without " << field;
  }
  json many = good;
  for (int i = 0; i < 100; ++i) many["args"]["a" + std::to_string(i)] = "x";
  EXPECT_FALSE(prepared_from_json(many).has_value());
  json cosigs = good;
  for (int i = 0; i < 9; ++i) cosigs["cosignatures"].push_back(json::object());
  EXPECT_FALSE(prepared_from_json(cosigs).has_value());
  json sig = good;
  sig["signature"] = "abcd";
  EXPECT_FALSE(prepared_from_json(sig).has_value());
  json big = good;
  big["terms_hex"] = std::string(2 * chain::kMaxPayloadSize + 2, 'a');
  EXPECT_FALSE(prepared_from_json(big).has_value());
}

// Every field of a signed, co-signed file (and each object and list)
// replaced by a value of another JSON type: refused with a message, never an
// exception (the fuzzer found `"format": 1` thrown out of json::value).
TEST(PreparedTx, FieldsOfAnotherTypeAreRefusedNotThrown) {
  const Parties parties;
  PreparedTx p = prepared_assignment(parties);
  ASSERT_TRUE(add_cosignature(p, parties.owner_id, parties.owner, kNow));
  ASSERT_TRUE(sign_envelope(p, parties.officer, kNow));
  const json good = to_json(p, kPrefix);
  std::vector<std::string> pointers = {"/args",         "/sender",      "/cosigners",
                                       "/cosignatures", "/cosigners/0", "/cosignatures/0",
                                       "/description"};
  const auto leaves = good.flatten();
  for (const auto& [pointer, value] : leaves.items()) pointers.push_back(pointer);
  ASSERT_GE(pointers.size(), 20U);
  const std::vector<json> others = {7,     -1, 1.5, true, nullptr, json::array(), json::object(),
                                    "text"};
  for (const std::string& pointer : pointers) {
    for (const json& other : others) {
      json bad = good;
      const auto& was = bad[json::json_pointer(pointer)];
      if (was.type() == other.type() || (was.is_number() && other.is_number())) continue;
      bad[json::json_pointer(pointer)] = other;
      const std::string what = pointer + " = " + other.dump();
      ASSERT_NO_THROW({
        auto parsed = prepared_from_json(bad);
        if (!parsed) {
          EXPECT_FALSE(parsed.error().to_string().empty()) << what;
        } else {
          (void)check(*parsed);  // a field the envelope does not need (address, description)
        }
      }) << what;
    }
  }
}

TEST(PreparedTx, ArgumentsAreCheckedBeforeAnythingIsPrepared) {
  const Parties parties;
  const CallSpec& spec = testing::spec_of("trademark", "assign");
  auto r = prepare(spec, testing::example_args(spec, {{"mark", "123"}}), parties.officer_id,
                   parties.officer.public_key(), "bauhinia-test-1", 0, kNow);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().detail.find("mark"), std::string::npos) << r.error().detail;
}

}  // namespace
}  // namespace bauhinia::wallet
