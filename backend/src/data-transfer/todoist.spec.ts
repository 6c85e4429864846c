import { readTodoist, type TodoistRow } from './todoist.js';

const TODAY = '2027-01-13';
let line = 1;
const row = (fields: Record<string, string>): TodoistRow => ({ line: ++line, fields });
const task = (content: string, extra: Record<string, string> = {}) => row({ TYPE: 'task', CONTENT: content, PRIORITY: '4', INDENT: '1', ...extra });

describe('readTodoist', () => {
  beforeEach(() => {
    line = 1;
  });

  it('maps PRIORITY 1-4 to high, medium, low and none (1 is p1, the highest)', () => {
    const { tasks } = readTodoist(
      [task('First one', { PRIORITY: '1' }), task('Second one', { PRIORITY: '2' }), task('Third one', { PRIORITY: '3' }), task('Fourth one', { PRIORITY: '4' }), task('Fifth one', { PRIORITY: '' })],
      TODAY,
    );
    expect(tasks.map((t) => t.priority)).toEqual(['high', 'medium', 'low', null, null]);
  });

  it('makes INDENT into subtasks of the nearest task above with one less', () => {
    const { tasks } = readTodoist(
      [task('Plan the trip'), task('Book flights', { INDENT: '2' }), task('Compare prices', { INDENT: '3' }), task('Book hotel', { INDENT: '2' }), task('Pack bags')],
      TODAY,
    );
    expect(tasks.map((t) => [t.title, t.parentSource ?? null])).toEqual([
      ['Plan the trip', null],
      ['Book flights', 'line 2'],
      ['Compare prices', 'line 3'],
      ['Book hotel', 'line 2'],
      ['Pack bags', null],
    ]);
  });

  it('turns labels into tags, sections into a tag, notes into the description', () => {
    const { tasks } = readTodoist(
      [row({ TYPE: 'section', CONTENT: 'Errands' }), task('Buy milk @shopping @urgent', { DESCRIPTION: 'Oat' }), row({ TYPE: 'note', CONTENT: 'The big one' })],
      TODAY,
    );
    expect(tasks).toEqual([
      expect.objectContaining({ title: 'Buy milk', tags: ['shopping', 'urgent', 'Errands'], description: 'Oat\n\nComment: The big one' }),
    ]);
  });

  it('reads recurring dates as RRULEs and keeps what does not parse in the description, with a warning', () => {
    const { tasks, warnings } = readTodoist([task('Water plants', { DATE: 'every monday' }), task('Call mum', { DATE: 'every 2nd sunday of the month' })], TODAY);
    expect(tasks[0]).toMatchObject({ due_date: '2027-01-18', recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', from: 'due' } });
    expect(tasks[1]).toMatchObject({ due_date: null, description: 'Todoist date: every 2nd sunday of the month' });
    expect(tasks[1].recurrence).toBeUndefined();
    expect(warnings).toEqual([{ field: 'line 3, DATE', message: expect.stringContaining('kept in the description') }]);
  });

  it('names the line of a task the contract refuses', () => {
    const { errors } = readTodoist([task('Fine task'), task('No')], TODAY);
    expect(errors).toEqual([{ field: 'line 3, CONTENT', message: 'title must be between 3 and 255 characters' }]);
  });
});
