import { TaskPriority, TaskStatus } from '../../core/api-models';

export const STATUSES: readonly TaskStatus[] = ['todo', 'in-progress', 'done'];
export const PRIORITIES: readonly TaskPriority[] = ['high', 'medium', 'low'];

export const STATUS_LABELS: Record<TaskStatus, string> = {
  todo: 'To do',
  'in-progress': 'In progress',
  done: 'Done',
};

export const PRIORITY_LABELS: Record<TaskPriority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
};

export const PRIORITY_BADGE: Record<TaskPriority, string> = {
  high: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200',
  medium: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  low: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200',
};

export const STATUS_BADGE: Record<TaskStatus, string> = {
  todo: 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200',
  'in-progress': 'bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200',
  done: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
};

/** Today in the user's time zone as YYYY-MM-DD, the format of `due_date`. */
export function localIsoDate(date: Date = new Date()): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return localIsoDate(new Date(y, m - 1, d + days));
}

/** A due date before today on a task that is not done. */
export function isOverdue(
  task: { due_date: string | null; status: TaskStatus },
  today = localIsoDate(),
): boolean {
  return task.due_date !== null && task.status !== 'done' && task.due_date < today;
}

/** "Mar 5, 2027" for a calendar date, without shifting it through UTC. */
export function formatDueDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });
}
