import {
  BulkUpdateInput,
  CreateTaskInput,
  Project,
  ProjectChangeEvent,
  SavedView,
  Task,
  TaskChangeEvent,
  TrashedTask,
  UpdateTaskInput,
  User,
  ViewChangeEvent,
} from '../api-models';
import { newIdempotencyKey } from '../idempotency-key';
import { TaskListParams } from '../tasks-api';
import { LocalDatabase, deleteLocalDatabase, isStorageUnavailable, openLocalDatabase, rememberUser } from './local-db';
import { queryTasks } from './local-query';
import {
  Delta,
  LocalCopy,
  bulkLocally,
  createLocally,
  emptyDelta,
  mergeFill,
  mergeRemote,
  restoreLocally,
  serverVersion,
  trashLocally,
  updateLocally,
} from './local-writes';
import { OutboxEntry, Outcome, SendFailure, answeredTasks, outcomeOf, pendingIds, rewriteAfterAck } from './outbox';

/** A request for the API, as the outbox sends it and the local copy answers it. */
export interface ApiCall {
  method: string;
  /** Under the API base URL, e.g. `/api/tasks/<id>`. */
  path: string;
  params?: Record<string, string | string[]>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface LocalAnswer {
  status: number;
  body: unknown;
  total?: number;
}

/** What the engine needs from the app. */
export interface EngineHost {
  userId: string;
  /** Sends to the server (never answered locally); rejects with the error interceptor's ApiError. */
  send(call: ApiCall): Promise<unknown>;
  /** Shows tasks that changed (or went) to this tab's views. */
  announce(put: readonly Task[], removed: readonly string[]): void;
  /** The queue's length or state changed. */
  queueChanged(pending: number, syncing: boolean): void;
  conflict(entry: OutboxEntry, theirs: Task): void;
  gone(entry: OutboxEntry): void;
  rejected(entry: OutboxEntry, message: string): void;
  /** Everything waiting was sent: views may reload from the server. */
  drained(): void;
  /** The device cannot keep the copy (storage full, private mode). */
  unavailable(): void;
}

export type Route =
  | { kind: 'list' | 'projects' | 'views' | 'trash' | 'create' | 'bulk' | 'bulk-delete' }
  | { kind: 'get' | 'update' | 'delete' | 'restore'; id: string };

const READS = new Set(['list', 'get', 'projects', 'views', 'trash']);

/** Which of the API's routes the local copy can answer. */
export function routeOf(method: string, path: string): Route | null {
  const tasks = /\/api\/tasks(?:\/([^/]+))?$/.exec(path);
  if (tasks) {
    const id = tasks[1] ? decodeURIComponent(tasks[1]) : undefined;
    if (!id) return method === 'GET' ? { kind: 'list' } : method === 'POST' ? { kind: 'create' } : null;
    if (method === 'POST' && id === 'bulk') return { kind: 'bulk' };
    if (method === 'POST' && id === 'bulk-delete') return { kind: 'bulk-delete' };
    if (method === 'GET') return { kind: 'get', id };
    if (method === 'PATCH') return { kind: 'update', id };
    if (method === 'DELETE') return { kind: 'delete', id };
    return null;
  }
  const restore = /\/api\/trash\/([^/]+)\/restore$/.exec(path);
  if (restore && method === 'POST') return { kind: 'restore', id: decodeURIComponent(restore[1]) };
  if (method !== 'GET') return null;
  if (/\/api\/projects$/.test(path)) return { kind: 'projects' };
  if (/\/api\/views$/.test(path)) return { kind: 'views' };
  if (/\/api\/trash$/.test(path)) return { kind: 'trash' };
  return null;
}

export function isRead(route: Route): boolean {
  return READS.has(route.kind);
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function list(value: string | string[] | undefined, split = false): string[] | undefined {
  if (value === undefined) return undefined;
  const all = Array.isArray(value) ? value : [value];
  return split ? all.flatMap((v) => v.split(',')) : all;
}

/** GET /api/tasks's query string back into its parameters. */
export function paramsOf(query: Record<string, string | string[]>): TaskListParams {
  const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  return {
    status: list(query['status'], true) as TaskListParams['status'],
    priority: list(query['priority'], true) as TaskListParams['priority'],
    tags: list(query['tag']),
    q: one(query['q']),
    due_before: one(query['due_before']),
    due_after: one(query['due_after']),
    project_id: list(query['project_id']),
    include_subprojects: one(query['include_subprojects']) === 'true',
    parent_id: one(query['parent_id']),
    sort: one(query['sort']) as TaskListParams['sort'],
    limit: number(one(query['limit'])),
    offset: number(one(query['offset'])),
  };
}

function notFound(): LocalAnswer {
  return { status: 404, body: { error: { code: 404, message: 'Task not found' } } };
}

function quoted(title: string): string {
  return `“${title.length > 40 ? `${title.slice(0, 39)}…` : title}”`;
}

function ifMatchOf(headers: Record<string, string> | undefined): number | undefined {
  const value = headers?.['If-Match'] ?? headers?.['if-match'];
  const version = value === undefined ? NaN : Number(value.replace(/"/g, ''));
  return Number.isFinite(version) ? serverVersion(version) : undefined;
}

type TabMessage = { type: 'delta'; delta: Delta } | { type: 'queue' };

const LOCK = 'eot-outbox';
const PAGE = 100;
/** A full read is done at least this often; in between, only what changed since the last. */
const FULL_EVERY_MS = 24 * 60 * 60 * 1000;
/** Writes commit a little out of timestamp order: an incremental read looks this much further back. */
const OVERLAP_MS = 60_000;

/** When the copy was last read in full (this device's clock), and the newest server time seen. */
interface SyncMark {
  full: string;
  watermark: string | null;
}

function newest(start: string | null, tasks: readonly Task[], trash: readonly TrashedTask[]): string | null {
  let out = start;
  for (const t of tasks) if (!out || t.updated_at > out) out = t.updated_at;
  for (const t of trash) if (!out || t.deleted_at > out) out = t.deleted_at;
  return out;
}

/**
 * The user's offline copy and outbox: answers the API's reads from IndexedDB, applies writes
 * there at once and queues them, and sends the queue in order when the server can be reached.
 * Loaded on demand, after sign-in.
 */
export class OfflineEngine {
  private readonly tasks = new Map<string, Task>();
  private readonly trash = new Map<string, TrashedTask>();
  private projects: Project[] = [];
  private views: SavedView[] = [];
  private queue: OutboxEntry[] = [];
  private pending = new Set<string>();
  private replaying = false;
  private closed = false;
  private readonly channel: BroadcastChannel | null;

  readonly routeOf = routeOf;
  readonly isRead = isRead;

  private constructor(
    private readonly db: LocalDatabase,
    private readonly host: EngineHost,
  ) {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`eot-offline-${host.userId}`);
    this.channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => void this.fromOtherTab(event.data));
    db.addEventListener('close', () => this.close());
  }

  static async open(host: EngineHost): Promise<OfflineEngine> {
    const engine = new OfflineEngine(await openLocalDatabase(host.userId), host);
    await engine.load();
    return engine;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** The tasks the list would show for `params`, every page at once. */
  query(params: TaskListParams): Task[] {
    const all = [...this.tasks.values()];
    const out: Task[] = [];
    // A page at a time, as the API answers (queryTasks may hold to its largest page).
    for (let total = Infinity; out.length < total; ) {
      const page = queryTasks(all, { ...params, limit: PAGE, offset: out.length }, { projects: this.projects });
      out.push(...page.tasks);
      total = page.tasks.length ? page.total : out.length;
    }
    return out;
  }

  isPending(id: string): boolean {
    return this.pending.has(id);
  }

  heldFor(taskId: string): OutboxEntry | undefined {
    return this.queue.find((e) => e.held && e.taskIds.includes(taskId));
  }

  /** Answers a read from the local copy. */
  read(route: Route, query: Record<string, string | string[]>): LocalAnswer {
    switch (route.kind) {
      case 'list': {
        const page = queryTasks([...this.tasks.values()], paramsOf(query), { projects: this.projects });
        return { status: 200, body: page.tasks, total: page.total };
      }
      case 'get': {
        const task = this.tasks.get(route.id);
        return task ? { status: 200, body: task } : notFound();
      }
      case 'projects':
        return { status: 200, body: this.projects };
      case 'views':
        return { status: 200, body: this.views };
      case 'trash': {
        const all = [...this.trash.values()].sort((a, b) => b.deleted_at.localeCompare(a.deleted_at));
        const offset = Number(one(query['offset']) ?? 0);
        const limit = Number(one(query['limit']) ?? 100);
        return { status: 200, body: all.slice(offset, offset + limit), total: all.length };
      }
      default:
        return notFound();
    }
  }

  /** Applies a write to the local copy at once and queues it; answers as the server would. */
  async write(route: Route, call: ApiCall): Promise<LocalAnswer> {
    const now = new Date().toISOString();
    const copy: LocalCopy = { userId: this.host.userId, tasks: this.tasks, trash: this.trash, projects: this.projects };
    const key = call.headers?.['Idempotency-Key'] ?? newIdempotencyKey();
    let entry: OutboxEntry;
    let delta: Delta;
    let answer: LocalAnswer;
    switch (route.kind) {
      case 'create': {
        const input = call.body as CreateTaskInput;
        const made = createLocally(copy, input, newIdempotencyKey(), now);
        entry = { method: 'POST', path: call.path, body: input, idempotencyKey: key, taskIds: [made.task.id], tempId: made.task.id, label: `Add ${quoted(input.title)}` };
        delta = made.delta;
        answer = { status: 201, body: made.task };
        break;
      }
      case 'update': {
        const task = this.tasks.get(route.id);
        if (!task) return notFound();
        const changes = call.body as UpdateTaskInput;
        const made = updateLocally(copy, task, changes, now);
        entry = { method: 'PATCH', path: call.path, body: changes, ifMatch: ifMatchOf(call.headers), taskIds: [task.id], before: task, label: `Change ${quoted(task.title)}` };
        delta = made.delta;
        answer = { status: 200, body: made.task };
        break;
      }
      case 'delete': {
        const task = this.tasks.get(route.id);
        if (!task) return notFound();
        delta = trashLocally(copy, [task.id], now);
        entry = { method: 'DELETE', path: call.path, body: null, ifMatch: ifMatchOf(call.headers), taskIds: [task.id], label: `Delete ${quoted(task.title)}` };
        answer = { status: 204, body: null };
        break;
      }
      case 'bulk': {
        const input = call.body as BulkUpdateInput;
        const made = bulkLocally(copy, input, now);
        entry = { method: 'POST', path: call.path, body: input, idempotencyKey: key, taskIds: [...input.ids], label: `Change ${input.ids.length} tasks` };
        delta = made.delta;
        answer = { status: 200, body: { tasks: made.tasks } };
        break;
      }
      case 'bulk-delete': {
        const ids = (call.body as { ids: string[] }).ids;
        delta = trashLocally(copy, ids, now);
        entry = { method: 'POST', path: call.path, body: { ids }, taskIds: [...ids], label: `Delete ${ids.length} tasks` };
        answer = { status: 200, body: { deleted: ids.filter((id) => this.tasks.has(id)).length } };
        break;
      }
      case 'restore': {
        const made = restoreLocally(copy, route.id, now);
        if (!made) return notFound();
        entry = { method: 'POST', path: call.path, body: null, taskIds: [route.id], label: `Restore ${quoted(made.task.title)}` };
        delta = made.delta;
        answer = { status: 200, body: made.task };
        break;
      }
      default:
        return notFound();
    }
    await this.commit(delta, [entry]);
    return answer;
  }

  /** A change from the live stream (or this app's own answered write). */
  async absorb(change: TaskChangeEvent): Promise<void> {
    if (this.closed || this.pending.has(change.task_id)) return;
    const delta = emptyDelta();
    if (change.type === 'task.deleted') {
      if (!this.tasks.has(change.task_id)) return;
      delta.remove.push(change.task_id);
    } else {
      const local = this.tasks.get(change.task_id);
      // Already known (a repeat, or another tab's change relayed): nothing to write.
      if (local && local.version >= change.task.version) return;
      const merged = mergeRemote(local, change.task, this.pending);
      delta.put.push(merged);
      delta.untrash.push(change.task_id);
    }
    await this.commit(delta, [], false);
  }

  async absorbProject(change: ProjectChangeEvent): Promise<void> {
    if (this.closed) return;
    this.projects = this.projects.filter((p) => p.id !== change.project_id);
    if (change.type !== 'project.deleted') this.projects.push(change.project);
    await this.guard(async () => {
      if (change.type === 'project.deleted') await this.db.delete('projects', change.project_id);
      else await this.db.put('projects', change.project);
    });
  }

  async absorbView(change: ViewChangeEvent): Promise<void> {
    if (this.closed) return;
    this.views = this.views.filter((v) => v.id !== change.view_id);
    if (change.type !== 'view.deleted') this.views.push(change.view);
    await this.guard(async () => {
      if (change.type === 'view.deleted') await this.db.delete('views', change.view_id);
      else await this.db.put('views', change.view);
    });
  }

  /**
   * Brings the local copy up to the server's (at sign-in, back online, after a reset): only
   * what changed since the last read, or everything when asked, when the copy has never been
   * read in full, or a day after the last full read (tasks deleted for good leave no trace
   * an incremental read could see).
   */
  async fill(full = false): Promise<void> {
    const mark = (await this.db.get('meta', 'sync')) as SyncMark | undefined;
    if (!full && mark?.watermark && Date.now() - Date.parse(mark.full) < FULL_EVERY_MS) {
      await this.fillSince(mark);
      return;
    }
    const tasks = await this.pagesSince<Task>('/api/tasks', {}, () => '', '');
    const [projects, views, trash] = await this.smallLists();
    if (this.closed) return;
    await this.refreshQueue();
    const merged = mergeFill(this.tasks, tasks, this.pending);
    const next: SyncMark = { full: new Date().toISOString(), watermark: newest(null, tasks, trash) };
    await this.guard(async () => {
      const tx = this.db.transaction(['tasks', 'projects', 'views', 'trash', 'meta'], 'readwrite');
      await Promise.all([tx.objectStore('tasks').clear(), tx.objectStore('projects').clear(), tx.objectStore('views').clear(), tx.objectStore('trash').clear()]);
      await Promise.all([
        ...[...merged.values()].map((t) => tx.objectStore('tasks').put(t)),
        ...projects.map((p) => tx.objectStore('projects').put(p)),
        ...views.map((v) => tx.objectStore('views').put(v)),
        ...trash.map((t) => tx.objectStore('trash').put(t)),
        tx.objectStore('meta').put(next, 'sync'),
      ]);
      await tx.done;
    });
    this.tasks.clear();
    for (const [id, task] of merged) this.tasks.set(id, task);
    this.trash.clear();
    for (const t of trash) this.trash.set(t.id, t);
    this.projects = projects;
    this.views = views;
  }

  /** What changed since the last read: tasks newest first, the trash newest first, until older. */
  private async fillSince(mark: SyncMark): Promise<void> {
    const since = new Date(Date.parse(mark.watermark!) - OVERLAP_MS).toISOString();
    const changed = await this.pagesSince<Task>('/api/tasks', { sort: '-updated_at' }, (t) => t.updated_at, since);
    const trashed = await this.pagesSince<TrashedTask>('/api/trash', {}, (t) => t.deleted_at, since);
    const [projects, views] = await this.smallLists(false);
    if (this.closed) return;
    await this.refreshQueue();
    const delta = emptyDelta();
    for (const t of trashed) {
      if (this.pending.has(t.id)) continue;
      if (this.tasks.has(t.id)) delta.remove.push(t.id);
      delta.trash.push(t);
    }
    for (const t of changed) {
      if (this.pending.has(t.id)) continue;
      const local = this.tasks.get(t.id);
      if (local && local.version >= t.version) continue;
      delta.put.push(mergeRemote(local, t, this.pending));
      delta.untrash.push(t.id);
    }
    const next: SyncMark = { full: mark.full, watermark: newest(mark.watermark, changed, trashed) };
    await this.guard(async () => {
      const tx = this.db.transaction(['tasks', 'projects', 'views', 'trash', 'meta'], 'readwrite');
      await this.writeDelta(tx.objectStore('tasks'), tx.objectStore('trash'), delta);
      await Promise.all([tx.objectStore('projects').clear(), tx.objectStore('views').clear()]);
      await Promise.all([
        ...projects.map((p) => tx.objectStore('projects').put(p)),
        ...views.map((v) => tx.objectStore('views').put(v)),
        tx.objectStore('meta').put(next, 'sync'),
      ]);
      await tx.done;
    });
    this.applyDelta(delta);
    this.projects = projects;
    this.views = views;
    this.host.announce(delta.put, delta.remove);
    this.post({ type: 'delta', delta });
  }

  private async smallLists(withTrash = true): Promise<[Project[], SavedView[], TrashedTask[]]> {
    return (await Promise.all([
      this.host.send({ method: 'GET', path: '/api/projects' }),
      this.host.send({ method: 'GET', path: '/api/views' }),
      withTrash ? this.host.send({ method: 'GET', path: '/api/trash', params: { limit: String(PAGE) } }) : [],
    ])) as [Project[], SavedView[], TrashedTask[]];
  }

  /** Every page of a list, or (newest first) the pages down to `since`. */
  private async pagesSince<T>(path: string, params: Record<string, string>, stamp: (item: T) => string, since: string): Promise<T[]> {
    const out: T[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = (await this.host.send({ method: 'GET', path, params: { ...params, limit: String(PAGE), offset: String(offset) } })) as T[];
      out.push(...page.filter((item) => stamp(item) >= since));
      if (page.length < PAGE || stamp(page[page.length - 1]) < since) return out;
    }
  }

  /**
   * Sends the queue, oldest first, one at a time; an entry leaves the queue only once the
   * server has answered it. Only one tab sends (a Web Lock); the others hear the outcome.
   */
  async replay(): Promise<void> {
    if (this.replaying || this.closed) return;
    this.replaying = true;
    try {
      const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
      if (locks) await locks.request(LOCK, { ifAvailable: true }, async (lock) => (lock ? this.drain() : undefined));
      else await this.drain();
    } finally {
      this.replaying = false;
    }
  }

  /** The user chose in a conflict: their version (`theirs`) or theirs then mine (null). */
  async resolveConflict(taskId: string, theirs: Task | null): Promise<void> {
    const entry = this.heldFor(taskId);
    if (!entry || entry.held !== 'conflict') return;
    const delta = emptyDelta();
    if (theirs) delta.put.push(theirs);
    await this.settle(entry, delta, theirs ? [theirs] : []);
    void this.replay();
  }

  /** A task deleted elsewhere: back from the trash, then the change is sent again. */
  async restoreGone(taskId: string): Promise<void> {
    const entry = this.heldFor(taskId);
    if (!entry || entry.held !== 'gone') return;
    const restored = (await this.host.send({ method: 'POST', path: `/api/trash/${encodeURIComponent(taskId)}/restore` })) as Task;
    await this.guard(async () => {
      await this.db.put('outbox', { ...entry, held: undefined, ifMatch: restored.version });
    });
    await this.refreshQueue();
    this.post({ type: 'queue' });
    void this.replay();
  }

  /** A task deleted elsewhere: the change is dropped, and the task leaves the local copy. */
  async dropGone(taskId: string): Promise<void> {
    const entry = this.heldFor(taskId);
    if (!entry || entry.held !== 'gone') return;
    const delta = emptyDelta();
    delta.remove.push(taskId);
    await this.settle(entry, delta, []);
    void this.replay();
  }

  /** Whose copy this is, for a start with no network (never a token). */
  async remember(user: User): Promise<void> {
    if (!this.closed) await this.guard(() => rememberUser(this.db, user));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.channel?.close();
    this.db.close();
  }

  /** Closes and deletes the user's copy and queue (sign-out). */
  async destroy(): Promise<void> {
    this.close();
    await deleteLocalDatabase(this.host.userId);
  }

  private async drain(): Promise<void> {
    this.host.queueChanged(this.queue.length, true);
    try {
      while (!this.closed) {
        await this.refreshQueue();
        const [entry, ...later] = this.queue;
        if (!entry || entry.held) break;
        let outcome: Outcome;
        try {
          const body = await this.host.send({
            method: entry.method,
            path: entry.path,
            body: entry.body ?? undefined,
            headers: {
              ...(entry.idempotencyKey && { 'Idempotency-Key': entry.idempotencyKey }),
              ...(entry.ifMatch !== undefined && { 'If-Match': `"${entry.ifMatch}"` }),
            },
          });
          outcome = { kind: 'applied', tasks: answeredTasks(body) };
        } catch (error) {
          outcome = outcomeOf(entry, error as SendFailure);
        }
        if (outcome.kind === 'retry') break;
        await this.handle(entry, later, outcome);
      }
    } finally {
      this.host.queueChanged(this.queue.length, false);
    }
    if (!this.closed && this.queue.length === 0) this.host.drained();
  }

  private async handle(entry: OutboxEntry, later: OutboxEntry[], outcome: Exclude<Outcome, { kind: 'retry' }>): Promise<void> {
    switch (outcome.kind) {
      case 'applied': {
        const delta = emptyDelta();
        const stillPending = pendingIds(rewriteAfterAck(later, entry, outcome.tasks));
        for (const task of outcome.tasks) {
          const local = this.tasks.get(entry.tempId ?? task.id);
          // Later changes still wait: keep them over the answer, under the server's id.
          delta.put.push(stillPending.has(task.id) && local ? { ...local, id: task.id } : task);
          delta.untrash.push(task.id);
        }
        if (entry.tempId && outcome.tasks[0]) {
          const realId = outcome.tasks[0].id;
          delta.remove.push(entry.tempId);
          for (const child of this.tasks.values()) {
            if (child.parent_id === entry.tempId) delta.put.push({ ...child, parent_id: realId });
          }
        }
        await this.settle(entry, delta, outcome.tasks);
        return;
      }
      case 'conflict':
        await this.hold(entry, 'conflict');
        this.host.conflict(entry, outcome.theirs);
        return;
      case 'gone':
        await this.hold(entry, 'gone');
        this.host.gone(entry);
        return;
      case 'rejected': {
        const delta = emptyDelta();
        for (const id of entry.taskIds) {
          const server = outcome.current?.id === id ? outcome.current : await this.serverCopy(id);
          if (server) delta.put.push(server);
          else delta.remove.push(id);
        }
        await this.settle(entry, delta, []);
        // A resend after a lost answer finds its work done: deleted, or already restored.
        const done = entry.path.endsWith('/bulk-delete') ? delta.put.length === 0 : entry.path.endsWith('/restore') && delta.remove.length === 0;
        if (!done) this.host.rejected(entry, outcome.message);
        return;
      }
    }
  }

  private async serverCopy(id: string): Promise<Task | null> {
    try {
      return (await this.host.send({ method: 'GET', path: `/api/tasks/${encodeURIComponent(id)}` })) as Task;
    } catch {
      return null;
    }
  }

  /** Removes an answered entry, rewrites the ones after it, and applies what the answer changed. */
  private async settle(entry: OutboxEntry, delta: Delta, answered: readonly Task[]): Promise<void> {
    const later = this.queue.filter((e) => e.seq !== entry.seq);
    const rewritten = rewriteAfterAck(later, entry, answered);
    const stillPending = pendingIds(rewritten);
    await this.guard(async () => {
      const tx = this.db.transaction(['outbox', 'tasks', 'trash'], 'readwrite');
      const outbox = tx.objectStore('outbox');
      await outbox.delete(entry.seq!);
      for (let i = 0; i < later.length; i++) {
        if (rewritten[i] !== later[i]) await outbox.put(rewritten[i]);
      }
      await this.writeDelta(tx.objectStore('tasks'), tx.objectStore('trash'), delta);
      await tx.done;
    });
    this.queue = rewritten;
    this.pending = stillPending;
    this.applyDelta(delta);
    this.host.announce(delta.put, delta.remove);
    this.post({ type: 'delta', delta });
    this.host.queueChanged(this.queue.length, this.replaying);
  }

  private async hold(entry: OutboxEntry, held: OutboxEntry['held']): Promise<void> {
    await this.guard(async () => {
      await this.db.put('outbox', { ...entry, held });
    });
    await this.refreshQueue();
    this.post({ type: 'queue' });
  }

  private async commit(delta: Delta, entries: OutboxEntry[], announce = true): Promise<void> {
    await this.guard(async () => {
      const tx = this.db.transaction(['outbox', 'tasks', 'trash'], 'readwrite');
      for (const entry of entries) await tx.objectStore('outbox').add(entry);
      await this.writeDelta(tx.objectStore('tasks'), tx.objectStore('trash'), delta);
      await tx.done;
    });
    this.applyDelta(delta);
    if (entries.length) await this.refreshQueue();
    if (announce) this.host.announce(delta.put, delta.remove);
    this.post({ type: 'delta', delta });
    if (entries.length) this.host.queueChanged(this.queue.length, this.replaying);
  }

  private async writeDelta(
    tasks: { put(t: Task): Promise<unknown>; delete(id: string): Promise<unknown> },
    trash: { put(t: TrashedTask): Promise<unknown>; delete(id: string): Promise<unknown> },
    delta: Delta,
  ): Promise<void> {
    for (const id of delta.remove) await tasks.delete(id);
    for (const t of delta.trash) await trash.put(t);
    for (const id of delta.untrash) await trash.delete(id);
    for (const t of delta.put) await tasks.put(t);
  }

  private applyDelta(delta: Delta): void {
    for (const id of delta.remove) this.tasks.delete(id);
    for (const t of delta.trash) this.trash.set(t.id, t);
    for (const id of delta.untrash) this.trash.delete(id);
    for (const t of delta.put) this.tasks.set(t.id, t);
  }

  private async load(): Promise<void> {
    const [tasks, trash, projects, views] = await Promise.all([
      this.db.getAll('tasks'),
      this.db.getAll('trash'),
      this.db.getAll('projects'),
      this.db.getAll('views'),
    ]);
    for (const t of tasks) this.tasks.set(t.id, t);
    for (const t of trash) this.trash.set(t.id, t);
    this.projects = projects;
    this.views = views;
    // Held for a choice the user had not made before this reload: sent again, the server
    // gives the reason again, and the choice is offered again.
    for (const entry of await this.db.getAll('outbox')) {
      if (entry.held) await this.db.put('outbox', { ...entry, held: undefined });
    }
    await this.refreshQueue();
  }

  private async refreshQueue(): Promise<void> {
    if (this.closed) return;
    this.queue = await this.db.getAll('outbox');
    this.pending = pendingIds(this.queue);
  }

  private async fromOtherTab(message: TabMessage): Promise<void> {
    if (this.closed) return;
    if (message.type === 'delta') {
      this.applyDelta(message.delta);
      this.host.announce(message.delta.put, message.delta.remove);
    }
    await this.refreshQueue();
    this.host.queueChanged(this.queue.length, this.replaying);
  }

  private post(message: TabMessage): void {
    this.channel?.postMessage(message);
  }

  /** A write the device refuses (full, private mode) turns the offline copy off, once. */
  private async guard(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      // Closed under a write (sign-out, another tab deleting it) is not the device refusing.
      if (!this.closed && isStorageUnavailable(error)) {
        this.close();
        this.host.unavailable();
      }
      throw error;
    }
  }
}
