import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded-database';
import { type ApiProcess, killApi, OwnDatabase, spawnApi, waitHealthy } from '../support/api-process';
import { createTestDatabase } from '../support/test-app';

/**
 * Start-up faults: a wrong DATABASE_URL, a database that is down, a bad
 * JWT_SECRET (or any bad setting), a taken port. Each ends in one clear line
 * on stderr naming the cause, no stack trace anywhere, and a non-zero exit;
 * an unreachable database is retried for DB_STARTUP_TIMEOUT seconds first,
 * and a database that comes up within that time is used.
 */
async function runToExit(env: Record<string, string>, port?: number) {
  const started = Date.now();
  const api = await spawnApi(env, port);
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([api.exited, new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 60_000)))]);
  clearTimeout(timer);
  if (!exit) await killApi(api);
  const elapsedMs = Date.now() - started;
  return { api, exit, elapsedMs };
}

function expectOneClearLine(api: ApiProcess, exit: { code: number | null } | null, message: RegExp, secret?: string): string {
  expect(exit?.code).toBe(1);
  const stderr = api.output.filter((line) => !line.startsWith('{'));
  expect(stderr).toHaveLength(1);
  expect(stderr[0]).toMatch(/^Failed to start the API: /);
  expect(stderr[0]).toMatch(message);
  const everything = api.output.join('\n');
  // Never a stack dump, in the message or in any structured log line.
  expect(everything).not.toMatch(/\n\s+at |\bat .+\(.+:\d+:\d+\)|"stack"|"trace":"[^"]+\\n/);
  if (secret) expect(everything).not.toContain(secret);
  return stderr[0];
}

describe('start-up faults', () => {
  let adminUrl: URL;
  beforeAll(() => {
    adminUrl = new URL(process.env.TEST_ADMIN_DATABASE_URL as string);
  });

  it('names a wrong password at once, without retrying and without showing it', async () => {
    const url = new URL(adminUrl);
    url.password = 'not-the-password';
    const { api, exit, elapsedMs } = await runToExit({ DATABASE_URL: url.toString(), DB_STARTUP_TIMEOUT: '30' });
    expectOneClearLine(api, exit, /cannot reach the database .*\*\*\*.*password authentication failed/, 'not-the-password');
    // Permanent: no 30 s of retries.
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it('names a database that does not exist, at once', async () => {
    const url = new URL(adminUrl);
    url.pathname = '/no_such_database';
    const { api, exit, elapsedMs } = await runToExit({ DATABASE_URL: url.toString(), DB_STARTUP_TIMEOUT: '30' });
    expectOneClearLine(api, exit, /database "no_such_database" does not exist/);
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it('names a host that does not resolve, at once', async () => {
    const { api, exit, elapsedMs } = await runToExit({ DATABASE_URL: 'postgres://u:secret-pass@db.invalid:5432/todo', DB_STARTUP_TIMEOUT: '30' });
    expectOneClearLine(api, exit, /cannot reach the database \(postgres:\/\/u:\*\*\*@db\.invalid:5432\/todo\).*(ENOTFOUND|EAI_AGAIN|getaddrinfo)/, 'secret-pass');
    expect(elapsedMs).toBeLessThan(15_000);
  });

  it('retries a database that is down for DB_STARTUP_TIMEOUT seconds, then gives up naming it', async () => {
    const port = await freePort();
    const { api, exit, elapsedMs } = await runToExit({ DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/todo`, DB_STARTUP_TIMEOUT: '3' });
    expectOneClearLine(api, exit, new RegExp(`cannot reach the database .*127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
    process.stdout.write(`database down, DB_STARTUP_TIMEOUT=3: gave up after ${elapsedMs} ms\n`);
    // Bounded: the full timeout (plus process start and one last 3 s connection attempt at most), not forever and not at once.
    expect(elapsedMs).toBeGreaterThanOrEqual(3_000);
    expect(elapsedMs).toBeLessThan(3_000 + 3_000 + 5_000);
  });

  it('gives up at the first failure with DB_STARTUP_TIMEOUT=0', async () => {
    const port = await freePort();
    const { api, exit, elapsedMs } = await runToExit({ DATABASE_URL: `postgres://u:p@127.0.0.1:${port}/todo`, DB_STARTUP_TIMEOUT: '0' });
    expectOneClearLine(api, exit, /ECONNREFUSED/);
    expect(elapsedMs).toBeLessThan(8_000);
  });

  it('uses a database that comes up while it is still retrying', async () => {
    const db = await OwnDatabase.start();
    await db.stop();
    const api = await spawnApi({ DATABASE_URL: db.url(), DB_STARTUP_TIMEOUT: '30' });
    try {
      await new Promise((r) => setTimeout(r, 2_000));
      expect(api.process.exitCode).toBeNull();
      await db.restart();
      const upAt = Date.now();
      await waitHealthy(api, 15_000);
      process.stdout.write(`database came up during start-up retries: API healthy ${Date.now() - upAt} ms later\n`);
      expect(Date.now() - upAt).toBeLessThan(10_000);
    } finally {
      await killApi(api, 'SIGTERM');
      await db.destroy();
    }
  }, 90_000);

  it.each([
    [{ JWT_SECRET: 'x'.repeat(31) }, /JWT_SECRET must be at least 32 characters/],
    [{ JWT_SECRET: '' , NODE_ENV: 'production' }, /JWT_SECRET is required when NODE_ENV=production/],
    [{ DATABASE_URL: 'mysql://root@localhost/todo' }, /DATABASE_URL must be a postgres/],
    [{ DATABASE_URL: 'postgres://' }, /DATABASE_URL must be a postgres/],
    [{ JWT_EXPIRES_IN: 'forever' }, /JWT_EXPIRES_IN/],
    [{ BCRYPT_ROUNDS: '40' }, /BCRYPT_ROUNDS must be an integer between 4 and 15/],
    [{ DB_STARTUP_TIMEOUT: '-1' }, /DB_STARTUP_TIMEOUT/],
    [{ SHUTDOWN_DELAY: 'soon' }, /SHUTDOWN_DELAY/],
    [{ AUTH_RATE_LIMIT: 'lots' }, /AUTH_RATE_LIMIT/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL/],
    [{ TRUST_PROXY: 'yes' }, /TRUST_PROXY/],
  ])('refuses %p with one line naming the variable', async (env, message) => {
    const { api, exit, elapsedMs } = await runToExit({ DATABASE_URL: adminUrl.toString(), ...env });
    expectOneClearLine(api, exit, message);
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it('refuses production without DATABASE_URL: one line naming it, and no embedded PostgreSQL started', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'evo-prod-no-db-'));
    const { api, exit, elapsedMs } = await runToExit({ NODE_ENV: 'production', DATA_DIR: dataDir });
    const line = expectOneClearLine(api, exit, /DATABASE_URL is required when NODE_ENV=production/);
    expect(line).not.toMatch(/JWT_SECRET/);
    // Refused before anything was started or written: no database files, no generated secret.
    expect(existsSync(join(dataDir, 'pg'))).toBe(false);
    expect(readdirSync(dataDir)).toEqual([]);
    expect(elapsedMs).toBeLessThan(10_000);
  });

  it('names a port that is already taken', async () => {
    const db = await createTestDatabase();
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '0.0.0.0', resolve));
    try {
      const { api, exit } = await runToExit({ DATABASE_URL: db.url }, port);
      expectOneClearLine(api, exit, new RegExp(`EADDRINUSE.*${port}`));
    } finally {
      blocker.close();
      await db.drop();
    }
  });
});
