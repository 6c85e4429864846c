import { randomUUID } from 'node:crypto';
import { createUser, expectError, startTestApp, type TestApp, type TestUser } from '../support/test-app';

const DENIED = 'Access denied: view not found or not owned by user';

describe('saved views', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (user: TestUser, body: unknown) => t.http.post('/api/views').set(user.auth).send(body as object);

  it('saves a named query as given, lists views by position then name, and reads one back', async () => {
    const user = await createUser(t);
    const query = {
      status: ['todo', 'in-progress'],
      priority: ['high'],
      tag: ['work'],
      project_id: [user.inboxId],
      include_subprojects: true,
      parent_id: 'none',
      q: 'report',
      due_before: '2027-12-31',
      due_after: '2027-01-01',
      sort: '-due_date',
    };
    const res = await create(user, { name: ' Urgent at work ', query });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: 'Urgent at work',
      query,
      position: 1024,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      version: 1,
    });
    expect(res.headers.location).toBe(`/api/views/${res.body.id}`);
    expect(res.headers.etag).toBe('"1"');
    await create(user, { name: 'Another', query: {}, position: 1 }).expect(201);
    const names = (await t.http.get('/api/views').set(user.auth).expect(200)).body.map((v: { name: string }) => v.name);
    expect(names).toEqual(['Another', 'Urgent at work']);
    const one = await t.http.get(`/api/views/${res.body.id}`).set(user.auth).expect(200);
    expect(one.body).toEqual(res.body);
    const notModified = await t.http.get(`/api/views/${res.body.id}`).set(user.auth).set('If-None-Match', '"1"');
    expect(notModified.status).toBe(304);
  });

  it.each([
    ['a status that is not a list', { status: 'todo' }, 'query.status'],
    ['an unknown status', { status: ['finished'] }, 'query.status'],
    ['a priority that is not a list', { priority: 'high' }, 'query.priority'],
    ['a tag of 51 characters', { tag: ['x'.repeat(51)] }, 'query.tag'],
    ['a project id that is not a UUID', { project_id: ['inbox'] }, 'query.project_id'],
    ['a parent that is neither a task id nor none', { parent_id: 'top' }, 'query.parent_id'],
    ['include_subprojects as text', { include_subprojects: 'true' }, 'query.include_subprojects'],
    ['a search that repeats itself', { q: 'a'.repeat(30) }, 'query.q'],
    ['an impossible date', { due_before: '2027-02-30' }, 'query.due_before'],
    ['an unknown sort', { sort: 'colour' }, 'query.sort'],
    ['paging, which is not a view’s', { limit: 10 }, 'query.limit'],
    ['an unknown filter', { assignee: 'me' }, 'query.assignee'],
  ])('refuses %s with 400 naming the field', async (_case, query, field) => {
    const user = await createUser(t);
    const res = await create(user, { name: 'Bad', query });
    expectError(res, 400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM views WHERE user_id = $1', [user.id]);
    expect(rows[0].n).toBe(0);
  });

  it('refuses a missing or bad name and a query that is not an object', async () => {
    const user = await createUser(t);
    expectError(await create(user, { query: {} }), 400);
    expectError(await create(user, { name: '', query: {} }), 400);
    expectError(await create(user, { name: 'x'.repeat(61), query: {} }), 400);
    expectError(await create(user, { name: 'No query' }), 400);
    expectError(await create(user, { name: 'Array', query: [] }), 400);
  });

  it('keeps names unique per user, case-insensitively (409)', async () => {
    const user = await createUser(t);
    const other = await createUser(t);
    await create(user, { name: 'Today', query: {} }).expect(201);
    expectError(await create(user, { name: 'TODAY', query: {} }), 409, /already have a view/);
    await create(other, { name: 'Today', query: {} }).expect(201);
    const second = (await create(user, { name: 'Tomorrow', query: {} }).expect(201)).body;
    expectError(await t.http.patch(`/api/views/${second.id}`).set(user.auth).send({ name: 'today' }), 409);
  });

  it('a PATCH with query replaces the whole stored query; If-Match guards it', async () => {
    const user = await createUser(t);
    const view = (await create(user, { name: 'Mine', query: { status: ['todo'], priority: ['low'] } }).expect(201)).body;
    const res = await t.http.patch(`/api/views/${view.id}`).set(user.auth).set('If-Match', '"1"').send({ query: { tag: ['home'] } }).expect(200);
    expect(res.body).toMatchObject({ name: 'Mine', query: { tag: ['home'] }, version: 2 });
    expect(res.headers.etag).toBe('"2"');
    const stale = await t.http.patch(`/api/views/${view.id}`).set(user.auth).set('If-Match', '"1"').send({ name: 'Lost' });
    expectError(stale, 412, /the view has changed/);
    expect(stale.body.error.current).toMatchObject({ name: 'Mine', version: 2 });
    expectError(await t.http.patch(`/api/views/${view.id}`).set(user.auth).send({ query: { status: 'todo' } }), 400);
    expectError(await t.http.delete(`/api/views/${view.id}`).set(user.auth).set('If-Match', '"1"'), 412);
    await t.http.delete(`/api/views/${view.id}`).set(user.auth).set('If-Match', '"2"').expect(204);
    expectError(await t.http.get(`/api/views/${view.id}`).set(user.auth), 403, DENIED);
  });

  it('another user’s view and a missing one get the same 403, and nothing changes', async () => {
    const alice = await createUser(t);
    const bob = await createUser(t);
    const view = (await create(alice, { name: 'Private', query: { q: 'secret' } }).expect(201)).body;
    for (const id of [view.id, randomUUID()]) {
      expectError(await t.http.get(`/api/views/${id}`).set(bob.auth), 403, DENIED);
      expectError(await t.http.patch(`/api/views/${id}`).set(bob.auth).send({ name: 'Mine' }), 403, DENIED);
      expectError(await t.http.delete(`/api/views/${id}`).set(bob.auth), 403, DENIED);
    }
    expect((await t.http.get('/api/views').set(bob.auth).expect(200)).body).toEqual([]);
    expect((await t.http.get(`/api/views/${view.id}`).set(alice.auth).expect(200)).body).toEqual(view);
    expectError(await t.http.get('/api/views/nope').set(alice.auth), 400);
  });

  it('replays a create with the same Idempotency-Key', async () => {
    const user = await createUser(t);
    const first = await create(user, { name: 'Once', query: {} }).set('Idempotency-Key', 'view-1').expect(201);
    const again = await create(user, { name: 'Once', query: {} }).set('Idempotency-Key', 'view-1').expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expectError(await create(user, { name: 'Twice', query: {} }).set('Idempotency-Key', 'view-1'), 422);
  });
});
