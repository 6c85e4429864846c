import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { makeTask } from '../../testing/factories';
import { API_BASE_URL } from './api-base-url';
import { TaskChangeEvent } from './api-models';
import { signIn as signInService } from '../../testing/session';
import { AuthService } from './auth.service';
import {
  EVENT_STREAM_FACTORY,
  EventStream,
  INTERRUPTED_AFTER_MS,
  REFRESH_DEBOUNCE_MS,
  STALE_AFTER_MS,
  TaskEvents,
  liveTaskView,
  reconnectDelay,
} from './task-events';

const API = 'http://api.test';
const TICKET_URL = `${API}/api/events/ticket`;

class FakeStream implements EventStream {
  closed = false;
  private readonly listeners = new Map<string, ((event: Event) => void)[]>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (event: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
  }

  emit(type: string, data: unknown = {}, lastEventId = ''): void {
    const event =
      type === 'error'
        ? new Event('error')
        : new MessageEvent(type, { data: JSON.stringify(data), lastEventId });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

/** Signed in before the service under test starts: set when setup() builds the testing module. */
let signedInAtStart = false;
function signIn() {
  signedInAtStart = true;
}

function setup() {
  const streams: FakeStream[] = [];
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: API_BASE_URL, useValue: API },
      {
        provide: EVENT_STREAM_FACTORY,
        useValue: (url: string) => {
          const stream = new FakeStream(url);
          streams.push(stream);
          return stream;
        },
      },
    ],
  });
  const auth = TestBed.inject(AuthService);
  if (signedInAtStart) signInService(auth, { access_token: 'tok' });
  const events = TestBed.inject(TaskEvents);
  TestBed.tick();
  const http = TestBed.inject(HttpTestingController);
  const changes: TaskChangeEvent[] = [];
  events.changes$.subscribe((change) => changes.push(change));
  /** Answers the pending ticket request; returns the stream opened with it. */
  const grant = (ticket: string) => {
    http.expectOne({ method: 'POST', url: TICKET_URL }).flush({ ticket, expires_in: 60 });
    return streams[streams.length - 1];
  };
  return { events, http, streams, changes, grant, auth };
}

const updated = (id: string, version: number) => ({
  id,
  type: 'task.updated',
  task_id: 't1',
  version,
  task: makeTask({ id: 't1', version }),
  occurred_at: '2026-01-01T00:00:00.000Z',
});

describe('TaskEvents', () => {
  beforeEach(() => {
    signedInAtStart = false;
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(1);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('stays idle while nobody is signed in', () => {
    const { http, streams } = setup();
    http.expectNone(TICKET_URL);
    expect(streams).toEqual([]);
  });

  it('opens the stream with a ticket and passes on the task changes', () => {
    signIn();
    const { events, grant, changes } = setup();
    const stream = grant('t-1');
    expect(stream.url).toBe(`${API}/api/events?ticket=t-1`);
    expect(events.connected()).toBe(false);

    stream.emit('ready', { last_event_id: '4' }, '4');
    expect(events.connected()).toBe(true);
    expect(events.epoch()).toBe(1);

    stream.emit('task.updated', updated('5', 2), '5');
    stream.emit('task.deleted', { id: '6', type: 'task.deleted', task_id: 't1', version: 3 }, '6');
    expect(changes.map((c) => [c.type, c.version])).toEqual([
      ['task.updated', 2],
      ['task.deleted', 3],
    ]);
  });

  it('on an error closes the source at once and resumes with a new ticket after a wait', () => {
    signIn();
    const { events, grant, http } = setup();
    const first = grant('t-1');
    first.emit('ready', { last_event_id: '4' }, '4');
    first.emit('task.updated', updated('7', 2), '7');

    first.emit('error');
    // Closed before the browser could retry with the spent ticket.
    expect(first.closed).toBe(true);
    expect(events.connected()).toBe(false);
    vi.advanceTimersByTime(reconnectDelay(0, 1) - 1);
    http.expectNone(TICKET_URL);
    vi.advanceTimersByTime(1);
    const second = grant('t-2');
    expect(second.url).toBe(`${API}/api/events?ticket=t-2&last_event_id=7`);

    // Views loaded before this point may have missed something: a new epoch says so.
    second.emit('ready', { last_event_id: '7' }, '7');
    expect(events.epoch()).toBe(2);
  });

  it('backs off further each time connecting fails, and starts over once connected', () => {
    signIn();
    const { http, grant } = setup();
    http
      .expectOne(TICKET_URL)
      .flush({ error: { code: 503, message: 'Unavailable' } }, { status: 503, statusText: '' });
    vi.advanceTimersByTime(1_000);
    const stream = grant('t-2');
    stream.emit('error');
    vi.advanceTimersByTime(1_999);
    http.expectNone(TICKET_URL);
    vi.advanceTimersByTime(1);
    grant('t-3').emit('ready', {}, '1');
    expect(reconnectDelay(0, 1)).toBe(1_000);
    expect(reconnectDelay(20, 1)).toBe(30_000);
    expect(reconnectDelay(0, 0)).toBe(500);
  });

  it('reconnects after 35 s without any event; heartbeats keep the stream open', () => {
    signIn();
    const { grant, http } = setup();
    const stream = grant('t-1');
    stream.emit('ready', {}, '1');
    vi.advanceTimersByTime(STALE_AFTER_MS - 1_000);
    stream.emit('heartbeat', { at: '2026-01-01T00:00:00.000Z' });
    vi.advanceTimersByTime(STALE_AFTER_MS - 1_000);
    expect(stream.closed).toBe(false);
    vi.advanceTimersByTime(1_000);
    expect(stream.closed).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(grant('t-2').url).toContain('last_event_id=1');
    http.verify();
  });

  it('a reset starts a new epoch: views reload what they show', () => {
    signIn();
    const { events, grant } = setup();
    const stream = grant('t-1');
    stream.emit('ready', {}, '1');
    stream.emit('reset', { reason: 'history expired' }, '90');
    expect(events.epoch()).toBe(2);
    stream.emit('error');
    vi.advanceTimersByTime(1_000);
    expect(grant('t-2').url).toContain('last_event_id=90');
  });

  it('says the connection is interrupted only after a few seconds without one, until it is back', () => {
    signIn();
    const { events, grant, http } = setup();
    // Connecting takes a moment: no word about it.
    vi.advanceTimersByTime(INTERRUPTED_AFTER_MS - 1);
    const first = grant('t-1');
    first.emit('ready', {}, '1');
    vi.advanceTimersByTime(INTERRUPTED_AFTER_MS);
    expect(events.interrupted()).toBe(false);

    // A blip that reconnects at once goes unmentioned too.
    first.emit('error');
    vi.advanceTimersByTime(1_000);
    const second = grant('t-2');
    second.emit('ready', {}, '1');
    vi.advanceTimersByTime(INTERRUPTED_AFTER_MS);
    expect(events.interrupted()).toBe(false);

    // Down for longer (tickets refused as well): now it says so, and stops once connected.
    second.emit('error');
    vi.advanceTimersByTime(1_000);
    http.expectOne(TICKET_URL).flush(null, { status: 0, statusText: 'Unknown Error' });
    vi.advanceTimersByTime(INTERRUPTED_AFTER_MS - 1_000 - 1);
    expect(events.interrupted()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(events.interrupted()).toBe(true);
    vi.advanceTimersByTime(2_000);
    grant('t-4').emit('ready', {}, '1');
    expect(events.interrupted()).toBe(false);
  });

  it('on expired opens a new stream at once, resuming after the last event', () => {
    signIn();
    const { grant, http } = setup();
    const first = grant('t-1');
    first.emit('ready', { last_event_id: '4' }, '4');
    first.emit('task.updated', updated('5', 2), '5');
    first.emit('expired', { reason: 'The token that opened this stream has expired' }, '5');
    expect(first.closed).toBe(true);
    // No backoff: the ticket is asked for straight away.
    const second = grant('t-2');
    expect(second.url).toBe(`${API}/api/events?ticket=t-2&last_event_id=5`);
    http.verify();
  });

  it('resumes after the last event when the same user signs in again, not for another user', () => {
    signIn();
    const { auth, grant, http } = setup();
    const first = grant('t-1');
    first.emit('ready', { last_event_id: '7' }, '7');
    // The session ends (the API refused the token and the refresh); the user signs in again.
    auth.end();
    TestBed.tick();
    expect(first.closed).toBe(true);
    signInService(auth, { access_token: 'tok' });
    TestBed.tick();
    expect(grant('t-2').url).toBe(`${API}/api/events?ticket=t-2&last_event_id=7`);

    auth.end();
    TestBed.tick();
    signInService(auth, { access_token: 'tok-2', user: { id: 'u2', email: 'grace@example.com', time_zone: 'UTC', created_at: '' } });
    TestBed.tick();
    expect(grant('t-3').url).toBe(`${API}/api/events?ticket=t-3`);
    http.verify();
  });

  it('never says so to someone signed out', () => {
    signIn();
    const { auth, events, grant } = setup();
    grant('t-1').emit('error');
    auth.logout().subscribe();
    TestBed.tick();
    vi.advanceTimersByTime(60_000);
    expect(events.interrupted()).toBe(false);
  });

  it('closes the stream on log out and does not come back', () => {
    signIn();
    const { auth, grant, http, streams } = setup();
    grant('t-1').emit('ready', {}, '1');
    auth.logout().subscribe();
    TestBed.tick();
    expect(streams[0].closed).toBe(true);
    http.expectOne(`${API}/auth/logout`).flush(null);
    vi.advanceTimersByTime(120_000);
    http.expectNone(TICKET_URL);
    expect(streams.length).toBe(1);
  });
});

describe('liveTaskView', () => {
  beforeEach(() => {
    signedInAtStart = false;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  function view(apply: (change: TaskChangeEvent) => boolean) {
    signIn();
    const ctx = setup();
    const refresh = vi.fn();
    const live = TestBed.runInInjectionContext(() => liveTaskView({ apply, refresh }));
    return { ...ctx, refresh, live };
  }

  it('re-fetches once, 200 ms after a burst of changes the view asked to re-fetch for', () => {
    const { grant, refresh } = view((change) => change.version > 1);
    const stream = grant('t-1');
    stream.emit('task.updated', updated('2', 1), '2');
    vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS);
    expect(refresh).not.toHaveBeenCalled();
    stream.emit('task.updated', updated('3', 2), '3');
    vi.advanceTimersByTime(100);
    stream.emit('task.updated', updated('4', 3), '4');
    vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('after a (re)connection re-fetches only what was loaded before it', () => {
    const { grant, refresh, live } = view(() => false);
    const stream = grant('t-1');
    stream.emit('ready', {}, '1');
    // Loaded after `ready`: the stream delivers every later change, nothing to re-fetch.
    live.loading();
    vi.advanceTimersByTime(10_000);
    expect(refresh).not.toHaveBeenCalled();

    stream.emit('error');
    vi.advanceTimersByTime(1_000);
    grant('t-2').emit('ready', {}, '1');
    vi.advanceTimersByTime(REFRESH_DEBOUNCE_MS);
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});
