// Date-only arithmetic for quick add and recurrence. A task's due date is a calendar date in
// the user's time zone, not an instant, so everything here works on 'YYYY-MM-DD' strings and
// day numbers counted in UTC, where no day is 23 or 25 hours long. The browser's own time zone
// is never consulted: it is often not the user's (a laptop on a trip, a test runner in UTC).

/** A calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string;

/** A local time of day, 'HH:MM' (24-hour). */
export type IsoTime = string;

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a calendar date. */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

export function dayNumberOf(date: IsoDate): number {
  const [year, month, day] = splitDate(date);
  return dayNumber(year, month, day);
}

export function dateOfDayNumber(n: number): IsoDate {
  const d = new Date(n * MS_PER_DAY);
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function isoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

export function isoTime(hour: number, minute: number): IsoTime {
  return `${pad2(hour)}:${pad2(minute)}`;
}

export function splitDate(date: IsoDate): [year: number, month: number, day: number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return dateOfDayNumber(dayNumberOf(date) + days);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Weekday of a day number, 0 = Monday … 6 = Sunday (the RRULE order, MO first). */
export function weekdayOfDayNumber(n: number): number {
  // 1970-01-01 was a Thursday (3).
  return (((n + 3) % 7) + 7) % 7;
}

export function weekdayOf(date: IsoDate): number {
  return weekdayOfDayNumber(dayNumberOf(date));
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The wall-clock date and time at `now` in an IANA time zone. */
export interface ZonedNow {
  readonly date: IsoDate;
  readonly hour: number;
  readonly minute: number;
}

/** What the calendar and clock on the wall say at `now` in `timeZone` (e.g. 'Europe/Berlin'). */
export function zonedNow(now: Date, timeZone: string): ZonedNow {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value);
  return {
    date: isoDate(get('year'), get('month'), get('day')),
    hour: get('hour') % 24,
    minute: get('minute'),
  };
}

// Locale conventions. The words stay English (the app's language); the locale only decides
// the order of numbers in a date and whether times read 17:00 or 5pm.

/** True when the locale writes the day before the month (en-GB, de, fr: 5/12 is 5 December). */
export function isDayFirst(locale: string): boolean {
  const cached = dayFirstCache.get(locale);
  if (cached !== undefined) return cached;
  const order = new Intl.DateTimeFormat(safeLocale(locale), { timeZone: 'UTC' })
    .formatToParts(new Date(Date.UTC(2000, 11, 31)))
    .map((p) => p.type);
  const dayFirst = order.indexOf('day') < order.indexOf('month');
  dayFirstCache.set(locale, dayFirst);
  return dayFirst;
}

/** True when the locale's clock is 12-hour (en-US: 5pm), false for 24-hour (en-GB, de: 17:00). */
function uses12HourClock(locale: string): boolean {
  const cached = clockCache.get(locale);
  if (cached !== undefined) return cached;
  const cycle = new Intl.DateTimeFormat(safeLocale(locale), { hour: 'numeric' }).resolvedOptions()
    .hourCycle;
  const twelve = cycle === 'h12' || cycle === 'h11';
  clockCache.set(locale, twelve);
  return twelve;
}

// The parser runs on every keystroke; building an Intl formatter each time is the slow part.
const dayFirstCache = new Map<string, boolean>();
const clockCache = new Map<string, boolean>();

function safeLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en-US';
  } catch {
    // A malformed navigator.language must not break typing a task.
    return 'en-US';
  }
}

export const WEEKDAY_NAMES = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
] as const;
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** '17:00' or '5pm' / '5:30pm', as the locale's clock reads. */
export function formatTime(time: IsoTime, locale: string): string {
  const hour = Number(time.slice(0, 2));
  const minute = Number(time.slice(3, 5));
  if (!uses12HourClock(locale)) return time;
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? 'am' : 'pm';
  return minute === 0 ? `${h12}${suffix}` : `${h12}:${String(minute).padStart(2, '0')}${suffix}`;
}

/**
 * 'Dec 5' / '5 Dec' (or 'December 5' with `long`), with the year when it is not `currentYear`:
 * 'Dec 5, 2027' / '5 Dec 2027'.
 */
export function formatDate(
  date: IsoDate,
  locale: string,
  options: { long?: boolean; currentYear?: number } = {},
): string {
  const [year, month, day] = splitDate(date);
  const name = options.long ? MONTH_NAMES[month - 1] : MONTH_NAMES[month - 1].slice(0, 3);
  const showYear = options.currentYear === undefined || options.currentYear !== year;
  if (isDayFirst(locale)) return showYear ? `${day} ${name} ${year}` : `${day} ${name}`;
  return showYear ? `${name} ${day}, ${year}` : `${name} ${day}`;
}

/**
 * How a chip names a due date relative to today: 'Today', 'Tomorrow', a weekday within the
 * coming week ('Friday'), else 'Dec 5' (with the year when it is not this year).
 */
export function relativeDateLabel(date: IsoDate, today: IsoDate, locale: string): string {
  const days = dayNumberOf(date) - dayNumberOf(today);
  if (days === 0) return 'Today';
  if (days === 1) return 'Tomorrow';
  if (days === -1) return 'Yesterday';
  if (days > 1 && days < 7) return WEEKDAY_NAMES[weekdayOf(date)];
  return formatDate(date, locale, { currentYear: splitDate(today)[0] });
}
