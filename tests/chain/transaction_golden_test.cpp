// Golden vectors for the transaction envelope: the encoding, the signing hash,
// the BIP-340 signature (fixed key and aux randomness) and the id. These bytes
// are signed by wallets and hashed into the ledger: they must never change. If
// this test fails, the change breaks every signed transaction; make a new
// envelope version instead.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bauhinia/chain/transaction.hpp"

namespace bauhinia::chain {
namespace {

using Record = std::map<std::string, std::string>;

// Records of key=value lines separated by blank lines; '#' starts a comment.
std::vector<Record> read_golden(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<Record> out;
  Record cur;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    if (line.empty()) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    const auto eq = line.find('=');
    EXPECT_NE(eq, std::string::npos) << line;
    cur[line.substr(0, eq)] = line.substr(eq + 1);
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

core::Bytes hex(const std::string& s) {
  auto b = core::from_hex(s);
  EXPECT_TRUE(b) << s;
  return b ? *b : core::Bytes{};
}

template <std::size_t N>
std::array<std::uint8_t, N> hex_fixed(const std::string& s) {
  auto b = core::from_hex_fixed<N>(s);
  EXPECT_TRUE(b) << s;
  return b ? *b : std::array<std::uint8_t, N>{};
}

TEST(TransactionGolden, EnvelopeSigningHashSignatureAndIdAreFrozen) {
  const auto records =
      read_golden(std::string(BAUHINIA_SOURCE_DIR) + "/tests/chain/golden/transaction_v1.txt");
  ASSERT_GE(records.size(), 2U);
  for (const Record& r : records) {
    SCOPED_TRACE(r.at("name"));
    auto key = core::schnorr::SecretKey::from_bytes(hex(r.at("secret_key")));
    ASSERT_TRUE(key);
    Transaction tx;
    tx.chain_id = r.at("chain_id");
    tx.public_key = key->public_key();
    // A new account's id: tagged_hash(kAccount, x-only public key).
    tx.sender = core::account_id_of(key->public_key());
    tx.sequence = std::stoull(r.at("sequence"));
    tx.expiry_ms = std::stoull(r.at("expiry_ms"));
    tx.module = r.at("module");
    tx.call = r.at("call");
    tx.payload = hex(r.at("payload"));
    tx.sign(*key, hex_fixed<32>(r.at("aux_rand")));

    const std::string msg = "signed formats must never change: a golden transaction vector differs";
    EXPECT_EQ(key->public_key().to_hex(), r.at("public_key")) << msg;
    EXPECT_EQ(tx.sender.to_hex(), r.at("sender")) << msg;
    EXPECT_EQ(core::to_hex(tx.signing_bytes()), r.at("signing_bytes")) << msg;
    EXPECT_EQ(tx.signing_hash().to_hex(), r.at("signing_hash")) << msg;
    EXPECT_EQ(tx.signature.to_hex(), r.at("signature")) << msg;
    EXPECT_EQ(core::to_hex(tx.encoded()), r.at("encoded")) << msg;
    EXPECT_EQ(tx.id().to_hex(), r.at("id")) << msg;

    // The frozen bytes decode to the same envelope, verify, and re-encode identically.
    auto back = decode_transaction(hex(r.at("encoded")));
    ASSERT_TRUE(back) << back.error().to_string();
    EXPECT_EQ(*back, tx);
    EXPECT_TRUE(back->check_context_free());
  }
}

}  // namespace
}  // namespace bauhinia::chain
