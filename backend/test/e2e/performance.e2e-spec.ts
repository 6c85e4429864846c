import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { ListTasksQuery } from '../../src/tasks/dto/list-tasks.query';
import { filterClause, listQuery, parseSort } from '../../src/tasks/tasks.repository';
import { createTask, createTestDatabase, createUser, startTestApp, type TestApp } from '../support/test-app';

/**
 * The properties behind the speed (the speed itself is measured by
 * `npm run bench`, not here): list, filter and count queries walk indexes on
 * a 100,000-task table, and no route runs a query per row.
 */
const MIGRATE = fileURLToPath(new URL('../../dist/database/migrate.js', import.meta.url));

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Parent Relationship'?: string;
  Plans?: PlanNode[];
}
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

describe('query plans on 100,000 tasks', () => {
  let db: pg.Client;
  let drop: () => Promise<void>;
  let ordinary: string;
  let heavy: string;

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    const migrated = spawnSync(process.execPath, [MIGRATE], { env: { PATH: process.env.PATH, DATABASE_URL: database.url }, encoding: 'utf8' });
    expect(migrated.status).toBe(0);
    db = new pg.Client({ connectionString: database.url });
    await db.connect();
    // 1,000 users x 80 tasks + one heavy user x 20,000, as the benchmark seeds them.
    await db.query(`INSERT INTO users (email, hashed_password) SELECT 'u' || g || '@example.com', 'x' FROM generate_series(1, 1000) g`);
    await db.query(`INSERT INTO users (email, hashed_password) VALUES ('heavy@example.com', 'x')`);
    const seed = (where: string, n: number) =>
      db.query(
        `INSERT INTO tasks (user_id, title, description, status, priority, tags, due_date, created_at, updated_at)
         SELECT u.id, 'Task ' || g, CASE WHEN g % 3 = 0 THEN 'about invoices ' || g END,
                (ARRAY['todo','in-progress','done'])[1 + g % 3], (ARRAY['low','medium','high',NULL])[1 + g % 4],
                CASE g % 4 WHEN 0 THEN ARRAY[]::text[] WHEN 1 THEN ARRAY['work'] WHEN 2 THEN ARRAY['home','urgent'] ELSE ARRAY['errand'] END,
                CASE WHEN g % 4 = 0 THEN NULL ELSE date '2026-06-01' + g % 365 END,
                now() - make_interval(mins => g), now() - make_interval(mins => (g * 7919) % 100000)
         FROM users u CROSS JOIN generate_series(1, ${n}) g WHERE ${where}`,
      );
    // Seeding is not a change anyone follows: no outbox events for it.
    await db.query('ALTER TABLE tasks DISABLE TRIGGER tasks_record_event');
    await seed("u.email LIKE 'u%'", 80);
    await seed("u.email = 'heavy@example.com'", 20_000);
    await db.query('ALTER TABLE tasks ENABLE TRIGGER tasks_record_event');
    await db.query('VACUUM ANALYZE');
    const { rows } = await db.query("SELECT (SELECT id FROM users WHERE email = 'u1@example.com') AS o, (SELECT id FROM users WHERE email = 'heavy@example.com') AS h, (SELECT count(*)::int FROM tasks) AS n");
    expect(rows[0].n).toBe(100_000);
    [ordinary, heavy] = [rows[0].o, rows[0].h];
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await drop?.();
  });

  const cases: [string, Partial<ListTasksQuery>][] = [
    ['the default list', {}],
    ['a status filter sorted by -updated_at', { status: ['in-progress'], sort: '-updated_at' }],
    ['a priority filter', { priority: ['high', 'medium'] }],
    ['a tag filter', { tag: ['work'] }],
    ['a text search', { q: 'invoice' }],
    ['due dates in a range sorted by due_date', { due_after: '2026-07-01', due_before: '2026-08-01', sort: 'due_date' }],
    ['sorted by priority', { sort: 'priority' }],
    ['sorted by -priority', { sort: '-priority' }],
    ['sorted by -due_date', { sort: '-due_date' }],
    ['sorted by title', { sort: 'title' }],
    ['sorted by -title', { sort: '-title' }],
    ['sorted by created_at', { sort: 'created_at' }],
    ['a later page', { offset: 500 }],
  ];

  it.each(cases)('uses indexes, never a sequential scan of tasks, for %s', async (_name, query) => {
    for (const userId of [ordinary, heavy]) {
      const [field, direction] = parseSort(query.sort ?? '-created_at');
      const [sql, params] = listQuery(filterClause(userId, query as ListTasksQuery), field, direction, 50, query.offset ?? 0);
      const { rows } = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const nodes = nodesOf(rows[0]['QUERY PLAN'][0].Plan);
      const onTasks = nodes.filter((n) => n['Relation Name'] === 'tasks');
      expect(onTasks.length).toBeGreaterThanOrEqual(2); // the page and the count
      expect(onTasks.map((n) => n['Node Type'])).not.toContain('Seq Scan');
      for (const node of onTasks) expect(node['Node Type']).toMatch(/Index Scan|Index Only Scan|Bitmap Heap Scan/);
    }
  });

  // The count walks the index alone: trashed tasks are outside the partial
  // index instead of being filtered out row by row on the heap.
  it.each(cases.slice(0, 2))('counts %s from the index alone', async (_name, query) => {
    for (const userId of [ordinary, heavy]) {
      const [field, direction] = parseSort(query.sort ?? '-created_at');
      const [sql, params] = listQuery(filterClause(userId, query as ListTasksQuery), field, direction, 50, 0);
      const { rows } = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const counts = nodesOf(rows[0]['QUERY PLAN'][0].Plan).filter((n) => n['Node Type'] === 'Aggregate' && n['Parent Relationship'] === 'InitPlan');
      expect(counts).toHaveLength(1);
      const counted = nodesOf(counts[0]).filter((n) => n['Relation Name'] === 'tasks');
      expect(counted.map((n) => n['Node Type'])).toEqual(['Index Only Scan']);
    }
  });
});

describe('no query per row', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'debug' });
  });
  afterAll(async () => {
    await t.close();
  });

  /** The SQL statements the API ran while serving `request`. */
  async function statementsOf(request: () => Promise<unknown>): Promise<string[]> {
    await new Promise((r) => setTimeout(r, 100));
    const before = t.output.length;
    await request();
    await new Promise((r) => setTimeout(r, 150));
    return t.output.slice(before).filter((line) => line.includes('"context":"SQL"'));
  }

  it('lists 1 task and 60 tasks with the same number of statements', async () => {
    const user = await createUser(t);
    await createTask(t, user);
    const one = await statementsOf(() => t.http.get('/api/tasks').set(user.auth).expect(200));
    await Promise.all(Array.from({ length: 59 }, (_, i) => createTask(t, user, { title: `Task number ${i}`, tags: ['a', 'b'] })));
    const sixty = await statementsOf(() => t.http.get('/api/tasks?limit=100').set(user.auth).expect(200));
    expect(one.length).toBeGreaterThan(0);
    expect(sixty).toHaveLength(one.length);
    expect(one.length).toBeLessThanOrEqual(1);
  });

  it('serves every single-task route in at most two statements', async () => {
    const user = await createUser(t);
    const task = await createTask(t, user, { tags: ['x', 'y', 'z'] });
    const counts = {
      create: (await statementsOf(() => t.http.post('/api/tasks').set(user.auth).send({ title: 'Counted', tags: ['a', 'b', 'c'] }).expect(201))).length,
      get: (await statementsOf(() => t.http.get(`/api/tasks/${task.id}`).set(user.auth).expect(200))).length,
      patch: (await statementsOf(() => t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({ title: 'Counted again' }).expect(200))).length,
      delete: (await statementsOf(() => t.http.delete(`/api/tasks/${task.id}`).set(user.auth).expect(204))).length,
      me: (await statementsOf(() => t.http.get('/auth/me').set(user.auth).expect(200))).length,
    };
    expect(counts).toEqual({ create: 1, get: 1, patch: 2, delete: 2, me: 1 });
  });
});
