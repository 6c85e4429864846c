import { startScannedApp, type ScannedApp } from '../support/leak-scanner';
import { createTask, createUser, expectError, type TestUser } from '../support/test-app';

/**
 * OWASP API1 and API5 for the account routes (issue 14): a second user who
 * knows the ids of the first one's sessions, personal tokens, webhooks and
 * deliveries gets the same 403 as for a missing id on every route, and
 * nothing of the first user's changes by a byte; a personal token reaches no
 * account route at all. Every response goes through the leak scanner.
 */
describe('account routes: object- and function-level authorization', () => {
  let t: ScannedApp;
  let owner: TestUser;
  let attacker: TestUser;
  const ids: Record<string, string> = {};

  /** Every row of the owner's, in every table the account routes touch, as PostgreSQL prints it. */
  const snapshot = async () => {
    const rows: string[] = [];
    // A token's last use is recorded in the background: everything else of it must not move.
    const selects: Record<string, string> = {
      sessions: 'SELECT x::text AS row FROM sessions x WHERE user_id = $1',
      api_tokens: 'SELECT (x.id, x.name, x.scopes, x.token_hash, x.expires_at)::text AS row FROM api_tokens x WHERE user_id = $1',
      webhooks: 'SELECT x::text AS row FROM webhooks x WHERE user_id = $1',
      webhook_deliveries: 'SELECT x::text AS row FROM webhook_deliveries x WHERE user_id = $1 AND event_type <> $2',
      users: 'SELECT x::text AS row FROM users x WHERE id = $1',
    };
    for (const [table, sql] of Object.entries(selects)) {
      const params = table === 'webhook_deliveries' ? [owner.id, 'webhook.test'] : [owner.id];
      const result = await t.db.query(`${sql} ORDER BY 1`, params);
      rows.push(...result.rows.map((r: { row: string }) => `${table}: ${r.row}`));
    }
    return rows;
  };

  beforeAll(async () => {
    t = await startScannedApp({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true' });
    owner = await createUser(t);
    attacker = await createUser(t);
    await t.http.post('/auth/login').send({ email: owner.email, password: owner.password }).expect(200);
    ids.session = ((await t.http.get('/api/me/sessions').set(owner.auth).expect(200)).body as { id: string }[])[0].id;
    ids.token = (await t.http.post('/api/me/tokens').set(owner.auth).send({ name: 'Owner token', scopes: ['tasks:read', 'webhooks'] }).expect(201)).body.id;
    ids.webhook = (await t.http.post('/api/webhooks').set(owner.auth).send({ url: 'http://127.0.0.1:9/owner', events: ['task.*'] }).expect(201)).body.id;
    ids.delivery = (await t.http.post(`/api/webhooks/${ids.webhook}/test`).set(owner.auth).expect(202)).body.id;
    await createTask(t, owner, { title: 'Owner task' });
  });
  afterAll(async () => {
    t.scanner.expectClean(10);
    await t.close();
  });

  it('answers another user on every route with an id exactly as for a missing one, and changes nothing', async () => {
    const before = await snapshot();
    const missing = '00000000-0000-4000-8000-000000000000';
    const routes: [string, string, string, object?][] = [
      ['delete', `/api/me/sessions/${ids.session}`, 'session'],
      ['delete', `/api/me/tokens/${ids.token}`, 'token'],
      ['get', `/api/webhooks/${ids.webhook}`, 'webhook'],
      ['patch', `/api/webhooks/${ids.webhook}`, 'webhook', { url: 'http://127.0.0.1:9/attacker', enabled: false }],
      ['delete', `/api/webhooks/${ids.webhook}`, 'webhook'],
      ['get', `/api/webhooks/${ids.webhook}/deliveries`, 'webhook'],
      ['post', `/api/webhooks/${ids.webhook}/deliveries/${ids.delivery}/redeliver`, 'webhook'],
      ['post', `/api/webhooks/${ids.webhook}/test`, 'webhook'],
    ];
    for (const [method, path, what, body] of routes) {
      const theirs = await t.http[method as 'get'](path).set(attacker.auth).send(body ?? {});
      const nobodys = await t.http[method as 'get'](path.replace(ids[what === 'session' ? 'session' : what === 'token' ? 'token' : 'webhook'], missing)).set(attacker.auth).send(body ?? {});
      expectError(theirs, 403, `Access denied: ${what} not found or not owned by user`);
      expect({ path, status: nobodys.status, body: nobodys.body }).toEqual({ path, status: theirs.status, body: theirs.body });
    }
    // Their own delivery id under the attacker's own webhook: still nothing.
    const own = (await t.http.post('/api/webhooks').set(attacker.auth).send({ url: 'http://127.0.0.1:9/attacker', events: ['*'] }).expect(201)).body.id;
    expectError(await t.http.post(`/api/webhooks/${own}/deliveries/${ids.delivery}/redeliver`).set(attacker.auth), 403, 'Access denied: delivery not found or not owned by user');
    // Lists show only the caller's own.
    expect((await t.http.get('/api/me/tokens').set(attacker.auth).expect(200)).body).toEqual([]);
    expect(((await t.http.get('/api/webhooks').set(attacker.auth).expect(200)).body as { id: string }[]).map((w) => w.id)).toEqual([own]);
    expect(((await t.http.get('/api/me/sessions').set(attacker.auth).expect(200)).body as { id: string }[]).every((s) => s.id !== ids.session)).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it('never lets a personal token reach an account route, whatever its scopes', async () => {
    const { token } = (await t.http
      .post('/api/me/tokens')
      .set(owner.auth)
      .send({ name: 'Everything', scopes: ['tasks:read', 'tasks:write', 'projects:read', 'projects:write', 'webhooks'] })
      .expect(201)).body;
    const auth = { Authorization: `Bearer ${token}` };
    const before = await snapshot();
    const routes: [string, string, object?][] = [
      ['get', '/auth/me'],
      ['patch', '/auth/me', { email: 'taken.over@example.com', current_password: owner.password }],
      ['post', '/api/me/password', { current_password: owner.password, new_password: 'attacker password' }],
      ['delete', '/api/me', { password: owner.password }],
      ['get', '/api/me/sessions'],
      ['delete', '/api/me/sessions'],
      ['post', '/api/me/tokens', { name: 'escalate', scopes: ['tasks:write'] }],
      ['get', '/api/me/tokens'],
      ['get', '/api/me/export?format=json'],
      ['post', '/api/me/import?format=json', { schema_version: 1, tasks: [] }],
    ];
    for (const [method, path, body] of routes) {
      const res = await t.http[method as 'get'](path).set(auth).send(body ?? {});
      expectError(res, 403, /^insufficient_scope/);
    }
    expect(await snapshot()).toEqual(before);
    await t.http.post('/auth/login').send({ email: owner.email, password: owner.password }).expect(200);
  });
});
