// Accumulator inclusion (RFC 9162 2.1.3.2, docs/formats/accumulator.md) and
// sparse Merkle state proofs (docs/formats/state-tree.md section 5).
import { fail } from './errors.js';
import { concat, equal, isZero, leb128, toHex, utf8 } from './bytes.js';
import { Tag, rfc6962Leaf, rfc6962Node, sha256, taggedHash } from './hash.js';

export function rootFromInclusion(leafHash, leafIndex, treeSize, path) {
  if (leafIndex >= treeSize) fail('bad_proof', `inclusion proof: leaf index ${leafIndex} is not below tree size ${treeSize}`);
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize) - 1n;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0n) fail('bad_proof', 'inclusion proof: path longer than the tree is deep');
    if ((fn & 1n) === 1n || fn === sn) {
      r = rfc6962Node(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = rfc6962Node(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) fail('bad_proof', 'inclusion proof: path shorter than the tree is deep');
  return r;
}

// RFC 6962 Merkle Tree Hash over leaf data (a block's transactions_root is
// MTH over its transaction ids, docs/formats/chain.md).
export function merkleTreeHash(leaves) {
  const hashes = leaves.map((d) => rfc6962Leaf(d));
  const mth = (lo, hi) => {
    const n = hi - lo;
    if (n === 0) return sha256(new Uint8Array(0));
    if (n === 1) return hashes[lo];
    let k = 1;
    while (k * 2 < n) k *= 2;
    return rfc6962Node(mth(lo, lo + k), mth(lo + k, hi));
  };
  return mth(0, hashes.length);
}

export function verifyInclusion(leafHash, leafIndex, treeSize, path, root) {
  const r = rootFromInclusion(leafHash, leafIndex, treeSize, path);
  if (!equal(r, root)) fail('bad_proof', `inclusion proof: computed root ${toHex(r)} != ${toHex(root)}`);
}

const MODULE_NAME = /^[a-z0-9_-]+$/;

// state_key(module, record_key) = tagged_hash("bauhinia/state-key", encode(string, bytes))
export function stateKey(module, recordKey) {
  const name = utf8(module);
  if (name.length === 0 || name.length > 64) {
    fail('too_large', `state key: module name must be 1..64 bytes, got ${name.length}`);
  }
  if (!MODULE_NAME.test(module)) fail('bad_encoding', "state key: module name may hold only a-z, 0-9, '_' and '-'");
  if (recordKey.length > 1024) fail('too_large', `state key: record key of ${recordKey.length} bytes exceeds 1024`);
  return taggedHash(Tag.stateKey, concat(leb128(name.length), name, leb128(recordKey.length), recordKey));
}

export const stateValueHash = (value) => taggedHash(Tag.stateValue, value);
const stateLeafHash = (key, valueHash) => taggedHash(Tag.stateLeaf, concat(key, valueHash));
const stateInternalHash = (l, r) => taggedHash(Tag.stateInternal, concat(l, r));
const PLACEHOLDER = new Uint8Array(32);

function bit(bytes, i) {
  return (bytes[i >> 3] >> (7 - (i & 7))) & 1;
}

// value: Uint8Array (inclusion) or null (non-inclusion). proof: decodeStateProof's.
export function verifyStateProof(root, key, value, proof) {
  if (proof.version !== 1) fail('bad_version', `state proof version ${proof.version} is not supported`);
  if (proof.siblings.length > 256) fail('too_large', 'state proof: more than 256 siblings');
  const d = proof.siblings.length;
  if (value !== null) {
    if (value.length > 65536) fail('too_large', `state proof: value of ${value.length} bytes exceeds 65536`);
    if (!proof.leaf) fail('bad_proof', 'state proof: inclusion claimed but the path ends in an empty subtree');
    if (!equal(proof.leaf.key, key)) fail('bad_proof', 'state proof: inclusion claimed but the leaf has another key');
    if (!equal(proof.leaf.value_hash, stateValueHash(value))) fail('bad_proof', 'state proof: the leaf holds another value');
  } else if (proof.leaf) {
    if (equal(proof.leaf.key, key)) fail('bad_proof', 'state proof: non-inclusion claimed but the key is present');
    for (let i = 0; i < d; i++) {
      if (bit(proof.leaf.key, i) !== bit(key, i)) fail('bad_proof', "state proof: the leaf is not on the searched key's path");
    }
  }
  if (d > 0 && isZero(proof.siblings[0])) {
    fail('bad_proof', 'state proof: the lowest sibling is an empty subtree (non-canonical path)');
  }
  let h = proof.leaf ? stateLeafHash(proof.leaf.key, proof.leaf.value_hash) : PLACEHOLDER;
  for (let i = 0; i < d; i++) {
    const s = proof.siblings[i];
    h = bit(key, d - 1 - i) ? stateInternalHash(s, h) : stateInternalHash(h, s);
  }
  if (!equal(h, root)) fail('bad_proof', `state proof: computed root ${toHex(h)} != ${toHex(root)}`);
}
