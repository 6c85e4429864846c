import * as bcrypt from 'bcrypt';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS } from '../../src/database/data-source-options';
import { type ApiProcess, spawnApi, waitHealthy } from '../support/api-process';
import { createTestDatabase, stopProcess } from '../support/test-app';

/** The migration under test; everything before it builds the legacy schema. */
const NORMALIZING_MIGRATION = 1764210000000;
const timestampOf = (migration: { name: string }) => Number(/(\d{13})$/.exec(migration.name)?.[1]);

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * Accounts and tags stored before emails and tags were normalized, as the
 * old API (trim + toLowerCase) or a hand-made row could leave them. Starting
 * the API migrates them: emails normalized without merging anyone, collisions
 * recorded and logged by user id only, every owner still able to log in with
 * their own password, tags with one spelling each.
 */
describe('normalizing stored emails and tags (migration)', () => {
  const legacyUsers = [
    // Decomposed, older; the newer account below already holds the normal form.
    { n: 1, email: 'jose\u0301@example.com', created: '2024-01-01', password: 'password one' },
    { n: 2, email: 'jos\u00e9@example.com', created: '2025-01-01', password: 'password two' },
    // Neither holds the normal form: the older one gets it.
    { n: 3, email: 'mari\u0301a@example.org', created: '2023-01-01', password: 'password three' },
    { n: 4, email: '\uff4d\uff41\uff52\u00ed\uff41@example.org', created: '2024-06-01', password: 'password four' },
    { n: 5, email: 'οδυσσευς@example.gr', created: '2024-01-01', password: 'password five' },
    { n: 6, email: 'ZW\u200bJ@Example.com', created: '2024-01-01', password: 'password six' },
    { n: 7, email: 'plain@example.com', created: '2024-01-01', password: 'password seven' },
    { n: 8, email: 'Grace@EXAMPLE.com', created: '2024-01-01', password: 'password eight' },
  ];
  const legacyTasks = [
    { n: 101, tags: ['Work', 'work', 'cafe\u0301', 'CAF\u00c9', 'x'] },
    { n: 102, tags: ['b', 'B', 'a'] },
    { n: 103, tags: ['x', 'y'] },
    { n: 104, tags: ['caf\u00e9', 'Home'] },
  ];

  let database: { url: string; drop(): Promise<void> };
  let api: ApiProcess;
  let source: DataSource;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const legacy = new DataSource({
      ...dataSourceOptions(database.url),
      migrations: MIGRATIONS.filter((m) => timestampOf(m) < NORMALIZING_MIGRATION),
    });
    await legacy.initialize();
    try {
      await legacy.runMigrations({ transaction: 'each' });
      for (const user of legacyUsers) {
        await legacy.query('INSERT INTO users (id, email, hashed_password, created_at) VALUES ($1, $2, $3, $4)', [
          id(user.n),
          user.email,
          bcrypt.hashSync(user.password, 4),
          user.created,
        ]);
      }
      for (const task of legacyTasks) {
        await legacy.query('INSERT INTO tasks (id, user_id, title, tags) VALUES ($1, $2, $3, $4)', [id(task.n), id(7), `Task ${task.n}`, task.tags]);
      }
    } finally {
      await legacy.destroy();
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

  const emails = async () =>
    Object.fromEntries(
      ((await source.query('SELECT id, email FROM users ORDER BY id')) as { id: string; email: string }[]).map((r) => [r.id, r.email]),
    );

  it('normalizes every stored email that has a free normal form, and leaves the colliding ones as they were', async () => {
    expect(await emails()).toEqual({
      [id(1)]: 'jose\u0301@example.com',
      [id(2)]: 'jos\u00e9@example.com',
      [id(3)]: 'mar\u00eda@example.org',
      [id(4)]: '\uff4d\uff41\uff52\u00ed\uff41@example.org',
      [id(5)]: 'οδυσσευσ@example.gr',
      [id(6)]: 'zwj@example.com',
      [id(7)]: 'plain@example.com',
      [id(8)]: 'grace@example.com',
    });
  });

  it('records each collision, naming the account that kept the normal form', async () => {
    const rows = await source.query(
      'SELECT user_id, email, normalized_email, kept_user_id FROM email_normalization_conflicts ORDER BY user_id',
    );
    expect(rows).toEqual([
      { user_id: id(1), email: 'jose\u0301@example.com', normalized_email: 'jos\u00e9@example.com', kept_user_id: id(2) },
      { user_id: id(4), email: '\uff4d\uff41\uff52\u00ed\uff41@example.org', normalized_email: 'mar\u00eda@example.org', kept_user_id: id(3) },
    ]);
  });

  it('reports the collisions in one warning line with the count and the user ids, never the addresses', () => {
    const warnings = api.output.filter((line) => line.includes('email_normalization_conflicts'));
    expect(warnings).toHaveLength(1);
    const warning = JSON.parse(warnings[0]) as { level: number; msg: string };
    expect(warning.level).toBe(40);
    expect(warning.msg).toContain('2 account(s)');
    expect(warning.msg).toContain(id(1));
    expect(warning.msg).toContain(id(4));
    for (const line of api.output) expect(line).not.toMatch(/@example\.|οδυσσευ|jos[eé]|mar[ií]a|ｍａｒ/i);
  });

  it('lets every owner of a colliding address log in with their own password, whatever spelling they type', async () => {
    const cases: [string, string, number][] = [
      ['jos\u00e9@example.com', 'password one', 1],
      ['jose\u0301@example.com', 'password one', 1],
      ['JOS\u00c9@example.com', 'password two', 2],
      ['jose\u0301@example.com', 'password two', 2],
      ['mar\u00eda@example.org', 'password three', 3],
      ['\uff4d\uff41\uff52\u00ed\uff41@example.org', 'password three', 3],
      ['mar\u00eda@example.org', 'password four', 4],
      ['ＭＡＲÍＡ@example.org', 'password four', 4],
      ['ΟΔΥΣΣΕΥΣ@example.gr', 'password five', 5],
      ['zwj@example.com', 'password six', 6],
      ['GRACE@example.com', 'password eight', 8],
    ];
    for (const [email, password, n] of cases) {
      const res = await http.post('/auth/login').send({ email, password });
      expect({ email, password, status: res.status, id: res.body.user?.id }).toEqual({ email, password, status: 200, id: id(n) });
    }
    const wrong = await http.post('/auth/login').send({ email: 'jos\u00e9@example.com', password: 'password three' });
    expect(wrong.status).toBe(401);
  });

  it('refuses a new signup with a collided address', async () => {
    const res = await http.post('/auth/signup').send({ email: 'jose\u0301@EXAMPLE.com', password: 'yet another one' });
    expect(res.status).toBe(409);
  });

  it('keeps one spelling per tag, in NFC, and rewrites only the tasks that change', async () => {
    const rows: { id: string; tags: string[]; version: string }[] = await source.query('SELECT id, tags, version FROM tasks ORDER BY id');
    expect(rows.map((r) => ({ id: r.id, tags: r.tags, version: Number(r.version) }))).toEqual([
      { id: id(101), tags: ['Work', 'caf\u00e9', 'x'], version: 2 },
      { id: id(102), tags: ['b', 'a'], version: 2 },
      { id: id(103), tags: ['x', 'y'], version: 1 },
      { id: id(104), tags: ['caf\u00e9', 'Home'], version: 1 },
    ]);
    // A real change of the task's data: its owner's live streams hear of it.
    const events: { task_id: string }[] = await source.query("SELECT entity_id AS task_id FROM events WHERE type = 'task.updated' ORDER BY entity_id");
    expect(events.map((e) => e.task_id)).toEqual([id(101), id(102)]);
  });
});
