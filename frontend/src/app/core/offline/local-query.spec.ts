import { makeTask } from '../../../testing/factories';
import { Project, Task } from '../api-models';
import { TaskListParams } from '../tasks-api';
import { compareCodePoints, queryTasks, simpleLowerCase } from './local-query';

function project(id: string, parent_id: string | null = null): Project {
  return {
    id,
    name: id,
    color: null,
    parent_id,
    position: 1024,
    is_inbox: id === 'inbox',
    open_task_count: 0,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    version: 1,
  };
}

// inbox; work > work-a > work-a-1 > work-a-1-x; home
const projects = [
  project('inbox'),
  project('work'),
  project('work-a', 'work'),
  project('work-a-1', 'work-a'),
  project('work-a-1-x', 'work-a-1'),
  project('home'),
];
const ctx = { projects };

const t = (id: string, overrides: Partial<Task> = {}) => makeTask({ id, title: id, project_id: 'inbox', ...overrides });

function ids(tasks: readonly Task[], params: TaskListParams): string[] {
  return queryTasks(tasks, params, ctx).tasks.map((task) => task.id);
}

describe('queryTasks: filters', () => {
  const tasks: Task[] = [
    t('a', { status: 'todo', priority: 'high', tags: ['work', 'urgent'], due_date: '2026-03-01', project_id: 'work' }),
    t('b', { status: 'in-progress', priority: 'low', tags: ['work'], due_date: '2026-03-02', project_id: 'work-a' }),
    t('c', { status: 'done', priority: null, tags: [], due_date: null, project_id: 'work-a-1', parent_id: 'a' }),
    t('d', { status: 'todo', priority: 'medium', tags: ['Work'], due_date: '2026-02-28', project_id: 'work-a-1-x' }),
    t('e', { status: 'todo', priority: null, tags: ['café'], due_date: '2026-03-03', project_id: 'home', parent_id: 'b' }),
  ];
  // Sorted by id so that only the filter is under test.
  const cases: [string, TaskListParams, string[]][] = [
    ['nothing filters nothing', {}, ['a', 'b', 'c', 'd', 'e']],
    ['one status', { status: ['todo'] }, ['a', 'd', 'e']],
    ['statuses: any of them', { status: ['in-progress', 'done'] }, ['b', 'c']],
    ['an empty list filters nothing (the client does not send it)', { status: [], priority: [], tags: [], project_id: [] }, ['a', 'b', 'c', 'd', 'e']],
    ['priorities: any of them, never a task without one', { priority: ['high', 'low'] }, ['a', 'b']],
    ['tags: every one given', { tags: ['work', 'urgent'] }, ['a']],
    ['tags: spelled as stored (no case folding)', { tags: ['work'] }, ['a', 'b']],
    ['tags: the filter is NFC, as the API normalizes it', { tags: ['cafe\u0301'] }, ['e']],
    ['tags: a repeated tag changes nothing', { tags: ['work', 'work'] }, ['a', 'b']],
    ['project_id: any of them, not their sub-projects', { project_id: ['work', 'home'] }, ['a', 'e']],
    ['project_id: ids compare case-insensitively (uuid)', { project_id: ['WORK-A'] }, ['b']],
    ['include_subprojects: every level below', { project_id: ['work'], include_subprojects: true }, ['a', 'b', 'c', 'd']],
    ['include_subprojects from a middle level', { project_id: ['work-a-1'], include_subprojects: true }, ['c', 'd']],
    ['include_subprojects without project_id does nothing', { include_subprojects: true }, ['a', 'b', 'c', 'd', 'e']],
    ['include_subprojects: false', { project_id: ['work'], include_subprojects: false }, ['a']],
    ['parent_id none: top-level tasks only', { parent_id: 'none' }, ['a', 'b', 'd']],
    ['parent_id: the subtasks of one task', { parent_id: 'a' }, ['c']],
    ['due_before is inclusive and leaves out undated tasks', { due_before: '2026-03-01' }, ['a', 'd']],
    ['due_after is inclusive and leaves out undated tasks', { due_after: '2026-03-02' }, ['b', 'e']],
    ['due_after and due_before together: a closed range', { due_after: '2026-03-01', due_before: '2026-03-02' }, ['a', 'b']],
    ['an empty range', { due_after: '2026-03-02', due_before: '2026-03-01' }, []],
    ['filters combine with AND', { status: ['todo'], tags: ['work'], due_after: '2026-01-01' }, ['a']],
  ];
  it.each(cases)('%s', (_name, params, expected) => {
    expect(ids(tasks, { ...params, sort: 'created_at' })).toEqual(expected);
  });

  it('a project the context does not know still matches its own tasks', () => {
    const loose = [t('x', { project_id: 'new-project' })];
    expect(ids(loose, { project_id: ['new-project'], include_subprojects: true })).toEqual(['x']);
  });

  it('follows sub-projects five levels down, as the API does, and survives a cycle', () => {
    const chain = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((id, i, all) => project(id, i === 0 ? 'p6' : all[i - 1]));
    const tasks = chain.map((p) => t(`in-${p.id}`, { project_id: p.id }));
    const found = queryTasks(tasks, { project_id: ['p1'], include_subprojects: true, sort: 'created_at' }, { projects: chain });
    expect(found.tasks.map((task) => task.id)).toEqual(['in-p1', 'in-p2', 'in-p3', 'in-p4', 'in-p5']);
  });
});

describe('queryTasks: search (q)', () => {
  const tasks: Task[] = [
    t('a', { title: 'Buy MILK', description: null }),
    t('b', { title: 'Call mum', description: 'about the milkman' }),
    t('c', { title: '100% done_ish', description: null }),
    t('d', { title: 'ÉCOLE', description: null }),
    t('e', { title: 'İstanbul trip', description: 'ΟΔΟΣ' }),
    t('f', { title: 'a\\b', description: null }),
  ];
  const cases: [string, string, string[]][] = [
    ['case-insensitive, title or description', 'milk', ['a', 'b']],
    ['trimmed, as the client sends it', '  milk  ', ['a', 'b']],
    ['blank is no search', '   ', ['a', 'b', 'c', 'd', 'e', 'f']],
    ['% is literal', '100%', ['c']],
    ['_ is literal', 'e_i', ['c']],
    ['% alone matches only a %', '%', ['c']],
    ['a backslash is literal', 'a\\b', ['f']],
    ['non-ASCII letters fold', 'école', ['d']],
    ['İ folds to i (simple mapping)', 'istanbul', ['e']],
    ['a final capital sigma folds to σ, not ς', 'οδοσ', ['e']],
  ];
  it.each(cases)('%s', (_name, q, expected) => {
    expect(ids(tasks, { q, sort: 'created_at' })).toEqual(expected);
  });
});

describe('queryTasks: sorting', () => {
  const tasks: Task[] = [
    t('id-1', { created_at: '2026-01-02T00:00:00.000Z', updated_at: '2026-01-05T00:00:00.000Z', due_date: '2026-02-01', priority: 'low', title: 'banana', position: 2048 }),
    t('id-2', { created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-04T00:00:00.000Z', due_date: null, priority: null, title: 'Apple', position: 1024 }),
    t('id-3', { created_at: '2026-01-02T00:00:00.000Z', updated_at: '2026-01-03T00:00:00.000Z', due_date: '2026-02-01', priority: 'high', title: 'apple', position: 1024 }),
    t('id-4', { created_at: '2026-01-03T00:00:00.000Z', updated_at: '2026-01-06T00:00:00.000Z', due_date: '2026-01-15', priority: 'medium', title: 'Cherry', position: 512.5 }),
    t('id-5', { created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-06T00:00:00.000Z', due_date: null, priority: 'high', title: 'apple', position: 4096 }),
  ];
  const cases: [TaskListParams['sort'], string[]][] = [
    [undefined, ['id-4', 'id-3', 'id-1', 'id-5', 'id-2']],
    ['-created_at', ['id-4', 'id-3', 'id-1', 'id-5', 'id-2']],
    ['created_at', ['id-2', 'id-5', 'id-1', 'id-3', 'id-4']],
    ['updated_at', ['id-3', 'id-2', 'id-1', 'id-4', 'id-5']],
    ['-updated_at', ['id-5', 'id-4', 'id-1', 'id-2', 'id-3']],
    ['due_date', ['id-4', 'id-1', 'id-3', 'id-2', 'id-5']],
    ['-due_date', ['id-3', 'id-1', 'id-4', 'id-5', 'id-2']],
    ['priority', ['id-1', 'id-4', 'id-3', 'id-5', 'id-2']],
    ['-priority', ['id-5', 'id-3', 'id-4', 'id-1', 'id-2']],
    ['title', ['id-2', 'id-3', 'id-5', 'id-1', 'id-4']],
    ['-title', ['id-4', 'id-1', 'id-5', 'id-3', 'id-2']],
    ['position', ['id-4', 'id-2', 'id-3', 'id-1', 'id-5']],
    ['-position', ['id-5', 'id-1', 'id-3', 'id-2', 'id-4']],
  ];
  it.each(cases)('sort %s', (sort, expected) => {
    expect(ids(tasks, { sort })).toEqual(expected);
  });

  it('titles: lower-cased first, then as written, by code point (collation "C"), not by locale', () => {
    const titles = ['b', 'B', 'a', 'É', 'e', 'z', 'Z', '😀', '\uffe0', '_x', '10', '9'];
    const tasks = titles.map((title, i) => t(`id-${String(i).padStart(2, '0')}`, { title }));
    const sorted = queryTasks(tasks, { sort: 'title' }, ctx).tasks.map((task) => task.title);
    // "9" < "_" < letters; "B" before "b" (same lower case, then "B" < "b"); é after z; U+FFE0 before U+1F600.
    expect(sorted).toEqual(['10', '9', '_x', 'a', 'B', 'b', 'e', 'Z', 'z', 'É', '\uffe0', '😀']);
  });
});

describe('queryTasks: paging and the trash', () => {
  const many = Array.from({ length: 130 }, (_, i) =>
    t(`id-${String(i).padStart(3, '0')}`, { created_at: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z` }),
  );

  it('pages of 50 by default; the total counts every match', () => {
    const page = queryTasks(many, {}, ctx);
    expect(page.tasks).toHaveLength(50);
    expect(page.total).toBe(130);
  });

  it('limit and offset pick the page; past the end is empty with the total', () => {
    const all = queryTasks(many, { sort: 'position', limit: 100 }, ctx).tasks.concat(
      queryTasks(many, { sort: 'position', limit: 100, offset: 100 }, ctx).tasks,
    );
    expect(all.map((task) => task.id)).toEqual(many.map((task) => task.id));
    expect(queryTasks(many, { limit: 10, offset: 200 }, ctx)).toEqual({ tasks: [], total: 130 });
  });

  it.each([0, 101, 1.5, -1])('refuses limit %s, as the API does', (limit) => {
    expect(() => queryTasks(many, { limit }, ctx)).toThrow(RangeError);
  });

  it('refuses a negative offset and an unknown sort', () => {
    expect(() => queryTasks(many, { offset: -1 }, ctx)).toThrow(RangeError);
    expect(() => queryTasks(many, { sort: 'colour' as TaskListParams['sort'] }, ctx)).toThrow(RangeError);
  });

  it('never includes a trashed task, and does not count it', () => {
    const trashed = { ...t('gone'), deleted_at: '2026-01-02T00:00:00.000Z' };
    const page = queryTasks([t('kept'), trashed], {}, ctx);
    expect(page).toEqual({ tasks: [t('kept')], total: 1 });
  });
});

describe('queryTasks: subtask counts', () => {
  const parent = t('p', { subtask_count: 5, subtask_done_count: 5 });
  const tasks = [
    parent,
    t('c1', { parent_id: 'p', status: 'done' }),
    t('c2', { parent_id: 'p' }),
    t('g1', { parent_id: 'c1' }),
    { ...t('c3', { parent_id: 'p', status: 'done' }), deleted_at: '2026-01-02T00:00:00.000Z' },
  ];

  it('counts live direct subtasks and the done ones, as the API does', () => {
    const [found] = queryTasks(tasks, { parent_id: 'none' }, ctx).tasks;
    expect(found).toMatchObject({ id: 'p', subtask_count: 2, subtask_done_count: 1 });
    expect(parent.subtask_count).toBe(5);
  });

  it('returns the same object when its counts are right', () => {
    const right = t('q', { subtask_count: 1, subtask_done_count: 0 });
    const [found] = queryTasks([right, t('child', { parent_id: 'q' })], { parent_id: 'none' }, ctx).tasks;
    expect(found).toBe(right);
  });

  it('keeps the stored counts for a partial copy', () => {
    const [found] = queryTasks(tasks, { parent_id: 'none' }, { ...ctx, recountSubtasks: false }).tasks;
    expect(found).toBe(parent);
  });
});

describe('text helpers', () => {
  it('compareCodePoints orders by code point, not by UTF-16 unit', () => {
    expect('\uffe0' < '😀').toBe(false);
    expect(compareCodePoints('\uffe0', '😀')).toBeLessThan(0);
    expect(compareCodePoints('a', 'ab')).toBeLessThan(0);
    expect(compareCodePoints('Z', 'a')).toBeLessThan(0);
    expect(compareCodePoints('same', 'same')).toBe(0);
  });

  it('simpleLowerCase maps one character to one', () => {
    expect(simpleLowerCase('İSTANBUL')).toBe('istanbul');
    expect(simpleLowerCase('ΟΔΟΣ')).toBe('οδοσ');
    expect(simpleLowerCase('Straße')).toBe('straße');
    expect(simpleLowerCase('ABC')).toBe('abc');
  });
});
