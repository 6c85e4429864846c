import { createHash } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS } from '../../src/database/data-source-options';
import { type ApiProcess, spawnApi, waitHealthy } from '../support/api-process';
import { TEST_JWT_SECRET, createTestDatabase, stopProcess } from '../support/test-app';
import { forgeToken } from '../support/tokens';

/** The migration under test; everything before it builds the schema it finds. */
const ORGANIZE = 1764230000000;
const timestampOf = (migration: { name: string }) => Number(/(\d{13})$/.exec(migration.name)?.[1]);
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * Upgrading a database that already holds users, tasks, events and
 * idempotency keys: every user gets one Inbox and every task a project and a
 * place, without its version moving (no client is told of a change that is
 * not one); the outbox keeps its history under its new name; a create
 * retried with a key from before the upgrade is still answered from it.
 */
describe('the organize migration on a database in use', () => {
  let database: { url: string; drop(): Promise<void> };
  let api: ApiProcess;
  let source: DataSource;
  let http: ReturnType<typeof request>;
  const auth = (user: number) => ({
    Authorization: `Bearer ${forgeToken({ sub: id(user), exp: Math.floor(Date.now() / 1000) + 600 }, { secret: TEST_JWT_SECRET })}`,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    const before = new DataSource({ ...dataSourceOptions(database.url), migrations: MIGRATIONS.filter((m) => timestampOf(m) < ORGANIZE) });
    await before.initialize();
    try {
      await before.runMigrations({ transaction: 'each' });
      for (const n of [1, 2]) {
        await before.query("INSERT INTO users (id, email, hashed_password) VALUES ($1, $2, 'x')", [id(n), `legacy${n}@example.com`]);
      }
      // Three tasks for user 1 (created in this order), one for user 2; the trigger writes their events.
      for (const [n, user, created] of [[11, 1, '2026-01-03'], [12, 1, '2026-01-01'], [13, 1, '2026-01-02'], [21, 2, '2026-01-01']] as const) {
        await before.query('INSERT INTO tasks (id, user_id, title, created_at) VALUES ($1, $2, $3, $4)', [id(n), id(user), `Legacy ${n}`, created]);
      }
      await before.query("UPDATE tasks SET status = 'done' WHERE id = $1", [id(11)]);
      const body = { title: 'Retried across the upgrade' };
      await before.query(
        `INSERT INTO idempotency_keys (user_id, key, request_hash, response, expires_at)
         VALUES ($1, 'legacy-key', $2, $3, now() + interval '1 day')`,
        [id(1), createHash('sha256').update(JSON.stringify(body)).digest('hex'), JSON.stringify({ id: id(13), title: 'Legacy 13', version: 1 })],
      );
    } finally {
      await before.destroy();
    }
    api = await spawnApi({ DATABASE_URL: database.url });
    await waitHealthy(api);
    http = request(api.baseUrl);
    source = await new DataSource(dataSourceOptions(database.url)).initialize();
  });

  afterAll(async () => {
    if (source?.isInitialized) await source.destroy();
    if (api) await stopProcess(api.process);
    await database?.drop();
  });

  it('gives every existing user exactly one Inbox, holding their tasks in creation order, versions unchanged', async () => {
    const inboxes: { user_id: string; id: string; name: string }[] = await source.query(
      'SELECT user_id, id, name FROM projects WHERE is_inbox ORDER BY user_id',
    );
    expect(inboxes.map((p) => [p.user_id, p.name])).toEqual([
      [id(1), 'Inbox'],
      [id(2), 'Inbox'],
    ]);
    const tasks: { id: string; project_id: string; position: number; version: string }[] = await source.query(
      'SELECT id, project_id, position, version FROM tasks ORDER BY id',
    );
    const inboxOf = (user: number) => inboxes.find((p) => p.user_id === id(user))?.id;
    expect(tasks.map((task) => [task.id, task.project_id, task.position, Number(task.version)])).toEqual([
      [id(11), inboxOf(1), 3072, 2],
      [id(12), inboxOf(1), 1024, 1],
      [id(13), inboxOf(1), 2048, 1],
      [id(21), inboxOf(2), 1024, 1],
    ]);
  });

  it('keeps the event history under the new name, and carries on numbering it', async () => {
    const events: { entity_id: string; type: string; seq: string }[] = await source.query(
      'SELECT entity_id, type, seq FROM events WHERE user_id = $1 ORDER BY seq',
      [id(1)],
    );
    expect(events.map((e) => [e.entity_id, e.type])).toEqual([
      [id(11), 'task.created'],
      [id(12), 'task.created'],
      [id(13), 'task.created'],
      [id(11), 'task.updated'],
    ]);
    await http.post('/api/tasks').set(auth(1)).send({ title: 'After the upgrade' }).expect(201);
    const [{ last }] = await source.query('SELECT max(seq)::int AS last FROM events WHERE user_id = $1', [id(1)]);
    expect(last).toBeGreaterThan(4);
  });

  it('serves the existing users: their list, their Inbox, a replay of a key stored before', async () => {
    const list = await http.get('/api/tasks?sort=position').set(auth(1)).expect(200);
    expect(list.body.map((task: { title: string }) => task.title).slice(0, 3)).toEqual(['Legacy 12', 'Legacy 13', 'Legacy 11']);
    const projects = await http.get('/api/projects').set(auth(2)).expect(200);
    expect(projects.body).toEqual([expect.objectContaining({ name: 'Inbox', is_inbox: true, open_task_count: 1 })]);
    const replay = await http.post('/api/tasks').set(auth(1)).set('Idempotency-Key', 'legacy-key').send({ title: 'Retried across the upgrade' });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(id(13));
  });

  it('gives a user who signs up afterwards an Inbox too', async () => {
    const res = await http.post('/auth/signup').send({ email: 'new@example.com', password: 'correct horse 1' }).expect(201);
    const [{ n }] = await source.query('SELECT count(*)::int AS n FROM projects WHERE user_id = $1 AND is_inbox', [res.body.user.id]);
    expect(n).toBe(1);
  });
});
