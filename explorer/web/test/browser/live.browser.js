// The pages against a live local consortium and bauhinia-explorer: the demo
// consortium (scripts/demo.py, five validators, the sample registers) and the
// explorer following two of its nodes, then Debian's Chromium (headless):
// home, a trademark's ownership chain and a company's filings and officers
// verified in the browser, a drug batch's custody chain and recall, an EIA
// project, a flagged trip-ticket and a health attestation (with the holder's
// local check) verified, a transaction in plain words verified, tampered
// proofs and certificates failing with their reasons, the language switch,
// the registers at a glance (drug batches and health attestations counted),
// an account's activity listing what it co-signed, and the open data exports
// downloaded, stamped with their certified height and checked against it.
// Needs BAUHINIA_NODE, BAUHINIA_TESTTX, BAUHINIA_EXPLORER_BIN (the ctest
// explorer_web_live sets them); a failing step keeps a screenshot.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
  // Every click ends in a verdict, ok or failed (requests are bounded by
  // api.js's timeout); on a wait that still expires, say what was on the page.
  try {
    await page.waitForFunction((k) => document.querySelectorAll('.verdict').length >= k, n, { timeout: 90000 });
  } catch (e) {
    const state = await page.evaluate(() => ({
      buttons: [...document.querySelectorAll('button.verify')].map((b) => b.disabled ? 'running' : 'idle'),
      results: [...document.querySelectorAll('.verify-result')].map((r) => r.innerText.slice(0, 120)),
    }));
    throw new Error(`${n} Verify clicked, verdicts missing: ${JSON.stringify(state)}\n${e.message}`);
  }
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

test('home: registers at a glance count drug batches and health attestations', () => withPage('glance', async (page) => {
  await page.goto(`${base}/#/`);
  await page.getByRole('heading', { name: 'Registers at a glance' }).waitFor();
  for (const name of ['Drug batches released', 'Health record attestations issued']) {
    const row = page.locator('.registers-glance tr', { hasText: name });
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    assert.match(cells[1], /^[1-9][\d,]*$/, `${name}: ${cells}`);
    assert.match(cells[2], /^\d+$/, `${name}: ${cells}`);
  }
  await page.getByText(/counted from the verified transactions that create them/).waitFor();
  await page.getByRole('button', { name: '切換至繁體中文' }).click();
  await page.locator('.registers-glance tr', { hasText: '已放行藥物批次' }).waitFor();
  await page.locator('.registers-glance tr', { hasText: '已簽發健康紀錄證明' }).waitFor();
  await page.getByRole('button', { name: 'Switch to English' }).click();
}));

// The co-signed custody transfers of the demo: the receiving account lists
// each as its activity, as co-signer, though it did not send it.
async function cosignedTransfer() {
  const status = await getJson('/api/status');
  for (let from = status.indexed_height; from != null;) {
    const page = await getJson(`/api/blocks?limit=100&from=${from}`);
    for (const b of page.blocks) {
      if (b.transaction_count === 0) continue;
      const block = await getJson(`/api/blocks/${b.height}`);
      for (const x of block.transactions) {
        if (x.module !== 'drugs' || x.call !== 'transfer' || x.outcome !== 'success') continue;
        const tx = await getJson(`/api/tx/${x.id}`);
        const other = tx.cosigners.map((c) => c.account).find((a) => a !== tx.sender);
        if (other) return { tx, cosigner: other };
      }
    }
    from = page.next_from;
  }
  return null;
}

test('an account lists the transactions it co-signed', () => withPage('cosigner', async (page) => {
  const found = await cosignedTransfer();
  assert.ok(found, 'the demo has a custody transfer co-signed by its receiver');
  const activity = await getJson(`/api/accounts/${found.cosigner}?limit=100`);
  const row = activity.transactions.find((x) => x.id === found.tx.id);
  assert.ok(row, 'the co-signer\'s activity holds the transfer');
  assert.equal(row.role, 'cosigner');
  await page.goto(`${base}/#/tx/${found.tx.id}`);
  await page.locator(`.cosigners a[href="#/account/${found.cosigner}"]`).click();
  await page.getByRole('heading', { name: 'Account' }).waitFor();
  const tr = page.locator('tr', { has: page.locator(`a[href="#/tx/${found.tx.id}"]`) });
  await tr.waitFor();
  assert.match(await tr.innerText(), /supply of a batch[\s\S]*co-signer/);
}));

async function download(page, link) {
  const [d] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return readFile(await d.path(), 'utf8');
}

test('open data: each export downloaded, stamped with its certified height, and checked against it', () => withPage('exports', async (page) => {
  const registers = await until('the trademark register to be read', async () => {
    const r = await getJson('/api/registers');
    const row = r?.registers.find((x) => x.register === 'trademarks');
    return row && row.count > 0 ? r : null;
  }, 120000);
  const row = registers.registers.find((x) => x.register === 'trademarks');
  await page.goto(`${base}/#/`);
  await page.getByRole('link', { name: 'Open data' }).click();
  await page.getByRole('heading', { name: 'Open data: the public registers' }).waitFor();
  const section = page.locator('section.export', { has: page.getByRole('heading', { name: 'Trade marks', exact: true }) });
  // The page states the height the register was read at; each download carries it.
  let height = Number(await section.locator('dd a[href^="#/block/"]').innerText());
  assert.ok(height >= row.certified_height, `page ${height}, api ${row.certified_height}`);
  const csv = await download(page, section.getByRole('link', { name: 'Download Trade marks as CSV' }));
  const stamp = csv.split('\r\n')[0].match(/^# register=trademarks certified_height=(\d+) block_id=([0-9a-f]{64}) state_root=[0-9a-f]{64}$/);
  assert.ok(stamp, csv.slice(0, 200));
  height = Number(stamp[1]);
  const blockId = stamp[2];
  assert.match(csv.split('\r\n')[1], /^number,text_en,text_zh,status,/);
  assert.match(csv, /\r\n304477102,/);
  const json = JSON.parse(await download(page, section.getByRole('link', { name: 'Download Trade marks as JSON' })));
  assert.equal(json.certified_height, height);
  assert.equal(json.block_id, blockId);
  const mark = json.records.find((r) => r.number === '304477102');
  assert.ok(mark, 'the sample mark is in the JSON export');
  assert.equal(mark.record_key_hex, `01${Buffer.from('304477102').toString('hex')}`);
  const xml = await download(page, section.getByRole('link', { name: 'Download Trade marks as XML' }));
  assert.ok(xml.includes(`<register name="trademarks" module="trademark" certified_height="${height}" block_id="${blockId}"`), xml.slice(0, 300));
  assert.match(xml, /304477102/);
  assert.deepEqual(await accessibilityViolations(page), []);
  // The certified height's block is the one the export names (the block page verifies it).
  const block = await getJson(`/api/blocks/${height}`);
  assert.equal(block.block_id, blockId);

  // Checked in the browser: rows proven in the state of exactly that block.
  await section.getByRole('button', { name: 'Check this export against its block' }).click();
  await section.locator('.verdict').waitFor({ timeout: 60000 });
  assert.match(await section.locator('.verdict').innerText(), new RegExp(`^\\d+ rows of this export proven in the state of block ${height}`));
  for (const name of ['Companies', 'Chemical waste trip-tickets', 'Drug batch recalls']) {
    const other = page.locator('section.export', { has: page.getByRole('heading', { name, exact: true }) });
    await other.getByRole('button', { name: 'Check this export against its block' }).click();
    await other.locator('.verdict[data-verdict="ok"]').waitFor({ timeout: 60000 });
  }

  // An export whose stamp or rows were altered fails the check, naming why.
  let mode = 'block';
  await page.route('**/api/export/trademarks.json', async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    if (mode === 'block') body.block_id = body.block_id.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    if (mode === 'height') body.certified_height -= 1;
    if (mode === 'row') body.records[0].number = '399999999';
    await route.fulfill({ response: res, json: body });
  });
  // (One block earlier, a row is either in another block's state or not yet on the register.)
  for (const [m, reasons] of [['block', ['wrong_height']], ['height', ['wrong_height', 'not_on_register']], ['row', ['bad_row']]]) {
    mode = m;
    await section.getByRole('button', { name: 'Check this export against its block' }).click();
    await section.locator('.verdict[data-verdict="fail"] .reason').waitFor({ timeout: 60000 });
    const reason = await section.locator('.verdict .reason').innerText();
    assert.ok(reasons.includes(reason), `${m}: ${reason}`);
  }
}));
