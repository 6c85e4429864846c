import { createTask, createUser, expectError, startTestApp, type TaskBody, type TestApp, type TestUser } from '../support/test-app';

/**
 * Every route of projects, views, the trash and bulk edits, tried by a
 * second user with the first user's ids (in the path, in the body, in the
 * query): each is refused or finds nothing, and the first user's rows are
 * unchanged, byte for byte.
 */
describe('organize: one user never reaches another user’s projects, views, trash or tasks', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let project: string;
  let subproject: string;
  let parent: TaskBody;
  let child: TaskBody;
  let recurring: TaskBody;
  let trashed: TaskBody;
  let view: string;
  let bobTask: TaskBody;

  /** Every row Alice owns, as text, table by table. */
  async function aliceRows(): Promise<Record<string, string[]>> {
    const rowsOf = async (table: string) =>
      (await t.db.query(`SELECT x::text AS row FROM ${table} x WHERE user_id = $1 ORDER BY id`, [alice.id])).rows.map((r) => r.row);
    return { projects: await rowsOf('projects'), tasks: await rowsOf('tasks'), views: await rowsOf('views') };
  }

  beforeAll(async () => {
    t = await startTestApp();
    [alice, bob] = await Promise.all([createUser(t), createUser(t)]);
    project = (await t.http.post('/api/projects').set(alice.auth).send({ name: 'Alice private' }).expect(201)).body.id;
    subproject = (await t.http.post('/api/projects').set(alice.auth).send({ name: 'Alice sub', parent_id: project }).expect(201)).body.id;
    parent = await createTask(t, alice, { title: 'Alice parent', project_id: project });
    child = await createTask(t, alice, { title: 'Alice child', parent_id: parent.id });
    recurring = await createTask(t, alice, { title: 'Alice daily', due_date: '2027-01-01', recurrence: { rrule: 'FREQ=DAILY', from: 'due' } });
    trashed = await createTask(t, alice, { title: 'Alice trashed' });
    await t.http.delete(`/api/tasks/${trashed.id}`).set(alice.auth).expect(204);
    view = (await t.http.post('/api/views').set(alice.auth).send({ name: 'Alice view', query: { q: 'secret' } }).expect(201)).body.id;
    bobTask = await createTask(t, bob, { title: 'Bob own' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses every route that names Alice’s project, view or trashed task in its path (403)', async () => {
    const before = await aliceRows();
    const projectDenied = 'Access denied: project not found or not owned by user';
    for (const id of [project, subproject, alice.inboxId]) {
      expectError(await t.http.get(`/api/projects/${id}`).set(bob.auth), 403, projectDenied);
      expectError(await t.http.patch(`/api/projects/${id}`).set(bob.auth).send({ name: 'Bob now' }), 403, projectDenied);
      expectError(await t.http.delete(`/api/projects/${id}`).set(bob.auth), 403, projectDenied);
      expectError(await t.http.delete(`/api/projects/${id}?tasks=trash`).set(bob.auth), 403, projectDenied);
      expectError(await t.http.delete(`/api/projects/${id}?tasks=move&to=${bob.inboxId}`).set(bob.auth), 403, projectDenied);
    }
    const viewDenied = 'Access denied: view not found or not owned by user';
    expectError(await t.http.get(`/api/views/${view}`).set(bob.auth), 403, viewDenied);
    expectError(await t.http.patch(`/api/views/${view}`).set(bob.auth).send({ query: {} }), 403, viewDenied);
    expectError(await t.http.delete(`/api/views/${view}`).set(bob.auth), 403, viewDenied);
    const taskDenied = 'Access denied: task not found or not owned by user';
    for (const id of [trashed.id, parent.id]) {
      expectError(await t.http.post(`/api/trash/${id}/restore`).set(bob.auth), 403, taskDenied);
      expectError(await t.http.delete(`/api/trash/${id}`).set(bob.auth), 403, taskDenied);
    }
    expect(await aliceRows()).toEqual(before);
  });

  it('refuses Alice’s ids in bodies and queries, and lists nothing of hers', async () => {
    const before = await aliceRows();
    const field = async (res: { status: number; body: { error: { details?: { field: string }[] } } }) => {
      expect(res.status).toBe(400);
      return res.body.error.details?.[0]?.field;
    };
    expect(await field(await t.http.post('/api/tasks').set(bob.auth).send({ title: 'Into hers', project_id: project }))).toBe('project_id');
    expect(await field(await t.http.post('/api/tasks').set(bob.auth).send({ title: 'Under hers', parent_id: parent.id }))).toBe('parent_id');
    expect(await field(await t.http.patch(`/api/tasks/${bobTask.id}`).set(bob.auth).send({ project_id: project }))).toBe('project_id');
    expect(await field(await t.http.patch(`/api/tasks/${bobTask.id}`).set(bob.auth).send({ parent_id: child.id }))).toBe('parent_id');
    expect(await field(await t.http.post('/api/projects').set(bob.auth).send({ name: 'Under hers', parent_id: project }))).toBe('parent_id');
    const bobProject = (await t.http.post('/api/projects').set(bob.auth).send({ name: 'Bob project' }).expect(201)).body.id;
    expect(await field(await t.http.patch(`/api/projects/${bobProject}`).set(bob.auth).send({ parent_id: subproject }))).toBe('parent_id');
    expect(await field(await t.http.delete(`/api/projects/${bobProject}?tasks=move&to=${project}`).set(bob.auth))).toBe('to');
    expect(await field(await t.http.post('/api/tasks/bulk').set(bob.auth).send({ ids: [bobTask.id], set: { project_id: project } }))).toBe(
      'set.project_id',
    );

    for (const ids of [[parent.id], [bobTask.id, child.id], [bobTask.id, recurring.id], [trashed.id]]) {
      expectError(await t.http.post('/api/tasks/bulk').set(bob.auth).send({ ids, set: { status: 'done' } }), 403);
      expectError(await t.http.post('/api/tasks/bulk-delete').set(bob.auth).send({ ids }), 403);
    }

    for (const query of [`?project_id=${project}`, `?project_id=${project}&include_subprojects=true`, `?parent_id=${parent.id}`, `?project_id=${alice.inboxId}`]) {
      const res = await t.http.get(`/api/tasks${query}`).set(bob.auth).expect(200);
      expect(res.body).toEqual([]);
      expect(res.headers['x-total-count']).toBe('0');
    }
    // A saved view pointing at Alice's project is only a filter: it finds nothing of hers either.
    await t.http.post('/api/views').set(bob.auth).send({ name: 'Peek', query: { project_id: [project] } }).expect(201);
    expect((await t.http.get('/api/trash').set(bob.auth).expect(200)).body).toEqual([]);
    await t.http.delete('/api/trash').set(bob.auth).expect(204);
    const bobProjects = (await t.http.get('/api/projects').set(bob.auth).expect(200)).body.map((p: { id: string }) => p.id);
    expect(bobProjects).not.toContain(project);
    expect((await t.http.get('/api/views').set(bob.auth).expect(200)).body.map((v: { name: string }) => v.name)).toEqual(['Peek']);
    expect(await aliceRows()).toEqual(before);
  });

  it('still serves Alice everything', async () => {
    await t.http.get(`/api/projects/${project}`).set(alice.auth).expect(200);
    await t.http.get(`/api/views/${view}`).set(alice.auth).expect(200);
    await t.http.post(`/api/trash/${trashed.id}/restore`).set(alice.auth).expect(200);
    const res = await t.http.post('/api/tasks/bulk').set(alice.auth).send({ ids: [parent.id, recurring.id], set: { status: 'done' } }).expect(200);
    expect(res.body.tasks[1].next_occurrence_id).toEqual(expect.any(String));
    expect((await t.http.get(`/api/tasks/${child.id}`).set(alice.auth).expect(200)).body.status).toBe('done');
  });
});
