import { Project, Task } from '../../core/api-models';
import { addDays, dayNumberOf, formatDate, relativeDateLabel, splitDate } from '../../quick-add/calendar';

/** A task as a list shows it: nested `depth` levels under its parent. */
export interface TaskItem {
  task: Task;
  depth: number;
}

export interface TaskGroup {
  /** Stable across renders: 'overdue', 'today', a date, a project id, 'completed', 'later'. */
  id: string;
  label: string;
  items: TaskItem[];
  /** Overdue tasks' group is flagged in red. */
  tone?: 'overdue';
  /** Starts collapsed (the Completed section). */
  collapsed?: boolean;
  /** Sub-project sections sit under their parent's. */
  depth?: number;
}

const PRIORITY_RANK: Record<string, number> = { high: 0, medium: 1, low: 2 };

/** Within a day: timed tasks by time, then by priority, then in the user's order. */
export function byDay(a: Task, b: Task): number {
  return (
    (a.due_date ?? '').localeCompare(b.due_date ?? '') ||
    (a.due_time ?? '99').localeCompare(b.due_time ?? '99') ||
    (PRIORITY_RANK[a.priority ?? ''] ?? 3) - (PRIORITY_RANK[b.priority ?? ''] ?? 3) ||
    a.position - b.position ||
    a.created_at.localeCompare(b.created_at)
  );
}

function flat(tasks: Task[]): TaskItem[] {
  return tasks.map((task) => ({ task, depth: 0 }));
}

export function isOpen(task: Task): boolean {
  return task.status !== 'done';
}

/** A due date before `today` (the user's), on a task not done. */
export function isOverdue(task: Task, today: string): boolean {
  return task.due_date !== null && isOpen(task) && task.due_date < today;
}

/** What Today lists: open tasks due today or earlier. */
export function belongsToday(task: Task, today: string): boolean {
  return isOpen(task) && task.due_date !== null && task.due_date <= today;
}

/** Today: "Overdue" (oldest first), then "Today". Empty groups are left out. */
export function groupToday(tasks: readonly Task[], today: string): TaskGroup[] {
  const open = tasks.filter((t) => belongsToday(t, today)).sort(byDay);
  const overdue = open.filter((t) => t.due_date! < today);
  const due = open.filter((t) => t.due_date === today);
  const groups: TaskGroup[] = [];
  if (overdue.length) groups.push({ id: 'overdue', label: 'Overdue', items: flat(overdue), tone: 'overdue' });
  if (due.length) groups.push({ id: 'today', label: 'Today', items: flat(due) });
  return groups;
}

export const UPCOMING_DAYS = 14;

/** What Upcoming lists: open tasks due after today. */
export function belongsUpcoming(task: Task, today: string): boolean {
  return isOpen(task) && task.due_date !== null && task.due_date > today;
}

/**
 * Upcoming: one group for each of the next `days` days that has tasks ("Tomorrow",
 * "Wednesday", "Dec 12"), then "Later".
 */
export function groupUpcoming(
  tasks: readonly Task[],
  today: string,
  locale = 'en-US',
  days = UPCOMING_DAYS,
): TaskGroup[] {
  const last = addDays(today, days);
  const open = tasks.filter((t) => belongsUpcoming(t, today)).sort(byDay);
  const groups: TaskGroup[] = [];
  const later: Task[] = [];
  const year = splitDate(today)[0];
  for (const task of open) {
    const date = task.due_date!;
    if (date > last) {
      later.push(task);
      continue;
    }
    let group = groups.at(-1);
    if (group?.id !== date) {
      const relative = relativeDateLabel(date, today, locale);
      const label =
        dayNumberOf(date) - dayNumberOf(today) < 7
          ? `${relative} · ${formatDate(date, locale, { currentYear: year })}`
          : formatDate(date, locale, { currentYear: year });
      group = { id: date, label, items: [] };
      groups.push(group);
    }
    group.items.push({ task, depth: 0 });
  }
  if (later.length) groups.push({ id: 'later', label: 'Later', items: flat(later) });
  return groups;
}

/**
 * A project's tasks in the user's order, each open task followed by its open subtasks
 * (indented); a section for each sub-project; done tasks last in a collapsed "Completed".
 */
export function groupProject(
  tasks: readonly Task[],
  project: Pick<Project, 'id' | 'name'>,
  subprojects: readonly { project: Pick<Project, 'id' | 'name'>; depth: number }[] = [],
): TaskGroup[] {
  const open = tasks.filter(isOpen);
  const openIds = new Set(open.map((t) => t.id));
  const children = new Map<string, Task[]>();
  const roots = new Map<string, Task[]>();
  for (const task of open) {
    if (task.parent_id && openIds.has(task.parent_id)) {
      children.set(task.parent_id, [...(children.get(task.parent_id) ?? []), task]);
    } else {
      roots.set(task.project_id, [...(roots.get(task.project_id) ?? []), task]);
    }
  }
  const order = (a: Task, b: Task) => a.position - b.position || a.created_at.localeCompare(b.created_at);
  const tree = (list: Task[], depth: number, out: TaskItem[]) => {
    for (const task of [...list].sort(order)) {
      out.push({ task, depth });
      const kids = children.get(task.id);
      if (kids) tree(kids, depth + 1, out);
    }
    return out;
  };
  const groups: TaskGroup[] = [
    { id: project.id, label: project.name, items: tree(roots.get(project.id) ?? [], 0, []) },
  ];
  for (const sub of subprojects) {
    groups.push({
      id: sub.project.id,
      label: sub.project.name,
      items: tree(roots.get(sub.project.id) ?? [], 0, []),
      depth: sub.depth,
    });
  }
  const done = tasks
    .filter((t) => !isOpen(t))
    .sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  if (done.length) groups.push({ id: 'completed', label: 'Completed', items: flat(done), collapsed: true });
  return groups;
}

/** A plain list in the order given (a saved view's or a search's). */
export function groupFlat(tasks: readonly Task[], label = 'Tasks'): TaskGroup[] {
  return tasks.length ? [{ id: 'all', label, items: flat([...tasks]) }] : [];
}
