import { Task, TaskStatus } from '../../core/api-models';
import { TaskListParams } from '../../core/tasks-api';
import { addDays, IsoDate } from '../../quick-add/calendar';

/** The first and last date a calendar grid shows. */
export interface DateRange {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

const OPEN: readonly TaskStatus[] = ['todo', 'in-progress'];

function later(a: IsoDate | undefined, b: IsoDate): IsoDate {
  return a && a > b ? a : b;
}

function earlier(a: IsoDate | undefined, b: IsoDate): IsoDate {
  return a && a < b ? a : b;
}

/**
 * What the calendar asks the API for, within a view's own query: the tasks due in the range,
 * and the open ones due before it, of which the repeating ones are projected onto the range
 * (the API cannot filter by recurrence, so `onCalendar` drops the others). A view's own date
 * and status limits still hold; a query that can match nothing is left out.
 */
export function calendarParams(base: TaskListParams, range: DateRange): TaskListParams[] {
  const { limit: _limit, offset: _offset, ...view } = base;
  const queries: TaskListParams[] = [];
  const inRange = {
    ...view,
    due_after: later(view.due_after, range.from),
    due_before: earlier(view.due_before, range.to),
    sort: 'due_date' as const,
  };
  if (inRange.due_after <= inRange.due_before) queries.push(inRange);
  const status = view.status?.length ? OPEN.filter((s) => view.status!.includes(s)) : OPEN;
  const before: TaskListParams = {
    ...view,
    status,
    due_before: earlier(view.due_before, addDays(range.from, -1)),
    sort: 'due_date',
  };
  if (status.length && (!view.due_after || view.due_after <= before.due_before!)) queries.push(before);
  return queries;
}

/** Whether the calendar shows `task` (on its date, or as a repeat projected from before). */
export function onCalendar(task: Task, range: DateRange): boolean {
  const due = task.due_date;
  if (!due || due > range.to) return false;
  if (due >= range.from) return true;
  return !!task.recurrence && task.status !== 'done';
}
