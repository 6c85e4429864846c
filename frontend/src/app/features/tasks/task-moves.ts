import { Task, UpdateTaskInput } from '../../core/api-models';
import { TaskItem } from './task-groups';

// Manual order, as the API keeps it (backend/src/common/positions.ts): any finite number,
// smaller first; one move is one write, a position between the new neighbours.
export const POSITION_STEP = 1024;

export function positionBetween(before: number | undefined, after: number | undefined): number {
  if (before === undefined && after === undefined) return POSITION_STEP;
  if (before === undefined) return after! - POSITION_STEP;
  if (after === undefined) return Math.floor(before / POSITION_STEP) * POSITION_STEP + POSITION_STEP;
  return before + (after - before) / 2;
}

export type MoveChange = Pick<UpdateTaskInput, 'parent_id' | 'position' | 'project_id'>;

/** The siblings of `task` in the list as shown (same parent), in order. */
function siblings(items: readonly TaskItem[], task: Task): Task[] {
  return items
    .map((i) => i.task)
    .filter((t) => t.parent_id === task.parent_id && t.project_id === task.project_id);
}

/** One place up or down among its siblings; null at either end. */
export function moveBy(items: readonly TaskItem[], task: Task, step: -1 | 1): MoveChange | null {
  const list = siblings(items, task);
  const index = list.findIndex((t) => t.id === task.id);
  const target = index + step;
  if (index < 0 || target < 0 || target >= list.length) return null;
  const rest = list.filter((t) => t.id !== task.id);
  // Between the neighbours the task will have once it has moved.
  const before = rest[target - 1];
  const after = rest[target];
  return { position: positionBetween(before?.position, after?.position) };
}

/** Makes it a subtask of the sibling above it (last among that one's subtasks). */
export function indent(items: readonly TaskItem[], task: Task): MoveChange | null {
  const list = siblings(items, task);
  const index = list.findIndex((t) => t.id === task.id);
  if (index <= 0) return null;
  const parent = list[index - 1];
  const kids = items.map((i) => i.task).filter((t) => t.parent_id === parent.id);
  return { parent_id: parent.id, position: positionBetween(kids.at(-1)?.position, undefined) };
}

/** Moves it out of its parent, just after it. */
export function outdent(items: readonly TaskItem[], all: readonly Task[], task: Task): MoveChange | null {
  if (!task.parent_id) return null;
  const parent = all.find((t) => t.id === task.parent_id);
  if (!parent) return null;
  const level = all
    .filter((t) => t.parent_id === parent.parent_id && t.project_id === parent.project_id)
    .sort((a, b) => a.position - b.position);
  const next = level[level.findIndex((t) => t.id === parent.id) + 1];
  return { parent_id: parent.parent_id, position: positionBetween(parent.position, next?.position) };
}

/** Is `candidate` the task itself or one of its subtasks (where it can never go)? */
export function isWithin(all: readonly Task[], candidate: Task, task: Task): boolean {
  for (let t: Task | undefined = candidate; t; t = all.find((x) => x.id === t!.parent_id)) {
    if (t.id === task.id) return true;
  }
  return false;
}

/**
 * A drop at `index` of `items` (the list without the dragged task): a sibling right after the
 * row above, or, dragged to the right (`nest`), that row's last subtask.
 */
export function dropAt(
  items: readonly TaskItem[],
  all: readonly Task[],
  task: Task,
  index: number,
  nest: boolean,
): MoveChange | null {
  // The dragged task's own subtasks stay in the list while it moves; it can never go under them.
  const rest = items.filter((i) => i.task.id !== task.id);
  let k = index - 1;
  while (k >= 0 && isWithin(all, rest[k].task, task)) k--;
  const above = rest[k]?.task;
  if (nest && above) {
    const kids = all.filter((t) => t.parent_id === above.id && t.id !== task.id);
    return { parent_id: above.id, position: positionBetween(kids.at(-1)?.position, undefined) };
  }
  if (!above) {
    const first = rest.find((i) => i.depth === 0)?.task;
    return { parent_id: null, position: positionBetween(undefined, first?.position) };
  }
  const level = all
    .filter((t) => t.parent_id === above.parent_id && t.project_id === above.project_id && t.id !== task.id)
    .sort((a, b) => a.position - b.position);
  const next = level[level.findIndex((t) => t.id === above.id) + 1];
  const change: MoveChange = { position: positionBetween(above.position, next?.position) };
  if (above.parent_id !== task.parent_id) change.parent_id = above.parent_id;
  if (above.project_id !== task.project_id) change.project_id = above.project_id;
  return change;
}
