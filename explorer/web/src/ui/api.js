// The explorer's JSON API (docs/explorer.md), same origin.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// A request that takes longer than this fails with 'timeout' (a verdict the
// visitor sees) rather than leaving a page waiting for ever; the explorer's
// own requests to nodes are bounded well below it.
export const API_TIMEOUT_MS = 45000;

export async function api(path) {
  let res;
  let body = null;
  const signal = AbortSignal.timeout(API_TIMEOUT_MS);
  try {
    res = await fetch(path, { headers: { accept: 'application/json' }, signal });
  } catch (e) {
    if (signal.aborted) throw new ApiError(0, 'timeout', `the explorer did not answer ${path} within ${API_TIMEOUT_MS / 1000} s`);
    throw new ApiError(0, 'network', `the explorer did not answer (${e.message})`);
  }
  try {
    body = await res.json();
  } catch {
    if (signal.aborted) throw new ApiError(0, 'timeout', `the explorer's answer to ${path} took over ${API_TIMEOUT_MS / 1000} s`);
    throw new ApiError(res.status, 'bad_json', `the explorer's answer to ${path} is not JSON`);
  }
  if (!res.ok) {
    const err = body && body.error ? body.error : { code: 'http', message: `HTTP ${res.status}` };
    throw new ApiError(res.status, err.code, err.message);
  }
  return body;
}

// Everything the browser trusts, and the epoch change proof from it: the
// genesis set (from the genesis file the explorer serves) and every page of
// /api/proof/epochs. Re-fetched per verification: nothing cached is trusted.
export async function fetchTrust() {
  const genesis = await api('/api/genesis');
  const pages = [];
  let from = Number(genesis.validator_set?.epoch ?? 0);
  for (let i = 0; i < 1000; i++) {
    const page = await api(`/api/proof/epochs?from=${from}`);
    pages.push(page.proof_hex);
    if (!page.more || page.to_epoch == null || Number(page.to_epoch) <= from) break;
    from = Number(page.to_epoch);
  }
  // A visitor may pin the genesis validator set hash the consortium publishes
  // (#/pin/<hash> stores it); then a different set served here fails.
  let pinnedGenesisSetHash = null;
  try {
    pinnedGenesisSetHash = globalThis.localStorage?.getItem('bauhinia-explorer-genesis-set-hash') || null;
  } catch {
    /* storage disabled */
  }
  return { chainId: genesis.chain_id, genesisSetHex: genesis.validator_set_hex, epochProofHexes: pages, pinnedGenesisSetHash };
}
