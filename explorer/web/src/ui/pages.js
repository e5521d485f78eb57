// The pages. Each renders into <main> from the explorer's JSON API; every
// record and transaction page carries a Verify button (verify_ui.js).
import { fromHex, toHex } from '../verify/bytes.js';
import { Tag, taggedHash } from '../verify/hash.js';
import { api } from './api.js';
import { errorBox, h, shortHash, summary, table } from './dom.js';
import { accountRole, cosignerAccounts, registerGlanceRows } from './glance.js';
import { currentLang, formatTime, t } from './i18n.js';
import { describeRecord } from './records.js';
import { verifyButton } from './verify_ui.js';

const CALLS = {
  'trademark.file': ['filed a trade mark application', '提交商標註冊申請'],
  'trademark.examine': ['examined a trade mark application', '審查商標註冊申請'],
  'trademark.accept': ['accepted a trade mark application', '接納商標註冊申請'],
  'trademark.publish': ['published a trade mark application for opposition', '公布商標註冊申請以供異議'],
  'trademark.register': ['entered a trade mark on the register', '把商標記入註冊紀錄冊'],
  'trademark.assign': ['recorded an assignment of a trade mark', '登記商標轉讓'],
  'trademark.record_licence': ['recorded a licence of a trade mark', '登記商標特許'],
  'trademark.renew': ['renewed a trade mark registration', '續期商標註冊'],
  'trademark.register_existing': ['took over a trade mark from the legacy register', '由舊登記冊接收商標'],
  'company.incorporate': ['incorporated a company', '成立公司'],
  'company.register_existing': ['took over a company from the legacy register', '由舊登記冊接收公司'],
  'company.annual_return': ['delivered an annual return', '交付周年申報表'],
  'company.change_name': ['recorded a change of company name', '登記更改公司名稱'],
  'company.change_office': ['recorded a change of registered office', '登記更改註冊辦事處'],
  'company.change_officers': ['recorded a change of directors or secretary', '登記董事或秘書變更'],
  'anchor.anchor': ['anchored a document', '存證一份文件'],
  'system.grant_role': ['appointed an officer to a role', '委任人員擔任職務'],
  'system.propose': ['made a governance proposal', '提出管治建議'],
  'system.approve': ['approved a governance proposal', '批准管治建議'],
  'accounts.ping': ['sent a test message', '發出測試訊息'],
  'drugs.register_product': ['registered a pharmaceutical product', '登記藥劑製品'],
  'drugs.create_batch': ['released a batch of a pharmaceutical product', '放行一批藥劑製品'],
  'drugs.transfer': ['recorded a supply of a batch (signed by both sides)', '登記一批藥物的供應（雙方簽署）'],
  'drugs.recall': ['recalled a batch', '回收一批藥物'],
  'drugs.acknowledge_recall': ['acknowledged a recall notice', '確認回收通知'],
  'drugs.return_recalled': ['returned recalled stock up the supply chain', '把回收貨品退回供應鏈上游'],
  'environment.submit_profile': ['submitted a project profile for environmental impact assessment', '提交環境影響評估工程項目簡介'],
  'environment.issue_study_brief': ['issued an EIA study brief', '發出環評研究概要'],
  'environment.submit_report': ['submitted an EIA report', '提交環評報告'],
  'environment.open_inspection': ['opened an EIA report for public inspection', '公開環評報告供公眾查閱'],
  'environment.comment': ['commented on an EIA report', '就環評報告提出意見'],
  'environment.decide': ['decided on an EIA report', '就環評報告作出決定'],
  'environment.issue_permit': ['issued an environmental permit', '發出環境許可證'],
  'environment.vary_permit': ['varied an environmental permit', '更改環境許可證'],
  'environment.transfer_permit': ['transferred an environmental permit', '轉讓環境許可證'],
  'environment.surrender_permit': ['surrendered an environmental permit', '交回環境許可證'],
  'environment.cancel_permit': ['cancelled an environmental permit', '取消環境許可證'],
  'environment.submit_em_a': ['submitted an environmental monitoring and audit report', '提交環境監察及審核報告'],
  'environment.issue_ticket': ['issued a chemical waste trip-ticket', '發出化學廢物運載記錄'],
  'environment.record_collection': ['recorded the collection of chemical waste', '登記收集化學廢物'],
  'environment.record_receipt': ['recorded the receipt of chemical waste', '登記接收化學廢物'],
  'environment.flag_overdue': ['flagged a trip-ticket as overdue', '把運載記錄標記為逾期'],
  'health.issue': ['issued a health record attestation', '簽發健康紀錄證明'],
  'health.revoke': ['revoked a health record attestation', '撤銷健康紀錄證明'],
  'health.erase': ['erased a health record', '刪除健康紀錄'],
};

function callInWords(module, call) {
  const w = CALLS[`${module}.${call}`];
  const moduleName = t(`module.${module}`) === `module.${module}` ? module : t(`module.${module}`);
  if (w) return `${moduleName}: ${currentLang() === 'en' ? w[0] : w[1]}`;
  return `${moduleName}: ${call.replaceAll('_', ' ')}`;
}

function outcomeInWords(o) {
  return o === 'success' ? t('outcome.success') : t('outcome.other', { r: String(o).replaceAll('_', ' ') });
}

export async function homePage(main) {
  // The register counts are a side card: the page stands without them.
  const [status, blocks, registers] = await Promise.all([api('/api/status'), api('/api/blocks?limit=10'), api('/api/registers').catch(() => null)]);
  const c = status.certified;
  main.replaceChildren(
    h('h1', {}, t('home.title')),
    h('section', { 'aria-labelledby': 'cp' }, h('h2', { id: 'cp' }, t('home.checkpoint')),
      summary([
        [t('height'), h('a', { href: `#/block/${c.height}` }, String(c.height))],
        [t('home.signers'), (c.signers ?? []).join(', ')],
        [t('epoch'), String(c.epoch)],
        [t('time'), formatTime(c.timestamp_ms)],
        [t('block.id'), shortHash(c.block_id)],
        ['Chain / 鏈', status.chain_id],
      ])),
    registersCard(registers),
    h('section', { 'aria-labelledby': 'lb' }, h('h2', { id: 'lb' }, t('home.latest')),
      table(t('home.latest'), [t('height'), t('time'), t('transactions'), t('block.id')],
        blocks.blocks.map((b) => [h('a', { href: `#/block/${b.height}` }, String(b.height)), formatTime(b.timestamp_ms), String(b.transaction_count), shortHash(b.block_id)]))),
    h('section', { 'aria-labelledby': 'vs' }, h('h2', { id: 'vs' }, t('home.validators')),
      h('ul', { class: 'plain' }, status.validator_set.validators.map((v) => h('li', {}, `${v.name} — ${v.voting_power}`, ' ', shortHash(v.key)))),
      h('p', {}, h('a', { href: '#/governance' }, t('gov.title')))),
    h('section', { 'aria-labelledby': 'nd' }, h('h2', { id: 'nd' }, t('home.nodes')),
      h('ul', { class: 'plain' }, status.nodes.map((n) => h('li', {}, `${n.url}: ${n.state}${n.reason ? ` (${n.reason})` : ''}`)))),
  );
}

function registersCard(answer) {
  const rows = registerGlanceRows(answer);
  return h('section', { 'aria-labelledby': 'rg', class: 'registers-glance' }, h('h2', { id: 'rg' }, t('home.registers')),
    rows.length === 0
      ? h('p', {}, t('home.registers.unavailable'))
      : table(t('home.registers'), [t('home.registers.register'), t('home.registers.count'), t('home.registers.height')],
        rows.map((r) => [t(`register.${r.register}`), r.count == null ? t('home.registers.notyet') : r.count.toLocaleString('en'),
          r.height == null ? '' : h('a', { href: `#/block/${r.height}` }, String(r.height))])),
    rows.some((r) => r.register === 'drug-batches' || r.register === 'health-attestations') ? h('p', { class: 'meta' }, t('home.registers.counted')) : null);
}

export async function blockPage(main, height) {
  const b = await api(`/api/blocks/${encodeURIComponent(height)}`);
  main.replaceChildren(
    h('h1', {}, t('block.title', { h: b.height })),
    summary([
      [t('time'), formatTime(b.timestamp_ms)],
      [t('epoch'), String(b.epoch)],
      [t('block.id'), shortHash(b.block_id)],
      [t('proposer'), shortHash(b.proposer)],
      ['State root', shortHash(b.state_root)],
    ]),
    verifyButton({ kind: 'block', height: b.height }),
    b.transactions.length === 0
      ? h('p', {}, t('block.none'))
      : table(t('transactions'), [t('tx.call'), t('tx.outcome'), 'Id'],
        b.transactions.map((x) => [callInWords(x.module, x.call), outcomeInWords(x.outcome), shortHash(x.id, `#/tx/${x.id}`)])),
  );
}

export async function txPage(main, id) {
  const x = await api(`/api/tx/${encodeURIComponent(id)}`);
  const cosigners = cosignerAccounts(x);
  main.replaceChildren(
    h('h1', {}, t('tx.title')),
    h('p', { class: 'lede' }, callInWords(x.module, x.call)),
    summary([
      [t('tx.outcome'), outcomeInWords(x.outcome)],
      [t('tx.sender'), x.sender_address ?? shortHash(x.sender)],
      cosigners.length ? [t('tx.cosigners'), h('ul', { class: 'plain cosigners' }, cosigners.map((a) => h('li', {}, shortHash(a, `#/account/${a}`))))] : null,
      ['', t('tx.recorded', { h: x.height, t: formatTime(x.timestamp_ms) })],
    ]),
    verifyButton({ kind: 'transaction', id: x.id }),
    h('details', {}, h('summary', {}, t('tx.technical')),
      summary([
        ['Id', shortHash(x.id)],
        ['Module / call', `${x.module} / ${x.call}`],
        ['Sequence', String(x.sequence)],
        [t('height'), h('a', { href: `#/block/${x.height}` }, String(x.height))],
        ['Payload', h('code', { class: 'wrap' }, x.payload_hex)],
      ])),
  );
}

function keyLabel(keyHex) {
  const b = fromHex(keyHex);
  const text = new TextDecoder().decode(b.slice(1));
  return /^[\x20-\x7e]*$/.test(text) ? `${b[0].toString(16).padStart(2, '0')} ${text}` : keyHex;
}

function recordView(rec, headingLevel = 'h2') {
  const key = fromHex(rec.record_key_hex);
  const value = rec.value_hex == null ? null : fromHex(rec.value_hex);
  const d = describeRecord(rec.module, key, value);
  const parts = [];
  if (value === null) parts.push(h('p', {}, t('record.absent')));
  else if (d) parts.push(h(headingLevel, {}, d.title), summary(d.rows.map(([k, v]) => [k, v])));
  // A health register value not shown in plain words is not shown at all: the
  // public page says only issuer, type, time and status (docs/contracts/health.md).
  else if (rec.module !== 'health') parts.push(h('details', {}, h('summary', {}, t('record.value')), h('code', { class: 'wrap' }, rec.value_hex)));
  if (d && d.tx) parts.push(h('p', {}, h('a', { href: `#/tx/${d.tx}` }, t('tx.title'))));
  if (d && d.commitment) parts.push(h('p', {}, h('a', { href: `#/check/${d.commitment}${d.checkKind ? `?kind=${d.checkKind}` : ''}` }, t('nav.check'))));
  parts.push(h('p', { class: 'meta' }, `${rec.module} · ${keyLabel(rec.record_key_hex)}`));
  parts.push(verifyButton({ kind: 'record', module: rec.module, keyHex: rec.record_key_hex }));
  return h('article', { class: `record${d && (d.late || d.alert) ? ' late' : ''}` }, parts);
}

const recordsPath = (module, path) =>
  `/api/records/${encodeURIComponent(module)}/${path.split('/').map(encodeURIComponent).join('/')}`;

// The next page of a paged list (lists paginate on the server: `next_page`).
function nextPageLink(module, path, nextPage) {
  if (nextPage == null) return null;
  const base = path.replace(/\/\d+$/, '');
  return h('p', {}, h('a', { href: `#/record/${module}/${base}/${nextPage}` }, t('more')));
}

function relatedSection(id, title, records, more = null) {
  if (!records.length) return null;
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title),
    h('ol', { class: 'records' }, records.map((r) => h('li', {}, recordView(r, 'h3')))), more);
}

// The record key a query path names, for the paths whose key the page can
// compute itself (trademark 01‖number, company 01‖number without leading
// zeros): Verify then proves the record that was asked for, not merely the
// one the explorer answered with.
export function expectedRecordKeyHex(module, path) {
  const hexOf = (s) => toHex(new TextEncoder().encode(s));
  let m = module === 'trademark' && path.match(/^(?:mark|history|ownership)\/([0-9A-Za-z]+)(?:\/\d+)?$/);
  if (m) return `01${hexOf(m[1])}`;
  m = module === 'company' && path.match(/^company\/0*([0-9A-Za-z]+)$/);
  if (m) return `01${hexOf(m[1])}`;
  return registerRecordKeyHex(module, path);
}

// The same for the drugs, environment and health registers (record keys:
// docs/contracts/{drugs,environment,health}.md, "For developers").
function registerRecordKeyHex(module, path) {
  const hexOf = (s) => toHex(new TextEncoder().encode(s));
  let m = module === 'drugs' && path.match(/^product\/(HK-\d{5})(?:\/batches(?:\/\d+)?)?$/);
  if (m) return `01${hexOf(m[1])}`;
  m = module === 'drugs' && path.match(/^batch\/(HK-\d{5})\/([A-Za-z0-9-]{1,20})(?:\/(?:custody|holders|recall)(?:\/\d+)?)?$/);
  if (m) return `02${hexOf(m[1])}${m[2].length.toString(16).padStart(2, '0')}${hexOf(m[2])}`;
  m = module === 'environment' && path.match(/^project\/(PP-\d+\/\d{4})(?:\/comments(?:\/\d+)?)?$/);
  if (m) return `01${hexOf(m[1])}`;
  m = module === 'environment' && path.match(/^permit\/(EP-\d+\/\d{4})(?:\/(?:history|submissions)(?:\/\d+)?)?$/);
  if (m) return `04${hexOf(m[1])}`;
  m = module === 'environment' && path.match(/^ticket\/([A-Z0-9-]{1,24})$/);
  if (m) return `10${hexOf(m[1])}`;
  m = module === 'health' && path.match(/^record\/([0-9a-f]{64})$/);
  if (m) return `01${m[1]}`;
  m = module === 'health' && path.match(/^verify\/([0-9a-f]{64})$/);
  if (m) return `02${m[1]}`;
  const u64be = (d) => BigInt(d).toString(16).padStart(16, '0');
  m = module === 'system' && path.match(/^proposal\/(\d{1,19})$/);
  if (m && BigInt(m[1]) < 2n ** 64n) return `07${u64be(m[1])}`;
  m = module === 'system' && path.match(/^validators\/(\d{1,19})$/);
  if (m && BigInt(m[1]) < 2n ** 64n) return `06${u64be(m[1])}`;
  return null;
}

// The lists a record page adds below the record (each entry with its own
// proof): [query path, section id, title, whether the answer's own record is
// the one to show (a single record) rather than its list].
function moreSections(module, path, d) {
  let m = module === 'drugs' && path.match(/^batch\/([^/]+)\/([^/]+)$/);
  if (m) {
    return [
      [`product/${m[1]}`, 'product', t('record.product'), true],
      [`batch/${m[1]}/${m[2]}/custody`, 'custody', t('record.custody'), false],
      d && d.recalled ? [`batch/${m[1]}/${m[2]}/recall`, 'recall', t('record.recall'), false] : null,
    ].filter(Boolean);
  }
  m = module === 'environment' && path.match(/^project\/([^/]+\/\d{4})$/);
  if (m) {
    return [
      [`project/${m[1]}/comments`, 'comments', t('record.comments'), false],
      d && d.permit ? [`permit/${d.permit}/history`, 'permit-history', t('record.permit_history'), false] : null,
    ].filter(Boolean);
  }
  return [];
}

export async function recordPage(main, module, path) {
  const answer = await api(recordsPath(module, path));
  const expected = expectedRecordKeyHex(module, path);
  if (expected && answer.record_key_hex !== expected) {
    main.replaceChildren(errorBox(`the explorer answered about record ${answer.record_key_hex}, not ${expected} that this page asked for`));
    return;
  }
  const shown = answer.value_hex == null ? null : describeRecord(module, fromHex(answer.record_key_hex), fromHex(answer.value_hex));
  const parts = [
    h('h1', {}, t(`module.${module}`) === `module.${module}` ? t('record.title') : t(`module.${module}`)),
    recordView(answer, 'h2'),
    relatedSection('rel', t('record.related'), answer.records ?? [], nextPageLink(module, path, answer.next_page)),
  ];
  // A company page also shows its filings (with late flags) and its officers
  // as the public register shows them, each record with its own proof.
  const company = module === 'company' && path.match(/^company\/([^/]+)$/);
  if (company) {
    for (const [list, id, title] of [['filings', 'filings', t('record.filings')], ['officers', 'officers', t('record.officers')]]) {
      try {
        const page = await api(recordsPath('company', `${list}/${company[1]}`));
        parts.push(relatedSection(id, title, page.records ?? [], nextPageLink('company', `${list}/${company[1]}`, page.next_page)));
      } catch (e) {
        parts.push(errorBox(`${title}: ${e.code ?? ''} ${e.message}`));
      }
    }
  }
  for (const [list, id, title, single] of moreSections(module, path, shown)) {
    try {
      const page = await api(recordsPath(module, list));
      parts.push(single
        ? h('section', { 'aria-labelledby': id }, h('h2', { id }, title), recordView(page, 'h3'))
        : relatedSection(id, title, page.records ?? [], nextPageLink(module, list, page.next_page)));
    } catch (e) {
      parts.push(errorBox(`${title}: ${e.code ?? ''} ${e.message}`));
    }
  }
  main.replaceChildren(...parts.filter(Boolean));
}

// Governance: the proposals with their approvals (paged by the server) and
// the validator set of every epoch, newest first; each record with its proof.
const MAX_EPOCHS_SHOWN = 50;
export async function governancePage(main, page) {
  const path = page ? `proposals/${page}` : 'proposals';
  const [status, proposals] = await Promise.all([api('/api/status'), api(recordsPath('system', path))]);
  const current = Number(status.validator_set.epoch);
  const epochs = [];
  for (let e = current; e >= 0 && epochs.length < MAX_EPOCHS_SHOWN; e--) epochs.push(e);
  const sets = await Promise.all(epochs.map((e) => api(recordsPath('system', `validators/${e}`)).catch((err) => ({ error: err, epoch: e }))));
  const more = proposals.next_page == null ? null : h('p', {}, h('a', { href: `#/governance/${proposals.next_page}` }, t('more')));
  main.replaceChildren(...[
    h('h1', {}, t('gov.title')),
    relatedSection('proposals', t('gov.proposals'), proposals.records ?? [], more) ?? h('p', {}, t('gov.none')),
    h('section', { 'aria-labelledby': 'sets' }, h('h2', { id: 'sets' }, t('gov.sets')),
      h('ol', { class: 'records' }, sets.map((a) => h('li', {}, a.error ? errorBox(`${a.epoch}: ${a.error.code ?? ''} ${a.error.message}`) : recordView(a, 'h3'))))),
  ].filter(Boolean));
}

export async function searchPage(main, q) {
  const res = await api(`/api/search?q=${encodeURIComponent(q)}`);
  const link = (r) => {
    if (r.kind === 'record') return h('a', { href: `#/record/${r.path}` }, `${r.label ?? r.key} (${t(`module.${r.module}`)})`);
    if (r.kind === 'block') return h('a', { href: `#/block/${r.height}` }, t('block.title', { h: r.height }));
    if (r.kind === 'transaction') return h('a', { href: `#/tx/${r.id}` }, `${t('tx.title')} ${r.id.slice(0, 12)}…`);
    if (r.kind === 'account') return h('a', { href: `#/account/${r.address}` }, r.address);
    return String(r.kind);
  };
  main.replaceChildren(
    h('h1', {}, t('search.results', { q })),
    res.results.length ? h('ul', { class: 'results' }, res.results.map((r) => h('li', {}, link(r)))) : h('p', {}, t('search.none', { q })),
  );
}

// The holder's local check (docs/contracts/company.md): commitment =
// tagged_hash("bauhinia/commitment", salt (32 bytes) || value (UTF-8)).
// Computed here; no request is made.
export function commitmentOf(saltHex, value) {
  const salt = fromHex(saltHex, 'salt');
  if (salt.length !== 32) throw new Error('salt');
  const v = new TextEncoder().encode(value);
  const m = new Uint8Array(32 + v.length);
  m.set(salt);
  m.set(v, 32);
  return toHex(taggedHash(Tag.commitment, m));
}

export function checkPage(main, commitment = '', kind = null) {
  const k = (key) => (kind === 'health' && t(`check.health.${key}`) !== `check.health.${key}` ? t(`check.health.${key}`) : t(`check.${key}`));
  const out = h('div', { role: 'status', 'aria-live': 'polite' });
  const field = (id, label, value = '') => h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, name: id, value, autocomplete: 'off', spellcheck: 'false' }));
  const form = h('form', { class: 'check' },
    kind === 'health'
      ? h('div', { class: 'field' }, h('label', { for: 'value' }, k('value')), h('textarea', { id: 'value', name: 'value', rows: 4, autocomplete: 'off', spellcheck: 'false' }))
      : field('value', k('value')),
    field('salt', t('check.salt')), field('commitment', t('check.commitment'), commitment),
    h('button', { type: 'submit' }, t('check.go')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // A health record's text is committed byte for byte: taken exactly as entered.
    const raw = form.querySelector('#value').value;
    const value = kind === 'health' ? raw : raw.trim();
    const salt = form.querySelector('#salt').value.trim().toLowerCase();
    const want = form.querySelector('#commitment').value.trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(salt) || !/^[0-9a-f]{64}$/.test(want)) {
      out.replaceChildren(errorBox(t('check.bad')));
      return;
    }
    const got = commitmentOf(salt, value);
    out.replaceChildren(h('div', { class: `verdict ${got === want ? 'ok' : 'fail'}`, 'data-verdict': got === want ? 'ok' : 'fail' },
      h('p', { class: 'verdict-title' }, got === want ? k('match') : k('nomatch')),
      summary([[t('check.computed'), h('code', { class: 'wrap' }, got)]])));
  });
  main.replaceChildren(h('h1', {}, t('check.title')), h('p', {}, k('intro')), form, out);
}

// An account's transactions (signed or co-signed), newest first, paged by the server.
export async function accountPage(main, address, from) {
  const q = from != null && from !== '' ? `?from=${encodeURIComponent(from)}` : '';
  const a = await api(`/api/accounts/${encodeURIComponent(address)}${q}`);
  main.replaceChildren(
    h('h1', {}, t('account.title')),
    h('p', {}, h('code', { class: 'wrap' }, a.address)),
    a.transactions.length
      ? table(t('transactions'), [t('tx.call'), t('account.role'), t('tx.outcome'), t('height'), 'Id'],
        a.transactions.map((x) => [callInWords(x.module, x.call), t(`account.role.${accountRole(x)}`), outcomeInWords(x.outcome),
          h('a', { href: `#/block/${x.height}` }, String(x.height)), shortHash(x.id, `#/tx/${x.id}`)]))
      : h('p', {}, t('account.none')),
    a.next_from != null ? h('p', {}, h('a', { href: `#/account/${a.address}?from=${a.next_from}` }, t('more'))) : '',
  );
}
