import { randomUUID } from 'node:crypto';
import { createTask, createUser, expectError, startTestApp, type TaskBody, type TestApp, type TestUser } from '../support/test-app';

describe('bulk edits (POST /api/tasks/bulk, /api/tasks/bulk-delete)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const bulk = (user: TestUser, body: unknown) => t.http.post('/api/tasks/bulk').set(user.auth).send(body as object);
  const snapshot = async (ids: string[]) =>
    (await t.db.query('SELECT t::text AS row FROM tasks t WHERE id = ANY($1::uuid[]) ORDER BY id', [ids])).rows.map((r) => r.row);
  const updatedEvents = async (userId: string, ids: string[]) =>
    (
      await t.db.query(
        "SELECT entity_id, count(*)::int AS n FROM events WHERE user_id = $1 AND type = 'task.updated' AND entity_id = ANY($2::uuid[]) GROUP BY entity_id",
        [userId, ids],
      )
    ).rows;

  it('sets fields on every task, answers them in the order of ids, with one task.updated each', async () => {
    const user = await createUser(t);
    const project = (await t.http.post('/api/projects').set(user.auth).send({ name: 'Sprint' }).expect(201)).body.id;
    const tasks = await Promise.all([1, 2, 3].map((i) => createTask(t, user, { title: `Bulk ${i}` })));
    const ids = [tasks[2].id, tasks[0].id, tasks[1].id];
    const res = await bulk(user, { ids, set: { priority: 'high', due_date: '2027-05-01', due_time: '08:15', project_id: project, status: 'in-progress' } });
    expect(res.status).toBe(200);
    expect(res.body.tasks.map((task: TaskBody) => task.id)).toEqual(ids);
    for (const task of res.body.tasks as TaskBody[]) {
      expect(task).toMatchObject({ priority: 'high', due_date: '2027-05-01', due_time: '08:15', project_id: project, status: 'in-progress', version: 2 });
    }
    const events = await updatedEvents(user.id, ids);
    expect(events).toHaveLength(3);
    expect(events.every((e: { n: number }) => e.n === 1)).toBe(true);
  });

  it('adds and removes tags, case-insensitively, keeping each task’s spelling and order', async () => {
    const user = await createUser(t);
    const a = await createTask(t, user, { tags: ['Work', 'urgent'] });
    const b = await createTask(t, user, { tags: [] });
    const res = await bulk(user, { ids: [a.id, b.id], add_tags: ['work', 'Q3'], remove_tags: ['URGENT'] }).expect(200);
    expect(res.body.tasks.map((task: TaskBody) => task.tags)).toEqual([['Work', 'Q3'], ['work', 'Q3']]);
    const tooMany = await createTask(t, user, { tags: Array.from({ length: 20 }, (_, i) => `t${i}`) });
    const refused = await bulk(user, { ids: [tooMany.id, a.id], add_tags: ['one more'] });
    expectError(refused, 400);
    expect(refused.body.error.details[0].field).toBe('add_tags');
  });

  it('is all or nothing: one task that is not the caller’s, or in the trash, is a 403 and nothing changes', async () => {
    const user = await createUser(t);
    const stranger = await createUser(t);
    const mine = await Promise.all([1, 2].map(() => createTask(t, user)));
    const theirs = await createTask(t, stranger);
    const trashed = await createTask(t, user);
    await t.http.delete(`/api/tasks/${trashed.id}`).set(user.auth).expect(204);
    const before = await snapshot([...mine.map((m) => m.id), theirs.id, trashed.id]);
    for (const intruder of [theirs.id, trashed.id, randomUUID()]) {
      expectError(await bulk(user, { ids: [mine[0].id, intruder, mine[1].id], set: { priority: 'low' } }), 403, /task not found or not owned/);
      expectError(await t.http.post('/api/tasks/bulk-delete').set(user.auth).send({ ids: [mine[0].id, intruder] }), 403);
    }
    expect(await snapshot([...mine.map((m) => m.id), theirs.id, trashed.id])).toEqual(before);
  });

  it('applies the rules of a single PATCH to each task, and rolls all back when one task breaks one', async () => {
    const user = await createUser(t);
    const other = (await t.http.post('/api/projects').set(user.auth).send({ name: 'Other' }).expect(201)).body.id;
    const parent = await createTask(t, user);
    const child = await createTask(t, user, { parent_id: parent.id });
    const loose = await createTask(t, user);
    const before = await snapshot([parent.id, child.id, loose.id]);
    const res = await bulk(user, { ids: [loose.id, child.id], set: { project_id: other } });
    expectError(res, 400);
    expect(res.body.error.details).toEqual([{ field: 'set.project_id', message: expect.stringMatching(/parent's project/) }]);
    expect(await snapshot([parent.id, child.id, loose.id])).toEqual(before);
    // Completing a parent in bulk completes its subtree, as a PATCH would.
    const grand = await createTask(t, user, { parent_id: child.id });
    await bulk(user, { ids: [parent.id, loose.id], set: { status: 'done' } }).expect(200);
    const { rows } = await t.db.query('SELECT status FROM tasks WHERE id = ANY($1::uuid[])', [[parent.id, child.id, grand.id, loose.id]]);
    expect(rows.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    // A clear of due_date on a recurring task is refused for it, as for a PATCH.
    const recurring = await createTask(t, user, { due_date: '2027-01-01', recurrence: { rrule: 'FREQ=DAILY', from: 'due' } });
    expectError(await bulk(user, { ids: [recurring.id], set: { due_date: null } }), 400);
  });

  it.each([
    ['no ids', { ids: [], set: { priority: 'low' } }, 'ids'],
    ['101 ids', { ids: Array.from({ length: 101 }, () => randomUUID()), set: { priority: 'low' } }, 'ids'],
    ['an id that is not a UUID', { ids: ['nope'], set: { priority: 'low' } }, 'ids'],
    ['no change at all', { ids: [randomUUID()] }, 'set'],
    ['an empty set', { ids: [randomUUID()], set: {} }, 'set'],
    ['a field bulk cannot set', { ids: [randomUUID()], set: { title: 'Same for all' } }, 'set.title'],
    ['a bad value', { ids: [randomUUID()], set: { status: 'finished' } }, 'set.status'],
    ['tags that are not strings', { ids: [randomUUID()], add_tags: [1] }, 'add_tags'],
    ['an unknown property', { ids: [randomUUID()], set: { priority: 'low' }, confirm: true }, 'confirm'],
  ])('refuses %s with 400', async (_case, body, field) => {
    const user = await createUser(t);
    const res = await bulk(user, body);
    expectError(res, 400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('refuses an id given twice (400)', async () => {
    const user = await createUser(t);
    const task = await createTask(t, user);
    const res = await bulk(user, { ids: [task.id, task.id.toUpperCase()], set: { priority: 'low' } });
    expectError(res, 400);
    expect(res.body.error.details).toEqual([{ field: 'ids', message: 'ids must not repeat an id' }]);
  });

  it('replays a retry with the same Idempotency-Key, and refuses the key with another body (422)', async () => {
    const user = await createUser(t);
    const task = await createTask(t, user);
    const body = { ids: [task.id], set: { priority: 'medium' } };
    const first = await bulk(user, body).set('Idempotency-Key', 'bulk-1').expect(200);
    const again = await bulk(user, body).set('Idempotency-Key', 'bulk-1').expect(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await t.http.get(`/api/tasks/${task.id}`).set(user.auth)).body.version).toBe(2);
    expectError(await bulk(user, { ids: [task.id], set: { priority: 'low' } }).set('Idempotency-Key', 'bulk-1'), 422);
  });

  it('against concurrent single edits with If-Match: each edit either lands before the bulk or gets a 412, never lost', async () => {
    const user = await createUser(t);
    for (let round = 0; round < 15; round++) {
      const [a, b] = await Promise.all([createTask(t, user), createTask(t, user)]);
      const [bulkRes, single] = await Promise.all([
        bulk(user, { ids: [a.id, b.id], set: { priority: 'high' } }),
        t.http.patch(`/api/tasks/${a.id}`).set(user.auth).set('If-Match', '"1"').send({ title: `Edited in round ${round}` }),
      ]);
      expect(bulkRes.status).toBe(200);
      const final = (await t.http.get(`/api/tasks/${a.id}`).set(user.auth).expect(200)).body;
      expect(final.priority).toBe('high');
      if (single.status === 200) {
        expect(final).toMatchObject({ title: `Edited in round ${round}`, version: 3 });
      } else {
        expectError(single, 412);
        expect(final).toMatchObject({ title: a.title, version: 2 });
      }
    }
  });

  describe('bulk-delete', () => {
    it('moves the tasks and their subtrees to the trash, all at once', async () => {
      const user = await createUser(t);
      const parent = await createTask(t, user);
      const child = await createTask(t, user, { parent_id: parent.id });
      const other = await createTask(t, user);
      const kept = await createTask(t, user);
      const res = await t.http.post('/api/tasks/bulk-delete').set(user.auth).send({ ids: [parent.id, other.id] }).expect(200);
      expect(res.body).toEqual({ deleted: 2 });
      for (const id of [parent.id, child.id, other.id]) expectError(await t.http.get(`/api/tasks/${id}`).set(user.auth), 403);
      await t.http.get(`/api/tasks/${kept.id}`).set(user.auth).expect(200);
      const trash = (await t.http.get('/api/trash').set(user.auth).expect(200)).body.map((x: TaskBody) => x.id).sort();
      expect(trash).toEqual([parent.id, other.id].sort());
      expectError(await t.http.post('/api/tasks/bulk-delete').set(user.auth).send({ ids: [] }), 400);
    });
  });
});
