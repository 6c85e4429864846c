import type { ServerResponse } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type MessageEvent,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Observable, type Subscriber } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EventStreamsAtCapacityException, EventsShuttingDownException, TooManyEventStreamsException } from './event-errors.js';
import { heartbeatMessage, resetMessage, readyMessage, taskEventMessage } from './event-messages.js';
import { type EventBatch, TaskEventLog } from './task-event-log.js';

const BATCH_SIZE = 500;
/**
 * How often this instance looks for new events of the users with streams
 * here: the most a change made through another instance waits.
 */
export const POLL_INTERVAL_MS = 200;
const PUMP_RETRY_MS = 1_000;
/** Shutdown: how long completed streams get to flush before their connections are cut. */
const FLUSH_GRACE_MS = 1_000;

export interface StreamStart {
  /** The id after which this stream's events start. */
  readonly cursor: bigint;
  /** Set when the client's resume point could not be honoured. */
  readonly reset?: string;
}

interface LocalStream {
  readonly userId: string;
  /** The highest event id this stream has been sent, or told it is at. */
  cursor: bigint;
  /**
   * Until a read has found nothing more after its cursor, history it still
   * has to read could be purged under it; once caught up, each event is read
   * within moments of its commit, long before it could be purged.
   */
  catchingUp: boolean;
  readonly subscriber: Subscriber<MessageEvent>;
  readonly response: ServerResponse;
}

interface UserStreams {
  readonly streams: Set<LocalStream>;
  pumping: boolean;
  /** New events were seen (or a new stream opened) while pumping: read again. */
  again: boolean;
  retry?: NodeJS.Timeout;
}

/**
 * Feeds this instance's event streams from the `task_events` outbox.
 * PostgreSQL is the only source: a write made through any instance is
 * committed there by the trigger, in the write's own transaction, and every
 * instance reads it back. Every POLL_INTERVAL_MS one statement asks which
 * users with streams here have events past their streams' cursors (an index
 * probe each); per such user, one "pump" at a time reads the events after the
 * lowest cursor of that user's streams and hands each stream those after its
 * own. New streams and polls just run the pump, so backlog and live events
 * take one path, in id order, without gaps or duplicates, and a database
 * outage only delays events: the next successful poll finds them.
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
  private heartbeatTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private polling = false;
  /** Reads have failed since the last success: logged once per outage, then retried quietly. */
  private readsFailing = false;
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig & { databaseUrl: string },
    private readonly log: TaskEventLog,
  ) {}

  onApplicationBootstrap(): void {
    // Unreferenced: these timers never keep the process alive on their own.
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.config.sseHeartbeatSeconds * 1000).unref();
    this.pollTimer = setInterval(() => void this.poll(), POLL_INTERVAL_MS).unref();
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

  /** The stream's messages: `ready` (and `reset`, if resuming failed), then the user's events after the cursor. */
  stream(userId: string, start: StreamStart, response: ServerResponse, release: () => void): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      if (this.closed) {
        subscriber.complete();
        return release;
      }
      const stream: LocalStream = { userId, cursor: start.cursor, catchingUp: true, subscriber, response };
      subscriber.next(readyMessage(start.cursor));
      if (start.reset) subscriber.next(resetMessage(start.cursor, start.reset));

      const user = this.streamsOf(userId);
      user.streams.add(stream);
      this.pump(userId);

      return () => {
        user.streams.delete(stream);
        if (user.streams.size === 0 && this.users.get(userId) === user) {
          clearTimeout(user.retry);
          this.users.delete(userId);
        }
        release();
      };
    });
  }

  private streamsOf(userId: string): UserStreams {
    let user = this.users.get(userId);
    if (!user) {
      user = { streams: new Set(), pumping: false, again: false };
      this.users.set(userId, user);
    }
    return user;
  }

  /** Completes every stream (clients reconnect, to another instance) and stops polling. */
  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    clearInterval(this.pollTimer);
    const open = [...this.users.values()].flatMap((user) => {
      clearTimeout(user.retry);
      return [...user.streams];
    });
    for (const stream of open) stream.subscriber.complete();
    // A client that stopped reading keeps its response from ever finishing,
    // and the server from closing; it is cut once the others have flushed.
    const unfinished = open.map((stream) => stream.response).filter((response) => !response.writableFinished && !response.destroyed);
    if (unfinished.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(unfinished.map((response) => new Promise((resolve) => response.once('close', resolve).once('finish', resolve)))),
        new Promise((resolve) => (timer = setTimeout(resolve, FLUSH_GRACE_MS))),
      ]);
      clearTimeout(timer);
      for (const response of unfinished) if (!response.writableFinished) response.destroy();
    }
  }

  /**
   * Reads, in one statement, the new events of every user with streams here
   * (an index range each), and delivers them through the users' pumps.
   */
  private async poll(): Promise<void> {
    if (this.polling || this.closed || this.users.size === 0) return;
    this.polling = true;
    try {
      const cursors = new Map<string, bigint>();
      for (const [userId, user] of this.users) {
        // A user being pumped right now is read again when that round ends.
        if (user.pumping) user.again = true;
        else if (user.streams.size > 0) cursors.set(userId, lowestCursor(user));
      }
      const batches = await this.log.readAfterMany(cursors, BATCH_SIZE);
      for (const [userId, batch] of batches) this.pump(userId, { after: cursors.get(userId) as bigint, batch });
      if (this.readsFailing) {
        this.readsFailing = false;
        this.logger.log('Reading task events works again');
      }
    } catch (error) {
      if (!this.closed && !this.readsFailing) {
        this.readsFailing = true;
        this.logger.warn(`Reading task events failed, retrying every ${POLL_INTERVAL_MS} ms: ${(error as Error).message}`);
      }
    } finally {
      this.polling = false;
    }
  }

  private heartbeat(): void {
    const at = new Date();
    for (const user of this.users.values()) {
      for (const stream of user.streams) stream.subscriber.next(heartbeatMessage(stream.cursor, at));
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
        let full = false;
        do {
          if (this.closed || user.streams.size === 0) return;
          let read = pending;
          pending = undefined;
          if (!read) {
            const after = lowestCursor(user);
            read = { after, batch: await this.log.readAfter(userId, after, BATCH_SIZE) };
          }
          full = await this.deliver(user, read.after, read.batch);
        } while (full);
      } while (user.again);
      if (this.readsFailing) {
        this.readsFailing = false;
        this.logger.log('Reading task events works again');
      }
    } catch (error) {
      if (this.closed) return;
      if (!this.readsFailing) {
        this.readsFailing = true;
        this.logger.warn(`Reading task events failed, retrying every ${PUMP_RETRY_MS / 1000} s: ${(error as Error).message}`);
      }
      for (const stream of user.streams) stream.catchingUp = true;
      clearTimeout(user.retry);
      user.retry = setTimeout(() => this.pump(userId), PUMP_RETRY_MS).unref();
    }
  }

  /** Hands each of the user's streams the events of `batch` past its own cursor. True when the batch was full. */
  private async deliver(user: UserStreams, after: bigint, batch: EventBatch): Promise<boolean> {
    const full = batch.events.length === BATCH_SIZE;
    const messages = batch.events.map((row) => ({ id: BigInt(row.id), message: taskEventMessage(row) }));
    for (const stream of [...user.streams]) {
      // A stream opened after the read may be further behind than what was
      // read; its own pump round reads for it (`again` is set).
      if (stream.cursor < after || stream.subscriber.closed) continue;
      if (stream.catchingUp && stream.cursor < batch.purgedThrough) {
        await this.reset(stream, 'Events this stream had not been sent yet were purged');
        if (stream.subscriber.closed) continue;
      }
      for (const { id, message } of messages) {
        if (id <= stream.cursor) continue;
        stream.subscriber.next(message);
        stream.cursor = id;
      }
      if (!full) stream.catchingUp = false;
    }
    return full;
  }

  private async reset(stream: LocalStream, reason: string): Promise<void> {
    const cursor = await this.log.head(stream.userId);
    if (stream.subscriber.closed) return;
    stream.subscriber.next(resetMessage(cursor, reason));
    stream.cursor = cursor;
  }
}

/** The lowest cursor among the user's streams: where a read for all of them starts. */
function lowestCursor(user: UserStreams): bigint {
  let lowest: bigint | undefined;
  for (const stream of user.streams) if (lowest === undefined || stream.cursor < lowest) lowest = stream.cursor;
  return lowest ?? 0n;
}
