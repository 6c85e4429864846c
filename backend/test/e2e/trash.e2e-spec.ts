import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BACKGROUND_POOL, dataSourceOptions } from '../../src/database/data-source-options';
import { TrashPurge } from '../../src/tasks/trash.purge';
import type { AppConfig } from '../../src/config/app-config';
import { createTask, createUser, expectError, startTestApp, type TaskBody, type TestApp, type TestUser } from '../support/test-app';

const DENIED = 'Access denied: task not found or not owned by user';

describe('the trash', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const remove = (user: TestUser, id: string) => t.http.delete(`/api/tasks/${id}`).set(user.auth).expect(204);
  const eventTypes = async (userId: string, entityId: string) =>
    (await t.db.query('SELECT type FROM events WHERE user_id = $1 AND entity_id = $2 ORDER BY seq', [userId, entityId])).rows.map((r) => r.type);

  it('a deleted task is gone from lists, counts and GET, and clients hear task.deleted', async () => {
    const user = await createUser(t);
    const parent = await createTask(t, user, { title: 'Parent' });
    const child = await createTask(t, user, { title: 'Child', parent_id: parent.id });
    const grandchild = await createTask(t, user, { parent_id: child.id });
    await remove(user, child.id);
    for (const id of [child.id, grandchild.id]) {
      expectError(await t.http.get(`/api/tasks/${id}`).set(user.auth), 403, DENIED);
      expectError(await t.http.patch(`/api/tasks/${id}`).set(user.auth).send({ title: 'Edited' }), 403, DENIED);
      expectError(await t.http.delete(`/api/tasks/${id}`).set(user.auth), 403, DENIED);
      // The last a client hears of it: deleted (the child had been updated when its subtask came).
      expect((await eventTypes(user.id, id)).at(-1)).toBe('task.deleted');
      expect((await eventTypes(user.id, id)).filter((type) => type === 'task.deleted')).toHaveLength(1);
    }
    const list = await t.http.get('/api/tasks').set(user.auth).expect(200);
    expect(list.body.map((x: TaskBody) => x.id)).toEqual([parent.id]);
    expect(list.headers['x-total-count']).toBe('1');
    expect((await t.http.get(`/api/tasks/${parent.id}`).set(user.auth)).body.subtask_count).toBe(0);
    const inbox = (await t.http.get(`/api/projects/${user.inboxId}`).set(user.auth)).body;
    expect(inbox.open_task_count).toBe(1);
  });

  it('lists what the user deleted, newest first, with deleted_at, paged like the task list', async () => {
    const user = await createUser(t);
    const tasks: TaskBody[] = [];
    for (let i = 0; i < 5; i++) tasks.push(await createTask(t, user, { title: `Trashed ${i}` }));
    const withChild = tasks[4];
    await createTask(t, user, { parent_id: withChild.id, title: 'Goes along' });
    for (const task of tasks) await remove(user, task.id);
    const page = await t.http.get('/api/trash?limit=2').set(user.auth).expect(200);
    expect(page.headers['x-total-count']).toBe('5');
    expect(page.headers.link).toBe('</api/trash?limit=2&offset=2>; rel="next"');
    expect(page.body.map((x: TaskBody) => x.title)).toEqual(['Trashed 4', 'Trashed 3']);
    expect(page.body[0]).toMatchObject({ id: withChild.id, subtask_count: 1, deleted_at: expect.stringMatching(/Z$/) });
    const last = await t.http.get('/api/trash?limit=2&offset=4').set(user.auth).expect(200);
    expect(last.body.map((x: TaskBody) => x.title)).toEqual(['Trashed 0']);
    expectError(await t.http.get('/api/trash?limit=1000').set(user.auth), 400);
    const stranger = await createUser(t);
    const theirs = await t.http.get('/api/trash').set(stranger.auth).expect(200);
    expect(theirs.body).toEqual([]);
    expect(theirs.headers['x-total-count']).toBe('0');
  });

  it('restores a task with what went with it, into its project and under its parent, and clients hear task.created', async () => {
    const user = await createUser(t);
    const project = (await t.http.post('/api/projects').set(user.auth).send({ name: 'Kept' }).expect(201)).body.id;
    const parent = await createTask(t, user, { project_id: project });
    const task = await createTask(t, user, { parent_id: parent.id, title: 'Back again' });
    const sub = await createTask(t, user, { parent_id: task.id });
    await remove(user, task.id);
    const res = await t.http.post(`/api/trash/${task.id}/restore`).set(user.auth).expect(200);
    expect(res.body).toMatchObject({ id: task.id, title: 'Back again', parent_id: parent.id, project_id: project, subtask_count: 1 });
    expect(res.body).not.toHaveProperty('deleted_at');
    expect(res.headers.etag).toBe(`"${res.body.version}"`);
    await t.http.get(`/api/tasks/${sub.id}`).set(user.auth).expect(200);
    expect(await eventTypes(user.id, task.id)).toEqual(['task.created', 'task.updated', 'task.deleted', 'task.created']);
    expect((await t.http.get('/api/trash').set(user.auth)).body).toEqual([]);
  });

  it('restores a subtask whose parent is gone at the top of its project; a parent deleted later keeps its own deletion', async () => {
    const user = await createUser(t);
    const parent = await createTask(t, user, { title: 'Parent' });
    const child = await createTask(t, user, { parent_id: parent.id, title: 'Child' });
    await remove(user, child.id);
    await remove(user, parent.id);
    const trash = (await t.http.get('/api/trash').set(user.auth)).body.map((x: TaskBody) => x.id);
    expect(trash).toEqual([parent.id, child.id]);
    const restored = await t.http.post(`/api/trash/${child.id}/restore`).set(user.auth).expect(200);
    expect(restored.body).toMatchObject({ parent_id: null, project_id: user.inboxId });
    // The parent's own deletion did not take the child along (it was gone already).
    const parentBack = await t.http.post(`/api/trash/${parent.id}/restore`).set(user.auth).expect(200);
    expect(parentBack.body.subtask_count).toBe(0);
  });

  it('deletes one for good, or empties it all; nothing comes back and clients hear nothing more', async () => {
    const user = await createUser(t);
    const a = await createTask(t, user);
    const aChild = await createTask(t, user, { parent_id: a.id });
    const b = await createTask(t, user);
    const c = await createTask(t, user);
    for (const task of [a, b, c]) await remove(user, task.id);
    const { rows: before } = await t.db.query('SELECT count(*)::int AS n FROM events WHERE user_id = $1', [user.id]);
    await t.http.delete(`/api/trash/${a.id}`).set(user.auth).expect(204);
    const { rows } = await t.db.query('SELECT id FROM tasks WHERE id = ANY($1::uuid[])', [[a.id, aChild.id]]);
    expect(rows).toEqual([]);
    expectError(await t.http.post(`/api/trash/${a.id}/restore`).set(user.auth), 403, DENIED);
    await t.http.delete('/api/trash').set(user.auth).expect(204);
    const { rows: left } = await t.db.query('SELECT count(*)::int AS n FROM tasks WHERE user_id = $1', [user.id]);
    expect(left[0].n).toBe(0);
    const { rows: after } = await t.db.query('SELECT count(*)::int AS n FROM events WHERE user_id = $1', [user.id]);
    expect(after[0].n).toBe(before[0].n);
  });

  it('answers 403 for a task not in the caller’s trash, live or another user’s; 400 for a malformed id', async () => {
    const user = await createUser(t);
    const stranger = await createUser(t);
    const live = await createTask(t, user);
    const theirs = await createTask(t, stranger);
    await remove(stranger, theirs.id);
    for (const id of [live.id, theirs.id, randomUUID()]) {
      expectError(await t.http.post(`/api/trash/${id}/restore`).set(user.auth), 403, DENIED);
      expectError(await t.http.delete(`/api/trash/${id}`).set(user.auth), 403, DENIED);
    }
    await t.http.delete('/api/trash').set(user.auth).expect(204);
    // Emptying one's own trash never touches another user's.
    expect((await t.http.get('/api/trash').set(stranger.auth)).body.map((x: TaskBody) => x.id)).toEqual([theirs.id]);
    expectError(await t.http.post('/api/trash/nope/restore').set(user.auth), 400);
    expectError(await t.http.delete('/api/trash/nope').set(user.auth), 400);
  });

  it('is emptied of what has been there longer than TRASH_RETENTION_DAYS, whole deletions at a time', async () => {
    const user = await createUser(t);
    const old = await createTask(t, user);
    const oldChild = await createTask(t, user, { parent_id: old.id });
    const recent = await createTask(t, user);
    await remove(user, old.id);
    await remove(user, recent.id);
    await t.db.query("UPDATE tasks SET deleted_at = now() - interval '31 days' WHERE deleted_with = $1", [old.id]);
    const source = await new DataSource(dataSourceOptions(t.databaseUrl, BACKGROUND_POOL)).initialize();
    try {
      const purge = new TrashPurge(source, { trashRetentionDays: 30 } as AppConfig);
      await expect(purge.purge(30)).resolves.toBe(2);
      await expect(purge.purge(30)).resolves.toBe(0);
    } finally {
      await source.destroy();
    }
    const { rows } = await t.db.query('SELECT id FROM tasks WHERE id = ANY($1::uuid[])', [[old.id, oldChild.id, recent.id]]);
    expect(rows.map((r) => r.id)).toEqual([recent.id]);
  });
});
