import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Observable, Subject, catchError, map, of, switchMap, tap } from 'rxjs';
import { errorMessage } from '../../core/api-error';
import { CreateTaskInput, Task, TaskStatus } from '../../core/api-models';
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

interface LoadResult {
  query: TaskListQuery;
  page?: TaskPage;
  error?: string;
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
  private readonly loads = new Subject<TaskListQuery>();

  readonly query = this.currentQuery.asReadonly();
  readonly tasks = computed(() => this.state().tasks);
  readonly total = computed(() => this.state().total);
  readonly loading = computed(() => this.state().loading);
  readonly loaded = computed(() => this.state().loadedQuery !== null);
  readonly error = computed(() => this.state().error);
  readonly pageCount = computed(() => Math.max(1, Math.ceil(this.total() / PAGE_SIZE)));
  readonly pending = this.pendingIds.asReadonly();
  readonly rowErrors = this.rowErrorMap.asReadonly();
  /** 1-based positions of the first and last task shown. */
  readonly range = computed(() => {
    const first = (this.currentQuery().page - 1) * PAGE_SIZE + 1;
    return { first, last: first + this.tasks().length - 1 };
  });

  constructor() {
    this.loads
      .pipe(
        tap(() => this.state.update((s) => ({ ...s, loading: true, error: null }))),
        // A newer query cancels the request of an older one.
        switchMap((query) =>
          this.api.list(toListParams(query)).pipe(
            map((page): LoadResult => ({ query, page })),
            catchError((error: unknown) => of<LoadResult>({ query, error: errorMessage(error) })),
          ),
        ),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe(({ query, page, error }) => {
        if (page) {
          this.state.set({
            tasks: page.tasks,
            total: page.total,
            loading: false,
            loadedQuery: query,
            error: null,
          });
        } else {
          this.state.update((s) => ({ ...s, loading: false, error: error ?? null }));
        }
      });
  }

  load(query: TaskListQuery): void {
    this.currentQuery.set(query);
    this.rowErrorMap.set({});
    this.loads.next(query);
  }

  reload(): void {
    this.loads.next(this.currentQuery());
  }

  create(input: CreateTaskInput): Observable<Task> {
    return this.api.create(input).pipe(tap(() => this.reload()));
  }

  /**
   * Changes a task's status in place. On failure the row keeps its old status and says why;
   * the returned observable errors so the caller can reset its control.
   */
  setStatus(task: Task, status: TaskStatus): Observable<Task> {
    this.markPending(task.id, true);
    this.setRowError(task.id, null);
    return this.api.update(task.id, { status }).pipe(
      tap({
        next: (updated) => {
          this.markPending(task.id, false);
          this.replace(updated);
        },
        error: (error: unknown) => {
          this.markPending(task.id, false);
          this.setRowError(task.id, `Could not change the status: ${errorMessage(error)}`);
        },
      }),
    );
  }

  remove(task: Task): Observable<void> {
    this.markPending(task.id, true);
    this.setRowError(task.id, null);
    return this.api.remove(task.id).pipe(
      tap({
        next: () => {
          this.markPending(task.id, false);
          this.state.update((s) => ({
            ...s,
            tasks: s.tasks.filter((t) => t.id !== task.id),
            total: Math.max(0, s.total - 1),
          }));
        },
        error: (error: unknown) => {
          this.markPending(task.id, false);
          this.setRowError(task.id, `Could not delete: ${errorMessage(error)}`);
        },
      }),
    );
  }

  private replace(task: Task): void {
    this.state.update((s) => ({
      ...s,
      tasks: s.tasks.map((t) => (t.id === task.id ? task : t)),
    }));
  }

  private markPending(id: string, pending: boolean): void {
    this.pendingIds.update((ids) => {
      const next = new Set(ids);
      if (pending) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  private setRowError(id: string, message: string | null): void {
    this.rowErrorMap.update((errors) => {
      const next = { ...errors };
      if (message) next[id] = message;
      else delete next[id];
      return next;
    });
  }
}
