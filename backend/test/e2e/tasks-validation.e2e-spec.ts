import {
  createTask,
  createUser,
  expectError,
  startTestApp,
  type TaskBody,
  type TestApp,
  type TestUser,
} from '../support/test-app';

type Body = Record<string, unknown>;
interface Res {
  status: number;
  body: any;
  headers: Record<string, string>;
}

const tags = (count: number) => Array.from({ length: count }, (_, i) => `tag-${i}`);

/** A 400 from validation: the error shape plus `details` naming exactly the bad fields. */
function expectValidationError(res: Res, fields: string[]): void {
  expectError(res, 400);
  expect(Object.keys(res.body.error).sort()).toEqual(['code', 'details', 'message']);
  const details = res.body.error.details as { field: string; message: string }[];
  expect(Array.isArray(details)).toBe(true);
  for (const detail of details) {
    expect(detail).toEqual({ field: expect.any(String), message: expect.any(String) });
    expect(detail.message.length).toBeGreaterThan(0);
  }
  expect([...new Set(details.map((d) => d.field))].sort()).toEqual([...fields].sort());
}

describe('tasks: validation', () => {
  let t: TestApp;
  let user: TestUser;
  /** The task every refused PATCH is aimed at; it must never change. */
  let target: TaskBody;

  beforeAll(async () => {
    t = await startTestApp();
    user = await createUser(t);
    target = await createTask(t, user, {
      title: 'Patch target',
      description: 'Untouched',
      priority: 'low',
      tags: ['keep'],
      due_date: '2027-05-05',
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const taskCount = async () => (await t.db.query('SELECT count(*)::int AS n FROM tasks')).rows[0].n as number;
  const storedTarget = async () =>
    (
      await t.db.query(
        `SELECT id, user_id, title, description, status, priority, tags, due_date::text AS due_date, created_at, updated_at
         FROM tasks WHERE id = $1`,
        [target.id],
      )
    ).rows[0];

  const post = (body: unknown) =>
    t.http
      .post('/api/tasks')
      .set(user.auth)
      .send(body as Body);
  const patch = (body: unknown) =>
    t.http
      .patch(`/api/tasks/${target.id}`)
      .set(user.auth)
      .send(body as Body);

  /** POST must refuse and store nothing. */
  async function expectCreateRefused(body: unknown, fields: string[]): Promise<void> {
    const before = await taskCount();
    expectValidationError(await post(body), fields);
    expect(await taskCount()).toBe(before);
  }

  /** PATCH must refuse and leave the target row exactly as it was. */
  async function expectPatchRefused(body: unknown, fields: string[]): Promise<void> {
    const before = await storedTarget();
    expectValidationError(await patch(body), fields);
    expect(await storedTarget()).toEqual(before);
  }

  /** Accepted on create (and stored as `stored`), and accepted on PATCH of the target. */
  async function expectAccepted(body: Body, stored: Body): Promise<void> {
    const created = await post({ title: 'Valid title', ...body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(stored);

    const patched = await patch(body);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject(stored);
  }

  describe('limits, at and just past each one', () => {
    const accepted: [string, Body, Body][] = [
      ['title of 3 characters', { title: 'abc' }, { title: 'abc' }],
      ['title of 255 characters', { title: 'x'.repeat(255) }, { title: 'x'.repeat(255) }],
      ['title of 3 characters once trimmed', { title: '   abc   ' }, { title: 'abc' }],
      ['title of 255 characters once trimmed', { title: `  ${'y'.repeat(255)}  ` }, { title: 'y'.repeat(255) }],
      [
        'title of 255 characters outside the BMP',
        { title: '\u{1F600}'.repeat(255) },
        { title: '\u{1F600}'.repeat(255) },
      ],
      ['description of 10,000 characters', { description: 'd'.repeat(10_000) }, { description: 'd'.repeat(10_000) }],
      ['empty description', { description: '' }, { description: '' }],
      ['20 tags', { tags: tags(20) }, { tags: tags(20) }],
      ['tag of 50 characters', { tags: ['t'.repeat(50)] }, { tags: ['t'.repeat(50)] }],
      ['tag of 1 character', { tags: ['t'] }, { tags: ['t'] }],
      ['tag of 50 characters once trimmed', { tags: [`  ${'u'.repeat(50)}  `] }, { tags: ['u'.repeat(50)] }],
      ['due_date on a leap day', { due_date: '2028-02-29' }, { due_date: '2028-02-29' }],
      ['due_date on 2000-02-29', { due_date: '2000-02-29' }, { due_date: '2000-02-29' }],
      ['due_date at the end of a month', { due_date: '2027-04-30' }, { due_date: '2027-04-30' }],
      ['due_date at the end of a year', { due_date: '2027-12-31' }, { due_date: '2027-12-31' }],
      ['due_date in year 1', { due_date: '0001-01-01' }, { due_date: '0001-01-01' }],
      ['due_date in year 9999', { due_date: '9999-12-31' }, { due_date: '9999-12-31' }],
      ['every status', { status: 'in-progress' }, { status: 'in-progress' }],
      ['status done', { status: 'done' }, { status: 'done' }],
      ['status todo', { status: 'todo' }, { status: 'todo' }],
      ['priority low', { priority: 'low' }, { priority: 'low' }],
      ['priority medium', { priority: 'medium' }, { priority: 'medium' }],
      ['priority high', { priority: 'high' }, { priority: 'high' }],
    ];

    it.each(accepted)('accepts %s on create and on patch', async (_name, body, stored) => {
      await expectAccepted(body, stored);
    });

    const refused: [string, Body, string][] = [
      ['title of 2 characters', { title: 'ab' }, 'title'],
      ['title of 256 characters', { title: 'x'.repeat(256) }, 'title'],
      ['title of 2 characters once trimmed', { title: '  ab  ' }, 'title'],
      ['title of 256 characters outside the BMP', { title: '\u{1F600}'.repeat(256) }, 'title'],
      ['empty title', { title: '' }, 'title'],
      ['whitespace title', { title: '      ' }, 'title'],
      ['description of 10,001 characters', { description: 'd'.repeat(10_001) }, 'description'],
      ['21 tags', { tags: tags(21) }, 'tags'],
      ['tag of 51 characters', { tags: ['t'.repeat(51)] }, 'tags'],
      ['empty tag', { tags: ['ok', ''] }, 'tags'],
      ['whitespace tag', { tags: ['ok', '   '] }, 'tags'],
      ['status TODO', { status: 'TODO' }, 'status'],
      ['status in_progress', { status: 'in_progress' }, 'status'],
      ['status empty', { status: '' }, 'status'],
      ['status unknown', { status: 'finished' }, 'status'],
      ['priority urgent', { priority: 'urgent' }, 'priority'],
      ['priority HIGH', { priority: 'HIGH' }, 'priority'],
      ['priority empty', { priority: '' }, 'priority'],
      ['due_date 2027-02-30', { due_date: '2027-02-30' }, 'due_date'],
      ['due_date 2027-13-01', { due_date: '2027-13-01' }, 'due_date'],
      ['due_date 2027-1-1', { due_date: '2027-1-1' }, 'due_date'],
      ['due_date 2027-02-29 (not a leap year)', { due_date: '2027-02-29' }, 'due_date'],
      ['due_date 2100-02-29 (not a leap year)', { due_date: '2100-02-29' }, 'due_date'],
      ['due_date 2027-04-31', { due_date: '2027-04-31' }, 'due_date'],
      ['due_date 2027-00-10', { due_date: '2027-00-10' }, 'due_date'],
      ['due_date 2027-01-00', { due_date: '2027-01-00' }, 'due_date'],
      ['due_date with a time', { due_date: '2027-01-31T00:00:00Z' }, 'due_date'],
      ['due_date without dashes', { due_date: '20270131' }, 'due_date'],
      ['due_date in another format', { due_date: '31/01/2027' }, 'due_date'],
      ['due_date empty', { due_date: '' }, 'due_date'],
      ['NUL in title', { title: 'ab\u0000cd' }, 'title'],
      ['NUL in description', { description: 'before\u0000after' }, 'description'],
      ['NUL in a tag', { tags: ['fine', 'b\u0000d'] }, 'tags'],
    ];

    it.each(refused)('refuses %s on create and stores nothing', async (_name, body, field) => {
      await expectCreateRefused({ title: 'Valid title', ...body }, [field]);
    });

    it.each(refused)('refuses %s on patch and changes nothing', async (_name, body, field) => {
      await expectPatchRefused(body, [field]);
    });
  });

  describe('no coercion', () => {
    const wrongTypes: [string, Body, string][] = [
      ['number for title', { title: 12345 }, 'title'],
      ['array for title', { title: ['abc'] }, 'title'],
      ['object for title', { title: { text: 'abc' } }, 'title'],
      ['boolean for title', { title: true }, 'title'],
      ['number for description', { description: 5 }, 'description'],
      ['boolean for description', { description: false }, 'description'],
      ['number for status', { status: 1 }, 'status'],
      ['array for status', { status: ['todo'] }, 'status'],
      ['boolean for priority', { priority: true }, 'priority'],
      ['number for priority', { priority: 3 }, 'priority'],
      ['string for tags', { tags: 'work' }, 'tags'],
      ['comma string for tags', { tags: 'work,home' }, 'tags'],
      ['object for tags', { tags: { 0: 'work' } }, 'tags'],
      ['number in tags', { tags: ['work', 1] }, 'tags'],
      ['null in tags', { tags: ['work', null] }, 'tags'],
      ['nested array in tags', { tags: [['work']] }, 'tags'],
      ['number for due_date', { due_date: 20270131 }, 'due_date'],
      ['object for due_date', { due_date: { year: 2027 } }, 'due_date'],
    ];

    it.each(wrongTypes)('refuses a %s on create', async (_name, body, field) => {
      await expectCreateRefused({ title: 'Valid title', ...body }, [field]);
    });

    it.each(wrongTypes)('refuses a %s on patch', async (_name, body, field) => {
      await expectPatchRefused(body, [field]);
    });

    it('refuses null for status and tags on create (they are not nullable)', async () => {
      await expectCreateRefused({ title: 'Valid title', status: null }, ['status']);
      await expectCreateRefused({ title: 'Valid title', tags: null }, ['tags']);
      await expectCreateRefused({ title: null }, ['title']);
    });

    it('refuses a create without a title', async () => {
      await expectCreateRefused({ description: 'No title here' }, ['title']);
      await expectCreateRefused({}, ['title']);
    });

    it('names every bad field at once', async () => {
      await expectCreateRefused({ title: 'ab', status: 'nope', priority: 'nope', due_date: '2027-02-30' }, [
        'title',
        'status',
        'priority',
        'due_date',
      ]);
    });
  });

  describe('properties outside the task fields', () => {
    const foreign: [string, unknown][] = [
      ['id', '4a3c1c38-8f0b-4b8a-9f49-2a9d6f0f1e11'],
      ['user_id', '4a3c1c38-8f0b-4b8a-9f49-2a9d6f0f1e11'],
      ['created_at', '2020-01-01T00:00:00.000Z'],
      ['updated_at', '2020-01-01T00:00:00.000Z'],
      ['foo', 1],
      ['dueDate', '2027-01-01'],
      ['Title', 'Valid title'],
    ];

    it.each(foreign)('refuses %s on create and stores nothing', async (field, value) => {
      await expectCreateRefused({ title: 'Valid title', [field]: value }, [field]);
    });

    it.each(foreign)('refuses %s on patch and changes nothing', async (field, value) => {
      await expectPatchRefused({ [field]: value }, [field]);
      await expectPatchRefused({ title: 'Valid title', [field]: value }, [field]);
    });

    it('refuses a user_id equal to the caller too', async () => {
      await expectCreateRefused({ title: 'Valid title', user_id: user.id }, ['user_id']);
      await expectPatchRefused({ user_id: user.id }, ['user_id']);
    });
  });

  describe('bodies that are not a task object', () => {
    it.each([
      ['an array', [{ title: 'Valid title' }]],
      ['a string', 'Valid title'],
      ['a number', 42],
      ['null', null],
    ])('refuses %s as the body', async (_name, body) => {
      const before = await storedTarget();
      const count = await taskCount();
      for (const method of ['post', 'patch'] as const) {
        const url = method === 'post' ? '/api/tasks' : `/api/tasks/${target.id}`;
        const res = await t.http[method](url)
          .set(user.auth)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
        expectError(res, 400);
      }
      expect(await taskCount()).toBe(count);
      expect(await storedTarget()).toEqual(before);
    });

    it('refuses a create with no body at all', async () => {
      const count = await taskCount();
      expectError(await t.http.post('/api/tasks').set(user.auth), 400);
      expect(await taskCount()).toBe(count);
    });

    it.each([
      ['a cut-off object', '{"title": "Valid title",'],
      ['single quotes', "{'title': 'Valid title'}"],
      ['a trailing comma', '{"title": "Valid title",}'],
      ['bare text', 'title=Valid title'],
    ])('refuses malformed JSON (%s) with 400', async (_name, text) => {
      const before = await storedTarget();
      const count = await taskCount();
      for (const method of ['post', 'patch'] as const) {
        const url = method === 'post' ? '/api/tasks' : `/api/tasks/${target.id}`;
        const res = await t.http[method](url).set(user.auth).set('Content-Type', 'application/json').send(text);
        expectError(res, 400);
      }
      expect(await taskCount()).toBe(count);
      expect(await storedTarget()).toEqual(before);
    });

    it.each([
      ['a lone surrogate in the title', '{"title": "Valid \\ud800 title"}'],
      ['a lone surrogate in a tag', '{"title": "Valid title", "tags": ["ok", "\\udfff"]}'],
      ['an escaped NUL in the description', '{"title": "Valid title", "description": "a\\u0000b"}'],
    ])('refuses %s with 400 and stores nothing', async (_name, text) => {
      const count = await taskCount();
      const res = await t.http.post('/api/tasks').set(user.auth).set('Content-Type', 'application/json').send(text);
      expectError(res, 400);
      expect(await taskCount()).toBe(count);
    });

    it.each([
      ['__proto__', '{"title": "Valid title", "__proto__": {"status": "done"}}'],
      ['constructor.prototype', '{"title": "Valid title", "constructor": {"prototype": {"status": "done"}}}'],
    ])('refuses a %s property with 400, on create and on patch', async (_name, text) => {
      const before = await storedTarget();
      const count = await taskCount();
      for (const method of ['post', 'patch'] as const) {
        const url = method === 'post' ? '/api/tasks' : `/api/tasks/${target.id}`;
        const res = await t.http[method](url).set(user.auth).set('Content-Type', 'application/json').send(text);
        expectError(res, 400);
      }
      expect(await taskCount()).toBe(count);
      expect(await storedTarget()).toEqual(before);
    });

    it('refuses a body that is not JSON (text/plain) with 415 in the error shape', async () => {
      const count = await taskCount();
      const res = await t.http
        .post('/api/tasks')
        .set(user.auth)
        .set('Content-Type', 'text/plain')
        .send('{"title": "Valid title"}');
      expectError(res, 415);
      expect(await taskCount()).toBe(count);
    });

    it('refuses a body over 100 kB with 413, on create and on patch', async () => {
      const before = await storedTarget();
      const count = await taskCount();
      const big = JSON.stringify({ title: 'Valid title', description: 'x'.repeat(105_000) });
      for (const method of ['post', 'patch'] as const) {
        const url = method === 'post' ? '/api/tasks' : `/api/tasks/${target.id}`;
        const res = await t.http[method](url).set(user.auth).set('Content-Type', 'application/json').send(big);
        expectError(res, 413);
        expect(Object.keys(res.body.error).sort()).toEqual(['code', 'message']);
      }
      expect(await taskCount()).toBe(count);
      expect(await storedTarget()).toEqual(before);
    });

    it('reads a body just under 100 kB (then refuses it as a 400 for the long description, not a 413)', async () => {
      const body = { title: 'Valid title', description: 'x'.repeat(99_000) };
      expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(100_000);
      await expectCreateRefused(body, ['description']);
    });
  });

  it('stores accepted text exactly, unicode included', async () => {
    const body = {
      title: 'Ünïcödé — 日本語 \u{1F680}',
      description: 'Line one\nLine two\t"quoted" \\ back\'slash',
      tags: ['ça', '\u{1F3F7}\uFE0F', 'a b'],
    };
    const res = await post(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject(body);
    const { rows } = await t.db.query('SELECT title, description, tags FROM tasks WHERE id = $1', [res.body.id]);
    expect(rows[0]).toEqual(body);
  });
});
