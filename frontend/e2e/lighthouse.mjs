// Scores the production build with Lighthouse 12 in Debian's Chromium (or CHROMIUM_PATH):
// `/` and /login signed out, and `/` signed in (Today) for an account with 50 tasks, then
// checks that the app is installable. Starts its own API (fresh
// embedded PostgreSQL in a temporary directory) and static server; needs both builds
// (`npm run build`). Reports go to frontend/lighthouse-reports/.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

const here = dirname(fileURLToPath(import.meta.url));
const frontendDir = join(here, '..');
const reportDir = join(frontendDir, 'lighthouse-reports');
const chromePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, child, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited (${child.exitCode})`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up`);
}

const [apiPort, webPort, pgPort, debugPort] = await Promise.all([
  freePort(),
  freePort(),
  freePort(),
  freePort(),
]);
const dataDir = mkdtempSync(join(tmpdir(), 'eot-lighthouse-'));
const profileDir = mkdtempSync(join(tmpdir(), 'eot-lh-profile-'));
const origin = `http://127.0.0.1:${webPort}`;
const children = [];
let browserContext;

async function cleanUp() {
  await browserContext?.close().catch(() => undefined);
  for (const child of children.reverse()) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(profileDir, { recursive: true, force: true });
}

try {
  const api = spawn(process.execPath, [join(frontendDir, '..', 'backend', 'dist', 'main.js')], {
    env: {
      ...process.env,
      // Embedded PostgreSQL: production refuses to start without DATABASE_URL.
      NODE_ENV: 'test',
      PORT: String(apiPort),
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      JWT_SECRET: 'lighthouse-only-secret-that-is-long-enough-0123',
      AUTH_RATE_LIMIT: '0',
      BCRYPT_ROUNDS: '4',
      LOG_LEVEL: 'warn',
      // The page's own origin: refresh and log out refuse any other Origin.
      CORS_ORIGINS: origin,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(api);
  const web = spawn(process.execPath, [join(here, 'serve-dist.mjs')], {
    env: { ...process.env, PORT: String(webPort), API_URL: `http://127.0.0.1:${apiPort}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(web);
  await waitFor(`http://127.0.0.1:${apiPort}/health`, api);
  await waitFor(`${origin}/`, web);

  // An account with 50 tasks of every kind.
  const email = `lighthouse-${Date.now()}@example.com`;
  const signup = await fetch(`${origin}/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'lighthouse password' }),
  });
  if (signup.status !== 201) throw new Error(`signup failed: ${signup.status}`);
  const auth = await signup.json();
  const statuses = ['todo', 'in-progress', 'done'];
  const priorities = ['low', 'medium', 'high', null];
  for (let i = 1; i <= 50; i++) {
    const due = new Date(Date.now() + (i - 10) * 86_400_000).toISOString().slice(0, 10);
    const response = await fetch(`${origin}/api/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auth.access_token}` },
      body: JSON.stringify({
        title: `Task number ${i}: ${['Buy groceries', 'Write report', 'Call the bank', 'Fix the bike'][i % 4]}`,
        description: i % 3 === 0 ? 'Some words that describe what this task is about.' : null,
        status: statuses[i % 3],
        priority: priorities[i % 4],
        tags: [['home'], ['work', 'q3'], []][i % 3],
        due_date: i % 2 === 0 ? due : null,
      }),
    });
    if (response.status !== 201) throw new Error(`creating task ${i} failed: ${response.status}`);
  }

  // A persistent context is Chromium's default profile, which Lighthouse's tab shares, so the
  // refresh cookie put here is the session the task list page restores. Each run gets a fresh
  // session: a refresh rotates the cookie, and the old token would count as reuse.
  const freshRefreshToken = async () => {
    const login = await fetch(`${origin}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'lighthouse password' }),
    });
    const cookie = login.headers.get('set-cookie') ?? '';
    const token = /eot_refresh=([^;]+)/.exec(cookie)?.[1];
    if (login.status !== 200 || !token) throw new Error(`login failed: ${login.status}`);
    return token;
  };
  browserContext = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromePath,
    headless: true,
    args: [
      `--remote-debugging-port=${debugPort}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });

  // `/` is the home page signed out, and Today (where it leads) signed in.
  const pages = [
    { name: 'home', path: '/', lands: '/', signedIn: false },
    { name: 'login', path: '/login', lands: '/login', signedIn: false },
    { name: 'today', path: '/', lands: '/today', signedIn: true },
  ];
  const rows = [];
  mkdirSync(reportDir, { recursive: true });
  for (const formFactor of ['mobile', 'desktop']) {
    for (const target of pages) {
      const page = browserContext.pages()[0] ?? (await browserContext.newPage());
      await browserContext.clearCookies();
      if (target.signedIn) {
        await browserContext.addCookies([
          { name: 'eot_refresh', value: await freshRefreshToken(), url: `${origin}/auth`, httpOnly: true, sameSite: 'Strict' },
        ]);
      }
      await page.goto(`${origin}/`);
      // The app looks for a session at start only where it had one (a hint, no secret).
      await page.evaluate((signedIn) => {
        localStorage.clear();
        if (signedIn) localStorage.setItem('eot.has-session', '1');
      }, target.signedIn);
      const result = await lighthouse(
        `${origin}${target.path}`,
        {
          port: debugPort,
          output: 'html',
          logLevel: 'error',
          disableStorageReset: true,
          onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
        },
        formFactor === 'desktop' ? desktopConfig : undefined,
      );
      if (!result) throw new Error('Lighthouse returned nothing');
      const { lhr, report } = result;
      if (new URL(lhr.finalDisplayedUrl).pathname !== target.lands) {
        throw new Error(`${target.name}: ended at ${lhr.finalDisplayedUrl}, not ${target.lands}`);
      }
      writeFileSync(join(reportDir, `${target.name}-${formFactor}.html`), report);
      const score = (id) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
      rows.push({
        page: target.name,
        formFactor,
        performance: score('performance'),
        accessibility: score('accessibility'),
        'best-practices': score('best-practices'),
        seo: score('seo'),
      });
    }
  }
  console.table(rows);
  writeFileSync(join(reportDir, 'scores.json'), JSON.stringify(rows, null, 2));

  // Lighthouse 12 dropped the PWA category: installability as Chromium itself judges it (the
  // manifest, its icons, the worker). e2e/offline-shell.spec.ts checks the same in CI.
  const page = browserContext.pages()[0] ?? (await browserContext.newPage());
  await page.goto(`${origin}/login`);
  const controlled = await page.evaluate(() =>
    Promise.race([
      navigator.serviceWorker.ready.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 60_000)),
    ]),
  );
  if (!controlled) throw new Error('No service worker was registered within a minute');
  const cdp = await browserContext.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  if (installabilityErrors.length > 0) {
    throw new Error(`Not installable: ${installabilityErrors.map((error) => error.errorId).join(', ')}`);
  }
  console.log('Installable: Chromium reports no installability error.');
  console.log(`Reports in ${reportDir}`);
} finally {
  await cleanUp();
}
