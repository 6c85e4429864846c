import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { clientWithDeadline } from '../../src/database/query-deadline';
import { type ApiProcess, killApi, signUpOn, spawnApi, waitHealthy } from '../support/api-process';

/**
 * A database that stops answering without closing anything (its host froze,
 * or a network drops every packet): no statement_timeout fires and TCP sees
 * nothing wrong. Played with a TCP proxy in front of the test database that
 * stops forwarding. The client-side deadline (src/database/query-deadline.ts)
 * must fail the statement and let the pool start afresh.
 */
class FreezableProxy {
  private readonly pairs = new Set<[Socket, Socket]>();
  private frozen = false;
  private server!: Server;
  port = 0;

  constructor(private readonly target: URL) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      client.on('error', () => undefined);
      if (this.frozen) return; // accepted, never answered
      const upstream = connect(Number(this.target.port), this.target.hostname);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      this.pairs.add([client, upstream]);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  url(database?: string): string {
    const url = new URL(this.target);
    if (database) url.pathname = `/${database}`;
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** Nothing more goes through, either way; every socket stays open. */
  freeze(): void {
    this.frozen = true;
    for (const [client, upstream] of this.pairs) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** New connections go through again; the frozen ones are cut. */
  thaw(): void {
    this.frozen = false;
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  async stop(): Promise<void> {
    this.thaw();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('a database that stops answering', () => {
  let proxy: FreezableProxy;

  beforeEach(async () => {
    proxy = new FreezableProxy(new URL(process.env.TEST_ADMIN_DATABASE_URL!));
    await proxy.start();
  });

  afterEach(async () => {
    await proxy.stop();
  });

  it('fails the statement in flight after the deadline, never an idle connection, and the pool recovers', async () => {
    const pool = new pg.Pool({ connectionString: proxy.url(), max: 2, Client: clientWithDeadline(400, 50) });
    pool.on('error', () => undefined);
    try {
      const first = await pool.connect();
      // Idle for longer than the deadline: nothing is owed, so nothing is closed.
      await first.query('SELECT 1');
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect((await first.query('SELECT 2 AS n')).rows).toEqual([{ n: 2 }]);
      first.release();

      proxy.freeze();
      const started = Date.now();
      await expect(pool.query('SELECT 3')).rejects.toThrow(/Connection terminated/);
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(400);
      expect(waited).toBeLessThan(2_000);

      proxy.thaw();
      expect((await pool.query('SELECT 4 AS n')).rows).toEqual([{ n: 4 }]);
      expect(pool.totalCount).toBeLessThanOrEqual(2);
    } finally {
      await pool.end();
    }
  });

  it('the API answers 503 in the error shape instead of hanging, and serves again once the database is back', async () => {
    let api: ApiProcess | undefined;
    const database = `evo_freeze_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.query(`CREATE DATABASE ${database}`);
    try {
      // A 1 s statement limit makes the client-side deadline 6 s.
      api = await spawnApi({ DATABASE_URL: proxy.url(database), DB_STATEMENT_TIMEOUT: '1' });
      await waitHealthy(api);
      const { auth } = await signUpOn(api, 'freeze');
      const list = () =>
        fetch(`${api!.baseUrl}/api/tasks`, { headers: auth, signal: AbortSignal.timeout(15_000) });
      expect((await list()).status).toBe(200);

      proxy.freeze();
      const started = Date.now();
      const res = await list();
      const waited = Date.now() - started;
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { code: number; message: string } };
      expect(body.error.code).toBe(503);
      expect(waited).toBeGreaterThanOrEqual(5_000);
      expect(waited).toBeLessThan(9_000);

      proxy.thaw();
      expect((await list()).status).toBe(200);
    } finally {
      if (api) await killApi(api, 'SIGKILL');
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  }, 60_000);
});
