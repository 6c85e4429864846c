import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { ImportTask } from './import-records.js';

/** A task as an export writes it. */
export interface ExportedTask {
  id: string;
  title: string;
  description: string | null;
  status: string;
  priority: string | null;
  tags: string[];
  due_date: string | null;
  created_at: string;
  updated_at: string;
}

export interface ExportedAccount {
  email: string;
  time_zone: string;
  created_at: string;
}

/** Rows per read of an export: a page is held in memory at a time, never the account. */
export const EXPORT_PAGE_ROWS = 1000;
/** Tasks per INSERT of an import. */
const IMPORT_BATCH_ROWS = 500;

/**
 * One consistent view of an account for an export: a read-only REPEATABLE
 * READ transaction on a connection of its own, read a page at a time, so a
 * change made while the export runs is either wholly in it or not at all.
 */
export class ExportSnapshot {
  constructor(
    private readonly runner: QueryRunner,
    private readonly userId: string,
  ) {}

  async account(): Promise<ExportedAccount | undefined> {
    const rows: ExportedAccount[] = await this.runner.query(
      `SELECT email, time_zone, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
       FROM users WHERE id = $1`,
      [this.userId],
    );
    return rows[0];
  }

  /** The user's tasks, oldest first, page by page (keyset: no OFFSET, each page one index range). */
  async *tasks(): AsyncGenerator<ExportedTask[]> {
    let after: { created: string; id: string } | undefined;
    for (;;) {
      const rows: (ExportedTask & { created_key: string })[] = await this.runner.query(
        `SELECT id, title, description, status, priority, tags, due_date::text AS due_date,
                to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
                to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at,
                created_at::text AS created_key
         FROM tasks t
         WHERE t.user_id = $1 ${after ? 'AND (t.created_at, t.id) > ($3::timestamptz, $4::uuid)' : ''}
         ORDER BY t.created_at, t.id
         LIMIT $2`,
        after ? [this.userId, EXPORT_PAGE_ROWS, after.created, after.id] : [this.userId, EXPORT_PAGE_ROWS],
      );
      if (rows.length === 0) return;
      const last = rows[rows.length - 1];
      after = { created: last.created_key, id: last.id };
      yield rows.map(({ created_key: _key, ...task }) => task);
      if (rows.length < EXPORT_PAGE_ROWS) return;
    }
  }

  async close(): Promise<void> {
    try {
      await this.runner.query('COMMIT');
    } finally {
      await this.runner.release();
    }
  }
}

/** The SQL of export and import. */
@Injectable()
export class DataTransferRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async openSnapshot(userId: string): Promise<ExportSnapshot> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    } catch (error) {
      await runner.release();
      throw error;
    }
    return new ExportSnapshot(runner, userId);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * Inserts the tasks, a batch per statement, in the caller's transaction;
   * returns their new ids in the same order. The outbox trigger records a
   * `task.created` event for each, as for any create.
   */
  async insertTasks(manager: EntityManager, userId: string, tasks: readonly ImportTask[]): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < tasks.length; start += IMPORT_BATCH_ROWS) {
      const batch = tasks.slice(start, start + IMPORT_BATCH_ROWS).map((task, i) => ({
        ord: i,
        // Tasks without a creation time keep the upload's order: a millisecond apart, the last one now.
        age_ms: tasks.length - (start + i) - 1,
        title: task.title,
        description: task.description,
        status: task.status,
        priority: task.priority,
        tags: task.tags,
        due_date: task.due_date,
        created_at: task.created_at ?? null,
        updated_at: task.updated_at ?? null,
      }));
      const rows: { id: string }[] = await manager.query(
        `INSERT INTO tasks (user_id, title, description, status, priority, tags, due_date, created_at, updated_at)
         SELECT $1, r.title, r.description, r.status, r.priority,
                ARRAY(SELECT jsonb_array_elements_text(r.tags)), r.due_date,
                coalesce(r.created_at, now() - make_interval(secs => r.age_ms / 1000.0)),
                coalesce(r.updated_at, r.created_at, now() - make_interval(secs => r.age_ms / 1000.0))
         FROM jsonb_to_recordset($2::jsonb) AS r(ord int, age_ms int, title text, description text, status text, priority text,
                                                 tags jsonb, due_date date, created_at timestamptz, updated_at timestamptz)
         ORDER BY r.ord
         RETURNING id`,
        [userId, JSON.stringify(batch)],
      );
      ids.push(...rows.map((row) => row.id));
    }
    return ids;
  }

  /**
   * Claims an Idempotency-Key for an import in its transaction (see
   * TasksService.createOnce: the same table and rule), or returns the stored
   * answer of the import that claimed it first.
   */
  async claimKey(
    manager: EntityManager,
    userId: string,
    key: string,
    requestHash: string,
    ttlSeconds: number,
  ): Promise<{ claimed: true } | { claimed: false; requestHash: string; response: unknown }> {
    const claimed: unknown[] = await manager.query(
      `INSERT INTO idempotency_keys AS k (user_id, key, request_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))
       ON CONFLICT (user_id, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, response = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE k.expires_at <= now()
       RETURNING 1`,
      [userId, key, requestHash, ttlSeconds],
    );
    if (claimed.length > 0) return { claimed: true };
    const [first]: { request_hash: string; response: unknown }[] = await manager.query(
      'SELECT request_hash, response FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [userId, key],
    );
    return { claimed: false, requestHash: first.request_hash, response: first.response };
  }

  async storeKeyResponse(manager: EntityManager, userId: string, key: string, response: unknown): Promise<void> {
    await manager.query('UPDATE idempotency_keys SET response = $3 WHERE user_id = $1 AND key = $2', [userId, key, JSON.stringify(response)]);
  }

  async timeZoneOf(userId: string): Promise<string | undefined> {
    const rows: { time_zone: string }[] = await this.db.query('SELECT time_zone FROM users WHERE id = $1', [userId]);
    return rows[0]?.time_zone;
  }
}
