#pragma once
// Co-signatures: the consent of accounts other than the sender to a call's
// terms, for acts the law says another party signs (the assignor of a
// trademark, both sides of a drug custody transfer, ...).
//
// A co-signed call's payload is encode(Cosigned<Terms>): the call's terms,
// then the co-signatures. Each co-signer signs, offline and in any order,
//   BIP-340 over tagged_hash(kCosignature, encode(CosignChallenge))
// where the challenge binds the chain, the module, the call, the submitting
// account and its sequence number, and SHA-256 of encode(terms). The binding
// to (sender, sequence) makes a co-signature single-use: it is valid only in
// the one transaction that consumes that sequence number.
//
// Checked deterministically by the module (check() at admission, apply() in
// the block): each signer once, at most kMaxCosignatures, the key is the
// signer's current account key (or, for an account never used, the key whose
// account id is the signer), and the signature verifies. apply() names each
// signer for the ledger's per-account index (mention_cosigners).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/module.hpp"
#include "bauhinia/contracts/state_view.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/schnorr.hpp"

namespace bauhinia::contracts {

inline constexpr std::size_t kMaxCosignatures = 8;

struct Cosignature {
  core::AccountId signer;
  core::schnorr::PublicKey key;  // the signer's current key
  core::schnorr::Signature signature;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.fixed(s.signer.bytes);
    c.fixed(s.key.bytes);
    c.fixed(s.signature.bytes);
  }
  friend bool operator==(const Cosignature&, const Cosignature&) = default;
};

// What each co-signer signs (its tagged hash).
struct CosignChallenge {
  std::string chain_id;
  std::string module;
  std::string call;
  core::AccountId sender;      // the account submitting the transaction
  std::uint64_t sequence = 0;  // the transaction's sequence number
  core::Hash256 terms_hash;    // sha256(encode(terms))

  core::Hash256 hash() const;  // tagged_hash(kCosignature, encode(*this))

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.string(s.chain_id, chain::kMaxTxChainIdSize, "chain_id");
    c.string(s.module, chain::kMaxModuleNameSize, "module");
    c.string(s.call, chain::kMaxCallNameSize, "call");
    c.fixed(s.sender.bytes);
    c.u64(s.sequence);
    c.fixed(s.terms_hash);
  }
};

// The challenge for `terms` (the canonical encoding of the call's terms)
// carried by `tx` (its chain id, module, call, sender and sequence).
CosignChallenge cosign_challenge(const chain::Transaction& tx, core::ByteView terms);

// A co-signed call's payload.
template <class Terms>
struct Cosigned {
  Terms terms;
  std::vector<Cosignature> cosignatures;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.object(s.terms);
    c.sequence(s.cosignatures, kMaxCosignatures, "cosignatures");
  }
};

// Checks every co-signature over `terms` (see the file comment). A failure
// names the signer and the reason: kUnauthorized for a wrong key or a
// signature that does not verify, kInvalidArgument for a repeated signer.
CallResult check_cosignatures(const CallContext& call, const StateView& state, core::ByteView terms,
                              std::span<const Cosignature> cosignatures);

// True when `account` is among the (already checked) co-signers.
bool cosigned_by(std::span<const Cosignature> cosignatures, const core::AccountId& account);

// Names each co-signer in the transaction's accounts (apply only).
void mention_cosigners(CallContext& call, std::span<const Cosignature> cosignatures);

// Signs `terms` of the transaction `tx` (whose signature is not needed yet)
// with `key`, for the account `signer` (default: the account whose first key
// is `key`): for wallets and tests.
Cosignature cosign(const chain::Transaction& tx, core::ByteView terms,
                   const core::schnorr::SecretKey& key,
                   std::optional<core::AccountId> signer = std::nullopt);

}  // namespace bauhinia::contracts
