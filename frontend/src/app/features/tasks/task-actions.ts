import { Injectable, inject, signal } from '@angular/core';
import { Observable, catchError, concat, forkJoin, last, map, of, tap, throwError } from 'rxjs';
import { ApiError, errorMessage } from '../../core/api-error';
import { BulkSet, BulkUpdateInput, Task, TaskStatus, UpdateTaskInput } from '../../core/api-models';
import { deletedChange, upsertChange } from '../../core/task-changes';
import { TaskEvents } from '../../core/task-events';
import { TasksApi } from '../../core/tasks-api';
import { Toasts } from '../../core/toasts';
import { TrashApi } from '../../core/trash-api';
import { formatDate } from '../../quick-add/calendar';

/** Said, politely, when a quick action met a version someone else had already replaced. */
export const CHANGED_ELSEWHERE = 'This task was just changed on another device, so';

export interface RowMessage {
  kind: 'notice' | 'error';
  text: string;
}

/** 403 is the API's answer for a task that no longer exists as well as for someone else's. */
export function isGone(error: unknown): boolean {
  return error instanceof ApiError && [403, 404].includes(error.status);
}

/** A title in quotes, cut to 40 characters (code points, so no emoji is split in half). */
export function quoted(title: string): string {
  const chars = [...title];
  return `“${chars.length > 40 ? `${chars.slice(0, 39).join('')}…` : title}”`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Tasks grouped by the value `key` had, so an undo sets each group back in one bulk call. */
function groupBy<K>(tasks: readonly Task[], key: (task: Task) => K): Map<string, { value: K; ids: string[] }> {
  const groups = new Map<string, { value: K; ids: string[] }>();
  for (const task of tasks) {
    const value = key(task);
    const id = JSON.stringify(value);
    const group = groups.get(id) ?? { value, ids: [] };
    group.ids.push(task.id);
    groups.set(id, group);
  }
  return groups;
}

/**
 * What a person does to tasks from a list: complete, move, change many, delete, each with
 * an Undo in the toast. Every answer is announced to all views at once (TaskEvents), so the
 * list, the sidebar counts and an open panel agree without re-fetching.
 */
@Injectable({ providedIn: 'root' })
export class TaskActions {
  private readonly api = inject(TasksApi);
  private readonly trash = inject(TrashApi);
  private readonly events = inject(TaskEvents);
  private readonly toasts = inject(Toasts);
  private readonly messages = signal<Readonly<Record<string, RowMessage>>>({});
  private readonly pendingIds = signal<ReadonlySet<string>>(new Set());

  /** Why a row shows something other than what the user just chose, or what failed. */
  readonly rowMessages = this.messages.asReadonly();
  readonly pending = this.pendingIds.asReadonly();

  /** Marks a task done, or open again; the toast offers Undo (and names the next occurrence). */
  toggleDone(task: Task, afterUndo?: () => void): Observable<Task | null> {
    const status: TaskStatus = task.status === 'done' ? 'todo' : 'done';
    return this.setStatus(task, status).pipe(
      tap((updated) => {
        if (!updated) return;
        if (status !== 'done') {
          this.toasts.show({ message: `Reopened ${quoted(task.title)}.` });
          return;
        }
        // Once undone, the API has taken back the next occurrence (it was untouched): it must
        // not be drawn again from a read that was already on its way.
        let undone = false;
        const undo = () => {
          undone = true;
          return this.patch(updated, { status: task.status }).pipe(map(() => undefined));
        };
        const message = `Completed ${quoted(task.title)}.`;
        const toast = this.toasts.show({ message, undo, afterUndo });
        if (updated.next_occurrence_id) {
          // Name the next date once the occurrence the API made is known.
          this.api.get(updated.next_occurrence_id, { background: true }).subscribe({
            next: (next) => {
              if (undone) return;
              this.events.announce(upsertChange(next));
              if (next.due_date) {
                const date = formatDate(next.due_date, navigator.language || 'en-US', { currentYear: new Date().getFullYear() });
                this.toasts.amend(toast, `${message} Next: ${date}.`);
              }
            },
            error: () => undefined,
          });
        }
      }),
    );
  }

  /**
   * Changes a task's status in place. On a 412 the row shows the task as it is now and says
   * why nothing changed; a task deleted elsewhere simply leaves. Emits null when nothing changed.
   */
  setStatus(task: Task, status: TaskStatus): Observable<Task | null> {
    return this.patch(task, { status }, 'your change was not applied.', 'Could not change the status');
  }

  /** Any single-task change, with the row's notice on failure. */
  patch(
    task: Task,
    changes: UpdateTaskInput,
    outcome = 'your change was not applied.',
    failure = 'Could not save',
  ): Observable<Task | null> {
    this.start(task.id);
    return this.api.update(task.id, changes, task.version).pipe(
      tap((updated) => {
        this.done(task.id);
        this.events.announce(upsertChange(updated));
      }),
      catchError((error: unknown) => {
        this.done(task.id);
        if (isGone(error)) {
          this.events.announce(deletedChange(task.id, task.version + 1));
          return of(null);
        }
        if (error instanceof ApiError && error.status === 412 && error.current) {
          this.events.announce(upsertChange(error.current));
          this.setMessage(task.id, {
            kind: 'notice',
            text: `${CHANGED_ELSEWHERE} ${outcome} It now shows the latest version.`,
          });
          return of(null);
        }
        this.setMessage(task.id, { kind: 'error', text: `${failure}: ${errorMessage(error)}` });
        return of(null);
      }),
    );
  }

  /**
   * A change made on the board or the calendar, which show no row messages: the toast says
   * what happened, with Undo, or why nothing changed.
   */
  changeInLayout(task: Task, changes: Pick<UpdateTaskInput, 'status' | 'due_date'>, message: string): Observable<Task | null> {
    const before: UpdateTaskInput = {};
    if ('status' in changes) before.status = task.status;
    if ('due_date' in changes) before.due_date = task.due_date;
    return this.patch(task, changes).pipe(
      tap((updated) => {
        if (updated) {
          this.toasts.show({ message, undo: () => this.patch(updated, before).pipe(map(() => undefined)) });
          return;
        }
        const note = this.messages()[task.id];
        if (note) {
          this.toasts.show({ message: note.text });
          this.clearMessage(task.id);
        }
      }),
    );
  }

  /** Moves a task (another project, parent or place); Undo puts it back. */
  move(task: Task, changes: Pick<UpdateTaskInput, 'project_id' | 'parent_id' | 'position'>, message: string) {
    const before: UpdateTaskInput = {};
    if ('project_id' in changes) before.project_id = task.project_id;
    if ('parent_id' in changes) before.parent_id = task.parent_id;
    before.position = task.position;
    return this.patch(task, changes, 'it was not moved.', 'Could not move').pipe(
      tap((moved) => {
        if (!moved) return;
        this.toasts.show({
          message,
          undo: () => this.patch(moved, before).pipe(map(() => undefined)),
        });
      }),
    );
  }

  /** Moves a task to the trash; Undo restores it. A task already gone counts as deleted. */
  remove(task: Task, afterUndo?: () => void): Observable<void> {
    this.start(task.id);
    return this.api.remove(task.id, task.version).pipe(
      catchError((error: unknown) => (isGone(error) ? of(undefined) : throwError(() => error))),
      tap({
        next: () => {
          this.done(task.id);
          this.events.announce(deletedChange(task.id, task.version + 1));
          this.toasts.show({
            message: `Deleted ${quoted(task.title)}.`,
            undo: () => this.restore([task.id]),
            afterUndo,
          });
        },
        error: (error: unknown) => {
          this.done(task.id);
          if (error instanceof ApiError && error.status === 412 && error.current) {
            this.events.announce(upsertChange(error.current));
            this.setMessage(task.id, {
              kind: 'notice',
              text: `${CHANGED_ELSEWHERE} it was not deleted. It now shows the latest version.`,
            });
          } else {
            this.setMessage(task.id, { kind: 'error', text: `Could not delete: ${errorMessage(error)}` });
          }
        },
      }),
    );
  }

  /** Restores tasks from the trash (one call each: the API restores one task and its subtree). */
  restore(ids: readonly string[]): Observable<void> {
    return forkJoin(
      ids.map((id) => this.trash.restore(id).pipe(tap((task) => this.events.announce(upsertChange(task))))),
    ).pipe(map(() => undefined));
  }

  /**
   * One bulk edit of many tasks, all or nothing. Undo is the inverse: for each field set,
   * the tasks that had the same value before get it back in one call.
   */
  bulk(tasks: readonly Task[], change: Omit<BulkUpdateInput, 'ids'>, message: string): Observable<Task[]> {
    const ids = tasks.map((t) => t.id);
    return this.api.bulk({ ids, ...change }).pipe(
      tap((updated) => {
        for (const task of updated) this.events.announce(upsertChange(task));
        this.toasts.show({ message, undo: () => this.undoBulk(tasks, change) });
      }),
    );
  }

  /** Moves tasks to the trash in one call; Undo restores each. */
  bulkDelete(tasks: readonly Task[]): Observable<number> {
    const ids = tasks.map((t) => t.id);
    return this.api.bulkDelete(ids).pipe(
      tap((count) => {
        for (const task of tasks) this.events.announce(deletedChange(task.id, task.version + 1));
        this.toasts.show({
          message: `Deleted ${plural(count, 'task')}.`,
          undo: () => this.restore(ids),
        });
      }),
    );
  }

  clearMessage(id: string): void {
    this.setMessage(id, null);
  }

  private undoBulk(tasks: readonly Task[], change: Omit<BulkUpdateInput, 'ids'>): Observable<void> {
    const calls: Observable<Task[]>[] = [];
    const set = change.set ?? {};
    const fields = Object.keys(set) as (keyof BulkSet)[];
    if (fields.length) {
      const previous = groupBy(tasks, (t) => {
        const value: BulkSet = {};
        for (const field of fields) {
          // A task done before a bulk "done" stays done; due_time follows due_date.
          (value as Record<string, unknown>)[field] = t[field as keyof Task] ?? null;
        }
        if ('due_date' in value && !('due_time' in value)) value.due_time = t.due_time;
        return value;
      });
      for (const { value, ids } of previous.values()) calls.push(this.api.bulk({ ids, set: value }));
    }
    // Tags: take back only what the edit changed on each task.
    for (const tag of change.add_tags ?? []) {
      const lower = tag.toLowerCase();
      const ids = tasks.filter((t) => !t.tags.some((x) => x.toLowerCase() === lower)).map((t) => t.id);
      if (ids.length) calls.push(this.api.bulk({ ids, remove_tags: [tag] }));
    }
    for (const tag of change.remove_tags ?? []) {
      const lower = tag.toLowerCase();
      const had = tasks.filter((t) => t.tags.some((x) => x.toLowerCase() === lower));
      for (const { value, ids } of groupBy(had, (t) => t.tags.find((x) => x.toLowerCase() === lower)!).values()) {
        calls.push(this.api.bulk({ ids, add_tags: [value] }));
      }
    }
    if (!calls.length) return of(undefined);
    return concat(...calls.map((call) => call.pipe(tap((updated) => updated.forEach((t) => this.events.announce(upsertChange(t))))))).pipe(
      last(),
      map(() => undefined),
    );
  }

  private start(id: string): void {
    this.pendingIds.update((ids) => new Set(ids).add(id));
    this.setMessage(id, null);
  }

  private done(id: string): void {
    this.pendingIds.update((ids) => {
      const next = new Set(ids);
      next.delete(id);
      return next;
    });
  }

  private setMessage(id: string, message: RowMessage | null): void {
    this.messages.update((messages) => {
      const next = { ...messages };
      if (message) next[id] = message;
      else delete next[id];
      return next;
    });
  }
}
