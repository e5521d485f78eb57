#pragma once
// A prepared transaction: a call with its envelope, passed between the
// parties that must sign it (docs/formats/prepared-transaction.md). The
// sender prepares it (`tx prepare`), each co-signer adds its co-signature
// offline (`tx sign`), the sender signs the envelope last, and anyone submits
// it (`tx submit`).
//
// Nothing in a file is trusted: check() rebuilds the call from the stored
// arguments with the call's CallSpec (same terms, same co-signers, else
// "tampered"), and verifies every signature present against the stored keys.
// The ledger checks on submission that those keys are the accounts' current ones.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/cosignature.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/wallet/call_spec.hpp"

namespace bauhinia::wallet {

inline constexpr int kPreparedTxVersion = 1;
inline constexpr std::size_t kMaxPreparedTxFileBytes = 512 * 1024;

struct PreparedTx {
  std::string chain_id;
  std::string module;
  std::string call;   // the module's call name (underscores)
  Args args;          // as given on the command line
  core::Bytes terms;  // build(args).payload: the whole payload, or the co-signed terms
  std::vector<std::string> description;
  core::AccountId sender;
  core::schnorr::PublicKey sender_key;  // the key that signs the envelope
  std::uint64_t sequence = 0;
  std::uint64_t expiry_ms = 0;
  std::vector<core::AccountId> cosigners;             // required, in the module's order
  std::vector<contracts::Cosignature> cosignatures;   // in cosigners' order once complete
  std::optional<core::schnorr::Signature> signature;  // the envelope's, by sender_key

  // The envelope (signature included when present); the payload is the terms
  // then the co-signatures when the call is co-signed.
  chain::Transaction envelope() const;
  // The co-signers that have not signed yet.
  std::vector<core::AccountId> missing_cosigners() const;
  bool expired(std::uint64_t now_ms) const { return now_ms >= expiry_ms; }
};

// Prepares `spec` with `args` for `sender` (its current key `sender_key`).
// Fails as build() does.
core::Checked<PreparedTx> prepare(const CallSpec& spec, const Args& args,
                                  const core::AccountId& sender,
                                  const core::schnorr::PublicKey& sender_key, std::string chain_id,
                                  std::uint64_t sequence, std::uint64_t expiry_ms);

// The file's JSON (addresses with `prefix`), and back. from_json checks the
// format only; check() checks the content.
nlohmann::json to_json(const PreparedTx& p, std::string_view prefix);
core::Checked<PreparedTx> prepared_from_json(const nlohmann::json& j);

// Tampering: the call is known, rebuilding it from the stored arguments gives
// the stored terms and co-signers, each co-signature is by a required
// co-signer (once) and verifies, and the envelope signature verifies.
core::Verdict check(const PreparedTx& p);

// Adds the co-signature of `signer` with `key`. Refused (nothing changed):
// expired, `signer` is not a required co-signer, it has signed already, or
// the envelope is signed already.
core::Verdict add_cosignature(PreparedTx& p, const core::AccountId& signer,
                              const core::schnorr::SecretKey& key, std::uint64_t now_ms);
// Signs the envelope as the sender, last. Refused: expired, `key` is not
// the prepared sender key, co-signatures are missing, signed already.
core::Verdict sign_envelope(PreparedTx& p, const core::schnorr::SecretKey& key,
                            std::uint64_t now_ms);

}  // namespace bauhinia::wallet
