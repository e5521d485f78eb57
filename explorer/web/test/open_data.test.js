// The open data page's checks of an export (src/ui/open_data.js): which rows
// are proven, that a row names its record key, and exports that name no
// height refused before anything is fetched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExport, rowNamesItsKey, rowsToCheck } from '../src/ui/open_data.js';

const hexOf = (s) => Buffer.from(s, 'utf8').toString('hex');

test('the first, middle and last rows are proven', () => {
  assert.deepEqual(rowsToCheck([]), []);
  assert.deepEqual(rowsToCheck(null), []);
  assert.deepEqual(rowsToCheck(['a']), ['a']);
  assert.deepEqual(rowsToCheck(['a', 'b']), ['a', 'b']);
  assert.deepEqual(rowsToCheck(['a', 'b', 'c', 'd', 'e']), ['a', 'c', 'e']);
});

test('a row names its record key by its number, or by its batch and product', () => {
  assert.ok(rowNamesItsKey({ number: '304477102', record_key_hex: `01${hexOf('304477102')}` }));
  assert.ok(rowNamesItsKey({ number: 'CWTT-2026-004821', record_key_hex: `10${hexOf('CWTT-2026-004821')}` }));
  assert.ok(rowNamesItsKey({ regno: 'HK-51234', batch: 'B2026-0147', record_key_hex: `02${hexOf('HK-51234')}0a${hexOf('B2026-0147')}` }));
  // Another record's key, a key without the number, malformed keys.
  assert.ok(!rowNamesItsKey({ number: '304477102', record_key_hex: `01${hexOf('304477103')}` }));
  assert.ok(!rowNamesItsKey({ number: '30', record_key_hex: `${hexOf('30')}` }));
  assert.ok(!rowNamesItsKey({ number: '304477102', record_key_hex: 'zz' }));
  assert.ok(!rowNamesItsKey({ number: '', record_key_hex: '0100' }));
  assert.ok(!rowNamesItsKey({ regno: 'HK-51234', record_key_hex: `02${hexOf('HK-51234')}` }));
  assert.ok(!rowNamesItsKey(null));
});

test('an export without its certified height and block is refused unproven', async () => {
  const never = () => { throw new Error('nothing may be fetched'); };
  for (const doc of [null, {}, { certified_height: '7', block_id: 'ab', records: [] }, { certified_height: 7, records: [] },
    { certified_height: 7, block_id: 'ab', records: 'x' }, { certified_height: -1, block_id: 'ab', records: [] }]) {
    const v = await checkExport(doc, never);
    assert.equal(v.ok, false, JSON.stringify(doc));
    assert.equal(v.reason, 'bad_encoding');
  }
  const bad = await checkExport({ certified_height: 7, block_id: 'ab', module: 'trademark', records: [{ number: '1', record_key_hex: `01${hexOf('2')}` }] }, never);
  assert.equal(bad.reason, 'bad_row');
});
