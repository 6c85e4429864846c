import { createTask, createUser, expectError, startTestApp, type TestApp, type TestUser } from '../support/test-app';
import { type ReceivedDelivery, WebhookReceiver } from '../support/webhook-receiver';

interface Delivery {
  id: string;
  message_id: string;
  event: string;
  event_id: string | null;
  status: string;
  attempts: number;
  status_code: number | null;
  duration_ms: number | null;
  error: string | null;
  response: string | null;
  next_retry_at: string | null;
}

/**
 * Signed webhooks (issue 14): every change the event stream carries is
 * POSTed to the subscribed endpoints with Standard Webhooks signatures,
 * durably and at least once, retried with backoff. The only address these
 * tests send to is the loopback receiver they start.
 */
describe('webhooks', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let user: TestUser;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await startTestApp({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_SECONDS: '1' });
    user = await createUser(t);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.respond = () => ({ status: 204 });
  });
  afterEach(async () => {
    // A test that failed half-way leaves no webhook behind to confuse the next.
    await t.db.query('DELETE FROM webhooks WHERE user_id = $1', [user.id]);
  });

  async function createHook(events: string[] = ['task.*'], owner = user): Promise<{ id: string; secret: string }> {
    return (await t.http.post('/api/webhooks').set(owner.auth).send({ url: receiver.url, events }).expect(201)).body;
  }

  async function deliveries(hookId: string, owner = user): Promise<Delivery[]> {
    return (await t.http.get(`/api/webhooks/${hookId}/deliveries`).set(owner.auth).expect(200)).body;
  }

  async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('is created with a signing secret shown once, and listed without it', async () => {
    const res = await t.http
      .post('/api/webhooks')
      .set(user.auth)
      .send({ url: receiver.url, events: ['task.created', 'project.*'], description: ' Calendar sync ' })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      url: receiver.url,
      description: 'Calendar sync',
      events: ['task.created', 'project.*'],
      enabled: true,
      disabled_reason: null,
      failing_since: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const listed = (await t.http.get('/api/webhooks').set(user.auth).expect(200)).body;
    expect(JSON.stringify(listed)).not.toContain(res.body.secret);
    await t.http.get(`/api/webhooks/${res.body.id}`).set(user.auth).expect(200);
    await t.http.delete(`/api/webhooks/${res.body.id}`).set(user.auth).expect(204);
  });

  it.each([
    [{ url: 'not a url', events: ['task.*'] }, 'url'],
    [{ url: 'ftp://example.com/', events: ['task.*'] }, 'url'],
    [{ url: 'http://127.0.0.1:1/x', events: [] }, 'events'],
    [{ url: 'http://127.0.0.1:1/x', events: ['task.renamed'] }, 'events'],
    [{ url: 'http://127.0.0.1:1/x', events: ['tasks.*'] }, 'events'],
    [{ url: 'http://user:pw@127.0.0.1:1/x', events: ['*'] }, 'url'],
  ])('refuses %j naming %s', async (body, field) => {
    const res = await t.http.post('/api/webhooks').set(user.auth).send(body);
    expectError(res, 400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('delivers each change signed (Standard Webhooks), with the event stream\'s data', async () => {
    const hook = await createHook(['task.*']);
    const task = await createTask(t, user, { title: 'Signed and sealed', tags: ['x'] });
    await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({ status: 'done' }).expect(200);
    await t.http.delete(`/api/tasks/${task.id}`).set(user.auth).expect(204);
    const received = await receiver.waitFor(3);
    const bodies = received.map((delivery) => WebhookReceiver.verify(hook.secret, delivery));
    expect(bodies.map((b) => b.type)).toEqual(['task.created', 'task.updated', 'task.deleted']);
    expect(bodies[0]).toEqual({
      type: 'task.created',
      timestamp: expect.stringMatching(/Z$/),
      data: {
        id: expect.stringMatching(/^\d+$/),
        type: 'task.created',
        task_id: task.id,
        version: 1,
        task: { ...task },
        occurred_at: bodies[0].timestamp,
      },
    });
    expect(bodies[2].data.task).toBeUndefined();
    // Ordered by the user's event sequence, which the body carries.
    const ids = bodies.map((b) => Number(b.data.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    for (const delivery of received) {
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(Math.abs(Number(delivery.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
      expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    }
    // A tampered body or another secret fails verification.
    expect(() => WebhookReceiver.verify(hook.secret, { ...received[0], body: received[0].body.replace('Signed', 'Forged') })).toThrow();
    expect(() => WebhookReceiver.verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, received[0])).toThrow();
    const listed = await waitUntil(() => deliveries(hook.id), (list) => list.every((d) => d.status === 'succeeded'));
    expect(listed).toHaveLength(3);
    expect(listed[0]).toMatchObject({ event: 'task.deleted', attempts: 1, status_code: 204, error: null, next_retry_at: null });
    await t.http.delete(`/api/webhooks/${hook.id}`).set(user.auth).expect(204);
  });

  it('delivers project and view changes to the webhooks that ask for them, with the event stream\'s data', async () => {
    const hook = await createHook(['project.*', 'view.created']);
    const project = (await t.http.post('/api/projects').set(user.auth).send({ name: 'Hooked', color: '#336699' }).expect(201)).body;
    await t.http.patch(`/api/projects/${project.id}`).set(user.auth).send({ name: 'Hooked, renamed' }).expect(200);
    const view = (await t.http.post('/api/views').set(user.auth).send({ name: 'Hooked view', query: { project_id: [project.id] } }).expect(201)).body;
    await t.http.patch(`/api/views/${view.id}`).set(user.auth).send({ name: 'Not asked for' }).expect(200);
    await t.http.delete(`/api/views/${view.id}`).set(user.auth).expect(204);
    await t.http.delete(`/api/projects/${project.id}`).set(user.auth).expect(204);
    const received = await receiver.waitFor(4);
    await new Promise((r) => setTimeout(r, 1000));
    const bodies = receiver.received.map((delivery) => WebhookReceiver.verify(hook.secret, delivery));
    expect(bodies.map((b) => b.type)).toEqual(['project.created', 'project.updated', 'view.created', 'project.deleted']);
    expect(received).toHaveLength(4);
    expect(bodies[0].data).toEqual({
      id: expect.stringMatching(/^\d+$/),
      type: 'project.created',
      project_id: project.id,
      version: 1,
      project: { ...project },
      occurred_at: bodies[0].timestamp,
    });
    expect(bodies[2].data).toMatchObject({ type: 'view.created', view_id: view.id, view: { name: 'Hooked view', query: { project_id: [project.id] } } });
    expect(bodies[3].data.project).toBeUndefined();
    await t.http.delete(`/api/webhooks/${hook.id}`).set(user.auth).expect(204);
  });

  it('delivers only what the patterns match, and changes made straight in SQL too (from the outbox)', async () => {
    const hook = await createHook(['task.created']);
    const task = await createTask(t, user, { title: 'Only the creation' });
    await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({ title: 'Renamed, not sent' }).expect(200);
    await t.db.query(`INSERT INTO tasks (user_id, title) VALUES ($1, 'Written by SQL')`, [user.id]);
    const received = await receiver.waitFor(2);
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.received.map((d) => WebhookReceiver.verify(hook.secret, d).data.type)).toEqual(['task.created', 'task.created']);
    const other = await createUser(t);
    await createTask(t, other);
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.received).toHaveLength(received.length);
    await t.http.delete(`/api/webhooks/${hook.id}`).set(user.auth).expect(204);
  });

  it('retries through a receiver outage with exponential backoff, with the same webhook-id, in order', async () => {
    const hook = await createHook(['task.created']);
    let failures = 3;
    receiver.respond = () => (failures-- > 0 ? { status: 503, body: 'down for maintenance' } : { status: 200 });
    await createTask(t, user, { title: 'Through the outage' });
    const received = await receiver.waitFor(4, 30_000);
    const ids = new Set(received.map((d) => d.headers['webhook-id']));
    expect(ids.size).toBe(1);
    const gaps = received.slice(1).map((d, i) => d.at - received[i].at);
    // WEBHOOK_RETRY_BASE_SECONDS=1: 1 s, 2 s, 4 s (each up to 10 % later, plus the polling second).
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1900);
    expect(gaps[2]).toBeGreaterThanOrEqual(3900);
    expect(gaps[2]).toBeLessThan(4400 + 2500);
    const [delivery] = await waitUntil(() => deliveries(hook.id), (list) => list[0]?.status === 'succeeded');
    expect(delivery).toMatchObject({ attempts: 4, status_code: 200, error: null, next_retry_at: null });
    await t.http.delete(`/api/webhooks/${hook.id}`).set(user.auth).expect(204);
  });

  it('shows a failing delivery with its status, error, the first kilobyte of the answer and the next retry', async () => {
    const hook = await createHook(['task.created']);
    receiver.respond = () => ({ status: 500, body: 'x'.repeat(5000) });
    await createTask(t, user);
    const [delivery] = await waitUntil(() => deliveries(hook.id), (list) => (list[0]?.attempts ?? 0) >= 1);
    expect(delivery).toMatchObject({ status: 'pending', status_code: 500, error: 'status 500' });
    expect(delivery.response).toHaveLength(1024);
    expect(Date.parse(delivery.next_retry_at as string)).toBeGreaterThan(Date.now() - 1000);
    await t.http.delete(`/api/webhooks/${hook.id}`).set(user.auth).expect(204);
  });

  it('counts a redirect as a failure and does not follow it', async () => {
    const hook = await createHook(['task.created']);
    receiver.respond = (d: ReceivedDelivery) => (d.headers['x-followed'] ? { status: 204 } : { status: 302, headers: { Location: receiver.url } });
    await createTask(t, user);
    const [delivery] = await waitUntil(() => deliveries(hook.id), (list) => (list[0]?.attempts ?? 0) >= 1);
    expect(delivery).toMatchObject({ status: 'pending', status_code: 302, error: 'redirect (302) not followed' });
    expect(receiver.received).toHaveLength(1);
    await t.http.delete(`/api/webhooks/${hook.id}`).set(user.auth).expect(204);
  });

  it('gives up on a receiver that does not answer within 10 s', async () => {
    const hook = await createHook(['task.created']);
    receiver.respond = () => 'hang';
    await createTask(t, user);
    const [delivery] = await waitUntil(() => deliveries(hook.id), (list) => (list[0]?.attempts ?? 0) >= 1, 20_000);
    expect(delivery).toMatchObject({ status: 'pending', status_code: null, error: 'no answer within 10 s' });
    expect(delivery.duration_ms).toBeGreaterThanOrEqual(10_000);
    expect(delivery.duration_ms).toBeLessThan(12_000);
    await t.http.delete(`/api/webhooks/${hook.id}`).set(user.auth).expect(204);
  });

  it('disables a webhook that has failed for 24 hours, and says why', async () => {
    const hook = await createHook(['task.created']);
    receiver.respond = () => ({ status: 410 });
    await createTask(t, user);
    await waitUntil(() => deliveries(hook.id), (list) => (list[0]?.attempts ?? 0) >= 1);
    // As if the failures had started a day ago.
    await t.db.query("UPDATE webhooks SET failing_since = now() - interval '24 hours 1 minute' WHERE id = $1", [hook.id]);
    await createTask(t, user);
    const disabled = await waitUntil(
      async () => (await t.http.get(`/api/webhooks/${hook.id}`).set(user.auth).expect(200)).body,
      (body: { enabled: boolean; disabled_reason: string | null }) => !body.enabled,
    );
    expect(disabled.disabled_reason).toMatch(/^Disabled on .*: deliveries failed for 24 hours \(last: status 410\)$/);
    const list = await waitUntil(() => deliveries(hook.id), (items) => items.every((d) => d.status === 'failed'));
    expect(list.every((d) => d.next_retry_at === null)).toBe(true);
    // Nothing is queued for it any more; enabling it again clears the reason.
    const count = receiver.received.length;
    await createTask(t, user);
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.received).toHaveLength(count);
    const enabled = await t.http.patch(`/api/webhooks/${hook.id}`).set(user.auth).send({ enabled: true }).expect(200);
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null, failing_since: null });
    await t.http.delete(`/api/webhooks/${hook.id}`).set(user.auth).expect(204);
  });

  it('redelivers a delivery now, with the same webhook-id; sends a signed test event', async () => {
    const hook = await createHook(['task.created']);
    await createTask(t, user);
    const [first] = await receiver.waitFor(1);
    const [original] = await waitUntil(() => deliveries(hook.id), (list) => list[0]?.status === 'succeeded');
    const again = await t.http.post(`/api/webhooks/${hook.id}/deliveries/${original.id}/redeliver`).set(user.auth).expect(202);
    expect(again.body).toMatchObject({ message_id: original.message_id, status: 'pending', event: 'task.created' });
    const [, second] = await receiver.waitFor(2);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);

    const test = await t.http.post(`/api/webhooks/${hook.id}/test`).set(user.auth).expect(202);
    expect(test.body).toMatchObject({ event: 'webhook.test', status: 'pending' });
    const [, , ping] = await receiver.waitFor(3);
    expect(WebhookReceiver.verify(hook.secret, ping)).toMatchObject({ type: 'webhook.test', data: { webhook_id: hook.id } });
    await waitUntil(() => deliveries(hook.id), (list) => list.find((d) => d.id === test.body.id)?.status === 'succeeded');
    await t.http.delete(`/api/webhooks/${hook.id}`).set(user.auth).expect(204);
  });

  it('is private to its owner: another user gets 403 on every route and changes nothing', async () => {
    const hook = await createHook(['task.created']);
    const [delivery] = (await Promise.all([createTask(t, user), receiver.waitFor(1)]), await waitUntil(() => deliveries(hook.id), (l) => l.length > 0));
    const mallory = await createUser(t);
    const routes: [string, string, object?][] = [
      ['get', `/api/webhooks/${hook.id}`],
      ['patch', `/api/webhooks/${hook.id}`, { enabled: false }],
      ['delete', `/api/webhooks/${hook.id}`],
      ['get', `/api/webhooks/${hook.id}/deliveries`],
      ['post', `/api/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`],
      ['post', `/api/webhooks/${hook.id}/test`],
    ];
    for (const [method, path, body] of routes) {
      expectError(await t.http[method as 'get'](path).set(mallory.auth).send(body ?? {}), 403, 'Access denied: webhook not found or not owned by user');
    }
    expect((await t.http.get('/api/webhooks').set(mallory.auth).expect(200)).body).toEqual([]);
    const { rows } = await t.db.query('SELECT enabled FROM webhooks WHERE id = $1', [hook.id]);
    expect(rows[0].enabled).toBe(true);
    await t.http.delete(`/api/webhooks/${hook.id}`).set(user.auth).expect(204);
  });
});

describe('webhook SSRF rules', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let user: TestUser;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    // Plain http allowed (the receiver speaks no TLS), private addresses not.
    t = await startTestApp({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_RETRY_BASE_SECONDS: '1' });
    user = await createUser(t);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it.each([
    ['http://127.0.0.1:9/hook', '127.0.0.1 is a loopback address: refused'],
    ['http://10.0.0.1/hook', '10.0.0.1 is a private address: refused'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address: refused'],
    ['http://[::1]/hook', '::1 is a loopback address: refused'],
    ['http://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1 is a loopback address: refused'],
  ])('refuses %s when it is set', async (url, message) => {
    const res = await t.http.post('/api/webhooks').set(user.auth).send({ url, events: ['*'] });
    expectError(res, 400);
    expect(res.body.error.details).toEqual([{ field: 'url', message }]);
  });

  it('refuses localhost, which resolves to loopback', async () => {
    const res = await t.http.post('/api/webhooks').set(user.auth).send({ url: `http://localhost:${receiver.port}/hook`, events: ['*'] });
    expectError(res, 400);
    expect(res.body.error.details[0].message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address: refused$/);
    expect(receiver.connections).toBe(0);
  });

  it('checks again before every delivery, before any connection is made', async () => {
    // Rows written behind the API's back, as if the rules had been looser when they were set.
    const targets = [receiver.url, `http://localhost:${receiver.port}/hook`, 'http://10.0.0.1/hook', 'http://169.254.169.254/latest/meta-data/'];
    for (const url of targets) {
      await t.db.query(`INSERT INTO webhooks (user_id, url, events, secret) VALUES ($1, $2, '{task.created}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')`, [user.id, url]);
    }
    await createTask(t, user);
    const deadline = Date.now() + 15_000;
    let rows: { url: string; attempts: number; last_error: string; last_duration_ms: number }[] = [];
    while (Date.now() < deadline) {
      ({ rows } = await t.db.query(
        `SELECT w.url, d.attempts, d.last_error, d.last_duration_ms FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.attempts > 0`,
      ));
      if (rows.length === targets.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(rows.map((row) => [row.url, row.last_error]).sort()).toEqual(
      [
        [receiver.url, '127.0.0.1 is a loopback address: refused'],
        [`http://localhost:${receiver.port}/hook`, expect.stringMatching(/^localhost resolves to .*, a loopback address: refused$/)],
        ['http://10.0.0.1/hook', '10.0.0.1 is a private address: refused'],
        ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address: refused'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    // No connection was attempted: nothing reached the receiver, and no attempt waited for a network.
    expect(receiver.connections).toBe(0);
    expect(Math.max(...rows.map((row) => row.last_duration_ms))).toBeLessThan(1000);
  });
});
