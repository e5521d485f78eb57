#include "bauhinia/contracts/cosignature.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "bauhinia/contracts/accounts.hpp"

namespace bauhinia::contracts {

using chain::TxOutcome;

core::Hash256 CosignChallenge::hash() const {
  return core::hash_of(core::HashTag::kCosignature, *this);
}

CosignChallenge cosign_challenge(const chain::Transaction& tx, core::ByteView terms) {
  return CosignChallenge{tx.chain_id, tx.module,   tx.call,
                         tx.sender,   tx.sequence, core::sha256(terms)};
}

CallResult check_cosignatures(const CallContext& call, const StateView& state, core::ByteView terms,
                              std::span<const Cosignature> cosignatures) {
  if (cosignatures.size() > kMaxCosignatures) {
    return CallResult::failure(TxOutcome::kLimitExceeded, "too_many_cosignatures",
                               "at most " + std::to_string(kMaxCosignatures) + " co-signatures");
  }
  const core::Hash256 digest = cosign_challenge(call.tx(), terms).hash();
  std::set<core::AccountId> seen;
  for (const Cosignature& c : cosignatures) {
    const std::string who = "co-signer " + c.signer.to_hex().substr(0, 16);
    if (!seen.insert(c.signer).second) {
      return CallResult::failure(TxOutcome::kInvalidArgument, "duplicate_cosigner",
                                 who + " signs twice");
    }
    auto bytes = state.read(accounts::kModuleName, accounts::account_record_key(c.signer));
    if (bytes) {
      auto record = core::decode<accounts::AccountRecord>(*bytes);
      if (!record) {
        return CallResult::failure(TxOutcome::kFailedPrecondition, "corrupt_record",
                                   who + ": stored account record does not decode");
      }
      if (record->key != c.key) {
        return CallResult::failure(TxOutcome::kUnauthorized, "wrong_cosigner_key",
                                   who + ": the key is not the account's current key");
      }
    } else if (core::account_id_of(c.key) != c.signer) {
      return CallResult::failure(TxOutcome::kUnauthorized, "wrong_cosigner_key",
                                 who + ": no such account, and the key is not its first key");
    }
    if (!core::schnorr::verify(c.key, digest.view(), c.signature)) {
      return CallResult::failure(TxOutcome::kUnauthorized, "bad_cosignature",
                                 who + ": the signature does not verify over the call's terms");
    }
  }
  return CallResult::success();
}

bool cosigned_by(std::span<const Cosignature> cosignatures, const core::AccountId& account) {
  return std::any_of(cosignatures.begin(), cosignatures.end(),
                     [&](const Cosignature& c) { return c.signer == account; });
}

void mention_cosigners(CallContext& call, std::span<const Cosignature> cosignatures) {
  for (const Cosignature& c : cosignatures) call.mention_account(c.signer);
}

Cosignature cosign(const chain::Transaction& tx, core::ByteView terms,
                   const core::schnorr::SecretKey& key, std::optional<core::AccountId> signer) {
  Cosignature c;
  c.signer = signer ? *signer : core::account_id_of(key.public_key());
  c.key = key.public_key();
  c.signature = key.sign(cosign_challenge(tx, terms).hash().bytes());
  return c;
}

}  // namespace bauhinia::contracts
