import type { Task, TaskStatus } from '../../core/api-models';

/** The board's columns, left to right. */
export const BOARD_STATUSES: readonly TaskStatus[] = ['todo', 'in-progress', 'done'];

export const BOARD_STATUS_LABELS: Record<TaskStatus, string> = {
  todo: 'To do',
  'in-progress': 'In progress',
  done: 'Done',
};

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Manual order first (`position`), then title, then id so that equal cards never swap. */
export function compareCards(a: Task, b: Task): number {
  return (
    a.position - b.position ||
    collator.compare(a.title, b.title) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** The tasks of each column, in card order. */
export function groupByStatus(tasks: readonly Task[]): Record<TaskStatus, Task[]> {
  const groups: Record<TaskStatus, Task[]> = { todo: [], 'in-progress': [], done: [] };
  for (const task of tasks) groups[task.status]?.push(task);
  for (const status of BOARD_STATUSES) groups[status].sort(compareCards);
  return groups;
}

/** The column `step` places to the left (-1) or right (+1), or null past either end. */
export function neighbourStatus(status: TaskStatus, step: -1 | 1): TaskStatus | null {
  return BOARD_STATUSES[BOARD_STATUSES.indexOf(status) + step] ?? null;
}
