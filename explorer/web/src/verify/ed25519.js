// Ed25519 as the validators use it (docs/formats/keys-and-addresses.md):
// RFC 8032 verification, strict like libsodium 1.0.18 — canonical S < L
// (noble with zip215:false), canonical point encodings, and neither the key
// nor R of small order. Validator-set keys must also be in the prime-order
// subgroup (crypto_core_ed25519_is_valid_point).
import { ed25519 } from '@noble/curves/ed25519.js';

const Point = ed25519.Point;

function parsePoint(bytes) {
  try {
    return Point.fromBytes(bytes, false);
  } catch {
    return null;
  }
}

// A key a validator set may hold.
export function isValidValidatorKey(key) {
  const p = parsePoint(key);
  return p !== null && !p.isSmallOrder() && p.isTorsionFree();
}

export function verifyEd25519(signature, message, key) {
  if (signature.length !== 64 || key.length !== 32) return false;
  const a = parsePoint(key);
  const r = parsePoint(signature.subarray(0, 32));
  if (a === null || r === null || a.isSmallOrder() || r.isSmallOrder()) return false;
  try {
    return ed25519.verify(signature, message, key, { zip215: false });
  } catch {
    return false;
  }
}
