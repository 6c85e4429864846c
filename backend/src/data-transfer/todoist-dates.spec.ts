import { parseTodoistDate } from './todoist-dates.js';

// A Wednesday.
const TODAY = '2027-01-13';

describe('parseTodoistDate', () => {
  it.each([
    ['every day', 'FREQ=DAILY', TODAY],
    ['daily', 'FREQ=DAILY', TODAY],
    ['every 3 days', 'FREQ=DAILY;INTERVAL=3', TODAY],
    ['every other day', 'FREQ=DAILY;INTERVAL=2', TODAY],
    ['every week', 'FREQ=WEEKLY', TODAY],
    ['every other week', 'FREQ=WEEKLY;INTERVAL=2', TODAY],
    ['every monday', 'FREQ=WEEKLY;BYDAY=MO', '2027-01-18'],
    ['every Mon, Fri', 'FREQ=WEEKLY;BYDAY=MO,FR', '2027-01-15'],
    ['every wednesday and sunday', 'FREQ=WEEKLY;BYDAY=WE,SU', TODAY],
    ['every weekday', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', TODAY],
    ['every weekend', 'FREQ=WEEKLY;BYDAY=SA,SU', '2027-01-16'],
    ['every month', 'FREQ=MONTHLY', TODAY],
    ['every 15th', 'FREQ=MONTHLY;BYMONTHDAY=15', '2027-01-15'],
    ['every month on the 1st', 'FREQ=MONTHLY;BYMONTHDAY=1', '2027-02-01'],
    ['every last day', 'FREQ=MONTHLY;BYMONTHDAY=-1', '2027-01-31'],
    ['every 31st', 'FREQ=MONTHLY;BYMONTHDAY=31', '2027-01-31'],
    ['every year', 'FREQ=YEARLY', TODAY],
    ['every 2 years', 'FREQ=YEARLY;INTERVAL=2', TODAY],
  ])('reads %p as %s, first due %s', (text, rrule, dueDate) => {
    expect(parseTodoistDate(text, TODAY)).toEqual({ kind: 'recurring', rrule, from: 'due', dueDate });
  });

  it('reads every! as counted from completion, and keeps a time of day', () => {
    expect(parseTodoistDate('every! 3 days', TODAY)).toEqual({ kind: 'recurring', rrule: 'FREQ=DAILY;INTERVAL=3', from: 'completion', dueDate: TODAY });
    expect(parseTodoistDate('every monday at 9am', TODAY)).toEqual({
      kind: 'recurring',
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
      from: 'due',
      dueDate: '2027-01-18',
      time: '09:00',
    });
  });

  it.each([
    ['2027-03-05', '2027-03-05'],
    ['today', TODAY],
    ['tomorrow', '2027-01-14'],
    ['Jan 20', '2027-01-20'],
    ['Jan 2', '2028-01-02'],
    ['5 Mar 2028', '2028-03-05'],
    ['March 5th, 2028', '2028-03-05'],
  ])('reads the date %p as %s', (text, dueDate) => {
    expect(parseTodoistDate(text, TODAY)).toEqual({ kind: 'date', dueDate });
  });

  it('keeps the time of a dated task', () => {
    expect(parseTodoistDate('2027-03-05 18:30', TODAY)).toEqual({ kind: 'date', dueDate: '2027-03-05', time: '18:30' });
  });

  it.each(['every 2nd monday of the month', 'next week', 'in 3 days', '2027-02-30', 'every', 'every full moon', 'ogni lunedì'])(
    'leaves %p unparsed',
    (text) => {
      expect(parseTodoistDate(text, TODAY)).toEqual({ kind: 'unparsed', text });
    },
  );

  it('reads an empty DATE as no date', () => {
    expect(parseTodoistDate('', TODAY)).toEqual({ kind: 'none' });
    expect(parseTodoistDate(undefined, TODAY)).toEqual({ kind: 'none' });
  });
});
