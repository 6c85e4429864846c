import { startScannedApp, type ScannedApp } from '../support/leak-scanner';
import { createTask, createUser, expectError, type TaskBody, type TestUser } from '../support/test-app';

/**
 * OWASP API1 (broken object-level authorization): a second user who knows the
 * first user's task ids gets 403 on every route and verb, and the rows do not
 * change by a single byte; the list never shows them, whatever the filters.
 */
describe('API1 object-level authorization', () => {
  let t: ScannedApp;
  let owner: TestUser;
  let attacker: TestUser;
  let target: TaskBody;
  let ownerTasks: TaskBody[];

  /** The owner's rows exactly as PostgreSQL prints them. */
  const snapshot = async () =>
    (await t.db.query('SELECT t::text AS row FROM tasks t WHERE user_id = $1 ORDER BY id', [owner.id])).rows.map((r) => r.row as string);

  beforeAll(async () => {
    t = await startScannedApp();
    owner = await createUser(t);
    attacker = await createUser(t);
    target = await createTask(t, owner, {
      title: 'Owner secret plan',
      description: 'only for the owner',
      status: 'in-progress',
      priority: 'high',
      tags: ['secret', 'shared-tag'],
      due_date: '2027-03-01',
    });
    ownerTasks = [target];
    for (let i = 0; i < 4; i++) {
      ownerTasks.push(await createTask(t, owner, { title: `Owner task ${i}`, tags: ['shared-tag'], priority: 'low', status: 'todo', due_date: '2027-01-0' + (i + 1) }));
    }
    await createTask(t, attacker, { title: 'Attacker own task', tags: ['shared-tag'], priority: 'low' });
  });

  afterAll(async () => {
    t.scanner.expectClean(20);
    await t.close();
  });

  const patches: [string, Record<string, unknown>][] = [
    ['every field', { title: 'pwned', description: 'pwned', status: 'done', priority: 'low', tags: ['pwned'], due_date: '2030-01-01' }],
    ['one field', { status: 'done' }],
    ['null on nullable fields', { description: null, priority: null, due_date: null }],
    ['an empty body', {}],
  ];

  it.each(patches)('refuses PATCH with %s: 403, row unchanged', async (_case, body) => {
    const before = await snapshot();
    const res = await t.http.patch(`/api/tasks/${target.id}`).set(attacker.auth).send(body);
    expectError(res, 403, 'Access denied: task not found or not owned by user');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses PATCH with an invalid or hostile body without touching the row', async () => {
    const before = await snapshot();
    for (const body of [{ user_id: attacker.id }, { id: target.id, title: 'x' }, { title: 5 }, { title: 'ok title', extra: true }]) {
      const res = await t.http.patch(`/api/tasks/${target.id}`).set(attacker.auth).send(body);
      // The ownership guard answers before validation; either way nothing is written.
      expect([400, 403]).toContain(res.status);
      expect(res.body.error.code).toBe(res.status);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses GET and HEAD with 403 and shows nothing of the task', async () => {
    const res = await t.http.get(`/api/tasks/${target.id}`).set(attacker.auth);
    expectError(res, 403, 'Access denied: task not found or not owned by user');
    expect(res.text).not.toContain('secret');
    const head = await t.http.head(`/api/tasks/${target.id}`).set(attacker.auth);
    expect(head.status).toBe(403);
  });

  it('refuses DELETE with 403 and the row stays', async () => {
    const before = await snapshot();
    expectError(await t.http.delete(`/api/tasks/${target.id}`).set(attacker.auth), 403, 'Access denied: task not found or not owned by user');
    expect(await snapshot()).toEqual(before);
  });

  it('answers another user\'s task exactly like a task that does not exist', async () => {
    const missing = '0b8a6f8e-5d5c-4c9e-9a0b-3f2d1c0b9a87';
    const call = (method: 'get' | 'patch' | 'delete', id: string) =>
      method === 'patch'
        ? t.http.patch(`/api/tasks/${id}`).set(attacker.auth).send({ status: 'done' })
        : t.http[method](`/api/tasks/${id}`).set(attacker.auth);
    for (const method of ['get', 'patch', 'delete'] as const) {
      const foreign = await call(method, target.id);
      const none = await call(method, missing);
      expect(foreign.status).toBe(403);
      expect(foreign.status).toBe(none.status);
      expect(foreign.body).toEqual(none.body);
    }
  });

  it('is not fooled by the id in another letter case, or by method-override headers', async () => {
    const before = await snapshot();
    expectError(await t.http.get(`/api/tasks/${target.id.toUpperCase()}`).set(attacker.auth), 403);
    expectError(await t.http.patch(`/api/tasks/${target.id.toUpperCase()}`).set(attacker.auth).send({ title: 'pwned' }), 403);
    for (const header of ['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override']) {
      const res = await t.http.post(`/api/tasks`).set(attacker.auth).set(header, 'DELETE').send({ title: 'override attempt' });
      expect(res.status).toBe(201);
      expect(res.body.user_id).toBe(attacker.id);
      const get = await t.http.get(`/api/tasks/${target.id}`).set(attacker.auth).set(header, 'PATCH');
      expectError(get, 403);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('never lets a body choose the owner of a new task', async () => {
    const res = await t.http.post('/api/tasks').set(attacker.auth).send({ title: 'planted', user_id: owner.id });
    expectError(res, 400);
    const { rows } = await t.db.query("SELECT count(*)::int AS n FROM tasks WHERE title = 'planted'");
    expect(rows[0].n).toBe(0);
  });

  describe('the list', () => {
    const listAs = async (query: string) => {
      const res = await t.http.get(`/api/tasks${query}`).set(attacker.auth);
      expect(res.status).toBe(200);
      return res;
    };

    it.each([
      ['no filter', ''],
      ['the owner task title', `?q=${encodeURIComponent('Owner secret plan')}`],
      ['a part of every owner title', '?q=Owner'],
      ['a tag both users carry', '?tag=shared-tag'],
      ['the owner tag', '?tag=secret'],
      ['status and priority', '?status=todo,in-progress,done&priority=low,medium,high'],
      ['a due-date window', '?due_after=2000-01-01&due_before=2100-12-31'],
      ['sorting by every key', '?sort=title'],
      ['descending priority', '?sort=-priority'],
      ['due date ascending', '?sort=due_date'],
      ['updated_at', '?sort=-updated_at'],
      ['a big page', '?limit=100&offset=0'],
      ['the second page', '?limit=1&offset=1'],
      ['far past the end', '?limit=100&offset=1000000'],
    ])('with %s shows only the caller\'s tasks, and counts only those', async (_case, query) => {
      const res = await listAs(query);
      for (const task of res.body as TaskBody[]) expect(task.user_id).toBe(attacker.id);
      const ids = (res.body as TaskBody[]).map((task) => task.id);
      for (const task of ownerTasks) expect(ids).not.toContain(task.id);
      const { rows } = await t.db.query('SELECT count(*)::int AS n FROM tasks WHERE user_id = $1', [attacker.id]);
      expect(Number(res.headers['x-total-count'])).toBeLessThanOrEqual(rows[0].n);
      expect(res.headers.link ?? '').not.toContain(owner.id);
    });

    it('refuses a user_id or owner parameter instead of honouring it', async () => {
      for (const query of [`?user_id=${owner.id}`, `?owner=${owner.id}`, `?userId=${owner.id}`, `?filter[user_id]=${owner.id}`]) {
        expectError(await t.http.get(`/api/tasks${query}`).set(attacker.auth), 400);
      }
    });

    it('counts each user\'s tasks separately, so the total reveals nothing either', async () => {
      const own = await t.http.get('/api/tasks?q=Owner').set(owner.auth).expect(200);
      expect(Number(own.headers['x-total-count'])).toBe(ownerTasks.length);
      const theirs = await listAs('?q=Owner');
      expect(theirs.headers['x-total-count']).toBe('0');
    });
  });

  it('leaves the owner in full control afterwards', async () => {
    const res = await t.http.get(`/api/tasks/${target.id}`).set(owner.auth).expect(200);
    expect(res.body).toEqual(target);
  });
});
