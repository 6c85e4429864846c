import { openSse, openStream, type SseEvent, type SseStream, dataOf } from '../support/sse-client';
import { createTask, createUser, startTestApp, type TestApp, type TestUser } from '../support/test-app';

/**
 * What an event stream may outlive, and what its ids may tell (hardening
 * issue, parts 3 and 4; OWASP API2 and API3).
 * - A stream lives no longer than the token that opened it, or the token a
 *   ticket was got with: at expiry an `expired` event, then the end.
 * - Event ids count the caller's own changes only: another user's writes
 *   leave no gap between two of one's own events.
 * - HEAD on the stream checks a ticket without using it up.
 */
const TOKEN_SECONDS = 4;
/** How late after its token's expiry a stream may end: the bound. */
const CLOSE_WITHIN_MS = 2000;

function expiryOf(user: TestUser): number {
  const payload = JSON.parse(Buffer.from(user.token.split('.')[1], 'base64url').toString()) as { exp: number };
  return payload.exp * 1000;
}

async function ticketFor(t: TestApp, user: TestUser): Promise<string> {
  return (await t.http.post('/api/events/ticket').set(user.auth).expect(201)).body.ticket as string;
}

describe('event streams and the session that opened them', () => {
  let t: TestApp;
  const streams: SseStream[] = [];

  beforeAll(async () => {
    t = await startTestApp({ JWT_EXPIRES_IN: String(TOKEN_SECONDS), SSE_HEARTBEAT_SECONDS: '1' });
  });
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Opens a stream, then checks it ends with `expired` within CLOSE_WITHIN_MS of `expiresAt`, delivering nothing after it. */
  async function expectEndsAtExpiry(stream: SseStream, user: TestUser, expiresAt: number): Promise<void> {
    streams.push(stream);
    expect((await stream.next()).event).toBe('ready');
    // Still live while the token is valid.
    const before = await createTask(t, user);
    expect(dataOf(await stream.next()).task_id).toBe(before.id);

    await stream.ended;
    const endedAt = Date.now();
    expect(endedAt).toBeGreaterThanOrEqual(expiresAt - 50);
    expect(endedAt - expiresAt).toBeLessThan(CLOSE_WITHIN_MS);
    const last = stream.events.filter((e) => e.event !== 'heartbeat').at(-1);
    expect(last?.event).toBe('expired');
    // Its id is where to resume: the last event delivered (of any kind: a new
    // task also brings its project's project.updated).
    const delivered = stream.events.filter((e) => !['heartbeat', 'ready', 'expired'].includes(e.event));
    expect(delivered.map((e) => e.event)).toContain('task.created');
    expect(last?.id).toBe(delivered.at(-1)?.id);
    expect(dataOf(last!)).toEqual({ reason: expect.stringMatching(/expired/) });
  }

  it('ends a stream opened with a bearer token when the token expires', async () => {
    const user = await createUser(t);
    await expectEndsAtExpiry(await openStream(t.baseUrl, '/api/events', user.auth), user, expiryOf(user));
  }, 20_000);

  it('ends a stream opened with a ticket when the token it was got with expires, not the ticket', async () => {
    const user = await createUser(t);
    const ticket = await ticketFor(t, user);
    await expectEndsAtExpiry(await openStream(t.baseUrl, `/api/events?ticket=${ticket}`), user, expiryOf(user));
  }, 20_000);

  it('refuses an unused ticket once the token it was got with has expired', async () => {
    const user = await createUser(t);
    const ticket = await ticketFor(t, user);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiryOf(user) - Date.now()) + 100));
    const res = await openSse(t.baseUrl, `/api/events?ticket=${ticket}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 401, message: 'Ticket expired' } });
  }, 20_000);

  it("numbers each user's events on their own: another user's writes leave no gap", async () => {
    const alice = await createUser(t);
    const bob = await createUser(t);
    const aliceStream = await openStream(t.baseUrl, '/api/events', alice.auth);
    const bobStream = await openStream(t.baseUrl, '/api/events', bob.auth);
    streams.push(aliceStream, bobStream);
    const aliceStart = Number((await aliceStream.next()).id);
    const bobStart = Number((await bobStream.next()).id);

    await createTask(t, alice);
    for (let i = 0; i < 5; i++) await createTask(t, bob);
    const task = await createTask(t, alice);
    await t.http.patch(`/api/tasks/${task.id}`).set(alice.auth).send({ status: 'done' }).expect(200);
    await t.http.delete(`/api/tasks/${task.id}`).set(alice.auth).expect(204);

    // Each stream numbers its own user's events one after another, whatever
    // the other user wrote in between, and never carries the other's.
    const expectContiguous = (events: SseEvent[], start: number, taskEvents: number) => {
      const ids = events.map((e) => Number(e.id));
      expect(ids).toEqual(ids.map((_, i) => start + 1 + i));
      expect(events.map((e) => Number(dataOf(e).id))).toEqual(ids);
      expect(events.filter((e) => e.event.startsWith('task.'))).toHaveLength(taskEvents);
    };
    const aliceEvents = await aliceStream.quietFor(1_000);
    const bobEvents = await bobStream.quietFor(0);
    expectContiguous(aliceEvents, aliceStart, 4);
    expectContiguous(bobEvents, bobStart, 5);
    const bobTasks = new Set(bobEvents.map((e) => dataOf(e).task_id).filter(Boolean));
    expect(bobTasks.size).toBe(5);
    expect(aliceEvents.filter((e) => bobTasks.has(dataOf(e).task_id))).toEqual([]);
  });

  it('answers HEAD with the headers of a stream and leaves the ticket unused', async () => {
    const user = await createUser(t);
    const ticket = await ticketFor(t, user);
    const head = await fetch(`${t.baseUrl}/api/events?ticket=${ticket}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await head.text()).toBe('');

    const stream = await openStream(t.baseUrl, `/api/events?ticket=${ticket}`);
    streams.push(stream);
    expect((await stream.next()).event).toBe('ready');
    // Used now: a second GET is refused, and so is a HEAD.
    expect((await openSse(t.baseUrl, `/api/events?ticket=${ticket}`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/api/events?ticket=${ticket}`, { method: 'HEAD' })).status).toBe(401);
  });

  it('checks the credentials on HEAD like on GET', async () => {
    expect((await fetch(`${t.baseUrl}/api/events?ticket=not-a-ticket`, { method: 'HEAD' })).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/api/events`, { method: 'HEAD' })).status).toBe(401);
  });
});
