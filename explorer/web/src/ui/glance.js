// Pure views of two explorer answers (docs/explorer.md), kept free of the DOM
// so that they are unit-tested in Node: the co-signers of /api/tx/{id} and the
// "registers at a glance" rows of /api/registers. Anything malformed in an
// answer is left out (or shown as "not read yet"), never shown as a value.

const HEX64 = /^[0-9a-f]{64}$/;

// The co-signers' account addresses (64 lowercase hex digits), in payload order.
export function cosignerAccounts(tx) {
  const list = Array.isArray(tx?.cosigners) ? tx.cosigners : [];
  const out = [];
  for (const c of list.slice(0, 8)) {
    const account = typeof c?.account === 'string' ? c.account.toLowerCase() : '';
    if (HEX64.test(account)) out.push(account);
  }
  return out;
}

// The registers the explorer reads, and those it counts from indexed
// transactions (drug batches, health attestations), in the order they come:
// [{ register, count, height }], count and height null until read.
export const GLANCE_REGISTERS = ['trademarks', 'companies', 'drug-recalls', 'eia', 'trip-tickets', 'drug-batches', 'health-attestations'];

function whole(n) {
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

export function registerGlanceRows(answer) {
  const rows = Array.isArray(answer?.registers) ? answer.registers : [];
  const out = [];
  for (const r of rows) {
    if (!GLANCE_REGISTERS.includes(r?.register) || out.some((o) => o.register === r.register)) continue;
    const count = whole(r.count);
    const height = whole(r.certified_height);
    out.push({ register: r.register, count: count != null && height != null ? count : null, height: count != null ? height : null });
  }
  return out;
}

// The role an account played in a transaction of its activity page.
export function accountRole(tx) {
  return tx?.role === 'cosigner' ? 'cosigner' : 'signer';
}
