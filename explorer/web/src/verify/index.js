// The independent JavaScript verifier (docs/explorer-web.md "Verify in your browser").
export { VerifyError, verdict } from './errors.js';
export { fromHex, toHex } from './bytes.js';
export { taggedHash, sha256, Tag } from './hash.js';
export * from './decode.js';
export * from './chain.js';
export * from './proofs.js';
export * from './light_client.js';
export { verifyEd25519, isValidValidatorKey } from './ed25519.js';
export * from './schnorr.js';
export { runVector } from './vectors.js';
