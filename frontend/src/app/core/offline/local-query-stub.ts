// A stand-in for local-query.ts, which the offline-shell branch writes (same signature): swap the
// imports to './local-query' and delete this file when that branch is merged.
import { Project, Task } from '../api-models';
import { TaskListParams } from '../tasks-api';

export interface LocalQueryContext {
  projects: readonly Project[];
}

const PRIORITY_RANK: Record<string, number> = { high: 3, medium: 2, low: 1 };

function compareBy(sort: string): (a: Task, b: Task) => number {
  const descending = sort.startsWith('-');
  const field = (descending ? sort.slice(1) : sort) as keyof Task;
  const value = (task: Task): string | number | null => {
    if (field === 'priority') return task.priority ? PRIORITY_RANK[task.priority] : null;
    if (field === 'title') return task.title.toLowerCase();
    return task[field] as string | number | null;
  };
  return (a, b) => {
    const x = value(a);
    const y = value(b);
    // Missing values last, whichever the direction.
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order = x < y ? -1 : x > y ? 1 : 0;
    return (descending ? -order : order) || a.id.localeCompare(b.id);
  };
}

/** The page GET /api/tasks would answer for these params, computed from the local copy. */
export function queryTasks(
  tasks: readonly Task[],
  params: TaskListParams,
  ctx: LocalQueryContext,
): { tasks: Task[]; total: number } {
  let projectIds: Set<string> | null = null;
  if (params.project_id?.length) {
    projectIds = new Set(params.project_id);
    if (params.include_subprojects) {
      for (let grew = true; grew; ) {
        grew = false;
        for (const p of ctx.projects) {
          if (p.parent_id && projectIds.has(p.parent_id) && !projectIds.has(p.id)) {
            projectIds.add(p.id);
            grew = true;
          }
        }
      }
    }
  }
  const q = params.q?.trim().toLowerCase();
  const tags = params.tags?.map((t) => t.toLowerCase());
  const matching = tasks.filter(
    (t) =>
      (!params.status?.length || params.status.includes(t.status)) &&
      (!params.priority?.length || (t.priority !== null && params.priority.includes(t.priority))) &&
      (!tags?.length || tags.every((tag) => t.tags.some((x) => x.toLowerCase() === tag))) &&
      (!q || t.title.toLowerCase().includes(q) || (t.description ?? '').toLowerCase().includes(q)) &&
      (!params.due_before || (t.due_date !== null && t.due_date <= params.due_before)) &&
      (!params.due_after || (t.due_date !== null && t.due_date >= params.due_after)) &&
      (!projectIds || projectIds.has(t.project_id)) &&
      (!params.parent_id ||
        (params.parent_id === 'none' ? t.parent_id === null : t.parent_id === params.parent_id)),
  );
  matching.sort(compareBy(params.sort ?? '-created_at'));
  const offset = params.offset ?? 0;
  const limit = params.limit ?? 20;
  return { tasks: matching.slice(offset, offset + limit), total: matching.length };
}
