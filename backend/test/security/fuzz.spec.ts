import fc from 'fast-check';
import { normalizeTags } from '../../src/tasks/tags';
import { startScannedApp, type ScannedApp } from '../support/leak-scanner';
import { type OpenApiDocument, responseErrors } from '../support/openapi-schema';
import { createTask, createUser, type TaskBody, type TestUser } from '../support/test-app';

/**
 * Property-based fuzzing with fast-check: random create, patch and list
 * inputs, valid and invalid, never produce a 5xx; every answer is a documented
 * status whose body matches the OpenAPI schema the API publishes; and what a
 * 2xx returns is what was sent (trimmed; tags in NFC, one per case-insensitive
 * spelling, by the rule of src/tasks/tags.ts and its unit spec).
 *
 * FUZZ_RUNS (default 150 per property) trades depth for time; a failure
 * prints the seed and the shrunk counter-example to replay.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.constantFrom("' OR 1=1 --", '%', '_', '\\', '\u0000', '\ud800', ' padded ', '', '   ', '😀'.repeat(60), 'null', '[]'),
  );
const notAString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
const realDate = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const dateLike = fc.oneof(
  realDate,
  fc.tuple(fc.integer({ min: 0, max: 10000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(
    ([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
  ),
  fc.constantFrom('2027-02-29', '2028-02-29', '2027-1-1', '2027-01-01T00:00:00Z', 'tomorrow', ''),
);

const field = {
  title: fc.oneof({ weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 3, maxLength: 40 }) }, anyText(300), notAString),
  description: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), anyText(300), fc.constant(null), notAString),
  status: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('todo', 'in-progress', 'done') }, anyText(20), notAString),
  priority: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('low', 'medium', 'high', null) }, anyText(20), notAString),
  tags: fc.oneof(
    { weight: 3, arbitrary: fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), { maxLength: 8 }) },
    fc.array(anyText(60), { maxLength: 25 }),
    fc.array(notAString, { maxLength: 3 }),
    notAString,
  ),
  due_date: fc.oneof({ weight: 3, arbitrary: realDate }, dateLike, fc.constant(null), notAString),
};
const unknownKeys = fc.dictionary(fc.constantFrom('id', 'user_id', 'created_at', 'updated_at', 'owner', 'x', 'Title', 'tag'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 });

/** Values the contract accepts, so that about half the runs exercise the 2xx path and its schema. */
const validField = {
  title: fc.string({ unit: 'grapheme', minLength: 3, maxLength: 60 }).filter((t) => [...t.trim()].length >= 3 && t.isWellFormed() && !t.includes('\u0000')),
  description: fc.oneof(fc.constant(null), fc.string({ unit: 'grapheme', maxLength: 300 }).filter((t) => t.isWellFormed() && !t.includes('\u0000'))),
  status: fc.constantFrom('todo', 'in-progress', 'done'),
  priority: fc.constantFrom('low', 'medium', 'high', null),
  tags: fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((t) => t.trim().length > 0 && t.isWellFormed() && !t.includes('\u0000')), { maxLength: 20 }),
  due_date: fc.oneof(realDate, fc.constant(null)),
};

const createBody = fc.oneof(
  fc.record(validField, { requiredKeys: ['title'] }),
  fc
    .tuple(fc.record(field, { requiredKeys: [] }), fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, unknownKeys))
    .map(([fields, extra]) => ({ ...fields, ...extra })),
);
const patchBody = fc.oneof(fc.record(validField, { requiredKeys: [] }), createBody);

const queryValue = fc.oneof(anyText(30), fc.integer({ min: -5, max: 200 }).map(String));
const validListQuery = fc.record(
  {
    status: fc.constantFrom('todo', 'done', 'todo,in-progress', 'in-progress,done,todo'),
    priority: fc.constantFrom('low', 'high', 'medium,high'),
    tag: fc.array(fc.constantFrom('a', 'b', 'work', 'ü'), { minLength: 1, maxLength: 3 }),
    q: fc.string({ maxLength: 10 }).filter((q) => !q.includes('\u0000')),
    due_before: realDate,
    due_after: realDate,
    sort: fc.constantFrom('created_at', '-created_at', 'updated_at', '-updated_at', 'due_date', '-due_date', 'priority', '-priority', 'title', '-title'),
    limit: fc.integer({ min: 1, max: 100 }).map(String),
    offset: fc.integer({ min: 0, max: 30 }).map(String),
  },
  { requiredKeys: [] },
);
const anyListQuery = fc.record(
  {
    status: fc.oneof(fc.constantFrom('todo', 'done', 'todo,in-progress', 'in-progress,done,todo'), queryValue),
    priority: fc.oneof(fc.constantFrom('low', 'high', 'medium,high'), queryValue),
    tag: fc.oneof(fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 }), fc.array(queryValue, { minLength: 1, maxLength: 3 })),
    q: queryValue,
    due_before: dateLike,
    due_after: dateLike,
    sort: fc.oneof(fc.constantFrom('created_at', '-created_at', 'updated_at', '-updated_at', 'due_date', '-due_date', 'priority', '-priority', 'title', '-title'), queryValue),
    limit: fc.oneof(fc.integer({ min: 1, max: 100 }).map(String), queryValue),
    offset: fc.oneof(fc.integer({ min: 0, max: 30 }).map(String), queryValue),
    unknown: queryValue,
  },
  { requiredKeys: [] },
);
const listQuery = fc.oneof(validListQuery, anyListQuery);

function toQueryString(query: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  }
  return params.toString();
}

const codePoints = (text: string) => [...text].length;

/** A query made only of values validListQuery produces: the API must serve it. */
function isValidQuery(query: Record<string, unknown>): boolean {
  const statuses = ['todo', 'in-progress', 'done'];
  const priorities = ['low', 'medium', 'high'];
  const sorts = ['created_at', 'updated_at', 'due_date', 'priority', 'title'].flatMap((f) => [f, `-${f}`]);
  return Object.entries(query).every(([key, value]) => {
    if (key === 'status') return String(value).split(',').every((v) => statuses.includes(v));
    if (key === 'priority') return String(value).split(',').every((v) => priorities.includes(v));
    if (key === 'tag') return Array.isArray(value) && value.every((v) => typeof v === 'string' && [...v].length >= 1 && [...v].length <= 50 && v.isWellFormed() && !v.includes('\u0000'));
    if (key === 'q') return typeof value === 'string' && [...value].length <= 255 && value.isWellFormed() && !value.includes('\u0000');
    if (key === 'due_before' || key === 'due_after') return typeof value === 'string' && isRealDate(value);
    if (key === 'sort') return sorts.includes(String(value));
    if (key === 'limit') return /^\d{1,15}$/.test(String(value)) && Number(value) >= 1 && Number(value) <= 100;
    if (key === 'offset') return /^\d{1,15}$/.test(String(value)) && Number(value) <= 1_000_000_000;
    return false;
  });
}

/** What the contract says a create with this body must do. */
function expectedCreate(body: Record<string, unknown>): 'valid' | 'invalid' {
  const keys = Object.keys(body);
  if (keys.some((k) => !['title', 'description', 'status', 'priority', 'tags', 'due_date'].includes(k))) return 'invalid';
  const clean = (s: string) => !s.includes('\u0000') && s.isWellFormed();
  const { title, description, status, priority, tags, due_date } = body;
  if (typeof title !== 'string' || !clean(title) || codePoints(title.trim()) < 3 || codePoints(title.trim()) > 255) return 'invalid';
  return restValid({ description, status, priority, tags, due_date }, clean);
}

function restValid(fields: Record<string, unknown>, clean: (s: string) => boolean): 'valid' | 'invalid' {
  const { description, status, priority, tags, due_date } = fields;
  if (description !== undefined && description !== null && (typeof description !== 'string' || !clean(description) || codePoints(description) > 10_000)) return 'invalid';
  if (status !== undefined && !['todo', 'in-progress', 'done'].includes(status as string)) return 'invalid';
  if (priority !== undefined && priority !== null && !['low', 'medium', 'high'].includes(priority as string)) return 'invalid';
  if (tags !== undefined) {
    if (!Array.isArray(tags) || tags.length > 20) return 'invalid';
    for (const tag of tags) {
      if (typeof tag !== 'string' || !clean(tag) || codePoints(tag.trim()) < 1 || codePoints(tag.trim()) > 50) return 'invalid';
    }
  }
  if (due_date !== undefined && due_date !== null && (typeof due_date !== 'string' || !isRealDate(due_date))) return 'invalid';
  return 'valid';
}

function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * The body as JSON carries it, which is what the API judges: a generated Infinity or NaN
 * arrives as null, an undefined field not at all.
 */
function asSent(body: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

function expectStoredAsSent(task: TaskBody, body: Record<string, unknown>): void {
  if (typeof body.title === 'string') expect(task.title).toBe(body.title.trim());
  if ('description' in body) expect(task.description).toBe(body.description);
  if ('status' in body) expect(task.status).toBe(body.status);
  if ('priority' in body) expect(task.priority).toBe(body.priority);
  if ('due_date' in body) expect(task.due_date).toBe(body.due_date);
  if (Array.isArray(body.tags)) expect(task.tags).toEqual(normalizeTags((body.tags as string[]).map((tag) => tag.trim())));
}

describe('property-based fuzzing', () => {
  let t: ScannedApp;
  let user: TestUser;
  let doc: OpenApiDocument;
  let task: TaskBody;
  const statuses = new Map<string, number>();
  const count = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);

  beforeAll(async () => {
    t = await startScannedApp();
    user = await createUser(t);
    task = await createTask(t, user, { title: 'Fuzz target' });
    doc = (await t.http.get('/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    process.stdout.write(`fuzz outcomes: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    t.scanner.expectClean(RUNS);
    await t.close();
  });

  it(`creates: never a 5xx, the contract's verdict, a schema-valid body (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(createBody, async (generated) => {
        const body = asSent(generated);
        const res = await t.http.post('/api/tasks').set(user.auth).send(body);
        count(`POST ${res.status}`);
        expect(res.status).toBeLessThan(500);
        expect(responseErrors(doc, 'post', '/api/tasks', res)).toEqual([]);
        expect(res.status).toBe(expectedCreate(body) === 'valid' ? 201 : 400);
        if (res.status === 201) {
          expectStoredAsSent(res.body, body);
          expect(res.headers.location).toBe(`/api/tasks/${res.body.id}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`patches: never a 5xx, the contract's verdict, a schema-valid body (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(patchBody, async (generated) => {
        const body = asSent(generated);
        const before = (await t.http.get(`/api/tasks/${task.id}`).set(user.auth).expect(200)).body as TaskBody;
        const res = await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send(body);
        count(`PATCH ${res.status}`);
        expect(res.status).toBeLessThan(500);
        expect(responseErrors(doc, 'patch', '/api/tasks/{id}', res)).toEqual([]);
        const keys = Object.keys(body);
        const clean = (s: string) => !s.includes('\u0000') && s.isWellFormed();
        const titleOk =
          !('title' in body) || (typeof body.title === 'string' && clean(body.title) && codePoints(body.title.trim()) >= 3 && codePoints(body.title.trim()) <= 255);
        const valid =
          keys.every((k) => ['title', 'description', 'status', 'priority', 'tags', 'due_date'].includes(k)) &&
          titleOk &&
          restValid(body, clean) === 'valid';
        expect(res.status).toBe(valid ? 200 : 400);
        const after = (await t.http.get(`/api/tasks/${task.id}`).set(user.auth).expect(200)).body as TaskBody;
        if (res.status === 200) {
          expectStoredAsSent(res.body, body);
          expect(after).toEqual(res.body);
        } else {
          // A refused patch changes nothing at all.
          expect(after).toEqual(before);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`lists: never a 5xx, a schema-valid page, consistent paging headers (${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(listQuery, async (query) => {
        const res = await t.http.get(`/api/tasks?${toQueryString(query as Record<string, string | string[]>)}`).set(user.auth);
        count(`GET ${res.status}`);
        expect(res.status).toBeLessThan(500);
        expect(responseErrors(doc, 'get', '/api/tasks', res)).toEqual([]);
        if ('unknown' in query) expect(res.status).toBe(400);
        if (!('unknown' in query) && Object.values(query).every((v) => v !== undefined) && isValidQuery(query)) expect(res.status).toBe(200);
        if (res.status === 200) {
          const total = Number(res.headers['x-total-count']);
          expect(Number.isInteger(total)).toBe(true);
          expect(total).toBeGreaterThanOrEqual(res.body.length);
          for (const item of res.body as TaskBody[]) expect(item.user_id).toBe(user.id);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
