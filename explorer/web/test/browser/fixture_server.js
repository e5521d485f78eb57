// A stand-in for bauhinia-explorer's HTTP side while the browser test runs
// without a live cluster: serves the built pages (dist/) and the JSON API
// routes the pages call (docs/explorer.md), answering with the REAL proof
// material of tests/chain/golden/light_client_vectors.json (built by the C++
// chain/ledger code). It verifies nothing itself; the browser does.
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { decodeHeader, headerId, toHex, decodeAll, readValidatorSet } from '../../src/verify/index.js';
import { readText } from '../helpers.js';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

export function loadFixture() {
  const vectors = JSON.parse(readText('tests/chain/golden/light_client_vectors.json'));
  const byName = (n) => vectors.cases.find((c) => c.name === n);
  const mark = byName('record present: trademark 303512345');
  const company = byName('record present: company 1234567 (Chinese name)');
  const absent = byName('record absent: trademark 999999999');
  const tx = byName('transaction: leaf 4 (failed outcome)');
  const header = decodeHeader(mark.certified.header_hex);
  const set = decodeAll(mark.genesis_validator_set_hex, 'set', readValidatorSet);
  const state = (c) => ({
    module: c.module, record_key_hex: c.record_key_hex, value_hex: c.value_hex, proof_hex: c.proof_hex,
    height: Number(header.height), certified: { ...c.certified, height: Number(header.height) },
    explorer: { node: 'fixture', verified: true, certified_height: Number(header.height) },
  });
  const ascii = (s) => Buffer.from(s).toString('hex');
  const real = (key) => byName(`real record: ${key}`);
  const realMark = real('trademark 01333035393138323734');
  const realAssignment = real('trademark 0333303539313832373400000102');
  const realCompany = real('company 0133323938373431');
  const realFiling = real('company 033332393837343100000001');
  const realOfficer = real('company 04463030313233343500000002');
  const proofRoutes = Object.fromEntries([realMark, realAssignment, realCompany, realFiling, realOfficer]
    .map((c) => [`/api/proof/state/${c.module}/${c.record_key_hex}`, state(c)]));
  return {
    vectors, mark, company, absent, tx,
    height: Number(header.height),
    realMark, realCompany,
    routes: {
      ...proofRoutes,
      '/api/records/trademark/ownership/305918274': { ...state(realMark), path: 'trademark/ownership/305918274', records: [state(realAssignment)], next_page: null },
      '/api/records/company/company/3298741': { ...state(realCompany), path: 'company/company/3298741' },
      '/api/records/company/filings/3298741': { ...state(realFiling), path: 'company/filings/3298741', records: [state(realFiling)], next_page: null },
      '/api/records/company/officers/3298741': { ...state(realOfficer), path: 'company/officers/3298741', records: [state(realOfficer)], next_page: null },
      [`/api/search?q=${encodeURIComponent('港燈物流')}`]: { query: '港燈物流', results: [{ kind: 'record', module: 'company', key: '3298741', label: '港燈物流有限公司 Lantern Harbour Logistics Limited', path: 'company/company/3298741' }] },
      '/api/genesis': { chain_id: mark.chain_id, genesis_id: '00'.repeat(32), validator_set_hex: mark.genesis_validator_set_hex, validator_set: { epoch: 0 } },
      '/api/proof/epochs?from=0': { proof_hex: mark.epoch_proof_hex[0], more: false, to_epoch: 2 },
      '/api/status': {
        chain_id: mark.chain_id, genesis_id: '00'.repeat(32), indexed_height: Number(header.height),
        certified: { height: Number(header.height), epoch: Number(header.epoch), block_id: toHex(headerId(header)), timestamp_ms: Number(header.timestamp_ms), ...mark.certified },
        validator_set: { epoch: 0, validators: set.validators.map((v) => ({ name: v.name, key: toHex(v.key), voting_power: Number(v.voting_power) })) },
        nodes: [{ url: 'http://127.0.0.1:1', state: 'following', height: Number(header.height), reason: null }],
      },
      '/api/registers': { registers: [
        { register: 'trademarks', module: 'trademark', count: 1234, certified_height: Number(header.height), block_id: toHex(headerId(header)) },
        { register: 'eia', module: 'environment', count: null, certified_height: null, block_id: null },
      ] },
      '/api/blocks?limit=10': { blocks: [{ height: Number(header.height), block_id: toHex(headerId(header)), epoch: 2, timestamp_ms: Number(header.timestamp_ms), transaction_count: 0 }], next_from: null },
      [`/api/records/trademark/${encodeURIComponent('303512345')}`]: state(mark),
      [`/api/records/company/1234567`]: state(company),
      [`/api/records/trademark/999999999`]: state(absent),
      [`/api/proof/state/trademark/${ascii('303512345')}`]: state(mark),
      [`/api/proof/state/company/${ascii('1234567')}`]: state(company),
      [`/api/proof/state/trademark/${ascii('999999999')}`]: state(absent),
      [`/api/tx/${tx.transaction_id}`]: { id: tx.transaction_id, height: Number(header.height), module: 'trademark', call: 'assign', sender: 'ab'.repeat(32), sequence: 3, outcome: 'failed_precondition', payload_hex: '', timestamp_ms: Number(header.timestamp_ms), cosigners: [{ account: 'cd'.repeat(32), key: 'ef'.repeat(32) }] },
      [`/api/proof/tx/${tx.transaction_id}`]: { leaf_hex: tx.leaf_hex, proof_hex: tx.proof_hex, certified: tx.certified },
      [`/api/accounts/hktest1account`]: { address: 'hktest1account', transactions: [{ id: tx.transaction_id, height: Number(header.height), index: 4, module: 'trademark', call: 'assign', outcome: 'failed_precondition' }], next_from: 3 },
      [`/api/accounts/hktest1account?from=3`]: { address: 'hktest1account', transactions: [], next_from: null },
      '/api/search?q=303512345': { query: '303512345', results: [{ kind: 'record', module: 'trademark', key: '303512345', label: 'BAUHINIA', path: 'trademark/303512345' }] },
    },
  };
}

export function startServer(distDir, fixture) {
  const server = createServer((req, res) => {
    const url = req.url;
    if (url.startsWith('/api/')) {
      const body = fixture.routes[url];
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: { code: 'unknown_path', message: `no fixture for ${url}` } }));
      return;
    }
    const path = url === '/' ? '/index.html' : url.split('?')[0];
    const file = normalize(join(distDir, path));
    if (!file.startsWith(distDir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
