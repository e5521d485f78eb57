// The plain-words views decode the modules' real record encodings (the
// trademark and company golden files), and the holder's commitment check
// matches the company module's golden commitment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex } from '../src/verify/index.js';
import { describeRecord } from '../src/ui/records.js';
import { readText } from './helpers.js';

function golden(path, sep) {
  const out = {};
  for (const line of readText(path).split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    const i = line.indexOf(sep);
    out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}
const tm = golden('tests/contracts/trademark/golden/trademark_v1.txt', ' ');
const co = golden('tests/contracts/company/golden/company_v1.txt', '=');
const row = (d, label) => d.rows.find(([k]) => k.startsWith(label))?.[1];

test('a trademark record and an assignment read in plain words', () => {
  const mark = describeRecord('trademark', fromHex(tm['key.mark']), fromHex(tm['record.mark']));
  assert.ok(mark, 'mark decodes');
  assert.equal(row(mark, 'Trade mark number'), '305918274');
  assert.equal(row(mark, 'Mark'), 'HARBOUR LANTERN / 港燈籠');
  assert.equal(row(mark, 'Owner'), 'Harbour Lantern Foods Limited / 港燈籠食品有限公司');
  assert.equal(row(mark, 'Status'), 'registered');
  assert.equal(row(mark, 'Classes'), '29, 43');
  const h = describeRecord('trademark', fromHex(tm['key.history']), fromHex(tm['record.history']));
  assert.ok(h, 'history decodes');
  assert.equal(h.title, 'partial assignment: Harbour Lantern Foods Limited → 九龍動力科技有限公司');
  assert.equal(h.tx, '11'.repeat(32));
});

test('company, filing and officer records read in plain words', () => {
  const c = describeRecord('company', fromHex(co['key.company']), fromHex(co['record.company']));
  assert.ok(c, 'company decodes');
  assert.equal(row(c, 'CR number'), '3298741');
  assert.match(row(c, 'Name'), /Lantern Harbour Logistics Limited/);
  const f = describeRecord('company', fromHex(co['key.filing']), fromHex(co['record.filing']));
  assert.ok(f, 'filing decodes');
  assert.match(f.title, /annual return/);
  assert.equal(f.late, true);
  assert.equal(row(f, 'Due'), '2027-02-26');
  assert.equal(row(c, 'Status'), 'strike-off inquiry');
  const o = describeRecord('company', fromHex(co['key.officer']), fromHex(co['record.officer']));
  assert.ok(o, 'officer decodes');
  assert.match(o.title, /CHAN Tai Man/);
  assert.equal(row(o, 'Identity number (as'), 'A123***(*)');
  assert.equal(o.commitment, co.commitment);
});

test("the holder's local check computes the company module's commitment", async () => {
  globalThis.document ??= undefined; // pages.js touches the DOM only when rendering
  const { commitmentOf } = await import('../src/ui/pages.js');
  assert.equal(commitmentOf('21'.repeat(32), 'A1234567'), co.commitment);
  assert.notEqual(commitmentOf('21'.repeat(32), 'A1234568'), co.commitment);
});
