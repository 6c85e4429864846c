import { createHmac, randomUUID } from 'node:crypto';
import {
  createTask,
  createUser,
  expectError,
  startTestApp,
  TEST_JWT_SECRET,
  type TaskBody,
  type TestApp,
  type TestUser,
} from '../support/test-app';

const ACCESS_DENIED = 'Access denied: task not found or not owned by user';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function signJwt(
  payload: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

describe('tasks: one user never reaches another user’s tasks', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let aliceTasks: TaskBody[];
  let bobTasks: TaskBody[];

  const row = async (id: string) => (await t.db.query('SELECT * FROM tasks WHERE id = $1', [id])).rows[0];
  const allRows = async () => (await t.db.query('SELECT * FROM tasks ORDER BY id')).rows;
  const ids = (tasks: TaskBody[]) => tasks.map((task) => task.id);

  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob] = await Promise.all([createUser(t), createUser(t)]);
    aliceTasks = await Promise.all([
      createTask(t, alice, {
        title: 'Alice secret plan',
        description: 'only for alice',
        tags: ['alice-only', 'shared'],
        priority: 'high',
        due_date: '2027-04-01',
      }),
      createTask(t, alice, {
        title: 'Alice groceries',
        status: 'in-progress',
        tags: ['shared'],
        priority: 'low',
        due_date: '2027-04-02',
      }),
      createTask(t, alice, { title: 'Alice 50% budget', status: 'done', tags: ['alice-only'] }),
      ...Array.from({ length: 7 }, (_, i) => createTask(t, alice, { title: `Alice filler ${i}`, tags: ['shared'] })),
    ]);
    bobTasks = await Promise.all([
      createTask(t, bob, { title: 'Bob plan', tags: ['shared'], priority: 'high', due_date: '2027-04-01' }),
      createTask(t, bob, { title: 'Bob chores', status: 'done', tags: ['shared'] }),
      createTask(t, bob, { title: 'Bob reading', description: 'a plan for reading', status: 'in-progress' }),
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('the :id routes, tried by a second user', () => {
    it('GET of another user’s task is 403, exactly as for a task that does not exist', async () => {
      for (const task of aliceTasks.slice(0, 3)) {
        const res = await t.http.get(`/api/tasks/${task.id}`).set(bob.auth);
        expectError(res, 403, ACCESS_DENIED);
        expect(res.body).toEqual({ error: { code: 403, message: ACCESS_DENIED } });
        const missing = await t.http.get(`/api/tasks/${randomUUID()}`).set(bob.auth);
        expect(res.body).toEqual(missing.body);
      }
    });

    it.each([
      ['title', { title: 'Bob was here' }],
      ['status', { status: 'done' }],
      ['tags', { tags: ['bob'] }],
      ['nullable fields to null', { description: null, priority: null, due_date: null }],
      ['an empty body', {}],
    ])('PATCH of another user’s task (%s) is 403 and the row is unchanged', async (_name, body) => {
      const task = aliceTasks[0];
      const before = await row(task.id);
      expectError(await t.http.patch(`/api/tasks/${task.id}`).set(bob.auth).send(body), 403, ACCESS_DENIED);
      expect(await row(task.id)).toEqual(before);
    });

    it('DELETE of another user’s task is 403 and the row is still there, unchanged', async () => {
      const task = aliceTasks[1];
      const before = await row(task.id);
      expectError(await t.http.delete(`/api/tasks/${task.id}`).set(bob.auth), 403, ACCESS_DENIED);
      expect(await row(task.id)).toEqual(before);
      await t.http.get(`/api/tasks/${task.id}`).set(alice.auth).expect(200, task);
    });

    it('no attempt of the second user changed anything in the table', async () => {
      const before = await allRows();
      for (const task of aliceTasks) {
        expectError(await t.http.get(`/api/tasks/${task.id}`).set(bob.auth), 403, ACCESS_DENIED);
        expectError(
          await t.http.patch(`/api/tasks/${task.id}`).set(bob.auth).send({ title: 'Taken over' }),
          403,
          ACCESS_DENIED,
        );
        expectError(await t.http.delete(`/api/tasks/${task.id}`).set(bob.auth), 403, ACCESS_DENIED);
      }
      expect(await allRows()).toEqual(before);
    });

    it('the owner still reads, changes and deletes the task', async () => {
      const task = await createTask(t, alice, { title: 'Alice temporary' });
      await t.http.get(`/api/tasks/${task.id}`).set(alice.auth).expect(200, task);
      expectError(await t.http.get(`/api/tasks/${task.id}`).set(bob.auth), 403, ACCESS_DENIED);
      const patched = await t.http.patch(`/api/tasks/${task.id}`).set(alice.auth).send({ status: 'done' }).expect(200);
      expect(patched.body).toMatchObject({ id: task.id, user_id: alice.id, status: 'done' });
      expectError(await t.http.delete(`/api/tasks/${task.id}`).set(bob.auth), 403, ACCESS_DENIED);
      await t.http.delete(`/api/tasks/${task.id}`).set(alice.auth).expect(204);
      // Deleting moves it to the owner's trash.
      expect((await row(task.id)).deleted_at).toBeInstanceOf(Date);
    });
  });

  describe('the list, seen by the second user', () => {
    const queries = [
      '',
      '?limit=100',
      '?tag=shared',
      '?tag=alice-only',
      '?q=alice',
      '?q=plan',
      `?q=${encodeURIComponent('50%')}`,
      '?status=todo,in-progress,done',
      '?priority=high',
      '?priority=low,medium,high',
      '?due_after=2027-04-01&due_before=2027-04-01',
      '?sort=title',
      '?sort=-priority',
      '?sort=due_date',
      '?sort=updated_at&limit=1',
      '?sort=title&limit=1&offset=1',
      '?limit=2&offset=2',
      '?offset=5',
    ];

    it.each(queries)('never holds the first user’s tasks (query "%s")', async (query) => {
      const res = await t.http.get(`/api/tasks${query}`).set(bob.auth).expect(200);
      const aliceIds = new Set(ids(aliceTasks));
      for (const task of res.body as TaskBody[]) {
        expect(aliceIds.has(task.id)).toBe(false);
        expect(task.user_id).toBe(bob.id);
      }
      expect(Number(res.headers['x-total-count'])).toBeLessThanOrEqual(bobTasks.length);
    });

    it('counts only the caller’s tasks in X-Total-Count', async () => {
      const all = await t.http.get('/api/tasks').set(bob.auth).expect(200);
      expect(all.headers['x-total-count']).toBe(String(bobTasks.length));
      expect(ids(all.body).sort()).toEqual(ids(bobTasks).sort());

      const shared = await t.http.get('/api/tasks?tag=shared').set(bob.auth).expect(200);
      expect(shared.headers['x-total-count']).toBe('2');
      expect(ids(shared.body).sort()).toEqual(ids(bobTasks.slice(0, 2)).sort());

      const plan = await t.http.get('/api/tasks?q=plan').set(bob.auth).expect(200);
      expect(ids(plan.body).sort()).toEqual([bobTasks[0].id, bobTasks[2].id].sort());

      const high = await t.http.get('/api/tasks?priority=high&due_before=2027-04-01').set(bob.auth).expect(200);
      expect(ids(high.body)).toEqual([bobTasks[0].id]);
      expect(high.headers['x-total-count']).toBe('1');
    });

    it('a filter only the first user’s tasks match gives the second user an empty list', async () => {
      for (const query of ['?tag=alice-only', '?q=alice', '?q=50%25', '?due_after=2027-04-02']) {
        const res = await t.http.get(`/api/tasks${query}`).set(bob.auth).expect(200);
        expect(res.body).toEqual([]);
        expect(res.headers['x-total-count']).toBe('0');
        expect(res.headers.link).toBeUndefined();
      }
    });

    it('paging links are computed over the caller’s tasks only', async () => {
      const first = await t.http.get('/api/tasks?limit=2').set(bob.auth).expect(200);
      expect(first.headers['x-total-count']).toBe('3');
      expect(first.headers.link).toMatch(/rel="next"/);
      const next = first.headers.link.match(/<([^>]+)>;\s*rel="next"/)?.[1] as string;
      const second = await t.http.get(next).set(bob.auth).expect(200);
      expect(second.body).toHaveLength(1);
      expect(second.headers.link).not.toMatch(/rel="next"/);
      expect([...ids(first.body), ...ids(second.body)].sort()).toEqual(ids(bobTasks).sort());
    });

    it('the first user’s own list is whole', async () => {
      const res = await t.http.get('/api/tasks?limit=100').set(alice.auth).expect(200);
      expect(res.headers['x-total-count']).toBe(String(aliceTasks.length));
      expect(ids(res.body).sort()).toEqual(ids(aliceTasks).sort());
    });
  });

  describe('ownership comes from the token, never the body', () => {
    it('refuses a user_id in the body, whoever it names, and stores nothing', async () => {
      for (const userId of [alice.id, bob.id, randomUUID()]) {
        const before = await allRows();
        const res = await t.http.post('/api/tasks').set(bob.auth).send({ title: 'Planted task', user_id: userId });
        expectError(res, 400);
        expect(res.body.error.details).toEqual([{ field: 'user_id', message: expect.any(String) }]);
        expect(await allRows()).toEqual(before);
      }
    });

    it('refuses moving a task to another user through PATCH', async () => {
      const task = bobTasks[2];
      const before = await row(task.id);
      const res = await t.http.patch(`/api/tasks/${task.id}`).set(bob.auth).send({ user_id: alice.id });
      expectError(res, 400);
      expect(res.body.error.details).toEqual([{ field: 'user_id', message: expect.any(String) }]);
      expect(await row(task.id)).toEqual(before);
    });

    it('a created task is always owned by the token’s user', async () => {
      const [forBob, forAlice] = await Promise.all([
        t.http.post('/api/tasks').set(bob.auth).send({ title: 'Bob creates' }).expect(201),
        t.http.post('/api/tasks').set(alice.auth).send({ title: 'Alice creates' }).expect(201),
      ]);
      expect(forBob.body.user_id).toBe(bob.id);
      expect(forAlice.body.user_id).toBe(alice.id);
      expect((await row(forBob.body.id)).user_id).toBe(bob.id);
      expect((await row(forAlice.body.id)).user_id).toBe(alice.id);
      await Promise.all([
        t.http.delete(`/api/tasks/${forBob.body.id}`).set(bob.auth).expect(204),
        t.http.delete(`/api/tasks/${forAlice.body.id}`).set(alice.auth).expect(204),
      ]);
    });
  });

  describe('without a valid token', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const routes: [
      string,
      (auth: Record<string, string>) => Promise<{ status: number; body: any; headers: Record<string, string> }>,
    ][] = [
      ['POST /api/tasks', (auth) => t.http.post('/api/tasks').set(auth).send({ title: 'No token task' })],
      ['GET /api/tasks', (auth) => t.http.get('/api/tasks').set(auth)],
      ['GET /api/tasks/:id', (auth) => t.http.get(`/api/tasks/${aliceTasks[0].id}`).set(auth)],
      [
        'PATCH /api/tasks/:id',
        (auth) => t.http.patch(`/api/tasks/${aliceTasks[0].id}`).set(auth).send({ title: 'No token title' }),
      ],
      ['DELETE /api/tasks/:id', (auth) => t.http.delete(`/api/tasks/${aliceTasks[0].id}`).set(auth)],
      ['GET /api/tasks/:id with a bad id', (auth) => t.http.get('/api/tasks/not-a-uuid').set(auth)],
      ['POST /api/tasks with a bad body', (auth) => t.http.post('/api/tasks').set(auth).send({ user_id: 'x' })],
      ['GET /api/tasks with a bad query', (auth) => t.http.get('/api/tasks?limit=0&foo=1').set(auth)],
    ];
    const credentials: [string, () => Record<string, string>, string][] = [
      ['no Authorization header', () => ({}), 'Invalid token'],
      ['an empty Bearer', () => ({ Authorization: 'Bearer ' }), 'Invalid token'],
      ['Bearer of garbage', () => ({ Authorization: 'Bearer garbage' }), 'Invalid token'],
      ['a malformed token', () => ({ Authorization: 'Bearer abc.def.ghi' }), 'Invalid token'],
      ['a token without the Bearer scheme', () => ({ Authorization: alice.token }), 'Invalid token'],
      [
        'the Basic scheme',
        () => ({ Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }),
        'Invalid token',
      ],
      [
        'a token signed with another secret',
        () => ({
          Authorization: `Bearer ${signJwt({ sub: alice.id, iat: now(), exp: now() + 600 }, 'another-secret-another-secret-another-secret')}`,
        }),
        'Invalid token',
      ],
      [
        'an alg "none" token',
        () => ({
          Authorization: `Bearer ${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify({ sub: alice.id, iat: now(), exp: now() + 600 }))}.`,
        }),
        'Invalid token',
      ],
      [
        'an expired token',
        () => ({
          Authorization: `Bearer ${signJwt({ sub: alice.id, iat: now() - 7200, exp: now() - 3600 }, TEST_JWT_SECRET)}`,
        }),
        'Token expired',
      ],
    ];

    it.each(credentials)(
      'every task route answers 401 with WWW-Authenticate: Bearer for %s',
      async (_name, auth, message) => {
        const before = await allRows();
        for (const [route, send] of routes) {
          const res = await send(auth());
          try {
            expectError(res, 401, message);
            expect(res.body).toEqual({ error: { code: 401, message } });
            expect(res.headers['www-authenticate']).toBe('Bearer');
          } catch (error) {
            throw new Error(`${route}: ${(error as Error).message}`, { cause: error });
          }
        }
        expect(await allRows()).toEqual(before);
      },
    );

    it('a token whose user no longer exists is refused', async () => {
      const ghost = await createUser(t);
      const task = await createTask(t, ghost, { title: 'Ghost task' });
      await t.db.query('DELETE FROM users WHERE id = $1', [ghost.id]);
      expect(await row(task.id)).toBeUndefined();
      // A malformed body or query is refused by validation (400) before any
      // query runs; the existence of the caller is proven by the scoped query
      // itself (see JwtStrategy.validate), so those two are left out here.
      const wellFormed = routes.filter(([route]) => !/bad (body|query)/.test(route));
      expect(wellFormed).toHaveLength(routes.length - 2);
      for (const [route, send] of wellFormed) {
        const res = await send(ghost.auth);
        try {
          expectError(res, 401);
          expect(res.headers['www-authenticate']).toBe('Bearer');
        } catch (error) {
          throw new Error(`${route}: ${(error as Error).message}`, { cause: error });
        }
      }
    });
  });
});
