import { HttpClient, HttpContext, HttpHeaders, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { EMPTY, Observable, expand, map, scan } from 'rxjs';
import { API_BASE_URL } from './api-base-url';
import { newIdempotencyKey } from './idempotency-key';
import { BACKGROUND_REQUEST } from './loading.service';
import {
  BulkUpdateInput,
  CreateTaskInput,
  Task,
  TaskPriority,
  TaskSort,
  TaskStatus,
  UpdateTaskInput,
} from './api-models';

export type { TaskSort } from './api-models';

/** The sortable fields; each may be prefixed with "-" for descending. */
export const TASK_SORTS = [
  'created_at',
  'updated_at',
  'due_date',
  'priority',
  'title',
  'position',
] as const satisfies readonly Exclude<TaskSort, `-${string}`>[];

/** Query of `GET /api/tasks`; only what is set is sent (unknown parameters are a 400). */
export interface TaskListParams {
  status?: readonly TaskStatus[];
  priority?: readonly TaskPriority[];
  tags?: readonly string[];
  q?: string;
  due_before?: string;
  due_after?: string;
  project_id?: readonly string[];
  include_subprojects?: boolean;
  /** A task id (its subtasks) or `none` (top-level tasks only). */
  parent_id?: string;
  sort?: TaskSort;
  limit?: number;
  offset?: number;
}

export interface TaskPage {
  tasks: Task[];
  /** All tasks matching the query, from `X-Total-Count`. */
  total: number;
}

/** The API's largest page. */
export const MAX_PAGE = 100;

/** What a multi-page read has brought so far. */
export interface TaskProgress {
  tasks: Task[];
  total: number;
  /** Every page has arrived. */
  done: boolean;
}

export interface ReadOptions {
  /** A refresh the user did not ask for: no progress bar. */
  background?: boolean;
}

/** `If-Match` for a task version: the write applies only if nobody changed the task since. */
export function ifMatch(version: number | undefined): HttpHeaders {
  return version === undefined
    ? new HttpHeaders()
    : new HttpHeaders({ 'If-Match': `"${version}"` });
}

function readContext(options: ReadOptions): HttpContext {
  return new HttpContext().set(BACKGROUND_REQUEST, options.background ?? false);
}

export function toHttpParams(query: TaskListParams): HttpParams {
  let params = new HttpParams();
  if (query.status?.length) params = params.set('status', query.status.join(','));
  if (query.priority?.length) params = params.set('priority', query.priority.join(','));
  for (const tag of query.tags ?? []) params = params.append('tag', tag);
  if (query.q?.trim()) params = params.set('q', query.q.trim());
  if (query.due_before) params = params.set('due_before', query.due_before);
  if (query.due_after) params = params.set('due_after', query.due_after);
  for (const id of query.project_id ?? []) params = params.append('project_id', id);
  if (query.project_id?.length && query.include_subprojects) {
    params = params.set('include_subprojects', true);
  }
  if (query.parent_id) params = params.set('parent_id', query.parent_id);
  if (query.sort) params = params.set('sort', query.sort);
  if (query.limit !== undefined) params = params.set('limit', query.limit);
  if (query.offset) params = params.set('offset', query.offset);
  return params;
}

@Injectable({ providedIn: 'root' })
export class TasksApi {
  private readonly http = inject(HttpClient);
  private readonly url = `${inject(API_BASE_URL)}/api/tasks`;

  list(query: TaskListParams = {}, options: ReadOptions = {}): Observable<TaskPage> {
    return this.http
      .get<Task[]>(this.url, {
        params: toHttpParams(query),
        observe: 'response',
        context: readContext(options),
      })
      .pipe(
        map((response) => {
          const tasks = response.body ?? [];
          const header = Number(response.headers.get('X-Total-Count'));
          const total =
            Number.isFinite(header) && response.headers.has('X-Total-Count')
              ? header
              : (query.offset ?? 0) + tasks.length;
          return { tasks, total };
        }),
      );
  }

  /**
   * Every task of a query, a page of MAX_PAGE at a time: emits what has arrived so far after
   * each page, so a long project shows its first rows while the rest load.
   */
  listAll(query: TaskListParams = {}, options: ReadOptions = {}): Observable<TaskProgress> {
    const page = (offset: number) =>
      this.list({ ...query, limit: MAX_PAGE, offset }, options).pipe(
        map((p) => ({ ...p, offset })),
      );
    return page(0).pipe(
      expand((p) =>
        p.tasks.length === MAX_PAGE && p.offset + MAX_PAGE < p.total
          ? page(p.offset + MAX_PAGE)
          : EMPTY,
      ),
      scan(
        (acc, p): TaskProgress => {
          const tasks = acc.tasks.concat(p.tasks);
          return { tasks, total: p.total, done: tasks.length >= p.total || p.tasks.length < MAX_PAGE };
        },
        { tasks: [] as Task[], total: 0, done: false },
      ),
    );
  }

  get(id: string, options: ReadOptions = {}): Observable<Task> {
    return this.http.get<Task>(`${this.url}/${encodeURIComponent(id)}`, {
      context: readContext(options),
    });
  }

  /** The key makes retries safe: the API creates one task however often the request arrives. */
  create(input: CreateTaskInput, idempotencyKey = newIdempotencyKey()): Observable<Task> {
    return this.http.post<Task>(this.url, input, {
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  }

  /** With a version, fails with a 412 (ApiError.current) if the task has moved on since. */
  update(id: string, changes: UpdateTaskInput, version?: number): Observable<Task> {
    return this.http.patch<Task>(`${this.url}/${encodeURIComponent(id)}`, changes, {
      headers: ifMatch(version),
    });
  }

  /**
   * Changes many tasks in one call, all or nothing. The key makes a retried bulk edit land
   * once (a toggle such as "add tag" must not run twice).
   */
  bulk(input: BulkUpdateInput, idempotencyKey = newIdempotencyKey()): Observable<Task[]> {
    return this.http
      .post<{ tasks: Task[] }>(`${this.url}/bulk`, input, {
        headers: { 'Idempotency-Key': idempotencyKey },
      })
      .pipe(map((response) => response.tasks));
  }

  /** Moves the tasks (and their subtasks) to the trash. */
  bulkDelete(ids: readonly string[]): Observable<number> {
    return this.http
      .post<{ deleted: number }>(`${this.url}/bulk-delete`, { ids })
      .pipe(map((response) => response.deleted));
  }

  remove(id: string, version?: number): Observable<void> {
    return this.http.delete<void>(`${this.url}/${encodeURIComponent(id)}`, {
      headers: ifMatch(version),
    });
  }
}
