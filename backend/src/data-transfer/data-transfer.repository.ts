import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

/** A task as an export writes it (ExportTask). */
export interface ExportedTask {
  id: string;
  title: string;
  description: string | null;
  status: string;
  priority: string | null;
  tags: string[];
  due_date: string | null;
  due_time: string | null;
  project_id: string;
  parent_id: string | null;
  position: number;
  recurrence: { rrule: string; from: string; start: string; n: number } | null;
  series_id: string | null;
  next_occurrence_id: string | null;
  deleted_at: string | null;
  deleted_with: string | null;
  created_at: string;
  updated_at: string;
}

/** A project as an export writes it (ExportProject), with the path of names a CSV row names it by. */
export interface ExportedProject {
  id: string;
  name: string;
  color: string | null;
  parent_id: string | null;
  position: number;
  is_inbox: boolean;
  created_at: string;
  updated_at: string;
}

export interface ExportedView {
  id: string;
  name: string;
  query: Record<string, unknown>;
  position: number;
  created_at: string;
  updated_at: string;
}

/** A project of the importing account, for names and paths. */
export interface ExistingProject {
  id: string;
  name: string;
  name_key: string;
  parent_id: string | null;
  is_inbox: boolean;
  position: number;
  /** The last position among its top-level tasks (live or not), 0 without any. */
  last_task_position: number;
}

/** Rows of the import, with their new ids, ready for INSERT. */
export interface ProjectInsert {
  id: string;
  name: string;
  name_key: string;
  color: string | null;
  parent_id: string | null;
  position: number;
  created_at: string | null;
}

export interface ViewInsert {
  id: string;
  name: string;
  name_key: string;
  query: Record<string, unknown>;
  position: number;
  created_at: string | null;
  updated_at: string | null;
}

/** A task an import inserts: as exported, with timestamps the source may lack. */
export type TaskInsert = Omit<ExportedTask, 'created_at' | 'updated_at'> & { created_at: string | null; updated_at: string | null };

export interface ExportedAccount {
  email: string;
  time_zone: string;
  created_at: string;
}

/** Rows per read of an export: a page is held in memory at a time, never the account. */
export const EXPORT_PAGE_ROWS = 1000;
/** Tasks per INSERT of an import. */
const IMPORT_BATCH_ROWS = 500;

const UTC_MS = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

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
      `SELECT email, time_zone, ${UTC_MS('created_at')} AS created_at FROM users WHERE id = $1`,
      [this.userId],
    );
    return rows[0];
  }

  /** The user's projects, parents before their sub-projects (the Inbox first), each level by position. */
  async projects(): Promise<ExportedProject[]> {
    return this.runner.query(
      `WITH RECURSIVE tree AS (
         SELECT p.*, 1 AS depth, ARRAY[p.position] AS path_positions FROM projects p WHERE p.user_id = $1 AND p.parent_id IS NULL
         UNION ALL
         SELECT c.*, t.depth + 1, t.path_positions || c.position FROM projects c JOIN tree t ON c.parent_id = t.id WHERE c.user_id = $1
       )
       SELECT id, name, color, parent_id, position, is_inbox, ${UTC_MS('created_at')} AS created_at, ${UTC_MS('updated_at')} AS updated_at
       FROM tree ORDER BY depth, NOT is_inbox, path_positions, name_key, id`,
      [this.userId],
    );
  }

  async views(): Promise<ExportedView[]> {
    return this.runner.query(
      `SELECT id, name, query, position, ${UTC_MS('created_at')} AS created_at, ${UTC_MS('updated_at')} AS updated_at
       FROM views WHERE user_id = $1 ORDER BY position, name_key, id`,
      [this.userId],
    );
  }

  /**
   * The user's tasks (the trash too unless `liveOnly`), oldest first, page by
   * page (keyset: no OFFSET, each page one index range).
   */
  async *tasks(liveOnly = false): AsyncGenerator<ExportedTask[]> {
    let after: { created: string; id: string } | undefined;
    for (;;) {
      const rows: (ExportedTask & { created_key: string })[] = await this.runner.query(
        `SELECT id, title, description, status, priority, tags, due_date::text AS due_date, to_char(due_time, 'HH24:MI') AS due_time,
                project_id, parent_id, position,
                CASE WHEN recurrence IS NULL THEN NULL
                     ELSE jsonb_build_object('rrule', recurrence->'rrule', 'from', recurrence->'from', 'start', recurrence->'start', 'n', recurrence->'n')
                END AS recurrence,
                series_id, next_occurrence_id, ${UTC_MS('deleted_at')} AS deleted_at, deleted_with,
                ${UTC_MS('created_at')} AS created_at, ${UTC_MS('updated_at')} AS updated_at,
                created_at::text AS created_key
         FROM tasks t
         WHERE t.user_id = $1 ${liveOnly ? 'AND t.deleted_at IS NULL' : ''}
           ${after ? 'AND (t.created_at, t.id) > ($3::timestamptz, $4::uuid)' : ''}
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

  /** The importing account's projects, for the Inbox, names and CSV paths; locked until the import commits. */
  async lockProjects(manager: EntityManager, userId: string): Promise<ExistingProject[]> {
    return manager.query(
      `SELECT p.id, p.name, p.name_key, p.parent_id, p.is_inbox, p.position,
              coalesce((SELECT max(t.position) FROM tasks t WHERE t.project_id = p.id AND t.parent_id IS NULL), 0) AS last_task_position
       FROM projects p WHERE p.user_id = $1 ORDER BY p.id FOR UPDATE`,
      [userId],
    );
  }

  async viewNameKeys(manager: EntityManager, userId: string): Promise<Set<string>> {
    const rows: { name_key: string }[] = await manager.query('SELECT name_key FROM views WHERE user_id = $1', [userId]);
    return new Set(rows.map((row) => row.name_key));
  }

  async lastViewPosition(manager: EntityManager, userId: string): Promise<number> {
    const rows: { position: number | null }[] = await manager.query('SELECT max(position) AS position FROM views WHERE user_id = $1', [userId]);
    return rows[0]?.position ?? 0;
  }

  /** In one statement: the foreign key to a parent project is checked once all of them are in. */
  async insertProjects(manager: EntityManager, userId: string, projects: readonly ProjectInsert[]): Promise<void> {
    if (projects.length === 0) return;
    await manager.query(
      `INSERT INTO projects (id, user_id, name, name_key, color, parent_id, position, created_at)
       SELECT r.id, $1, r.name, r.name_key, r.color, r.parent_id, r.position, coalesce(r.created_at, now())
       FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, name text, name_key text, color text, parent_id uuid, position float8, created_at timestamptz)`,
      [userId, JSON.stringify(projects)],
    );
  }

  async insertViews(manager: EntityManager, userId: string, views: readonly ViewInsert[]): Promise<void> {
    if (views.length === 0) return;
    await manager.query(
      `INSERT INTO views (id, user_id, name, name_key, query, position, created_at, updated_at)
       SELECT r.id, $1, r.name, r.name_key, r.query, r.position, coalesce(r.created_at, now()), coalesce(r.updated_at, r.created_at, now())
       FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, name text, name_key text, query jsonb, position float8, created_at timestamptz, updated_at timestamptz)`,
      [userId, JSON.stringify(views)],
    );
  }

  /**
   * Inserts the tasks, a batch per statement, in the caller's transaction, in
   * the order given: a task's parent and next occurrence must come in the
   * same batch or an earlier one (the foreign keys are checked at the end of
   * each statement). Tasks without a creation time keep the upload's order:
   * a millisecond apart, the last one now.
   */
  async insertTasks(manager: EntityManager, userId: string, tasks: readonly (TaskInsert & { age_ms: number })[]): Promise<void> {
    for (let start = 0; start < tasks.length; start += IMPORT_BATCH_ROWS) {
      const batch = tasks.slice(start, start + IMPORT_BATCH_ROWS);
      await manager.query(
        `INSERT INTO tasks (id, user_id, title, description, status, priority, tags, due_date, due_time, project_id, parent_id, position,
                            recurrence, series_id, next_occurrence_id, deleted_at, deleted_with, created_at, updated_at)
         SELECT r.id, $1, r.title, r.description, r.status, r.priority, ARRAY(SELECT jsonb_array_elements_text(r.tags)),
                r.due_date, r.due_time, r.project_id, r.parent_id, r.position, r.recurrence, r.series_id, r.next_occurrence_id,
                r.deleted_at, r.deleted_with,
                coalesce(r.created_at, now() - make_interval(secs => r.age_ms / 1000.0)),
                coalesce(r.updated_at, r.created_at, now() - make_interval(secs => r.age_ms / 1000.0))
         FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, title text, description text, status text, priority text, tags jsonb,
                                                 due_date date, due_time time, project_id uuid, parent_id uuid, position float8,
                                                 recurrence jsonb, series_id uuid, next_occurrence_id uuid, deleted_at timestamptz,
                                                 deleted_with uuid, age_ms int, created_at timestamptz, updated_at timestamptz)`,
        [userId, JSON.stringify(batch)],
      );
    }
  }

  async setTimeZone(manager: EntityManager, userId: string, timeZone: string): Promise<void> {
    await manager.query('UPDATE users SET time_zone = $2 WHERE id = $1', [userId, timeZone]);
  }

  async timeZoneOf(userId: string): Promise<string | undefined> {
    const rows: { time_zone: string }[] = await this.db.query('SELECT time_zone FROM users WHERE id = $1', [userId]);
    return rows[0]?.time_zone;
  }
}
