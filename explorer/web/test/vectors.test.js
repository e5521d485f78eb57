// The shared light-client vectors: the same verdicts as the C++ light client
// (tests/ledger/light_client_vectors_test.cpp writes the file and asserts
// them in C++).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runVector } from '../src/verify/index.js';
import { readText } from './helpers.js';

const file = JSON.parse(readText('tests/chain/golden/light_client_vectors.json'));

test('the vectors file has genuine and tampered cases of every kind', () => {
  assert.equal(file.format, 'bauhinia light-client vectors v1');
  const kinds = new Set(file.cases.map((c) => `${c.kind}:${c.expect.ok}`));
  for (const k of ['epochs:true', 'epochs:false', 'transaction:true', 'transaction:false', 'record:true', 'record:false']) {
    assert.ok(kinds.has(k), k);
  }
  assert.ok(file.cases.length >= 30);
});

for (const c of file.cases) {
  test(`vector: ${c.name}`, () => {
    const got = runVector(c);
    if (c.expect.ok) {
      assert.equal(got.ok, true, `${got.reason}: ${got.detail}`);
      for (const k of ['epoch', 'height', 'certified_height']) {
        if (k in c.expect) assert.equal(got[k], c.expect[k], k);
      }
    } else {
      assert.equal(got.ok, false, 'accepted');
      assert.equal(got.reason, c.expect.reason, got.detail);
      assert.ok(got.detail.length > 0);
    }
  });
}

// Hostile input beyond the shared cases: every single-byte change of a
// genuine answer's proof, leaf, header or certificate is refused (never
// accepted, never a crash).
for (const [name, fields] of [
  ['record present: trademark 303512345', ['proof_hex', 'value_hex']],
  ['transaction: leaf 4 (failed outcome)', ['proof_hex', 'leaf_hex']],
]) {
  test(`every byte changed in "${name}" is refused`, () => {
    const base = file.cases.find((c) => c.name === name);
    assert.equal(runVector(base).ok, true);
    const targets = [
      ...fields.map((f) => [(c) => c, f]),
      [(c) => c.certified, 'header_hex'],
      [(c) => c.certified, 'commit_certificate_hex'],
    ];
    let tried = 0;
    for (const [holder, field] of targets) {
      const hex = holder(base)[field];
      for (let i = 0; i < hex.length; i += 2) {
        const c = structuredClone(base);
        const flipped = (parseInt(hex.substr(i, 2), 16) ^ 0x01).toString(16).padStart(2, '0');
        holder(c)[field] = hex.slice(0, i) + flipped + hex.slice(i + 2);
        const got = runVector(c);
        assert.equal(got.ok, false, `${field} byte ${i / 2} accepted`);
        assert.notEqual(got.reason, undefined);
        tried++;
      }
    }
    assert.ok(tried > 300);
  });
}
