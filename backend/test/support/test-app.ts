import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { killApi, spawnApi, TEST_JWT_SECRET, waitHealthy } from './api-process';
import { ContractProxy } from './contract-proxy';

export { TEST_JWT_SECRET };

export interface TestApp {
  /** Where tests send requests: the contract proxy in front of the API, or the API itself. */
  readonly baseUrl: string;
  /** The API itself, past the contract proxy. */
  readonly apiUrl: string;
  /** Checks every exchange against docs/openapi.json (e2e and security suites); close() fails on a violation. */
  readonly contract?: ContractProxy;
  /** supertest against the running API */
  readonly http: ReturnType<typeof request>;
  /** Direct access to this file's database, to check what the API really stored. */
  readonly db: pg.Pool;
  readonly databaseUrl: string;
  /** Every line the API wrote to stdout and stderr so far. */
  readonly output: string[];
  readonly process: ChildProcess;
  close(): Promise<void>;
}

/** A fresh, empty database on the test PostgreSQL (global-setup). */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run through jest (global-setup)');
  const name = `test_${randomUUID().replaceAll('-', '')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withAdmin(url: string, fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

/** Set (jest.config.mjs `globals`) for the suites whose traffic is checked against the OpenAPI document. */
declare const __CONTRACT_PROXY__: boolean | undefined;

/**
 * Boots the built API (dist/main.js, exactly what production runs) as a
 * separate process on its own fresh database, and waits until it is healthy.
 * In the e2e and security suites the tests talk to it through the contract
 * proxy, and close() fails the file when an exchange contradicted the
 * OpenAPI document.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const api = await spawnApi({ DATABASE_URL: database.url, ...env });
  try {
    await waitHealthy(api);
  } catch (error) {
    await killApi(api);
    throw error;
  }
  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  // An idle connection cut by a test (a database outage, a restart) is an
  // 'error' on the pool; the pool drops it and opens another when asked.
  db.on('error', () => undefined);
  const contract = typeof __CONTRACT_PROXY__ !== 'undefined' && __CONTRACT_PROXY__ ? await ContractProxy.start({ host: '127.0.0.1', port: api.port }) : undefined;
  const baseUrl = contract?.url ?? api.baseUrl;

  return {
    baseUrl,
    apiUrl: api.baseUrl,
    contract,
    http: request(baseUrl),
    db,
    databaseUrl: database.url,
    output: api.output,
    process: api.process,
    close: async () => {
      await db.end();
      await stopProcess(api.process);
      await contract?.close();
      await database.drop();
      // CONTRACT_NOTES=1: list the requests the document allows that the API refused (rules no schema states).
      if (contract && process.env.CONTRACT_NOTES) process.stdout.write(`${contract.notes.map((note) => `contract note: ${note}`).join('\n')}\n`);
      contract?.assertNoViolations();
    },
  };
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolveExit(code);
    });
    child.kill(signal);
  });
}

export interface TestUser {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly token: string;
  readonly auth: { Authorization: string };
  /** The user's Inbox, where tasks go when no project is named. */
  readonly inboxId: string;
}

export async function createUser(t: TestApp, email?: string, password = 'correct horse 1'): Promise<TestUser> {
  const address = email ?? `user.${randomUUID().slice(0, 12)}@example.com`;
  const res = await t.http.post('/auth/signup').send({ email: address, password }).expect(201);
  const token = res.body.access_token as string;
  const { rows } = await t.db.query('SELECT id FROM projects WHERE user_id = $1 AND is_inbox', [res.body.user.id]);
  return {
    id: res.body.user.id,
    email: res.body.user.email,
    password,
    token,
    auth: { Authorization: `Bearer ${token}` },
    inboxId: rows[0].id as string,
  };
}

/**
 * What a task carries beyond the fields of the original contract, as a
 * task created with none of them set has it (in `user`'s Inbox, at the top
 * level, not recurring, without subtasks).
 */
export function organizeDefaults(user: TestUser) {
  return {
    project_id: user.inboxId,
    parent_id: null,
    position: expect.any(Number),
    due_time: null,
    recurrence: null,
    series_id: null,
    next_occurrence_id: null,
    subtask_count: 0,
    subtask_done_count: 0,
  };
}

export interface TaskBody {
  id: string;
  user_id: string;
  project_id: string;
  parent_id: string | null;
  position: number;
  title: string;
  description: string | null;
  status: string;
  priority: string | null;
  tags: string[];
  due_date: string | null;
  due_time: string | null;
  recurrence: { rrule: string; from: 'due' | 'completion' } | null;
  series_id: string | null;
  next_occurrence_id: string | null;
  subtask_count: number;
  subtask_done_count: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export async function createTask(t: TestApp, user: TestUser, body: Record<string, unknown> = {}): Promise<TaskBody> {
  const res = await t.http
    .post('/api/tasks')
    .set(user.auth)
    .send({ title: `Task ${randomUUID().slice(0, 8)}`, ...body })
    .expect(201);
  return res.body as TaskBody;
}

/** Every error of the API has this shape. */
export function expectError(res: { status: number; body: unknown; headers: Record<string, string> }, code: number, message?: string | RegExp): void {
  expect(res.status).toBe(code);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const expectedMessage = message === undefined ? expect.any(String) : message instanceof RegExp ? expect.stringMatching(message) : message;
  expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expectedMessage }) });
}

/**
 * Live tasks as stored, read straight from the database in the wire's shape,
 * to compare with what the API answered. `where` filters `tasks t`.
 */
export async function storedTasks(t: TestApp, where: string, params: unknown[]): Promise<TaskBody[]> {
  const { rows } = await t.db.query(
    `SELECT id, user_id, project_id, parent_id, position, title, description, status, priority, tags,
            due_date::text AS due_date, to_char(due_time, 'HH24:MI') AS due_time,
            CASE WHEN recurrence IS NULL THEN NULL ELSE jsonb_build_object('rrule', recurrence->'rrule', 'from', recurrence->'from') END
              AS recurrence,
            series_id, next_occurrence_id,
            (SELECT count(*)::int FROM tasks c WHERE c.parent_id = t.id AND c.deleted_at IS NULL) AS subtask_count,
            (SELECT count(*)::int FROM tasks c WHERE c.parent_id = t.id AND c.deleted_at IS NULL AND c.status = 'done') AS subtask_done_count,
            created_at, updated_at, version::int AS version
     FROM tasks t WHERE deleted_at IS NULL AND ${where}`,
    params,
  );
  return rows.map((row) => ({ ...row, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() }));
}
