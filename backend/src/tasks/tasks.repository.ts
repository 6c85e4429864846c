import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { POSITION_STEP } from '../common/positions.js';
import type { WritePreconditions } from '../common/preconditions.js';
import type { TaskRow } from './dto/task.response.js';
import type { ListTasksQuery } from './dto/list-tasks.query.js';
import type { StoredRecurrence } from './recurrence.js';
import type { TaskPriority, TaskStatus } from './task.entity.js';

/** The columns of a task response; `t` is the task, `sc` its subtask counts (see withCounts). */
const TASK_COLUMNS = `t.id, t.user_id, t.project_id, t.parent_id, t.position, t.title, t.description, t.status, t.priority,
  t.tags, t.due_date::text AS due_date, to_char(t.due_time, 'HH24:MI') AS due_time, t.recurrence, t.series_id,
  t.next_occurrence_id, t.created_at, t.updated_at, t.version`;
const COUNT_COLUMNS = 'sc.subtask_count, sc.subtask_done_count';
/** Direct subtasks of `t` that are not in the trash: an index range each (tasks_parent_idx). */
const SUBTASK_COUNTS = `LEFT JOIN LATERAL (
    SELECT count(*) AS subtask_count, count(*) FILTER (WHERE c.status = 'done') AS subtask_done_count
    FROM tasks c WHERE c.parent_id = t.id AND c.deleted_at IS NULL
  ) sc ON true`;

/** `FROM <source> t` with the counts: every read of tasks for the wire goes through it. */
function withCounts(source: string, where = 'true'): string {
  return `SELECT ${TASK_COLUMNS}, ${COUNT_COLUMNS} FROM ${source} t ${SUBTASK_COUNTS} WHERE ${where}`;
}

const PRIORITY_RANK = "(CASE t.priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 END)";

/** ORDER BY per sort key. Missing due dates and priorities sort last both ways; id makes pages stable. */
const ORDER_BY: Record<string, (direction: 'ASC' | 'DESC') => string> = {
  created_at: (d) => `t.created_at ${d}, t.id ${d}`,
  updated_at: (d) => `t.updated_at ${d}, t.id ${d}`,
  due_date: (d) => `t.due_date ${d} NULLS LAST, t.id ${d}`,
  priority: (d) => `${PRIORITY_RANK} ${d} NULLS LAST, t.id ${d}`,
  title: (d) => `lower(t.title) COLLATE "C" ${d}, t.title COLLATE "C" ${d}, t.id ${d}`,
  position: (d) => `t.position ${d}, t.id ${d}`,
};

/** What a task write may set; the repository alone knows the columns. */
export interface TaskValues {
  title?: string;
  description?: string | null;
  status?: TaskStatus;
  priority?: TaskPriority | null;
  tags?: string[];
  due_date?: string | null;
  due_time?: string | null;
  project_id?: string;
  parent_id?: string | null;
  position?: number;
  recurrence?: StoredRecurrence | null;
  series_id?: string | null;
  next_occurrence_id?: string | null;
}

/** A task row locked for a write, with what the rules need to decide. */
export interface LockedTask {
  id: string;
  project_id: string;
  parent_id: string | null;
  status: TaskStatus;
  due_date: string | null;
  due_time: string | null;
  recurrence: StoredRecurrence | null;
  series_id: string | null;
  next_occurrence_id: string | null;
  version: number;
}

export interface TaskListPage {
  readonly rows: TaskRow[];
  readonly total: number;
}

/**
 * Every SQL statement on `tasks`. All of them are scoped by the owner; the
 * service decides, this file only knows the columns.
 */
@Injectable()
export class TasksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** A live task (not in the trash) of the user, for the wire; undefined when there is none. */
  async findOwned(userId: string, id: string, manager?: EntityManager): Promise<TaskRow | undefined> {
    const rows: TaskRow[] = await this.db(manager).query(
      withCounts('tasks', 't.id = $1 AND t.user_id = $2 AND t.deleted_at IS NULL'),
      [id, userId],
    );
    return rows[0];
  }

  /** Several live tasks of the user, for the wire, in the order of `ids`. */
  async findManyOwned(manager: EntityManager, userId: string, ids: readonly string[]): Promise<TaskRow[]> {
    const rows: TaskRow[] = await manager.query(
      withCounts('tasks', 't.id = ANY($1::uuid[]) AND t.user_id = $2 AND t.deleted_at IS NULL'),
      [ids, userId],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id)).filter((row): row is TaskRow => row !== undefined);
  }

  /**
   * Locks live tasks of the user for a write, in id order (so two writers
   * locking overlapping sets cannot deadlock on each other), and returns
   * those found.
   */
  async lockOwned(manager: EntityManager, userId: string, ids: readonly string[]): Promise<LockedTask[]> {
    const rows: (Omit<LockedTask, 'version'> & { version: string })[] = await manager.query(
      `SELECT id, project_id, parent_id, status, due_date::text AS due_date, to_char(due_time, 'HH24:MI') AS due_time,
              recurrence, series_id, next_occurrence_id, version
       FROM tasks WHERE id = ANY($1::uuid[]) AND user_id = $2 AND deleted_at IS NULL
       ORDER BY id FOR UPDATE`,
      [ids, userId],
    );
    return rows.map((row) => ({ ...row, version: Number(row.version) }));
  }

  /**
   * A top-level task in one statement: in `projectId` if it is the user's
   * (its Inbox when undefined), after the last of the project's top-level
   * tasks unless a position is given. Undefined when there is no such
   * project (not the user's, or the user is gone).
   */
  async insertTopLevel(
    userId: string,
    projectId: string | undefined,
    values: Omit<TaskValues, 'project_id' | 'parent_id'>,
    manager?: EntityManager,
  ): Promise<TaskRow | undefined> {
    const all: TaskValues = values;
    const columns = (Object.keys(all) as (keyof TaskValues)[]).filter((column) => column !== 'position');
    const params: unknown[] = [userId, projectId ?? null, all.position ?? null, ...columns.map((column) => toParam(column, all[column]))];
    const rows: TaskRow[] = await this.db(manager).query(
      `WITH target AS (
         SELECT id FROM projects WHERE user_id = $1 AND CASE WHEN $2::uuid IS NULL THEN is_inbox ELSE id = $2::uuid END
       ), inserted AS (
         INSERT INTO tasks (user_id, project_id, position, ${columns.join(', ')})
         SELECT $1, target.id,
                coalesce($3::double precision, (
                  SELECT floor(max(position) / ${POSITION_STEP}) * ${POSITION_STEP} + ${POSITION_STEP} FROM tasks
                  WHERE project_id = target.id AND parent_id IS NULL AND deleted_at IS NULL
                ), ${POSITION_STEP}),
                ${columns.map((column, i) => `$${i + 4}${cast(column)}`).join(', ')}
         FROM target
         RETURNING *
       )
       ${withCounts('inserted')}`,
      params,
    );
    return rows[0];
  }

  async insert(manager: EntityManager, userId: string, values: TaskValues): Promise<TaskRow> {
    const columns = Object.keys(values) as (keyof TaskValues)[];
    const params: unknown[] = [userId, ...columns.map((column) => toParam(column, values[column]))];
    const rows: TaskRow[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO tasks (user_id, ${columns.join(', ')})
         VALUES ($1, ${columns.map((column, i) => `$${i + 2}${cast(column)}`).join(', ')})
         RETURNING *
       )
       ${withCounts('inserted')}`,
      params,
    );
    return rows[0];
  }

  /**
   * Writes `values` to one live task of the user, with the version checks of
   * If-Match and If-None-Match in the same statement (PostgreSQL re-checks
   * them on the locked row: of two writers holding one version, exactly one
   * succeeds). Undefined when no row qualified. An empty change still counts
   * as a write: the trigger advances updated_at and version.
   */
  async update(
    userId: string,
    id: string,
    values: TaskValues,
    conditions: WritePreconditions = {},
    manager?: EntityManager,
  ): Promise<TaskRow | undefined> {
    const columns = Object.keys(values) as (keyof TaskValues)[];
    const params: unknown[] = [id, userId, ...columns.map((column) => toParam(column, values[column]))];
    const assignments =
      columns.length > 0 ? columns.map((column, i) => `${column} = $${i + 3}${cast(column)}`).join(', ') : 'updated_at = t.updated_at';
    const rows: TaskRow[] = await this.db(manager).query(
      `WITH updated AS (
         UPDATE tasks AS t SET ${assignments}
         WHERE t.id = $1 AND t.user_id = $2 AND t.deleted_at IS NULL${versionConditions(conditions, params)}
         RETURNING t.*
       )
       ${withCounts('updated')}`,
      params,
    );
    return rows[0];
  }

  /** The same change to many live tasks of the user, in one statement. */
  async updateMany(manager: EntityManager, userId: string, ids: readonly string[], values: TaskValues): Promise<void> {
    const columns = Object.keys(values) as (keyof TaskValues)[];
    if (columns.length === 0) return;
    const params: unknown[] = [ids, userId, ...columns.map((column) => toParam(column, values[column]))];
    await manager.query(
      `UPDATE tasks SET ${columns.map((column, i) => `${column} = $${i + 3}${cast(column)}`).join(', ')}
       WHERE id = ANY($1::uuid[]) AND user_id = $2 AND deleted_at IS NULL`,
      params,
    );
  }

  /** Adds and removes tags on many tasks, keeping each tag list's order and first spellings. */
  async editTags(manager: EntityManager, userId: string, tagsById: ReadonlyMap<string, string[]>): Promise<void> {
    if (tagsById.size === 0) return;
    await manager.query(
      `UPDATE tasks t SET tags = n.tags
       FROM (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, tags text[])) n
       WHERE t.id = n.id AND t.user_id = $2 AND t.deleted_at IS NULL`,
      [JSON.stringify([...tagsById].map(([id, tags]) => ({ id, tags }))), userId],
    );
  }

  async currentTags(manager: EntityManager, userId: string, ids: readonly string[]): Promise<Map<string, string[]>> {
    const rows: { id: string; tags: string[] }[] = await manager.query(
      'SELECT id, tags FROM tasks WHERE id = ANY($1::uuid[]) AND user_id = $2 AND deleted_at IS NULL',
      [ids, userId],
    );
    return new Map(rows.map((row) => [row.id, row.tags]));
  }

  /**
   * The ancestors of a live task, nearest first (its parent, then the
   * parent's parent…), at most `limit` of them.
   */
  async ancestors(manager: EntityManager, userId: string, id: string, limit: number): Promise<{ id: string; status: TaskStatus }[]> {
    return manager.query(
      `WITH RECURSIVE up(id, parent_id, status, depth) AS (
         SELECT p.id, p.parent_id, p.status, 1 FROM tasks c JOIN tasks p ON p.id = c.parent_id
         WHERE c.id = $1 AND c.user_id = $2 AND p.user_id = $2
         UNION ALL
         SELECT p.id, p.parent_id, p.status, up.depth + 1 FROM up JOIN tasks p ON p.id = up.parent_id
         WHERE p.user_id = $2 AND up.depth < $3
       )
       SELECT id, status FROM up ORDER BY depth`,
      [id, userId, limit],
    );
  }

  /** The ids of a task's live descendants (not the task itself), nearest levels first. */
  async descendants(manager: EntityManager, userId: string, ids: readonly string[]): Promise<{ id: string; depth: number }[]> {
    return manager.query(
      `WITH RECURSIVE down(id, depth) AS (
         SELECT c.id, 1 FROM tasks c WHERE c.parent_id = ANY($1::uuid[]) AND c.user_id = $2 AND c.deleted_at IS NULL
         UNION ALL
         SELECT c.id, down.depth + 1 FROM down JOIN tasks c ON c.parent_id = down.id
         WHERE c.user_id = $2 AND c.deleted_at IS NULL AND down.depth < 10
       )
       SELECT id, depth FROM down ORDER BY depth, id`,
      [ids, userId],
    );
  }

  /** Moves live tasks (a subtree) to a project. */
  async moveToProject(manager: EntityManager, userId: string, ids: readonly string[], projectId: string): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(
      'UPDATE tasks SET project_id = $3 WHERE id = ANY($1::uuid[]) AND user_id = $2 AND deleted_at IS NULL AND project_id <> $3',
      [ids, userId, projectId],
    );
  }

  /** Marks live tasks done unless they are: one event each. */
  async complete(manager: EntityManager, userId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(
      `UPDATE tasks SET status = 'done' WHERE id = ANY($1::uuid[]) AND user_id = $2 AND deleted_at IS NULL AND status <> 'done'`,
      [ids, userId],
    );
  }

  /** Reopens (to `todo`) those of the given live tasks that are done. */
  async reopen(manager: EntityManager, userId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(
      `UPDATE tasks SET status = 'todo' WHERE id = ANY($1::uuid[]) AND user_id = $2 AND deleted_at IS NULL AND status = 'done'`,
      [ids, userId],
    );
  }

  /** The position after the last live sibling in `projectId` under `parentId` (undefined when none). */
  async lastPosition(manager: EntityManager, projectId: string, parentId: string | null): Promise<number | undefined> {
    const rows: { position: number | null }[] = parentId
      ? await manager.query('SELECT max(position) AS position FROM tasks WHERE parent_id = $1 AND deleted_at IS NULL', [parentId])
      : await manager.query(
          'SELECT max(position) AS position FROM tasks WHERE project_id = $1 AND parent_id IS NULL AND deleted_at IS NULL',
          [projectId],
        );
    return rows[0]?.position ?? undefined;
  }

  /**
   * Copies the live subtree under `fromId` under `toId`, as open tasks (the
   * next occurrence of a recurring task gets fresh copies of its subtasks).
   */
  async copyOpenSubtree(manager: EntityManager, userId: string, fromId: string, toId: string, projectId: string): Promise<void> {
    const children: { id: string }[] = await manager.query(
      'SELECT id FROM tasks WHERE parent_id = $1 AND user_id = $2 AND deleted_at IS NULL ORDER BY position, id',
      [fromId, userId],
    );
    for (const child of children) {
      const [copy]: { id: string }[] = await manager.query(
        `INSERT INTO tasks (user_id, project_id, parent_id, position, title, description, status, priority, tags)
         SELECT user_id, $3, $4, position, title, description, 'todo', priority, tags FROM tasks WHERE id = $1 AND user_id = $2
         RETURNING id`,
        [child.id, userId, projectId, toId],
      );
      await this.copyOpenSubtree(manager, userId, child.id, copy.id, projectId);
    }
  }

  /** Deletes a task for good (its subtasks go with it: ON DELETE CASCADE) when it is at `version`. */
  async deleteIfAtVersion(manager: EntityManager, userId: string, id: string, version: number): Promise<boolean> {
    const [, affected]: [unknown[], number] = await manager.query(
      'DELETE FROM tasks WHERE id = $1 AND user_id = $2 AND version = $3',
      [id, userId, version],
    );
    return affected > 0;
  }

  async versionOf(manager: EntityManager, userId: string, id: string): Promise<number | undefined> {
    const rows: { version: string }[] = await manager.query('SELECT version FROM tasks WHERE id = $1 AND user_id = $2', [id, userId]);
    return rows[0] === undefined ? undefined : Number(rows[0].version);
  }

  /**
   * Puts one live task and its live subtree in the trash, in one statement,
   * when the task passes the version checks. False when no row qualified.
   */
  async trashOne(userId: string, id: string, conditions: WritePreconditions): Promise<boolean> {
    const params: unknown[] = [id, userId];
    // An UPDATE answers [rows, count] through TypeORM.
    const [, trashed]: [unknown[], number] = await this.dataSource.query(
      `WITH RECURSIVE root AS (
         SELECT t.id FROM tasks t WHERE t.id = $1 AND t.user_id = $2 AND t.deleted_at IS NULL${versionConditions(conditions, params)}
         FOR UPDATE
       ), tree(id) AS (
         SELECT id FROM root
         UNION ALL
         SELECT c.id FROM tree JOIN tasks c ON c.parent_id = tree.id WHERE c.user_id = $2 AND c.deleted_at IS NULL
       )
       UPDATE tasks t SET deleted_at = now(), deleted_with = $1 FROM tree WHERE t.id = tree.id
       RETURNING t.id`,
      params,
    );
    return trashed > 0;
  }

  // --- Whole projects (deleting one) -----------------------------------------------

  /** Live tasks in these projects. */
  async countLiveInProjects(manager: EntityManager, userId: string, projectIds: readonly string[]): Promise<number> {
    const [{ count }]: { count: string }[] = await manager.query(
      'SELECT count(*) AS count FROM tasks WHERE project_id = ANY($1::uuid[]) AND user_id = $2 AND deleted_at IS NULL',
      [projectIds, userId],
    );
    return Number(count);
  }

  /** Puts every live task of these projects in the trash, each top-level task with its subtree. */
  async trashAllInProjects(manager: EntityManager, userId: string, projectIds: readonly string[]): Promise<void> {
    const roots: { id: string }[] = await manager.query(
      'SELECT id FROM tasks WHERE project_id = ANY($1::uuid[]) AND user_id = $2 AND deleted_at IS NULL AND parent_id IS NULL',
      [projectIds, userId],
    );
    if (roots.length > 0) await this.trash(manager, userId, roots.map((root) => root.id));
  }

  /** Moves every task of these projects, live or in the trash, to another project. */
  async moveAllToProject(manager: EntityManager, userId: string, projectIds: readonly string[], toProjectId: string): Promise<void> {
    await manager.query('UPDATE tasks SET project_id = $3 WHERE project_id = ANY($1::uuid[]) AND user_id = $2', [
      projectIds,
      userId,
      toProjectId,
    ]);
  }

  // --- The trash ---------------------------------------------------------------

  /** Puts live tasks and their live subtrees in the trash; each remembers which deletion took it there. */
  async trash(manager: EntityManager, userId: string, roots: readonly string[]): Promise<void> {
    await manager.query(
      `WITH RECURSIVE tree(id, root) AS (
         SELECT id, id FROM tasks WHERE id = ANY($1::uuid[]) AND user_id = $2 AND deleted_at IS NULL
         UNION ALL
         SELECT c.id, tree.root FROM tree JOIN tasks c ON c.parent_id = tree.id WHERE c.user_id = $2 AND c.deleted_at IS NULL
       )
       UPDATE tasks t SET deleted_at = now(), deleted_with = tree.root
       FROM tree WHERE t.id = tree.id`,
      [roots, userId],
    );
  }

  /** Trashed tasks the user deleted themselves (not those that went along with a parent), newest first. */
  async listTrash(userId: string, limit: number, offset: number): Promise<TaskListPage> {
    const rows: (TaskRow & { deleted_at: Date; total_count: string })[] = await this.dataSource.query(
      `WITH page AS (
         SELECT * FROM tasks t WHERE t.user_id = $1 AND t.deleted_at IS NOT NULL AND t.deleted_with = t.id
         ORDER BY t.deleted_at DESC, t.id DESC LIMIT $2 OFFSET $3
       )
       SELECT ${TASK_COLUMNS}, t.deleted_at, sc.subtask_count, sc.subtask_done_count,
              (SELECT count(*) FROM tasks x WHERE x.user_id = $1 AND x.deleted_at IS NOT NULL AND x.deleted_with = x.id) AS total_count
       FROM page t
       LEFT JOIN LATERAL (
         SELECT count(*) AS subtask_count, count(*) FILTER (WHERE c.status = 'done') AS subtask_done_count
         FROM tasks c WHERE c.parent_id = t.id AND c.deleted_with = t.deleted_with
       ) sc ON true
       ORDER BY t.deleted_at DESC, t.id DESC`,
      [userId, limit, offset],
    );
    const total = rows.length > 0 ? Number(rows[0].total_count) : await this.trashCount(userId);
    return { rows, total };
  }

  private async trashCount(userId: string): Promise<number> {
    const [{ count }]: { count: string }[] = await this.dataSource.query(
      'SELECT count(*) AS count FROM tasks t WHERE t.user_id = $1 AND t.deleted_at IS NOT NULL AND t.deleted_with = t.id',
      [userId],
    );
    return Number(count);
  }

  /** A trashed task the user deleted themselves, locked; undefined when it is not in their trash. */
  async lockTrashed(
    manager: EntityManager,
    userId: string,
    id: string,
  ): Promise<{ id: string; parent_id: string | null; project_id: string } | undefined> {
    const rows: { id: string; parent_id: string | null; project_id: string }[] = await manager.query(
      `SELECT id, parent_id, project_id FROM tasks
       WHERE id = $1 AND user_id = $2 AND deleted_at IS NOT NULL AND deleted_with = id FOR UPDATE`,
      [id, userId],
    );
    return rows[0];
  }

  /**
   * Brings a trashed task back with everything its deletion took along. It
   * returns to its parent when the parent is live (else to the top of its
   * project), and to its project, or to `fallbackProjectId` (the Inbox)
   * when the project is gone.
   */
  async restore(
    manager: EntityManager,
    userId: string,
    id: string,
    target: { projectId: string; parentId: string | null; position?: number },
  ): Promise<void> {
    await manager.query(
      `UPDATE tasks SET project_id = $3, parent_id = CASE WHEN id = $1 THEN $4::uuid ELSE parent_id END,
              position = CASE WHEN id = $1 AND $5::double precision IS NOT NULL THEN $5 ELSE position END,
              deleted_at = NULL, deleted_with = NULL
       WHERE user_id = $2 AND deleted_with = $1 AND deleted_at IS NOT NULL`,
      [id, userId, target.projectId, target.parentId, target.position ?? null],
    );
  }

  /** Whether a live task of the user exists (a restored task's parent). */
  async isLive(manager: EntityManager, userId: string, id: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM tasks WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL', [id, userId]);
    return rows.length > 0;
  }

  /** Deletes for good what one deletion put in the trash. */
  async purgeFromTrash(manager: EntityManager, userId: string, id: string): Promise<number> {
    const [, affected]: [unknown[], number] = await manager.query(
      'DELETE FROM tasks WHERE user_id = $1 AND deleted_at IS NOT NULL AND deleted_with = $2',
      [userId, id],
    );
    return affected;
  }

  /** Empties the user's trash. */
  async emptyTrash(userId: string): Promise<number> {
    const [, affected]: [unknown[], number] = await this.dataSource.query(
      'DELETE FROM tasks WHERE user_id = $1 AND deleted_at IS NOT NULL',
      [userId],
    );
    return affected;
  }

  // --- Lists -----------------------------------------------------------------------

  async list(userId: string, query: ListTasksQuery, limit: number, offset: number): Promise<TaskListPage> {
    const [field, direction] = parseSort(query.sort ?? '-created_at');
    const rows: (TaskRow & { total_count: string })[] = await this.dataSource.query(
      ...listQuery(filterClause(userId, query), field, direction, limit, offset),
    );
    let total = rows.length > 0 ? Number(rows[0].total_count) : 0;
    if (rows.length === 0 && offset > 0) {
      // Past the last page: no row carries the count.
      const { where, params } = filterClause(userId, query);
      const [{ count }]: { count: string }[] = await this.dataSource.query(`SELECT count(*) AS count FROM tasks t WHERE ${where}`, params);
      total = Number(count);
    }
    return { rows, total };
  }
}

/**
 * The WHERE clause of a list, always scoped to the owner first and to live
 * tasks. Values travel as parameters; only fixed SQL text is concatenated.
 */
export function filterClause(userId: string, query: ListTasksQuery): { where: string; params: unknown[] } {
  const params: unknown[] = [userId];
  const conditions = ['t.user_id = $1', 't.deleted_at IS NULL'];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (query.status?.length) add((p) => `t.status = ANY(${p}::text[])`, query.status);
  if (query.priority?.length) add((p) => `t.priority = ANY(${p}::text[])`, query.priority);
  if (query.tag?.length) add((p) => `t.tags @> ${p}::text[]`, query.tag);
  if (query.project_id?.length) {
    if (query.include_subprojects) {
      // The projects named and their descendants (projects nest at most three deep), the caller's only.
      add(
        (p) => `t.project_id IN (
          WITH RECURSIVE sub(id, depth) AS (
            SELECT id, 1 FROM projects WHERE id = ANY(${p}::uuid[]) AND user_id = $1
            UNION ALL
            SELECT c.id, sub.depth + 1 FROM sub JOIN projects c ON c.parent_id = sub.id WHERE c.user_id = $1 AND sub.depth < 5
          ) SELECT id FROM sub)`,
        [...new Set(query.project_id.map((id) => id.toLowerCase()))],
      );
    } else {
      add((p) => `t.project_id = ANY(${p}::uuid[])`, [...new Set(query.project_id.map((id) => id.toLowerCase()))]);
    }
  }
  if (query.parent_id === 'none') conditions.push('t.parent_id IS NULL');
  else if (query.parent_id) add((p) => `t.parent_id = ${p}::uuid`, query.parent_id);
  if (query.q) {
    add((p) => `(t.title ILIKE ${p} ESCAPE '\\' OR t.description ILIKE ${p} ESCAPE '\\')`, `%${escapeLike(query.q)}%`);
  }
  if (query.due_before) add((p) => `t.due_date <= ${p}::date`, query.due_before);
  if (query.due_after) add((p) => `t.due_date >= ${p}::date`, query.due_after);
  return { where: conditions.join(' AND '), params };
}

/**
 * The page and its total in one round trip: the page walks an index in sort
 * order and stops at LIMIT, while the total is counted separately (an
 * index-only scan where the filters allow) rather than by a window over every
 * matching row; the subtask counts are read for the page's rows only.
 * Exported for the EXPLAIN test.
 */
export function listQuery(
  filter: { where: string; params: unknown[] },
  field: string,
  direction: 'ASC' | 'DESC',
  limit: number,
  offset: number,
): [string, unknown[]] {
  const { where, params } = filter;
  return [
    `WITH page AS (
       SELECT * FROM tasks t WHERE ${where}
       ORDER BY ${ORDER_BY[field](direction)}
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}
     )
     SELECT ${TASK_COLUMNS}, ${COUNT_COLUMNS}, (SELECT count(*) FROM tasks t WHERE ${where}) AS total_count
     FROM page t ${SUBTASK_COUNTS}
     ORDER BY ${ORDER_BY[field](direction)}`,
    [...params, limit, offset],
  ];
}

export function parseSort(sort: string): [string, 'ASC' | 'DESC'] {
  return sort.startsWith('-') ? [sort.slice(1), 'DESC'] : [sort, 'ASC'];
}

/** `%`, `_` and `\` are literal characters in a search, not wildcards. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * `AND t.version = ANY(...)` when If-Match names versions (`*` only needs the
 * task to exist, which the id and owner already require), and
 * `AND NOT (t.version = ANY(...))` when If-None-Match does. An If-None-Match
 * naming nothing parseable excludes nothing.
 */
function versionConditions({ ifMatch, ifNoneMatch }: WritePreconditions, params: unknown[]): string {
  let sql = '';
  if (ifMatch !== undefined && !ifMatch.any) {
    params.push(ifMatch.versions);
    sql += ` AND t.version = ANY($${params.length}::bigint[])`;
  }
  if (ifNoneMatch !== undefined && !ifNoneMatch.any && ifNoneMatch.versions.length > 0) {
    params.push(ifNoneMatch.versions);
    sql += ` AND NOT (t.version = ANY($${params.length}::bigint[]))`;
  }
  return sql;
}

/** Column casts for values that travel as text. */
function cast(column: keyof TaskValues): string {
  if (column === 'recurrence') return '::jsonb';
  if (column === 'due_date') return '::date';
  if (column === 'due_time') return '::time';
  return '';
}

function toParam(column: keyof TaskValues, value: unknown): unknown {
  return column === 'recurrence' && value !== null && value !== undefined ? JSON.stringify(value) : value;
}
