// The verifier's primitives against the project's frozen golden files and the
// public vectors kept in the repository (BIP-340, RFC 6962, RFC 8032).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import * as v from '../src/verify/index.js';
import { goldenBlocks, goldenPairs, readText, repoFile, walk } from './helpers.js';

const { fromHex, toHex } = v;
const chainGolden = goldenBlocks('tests/chain/golden/chain_formats_v1.txt');
const core = goldenPairs('tests/core/golden/core.txt');

test('every domain tag hashes the golden message as in core.txt', () => {
  const msg = new TextEncoder().encode('bauhinia golden vector');
  let n = 0;
  for (let i = 0; core[`tag.${i}.name`]; i++, n++) {
    assert.equal(toHex(v.taggedHash(core[`tag.${i}.name`], msg)), core[`tag.${i}.hash`], core[`tag.${i}.name`]);
  }
  assert.ok(n >= 20);
});

test('chain golden: header, validator sets, ledger info, certificate, epoch change proof', () => {
  const h = v.decodeHeader(chainGolden.block_header.encoded);
  assert.equal(toHex(v.headerId(h)), chainGolden.block_header.id);
  assert.equal(h.height, 1000n);
  for (const name of ['validator_set', 'next_validator_set']) {
    const s = v.decodeValidatorSet(chainGolden[name].encoded);
    assert.equal(toHex(v.validatorSetHash(s)), chainGolden[name].hash);
  }
  const li = v.decodeAll(chainGolden.ledger_info.encoded, 'li', v.readLedgerInfo);
  assert.equal(toHex(v.ledgerInfoSigningHash(li)), chainGolden.ledger_info.signing_hash);
  const qc = v.decodeCertificate(chainGolden.quorum_certificate.encoded);
  const set = v.decodeValidatorSet(chainGolden.validator_set.encoded);
  assert.deepEqual(v.verifyQuorum(qc, set), [0, 2, 3]);
  assert.deepEqual(v.verifyCommittedHeader(h, qc, set, 'bauhinia-hk-1'), [0, 2, 3]);
  // The golden epoch change proof reaches epoch 8's set.
  const changes = v.decodeEpochChangeProof(chainGolden.epoch_change_proof.encoded);
  const next = v.verifyEpochChanges(set, changes, 'bauhinia-hk-1');
  assert.equal(toHex(v.validatorSetHash(next)), chainGolden.next_validator_set.hash);
  assert.throws(() => v.verifyEpochChanges(set, changes, 'bauhinia-hk-2'), { reason: 'invalid' });
});

test('chain golden: transaction infos, inclusion proof', () => {
  for (const name of ['transaction_info_success', 'transaction_info_failed']) {
    const info = v.decodeTransactionInfo(chainGolden[name].encoded);
    assert.equal(toHex(v.sha256(Uint8Array.from([0, ...info.bytes]))), chainGolden[name].leaf_hash);
  }
  const p = v.decodeInclusionProof(chainGolden.inclusion_proof.encoded);
  v.verifyInclusion(fromHex(chainGolden.inclusion_proof.leaf_hash), p.leaf_index, p.tree_size, p.path,
    fromHex(chainGolden.inclusion_proof.root));
  assert.throws(() => v.verifyInclusion(fromHex(chainGolden.inclusion_proof.leaf_hash), p.leaf_index, p.tree_size,
    p.path, fromHex(chainGolden.transaction_info_failed.leaf_hash)), { reason: 'bad_proof' });
});

test('transaction golden: decoding, signing hash, id and BIP-340 signature', () => {
  const g = goldenBlocks('tests/chain/golden/transaction_v1.txt');
  for (const name of Object.keys(g)) {
    const tx = v.decodeTransaction(g[name].encoded);
    assert.equal(toHex(tx.signing_hash), g[name].signing_hash);
    assert.equal(toHex(tx.id), g[name].id);
    assert.equal(tx.module, g[name].module);
    assert.deepEqual(v.checkTransactionSignature(tx), { signature_ok: true, sender_is_key_account: true });
    const bad = fromHex(g[name].encoded);
    bad[bad.length - 1] ^= 1;
    assert.equal(v.checkTransactionSignature(v.decodeTransaction(bad)).signature_ok, false);
  }
});

test('state tree vectors of docs/formats/state-tree.md section 10', () => {
  const enc = (s) => new TextEncoder().encode(s);
  const key = v.stateKey('trademark', enc('303512345'));
  assert.equal(toHex(key), '43998e5f4b2056b71bbc10fe4b4ca799a6bf6c898641b89484fad4b66d870680');
  assert.equal(toHex(v.stateValueHash(enc('hello'))), '85f6c6a3fd4b4f4ed18017611fcb334698989967bf32c9a75d7a320444d41ce0');
  const root = fromHex('e64b2de42a18f9a689826ce0f740a546f96a7e53542015d7f913e282bb31d0ef');
  const doc = readText('docs/formats/state-tree.md');
  const block = (after) => {
    const start = doc.indexOf('```', doc.indexOf(after)) + 3;
    return doc.slice(start, doc.indexOf('```', start)).split('\n')
      .map((l) => l.trim().split(/\s+/).filter((w) => /^([0-9a-f]{2})+$/.test(w)).join('')).join('');
  };
  const incl = v.decodeStateProof(block('Inclusion of `trademark/303512345`'));
  v.verifyStateProof(root, key, enc('mark: BAUHINIA; owner: HKSAR'), incl);
  assert.throws(() => v.verifyStateProof(root, key, enc('mark: BAUHINIA; owner: ME'), incl), { reason: 'bad_proof' });
  assert.throws(() => v.verifyStateProof(root, key, null, incl), { reason: 'bad_proof' });
  const absent404 = v.decodeStateProof(block('Non-inclusion of `trademark/404`'));
  v.verifyStateProof(root, v.stateKey('trademark', enc('404')), null, absent404);
  const absent2 = v.decodeStateProof(block('Non-inclusion of `trademark/2`'));
  v.verifyStateProof(root, v.stateKey('trademark', enc('2')), null, absent2);
  assert.throws(() => v.verifyStateProof(root, v.stateKey('health', enc('batch-0042')), null, absent2), { reason: 'bad_proof' });
});

test('BIP-340 test-vectors.csv (all rows) with @noble/curves', () => {
  const rows = readText('tests/core/vectors/bip340/test-vectors.csv').trim().split('\n').slice(1);
  assert.ok(rows.length >= 19);
  for (const row of rows) {
    const [index, , pub, , msg, sig, result] = row.split(',');
    assert.equal(v.verifySchnorr(fromHex(sig), fromHex(msg), fromHex(pub)), result === 'TRUE', `vector ${index}`);
  }
});

test('RFC 6962 inclusion vectors (transparency-dev/merkle) with the RFC 9162 walk', () => {
  const files = walk(repoFile('tests/chain/vectors/rfc6962/inclusion')).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 90, `${files.length} files`);
  const b64 = (s) => (s == null ? new Uint8Array(0) : Uint8Array.from(Buffer.from(s, 'base64')));
  for (const f of files) {
    const j = JSON.parse(readFileSync(f, 'utf8'));
    let ok;
    try {
      const path = (j.proof ?? []).map(b64);
      const leaf = b64(j.leafHash);
      const root = b64(j.root);
      if (leaf.length !== 32 || root.length !== 32 || path.some((p) => p.length !== 32)) throw new Error('size');
      v.verifyInclusion(leaf, BigInt(j.leafIdx), BigInt(j.treeSize), path, root);
      ok = true;
    } catch {
      ok = false;
    }
    assert.equal(ok, !j.wantErr, f);
  }
});

test('Ed25519: golden vote signature, RFC 8032 strictness (S + L, small order)', () => {
  const pub = fromHex(core['ed25519.public_key']);
  const msg = fromHex(core['ed25519.message']);
  const sig = fromHex(core['ed25519.signature']);
  assert.equal(v.verifyEd25519(sig, msg, pub), true);
  const other = Uint8Array.from(msg);
  other[0] ^= 1;
  assert.equal(v.verifyEd25519(sig, other, pub), false);
  // S + L: the same signature made malleable must be refused.
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  let s = 0n;
  for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i]);
  let t = s + L;
  const mall = Uint8Array.from(sig);
  for (let i = 0; i < 32; i++, t >>= 8n) mall[32 + i] = Number(t & 0xffn);
  assert.equal(v.verifyEd25519(mall, msg, pub), false);
  // The identity point (small order) as a key.
  const identity = new Uint8Array(32);
  identity[0] = 1;
  assert.equal(v.isValidValidatorKey(identity), false);
  assert.equal(v.isValidValidatorKey(pub), true);
  assert.equal(toHex(ed25519.getPublicKey(fromHex(core['ed25519.seed']))), core['ed25519.public_key']);
});

test('canonical decoding rejects what encoding.md says, with its reasons', () => {
  const dec = (hex) => v.decodeAll(hex, 'x', (r) => r.bytes(1000, 'b'));
  assert.throws(() => dec('8000'), { reason: 'non_canonical' });
  assert.throws(() => dec('ffffffffff0f'), { reason: 'too_large' });
  assert.throws(() => dec('8080808010'), { reason: 'too_large' });
  assert.throws(() => dec('05aa'), { reason: 'truncated' });
  assert.throws(() => dec('01aabb'), { reason: 'trailing_bytes' });
  assert.throws(() => v.decodeAll('02c0af', 'x', (r) => r.string(8, 's')), { reason: 'bad_encoding' });
  assert.throws(() => v.decodeAll('02', 'x', (r) => r.bool()), { reason: 'non_canonical' });
  const h = chainGolden.block_header.encoded;
  assert.throws(() => v.decodeHeader('02' + h.slice(2)), { reason: 'bad_version' });
  assert.throws(() => v.decodeHeader(h + '00'), { reason: 'trailing_bytes' });
  assert.throws(() => v.decodeHeader(h.slice(0, -2)), { reason: 'truncated' });
  assert.throws(() => v.decodeHeader('zz'), { reason: 'bad_encoding' });
});

test('a pinned genesis validator set hash refuses another set', async () => {
  const { followEpochs } = await import('../src/verify/light_client.js');
  const file = JSON.parse(readText('tests/chain/golden/light_client_vectors.json'));
  const c = file.cases[0];
  const { genesis } = followEpochs(c.chain_id, c.genesis_validator_set_hex, c.epoch_proof_hex);
  const hash = toHex(v.validatorSetHash(genesis));
  followEpochs(c.chain_id, c.genesis_validator_set_hex, c.epoch_proof_hex, hash);
  assert.throws(() => followEpochs(c.chain_id, c.genesis_validator_set_hex, c.epoch_proof_hex, '00'.repeat(32)), { reason: 'bad_proof' });
});

test('a transaction answer: the bytes must hash to the id asked for and carry a valid signature', async () => {
  const { verifyTransactionAnswer } = await import('../src/verify/light_client.js');
  const g = goldenBlocks('tests/chain/golden/transaction_v1.txt');
  const file = JSON.parse(readText('tests/chain/golden/light_client_vectors.json'));
  const c = file.cases.find((x) => x.name === 'transaction: leaf 0');
  const trust = { chainId: c.chain_id, genesisSetHex: c.genesis_validator_set_hex, epochProofHexes: c.epoch_proof_hex };
  const answer = { leaf_hex: c.leaf_hex, proof_hex: c.proof_hex, certified: c.certified };
  const ok = verifyTransactionAnswer(trust, c.transaction_id, answer);
  assert.equal(ok.ok, true, ok.detail);
  assert.equal(ok.certified_height, 10);
  // Bytes of another transaction under this id.
  const other = verifyTransactionAnswer(trust, c.transaction_id, { ...answer, transaction_hex: g.ping.encoded });
  assert.deepEqual([other.ok, other.reason], [false, 'bad_proof']);
  // An id asked for that the leaf does not name.
  const wrong = verifyTransactionAnswer(trust, g.ping.id, answer);
  assert.deepEqual([wrong.ok, wrong.reason], [false, 'bad_proof']);
});

test('transactions root: RFC 6962 MTH over the ids (chain.md example and golden)', () => {
  const ids = [1, 2, 3].map((b) => new Uint8Array(32).fill(b));
  assert.equal(toHex(v.merkleTreeHash(ids)), chainGolden.transactions_root.root);
  assert.equal(toHex(v.merkleTreeHash([])), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
});

test('a block answer: committed header at the height asked for, and its listed transactions', async () => {
  const { verifyBlockAnswer } = await import('../src/verify/light_client.js');
  const file = JSON.parse(readText('tests/chain/golden/light_client_vectors.json'));
  const c = file.cases.find((x) => x.name === 'transaction: leaf 0');
  const trust = { chainId: c.chain_id, genesisSetHex: c.genesis_validator_set_hex, epochProofHexes: c.epoch_proof_hex };
  const ok = verifyBlockAnswer(trust, 10, { ...c.certified });
  assert.equal(ok.ok, true, ok.detail);
  assert.equal(verifyBlockAnswer(trust, 11, { ...c.certified }).reason, 'bad_proof');
  // The fixture header's transactions_root is 0x11..: no list of ids hashes to it.
  const listed = verifyBlockAnswer(trust, 10, { ...c.certified, transaction_ids: ['11'.repeat(32)], transaction_ids_truncated: false });
  assert.deepEqual([listed.ok, listed.reason], [false, 'bad_proof']);
});
