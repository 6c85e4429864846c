import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, QueryFailedError, Repository } from 'typeorm';
import {
  IdempotencyKeyReusedException,
  InvalidTokenException,
  PreconditionFailedException,
  TaskAccessDeniedException,
} from '../common/api-errors.js';
import { UsersService } from '../users/users.service.js';
import type { CreateTaskDto } from './dto/create-task.dto.js';
import { DEFAULT_LIMIT, type ListTasksQuery } from './dto/list-tasks.query.js';
import { type TaskResponse, type TaskRow, toTaskResponse } from './dto/task.response.js';
import type { UpdateTaskDto } from './dto/update-task.dto.js';
import type { ExpectedVersions, WritePreconditions } from './preconditions.js';
import { normalizeTagFilter, normalizeTags } from './tags.js';
import { Task } from './task.entity.js';

/** How long a create's Idempotency-Key is remembered. */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;

export interface CreatedTask {
  readonly task: TaskResponse;
  /** True when this is the stored answer to an earlier request with the same key. */
  readonly replayed: boolean;
}

/** The columns of a task response, selected by every query so rows map one to one. */
const TASK_COLUMNS =
  't.id, t.user_id, t.title, t.description, t.status, t.priority, t.tags, t.due_date::text AS due_date, t.created_at, t.updated_at, t.version';

const PRIORITY_RANK = "(CASE t.priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 END)";

/** ORDER BY per sort key. Missing due dates and priorities sort last both ways; id makes pages stable. */
const ORDER_BY: Record<string, (direction: 'ASC' | 'DESC') => string> = {
  created_at: (d) => `t.created_at ${d}, t.id ${d}`,
  updated_at: (d) => `t.updated_at ${d}, t.id ${d}`,
  due_date: (d) => `t.due_date ${d} NULLS LAST, t.id ${d}`,
  priority: (d) => `${PRIORITY_RANK} ${d} NULLS LAST, t.id ${d}`,
  title: (d) => `lower(t.title) COLLATE "C" ${d}, t.title COLLATE "C" ${d}, t.id ${d}`,
};

export interface TaskPage {
  readonly items: TaskResponse[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

@Injectable()
export class TasksService {
  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly users: UsersService,
  ) {}

  /**
   * Creates a task. With an Idempotency-Key, the first create of that key
   * (per user, for 24 hours) is the only one: a retry gets the first answer
   * back (`replayed`), and the same key with another body is refused.
   */
  async create(userId: string, dto: CreateTaskDto, idempotencyKey?: string): Promise<CreatedTask> {
    try {
      if (idempotencyKey === undefined) return { task: await this.insert(this.tasks.manager, userId, dto), replayed: false };
      return await this.createOnce(userId, dto, idempotencyKey);
    } catch (error) {
      // The owner no longer exists (a foreign key violation): their token is no longer valid.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23503') {
        throw new InvalidTokenException();
      }
      throw error;
    }
  }

  private createOnce(userId: string, dto: CreateTaskDto, key: string): Promise<CreatedTask> {
    const requestHash = createHash('sha256').update(canonicalJson(dto)).digest('hex');
    return this.tasks.manager.transaction(async (manager) => {
      // Claims the key, or finds it taken. A concurrent request with the same
      // key waits here on the primary key until the first one commits, then
      // sees its row: exactly one of them creates the task. An expired key is
      // claimed afresh.
      const claimed: unknown[] = await manager.query(
        `INSERT INTO idempotency_keys AS k (user_id, key, request_hash, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4))
         ON CONFLICT (user_id, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, response = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
           WHERE k.expires_at <= now()
         RETURNING 1`,
        [userId, key, requestHash, IDEMPOTENCY_KEY_TTL_SECONDS],
      );
      if (claimed.length === 0) {
        const [first]: { request_hash: string; response: TaskResponse }[] = await manager.query(
          'SELECT request_hash, response FROM idempotency_keys WHERE user_id = $1 AND key = $2',
          [userId, key],
        );
        if (first.request_hash !== requestHash) throw new IdempotencyKeyReusedException();
        return { task: first.response, replayed: true };
      }
      const task = await this.insert(manager, userId, dto);
      await manager.query('UPDATE idempotency_keys SET response = $3 WHERE user_id = $1 AND key = $2', [
        userId,
        key,
        JSON.stringify(task),
      ]);
      return { task, replayed: false };
    });
  }

  private async insert(manager: EntityManager, userId: string, dto: CreateTaskDto): Promise<TaskResponse> {
    const rows: TaskRow[] = await manager.query(
      `INSERT INTO tasks AS t (user_id, title, description, status, priority, tags, due_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING ${TASK_COLUMNS}`,
      [
        userId,
        dto.title,
        dto.description ?? null,
        dto.status ?? 'todo',
        dto.priority ?? null,
        normalizeTags(dto.tags ?? []),
        dto.due_date ?? null,
      ],
    );
    return toTaskResponse(rows[0]);
  }

  async list(userId: string, query: ListTasksQuery): Promise<TaskPage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.offset ?? 0;
    const [field, direction] = parseSort(query.sort ?? '-created_at');
    const { where, params } = filterClause(userId, query);

    const rows: (TaskRow & { total_count: string })[] = await this.tasks.query(
      ...listQuery({ where, params }, field, direction, limit, offset),
    );

    let total = rows.length > 0 ? Number(rows[0].total_count) : 0;
    if (rows.length === 0) {
      // No row carries the count: past the last page, or nothing matches, or
      // the caller was deleted (their tasks went with them).
      await this.users.assertExists(userId);
      if (offset > 0) {
        const [{ count }]: { count: string }[] = await this.tasks.query(
          `SELECT count(*) AS count FROM tasks t WHERE ${where}`,
          params,
        );
        total = Number(count);
      }
    }
    return { items: rows.map(toTaskResponse), total, limit, offset };
  }

  /**
   * The ownership check: one query by id and owner together. Not found and
   * not yours are the same 403; a caller who no longer exists gets a 401.
   */
  async findOwnedOrFail(userId: string, id: string): Promise<TaskResponse> {
    const rows: TaskRow[] = await this.tasks.query(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1 AND t.user_id = $2`,
      [id, userId],
    );
    if (rows.length > 0) return toTaskResponse(rows[0]);
    await this.users.assertExists(userId);
    throw new TaskAccessDeniedException();
  }

  /**
   * Applies a patch. The version checks of If-Match and If-None-Match are
   * part of the UPDATE itself: PostgreSQL re-evaluates the WHERE clause on the
   * locked row, so of two writers holding the same version exactly one
   * succeeds and the other gets the 412, whatever the interleaving.
   */
  async update(userId: string, id: string, dto: UpdateTaskDto, conditions: WritePreconditions = {}): Promise<TaskResponse> {
    if (conditions.ifNoneMatch?.any) throw await this.preconditionFailed(userId, id, conditions);
    const changes: Record<string, unknown> = {};
    if (dto.title !== undefined) changes.title = dto.title;
    if (dto.description !== undefined) changes.description = dto.description;
    if (dto.status !== undefined) changes.status = dto.status;
    if (dto.priority !== undefined) changes.priority = dto.priority;
    if (dto.tags !== undefined) changes.tags = normalizeTags(dto.tags);
    if (dto.due_date !== undefined) changes.due_date = dto.due_date;

    const columns = Object.keys(changes);
    const params: unknown[] = [id, userId, ...columns.map((column) => changes[column])];
    // An empty patch still counts as a write: the trigger advances updated_at and version.
    const assignments =
      columns.length > 0 ? columns.map((column, i) => `${column} = $${i + 3}`).join(', ') : 'updated_at = t.updated_at';
    const [rows]: [TaskRow[], number] = await this.tasks.query(
      `UPDATE tasks AS t SET ${assignments} WHERE t.id = $1 AND t.user_id = $2${versionConditions(conditions, params)}
       RETURNING ${TASK_COLUMNS}`,
      params,
    );
    if (rows.length === 0) throw await this.writeRefused(userId, id, conditions);
    return toTaskResponse(rows[0]);
  }

  async remove(userId: string, id: string, conditions: WritePreconditions = {}): Promise<void> {
    if (conditions.ifNoneMatch?.any) throw await this.preconditionFailed(userId, id, conditions);
    const params: unknown[] = [id, userId];
    const [, affected]: [unknown[], number] = await this.tasks.query(
      `DELETE FROM tasks t WHERE t.id = $1 AND t.user_id = $2${versionConditions(conditions, params)}`,
      params,
    );
    if (affected === 0) throw await this.writeRefused(userId, id, conditions);
  }

  /**
   * Why a scoped write touched no row: the task is at a version the
   * preconditions exclude (412, with the task as it is now), or it is gone
   * (the guard saw it a moment ago; it was deleted since), which is the usual 403.
   */
  private async writeRefused(userId: string, id: string, conditions: WritePreconditions): Promise<Error> {
    if (!namesVersions(conditions.ifMatch) && !namesVersions(conditions.ifNoneMatch)) return new TaskAccessDeniedException();
    return this.preconditionFailed(userId, id, conditions);
  }

  /**
   * The 412 with the task as it is now, or the 403 when it is gone. The
   * message blames If-None-Match when it names the current version, else the
   * version has moved on (the If-Match message).
   */
  private async preconditionFailed(userId: string, id: string, { ifNoneMatch }: WritePreconditions): Promise<Error> {
    try {
      const current = await this.findOwnedOrFail(userId, id);
      const noneMatchFailed = ifNoneMatch !== undefined && (ifNoneMatch.any || ifNoneMatch.versions.includes(current.version));
      return noneMatchFailed ? new PreconditionFailedException(current, IF_NONE_MATCH_FAILED) : new PreconditionFailedException(current);
    } catch (error) {
      return error as Error;
    }
  }
}

const IF_NONE_MATCH_FAILED = 'Precondition failed: If-None-Match matches the current version of the task';

function namesVersions(expected: ExpectedVersions | undefined): boolean {
  return expected !== undefined && !expected.any;
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

/** JSON with object keys sorted, so the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * The WHERE clause of a list, always scoped to the owner first. Values travel
 * as parameters; only fixed SQL text is concatenated.
 */
export function filterClause(userId: string, query: ListTasksQuery): { where: string; params: unknown[] } {
  const params: unknown[] = [userId];
  const conditions = ['t.user_id = $1'];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (query.status?.length) add((p) => `t.status = ANY(${p}::text[])`, query.status);
  if (query.priority?.length) add((p) => `t.priority = ANY(${p}::text[])`, query.priority);
  if (query.tag?.length) add((p) => `t.tags @> ${p}::text[]`, normalizeTagFilter(query.tag));
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
 * matching row. Exported for the EXPLAIN test.
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
       SELECT ${TASK_COLUMNS} FROM tasks t WHERE ${where}
       ORDER BY ${ORDER_BY[field](direction)}
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}
     )
     SELECT page.*, (SELECT count(*) FROM tasks t WHERE ${where}) AS total_count FROM page`,
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
