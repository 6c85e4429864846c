import { createHmac, randomUUID } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { EventTicketsService } from '../../src/events/event-tickets.service';
import { EventTicket } from '../../src/events/outbox-event.entity';
import { EventLog } from '../../src/events/event-log';
import { type ApiProcess, killApi, spawnApi, waitHealthy } from '../support/api-process';
import { dataOf, openSse, openStream, type SseEvent, type SseStream } from '../support/sse-client';
import { nowSeconds } from '../support/tokens';
import { createTask, createUser, expectError, startTestApp, TEST_JWT_SECRET, type TestApp, type TestUser } from '../support/test-app';

const ISO_MILLIS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DECIMAL = /^\d+$/;
const MAX_STREAMS = 3;

/** The ticket key as the API derives it, to forge tickets only a bug would accept. */
const TICKET_KEY = createHmac('sha256', TEST_JWT_SECRET).update('evolution-of-todo:event-ticket').digest();

function signJwt(payload: Record<string, unknown>, key: Buffer | string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

async function ticketFor(t: TestApp, user: TestUser): Promise<string> {
  const res = await t.http.post('/api/events/ticket').set(user.auth).expect(201);
  return res.body.ticket as string;
}

/**
 * A stream opened with the bearer token, its `ready` event already read. It
 * passes over project events: these tests are about tasks (the project
 * events a task change brings are tested in organize-events.e2e-spec.ts).
 */
async function readyStream(baseUrl: string, user: TestUser, query = '', headers: Record<string, string> = {}) {
  const stream = await openStream(baseUrl, `/api/events${query}`, { ...user.auth, ...headers });
  stream.ignore = /^project\./;
  const ready = await stream.next();
  expect(ready.event).toBe('ready');
  return { stream, ready, cursor: ready.id as string };
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Opens `path` once the server has noticed a closed stream and given its slot back (it takes a moment). */
async function openOnceFree(baseUrl: string, path: string): Promise<SseStream> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const opened = await openSse(baseUrl, path);
    if (opened.stream) return opened.stream;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no slot came free for ${path}`);
}

const ids = (events: SseEvent[]) => events.map((e) => BigInt(e.id as string));
const expectIncreasing = (values: bigint[]) => values.slice(1).forEach((v, i) => expect(v > values[i]).toBe(true));

describe('live task events (GET /api/events)', () => {
  let t: TestApp;
  let second: ApiProcess;
  const streams: SseStream[] = [];
  const track = <T extends { stream: SseStream }>(opened: T): T => {
    streams.push(opened.stream);
    return opened;
  };

  beforeAll(async () => {
    t = await startTestApp({ SSE_HEARTBEAT_SECONDS: '1', SSE_MAX_STREAMS_PER_USER: String(MAX_STREAMS), CORS_ORIGINS: 'http://localhost:4200' });
    // A second instance on the same database, as behind a load balancer.
    second = await spawnApi({ DATABASE_URL: t.databaseUrl, SSE_HEARTBEAT_SECONDS: '1' });
    await waitHealthy(second);
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  afterAll(async () => {
    await killApi(second, 'SIGTERM');
    await t.close();
  });

  describe('authentication', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await createUser(t);
    });

    it('refuses a request without a token or ticket with 401 in the error shape', async () => {
      const res = await openSse(t.baseUrl, '/api/events');
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toEqual({ error: { code: 401, message: 'Invalid token' } });
    });

    it('refuses a bad bearer token like every other route', async () => {
      const res = await openSse(t.baseUrl, '/api/events', { Authorization: 'Bearer not.a.token' });
      expect(res).toMatchObject({ status: 401, body: { error: { code: 401, message: 'Invalid token' } } });
      const expired = signJwt({ sub: user.id, exp: nowSeconds() - 10 }, TEST_JWT_SECRET);
      expect((await openSse(t.baseUrl, '/api/events', { Authorization: `Bearer ${expired}` })).body).toEqual({
        error: { code: 401, message: 'Token expired' },
      });
    });

    it('issues a ticket: 201, an opaque string valid for 60 s, never cached', async () => {
      const res = await t.http.post('/api/events/ticket').set(user.auth);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ ticket: expect.any(String), expires_in: 60 });
      expect(res.headers['cache-control']).toBe('no-store');
      expectError(await t.http.post('/api/events/ticket'), 401);
    });

    it('opens a stream with a ticket, once', async () => {
      const ticket = await ticketFor(t, user);
      const { stream } = track({ stream: await openStream(t.baseUrl, `/api/events?ticket=${ticket}`) });
      expect((await stream.next()).event).toBe('ready');

      const again = await openSse(t.baseUrl, `/api/events?ticket=${ticket}`);
      expect(again).toMatchObject({ status: 401, body: { error: { code: 401, message: 'Ticket already used' } } });
      // Nor on another instance: used tickets are kept in the database.
      const elsewhere = await openSse(second.baseUrl, `/api/events?ticket=${ticket}`);
      expect(elsewhere).toMatchObject({ status: 401, body: { error: { code: 401, message: 'Ticket already used' } } });
    });

    it('lets exactly one of two concurrent requests use a ticket', async () => {
      const ticket = await ticketFor(t, user);
      const results = await Promise.all([t.baseUrl, second.baseUrl].map((base) => openSse(base, `/api/events?ticket=${ticket}`)));
      for (const result of results) if (result.stream) streams.push(result.stream);
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    });

    it.each([
      ['garbage', 'not-a-ticket'],
      ['an empty string', ''],
      ['a tampered signature', 'TAMPER'],
      ['one signed with JWT_SECRET itself', 'RAW_SECRET'],
      ['one without jti', 'NO_JTI'],
      ['alg none', 'NONE'],
    ])('refuses %s as a ticket with 401', async (_case, kind) => {
      const claims = { sub: user.id, jti: randomUUID(), exp: nowSeconds() + 60 };
      const ticket =
        kind === 'TAMPER'
          ? `${signJwt(claims, TICKET_KEY).slice(0, -4)}AAAA`
          : kind === 'RAW_SECRET'
            ? signJwt(claims, TEST_JWT_SECRET)
            : kind === 'NO_JTI'
              ? signJwt({ sub: user.id, exp: nowSeconds() + 60 }, TICKET_KEY)
              : kind === 'NONE'
                ? `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`
                : kind;
      const res = await openSse(t.baseUrl, `/api/events?ticket=${encodeURIComponent(ticket)}`);
      expect(res).toMatchObject({ status: 401, body: { error: { code: 401, message: 'Invalid ticket' } } });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it('refuses an expired ticket', async () => {
      const ticket = signJwt({ sub: user.id, jti: randomUUID(), iat: nowSeconds() - 120, exp: nowSeconds() - 60 }, TICKET_KEY);
      const res = await openSse(t.baseUrl, `/api/events?ticket=${ticket}`);
      expect(res).toMatchObject({ status: 401, body: { error: { code: 401, message: 'Ticket expired' } } });
    });

    it('never takes a ticket as a bearer token', async () => {
      const ticket = await ticketFor(t, user);
      const bearer = { Authorization: `Bearer ${ticket}` };
      expectError(await t.http.get('/api/tasks').set(bearer), 401, 'Invalid token');
      expectError(await t.http.post('/api/events/ticket').set(bearer), 401, 'Invalid token');
      expect((await openSse(t.baseUrl, '/api/events', bearer)).status).toBe(401);
      // Still unused: it works where it belongs.
      track({ stream: await openStream(t.baseUrl, `/api/events?ticket=${ticket}`) });
    });

    it('never takes a bearer token as a ticket', async () => {
      const res = await openSse(t.baseUrl, `/api/events?ticket=${user.token}`);
      expect(res).toMatchObject({ status: 401, body: { error: { code: 401, message: 'Invalid ticket' } } });
    });

    it('judges the Authorization header when one is sent, whatever the ticket', async () => {
      const ticket = await ticketFor(t, user);
      const res = await openSse(t.baseUrl, `/api/events?ticket=${ticket}`, { Authorization: 'Bearer x.y.z' });
      expect(res.status).toBe(401);
    });

    it('refuses the token of a deleted user', async () => {
      const doomed = await createUser(t);
      const ticket = await ticketFor(t, doomed);
      await t.db.query('DELETE FROM users WHERE id = $1', [doomed.id]);
      expect((await openSse(t.baseUrl, '/api/events', doomed.auth)).status).toBe(401);
      expect((await openSse(t.baseUrl, `/api/events?ticket=${ticket}`)).status).toBe(401);
      expectError(await t.http.post('/api/events/ticket').set(doomed.auth), 401);
    });
  });

  describe('the stream', () => {
    it('starts with retry and ready: the cursor as id and in data', async () => {
      const user = await createUser(t);
      const stream = await openStream(t.baseUrl, '/api/events', { ...user.auth, Origin: 'http://localhost:4200' });
      streams.push(stream);
      expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.response.headers['cache-control']).toMatch(/no-store/);
      expect(stream.response.headers['x-content-type-options']).toBe('nosniff');
      expect(stream.response.headers['access-control-allow-origin']).toBe('http://localhost:4200');
      const ready = await stream.next();
      expect(ready).toEqual({ event: 'ready', id: expect.stringMatching(DECIMAL), retry: 3000, data: expect.any(String) });
      expect(dataOf(ready)).toEqual({ last_event_id: ready.id });
    });

    it('delivers created, updated and deleted with the task, its version and the exact data shape', async () => {
      const user = await createUser(t);
      const { stream, cursor } = track(await readyStream(t.baseUrl, user));

      const created = await createTask(t, user, { title: 'Watch me', tags: ['live'], due_date: '2027-03-04', priority: 'high' });
      await t.http.patch(`/api/tasks/${created.id}`).set(user.auth).send({ status: 'done' }).expect(200);
      const current = (await t.http.get(`/api/tasks/${created.id}`).set(user.auth).expect(200)).body;
      await t.http.delete(`/api/tasks/${created.id}`).set(user.auth).expect(204);

      const [c, u, d] = await stream.take(3);
      expect(ids([c, u, d])[0] > BigInt(cursor)).toBe(true);
      expectIncreasing(ids([c, u, d]));
      expect(c.event).toBe('task.created');
      expect(Object.keys(dataOf(c))).toEqual(['id', 'type', 'task_id', 'version', 'task', 'occurred_at']);
      expect(dataOf(c)).toEqual({
        id: c.id,
        type: 'task.created',
        task_id: created.id,
        version: 1,
        task: created,
        occurred_at: expect.stringMatching(ISO_MILLIS_UTC),
      });
      expect(u.event).toBe('task.updated');
      expect(dataOf(u)).toEqual({ id: u.id, type: 'task.updated', task_id: created.id, version: 2, task: current, occurred_at: expect.stringMatching(ISO_MILLIS_UTC) });
      expect(current).toMatchObject({ status: 'done', version: 2 });
      expect(d.event).toBe('task.deleted');
      expect(dataOf(d)).toEqual({ id: d.id, type: 'task.deleted', task_id: created.id, version: 3, occurred_at: expect.stringMatching(ISO_MILLIS_UTC) });
      expect(await stream.quietFor(200)).toEqual([]);
    });

    it('delivers changes made through another instance on the same database, both ways', async () => {
      const user = await createUser(t);
      const onSecond = track(await readyStream(second.baseUrl, user));
      const onFirst = track(await readyStream(t.baseUrl, user));

      const viaFirst = await createTask(t, user, { title: 'Through the first instance' });
      const res = await fetch(`${second.baseUrl}/api/tasks`, {
        method: 'POST',
        headers: { ...user.auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: 'Through the second instance' }),
      });
      const viaSecond = (await res.json()) as { id: string };

      for (const { stream } of [onSecond, onFirst]) {
        const events = await stream.take(2);
        expect(events.map((e) => dataOf(e).task_id)).toEqual([viaFirst.id, viaSecond.id]);
      }
    });

    it("never sends a user another user's events, even while both write at once", async () => {
      const [alice, bob] = await Promise.all([createUser(t), createUser(t)]);
      const aliceStream = track(await readyStream(second.baseUrl, alice)).stream;
      const bobTicket = await ticketFor(t, bob);
      const bobStream = track({ stream: await openStream(second.baseUrl, `/api/events?ticket=${bobTicket}`) }).stream;
      bobStream.ignore = /^project\./;
      expect((await bobStream.next()).event).toBe('ready');

      const PER_USER = 15;
      const written = await Promise.all(
        Array.from({ length: PER_USER * 2 }, (_, i) => createTask(t, i % 2 === 0 ? alice : bob, { title: `Concurrent ${i}` })),
      );
      const own = (user: TestUser) => written.filter((task) => task.user_id === user.id).map((task) => task.id).sort();

      for (const [user, stream] of [[alice, aliceStream], [bob, bobStream]] as const) {
        const events = await stream.take(PER_USER);
        expectIncreasing(ids(events));
        expect(events.every((e) => (dataOf(e).task as { user_id: string }).user_id === user.id)).toBe(true);
        expect(events.map((e) => dataOf(e).task_id as string).sort()).toEqual(own(user));
        expect(await stream.quietFor(300)).toEqual([]);
      }
    });

    it('sends a heartbeat every SSE_HEARTBEAT_SECONDS, repeating the cursor as id', async () => {
      const user = await createUser(t);
      const { stream, cursor } = track(await readyStream(t.baseUrl, user));
      const heartbeat = await stream.next(3000, { heartbeats: true });
      expect(heartbeat).toEqual({ event: 'heartbeat', id: cursor, data: expect.any(String) });
      expect(dataOf(heartbeat)).toEqual({ at: expect.stringMatching(ISO_MILLIS_UTC) });
      expect(Math.abs(Date.parse(dataOf<{ at: string }>(heartbeat).at) - Date.now())).toBeLessThan(5000);

      const task = await createTask(t, user);
      const event = await stream.next();
      expect(dataOf(event).task_id).toBe(task.id);
      const next = await stream.next(3000, { heartbeats: true });
      // The last id sent: the task event's, or the Inbox's project.updated that came with it.
      const lastSent = stream.events.filter((e) => e.event !== 'heartbeat' && stream.events.indexOf(e) < stream.events.indexOf(next)).at(-1);
      expect(next).toMatchObject({ event: 'heartbeat', id: lastSent?.id });
      expect(BigInt(next.id as string) >= BigInt(event.id as string)).toBe(true);
    });
  });

  describe('resuming with Last-Event-ID', () => {
    let user: TestUser;
    let seen: string;
    let missed: SseEvent[];

    beforeAll(async () => {
      user = await createUser(t);
      const { stream } = await readyStream(t.baseUrl, user);
      const task = await createTask(t, user, { title: 'Before the break' });
      await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({ title: 'Still before the break' }).expect(200);
      const [, last] = await stream.take(2);
      seen = last.id as string;
      stream.close();
      await stream.ended;

      // While disconnected: these are what a resuming client must get, exactly.
      const other = await createTask(t, user, { title: 'During the break' });
      await t.http.patch(`/api/tasks/${other.id}`).set(user.auth).send({ status: 'in-progress' }).expect(200);
      await t.http.delete(`/api/tasks/${task.id}`).set(user.auth).expect(204);
      const live = await readyStream(t.baseUrl, user, `?last_event_id=${seen}`);
      missed = await live.stream.take(3);
      live.stream.close();
      const { rows } = await t.db.query("SELECT seq::text AS id FROM events WHERE user_id = $1 AND seq > $2 AND type LIKE 'task.%' ORDER BY seq", [user.id, seen]);
      expect(missed.map((e) => e.id)).toEqual(rows.map((r: { id: string }) => r.id));
    });

    it('delivers exactly the missed events, in order, after the header id', async () => {
      const { stream, ready } = track(await readyStream(t.baseUrl, user, '', { 'Last-Event-ID': seen }));
      expect(ready.id).toBe(seen);
      expect(dataOf(ready)).toEqual({ last_event_id: seen });
      const events = await stream.take(3);
      expect(events.map((e) => e.event)).toEqual(['task.created', 'task.updated', 'task.deleted']);
      expect(events).toEqual(missed);
      expect(BigInt(events[0].id as string) > BigInt(seen)).toBe(true);
      expectIncreasing(ids(events));
      expect(await stream.quietFor(300)).toEqual([]);
    });

    it('resumes from the last_event_id query parameter too', async () => {
      const { stream } = track(await readyStream(t.baseUrl, user, `?last_event_id=${seen}`));
      expect(await stream.take(3)).toEqual(missed);
      expect(await stream.quietFor(300)).toEqual([]);
    });

    it('lets the header win over the query parameter', async () => {
      const { stream, ready } = track(await readyStream(t.baseUrl, user, `?last_event_id=${seen}`, { 'Last-Event-ID': missed[1].id as string }));
      expect(ready.id).toBe(missed[1].id);
      expect(await stream.take(1)).toEqual([missed[2]]);
      expect(await stream.quietFor(300)).toEqual([]);
    });

    it('resumes on another instance as well, then goes on live', async () => {
      const { stream } = track(await readyStream(second.baseUrl, user, '', { 'Last-Event-ID': seen }));
      expect(await stream.take(3)).toEqual(missed);
      const task = await createTask(t, user);
      expect(dataOf(await stream.next()).task_id).toBe(task.id);
    });

    it('sends nothing old when resuming from the newest id', async () => {
      const { rows } = await t.db.query('SELECT max(seq)::text AS id FROM events WHERE user_id = $1', [user.id]);
      const { stream } = track(await readyStream(t.baseUrl, user, '', { 'Last-Event-ID': rows[0].id }));
      expect(await stream.quietFor(400)).toEqual([]);
    });

    it('sends reset, with a fresh cursor, when the id is older than the history kept', async () => {
      await t.db.query('UPDATE event_sequences SET purged_through = $1 WHERE user_id = $2', [missed[0].id, user.id]);
      try {
        const { stream, ready } = track(await readyStream(t.baseUrl, user, '', { 'Last-Event-ID': seen }));
        const reset = await stream.next();
        expect(reset).toEqual({ event: 'reset', id: ready.id, data: expect.any(String) });
        expect(dataOf(reset)).toEqual({ reason: expect.stringMatching(/older than the retained history/) });
        expect(BigInt(ready.id as string) >= BigInt(missed[2].id as string)).toBe(true);
        // History before the new cursor is not replayed; what follows is delivered.
        expect(await stream.quietFor(300)).toEqual([]);
        const task = await createTask(t, user);
        expect(dataOf(await stream.next()).task_id).toBe(task.id);
      } finally {
        await t.db.query('UPDATE event_sequences SET purged_through = 0 WHERE user_id = $1', [user.id]);
      }
    });

    it('sends reset when the id was never issued (greater than the newest)', async () => {
      const { stream, ready } = track(await readyStream(t.baseUrl, user, '', { 'Last-Event-ID': '9000000000000000000' }));
      expect(ready.id).not.toBe('9000000000000000000');
      const reset = await stream.next();
      expect(reset).toMatchObject({ event: 'reset', id: ready.id });
      expect(dataOf(reset).reason).toEqual(expect.any(String));
    });

    it.each([
      ['letters', '?last_event_id=abc', 'last_event_id'],
      ['a negative number', '?last_event_id=-1', 'last_event_id'],
      ['a fraction', '?last_event_id=1.5', 'last_event_id'],
      ['more than a bigint', '?last_event_id=9223372036854775808', 'last_event_id'],
      ['two of them', '?last_event_id=1&last_event_id=2', 'last_event_id'],
      ['an unknown parameter', '?since=1', 'since'],
    ])('answers 400 before any stream byte for %s', async (_case, query, field) => {
      const res = await openSse(t.baseUrl, `/api/events${query}`, user.auth);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ error: { code: 400, message: 'Validation failed', details: [{ field, message: expect.any(String) }] } });
    });

    it('answers 400 for a bad Last-Event-ID header, and a ticket survives a 400', async () => {
      const ticket = await ticketFor(t, user);
      const res = await openSse(t.baseUrl, `/api/events?ticket=${ticket}`, { 'Last-Event-ID': 'yesterday' });
      expect(res).toMatchObject({
        status: 400,
        body: { error: { code: 400, message: 'Validation failed', details: [{ field: 'Last-Event-ID', message: expect.any(String) }] } },
      });
      const stream = await openStream(t.baseUrl, `/api/events?ticket=${ticket}`);
      streams.push(stream);
      expect((await stream.next()).event).toBe('ready');
    });
  });

  describe('limits and misbehaving clients', () => {
    it(`answers 429 past ${MAX_STREAMS} open streams of one user on one instance, and frees a slot on disconnect`, async () => {
      const user = await createUser(t);
      const open = [];
      for (let i = 0; i < MAX_STREAMS; i++) open.push(track(await readyStream(t.baseUrl, user)).stream);

      const refused = await openSse(t.baseUrl, '/api/events', user.auth);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toMatch(DECIMAL);
      expect(refused.body).toEqual({ error: { code: 429, message: expect.stringMatching(/Too many open event streams/) } });
      // A ticket is not spent on a refused stream.
      const ticket = await ticketFor(t, user);
      expect((await openSse(t.baseUrl, `/api/events?ticket=${ticket}`)).status).toBe(429);

      // Another user, and this user on another instance, are not affected.
      track(await readyStream(t.baseUrl, await createUser(t)));
      track(await readyStream(second.baseUrl, user));

      open[0].close();
      streams.push(await openOnceFree(t.baseUrl, `/api/events?ticket=${ticket}`));
    });

    it('answers 503 past SSE_MAX_STREAMS open streams on one instance, all users together, and frees a slot on disconnect', async () => {
      const full = await spawnApi({ DATABASE_URL: t.databaseUrl, SSE_MAX_STREAMS: '4' });
      try {
        await waitHealthy(full);
        const [alice, bob, carol] = [await createUser(t), await createUser(t), await createUser(t)];
        const open = [];
        for (const user of [alice, alice, bob, bob]) open.push(track(await readyStream(full.baseUrl, user)).stream);

        // Carol holds no stream at all: it is the instance that is full, not her quota.
        const ticket = await ticketFor(t, carol);
        const refused = await openSse(full.baseUrl, `/api/events?ticket=${ticket}`);
        expect(refused.status).toBe(503);
        expect(refused.headers['retry-after']).toMatch(DECIMAL);
        expect(refused.body).toEqual({ error: { code: 503, message: expect.stringMatching(/as many open event streams as it can take/) } });
        expect((await openSse(full.baseUrl, '/api/events', alice.auth)).status).toBe(503);
        // Other instances are not affected, and the rest of this one still serves.
        track(await readyStream(t.baseUrl, carol));
        expect((await fetch(`${full.baseUrl}/api/tasks`, { headers: carol.auth })).status).toBe(200);

        // A refused stream did not spend the ticket: it opens one once a slot is free.
        open[2].close();
        const reopened = track({ stream: await openOnceFree(full.baseUrl, `/api/events?ticket=${ticket}`) }).stream;
        const task = await createTask(t, carol);
        const [ready, created] = await reopened.take(2);
        expect(ready.event).toBe('ready');
        expect(dataOf(created).task_id).toBe(task.id);
      } finally {
        for (const stream of streams.splice(0)) stream.close();
        await killApi(full, 'SIGTERM');
      }
    });

    it('keeps serving other streams when one client stops reading, and drops that one', async () => {
      const user = await createUser(t);
      // Straight to the API: the contract proxy's socket buffers would hide a client that stopped reading.
      const slow = track(await readyStream(t.apiUrl, user)).stream;
      const fast = track(await readyStream(t.apiUrl, user)).stream;
      slow.pause();

      // ~10 MB of events in one transaction: far more than the socket buffers and the 64 kB the server holds per stream.
      const COUNT = 1000;
      await t.db.query(
        `INSERT INTO tasks (user_id, title, description) SELECT $1, 'bulk ' || i, repeat('x', 9500) FROM generate_series(1, $2) AS i`,
        [user.id, COUNT],
      );
      const events = await fast.take(COUNT, 30_000);
      expectIncreasing(ids(events));
      expect(events.map((e) => (dataOf(e).task as { title: string }).title)).toEqual(Array.from({ length: COUNT }, (_, i) => `bulk ${i + 1}`));

      // Once its bytes have waited for two heartbeats (1 s here), the server gives up on the slow client
      // (it cannot tell it so: the client is not reading).
      await waitFor(() => t.output.some((line) => line.includes('Closed an event stream whose client stopped reading')));
      const task = await createTask(t, user);
      expect(dataOf(await fast.next()).task_id).toBe(task.id);

      // Once it reads again, it finds its stream cut short, after events in order: it reconnects and resumes.
      slow.resume();
      await slow.ended;
      const received = slow.events.filter((e) => e.event.startsWith('task.'));
      expect(received.length).toBeLessThan(COUNT);
      expect(received).toEqual(events.slice(0, received.length));
    }, 60_000);

    it('keeps serving other streams when a client vanishes', async () => {
      const user = await createUser(t);
      const gone = track(await readyStream(t.baseUrl, user)).stream;
      const staying = track(await readyStream(t.baseUrl, user)).stream;
      gone.close();
      const task = await createTask(t, user);
      expect(dataOf(await staying.next()).task_id).toBe(task.id);
    });
  });

  describe('the database side', () => {
    it('delivers changes made outside the API, and keeps delivering after its database connections are cut', async () => {
      const user = await createUser(t);
      const { stream } = track(await readyStream(t.baseUrl, user));
      // Any write path produces the event: the outbox is written by a trigger.
      const { rows } = await t.db.query("INSERT INTO tasks (user_id, title) VALUES ($1, 'Written in SQL') RETURNING id", [user.id]);
      expect(dataOf(await stream.next(5_000))).toMatchObject({ type: 'task.created', task_id: rows[0].id });

      const admin = new pg.Client({ connectionString: process.env.TEST_ADMIN_DATABASE_URL });
      await admin.connect();
      try {
        const name = new URL(t.databaseUrl).pathname.slice(1);
        const { rowCount } = await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'evolution-of-todo-api'",
          [name],
        );
        expect(rowCount).toBeGreaterThan(0);
      } finally {
        await admin.end();
      }
      await t.db.query("UPDATE tasks SET title = 'Changed in SQL' WHERE id = $1", [rows[0].id]);
      expect(dataOf(await stream.next(10_000))).toMatchObject({ type: 'task.updated', task: { title: 'Changed in SQL' } });
      const later = await createTask(t, user);
      expect(dataOf(await stream.next(10_000)).task_id).toBe(later.id);
    });

    it('purges old events in batches, advancing purged_through, so an older resume point gets reset', async () => {
      const user = await createUser(t);
      const { stream } = await readyStream(t.baseUrl, user);
      const tasks = [await createTask(t, user), await createTask(t, user), await createTask(t, user)];
      const events = await stream.take(3);
      stream.close();
      const [first, second_, third] = events.map((e) => e.id as string);
      await t.db.query("UPDATE events SET occurred_at = now() - interval '2 hours' WHERE user_id = $1 AND seq = ANY($2::bigint[])", [
        user.id,
        [first, second_],
      ]);

      const source = new DataSource(dataSourceOptions(t.databaseUrl));
      await source.initialize();
      try {
        const log = new EventLog(source, source);
        // Batches of one: the loop, not one big statement, did the work.
        await expect(log.purge(3600, 1)).resolves.toBe(2);
        await expect(log.purge(3600, 1)).resolves.toBe(0);

        await t.db.query(
          "INSERT INTO event_tickets (id, expires_at) VALUES ($1, now() - interval '10 minutes'), ($2, now() - interval '1 minute')",
          [randomUUID(), randomUUID()],
        );
        const tickets = new EventTicketsService(undefined as never, source.getRepository(EventTicket), source);
        // Only past a margin for clock skew between instances.
        await expect(tickets.purgeExpired()).resolves.toBe(1);
      } finally {
        await source.destroy();
      }

      const { rows } = await t.db.query('SELECT purged_through::text AS p FROM event_sequences WHERE user_id = $1', [user.id]);
      expect(rows[0].p).toBe(second_);
      const left = await t.db.query("SELECT seq::text AS id FROM events WHERE user_id = $1 AND type LIKE 'task.%' ORDER BY seq", [user.id]);
      expect(left.rows.map((r: { id: string }) => r.id)).toEqual([third]);

      const fromFirst = track(await readyStream(t.baseUrl, user, '', { 'Last-Event-ID': first }));
      expect((await fromFirst.stream.next()).event).toBe('reset');
      const fromSecond = track(await readyStream(t.baseUrl, user, '', { 'Last-Event-ID': second_ }));
      expect(dataOf(await fromSecond.stream.next()).task_id).toBe(tasks[2].id);
      expect(await fromSecond.stream.quietFor(200)).toEqual([]);
    });
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = (await t.http.get('/docs-json').expect(200)).body;
    const ticket = doc.paths['/api/events/ticket'].post;
    expect(ticket.tags).toEqual(['events']);
    expect(ticket.security).toEqual([{ bearer: [] }]);
    expect(ticket.responses['201'].content['application/json'].schema.$ref).toBe('#/components/schemas/EventTicketResponse');

    const stream = doc.paths['/api/events'].get;
    expect(stream.tags).toEqual(['events']);
    expect(Object.keys(stream.responses['200'].content)).toEqual(['text/event-stream']);
    for (const type of ['ready', 'task.created', 'task.updated', 'task.deleted', 'heartbeat', 'reset', 'expired']) {
      expect(stream.responses['200'].description).toContain(`\`${type}\``);
    }
    expect(stream.responses['503'].description).toMatch(/SSE_MAX_STREAMS/);
    expect(stream.parameters.map((p: { name: string; in: string }) => `${p.in} ${p.name}`).sort()).toEqual(
      ['header Last-Event-ID', 'query last_event_id', 'query ticket'].sort(),
    );
    for (const status of ['400', '401', '429', '503']) expect(stream.responses[status].content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorBody');
    for (const schema of ['ReadyEventData', 'TaskEventData', 'HeartbeatEventData', 'ResetEventData', 'ExpiredEventData']) {
      expect(doc.components.schemas[schema]).toBeDefined();
    }
    expect(doc.components.schemas.TaskEventData.required).toEqual(['id', 'type', 'task_id', 'version', 'occurred_at']);
  });
});

describe('live task events and shutdown', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('ends open streams on SIGTERM and exits 0 promptly', async () => {
    const user = await createUser(t);
    const opened = await Promise.all([0, 1, 2].map(() => readyStream(t.baseUrl, user)));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => t.process.once('exit', (code) => resolve({ code, at: Date.now() })));
    const sigtermAt = Date.now();
    t.process.kill('SIGTERM');
    await Promise.all(opened.map(({ stream }) => stream.ended));
    const exit = await exited;
    expect(exit.code).toBe(0);
    expect(exit.at - sigtermAt).toBeLessThan(5000);
    expect(t.output.some((line) => line.includes('Shutdown complete'))).toBe(true);
    const name = new URL(t.databaseUrl).pathname.slice(1);
    const { rows } = await t.db.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'evolution-of-todo-api%'", [name]);
    expect(rows[0].n).toBe(0);
  });
});
