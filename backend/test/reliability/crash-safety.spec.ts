import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/database/embedded-database';
import pg from 'pg';
import { type ApiProcess, killApi, signUpOn, spawnApi, waitHealthy } from '../support/api-process';
import { createTestDatabase } from '../support/test-app';

/**
 * Crash safety: SIGKILL in the middle of writes, then a restart on the same
 * database. Every task row is whole (each write is one statement, one
 * transaction: title, description and tags always belong together), every
 * acknowledged write is there, and migrations run again cleanly, by the app
 * and by `npm run migration:run`. The same for a kill during start-up, while
 * migrations may be running.
 */
const MIGRATE = fileURLToPath(new URL('../../dist/database/migrate.js', import.meta.url));
const WRITERS = 10;

/** A task whose fields all derive from one marker, so a partial write would show. */
function payload(marker: string) {
  return {
    title: `crash ${marker}`,
    description: `${marker}|${'x'.repeat(4_000)}|${marker}`,
    tags: [marker.slice(0, 50), 'crash'],
  };
}

/** Which rows are not exactly what one single write would have made. */
function tornRows(rows: { id: string; title: string; description: string; tags: string[] }[]): string[] {
  return rows
    .filter((row) => {
      const expected = payload(row.title.replace(/^crash /, ''));
      return row.description !== expected.description || JSON.stringify(row.tags) !== JSON.stringify(expected.tags);
    })
    .map((row) => `${row.id}: ${row.title}`);
}

describe('crash safety', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let check: pg.Pool;
  let api: ApiProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    check = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    if (api) await killApi(api);
    await check?.end();
    await db?.drop();
  });

  const post = async (path: string, body: unknown, token?: string, method = 'POST'): Promise<{ status: number; body: { id: string; access_token: string } }> => {
    try {
      const res = await fetch(`${api!.baseUrl}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      return { status: res.status, body: (await res.json().catch(() => ({}))) as { id: string; access_token: string } };
    } catch {
      return { status: 0, body: { id: '', access_token: '' } };
    }
  };

  it('keeps every row whole and every acknowledged write after a SIGKILL mid-write', async () => {
    api = await spawnApi({ DATABASE_URL: db.url });
    await waitHealthy(api);
    const signup = await post('/auth/signup', { email: 'crash@example.com', password: 'password 123' });
    const token = signup.body.access_token;

    const acknowledged = new Map<string, string>(); // id -> marker last acknowledged
    let killed = false;
    let attempts = 0;
    const writer = async (w: number) => {
      const mine: string[] = [];
      for (let n = 0; !killed; n++) {
        attempts++;
        if (mine.length === 0 || n % 2 === 0) {
          const marker = `w${w}-n${n}`;
          const res = await post('/api/tasks', payload(marker), token);
          if (res.status === 201) {
            mine.push(res.body.id);
            acknowledged.set(res.body.id, marker);
          }
        } else {
          const id = mine[n % mine.length];
          const marker = `w${w}-n${n}-patch`;
          const res = await post(`/api/tasks/${id}`, payload(marker), token, 'PATCH');
          if (res.status === 200) acknowledged.set(id, marker);
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, 2_000));
    api.process.kill('SIGKILL');
    await api.exited;
    killed = true;
    await Promise.all(writers);

    // Whatever was in flight at the kill: all or nothing, never a torn row.
    const { rows } = await check.query<{ id: string; title: string; description: string; tags: string[] }>('SELECT id, title, description, tags FROM tasks');
    expect(tornRows(rows)).toEqual([]);
    expect(tornRows([{ id: 'probe', ...payload('a'), tags: payload('b').tags }])).toHaveLength(1);
    const stored = new Map(rows.map((row) => [row.id, row.title.replace(/^crash /, '')]));
    const lost: string[] = [];
    for (const [id, marker] of acknowledged) {
      const now = stored.get(id);
      // The last acknowledged write, or a later one whose answer the kill swallowed.
      const [, ackWriter, ackN] = /^w(\d+)-n(\d+)/.exec(marker) ?? [];
      const [, nowWriter, nowN] = /^w(\d+)-n(\d+)/.exec(now ?? '') ?? [];
      if (now === undefined || nowWriter !== ackWriter || Number(nowN) < Number(ackN)) lost.push(`${id}: acknowledged ${marker}, stored ${now}`);
    }
    expect(lost).toEqual([]);
    process.stdout.write(`SIGKILL mid-write: ${attempts} writes attempted, ${acknowledged.size} tasks acknowledged, ${rows.length} rows, all whole\n`);
    expect(acknowledged.size).toBeGreaterThan(WRITERS);

    // The same database, a new process: it starts, re-runs migrations (none pending) and serves the data.
    api = await spawnApi({ DATABASE_URL: db.url });
    await waitHealthy(api);
    const list = await fetch(`${api.baseUrl}/api/tasks?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    expect(Number(list.headers.get('x-total-count'))).toBe(rows.length);
    await killApi(api, 'SIGTERM');
    api = undefined;
  }, 60_000);

  it('re-runs migrations cleanly after kills during start-up', async () => {
    const fresh = await createTestDatabase();
    try {
      // Kill at different moments of start-up: connecting, mapping routes, migrating.
      for (const trigger of [/Starting Nest application/, /Mapped \{\/health/, /Mapped \{\/api\/tasks\/:id, DELETE\}/]) {
        const starting = await spawnApi({ DATABASE_URL: fresh.url });
        const deadline = Date.now() + 20_000;
        while (!starting.output.some((line) => trigger.test(line)) && starting.process.exitCode === null && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 2));
        }
        await killApi(starting);
      }
      const restarted = await spawnApi({ DATABASE_URL: fresh.url });
      await waitHealthy(restarted);
      await killApi(restarted, 'SIGTERM');

      const migrate = spawnSync(process.execPath, [MIGRATE], { env: { PATH: process.env.PATH, DATABASE_URL: fresh.url, JWT_SECRET: 'x'.repeat(40) }, encoding: 'utf8', timeout: 60_000 });
      expect({ status: migrate.status, stderr: migrate.stderr }).toEqual({ status: 0, stderr: '' });

      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      try {
        const { rows: migrations } = await client.query('SELECT name, count(*)::int AS n FROM migrations GROUP BY name');
        expect(migrations.length).toBeGreaterThan(0);
        for (const m of migrations) expect(m.n).toBe(1);
        const { rows: tables } = await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
        expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['migrations', 'tasks', 'users']));
        // The schema is complete, constraints included.
        const { rows: checks } = await client.query("SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'tasks'::regclass AND contype = 'c'");
        expect(checks[0].n).toBeGreaterThanOrEqual(2);
      } finally {
        await client.end();
      }
    } finally {
      await fresh.drop();
    }
  }, 120_000);

  it('comes back after a SIGKILL with the embedded database (the default, `npm start`)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'evo-rel-embedded-'));
    const env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()) };
    const pidFile = join(dataDir, 'pg', 'postmaster.pid');
    let first: ApiProcess | undefined;
    let second: ApiProcess | undefined;
    try {
      first = await spawnApi(env);
      await waitHealthy(first);
      const { email, password } = await signUpOn(first, 'embedded');
      // No chance to stop its PostgreSQL: the server it started is left running, orphaned.
      await killApi(first);

      second = await spawnApi(env, first.port);
      await waitHealthy(second, 30_000);
      const login = await fetch(`${second.baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      expect(login.status).toBe(200);
      await killApi(second, 'SIGTERM');
      expect((await second.exited).code).toBe(0);
      // Stopped cleanly this time: no server left behind.
      expect(existsSync(pidFile)).toBe(false);
    } finally {
      if (second) await killApi(second);
      // Whatever PostgreSQL these runs left behind (ours: started by the API under test) is stopped.
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
        try {
          process.kill(pid, 'SIGINT');
          for (let i = 0; i < 100 && existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
        } catch {
          // already gone
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
