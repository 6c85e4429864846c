import { startScannedApp, type ScannedApp } from '../support/leak-scanner';
import { createTask, createUser, expectError, type TaskBody, type TestUser } from '../support/test-app';

/**
 * Injection and encoding: hostile text in every string field and query
 * parameter is stored verbatim or refused with 400 — never a 500, never a
 * query that returns more than it should. Odd ids are a 400.
 */
const SQL = [
  "'; DROP TABLE tasks; --",
  "' OR '1'='1",
  '" OR ""="',
  "1; SELECT pg_sleep(5)--",
  "') UNION SELECT id, email, hashed_password FROM users --",
  '\\\'; \\"; \\\\',
  '$1 $2 ::text ::uuid',
  '%_%\\%',
  '{"$gt": ""}',
  '<script>alert(1)</script>',
  '${7*7} {{7*7}} #{7*7}',
];

const LONG_UNICODE = '𝄞'.repeat(255); // 255 code points, 510 UTF-16 units, 1,020 UTF-8 bytes
const TOO_LONG_UNICODE = '𝄞'.repeat(256);
/**
 * 255 different astral code points (CJK Extension B): a search text at the limit. A search
 * repeating one character is refused for another reason (its cost; see src/tasks/search-text.ts).
 */
const LONG_UNICODE_SEARCH = Array.from({ length: 255 }, (_, i) => String.fromCodePoint(0x20000 + i)).join('');
const TOO_LONG_UNICODE_SEARCH = `${LONG_UNICODE_SEARCH}${String.fromCodePoint(0x20000 + 255)}`;
const COMBINING = 'e\u0301'.repeat(127); // 254 code points
const RTL_AND_ZERO_WIDTH = '\u202Eevil\u200B\u200D\uFEFFtext';

describe('injection and encoding', () => {
  let t: ScannedApp;
  let user: TestUser;
  let other: TestUser;
  let task: TaskBody;

  beforeAll(async () => {
    t = await startScannedApp();
    user = await createUser(t);
    other = await createUser(t);
    task = await createTask(t, user, { title: 'Encoding target', tags: ['base'] });
    await createTask(t, user, { title: 'Plain task one', description: 'nothing special', tags: ['plain'] });
    await createTask(t, other, { title: "Other's task ' OR '1'='1", tags: ["' OR '1'='1"] });
  });
  afterAll(async () => {
    t.scanner.expectClean(100);
    await t.close();
  });

  const stored = async (id: string) =>
    (await t.db.query('SELECT title, description, tags FROM tasks WHERE id = $1', [id])).rows[0] as { title: string; description: string; tags: string[] };

  it.each(SQL)('stores SQL meta-characters verbatim in title, description and tags: %s', async (text) => {
    const title = `x ${text}`.slice(0, 255);
    const res = await t.http.post('/api/tasks').set(user.auth).send({ title, description: text, tags: [text.slice(0, 50)] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ title: title.trim(), description: text, tags: [text.slice(0, 50).trim()] });
    expect(await stored(res.body.id)).toEqual({ title: title.trim(), description: text, tags: [text.slice(0, 50).trim()] });
    const patched = await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({ description: text });
    expect(patched.status).toBe(200);
    expect((await stored(task.id)).description).toBe(text);
    // The tables are still there and still hold the other user's rows.
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM tasks WHERE user_id = $1', [other.id]);
    expect(rows[0].n).toBe(1);
  });

  it.each(SQL)('never widens a list query: q, tag, status, priority, sort with %s', async (text) => {
    const own = await t.http.get('/api/tasks?limit=100').set(user.auth).expect(200);
    const ownTotal = Number(own.headers['x-total-count']);
    const tagFits = [...text].length <= 50;
    for (const [name, expectValid] of [['q', true], ['tag', tagFits], ['status', false], ['priority', false], ['sort', false], ['due_before', false], ['limit', false], ['offset', false]] as const) {
      const res = await t.http.get(`/api/tasks?${name}=${encodeURIComponent(text)}`).set(user.auth);
      if (!expectValid) {
        expectError(res, 400);
        continue;
      }
      expect(res.status).toBe(200);
      const total = Number(res.headers['x-total-count']);
      expect(total).toBeLessThanOrEqual(ownTotal);
      for (const item of res.body as TaskBody[]) {
        expect(item.user_id).toBe(user.id);
        // Every hit really contains the search text (or the tag): the filter was applied literally.
        if (name === 'q') expect(`${item.title}\n${item.description ?? ''}`.toLowerCase()).toContain(text.toLowerCase().trim());
        if (name === 'tag') expect(item.tags).toContain(text.trim());
      }
    }
  });

  it('reflects hostile search text into the Link header only percent-encoded (no header injection)', async () => {
    const text = 'inj\r\nX-Injected: 1 ü <>;"';
    for (let i = 0; i < 3; i++) await t.http.post('/api/tasks').set(user.auth).send({ title: `Link ${i}`, description: `has ${text} inside` }).expect(201);
    const res = await t.http.get(`/api/tasks?limit=1&offset=1&q=${encodeURIComponent(text)}`).set(user.auth);
    expect(res.status).toBe(200);
    expect(res.headers['x-injected']).toBeUndefined();
    expect(res.headers['x-total-count']).toBe('3');
    expect(res.headers.link).toMatch(/^<\/api\/tasks\?[\x21-\x7e]+>; rel="next", <\/api\/tasks\?[\x21-\x7e]+>; rel="prev"$/);
    expect(decodeURIComponent(/q=([^&>]+)/.exec(res.headers.link)![1].replaceAll('+', ' '))).toBe(text);
  });

  it('matches % and _ literally in q', async () => {
    const res = await t.http.get(`/api/tasks?q=${encodeURIComponent('%')}`).set(user.auth).expect(200);
    for (const item of res.body as TaskBody[]) expect(`${item.title}${item.description}`).toContain('%');
  });

  describe('NUL bytes', () => {
    it.each([
      ['title', { title: 'nul\u0000title' }],
      ['description', { title: 'nul test', description: 'a\u0000b' }],
      ['a tag', { title: 'nul test', tags: ['ok', 'bad\u0000tag'] }],
    ])('refuses a NUL in %s with 400 on create and patch', async (field, body) => {
      expectError(await t.http.post('/api/tasks').set(user.auth).send(body), 400);
      const patch = { ...body } as Record<string, unknown>;
      if (field !== 'title') delete patch.title;
      expectError(await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send(patch), 400);
    });

    it.each(['q', 'tag', 'status', 'priority', 'sort', 'due_before', 'due_after', 'limit', 'offset'])('refuses %s=%00 with 400', async (name) => {
      expectError(await t.http.get(`/api/tasks?${name}=a%00b`).set(user.auth), 400);
    });

    it('refuses a NUL in email and password with 400', async () => {
      expectError(await t.http.post('/auth/signup').send({ email: 'nul\u0000@example.com', password: 'password 123' }), 400);
      expectError(await t.http.post('/auth/login').send({ email: user.email, password: 'password\u0000123' }), 400);
    });
  });

  describe('invalid UTF-8 and lone surrogates', () => {
    const jsonWithBytes = (prefix: string, bytes: number[], suffix: string) => Buffer.concat([Buffer.from(prefix), Buffer.from(bytes), Buffer.from(suffix)]);

    it.each([
      ['0xFF 0xFE', [0xff, 0xfe]],
      ['a truncated 3-byte sequence', [0xe2, 0x82]],
      ['an overlong encoding of "/"', [0xc0, 0xaf]],
      ['a UTF-8-encoded surrogate (CESU-8)', [0xed, 0xa0, 0x80]],
      ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ])('refuses raw bytes %s in a JSON body with 400 (never stored as U+FFFD)', async (_case, bytes) => {
      for (const [method, path, body] of [
        ['POST', '/api/tasks', jsonWithBytes('{"title":"bad ', bytes, ' bytes"}')],
        ['PATCH', `/api/tasks/${task.id}`, jsonWithBytes('{"description":"bad ', bytes, '"}')],
        ['POST', '/auth/login', jsonWithBytes(`{"email":"${user.email}","password":"pass `, bytes, 'word"}')],
      ] as const) {
        const res = await t.raw({ method, path, body, headers: { 'Content-Type': 'application/json', ...user.auth } });
        expectError(res, 400);
      }
      const { rows } = await t.db.query("SELECT count(*)::int AS n FROM tasks WHERE title LIKE 'bad %' OR description LIKE '%\uFFFD%'");
      expect(rows[0].n).toBe(0);
    });

    it.each([
      ['a lone high surrogate', '\\ud800'],
      ['a lone low surrogate', '\\udc00'],
      ['reversed surrogates', '\\udc00\\ud800'],
    ])('refuses %s (JSON escape) in every string field with 400', async (_case, escape) => {
      const bodies = [
        `{"title":"lone ${escape} x"}`,
        `{"title":"lone x","description":"${escape}"}`,
        `{"title":"lone x","tags":["${escape}"]}`,
      ];
      for (const body of bodies) {
        expectError(await t.http.post('/api/tasks').set(user.auth).set('Content-Type', 'application/json').send(body), 400);
      }
      expectError(await t.http.post('/auth/signup').set('Content-Type', 'application/json').send(`{"email":"a${escape}@example.com","password":"password 123"}`), 400);
      expectError(await t.http.post('/auth/login').set('Content-Type', 'application/json').send(`{"email":"${user.email}","password":"pass${escape}word"}`), 400);
    });

    it.each(['q', 'tag'])('treats undecodable percent-escapes in %s as text or refuses them, never a 500', async (name) => {
      for (const escape of ['%FF', '%ED%A0%80', '%C0%AF', '%E2%82', '%', '%G1', '%uD800']) {
        const res = await t.http.get(`/api/tasks?${name}=${escape}`).set(user.auth);
        expect([200, 400]).toContain(res.status);
        if (res.status === 200) for (const item of res.body as TaskBody[]) expect(item.user_id).toBe(user.id);
      }
    });

    it('accepts a properly paired surrogate (an astral character) and keeps it verbatim', async () => {
      const res = await t.http.post('/api/tasks').set(user.auth).set('Content-Type', 'application/json').send('{"title":"clef \\ud834\\udd1e ok"}');
      expect(res.status).toBe(201);
      expect((await stored(res.body.id)).title).toBe('clef 𝄞 ok');
    });
  });

  describe('very long Unicode', () => {
    it('stores 255 astral code points as a title, refuses 256', async () => {
      const ok = await t.http.post('/api/tasks').set(user.auth).send({ title: LONG_UNICODE });
      expect(ok.status).toBe(201);
      expect((await stored(ok.body.id)).title).toBe(LONG_UNICODE);
      expectError(await t.http.post('/api/tasks').set(user.auth).send({ title: TOO_LONG_UNICODE }), 400);
      expectError(await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({ title: TOO_LONG_UNICODE }), 400);
    });

    it('stores combining marks, RTL overrides and zero-width characters verbatim', async () => {
      for (const text of [COMBINING, RTL_AND_ZERO_WIDTH, 'ﷺ'.repeat(200), '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}'.repeat(30)]) {
        const res = await t.http.post('/api/tasks').set(user.auth).send({ title: [...text].slice(0, 255).join(''), description: text, tags: [[...text].slice(0, 50).join('')] });
        expect([201, 400]).toContain(res.status);
        if (res.status === 201) {
          const row = await stored(res.body.id);
          expect(row.description).toBe(text);
          expect(res.body.description).toBe(text);
        }
      }
    });

    it('stores a 10,000-code-point astral description (40 kB of UTF-8), refuses 10,001', async () => {
      const text = '😀'.repeat(10_000);
      const ok = await t.http.post('/api/tasks').set(user.auth).send({ title: 'long description', description: text });
      expect(ok.status).toBe(201);
      expect((await stored(ok.body.id)).description).toBe(text);
      expectError(await t.http.post('/api/tasks').set(user.auth).send({ title: 'long description', description: `${text}😀` }), 400);
    });

    it('keeps tags to 50 code points, astral ones included', async () => {
      const ok = await t.http.post('/api/tasks').set(user.auth).send({ title: 'astral tags', tags: ['🏷'.repeat(50)] });
      expect(ok.status).toBe(201);
      expect((await stored(ok.body.id)).tags).toEqual(['🏷'.repeat(50)]);
      expectError(await t.http.post('/api/tasks').set(user.auth).send({ title: 'astral tags', tags: ['🏷'.repeat(51)] }), 400);
    });

    it.each([
      ['q', LONG_UNICODE_SEARCH, 200],
      ['q', TOO_LONG_UNICODE_SEARCH, 400],
      ['q', LONG_UNICODE, 400],
      ['tag', '🏷'.repeat(50), 200],
      ['tag', '🏷'.repeat(51), 400],
      ['status', LONG_UNICODE, 400],
      ['priority', LONG_UNICODE, 400],
      ['sort', LONG_UNICODE, 400],
      ['due_after', LONG_UNICODE, 400],
      ['limit', '１０', 400],
      ['offset', '٣', 400],
    ])('answers %s of very long or non-ASCII Unicode with %s', async (name, value, status) => {
      const res = await t.http.get(`/api/tasks?${name}=${encodeURIComponent(value)}`).set(user.auth);
      expect(res.status).toBe(status);
    });

    it('answers very long Unicode emails and passwords with 400 or a normal answer, never a 500', async () => {
      for (const email of [`${'é'.repeat(243)}@example.com`, `${'é'.repeat(300)}@example.com`, `ü@${'ß'.repeat(250)}.de`]) {
        const res = await t.http.post('/auth/signup').send({ email, password: 'password 123' });
        expect([201, 400]).toContain(res.status);
      }
      expectError(await t.http.post('/auth/signup').send({ email: 'unicode-pass@example.com', password: '😀'.repeat(19) }), 400); // 76 bytes
      await t.http.post('/auth/signup').send({ email: 'unicode-pass@example.com', password: '😀'.repeat(18) }).expect(201); // 72 bytes
      await t.http.post('/auth/login').send({ email: 'unicode-pass@example.com', password: '😀'.repeat(18) }).expect(200);
    });
  });

  describe('path traversal and odd ids', () => {
    const uuid = '7d0c4c1e-52f3-4a8b-9b7e-0c9f7f0d2a11';
    it.each([
      ['..', '/api/tasks/..'],
      ['an encoded ../', '/api/tasks/..%2F..%2Fetc%2Fpasswd'],
      ['an encoded backslash traversal', '/api/tasks/..%5C..%5Cwindows'],
      ['a double-encoded ../', '/api/tasks/%252e%252e%252f'],
      ['%00', '/api/tasks/%00'],
      ['a uuid followed by %00', `/api/tasks/${uuid}%00`],
      ['a uuid followed by %00 and more', `/api/tasks/${uuid}%00.json`],
      ['a 37-character uuid-like id', `/api/tasks/${uuid}0`],
      ['a 35-character uuid-like id', `/api/tasks/${uuid.slice(0, -1)}`],
      ['a uuid without dashes', `/api/tasks/${uuid.replaceAll('-', '')}`],
      ['a uuid in braces', `/api/tasks/%7B${uuid}%7D`],
      ['a uuid with a space', `/api/tasks/%20${uuid}`],
      ['a uuid with non-hex letters', `/api/tasks/${uuid.replace('7d', 'zz')}`],
      ['SQL in the id', `/api/tasks/${encodeURIComponent("1' OR '1'='1")}`],
      ['a full-width uuid', `/api/tasks/${encodeURIComponent('７d0c4c1e-52f3-4a8b-9b7e-0c9f7f0d2a11')}`],
      ['an invalid percent-escape', '/api/tasks/%ff'],
      ['a 300-character id', `/api/tasks/${'a'.repeat(300)}`],
    ])('answers %s with 400 in the error shape, on every verb', async (_case, path) => {
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const res = await t.raw({ method, path, headers: { ...user.auth, 'Content-Type': 'application/json' }, body: method === 'PATCH' ? '{"status":"done"}' : undefined });
        expectError(res, 400);
      }
    });

    it.each([
      ['a literal ../ out of the tasks', '/api/tasks/../../etc/passwd'],
      ['a literal ../ into auth', '/api/tasks/../auth/me'],
      ['an extra segment after the id', `/api/tasks/${uuid}/..`],
      ['a doubled slash', `/api/tasks//${uuid}`],
    ])('answers %s (sent unnormalized) with 404, reaching no other route', async (_case, path) => {
      const res = await t.raw({ method: 'GET', path, headers: user.auth });
      expectError(res, 404);
    });

    it('still works for the real id afterwards, and nothing changed', async () => {
      const res = await t.http.get(`/api/tasks/${task.id}`).set(user.auth).expect(200);
      expect(res.body.id).toBe(task.id);
    });
  });
});
