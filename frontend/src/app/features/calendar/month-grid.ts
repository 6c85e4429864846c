import type { Task } from '../../core/api-models';
import {
  addDays,
  dayNumberOf,
  daysInMonth,
  isoDate,
  splitDate,
  weekdayOf,
  zonedNow,
  type IsoDate,
} from '../../quick-add/calendar';
import { nextDates } from '../../quick-add/recurrence';
import { formatRRule, parseRRule } from '../../quick-add/rrule';

// The calendar's arithmetic, kept free of Angular so that it can be tested on its own. Dates
// are 'YYYY-MM-DD' strings like the API's due_date: a due date is a day on the user's
// calendar, not an instant, so the browser's own time zone never enters into it.

/** A month, 'YYYY-MM'. */
export type YearMonth = string;

/** First day of the week, as JavaScript counts weekdays: 0 = Sunday, 1 = Monday. */
export type WeekStart = 0 | 1;

/** The grid always has six weeks, so that its height does not jump from month to month. */
export const GRID_DAYS = 42;

export function isYearMonth(value: string | undefined | null): value is YearMonth {
  if (!value || !/^\d{4}-\d{2}$/.test(value)) return false;
  const month = Number(value.slice(5, 7));
  return month >= 1 && month <= 12;
}

export function monthOf(date: IsoDate): YearMonth {
  return date.slice(0, 7);
}

export function addMonths(month: YearMonth, delta: number): YearMonth {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + delta;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The same day of the month `delta` months on, kept inside shorter months (Jan 31 → Feb 28). */
export function addMonthsToDate(date: IsoDate, delta: number): IsoDate {
  const [year, month] = splitDate(addMonths(monthOf(date), delta) + '-01');
  return isoDate(year, month, Math.min(splitDate(date)[2], daysInMonth(year, month)));
}

/**
 * Today's date on the wall calendar of `timeZone`. An unknown zone falls back to UTC rather
 * than breaking the page: the zone comes from the user's settings, which may be older than
 * the browser's time zone data.
 */
export function todayIn(timeZone: string, now: Date): IsoDate {
  try {
    return zonedNow(now, timeZone).date;
  } catch {
    return zonedNow(now, 'UTC').date;
  }
}

/** Weekday as JavaScript counts: 0 = Sunday … 6 = Saturday (calendar.ts counts from Monday). */
export function jsWeekday(date: IsoDate): number {
  return (weekdayOf(date) + 1) % 7;
}

/**
 * The 42 dates the month view shows: from the last `weekStart` on or before the 1st, six
 * whole weeks. A month that begins on `weekStart` begins the grid.
 */
export function monthGrid(month: YearMonth, weekStart: WeekStart): IsoDate[] {
  const first = `${month}-01`;
  const lead = (jsWeekday(first) - weekStart + 7) % 7;
  const start = addDays(first, -lead);
  return Array.from({ length: GRID_DAYS }, (_, i) => addDays(start, i));
}

/** What a day of the calendar shows: a task on its due date, or a projected repeat of it. */
export interface CalendarEntry {
  readonly task: Task;
  readonly date: IsoDate;
  /** A future occurrence of a recurring task, computed here; the API has no such task yet. */
  readonly projected: boolean;
}

/** Longest a single task's projection may run, whatever the rule (a daily task fills the grid). */
const MAX_PROJECTED = GRID_DAYS;

/**
 * The entries of each day from `from` to `to` (inclusive), each day's sorted for display.
 *
 * A recurring task that is not done also appears on its next dates within the range, from
 * the day after its due date but never before `today`: the repeats of an overdue task are
 * not in the past, they come once it is done. The series is expanded from the task's due
 * date, since the API does not expose the series' first date; for a rule with COUNT this can
 * show more repeats than remain. A date where the same series already has a real task is
 * not projected again.
 */
export function calendarEntries(
  tasks: readonly Task[],
  from: IsoDate,
  to: IsoDate,
  today: IsoDate,
): Map<IsoDate, CalendarEntry[]> {
  const byDate = new Map<IsoDate, CalendarEntry[]>();
  const add = (entry: CalendarEntry) => {
    const list = byDate.get(entry.date);
    if (list) list.push(entry);
    else byDate.set(entry.date, [entry]);
  };
  const realDates = new Set<string>();
  for (const task of tasks) {
    if (task.due_date === null) continue;
    if (task.series_id !== null) realDates.add(`${task.series_id} ${task.due_date}`);
    if (task.due_date >= from && task.due_date <= to) {
      add({ task, date: task.due_date, projected: false });
    }
  }
  for (const task of tasks) {
    if (task.recurrence === null || task.status === 'done' || task.due_date === null) continue;
    const start = maxDate(addDays(task.due_date, 1), from, today);
    if (start > to) continue;
    for (const date of projectedDates(task.recurrence.rrule, task.due_date, start, to)) {
      if (task.series_id !== null && realDates.has(`${task.series_id} ${date}`)) continue;
      add({ task, date, projected: true });
    }
  }
  for (const list of byDate.values()) list.sort(compareEntries);
  return byDate;
}

function projectedDates(rrule: string, dueDate: IsoDate, start: IsoDate, to: IsoDate): IsoDate[] {
  try {
    const rule = parseRRule(rrule);
    // Without an end, nextDates searches centuries for a rule that matches rarely or never
    // within the range; ending the series at the range's last day keeps this to the range.
    const bounded =
      rule.count === undefined && (rule.until === undefined || rule.until > to)
        ? formatRRule({ ...rule, until: to })
        : rrule;
    const count = Math.min(MAX_PROJECTED, dayNumberOf(to) - dayNumberOf(start) + 1);
    return nextDates(bounded, dueDate, count, start).filter((date) => date <= to);
  } catch {
    // A rule this client cannot read still shows the real task; it only loses its repeats.
    return [];
  }
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Open before done; then tasks without a time, then by time; then by title. */
function compareEntries(a: CalendarEntry, b: CalendarEntry): number {
  const doneA = a.task.status === 'done' ? 1 : 0;
  const doneB = b.task.status === 'done' ? 1 : 0;
  if (doneA !== doneB) return doneA - doneB;
  const timeA = a.task.due_time ?? '';
  const timeB = b.task.due_time ?? '';
  if (timeA !== timeB) return timeA < timeB ? -1 : 1;
  if (a.projected !== b.projected) return a.projected ? 1 : -1;
  return collator.compare(a.task.title, b.task.title);
}

function maxDate(...dates: IsoDate[]): IsoDate {
  return dates.reduce((a, b) => (a > b ? a : b));
}
