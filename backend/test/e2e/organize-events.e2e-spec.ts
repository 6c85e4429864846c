import { dataOf, openStream, type SseStream } from '../support/sse-client';
import { createTask, createUser, startTestApp, type TestApp } from '../support/test-app';

/** The event stream carries projects and saved views too, in the shape of the task events. */
describe('events of projects and saved views', () => {
  let t: TestApp;
  const streams: SseStream[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  afterAll(async () => {
    await t.close();
  });

  it('announces project.created, project.updated (also when its open count changes) and project.deleted', async () => {
    const user = await createUser(t);
    const stream = await openStream(t.baseUrl, '/api/events', user.auth);
    streams.push(stream);
    expect((await stream.next()).event).toBe('ready');

    const project = (await t.http.post('/api/projects').set(user.auth).send({ name: 'Garden', color: '#00AA00' }).expect(201)).body;
    const created = await stream.next();
    expect(created.event).toBe('project.created');
    expect(Object.keys(dataOf(created))).toEqual(['id', 'type', 'project_id', 'version', 'project', 'occurred_at']);
    expect(dataOf(created)).toEqual({ id: created.id, type: 'project.created', project_id: project.id, version: 1, project, occurred_at: expect.any(String) });

    await t.http.patch(`/api/projects/${project.id}`).set(user.auth).send({ name: 'Garden and balcony' }).expect(200);
    expect(dataOf(await stream.next())).toMatchObject({ type: 'project.updated', version: 2, project: { name: 'Garden and balcony' } });

    const task = await createTask(t, user, { project_id: project.id });
    const [first, second] = [await stream.next(), await stream.next()];
    expect(dataOf(first)).toMatchObject({ type: 'task.created', task_id: task.id });
    expect(dataOf(second)).toMatchObject({ type: 'project.updated', project_id: project.id, version: 3, project: { open_task_count: 1 } });

    await t.http.delete(`/api/projects/${project.id}?tasks=trash`).set(user.auth).expect(204);
    const rest = await stream.take(3);
    expect(rest.map((e) => e.event).sort()).toEqual(['project.deleted', 'project.updated', 'task.deleted'].sort());
    const deleted = dataOf(rest.find((e) => e.event === 'project.deleted')!);
    expect(deleted).toEqual({ id: expect.any(String), type: 'project.deleted', project_id: project.id, version: expect.any(Number), occurred_at: expect.any(String) });
    expect('project' in deleted).toBe(false);
  });

  it('announces view.created, view.updated and view.deleted', async () => {
    const user = await createUser(t);
    const stream = await openStream(t.baseUrl, '/api/events', user.auth);
    streams.push(stream);
    expect((await stream.next()).event).toBe('ready');
    const view = (await t.http.post('/api/views').set(user.auth).send({ name: 'Focus', query: { priority: ['high'] } }).expect(201)).body;
    expect(dataOf(await stream.next())).toEqual({
      id: expect.any(String),
      type: 'view.created',
      view_id: view.id,
      version: 1,
      view,
      occurred_at: expect.any(String),
    });
    await t.http.patch(`/api/views/${view.id}`).set(user.auth).send({ query: { priority: ['low'] } }).expect(200);
    expect(dataOf(await stream.next())).toMatchObject({ type: 'view.updated', version: 2, view: { query: { priority: ['low'] } } });
    await t.http.delete(`/api/views/${view.id}`).set(user.auth).expect(204);
    expect(dataOf(await stream.next())).toMatchObject({ type: 'view.deleted', view_id: view.id, version: 3 });
  });

  it('restoring a task is a task.created; another user hears none of it', async () => {
    const [alice, bob] = await Promise.all([createUser(t), createUser(t)]);
    const bobStream = await openStream(t.baseUrl, '/api/events', bob.auth);
    streams.push(bobStream);
    expect((await bobStream.next()).event).toBe('ready');
    const task = await createTask(t, alice);
    await t.http.delete(`/api/tasks/${task.id}`).set(alice.auth).expect(204);
    const stream = await openStream(t.baseUrl, '/api/events', alice.auth);
    streams.push(stream);
    stream.ignore = /^project\./;
    expect((await stream.next()).event).toBe('ready');
    await t.http.post(`/api/trash/${task.id}/restore`).set(alice.auth).expect(200);
    expect(dataOf(await stream.next())).toMatchObject({ type: 'task.created', task_id: task.id, task: { id: task.id } });
    await t.http.post('/api/projects').set(alice.auth).send({ name: 'Hers' }).expect(201);
    expect(await bobStream.quietFor(500)).toEqual([]);
  });
});
