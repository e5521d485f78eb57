#include "bauhinia/chain/transaction.hpp"

#include <string>
#include <utility>

namespace bauhinia::chain {

namespace {

bool valid_chain_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > kMaxTxChainIdSize) return false;
  for (const char ch : id) {
    if (ch < 0x21 || ch > 0x7E) return false;  // printable ASCII, no spaces
  }
  return true;
}

core::Rejection invalid_name(const char* field, std::string_view name, std::size_t max) {
  return core::reject(core::Reject::kInvalid,
                      std::string(field) + " '" + std::string(name.substr(0, max)) +
                          "' must be 1.." + std::to_string(max) +
                          " characters of [a-z0-9_] starting with a letter");
}

}  // namespace

bool valid_identifier(std::string_view name, std::size_t max) noexcept {
  if (name.empty() || name.size() > max) return false;
  if (name[0] < 'a' || name[0] > 'z') return false;
  for (const char ch : name) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    if (!ok) return false;
  }
  return true;
}

core::Bytes Transaction::signing_bytes() const {
  core::Writer w(payload.size() + 256);
  core::EncodeCodec c(w);
  unsigned_fields(*this, c);
  return std::move(w).take();
}

Hash256 Transaction::signing_hash() const {
  return core::tagged_hash(core::HashTag::kTransaction, signing_bytes());
}

Hash256 Transaction::id() const {
  return core::tagged_hash(core::HashTag::kTransactionId, encoded());
}

void Transaction::sign(const core::schnorr::SecretKey& key) {
  BAUHINIA_ASSERT_MSG(key.public_key() == public_key, "signing key is not the envelope's key");
  signature = key.sign(signing_hash().bytes());
}

void Transaction::sign(const core::schnorr::SecretKey& key,
                       const std::array<std::uint8_t, 32>& aux_rand) {
  BAUHINIA_ASSERT_MSG(key.public_key() == public_key, "signing key is not the envelope's key");
  signature = key.sign(signing_hash().bytes(), aux_rand);
}

core::Verdict Transaction::validate() const {
  if (version != kVersion) {
    return core::reject(core::Reject::kBadVersion,
                        "transaction version " + std::to_string(version) + " is not supported");
  }
  if (!valid_chain_id(chain_id)) {
    return core::reject(core::Reject::kInvalid,
                        "transaction chain_id must be 1..64 printable ASCII characters");
  }
  if (!valid_identifier(module, kMaxModuleNameSize)) {
    return invalid_name("module", module, kMaxModuleNameSize);
  }
  if (!valid_identifier(call, kMaxCallNameSize))
    return invalid_name("call", call, kMaxCallNameSize);
  if (payload.size() > kMaxPayloadSize) {
    return core::reject(core::Reject::kTooLarge, "payload of " + std::to_string(payload.size()) +
                                                     " bytes exceeds " +
                                                     std::to_string(kMaxPayloadSize));
  }
  return core::Verdict::accept();
}

core::Verdict Transaction::check_context_free() const {
  if (core::Verdict v = validate(); !v) return v;
  const Hash256 msg = signing_hash();
  if (core::schnorr::verify(public_key, msg.view(), signature)) return core::Verdict::accept();
  // Only on failure: tell a key that is not on the curve from a bad signature.
  if (auto key = core::schnorr::PublicKey::from_bytes(public_key.bytes); !key) {
    return core::reject(core::Reject::kBadKey,
                        "transaction public_key: " + key.error().to_string());
  }
  return core::reject(core::Reject::kBadSignature,
                      "transaction signature does not verify under its public_key");
}

core::Verdict Transaction::check_context(std::string_view expected_chain_id,
                                         std::uint64_t now_ms) const {
  if (chain_id != expected_chain_id) {
    return core::reject(core::Reject::kWrongPrefix, "transaction is for chain '" + chain_id +
                                                        "', this is '" +
                                                        std::string(expected_chain_id) + "'");
  }
  if (now_ms >= expiry_ms) {
    return core::reject(core::Reject::kInvalid, "transaction expired at " +
                                                    std::to_string(expiry_ms) + " ms, now is " +
                                                    std::to_string(now_ms) + " ms");
  }
  return core::Verdict::accept();
}

core::Checked<Transaction> decode_transaction(core::ByteView in) {
  if (in.size() > kMaxTransactionSize) {
    return core::reject(core::Reject::kTooLarge, "transaction of " + std::to_string(in.size()) +
                                                     " bytes exceeds " +
                                                     std::to_string(kMaxTransactionSize));
  }
  return core::decode<Transaction>(in);
}

IdentifiedTransaction IdentifiedTransaction::of(Transaction tx) {
  const core::Bytes bytes = tx.encoded();
  IdentifiedTransaction out;
  out.id = core::tagged_hash(core::HashTag::kTransactionId, bytes);
  out.encoded_size = bytes.size();
  out.tx = std::move(tx);
  return out;
}

}  // namespace bauhinia::chain
