import { ParamMap, Params } from '@angular/router';
import { TaskPriority, TaskStatus } from '../../core/api-models';
import { TASK_SORTS, TaskListParams, TaskSort } from '../../core/tasks-api';
import { PRIORITIES, STATUSES } from './task-labels';

export const PAGE_SIZE = 20;
export const DEFAULT_SORT: TaskSort = '-created_at';

/** What the task list shows; kept in the URL so a reload or a shared link shows the same. */
export interface TaskListQuery {
  status: TaskStatus[];
  priority: TaskPriority[];
  tags: string[];
  q: string;
  sort: TaskSort;
  page: number;
}

export const EMPTY_QUERY: TaskListQuery = {
  status: [],
  priority: [],
  tags: [],
  q: '',
  sort: DEFAULT_SORT,
  page: 1,
};

export const SORT_OPTIONS: readonly { value: TaskSort; label: string }[] = [
  { value: '-created_at', label: 'Newest first' },
  { value: 'created_at', label: 'Oldest first' },
  { value: '-updated_at', label: 'Recently updated' },
  { value: 'due_date', label: 'Due date, soonest first' },
  { value: '-due_date', label: 'Due date, latest first' },
  { value: '-priority', label: 'Priority, high to low' },
  { value: 'priority', label: 'Priority, low to high' },
  { value: 'title', label: 'Title, A to Z' },
  { value: '-title', label: 'Title, Z to A' },
];

function pickList<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  if (!raw) return [];
  const picked = raw
    .split(',')
    .map((v) => v.trim())
    .filter((v): v is T => (allowed as readonly string[]).includes(v));
  // Keep the order of `allowed` so equal filters give equal URLs.
  return allowed.filter((v) => picked.includes(v));
}

function isSort(value: string | null): value is TaskSort {
  if (!value) return false;
  const field = value.startsWith('-') ? value.slice(1) : value;
  return (TASK_SORTS as readonly string[]).includes(field);
}

/** Reads the URL's query string; anything unknown or malformed falls back to the default. */
export function parseTaskListQuery(params: ParamMap): TaskListQuery {
  const page = Number(params.get('page'));
  const sort = params.get('sort');
  const tags: string[] = [];
  for (const raw of params.getAll('tag')) {
    const tag = raw.trim();
    if (tag && !tags.includes(tag)) tags.push(tag);
  }
  return {
    status: pickList(params.get('status'), STATUSES),
    priority: pickList(params.get('priority'), PRIORITIES),
    tags,
    q: (params.get('q') ?? '').trim(),
    sort: isSort(sort) ? sort : DEFAULT_SORT,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The query string for a view; defaults are left out to keep links short. */
export function toQueryParams(query: TaskListQuery): Params {
  return {
    status: query.status.length ? query.status.join(',') : null,
    priority: query.priority.length ? query.priority.join(',') : null,
    tag: query.tags.length ? query.tags : null,
    q: query.q || null,
    sort: query.sort === DEFAULT_SORT ? null : query.sort,
    page: query.page > 1 ? query.page : null,
  };
}

/** The `GET /api/tasks` parameters for one page of a view. */
export function toListParams(query: TaskListQuery, pageSize = PAGE_SIZE): TaskListParams {
  return {
    status: query.status,
    priority: query.priority,
    tags: query.tags,
    q: query.q,
    sort: query.sort,
    limit: pageSize,
    offset: (query.page - 1) * pageSize,
  };
}

export function hasFilters(query: TaskListQuery): boolean {
  return (
    query.status.length > 0 || query.priority.length > 0 || query.tags.length > 0 || query.q !== ''
  );
}

export function sameQuery(a: TaskListQuery, b: TaskListQuery): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
