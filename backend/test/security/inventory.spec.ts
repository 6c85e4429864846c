import { startScannedApp, type ScannedApp } from '../support/leak-scanner';
import type { OpenApiDocument } from '../support/openapi-schema';
import { openSse } from '../support/sse-client';
import { createTask, createUser, type TestUser } from '../support/test-app';

/**
 * OWASP API9 (improper inventory management): the routes the app registers
 * and the routes its OpenAPI document describes are the same set, each is
 * really served, each is protected exactly as documented, and nothing else
 * answers.
 */
const DOCS_ROUTES = new Set(['GET /docs', 'GET /docs-json']);

describe('API9 inventory', () => {
  let t: ScannedApp;
  let user: TestUser;
  let doc: OpenApiDocument;
  let taskId: string;

  beforeAll(async () => {
    t = await startScannedApp({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true' });
    doc = (await t.http.get('/docs-json').expect(200)).body;
    await setUp();
  });
  afterAll(async () => {
    t.scanner.expectClean(10);
    await t.close();
  });

  /** A user with one of each resource for the routes that take an id, and a second session to end. */
  async function setUp(): Promise<void> {
    user = await createUser(t);
    taskId = (await createTask(t, user)).id;
    const login = await t.http.post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
    ids.refresh = /eot_refresh=([^;]+)/.exec(String(login.headers['set-cookie']))?.[1] as string;
    const sessions = (await t.http.get('/api/me/sessions').set(user.auth).expect(200)).body as { id: string; current: boolean }[];
    ids.session = sessions.find((s) => !s.current)?.id as string;
    ids.token = (await t.http.post('/api/me/tokens').set(user.auth).send({ name: 'x', scopes: ['tasks:read'] }).expect(201)).body.id;
    ids.webhook = (await t.http.post('/api/webhooks').set(user.auth).send({ url: 'http://127.0.0.1:9/x', events: ['task.updated'] }).expect(201)).body.id;
    ids.delivery = (await t.http.post(`/api/webhooks/${ids.webhook}/test`).set(user.auth).expect(202)).body.id;
    ids.project = (await t.http.post('/api/projects').set(user.auth).send({ name: 'Inventory' }).expect(201)).body.id;
    ids.view = (await t.http.post('/api/views').set(user.auth).send({ name: 'Inventory', query: {} }).expect(201)).body.id;
    for (const key of ['trashed', 'trashedForGood']) {
      ids[key] = (await createTask(t, user)).id;
      await t.http.delete(`/api/tasks/${ids[key]}`).set(user.auth).expect(204);
    }
    ids.bulkDeleted = (await createTask(t, user)).id;
  }

  /** From Nest's start-up log: `Mapped {/api/tasks/:id, PATCH} route`. */
  const registered = () =>
    new Set(
      t.output
        .map((line) => {
          try {
            return (JSON.parse(line) as { msg?: string }).msg ?? '';
          } catch {
            return '';
          }
        })
        .map((msg) => /^Mapped \{(\S+), (\w+)\} route$/.exec(msg))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => `${match[2]} ${match[1].replace(/:(\w+)/g, '{$1}')}`)
        .filter((route) => !DOCS_ROUTES.has(route)),
    );

  const documented = () =>
    new Set(
      Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`)),
    );

  it('registers exactly the documented routes', () => {
    const app = registered();
    expect(app.size).toBeGreaterThan(0);
    expect([...app].sort()).toEqual([...documented()].sort());
  });

  const ids: Record<string, string> = {};
  const concrete = (path: string) =>
    path
      .replace(/\/api\/me\/sessions\/\{id\}/, `/api/me/sessions/${ids.session}`)
      .replace(/\/api\/me\/tokens\/\{id\}/, `/api/me/tokens/${ids.token}`)
      .replace(/\/api\/webhooks\/\{id\}/, `/api/webhooks/${ids.webhook}`)
      .replace(/\/api\/projects\/\{id\}/, `/api/projects/${ids.project}`)
      .replace(/\/api\/views\/\{id\}/, `/api/views/${ids.view}`)
      .replace(/^\/api\/trash\/\{id\}\/restore$/, `/api/trash/${ids.trashed}/restore`)
      .replace(/^\/api\/trash\/\{id\}$/, `/api/trash/${ids.trashedForGood}`)
      .replace('{delivery_id}', ids.delivery)
      .replace('{id}', taskId)
      .replace('/api/me/export', '/api/me/export?format=json')
      .replace('/api/me/import', '/api/me/import?format=json&dry_run=true');
  const sampleBody = (route: string) =>
    ({
      'POST /auth/signup': { email: `inventory-${Date.now()}@example.com`, password: 'password 123' },
      'POST /auth/login': { email: user.email, password: user.password },
      'POST /api/tasks': { title: 'Inventory task' },
      'PATCH /api/tasks/{id}': { status: 'done' },
      'PATCH /auth/me': { time_zone: 'UTC' },
      'POST /api/me/tokens': { name: 'Inventory', scopes: ['tasks:read'] },
      'POST /api/me/password': { current_password: user.password, new_password: user.password },
      'DELETE /api/me': { password: user.password },
      'POST /api/me/import': { schema_version: 1, tasks: [] },
      'POST /api/webhooks': { url: 'http://127.0.0.1:9/inventory', events: ['task.created'] },
      'PATCH /api/webhooks/{id}': { description: 'inventory' },
      'POST /api/projects': { name: `Inventory ${Date.now()}` },
      'PATCH /api/projects/{id}': { color: '#336699' },
      'POST /api/views': { name: `Inventory ${Date.now()}`, query: { status: ['todo'] } },
      'PATCH /api/views/{id}': { name: 'Inventory view, renamed' },
      'POST /api/tasks/bulk': { ids: [taskId], set: { priority: 'high' } },
      'POST /api/tasks/bulk-delete': { ids: [ids.bulkDeleted] },
    })[route];

  it('serves every documented route with a documented success status', async () => {
    // Routes that end things last, in an order that leaves each the thing it ends; the account itself at the very end.
    const order: Record<string, number> = {
      'DELETE /api/me/sessions/{id}': 1,
      'POST /api/me/password': 2,
      'POST /auth/logout': 3,
      // Emptying the trash after deleting one task from it for good.
      'DELETE /api/trash': 4.5,
      'DELETE /api/me': 5,
    };
    const rank = (route: string) => order[route] ?? (route.startsWith('DELETE') ? 4 : 0);
    const routes = [...documented()].sort((a, b) => rank(a) - rank(b));
    for (const route of routes) {
      const [method, path] = route.split(' ');
      const operation = doc.paths[path][method.toLowerCase()];
      const successes = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      // An event stream never ends: its status is all there is to wait for.
      if (successes.some((status) => operation.responses[status].content?.['text/event-stream'])) {
        const res = await openSse(t.baseUrl, concrete(path), user.auth);
        res.stream?.close();
        expect({ route, success: successes.includes(String(res.status)) }).toEqual({ route, success: true });
        continue;
      }
      let request = t.http[method.toLowerCase() as 'get'](concrete(path)).set(user.auth);
      if (route === 'POST /auth/refresh') request = request.set('Cookie', `eot_refresh=${ids.refresh}`);
      const body = sampleBody(route);
      if (body) request = request.send(body);
      const res = await request;
      expect({ route, success: successes.includes(String(res.status)) }).toEqual({ route, success: true });
    }
    // The account is gone now (DELETE /api/me): a new one for the tests after this.
    await setUp();
  });

  it('protects exactly the routes documented with bearer security', async () => {
    for (const route of documented()) {
      const [method, path] = route.split(' ');
      const operation = doc.paths[path][method.toLowerCase()] as unknown as { security?: unknown[] };
      let request = t.http[method.toLowerCase() as 'get'](concrete(path));
      const body = sampleBody(route);
      if (body) request = request.send(body);
      const res = await request;
      if (operation.security?.length) expect({ route, status: res.status }).toEqual({ route, status: 401 });
      else expect({ route, status: res.status }).not.toEqual({ route, status: 401 });
    }
  });

  it.each([
    '/api', '/api/', '/api/users', '/api/v1/tasks', '/api/v2/tasks', '/v1/api/tasks', '/users', '/users/me', '/admin', '/api/admin',
    '/auth/logout', '/auth/refresh', '/auth/reset-password', '/auth/users', '/metrics', '/debug', '/status', '/actuator/health',
    '/graphql', '/swagger', '/swagger.json', '/openapi.json', '/api-docs', '/.env', '/.git/config', '/package.json',
    '/dist/main.js', '/server-status', '/api/tasks/export', '/api/tasks/all', '/api/tasks/count', '/health/db', '/health/details',
  ])('answers %s with 404 (or 400 where it looks like a task id)', async (path) => {
    const res = await t.http.get(path).set(user.auth);
    const looksLikeTaskId = /^\/api\/tasks\/[^/]+$/.test(path);
    expect(res.status).toBe(looksLikeTaskId ? 400 : 404);
    expect(res.body.error.code).toBe(res.status);
  });

  it.each([
    ['GET', '/api/trash/{id}'],
    ['PUT', '/api/tasks/bulk'],
    ['DELETE', '/api/projects'],
    ['PUT', '/api/projects/{id}'],
    ['DELETE', '/api/tasks'],
    ['PUT', '/api/tasks'],
    ['PATCH', '/api/tasks'],
    ['POST', '/api/tasks/{id}'],
    ['PUT', '/api/tasks/{id}'],
    ['DELETE', '/auth/me'],
    ['GET', '/auth/refresh'],
    ['GET', '/auth/logout'],
    ['PUT', '/api/me'],
    ['GET', '/api/me'],
    ['POST', '/health'],
    ['GET', '/auth/signup'],
    ['GET', '/auth/login'],
  ])('has no %s %s', async (method, path) => {
    const res = await t.raw({ method, path: concrete(path), headers: { ...user.auth, 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
  });
});
