import { describeRule, firstOccurrenceOnOrAfter, nextDates, recurrencePresets } from './recurrence';
import { RRuleError } from './rrule';

describe('nextDates', () => {
  it('lists the start and the following dates of a daily rule', () => {
    expect(nextDates('FREQ=DAILY', '2026-12-30')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
    ]);
  });

  it('steps by INTERVAL', () => {
    expect(nextDates('FREQ=DAILY;INTERVAL=3', '2027-02-26', 4)).toEqual([
      '2027-02-26',
      '2027-03-01',
      '2027-03-04',
      '2027-03-07',
    ]);
    expect(nextDates('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', '2026-11-30', 5)).toEqual([
      '2026-11-30',
      '2026-12-03',
      '2026-12-14',
      '2026-12-17',
      '2026-12-28',
    ]);
  });

  it('skips months without the 31st and keeps the last day with -1', () => {
    expect(nextDates('FREQ=MONTHLY;BYMONTHDAY=31', '2027-01-31', 4)).toEqual([
      '2027-01-31',
      '2027-03-31',
      '2027-05-31',
      '2027-07-31',
    ]);
    expect(nextDates('FREQ=MONTHLY;BYMONTHDAY=-1', '2027-01-31', 4)).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
    ]);
    expect(nextDates('FREQ=MONTHLY;BYMONTHDAY=-1', '2028-01-31', 2)).toEqual([
      '2028-01-31',
      '2028-02-29',
    ]);
  });

  it('repeats February 29 only in leap years, and the last day of February every year', () => {
    expect(nextDates('FREQ=YEARLY', '2028-02-29', 3)).toEqual([
      '2028-02-29',
      '2032-02-29',
      '2036-02-29',
    ]);
    expect(nextDates('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1', '2028-02-29', 3)).toEqual([
      '2028-02-29',
      '2029-02-28',
      '2030-02-28',
    ]);
  });

  it('finds the last Friday of each month', () => {
    expect(nextDates('FREQ=MONTHLY;BYDAY=-1FR', '2026-12-25', 4)).toEqual([
      '2026-12-25',
      '2027-01-29',
      '2027-02-26',
      '2027-03-26',
    ]);
  });

  it('skips months without a fifth Friday', () => {
    expect(nextDates('FREQ=MONTHLY;BYDAY=5FR', '2027-01-29', 3)).toEqual([
      '2027-01-29',
      '2027-04-30',
      '2027-07-30',
    ]);
  });

  it('ends after COUNT occurrences, the start included', () => {
    expect(nextDates('FREQ=WEEKLY;BYDAY=MO;COUNT=3', '2026-11-30', 10)).toEqual([
      '2026-11-30',
      '2026-12-07',
      '2026-12-14',
    ]);
  });

  it('ends on UNTIL, inclusive', () => {
    expect(nextDates('FREQ=WEEKLY;BYDAY=FR;UNTIL=20261218', '2026-12-04', 10)).toEqual([
      '2026-12-04',
      '2026-12-11',
      '2026-12-18',
    ]);
  });

  it('starts the list at fromDate while counting COUNT from the start', () => {
    expect(nextDates('FREQ=DAILY;COUNT=5', '2026-12-01', 10, '2026-12-04')).toEqual([
      '2026-12-04',
      '2026-12-05',
    ]);
    expect(nextDates('FREQ=MONTHLY;BYMONTHDAY=15', '2026-01-15', 2, '2026-11-29')).toEqual([
      '2026-12-15',
      '2027-01-15',
    ]);
  });

  it('keeps a start that is off the pattern as the first occurrence', () => {
    expect(nextDates('FREQ=WEEKLY;BYDAY=MO', '2026-12-02', 3)).toEqual([
      '2026-12-02',
      '2026-12-07',
      '2026-12-14',
    ]);
  });

  it('gives only the start for a rule that never produces a date', () => {
    expect(nextDates('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', '2027-01-01', 3)).toEqual([
      '2027-01-01',
    ]);
  });

  it('refuses a rule the server would refuse', () => {
    expect(() => nextDates('FREQ=HOURLY', '2026-11-29')).toThrow(RRuleError);
    expect(() => nextDates('FREQ=DAILY;COUNT=2;UNTIL=20270101', '2026-11-29')).toThrow(
      /COUNT and UNTIL/,
    );
    expect(() => nextDates('FREQ=WEEKLY;BYDAY=-1FR', '2026-11-29')).toThrow(/ordinal/);
    expect(() => nextDates('FREQ=WEEKLY;BYMONTHDAY=1', '2026-11-29')).toThrow(/BYMONTHDAY/);
  });
});

describe('firstOccurrenceOnOrAfter', () => {
  it('is the day itself when the rule produces it, else the next date of the rule', () => {
    expect(firstOccurrenceOnOrAfter('FREQ=DAILY', '2026-11-29')).toBe('2026-11-29');
    expect(firstOccurrenceOnOrAfter('FREQ=WEEKLY;BYDAY=MO,TH', '2026-11-29')).toBe('2026-11-30');
    expect(firstOccurrenceOnOrAfter('FREQ=MONTHLY;BYMONTHDAY=1', '2026-11-29')).toBe('2026-12-01');
    expect(firstOccurrenceOnOrAfter('FREQ=MONTHLY;BYDAY=-1FR', '2026-11-29')).toBe('2026-12-25');
    expect(firstOccurrenceOnOrAfter('FREQ=MONTHLY;BYDAY=-1FR', '2026-11-27')).toBe('2026-11-27');
    expect(firstOccurrenceOnOrAfter('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', '2026-11-29')).toBe(
      '2028-02-29',
    );
  });

  it('does not let INTERVAL skip the first fitting date', () => {
    // Sunday 29 November: the series starts on Monday the 30th, not a fortnight on.
    expect(firstOccurrenceOnOrAfter('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', '2026-11-29')).toBe(
      '2026-11-30',
    );
    expect(firstOccurrenceOnOrAfter('FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1', '2026-11-29')).toBe(
      '2026-12-01',
    );
  });

  it('is undefined when the rule has ended before it', () => {
    expect(firstOccurrenceOnOrAfter('FREQ=DAILY;UNTIL=20261101', '2026-11-29')).toBeUndefined();
  });
});

describe('describeRule', () => {
  it.each([
    ['FREQ=DAILY', 'Every day'],
    ['FREQ=DAILY;INTERVAL=3', 'Every 3 days'],
    ['FREQ=WEEKLY', 'Every week'],
    ['FREQ=WEEKLY;INTERVAL=2', 'Every 2 weeks'],
    ['FREQ=WEEKLY;BYDAY=MO', 'Every Monday'],
    ['FREQ=WEEKLY;BYDAY=TH,MO', 'Every Monday and Thursday'],
    ['FREQ=WEEKLY;BYDAY=MO,WE,FR', 'Every Monday, Wednesday and Friday'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', 'Every 2 weeks on Monday and Thursday'],
    ['FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', 'Every weekday'],
    ['FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR', 'Every weekday'],
    ['FREQ=WEEKLY;BYDAY=SA,SU', 'Every weekend'],
    ['FREQ=MONTHLY', 'Every month'],
    ['FREQ=MONTHLY;BYMONTHDAY=1', 'Every month on the 1st'],
    ['FREQ=MONTHLY;BYMONTHDAY=22', 'Every month on the 22nd'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,15', 'Every month on the 1st and 15th'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1', 'Every month on the last day'],
    ['FREQ=MONTHLY;BYMONTHDAY=-2', 'Every month on the 2nd-to-last day'],
    ['FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=11', 'Every 3 months on the 11th'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'Every month on the last Friday'],
    ['FREQ=MONTHLY;BYDAY=1MO', 'Every month on the first Monday'],
    ['FREQ=MONTHLY;BYDAY=2TU,4TU', 'Every month on the second Tuesday and fourth Tuesday'],
    ['FREQ=YEARLY', 'Every year'],
    ['FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25', 'Every year on December 25'],
    ['FREQ=YEARLY;INTERVAL=2;BYMONTH=7;BYMONTHDAY=4', 'Every 2 years on July 4'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1', 'Every year on the last day of February'],
    ['FREQ=YEARLY;BYMONTH=11;BYDAY=4TH', 'Every year on the fourth Thursday of November'],
    ['FREQ=YEARLY;BYMONTH=3', 'Every year in March'],
    ['FREQ=DAILY;COUNT=10', 'Every day, 10 times'],
    ['FREQ=DAILY;COUNT=1', 'Every day, once'],
    ['FREQ=WEEKLY;BYDAY=FR;UNTIL=20261231', 'Every Friday, until Dec 31, 2026'],
    [
      'RRULE:FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231T235959Z',
      'Every month on the last Friday, until Dec 31, 2027',
    ],
  ])('%s → %s', (rrule, words) => {
    expect(describeRule(rrule)).toBe(words);
  });

  it('follows the locale for the order of day and month and for the clock', () => {
    expect(describeRule('FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25', 'en-GB')).toBe(
      'Every year on 25 December',
    );
    expect(describeRule('FREQ=DAILY;UNTIL=20261231', 'de-DE')).toBe('Every day, until 31 Dec 2026');
    expect(describeRule('FREQ=DAILY', 'en-US', { time: '17:30' })).toBe('Every day at 5:30pm');
    expect(describeRule('FREQ=DAILY', 'en-GB', { time: '09:00' })).toBe('Every day at 09:00');
  });

  it('says when the next date counts from completion', () => {
    expect(
      describeRule('FREQ=DAILY;INTERVAL=3;COUNT=4', 'en-US', { from: 'completion', time: '09:00' }),
    ).toBe('Every 3 days at 9am after completion, 4 times');
  });

  it('refuses a rule outside the subset', () => {
    expect(() => describeRule('FREQ=DAILY;BYSETPOS=1')).toThrow(RRuleError);
  });
});

describe('recurrencePresets', () => {
  it('builds the menu from the due date', () => {
    expect(recurrencePresets('2026-12-15')).toEqual([
      { id: 'daily', label: 'Every day', rrule: 'FREQ=DAILY' },
      { id: 'weekdays', label: 'Every weekday', rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' },
      { id: 'weekly', label: 'Every Tuesday', rrule: 'FREQ=WEEKLY;BYDAY=TU' },
      { id: 'monthly', label: 'Every month on the 15th', rrule: 'FREQ=MONTHLY;BYMONTHDAY=15' },
      {
        id: 'yearly',
        label: 'Every year on December 15',
        rrule: 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15',
      },
    ]);
  });

  it('uses the last day of the month for a due date on a month end after the 28th', () => {
    const presets = recurrencePresets('2027-01-31', 'en-GB');
    expect(presets.find((p) => p.id === 'monthly')).toEqual({
      id: 'monthly',
      label: 'Every month on the last day',
      rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1',
    });
    expect(presets.find((p) => p.id === 'yearly')?.label).toBe('Every year on 31 January');
    // The 30th of a 31-day month is not its last day: it stays the 30th.
    expect(recurrencePresets('2027-01-30').find((p) => p.id === 'monthly')?.rrule).toBe(
      'FREQ=MONTHLY;BYMONTHDAY=30',
    );
    // The 28th of February is a day of the month like any other.
    expect(recurrencePresets('2027-02-28').find((p) => p.id === 'monthly')?.rrule).toBe(
      'FREQ=MONTHLY;BYMONTHDAY=28',
    );
  });

  it('repeats February 29 on the last day of February', () => {
    expect(recurrencePresets('2028-02-29').find((p) => p.id === 'yearly')).toEqual({
      id: 'yearly',
      label: 'Every year on the last day of February',
      rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1',
    });
  });
});
