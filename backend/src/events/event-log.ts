import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { BACKGROUND } from '../database/data-source-options.js';
import type { EventRow } from './dto/event-data.js';

/** Keeps two instances from purging the same batch at once. */
const PURGE_LOCK = [720002, 1] as const;

/**
 * A read of one user's events is cut at this many rows, and after the row
 * that passes this many bytes of task JSON (`payload_bytes`, recorded by the
 * trigger): with task events of up to ~70 kB each, a replay from an old
 * Last-Event-ID is read in pages of a few hundred kB, never at once.
 */
export const PAGE_ROWS = 100;
export const PAGE_BYTES = 256 * 1024;
/** The poll reads at most this many events per user, and this many bytes for all users together. */
export const POLL_ROWS_PER_USER = 50;
export const POLL_BYTES = 1024 * 1024;

export type ResumeCheck = 'ok' | 'purged' | 'unknown';

export interface EventBatch {
  /** Events after the given sequence number, in order. */
  readonly events: EventRow[];
  /** The user's highest purged sequence number, read in the same snapshot as `events`. */
  readonly purgedThrough: bigint;
  /** Cut by a row or byte limit: there may be more after the last event. */
  readonly more: boolean;
}

type PagedRow = EventRow & { purged_through: string; fits: boolean; rows_read: string };

/**
 * The SQL behind the live event streams. Every read is scoped to one user,
 * and an event's id is that user's own sequence number (`seq`), so ids say
 * nothing about other users' writes.
 *
 * Two pools: the stream setup (`head`, `checkResume`) runs for a request, on
 * the request pool; the hub's poll and page reads and the purge run on the
 * background pool, which a flood of requests cannot take.
 */
@Injectable()
export class EventLog {
  constructor(
    @InjectDataSource() private readonly requests: DataSource,
    @InjectDataSource(BACKGROUND) private readonly background: DataSource,
  ) {}

  /**
   * A cursor for a stream that starts now. No lock is needed: the trigger
   * advances `last_seq` under the row's lock, held until the write commits,
   * so every sequence number up to the committed value belongs to a
   * committed event, and a write still in flight gets a larger one.
   * `pool`: the hub asks too (a reset mid-stream), from the background.
   */
  async head(userId: string, pool: 'requests' | 'background' = 'requests'): Promise<bigint> {
    const rows: { last_seq: string }[] = await this[pool].query(
      'SELECT last_seq::text AS last_seq FROM event_sequences WHERE user_id = $1',
      [userId],
    );
    return BigInt(rows[0]?.last_seq ?? 0);
  }

  /**
   * Whether a stream can resume after `after`: not when events after it may
   * have been purged, and not when no such id was ever handed out to this
   * user (another database, or a client making one up).
   */
  async checkResume(userId: string, after: bigint): Promise<ResumeCheck> {
    const rows: { last_seq: string; purged_through: string }[] = await this.requests.query(
      'SELECT last_seq::text AS last_seq, purged_through::text AS purged_through FROM event_sequences WHERE user_id = $1',
      [userId],
    );
    const last = BigInt(rows[0]?.last_seq ?? 0);
    if (after < BigInt(rows[0]?.purged_through ?? 0)) return 'purged';
    return after > last ? 'unknown' : 'ok';
  }

  /**
   * The poll: the next events of several users at once, each after its own
   * sequence number, in one statement (an index range per user). Bounded:
   * at most POLL_ROWS_PER_USER rows per user, and once POLL_BYTES of task
   * JSON have been read (counted over all users), later rows come back
   * without their content, marking their users as having more to read.
   * Users without new events are left out.
   */
  async pollAfter(cursors: ReadonlyMap<string, bigint>): Promise<Map<string, EventBatch>> {
    const batches = new Map<string, EventBatch>();
    if (cursors.size === 0) return batches;
    // The limits are applied to the recorded sizes first; only the events
    // that fit are then read whole.
    const rows: (PagedRow & { user_id: string })[] = await this.background.query(
      `WITH candidates AS (
         SELECT c.user_id, c.ord, e.seq,
                count(*) OVER (PARTITION BY c.user_id) AS rows_read,
                row_number() OVER (PARTITION BY c.user_id ORDER BY e.seq) AS n,
                (row_number() OVER w = 1 OR sum(e.payload_bytes) OVER w <= $4) AS fits
         FROM unnest($1::uuid[], $2::bigint[]) WITH ORDINALITY AS c(user_id, after, ord)
         JOIN LATERAL (
           SELECT seq, payload_bytes FROM events WHERE user_id = c.user_id AND seq > c.after ORDER BY seq LIMIT $3
         ) e ON true
         WINDOW w AS (ORDER BY c.ord, e.seq)
       )
       SELECT c.user_id::text AS user_id, s.purged_through::text AS purged_through, c.rows_read::text AS rows_read,
              c.seq::text AS id, e.entity_id, e.type, e.version::text AS version, e.occurred_at,
              CASE WHEN c.fits THEN e.payload END AS payload, c.fits
       FROM candidates c
       JOIN event_sequences s ON s.user_id = c.user_id
       JOIN events e ON e.user_id = c.user_id AND e.seq = c.seq
       WHERE c.fits OR c.n = 1
       ORDER BY c.ord, c.seq`,
      [[...cursors.keys()], [...cursors.values()].map(String), POLL_ROWS_PER_USER, POLL_BYTES],
    );
    const byUser = new Map<string, PagedRow[]>();
    for (const row of rows) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row]);
    for (const [userId, userRows] of byUser) batches.set(userId, toBatch(userRows, POLL_ROWS_PER_USER));
    return batches;
  }

  /** One page of a user's events after `after` (PAGE_ROWS, PAGE_BYTES), in one snapshot with `purgedThrough`. */
  async readPage(userId: string, after: bigint): Promise<EventBatch> {
    const rows: (Omit<PagedRow, 'id'> & { id: string | null })[] = await this.background.query(
      `SELECT s.purged_through::text AS purged_through, p.rows_read::text AS rows_read, true AS fits,
              e.seq::text AS id, e.entity_id, e.type, e.version::text AS version, e.payload, e.occurred_at
       FROM event_sequences s
       LEFT JOIN LATERAL (
         SELECT seq, count(*) OVER () AS rows_read,
                row_number() OVER (ORDER BY seq) AS n,
                sum(payload_bytes) OVER (ORDER BY seq) AS running
         FROM (SELECT seq, payload_bytes FROM events WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3) l
       ) p ON p.n = 1 OR p.running <= $4
       LEFT JOIN events e ON e.user_id = $1 AND e.seq = p.seq
       WHERE s.user_id = $1
       ORDER BY e.seq`,
      [userId, after.toString(), PAGE_ROWS, PAGE_BYTES],
    );
    // No row: the user has never written. One row without an event: nothing after `after`.
    if (rows.length === 0) return { events: [], purgedThrough: 0n, more: false };
    if (rows[0].id === null) return { events: [], purgedThrough: BigInt(rows[0].purged_through), more: false };
    return toBatch(rows as PagedRow[], PAGE_ROWS);
  }

  /**
   * Many creations in one transaction (an import): the outbox trigger stands
   * aside for the caller's inserts, and their events are written here, in one
   * statement, numbered in the order of `taskIds`. The trigger, done row by
   * row, slows down quadratically with the rows of one transaction (see the
   * migration 1764242000000). Call `deferCreations` before the inserts and
   * this after them, in the same transaction.
   */
  async deferCreations(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT set_config('evolution.outbox_deferred', 'on', true)`);
  }

  async recordCreations(manager: EntityManager, userId: string, taskIds: string[]): Promise<void> {
    await manager.query('SELECT events_record_task_creations($1, $2::uuid[])', [userId, taskIds]);
  }

  /**
   * A deleted account's events, in the deletion's transaction. The outbox has
   * no foreign key to users (events outlive their task), so they would
   * otherwise stay until the hourly purge.
   */
  async deleteForUser(manager: EntityManager, userId: string): Promise<void> {
    await manager.query('DELETE FROM events WHERE user_id = $1', [userId]);
  }

  /**
   * Deletes events older than `retentionSeconds`, a batch per transaction so
   * no lock is held for long, and advances each user's `purged_through` in
   * the same statement: a stream never sees history gone without knowing it.
   * Returns the number deleted.
   */
  async purge(retentionSeconds: number, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.background.transaction(async (tx) => {
        const [{ locked }]: { locked: boolean }[] = await tx.query('SELECT pg_try_advisory_xact_lock($1, $2) AS locked', [...PURGE_LOCK]);
        if (!locked) return 0;
        const [{ count }]: { count: number }[] = await tx.query(
          `WITH gone AS (
             DELETE FROM events WHERE id IN (
               SELECT id FROM events WHERE occurred_at < now() - make_interval(secs => $1) LIMIT $2
             )
             RETURNING user_id, seq
           ), advanced AS (
             UPDATE event_sequences s SET purged_through = greatest(s.purged_through, g.seq)
             FROM (SELECT user_id, max(seq) AS seq FROM gone GROUP BY user_id) g
             WHERE s.user_id = g.user_id
           )
           SELECT count(*)::int AS count FROM gone`,
          [retentionSeconds, batchSize],
        );
        return count;
      });
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }
}

/** Rows of one user (at least one) into a batch: the fitting ones are its events. */
function toBatch(rows: PagedRow[], rowLimit: number): EventBatch {
  const events: EventRow[] = [];
  for (const { purged_through: _p, rows_read: _r, fits, ...event } of rows) if (fits) events.push(event);
  const read = Number(rows[0].rows_read);
  return {
    events,
    purgedThrough: BigInt(rows[0].purged_through),
    more: events.length < read || read === rowLimit,
  };
}
