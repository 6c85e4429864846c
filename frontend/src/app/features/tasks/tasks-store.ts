import { DestroyRef, Injectable, WritableSignal, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Observable, Subject, catchError, map, of, switchMap, tap } from 'rxjs';
import { ApiError, errorMessage } from '../../core/api-error';
import { CreateTaskInput, Task, TaskChangeEvent, TaskStatus } from '../../core/api-models';
import { liveTaskView } from '../../core/task-events';
import { TaskPage, TasksApi } from '../../core/tasks-api';
import { EMPTY_QUERY, PAGE_SIZE, TaskListQuery, toListParams } from './task-query';

interface ListState {
  tasks: Task[];
  total: number;
  loading: boolean;
  /** Null until the first answer: the list then shows neither tasks nor an empty state. */
  loadedQuery: TaskListQuery | null;
  error: string | null;
}

interface LoadRequest {
  query: TaskListQuery;
  /** A live refresh: the list stays as it is until the answer, and a failure is not shown. */
  background: boolean;
}

interface LoadResult extends LoadRequest {
  page?: TaskPage;
  error?: string;
}

/** Said, politely, when a quick action met a version someone else had already replaced. */
export const CHANGED_ELSEWHERE = 'This task was just changed on another device, so';

/** The newer of two copies of a task; on a tie the first. */
function newer(a: Task, b: Task): Task {
  return b.version > a.version ? b : a;
}

/** State of the task list page: one page of tasks for the current query. */
@Injectable()
export class TasksStore {
  private readonly api = inject(TasksApi);
  private readonly state = signal<ListState>({
    tasks: [],
    total: 0,
    loading: false,
    loadedQuery: null,
    error: null,
  });
  private readonly currentQuery = signal<TaskListQuery>(EMPTY_QUERY);
  private readonly pendingIds = signal<ReadonlySet<string>>(new Set());
  private readonly rowErrorMap = signal<Readonly<Record<string, string>>>({});
  private readonly rowNoticeMap = signal<Readonly<Record<string, string>>>({});
  private readonly loads = new Subject<LoadRequest>();
  private requested = false;
  private readonly live = liveTaskView({
    apply: (change) => this.apply(change),
    refresh: () => this.refresh(),
  });

  readonly query = this.currentQuery.asReadonly();
  readonly tasks = computed(() => this.state().tasks);
  readonly total = computed(() => this.state().total);
  readonly loading = computed(() => this.state().loading);
  readonly loaded = computed(() => this.state().loadedQuery !== null);
  readonly error = computed(() => this.state().error);
  readonly pageCount = computed(() => Math.max(1, Math.ceil(this.total() / PAGE_SIZE)));
  readonly pending = this.pendingIds.asReadonly();
  readonly rowErrors = this.rowErrorMap.asReadonly();
  /** Not errors: why a row shows something other than what the user just chose. */
  readonly rowNotices = this.rowNoticeMap.asReadonly();
  /** 1-based positions of the first and last task shown. */
  readonly range = computed(() => {
    const first = (this.currentQuery().page - 1) * PAGE_SIZE + 1;
    return { first, last: first + this.tasks().length - 1 };
  });

  constructor() {
    this.loads
      .pipe(
        tap(({ background }) => {
          this.live.loading();
          if (!background) this.state.update((s) => ({ ...s, loading: true, error: null }));
        }),
        // A newer request cancels an older one; a refresh is always for the current query.
        switchMap((request) =>
          this.api.list(toListParams(request.query), { background: request.background }).pipe(
            map((page): LoadResult => ({ ...request, page })),
            catchError((error: unknown) =>
              of<LoadResult>({ ...request, error: errorMessage(error) }),
            ),
          ),
        ),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe(({ query, page, error, background }) => {
        if (page) {
          this.state.update((s) => ({
            // An event may have brought a row further than this answer, which left earlier.
            tasks: background
              ? page.tasks.map((t) => newer(t, s.tasks.find((o) => o.id === t.id) ?? t))
              : page.tasks,
            total: page.total,
            loading: false,
            loadedQuery: query,
            error: null,
          }));
        } else {
          this.state.update((s) => ({
            ...s,
            loading: false,
            error: background && s.loadedQuery ? s.error : (error ?? null),
          }));
        }
      });
  }

  load(query: TaskListQuery): void {
    this.currentQuery.set(query);
    this.rowErrorMap.set({});
    this.rowNoticeMap.set({});
    this.request(false);
  }

  reload(): void {
    this.request(false);
  }

  /** Fetches the current page again without showing it is loading. */
  refresh(): void {
    if (this.requested) this.request(true);
  }

  create(input: CreateTaskInput, idempotencyKey?: string): Observable<Task> {
    return this.api.create(input, idempotencyKey).pipe(tap(() => this.reload()));
  }

  /**
   * Changes a task's status in place. On failure the row keeps its old status and says why;
   * the returned observable errors so the caller can reset its control.
   */
  setStatus(task: Task, status: TaskStatus): Observable<Task> {
    this.startRowAction(task.id);
    return this.api.update(task.id, { status }, task.version).pipe(
      tap({
        next: (updated) => {
          this.markPending(task.id, false);
          this.replace(updated);
        },
        error: (error: unknown) => {
          this.markPending(task.id, false);
          if (!this.showedNewerVersion(task.id, error, 'your change was not applied.')) {
            this.setRowMessage(
              this.rowErrorMap,
              task.id,
              `Could not change the status: ${errorMessage(error)}`,
            );
          }
        },
      }),
    );
  }

  remove(task: Task): Observable<void> {
    this.startRowAction(task.id);
    return this.api.remove(task.id, task.version).pipe(
      tap({
        next: () => {
          this.markPending(task.id, false);
          this.dropRow(task.id);
        },
        error: (error: unknown) => {
          this.markPending(task.id, false);
          if (!this.showedNewerVersion(task.id, error, 'it was not deleted.')) {
            this.setRowMessage(
              this.rowErrorMap,
              task.id,
              `Could not delete: ${errorMessage(error)}`,
            );
          }
        },
      }),
    );
  }

  /** A change from the event stream; true when the page should be fetched again. */
  private apply(change: TaskChangeEvent): boolean {
    const shown = this.state().tasks.find((t) => t.id === change.task_id);
    if (change.type === 'task.deleted') {
      this.dropRow(change.task_id);
      return true;
    }
    // Already showing this version (typically our own change coming back) or a later one.
    if (shown && shown.version >= change.version) return false;
    if (shown) this.replace(change.task);
    // Filters, sort order, totals and new tasks may all have moved.
    return true;
  }

  /** On a 412: shows the task as it is now and says why the action did nothing. */
  private showedNewerVersion(id: string, error: unknown, outcome: string): boolean {
    if (!(error instanceof ApiError && error.status === 412 && error.current)) return false;
    this.replace(error.current);
    this.setRowMessage(
      this.rowNoticeMap,
      id,
      `${CHANGED_ELSEWHERE} ${outcome} It now shows the latest version.`,
    );
    return true;
  }

  private replace(task: Task): void {
    this.state.update((s) => ({
      ...s,
      tasks: s.tasks.map((t) => (t.id === task.id ? newer(task, t) : t)),
    }));
  }

  private dropRow(id: string): void {
    this.state.update((s) =>
      s.tasks.some((t) => t.id === id)
        ? { ...s, tasks: s.tasks.filter((t) => t.id !== id), total: Math.max(0, s.total - 1) }
        : s,
    );
  }

  private request(background: boolean): void {
    this.requested = true;
    this.loads.next({ query: this.currentQuery(), background });
  }

  private startRowAction(id: string): void {
    this.markPending(id, true);
    this.setRowMessage(this.rowErrorMap, id, null);
    this.setRowMessage(this.rowNoticeMap, id, null);
  }

  private markPending(id: string, pending: boolean): void {
    this.pendingIds.update((ids) => {
      const next = new Set(ids);
      if (pending) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  private setRowMessage(
    target: WritableSignal<Readonly<Record<string, string>>>,
    id: string,
    message: string | null,
  ): void {
    target.update((messages) => {
      const next = { ...messages };
      if (message) next[id] = message;
      else delete next[id];
      return next;
    });
  }
}
