import { startScannedApp, type ScannedApp } from '../support/leak-scanner';
import { createTask, createUser, expectError, type TaskBody, type TestUser } from '../support/test-app';

/**
 * One person, one identity; one tag, one spelling. An address typed on
 * another keyboard (decomposed accents, full-width letters, capitals, an
 * internationalized domain in either form) is the same account; characters
 * that cannot be seen or that reorder the text are refused instead of stored;
 * tags equal but for case or Unicode normalization are one tag. And
 * `If-None-Match` on a write is a real precondition (RFC 9110 §13.1.2).
 */
describe('identity and tag normalization', () => {
  let t: ScannedApp;
  const password = 'correct horse 1';

  beforeAll(async () => {
    t = await startScannedApp();
  });

  afterAll(async () => {
    t.scanner.expectClean(20);
    await t.close();
  });

  const signup = (email: string, pass = password) => t.http.post('/auth/signup').send({ email, password: pass });
  const login = (email: string, pass = password) => t.http.post('/auth/login').send({ email, password: pass });
  const userCount = async () => Number((await t.db.query('SELECT count(*) FROM users')).rows[0].count);
  const storedEmail = async (id: string) => (await t.db.query('SELECT email FROM users WHERE id = $1', [id])).rows[0].email as string;

  /**
   * The first spelling signs up; every other is the same account: signup 409,
   * login 200 as that user. Returns what was stored.
   */
  const expectOneAccount = async (spellings: string[]) => {
    const first = await signup(spellings[0]);
    expect(first.status).toBe(201);
    const id = first.body.user.id as string;
    for (const spelling of spellings.slice(1)) {
      const again = await signup(spelling, 'another password');
      expect({ spelling, status: again.status }).toEqual({ spelling, status: 409 });
    }
    for (const spelling of spellings) {
      const res = await login(spelling);
      expect({ spelling, status: res.status, id: res.body.user?.id }).toEqual({ spelling, status: 200, id });
    }
    const stored = await storedEmail(id);
    expect(first.body.user.email).toBe(stored);
    return stored;
  };

  describe('emails', () => {
    it('treats precomposed (NFC) and decomposed (NFD) accents as one address', async () => {
      const nfc = 'jos\u00e9@example.com';
      const nfd = 'jose\u0301@example.com';
      expect(nfc).not.toBe(nfd);
      expect(await expectOneAccount([nfd, nfc, 'JOSE\u0301@EXAMPLE.COM'])).toBe(nfc);
    });

    it('treats full-width letters (and a full-width @) as the plain ones', async () => {
      expect(await expectOneAccount(['\uff46\uff55\uff4c\uff4c@example.com', 'full@example.com', 'ＦＵＬＬ＠ｅｘａｍｐｌｅ．ｃｏｍ'])).toBe(
        'full@example.com',
      );
    });

    it('folds Greek capitals with final sigma: ΟΔΥΣΣΕΥΣ, οδυσσευς and οδυσσευσ are one address', async () => {
      const stored = await expectOneAccount(['ΟΔΥΣΣΕΥΣ@example.gr', 'οδυσσευς@example.gr', 'οδυσσευσ@example.gr', 'Οδυσσευς@Example.GR']);
      // Unicode case folding maps the final sigma to σ; one spelling is stored whatever was typed.
      expect(stored).toBe('οδυσσευσ@example.gr');
    });

    it('folds ß, ẞ and long s fully (Straße = STRASSE = straẞe, ſam = sam)', async () => {
      expect(await expectOneAccount(['Straße@example.de', 'STRASSE@example.de', 'stra\u1e9ee@example.de'])).toBe('strasse@example.de');
      expect(await expectOneAccount(['\u017fam@example.com', 'SAM@example.com'])).toBe('sam@example.com');
    });

    it('stores an internationalized domain in one form, whether typed in Unicode, as xn-- or in capitals', async () => {
      const stored = await expectOneAccount(['ada@bücher.de', 'ada@xn--bcher-kva.de', 'ADA@BÜCHER.DE', 'ada@XN--BCHER-KVA.DE', 'ada@bu\u0308cher.de']);
      expect(stored).toBe('ada@bücher.de');
    });

    it('keeps accepting the addresses it accepted before', async () => {
      for (const email of ['grace.hopper+tag@example.com', 'δοκιμή@παράδειγμα.δοκιμή', 'user@例え.テスト', 'o\'brien@example.ie']) {
        const res = await signup(email);
        expect({ email, status: res.status }).toEqual({ email, status: 201 });
        await login(email).expect(200);
      }
    });

    const invisibles: [string, string][] = [
      ['a zero-width joiner', '\u200d'],
      ['a zero-width non-joiner', '\u200c'],
      ['a zero-width space', '\u200b'],
      ['a right-to-left override', '\u202e'],
      ['a left-to-right isolate', '\u2066'],
      ['a soft hyphen', '\u00ad'],
      ['a byte order mark', '\ufeff'],
      ['a left-to-right mark', '\u200e'],
      ['an Arabic letter mark', '\u061c'],
      ['a word joiner', '\u2060'],
      ['a control character', '\u0007'],
      ['a private-use character', '\ue000'],
      ['a line separator', '\u2028'],
    ];

    it.each(invisibles)('refuses %s inside the local part or the domain with a 400 on signup and login, storing nothing', async (_name, char) => {
      for (const email of [`ad${char}min@example.com`, `admin@exam${char}ple.com`, `admin@example${char}.com`]) {
        const before = await userCount();
        const res = await signup(email);
        expectError(res, 400);
        expect(res.body.error.details).toEqual([
          { field: 'email', message: 'email must not contain invisible, control or bidirectional formatting characters' },
        ]);
        expect(await userCount()).toBe(before);
        const { rows } = await t.db.query('SELECT count(*)::int AS n FROM users WHERE email LIKE $1', [`%${char}%`]);
        expect(rows[0].n).toBe(0);

        // Not a silent 401: the address itself is refused.
        const attempt = await login(email);
        expectError(attempt, 400);
        expect(attempt.body.error.details.map((d: { field: string }) => d.field)).toEqual(['email']);
      }
    });

    it('does not let a bidi override pose as an existing account', async () => {
      await signup('admin@example.org').expect(201);
      expectError(await login('ad\u202emin@example.org'), 400);
      expectError(await signup('ad\u202emin@example.org'), 400);
      const { rows } = await t.db.query("SELECT count(*)::int AS n FROM users WHERE email LIKE '%example.org'");
      expect(rows[0].n).toBe(1);
    });

    it('refuses a domain that is not valid IDNA with a 400 naming email', async () => {
      const res = await signup('ada@xn--zz.com');
      expectError(res, 400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['email']);
    });
  });

  describe('tags', () => {
    let user: TestUser;
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    const storedTags = async (id: string) => (await t.db.query('SELECT tags FROM tasks WHERE id = $1', [id])).rows[0].tags as string[];

    beforeAll(async () => {
      user = await createUser(t);
    });

    it('keeps one spelling per case-insensitive, normalization-insensitive tag on create, the first one sent', async () => {
      const res = await t.http.post('/api/tasks').set(user.auth).send({ title: 'Tagged', tags: ['Work', 'work', 'WORK', nfc, nfd] }).expect(201);
      expect(res.body.tags).toEqual(['Work', nfc]);
      expect(await storedTags(res.body.id)).toEqual(['Work', nfc]);
    });

    it('stores the NFC spelling when the first one sent was decomposed', async () => {
      const res = await t.http.post('/api/tasks').set(user.auth).send({ title: 'Tagged NFD', tags: [nfd, 'CAF\u00c9', 'x'] }).expect(201);
      expect(await storedTags(res.body.id)).toEqual([nfc, 'x']);
    });

    it('does the same on PATCH', async () => {
      const task = await createTask(t, user, { tags: ['old'] });
      const res = await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({ tags: ['Work', 'work', 'WORK', nfc, nfd] }).expect(200);
      expect(res.body.tags).toEqual(['Work', nfc]);
      expect(await storedTags(task.id)).toEqual(['Work', nfc]);
    });

    it('folds ß and final sigma in tags too, but keeps compatibility variants apart', async () => {
      const res = await t.http
        .post('/api/tasks')
        .set(user.auth)
        .send({ title: 'Folds', tags: ['Straße', 'STRASSE', 'ΟΔΟΣ', 'οδος', 'x²', 'x2', 'ｗｏｒｋ', 'work'] })
        .expect(201);
      expect(await storedTags(res.body.id)).toEqual(['Straße', 'ΟΔΟΣ', 'x²', 'x2', 'ｗｏｒｋ', 'work']);
    });

    it('finds a task by its tag typed decomposed (the filter is NFC, then exact)', async () => {
      const task = await createTask(t, user, { title: 'Find me by café', tags: [nfc, 'Home'] });
      const byNfd = await t.http.get('/api/tasks').query({ tag: nfd }).set(user.auth).expect(200);
      expect((byNfd.body as TaskBody[]).map((x) => x.id)).toContain(task.id);
      const otherCase = await t.http.get('/api/tasks').query({ tag: 'home' }).set(user.auth).expect(200);
      expect((otherCase.body as TaskBody[]).map((x) => x.id)).not.toContain(task.id);
    });
  });

  describe('If-None-Match on writes', () => {
    let owner: TestUser;
    let stranger: TestUser;

    beforeAll(async () => {
      [owner, stranger] = [await createUser(t), await createUser(t)];
    });

    const row = async (id: string) => (await t.db.query('SELECT t::text AS row FROM tasks t WHERE id = $1', [id])).rows[0]?.row as string | undefined;

    it.each(['*', '"current"', 'W/"current"', '"7", "current"'])('refuses PATCH and DELETE with If-None-Match %s naming the task: 412, ETag, nothing changed', async (template) => {
      const task = await createTask(t, owner, { title: 'Guarded task' });
      await t.http.patch(`/api/tasks/${task.id}`).set(owner.auth).send({ status: 'in-progress' }).expect(200);
      const current = (await t.http.get(`/api/tasks/${task.id}`).set(owner.auth).expect(200)).body as TaskBody;
      const header = template.replace('current', String(current.version));
      const before = await row(task.id);

      const patched = await t.http.patch(`/api/tasks/${task.id}`).set(owner.auth).set('If-None-Match', header).send({ title: 'Changed anyway' });
      expectError(patched, 412, 'Precondition failed: If-None-Match matches the current version of the task');
      expect(patched.headers.etag).toBe(`"${current.version}"`);
      expect(patched.body.error.current).toEqual(current);
      expect(await row(task.id)).toBe(before);

      const deleted = await t.http.delete(`/api/tasks/${task.id}`).set(owner.auth).set('If-None-Match', header);
      expectError(deleted, 412, 'Precondition failed: If-None-Match matches the current version of the task');
      expect(deleted.headers.etag).toBe(`"${current.version}"`);
      expect(deleted.body.error.current).toEqual(current);
      expect(await row(task.id)).toBe(before);
    });

    it('applies PATCH and DELETE when If-None-Match names only other versions', async () => {
      const task = await createTask(t, owner, { title: 'Free to change' });
      const patched = await t.http.patch(`/api/tasks/${task.id}`).set(owner.auth).set('If-None-Match', '"5", W/"9"').send({ title: 'Changed' });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ title: 'Changed', version: 2 });
      expect(patched.headers.etag).toBe('"2"');
      await t.http.delete(`/api/tasks/${task.id}`).set(owner.auth).set('If-None-Match', '"1"').expect(204);
      // A delete moves the task to the trash: gone from the API, kept for restore.
      await t.http.get(`/api/tasks/${task.id}`).set(owner.auth).expect(403);
      const trashed = await t.db.query('SELECT deleted_at FROM tasks WHERE id = $1', [task.id]);
      expect(trashed.rows[0].deleted_at).toBeInstanceOf(Date);
    });

    it('answers 412 when If-Match passes but If-None-Match fails, and 412 when If-Match fails', async () => {
      const task = await createTask(t, owner, { title: 'Both headers' });
      const before = await row(task.id);
      expectError(await t.http.patch(`/api/tasks/${task.id}`).set(owner.auth).set('If-Match', '"1"').set('If-None-Match', '"1"').send({ title: 'Nope' }), 412);
      expectError(await t.http.patch(`/api/tasks/${task.id}`).set(owner.auth).set('If-Match', '"2"').set('If-None-Match', '"3"').send({ title: 'Nope' }), 412);
      expect(await row(task.id)).toBe(before);
    });

    it("answers another user's If-None-Match writes with the usual 403, never a 412", async () => {
      const task = await createTask(t, owner, { title: 'Not yours' });
      const before = await row(task.id);
      for (const header of ['*', '"1"', '"2"']) {
        const patched = await t.http.patch(`/api/tasks/${task.id}`).set(stranger.auth).set('If-None-Match', header).send({ title: 'pwned' });
        expectError(patched, 403, 'Access denied: task not found or not owned by user');
        expect(patched.headers.etag).toBeUndefined();
        const deleted = await t.http.delete(`/api/tasks/${task.id}`).set(stranger.auth).set('If-None-Match', header);
        expectError(deleted, 403, 'Access denied: task not found or not owned by user');
        expect(deleted.headers.etag).toBeUndefined();
      }
      expect(await row(task.id)).toBe(before);
    });
  });
});
