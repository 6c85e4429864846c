import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';

/**
 * Recurring tasks: which RRULEs are accepted, and the next occurrence of a
 * series. Pure: no database, no clock (today is an argument).
 *
 * Dates and times are the user's local ones. A task keeps its due date and
 * time of day as written (`2027-03-28`, `09:00`), not as an instant, so the
 * arithmetic is on calendar dates in the user's time zone, done by
 * rrule-temporal (RFC 5545 on Temporal). The rule is expanded at local noon,
 * when no time zone changes its clocks, and every occurrence takes the
 * series' time of day: "every day at 09:00" is 09:00 local time on both sides
 * of a daylight-saving change, where adding 24 hours would drift by one.
 */

export const RECURRENCE_FROM = ['due', 'completion'] as const;
export type RecurrenceFrom = (typeof RECURRENCE_FROM)[number];

/** What a client sends and sees. */
export interface Recurrence {
  readonly rrule: string;
  readonly from: RecurrenceFrom;
}

/**
 * What is stored: the rule as given, the series' first due date (DTSTART for
 * `from: due`) and the number of this occurrence in the series (for COUNT with
 * `from: completion`).
 */
export interface StoredRecurrence extends Recurrence {
  readonly start: string;
  readonly n: number;
  /**
   * On a completed occurrence: the version its next occurrence had when it
   * was created. Reopening the completed one takes the next one back only
   * while it is still at that version (nobody has changed it).
   */
  readonly successor_version?: number;
}

export class RecurrenceRuleError extends Error {
  constructor(
    /** The RRULE part at fault, e.g. `BYDAY`, or `RRULE` for the whole. */
    readonly part: string,
    message: string,
  ) {
    super(message);
  }
}

const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const;
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const MAX_INTERVAL = 1000;
const MAX_COUNT = 10_000;
const MAX_RULE_LENGTH = 500;

export interface ParsedRule {
  readonly freq: (typeof FREQUENCIES)[number];
  readonly interval: number;
  readonly count?: number;
  /** Inclusive last date (YYYY-MM-DD). */
  readonly until?: string;
}

/**
 * Checks an RRULE against what this API supports: FREQ DAILY, WEEKLY,
 * MONTHLY or YEARLY; INTERVAL; BYDAY (with an ordinal such as `-1FR` for
 * MONTHLY and YEARLY only); BYMONTHDAY (±1–31); BYMONTH (1–12); COUNT or
 * UNTIL, not both. Anything else throws a RecurrenceRuleError naming the part.
 */
export function parseRule(rrule: string): ParsedRule {
  if (rrule.length === 0 || rrule.length > MAX_RULE_LENGTH) {
    throw new RecurrenceRuleError('RRULE', `rrule must be 1 to ${MAX_RULE_LENGTH} characters`);
  }
  const text = rrule.startsWith('RRULE:') ? rrule.slice('RRULE:'.length) : rrule;
  const parts = new Map<string, string>();
  for (const piece of text.split(';')) {
    const match = /^([A-Z]+)=([^;=]+)$/.exec(piece);
    if (!match) throw new RecurrenceRuleError('RRULE', `"${piece}" is not a NAME=value part of an RRULE`);
    const [, name, value] = match;
    if (parts.has(name)) throw new RecurrenceRuleError(name, `${name} appears twice`);
    parts.set(name, value);
  }
  for (const name of parts.keys()) {
    if (!['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'COUNT', 'UNTIL', 'WKST'].includes(name)) {
      throw new RecurrenceRuleError(name, `${name} is not supported (use FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, COUNT or UNTIL)`);
    }
  }
  const freq = parts.get('FREQ');
  if (freq === undefined) throw new RecurrenceRuleError('FREQ', 'FREQ is required');
  if (!(FREQUENCIES as readonly string[]).includes(freq)) {
    throw new RecurrenceRuleError('FREQ', `FREQ must be one of ${FREQUENCIES.join(', ')}`);
  }
  const interval = integer(parts.get('INTERVAL') ?? '1', 'INTERVAL', 1, MAX_INTERVAL);
  const byDay = parts.get('BYDAY');
  if (byDay !== undefined) {
    for (const day of byDay.split(',')) {
      const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(day);
      if (!match || !(WEEKDAYS as readonly string[]).includes(match[2])) {
        throw new RecurrenceRuleError('BYDAY', `BYDAY "${day}" must be a weekday (MO…SU), optionally with an ordinal such as -1FR`);
      }
      if (match[1] !== undefined) {
        if (freq !== 'MONTHLY' && freq !== 'YEARLY') {
          throw new RecurrenceRuleError('BYDAY', `BYDAY "${day}": an ordinal weekday needs FREQ=MONTHLY or FREQ=YEARLY`);
        }
        const ordinal = Number(match[1]);
        const limit = freq === 'MONTHLY' ? 5 : 53;
        if (ordinal === 0 || Math.abs(ordinal) > limit) {
          throw new RecurrenceRuleError('BYDAY', `BYDAY "${day}": the ordinal must be 1 to ${limit} or -1 to -${limit}`);
        }
      }
    }
  }
  const byMonthDay = parts.get('BYMONTHDAY');
  if (byMonthDay !== undefined) {
    if (freq === 'WEEKLY') throw new RecurrenceRuleError('BYMONTHDAY', 'BYMONTHDAY cannot be used with FREQ=WEEKLY');
    for (const day of byMonthDay.split(',')) {
      const value = integer(day, 'BYMONTHDAY', -31, 31);
      if (value === 0) throw new RecurrenceRuleError('BYMONTHDAY', 'BYMONTHDAY must be 1 to 31 or -1 to -31');
    }
  }
  const byMonth = parts.get('BYMONTH');
  if (byMonth !== undefined) for (const month of byMonth.split(',')) integer(month, 'BYMONTH', 1, 12);
  const wkst = parts.get('WKST');
  if (wkst !== undefined && !(WEEKDAYS as readonly string[]).includes(wkst)) {
    throw new RecurrenceRuleError('WKST', 'WKST must be a weekday (MO…SU)');
  }
  const countText = parts.get('COUNT');
  const untilText = parts.get('UNTIL');
  if (countText !== undefined && untilText !== undefined) {
    throw new RecurrenceRuleError('COUNT', 'COUNT and UNTIL cannot both be given');
  }
  const count = countText === undefined ? undefined : integer(countText, 'COUNT', 1, MAX_COUNT);
  const until = untilText === undefined ? undefined : untilDate(untilText);
  return { freq: freq as ParsedRule['freq'], interval, count, until };
}

function integer(text: string, part: string, min: number, max: number): number {
  if (!/^[+-]?\d{1,6}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new RecurrenceRuleError(part, `${part} must be an integer from ${min} to ${max}`);
  }
  return Number(text);
}

/** UNTIL as a date: `20271231` or `20271231T235959Z` (the date part counts, inclusive). */
function untilDate(text: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(text);
  if (!match) throw new RecurrenceRuleError('UNTIL', 'UNTIL must be a date such as 20271231 (or 20271231T235959Z)');
  const date = `${match[1]}-${match[2]}-${match[3]}`;
  try {
    Temporal.PlainDate.from(date, { overflow: 'reject' });
  } catch {
    throw new RecurrenceRuleError('UNTIL', `UNTIL ${text} is not a real date`);
  }
  return date;
}

/** The rule without COUNT and UNTIL, which this module applies itself. */
function openRule(rrule: string): string {
  const text = rrule.startsWith('RRULE:') ? rrule.slice('RRULE:'.length) : rrule;
  return text
    .split(';')
    .filter((part) => !part.startsWith('COUNT=') && !part.startsWith('UNTIL='))
    .join(';');
}

function atNoon(date: string, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone, plainTime: Temporal.PlainTime.from('12:00') });
}

/**
 * The first date of the rule, started on `start`, that is after `after`.
 * Bounded: a rule that cannot produce one (BYMONTHDAY=31;BYMONTH=2) stops
 * after the library's iteration cap, and then there is none.
 */
function firstAfter(rrule: string, start: string, after: string, timeZone: string): string | undefined {
  const rule = new RRuleTemporal({ rruleString: openRule(rrule), dtstart: atNoon(start, timeZone), temporal: Temporal });
  try {
    const next = rule.next(atNoon(after, timeZone), false);
    return next ? next.toPlainDate().toString() : undefined;
  } catch {
    // The library's iteration cap: the rule has no date within reach.
    return undefined;
  }
}

/**
 * Refuses a rule that, started on `start`, never produces another date
 * (`FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30`): such a series could never repeat.
 */
export function assertRepeats(rrule: string, start: string, timeZone: string): void {
  if (firstAfter(rrule, start, start, timeZone) === undefined) {
    throw new RecurrenceRuleError('RRULE', 'the rule produces no date after the due date');
  }
}

export interface CompletedOccurrence {
  /** Its due date (YYYY-MM-DD). */
  readonly dueDate: string;
  /** The day it was completed, in the user's time zone. */
  readonly completedOn: string;
}

export interface NextOccurrence {
  readonly dueDate: string;
  /** Its number in the series. */
  readonly n: number;
}

/**
 * The occurrence that follows a completed one, or undefined when the series
 * has ended (COUNT or UNTIL used up, or a rule with no further date).
 *
 * - `from: due`: the first date of the rule (counted from the series' first
 *   due date) after the completed occurrence's due date and not before
 *   today: a task completed three days late leaves no overdue copies behind.
 *   COUNT counts the rule's dates from the start, taken or skipped.
 * - `from: completion`: the rule started afresh on the completion day; the
 *   next occurrence is its first date after that day. COUNT counts
 *   occurrences (`n`).
 */
export function nextOccurrence(
  recurrence: StoredRecurrence,
  completed: CompletedOccurrence,
  today: string,
  timeZone: string,
): NextOccurrence | undefined {
  const rule = parseRule(recurrence.rrule);
  let dueDate: string | undefined;
  let n: number;
  if (recurrence.from === 'due') {
    const yesterday = Temporal.PlainDate.from(today).subtract({ days: 1 }).toString();
    const after = Temporal.PlainDate.compare(completed.dueDate, yesterday) >= 0 ? completed.dueDate : yesterday;
    dueDate = firstAfter(recurrence.rrule, recurrence.start, after, timeZone);
    // Only COUNT needs the position in the series; counting walks it from the start.
    n = dueDate !== undefined && rule.count !== undefined ? countDates(recurrence.rrule, recurrence.start, dueDate, timeZone) : recurrence.n + 1;
  } else {
    dueDate = firstAfter(recurrence.rrule, completed.completedOn, completed.completedOn, timeZone);
    n = recurrence.n + 1;
  }
  if (dueDate === undefined) return undefined;
  if (rule.until !== undefined && Temporal.PlainDate.compare(dueDate, rule.until) > 0) return undefined;
  if (rule.count !== undefined && n > rule.count) return undefined;
  return { dueDate, n };
}

/** How many dates of the rule, from `start`, fall on or before `date` (the start counts as the first). */
function countDates(rrule: string, start: string, date: string, timeZone: string): number {
  const rule = new RRuleTemporal({ rruleString: openRule(rrule), dtstart: atNoon(start, timeZone), temporal: Temporal });
  const end = atNoon(date, timeZone);
  // The start is the first occurrence (RFC 5545), even when the rule would not produce it.
  const dates = rule.between(atNoon(start, timeZone), end, true).filter((d) => d.toPlainDate().toString() !== start);
  return dates.length + 1;
}
