import { makeTask } from '../../../testing/factories';
import { zonedNow } from '../../quick-add/calendar';
import { belongsToday, groupProject, groupToday, groupUpcoming, isOverdue } from './task-groups';

const ids = (groups: { id: string; items: { task: { id: string } }[] }[]) =>
  groups.map((g) => [g.id, g.items.map((i) => i.task.id)]);

describe('day grouping', () => {
  const tasks = [
    makeTask({ id: 'late', due_date: '2027-03-09' }),
    makeTask({ id: 'now-9', due_date: '2027-03-10', due_time: '09:00' }),
    makeTask({ id: 'now', due_date: '2027-03-10', priority: 'high' }),
    makeTask({ id: 'now-8', due_date: '2027-03-10', due_time: '08:00' }),
    makeTask({ id: 'tomorrow', due_date: '2027-03-11' }),
    makeTask({ id: 'in-14', due_date: '2027-03-24' }),
    makeTask({ id: 'in-15', due_date: '2027-03-25' }),
    makeTask({ id: 'done-late', due_date: '2027-03-01', status: 'done' }),
    makeTask({ id: 'undated' }),
  ];

  it('Today: overdue first, then today, timed tasks by time, then by priority', () => {
    expect(ids(groupToday(tasks, '2027-03-10'))).toEqual([
      ['overdue', ['late']],
      ['today', ['now-8', 'now-9', 'now']],
    ]);
  });

  it('Upcoming: a group per day for 14 days, then Later; nothing done, dated before or undated', () => {
    const groups = groupUpcoming(tasks, '2027-03-10', 'en-US');
    expect(ids(groups)).toEqual([
      ['2027-03-11', ['tomorrow']],
      ['2027-03-24', ['in-14']],
      ['later', ['in-15']],
    ]);
    expect(groups[0].label).toBe('Tomorrow · Mar 11');
    expect(groups[1].label).toBe('Mar 24');
  });

  it('moves tasks across midnight in the user’s zone, not the browser’s', () => {
    // 23:30 on March 10 in Auckland is 10:30 UTC the same day; 30 minutes later it is the 11th.
    const before = zonedNow(new Date('2027-03-10T10:30:00Z'), 'Pacific/Auckland').date;
    const after = zonedNow(new Date('2027-03-10T11:00:00Z'), 'Pacific/Auckland').date;
    expect([before, after]).toEqual(['2027-03-10', '2027-03-11']);
    // The same instants in New York are still the 10th: "today" belongs to the user's zone.
    expect(zonedNow(new Date('2027-03-10T11:00:00Z'), 'America/New_York').date).toBe('2027-03-10');

    expect(ids(groupToday(tasks, before))).toEqual([
      ['overdue', ['late']],
      ['today', ['now-8', 'now-9', 'now']],
    ]);
    expect(ids(groupToday(tasks, after))).toEqual([
      ['overdue', ['late', 'now-8', 'now-9', 'now']],
      ['today', ['tomorrow']],
    ]);
    expect(ids(groupUpcoming(tasks, after))[0]).toEqual(['2027-03-24', ['in-14']]);
    expect(isOverdue(tasks[1], before)).toBe(false);
    expect(isOverdue(tasks[1], after)).toBe(true);
    expect(belongsToday(tasks[4], before)).toBe(false);
    expect(belongsToday(tasks[4], after)).toBe(true);
  });

  it('a project: manual order, open subtasks nested, sub-project sections, completed last and collapsed', () => {
    const project = { id: 'p', name: 'Home' };
    const sub = { id: 'q', name: 'Garden' };
    const list = [
      makeTask({ id: 'b', project_id: 'p', position: 2048 }),
      makeTask({ id: 'a', project_id: 'p', position: 1024 }),
      makeTask({ id: 'a2', project_id: 'p', parent_id: 'a', position: 2048 }),
      makeTask({ id: 'a1', project_id: 'p', parent_id: 'a', position: 1024 }),
      makeTask({ id: 'a1x', project_id: 'p', parent_id: 'a1', position: 1024 }),
      makeTask({ id: 'g', project_id: 'q', position: 1024 }),
      makeTask({ id: 'old', project_id: 'p', status: 'done', updated_at: '2026-01-01T00:00:00Z' }),
      makeTask({ id: 'new', project_id: 'q', status: 'done', updated_at: '2026-02-01T00:00:00Z' }),
    ];
    const groups = groupProject(list, project, [{ project: sub, depth: 1 }]);
    expect(ids(groups)).toEqual([
      ['p', ['a', 'a1', 'a1x', 'a2', 'b']],
      ['q', ['g']],
      ['completed', ['new', 'old']],
    ]);
    expect(groups[0].items.map((i) => i.depth)).toEqual([0, 1, 2, 1, 0]);
    expect(groups[2].collapsed).toBe(true);
  });
});
