import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { E2E_JWT_SECRET } from './e2e/e2e-secret';

/** A port nobody listens on now, chosen by the OS. */
function freePort(): string {
  return execFileSync(process.execPath, [
    '-e',
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})",
  ]).toString();
}

// The config is evaluated again in every worker; values set on process.env by the runner are
// inherited, so all of them agree on the ports and the data directory.
process.env['E2E_API_PORT'] ??= freePort();
process.env['E2E_WEB_PORT'] ??= freePort();
process.env['E2E_PG_PORT'] ??= freePort();
if (!process.env['E2E_DATA_DIR']) {
  const dataDir = mkdtempSync(join(tmpdir(), 'eot-e2e-'));
  process.env['E2E_DATA_DIR'] = dataDir;
  // Only the runner that made the directory removes it, once the servers are gone.
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
}

const apiPort = process.env['E2E_API_PORT'];
const webPort = process.env['E2E_WEB_PORT'];
const baseURL = `http://127.0.0.1:${webPort}`;

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: false,
  forbidOnly: !!process.env['CI'],
  retries: process.env['CI'] ? 1 : 0,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env['CI']
    ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]]
    : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: [
    {
      // The built API over a fresh embedded PostgreSQL in a temporary directory.
      // NODE_ENV=test: production refuses to start without DATABASE_URL.
      command: 'node ../backend/dist/main.js',
      url: `http://127.0.0.1:${apiPort}/health`,
      env: {
        NODE_ENV: 'test',
        PORT: apiPort,
        DATA_DIR: process.env['E2E_DATA_DIR'],
        EMBEDDED_PG_PORT: process.env['E2E_PG_PORT'],
        JWT_SECRET: E2E_JWT_SECRET,
        JWT_EXPIRES_IN: '15m',
        WEBHOOK_ALLOW_HTTP: 'true',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_RETRY_BASE_SECONDS: '1',
        AUTH_RATE_LIMIT: '0',
        BCRYPT_ROUNDS: '4',
        CORS_ORIGINS: baseURL,
        LOG_LEVEL: 'warn',
      },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    },
    {
      // The production build, with /api, /auth and /health forwarded to that API.
      command: 'node e2e/serve-dist.mjs',
      url: `${baseURL}/`,
      env: { PORT: webPort, API_URL: `http://127.0.0.1:${apiPort}` },
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
