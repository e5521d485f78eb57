// The co-signers of a transaction and the home page's register counts, from
// the explorer's answer shapes (docs/explorer.md); malformed answers show
// nothing false.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountRole, cosignerAccounts, registerGlanceRows } from '../src/ui/glance.js';

const a = 'ab'.repeat(32);
const b = 'CD'.repeat(32);

test('a co-signed transaction lists its co-signers in order', () => {
  assert.deepEqual(cosignerAccounts({ cosigners: [{ account: a, key: '11'.repeat(32) }, { account: b, key: '22'.repeat(32) }] }), [a, b.toLowerCase()]);
  assert.deepEqual(cosignerAccounts({ cosigners: [] }), []);
  assert.deepEqual(cosignerAccounts({}), []);
});

test('malformed co-signers are left out', () => {
  const hostile = { cosigners: [{ account: '<img src=x>' }, { account: a.slice(2) }, 'x', null, { account: 7 }, { account: a }] };
  assert.deepEqual(cosignerAccounts(hostile), [a]);
  assert.deepEqual(cosignerAccounts({ cosigners: 'ab' }), []);
  assert.deepEqual(cosignerAccounts(null), []);
  // At most the protocol's 8 co-signatures are shown.
  assert.equal(cosignerAccounts({ cosigners: Array(50).fill({ account: a }) }).length, 8);
});

test('register counts stand under the height they were read at', () => {
  const rows = registerGlanceRows({
    registers: [
      { register: 'trademarks', module: 'trademark', count: 1234, certified_height: 42, block_id: 'x' },
      { register: 'eia', module: 'environment', count: null, certified_height: null, block_id: null },
      { register: 'companies', module: 'company', count: 0, certified_height: 40 },
    ],
  });
  assert.deepEqual(rows, [
    { register: 'trademarks', count: 1234, height: 42 },
    { register: 'eia', count: null, height: null },
    { register: 'companies', count: 0, height: 40 },
  ]);
});

test('a malformed register answer shows no false count', () => {
  assert.deepEqual(registerGlanceRows(null), []);
  assert.deepEqual(registerGlanceRows({ registers: 'x' }), []);
  const rows = registerGlanceRows({
    registers: [
      { register: 'trademarks', count: -1, certified_height: 4 },
      { register: 'companies', count: 3, certified_height: 'soon' },
      { register: 'eia', count: 1.5, certified_height: 4 },
      { register: '__proto__', count: 9, certified_height: 4 },
      { register: 'trip-tickets', count: 2, certified_height: 4 },
      { register: 'trip-tickets', count: 99, certified_height: 5 },
    ],
  });
  assert.deepEqual(rows, [
    { register: 'trademarks', count: null, height: null },
    { register: 'companies', count: null, height: null },
    { register: 'eia', count: null, height: null },
    { register: 'trip-tickets', count: 2, height: 4 },
  ]);
});

test('drug batches and health attestations are counted at the indexed height', () => {
  const rows = registerGlanceRows({
    registers: [
      { register: 'trademarks', source: 'records', count: 3, certified_height: 40 },
      { register: 'drug-batches', source: 'transactions', call: 'create_batch', count: 12, certified_height: 42 },
      { register: 'health-attestations', source: 'transactions', call: 'issue', count: 0, certified_height: 42 },
    ],
  });
  assert.deepEqual(rows, [
    { register: 'trademarks', count: 3, height: 40 },
    { register: 'drug-batches', count: 12, height: 42 },
    { register: 'health-attestations', count: 0, height: 42 },
  ]);
});

test('an account is a signer unless the answer says co-signer', () => {
  assert.equal(accountRole({ role: 'cosigner' }), 'cosigner');
  assert.equal(accountRole({ role: 'signer' }), 'signer');
  assert.equal(accountRole({ role: '<b>' }), 'signer');
  assert.equal(accountRole(null), 'signer');
});
