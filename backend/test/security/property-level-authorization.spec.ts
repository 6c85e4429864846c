import { startScannedApp, type ScannedApp } from '../support/leak-scanner';
import { createTask, createUser, expectError, type TaskBody, type TestUser } from '../support/test-app';

/**
 * OWASP API3 (broken object property level authorization): a client can
 * never set a property the server owns (mass assignment), and no response
 * carries a property it must not (a hash, a foreign id, another token). The
 * second half is checked on every response of this file by the LeakScanner,
 * and by the same scanner in every other file of the security suite.
 */
describe('API3 property-level authorization', () => {
  let t: ScannedApp;
  let user: TestUser;
  let other: TestUser;
  let task: TaskBody;
  const rowOf = async (id: string) => (await t.db.query('SELECT t::text AS row FROM tasks t WHERE id = $1', [id])).rows[0]?.row as string;

  beforeAll(async () => {
    t = await startScannedApp();
    user = await createUser(t);
    other = await createUser(t);
    task = await createTask(t, user, { title: 'Property target', tags: ['a'] });
  });
  afterAll(async () => {
    t.scanner.expectClean(30);
    await t.close();
  });

  const serverOwned = (): [string, unknown][] => [
    ['id', '11111111-1111-4111-8111-111111111111'],
    ['user_id', other.id],
    ['created_at', '2000-01-01T00:00:00.000Z'],
    ['updated_at', '2000-01-01T00:00:00.000Z'],
    ['version', 1000],
    ['userId', other.id],
    ['owner', other.id],
    ['hashed_password', '$2b$04$abcdefghijklmnopqrstuuFh0ZFQ3iE1uiXU8sKq1y0q0s0s0s0s0'],
    ['is_admin', true],
    ['role', 'admin'],
    ['__proto__', { admin: true }],
    ['constructor', { prototype: { admin: true } }],
  ];

  it('refuses each server-owned or unknown property on create with 400, and creates nothing', async () => {
    for (const [key, value] of serverOwned()) {
      const body = JSON.stringify({ title: `Mass ${key}` }).replace(/}$/, `,${JSON.stringify(key)}:${JSON.stringify(value)}}`);
      const res = await t.http.post('/api/tasks').set(user.auth).set('Content-Type', 'application/json').send(body);
      expectError(res, 400);
    }
    const { rows } = await t.db.query("SELECT count(*)::int AS n FROM tasks WHERE title LIKE 'Mass %'");
    expect(rows[0].n).toBe(0);
  });

  it('refuses each server-owned or unknown property on patch with 400, and changes nothing', async () => {
    const before = await rowOf(task.id);
    for (const [key, value] of serverOwned()) {
      const body = `{"title":"Patched title",${JSON.stringify(key)}:${JSON.stringify(value)}}`;
      const res = await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).set('Content-Type', 'application/json').send(body);
      expectError(res, 400);
    }
    expect(await rowOf(task.id)).toBe(before);
  });

  it('names the refused property in details', async () => {
    const res = await t.http.post('/api/tasks').set(user.auth).send({ title: 'Named', user_id: other.id, created_at: '2000-01-01' });
    expectError(res, 400);
    const fields = (res.body.error.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['user_id', 'created_at']));
  });

  it('refuses properties nested inside allowed ones', async () => {
    for (const body of [{ title: 'Nested', tags: [{ user_id: other.id }] }, { title: { user_id: other.id } }, { title: 'Nested', description: { admin: true } }]) {
      expectError(await t.http.post('/api/tasks').set(user.auth).send(body), 400);
    }
  });

  it('refuses server-owned properties on signup and login', async () => {
    for (const extra of [{ id: '11111111-1111-4111-8111-111111111111' }, { created_at: '2000-01-01T00:00:00.000Z' }, { hashed_password: 'x' }, { role: 'admin' }]) {
      expectError(await t.http.post('/auth/signup').send({ email: 'mass@example.com', password: 'password 123', ...extra }), 400);
      expectError(await t.http.post('/auth/login').send({ email: user.email, password: user.password, ...extra }), 400);
    }
    const { rows } = await t.db.query("SELECT count(*)::int AS n FROM users WHERE email = 'mass@example.com'");
    expect(rows[0].n).toBe(0);
  });

  it('answers with exactly the documented properties: no hash, no internal column', async () => {
    const me = await t.http.get('/auth/me').set(user.auth).expect(200);
    expect(Object.keys(me.body).sort()).toEqual(['created_at', 'email', 'id', 'time_zone']);
    const login = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    expect(Object.keys(login.body).sort()).toEqual(['access_token', 'expires_in', 'token_type', 'user']);
    expect(Object.keys(login.body.user).sort()).toEqual(['created_at', 'email', 'id', 'time_zone']);
    const keys = [
      'created_at', 'description', 'due_date', 'due_time', 'id', 'next_occurrence_id', 'parent_id', 'position', 'priority', 'project_id',
      'recurrence', 'series_id', 'status', 'subtask_count', 'subtask_done_count', 'tags', 'title', 'updated_at', 'user_id', 'version',
    ];
    expect(Object.keys((await t.http.get(`/api/tasks/${task.id}`).set(user.auth).expect(200)).body).sort()).toEqual(keys);
    for (const item of (await t.http.get('/api/tasks').set(user.auth).expect(200)).body) expect(Object.keys(item).sort()).toEqual(keys);
  });

  it('never echoes another user\'s data, even when the request names it', async () => {
    // The scanner checks the bodies; these requests put the other user's id and email in front of the API.
    await t.http.get(`/api/tasks?q=${other.id}`).set(user.auth).expect(200);
    await t.http.get(`/api/tasks?tag=${encodeURIComponent(other.email)}`).set(user.auth).expect(200);
    expectError(await t.http.post('/auth/signup').send({ email: other.email, password: 'password 123' }), 409, 'Email already registered');
    expectError(await t.http.post('/auth/login').send({ email: other.email, password: 'wrong password' }), 401);
    expect(t.scanner.violations).toEqual([]);
  });

  it('has a scanner that does catch a leak (the check can fail)', () => {
    const probe = new (t.scanner.constructor as new () => typeof t.scanner)();
    probe.knowUser(other.id, other.email);
    probe.inspect({ method: 'GET', url: '/api/tasks', authorization: user.auth.Authorization }, { status: 200, headers: {}, text: JSON.stringify([{ user_id: other.id }]) });
    probe.inspect({ method: 'GET', url: '/auth/me', authorization: user.auth.Authorization }, { status: 200, headers: {}, text: '{"h":"$2b$12$abcdefghijklmnopqrstuv"}' });
    probe.inspect({ method: 'GET', url: '/auth/me', authorization: user.auth.Authorization }, { status: 200, headers: {}, text: JSON.stringify({ t: user.token }) });
    probe.inspect({ method: 'GET', url: '/x', authorization: undefined }, { status: 500, headers: {}, text: '{"m":"QueryFailedError: relation \\"tasks\\"\\n    at Foo (/work/x.js:1:2)"}' });
    const seen = probe.violations.join('\n');
    for (const what of ['another user', 'bcrypt hash', 'not just issued', 'stack trace', 'SQL']) expect(seen).toContain(what);
  });
});
