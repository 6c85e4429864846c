import { makeTask } from '../../../testing/factories';
import { calendarParams, onCalendar } from './calendar-query';

const range = { from: '2027-02-22', to: '2027-04-04' };

describe('calendarParams', () => {
  it('asks for the range and for the open tasks due before it, within the project', () => {
    expect(
      calendarParams({ project_id: ['p1'], include_subprojects: true, sort: 'position', limit: 20 }, range),
    ).toEqual([
      { project_id: ['p1'], include_subprojects: true, sort: 'due_date', due_after: '2027-02-22', due_before: '2027-04-04' },
      { project_id: ['p1'], include_subprojects: true, sort: 'due_date', status: ['todo', 'in-progress'], due_before: '2027-02-21' },
    ]);
  });

  it("keeps a view's own dates and statuses", () => {
    expect(calendarParams({ status: ['done'], due_after: '2027-03-01' }, range)).toEqual([
      { status: ['done'], sort: 'due_date', due_after: '2027-03-01', due_before: '2027-04-04' },
    ]);
    expect(calendarParams({ status: ['todo', 'done'], due_before: '2027-03-05' }, range)).toEqual([
      { status: ['todo', 'done'], sort: 'due_date', due_after: '2027-02-22', due_before: '2027-03-05' },
      { status: ['todo'], sort: 'due_date', due_before: '2027-02-21' },
    ]);
  });

  it('leaves out a query that can match nothing', () => {
    expect(calendarParams({ due_before: '2027-01-31' }, range)).toEqual([
      { sort: 'due_date', status: ['todo', 'in-progress'], due_before: '2027-01-31' },
    ]);
    expect(calendarParams({ due_after: '2027-05-01' }, range)).toEqual([]);
  });
});

describe('onCalendar', () => {
  it('shows tasks due in the range, and open repeating tasks due before it', () => {
    expect(onCalendar(makeTask({ due_date: '2027-03-10' }), range)).toBe(true);
    expect(onCalendar(makeTask({ due_date: '2027-03-10', status: 'done' }), range)).toBe(true);
    expect(onCalendar(makeTask({ due_date: null }), range)).toBe(false);
    expect(onCalendar(makeTask({ due_date: '2027-04-05' }), range)).toBe(false);
    expect(onCalendar(makeTask({ due_date: '2027-02-01' }), range)).toBe(false);
    const repeat = { rrule: 'FREQ=DAILY', from: 'due' as const };
    expect(onCalendar(makeTask({ due_date: '2027-02-01', recurrence: repeat }), range)).toBe(true);
    expect(onCalendar(makeTask({ due_date: '2027-02-01', recurrence: repeat, status: 'done' }), range)).toBe(false);
  });
});
