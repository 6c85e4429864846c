import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { dataOf, openStream } from '../support/sse-client';
import { createTask, createUser, expectError, startTestApp, type TestApp, type TestUser } from '../support/test-app';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/todoist/${name}`, import.meta.url)));

interface ExportedTask {
  id: string;
  title: string;
  description: string | null;
  status: string;
  priority: string | null;
  tags: string[];
  due_date: string | null;
  due_time: string | null;
  project_id: string;
  parent_id: string | null;
  position: number;
  recurrence: { rrule: string; from: string; start: string; n: number } | null;
  series_id: string | null;
  next_occurrence_id: string | null;
  deleted_at: string | null;
  deleted_with: string | null;
  created_at: string;
  updated_at: string;
}
interface ExportedProject {
  id: string;
  name: string;
  color: string | null;
  parent_id: string | null;
  position: number;
  is_inbox: boolean;
  created_at: string;
  updated_at: string;
}
interface ExportedView {
  id: string;
  name: string;
  query: Record<string, unknown>;
  position: number;
  created_at: string;
  updated_at: string;
}
interface Exported {
  schema_version: number;
  exported_at: string;
  account: { email: string; created_at: string };
  settings: { time_zone: string };
  projects: ExportedProject[];
  views: ExportedView[];
  tasks: ExportedTask[];
}

/** The fields a task of the API and of an export share. */
const SHARED_TASK_FIELDS = [
  'id', 'title', 'description', 'status', 'priority', 'tags', 'due_date', 'due_time', 'project_id', 'parent_id', 'position',
  'series_id', 'next_occurrence_id', 'created_at', 'updated_at',
] as const;
const shared = (task: object) => Object.fromEntries(SHARED_TASK_FIELDS.map((field) => [field, (task as Record<string, unknown>)[field]]));

/**
 * An export with every id replaced by what it stands for (a project by its
 * path of names, a task by its title, a series by its first task's title),
 * and without what an import gives anew (ids, the Inbox's own times, the
 * project times a count update moves, when it was exported and by whom):
 * two accounts with the same data give the same result.
 */
function comparable(doc: Exported) {
  const projects = new Map(doc.projects.map((p) => [p.id, p]));
  const pathOf = (id: string | null): string | null => {
    if (id === null) return null;
    const names: string[] = [];
    for (let p = projects.get(id); p; p = p.parent_id ? projects.get(p.parent_id) : undefined) names.unshift(p.name);
    return names.join(' / ');
  };
  const titleOf = new Map(doc.tasks.map((task) => [task.id, task.title]));
  const seriesName = new Map<string, string>();
  for (const task of doc.tasks) if (task.series_id && !seriesName.has(task.series_id)) seriesName.set(task.series_id, `series of ${task.title}`);
  const taskRef = (id: string | null | undefined) => (id ? (titleOf.get(id) ?? `unknown ${id}`) : null);
  return {
    schema_version: doc.schema_version,
    settings: doc.settings,
    projects: doc.projects.map(({ id, parent_id, created_at: _c, updated_at: _u, ...project }) => ({ ...project, path: pathOf(id), parent: pathOf(parent_id) })),
    views: doc.views.map(({ id: _id, query, ...view }) => ({
      ...view,
      query: {
        ...query,
        ...(Array.isArray(query.project_id) && { project_id: (query.project_id as string[]).map(pathOf) }),
        ...(typeof query.parent_id === 'string' && query.parent_id !== 'none' && { parent_id: taskRef(query.parent_id) }),
      },
    })),
    tasks: doc.tasks.map(({ id: _id, project_id, parent_id, series_id, next_occurrence_id, deleted_with, ...task }) => ({
      ...task,
      project: pathOf(project_id),
      parent: taskRef(parent_id),
      series: series_id ? seriesName.get(series_id) : null,
      next_occurrence: taskRef(next_occurrence_id),
      deleted_with: taskRef(deleted_with),
    })),
  };
}

describe('export and import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /**
   * Everything an account can hold: nested coloured projects in an order of
   * their own, subtasks three deep, positions, due times, a repeating task
   * with a completed occurrence, a saved view on a project, the trash, a
   * time zone.
   */
  async function fillOrganized(user: TestUser): Promise<void> {
    await t.http.patch('/auth/me').set(user.auth).send({ time_zone: 'America/New_York' }).expect(200);
    const project = async (body: Record<string, unknown>) => (await t.http.post('/api/projects').set(user.auth).send(body).expect(201)).body as { id: string };
    const work = await project({ name: 'Work', color: '#3366cc', position: 5000 });
    const reports = await project({ name: 'Reports', parent_id: work.id, color: '#aa0000' });
    const yearly = await project({ name: 'Yearly', parent_id: reports.id });
    const home = await project({ name: 'Home', position: 10 });
    const report = await createTask(t, user, { title: 'Quarterly report', project_id: reports.id, due_date: '2027-03-31', due_time: '17:30', priority: 'high' });
    const figures = await createTask(t, user, { title: 'Collect figures', parent_id: report.id, position: 5 });
    await createTask(t, user, { title: 'Ask finance', parent_id: figures.id, status: 'done' });
    await createTask(t, user, { title: 'Write summary', parent_id: report.id, position: 1 });
    await createTask(t, user, { title: 'Annual review', project_id: yearly.id, tags: ['hr'] });
    const weekly = await createTask(t, user, {
      title: 'Water the plants',
      project_id: home.id,
      due_date: '2027-01-04',
      due_time: '08:00',
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', from: 'due' },
    });
    await t.http.patch(`/api/tasks/${weekly.id}`).set(user.auth).send({ status: 'done' }).expect(200);
    await createTask(t, user, { title: 'Inbox thought' });
    const gone = await createTask(t, user, { title: 'Old idea', project_id: work.id });
    await createTask(t, user, { title: 'Old idea detail', parent_id: gone.id });
    await t.http.delete(`/api/tasks/${gone.id}`).set(user.auth).expect(204);
    await t.http.post('/api/views').set(user.auth).send({ name: 'Work, urgent', query: { project_id: [work.id], include_subprojects: true, priority: ['high'], sort: 'due_date' } }).expect(201);
    await t.http.post('/api/views').set(user.auth).send({ name: 'Report steps', query: { parent_id: report.id }, position: 1 }).expect(201);
  }

  async function fill(user: TestUser): Promise<void> {
    await createTask(t, user, { title: 'Plain', status: 'todo' });
    await createTask(t, user, {
      title: 'Quotes "and", commas\nand a line break',
      description: 'Ünïcödé ✓ 🙂 and "quotes"',
      status: 'in-progress',
      priority: 'high',
      tags: ['work', 'q3', 'a,b'],
      due_date: '2027-02-28',
    });
    await createTask(t, user, { title: '=HYPERLINK("http://evil.example")', description: '-5 +3 @mention', priority: 'low', tags: ['[draft]'] });
    await createTask(t, user, { title: 'Done one', status: 'done', priority: 'medium', description: null });
  }

  /** A request that declares `length` bytes but sends only `body` (so a refusal by Content-Length can be seen without sending megabytes). */
  function declaredBody(path: string, headers: Record<string, string>, length: number, body = ''): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(path, t.baseUrl);
      const request = http.request(
        { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: 'POST', headers: { ...headers, 'Content-Length': String(length || Buffer.byteLength(body)) } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        },
      );
      request.on('error', reject);
      request.write(body);
      if (!length) request.end();
    });
  }

  const exportOf = async (user: TestUser, format: 'json' | 'csv') =>
    t.http.get(`/api/me/export?format=${format}`).set(user.auth).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

  it('exports JSON: one document with schema_version, settings and every task, as a download', async () => {
    const user = await createUser(t);
    await t.http.patch('/auth/me').set(user.auth).send({ time_zone: 'Europe/Berlin' }).expect(200);
    await fill(user);
    const res = await exportOf(user, 'json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="evolution-of-todo-\d{4}-\d\d-\d\d\.json"$/);
    expect(res.headers['cache-control']).toBe('no-store');
    const doc = JSON.parse((res.body as Buffer).toString('utf8')) as Exported;
    expect(doc).toMatchObject({ schema_version: 2, account: { email: user.email }, settings: { time_zone: 'Europe/Berlin' }, views: [] });
    expect(doc.projects).toEqual([expect.objectContaining({ id: user.inboxId, name: 'Inbox', is_inbox: true, parent_id: null })]);
    const listed = (await t.http.get('/api/tasks?sort=created_at&limit=100').set(user.auth).expect(200)).body as Record<string, unknown>[];
    expect(doc.tasks.map(shared)).toEqual(listed.map(shared));
    expect(doc.tasks.every((task) => task.deleted_at === null && task.recurrence === null)).toBe(true);
  });

  it('exports CSV: UTF-8 with a BOM, the documented header, RFC 4180 quoting, CRLF, formulas defused', async () => {
    const user = await createUser(t);
    await fill(user);
    const res = await exportOf(user, 'csv');
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toMatch(/filename="evolution-of-todo-\d{4}-\d\d-\d\d\.csv"$/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(
      'id,title,description,status,priority,tags,due_date,created_at,updated_at,project,parent_id,position,due_time,recurrence_rule,recurrence_from',
    );
    expect(text).toContain('"Quotes ""and"", commas\nand a line break"');
    expect(text).toContain(`'=HYPERLINK(""http://evil.example"")`);
    expect(text).toContain(",'-5 +3 @mention,");
    expect(text).toContain('"[""a,b""]"'.replace('[""a,b""]', '[""work"",""q3"",""a,b""]'));
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.title === 'Plain')).toMatchObject({ description: '', priority: '', tags: '', due_date: '', status: 'todo', project: 'Inbox', parent_id: '' });
  });

  it.each(['json', 'csv'] as const)('round-trips plain tasks through %s into a fresh account: the same data, new ids', async (format) => {
    const source = await createUser(t);
    await fill(source);
    const exported = (await exportOf(source, format)).body as Buffer;
    const target = await createUser(t);
    const res = await t.http
      .post(`/api/me/import?format=${format}`)
      .set(target.auth)
      .set('Content-Type', format === 'json' ? 'application/json' : 'text/csv')
      // As a string: superagent would turn a Buffer sent as JSON into {"type":"Buffer",…}.
      .send(exported.toString('utf8'));
    expect(res.body).toEqual({ dry_run: false, format, created: { projects: 0, views: 0, tasks: 4 }, warnings: [] });
    expect(res.status).toBe(201);
    const before = JSON.parse(((await exportOf(source, 'json')).body as Buffer).toString()) as Exported;
    const after = JSON.parse(((await exportOf(target, 'json')).body as Buffer).toString()) as Exported;
    expect(comparable(after)).toEqual(comparable(before));
    expect(after.tasks.map((task) => task.id)).not.toEqual(expect.arrayContaining([before.tasks[0].id]));
  });

  it('round-trips everything through JSON into a fresh account: projects, subtasks, recurrence, the trash, views, the time zone', async () => {
    const source = await createUser(t);
    await fillOrganized(source);
    const exported = (await exportOf(source, 'json')).body as Buffer;
    const before = JSON.parse(exported.toString()) as Exported;
    expect(before.projects.map((p) => p.name)).toEqual(['Inbox', 'Home', 'Work', 'Reports', 'Yearly']);
    expect(before.tasks.filter((task) => task.recurrence).map((task) => [task.title, task.status, task.recurrence?.n])).toEqual([
      ['Water the plants', 'done', 1],
      ['Water the plants', 'todo', 2],
    ]);
    const target = await createUser(t);
    const stream = await openStream(t.baseUrl, '/api/events', target.auth);
    stream.ignore = /^(project\.updated|heartbeat)$/;
    expect((await stream.take(1)).map((e) => e.event)).toEqual(['ready']);
    const res = await t.http.post('/api/me/import?format=json').set(target.auth).set('Content-Type', 'application/json').send(exported.toString('utf8'));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      dry_run: false,
      format: 'json',
      created: { projects: 4, views: 2, tasks: 10 },
      warnings: [{ field: '$.settings.time_zone', message: 'your time zone is now America/New_York (was UTC)' }],
    });
    const after = JSON.parse(((await exportOf(target, 'json')).body as Buffer).toString()) as Exported;
    expect(comparable(after)).toEqual(comparable(before));
    const oldIds = new Set([...before.projects.filter((p) => !p.is_inbox), ...before.tasks, ...before.views].map((record) => record.id));
    expect([...after.projects.filter((p) => !p.is_inbox), ...after.tasks, ...after.views].filter((record) => oldIds.has(record.id))).toEqual([]);
    expect(after.projects.find((p) => p.is_inbox)?.id).toBe(target.inboxId);
    // The stream heard the new projects, then the live tasks (not the trash), each once, then the views.
    const announced = await stream.take(4 + 8 + 2);
    stream.close();
    expect(announced.map((e) => e.event)).toEqual([...Array(4).fill('project.created'), ...Array(8).fill('task.created'), 'view.created', 'view.created']);
    const created = announced.filter((e) => e.event === 'task.created').map((e) => dataOf<{ task: { title: string } }>(e).task.title);
    expect(created.sort()).toEqual(before.tasks.filter((task) => task.deleted_at === null).map((task) => task.title).sort());
    // A second import of the same file names its projects and views apart, and puts nothing into the first ones.
    const again = await t.http.post('/api/me/import?format=json').set(target.auth).set('Content-Type', 'application/json').send(exported.toString('utf8')).expect(201);
    expect(again.body.warnings).toEqual(
      expect.arrayContaining([
        { field: '$.projects[1].name', message: 'a project named "Home" is there already: imported as "Home (2)"' },
        { field: '$.views[0].name', message: 'a view named "Report steps" is there already: imported as "Report steps (2)"' },
      ]),
    );
  });

  it('round-trips tasks through CSV: projects by their path, subtasks, positions, due times and repetitions', async () => {
    const source = await createUser(t);
    await fillOrganized(source);
    const csv = ((await exportOf(source, 'csv')).body as Buffer).toString('utf8');
    const target = await createUser(t);
    await t.http.patch('/auth/me').set(target.auth).send({ time_zone: 'America/New_York' }).expect(200);
    const res = await t.http.post('/api/me/import?format=csv').set(target.auth).set('Content-Type', 'text/csv').send(csv).expect(201);
    expect(res.body.created).toEqual({ projects: 4, views: 0, tasks: 8 });
    const view = (doc: Exported) =>
      comparable(doc).tasks
        .filter((task) => task.deleted_at === null)
        .map(({ title, project, parent, position, due_date, due_time, recurrence, status, tags }) => ({
          title, project, parent, position, due_date, due_time, status, tags, recurrence: recurrence && { rrule: recurrence.rrule, from: recurrence.from },
        }));
    const before = JSON.parse(((await exportOf(source, 'json')).body as Buffer).toString()) as Exported;
    const after = JSON.parse(((await exportOf(target, 'json')).body as Buffer).toString()) as Exported;
    expect(view(after)).toEqual(view(before));
    // Projects are made as rows name them, in that order; colours are not in a CSV.
    expect(after.projects.map((p) => [p.name, p.color])).toEqual([['Inbox', null], ['Work', null], ['Home', null], ['Reports', null], ['Yearly', null]]);
  });

  it('dry-runs: says what would be created and every warning, and creates nothing', async () => {
    const user = await createUser(t);
    const csv = '\ufeffid,title,status,colour\r\nx1,Water the plants,todo,green\r\nx2,Feed the cat,done,\r\n';
    const res = await t.http.post('/api/me/import?format=csv&dry_run=true').set(user.auth).set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(res.body).toEqual({
      dry_run: true,
      format: 'csv',
      created: { projects: 0, views: 0, tasks: 2 },
      warnings: [{ field: 'line 1', message: 'column(s) colour are not read: left out' }],
      preview: [
        { source: 'line 2', title: 'Water the plants', description: null, status: 'todo', priority: null, tags: [], due_date: null, project: 'Inbox' },
        { source: 'line 3', title: 'Feed the cat', description: null, status: 'done', priority: null, tags: [], due_date: null, project: 'Inbox' },
      ],
    });
    expect((await t.http.get('/api/tasks').set(user.auth).expect(200)).body).toEqual([]);
  });

  it('refuses a file with any bad record, naming each by JSON path or line, and imports nothing', async () => {
    const user = await createUser(t);
    const json = {
      schema_version: 1,
      tasks: [{ title: 'Good task' }, { title: 'ab' }, { title: 'Bad status', status: 'later' }, 'not an object', { title: 'Unknown key', colour: 'red' }],
    };
    const res = await t.http.post('/api/me/import?format=json').set(user.auth).send(json);
    expectError(res, 400, 'Import refused, nothing was imported: 4 problem(s)');
    expect(res.body.error.details).toEqual([
      { field: '$.tasks[1].title', message: 'title must be between 3 and 255 characters' },
      { field: '$.tasks[2].status', message: 'status must be one of: todo, in-progress, done' },
      { field: '$.tasks[3]', message: 'each task must be an object' },
      { field: '$.tasks[4].colour', message: '$.tasks[4].colour is not an allowed property'.replace('$.tasks[4].', '') },
    ]);
    const csv = 'title,due_date\r\nGood task,\r\n"Bad date",2027-02-30\r\nx,\r\n';
    const bad = await t.http.post('/api/me/import?format=csv').set(user.auth).set('Content-Type', 'text/csv').send(csv);
    expectError(bad, 400);
    expect(bad.body.error.details).toEqual([
      { field: 'line 3, due_date', message: 'due_date must be a real date in the form YYYY-MM-DD, or null' },
      { field: 'line 4, title', message: 'title must be between 3 and 255 characters' },
    ]);
    expect((await t.http.get('/api/tasks').set(user.auth).expect(200)).body).toEqual([]);
  });

  it.each([
    ['json', 'application/json', '{"schema_version": 1, "tasks": [{"title": "ok task"},\n  {"title": }]}', [{ field: expect.stringMatching(/^line 2, column \d+$/), message: expect.stringMatching(/^Malformed JSON/) }]],
    ['json', 'application/json', '{"tasks": []}', [{ field: '$.schema_version', message: 'schema_version is required: is this an Evolution of Todo export?' }]],
    ['json', 'application/json', '{"schema_version": 3, "tasks": []}', [{ field: '$.schema_version', message: 'schema_version must be 1 or 2 (the versions this server reads)' }]],
    ['json', 'application/json', '{"schema_version": 2, "tasks": [{"id": "a", "title": "Child", "parent_id": "b"}, {"id": "b", "title": "Parent", "parent_id": "a"}]}', [
      { field: '$.tasks[0].parent_id', message: 'the tasks of this file are subtasks of each other in a circle' },
      { field: '$.tasks[1].parent_id', message: 'the tasks of this file are subtasks of each other in a circle' },
    ]],
    ['json', 'application/json', '{"schema_version": 2, "projects": [{"id": "p", "name": "Lost", "parent_id": "nowhere"}], "tasks": [{"title": "Late", "due_time": "09:00"}]}', [
      { field: '$.projects[0].parent_id', message: 'parent_id nowhere names no project of this file' },
      { field: '$.tasks[0].due_time', message: 'due_time needs a due_date' },
    ]],
    ['csv', 'text/csv', 'name,status\r\nx,todo\r\n', [{ field: 'line 1', message: 'the header must name the column(s) title' }]],
    ['csv', 'text/csv', 'title,status\r\n"unterminated,todo\r\n', [{ field: expect.stringMatching(/^line \d+$/), message: expect.stringMatching(/^Malformed CSV/) }]],
    ['todoist', 'text/csv', 'CONTENT\r\nx\r\n', [{ field: 'line 1', message: 'the header must name the column(s) TYPE' }]],
    ['csv', 'application/json', '{}', [{ field: 'Content-Type', message: 'format=csv takes text/csv' }]],
  ])('refuses a malformed %s upload, saying where', async (format, type, body, details) => {
    const user = await createUser(t);
    const res = await t.http.post(`/api/me/import?format=${format}`).set(user.auth).set('Content-Type', type).send(body);
    expectError(res, 400);
    expect(res.body.error.details).toEqual(details);
  });

  it('takes text/csv on the import route only, and up to 20 MB there only', async () => {
    const user = await createUser(t);
    expectError(await t.http.post('/api/tasks').set(user.auth).set('Content-Type', 'text/csv').send('title\r\nx\r\n'), 415);
    expectError(await t.http.post('/api/me/import?format=xml').set(user.auth).set('Content-Type', 'text/csv').send('x'), 400);
    // Refused from Content-Length, before the body is read.
    const tooBig = await declaredBody('/api/me/import?format=csv', { ...user.auth, 'Content-Type': 'text/csv' }, 21 * 1024 * 1024);
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body).error.message).toMatch(/too large/);
    // Nobody's upload is read at all: the token is checked before the body (Nest's guards come after it).
    const started = Date.now();
    const anonymous = await declaredBody('/api/me/import?format=csv', { 'Content-Type': 'text/csv' }, 19 * 1024 * 1024);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toEqual({ error: { code: 401, message: 'Invalid token' } });
    expect(Date.now() - started).toBeLessThan(2_000);
    const forged = await declaredBody('/api/me/import?format=csv', { Authorization: 'Bearer a.b.c', 'Content-Type': 'text/csv' }, 19 * 1024 * 1024);
    expect(forged.status).toBe(401);
    const fits = await declaredBody('/api/me/import?format=csv&dry_run=true', { ...user.auth, 'Content-Type': 'text/csv' }, 0, `title\r\n${'x'.repeat(50)}\r\n`.repeat(1).padEnd(200 * 1024, ' '));
    expect(fits.status).not.toBe(413);
    expectError(await t.http.post('/api/tasks').set(user.auth).send({ title: 'x'.repeat(200 * 1024) }), 413);
  });

  it('creates nothing twice for a retried upload with the same Idempotency-Key', async () => {
    const user = await createUser(t);
    const file = { schema_version: 1, tasks: [{ title: 'Once only' }, { title: 'Twice never' }] };
    const send = () => t.http.post('/api/me/import?format=json').set(user.auth).set('Idempotency-Key', 'upload-1').send(file);
    const [a, b, c] = await Promise.all([send(), send(), send()]);
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect([a, b, c].filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(2);
    expect(b.body).toEqual(a.body);
    expect((await t.http.get('/api/tasks').set(user.auth).expect(200)).body).toHaveLength(2);
    const other = await t.http.post('/api/me/import?format=json').set(user.auth).set('Idempotency-Key', 'upload-1').send({ ...file, tasks: [{ title: 'Another file' }] });
    expectError(other, 422);
  });

  describe('Todoist CSV exports', () => {
    it('imports priorities (1 is p1, the highest), labels and dates', async () => {
      const user = await createUser(t);
      const res = await t.http.post('/api/me/import?format=todoist').set(user.auth).set('Content-Type', 'text/csv').send(fixture('simple.csv')).expect(201);
      expect(res.body).toMatchObject({ created: { tasks: 5 }, warnings: [] });
      const tasks = (await t.http.get('/api/tasks?sort=created_at&limit=100').set(user.auth).expect(200)).body as Record<string, unknown>[];
      expect(tasks.map((task) => [task.title, task.priority, task.tags])).toEqual([
        ['Renew passport', 'high', ['admin']],
        ['Book dentist', 'medium', []],
        ['Clean the garage', 'low', ['home', 'weekend']],
        ['Call the bank, ask about "fees"', null, []],
        ['Read a book', null, []],
      ]);
      expect(tasks[0]).toMatchObject({ description: 'Photos first', due_date: '2027-03-01', status: 'todo' });
      expect(tasks[1].due_date).toMatch(/^\d{4}-\d\d-\d\d$/);
      expect(tasks[3].due_date).toMatch(/-01-20$/);
    });

    it('turns INDENT into subtasks, sections into tags and comments into the description', async () => {
      const user = await createUser(t);
      const dry = await t.http.post('/api/me/import?format=todoist&dry_run=true').set(user.auth).set('Content-Type', 'text/csv').send(fixture('subtasks.csv')).expect(200);
      expect(dry.body.preview.map((task: { title: string; parent?: string; tags: string[] }) => [task.title, task.parent ?? null, task.tags])).toEqual([
        ['Plan the trip', null, ['Trip to Lisbon']],
        ['Book flights', 'line 4', ['Trip to Lisbon']],
        ['Compare prices', 'line 5', ['Trip to Lisbon']],
        ['Book a hotel', 'line 4', ['Trip to Lisbon']],
        ['Pack bags', null, ['travel', 'Packing']],
        ['Chargers and adapters', 'line 11', ['Packing']],
      ]);
      expect(dry.body.preview[2].description).toBe('Comment: Kayak had it cheaper, check again');
      await t.http.post('/api/me/import?format=todoist').set(user.auth).set('Content-Type', 'text/csv').send(fixture('subtasks.csv')).expect(201);
      const tasks = (await t.http.get('/api/tasks?sort=created_at&limit=100').set(user.auth).expect(200)).body as {
        id: string;
        title: string;
        description: string | null;
        parent_id: string | null;
        project_id: string;
      }[];
      expect(tasks).toHaveLength(6);
      const titleOf = new Map(tasks.map((task) => [task.id, task.title]));
      expect(tasks.map((task) => [task.title, task.parent_id && titleOf.get(task.parent_id)])).toEqual([
        ['Plan the trip', null],
        ['Book flights', 'Plan the trip'],
        ['Compare prices', 'Book flights'],
        ['Book a hotel', 'Plan the trip'],
        ['Pack bags', null],
        ['Chargers and adapters', 'Pack bags'],
      ]);
      expect(tasks.find((task) => task.title === 'Compare prices')?.description).toBe('Comment: Kayak had it cheaper, check again');
      expect(tasks.every((task) => task.project_id === user.inboxId)).toBe(true);
    });

    it('imports into the project it is given, or refuses one that is not yours', async () => {
      const user = await createUser(t);
      const trip = (await t.http.post('/api/projects').set(user.auth).send({ name: 'Lisbon' }).expect(201)).body as { id: string };
      const res = await t.http.post(`/api/me/import?format=todoist&project_id=${trip.id}`).set(user.auth).set('Content-Type', 'text/csv').send(fixture('subtasks.csv')).expect(201);
      expect(res.body.created).toEqual({ projects: 0, views: 0, tasks: 6 });
      const tasks = (await t.http.get(`/api/tasks?project_id=${trip.id}&limit=100`).set(user.auth).expect(200)).body as unknown[];
      expect(tasks).toHaveLength(6);
      const stranger = await createUser(t);
      const refused = await t.http.post(`/api/me/import?format=todoist&project_id=${trip.id}`).set(stranger.auth).set('Content-Type', 'text/csv').send(fixture('subtasks.csv'));
      expectError(refused, 403);
      expect((await t.http.get('/api/tasks').set(stranger.auth).expect(200)).body).toEqual([]);
    });

    it('reads recurring dates as RRULEs where they parse, and keeps the rest in the description with a warning', async () => {
      const user = await createUser(t);
      await t.http.patch('/auth/me').set(user.auth).send({ time_zone: 'Europe/Berlin' }).expect(200);
      const dry = await t.http.post('/api/me/import?format=todoist&dry_run=true').set(user.auth).set('Content-Type', 'text/csv').send(fixture('recurring.csv')).expect(200);
      expect(dry.body.preview.map((task: { title: string; recurrence?: { rrule: string; from: string }; due_time?: string }) => [task.title, task.recurrence ?? null, task.due_time ?? null])).toEqual([
        ['Water the plants', { rrule: 'FREQ=WEEKLY;BYDAY=MO', from: 'due' }, null],
        ['Take vitamins', { rrule: 'FREQ=DAILY', from: 'due' }, '08:00'],
        ['Pay rent', { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', from: 'due' }, null],
        ['Change water filter', { rrule: 'FREQ=MONTHLY;INTERVAL=3', from: 'completion' }, null],
        ['Review budget', { rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', from: 'due' }, null],
        ['Team retro', { rrule: 'FREQ=WEEKLY;INTERVAL=2', from: 'due' }, null],
        ['Call grandma', null, null],
        ['Standup notes', { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', from: 'due' }, '09:30'],
      ]);
      expect(dry.body.preview[6]).toMatchObject({ due_date: null, description: 'Todoist date: every 2nd sunday of the month' });
      expect(dry.body.warnings).toContainEqual({
        field: 'line 8, DATE',
        message: '"every 2nd sunday of the month" is not a date or repetition this import understands: kept in the description',
      });
      expect(dry.body.preview.every((task: { due_date: string | null; recurrence?: unknown }) => !task.recurrence || /^\d{4}-\d\d-\d\d$/.test(task.due_date ?? ''))).toBe(true);
      await t.http.post('/api/me/import?format=todoist').set(user.auth).set('Content-Type', 'text/csv').send(fixture('recurring.csv')).expect(201);
      const tasks = (await t.http.get('/api/tasks?sort=created_at&limit=100').set(user.auth).expect(200)).body as { title: string; recurrence: unknown; series_id: string | null }[];
      expect(tasks.map((task) => [task.title, task.recurrence])).toEqual(
        dry.body.preview.map((task: { title: string; recurrence?: unknown }) => [task.title, task.recurrence ?? null]),
      );
      expect(tasks.filter((task) => task.recurrence).every((task) => task.series_id !== null)).toBe(true);
    });
  });

  it('is closed to personal API tokens, like every account route', async () => {
    const user = await createUser(t);
    const { token } = (await t.http.post('/api/me/tokens').set(user.auth).send({ name: 'x', scopes: ['tasks:read', 'tasks:write'] }).expect(201)).body;
    expectError(await t.http.get('/api/me/export?format=json').set('Authorization', `Bearer ${token}`), 403);
    expectError(await t.http.post('/api/me/import?format=json').set('Authorization', `Bearer ${token}`).send({ schema_version: 1, tasks: [] }), 403);
  });
});
