import { randomUUID } from 'node:crypto';
import { createTask, createUser, expectError, startTestApp, type TestApp, type TestUser } from '../support/test-app';

const DENIED = 'Access denied: project not found or not owned by user';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Project {
  id: string;
  name: string;
  color: string | null;
  parent_id: string | null;
  position: number;
  is_inbox: boolean;
  open_task_count: number;
  version: number;
}

describe('projects', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (user: TestUser, body: Record<string, unknown>) => t.http.post('/api/projects').set(user.auth).send(body);
  async function project(user: TestUser, body: Record<string, unknown>): Promise<Project> {
    const res = await create(user, body);
    expect(res.status).toBe(201);
    return res.body as Project;
  }
  const rowCount = async (table: string, userId: string) =>
    Number((await t.db.query(`SELECT count(*) FROM ${table} WHERE user_id = $1`, [userId])).rows[0].count);

  describe('the Inbox', () => {
    it('every user has exactly one, from sign-up', async () => {
      const user = await createUser(t);
      const res = await t.http.get('/api/projects').set(user.auth).expect(200);
      expect(res.body).toEqual([
        {
          id: user.inboxId,
          name: 'Inbox',
          color: null,
          parent_id: null,
          position: 0,
          is_inbox: true,
          open_task_count: 0,
          created_at: expect.stringMatching(ISO),
          updated_at: expect.stringMatching(ISO),
          version: 1,
        },
      ]);
      const { rows } = await t.db.query('SELECT count(*)::int AS n FROM projects WHERE user_id = $1 AND is_inbox', [user.id]);
      expect(rows[0].n).toBe(1);
    });

    it('cannot be renamed or moved (400), nor deleted (409); it can be recoloured and reordered', async () => {
      const user = await createUser(t);
      const other = await project(user, { name: 'Work' });
      const renamed = await t.http.patch(`/api/projects/${user.inboxId}`).set(user.auth).send({ name: 'Mail' });
      expectError(renamed, 400);
      expect(renamed.body.error.details).toEqual([{ field: 'name', message: 'the Inbox cannot be renamed' }]);
      const moved = await t.http.patch(`/api/projects/${user.inboxId}`).set(user.auth).send({ parent_id: other.id });
      expectError(moved, 400);
      expect(moved.body.error.details).toEqual([{ field: 'parent_id', message: expect.stringMatching(/cannot be moved/) }]);
      expectError(await t.http.delete(`/api/projects/${user.inboxId}`).set(user.auth), 409, 'The Inbox cannot be deleted');
      expectError(await t.http.delete(`/api/projects/${user.inboxId}?tasks=trash`).set(user.auth), 409);
      const recoloured = await t.http.patch(`/api/projects/${user.inboxId}`).set(user.auth).send({ color: '#AABBCC', position: -1 }).expect(200);
      expect(recoloured.body).toMatchObject({ name: 'Inbox', color: '#aabbcc', position: -1, is_inbox: true, version: 2 });
      // Sending its own name unchanged is not a rename.
      await t.http.patch(`/api/projects/${user.inboxId}`).set(user.auth).send({ name: 'Inbox' }).expect(200);
    });

    it('takes tasks created without a project', async () => {
      const user = await createUser(t);
      const task = await createTask(t, user);
      expect(task.project_id).toBe(user.inboxId);
    });
  });

  describe('POST /api/projects', () => {
    it('creates a project: 201, Location, ETag, after the last, colour in lower case, name trimmed', async () => {
      const user = await createUser(t);
      const res = await create(user, { name: '  Home  ', color: '#3B82F6' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Home',
        color: '#3b82f6',
        parent_id: null,
        position: 1024,
        is_inbox: false,
        open_task_count: 0,
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        version: 1,
      });
      expect(res.headers.location).toBe(`/api/projects/${res.body.id}`);
      expect(res.headers.etag).toBe('"1"');
      const second = await project(user, { name: 'Work' });
      expect(second.position).toBe(2048);
    });

    it('lists projects by position, then name', async () => {
      const user = await createUser(t);
      await project(user, { name: 'zeta', position: 10 });
      await project(user, { name: 'Alpha', position: 10 });
      await project(user, { name: 'beta', position: 5 });
      const names = (await t.http.get('/api/projects').set(user.auth).expect(200)).body.map((p: Project) => p.name);
      expect(names).toEqual(['Inbox', 'beta', 'Alpha', 'zeta']);
    });

    it('refuses a name taken by a sibling, case-insensitively (409), and allows it under another parent', async () => {
      const user = await createUser(t);
      const home = await project(user, { name: 'Home' });
      expectError(await create(user, { name: 'HOME' }), 409, /already exists/);
      expectError(await create(user, { name: 'inbox' }), 409, /already exists/);
      await project(user, { name: 'Home', parent_id: home.id });
      expectError(await create(user, { name: 'home', parent_id: home.id }), 409);
      // Canonically equal spellings are the same name.
      await project(user, { name: 'Café' });
      expectError(await create(user, { name: 'Cafe\u0301' }), 409);
      const work = await project(user, { name: 'Work' });
      expectError(await t.http.patch(`/api/projects/${work.id}`).set(user.auth).send({ name: 'home' }), 409);
    });

    it.each([
      ['an empty name', { name: '   ' }, 'name'],
      ['a name of 121 characters', { name: 'x'.repeat(121) }, 'name'],
      ['a name that is not a string', { name: 42 }, 'name'],
      ['a colour word', { name: 'Ok', color: 'red' }, 'color'],
      ['a colour of 3 digits', { name: 'Ok', color: '#abc' }, 'color'],
      ['a malformed parent', { name: 'Ok', parent_id: 'nope' }, 'parent_id'],
      ['another user’s or a missing parent', { name: 'Ok', parent_id: randomUUID() }, 'parent_id'],
      ['an infinite position', { name: 'Ok', position: 1e300 }, 'position'],
      ['a server-owned property', { name: 'Ok', is_inbox: true }, 'is_inbox'],
      ['an unknown property', { name: 'Ok', archived: true }, 'archived'],
    ])('refuses %s with 400 naming the field, creating nothing', async (_case, body, field) => {
      const user = await createUser(t);
      const res = await create(user, body);
      expectError(res, 400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect(await rowCount('projects', user.id)).toBe(1);
    });

    it('nests at most three levels, and never under itself', async () => {
      const user = await createUser(t);
      const a = await project(user, { name: 'A' });
      const b = await project(user, { name: 'B', parent_id: a.id });
      const c = await project(user, { name: 'C', parent_id: b.id });
      const tooDeep = await create(user, { name: 'D', parent_id: c.id });
      expectError(tooDeep, 400);
      expect(tooDeep.body.error.details).toEqual([{ field: 'parent_id', message: 'projects nest at most 3 levels deep' }]);

      const cycle = await t.http.patch(`/api/projects/${a.id}`).set(user.auth).send({ parent_id: c.id });
      expectError(cycle, 400);
      expect(cycle.body.error.details).toEqual([{ field: 'parent_id', message: expect.stringMatching(/under itself/) }]);
      // Moving B (with C below it) under a new top-level project keeps three levels: allowed.
      const e = await project(user, { name: 'E' });
      await t.http.patch(`/api/projects/${b.id}`).set(user.auth).send({ parent_id: e.id }).expect(200);
      // Moving B's subtree under C' at level 2 would make four.
      const f = await project(user, { name: 'F', parent_id: e.id });
      expectError(await t.http.patch(`/api/projects/${b.id}`).set(user.auth).send({ parent_id: f.id }), 400);
      const moved = await t.http.patch(`/api/projects/${b.id}`).set(user.auth).send({ parent_id: null }).expect(200);
      expect(moved.body.parent_id).toBeNull();
    });

    it('replays a create sent again with the same Idempotency-Key, and refuses the key with another body', async () => {
      const user = await createUser(t);
      const first = await create(user, { name: 'Once' }).set('Idempotency-Key', 'project-key-1');
      const again = await create(user, { name: 'Once' }).set('Idempotency-Key', 'project-key-1');
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.location).toBe(first.headers.location);
      expectError(await create(user, { name: 'Other' }).set('Idempotency-Key', 'project-key-1'), 422);
      // A key used for a task create is not a project's.
      await t.http.post('/api/tasks').set(user.auth).set('Idempotency-Key', 'shared-key').send({ title: 'A task' }).expect(201);
      expectError(await create(user, { name: 'Shared' }).set('Idempotency-Key', 'shared-key'), 422);
      expect(await rowCount('projects', user.id)).toBe(2);
    });

    it('stops at 1,000 projects per user (409)', async () => {
      const user = await createUser(t);
      await t.db.query(
        `INSERT INTO projects (user_id, name, name_key, position) SELECT $1, 'P' || g, 'p' || g, g FROM generate_series(1, 998) g`,
        [user.id],
      );
      await project(user, { name: 'The last one' });
      expectError(await create(user, { name: 'One too many' }), 409, /1000 projects/);
    });
  });

  describe('GET, PATCH and versions', () => {
    it('answers one project with its ETag; 304 for If-None-Match, 412 for a stale If-Match', async () => {
      const user = await createUser(t);
      const p = await project(user, { name: 'Read me' });
      const res = await t.http.get(`/api/projects/${p.id}`).set(user.auth).expect(200);
      expect(res.body).toEqual(p);
      expect(res.headers.etag).toBe('"1"');
      const notModified = await t.http.get(`/api/projects/${p.id}`).set(user.auth).set('If-None-Match', '"1"');
      expect(notModified.status).toBe(304);
      expect(notModified.headers.etag).toBe('"1"');
      const stale = await t.http.get(`/api/projects/${p.id}`).set(user.auth).set('If-Match', '"7"');
      expectError(stale, 412);
      expect(stale.body.error.current).toEqual(p);
    });

    it('changes name, colour, position; a stale If-Match is a 412 with the current project, and changes nothing', async () => {
      const user = await createUser(t);
      const p = await project(user, { name: 'Before', color: '#000000' });
      const changed = await t.http.patch(`/api/projects/${p.id}`).set(user.auth).set('If-Match', '"1"').send({ name: 'After', color: null, position: 5.5 });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ name: 'After', color: null, position: 5.5, version: 2 });
      expect(changed.headers.etag).toBe('"2"');
      const stale = await t.http.patch(`/api/projects/${p.id}`).set(user.auth).set('If-Match', '"1"').send({ name: 'Lost' });
      expectError(stale, 412, /the project has changed/);
      expect(stale.body.error.current).toMatchObject({ name: 'After', version: 2 });
      expect(stale.headers.etag).toBe('"2"');
      expectError(await t.http.patch(`/api/projects/${p.id}`).set(user.auth).set('If-None-Match', '*').send({ name: 'Lost' }), 412);
      const { rows } = await t.db.query('SELECT name, version::int AS version FROM projects WHERE id = $1', [p.id]);
      expect(rows[0]).toEqual({ name: 'After', version: 2 });
    });

    it('counts open tasks directly in the project: not done, not in the trash, not in sub-projects', async () => {
      const user = await createUser(t);
      const p = await project(user, { name: 'Counted' });
      const sub = await project(user, { name: 'Below', parent_id: p.id });
      const open = await createTask(t, user, { project_id: p.id });
      await createTask(t, user, { project_id: p.id, parent_id: open.id });
      await createTask(t, user, { project_id: p.id, status: 'done' });
      const trashed = await createTask(t, user, { project_id: p.id });
      await createTask(t, user, { project_id: sub.id });
      await t.http.delete(`/api/tasks/${trashed.id}`).set(user.auth).expect(204);
      const res = await t.http.get(`/api/projects/${p.id}`).set(user.auth).expect(200);
      expect(res.body.open_task_count).toBe(2);
      // The count is part of the representation: its version moved with it.
      expect(res.body.version).toBeGreaterThan(1);
    });
  });

  describe('DELETE /api/projects/{id}', () => {
    it('deletes an empty project (204)', async () => {
      const user = await createUser(t);
      const p = await project(user, { name: 'Empty' });
      await t.http.delete(`/api/projects/${p.id}`).set(user.auth).expect(204);
      expectError(await t.http.get(`/api/projects/${p.id}`).set(user.auth), 403, DENIED);
    });

    it('refuses a project with tasks or sub-projects (409), deleting nothing', async () => {
      const user = await createUser(t);
      const withTask = await project(user, { name: 'Has a task' });
      await createTask(t, user, { project_id: withTask.id });
      const withSub = await project(user, { name: 'Has a sub-project' });
      await project(user, { name: 'Sub', parent_id: withSub.id });
      expectError(await t.http.delete(`/api/projects/${withTask.id}`).set(user.auth), 409, /tasks=trash/);
      expectError(await t.http.delete(`/api/projects/${withSub.id}`).set(user.auth), 409, /1 sub-project/);
      expect(await rowCount('projects', user.id)).toBe(4);
    });

    it('with ?tasks=trash: its tasks go to the trash, its sub-projects are deleted the same way, and a restore lands in the Inbox', async () => {
      const user = await createUser(t);
      const p = await project(user, { name: 'Doomed' });
      const sub = await project(user, { name: 'Doomed too', parent_id: p.id });
      const task = await createTask(t, user, { project_id: p.id, title: 'In the project' });
      const child = await createTask(t, user, { parent_id: task.id, title: 'Its subtask' });
      const deep = await createTask(t, user, { project_id: sub.id, title: 'In the sub-project' });
      await t.http.delete(`/api/projects/${p.id}?tasks=trash`).set(user.auth).expect(204);
      const { rows } = await t.db.query('SELECT count(*)::int AS n FROM projects WHERE id = ANY($1::uuid[])', [[p.id, sub.id]]);
      expect(rows[0].n).toBe(0);
      const trash = (await t.http.get('/api/trash').set(user.auth).expect(200)).body.map((x: { id: string }) => x.id).sort();
      expect(trash).toEqual([task.id, deep.id].sort());
      const restored = await t.http.post(`/api/trash/${task.id}/restore`).set(user.auth).expect(200);
      expect(restored.body).toMatchObject({ id: task.id, project_id: user.inboxId, subtask_count: 1 });
      expect((await t.http.get(`/api/tasks/${child.id}`).set(user.auth).expect(200)).body.project_id).toBe(user.inboxId);
    });

    it('with ?tasks=move&to=: its tasks and sub-projects move there', async () => {
      const user = await createUser(t);
      const p = await project(user, { name: 'Old' });
      const sub = await project(user, { name: 'Kept', parent_id: p.id });
      const target = await project(user, { name: 'New' });
      const task = await createTask(t, user, { project_id: p.id });
      const subTask = await createTask(t, user, { project_id: sub.id });
      await t.http.delete(`/api/projects/${p.id}?tasks=move&to=${target.id}`).set(user.auth).expect(204);
      expect((await t.http.get(`/api/tasks/${task.id}`).set(user.auth)).body.project_id).toBe(target.id);
      expect((await t.http.get(`/api/tasks/${subTask.id}`).set(user.auth)).body.project_id).toBe(sub.id);
      expect((await t.http.get(`/api/projects/${sub.id}`).set(user.auth)).body.parent_id).toBe(target.id);
      expectError(await t.http.get(`/api/projects/${p.id}`).set(user.auth), 403);
    });

    it('checks the move: to is required, must be the caller’s, outside the project, and keep the nesting', async () => {
      const user = await createUser(t);
      const p = await project(user, { name: 'Source' });
      const sub = await project(user, { name: 'Sub', parent_id: p.id });
      await project(user, { name: 'SubSub', parent_id: sub.id });
      await createTask(t, user, { project_id: p.id });
      const deep1 = await project(user, { name: 'Deep1' });
      const deep2 = await project(user, { name: 'Deep2', parent_id: deep1.id });
      const stranger = await createUser(t);
      const theirs = await project(stranger, { name: 'Theirs' });
      const attempt = (query: string) => t.http.delete(`/api/projects/${p.id}${query}`).set(user.auth);
      const fieldOf = async (query: string) => {
        const res = await attempt(query);
        expectError(res, 400);
        return res.body.error.details[0].field;
      };
      expect(await fieldOf('?tasks=move')).toBe('to');
      expect(await fieldOf(`?tasks=trash&to=${deep1.id}`)).toBe('to');
      expect(await fieldOf(`?tasks=move&to=${theirs.id}`)).toBe('to');
      expect(await fieldOf(`?tasks=move&to=${sub.id}`)).toBe('to');
      expect(await fieldOf(`?tasks=move&to=${p.id}`)).toBe('to');
      // Sub (with SubSub) under Deep2 would be four levels.
      expect(await fieldOf(`?tasks=move&to=${deep2.id}`)).toBe('to');
      expect(await fieldOf('?tasks=burn')).toBe('tasks');
      expect(await fieldOf('?tasks=move&to=nope')).toBe('to');
      expect(await rowCount('projects', user.id)).toBe(6);
    });

    it('honours If-Match', async () => {
      const user = await createUser(t);
      const p = await project(user, { name: 'Versioned' });
      await t.http.patch(`/api/projects/${p.id}`).set(user.auth).send({ name: 'Versioned 2' }).expect(200);
      const stale = await t.http.delete(`/api/projects/${p.id}`).set(user.auth).set('If-Match', '"1"');
      expectError(stale, 412);
      expect(stale.body.error.current.version).toBe(2);
      await t.http.delete(`/api/projects/${p.id}`).set(user.auth).set('If-Match', '"2"').expect(204);
    });
  });

  describe('another user, and ids that are not ids', () => {
    it('gets the same 403 for another user’s project as for a missing one, on every route, and changes nothing', async () => {
      const alice = await createUser(t);
      const bob = await createUser(t);
      const p = await project(alice, { name: 'Private' });
      const before = (await t.db.query('SELECT p::text AS row FROM projects p WHERE id = $1', [p.id])).rows[0].row;
      for (const id of [p.id, alice.inboxId, randomUUID()]) {
        expectError(await t.http.get(`/api/projects/${id}`).set(bob.auth), 403, DENIED);
        expectError(await t.http.patch(`/api/projects/${id}`).set(bob.auth).send({ name: 'Mine now' }), 403, DENIED);
        expectError(await t.http.delete(`/api/projects/${id}?tasks=trash`).set(bob.auth), 403, DENIED);
      }
      expect((await t.db.query('SELECT p::text AS row FROM projects p WHERE id = $1', [p.id])).rows[0].row).toBe(before);
      const names = (await t.http.get('/api/projects').set(bob.auth).expect(200)).body.map((x: Project) => x.name);
      expect(names).toEqual(['Inbox']);
      // Nor can Bob put tasks into it.
      const task = await t.http.post('/api/tasks').set(bob.auth).send({ title: 'Sneaky', project_id: p.id });
      expectError(task, 400);
      expect(task.body.error.details).toEqual([{ field: 'project_id', message: 'project_id must be one of your projects' }]);
    });

    it('answers 400 for a malformed id', async () => {
      const user = await createUser(t);
      const res = await t.http.get('/api/projects/not-a-uuid').set(user.auth);
      expectError(res, 400);
      expect(res.body.error.details).toEqual([{ field: 'id', message: 'id must be a UUID' }]);
      expectError(await t.http.patch('/api/projects/123').set(user.auth).send({ name: 'x' }), 400);
      expectError(await t.http.delete('/api/projects/123').set(user.auth), 400);
    });

    it('needs a token', async () => {
      expectError(await t.http.get('/api/projects'), 401);
      expectError(await t.http.post('/api/projects').send({ name: 'x' }), 401);
    });
  });
});
