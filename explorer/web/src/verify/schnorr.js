// BIP-340 Schnorr (accounts and transactions, keys-and-addresses.md) with
// @noble/curves; a transaction's signature covers its 32-byte signing hash.
import { schnorr } from '@noble/curves/secp256k1.js';
import { equal } from './bytes.js';
import { Tag, taggedHash } from './hash.js';

export function verifySchnorr(signature, message, publicKey) {
  try {
    return schnorr.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

export const accountIdOf = (publicKey) => taggedHash(Tag.account, publicKey);

// tx from decodeTransaction. True when the envelope's signature verifies (and,
// for a first transaction, whether sender is the key's own account id is
// reported separately: rotated keys make them differ legitimately).
export function checkTransactionSignature(tx) {
  return {
    signature_ok: verifySchnorr(tx.signature, tx.signing_hash, tx.public_key),
    sender_is_key_account: equal(accountIdOf(tx.public_key), tx.sender),
  };
}
