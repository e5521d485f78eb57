// Entry point: hash routes (so the static server needs no fallback), the
// language switch and the search box.
import { ApiError } from './api.js';
import { errorBox, h } from './dom.js';
import { currentLang, setLang, t } from './i18n.js';
import { openDataPage } from './open_data.js';
import { accountPage, blockPage, checkPage, governancePage, homePage, recordPage, searchPage, txPage } from './pages.js';

function applyStaticText() {
  document.documentElement.lang = currentLang() === 'en' ? 'en' : 'zh-Hant-HK';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  const lang = document.getElementById('lang');
  const other = currentLang() === 'en' ? 'zh-Hant' : 'en';
  lang.textContent = other === 'en' ? 'English' : '中文';
  lang.lang = other === 'en' ? 'en' : 'zh-Hant';
  lang.setAttribute('aria-label', other === 'en' ? 'Switch to English' : '切換至繁體中文');
  document.title = t('brand');
}

async function route() {
  const main = document.getElementById('main');
  const hash = location.hash.replace(/^#\/?/, '');
  const [pathPart, query = ''] = hash.split('?');
  const [page, ...rest] = pathPart.split('/').map(decodeURIComponent);
  main.replaceChildren(h('p', {}, t('loading')));
  try {
    if (page === '' || page === undefined) await homePage(main);
    else if (page === 'block') await blockPage(main, rest[0]);
    else if (page === 'tx') await txPage(main, rest[0]);
    else if (page === 'record') await recordPage(main, rest[0], rest.slice(1).join('/'));
    else if (page === 'search') await searchPage(main, new URLSearchParams(query).get('q') ?? '');
    else if (page === 'check') checkPage(main, rest[0] ?? '', new URLSearchParams(query).get('kind'));
    else if (page === 'data') await openDataPage(main);
    else if (page === 'governance') await governancePage(main, rest[0]);
    else if (page === 'account') await accountPage(main, rest[0], new URLSearchParams(query).get('from'));
    else if (page === 'pin' && /^[0-9a-f]{64}$/.test(rest[0] ?? '')) {
      localStorage.setItem('bauhinia-explorer-genesis-set-hash', rest[0]);
      main.replaceChildren(h('h1', {}, 'Pinned / 已固定'), h('p', {}, `Genesis validator set ${rest[0]}`));
    }
    else main.replaceChildren(errorBox(`Unknown page: ${hash}`));
  } catch (e) {
    main.replaceChildren(errorBox(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e.message ?? e)));
  }
  const h1 = main.querySelector('h1');
  if (h1) document.title = `${h1.textContent} — ${t('brand')}`;
}

function start() {
  applyStaticText();
  document.getElementById('lang').addEventListener('click', () => {
    setLang(currentLang() === 'en' ? 'zh-Hant' : 'en');
    applyStaticText();
    route();
  });
  document.getElementById('search').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = document.getElementById('q').value.trim();
    if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
  });
  window.addEventListener('hashchange', () => {
    route().then(() => document.getElementById('main').focus());
  });
  route();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
