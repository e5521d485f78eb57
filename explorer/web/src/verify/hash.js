// Hashing (docs/formats/hashing.md, accumulator.md, state-tree.md) with
// @noble/hashes' SHA-256 only.
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, utf8 } from './bytes.js';

export { sha256 };

const tagPrefixes = new Map();

// tagged_hash(tag, m) = SHA-256(SHA-256(tag) || SHA-256(tag) || m)
export function taggedHash(tag, message) {
  let prefix = tagPrefixes.get(tag);
  if (!prefix) {
    const t = sha256(utf8(tag));
    prefix = concat(t, t);
    tagPrefixes.set(tag, prefix);
  }
  return sha256(concat(prefix, message));
}

export const Tag = Object.freeze({
  transaction: 'bauhinia/transaction',
  blockHeader: 'bauhinia/block-header',
  ledgerInfo: 'bauhinia/ledger-info',
  validatorSet: 'bauhinia/validator-set',
  stateKey: 'bauhinia/state-key',
  stateValue: 'bauhinia/state-value',
  stateLeaf: 'bauhinia/state-leaf',
  stateInternal: 'bauhinia/state-internal',
  account: 'bauhinia/account',
  commitment: 'bauhinia/commitment',
  transactionId: 'bauhinia/transaction-id',
});

// RFC 6962 / 9162 (untagged; 0x00 / 0x01 prefixes).
export function rfc6962Leaf(data) {
  return sha256(concat(Uint8Array.of(0), data));
}
export function rfc6962Node(left, right) {
  return sha256(concat(Uint8Array.of(1), left, right));
}
