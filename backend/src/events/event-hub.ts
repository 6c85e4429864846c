import type { ServerResponse } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type MessageEvent,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Client, type Notification } from 'pg';
import { Observable, type Subscriber } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { EventsShuttingDownException, TooManyEventStreamsException } from './event-errors.js';
import { heartbeatMessage, resetMessage, readyMessage, taskEventMessage } from './event-messages.js';
import { TaskEventLog } from './task-event-log.js';

/** The channel the `tasks_record_event` trigger notifies, with the user id as payload. */
const CHANNEL = 'task_events';
const BATCH_SIZE = 500;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;
/** A LISTEN connection cut without a FIN (a NAT, a failover) looks alive until something is sent on it. */
const PING_INTERVAL_MS = 30_000;
const PING_TIMEOUT_MS = 5_000;
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
  /** Another notification (or a new stream) arrived while pumping: read again. */
  again: boolean;
  retry?: NodeJS.Timeout;
}

/**
 * Feeds this instance's event streams from the `task_events` table. PostgreSQL
 * is the only source: a write made through any instance is committed there
 * and announced with NOTIFY, and every instance reads it back. A dedicated
 * connection LISTENs (a pooled one would be handed to queries between
 * notifications); per user with streams here, one "pump" at a time reads
 * the events after the lowest cursor of that user's streams and hands each
 * stream those after its own. New streams, notifications and reconnections
 * all just run the pump, so backlog and live events take one path, in id
 * order, without gaps or duplicates.
 */
@Injectable()
export class EventHub implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventHub');
  private readonly users = new Map<string, UserStreams>();
  /** Streams per user, counted from the first step of opening one so concurrent opens cannot pass the cap. */
  private readonly slots = new Map<string, number>();
  private listener?: { client: Client; drop: (error?: Error) => void };
  private reconnectDelayMs = RECONNECT_MIN_MS;
  private reconnectTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private pingTimer?: NodeJS.Timeout;
  private outage = false;
  /** Reads have failed since the last success: logged once per outage, then retried quietly. */
  private readsFailing = false;
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig & { databaseUrl: string },
    private readonly log: TaskEventLog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Unreferenced: these timers never keep the process alive on their own.
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.config.sseHeartbeatSeconds * 1000).unref();
    this.pingTimer = setInterval(() => void this.ping(), PING_INTERVAL_MS).unref();
    // Awaited once, so an instance that reports healthy is listening; if the
    // database is unreachable right now, it keeps retrying in the background.
    await this.connect();
  }

  /**
   * Holds one of the user's stream slots; the returned function gives it
   * back and may be called any number of times.
   */
  reserve(userId: string): () => void {
    if (this.closed) throw new EventsShuttingDownException();
    const held = this.slots.get(userId) ?? 0;
    if (held >= this.config.sseMaxStreamsPerUser) throw new TooManyEventStreamsException(this.config.sseMaxStreamsPerUser);
    this.slots.set(userId, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
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

  /** Completes every stream (clients reconnect, to another instance) and stops listening. */
  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    clearInterval(this.pingTimer);
    clearTimeout(this.reconnectTimer);
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
    const listener = this.listener;
    this.listener = undefined;
    await listener?.client.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = undefined;
    if (this.closed) return;
    const client = new Client({
      connectionString: this.config.databaseUrl,
      application_name: 'evolution-of-todo-api:events',
      connectionTimeoutMillis: 5000,
      keepAlive: true,
    });
    let dropped = false;
    const drop = (error?: Error) => {
      if (dropped) return;
      dropped = true;
      if (this.listener?.client === client) this.listener = undefined;
      void client.end().catch(() => undefined);
      if (this.closed) return;
      // Once per outage, not once per failed attempt.
      if (!this.outage) {
        this.outage = true;
        this.logger.warn(`Task event listener lost, reconnecting: ${error?.message ?? 'connection ended'}`);
      }
      this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnectDelayMs);
      this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, RECONNECT_MAX_MS);
    };
    client.on('error', drop);
    client.on('end', () => drop());
    client.on('notification', (notification: Notification) => {
      // Users without a stream here cost a map lookup.
      if (notification.channel === CHANNEL && notification.payload) this.pump(notification.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (error) {
      drop(error as Error);
      return;
    }
    if (this.closed || dropped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = { client, drop };
    this.reconnectDelayMs = RECONNECT_MIN_MS;
    if (this.outage) {
      this.outage = false;
      this.logger.log('Task event listener reconnected');
    }
    // Notifications sent while nobody listened are gone: every stream here
    // reads what it may have missed.
    for (const [userId, user] of this.users) {
      for (const stream of user.streams) stream.catchingUp = true;
      this.pump(userId);
    }
  }

  private async ping(): Promise<void> {
    const listener = this.listener;
    if (!listener) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        listener.client.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer to a ping')), PING_TIMEOUT_MS))),
      ]);
    } catch (error) {
      listener.drop(error as Error);
    } finally {
      clearTimeout(timer);
    }
  }

  private heartbeat(): void {
    const at = new Date();
    for (const user of this.users.values()) {
      for (const stream of user.streams) stream.subscriber.next(heartbeatMessage(stream.cursor, at));
    }
  }

  private pump(userId: string): void {
    const user = this.users.get(userId);
    if (!user || this.closed) return;
    if (user.pumping) {
      user.again = true;
      return;
    }
    user.pumping = true;
    void this.drain(userId, user).finally(() => {
      user.pumping = false;
    });
  }

  private async drain(userId: string, user: UserStreams): Promise<void> {
    try {
      do {
        user.again = false;
        let full = false;
        do {
          if (this.closed || user.streams.size === 0) return;
          let after = -1n;
          for (const stream of user.streams) if (after < 0n || stream.cursor < after) after = stream.cursor;
          const batch = await this.log.readAfter(userId, after, BATCH_SIZE);
          full = batch.events.length === BATCH_SIZE;
          const messages = batch.events.map((row) => ({ id: BigInt(row.id), message: taskEventMessage(row) }));
          for (const stream of [...user.streams]) {
            // A stream opened during the read may be further behind than what
            // was read; it waits for the next round (`again` is set).
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

  private async reset(stream: LocalStream, reason: string): Promise<void> {
    const cursor = await this.log.head(stream.userId);
    if (stream.subscriber.closed) return;
    stream.subscriber.next(resetMessage(cursor, reason));
    stream.cursor = cursor;
  }
}
