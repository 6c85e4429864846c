import {
  dateOfDayNumber,
  dayNumber,
  dayNumberOf,
  daysInMonth,
  formatDate,
  formatTime,
  isDayFirst,
  MONTH_NAMES,
  splitDate,
  WEEKDAY_NAMES,
  weekdayOf,
  weekdayOfDayNumber,
  type IsoDate,
  type IsoTime,
} from './calendar';
import { formatRRule, makeRule, parseRRule, type ByDay, type Rule } from './rrule';

// Recurrence helpers for the task editor: a rule in words, its next dates, and presets.
//
// The dates are computed here rather than with rrule-temporal (what the server uses) because
// rrule-temporal needs temporal-polyfill: about 235 kB minified (72 kB gzipped) for what is,
// on calendar dates, a few loops. recurrence-crosscheck.spec.ts holds this expander to
// rrule-temporal's output, the way the server calls it, for a table of rules.

export type RecurrenceFrom = 'due' | 'completion';

/** A repeat rule as the API takes it. */
export interface Recurrence {
  readonly rrule: string;
  readonly from: RecurrenceFrom;
}

/** One choice of the editor's repeat menu. */
export interface RecurrencePreset {
  readonly id: 'daily' | 'weekdays' | 'weekly' | 'monthly' | 'yearly';
  /** E.g. 'Every Monday', 'Every month on the 15th'. */
  readonly label: string;
  readonly rrule: string;
}

/** Years searched for a next date before giving up (a rule such as February 30 has none). */
const HORIZON_YEARS = 400;

/**
 * The next `count` dates of a series, as 'YYYY-MM-DD', from `fromDate` on (inclusive;
 * default `startDate`).
 *
 * The series is what the server produces for a task due on `startDate` with this rule: the
 * start date itself is the first occurrence (RFC 5545 DTSTART, even when the rule would not
 * produce it), then the rule's dates after it. COUNT counts the start; UNTIL is inclusive.
 * Fewer than `count` dates come back when the series ends. Pass `fromDate` = the day after
 * the due date to list only the occurrences after the current one.
 *
 * @throws RRuleError when the rule is outside what the server accepts.
 */
export function nextDates(
  rrule: string,
  startDate: IsoDate,
  count = 5,
  fromDate: IsoDate = startDate,
): IsoDate[] {
  const rule = parseRRule(rrule);
  const from = dayNumberOf(fromDate);
  const until = rule.until === undefined ? Infinity : dayNumberOf(rule.until);
  const out: IsoDate[] = [];
  let n = 0;
  for (const day of series(rule, startDate)) {
    n++;
    if (rule.count !== undefined && n > rule.count) break;
    if (day > until || out.length >= count) break;
    if (day >= from) out.push(dateOfDayNumber(day));
  }
  return out;
}

/**
 * The first date on or after `date` that fits the rule's pattern (its weekdays, days of the
 * month, months): the due date a recurring task gets when the user names a rule but no date
 * ("every monday" typed on a Wednesday is due next Monday; "every day" is due today). Taken
 * as the series' start, that date is its first occurrence, so INTERVAL does not push it on:
 * "every 2 weeks on monday" typed on a Sunday is due the next day. Undefined when the rule
 * has no such date within reach (February 30) or its UNTIL has passed.
 */
export function firstOccurrenceOnOrAfter(rrule: string | Rule, date: IsoDate): IsoDate | undefined {
  const rule = typeof rrule === 'string' ? parseRRule(rrule) : rrule;
  const first = ruleDates({ ...rule, interval: 1 }, date, true).next();
  if (first.done) return undefined;
  if (rule.until !== undefined && first.value > dayNumberOf(rule.until)) return undefined;
  return dateOfDayNumber(first.value);
}

/** Start, then the rule's dates after it. */
function* series(rule: Rule, start: IsoDate): Generator<number> {
  yield dayNumberOf(start);
  yield* ruleDates(rule, start, false);
}

/**
 * The dates (day numbers, ascending) the rule produces after `start`, or from `start` on
 * when `inclusive`. COUNT and UNTIL are not applied here. Parts missing from the rule take
 * their value from the start date, as RFC 5545 says (FREQ=MONTHLY started on the 15th is the
 * 15th of every month; months without the day are skipped, not clamped).
 */
function* ruleDates(rule: Rule, start: IsoDate, inclusive: boolean): Generator<number> {
  const s = dayNumberOf(start);
  const [startYear, startMonth, startDay] = splitDate(start);
  const horizon = Math.min(9999, startYear + HORIZON_YEARS * rule.interval);
  const wanted = (d: number) => (inclusive ? d >= s : d > s);
  switch (rule.freq) {
    case 'DAILY': {
      for (let d = s; splitDate(dateOfDayNumber(d))[0] <= horizon; d += rule.interval) {
        if (wanted(d) && dailyMatch(rule, d)) yield d;
      }
      return;
    }
    case 'WEEKLY': {
      const weekStart = s - ((weekdayOfDayNumber(s) - rule.wkst + 7) % 7);
      const weekdays =
        rule.byDay.length > 0 ? rule.byDay.map((b) => b.weekday) : [weekdayOfDayNumber(s)];
      const offsets = [...new Set(weekdays.map((w) => (w - rule.wkst + 7) % 7))].sort(
        (a, b) => a - b,
      );
      for (let k = 0; ; k++) {
        const ws = weekStart + 7 * k * rule.interval;
        if (splitDate(dateOfDayNumber(ws))[0] > horizon) return;
        for (const offset of offsets) {
          const d = ws + offset;
          if (
            wanted(d) &&
            (rule.byMonth.length === 0 || rule.byMonth.includes(splitDate(dateOfDayNumber(d))[1]))
          ) {
            yield d;
          }
        }
      }
    }
    case 'MONTHLY': {
      for (let k = 0; ; k++) {
        const index = startYear * 12 + (startMonth - 1) + k * rule.interval;
        const year = Math.floor(index / 12);
        const month = (index % 12) + 1;
        if (year > horizon) return;
        if (rule.byMonth.length > 0 && !rule.byMonth.includes(month)) continue;
        for (const day of daysOfMonth(rule, year, month, startDay)) {
          const d = dayNumber(year, month, day);
          if (wanted(d)) yield d;
        }
      }
    }
    case 'YEARLY': {
      for (let year = startYear; year <= horizon; year += rule.interval) {
        for (const d of daysOfYear(rule, year, startMonth, startDay)) if (wanted(d)) yield d;
      }
      return;
    }
  }
}

function dailyMatch(rule: Rule, d: number): boolean {
  const [year, month, day] = splitDate(dateOfDayNumber(d));
  if (rule.byMonth.length > 0 && !rule.byMonth.includes(month)) return false;
  if (rule.byMonthDay.length > 0 && !monthDays(rule.byMonthDay, year, month).includes(day))
    return false;
  if (rule.byDay.length > 0 && !rule.byDay.some((b) => b.weekday === weekdayOfDayNumber(d)))
    return false;
  return true;
}

/** BYMONTHDAY values resolved in one month: -1 is its last day; days the month lacks drop out. */
function monthDays(byMonthDay: readonly number[], year: number, month: number): number[] {
  const length = daysInMonth(year, month);
  return byMonthDay.map((v) => (v > 0 ? v : length + 1 + v)).filter((d) => d >= 1 && d <= length);
}

/** Days of the month (ascending) a MONTHLY rule, or a YEARLY one with BYMONTH, produces. */
function daysOfMonth(rule: Rule, year: number, month: number, startDay: number): number[] {
  const length = daysInMonth(year, month);
  let days: number[] | undefined;
  if (rule.byMonthDay.length > 0) days = monthDays(rule.byMonthDay, year, month);
  if (rule.byDay.length > 0) {
    const first = dayNumber(year, month, 1);
    const byDay = weekdaysIn(rule.byDay, first, length);
    days = days === undefined ? byDay : days.filter((d) => byDay.includes(d));
  }
  if (days === undefined) days = startDay <= length ? [startDay] : [];
  return [...new Set(days)].sort((a, b) => a - b);
}

/**
 * Which of `length` days from day number `first` (a month or a year) the BYDAY list picks,
 * as 1-based positions: 2MO is the second Monday, -1FR the last Friday, MO every Monday.
 */
function weekdaysIn(byDay: readonly ByDay[], first: number, length: number): number[] {
  const out: number[] = [];
  for (const { weekday, ordinal } of byDay) {
    const firstOfKind = 1 + ((weekday - weekdayOfDayNumber(first) + 7) % 7);
    const all: number[] = [];
    for (let d = firstOfKind; d <= length; d += 7) all.push(d);
    if (ordinal === undefined) out.push(...all);
    else {
      const pick = ordinal > 0 ? all[ordinal - 1] : all[all.length + ordinal];
      if (pick !== undefined) out.push(pick);
    }
  }
  return out;
}

/** Day numbers (ascending) a YEARLY rule produces in one year. */
function daysOfYear(rule: Rule, year: number, startMonth: number, startDay: number): number[] {
  const out: number[] = [];
  if (rule.byMonth.length > 0) {
    for (const month of [...rule.byMonth].sort((a, b) => a - b)) {
      const days =
        rule.byMonthDay.length > 0 || rule.byDay.length > 0
          ? daysOfMonth(rule, year, month, startDay)
          : startDay <= daysInMonth(year, month)
            ? [startDay]
            : [];
      out.push(...days.map((d) => dayNumber(year, month, d)));
    }
    return out;
  }
  if (rule.byDay.length > 0) {
    // Without BYMONTH, BYDAY counts within the year (RFC 5545): -1FR is the year's last Friday.
    const first = dayNumber(year, 1, 1);
    const length = dayNumber(year + 1, 1, 1) - first;
    let days = weekdaysIn(rule.byDay, first, length).map((p) => first + p - 1);
    if (rule.byMonthDay.length > 0) {
      days = days.filter((d) => {
        const [, month, day] = splitDate(dateOfDayNumber(d));
        return monthDays(rule.byMonthDay, year, month).includes(day);
      });
    }
    return [...new Set(days)].sort((a, b) => a - b);
  }
  if (rule.byMonthDay.length > 0) {
    for (let month = 1; month <= 12; month++) {
      out.push(...daysOfMonth(rule, year, month, startDay).map((d) => dayNumber(year, month, d)));
    }
    return out;
  }
  // February 29 started: only leap years have it, as RFC 5545 and rrule-temporal agree.
  return startDay <= daysInMonth(year, startMonth) ? [dayNumber(year, startMonth, startDay)] : [];
}

// ---------------------------------------------------------------------------------------------
// Words

const ORDINAL_WORDS = ['first', 'second', 'third', 'fourth', 'fifth'];

/** Options for {@link describeRule}. */
export interface DescribeOptions {
  /** The task's time of day: 'Every day at 9am'. */
  readonly time?: IsoTime;
  /** 'completion' adds 'after completion'. */
  readonly from?: RecurrenceFrom;
}

/**
 * A rule in English words, for chips and the editor: 'Every weekday', 'Every 2 weeks on
 * Monday and Thursday', 'Every month on the last Friday', 'Every year on December 25'
 * ('on 25 December' where the locale writes the day first), with ', 10 times' or
 * ', until Dec 31, 2026' for COUNT and UNTIL. The locale decides the order of day and month
 * and the clock (9am or 09:00); the words are English, as is the rest of the app.
 *
 * @throws RRuleError when the rule is outside what the server accepts (the server never
 * returns such a rule).
 */
export function describeRule(
  rrule: string,
  locale = 'en-US',
  options: DescribeOptions = {},
): string {
  const rule = parseRRule(rrule);
  let text = head(rule, locale);
  if (options.time !== undefined) text += ` at ${formatTime(options.time, locale)}`;
  if (options.from === 'completion') text += ' after completion';
  if (rule.count !== undefined) text += rule.count === 1 ? ', once' : `, ${rule.count} times`;
  if (rule.until !== undefined) text += `, until ${formatDate(rule.until, locale)}`;
  return text;
}

function head(rule: Rule, locale: string): string {
  const every = (unit: string) =>
    rule.interval === 1 ? `Every ${unit}` : `Every ${rule.interval} ${unit}s`;
  const inMonths =
    rule.byMonth.length > 0 ? ` in ${joinWords(rule.byMonth.map((m) => MONTH_NAMES[m - 1]))}` : '';
  const plainDays = rule.byDay.filter((d) => d.ordinal === undefined).map((d) => d.weekday);
  switch (rule.freq) {
    case 'DAILY': {
      let text = every('day');
      if (rule.byDay.length > 0)
        text =
          rule.interval === 1 ? weekdayPhrase(plainDays) : `${text} on ${weekdayNames(plainDays)}`;
      if (rule.byMonthDay.length > 0) text += ` on the ${monthDayWords(rule.byMonthDay)}`;
      return text + inMonths;
    }
    case 'WEEKLY': {
      if (rule.byDay.length === 0) return every('week') + inMonths;
      if (rule.interval === 1) return weekdayPhrase(plainDays) + inMonths;
      return `${every('week')} on ${weekdayNames(plainDays)}${inMonths}`;
    }
    case 'MONTHLY': {
      const on = [
        ...(rule.byMonthDay.length > 0 ? [monthDayWords(rule.byMonthDay)] : []),
        ...(rule.byDay.length > 0 ? [byDayWords(rule.byDay)] : []),
      ];
      return every('month') + (on.length > 0 ? ` on the ${on.join(' and the ')}` : '') + inMonths;
    }
    case 'YEARLY': {
      const base = every('year');
      if (rule.byMonth.length === 1 && rule.byDay.length === 0 && rule.byMonthDay.length > 0) {
        const month = MONTH_NAMES[rule.byMonth[0] - 1];
        if (rule.byMonthDay.every((d) => d > 0)) {
          const days = joinWords(rule.byMonthDay.map(String));
          return `${base} on ${isDayFirst(locale) ? `${days} ${month}` : `${month} ${days}`}`;
        }
        return `${base} on the ${monthDayWords(rule.byMonthDay)} of ${month}`;
      }
      if (rule.byMonth.length > 0 && rule.byDay.length > 0 && rule.byMonthDay.length === 0) {
        return `${base} on the ${byDayWords(rule.byDay)} of ${joinWords(rule.byMonth.map((m) => MONTH_NAMES[m - 1]))}`;
      }
      const on = [
        ...(rule.byMonthDay.length > 0 ? [monthDayWords(rule.byMonthDay)] : []),
        ...(rule.byDay.length > 0 ? [byDayWords(rule.byDay)] : []),
      ];
      if (on.length === 0) return base + inMonths;
      const scope =
        rule.byMonth.length > 0
          ? inMonths
          : rule.byDay.length > 0 && rule.byMonthDay.length === 0
            ? ' of the year'
            : ' of every month';
      return `${base} on the ${on.join(' and the ')}${scope}`;
    }
  }
}

/** 'Every weekday', 'Every weekend', 'Every Monday and Thursday'. */
function weekdayPhrase(weekdays: readonly number[]): string {
  const set = [...new Set(weekdays)].sort((a, b) => a - b).join(',');
  if (set === '0,1,2,3,4') return 'Every weekday';
  if (set === '5,6') return 'Every weekend';
  return `Every ${weekdayNames(weekdays)}`;
}

function weekdayNames(weekdays: readonly number[]): string {
  const set = [...new Set(weekdays)].sort((a, b) => a - b);
  if (set.join(',') === '0,1,2,3,4') return 'weekdays';
  return joinWords(set.map((w) => WEEKDAY_NAMES[w]));
}

/** '15th', 'last day', '1st and 15th', 'second-to-last day'. */
function monthDayWords(days: readonly number[]): string {
  const positive = days.filter((d) => d > 0).map(ordinalNumber);
  const negative = days
    .filter((d) => d < 0)
    .map((d) => (d === -1 ? 'last day' : `${ordinalNumber(-d)}-to-last day`));
  return joinWords([...positive, ...negative]);
}

/** 'last Friday', 'first Monday', 'second Tuesday and last Friday', 'Monday'. */
function byDayWords(byDay: readonly ByDay[]): string {
  return joinWords(
    byDay.map(({ weekday, ordinal }) => {
      const name = WEEKDAY_NAMES[weekday];
      if (ordinal === undefined) return name;
      if (ordinal === -1) return `last ${name}`;
      if (ordinal < -1) return `${ordinalWord(-ordinal)}-to-last ${name}`;
      return `${ordinalWord(ordinal)} ${name}`;
    }),
  );
}

function ordinalWord(n: number): string {
  return ORDINAL_WORDS[n - 1] ?? ordinalNumber(n);
}

/** 1st, 2nd, 3rd, 4th, 11th, 21st, 22nd … */
function ordinalNumber(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** 'a', 'a and b', 'a, b and c'. */
function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

// ---------------------------------------------------------------------------------------------
// Presets

/**
 * The editor's repeat menu for a task due on `dueDate`: every day, every weekday, every week
 * on its weekday, every month on its day, every year on its date. A due date on the last day
 * of a month past the 28th repeats on the last day of each month (BYMONTHDAY=-1), since "the
 * 31st" would skip every shorter month; February 29 repeats on the last day of February.
 */
export function recurrencePresets(dueDate: IsoDate, locale = 'en-US'): RecurrencePreset[] {
  const [year, month, day] = splitDate(dueDate);
  const isLastDay = day > 28 && day === daysInMonth(year, month);
  const presets: Array<Omit<RecurrencePreset, 'label'>> = [
    { id: 'daily', rrule: formatRRule(makeRule({ freq: 'DAILY' })) },
    {
      id: 'weekdays',
      rrule: formatRRule(
        makeRule({ freq: 'WEEKLY', byDay: [0, 1, 2, 3, 4].map((weekday) => ({ weekday })) }),
      ),
    },
    {
      id: 'weekly',
      rrule: formatRRule(makeRule({ freq: 'WEEKLY', byDay: [{ weekday: weekdayOf(dueDate) }] })),
    },
    {
      id: 'monthly',
      rrule: formatRRule(makeRule({ freq: 'MONTHLY', byMonthDay: [isLastDay ? -1 : day] })),
    },
    {
      id: 'yearly',
      rrule: formatRRule(
        makeRule({
          freq: 'YEARLY',
          byMonth: [month],
          byMonthDay: [month === 2 && day === 29 ? -1 : day],
        }),
      ),
    },
  ];
  return presets.map((p) => ({ ...p, label: describeRule(p.rrule, locale) }));
}
