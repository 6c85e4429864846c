import { HttpClient, HttpContext } from '@angular/common/http';
import {
  DestroyRef,
  Injectable,
  InjectionToken,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Subject, Subscription, debounceTime, filter, merge } from 'rxjs';
import { API_BASE_URL } from './api-base-url';
import {
  EventTicket,
  ProjectChangeEvent,
  ReadyEventData,
  TaskChangeEvent,
  ViewChangeEvent,
} from './api-models';
import { AuthService } from './auth.service';
import { BACKGROUND_REQUEST } from './loading.service';

const CHANGE_TYPES: readonly TaskChangeEvent['type'][] = [
  'task.created',
  'task.updated',
  'task.deleted',
];

const PROJECT_TYPES: readonly ProjectChangeEvent['type'][] = [
  'project.created',
  'project.updated',
  'project.deleted',
];
const VIEW_TYPES: readonly ViewChangeEvent['type'][] = [
  'view.created',
  'view.updated',
  'view.deleted',
];

/** What the service needs of an EventSource; tests hand in a fake. */
export interface EventStream {
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
}

export const EVENT_STREAM_FACTORY = new InjectionToken<(url: string) => EventStream>(
  'EVENT_STREAM_FACTORY',
  { providedIn: 'root', factory: () => (url: string) => new EventSource(url) },
);

/** The API sends a heartbeat every 25 s; silence for longer means a dead connection. */
export const STALE_AFTER_MS = 35_000;
const RECONNECT_FIRST_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;
/** Connecting and reconnecting take a moment; only a longer gap is worth telling the user about. */
export const INTERRUPTED_AFTER_MS = 3_000;
/** Views wait this long after the last event before re-fetching, so a burst costs one request. */
export const REFRESH_DEBOUNCE_MS = 200;

/** Wait before reconnect number `failures` + 1: 1 s doubling to 30 s, half of it random. */
export function reconnectDelay(failures: number, random = Math.random()): number {
  const nominal = Math.min(RECONNECT_FIRST_MS * 2 ** failures, RECONNECT_MAX_MS);
  return Math.round(nominal * (0.5 + random * 0.5));
}

function parse<T>(event: Event): Partial<T> | null {
  try {
    const data: unknown = JSON.parse((event as MessageEvent<string>).data);
    return typeof data === 'object' && data !== null ? (data as Partial<T>) : null;
  } catch {
    return null;
  }
}

function isChange(data: Partial<TaskChangeEvent> | null): data is TaskChangeEvent {
  if (!data || typeof data.task_id !== 'string' || typeof data.version !== 'number') return false;
  return data.type === 'task.deleted' || typeof (data as { task?: unknown }).task === 'object';
}

/**
 * The live feed of the signed-in user's task changes (Server-Sent Events), kept open while
 * someone is signed in and resumed from the last event seen after every interruption.
 *
 * EventSource cannot send the bearer token, so each connection uses a single-use ticket.
 * For the same reason the browser's own reconnect (which would reuse the spent ticket, fail
 * and log errors) is never allowed to happen: the source is closed on any error and a new
 * one opened with a fresh ticket.
 */
@Injectable({ providedIn: 'root' })
export class TaskEvents {
  private readonly http = inject(HttpClient);
  private readonly apiBaseUrl = inject(API_BASE_URL);
  private readonly openStream = inject(EVENT_STREAM_FACTORY);
  private readonly changeSubject = new Subject<TaskChangeEvent>();
  private readonly projectSubject = new Subject<ProjectChangeEvent>();
  private readonly viewSubject = new Subject<ViewChangeEvent>();
  private readonly resyncSubject = new Subject<number>();
  private readonly resetSubject = new Subject<void>();
  private readonly epochState = signal(0);
  private readonly connectedState = signal(false);
  private readonly interruptedState = signal(false);

  /** Every change of the user's tasks, made here or anywhere else, possibly more than once. */
  readonly changes$ = this.changeSubject.asObservable();
  /** Every change of the user's projects (their open task counts included). */
  readonly projectChanges$ = this.projectSubject.asObservable();
  /** Every change of the user's saved views. */
  readonly viewChanges$ = this.viewSubject.asObservable();
  /**
   * The new epoch, after each (re)connection and each reset. What a view loaded before it
   * may have missed changes; what it loaded since has not (the stream delivers the rest).
   */
  readonly resync$ = this.resyncSubject.asObservable();
  /** The server could not resume the stream: anything kept from it must be read again. */
  readonly reset$ = this.resetSubject.asObservable();
  readonly epoch = this.epochState.asReadonly();
  readonly connected = this.connectedState.asReadonly();
  /**
   * Someone is signed in and has had no live connection for INTERRUPTED_AFTER_MS: changes
   * made on their other devices will only show once it is back.
   */
  readonly interrupted = this.interruptedState.asReadonly();

  private userId: string | null = null;
  private stream: EventStream | null = null;
  private ticketRequest: Subscription | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private staleTimer: ReturnType<typeof setTimeout> | undefined;
  private interruptedTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private lastEventId: string | null = null;
  /** Whose stream `lastEventId` belongs to: it outlives a session that ended, for that user only. */
  private lastEventUser: string | null = null;

  constructor() {
    const auth = inject(AuthService);
    const userId = computed(() => auth.user()?.id ?? null);
    effect(() => {
      const id = userId();
      untracked(() => this.follow(id));
    });
    // Back online: no point waiting out the backoff.
    const onOnline = () => {
      if (this.userId && !this.stream && !this.ticketRequest) this.connect();
    };
    window.addEventListener('online', onOnline);
    inject(DestroyRef).onDestroy(() => {
      window.removeEventListener('online', onOnline);
      this.userId = null;
      this.stop();
    });
  }

  /**
   * Shows a change this app made (the API's answer to its own write) to every view at once,
   * without waiting for the stream to echo it; the echo is then a repeat, which views ignore
   * by version.
   */
  announce(change: TaskChangeEvent): void {
    this.changeSubject.next(change);
  }

  /** Asks every view to read its tasks again, quietly (the offline queue has been sent). */
  resync(): void {
    this.nextEpoch();
  }

  private follow(userId: string | null): void {
    if (userId === this.userId) return;
    this.stop();
    this.userId = userId;
    // The same person signing in again (their session had ended) resumes where their stream
    // stopped, so nothing that happened meanwhile is missed; anyone else starts afresh.
    if (userId !== null && userId !== this.lastEventUser) {
      this.lastEventId = null;
      this.lastEventUser = userId;
    }
    this.failures = 0;
    if (userId) this.connect();
    this.watchInterruption();
  }

  private connect(): void {
    this.stop();
    this.ticketRequest = this.http
      .post<EventTicket>(`${this.apiBaseUrl}/api/events/ticket`, null, {
        context: new HttpContext().set(BACKGROUND_REQUEST, true),
      })
      .subscribe({
        next: ({ ticket }) => {
          this.ticketRequest = null;
          this.open(ticket);
        },
        error: (error: unknown) => {
          this.ticketRequest = null;
          // A 401 ended the session; the error interceptor cleared it and follow() stops us.
          if ((error as { status?: unknown }).status !== 401) this.retryLater();
        },
      });
  }

  private open(ticket: string): void {
    const params = new URLSearchParams({ ticket });
    if (this.lastEventId !== null) params.set('last_event_id', this.lastEventId);
    const stream = this.openStream(`${this.apiBaseUrl}/api/events?${params}`);
    this.stream = stream;
    const on = (type: string, handle: (event: Event) => void) =>
      stream.addEventListener(type, (event) => {
        if (this.stream === stream) handle(event);
      });
    on('ready', (event) => {
      this.failures = 0;
      this.seen(event, parse<ReadyEventData>(event)?.last_event_id);
      this.connectedState.set(true);
      this.watchInterruption();
      this.nextEpoch();
    });
    for (const type of CHANGE_TYPES) {
      on(type, (event) => {
        const change = parse<TaskChangeEvent>(event);
        this.seen(event, change?.id);
        if (isChange(change)) this.changeSubject.next(change);
      });
    }
    for (const type of PROJECT_TYPES) {
      on(type, (event) => {
        const change = parse<ProjectChangeEvent>(event);
        this.seen(event, change?.id);
        if (change && typeof change.project_id === 'string' && change.type === type) {
          this.projectSubject.next(change as ProjectChangeEvent);
        }
      });
    }
    for (const type of VIEW_TYPES) {
      on(type, (event) => {
        const change = parse<ViewChangeEvent>(event);
        this.seen(event, change?.id);
        if (change && typeof change.view_id === 'string' && change.type === type) {
          this.viewSubject.next(change as ViewChangeEvent);
        }
      });
    }
    on('heartbeat', () => this.watchForSilence());
    on('reset', (event) => {
      this.seen(event);
      this.resetSubject.next();
      this.nextEpoch();
    });
    // The token that opened the stream has expired: the server ends it. A new one is opened at
    // once with a fresh ticket; if the session has ended too, that asks the user to sign in,
    // and the stream resumes from here once they have.
    on('expired', (event) => {
      this.seen(event);
      this.stop();
      this.connect();
    });
    // The session that opened the stream has ended (logged out or revoked elsewhere, a password
    // change). Asking for a ticket refreshes the session if this tab still has one; if not, it
    // ends here too and the user is asked to sign in.
    on('revoked', (event) => {
      this.seen(event);
      this.stop();
      this.connect();
    });
    on('error', () => {
      this.stop();
      this.retryLater();
    });
    this.watchForSilence();
  }

  /** Remembers where to resume, and that the connection is alive. */
  private seen(event: Event, fallbackId?: string): void {
    const id = (event as MessageEvent).lastEventId || fallbackId;
    if (id) this.lastEventId = id;
    this.watchForSilence();
  }

  private nextEpoch(): void {
    this.epochState.update((n) => n + 1);
    this.resyncSubject.next(this.epochState());
  }

  private watchForSilence(): void {
    clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => {
      this.stop();
      this.retryLater();
    }, STALE_AFTER_MS);
  }

  private retryLater(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.connect(), reconnectDelay(this.failures++));
  }

  private stop(): void {
    this.ticketRequest?.unsubscribe();
    this.ticketRequest = null;
    this.stream?.close();
    this.stream = null;
    clearTimeout(this.staleTimer);
    clearTimeout(this.reconnectTimer);
    this.connectedState.set(false);
    this.watchInterruption();
  }

  private watchInterruption(): void {
    if (this.connectedState() || !this.userId) {
      clearTimeout(this.interruptedTimer);
      this.interruptedTimer = undefined;
      this.interruptedState.set(false);
      return;
    }
    this.interruptedTimer ??= setTimeout(() => {
      this.interruptedTimer = undefined;
      this.interruptedState.set(true);
    }, INTERRUPTED_AFTER_MS);
  }
}

/** How a view takes part in live updates; see liveTaskView. */
export interface LiveViewHooks {
  /** Shows the change at once if it can; true when the view should also re-fetch. */
  apply(change: TaskChangeEvent): boolean;
  /** Re-fetches quietly (no progress bar, no emptied list). */
  refresh(): void;
}

export interface LiveView {
  /** Call when a load starts, so a later reconnection knows whether it may have missed something. */
  loading(): void;
}

/**
 * Wires a view to TaskEvents for as long as the calling component or store lives: applies
 * events through `apply`, re-fetches (debounced) when `apply` asks to, and after a
 * (re)connection or reset whenever the view's data is older than it.
 */
export function liveTaskView(hooks: LiveViewHooks): LiveView {
  const events = inject(TaskEvents);
  let loadedEpoch: number | null = null;
  merge(
    events.changes$.pipe(filter((change) => hooks.apply(change))),
    events.resync$.pipe(filter((epoch) => loadedEpoch !== null && loadedEpoch < epoch)),
  )
    .pipe(debounceTime(REFRESH_DEBOUNCE_MS), takeUntilDestroyed())
    .subscribe(() => hooks.refresh());
  return {
    loading: () => {
      loadedEpoch = events.epoch();
    },
  };
}
