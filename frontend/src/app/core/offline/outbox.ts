import { Task } from '../api-models';

/** A change made while offline (or while earlier ones still wait), to be sent in order. */
export interface OutboxEntry {
  /** Order of making; assigned by the database. */
  seq?: number;
  method: 'POST' | 'PATCH' | 'DELETE';
  /** Under the API base URL, e.g. `/api/tasks/<id>`. */
  path: string;
  body: unknown;
  /** Creates and bulk edits: given when made, so a resend after a lost answer lands once. */
  idempotencyKey?: string;
  /** Updates and deletes: the server version the change was made on. */
  ifMatch?: number;
  /** The tasks it changes (for a create, its temporary id). */
  taskIds: string[];
  /** A create's temporary id, replaced everywhere by the server's once it answers. */
  tempId?: string;
  /** What the user did, in words, for messages about it. */
  label: string;
  /** The task as it was when the change was made: the base of a field-by-field conflict. */
  before?: Task;
  /** Waiting for the user: the task changed (412) or was deleted (404) elsewhere. */
  held?: 'conflict' | 'gone';
}

/** A failed send, as the error interceptor reports it. */
export interface SendFailure {
  status: number;
  message: string;
  current: Task | null;
}

export type Outcome =
  /** Sent, or nothing left to send: remove the entry. */
  | { kind: 'applied'; tasks: Task[] }
  /** Not answered (network, server down, session to refresh): keep it, stop, try later. */
  | { kind: 'retry' }
  /** The task changed elsewhere: the user chooses between the versions. */
  | { kind: 'conflict'; theirs: Task }
  /** The task is gone elsewhere: the user restores it or drops the change. */
  | { kind: 'gone' }
  /** The server refused it for good: drop it, say why, take the server's copy back. */
  | { kind: 'rejected'; message: string; current: Task | null };

/** The tasks a successful answer carries. */
export function answeredTasks(body: unknown): Task[] {
  if (!body || typeof body !== 'object') return [];
  if (Array.isArray((body as { tasks?: unknown }).tasks)) return (body as { tasks: Task[] }).tasks;
  return 'id' in body && 'version' in body ? [body as Task] : [];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Whether `current` already holds every field of the change (an earlier send whose answer was lost). */
export function alreadyApplied(entry: OutboxEntry, current: Task): boolean {
  const changes = (entry.body ?? {}) as Record<string, unknown>;
  return Object.entries(changes).every(([field, value]) =>
    same((current as unknown as Record<string, unknown>)[field], value),
  );
}

/** What to do about a failed send. */
export function outcomeOf(entry: OutboxEntry, failure: SendFailure): Outcome {
  const { status } = failure;
  if (status === 0 || status === 401 || status === 408 || status === 429 || status >= 500) return { kind: 'retry' };
  const single = entry.taskIds.length === 1 && !entry.tempId;
  if (status === 412 && failure.current) {
    if (entry.method === 'PATCH' && alreadyApplied(entry, failure.current)) return { kind: 'applied', tasks: [failure.current] };
    if (entry.method === 'PATCH') return { kind: 'conflict', theirs: failure.current };
    return {
      kind: 'rejected',
      message: 'It was changed on another device meanwhile, so it was not deleted.',
      current: failure.current,
    };
  }
  if ((status === 403 || status === 404) && single) {
    // A delete of a task that is already gone is what was wanted.
    if (entry.method === 'DELETE') return { kind: 'applied', tasks: [] };
    if (entry.method === 'PATCH') return { kind: 'gone' };
  }
  return { kind: 'rejected', message: failure.message, current: failure.current };
}

/**
 * The entries still waiting after `acked` was answered with `tasks`: a created task's
 * temporary id becomes the server's everywhere (paths, parent ids, bulk id lists), and later
 * changes of an answered task are sent against the version the server now has.
 */
export function rewriteAfterAck(later: readonly OutboxEntry[], acked: OutboxEntry, tasks: readonly Task[]): OutboxEntry[] {
  const created = acked.tempId ? tasks[0] : undefined;
  return later.map((entry) => {
    let next = entry;
    if (created && acked.tempId && JSON.stringify(entry).includes(acked.tempId)) {
      next = JSON.parse(JSON.stringify(entry).split(acked.tempId).join(created.id)) as OutboxEntry;
    }
    if (next.ifMatch !== undefined && next.taskIds.length === 1) {
      const answered = tasks.find((t) => t.id === next.taskIds[0]);
      if (answered) next = { ...next, ifMatch: answered.version };
    }
    return next;
  });
}

/** Ids of the tasks with changes still waiting: their local copy wins over the server's. */
export function pendingIds(entries: readonly OutboxEntry[]): Set<string> {
  return new Set(entries.flatMap((e) => e.taskIds));
}
