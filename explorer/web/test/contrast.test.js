// WCAG 2.1 AA contrast of the colour pairs the style sheet uses for text
// (4.5:1 for body text; the focus ring's yellow against black, 3:1 for UI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const css = readFileSync(fileURLToPath(new URL('../src/ui/style.css', import.meta.url)), 'utf8');
const long = (h) => (h.length === 4 ? `#${[...h.slice(1)].map((c) => c + c).join('')}` : h);
const vars = Object.fromEntries([...css.matchAll(/--([a-z]+):\s*(#[0-9a-f]{6}|#[0-9a-f]{3})\b/g)].map((m) => [m[1], long(m[2])]));
const color = (c) => (c.startsWith('#') ? c : vars[c]);

function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
export function contrast(a, b) {
  const [x, y] = [luminance(color(a)), luminance(color(b))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

test('text colours meet 4.5:1 on their backgrounds', () => {
  const pairs = [
    ['ink', 'bg'], ['muted', 'bg'], ['link', 'bg'], ['ok', 'bg'], ['bad', 'bg'],
    ['#ffffff', 'brand'], ['brand', '#ffffff'], ['#ffffff', 'ok'], ['ink', '#f3f2f1'],
  ];
  for (const [fg, bg] of pairs) {
    assert.ok(contrast(fg, bg) >= 4.5, `${fg} on ${bg}: ${contrast(fg, bg).toFixed(2)}`);
  }
  assert.ok(contrast('focus', 'ink') >= 3, 'focus ring');
  assert.ok(Object.keys(vars).length >= 8);
});
