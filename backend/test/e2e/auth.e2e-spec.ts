import { randomUUID } from 'node:crypto';
import { createTask, createUser, expectError, startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app';
import { forgeToken, nowSeconds } from '../support/tokens';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('POST /auth/signup', () => {
    it('creates an account and returns a bearer token, normalizing the email', async () => {
      const res = await t.http.post('/auth/signup').send({ email: '  Grace.Hopper@Example.COM ', password: 'correct horse 1' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        token_type: 'Bearer',
        expires_in: 900,
        user: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          email: 'grace.hopper@example.com',
          time_zone: 'UTC',
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        },
      });
      const header = JSON.parse(Buffer.from(res.body.access_token.split('.')[0], 'base64url').toString());
      const claims = JSON.parse(Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString());
      expect(header.alg).toBe('HS256');
      expect(claims.sub).toBe(res.body.user.id);
      expect(claims.exp - claims.iat).toBe(900);
      expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);

      const stored = await t.db.query('SELECT email, hashed_password FROM users WHERE id = $1', [res.body.user.id]);
      expect(stored.rows[0].email).toBe('grace.hopper@example.com');
      expect(stored.rows[0].hashed_password).toMatch(/^\$2[aby]\$04\$/);
      expect(JSON.stringify(res.body)).not.toContain(stored.rows[0].hashed_password);
    });

    it('refuses an email already registered in any letter case with 409', async () => {
      await createUser(t, 'dup@example.com');
      const res = await t.http.post('/auth/signup').send({ email: 'DUP@Example.com', password: 'another pass' });
      expectError(res, 409, 'Email already registered');
      const { rows } = await t.db.query("SELECT count(*)::int AS n FROM users WHERE lower(email) = 'dup@example.com'");
      expect(rows[0].n).toBe(1);
    });

    it('lets only one of two simultaneous signups with the same email through', async () => {
      const results = await Promise.all(
        [0, 1, 2].map(() => t.http.post('/auth/signup').send({ email: 'race@example.com', password: 'password 123' })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    });

    it.each([
      ['a password of 7 bytes', { email: 'p7@example.com', password: '1234567' }, 'password'],
      ['a password of 73 bytes', { email: 'p73@example.com', password: 'a'.repeat(73) }, 'password'],
      ['a password of 37 two-byte characters (74 bytes)', { email: 'p74@example.com', password: 'é'.repeat(37) }, 'password'],
      ['an invalid email', { email: 'not-an-email', password: 'password 123' }, 'email'],
      ['an email of 256 characters', { email: `${'a'.repeat(244)}@example.com`, password: 'password 123' }, 'email'],
      ['a number as password', { email: 'num@example.com', password: 12345678 }, 'password'],
      ['a missing password', { email: 'nopass@example.com' }, 'password'],
      ['a missing email', { password: 'password 123' }, 'email'],
      ['an unknown property', { email: 'extra@example.com', password: 'password 123', admin: true }, 'admin'],
      ['a NUL in the password', { email: 'nul@example.com', password: 'pass\u0000word' }, 'password'],
    ])('refuses %s with 400 naming the field', async (_case, body, field) => {
      const res = await t.http.post('/auth/signup').send(body);
      expectError(res, 400);
      expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      const { rows } = await t.db.query('SELECT count(*)::int AS n FROM users WHERE email = $1', [String((body as { email?: string }).email ?? '').toLowerCase()]);
      expect(rows[0].n).toBe(0);
    });

    it('accepts passwords of exactly 8 and 72 bytes, multi-byte included', async () => {
      await t.http.post('/auth/signup').send({ email: 'p8@example.com', password: '12345678' }).expect(201);
      await t.http.post('/auth/signup').send({ email: 'p72@example.com', password: 'a'.repeat(72) }).expect(201);
      await t.http.post('/auth/signup').send({ email: 'p72u@example.com', password: 'é'.repeat(36) }).expect(201);
      await t.http.post('/auth/login').send({ email: 'p72u@example.com', password: 'é'.repeat(36) }).expect(200);
      // Not truncated to 72 bytes: the 73rd byte is not silently ignored.
      await t.http.post('/auth/login').send({ email: 'p72@example.com', password: `${'a'.repeat(72)}b` }).expect(400);
    });

    it('accepts an email of exactly 255 characters', async () => {
      const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`;
      expect(email).toHaveLength(255);
      await t.http.post('/auth/signup').send({ email, password: 'password 123' }).expect(201);
    });
  });

  describe('POST /auth/login', () => {
    it('returns the same body shape as signup', async () => {
      const user = await createUser(t, 'login@example.com', 'my secret pass');
      const res = await t.http.post('/auth/login').send({ email: ' LOGIN@example.com', password: 'my secret pass' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
        user: { id: user.id, email: 'login@example.com', time_zone: 'UTC', created_at: expect.any(String) },
      });
    });

    it('answers a wrong password and an unknown email identically', async () => {
      await createUser(t, 'known@example.com', 'right password');
      const wrong = await t.http.post('/auth/login').send({ email: 'known@example.com', password: 'wrong password' });
      const unknown = await t.http.post('/auth/login').send({ email: 'nobody@example.com', password: 'wrong password' });
      expectError(wrong, 401, 'Invalid email or password');
      expect(unknown.body).toEqual(wrong.body);
      expect(unknown.status).toBe(wrong.status);
      expect(wrong.headers['www-authenticate']).toBe('Bearer');
      expect(unknown.headers['www-authenticate']).toBe('Bearer');
    });

    it('refuses a malformed body with 400, not 401', async () => {
      expectError(await t.http.post('/auth/login').send({ email: 'x@example.com', password: 5 }), 400);
      expectError(await t.http.post('/auth/login').send({ email: 'x@example.com', password: 'password 1', remember: true }), 400);
    });
  });

  describe('PATCH /auth/me', () => {
    it('changes the time zone, stored in its canonical spelling, and GET /auth/me shows it', async () => {
      const user = await createUser(t);
      const res = await t.http.patch('/auth/me').set(user.auth).send({ time_zone: 'europe/berlin' }).expect(200);
      expect(res.body).toEqual({ id: user.id, email: user.email, time_zone: 'Europe/Berlin', created_at: expect.any(String) });
      expect((await t.http.get('/auth/me').set(user.auth).expect(200)).body.time_zone).toBe('Europe/Berlin');
      const { rows } = await t.db.query('SELECT time_zone FROM users WHERE id = $1', [user.id]);
      expect(rows[0].time_zone).toBe('Europe/Berlin');
      // An empty change changes nothing.
      expect((await t.http.patch('/auth/me').set(user.auth).send({}).expect(200)).body.time_zone).toBe('Europe/Berlin');
    });

    it.each([['Mars/Olympus'], ['+01:00'], [''], [42], [null]])('refuses the time zone %j with 400, changing nothing', async (zone) => {
      const user = await createUser(t);
      const res = await t.http.patch('/auth/me').set(user.auth).send({ time_zone: zone });
      expectError(res, 400);
      expect(res.body.error.details).toEqual([{ field: 'time_zone', message: expect.any(String) }]);
      expect((await t.http.get('/auth/me').set(user.auth)).body.time_zone).toBe('UTC');
    });

    it('refuses properties it does not change, and needs a token', async () => {
      const user = await createUser(t);
      expectError(await t.http.patch('/auth/me').set(user.auth).send({ id: randomUUID() }), 400);
      expectError(await t.http.patch('/auth/me').set(user.auth).send({ password: 'new password 1' }), 400);
      expectError(await t.http.patch('/auth/me').send({ time_zone: 'UTC' }), 401);
    });
  });

  describe('GET /auth/me', () => {
    it('returns the signed-in user', async () => {
      const user = await createUser(t);
      const res = await t.http.get('/auth/me').set(user.auth).expect(200);
      expect(res.body).toEqual({ id: user.id, email: user.email, time_zone: 'UTC', created_at: expect.any(String) });
    });

    it('needs a token', async () => {
      const res = await t.http.get('/auth/me');
      expectError(res, 401, 'Invalid token');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });
  });

  describe('tokens', () => {
    let user: Awaited<ReturnType<typeof createUser>>;
    beforeAll(async () => {
      user = await createUser(t);
    });
    const claims = () => ({ sub: user.id, iat: nowSeconds(), exp: nowSeconds() + 600 });

    it('accepts a token it signed, on every protected route', async () => {
      const token = forgeToken(claims(), { secret: TEST_JWT_SECRET });
      await t.http.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      await t.http.get('/api/tasks').set('Authorization', `Bearer ${token}`).expect(200);
    });

    it.each([
      ['alg none', () => forgeToken(claims(), { secret: '', alg: 'none' })],
      ['a wrong key', () => forgeToken(claims(), { secret: 'another-secret-of-sufficient-length-123456' })],
      ['HS384 with the right key', () => forgeToken(claims(), { secret: TEST_JWT_SECRET, alg: 'HS384' })],
      ['HS512 with the right key', () => forgeToken(claims(), { secret: TEST_JWT_SECRET, alg: 'HS512' })],
      ['RS256 signed with the HMAC secret', () => forgeToken(claims(), { secret: TEST_JWT_SECRET, alg: 'RS256' })],
      ['no exp claim', () => forgeToken({ sub: user.id, iat: nowSeconds() }, { secret: TEST_JWT_SECRET })],
      ['nbf in the future', () => forgeToken({ ...claims(), nbf: nowSeconds() + 3600 }, { secret: TEST_JWT_SECRET })],
      ['a sub that is not a user', () => forgeToken({ ...claims(), sub: '00000000-0000-4000-8000-000000000000' }, { secret: TEST_JWT_SECRET })],
      ['a sub that is not a uuid', () => forgeToken({ ...claims(), sub: "' OR 1=1 --" }, { secret: TEST_JWT_SECRET })],
      ['an edited sub with the old signature', () => {
        const [h, , s] = forgeToken(claims(), { secret: TEST_JWT_SECRET }).split('.');
        const edited = Buffer.from(JSON.stringify({ ...claims(), sub: '00000000-0000-4000-8000-000000000001' })).toString('base64url');
        return `${h}.${edited}.${s}`;
      }],
      ['garbage', () => 'not.a.token'],
      ['an empty token', () => ''],
    ])('refuses %s with 401 Invalid token', async (_case, token) => {
      const res = await t.http.get('/api/tasks').set('Authorization', `Bearer ${token()}`);
      expectError(res, 401, 'Invalid token');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('says "Token expired" for an expired token', async () => {
      const token = forgeToken({ sub: user.id, iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }, { secret: TEST_JWT_SECRET });
      const res = await t.http.get('/api/tasks').set('Authorization', `Bearer ${token}`);
      expectError(res, 401, 'Token expired');
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('refuses a token sent anywhere but the Authorization header', async () => {
      expectError(await t.http.get(`/api/tasks?access_token=${user.token}`), 401, 'Invalid token');
      expectError(await t.http.get('/auth/me').query({ access_token: user.token }), 401, 'Invalid token');
      expectError(await t.http.get('/auth/me').set('Cookie', `access_token=${user.token}; token=${user.token}`), 401, 'Invalid token');
      expectError(await t.http.get('/auth/me').set('Authorization', user.token), 401, 'Invalid token');
    });

    it('refuses the token of a user who no longer exists', async () => {
      const gone = await createUser(t);
      await createTask(t, gone);
      await t.db.query('DELETE FROM users WHERE id = $1', [gone.id]);
      expectError(await t.http.get('/auth/me').set(gone.auth), 401, 'Invalid token');
      expectError(await t.http.get('/api/tasks').set(gone.auth), 401, 'Invalid token');
      const { rows } = await t.db.query('SELECT count(*)::int AS n FROM tasks WHERE user_id = $1', [gone.id]);
      expect(rows[0].n).toBe(0);
    });
  });

  it('logs one line per request with the user id and never a password or token', async () => {
    const user = await createUser(t, 'logged@example.com', 'secret-password-42');
    await t.http.post('/auth/login').send({ email: 'logged@example.com', password: 'secret-password-42' }).expect(200);
    await t.http.get('/api/tasks?q=needle').set(user.auth).expect(200);
    await new Promise((r) => setTimeout(r, 200));
    const all = t.output.join('\n');
    expect(all).not.toContain('secret-password-42');
    expect(all).not.toContain(user.token);
    expect(all).not.toContain(user.token.split('.')[2]);
    const lines = t.output.filter((l) => l.includes('"path":"/api/tasks"') && l.includes(user.id));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ method: 'GET', path: '/api/tasks', status: 200, user_id: user.id, duration_ms: expect.any(Number) });
  });
});

describe('auth timing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BCRYPT_ROUNDS: '10' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('takes as long for an unknown email as for a wrong password', async () => {
    await createUser(t, 'timed@example.com', 'the right password');
    const time = async (email: string) => {
      const start = process.hrtime.bigint();
      await t.http.post('/auth/login').send({ email, password: 'a wrong password' }).expect(401);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 15; i++) {
      known.push(await time('timed@example.com'));
      unknown.push(await time(`ghost${i}@example.com`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratio = median(unknown) / median(known);
    // Without the dummy hash an unknown email answers in ~1 ms against ~50 ms.
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(1.4);
  });
});

describe('auth rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ AUTH_RATE_LIMIT: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('allows AUTH_RATE_LIMIT attempts a minute per route and client, then 429 with Retry-After', async () => {
    await t.http.post('/auth/signup').send({ email: 'rl@example.com', password: 'password 123' }).expect(201);
    await t.http.post('/auth/signup').send({ email: 'rl@example.com', password: 'password 123' }).expect(409);
    await t.http.post('/auth/signup').send({ email: 'rl-bad' }).expect(400);
    await t.http.post('/auth/login').send({ email: 'rl@example.com', password: 'wrong pass 1' }).expect(401);
    await t.http.post('/auth/login').send({ email: 'rl@example.com', password: 'wrong pass 2' }).expect(401);
    await t.http.post('/auth/login').send({ email: 'rl@example.com', password: 'password 123' }).expect(200);
    const limited = await t.http.post('/auth/login').send({ email: 'rl@example.com', password: 'password 123' });
    expectError(limited, 429, /retry in \d+ seconds/);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expectError(await t.http.post('/auth/signup').send({ email: 'rl2@example.com', password: 'password 123' }), 429);
  });

  it('does not limit the task routes', async () => {
    const token = forgeToken({ sub: '00000000-0000-4000-8000-000000000000', iat: nowSeconds(), exp: nowSeconds() + 60 }, { secret: TEST_JWT_SECRET });
    for (let i = 0; i < 5; i++) {
      expectError(await t.http.get('/api/tasks').set('Authorization', `Bearer ${token}`), 401);
    }
  });
});
