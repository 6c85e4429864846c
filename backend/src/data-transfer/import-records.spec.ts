import { escapeCell, readTagsCell, tagsCell, unescapeCell, validateTask } from './import-records.js';

describe('CSV cells', () => {
  it.each(['=SUM(A1)', '+1', '-5', '@cmd', '\tx', "'=already", "''=twice", 'plain', "'quoted", '', 'a=b'])(
    'round-trips %p through the formula escape',
    (value) => {
      expect(unescapeCell(escapeCell(value))).toBe(value);
    },
  );

  it('escapes what a spreadsheet would run', () => {
    expect(escapeCell('=HYPERLINK("http://evil")')).toBe('\'=HYPERLINK("http://evil")');
    expect(escapeCell('-5')).toBe("'-5");
    expect(escapeCell('safe')).toBe('safe');
  });

  it.each([
    [[], ''],
    [['work', 'q3'], 'work, q3'],
    [['a,b', 'c'], '["a,b","c"]'],
    [['[draft]'], '["[draft]"]'],
  ])('writes tags %j as %p and reads them back', (tags, cell) => {
    expect(tagsCell(tags)).toBe(cell);
    expect(readTagsCell(cell)).toEqual(tags);
  });

  it('reads a hand-written tag list', () => {
    expect(readTagsCell(' work ,  home,, ')).toEqual(['work', 'home']);
    expect(readTagsCell('[not json')).toEqual(['[not json']);
  });
});

describe('validateTask', () => {
  const at = (field: string) => `$.tasks[0].${field}`;
  it('accepts what a create accepts, with the export fields', () => {
    const { task, errors } = validateTask(
      { id: 'x1', title: '  Water plants ', status: 'done', tags: ['home'], due_date: '2027-02-01', created_at: '2026-01-01T10:00:00.000Z' },
      at,
      '$.tasks[0]',
    );
    expect(errors).toEqual([]);
    expect(task).toMatchObject({ sourceId: 'x1', title: 'Water plants', status: 'done', priority: null, tags: ['home'], due_date: '2027-02-01' });
  });

  it('names each bad field by its place', () => {
    const { errors } = validateTask({ title: 'ab', status: 'later', due_date: '2027-02-30', color: 'red' }, at, '$.tasks[0]');
    expect(errors.map((e) => e.field).sort()).toEqual(['$.tasks[0].color', '$.tasks[0].due_date', '$.tasks[0].status', '$.tasks[0].title']);
  });
});
