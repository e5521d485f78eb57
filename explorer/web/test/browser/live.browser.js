// The pages against a live local consortium and bauhinia-explorer: the demo
// consortium (scripts/demo.py, five validators, the sample registers) and the
// explorer following two of its nodes, then Debian's Chromium (headless):
// home, a trademark's ownership chain and a company's filings and officers
// verified in the browser, a drug batch's custody chain and recall, an EIA
// project, a flagged trip-ticket and a health attestation (with the holder's
// local check) verified, a transaction in plain words verified, tampered
// proofs and certificates failing with their reasons, the language switch.
// Needs BAUHINIA_NODE, BAUHINIA_TESTTX, BAUHINIA_EXPLORER_BIN (the ctest
// explorer_web_live sets them); a failing step keeps a screenshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot } from '../helpers.js';
import { accessibilityViolations } from './axe.js';

const CHROMIUM = process.env.BAUHINIA_CHROMIUM || '/usr/bin/chromium';
const dist = resolve(process.env.BAUHINIA_WEB_DIST || 'dist');
const bins = { node: process.env.BAUHINIA_NODE, testtx: process.env.BAUHINIA_TESTTX, explorer: process.env.BAUHINIA_EXPLORER_BIN };
let work, demo, explorer, base, context;
const logs = { demo: '', explorer: '' };

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function until(what, fn, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n--- demo ---\n${logs.demo.slice(-2000)}\n--- explorer ---\n${logs.explorer.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const getJson = async (path) => {
  const r = await fetch(base + path);
  return r.ok ? r.json() : null;
};

before(async () => {
  for (const [k, v] of Object.entries(bins)) assert.ok(v && existsSync(v), `the ${k} executable is missing (${v})`);
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing`);
  work = mkdtempSync(join(tmpdir(), 'bauhinia-web-live-'));
  demo = spawn('python3', [join(repoRoot, 'scripts/demo.py'), '--node', bins.node, '--testtx', bins.testtx, '--data-dir', join(work, 'demo'), '--fresh'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  demo.stdout.on('data', (d) => { logs.demo += d; });
  demo.stderr.on('data', (d) => { logs.demo += d; });
  const apis = await until('the demo consortium and its samples', async () => {
    const m = [...logs.demo.matchAll(/^\s+(IPD|CR)\s+(http:\/\/127\.0\.0\.1:\d+)/gm)].map((x) => x[2]);
    return m.length >= 2 ? m : null;
  }, 240000);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  explorer = spawn(bins.explorer, ['--genesis', join(work, 'demo', 'genesis.json'), '--node', apis[0], '--node', apis[1],
    '--data', join(work, 'explorer'), '--listen', `127.0.0.1:${port}`, '--web-root', dist], { stdio: ['ignore', 'pipe', 'pipe'] });
  explorer.stdout.on('data', (d) => { logs.explorer += d; });
  explorer.stderr.on('data', (d) => { logs.explorer += d; });
  await until('the explorer to serve the sample company', async () => {
    const a = await getJson('/api/records/company/company/3298741');
    return a && a.value_hex ? a : null;
  }, 120000);
  const userDir = join(work, 'chromium-profile');
  context = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await context?.close();
  const stop = (p) => p && p.exitCode === null && new Promise((r) => { p.once('exit', r); p.kill('SIGTERM'); setTimeout(() => { p.kill('SIGKILL'); r(); }, 30000); });
  await stop(explorer);
  await stop(demo);
  if (work) rmSync(work, { recursive: true, force: true });
});

async function withPage(name, fn) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1024, height: 800 });
  const external = [];
  page.on('request', (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
  try {
    await fn(page);
    assert.deepEqual(external, [], 'the page loaded something from elsewhere');
  } catch (e) {
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: join('test-results', `live_${name.replace(/\W+/g, '_')}.png`), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
}

async function verifyAll(page) {
  const buttons = page.getByRole('button', { name: 'Verify' });
  const n = await buttons.count();
  assert.ok(n >= 1, 'no Verify button');
  for (let i = 0; i < n; i++) await buttons.nth(i).click();
  await page.waitForFunction((k) => document.querySelectorAll('.verdict').length >= k, n, { timeout: 60000 });
  const verdicts = await page.locator('.verdict').allInnerTexts();
  for (const v of verdicts) assert.match(v, /^Verified at height \d+/, v);
  return n;
}

test('home: the certified checkpoint, latest blocks and the five validators', () => withPage('home', async (page) => {
  await page.goto(`${base}/#/`);
  await page.getByRole('heading', { name: 'Certified checkpoint' }).waitFor();
  for (const v of ['IPD', 'CR', 'DH', 'EPD', 'OGCIO']) await page.getByText(new RegExp(`^${v} — `)).first().waitFor();
  assert.ok(await page.locator('table tbody tr').count() >= 5);
}));

test('a trademark with its ownership chain, every record verified in the browser', () => withPage('trademark', async (page) => {
  await page.goto(`${base}/#/record/trademark/ownership/304477102`);
  await page.getByRole('heading', { name: /^304477102 / }).waitFor();
  await page.getByRole('heading', { name: /partial assignment: / }).first().waitFor();
  assert.ok(await verifyAll(page) >= 2);
}));

test('a company with its filings (late flag) and officers, verified', () => withPage('company', async (page) => {
  await page.goto(`${base}/#/record/company/company/3298741`);
  await page.getByRole('heading', { name: /^3298741 Lantern Harbour Logistics Limited/ }).waitFor();
  await page.getByRole('heading', { name: 'Filings' }).waitFor();
  await page.getByRole('heading', { name: /annual return \(NAR1\) — LATE/ }).first().waitFor();
  await page.getByRole('heading', { name: 'Directors and secretary' }).waitFor();
  assert.ok(await verifyAll(page) >= 3);
  assert.deepEqual(await accessibilityViolations(page), []);
}));

test('a drug batch: product, custody chain in order, recall and the holders it reached, verified', () => withPage('drug_batch', async (page) => {
  await page.goto(`${base}/#/record/drugs/batch/HK-51234/B2026-0147`);
  await page.getByRole('heading', { name: /^Batch B2026-0147 \(HK-51234\) — RECALLED/ }).waitFor();
  await page.getByRole('heading', { name: /^HK-51234 Harbourcillin Capsules 500mg/ }).waitFor();
  await page.getByRole('heading', { name: 'Custody chain' }).waitFor();
  // created → manufacturer 5000, then the four transfers of the demo, in order.
  const steps = await page.locator('#custody ~ ol h3').allInnerTexts();
  assert.deepEqual(steps.map((x) => x.replace(/,.*$/, '')), ['1. created: manufacturer', '2. transfer: manufacturer → wholesaler',
    '3. transfer: wholesaler → dispenser', '4. transfer: wholesaler → dispenser', '5. transfer: wholesaler → wholesaler']);
  await page.getByRole('heading', { name: /^Recall notices/ }).waitFor();
  assert.equal(await page.locator('#recall ~ ol h3').count(), 5, 'a notice to each of the five holders');
  await page.getByText('recalled / 已回收: class 2, retail level, quality defect').waitFor();
  assert.ok(await verifyAll(page) >= 12);
  assert.deepEqual(await accessibilityViolations(page), []);
}));

test('an EIA project: report versions with document hashes, inspection window, decision, permit history, verified', () => withPage('eia', async (page) => {
  const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
  await page.goto(`${base}/#/record/environment/project/PP-001/${year}`);
  await page.getByRole('heading', { name: new RegExp(`^PP-001/${year} `) }).waitFor();
  await page.getByRole('heading', { name: 'EIA report, version 2' }).waitFor();
  await page.getByRole('heading', { name: new RegExp(`^EP-001/${year} environmental permit`) }).waitFor();
  await page.getByRole('heading', { name: 'Environmental permit history' }).waitFor();
  await page.getByRole('heading', { name: /^1\. issued/ }).waitFor();
  assert.ok(await verifyAll(page) >= 4);
}));

test('a trip-ticket weighed light: custody steps and the weight flag, verified', () => withPage('ticket', async (page) => {
  await page.goto(`${base}/#/record/environment/ticket/CWTT-2026-004821`);
  await page.getByRole('heading', { name: /^CWTT-2026-004821 chemical waste trip-ticket — weight mismatch/ }).waitFor();
  for (const step of ['1. Issued by the producer', '2. Collected', '3. Received and weighed']) await page.getByText(new RegExp(`^${step.replace('.', '\\.')}`)).waitFor();
  assert.equal(await verifyAll(page), 1);
}));

test('a trip-ticket never received is flagged overdue; the new pages fit 360 px', () => withPage('overdue_360', async (page) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${base}/#/record/environment/ticket/CWTT-2026-004822`);
  await page.getByRole('heading', { name: /^CWTT-2026-004822 chemical waste trip-ticket — overdue/ }).waitFor();
  await page.getByText(/^3\. Received and weighed/).waitFor();
  await page.getByText(/^not yet, at /).waitFor();
  const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear();
  for (const [path, heading] of [['environment/ticket/CWTT-2026-004822', /^CWTT-2026-004822/], ['drugs/batch/HK-51234/B2026-0147', 'Custody chain'],
    [`environment/project/PP-001/${year}`, 'Environmental permit history']]) {
    await page.goto(`${base}/#/record/${path}`);
    await page.getByRole('heading', { name: heading }).first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path}: horizontal overflow of ${overflow}px at 360px`);
  }
}));

test('a health attestation shows only issuer, type, time and status; the holder checks it locally', () => withPage('health', async (page) => {
  const records = readFileSync(join(work, 'demo', 'health-sample-records.txt'), 'utf8').split('\n')
    .filter((l) => l.startsWith('record ')).map((l) => l.split(' '));
  const [, , id, , salt, commitment, textHex] = records.find((r) => r[1] === 'laboratory-a');
  await page.goto(`${base}/#/record/health/record/${id}`);
  await page.getByRole('heading', { name: /^laboratory result — issued by / }).waitFor();
  const keys = await page.locator('article.record dt').allInnerTexts();
  assert.deepEqual(keys.map((k) => k.split(' / ')[0]), ['Issuer', 'Type', 'Issued', 'Status']);
  assert.equal(await verifyAll(page), 1);
  const erased = records.find((r) => r[1] === 'vaccination-a');
  await page.goto(`${base}/#/record/health/record/${erased[2]}`);
  await page.getByText(/^valid \/ 有效; erased \/ 已刪除/).waitFor();
  // The local check: no request leaves the page while it computes.
  await page.goto(`${base}/#/record/health/record/${id}`);
  await page.locator('article.record a[href^="#/check/"]').click();
  await page.getByLabel('Record text (exactly as given)').waitFor();
  assert.equal(await page.getByLabel(/^Commitment on the register/).inputValue(), commitment);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.getByLabel('Record text (exactly as given)').fill(Buffer.from(textHex, 'hex').toString('utf8'));
  await page.getByLabel(/^Salt/).fill(salt);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await page.locator('.verdict[data-verdict="ok"]').waitFor();
  await page.getByLabel('Record text (exactly as given)').fill(`${Buffer.from(textHex, 'hex').toString('utf8')}.`);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await page.locator('.verdict[data-verdict="fail"]').waitFor();
  assert.deepEqual(requests, [], 'the check sent nothing');
}));

test('governance: the proposal with its approvals and the validator set of each epoch, verified', () => withPage('governance', async (page) => {
  await page.goto(`${base}/#/`);
  await page.getByRole('link', { name: /^Governance: proposals/ }).click();
  await page.getByRole('heading', { name: 'Proposals and their approvals' }).waitFor();
  await page.getByRole('heading', { name: 'Proposal 1: add a department' }).waitFor();
  await page.getByRole('heading', { name: 'The validator set of each epoch' }).waitFor();
  await page.getByRole('heading', { name: /^Epoch 0: IPD, CR, DH, EPD, OGCIO/ }).waitFor();
  assert.ok(await verifyAll(page) >= 2);
}));

test('a block and its transaction list verified; a transaction in plain words, verified', () => withPage('transaction', async (page) => {
  await page.goto(`${base}/#/block/5`);
  await page.getByRole('heading', { name: 'Block 5' }).waitFor();
  await verifyAll(page);
  assert.match(await page.locator('.verdict').innerText(), /block 5 \([0-9a-f]{64}\) is committed; its \d+ transactions are exactly the ones listed/);
  await page.locator('td a[href^="#/tx/"]').first().click();
  await page.getByRole('heading', { name: 'Transaction' }).waitFor();
  await page.getByText('Governance: appointed an officer to a role').waitFor();
  await verifyAll(page);
  assert.match(await page.locator('.verdict').innerText(), /outcome success, signed by key [0-9a-f]{16}… \(BIP-340 signature checked\)/);
}));

test('tampered proofs and certificates fail with their reasons', () => withPage('tampered', async (page) => {
  let mode = 'proof';
  await page.route('**/api/proof/state/**', async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    if (mode === 'proof') body.proof_hex = body.proof_hex.slice(0, 10) + (body.proof_hex[10] === '0' ? '1' : '0') + body.proof_hex.slice(11);
    if (mode === 'signature') {
      const q = body.certified.commit_certificate_hex;
      body.certified.commit_certificate_hex = q.slice(0, -4) + (q.at(-4) === '0' ? '1' : '0') + q.slice(-3);
    }
    if (mode === 'value') body.value_hex = `${body.value_hex}00`;
    await route.fulfill({ response: res, json: body });
  });
  await page.goto(`${base}/#/record/company/company/3298741`);
  const button = page.getByRole('button', { name: 'Verify' }).first();
  for (const [m, reason] of [['proof', 'bad_proof'], ['signature', 'bad_signature'], ['value', 'bad_proof']]) {
    mode = m;
    await button.click();
    await page.locator('.verdict[data-verdict="fail"] .reason').first().waitFor();
    assert.equal(await page.locator('.verdict .reason').first().innerText(), reason, m);
    assert.match(await page.locator('.verdict').first().innerText(), /Verification failed/);
  }
}));

test('the language switch on a live record', () => withPage('language', async (page) => {
  await page.goto(`${base}/#/record/trademark/ownership/304477102`);
  await page.getByRole('button', { name: '切換至繁體中文' }).click();
  await page.getByRole('button', { name: '核實' }).first().click();
  await page.getByText(/^已於高度 \d+ 核實$/).first().waitFor();
  await page.getByRole('button', { name: 'Switch to English' }).click();
}));
