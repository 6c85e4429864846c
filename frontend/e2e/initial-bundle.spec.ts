import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

// The production build the other browser tests run against (npm run build -w frontend).
const dist = join(__dirname, '..', 'dist', 'frontend', 'browser');

/** The bar: the first page's JavaScript, gzipped as the server sends it. */
const INITIAL_JS_LIMIT = 110 * 1024;

/** What must load on demand, each known by a string only its code contains. */
const ON_DEMAND = {
  board: 'app-task-board',
  calendar: 'app-task-calendar',
  'recurrence builder': 'app-recurrence-editor',
  'date parser (chrono-node)': 'impliedValues',
};

/**
 * The scripts the first page runs before anything else: those index.html names, and every
 * module they import statically, transitively (index.html preloads only the first few).
 * Dynamic `import()`s are what loads on demand, and are not followed.
 */
function initialScripts(): string[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const queue = [
    ...html.matchAll(/<script[^>]*\ssrc="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g),
  ].map((m) => m[1]);
  const seen = new Set<string>();
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[^"'();]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) {
      queue.push(m[1]);
    }
  }
  return [...seen];
}

test('the initial JavaScript stays within 110 kB gzipped, without the board, calendar, recurrence builder or date parser', () => {
  const files = initialScripts();
  expect(files.some((f) => f.startsWith('main-'))).toBe(true);
  let gzipped = 0;
  for (const file of files) {
    const code = readFileSync(join(dist, file));
    gzipped += gzipSync(code).length;
    for (const [what, marker] of Object.entries(ON_DEMAND)) {
      expect(code.includes(marker), `${what} is in the initial chunk ${file}`).toBe(false);
    }
  }
  test.info().annotations.push({ type: 'initial JS (gzip)', description: `${(gzipped / 1024).toFixed(1)} kB in ${files.length} files` });
  console.log(`initial JS: ${(gzipped / 1024).toFixed(1)} kB gzipped in ${files.length} files`);
  expect(gzipped).toBeLessThanOrEqual(INITIAL_JS_LIMIT);
  // Each marker is in some lazy chunk, else the checks above would prove nothing.
  const lazy = readdirSync(dist)
    .filter((f) => f.endsWith('.js') && !files.includes(f))
    .map((f) => readFileSync(join(dist, f), 'utf8'));
  for (const [what, marker] of Object.entries(ON_DEMAND)) {
    expect(lazy.some((code) => code.includes(marker)), `${what} is in no lazy chunk`).toBe(true);
  }
});
