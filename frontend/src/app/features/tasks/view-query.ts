import { Task, TaskPriority, TaskStatus, ViewQuery } from '../../core/api-models';
import { TaskListParams } from '../../core/tasks-api';

/** A saved view's query as the list's parameters (the view stores the query as given). */
export function viewParams(query: ViewQuery): TaskListParams {
  return {
    status: query.status as TaskStatus[] | undefined,
    priority: query.priority as TaskPriority[] | undefined,
    tags: query.tag,
    q: query.q,
    project_id: query.project_id,
    include_subprojects: query.include_subprojects,
    parent_id: query.parent_id,
    due_before: query.due_before,
    due_after: query.due_after,
    sort: query.sort,
  };
}

/**
 * Whether a task changed live belongs in a saved view, by the same rules the API filters by.
 * `projectIds` is the view's projects with their sub-projects when the view includes them.
 */
export function matchesView(task: Task, query: ViewQuery, projectIds?: ReadonlySet<string>): boolean {
  if (query.status?.length && !query.status.includes(task.status)) return false;
  if (query.priority?.length && (!task.priority || !query.priority.includes(task.priority))) return false;
  if (query.tag?.length) {
    const tags = task.tags.map((t) => t.normalize('NFC'));
    if (!query.tag.every((tag) => tags.includes(tag.normalize('NFC')))) return false;
  }
  if (query.q) {
    const q = query.q.toLowerCase();
    if (!task.title.toLowerCase().includes(q) && !(task.description ?? '').toLowerCase().includes(q)) return false;
  }
  if (query.project_id?.length) {
    const ids = projectIds ?? new Set(query.project_id);
    if (!ids.has(task.project_id)) return false;
  }
  if (query.parent_id === 'none' && task.parent_id !== null) return false;
  if (query.parent_id && query.parent_id !== 'none' && task.parent_id !== query.parent_id) return false;
  if (query.due_before && (!task.due_date || task.due_date > query.due_before)) return false;
  if (query.due_after && (!task.due_date || task.due_date < query.due_after)) return false;
  return true;
}

/** Sorts as the API does for a view's `sort` (position by default). */
export function sortForView(tasks: readonly Task[], sort: ViewQuery['sort'] = '-created_at'): Task[] {
  const desc = sort.startsWith('-');
  const field = (desc ? sort.slice(1) : sort) as keyof Task;
  const rank = (t: Task): string | number | null => {
    const value = t[field];
    if (field === 'priority') return value === 'high' ? 3 : value === 'medium' ? 2 : value === 'low' ? 1 : null;
    return value as string | number | null;
  };
  return [...tasks].sort((a, b) => {
    const x = rank(a);
    const y = rank(b);
    // Tasks without a due date or priority come last either way, as the API sorts them.
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order = x < y ? -1 : x > y ? 1 : 0;
    return desc ? -order : order;
  });
}
