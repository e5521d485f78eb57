// The drugs, environment and health views decode the modules' real record
// encodings (tests/contracts/<module>/golden/*.txt), refuse a value with a
// byte missing or one too many, and the health view shows only issuer, type,
// time and status; the holder's local check computes the health module's
// golden commitment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../src/verify/index.js';
import { describeRecord } from '../src/ui/records.js';
import { readText } from './helpers.js';

function golden(path) {
  const out = {};
  for (const line of readText(path).split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    const i = line.indexOf(' ');
    out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}
const drugs = golden('tests/contracts/drugs/golden/drugs_v1.txt');
const env = golden('tests/contracts/environment/golden/environment_v1.txt');
const health = golden('tests/contracts/health/golden/health_v1.txt');
const row = (d, label) => d.rows.find(([k]) => k.startsWith(label))?.[1];
const view = (module, g, key, record) => describeRecord(module, fromHex(g[`key.${key}`]), fromHex(g[`record.${record ?? key}`]));

test('every drugs record kind decodes from its golden encoding', () => {
  const p = view('drugs', drugs, 'product');
  assert.ok(p, 'product decodes');
  assert.equal(row(p, 'Registration number'), 'HK-51234');
  assert.equal(row(p, 'Product'), 'Harbourcillin Capsules 500mg / 港青黴素膠囊500毫克');
  assert.equal(row(p, 'Dosage form'), 'capsule');
  const b = view('drugs', drugs, 'batch');
  assert.ok(b, 'batch decodes');
  assert.equal(row(b, 'Batch number'), 'B2026-001');
  assert.equal(row(b, 'Quantity released'), '12,000');
  assert.equal(b.regno, 'HK-51234');
  const c = view('drugs', drugs, 'custody');
  assert.ok(c, 'custody decodes');
  assert.match(c.title, /^2\. transfer: manufacturer → wholesaler, /);
  assert.equal(c.tx.length, 64);
  const h = view('drugs', drugs, 'holding');
  assert.ok(h, 'holding decodes');
  assert.equal(row(h, 'Quantity held'), '200');
  const n = view('drugs', drugs, 'notice');
  assert.ok(n, 'notice decodes');
  assert.match(row(n, 'Recall'), /^class \d/);
  assert.equal(row(n, 'Held at the recall'), '200');
});

test('a recalled batch reads as recalled, with its class, level and reason; one without, not', () => {
  const b = view('drugs', drugs, 'batch');
  assert.equal(b.recalled, true);
  assert.match(b.title, /RECALLED/);
  assert.equal(row(b, 'Status'), 'recalled / 已回收: class 2, retail level, contamination');
  assert.equal(row(b, 'Holders notified'), '3');
  // The same batch before its recall: the optional recall absent.
  const recalled = fromHex(drugs['record.batch']);
  const before = recalled.slice(0, recalled.length - (1 + 3 + 8 + 8 + 32 + 4) + 1);
  before[before.length - 1] = 0;
  const p = describeRecord('drugs', fromHex(drugs['key.batch']), before);
  assert.ok(p, 'unrecalled batch decodes');
  assert.equal(p.recalled, false);
  assert.equal(row(p, 'Status'), 'not recalled / 未被回收');
});

test('every environment record kind decodes from its golden encoding', () => {
  const p = view('environment', env, 'project');
  assert.ok(p, 'project decodes');
  assert.equal(row(p, 'Project number'), 'PP-001/2026');
  assert.equal(p.number, 'PP-001/2026');
  assert.ok(row(p, 'Public comments received'));
  const rep = view('environment', env, 'report');
  assert.ok(rep, 'report decodes');
  assert.equal(rep.title, 'EIA report, version 2');
  assert.match(row(rep, 'Report document'), /^(c2){32}$/);
  assert.ok(view('environment', env, 'comment'), 'comment decodes');
  const pm = view('environment', env, 'permit');
  assert.ok(pm, 'permit decodes');
  assert.equal(row(pm, 'Permit number'), 'EP-001/2026');
  assert.equal(row(pm, 'Project'), 'PP-001/2026');
  const ph = view('environment', env, 'permit_history');
  assert.ok(ph, 'permit history decodes');
  assert.match(ph.title, /^3\. transferred \(version \d+\)$/);
  assert.ok(view('environment', env, 'submission'), 'submission decodes');
  const t = view('environment', env, 'ticket');
  assert.ok(t, 'trip-ticket decodes');
  assert.equal(row(t, 'Trip-ticket number'), 'CWTT-2026-000201');
  assert.match(row(t, '1. Issued by the producer'), /declared [\d,]+ kg$/);
  assert.equal(typeof t.flags.weight_mismatch, 'boolean');
});

test('the health view shows only issuer, type, time and status', () => {
  const d = view('health', health, 'record', 'health_record');
  assert.ok(d, 'health record decodes');
  assert.deepEqual(d.rows.map(([k]) => k.split(' / ')[0]), ['Issuer', 'Type', 'Issued', 'Status']);
  const value = fromHex(health['record.health_record']);
  const subject = toHex(value.slice(1 + 32 + 1 + 32, 1 + 32 + 1 + 32 + 32));
  const shown = JSON.stringify([d.title, d.rows]);
  assert.ok(!shown.includes(subject.slice(0, 8)), 'the subject account is not shown');
  assert.ok(!shown.includes(d.commitment.slice(0, 8)), 'the commitment is not shown (only the check link carries it)');
  assert.equal(d.checkKind, 'health');
});

test('a value with a byte missing or one too many is not described', () => {
  for (const [module, g, key, record] of [['drugs', drugs, 'batch'], ['drugs', drugs, 'custody'], ['environment', env, 'project'],
    ['environment', env, 'ticket'], ['environment', env, 'permit'], ['health', health, 'record', 'health_record']]) {
    const v = fromHex(g[`record.${record ?? key}`]);
    const k = fromHex(g[`key.${key}`]);
    assert.ok(describeRecord(module, k, v), `${module} ${key}`);
    assert.equal(describeRecord(module, k, v.slice(0, -1)), null, `${module} ${key} truncated`);
    const longer = new Uint8Array(v.length + 1);
    longer.set(v);
    assert.equal(describeRecord(module, k, longer), null, `${module} ${key} with a trailing byte`);
  }
});

test("the holder's local check computes the health module's golden commitment", async () => {
  const { commitmentOf } = await import('../src/ui/pages.js');
  const sample = 'COVID-19 vaccination, dose 2, lot EX1234';
  assert.equal(commitmentOf('5a'.repeat(32), sample), health['commitment.sample']);
  assert.equal(commitmentOf('00'.repeat(32), ''), health['commitment.empty_record']);
  assert.notEqual(commitmentOf('5a'.repeat(32), `${sample} `), health['commitment.sample']);
});

test('a record page computes the key its path names (so Verify proves the record asked for)', async () => {
  const { expectedRecordKeyHex } = await import('../src/ui/pages.js');
  assert.equal(expectedRecordKeyHex('drugs', 'product/HK-51234'), drugs['key.product']);
  for (const p of ['batch/HK-51234/B2026-001', 'batch/HK-51234/B2026-001/custody', 'batch/HK-51234/B2026-001/custody/2', 'batch/HK-51234/B2026-001/recall']) {
    assert.equal(expectedRecordKeyHex('drugs', p), drugs['key.batch'], p);
  }
  assert.equal(expectedRecordKeyHex('environment', 'project/PP-001/2026'), env['key.project']);
  assert.equal(expectedRecordKeyHex('environment', 'project/PP-001/2026/comments/1'), env['key.project']);
  assert.equal(expectedRecordKeyHex('environment', 'permit/EP-001/2026/history'), env['key.permit']);
  assert.equal(expectedRecordKeyHex('environment', 'ticket/CWTT-2026-000201'), env['key.ticket']);
  assert.equal(expectedRecordKeyHex('health', `record/${'11'.repeat(32)}`), health['key.record']);
  assert.equal(expectedRecordKeyHex('health', `verify/${'c0'.repeat(32)}`), health['key.commitment']);
  assert.equal(expectedRecordKeyHex('drugs', 'batch/HK-51234/B 1'), null, 'not a batch number');
});

test('a governance proposal with its approvals and an epoch validator set decode', async () => {
  const sys = {};
  for (const line of readText('tests/contracts/system/golden/system_v1.txt').split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    const i = line.indexOf('=');
    sys[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  const p = describeRecord('system', fromHex(sys['key.proposal']), fromHex(sys['record.proposal']));
  assert.ok(p, 'proposal decodes');
  assert.match(p.title, /^Proposal 3: /);
  assert.match(row(p, 'Approvals'), /^IPD \(.*\); CR \(/);
  const v = describeRecord('system', fromHex(sys['key.epoch_validators']), fromHex(sys['record.epoch_validators']));
  assert.ok(v, 'epoch validators decode');
  assert.equal(v.title, 'Epoch 1: v1, v5');
  assert.equal(row(v, 'Decided'), 'at block 90');
  const bad = fromHex(sys['record.proposal']);
  assert.equal(describeRecord('system', fromHex(sys['key.proposal']), bad.slice(0, -1)), null);
  const { expectedRecordKeyHex } = await import('../src/ui/pages.js');
  assert.equal(expectedRecordKeyHex('system', 'proposal/258'), sys['key.proposal']);
  assert.equal(expectedRecordKeyHex('system', 'validators/3'), sys['key.epoch_validators']);
  assert.equal(expectedRecordKeyHex('system', 'proposal/18446744073709551616'), null);
});
