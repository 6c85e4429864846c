import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createUser, expectError, startTestApp, stopProcess, type TestApp } from '../support/test-app';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const COMMITTED_OPENAPI = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));

function expectSecurityHeaders(headers: Record<string, string>): void {
  const maxAge = Number(/max-age=(\d+)/.exec(headers['strict-transport-security'] ?? '')?.[1]);
  expect(maxAge).toBeGreaterThanOrEqual(180 * 24 * 3600);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(headers['content-security-policy']).toContain("default-src 'self'");
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-powered-by']).toBeUndefined();
}

describe('platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'http://localhost:4200,https://app.example.com' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports health', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', database: 'up' });
  });

  it('answers unknown routes and methods with 404 in the error shape', async () => {
    expectError(await t.http.get('/nope'), 404, 'Not found');
    expectError(await t.http.get('/api/tasks/x/y'), 404);
    expectError(await t.http.put('/api/tasks'), 404);
    const trace = await t.http.trace('/health');
    expect([404, 405]).toContain(trace.status);
    expect(trace.body.error.code).toBe(trace.status);
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const user = await createUser(t);
    const malformed = await t.http.post('/api/tasks').set(user.auth).set('Content-Type', 'application/json').send('{"title": "x",');
    expectError(malformed, 400);
    const big = await t.http.post('/api/tasks').set(user.auth).send({ title: 'big', description: 'x'.repeat(101 * 1024) });
    expectError(big, 413);
    const array = await t.http.post('/api/tasks').set(user.auth).send([{ title: 'abc' }]);
    expectError(array, 400, 'Request body must be a JSON object');
  });

  it('sends the security headers on successes and errors alike', async () => {
    expectSecurityHeaders((await t.http.get('/health')).headers);
    expectSecurityHeaders((await t.http.get('/nope')).headers);
    expectSecurityHeaders((await t.http.get('/api/tasks')).headers);
    expectSecurityHeaders((await t.http.post('/auth/login').send({})).headers);
  });

  it('allows exactly the configured CORS origins and exposes the paging headers', async () => {
    const allowed = await t.http.get('/health').set('Origin', 'https://app.example.com');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers['access-control-expose-headers']).toMatch(/X-Total-Count/);
    expect(allowed.headers['access-control-expose-headers']).toMatch(/Link/);

    const preflight = await t.http
      .options('/api/tasks')
      .set('Origin', 'http://localhost:4200')
      .set('Access-Control-Request-Method', 'PATCH')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:4200');
    expect(preflight.headers['access-control-allow-methods']).toContain('PATCH');

    for (const origin of ['https://evil.example.com', 'null', 'http://localhost:4200.evil.com']) {
      const res = await t.http.get('/health').set('Origin', origin);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('serves Swagger UI and an OpenAPI document that covers every route, with bearer auth and error schemas', async () => {
    const ui = await t.http.get('/docs').redirects(1);
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');

    const doc = (await t.http.get('/docs-json').expect(200)).body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = Object.entries(doc.paths as Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>).flatMap(
      ([path, methods]) => Object.entries(methods).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.map((o) => o.key).sort()).toEqual(
      [
        'GET /health',
        'POST /auth/signup',
        'POST /auth/login',
        'GET /auth/me',
        'PATCH /auth/me',
        'POST /api/tasks',
        'POST /api/tasks/bulk',
        'POST /api/tasks/bulk-delete',
        'GET /api/trash',
        'DELETE /api/trash',
        'POST /api/trash/{id}/restore',
        'DELETE /api/trash/{id}',
        'GET /api/projects',
        'POST /api/projects',
        'GET /api/projects/{id}',
        'PATCH /api/projects/{id}',
        'DELETE /api/projects/{id}',
        'GET /api/views',
        'POST /api/views',
        'GET /api/views/{id}',
        'PATCH /api/views/{id}',
        'DELETE /api/views/{id}',
        'GET /api/tasks',
        'GET /api/tasks/{id}',
        'PATCH /api/tasks/{id}',
        'DELETE /api/tasks/{id}',
        'POST /api/events/ticket',
        'GET /api/events',
        'POST /auth/refresh',
        'POST /auth/logout',
        'GET /api/me/sessions',
        'DELETE /api/me/sessions',
        'DELETE /api/me/sessions/{id}',
        'POST /api/me/tokens',
        'GET /api/me/tokens',
        'DELETE /api/me/tokens/{id}',
        'POST /api/me/password',
        'DELETE /api/me',
        'GET /api/me/export',
        'POST /api/me/import',
        'POST /api/webhooks',
        'GET /api/webhooks',
        'GET /api/webhooks/{id}',
        'PATCH /api/webhooks/{id}',
        'DELETE /api/webhooks/{id}',
        'GET /api/webhooks/{id}/deliveries',
        'POST /api/webhooks/{id}/deliveries/{delivery_id}/redeliver',
        'POST /api/webhooks/{id}/test',
      ].sort(),
    );
    // Logging out needs no credential (it ends the session of whatever it is given); refreshing takes the cookie.
    const publicRoutes = ['GET /health', 'POST /auth/signup', 'POST /auth/login', 'POST /auth/logout'];
    const ownSecurity: Record<string, unknown[]> = {
      'GET /api/events': [{ bearer: [] }, { ticket: [] }],
      'POST /auth/refresh': [{ refresh: [] }],
    };
    for (const { key, op } of operations) {
      // Every route but the public ones and those named above takes a bearer token.
      const security = publicRoutes.includes(key) ? [] : (ownSecurity[key] ?? [{ bearer: [] }]);
      expect({ key, security: op.security }).toEqual({ key, security });
      if (key !== 'GET /health') {
        expect(JSON.stringify(op.responses['400'] ?? op.responses['401'] ?? op.responses['403'])).toContain('#/components/schemas/ErrorBody');
      }
    }
  });

  it('keeps docs/openapi.json identical to what the API serves (run `npm run openapi -w backend` after changing the API)', async () => {
    const served = (await t.http.get('/docs-json').expect(200)).body;
    const committed = JSON.parse(readFileSync(COMMITTED_OPENAPI, 'utf8'));
    expect(served).toEqual(committed);
  });

  it('answers 503 with the error shape while the database is unreachable, then recovers', async () => {
    const name = new URL(t.databaseUrl).pathname.slice(1);
    const admin = new (await import('pg')).default.Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      const down = await t.http.get('/health');
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ error: { code: 503, message: 'Database unavailable' }, status: 'error', database: 'down' });
      const user = await t.http.post('/auth/login').send({ email: 'someone@example.com', password: 'password 123' });
      expectError(user, 503);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await t.http.get('/health').expect(200);
    // The test pool's connections were terminated too; give it fresh ones.
    await t.db.query('SELECT 1').catch(() => undefined);
  });
});

describe('process lifecycle', () => {
  it('exits 0 on SIGTERM', async () => {
    const t = await startTestApp();
    const code = await stopProcess(t.process, 'SIGTERM');
    expect(code).toBe(0);
    await t.db.end();
  });

  it.each([
    [{ JWT_SECRET: 'too-short' }, /JWT_SECRET must be at least 32 characters/],
    [{ NODE_ENV: 'production', JWT_SECRET: '' }, /JWT_SECRET is required when NODE_ENV=production/],
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ DATABASE_URL: 'postgres://nobody:wrong@127.0.0.1:1/none', DB_STARTUP_TIMEOUT: '2' }, /cannot reach the database .*postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/],
  ])('refuses to start with %p: one clear line and a non-zero exit', (env, message) => {
    const result = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, JWT_SECRET: 'x'.repeat(40), DATA_DIR: '/tmp/evo-bad-config', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    const stderr = result.stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('wrong');
  });
});
