import { randomUUID } from 'node:crypto';
import {
  createTask,
  createUser,
  expectError,
  organizeDefaults,
  startTestApp,
  storedTasks,
  type TaskBody,
  type TestApp,
  type TestUser,
} from '../support/test-app';

const ACCESS_DENIED = 'Access denied: task not found or not owned by user';
const ISO_MILLIS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TASK_KEYS = [
  'created_at',
  'description',
  'due_date',
  'due_time',
  'id',
  'next_occurrence_id',
  'parent_id',
  'position',
  'priority',
  'project_id',
  'recurrence',
  'series_id',
  'status',
  'subtask_count',
  'subtask_done_count',
  'tags',
  'title',
  'updated_at',
  'user_id',
  'version',
];

/** The row as stored, in the wire's shape, to compare with what the API answered. */
async function storedTask(t: TestApp, id: string): Promise<TaskBody | undefined> {
  return (await storedTasks(t, 't.id = $1', [id]))[0];
}

describe('tasks: create, read, update, delete', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    user = await createUser(t);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /api/tasks', () => {
    it('creates a task with every field and answers 201, the full task and its Location', async () => {
      const res = await t.http
        .post('/api/tasks')
        .set(user.auth)
        .send({
          title: 'Write the quarterly report',
          description: 'Numbers from finance first',
          status: 'in-progress',
          priority: 'high',
          tags: ['work', 'q3'],
          due_date: '2027-01-31',
        });

      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(res.body).sort()).toEqual(TASK_KEYS);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID_V4),
        user_id: user.id,
        title: 'Write the quarterly report',
        description: 'Numbers from finance first',
        status: 'in-progress',
        priority: 'high',
        tags: ['work', 'q3'],
        due_date: '2027-01-31',
        ...organizeDefaults(user),
        created_at: expect.stringMatching(ISO_MILLIS_UTC),
        updated_at: expect.stringMatching(ISO_MILLIS_UTC),
        version: 1,
      });
      expect(res.headers.location).toBe(`/api/tasks/${res.body.id}`);

      const createdAt = Date.parse(res.body.created_at);
      expect(Math.abs(Date.now() - createdAt)).toBeLessThan(60_000);
      expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(createdAt);
      await expect(storedTask(t, res.body.id)).resolves.toEqual(res.body);
    });

    it('fills the defaults when only a title is sent', async () => {
      const res = await t.http.post('/api/tasks').set(user.auth).send({ title: 'Only a title' }).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID_V4),
        user_id: user.id,
        title: 'Only a title',
        description: null,
        status: 'todo',
        priority: null,
        tags: [],
        due_date: null,
        ...organizeDefaults(user),
        created_at: expect.stringMatching(ISO_MILLIS_UTC),
        updated_at: expect.stringMatching(ISO_MILLIS_UTC),
        version: 1,
      });
      await expect(storedTask(t, res.body.id)).resolves.toEqual(res.body);
    });

    it('accepts explicit nulls for the nullable fields', async () => {
      const res = await t.http
        .post('/api/tasks')
        .set(user.auth)
        .send({ title: 'Nulls everywhere', description: null, priority: null, due_date: null })
        .expect(201);
      expect(res.body).toMatchObject({ description: null, priority: null, due_date: null, status: 'todo', tags: [] });
    });

    it('trims the title', async () => {
      const res = await t.http.post('/api/tasks').set(user.auth).send({ title: ' \t  Trim me please \n ' }).expect(201);
      expect(res.body.title).toBe('Trim me please');
      expect((await storedTask(t, res.body.id))?.title).toBe('Trim me please');
    });

    it('trims tags and drops duplicates, keeping the first occurrence order', async () => {
      const res = await t.http
        .post('/api/tasks')
        .set(user.auth)
        .send({ title: 'Tagged', tags: [' beta ', 'alpha', 'beta', '  alpha', 'gamma', 'beta  '] })
        .expect(201);
      expect(res.body.tags).toEqual(['beta', 'alpha', 'gamma']);
      expect((await storedTask(t, res.body.id))?.tags).toEqual(['beta', 'alpha', 'gamma']);
    });

    it('gives every task its own id', async () => {
      const [a, b] = await Promise.all([
        createTask(t, user, { title: 'Same' }),
        createTask(t, user, { title: 'Same' }),
      ]);
      expect(a.id).not.toBe(b.id);
      expect(a.title).toBe('Same');
      expect(b.title).toBe('Same');
    });
  });

  describe('GET /api/tasks/:id', () => {
    it('answers 200 with exactly the task that was created', async () => {
      const created = await createTask(t, user, {
        title: 'Read me back',
        description: 'Some words',
        priority: 'low',
        tags: ['x'],
        due_date: '2028-02-29',
      });
      const res = await t.http.get(`/api/tasks/${created.id}`).set(user.auth).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual(created);
    });

    it('follows the Location header of a create', async () => {
      const post = await t.http.post('/api/tasks').set(user.auth).send({ title: 'Follow me' }).expect(201);
      const res = await t.http.get(post.headers.location).set(user.auth).expect(200);
      expect(res.body).toEqual(post.body);
    });
  });

  describe('PATCH /api/tasks/:id', () => {
    let task: TaskBody;
    beforeEach(async () => {
      task = await createTask(t, user, {
        title: 'Patch target',
        description: 'Original description',
        status: 'todo',
        priority: 'medium',
        tags: ['one', 'two'],
        due_date: '2027-06-15',
      });
    });

    const changes: [string, Record<string, unknown>, Partial<TaskBody>][] = [
      ['title', { title: 'A new title' }, { title: 'A new title' }],
      ['title, trimmed', { title: '   Spaced out   ' }, { title: 'Spaced out' }],
      ['description', { description: 'Another text' }, { description: 'Another text' }],
      ['status', { status: 'done' }, { status: 'done' }],
      ['status in-progress', { status: 'in-progress' }, { status: 'in-progress' }],
      ['priority', { priority: 'high' }, { priority: 'high' }],
      ['tags, trimmed and deduplicated', { tags: [' c ', 'a', 'c', 'b', 'a '] }, { tags: ['c', 'a', 'b'] }],
      ['tags to empty', { tags: [] }, { tags: [] }],
      ['due_date', { due_date: '2028-02-29' }, { due_date: '2028-02-29' }],
      ['description cleared by null', { description: null }, { description: null }],
      ['priority cleared by null', { priority: null }, { priority: null }],
      ['due_date cleared by null', { due_date: null }, { due_date: null }],
      [
        'several fields at once',
        { title: 'All of it', status: 'done', priority: 'low', tags: ['z'], description: null, due_date: '2030-01-01' },
        { title: 'All of it', status: 'done', priority: 'low', tags: ['z'], description: null, due_date: '2030-01-01' },
      ],
    ];

    it.each(changes)('changes only %s and advances updated_at and version', async (_name, body, expected) => {
      const res = await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send(body).expect(200);
      expect(res.body).toEqual({
        ...task,
        ...expected,
        updated_at: expect.stringMatching(ISO_MILLIS_UTC),
        version: task.version + 1,
      });
      expect(res.body.created_at).toBe(task.created_at);
      expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(task.updated_at));
      await expect(storedTask(t, task.id)).resolves.toEqual(res.body);
      await t.http.get(`/api/tasks/${task.id}`).set(user.auth).expect(200, res.body);
    });

    it('advances updated_at strictly on every change, even in quick succession', async () => {
      let previous = task;
      for (const status of ['in-progress', 'done', 'todo', 'done']) {
        const res = await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({ status }).expect(200);
        expect(res.body.status).toBe(status);
        expect(res.body.created_at).toBe(task.created_at);
        expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(previous.updated_at));
        previous = res.body;
      }
    });

    it('refuses a client-chosen updated_at and applies nothing', async () => {
      const res = await t.http
        .patch(`/api/tasks/${task.id}`)
        .set(user.auth)
        .send({ title: 'Sneaky', updated_at: '2000-01-01T00:00:00.000Z' });
      expectError(res, 400);
      await expect(storedTask(t, task.id)).resolves.toEqual(task);
    });

    it.each(['title', 'status', 'tags'])('refuses null for %s (not nullable) and changes nothing', async (field) => {
      const res = await t.http
        .patch(`/api/tasks/${task.id}`)
        .set(user.auth)
        .send({ [field]: null });
      expectError(res, 400);
      expect(res.body.error.details).toEqual([{ field, message: expect.any(String) }]);
      await expect(storedTask(t, task.id)).resolves.toEqual(task);
    });

    it('refuses a patch where one field is bad and keeps the good ones out too', async () => {
      const res = await t.http
        .patch(`/api/tasks/${task.id}`)
        .set(user.auth)
        .send({ title: 'Would be fine', status: 'finished' });
      expectError(res, 400);
      expect(res.body.error.details).toEqual([{ field: 'status', message: expect.any(String) }]);
      await expect(storedTask(t, task.id)).resolves.toEqual(task);
    });

    it('accepts an empty body and answers the unchanged task', async () => {
      const res = await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({}).expect(200);
      // Every PATCH advances updated_at (the contract) and the version, an empty one too; every other field is as before.
      expect(res.body).toEqual({ ...task, updated_at: expect.stringMatching(ISO_MILLIS_UTC), version: task.version + 1 });
      expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(task.updated_at));
      await expect(storedTask(t, task.id)).resolves.toEqual(res.body);
    });
  });

  describe('DELETE /api/tasks/:id', () => {
    it('answers 204 with no body, and the task is gone for every route', async () => {
      const task = await createTask(t, user, { title: 'Delete me' });
      const res = await t.http.delete(`/api/tasks/${task.id}`).set(user.auth);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      await expect(storedTask(t, task.id)).resolves.toBeUndefined();

      expectError(await t.http.get(`/api/tasks/${task.id}`).set(user.auth), 403, ACCESS_DENIED);
      expectError(
        await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({ title: 'Back?' }),
        403,
        ACCESS_DENIED,
      );
      expectError(await t.http.delete(`/api/tasks/${task.id}`).set(user.auth), 403, ACCESS_DENIED);
      await expect(storedTask(t, task.id)).resolves.toBeUndefined();
    });

    it('deletes only the task named', async () => {
      const [keep, drop] = await Promise.all([createTask(t, user), createTask(t, user)]);
      await t.http.delete(`/api/tasks/${drop.id}`).set(user.auth).expect(204);
      await t.http.get(`/api/tasks/${keep.id}`).set(user.auth).expect(200, keep);
      const list = await t.http.get('/api/tasks?limit=100').set(user.auth).expect(200);
      const ids = (list.body as TaskBody[]).map((task) => task.id);
      expect(ids).toContain(keep.id);
      expect(ids).not.toContain(drop.id);
    });
  });

  describe('routes that do not exist', () => {
    it.each([
      [
        'PUT /api/tasks/:id',
        () => t.http.put(`/api/tasks/${randomUUID()}`).set(user.auth).send({ title: 'Put title' }),
      ],
      ['GET /api/tasks/:id/extra', () => t.http.get(`/api/tasks/${randomUUID()}/extra`).set(user.auth)],
      ['DELETE /api/tasks', () => t.http.delete('/api/tasks').set(user.auth)],
      ['GET /api/task', () => t.http.get('/api/task').set(user.auth)],
    ])('%s is a 404 in the error shape', async (_name, send) => {
      const before = await t.db.query('SELECT count(*)::int AS n FROM tasks');
      expectError(await send(), 404);
      const after = await t.db.query('SELECT count(*)::int AS n FROM tasks');
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });
  });

  describe('the :id parameter', () => {
    const notUuids = [
      'not-a-uuid',
      '123',
      '00000000-0000-0000-0000-00000000000g',
      '0000000-0000-0000-0000-000000000000',
      '00000000000000000000000000000000',
      '{00000000-0000-0000-0000-000000000000}',
      "1' OR '1'='1",
      'x'.repeat(100),
    ];
    const routes = [
      ['GET', (id: string) => t.http.get(`/api/tasks/${encodeURIComponent(id)}`).set(user.auth)],
      [
        'PATCH',
        (id: string) =>
          t.http
            .patch(`/api/tasks/${encodeURIComponent(id)}`)
            .set(user.auth)
            .send({ title: 'Valid title' }),
      ],
      ['DELETE', (id: string) => t.http.delete(`/api/tasks/${encodeURIComponent(id)}`).set(user.auth)],
    ] as const;

    it.each(routes)('%s refuses an id that is not a UUID with 400 naming id', async (_method, send) => {
      for (const id of notUuids) {
        const res = await send(id);
        expectError(res, 400);
        expect(res.body.error.details).toEqual([{ field: 'id', message: expect.any(String) }]);
      }
    });

    it.each(routes)('%s of a task that does not exist is 403 with the contract message', async (_method, send) => {
      for (const id of [randomUUID(), '00000000-0000-0000-0000-000000000000']) {
        expectError(await send(id), 403, ACCESS_DENIED);
      }
    });

    it('accepts the id in upper case as the same task', async () => {
      const task = await createTask(t, user, { title: 'Case of the id' });
      await t.http.get(`/api/tasks/${task.id.toUpperCase()}`).set(user.auth).expect(200, task);
    });

    it('answers 403 with exactly code and message, no details', async () => {
      const res = await t.http.get(`/api/tasks/${randomUUID()}`).set(user.auth);
      expect(res.body).toEqual({ error: { code: 403, message: ACCESS_DENIED } });
    });

    it('does not store anything when PATCH is refused for the id', async () => {
      const before = await t.db.query('SELECT count(*)::int AS n FROM tasks');
      expectError(
        await t.http.patch(`/api/tasks/${randomUUID()}`).set(user.auth).send({ title: 'Ghost task' }),
        403,
        ACCESS_DENIED,
      );
      const after = await t.db.query('SELECT count(*)::int AS n FROM tasks');
      expect(after.rows[0].n).toBe(before.rows[0].n);
    });
  });
});
