// Open data (docs/explorer.md, "GET /api/export"): each public register as
// CSV, JSON and XML, stamped with the certified height it was read at, and a
// check of an export against that height in this browser: rows of the JSON
// export are each proven with their state proof at the export's height and
// must be present in the state of exactly the block the export names.
import { toHex } from '../verify/bytes.js';
import { api } from './api.js';
import { h, shortHash, summary } from './dom.js';
import { t } from './i18n.js';
import { registerGlanceRows } from './glance.js';
import { runVerification } from './verify_ui.js';

export const EXPORT_REGISTERS = ['trademarks', 'companies', 'drug-recalls', 'eia', 'trip-tickets'];
const FORMATS = ['csv', 'json', 'xml'];
const ROWS_CHECKED = 3;

// The rows a check proves: the first, the middle and the last.
export function rowsToCheck(records) {
  if (!Array.isArray(records) || records.length === 0) return [];
  const picks = [0, Math.floor(records.length / 2), records.length - 1];
  return [...new Set(picks)].slice(0, ROWS_CHECKED).map((i) => records[i]);
}

// Whether a row's register number (or drug batch) is in its record key, so
// that a proof of that key is a proof of that row.
export function rowNamesItsKey(row) {
  const hex = typeof row?.record_key_hex === 'string' ? row.record_key_hex : '';
  if (!/^([0-9a-f]{2}){2,}$/.test(hex)) return false;
  const texts = typeof row.number === 'string' ? [row.number] : [row.regno, row.batch];
  return texts.every((x) => typeof x === 'string' && x !== '' && hex.slice(2).includes(toHex(new TextEncoder().encode(x))));
}

// Proves rows of the JSON export `doc` at its certified height; {ok, checked,
// height, block_id} or {ok: false, reason, detail}.
export async function checkExport(doc, verify = runVerification) {
  const height = doc?.certified_height;
  if (!Number.isSafeInteger(height) || height < 0 || typeof doc.block_id !== 'string' || !Array.isArray(doc.records)) {
    return { ok: false, reason: 'bad_encoding', detail: 'the export names no certified height and block' };
  }
  const rows = rowsToCheck(doc.records);
  if (rows.length === 0) return { ok: true, checked: 0, height, block_id: doc.block_id };
  for (const row of rows) {
    if (!rowNamesItsKey(row)) return { ok: false, reason: 'bad_row', detail: `row ${JSON.stringify(row).slice(0, 80)} does not name its record key` };
    const v = await verify({ kind: 'record', module: doc.module, keyHex: row.record_key_hex, height });
    if (!v.ok) return { ok: false, reason: v.reason, detail: `${row.record_key_hex}: ${v.detail}` };
    if (!v.present) return { ok: false, reason: 'not_on_register', detail: `${row.record_key_hex} is not in the state of block ${height}` };
    if (v.height !== height || v.block_id !== doc.block_id) {
      return { ok: false, reason: 'wrong_height', detail: `proven in block ${v.height} (${v.block_id}), the export says block ${height} (${doc.block_id})` };
    }
  }
  return { ok: true, checked: rows.length, height, block_id: doc.block_id };
}

function checkButton(name) {
  const out = h('div', { class: 'verify-result', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'verify' }, t('data.check'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    out.replaceChildren(h('p', {}, t('verify.running')));
    let v;
    try {
      v = await checkExport(await api(`/api/export/${name}.json`));
    } catch (e) {
      v = { ok: false, reason: e.code || 'network', detail: e.message };
    }
    out.replaceChildren(v.ok
      ? h('div', { class: 'verdict ok', 'data-verdict': 'ok' }, h('p', { class: 'verdict-title' }, t('data.checked', { n: v.checked, h: v.height })),
        summary([[t('block.id'), shortHash(v.block_id)], ['', t('verify.local')]]))
      : h('div', { class: 'verdict fail', 'data-verdict': 'fail' }, h('p', { class: 'verdict-title' }, t('verify.fail')),
        summary([[t('verify.reason'), h('span', {}, h('code', { class: 'reason' }, v.reason), ' ', v.detail)]])));
    button.disabled = false;
  });
  return h('div', { class: 'verify-box' }, button, out);
}

export async function openDataPage(main) {
  const rows = registerGlanceRows(await api('/api/registers')).filter((r) => EXPORT_REGISTERS.includes(r.register));
  main.replaceChildren(
    h('h1', {}, t('data.title')),
    h('p', {}, t('data.intro')),
    ...rows.map((r) => h('section', { 'aria-labelledby': `data-${r.register}`, class: 'export' },
      h('h2', { id: `data-${r.register}` }, t(`register.${r.register}`)),
      r.count == null
        ? h('p', {}, t('home.registers.notyet'))
        : [summary([[t('home.registers.count'), r.count.toLocaleString('en')],
          [t('home.registers.height'), h('a', { href: `#/block/${r.height}` }, String(r.height))]]),
        h('ul', { class: 'plain downloads' }, FORMATS.map((f) => h('li', {},
          h('a', { href: `/api/export/${r.register}.${f}`, download: `${r.register}-${r.height}.${f}`, 'data-format': f },
            t('data.download', { f: f.toUpperCase(), r: t(`register.${r.register}`) }))))),
        checkButton(r.register)])),
  );
}
