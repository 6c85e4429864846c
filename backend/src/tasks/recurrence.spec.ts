import { assertRepeats, nextOccurrence, parseRule, RecurrenceRuleError, type StoredRecurrence } from './recurrence.js';

const series = (rrule: string, start: string, from: 'due' | 'completion' = 'due', n = 1): StoredRecurrence => ({ rrule, from, start, n });

/** Completes occurrences one after another, each on its due date, and lists the due dates that follow. */
function chain(recurrence: StoredRecurrence, timeZone: string, steps: number): string[] {
  const dates: string[] = [];
  let current = { recurrence, due: recurrence.start };
  for (let i = 0; i < steps; i++) {
    const next = nextOccurrence(current.recurrence, { dueDate: current.due, completedOn: current.due }, current.due, timeZone);
    if (!next) break;
    dates.push(next.dueDate);
    current = { recurrence: { ...current.recurrence, n: next.n }, due: next.dueDate };
  }
  return dates;
}

describe('parseRule', () => {
  it.each([
    ['FREQ=DAILY'],
    ['RRULE:FREQ=WEEKLY;BYDAY=MO,WE'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=TU'],
    ['FREQ=MONTHLY;BYDAY=-1FR'],
    ['FREQ=MONTHLY;BYMONTHDAY=-1'],
    ['FREQ=MONTHLY;BYMONTHDAY=1,15'],
    ['FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29'],
    ['FREQ=DAILY;COUNT=5'],
    ['FREQ=DAILY;UNTIL=20271231'],
    ['FREQ=DAILY;UNTIL=20271231T235959Z'],
    ['FREQ=WEEKLY;WKST=SU;BYDAY=SU'],
  ])('accepts %s', (rule) => {
    expect(() => parseRule(rule)).not.toThrow();
  });

  it.each([
    ['', 'RRULE'],
    ['FREQ=HOURLY', 'FREQ'],
    ['INTERVAL=2', 'FREQ'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL'],
    ['FREQ=DAILY;INTERVAL=1.5', 'INTERVAL'],
    ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY'],
    ['FREQ=WEEKLY;BYDAY=-1FR', 'BYDAY'],
    ['FREQ=MONTHLY;BYDAY=6MO', 'BYDAY'],
    ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY'],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY'],
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY'],
    ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH'],
    ['FREQ=DAILY;COUNT=3;UNTIL=20271231', 'COUNT'],
    ['FREQ=DAILY;COUNT=0', 'COUNT'],
    ['FREQ=DAILY;UNTIL=20270230', 'UNTIL'],
    ['FREQ=DAILY;UNTIL=tomorrow', 'UNTIL'],
    ['FREQ=DAILY;BYHOUR=9', 'BYHOUR'],
    ['FREQ=DAILY;BYSETPOS=1', 'BYSETPOS'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'FREQ'],
    ['FREQ=DAILY;;', 'RRULE'],
    ['freq=daily', 'RRULE'],
  ])('refuses %j, naming %s', (rule, part) => {
    let error: unknown;
    try {
      parseRule(rule);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RecurrenceRuleError);
    expect((error as RecurrenceRuleError).part).toBe(part);
  });
});

describe('nextOccurrence', () => {
  describe('daily across daylight saving, in two zones', () => {
    it.each([
      // Europe/Berlin: clocks forward on 2027-03-28, back on 2027-10-31.
      ['Europe/Berlin', '2027-03-26', ['2027-03-27', '2027-03-28', '2027-03-29', '2027-03-30']],
      ['Europe/Berlin', '2027-10-29', ['2027-10-30', '2027-10-31', '2027-11-01', '2027-11-02']],
      // America/New_York: forward on 2027-03-14, back on 2027-11-07.
      ['America/New_York', '2027-03-12', ['2027-03-13', '2027-03-14', '2027-03-15', '2027-03-16']],
      ['America/New_York', '2027-11-05', ['2027-11-06', '2027-11-07', '2027-11-08', '2027-11-09']],
    ])('%s from %s: one date a day, none skipped or doubled', (zone, start, expected) => {
      expect(chain(series('FREQ=DAILY', start), zone, 4)).toEqual(expected);
    });

    it('keeps weekly dates on their weekday through the change', () => {
      expect(chain(series('FREQ=WEEKLY;BYDAY=SU', '2027-03-21'), 'Europe/Berlin', 3)).toEqual(['2027-03-28', '2027-04-04', '2027-04-11']);
      expect(chain(series('FREQ=WEEKLY;BYDAY=SU', '2027-11-01'), 'America/New_York', 2)).toEqual(['2027-11-07', '2027-11-14']);
    });

    it('in a zone far from UTC, the date is the local one', () => {
      expect(chain(series('FREQ=DAILY', '2027-12-31'), 'Pacific/Kiritimati', 2)).toEqual(['2028-01-01', '2028-01-02']);
      expect(chain(series('FREQ=DAILY', '2027-12-31'), 'Pacific/Pago_Pago', 2)).toEqual(['2028-01-01', '2028-01-02']);
    });
  });

  describe('month ends and leap days', () => {
    it('BYMONTHDAY=31 skips months without a 31st', () => {
      expect(chain(series('FREQ=MONTHLY;BYMONTHDAY=31', '2027-01-31'), 'UTC', 4)).toEqual(['2027-03-31', '2027-05-31', '2027-07-31', '2027-08-31']);
    });

    it('BYMONTHDAY=-1 is the last day of every month, February included', () => {
      expect(chain(series('FREQ=MONTHLY;BYMONTHDAY=-1', '2027-12-31'), 'UTC', 3)).toEqual(['2028-01-31', '2028-02-29', '2028-03-31']);
    });

    it('every last Friday', () => {
      expect(chain(series('FREQ=MONTHLY;BYDAY=-1FR', '2027-01-29'), 'UTC', 3)).toEqual(['2027-02-26', '2027-03-26', '2027-04-30']);
    });

    it('a yearly task on February 29 comes back in leap years only', () => {
      expect(chain(series('FREQ=YEARLY', '2028-02-29'), 'UTC', 2)).toEqual(['2032-02-29', '2036-02-29']);
    });
  });

  describe('COUNT and UNTIL', () => {
    it('COUNT=3 gives two more occurrences after the first, then none', () => {
      expect(chain(series('FREQ=DAILY;COUNT=3', '2027-01-01'), 'UTC', 5)).toEqual(['2027-01-02', '2027-01-03']);
    });

    it('UNTIL is inclusive', () => {
      expect(chain(series('FREQ=DAILY;UNTIL=20270103', '2027-01-01'), 'UTC', 5)).toEqual(['2027-01-02', '2027-01-03']);
    });

    it('COUNT with from: completion counts occurrences, not dates', () => {
      const recurrence = series('FREQ=DAILY;COUNT=2', '2027-01-01', 'completion');
      const second = nextOccurrence(recurrence, { dueDate: '2027-01-01', completedOn: '2027-01-05' }, '2027-01-05', 'UTC');
      expect(second).toEqual({ dueDate: '2027-01-06', n: 2 });
      expect(nextOccurrence({ ...recurrence, n: 2 }, { dueDate: '2027-01-06', completedOn: '2027-01-06' }, '2027-01-06', 'UTC')).toBeUndefined();
    });
  });

  describe('from: due', () => {
    it('a task completed three days late leaves no overdue copies behind', () => {
      const next = nextOccurrence(series('FREQ=DAILY', '2027-01-01'), { dueDate: '2027-01-01', completedOn: '2027-01-04' }, '2027-01-04', 'UTC');
      expect(next?.dueDate).toBe('2027-01-04');
    });

    it('keeps the rhythm of the series: every 2 weeks from the first due date', () => {
      const next = nextOccurrence(series('FREQ=WEEKLY;INTERVAL=2', '2027-01-01'), { dueDate: '2027-01-01', completedOn: '2027-01-10' }, '2027-01-10', 'UTC');
      expect(next?.dueDate).toBe('2027-01-15');
    });

    it('completed early, the next one is the next date of the rule after the due date', () => {
      const next = nextOccurrence(series('FREQ=WEEKLY;BYDAY=MO', '2027-01-04'), { dueDate: '2027-01-11', completedOn: '2027-01-08' }, '2027-01-08', 'UTC');
      expect(next?.dueDate).toBe('2027-01-18');
    });

    it('COUNT counts dates skipped while late', () => {
      const next = nextOccurrence(series('FREQ=DAILY;COUNT=3', '2027-01-01'), { dueDate: '2027-01-01', completedOn: '2027-01-05' }, '2027-01-05', 'UTC');
      expect(next).toBeUndefined();
    });
  });

  describe('from: completion', () => {
    it('FREQ=DAILY;INTERVAL=3 is three days after completing', () => {
      const next = nextOccurrence(series('FREQ=DAILY;INTERVAL=3', '2027-01-01', 'completion'), { dueDate: '2027-01-01', completedOn: '2027-01-10' }, '2027-01-10', 'UTC');
      expect(next).toEqual({ dueDate: '2027-01-13', n: 2 });
    });

    it('every Monday from completion: the Monday after the completion day', () => {
      const next = nextOccurrence(series('FREQ=WEEKLY;BYDAY=MO', '2027-01-04', 'completion'), { dueDate: '2027-01-04', completedOn: '2027-01-06' }, '2027-01-06', 'UTC');
      expect(next?.dueDate).toBe('2027-01-11');
    });

    it('monthly on the 31st from a completion in February', () => {
      const next = nextOccurrence(series('FREQ=MONTHLY;BYMONTHDAY=31', '2027-01-31', 'completion'), { dueDate: '2027-01-31', completedOn: '2027-02-03' }, '2027-02-03', 'UTC');
      expect(next?.dueDate).toBe('2027-03-31');
    });
  });

  it('a rule without a further date ends the series, and is refused up front', () => {
    expect(nextOccurrence(series('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', '2027-01-01'), { dueDate: '2027-01-01', completedOn: '2027-01-01' }, '2027-01-01', 'UTC')).toBeUndefined();
    expect(() => assertRepeats('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', '2027-01-01', 'UTC')).toThrow(RecurrenceRuleError);
    expect(() => assertRepeats('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', '2027-01-01', 'UTC')).not.toThrow();
  });
});
