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
  /** Ids each route's `{id}` stands for: a task, a project, a view, a task in the trash. */
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await startScannedApp();
    user = await createUser(t);
    taskId = (await createTask(t, user)).id;
    const trashed = async () => {
      const id = (await createTask(t, user)).id;
      await t.http.delete(`/api/tasks/${id}`).set(user.auth).expect(204);
      return id;
    };
    ids = {
      task: taskId,
      bulkTask: (await createTask(t, user)).id,
      project: (await t.http.post('/api/projects').set(user.auth).send({ name: 'Inventory project' }).expect(201)).body.id,
      view: (await t.http.post('/api/views').set(user.auth).send({ name: 'Inventory view', query: {} }).expect(201)).body.id,
      restore: await trashed(),
      purge: await trashed(),
    };
    doc = (await t.http.get('/docs-json').expect(200)).body;
  });
  afterAll(async () => {
    t.scanner.expectClean(10);
    await t.close();
  });

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

  const concrete = (path: string, method = 'GET') => {
    if (path.startsWith('/api/projects/')) return path.replace('{id}', ids.project);
    if (path.startsWith('/api/views/')) return path.replace('{id}', ids.view);
    if (path.startsWith('/api/trash/')) return path.replace('{id}', method === 'DELETE' ? ids.purge : ids.restore);
    return path.replace('{id}', taskId);
  };
  const sampleBody = (route: string) =>
    ({
      'POST /auth/signup': { email: `inventory-${Date.now()}@example.com`, password: 'password 123' },
      'POST /auth/login': { email: user.email, password: user.password },
      'POST /api/tasks': { title: 'Inventory task' },
      'PATCH /api/tasks/{id}': { status: 'done' },
      'POST /api/tasks/bulk': { ids: [ids.bulkTask], set: { priority: 'high' } },
      'POST /api/tasks/bulk-delete': { ids: [ids.bulkTask] },
      'POST /api/projects': { name: `Inventory ${Date.now()}` },
      'PATCH /api/projects/{id}': { color: '#336699' },
      'POST /api/views': { name: `Inventory ${Date.now()}`, query: { status: ['todo'] } },
      'PATCH /api/views/{id}': { name: 'Inventory view, renamed' },
      'PATCH /auth/me': { time_zone: 'UTC' },
    })[route];

  it('serves every documented route with a documented success status', async () => {
    // Writes before deletes, bulk edit before bulk delete, and emptying the trash last of all.
    const rank = (route: string) =>
      route === 'DELETE /api/trash' ? 3 : route.startsWith('DELETE') ? 2 : route === 'POST /api/tasks/bulk-delete' ? 1 : 0;
    const routes = [...documented()].sort((a, b) => rank(a) - rank(b));
    for (const route of routes) {
      const [method, path] = route.split(' ');
      const operation = doc.paths[path][method.toLowerCase()];
      const successes = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      // An event stream never ends: its status is all there is to wait for.
      if (successes.some((status) => operation.responses[status].content?.['text/event-stream'])) {
        const res = await openSse(t.baseUrl, concrete(path, method), user.auth);
        res.stream?.close();
        expect({ route, success: successes.includes(String(res.status)) }).toEqual({ route, success: true });
        continue;
      }
      let request = t.http[method.toLowerCase() as 'get'](concrete(path, method)).set(user.auth);
      const body = sampleBody(route);
      if (body) request = request.send(body);
      const res = await request;
      expect({ route, success: successes.includes(String(res.status)) }).toEqual({ route, success: true });
    }
  });

  it('protects exactly the routes documented with bearer security', async () => {
    for (const route of documented()) {
      const [method, path] = route.split(' ');
      const operation = doc.paths[path][method.toLowerCase()] as unknown as { security?: unknown[] };
      let request = t.http[method.toLowerCase() as 'get'](concrete(path, method));
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
    ['PUT', '/api/tasks/bulk'],
    ['DELETE', '/api/projects'],
    ['PUT', '/api/projects/{id}'],
    ['DELETE', '/api/tasks'],
    ['PUT', '/api/tasks'],
    ['PATCH', '/api/tasks'],
    ['POST', '/api/tasks/{id}'],
    ['PUT', '/api/tasks/{id}'],
    ['DELETE', '/auth/me'],
    ['POST', '/health'],
    ['GET', '/auth/signup'],
    ['GET', '/auth/login'],
  ])('has no %s %s', async (method, path) => {
    const res = await t.raw({ method, path: concrete(path), headers: { ...user.auth, 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
  });
});
