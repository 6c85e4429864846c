// Holds the browser's date-only expander (recurrence.ts) to rrule-temporal, the library the
// server expands rules with, called the way backend/src/tasks/recurrence.ts calls it: the rule
// without COUNT and UNTIL, DTSTART at local noon in the user's zone, next(after) for each
// following occurrence, then COUNT (the start counts) and UNTIL (inclusive) applied on dates.
// rrule-temporal is the backend's dependency; it is imported here from the workspace's
// node_modules only for this test and never reaches the app bundle.
import { RRuleTemporal } from 'rrule-temporal';
import { Temporal } from 'temporal-polyfill';
import { nextDates } from './recurrence';

const ZONE = 'Europe/Berlin';

function atNoon(date: string): Temporal.ZonedDateTime {
  return Temporal.PlainDate.from(date).toZonedDateTime({
    timeZone: ZONE,
    plainTime: Temporal.PlainTime.from('12:00'),
  });
}

function serverSeries(rrule: string, start: string, count: number): string[] {
  const parts = rrule.split(';');
  const open = parts.filter((p) => !p.startsWith('COUNT=') && !p.startsWith('UNTIL=')).join(';');
  const countPart = parts.find((p) => p.startsWith('COUNT='));
  const untilPart = parts.find((p) => p.startsWith('UNTIL='));
  const limit = countPart ? Number(countPart.slice(6)) : Infinity;
  const until = untilPart
    ? `${untilPart.slice(6, 10)}-${untilPart.slice(10, 12)}-${untilPart.slice(12, 14)}`
    : undefined;
  const rule = new RRuleTemporal({ rruleString: open, dtstart: atNoon(start), temporal: Temporal });
  const dates = [start];
  let current = start;
  while (dates.length < Math.min(count, limit)) {
    let next: Temporal.ZonedDateTime | null;
    try {
      next = rule.next(atNoon(current), false);
    } catch {
      next = null; // the library's iteration cap: no date within reach
    }
    if (!next) break;
    current = next.toPlainDate().toString();
    if (until !== undefined && Temporal.PlainDate.compare(current, until) > 0) break;
    dates.push(current);
  }
  return dates;
}

// [rule, start]: starts chosen on the rule's pattern (as the quick-add parser picks them) and,
// for the rules that take their day from the start, on month ends and leap days.
const TABLE: Array<[string, string]> = [
  ['FREQ=DAILY', '2026-11-29'],
  ['FREQ=DAILY;INTERVAL=3', '2026-12-30'],
  ['FREQ=DAILY;INTERVAL=2;COUNT=4', '2027-02-27'],
  ['FREQ=WEEKLY', '2026-11-29'],
  ['FREQ=WEEKLY;INTERVAL=2', '2026-12-31'],
  ['FREQ=WEEKLY;BYDAY=MO,TH', '2026-11-30'],
  ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', '2026-11-30'],
  ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', '2026-11-30'],
  ['FREQ=WEEKLY;BYDAY=SA,SU', '2026-12-05'],
  ['FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=20261218', '2026-11-30'],
  ['FREQ=WEEKLY;INTERVAL=3;BYDAY=SU', '2026-11-29'],
  ['FREQ=MONTHLY', '2026-01-15'],
  ['FREQ=MONTHLY', '2027-01-31'],
  ['FREQ=MONTHLY;BYMONTHDAY=1', '2026-12-01'],
  ['FREQ=MONTHLY;BYMONTHDAY=15', '2026-12-15'],
  ['FREQ=MONTHLY;BYMONTHDAY=31', '2026-12-31'],
  ['FREQ=MONTHLY;BYMONTHDAY=-1', '2026-11-30'],
  ['FREQ=MONTHLY;BYMONTHDAY=-2', '2026-11-29'],
  ['FREQ=MONTHLY;BYMONTHDAY=1,15', '2026-12-01'],
  ['FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15', '2026-12-15'],
  ['FREQ=MONTHLY;BYDAY=-1FR', '2026-12-25'],
  ['FREQ=MONTHLY;BYDAY=1MO', '2026-12-07'],
  ['FREQ=MONTHLY;BYDAY=2TU', '2026-12-08'],
  ['FREQ=MONTHLY;BYDAY=5FR', '2027-01-29'],
  ['FREQ=MONTHLY;BYDAY=-1SU;COUNT=6', '2026-11-29'],
  ['FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13', '2027-08-13'],
  ['FREQ=YEARLY', '2026-11-29'],
  ['FREQ=YEARLY', '2028-02-29'],
  ['FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25', '2026-12-25'],
  ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', '2028-02-29'],
  ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1', '2027-02-28'],
  ['FREQ=YEARLY;BYMONTH=11;BYDAY=4TH', '2026-11-26'],
  ['FREQ=YEARLY;INTERVAL=2;BYMONTH=7;BYMONTHDAY=4', '2027-07-04'],
  ['FREQ=YEARLY;BYMONTH=3,9', '2027-03-21'],
  ['FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1;UNTIL=20301231', '2027-01-01'],
  // A start off the rule's pattern is still the first occurrence (a task edited to another day).
  ['FREQ=WEEKLY;BYDAY=MO', '2026-12-02'],
  ['FREQ=MONTHLY;BYMONTHDAY=15', '2026-12-03'],
  ['FREQ=MONTHLY;BYDAY=-1FR;COUNT=3', '2026-12-01'],
];

describe('nextDates against rrule-temporal (the server)', () => {
  it.each(TABLE)('%s from %s', (rrule, start) => {
    const expected = serverSeries(rrule, start, 12);
    expect(expected.length).toBeGreaterThan(1);
    expect(nextDates(rrule, start, 12)).toEqual(expected);
  });
});
