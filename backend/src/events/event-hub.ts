import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Credential } from '../common/current-user.decorator.js';
import { SessionsRepository } from '../sessions/sessions.repository.js';
import { ConcurrencyLimit } from '../common/concurrency-limit.js';
import { grantsScope, scopeForEvent } from '../common/scopes.js';
import { EventStreamsAtCapacityException, EventsShuttingDownException, TooManyEventStreamsException } from './event-errors.js';
import {
  expiredMessage,
  heartbeatMessage,
  readyMessage,
  resetMessage,
  revokedMessage,
  type SseMessage,
  changeMessage,
} from './event-messages.js';
import { END_GRACE_MS, type SseConnection } from './sse-connection.js';
import { type EventBatch, EventLog } from './event-log.js';

/**
 * How often this instance looks for new events of the users with streams
 * here: the most a change made through another instance waits.
 */
export const POLL_INTERVAL_MS = 200;
const PUMP_RETRY_MS = 1_000;
/**
 * Page reads for streams that are catching up (a replay from an old
 * Last-Event-ID, a client that read slowly) run this many at a time: each
 * holds a page in memory and a background connection (the poll has its own
 * turn), however many streams ask.
 */
const CONCURRENT_PAGE_READS = 2;
/** Shutdown: how long to wait for ended streams to close; each is cut after END_GRACE_MS anyway. */
const FLUSH_GRACE_MS = END_GRACE_MS + 500;
/**
 * How often the instance asks whether the sessions and personal tokens of
 * its open streams still stand: one statement for all of them. A revoked
 * session's streams end within this (plus the statement) on every instance.
 */
export const CREDENTIAL_CHECK_MS = 2_000;
/** setTimeout cannot wait longer (about 24.8 days); a later expiry is re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface StreamStart {
  /** The sequence number after which this stream's events start. */
  readonly cursor: bigint;
  /** Set when the client's resume point could not be honoured. */
  readonly reset?: string;
}

interface LocalStream {
  readonly userId: string;
  /** The highest event number this stream has been sent, or told it is at. */
  cursor: bigint;
  /**
   * Until a read has found nothing more after its cursor, history it still
   * has to read could be purged under it; once caught up, each event is read
   * within moments of its commit, long before it could be purged.
   */
  catchingUp: boolean;
  /**
   * The next message did not fit (STREAM_BUFFER_BYTES): nothing more is read
   * for this stream until its client has taken everything it was sent.
   */
  waiting: boolean;
  readonly connection: SseConnection;
  /** When the token that opened the stream expires (epoch ms). */
  readonly expiresAt: number;
  /** The session or personal token it was opened with: the stream ends when that is revoked. */
  readonly credential: Credential;
  expiryTimer?: NodeJS.Timeout;
}

interface UserStreams {
  readonly streams: Set<LocalStream>;
  pumping: boolean;
  /** New events were seen (or a stream opened or caught up) while pumping: read again. */
  again: boolean;
  retry?: NodeJS.Timeout;
}

/**
 * Feeds this instance's event streams from the `events` outbox.
 * PostgreSQL is the only source: a write made through any instance is
 * committed there by the trigger, in the write's own transaction, and every
 * instance reads it back. Every POLL_INTERVAL_MS one statement asks which
 * users with streams here have events past their streams' cursors; per such
 * user, one "pump" at a time hands each stream the events after its own
 * cursor. New streams and polls just run the pump, so backlog and live
 * events take one path, in order, without gaps or duplicates, and a database
 * outage only delays events: the next successful read finds them.
 *
 * Memory is bounded by bytes, whatever clients do: a stream is written to
 * only while what its client has not read yet stays under
 * STREAM_BUFFER_BYTES; a stream that is full is skipped (its place is its
 * cursor, in the database) until its client has read everything, and then
 * catches up page by page (PAGE_ROWS, PAGE_BYTES); one whose bytes have
 * waited for two heartbeats is cut, and its client resumes with
 * Last-Event-ID. Reads are bounded too (POLL_BYTES, pages, a few at a time).
 *
 * Why polling and not LISTEN/NOTIFY: a transaction that calls NOTIFY takes a
 * database-wide lock from its commit until it ends, so every writing
 * transaction would wait for the previous one's WAL flush: measured here,
 * 466 instead of 3,900 task updates per second. One small query per instance
 * every 200 ms costs nothing in comparison.
 */
@Injectable()
export class EventHub implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventHub');
  private readonly users = new Map<string, UserStreams>();
  /** Streams per user, counted from the first step of opening one so concurrent opens cannot pass the cap. */
  private readonly slots = new Map<string, number>();
  /** All slots held, every user together. */
  private slotsHeld = 0;
  private readonly pageReads = new ConcurrencyLimit(CONCURRENT_PAGE_READS);
  private heartbeatTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private credentialTimer?: NodeJS.Timeout;
  private polling = false;
  private checkingCredentials = false;
  /** Reads have failed since the last success: logged once per outage, then retried quietly. */
  private readsFailing = false;
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly log: EventLog,
    private readonly credentials: SessionsRepository,
  ) {}

  onApplicationBootstrap(): void {
    // Unreferenced: these timers never keep the process alive on their own.
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.config.sseHeartbeatSeconds * 1000).unref();
    this.pollTimer = setInterval(() => void this.poll(), POLL_INTERVAL_MS).unref();
    this.credentialTimer = setInterval(() => void this.checkCredentials(), CREDENTIAL_CHECK_MS).unref();
  }

  /**
   * Holds one of the user's stream slots; the returned function gives it
   * back and may be called any number of times.
   */
  reserve(userId: string): () => void {
    if (this.closed) throw new EventsShuttingDownException();
    const held = this.slots.get(userId) ?? 0;
    if (held >= this.config.sseMaxStreamsPerUser) throw new TooManyEventStreamsException(this.config.sseMaxStreamsPerUser);
    if (this.slotsHeld >= this.config.sseMaxStreams) throw new EventStreamsAtCapacityException();
    this.slots.set(userId, held + 1);
    this.slotsHeld++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.slotsHeld--;
      const left = (this.slots.get(userId) ?? 1) - 1;
      if (left > 0) this.slots.set(userId, left);
      else this.slots.delete(userId);
    };
  }

  /**
   * Starts feeding `connection`: `ready` (and `reset`, if resuming failed),
   * then the user's events after the cursor, until the client leaves, the
   * token expires (`expired`, then the end) or the instance shuts down.
   */
  open(
    userId: string,
    start: StreamStart,
    connection: SseConnection,
    auth: { expiresAt: number; credential: Credential },
    release: () => void,
  ): void {
    if (this.closed) {
      connection.end();
      release();
      return;
    }
    const stream: LocalStream = {
      userId,
      cursor: start.cursor,
      catchingUp: true,
      waiting: false,
      connection,
      expiresAt: auth.expiresAt,
      credential: auth.credential,
    };
    connection.write(readyMessage(start.cursor));
    if (start.reset) connection.write(resetMessage(start.cursor, start.reset));

    const user = this.streamsOf(userId);
    user.streams.add(stream);
    this.armExpiry(stream);
    connection.whenFlushed(() => {
      // Everything sent has reached the client's side: read more for it.
      if (!stream.waiting) return;
      stream.waiting = false;
      this.pump(userId);
    });
    connection.onClose(() => {
      clearTimeout(stream.expiryTimer);
      user.streams.delete(stream);
      if (user.streams.size === 0 && this.users.get(userId) === user) {
        clearTimeout(user.retry);
        this.users.delete(userId);
      }
      release();
    });
    this.pump(userId);
  }

  private streamsOf(userId: string): UserStreams {
    let user = this.users.get(userId);
    if (!user) {
      user = { streams: new Set(), pumping: false, again: false };
      this.users.set(userId, user);
    }
    return user;
  }

  /** A stream lives no longer than the token that opened it. */
  private armExpiry(stream: LocalStream): void {
    const delay = stream.expiresAt - Date.now();
    if (delay <= 0) {
      stream.connection.end(expiredMessage(stream.cursor));
      return;
    }
    stream.expiryTimer = setTimeout(() => this.armExpiry(stream), Math.min(delay, MAX_TIMER_MS)).unref();
  }

  /** Ends every stream (clients reconnect, to another instance) and stops polling. */
  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    clearInterval(this.pollTimer);
    clearInterval(this.credentialTimer);
    const open = [...this.users.values()].flatMap((user) => {
      clearTimeout(user.retry);
      return [...user.streams];
    });
    for (const stream of open) {
      clearTimeout(stream.expiryTimer);
      stream.connection.end();
    }
    // Ended responses flush what they hold; one whose client does not read
    // is cut by the connection itself after a moment (SseConnection.end).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(open.map((stream) => new Promise<void>((resolve) => stream.connection.onClose(resolve)))),
      new Promise((resolve) => (timer = setTimeout(resolve, FLUSH_GRACE_MS))),
    ]);
    clearTimeout(timer);
  }

  /**
   * Reads, in one statement, the new events of every user with streams here
   * that can take more, and delivers them through the users' pumps.
   */
  private async poll(): Promise<void> {
    if (this.polling || this.closed || this.users.size === 0) return;
    this.polling = true;
    try {
      const cursors = new Map<string, bigint>();
      for (const [userId, user] of this.users) {
        // A user being pumped right now is read again when that round ends.
        if (user.pumping) user.again = true;
        else {
          const cursor = lowestReadyCursor(user);
          if (cursor !== undefined) cursors.set(userId, cursor);
        }
      }
      const batches = await this.log.pollAfter(cursors);
      for (const [userId, batch] of batches) this.pump(userId, { after: cursors.get(userId) as bigint, batch });
      this.readsWork();
    } catch (error) {
      this.readsFail(error, POLL_INTERVAL_MS);
    } finally {
      this.polling = false;
    }
  }

  /**
   * Ends, with `revoked`, every stream whose session or personal token has
   * ended: logged out, revoked, a password change, the account deleted (its
   * sessions go with it). Streams opened with a token from before sessions
   * existed end when their user does.
   */
  private async checkCredentials(): Promise<void> {
    if (this.checkingCredentials || this.closed || this.users.size === 0) return;
    this.checkingCredentials = true;
    try {
      const ids = { sessions: new Set<string>(), apiTokens: new Set<string>(), users: new Set<string>() };
      const streams = [...this.users.values()].flatMap((user) => [...user.streams]);
      for (const { credential, userId } of streams) {
        if (credential.kind === 'api-token') ids.apiTokens.add(credential.tokenId);
        else if (credential.sessionId) ids.sessions.add(credential.sessionId);
        else ids.users.add(userId);
      }
      const alive = await this.credentials.alive({ sessions: [...ids.sessions], apiTokens: [...ids.apiTokens], users: [...ids.users] });
      for (const stream of streams) {
        const { credential } = stream;
        const id = credential.kind === 'api-token' ? credential.tokenId : (credential.sessionId ?? stream.userId);
        if (alive.has(id) || stream.connection.closed) continue;
        clearTimeout(stream.expiryTimer);
        stream.connection.end(revokedMessage(stream.cursor));
      }
    } catch (error) {
      // The database is away: the streams get no events either; the next check decides.
      this.logger.debug(`Checking stream credentials failed: ${(error as Error).message}`);
    } finally {
      this.checkingCredentials = false;
    }
  }

  private heartbeat(): void {
    const at = new Date();
    const now = at.getTime();
    const stallMs = 2 * this.config.sseHeartbeatSeconds * 1000;
    for (const user of this.users.values()) {
      for (const stream of user.streams) {
        // Its client has not read for two heartbeats: gone, or not reading.
        // It resumes from its Last-Event-ID when it comes back.
        if (stream.connection.stalledFor(stallMs, now)) {
          this.logger.log(
            `Closed an event stream whose client stopped reading: ${stream.connection.bufferedBytes} bytes waited over ${stallMs / 1000} s`,
          );
          stream.connection.destroy();
          continue;
        }
        const message = heartbeatMessage(stream.cursor, at);
        if (stream.connection.hasRoomFor(message)) stream.connection.write(message);
      }
    }
  }

  /**
   * Runs the user's pump unless it is running (then it reads once more when
   * done). `first` is a batch the poll already read for it.
   */
  private pump(userId: string, first?: { after: bigint; batch: EventBatch }): void {
    const user = this.users.get(userId);
    if (!user || this.closed) return;
    if (user.pumping) {
      user.again = true;
      return;
    }
    user.pumping = true;
    void this.drain(userId, user, first).finally(() => {
      user.pumping = false;
    });
  }

  private async drain(userId: string, user: UserStreams, first?: { after: bigint; batch: EventBatch }): Promise<void> {
    let pending = first;
    try {
      do {
        user.again = false;
        let more = false;
        do {
          const after = lowestReadyCursor(user);
          if (this.closed || after === undefined) return;
          let read = pending;
          pending = undefined;
          // The poll read from where the streams were then; a stream that
          // has become ready since may be further behind.
          if (!read || read.after > after) {
            read = { after, batch: await this.pageReads.run(() => this.log.readPage(userId, after)) };
          }
          more = await this.deliver(user, read.after, read.batch);
        } while (more);
      } while (user.again);
      this.readsWork();
    } catch (error) {
      if (this.closed) return;
      this.readsFail(error, PUMP_RETRY_MS);
      for (const stream of user.streams) stream.catchingUp = true;
      clearTimeout(user.retry);
      user.retry = setTimeout(() => this.pump(userId), PUMP_RETRY_MS).unref();
    }
  }

  /**
   * Writes each ready stream the events of `batch` past its own cursor, as
   * far as its buffer allows. True when there is more to read for the
   * streams that took all of it.
   */
  private async deliver(user: UserStreams, after: bigint, batch: EventBatch): Promise<boolean> {
    const messages = batch.events.map(changeMessage);
    let more = false;
    for (const stream of [...user.streams]) {
      // A stream behind `after` (it became ready after the read) is read for
      // in the next round of the loop.
      if (stream.waiting || stream.connection.closed || stream.cursor < after) continue;
      if (stream.catchingUp && stream.cursor < batch.purgedThrough) {
        await this.reset(stream, 'Events this stream had not been sent yet were purged');
        if (stream.connection.closed) continue;
      }
      if (!this.send(stream, messages)) continue;
      if (batch.more) more = true;
      else stream.catchingUp = false;
    }
    return more;
  }

  /** Writes the messages after the stream's cursor while they fit; false when the stream filled up. */
  private send(stream: LocalStream, messages: SseMessage[]): boolean {
    const { credential } = stream;
    for (const message of messages) {
      if (message.id <= stream.cursor) continue;
      // A personal token's stream passes over what its scopes do not cover,
      // its cursor moving on as if it had been sent.
      if (credential.kind === 'api-token' && !grantsScope(credential.scopes, scopeForEvent(message.type))) {
        stream.cursor = message.id;
        continue;
      }
      if (!stream.connection.hasRoomFor(message)) {
        stream.waiting = true;
        return false;
      }
      stream.connection.write(message);
      stream.cursor = message.id;
    }
    return true;
  }

  private async reset(stream: LocalStream, reason: string): Promise<void> {
    const cursor = await this.log.head(stream.userId, 'background');
    if (stream.connection.closed) return;
    // Past a reset the client reloads everything; what it was sent before is moot.
    stream.connection.write(resetMessage(cursor, reason));
    stream.cursor = cursor;
  }

  private readsWork(): void {
    if (!this.readsFailing) return;
    this.readsFailing = false;
    this.logger.log('Reading task events works again');
  }

  private readsFail(error: unknown, retryMs: number): void {
    if (this.closed || this.readsFailing) return;
    this.readsFailing = true;
    this.logger.warn(`Reading task events failed, retrying every ${retryMs} ms: ${(error as Error).message}`);
  }
}

/** The lowest cursor among the user's streams that can take more: where a read for all of them starts. */
function lowestReadyCursor(user: UserStreams): bigint | undefined {
  let lowest: bigint | undefined;
  for (const stream of user.streams) {
    if (stream.waiting || stream.connection.closed) continue;
    if (lowest === undefined || stream.cursor < lowest) lowest = stream.cursor;
  }
  return lowest;
}
