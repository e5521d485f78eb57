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
