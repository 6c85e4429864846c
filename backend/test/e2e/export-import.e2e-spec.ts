import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { createTask, createUser, expectError, startTestApp, type TestApp, type TestUser } from '../support/test-app';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/todoist/${name}`, import.meta.url)));

interface Exported {
  schema_version: number;
  exported_at: string;
  account: { email: string; created_at: string };
  settings: { time_zone: string };
  tasks: { id: string; title: string; description: string | null; status: string; priority: string | null; tags: string[]; due_date: string | null; created_at: string; updated_at: string }[];
}

/** Everything of a task but what an import gives anew (id). */
const content = ({ id: _id, ...rest }: Exported['tasks'][number]) => rest;

describe('export and import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

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
    expect(doc).toMatchObject({ schema_version: 1, account: { email: user.email }, settings: { time_zone: 'Europe/Berlin' } });
    const listed = (await t.http.get('/api/tasks?sort=created_at&limit=100').set(user.auth).expect(200)).body as Record<string, unknown>[];
    expect(doc.tasks).toEqual(listed.map(({ user_id: _u, version: _v, ...task }) => task));
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
    expect(text.split('\r\n')[0]).toBe('id,title,description,status,priority,tags,due_date,created_at,updated_at');
    expect(text).toContain('"Quotes ""and"", commas\nand a line break"');
    expect(text).toContain(`'=HYPERLINK(""http://evil.example"")`);
    expect(text).toContain(",'-5 +3 @mention,");
    expect(text).toContain('"[""a,b""]"'.replace('[""a,b""]', '[""work"",""q3"",""a,b""]'));
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.title === 'Plain')).toMatchObject({ description: '', priority: '', tags: '', due_date: '', status: 'todo' });
  });

  it.each(['json', 'csv'] as const)('round-trips an account through %s into a fresh one: the same data, new ids', async (format) => {
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
    expect(res.body).toEqual({ dry_run: false, format, created: { tasks: 4 }, warnings: [] });
    expect(res.status).toBe(201);
    const before = JSON.parse(((await exportOf(source, 'json')).body as Buffer).toString()) as Exported;
    const after = JSON.parse(((await exportOf(target, 'json')).body as Buffer).toString()) as Exported;
    expect(after.tasks.map(content)).toEqual(before.tasks.map(content));
    expect(after.tasks.map((task) => task.id)).not.toEqual(expect.arrayContaining([before.tasks[0].id]));
  });

  it('dry-runs: says what would be created and every warning, and creates nothing', async () => {
    const user = await createUser(t);
    const csv = '\ufeffid,title,status,colour\r\nx1,Water the plants,todo,green\r\nx2,Feed the cat,done,\r\n';
    const res = await t.http.post('/api/me/import?format=csv&dry_run=true').set(user.auth).set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(res.body).toEqual({
      dry_run: true,
      format: 'csv',
      created: { tasks: 2 },
      warnings: [{ field: 'line 1', message: 'column(s) colour are not read: left out' }],
      preview: [
        { source: 'line 2', title: 'Water the plants', description: null, status: 'todo', priority: null, tags: [], due_date: null },
        { source: 'line 3', title: 'Feed the cat', description: null, status: 'done', priority: null, tags: [], due_date: null },
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
    ['json', 'application/json', '{"schema_version": 2, "tasks": []}', [{ field: '$.schema_version', message: 'schema_version must be 1 (this server reads version 1)' }]],
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
      const tasks = (await t.http.get('/api/tasks?sort=created_at&limit=100').set(user.auth).expect(200)).body as { title: string; description: string | null }[];
      expect(tasks).toHaveLength(6);
      // Until subtasks exist, the parent is named in the description (and a warning says so).
      expect(tasks.find((task) => task.title === 'Compare prices')?.description).toBe('Comment: Kayak had it cheaper, check again\n\nSubtask of the task at line 5');
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
    });
  });

  it('is closed to personal API tokens, like every account route', async () => {
    const user = await createUser(t);
    const { token } = (await t.http.post('/api/me/tokens').set(user.auth).send({ name: 'x', scopes: ['tasks:read', 'tasks:write'] }).expect(201)).body;
    expectError(await t.http.get('/api/me/export?format=json').set('Authorization', `Bearer ${token}`), 403);
    expectError(await t.http.post('/api/me/import?format=json').set('Authorization', `Bearer ${token}`).send({ schema_version: 1, tasks: [] }), 403);
  });
});
