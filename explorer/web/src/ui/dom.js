// Small DOM helpers. Text always goes in as text (never as HTML).
import { t } from './i18n.js';

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// A hash shown short, with its full value for screen readers and a copy button.
export function shortHash(hex, href) {
  const s = typeof hex === 'string' && hex.length > 16 ? `${hex.slice(0, 8)}…${hex.slice(-6)}` : String(hex ?? '');
  const label = href ? h('a', { href, title: hex }, s) : h('code', { title: hex }, s);
  const button = h('button', { type: 'button', class: 'copy', 'aria-label': `${t('copy')} ${hex}` }, t('copy'));
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(hex);
      button.textContent = t('copied');
    } catch {
      /* clipboard may be unavailable; the full value is in the title */
    }
  });
  return h('span', { class: 'hash' }, label, ' ', button);
}

// A GOV.UK-style summary list: rows of [key, value].
export function summary(rows) {
  return h('dl', { class: 'summary' }, rows.filter(Boolean).map(([k, v]) => h('div', { class: 'summary-row' }, h('dt', {}, k), h('dd', {}, v))));
}

export function table(caption, head, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', {}, h('caption', {}, caption), h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))))));
}

export function errorBox(message) {
  return h('div', { class: 'error-summary', role: 'alert' }, h('h2', {}, t('error.title')), h('p', {}, message));
}
