import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EmbeddedDatabase, freePort, startEmbeddedDatabase } from '../../src/database/embedded-database';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

/** The built API as a child process, for tests that kill, restart or starve it. */
export interface ApiProcess {
  readonly baseUrl: string;
  readonly port: number;
  readonly output: string[];
  readonly process: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) and when it happened. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** `nodeArgs`: flags for node itself, such as the production image's heap cap. */
export async function spawnApi(env: Record<string, string>, port?: number, nodeArgs: string[] = []): Promise<ApiProcess> {
  const chosenPort = port ?? (await freePort());
  const output: string[] = [];
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      PORT: String(chosenPort),
      DATA_DIR: mkdtempSync(join(tmpdir(), 'evo-rel-data-')),
      JWT_SECRET: TEST_JWT_SECRET,
      BCRYPT_ROUNDS: '4',
      AUTH_RATE_LIMIT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { baseUrl: `http://127.0.0.1:${chosenPort}`, port: chosenPort, output, process: child, exited };
}

/** An account on a spawned API, with what a test needs to call it or to log in again. */
export interface SpawnedAccount {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly token: string;
  readonly auth: { Authorization: string };
}

/** Signs up a new account (`name` plus a unique suffix) on a spawned API; the sign-up must answer 201. */
export async function signUpOn(api: ApiProcess, name: string): Promise<SpawnedAccount> {
  const email = `${name}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = 'correct horse 1';
  const res = await fetch(`${api.baseUrl}/auth/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { access_token: string; user: { id: string } };
  return { id: body.user.id, email, password, token: body.access_token, auth: { Authorization: `Bearer ${body.access_token}` } };
}

export async function waitHealthy(api: ApiProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (api.process.exitCode !== null) throw new Error(`API exited with ${api.process.exitCode}:\n${api.output.join('\n')}`);
    try {
      if ((await fetch(`${api.baseUrl}/health`, { signal: AbortSignal.timeout(2_000) })).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`API did not become healthy:\n${api.output.join('\n')}`);
}

export async function killApi(api: ApiProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (api.process.exitCode === null && api.process.signalCode === null) api.process.kill(signal);
  await api.exited;
}

/**
 * A PostgreSQL server of the test's own, which it may stop and start again
 * (same data directory, same port) to play a database restart or outage.
 */
export class OwnDatabase {
  private server: EmbeddedDatabase | undefined;
  private constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<OwnDatabase> {
    const dataDir = mkdtempSync(join(tmpdir(), 'evo-rel-pg-'));
    const server = await startEmbeddedDatabase(dataDir, 0);
    const db = new OwnDatabase(dataDir, Number(new URL(server.url).port));
    db.server = server;
    return db;
  }

  url(database = 'postgres'): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  /** Fast shutdown: open connections are terminated, like `pg_ctl stop -m fast`. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.stop();
  }

  async restart(): Promise<void> {
    if (this.server) return;
    this.server = await startEmbeddedDatabase(this.dataDir, this.port);
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
