import { killApi, spawnApi, waitHealthy } from '../support/api-process';
import { openSse } from '../support/sse-client';
import { createTask, createUser, expectError, startTestApp, type TestApp, type TestUser } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

type Scope = 'tasks:read' | 'tasks:write' | 'projects:read' | 'projects:write' | 'webhooks';

/**
 * What a personal token needs for each route: a scope, `account` (never a
 * token: a session's access token only), or `public`. Every documented route
 * must be here, so a new route cannot ship without a decision.
 */
const ROUTE_SCOPES: Record<string, Scope | 'account' | 'public'> = {
  'GET /health': 'public',
  'POST /auth/signup': 'public',
  'POST /auth/login': 'public',
  'POST /auth/refresh': 'public',
  'POST /auth/logout': 'public',
  'GET /auth/me': 'account',
  'PATCH /auth/me': 'account',
  'POST /api/tasks': 'tasks:write',
  'GET /api/tasks': 'tasks:read',
  'GET /api/tasks/{id}': 'tasks:read',
  'PATCH /api/tasks/{id}': 'tasks:write',
  'DELETE /api/tasks/{id}': 'tasks:write',
  'POST /api/tasks/bulk': 'tasks:write',
  'POST /api/tasks/bulk-delete': 'tasks:write',
  'GET /api/trash': 'tasks:read',
  'DELETE /api/trash': 'tasks:write',
  'POST /api/trash/{id}/restore': 'tasks:write',
  'DELETE /api/trash/{id}': 'tasks:write',
  'GET /api/projects': 'projects:read',
  'POST /api/projects': 'projects:write',
  'GET /api/projects/{id}': 'projects:read',
  'PATCH /api/projects/{id}': 'projects:write',
  'DELETE /api/projects/{id}': 'projects:write',
  // Saved views are queries over tasks: the tasks scopes (see ViewsController).
  'GET /api/views': 'tasks:read',
  'POST /api/views': 'tasks:write',
  'GET /api/views/{id}': 'tasks:read',
  'PATCH /api/views/{id}': 'tasks:write',
  'DELETE /api/views/{id}': 'tasks:write',
  'POST /api/events/ticket': 'tasks:read',
  'GET /api/events': 'tasks:read',
  'GET /api/me/sessions': 'account',
  'DELETE /api/me/sessions': 'account',
  'DELETE /api/me/sessions/{id}': 'account',
  'POST /api/me/tokens': 'account',
  'GET /api/me/tokens': 'account',
  'DELETE /api/me/tokens/{id}': 'account',
  'POST /api/me/password': 'account',
  'DELETE /api/me': 'account',
  'GET /api/me/export': 'account',
  'POST /api/me/import': 'account',
  'POST /api/webhooks': 'webhooks',
  'GET /api/webhooks': 'webhooks',
  'GET /api/webhooks/{id}': 'webhooks',
  'PATCH /api/webhooks/{id}': 'webhooks',
  'DELETE /api/webhooks/{id}': 'webhooks',
  'GET /api/webhooks/{id}/deliveries': 'webhooks',
  'POST /api/webhooks/{id}/deliveries/{delivery_id}/redeliver': 'webhooks',
  'POST /api/webhooks/{id}/test': 'webhooks',
};

const IMPLIES: Partial<Record<Scope, Scope>> = { 'tasks:write': 'tasks:read', 'projects:write': 'projects:read' };

describe('personal API tokens', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let owner: TestUser;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await startTestApp({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true' });
    owner = await createUser(t);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  async function tokenFor(user: TestUser, scopes: Scope[], extra: Record<string, unknown> = {}): Promise<{ id: string; token: string }> {
    const res = await t.http.post('/api/me/tokens').set(user.auth).send({ name: `Token ${scopes.join('+')}`, scopes, ...extra }).expect(201);
    return res.body;
  }

  it('is created with scopes and shown once: evt_ and 256 random bits; listed without its secret', async () => {
    const res = await t.http
      .post('/api/me/tokens')
      .set(owner.auth)
      .send({ name: ' Home Assistant ', scopes: ['tasks:write', 'tasks:read', 'tasks:write'], expires_in_days: 30 })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Home Assistant',
      scopes: ['tasks:read', 'tasks:write'],
      hint: `${res.body.token.slice(0, 8)}…`,
      token: expect.stringMatching(/^evt_[A-Za-z0-9_-]{43}$/),
      created_at: expect.any(String),
      expires_at: expect.any(String),
      last_used_at: null,
    });
    const days = (Date.parse(res.body.expires_at) - Date.parse(res.body.created_at)) / 86_400_000;
    expect(Math.round(days)).toBe(30);
    const list = (await t.http.get('/api/me/tokens').set(owner.auth).expect(200)).body;
    expect(JSON.stringify(list)).not.toContain(res.body.token);
    expect(list.find((item: { id: string }) => item.id === res.body.id)).toEqual({ ...res.body, token: undefined });
    const { rows } = await t.db.query('SELECT token_hash FROM api_tokens WHERE id = $1', [res.body.id]);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    [{ name: '', scopes: ['tasks:read'] }, 'name'],
    [{ name: 'x', scopes: [] }, 'scopes'],
    [{ name: 'x', scopes: ['admin'] }, 'scopes'],
    [{ name: 'x', scopes: ['tasks:read'], expires_in_days: 0 }, 'expires_in_days'],
    [{ name: 'x', scopes: ['tasks:read'], expires_in_days: 366 }, 'expires_in_days'],
    [{ name: 'x', scopes: ['tasks:read'], expires_in_days: '30' }, 'expires_in_days'],
  ])('refuses %j naming %s', async (body, field) => {
    const res = await t.http.post('/api/me/tokens').set(owner.auth).send(body);
    expectError(res, 400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('reaches exactly the routes its scopes allow, on every documented route; never account routes', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(Object.keys(ROUTE_SCOPES).sort());

    const user = await createUser(t);
    const task = await createTask(t, user);
    const hook = (await t.http.post('/api/webhooks').set(user.auth).send({ url: receiver.url, events: ['task.*'] }).expect(201)).body;
    const project = (await t.http.post('/api/projects').set(user.auth).send({ name: 'Scoped' }).expect(201)).body;
    const view = (await t.http.post('/api/views').set(user.auth).send({ name: 'Scoped', query: {} }).expect(201)).body;
    const trashed = await createTask(t, user);
    await t.http.delete(`/api/tasks/${trashed.id}`).set(user.auth).expect(204);
    const idFor = (template: string): string => {
      if (template.includes('webhooks')) return hook.id;
      if (template.includes('sessions') || template.includes('tokens')) return '00000000-0000-4000-8000-000000000000';
      if (template.includes('projects')) return project.id;
      if (template.includes('views')) return view.id;
      if (template.includes('trash')) return trashed.id;
      return task.id;
    };
    await receiver.waitFor(0);
    const scopeSets: Scope[][] = [['tasks:read'], ['tasks:write'], ['projects:read', 'projects:write'], ['webhooks'], ['tasks:write', 'webhooks', 'projects:write']];
    const failures: string[] = [];
    for (const scopes of scopeSets) {
      const { token } = await tokenFor(user, scopes);
      const granted = new Set<Scope>(scopes.flatMap((s) => [s, ...(IMPLIES[s] ? [IMPLIES[s] as Scope] : [])]));
      for (const route of documented) {
        const need = ROUTE_SCOPES[route];
        if (need === 'public') continue;
        const [method, template] = route.split(' ');
        const path = template.replace('{id}', idFor(template)).replace('{delivery_id}', '00000000-0000-4000-8000-000000000000');
        const { status, body } =
          route === 'GET /api/events'
            ? await openSse(t.baseUrl, path, { Authorization: `Bearer ${token}` }).then((r) => {
                r.stream?.close();
                return { status: r.status, body: r.body };
              })
            : await t.http[method.toLowerCase() as 'get'](path).set('Authorization', `Bearer ${token}`).send(route === 'DELETE /api/me' ? { password: user.password } : {});
        const refusedForScope = status === 403 && /insufficient_scope/.test((body as { error?: { message?: string } })?.error?.message ?? '');
        const allowed = need !== 'account' && granted.has(need);
        // Allowed: the route itself answers (200, 201, 400 for an empty body, 403 for an id that is not there…), never 401 or insufficient_scope.
        if (allowed ? status === 401 || refusedForScope : !refusedForScope) failures.push(`${scopes.join('+')} ${route} → ${status}`);
      }
    }
    expect(failures).toEqual([]);
    // Nothing a token tried on the account routes happened.
    await t.http.get('/auth/me').set(user.auth).expect(200);
  });

  it('says insufficient_scope in the message and in WWW-Authenticate (RFC 6750)', async () => {
    const { token } = await tokenFor(owner, ['tasks:read']);
    const res = await t.http.post('/api/tasks').set('Authorization', `Bearer ${token}`).send({ title: 'Not allowed' });
    expectError(res, 403, /insufficient_scope/);
    expect(res.headers['www-authenticate']).toBe('Bearer error="insufficient_scope", scope="tasks:write"');
    const account = await t.http.get('/api/me/tokens').set('Authorization', `Bearer ${token}`);
    expectError(account, 403, /insufficient_scope: account routes need a signed-in session/);
  });

  it('sees only its owner\'s data, and subscribes webhooks only to what it can read', async () => {
    const stranger = await createUser(t);
    const theirs = await createTask(t, stranger);
    const { token } = await tokenFor(owner, ['tasks:write', 'webhooks']);
    expectError(await t.http.get(`/api/tasks/${theirs.id}`).set('Authorization', `Bearer ${token}`), 403);
    const mine = await t.http.post('/api/tasks').set('Authorization', `Bearer ${token}`).send({ title: 'Made by a script' }).expect(201);
    expect(mine.body.user_id).toBe(owner.id);
    const hooksOnly = await tokenFor(owner, ['webhooks']);
    const refused = await t.http.post('/api/webhooks').set('Authorization', `Bearer ${hooksOnly.token}`).send({ url: receiver.url, events: ['task.*'] });
    expectError(refused, 403, /subscribing to task events needs the tasks:read scope/);
    await t.http.post('/api/webhooks').set('Authorization', `Bearer ${token}`).send({ url: receiver.url, events: ['task.created'] }).expect(201);
  });

  it('records when it was last used, to the minute', async () => {
    const { id, token } = await tokenFor(owner, ['tasks:read']);
    await t.http.get('/api/tasks').set('Authorization', `Bearer ${token}`).expect(200);
    // Written in the background, within seconds.
    let lastUsed: Date | null = null;
    for (const deadline = Date.now() + 10_000; lastUsed === null && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 250));
      lastUsed = (await t.db.query('SELECT last_used_at FROM api_tokens WHERE id = $1', [id])).rows[0].last_used_at;
    }
    expect(lastUsed).toBeInstanceOf(Date);
    const listed = (await t.http.get('/api/me/tokens').set(owner.auth).expect(200)).body.find((item: { id: string }) => item.id === id);
    expect(listed.last_used_at).toBe((lastUsed as Date).toISOString());
  });

  it('is refused (401) once expired, and once deleted: by every instance within 5 seconds', async () => {
    const { id: expiring, token: soonExpired } = await tokenFor(owner, ['tasks:read'], { expires_in_days: 1 });
    await t.db.query("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1", [expiring]);
    await new Promise((r) => setTimeout(r, 4_500));
    expectError(await t.http.get('/api/tasks').set('Authorization', `Bearer ${soonExpired}`), 401);

    const second = await spawnApi({ DATABASE_URL: t.databaseUrl });
    try {
      await waitHealthy(second);
      const { id, token } = await tokenFor(owner, ['tasks:read']);
      const auth = { Authorization: `Bearer ${token}` };
      // Both instances have just checked it (and cached the answer).
      await t.http.get('/api/tasks').set(auth).expect(200);
      expect((await fetch(`${second.baseUrl}/api/tasks`, { headers: auth })).status).toBe(200);
      await t.http.delete(`/api/me/tokens/${id}`).set(owner.auth).expect(204);
      const deleted = Date.now();
      expectError(await t.http.get('/api/tasks').set(auth), 401);
      let refusedAfter = Infinity;
      while (Date.now() - deleted < 8_000) {
        if ((await fetch(`${second.baseUrl}/api/tasks`, { headers: auth })).status === 401) {
          refusedAfter = Date.now() - deleted;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      process.stdout.write(`deleted personal token refused by the second instance after ${refusedAfter} ms\n`);
      expect(refusedAfter).toBeLessThanOrEqual(5_000);
      expectError(await t.http.delete(`/api/me/tokens/${id}`).set(owner.auth), 403, 'Access denied: token not found or not owned by user');
    } finally {
      await killApi(second, 'SIGTERM');
    }
  });

  it('opens event streams with tasks:read, and the stream ends when the token is deleted', async () => {
    const { id, token } = await tokenFor(owner, ['tasks:read']);
    const res = await openSse(t.baseUrl, '/api/events', { Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    await res.stream?.until('ready');
    const webhooksOnly = await tokenFor(owner, ['webhooks']);
    const refused = await openSse(t.baseUrl, '/api/events', { Authorization: `Bearer ${webhooksOnly.token}` });
    expect(refused.status).toBe(403);
    await t.http.delete(`/api/me/tokens/${id}`).set(owner.auth).expect(204);
    await res.stream?.until('revoked', 5_000);
  });
  it("streams only the events its scopes cover: project names need projects:read, by header and by ticket alike", async () => {
    const user = await createUser(t);
    const tasksOnly = await tokenFor(user, ['tasks:read']);
    const both = await tokenFor(user, ['tasks:read', 'projects:read']);
    const ticketOf = async (token: string) =>
      (await t.http.post('/api/events/ticket').set('Authorization', `Bearer ${token}`).expect(201)).body.ticket as string;
    const open = async (path: string, headers: Record<string, string> = {}) => {
      const res = await openSse(t.baseUrl, path, headers);
      expect(res.status).toBe(200);
      await res.stream!.until('ready');
      return res.stream!;
    };
    const streams = {
      tasksOnly: await open('/api/events', { Authorization: `Bearer ${tasksOnly.token}` }),
      tasksOnlyTicket: await open(`/api/events?ticket=${await ticketOf(tasksOnly.token)}`),
      both: await open('/api/events', { Authorization: `Bearer ${both.token}` }),
      bothTicket: await open(`/api/events?ticket=${await ticketOf(both.token)}`),
    };
    try {
      const project = (await t.http.post('/api/projects').set(user.auth).send({ name: 'Secret plans' }).expect(201)).body;
      await t.http.post('/api/tasks').set(user.auth).send({ title: 'In the project', project_id: project.id }).expect(201);
      // Each stream has had the task's event and whatever came with it.
      for (const stream of Object.values(streams)) {
        await stream.until('task.created', 5_000);
        await stream.quietFor(500);
      }
      for (const stream of [streams.tasksOnly, streams.tasksOnlyTicket]) {
        expect(stream.events.map((e) => e.event)).toContain('task.created');
        expect(stream.events.filter((e) => e.event.startsWith('project.'))).toEqual([]);
        expect(stream.events.map((e) => e.data).join('\n')).not.toContain('Secret plans');
      }
      for (const stream of [streams.both, streams.bothTicket]) {
        expect(stream.events.map((e) => e.event)).toEqual(expect.arrayContaining(['project.created', 'task.created', 'project.updated']));
      }
    } finally {
      for (const stream of Object.values(streams)) stream.close();
    }
  });
});
