import type { ExistingProject } from './data-transfer.repository.js';
import { type ImportContext, type ImportInput, orderByParents, planImport } from './import-plan.js';
import type { ImportProject, ImportTask } from './import-records.js';

const INBOX: ExistingProject = { id: 'inbox', name: 'Inbox', name_key: 'inbox', parent_id: null, is_inbox: true, position: 0, last_task_position: 0 };

function context(overrides: Partial<ImportContext> = {}): ImportContext {
  let n = 0;
  return {
    projects: [INBOX],
    targetProjectId: 'inbox',
    viewNameKeys: new Set(),
    lastViewPosition: 0,
    projectCount: 1,
    viewCount: 0,
    limits: { projects: 1000, views: 200 },
    timeZone: 'UTC',
    newId: () => `new-${++n}`,
    ...overrides,
  };
}

const task = (source: string, fields: Partial<ImportTask> = {}): ImportTask => ({
  source,
  title: `Task ${source}`,
  description: null,
  status: 'todo',
  priority: null,
  tags: [],
  due_date: null,
  ...fields,
});

const project = (sourceId: string, fields: Partial<ImportProject> = {}): ImportProject => ({
  source: `$.projects[${sourceId}]`,
  sourceId,
  name: sourceId,
  color: null,
  isInbox: false,
  ...fields,
});

const input = (fields: Partial<ImportInput>): ImportInput => ({ projects: [], views: [], tasks: [], lenientRecurrence: false, ...fields });

describe('planImport', () => {
  it("maps the file's Inbox to the account's, gives every other record a new id and keeps the nesting", () => {
    const plan = planImport(
      input({
        projects: [project('old-inbox', { name: 'Inbox', isInbox: true }), project('work', { position: 7, color: '#123456' }), project('reports', { parentRef: 'work' })],
        tasks: [task('$.tasks[0]', { sourceId: 'a', projectRef: 'reports' }), task('$.tasks[1]', { sourceId: 'b', projectRef: 'old-inbox' })],
      }),
      context(),
    );
    expect(plan.errors).toEqual([]);
    expect(plan.projects.map((p) => [p.name, p.parent_id, p.position, p.color])).toEqual([
      ['work', null, 7, '#123456'],
      ['reports', plan.projects[0].id, 1024, null],
    ]);
    expect(plan.uploadOrder.map((row) => row.project_id)).toEqual([plan.projects[1].id, 'inbox']);
    expect(plan.projectPathOf.get(plan.projects[1].id)).toEqual(['work', 'reports']);
  });

  it('names a project or view apart from one the account has, with a warning', () => {
    const plan = planImport(
      input({
        projects: [project('home', { name: 'Home' })],
        views: [{ source: '$.views[0]', name: 'Today', query: {} }],
      }),
      context({
        projects: [INBOX, { id: 'p', name: 'home', name_key: 'home', parent_id: null, is_inbox: false, position: 1024, last_task_position: 0 }],
        viewNameKeys: new Set(['today']),
      }),
    );
    expect(plan.projects.map((p) => p.name)).toEqual(['Home (2)']);
    expect(plan.projects[0].position).toBe(2048);
    expect(plan.views.map((v) => v.name)).toEqual(['Today (2)']);
    expect(plan.warnings.map((w) => w.field)).toEqual(['$.projects[home].name', '$.views[0].name']);
  });

  it('puts parents and next occurrences before the rows that name them, and announces in upload order', () => {
    const plan = planImport(
      input({
        tasks: [
          task('$.tasks[0]', { sourceId: 'child', parentRef: 'parent' }),
          task('$.tasks[1]', { sourceId: 'done', status: 'done', nextOccurrenceRef: 'next', seriesRef: 's' }),
          task('$.tasks[2]', { sourceId: 'parent' }),
          task('$.tasks[3]', { sourceId: 'next', seriesRef: 's' }),
          task('$.tasks[4]', { sourceId: 'trashed', deleted_at: '2027-01-01T00:00:00.000Z' }),
        ],
      }),
      context(),
    );
    const titles = plan.tasks.map((row) => row.title);
    expect(titles.indexOf('Task $.tasks[2]')).toBeLessThan(titles.indexOf('Task $.tasks[0]'));
    expect(titles.indexOf('Task $.tasks[3]')).toBeLessThan(titles.indexOf('Task $.tasks[1]'));
    expect(plan.uploadOrder[1].series_id).toBe(plan.uploadOrder[3].series_id);
    expect(plan.uploadOrder[1].next_occurrence_id).toBe(plan.uploadOrder[3].id);
    expect(plan.announced).toEqual(plan.uploadOrder.slice(0, 4).map((row) => row.id));
  });

  it('refuses parents in a circle, and hangs a subtask deeper than four levels under its deepest allowed ancestor', () => {
    const circle = planImport(input({ tasks: [task('$.tasks[0]', { sourceId: 'a', parentRef: 'b' }), task('$.tasks[1]', { sourceId: 'b', parentRef: 'a' })] }), context());
    expect(circle.errors.map((e) => e.field)).toEqual(['$.tasks[0].parent_id', '$.tasks[1].parent_id']);
    const rows = ['1', '2', '3', '4', '5'].map((id, i) => task(`line ${i + 2}`, { sourceId: id, ...(i > 0 && { parentRef: String(i) }) }));
    const deep = planImport(input({ tasks: rows }), context());
    expect(deep.errors).toEqual([]);
    expect(deep.uploadOrder[4].parent_id).toBe(deep.uploadOrder[2].id);
    expect(deep.warnings).toEqual([{ field: 'line 6', message: 'subtasks go 4 levels deep at most: placed under the task at line 4' }]);
  });

  it('gives a subtask its parent\'s project and finds or creates CSV project paths', () => {
    const plan = planImport(
      input({
        tasks: [
          task('line 2', { sourceId: 'p', projectPath: ['Work', 'Reports'] }),
          task('line 3', { sourceId: 'c', parentRef: 'p', projectPath: ['Home'] }),
          task('line 4', { projectPath: ['work', 'reports'] }),
          task('line 5', { projectPath: ['Inbox'] }),
        ],
      }),
      context(),
    );
    expect(plan.projects.map((p) => p.name)).toEqual(['Work', 'Reports']);
    const reports = plan.projects[1].id;
    expect(plan.uploadOrder.map((row) => row.project_id)).toEqual([reports, reports, reports, 'inbox']);
  });

  it('refuses a recurrence without a due date, but keeps a Todoist one it cannot store in the description', () => {
    const recurring = task('line 2', { recurrence: { rrule: 'FREQ=DAILY', from: 'due' } });
    expect(planImport(input({ tasks: [recurring] }), context()).errors).toEqual([{ field: 'line 2, recurrence', message: 'a recurring task needs a due_date' }]);
    const lenient = planImport(input({ tasks: [recurring], lenientRecurrence: true }), context());
    expect(lenient.errors).toEqual([]);
    expect(lenient.uploadOrder[0]).toMatchObject({ recurrence: null, description: 'Repeats: FREQ=DAILY' });
    const stored = planImport(input({ tasks: [{ ...recurring, due_date: '2027-01-04' }] }), context());
    expect(stored.uploadOrder[0].recurrence).toEqual({ rrule: 'FREQ=DAILY', from: 'due', start: '2027-01-04', n: 1 });
    expect(stored.uploadOrder[0].series_id).not.toBeNull();
  });

  it("maps a view's project and parent filters to the new ids, leaving out what the file does not hold", () => {
    const plan = planImport(
      input({
        projects: [project('work')],
        tasks: [task('$.tasks[0]', { sourceId: 't' })],
        views: [
          { source: '$.views[0]', name: 'Work', query: { project_id: ['work', 'elsewhere'], parent_id: 't' } },
          { source: '$.views[1]', name: 'Loose', query: { parent_id: 'gone' } },
        ],
      }),
      context(),
    );
    expect(plan.views.map((v) => v.query)).toEqual([{ project_id: [plan.projects[0].id], parent_id: plan.uploadOrder[0].id }, {}]);
    expect(plan.warnings.map((w) => w.field)).toEqual(['$.views[0].query.project_id', '$.views[1].query.parent_id']);
  });

  it('refuses more projects than an account may hold', () => {
    const plan = planImport(input({ projects: [project('a'), project('b')] }), context({ projectCount: 999 }));
    expect(plan.errors).toEqual([{ field: '$.projects', message: 'an account holds at most 1000 projects: this import would make 1001' }]);
  });
});

describe('orderByParents', () => {
  it('keeps the given order where nothing depends, and sets cycles apart', () => {
    const items = ['c:b', 'a', 'b:a', 'x:y', 'y:x'];
    const { sorted, cyclic } = orderByParents(
      items,
      (item) => item.split(':')[0],
      (item) => (item.includes(':') ? [item.split(':')[1]] : []),
    );
    expect(sorted).toEqual(['a', 'b:a', 'c:b']);
    expect(cyclic).toEqual(['x:y', 'y:x']);
  });
});
