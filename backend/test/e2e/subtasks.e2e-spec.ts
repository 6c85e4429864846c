import { randomUUID } from 'node:crypto';
import { createTask, createUser, expectError, startTestApp, type TaskBody, type TestApp, type TestUser } from '../support/test-app';

/** Subtasks, manual order, due times and moving tasks between projects. */
describe('subtasks, order and moves', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const get = async (user: TestUser, id: string): Promise<TaskBody> => (await t.http.get(`/api/tasks/${id}`).set(user.auth).expect(200)).body;
  const patch = (user: TestUser, id: string, body: Record<string, unknown>) => t.http.patch(`/api/tasks/${id}`).set(user.auth).send(body);
  const projectOf = async (user: TestUser, name: string, parentId?: string): Promise<string> =>
    (await t.http.post('/api/projects').set(user.auth).send({ name, ...(parentId && { parent_id: parentId }) }).expect(201)).body.id;
  const statuses = async (ids: string[]) =>
    Object.fromEntries((await t.db.query('SELECT id, status FROM tasks WHERE id = ANY($1::uuid[])', [ids])).rows.map((r) => [r.id, r.status]));
  const eventsOf = async (userId: string, entityId: string) =>
    (await t.db.query('SELECT type FROM events WHERE user_id = $1 AND entity_id = $2 ORDER BY seq', [userId, entityId])).rows.map((r) => r.type);

  describe('creating subtasks', () => {
    it("puts a subtask in its parent's project, last among its siblings, and counts it on the parent", async () => {
      const user = await createUser(t);
      const home = await projectOf(user, 'Home');
      const parent = await createTask(t, user, { title: 'Move house', project_id: home });
      const first = await createTask(t, user, { title: 'Pack books', parent_id: parent.id });
      const second = await createTask(t, user, { title: 'Pack plates', parent_id: parent.id, project_id: home });
      expect(first).toMatchObject({ parent_id: parent.id, project_id: home, position: 1024 });
      expect(second).toMatchObject({ parent_id: parent.id, project_id: home, position: 2048 });
      await patch(user, first.id, { status: 'done' }).expect(200);
      const after = await get(user, parent.id);
      expect(after).toMatchObject({ subtask_count: 2, subtask_done_count: 1 });
      // The counts are part of the parent: its version moved with each change.
      expect(after.version).toBe(4);
      const listed = (await t.http.get('/api/tasks?parent_id=none').set(user.auth).expect(200)).body as TaskBody[];
      expect(listed.map((task) => [task.id, task.subtask_count, task.subtask_done_count])).toEqual([[parent.id, 2, 1]]);
    });

    it('refuses a parent that is not one of the caller’s tasks, or in another project, or too deep (400)', async () => {
      const user = await createUser(t);
      const stranger = await createUser(t);
      const theirs = await createTask(t, stranger);
      const other = await projectOf(user, 'Elsewhere');
      const parent = await createTask(t, user);
      const fieldOf = async (body: Record<string, unknown>) => {
        const res = await t.http.post('/api/tasks').set(user.auth).send({ title: 'Child', ...body });
        expectError(res, 400);
        return res.body.error.details;
      };
      expect(await fieldOf({ parent_id: theirs.id })).toEqual([{ field: 'parent_id', message: expect.stringMatching(/one of your tasks/) }]);
      expect(await fieldOf({ parent_id: randomUUID() })).toEqual([{ field: 'parent_id', message: expect.any(String) }]);
      expect(await fieldOf({ parent_id: parent.id, project_id: other })).toEqual([
        { field: 'project_id', message: expect.stringMatching(/parent's project/) },
      ]);
      const level2 = await createTask(t, user, { parent_id: parent.id });
      const level3 = await createTask(t, user, { parent_id: level2.id });
      const level4 = await createTask(t, user, { parent_id: level3.id });
      expect(await fieldOf({ parent_id: level4.id })).toEqual([{ field: 'parent_id', message: 'subtasks nest at most 4 levels deep' }]);
      const trashed = await createTask(t, user);
      await t.http.delete(`/api/tasks/${trashed.id}`).set(user.auth).expect(204);
      expect((await fieldOf({ parent_id: trashed.id }))[0].field).toBe('parent_id');
      const { rows } = await t.db.query("SELECT count(*)::int AS n FROM tasks WHERE user_id = $1 AND title = 'Child'", [user.id]);
      expect(rows[0].n).toBe(0);
    });
  });

  describe('completing and reopening', () => {
    it('completing a parent completes its whole open subtree, with one event each', async () => {
      const user = await createUser(t);
      const root = await createTask(t, user, { title: 'Root' });
      const a = await createTask(t, user, { parent_id: root.id });
      const b = await createTask(t, user, { parent_id: root.id, status: 'done' });
      const a1 = await createTask(t, user, { parent_id: a.id, status: 'in-progress' });
      const done = await patch(user, root.id, { status: 'done' }).expect(200);
      expect(done.body).toMatchObject({ status: 'done', subtask_count: 2, subtask_done_count: 2 });
      expect(await statuses([root.id, a.id, b.id, a1.id])).toEqual({ [root.id]: 'done', [a.id]: 'done', [b.id]: 'done', [a1.id]: 'done' });
      expect((await eventsOf(user.id, a1.id)).filter((type) => type === 'task.updated')).toHaveLength(1);
      expect((await eventsOf(user.id, b.id)).filter((type) => type === 'task.updated')).toHaveLength(0);
    });

    it('reopening a subtask of a done parent reopens the parent and its done ancestors', async () => {
      const user = await createUser(t);
      const root = await createTask(t, user, { title: 'Root' });
      const mid = await createTask(t, user, { parent_id: root.id });
      const leaf = await createTask(t, user, { parent_id: mid.id });
      const sibling = await createTask(t, user, { parent_id: mid.id });
      await patch(user, root.id, { status: 'done' }).expect(200);
      const reopened = await patch(user, leaf.id, { status: 'in-progress' }).expect(200);
      expect(reopened.body.status).toBe('in-progress');
      expect(await statuses([root.id, mid.id, leaf.id, sibling.id])).toEqual({
        [root.id]: 'todo',
        [mid.id]: 'todo',
        [leaf.id]: 'in-progress',
        [sibling.id]: 'done',
      });
    });
  });

  describe('moving', () => {
    it("moves a task with its whole subtree to another project", async () => {
      const user = await createUser(t);
      const target = await projectOf(user, 'Target');
      const root = await createTask(t, user);
      const child = await createTask(t, user, { parent_id: root.id });
      const grandchild = await createTask(t, user, { parent_id: child.id });
      const moved = await patch(user, root.id, { project_id: target }).expect(200);
      expect(moved.body).toMatchObject({ project_id: target, parent_id: null });
      for (const id of [child.id, grandchild.id]) expect((await get(user, id)).project_id).toBe(target);
      const open = (await t.http.get(`/api/projects/${target}`).set(user.auth).expect(200)).body.open_task_count;
      expect(open).toBe(3);
    });

    it("refuses to move a subtask alone to another project (400); it follows its parent", async () => {
      const user = await createUser(t);
      const other = await projectOf(user, 'Other');
      const root = await createTask(t, user);
      const child = await createTask(t, user, { parent_id: root.id });
      const res = await patch(user, child.id, { project_id: other });
      expectError(res, 400);
      expect(res.body.error.details).toEqual([{ field: 'project_id', message: expect.stringMatching(/parent's project/) }]);
      // Out from under the parent and into the project at once: allowed.
      const detached = await patch(user, child.id, { parent_id: null, project_id: other }).expect(200);
      expect(detached.body).toMatchObject({ parent_id: null, project_id: other });
    });

    it('moves a task under another one: it takes the new parent’s project, goes last, and cycles and depth are refused', async () => {
      const user = await createUser(t);
      const other = await projectOf(user, 'Other');
      const newParent = await createTask(t, user, { project_id: other });
      await createTask(t, user, { parent_id: newParent.id });
      const task = await createTask(t, user);
      const child = await createTask(t, user, { parent_id: task.id });
      const moved = await patch(user, task.id, { parent_id: newParent.id }).expect(200);
      expect(moved.body).toMatchObject({ parent_id: newParent.id, project_id: other, position: 2048 });
      expect((await get(user, child.id)).project_id).toBe(other);

      const cycle = await patch(user, newParent.id, { parent_id: child.id });
      expectError(cycle, 400);
      expect(cycle.body.error.details).toEqual([{ field: 'parent_id', message: expect.stringMatching(/under itself/) }]);
      expectError(await patch(user, task.id, { parent_id: task.id }), 400);

      // A chain of three under newParent: task (2) > child (3); adding two more levels below child is one too many.
      const deep = await createTask(t, user, { parent_id: child.id });
      const loose = await createTask(t, user);
      await createTask(t, user, { parent_id: loose.id });
      const tooDeep = await patch(user, loose.id, { parent_id: deep.id });
      expectError(tooDeep, 400);
      expect(tooDeep.body.error.details).toEqual([{ field: 'parent_id', message: 'subtasks nest at most 4 levels deep' }]);
    });
  });

  describe('manual order', () => {
    it('sorts by position, and a client can put a task between two others', async () => {
      const user = await createUser(t);
      const a = await createTask(t, user, { title: 'First' });
      const b = await createTask(t, user, { title: 'Second' });
      const c = await createTask(t, user, { title: 'Third' });
      await patch(user, c.id, { position: (a.position + b.position) / 2 }).expect(200);
      const titles = (await t.http.get('/api/tasks?sort=position').set(user.auth).expect(200)).body.map((task: TaskBody) => task.title);
      expect(titles).toEqual(['First', 'Third', 'Second']);
      const reversed = (await t.http.get('/api/tasks?sort=-position').set(user.auth).expect(200)).body.map((task: TaskBody) => task.title);
      expect(reversed).toEqual(['Second', 'Third', 'First']);
      expectError(await patch(user, a.id, { position: 'first' }), 400);
      expectError(await patch(user, a.id, { position: 2 ** 60 }), 400);
    });
  });

  describe('due times', () => {
    it('needs a due date; clearing the date clears the time', async () => {
      const user = await createUser(t);
      const noDate = await t.http.post('/api/tasks').set(user.auth).send({ title: 'Timed', due_time: '09:00' });
      expectError(noDate, 400);
      expect(noDate.body.error.details).toEqual([{ field: 'due_time', message: 'due_time needs a due_date' }]);
      const task = await createTask(t, user, { due_date: '2027-03-28', due_time: '09:30' });
      expect(task).toMatchObject({ due_date: '2027-03-28', due_time: '09:30' });
      const cleared = await patch(user, task.id, { due_date: null }).expect(200);
      expect(cleared.body).toMatchObject({ due_date: null, due_time: null });
      expectError(await patch(user, task.id, { due_time: '10:00' }), 400);
      for (const bad of ['9:00', '24:00', '12:60', '12:00:00', 900]) {
        expectError(await patch(user, task.id, { due_date: '2027-01-01', due_time: bad }), 400);
      }
    });
  });

  describe('list filters', () => {
    let user: TestUser;
    let work: string;
    let workSub: string;
    let parent: TaskBody;

    beforeAll(async () => {
      user = await createUser(t);
      work = await projectOf(user, 'Work');
      workSub = await projectOf(user, 'Work sub', work);
      parent = await createTask(t, user, { title: 'Work parent', project_id: work });
      await createTask(t, user, { title: 'Work child', parent_id: parent.id });
      await createTask(t, user, { title: 'Sub task', project_id: workSub });
      await createTask(t, user, { title: 'Inbox task' });
    });
    const titles = async (query: string) =>
      ((await t.http.get(`/api/tasks${query}`).set(user.auth).expect(200)).body as TaskBody[]).map((task) => task.title).sort();

    it('filters by project, repeatable, with or without sub-projects', async () => {
      expect(await titles(`?project_id=${work}`)).toEqual(['Work child', 'Work parent']);
      expect(await titles(`?project_id=${work}&include_subprojects=true`)).toEqual(['Sub task', 'Work child', 'Work parent']);
      expect(await titles(`?project_id=${workSub}&project_id=${user.inboxId}`)).toEqual(['Inbox task', 'Sub task']);
      expect(await titles(`?project_id=${workSub},${user.inboxId}`)).toEqual(['Inbox task', 'Sub task']);
    });

    it('filters by parent: a task’s subtasks, or top-level tasks only', async () => {
      expect(await titles(`?parent_id=${parent.id}`)).toEqual(['Work child']);
      expect(await titles('?parent_id=none')).toEqual(['Inbox task', 'Sub task', 'Work parent']);
      // Without a project filter, filters and sorts span every project, as before.
      expect(await titles('?q=task')).toEqual(['Inbox task', 'Sub task']);
    });

    it('refuses bad project and parent filters (400), and never shows another user’s project', async () => {
      expectError(await t.http.get('/api/tasks?project_id=nope').set(user.auth), 400);
      expectError(await t.http.get('/api/tasks?parent_id=nope').set(user.auth), 400);
      expectError(await t.http.get('/api/tasks?include_subprojects=yes').set(user.auth), 400);
      const stranger = await createUser(t);
      const res = await t.http.get(`/api/tasks?project_id=${work}&include_subprojects=true`).set(stranger.auth).expect(200);
      expect(res.body).toEqual([]);
      expect(res.headers['x-total-count']).toBe('0');
    });
  });
});
