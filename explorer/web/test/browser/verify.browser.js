// The pages in Debian's Chromium (headless) with playwright-core: a record
// page verifies in the browser ("Verified at height H"); a tampered proof or
// certificate (served through a route override) fails with its reason shown;
// the language switch, a 360 px viewport, keyboard-only use, and the local
// commitment check (no request sent). A failing step keeps a screenshot in
// test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { loadFixture, startServer } from './fixture_server.js';
import { readText } from '../helpers.js';
import { accessibilityViolations } from './axe.js';

const CHROMIUM = process.env.BAUHINIA_CHROMIUM || '/usr/bin/chromium';
const dist = resolve(process.env.BAUHINIA_WEB_DIST || 'dist');
let server, base, context, userDir;
const fixture = loadFixture();

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: scripts/install-deps.sh installs Debian's chromium`);
  assert.ok(existsSync(join(dist, 'app.js')), `${dist}/app.js is missing: node build.mjs first`);
  server = await startServer(dist, fixture);
  base = `http://127.0.0.1:${server.address().port}`;
  userDir = mkdtempSync(join(tmpdir(), 'bauhinia-chromium-'));
  context = await chromium.launchPersistentContext(userDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await context?.close();
  server?.close();
  if (userDir) rmSync(userDir, { recursive: true, force: true });
});

// A fresh page; on failure a screenshot named after the test.
async function withPage(name, fn, viewport = { width: 1024, height: 800 }) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const external = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(base)) external.push(r.url());
  });
  try {
    await fn(page);
    assert.deepEqual(external, [], 'the page loaded something from elsewhere');
  } catch (e) {
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: join('test-results', `${name.replace(/\W+/g, '_')}.png`), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
}

const verdictOf = (page) => page.locator('.verdict').first();

test('a record page verifies in the browser', () => withPage('record verifies', async (page) => {
  await page.goto(`${base}/#/record/trademark/303512345`);
  await page.getByRole('button', { name: 'Verify' }).first().click();
  const v = verdictOf(page);
  await v.waitFor();
  assert.equal(await v.getAttribute('data-verdict'), 'ok', await v.innerText());
  assert.match(await v.innerText(), new RegExp(`Verified at height ${fixture.height}`));
  assert.match(await v.innerText(), /epoch 2/);
}));

test('a proof of absence verifies; a transaction verifies', () => withPage('absence and transaction', async (page) => {
  await page.goto(`${base}/#/record/trademark/999999999`);
  await page.getByText('There is no such record on the register.').waitFor();
  await page.getByRole('button', { name: 'Verify' }).click();
  await verdictOf(page).waitFor();
  assert.match(await verdictOf(page).innerText(), /does not exist/);
  await page.goto(`${base}/#/tx/${fixture.tx.transaction_id}`);
  await page.getByText('Co-signed by').waitFor();
  assert.equal(await page.locator('ul.cosigners a').first().getAttribute('href'), `#/account/${'cd'.repeat(32)}`);
  await page.getByRole('button', { name: 'Verify' }).click();
  await verdictOf(page).waitFor();
  assert.match(await verdictOf(page).innerText(), /outcome failed_precondition/);
}));

test('the home page counts each register under the height it was read at', () => withPage('registers at a glance', async (page) => {
  await page.goto(`${base}/#/`);
  const card = page.locator('section.registers-glance');
  await card.getByText('Registers at a glance').first().waitFor();
  const text = await card.innerText();
  assert.match(text, /Trade marks\s+1,234\s+\d+/);
  assert.match(text, /EIA projects\s+not read yet/);
}));

test('a tampered state proof fails visibly with its reason', () => withPage('tampered proof', async (page) => {
  const original = fixture.routes[`/api/proof/state/trademark/${Buffer.from('303512345').toString('hex')}`];
  const p = original.proof_hex;
  const tampered = { ...original, proof_hex: p.slice(0, 10) + (p[10] === '0' ? '1' : '0') + p.slice(11) };
  await page.route('**/api/proof/state/**', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(tampered) }));
  await page.goto(`${base}/#/record/trademark/303512345`);
  await page.getByRole('button', { name: 'Verify' }).click();
  const v = verdictOf(page);
  await v.waitFor();
  assert.equal(await v.getAttribute('data-verdict'), 'fail');
  const text = await v.innerText();
  assert.match(text, /Verification failed/);
  assert.match(text, /bad_proof/);
  assert.match(text, /state proof: computed root/);
}));

test('a certificate below quorum and one of another chain fail with their reasons', () => withPage('tampered certificate', async (page) => {
  const key = `/api/proof/state/trademark/${Buffer.from('303512345').toString('hex')}`;
  const below = fixture.vectors.cases.find((c) => c.name.startsWith('signatures below quorum'));
  const other = fixture.vectors.cases.find((c) => c.name.startsWith('header of another chain (certificate'));
  let serve = below;
  await page.route(`**${key}`, (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...fixture.routes[key], certified: serve.certified }) }));
  await page.goto(`${base}/#/record/trademark/303512345`);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.locator('.verdict .reason').waitFor();
  assert.equal(await page.locator('.verdict .reason').innerText(), 'insufficient_power');
  serve = other;
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.locator('.verdict .reason', { hasText: 'invalid' }).waitFor();
  assert.match(await verdictOf(page).innerText(), /bauhinia-other-1/);
}));

test('the language switch shows Traditional Chinese and remembers it', () => withPage('language', async (page) => {
  await page.goto(`${base}/#/record/company/1234567`);
  await page.getByRole('button', { name: '切換至繁體中文' }).click();
  await page.getByRole('button', { name: '核實' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hant-HK');
  await page.reload();
  await page.getByRole('button', { name: '核實' }).click();
  await page.getByText(`已於高度 ${fixture.height} 核實`).waitFor();
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('button', { name: 'Verify' }).waitFor();
}));

test('usable at 360 px wide with the keyboard alone', () => withPage('360px keyboard', async (page) => {
  await page.goto(`${base}/#/record/trademark/303512345`);
  await page.getByRole('button', { name: 'Verify' }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at 360px`);
  let reached = false;
  for (let i = 0; i < 30 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.classList.contains('verify'));
  }
  assert.ok(reached, 'Verify is reachable with Tab');
  await page.keyboard.press('Enter');
  await verdictOf(page).waitFor();
  assert.equal(await verdictOf(page).getAttribute('data-verdict'), 'ok');
  // Every input has a label; the page has its landmarks.
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input')].filter((i) => !i.labels?.length).length);
  assert.equal(unlabelled, 0);
  for (const role of ['banner', 'main', 'contentinfo', 'search']) {
    assert.ok(await page.getByRole(role).count() >= 1, role);
  }
}, { width: 360, height: 740 }));

test('search finds a trademark by its number', () => withPage('search', async (page) => {
  await page.goto(`${base}/`);
  await page.getByLabel(/Search by register number/).fill('303512345');
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: /BAUHINIA/ }).click();
  await page.getByRole('button', { name: 'Verify' }).waitFor();
}));

test('the holder checks an identity number against its commitment locally', () => withPage('commitment', async (page) => {
  // tests/contracts/company/golden/company_v1.txt: salt 0x21 * 32, "A1234567".
  const golden = {};
  for (const line of readText('tests/contracts/company/golden/company_v1.txt').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) golden[line.slice(0, i)] = line.slice(i + 1);
  }
  await page.goto(`${base}/#/check/${golden.commitment}`);
  await page.getByLabel(/Full identity document number/).waitFor();
  let requests = 0;
  page.on('request', () => requests++);
  await page.getByLabel(/Full identity document number/).fill('A1234567');
  await page.getByLabel(/Salt/).fill('21'.repeat(32));
  await page.getByRole('button', { name: 'Check' }).click();
  await page.getByText('It matches').waitFor();
  await page.getByLabel(/Full identity document number/).fill('A1234568');
  await page.getByRole('button', { name: 'Check' }).click();
  await page.getByText('It does not match').waitFor();
  assert.equal(requests, 0, 'the check sent a request');
}));

test('a trademark with its assignment history, each verified', () => withPage('trademark ownership', async (page) => {
  await page.goto(`${base}/#/record/trademark/ownership/305918274`);
  await page.getByRole('heading', { name: /305918274 HARBOUR LANTERN/ }).waitFor();
  await page.getByRole('heading', { name: /partial assignment: Harbour Lantern Foods Limited → 九龍動力科技有限公司/ }).waitFor();
  const buttons = page.getByRole('button', { name: 'Verify' });
  assert.equal(await buttons.count(), 2);
  for (let i = 0; i < 2; i++) {
    await buttons.nth(i).click();
    await page.locator('.verdict[data-verdict="ok"]').nth(i).waitFor();
  }
  assert.match(await page.locator('.verdict').nth(1).innerText(), new RegExp(`Verified at height ${fixture.height}`));
}));

test('a company found by its Chinese name: filings with the late flag, officers, verified', () => withPage('company', async (page) => {
  await page.goto(`${base}/`);
  await page.getByLabel(/Search by register number/).fill('港燈物流');
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: /港燈物流有限公司/ }).click();
  await page.getByRole('heading', { name: /3298741 Lantern Harbour Logistics Limited/ }).waitFor();
  await page.getByRole('heading', { name: /annual return \(NAR1\) — LATE/ }).waitFor();
  await page.getByRole('heading', { name: /Director \/ 董事: CHAN Tai Man/ }).waitFor();
  await page.getByText('A123***(*)').waitFor();
  const buttons = page.getByRole('button', { name: 'Verify' });
  assert.equal(await buttons.count(), 3);
  await buttons.nth(1).click();
  await page.locator('.verdict[data-verdict="ok"]').first().waitFor();
  // The officer's commitment opens in the local check, prefilled.
  await page.getByRole('link', { name: 'Check my record' }).last().click();
  await page.getByLabel(/Full identity document number/).fill('A1234567');
  await page.getByLabel(/Salt/).fill('21'.repeat(32));
  await page.getByRole('button', { name: 'Check' }).click();
  await page.getByText('It matches').waitFor();
}));

test('an answer about another record than the one asked for is refused', () => withPage('other record', async (page) => {
  const key = '/api/records/trademark/ownership/305918274';
  await page.route(`**${key}`, (route) => route.fulfill({ contentType: 'application/json',
    body: JSON.stringify({ ...fixture.routes[key], record_key_hex: '01' + Buffer.from('305918275').toString('hex') }) }));
  await page.goto(`${base}/#/record/trademark/ownership/305918274`);
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /answered about record .* not 01333035393138323734/);
  assert.equal(await page.getByRole('button', { name: 'Verify' }).count(), 0);
}));

test('an account page lists its transactions with server paging', () => withPage('account', async (page) => {
  await page.goto(`${base}/#/account/hktest1account`);
  await page.getByText('Trade Marks Registry (Intellectual Property Department): recorded an assignment of a trade mark').waitFor();
  await page.getByRole('link', { name: 'More' }).click();
  await page.getByText('This account has signed or co-signed no transactions.').waitFor();
}));

test('automated accessibility check (axe-core, WCAG 2.1 AA) of every kind of page, in both languages', () => withPage('axe', async (page) => {
  for (const lang of ['en', 'zh-Hant']) {
    await page.goto(`${base}/`);
    await page.evaluate((l) => localStorage.setItem('bauhinia-explorer-lang', l), lang);
    for (const route of ['#/', '#/record/trademark/ownership/305918274', '#/record/company/company/3298741',
      `#/tx/${fixture.tx.transaction_id}`, '#/search?q=303512345', '#/check', '#/account/hktest1account', '#/data']) {
      await page.goto(`${base}/${route}`);
      await page.locator('h1').first().waitFor();
      const verify = page.locator('button.verify').first();
      if (await verify.count()) {
        await verify.click();
        await page.locator('.verdict').first().waitFor();
      }
      const violations = await accessibilityViolations(page);
      assert.deepEqual(violations, [], `${lang} ${route}`);
    }
  }
  // The check itself can fail: an unlabelled input is reported.
  await page.evaluate(() => document.querySelector('main').append(document.createElement('input')));
  assert.ok((await accessibilityViolations(page)).some((v) => v.startsWith('label:')));
}));
