// Bundles the pages: src/ui/main.js (with the verifier and @noble/*) into one
// file, plus index.html and style.css. The page loads nothing from elsewhere.
//   node build.mjs [out dir, default dist]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2] || 'dist';
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ['src/ui/main.js'],
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  outfile: join(out, 'app.js'),
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css']) copyFileSync(join('src/ui', f), join(out, f));
console.log(`explorer web: built ${out}/app.js`);
