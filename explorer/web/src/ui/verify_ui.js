// The Verify button: fetches the proof material from the explorer's API and
// runs the independent verifier (../verify/) in this browser. Shows what was
// proven, at which certified height, by which validator set; or the failed
// check's reason, visibly.
import { verifyBlockAnswer, verifyRecordAnswer, verifyTransactionAnswer } from '../verify/light_client.js';
import { api, fetchTrust } from './api.js';
import { h, shortHash, summary } from './dom.js';
import { t } from './i18n.js';

// what: {kind:'record', module, keyHex, height?} or {kind:'transaction', id, height?}
export function verifyButton(what) {
  const out = h('div', { class: 'verify-result', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'verify' }, t('verify'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    out.replaceChildren(h('p', {}, t('verify.running')));
    const v = await runVerification(what);
    out.replaceChildren(render(v));
    button.disabled = false;
  });
  return h('div', { class: 'verify-box' }, button, out);
}

export async function runVerification(what) {
  try {
    const trust = await fetchTrust();
    const q = what.height != null ? `?height=${what.height}` : '';
    if (what.kind === 'block') {
      if (!/^\d{1,20}$/.test(String(what.height))) return { ok: false, reason: 'bad_encoding', detail: 'a block height is a number' };
      return verifyBlockAnswer(trust, what.height, await api(`/api/proof/block/${what.height}`));
    }
    if (what.kind === 'transaction') {
      if (!/^[0-9a-f]{64}$/.test(what.id)) return { ok: false, reason: 'bad_encoding', detail: 'a transaction id is 64 hexadecimal digits' };
      const answer = await api(`/api/proof/tx/${what.id}${q}`);
      return verifyTransactionAnswer(trust, what.id, answer);
    }
    if (!/^[a-z0-9_-]{1,64}$/.test(what.module) || !/^([0-9a-f]{2}){0,1024}$/.test(what.keyHex)) {
      return { ok: false, reason: 'bad_encoding', detail: 'the record is named by a module name and a hex key' };
    }
    const answer = await api(`/api/proof/state/${what.module}/${what.keyHex}${q}`);
    return verifyRecordAnswer(trust, what.module, what.keyHex, answer);
  } catch (e) {
    return { ok: false, reason: e.code || 'network', detail: e.message };
  }
}

function render(v) {
  if (!v.ok) {
    return h('div', { class: 'verdict fail', 'data-verdict': 'fail' },
      h('p', { class: 'verdict-title' }, t('verify.fail')),
      summary([[t('verify.reason'), h('span', {}, h('code', { class: 'reason' }, v.reason), ' ', v.detail)]]));
  }
  const set = v.validator_set;
  const signed = set.validators.filter((x) => x.signed);
  const signedPower = signed.reduce((p, x) => p + x.voting_power, 0);
  return h('div', { class: 'verdict ok', 'data-verdict': 'ok' },
    h('p', { class: 'verdict-title' }, t('verify.ok', { h: v.certified_height })),
    summary([
      [t('verify.proven'), v.proven],
      ['', t('verify.against', { h: v.certified_height, e: v.epoch, s: signed.length, n: set.validators.length, p: signedPower, t: set.total_power, q: set.quorum_power })],
      [t('home.validators'), h('ul', { class: 'plain' }, set.validators.map((x) => h('li', {}, `${x.name} (${x.voting_power})${x.signed ? ' ✓' : ''}`)))],
      [t('block.id'), shortHash(v.block_id)],
      [t('verify.genesis'), shortHash(v.genesis_set_hash)],
      ['', t('verify.local')],
    ]));
}
