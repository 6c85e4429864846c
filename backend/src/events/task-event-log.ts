import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { TaskEventRow } from './dto/event-data.js';
import { TaskEvent } from './task-event.entity.js';

/**
 * The advisory lock the `tasks_record_event` trigger takes per user until its
 * transaction commits (migration 1764190000000): the same two keys here.
 */
const USER_WRITE_LOCK = 720001;
/** Keeps two instances from purging the same batch at once. */
const PURGE_LOCK = [720002, 1] as const;

const LAST_EVENT_ID = `coalesce(pg_sequence_last_value(pg_get_serial_sequence('task_events', 'id')), 0)::text`;

export type ResumeCheck = 'ok' | 'purged' | 'unknown';

export interface EventBatch {
  /** Events after the given id, in id order. */
  readonly events: TaskEventRow[];
  /** The highest event id purged so far, read in the same snapshot as `events`. */
  readonly purgedThrough: bigint;
}

/**
 * The SQL behind the live event streams, shared by the stream setup, the hub
 * that feeds open streams, and the purge. Every read of events is scoped to
 * one user.
 */
@Injectable()
export class TaskEventLog {
  constructor(@InjectRepository(TaskEvent) private readonly events: Repository<TaskEvent>) {}

  /**
   * A cursor for a stream that starts now: every event of the user up to it
   * is committed, and every later one will get a larger id. Holding the
   * user's write lock means no write of theirs is in flight: one that had
   * taken an id has committed, and the next waits for this transaction.
   * Without it, an id taken by a write still in flight could fall below the
   * cursor and its event would never be sent.
   */
  async head(userId: string): Promise<bigint> {
    return this.events.manager.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2::uuid::text))', [USER_WRITE_LOCK, userId]);
      const [{ last }]: { last: string }[] = await tx.query(`SELECT ${LAST_EVENT_ID} AS last`);
      return BigInt(last);
    });
  }

  /**
   * Whether a stream can resume after `after`: not when events after it may
   * have been purged, and not when no such id was ever handed out (another
   * database, or a client making one up).
   */
  async checkResume(after: bigint): Promise<ResumeCheck> {
    const [{ purged_through, last }]: { purged_through: string; last: string }[] = await this.events.query(
      `SELECT purged_through::text AS purged_through, ${LAST_EVENT_ID} AS last FROM task_event_retention WHERE id = 1`,
    );
    if (after < BigInt(purged_through)) return 'purged';
    return after > BigInt(last) ? 'unknown' : 'ok';
  }

  /**
   * The next events of several users at once, each after its own id (an
   * index range per user, at most `limit` each), for the poll of the users
   * with streams on this instance. Users without new events are left out.
   */
  async readAfterMany(cursors: ReadonlyMap<string, bigint>, limit: number): Promise<Map<string, EventBatch>> {
    const batches = new Map<string, EventBatch>();
    if (cursors.size === 0) return batches;
    const rows: (TaskEventRow & { user_id: string; purged_through: string })[] = await this.events.query(
      `SELECT c.user_id::text AS user_id, r.purged_through::text AS purged_through,
              e.id::text AS id, e.task_id, e.type, e.version::text AS version, e.task, e.occurred_at
       FROM task_event_retention r
       CROSS JOIN unnest($1::uuid[], $2::bigint[]) AS c(user_id, after)
       JOIN LATERAL (
         SELECT * FROM task_events WHERE user_id = c.user_id AND id > c.after ORDER BY id LIMIT $3
       ) e ON true
       WHERE r.id = 1
       ORDER BY c.user_id, e.id`,
      [[...cursors.keys()], [...cursors.values()].map(String), limit],
    );
    for (const { user_id, purged_through, ...event } of rows) {
      const batch = batches.get(user_id) ?? { events: [], purgedThrough: BigInt(purged_through) };
      batch.events.push(event);
      batches.set(user_id, batch);
    }
    return batches;
  }

  /** One statement, so the events and `purgedThrough` come from one snapshot. */
  async readAfter(userId: string, after: bigint, limit: number): Promise<EventBatch> {
    const rows: (TaskEventRow & { purged_through: string })[] = await this.events.query(
      `SELECT r.purged_through::text AS purged_through,
              e.id::text AS id, e.task_id, e.type, e.version::text AS version, e.task, e.occurred_at
       FROM task_event_retention r
       LEFT JOIN LATERAL (
         SELECT * FROM task_events WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3
       ) e ON true
       WHERE r.id = 1
       ORDER BY e.id`,
      [userId, after.toString(), limit],
    );
    return {
      events: rows.filter((row) => row.id !== null),
      purgedThrough: BigInt(rows[0]?.purged_through ?? 0),
    };
  }

  /**
   * Deletes events older than `retentionSeconds`, a batch per transaction so
   * no lock is held for long, and advances `purged_through` in the same
   * statement: a stream never sees history gone without knowing it.
   * Returns the number deleted.
   */
  async purge(retentionSeconds: number, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.events.manager.transaction(async (tx) => {
        const [{ locked }]: { locked: boolean }[] = await tx.query('SELECT pg_try_advisory_xact_lock($1, $2) AS locked', [...PURGE_LOCK]);
        if (!locked) return 0;
        const [{ count }]: { count: number }[] = await tx.query(
          `WITH gone AS (
             DELETE FROM task_events WHERE id IN (
               SELECT id FROM task_events WHERE occurred_at < now() - make_interval(secs => $1) LIMIT $2
             )
             RETURNING id
           ), advanced AS (
             UPDATE task_event_retention SET purged_through = greatest(purged_through, (SELECT max(id) FROM gone))
             WHERE id = 1 AND EXISTS (SELECT 1 FROM gone)
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
