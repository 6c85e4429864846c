import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Page } from '@playwright/test';
import { expect, expectAccessible, test, watchCspViolations } from './fixtures';

// The installable app shell: the service worker (registered by production builds only, which
// is what these tests and CI run), the web manifest and the update banner.

const dist = join(__dirname, '..', 'dist', 'frontend', 'browser');

interface NgswManifest {
  assetGroups: { name: string; urls: string[] }[];
  hashTable: Record<string, string>;
}

/**
 * Waits until a service worker controls the page and its cache holds every file of the app
 * group (index.html, the styles, every chunk, lazy ones included): from then on the app opens
 * with no network.
 */
async function waitForOfflineReady(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
  const manifest = (await (await page.request.get(new URL('/ngsw.json', page.url()).href)).json()) as NgswManifest;
  const files = manifest.assetGroups.find((group) => group.name === 'app')!.urls;
  expect(files.filter((file) => /^\/chunk-.*\.js$/.test(file)).length).toBeGreaterThan(10);
  await expect
    .poll(
      () =>
        page.evaluate(async (urls) => {
          const missing = [];
          for (const url of urls) if (!(await caches.match(url))) missing.push(url);
          return missing;
        }, files),
      { timeout: 60_000, message: 'files of the app shell not cached yet' },
    )
    .toEqual([]);
}

test('after one visit the app opens with no network: the page seen, and pages never opened', async ({ page, context }, testInfo) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await waitForOfflineReady(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await expect(page.getByLabel('Email')).toBeEditable();

  // Their code was never loaded online: it came with the first visit's download.
  await page.goto('/signup');
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page).toHaveTitle('Evolution of Todo');
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expectAccessible(page, testInfo, 'not-found offline');

  await context.setOffline(false);
});

test('the API never goes through the service worker, and is never cached', async ({ page, context }) => {
  await page.goto('/login');
  await waitForOfflineReady(page);

  await test.step('online, the API paths answer from the API, not with the app shell', async () => {
    for (const path of ['/docs', '/health', '/api/tasks']) {
      const response = await page.request.get(path);
      expect(await response.text(), path).not.toContain('<app-root');
    }
    const docs = await page.goto('/docs');
    expect(docs?.fromServiceWorker()).toBe(false);
    await expect(page).toHaveTitle(/Swagger/);
    const health = await page.goto('/health');
    expect(health?.fromServiceWorker()).toBe(false);
    expect(health?.headers()['content-type']).toContain('application/json');
  });

  await test.step('offline, a call to the API fails as it would without a service worker', async () => {
    await page.goto('/login');
    await context.setOffline(true);
    const outcome = await page.evaluate(() =>
      fetch('/api/tasks').then(
        (response) => `answered ${response.status}`,
        (error: Error) => `failed: ${error.name}`,
      ),
    );
    // Angular's worker alone would answer a made-up 504.
    expect(outcome).toBe('failed: TypeError');
    await expect(page.goto('/api/tasks')).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
    await expect(page.goto('/docs')).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);
    await context.setOffline(false);
  });

  await test.step('nothing of the API is in the worker’s cache', async () => {
    await page.goto('/login');
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
    expect(cached.length).toBeGreaterThan(10);
    expect(cached.filter((path) => /^\/(api|auth|health|docs)/.test(path))).toEqual([]);
  });
});

test('the app is installable: manifest, icons, a worker in control, and the start page offline', async ({
  playwright,
  launchOptions,
  baseURL,
  request,
}) => {
  // Chromium never offers to install from an incognito window, which every test context is: a
  // persistent one, as a person's browser profile.
  const profile = mkdtempSync(join(tmpdir(), 'eot-install-'));
  const context = await playwright.chromium.launchPersistentContext(profile, { ...launchOptions, baseURL });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const violations = await watchCspViolations(page, '__installViolation');
    await page.goto('/login');
    await waitForOfflineReady(page);
    const cdp = await context.newCDPSession(page);

    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors).toEqual([]);

    const { url, errors, data } = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[]; data: string };
    expect(new URL(url).pathname).toBe('/manifest.webmanifest');
    expect(errors).toEqual([]);
    const manifest = JSON.parse(data) as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      theme_color: string;
      background_color: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
    };
    expect(manifest).toMatchObject({ name: 'Evolution of Todo', short_name: 'Todo', display: 'standalone', start_url: '/' });
    expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe(manifest.theme_color);

    await test.step('every icon loads and has the size it claims', async () => {
      const apple = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
      const icons = [...manifest.icons, { src: `/${apple}`, sizes: '180x180', type: 'image/png' }];
      expect(icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
      expect(manifest.icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
      for (const icon of icons) {
        const response = await request.get(icon.src);
        expect(response.status(), icon.src).toBe(200);
        expect(response.headers()['content-type']).toBe(icon.type);
        const png = await response.body();
        // The PNG header's IHDR chunk: width and height at bytes 16 and 20.
        expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
      }
    });

    await test.step('the start page answers 200 offline', async () => {
      await context.setOffline(true);
      const start = await page.goto(manifest.start_url);
      expect(start?.status()).toBe(200);
      expect(start?.fromServiceWorker()).toBe(true);
      await context.setOffline(false);
    });
    expect(violations, 'CSP violations seen in the page').toEqual([]);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('the files the worker relies on are never kept by an HTTP cache', async ({ request }) => {
  for (const path of ['/service-worker.js', '/ngsw-worker.js', '/ngsw.json', '/index.html', '/manifest.webmanifest']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()['cache-control'], path).toBe('no-cache');
  }
  // nginx.conf says the same (it cannot run here; npm run test:scale runs it).
  const nginx = readFileSync(join(__dirname, '..', 'nginx.conf'), 'utf8');
  expect(nginx).toContain(String.raw`"~^/(?:service-worker|ngsw-worker|safety-worker|worker-basic\.min)\.js$"  "no-cache";`);
  expect(nginx).toContain(String.raw`"~^/ngsw\.json$"  "no-cache";`);
});

/** A port nobody listens on now, chosen by the OS. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * The build served from a copy this test can change, on its own port (the shared test server
 * stays as it is for the other tests), with the API behind it as usual.
 */
async function serveCopy(): Promise<{ origin: string; root: string; stop: () => Promise<void> }> {
  const root = mkdtempSync(join(tmpdir(), 'eot-deploy-'));
  cpSync(dist, root, { recursive: true });
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, [join(__dirname, 'serve-dist.mjs')], {
    env: { ...process.env, PORT: String(port), STATIC_ROOT: root, API_URL: `http://127.0.0.1:${process.env['E2E_API_PORT']}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  await expect.poll(() => fetch(`${origin}/`).then((r) => r.status, () => 0), { timeout: 15_000 }).toBe(200);
  return {
    origin,
    root,
    stop: async () => {
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((resolve) => server.once('exit', resolve));
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A new version on the server: index.html changes, and ngsw.json names its new hash. */
function deployNewVersion(root: string) {
  const index = readFileSync(join(root, 'index.html'), 'utf8').replace('</head>', '<meta name="build" content="2" /></head>');
  writeFileSync(join(root, 'index.html'), index);
  const manifestPath = join(root, 'ngsw.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as NgswManifest & { timestamp: number };
  manifest.hashTable['/index.html'] = createHash('sha1').update(index).digest('hex');
  manifest.timestamp = Date.now();
  writeFileSync(manifestPath, JSON.stringify(manifest));
}

test('a new version is announced, and starts only when the user reloads', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const server = await serveCopy();
  try {
    await page.goto(`${server.origin}/login`);
    await waitForOfflineReady(page);
    const build = page.locator('meta[name="build"]');

    deployNewVersion(server.root);
    // The worker serves the version it has, then looks for a new one in the background.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
    await expect(build).toHaveCount(0);
    await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    await page.getByLabel('Email').fill('half-typed@example.com');

    const banner = page.getByRole('status').filter({ hasText: 'A new version is ready.' });
    await expect(banner).toBeVisible({ timeout: 60_000 });
    // Nothing was reloaded under the user: the page, what they typed and the old version stay.
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await expect(page.getByLabel('Email')).toHaveValue('half-typed@example.com');
    await expect(build).toHaveCount(0);
    await expectAccessible(page, testInfo, 'update banner');

    await banner.getByRole('button', { name: 'Reload to update' }).click();
    await expect(build).toHaveAttribute('content', '2');
    await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBeUndefined();
    // That server's own CSP reports (the shared fixture reads the main test server's).
    const reports = (await (await page.request.get(`${server.origin}/__csp-reports`)).json()) as string[];
    expect(reports, 'CSP violations reported to the copy').toEqual([]);
  } finally {
    await server.stop();
  }
});
