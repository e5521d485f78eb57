import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = process.env.BAUHINIA_SOURCE_DIR || join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const repoFile = (p) => join(repoRoot, p);
export const readText = (p) => readFileSync(repoFile(p), 'utf8');

// name=... blocks of key=value lines (tests/chain/golden/*.txt).
export function goldenBlocks(p) {
  const out = {};
  let cur = null;
  for (const line of readText(p).split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const i = line.indexOf('=');
    const k = line.slice(0, i);
    const v = line.slice(i + 1);
    if (k === 'name') out[v] = cur = {};
    else cur[k] = v;
  }
  return out;
}

// "key value" lines (tests/core/golden/core.txt).
export function goldenPairs(p) {
  const out = {};
  for (const line of readText(p).split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    const i = line.indexOf(' ');
    out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

export function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}
