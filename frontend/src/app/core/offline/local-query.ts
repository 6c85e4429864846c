// Type-only imports: the differential test (e2e/local-query.spec.ts) runs this file in Node,
// outside Angular, and must not load tasks-api.ts's HttpClient.
import type { Project, Task, TaskPriority } from '../api-models';
import type { TaskListParams } from '../tasks-api';

export interface LocalQueryContext {
  projects: readonly Project[];
  /**
   * Whether `subtask_count` and `subtask_done_count` are counted again from the tasks given, as
   * the API counts them on every read (live direct subtasks, and those of them done). Right when
   * the tasks are the user's whole local copy (the default); pass false for a partial copy,
   * where a missing subtask would count as gone, to keep the counts the tasks carry.
   */
  recountSubtasks?: boolean;
}

/** The API's page size when none is asked for, and its largest (`limit` outside 1..100 is a 400). */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;
const MAX_OFFSET = 1_000_000_000;
/** Projects nest at most three deep; the API follows sub-projects five levels down. */
const MAX_PROJECT_DEPTH = 5;

const PRIORITY_RANK: Record<TaskPriority, number> = { low: 1, medium: 2, high: 3 };
const SORT_FIELDS = ['created_at', 'updated_at', 'due_date', 'priority', 'title', 'position'];

/** A task as the local copy may hold it: one in the trash carries `deleted_at`. */
type StoredTask = Task & { deleted_at?: string | null };

/**
 * The page `GET /api/tasks` would answer for these params, computed from the local copy
 * (trashed tasks never included).
 *
 * The same rules as the API's list (backend/src/tasks/tasks.repository.ts, `filterClause` and
 * `ORDER_BY`): every filter given must hold; `status`, `priority` and `project_id` match any
 * of their values, `tags` all of theirs (exact spelling after NFC); `q` (trimmed, as the client
 * sends it) is a case-insensitive substring of the title or the description with no wildcards;
 * `due_before` / `due_after` are inclusive and leave out tasks without a due date;
 * `include_subprojects` adds the named projects' sub-projects; `parent_id` is a task id or
 * `none` (top-level only). Sorts break ties by id in the sort's direction, tasks without a due
 * date or a priority come last both ways, and titles compare lower-cased, then as written, code
 * point by code point (PostgreSQL's `lower(title) COLLATE "C"`). Default sort `-created_at`,
 * limit 50 (at most 100), offset 0.
 *
 * Where it can differ from the server:
 * - Lower-casing (for `q` and the title sort) is Unicode's simple mapping, which is what
 *   PostgreSQL's `lower()` does in a UTF-8 locale (en_US.utf8, C.UTF-8). A database created
 *   with the plain `C` locale lower-cases ASCII only, so there `É` and `é` differ.
 * - Timestamps on the wire have milliseconds, the database microseconds: two tasks created in
 *   one millisecond by different requests may sort by id here and by time there.
 * - Parameters the API refuses with a 400 are not all refused here: a `limit` or `offset` out of
 *   range or an unknown `sort` throws a RangeError; a malformed id or date, or a search text
 *   that repeats itself too much, simply matches what it matches.
 */
export function queryTasks(
  tasks: readonly Task[],
  params: TaskListParams,
  ctx: LocalQueryContext,
): { tasks: Task[]; total: number } {
  const limit = params.limit ?? DEFAULT_LIMIT;
  const offset = params.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new RangeError(`limit must be an integer between 1 and ${MAX_LIMIT}`);
  }
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) {
    throw new RangeError('offset must be a non-negative integer');
  }
  const compare = comparator(params.sort ?? '-created_at');

  const live = (tasks as readonly StoredTask[]).filter((task) => !task.deleted_at);
  const matches = filter(params, ctx);
  const matching = live.filter(matches).sort(compare);
  const page = matching.slice(offset, offset + limit);
  return {
    tasks: ctx.recountSubtasks === false ? page : withSubtaskCounts(page, live),
    total: matching.length,
  };
}

function filter(params: TaskListParams, ctx: LocalQueryContext): (task: Task) => boolean {
  const checks: ((task: Task) => boolean)[] = [];
  if (params.status?.length) {
    const statuses = new Set<string>(params.status);
    checks.push((task) => statuses.has(task.status));
  }
  if (params.priority?.length) {
    const priorities = new Set<string>(params.priority);
    checks.push((task) => task.priority !== null && priorities.has(task.priority));
  }
  if (params.tags?.length) {
    const wanted = [...new Set(params.tags.map((tag) => tag.normalize('NFC')))];
    checks.push((task) => wanted.every((tag) => task.tags.includes(tag)));
  }
  if (params.project_id?.length) {
    const named = params.project_id.map((id) => id.toLowerCase());
    const projects = params.include_subprojects ? withSubprojects(named, ctx.projects) : new Set(named);
    checks.push((task) => projects.has(task.project_id));
  }
  if (params.parent_id === 'none') {
    checks.push((task) => task.parent_id === null);
  } else if (params.parent_id) {
    const parent = params.parent_id.toLowerCase();
    checks.push((task) => task.parent_id === parent);
  }
  const q = params.q?.trim();
  if (q) {
    const needle = simpleLowerCase(q);
    checks.push(
      (task) =>
        simpleLowerCase(task.title).includes(needle) ||
        (task.description !== null && simpleLowerCase(task.description).includes(needle)),
    );
  }
  const { due_before: before, due_after: after } = params;
  if (before) checks.push((task) => task.due_date !== null && task.due_date <= before);
  if (after) checks.push((task) => task.due_date !== null && task.due_date >= after);
  return (task) => checks.every((check) => check(task));
}

/**
 * The named projects and their descendants. A named project the context does not know is kept:
 * a task can only be in one of the user's projects, so the API would match the same tasks.
 */
function withSubprojects(named: readonly string[], projects: readonly Project[]): Set<string> {
  const children = new Map<string, string[]>();
  for (const project of projects) {
    if (project.parent_id === null) continue;
    const siblings = children.get(project.parent_id);
    if (siblings) siblings.push(project.id);
    else children.set(project.parent_id, [project.id]);
  }
  const found = new Set(named);
  let level = [...found];
  for (let depth = 1; depth < MAX_PROJECT_DEPTH && level.length > 0; depth++) {
    level = level.flatMap((id) => children.get(id) ?? []).filter((id) => !found.has(id));
    for (const id of level) found.add(id);
  }
  return found;
}

type Compare = (a: Task, b: Task) => number;

function comparator(sort: string): Compare {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  if (!SORT_FIELDS.includes(field)) throw new RangeError(`unknown sort: ${sort}`);
  const direction = descending ? -1 : 1;
  const byId: Compare = (a, b) => direction * compareText(a.id, b.id);
  switch (field) {
    case 'created_at':
    case 'updated_at': {
      const key = field;
      // ISO 8601 in UTC with milliseconds, as the API writes them: text order is time order.
      return (a, b) => direction * compareText(a[key], b[key]) || byId(a, b);
    }
    case 'position':
      return (a, b) => direction * (a.position - b.position) || byId(a, b);
    case 'due_date':
      return (a, b) => nullsLast(a.due_date, b.due_date, (x, y) => direction * compareText(x, y)) || byId(a, b);
    case 'priority':
      return (a, b) =>
        nullsLast(a.priority, b.priority, (x, y) => direction * (PRIORITY_RANK[x] - PRIORITY_RANK[y])) ||
        byId(a, b);
    default: {
      // lower(title) COLLATE "C", then title COLLATE "C": keys made once per task, not per comparison.
      const keys = new Map<Task, string>();
      const lower = (task: Task) => {
        let key = keys.get(task);
        if (key === undefined) keys.set(task, (key = simpleLowerCase(task.title)));
        return key;
      };
      return (a, b) =>
        direction * compareCodePoints(lower(a), lower(b)) ||
        direction * compareCodePoints(a.title, b.title) ||
        byId(a, b);
    }
  }
}

/** Values missing on either side come after every present value, whatever the direction. */
function nullsLast<T>(a: T | null, b: T | null, compare: (a: T, b: T) => number): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compare(a, b);
}

/** For ASCII text (ids, dates, timestamps) UTF-16 order is byte order. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Unicode code point order, which is the byte order of UTF-8 (collation "C"). JavaScript's `<`
 * compares UTF-16 units, which puts characters above U+FFFF (surrogates, D800–DFFF) before
 * those in E000–FFFF; moving the surrogates above that range restores code point order.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return fixUp(x) - fixUp(y);
  }
  return a.length - b.length;
}

function fixUp(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/**
 * Unicode's simple lower-case mapping, one character to one, as PostgreSQL's `lower()` applies
 * it (towlower per character). JavaScript's toLowerCase() is the full mapping, which differs in
 * two places: `İ` becomes `i` plus a combining dot, and a capital sigma at the end of a word
 * becomes final `ς`.
 */
export function simpleLowerCase(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) return text.toLowerCase();
  return text.replaceAll('\u0130', 'i').replaceAll('\u03a3', '\u03c3').toLowerCase();
}

/** The page's tasks with their subtask counts as the API counts them from live tasks. */
function withSubtaskCounts(page: Task[], live: readonly Task[]): Task[] {
  if (page.length === 0) return page;
  const counts = new Map<string, { all: number; done: number }>(page.map((task) => [task.id, { all: 0, done: 0 }]));
  for (const task of live) {
    const count = task.parent_id === null ? undefined : counts.get(task.parent_id);
    if (!count) continue;
    count.all++;
    if (task.status === 'done') count.done++;
  }
  return page.map((task) => {
    const { all, done } = counts.get(task.id)!;
    return task.subtask_count === all && task.subtask_done_count === done
      ? task
      : { ...task, subtask_count: all, subtask_done_count: done };
  });
}
