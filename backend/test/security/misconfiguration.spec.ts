import { startScannedApp, type RawResponse, type ScannedApp } from '../support/leak-scanner';
import { createTask, createUser, type TestUser } from '../support/test-app';

/**
 * OWASP API8 (security misconfiguration): the security headers ride on every
 * response, successes, errors and router-level refusals alike; CORS answers
 * only the configured origins; error bodies never show internals; TRACE and
 * other unused methods are refused; nothing is cacheable.
 */
type Headers = Record<string, string | string[] | undefined>;

function securityHeaderProblems(headers: Headers): string[] {
  const problems: string[] = [];
  const maxAge = Number(/max-age=(\d+)/.exec(String(headers['strict-transport-security'] ?? ''))?.[1]);
  if (!(maxAge >= 180 * 24 * 3600)) problems.push('Strict-Transport-Security max-age below 180 days');
  const expect = (name: string, test: (value: string) => boolean) => {
    const value = headers[name];
    if (typeof value !== 'string' || !test(value)) problems.push(`${name}: ${String(value)}`);
  };
  expect('x-content-type-options', (v) => v === 'nosniff');
  expect('x-frame-options', (v) => v === 'SAMEORIGIN' || v === 'DENY');
  expect('content-security-policy', (v) => v.includes("default-src 'self'") && v.includes("object-src 'none'"));
  expect('referrer-policy', (v) => v === 'no-referrer');
  expect('cross-origin-opener-policy', (v) => v === 'same-origin');
  expect('cache-control', (v) => v.includes('no-store'));
  if (headers['x-powered-by'] !== undefined) problems.push('X-Powered-By present');
  if (headers.server !== undefined) problems.push(`Server: ${String(headers.server)}`);
  return problems;
}

describe('API8 security misconfiguration', () => {
  let t: ScannedApp;
  let user: TestUser;
  let other: TestUser;
  let taskId: string;
  let otherTaskId: string;

  beforeAll(async () => {
    t = await startScannedApp({ CORS_ORIGINS: 'https://app.example.com', AUTH_RATE_LIMIT: '8' });
    user = await createUser(t);
    other = await createUser(t);
    taskId = (await createTask(t, user)).id;
    otherTaskId = (await createTask(t, other)).id;
  });
  afterAll(async () => {
    t.scanner.expectClean(40);
    await t.close();
  });

  /** One request for each kind of answer the API gives. */
  const everyKindOfResponse = (): [string, () => Promise<RawResponse>][] => {
    const json = { 'Content-Type': 'application/json' };
    const auth = { ...user.auth };
    return [
      ['200 health', () => t.raw({ method: 'GET', path: '/health' })],
      ['200 list', () => t.raw({ method: 'GET', path: '/api/tasks', headers: auth })],
      ['200 me', () => t.raw({ method: 'GET', path: '/auth/me', headers: auth })],
      ['201 create', () => t.raw({ method: 'POST', path: '/api/tasks', headers: { ...auth, ...json }, body: '{"title":"headers"}' })],
      ['204 delete', async () => {
        const created = await t.raw({ method: 'POST', path: '/api/tasks', headers: { ...auth, ...json }, body: '{"title":"to delete"}' });
        return t.raw({ method: 'DELETE', path: `/api/tasks/${(created.body as { id: string }).id}`, headers: auth });
      }],
      ['204 preflight', () => t.raw({ method: 'OPTIONS', path: '/api/tasks', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' } })],
      ['400 validation', () => t.raw({ method: 'POST', path: '/api/tasks', headers: { ...auth, ...json }, body: '{"title":1}' })],
      ['400 malformed JSON', () => t.raw({ method: 'POST', path: '/api/tasks', headers: { ...auth, ...json }, body: '{"title":' })],
      ['400 bad id', () => t.raw({ method: 'GET', path: '/api/tasks/not-a-uuid', headers: auth })],
      ['400 undecodable URL (router)', () => t.raw({ method: 'GET', path: '/api/tasks/%ff', headers: auth })],
      ['400 over-long parameter (router)', () => t.raw({ method: 'GET', path: `/api/tasks/${'a'.repeat(300)}`, headers: auth })],
      ['400 bad UTF-8', () => t.raw({ method: 'POST', path: '/api/tasks', headers: { ...auth, ...json }, body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) })],
      ['401 no token', () => t.raw({ method: 'GET', path: '/api/tasks' })],
      ['401 login', () => t.raw({ method: 'POST', path: '/auth/login', headers: json, body: JSON.stringify({ email: user.email, password: 'wrong password' }) })],
      ['403 foreign task', () => t.raw({ method: 'GET', path: `/api/tasks/${otherTaskId}`, headers: auth })],
      ['404 route', () => t.raw({ method: 'GET', path: '/nothing/here' })],
      ['404 method', () => t.raw({ method: 'PUT', path: `/api/tasks/${taskId}`, headers: { ...auth, ...json }, body: '{}' })],
      ['404 TRACE', () => t.raw({ method: 'TRACE', path: '/api/tasks', headers: auth })],
      ['409 signup', () => t.raw({ method: 'POST', path: '/auth/signup', headers: json, body: JSON.stringify({ email: user.email, password: 'password 123' }) })],
      ['413 body', () => t.raw({ method: 'POST', path: '/api/tasks', headers: { ...auth, ...json }, body: `{"title":"${'x'.repeat(120 * 1024)}"}` })],
      ['415 form', () => t.raw({ method: 'POST', path: '/api/tasks', headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'title=form' })],
      ['429 rate limit', async () => {
        const attempt = () => t.raw({ method: 'POST', path: '/auth/login', headers: json, body: '{}' });
        let res = await attempt();
        for (let i = 0; i < 10 && res.status !== 429; i++) res = await attempt();
        return res;
      }],
    ];
  };

  it('sends the security headers and Cache-Control: no-store on every kind of response', async () => {
    const seen = new Map<string, number>();
    for (const [name, call] of everyKindOfResponse()) {
      const res = await call();
      seen.set(name, res.status);
      expect(Number(name.slice(0, 3))).toBe(res.status);
      expect({ name, problems: securityHeaderProblems(res.headers) }).toEqual({ name, problems: [] });
    }
    expect(seen.size).toBeGreaterThan(20);
  });

  it('answers every error in the contract\'s shape, as JSON, without internals', async () => {
    for (const [name, call] of everyKindOfResponse()) {
      const res = await call();
      if (res.status < 400) continue;
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect({ name, body: res.body }).toEqual({ name, body: { error: expect.objectContaining({ code: res.status, message: expect.any(String) }) } });
      const keys = Object.keys((res.body as { error: object }).error);
      for (const key of keys) expect(['code', 'message', 'details']).toContain(key);
    }
    // The LeakScanner has checked each of these bodies for stack traces, SQL and library names.
    expect(t.scanner.violations).toEqual([]);
  });

  describe('CORS', () => {
    it.each([
      'https://evil.example.com',
      'null',
      'https://app.example.com.evil.com',
      'https://evil-app.example.com',
      'http://app.example.com',
      'https://app.example.com:8443',
      'https://APP.EXAMPLE.COM.evil.com',
      'file://',
      '*',
    ])('gives origin %s no CORS grant, on requests and preflights', async (origin) => {
      const simple = await t.http.get('/api/tasks').set(user.auth).set('Origin', origin);
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      expect(simple.headers['access-control-allow-credentials']).toBeUndefined();
      const preflight = await t.http
        .options(`/api/tasks/${taskId}`)
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'DELETE')
        .set('Access-Control-Request-Headers', 'authorization');
      // Without Access-Control-Allow-Origin the browser refuses the request, whatever else is listed.
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('grants exactly the configured origin, without credentials, and varies on Origin', async () => {
      const res = await t.http.get('/api/tasks').set(user.auth).set('Origin', 'https://app.example.com');
      expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(res.headers.vary).toMatch(/Origin/i);
      const preflight = await t.http
        .options('/api/tasks')
        .set('Origin', 'https://app.example.com')
        .set('Access-Control-Request-Method', 'PUT');
      expect(preflight.headers['access-control-allow-methods'] ?? '').not.toContain('PUT');
    });
  });

  describe('methods', () => {
    it('refuses a method HTTP/1.1 does not know (TRACK) at the parser, still in the error shape with the headers', async () => {
      const res = await t.raw({ method: 'TRACK', path: '/api/tasks', headers: user.auth });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: 400, message: 'Malformed HTTP request' } });
      expect(securityHeaderProblems(res.headers)).toEqual([]);
    });

    it('answers a URL over the 16 kB header limit with 431 in the error shape with the headers', async () => {
      const res = await t.raw({ method: 'GET', path: `/api/tasks?q=${'a'.repeat(20_000)}`, headers: user.auth });
      expect(res.status).toBe(431);
      expect(res.body).toEqual({ error: { code: 431, message: 'Request headers or URL too large' } });
      expect(securityHeaderProblems(res.headers)).toEqual([]);
    });

    it.each(['TRACE', 'PUT', 'PROPFIND', 'SEARCH', 'PURGE'])('refuses %s on every route', async (method) => {
      for (const path of ['/health', '/auth/me', '/auth/login', '/api/tasks', `/api/tasks/${taskId}`, '/docs-json']) {
        const res = await t.raw({ method, path, headers: { ...user.auth, 'X-Echo': 'reflected-secret' } });
        expect([400, 404, 405]).toContain(res.status);
        // TRACE would echo the request back, Authorization header included.
        expect(res.text).not.toContain('reflected-secret');
        expect(res.text).not.toContain(user.token);
      }
    });

    it('keeps HEAD behind the same guards as GET', async () => {
      expect((await t.http.head('/api/tasks')).status).toBe(401);
      expect((await t.http.head('/auth/me')).status).toBe(401);
      expect((await t.http.head(`/api/tasks/${otherTaskId}`).set(user.auth)).status).toBe(403);
      expect((await t.http.head('/api/tasks').set(user.auth)).status).toBe(200);
    });
  });

  it('has a header check that can fail', () => {
    expect(securityHeaderProblems({ 'x-powered-by': 'Express' }).length).toBeGreaterThan(5);
  });
});
