import 'fake-indexeddb/auto';
import { makeTask } from '../../../testing/factories';
import { Task, TrashedTask } from '../api-models';
import { upsertChange } from '../task-changes';
import { ApiCall, EngineHost, OfflineEngine, routeOf } from './offline-engine';
import { OutboxEntry, SendFailure } from './outbox';

let users = 0;

/** The app around the engine: records what was sent and said, and answers as the test says. */
class FakeHost implements EngineHost {
  userId = `user-${++users}`;
  sent: ApiCall[] = [];
  inFlight = 0;
  mostInFlight = 0;
  conflicts: { entry: OutboxEntry; theirs: Task }[] = [];
  gones: OutboxEntry[] = [];
  rejections: string[] = [];
  drains = 0;
  private created = 0;
  answer: (call: ApiCall) => unknown = (call) => this.server(call);

  async send(call: ApiCall): Promise<unknown> {
    this.sent.push(call);
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return this.answer(call);
    } finally {
      this.inFlight--;
    }
  }

  /** A server that accepts everything. */
  server(call: ApiCall): unknown {
    const body = (call.body ?? {}) as Record<string, unknown>;
    const version = Number((call.headers?.['If-Match'] ?? '"0"').replace(/"/g, ''));
    if (call.method === 'POST' && call.path === '/api/tasks') {
      return makeTask({ ...body, id: `real-${++this.created}`, version: 1 } as Partial<Task>);
    }
    if (call.method === 'PATCH') return makeTask({ ...body, id: call.path.split('/').pop(), version: version + 1 } as Partial<Task>);
    if (call.path === '/api/tasks/bulk') return { tasks: (body['ids'] as string[]).map((id) => makeTask({ id, version: 9 })) };
    return null;
  }

  announce(): void {}
  queueChanged(): void {}
  conflict(entry: OutboxEntry, theirs: Task): void {
    this.conflicts.push({ entry, theirs });
  }
  gone(entry: OutboxEntry): void {
    this.gones.push(entry);
  }
  rejected(entry: OutboxEntry, message: string): void {
    this.rejections.push(`${entry.label}: ${message}`);
  }
  drained(): void {
    this.drains++;
  }
  unavailable(): void {}
}

/** What the error interceptor throws: an Error with the status, message and current task. */
const fail = (failure: Partial<SendFailure>) => {
  throw Object.assign(new Error(failure.message ?? ''), { status: 0, current: null, ...failure });
};

async function write(engine: OfflineEngine, method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return engine.write(routeOf(method, path)!, { method, path, body, headers });
}

async function withTask(engine: OfflineEngine, task: Task) {
  await engine.absorb(upsertChange(task));
}

describe('OfflineEngine', () => {
  let host: FakeHost;
  let engine: OfflineEngine;

  beforeEach(async () => {
    host = new FakeHost();
    engine = await OfflineEngine.open(host);
  });

  afterEach(async () => {
    await engine.destroy();
  });

  it('answers writes at once from the local copy and queues them', async () => {
    const made = await write(engine, 'POST', '/api/tasks', { title: 'Buy milk' }, { 'Idempotency-Key': 'k1' });
    expect(made.status).toBe(201);
    const task = made.body as Task;
    expect(engine.read({ kind: 'get', id: task.id }, {}).body).toEqual(task);
    expect(engine.read({ kind: 'list' }, {}).total).toBe(1);
    expect(engine.waiting).toBe(1);
    expect(host.sent).toEqual([]);
  });

  it('sends the queue in the order it was made, one at a time, with temporary ids and versions rewritten', async () => {
    const parent = (await write(engine, 'POST', '/api/tasks', { title: 'Party' }, { 'Idempotency-Key': 'k1' })).body as Task;
    await write(engine, 'POST', '/api/tasks', { title: 'Balloons', parent_id: parent.id }, { 'Idempotency-Key': 'k2' });
    const edited = (await write(engine, 'PATCH', `/api/tasks/${parent.id}`, { title: 'Big party' }, { 'If-Match': '"1"' })).body as Task;
    await write(engine, 'PATCH', `/api/tasks/${parent.id}`, { priority: 'high' }, { 'If-Match': `"${edited.version}"` });
    await write(engine, 'POST', '/api/tasks/bulk', { ids: [parent.id], add_tags: ['fun'] }, { 'Idempotency-Key': 'k3' });

    await engine.replay();

    expect(host.mostInFlight).toBe(1);
    expect(host.sent.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /api/tasks',
      'POST /api/tasks',
      'PATCH /api/tasks/real-1',
      'PATCH /api/tasks/real-1',
      'POST /api/tasks/bulk',
    ]);
    expect(host.sent[0].headers?.['Idempotency-Key']).toBe('k1');
    expect((host.sent[1].body as { parent_id: string }).parent_id).toBe('real-1');
    // Each edit goes against the version the server answered the one before with.
    expect(host.sent.slice(2, 4).map((c) => c.headers?.['If-Match'])).toEqual(['"1"', '"2"']);
    expect((host.sent[4].body as { ids: string[] }).ids).toEqual(['real-1']);
    expect(engine.waiting).toBe(0);
    expect(host.drains).toBe(1);
    expect(engine.query({}).map((t) => t.id).sort()).toEqual(['real-1', 'real-2']);
    expect(engine.query({}).find((t) => t.id === 'real-2')?.parent_id).toBe('real-1');
  });

  it('removes an entry only once the server answered: a lost answer keeps it, across a reload, with its key', async () => {
    await write(engine, 'POST', '/api/tasks', { title: 'Buy milk' }, { 'Idempotency-Key': 'k1' });
    host.answer = () => fail({ status: 0 });
    await engine.replay();
    expect(engine.waiting).toBe(1);

    engine.close();
    const reloaded = new FakeHost();
    reloaded.userId = host.userId;
    engine = await OfflineEngine.open(reloaded);
    expect(engine.waiting).toBe(1);
    await engine.replay();
    expect(reloaded.sent.map((c) => c.headers?.['Idempotency-Key'])).toEqual(['k1']);
    expect(engine.waiting).toBe(0);
    expect(engine.query({}).map((t) => t.title)).toEqual(['Buy milk']);
  });

  it('a 412 holds the queue and asks the user; their choice lets the rest go', async () => {
    await withTask(engine, makeTask({ id: 't1', title: 'Old', version: 3 }));
    await withTask(engine, makeTask({ id: 't2', version: 1 }));
    await write(engine, 'PATCH', '/api/tasks/t1', { title: 'Mine' }, { 'If-Match': '"3"' });
    await write(engine, 'PATCH', '/api/tasks/t2', { status: 'done' }, { 'If-Match': '"1"' });
    const theirs = makeTask({ id: 't1', title: 'Theirs', version: 4 });
    host.answer = (call) => (call.path === '/api/tasks/t1' ? fail({ status: 412, current: theirs }) : host.server(call));

    await engine.replay();
    expect(host.conflicts.map((c) => [c.entry.body, c.theirs.title])).toEqual([[{ title: 'Mine' }, 'Theirs']]);
    expect(host.conflicts[0].entry.before?.title).toBe('Old');
    expect(host.sent.map((c) => c.path)).toEqual(['/api/tasks/t1']);
    expect(engine.waiting).toBe(2);
    expect(engine.heldFor('t1')?.held).toBe('conflict');
    // Still mine locally until the user chooses.
    expect((engine.read({ kind: 'get', id: 't1' }, {}).body as Task).title).toBe('Mine');

    await engine.resolveConflict('t1', theirs);
    await vi.waitFor(() => expect(engine.waiting).toBe(0));
    expect(host.sent.map((c) => c.path)).toEqual(['/api/tasks/t1', '/api/tasks/t2']);
    expect((engine.read({ kind: 'get', id: 't1' }, {}).body as Task).title).toBe('Theirs');
  });

  it('an edit of a task deleted elsewhere waits for the user: restored then sent again, or dropped', async () => {
    await withTask(engine, makeTask({ id: 't1', version: 3 }));
    await write(engine, 'PATCH', '/api/tasks/t1', { status: 'done' }, { 'If-Match': '"3"' });
    let deleted = true;
    host.answer = (call) => {
      if (call.path === '/api/trash/t1/restore') {
        deleted = false;
        return makeTask({ id: 't1', version: 5 });
      }
      return deleted ? fail({ status: 404 }) : host.server(call);
    };
    await engine.replay();
    expect(host.gones.map((e) => e.taskIds)).toEqual([['t1']]);
    expect(engine.waiting).toBe(1);

    await engine.restoreGone('t1');
    await vi.waitFor(() => expect(engine.waiting).toBe(0));
    expect(host.sent.map((c) => `${c.method} ${c.path} ${c.headers?.['If-Match'] ?? ''}`)).toEqual([
      'PATCH /api/tasks/t1 "3"',
      'POST /api/trash/t1/restore ',
      'PATCH /api/tasks/t1 "5"',
    ]);

    await write(engine, 'PATCH', '/api/tasks/t1', { title: 'Again' }, { 'If-Match': '"6"' });
    deleted = true;
    await engine.replay();
    await engine.dropGone('t1');
    await vi.waitFor(() => expect(engine.waiting).toBe(0));
    expect(engine.read({ kind: 'get', id: 't1' }, {}).status).toBe(404);
  });

  it('a change the server refuses is dropped, the user told why, and the server’s copy taken back', async () => {
    await withTask(engine, makeTask({ id: 't1', title: 'Server title', version: 3 }));
    await write(engine, 'PATCH', '/api/tasks/t1', { title: 'x' }, { 'If-Match': '"3"' });
    host.answer = (call) =>
      call.method === 'PATCH' ? fail({ status: 400, message: 'title must be at least 3 characters' }) : makeTask({ id: 't1', title: 'Server title', version: 3 });
    await engine.replay();
    expect(host.rejections).toEqual(['Change “Server title”: title must be at least 3 characters']);
    expect(engine.waiting).toBe(0);
    expect((engine.read({ kind: 'get', id: 't1' }, {}).body as Task).title).toBe('Server title');
  });

  it('keeps changes waiting over what the stream says, until they are sent', async () => {
    await withTask(engine, makeTask({ id: 't1', title: 'Old', version: 3 }));
    await write(engine, 'PATCH', '/api/tasks/t1', { title: 'Mine' }, { 'If-Match': '"3"' });
    await engine.absorb(upsertChange(makeTask({ id: 't1', title: 'Theirs', version: 4 })));
    expect((engine.read({ kind: 'get', id: 't1' }, {}).body as Task).title).toBe('Mine');
  });

  it('a bulk delete resent after its answer was lost finds the tasks gone, and says nothing', async () => {
    await withTask(engine, makeTask({ id: 't1' }));
    await withTask(engine, makeTask({ id: 't2' }));
    await write(engine, 'POST', '/api/tasks/bulk-delete', { ids: ['t1', 't2'] });
    host.answer = () => fail({ status: 403, message: 'Task not found' });
    await engine.replay();
    expect(engine.waiting).toBe(0);
    expect(host.rejections).toEqual([]);
    expect(engine.query({})).toEqual([]);
  });

  it('reads everything once, then only what changed since: changed tasks in, trashed ones out', async () => {
    const a = makeTask({ id: 'a', updated_at: '2026-03-01T10:00:00.000Z' });
    const b = makeTask({ id: 'b', updated_at: '2026-03-01T10:00:00.000Z' });
    let tasks: Task[] = [a, b];
    let trash: TrashedTask[] = [];
    host.answer = (call) => (call.path === '/api/tasks' ? tasks : call.path === '/api/trash' ? trash : []);
    await engine.fill();
    expect(engine.query({}).map((t) => t.id).sort()).toEqual(['a', 'b']);
    expect(host.sent.find((c) => c.path === '/api/tasks')?.params?.['sort']).toBeUndefined();

    host.sent = [];
    tasks = [{ ...a, title: 'Changed', updated_at: '2026-03-02T10:00:00.000Z', version: 2 }];
    trash = [{ ...b, deleted_at: '2026-03-02T10:00:00.000Z' }];
    await engine.fill();
    expect(host.sent.find((c) => c.path === '/api/tasks')?.params?.['sort']).toBe('-updated_at');
    expect(engine.query({}).map((t) => t.title)).toEqual(['Changed']);
    expect((engine.read({ kind: 'trash' }, {}).body as TrashedTask[]).map((t) => t.id)).toEqual(['b']);

    // Anything older than the last read (less an overlap) is not asked for again.
    host.sent = [];
    tasks = [{ ...a, updated_at: '2026-02-01T10:00:00.000Z', version: 3, title: 'Stale' }];
    trash = [];
    await engine.fill();
    expect(engine.query({}).map((t) => t.title)).toEqual(['Changed']);
    // A full read when asked for (a reset) replaces everything.
    await engine.fill(true);
    expect(engine.query({}).map((t) => t.title)).toEqual(['Stale']);
  });

  it('answers a list with every matching task, however many pages the API would need', async () => {
    for (let i = 0; i < 250; i++) await withTask(engine, makeTask({ id: `t${i}` }));
    expect(engine.query({})).toHaveLength(250);
    expect(engine.read({ kind: 'list' }, { limit: '100', offset: '200' }).total).toBe(250);
  });
});
