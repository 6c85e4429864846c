import { makeTask } from '../../../testing/factories';
import { nextDates } from '../../quick-add/recurrence';
import {
  addMonths,
  addMonthsToDate,
  calendarEntries,
  isYearMonth,
  jsWeekday,
  monthGrid,
  todayIn,
} from './month-grid';

describe('monthGrid', () => {
  it('starts on the Monday on or before the 1st and runs six whole weeks', () => {
    // December 2026 begins on a Tuesday.
    const grid = monthGrid('2026-12', 1);
    expect(grid).toHaveLength(42);
    expect(grid[0]).toBe('2026-11-30');
    expect(grid[1]).toBe('2026-12-01');
    expect(grid[41]).toBe('2027-01-10');
    expect(grid.filter((_, i) => i % 7 === 0).every((d) => jsWeekday(d) === 1)).toBe(true);
  });

  it('starts on Sunday when asked', () => {
    const grid = monthGrid('2026-12', 0);
    expect(grid[0]).toBe('2026-11-29');
    expect(jsWeekday(grid[0])).toBe(0);
    expect(grid[41]).toBe('2027-01-09');
  });

  it('begins with the 1st when the month begins on the week start', () => {
    // February 2027 begins on a Monday; March 2026 on a Sunday.
    expect(monthGrid('2027-02', 1)[0]).toBe('2027-02-01');
    expect(monthGrid('2026-03', 0)[0]).toBe('2026-03-01');
    expect(monthGrid('2026-03', 1)[0]).toBe('2026-02-23');
  });

  it('knows leap years: February 29 in 2028 and 2000, not in 2100 or 2027', () => {
    const days = (month: string) => monthGrid(month, 1).filter((d) => d.startsWith(month));
    expect(days('2028-02')).toHaveLength(29);
    expect(days('2000-02')).toHaveLength(29);
    expect(days('2100-02')).toHaveLength(28);
    expect(days('2027-02')).toHaveLength(28);
    expect(monthGrid('2028-02', 1)).toContain('2028-02-29');
    expect(monthGrid('2028-03', 1)[0]).toBe('2028-02-28');
  });

  it('crosses the year at both ends', () => {
    expect(monthGrid('2027-01', 1)[0]).toBe('2026-12-28');
    expect(monthGrid('2026-12', 1).at(-1)).toBe('2027-01-10');
  });
});

describe('months', () => {
  it('steps over year ends both ways', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(addMonths('2026-05', -17)).toBe('2024-12');
    expect(addMonths('2026-05', 24)).toBe('2028-05');
  });

  it('keeps the day of the month inside shorter months', () => {
    expect(addMonthsToDate('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonthsToDate('2028-03-31', -1)).toBe('2028-02-29');
    expect(addMonthsToDate('2026-12-15', 1)).toBe('2027-01-15');
  });

  it('accepts only real months', () => {
    expect(isYearMonth('2026-12')).toBe(true);
    expect(isYearMonth('2026-13')).toBe(false);
    expect(isYearMonth('2026-00')).toBe(false);
    expect(isYearMonth('2026-1')).toBe(false);
    expect(isYearMonth(undefined)).toBe(false);
  });
});

describe('todayIn', () => {
  // 23:30 UTC on December 31: already the new year east of Greenwich, still the old one west.
  const instant = new Date('2026-12-31T23:30:00Z');

  it('reads the date on the wall calendar of the zone, not of the machine', () => {
    expect(todayIn('UTC', instant)).toBe('2026-12-31');
    expect(todayIn('Europe/Berlin', instant)).toBe('2027-01-01');
    expect(todayIn('Pacific/Kiritimati', new Date('2026-12-31T10:00:00Z'))).toBe('2027-01-01');
    expect(todayIn('America/Los_Angeles', new Date('2027-01-01T07:59:00Z'))).toBe('2026-12-31');
    expect(todayIn('America/Los_Angeles', new Date('2027-01-01T08:00:00Z'))).toBe('2027-01-01');
  });

  it('falls back to UTC for a zone it does not know', () => {
    expect(todayIn('Mars/Olympus_Mons', instant)).toBe('2026-12-31');
  });
});

describe('calendarEntries', () => {
  const from = '2026-11-30';
  const to = '2027-01-10';

  it('places tasks on their due dates within the range, and leaves out the rest', () => {
    const map = calendarEntries(
      [
        makeTask({ id: 'a', title: 'In range', due_date: '2026-12-03' }),
        makeTask({ id: 'b', title: 'Before', due_date: '2026-11-29' }),
        makeTask({ id: 'c', title: 'No date', due_date: null }),
        makeTask({ id: 'd', title: 'Last day', due_date: to }),
      ],
      from,
      to,
      '2026-12-01',
    );
    expect([...map.keys()].sort()).toEqual(['2026-12-03', to]);
    expect(map.get('2026-12-03')).toEqual([
      expect.objectContaining({ projected: false, date: '2026-12-03' }),
    ]);
  });

  it('orders a day: open before done, untimed before timed, then by time and title', () => {
    const day = '2026-12-03';
    const map = calendarEntries(
      [
        makeTask({ id: '1', title: 'Done one', due_date: day, status: 'done' }),
        makeTask({ id: '2', title: 'Late', due_date: day, due_time: '17:00' }),
        makeTask({ id: '3', title: 'early', due_date: day, due_time: '08:30' }),
        makeTask({ id: '4', title: 'b untimed', due_date: day }),
        makeTask({ id: '5', title: 'A untimed', due_date: day }),
      ],
      from,
      to,
      day,
    );
    expect(map.get(day)!.map((e) => e.task.id)).toEqual(['5', '4', '3', '2', '1']);
  });

  it('projects a recurring task onto its next dates, from its due date on', () => {
    const weekly = makeTask({
      id: 'w',
      title: 'Bins',
      due_date: '2026-12-03',
      recurrence: { rrule: 'FREQ=WEEKLY', from: 'due' },
    });
    const map = calendarEntries([weekly], from, to, '2026-12-01');
    const dates = [...map.entries()].flatMap(([date, list]) =>
      list.map((e) => `${date}${e.projected ? ' projected' : ''}`),
    );
    expect(dates.sort()).toEqual([
      '2026-12-03',
      '2026-12-10 projected',
      '2026-12-17 projected',
      '2026-12-24 projected',
      '2026-12-31 projected',
      '2027-01-07 projected',
    ]);
    expect(map.get('2026-12-10')![0].task).toBe(weekly);
  });

  it('projects the repeats of a task due before the range into it', () => {
    const monthly = makeTask({
      due_date: '2026-10-15',
      recurrence: { rrule: 'FREQ=MONTHLY', from: 'due' },
    });
    const map = calendarEntries([monthly], from, to, '2026-11-01');
    expect([...map.keys()]).toEqual(['2026-12-15']);
    expect(map.get('2026-12-15')![0].projected).toBe(true);
  });

  it('does not project into the past: an overdue daily task repeats from today on', () => {
    const daily = makeTask({
      due_date: '2026-12-01',
      recurrence: { rrule: 'FREQ=DAILY', from: 'due' },
    });
    const map = calendarEntries([daily], from, to, '2027-01-08');
    expect([...map.keys()].sort()).toEqual(['2026-12-01', '2027-01-08', '2027-01-09', to]);
  });

  it('does not project done tasks, ended series, or rules it cannot read', () => {
    const map = calendarEntries(
      [
        makeTask({
          id: 'done',
          due_date: '2026-12-01',
          status: 'done',
          recurrence: { rrule: 'FREQ=DAILY', from: 'due' },
        }),
        makeTask({
          id: 'until',
          due_date: '2026-12-02',
          recurrence: { rrule: 'FREQ=DAILY;UNTIL=20261204', from: 'due' },
        }),
        makeTask({
          id: 'bad',
          due_date: '2026-12-05',
          recurrence: { rrule: 'FREQ=HOURLY', from: 'due' },
        }),
      ],
      from,
      to,
      '2026-12-01',
    );
    const projected = [...map.values()].flat().filter((e) => e.projected);
    expect(projected.map((e) => `${e.task.id} ${e.date}`)).toEqual([
      'until 2026-12-03',
      'until 2026-12-04',
    ]);
    expect(map.get('2026-12-05')![0].task.id).toBe('bad');
  });

  it('does not project onto a date where the series already has a real task', () => {
    const current = makeTask({
      id: 'cur',
      series_id: 's1',
      due_date: '2026-12-07',
      recurrence: { rrule: 'FREQ=WEEKLY', from: 'due' },
    });
    const later = makeTask({ id: 'later', series_id: 's1', due_date: '2026-12-14' });
    const map = calendarEntries([current, later], from, to, '2026-12-01');
    expect(map.get('2026-12-14')!.map((e) => `${e.task.id} ${e.projected}`)).toEqual([
      'later false',
    ]);
    expect(map.get('2026-12-21')![0].projected).toBe(true);
  });

  it('expands a rare rule only as far as the range, not for its whole future', () => {
    // Every February 29, as a daily rule: unbounded, 42 dates are 168 years of days.
    const rrule = 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29';
    const leap = makeTask({ due_date: '2026-12-01', recurrence: { rrule, from: 'due' } });
    const time = (run: () => unknown) => {
      const started = performance.now();
      for (let i = 0; i < 5; i++) run();
      return performance.now() - started;
    };
    const bounded = time(() => calendarEntries([leap], from, to, '2026-12-01'));
    const unbounded = time(() => nextDates(rrule, '2026-12-01', 42, from));
    expect(bounded).toBeLessThan(unbounded / 4);
    const projected = [...calendarEntries([leap], from, to, '2026-12-01').values()].flat();
    expect(projected.filter((e) => e.projected)).toEqual([]);
  });
});
