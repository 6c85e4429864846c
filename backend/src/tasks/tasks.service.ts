import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Temporal } from 'temporal-polyfill';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import {
  InvalidTokenException,
  PreconditionFailedException,
  TaskAccessDeniedException,
  ValidationFailedException,
} from '../common/api-errors.js';
import type { ErrorDetail } from '../common/error-body.js';
import { positionAfter } from '../common/positions.js';
import type { ExpectedVersions, WritePreconditions } from '../common/preconditions.js';
import { placementProblem } from '../common/tree.js';
import { inTransaction } from '../database/transaction.js';
import { IdempotencyService, type Outcome } from '../idempotency/idempotency.service.js';
import { ProjectsRepository } from '../projects/projects.repository.js';
import { UsersService } from '../users/users.service.js';
import type { BulkDeleteDto, BulkUpdateDto } from './dto/bulk.dto.js';
import type { CreateTaskDto } from './dto/create-task.dto.js';
import { DEFAULT_LIMIT, type ListTasksQuery } from './dto/list-tasks.query.js';
import type { RecurrenceDto } from './dto/recurrence.dto.js';
import { type TaskResponse, toTaskResponse } from './dto/task.response.js';
import type { UpdateTaskDto } from './dto/update-task.dto.js';
import { assertRepeats, nextOccurrence, RecurrenceRuleError, type StoredRecurrence } from './recurrence.js';
import { normalizeTagFilter, normalizeTags, tagKey } from './tags.js';
import { type LockedTask, TasksRepository, type TaskValues } from './tasks.repository.js';

/** Levels of tasks: a top-level task and three levels of subtasks below it. */
export const MAX_TASK_DEPTH = 4;

export interface TaskPage {
  readonly items: TaskResponse[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/** Fields a PATCH may change without any rule reading the task first: one statement. */
const PLAIN_FIELDS = new Set(['title', 'description', 'priority', 'tags']);

const IF_NONE_MATCH_FAILED = 'Precondition failed: If-None-Match matches the current version of the task';

/** What a change does beyond writing its own row (see applyChange). */
interface Consequences {
  /** The task and its subtree go to this project. */
  moveSubtreeTo?: string;
  completed: boolean;
  reopened: boolean;
}

/**
 * The rules of tasks: where a task may go (projects, parents, depth), what
 * its dates and recurrence must be, and what completing or reopening one
 * does. SQL lives in TasksRepository; every write that touches more than one
 * row runs in one transaction, retried when PostgreSQL asks.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly projects: ProjectsRepository,
    private readonly users: UsersService,
    private readonly idempotency: IdempotencyService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Creates a task. With an Idempotency-Key, the first create of that key
   * (per user, for 24 hours) is the only one: a retry gets the first answer
   * back (`replayed`), and the same key with another body is refused.
   */
  async create(userId: string, dto: CreateTaskDto, idempotencyKey?: string): Promise<Outcome<TaskResponse>> {
    try {
      // The common case, a top-level task that does not repeat, is one statement.
      if (idempotencyKey === undefined && !dto.parent_id && !dto.recurrence) {
        return { body: await this.insertTopLevel(userId, dto), replayed: false };
      }
      return await this.idempotency.run(userId, idempotencyKey, 'POST /api/tasks', dto, (tx) => this.insert(tx, userId, dto));
    } catch (error) {
      throw userGone(error);
    }
  }

  private async insertTopLevel(userId: string, dto: CreateTaskDto, tx?: EntityManager): Promise<TaskResponse> {
    const dueDate = dto.due_date ?? null;
    const dueTime = dto.due_time ?? null;
    if (dueTime !== null && dueDate === null) throw invalid('due_time', 'due_time needs a due_date');
    const row = await this.tasks.insertTopLevel(
      userId,
      dto.project_id?.toLowerCase(),
      {
        title: dto.title,
        description: dto.description ?? null,
        status: dto.status ?? 'todo',
        priority: dto.priority ?? null,
        tags: normalizeTags(dto.tags ?? []),
        due_date: dueDate,
        due_time: dueTime,
        ...(dto.position !== undefined && { position: dto.position }),
      },
      tx,
    );
    if (row) return toTaskResponse(row);
    // No such project: not the caller's, or the caller is gone (no Inbox either).
    await this.users.assertExists(userId);
    throw invalid('project_id', 'project_id must be one of your projects');
  }

  private async insert(tx: EntityManager, userId: string, dto: CreateTaskDto): Promise<TaskResponse> {
    if (!dto.parent_id && !dto.recurrence) return this.insertTopLevel(userId, dto, tx);
    let projectId: string;
    let parentId: string | null = null;
    if (dto.parent_id) {
      const [parent] = await this.tasks.lockOwned(tx, userId, [dto.parent_id]);
      if (!parent) throw invalid('parent_id', 'parent_id must be one of your tasks (not in the trash)');
      const chain = [parent.id, ...(await this.tasks.ancestors(tx, userId, parent.id, MAX_TASK_DEPTH)).map((a) => a.id)];
      if (placementProblem({ id: '', parentChain: chain, subtreeHeight: 1, maxDepth: MAX_TASK_DEPTH })) {
        throw invalid('parent_id', `subtasks nest at most ${MAX_TASK_DEPTH} levels deep`);
      }
      if (dto.project_id !== undefined && dto.project_id.toLowerCase() !== parent.project_id) {
        throw invalid('project_id', "a subtask lives in its parent's project: leave project_id out, or give the parent's");
      }
      projectId = parent.project_id;
      parentId = parent.id;
    } else if (dto.project_id !== undefined) {
      projectId = await this.ownedProject(tx, userId, dto.project_id, 'project_id');
    } else {
      const inbox = await this.projects.inboxOf(tx, userId);
      // Every user has an Inbox: none means the caller was deleted.
      if (inbox === undefined) throw await this.gone(userId);
      projectId = inbox;
    }

    const dueDate = dto.due_date ?? null;
    const dueTime = dto.due_time ?? null;
    if (dueTime !== null && dueDate === null) throw invalid('due_time', 'due_time needs a due_date');
    const recurrence = dto.recurrence ? await this.newRecurrence(tx, userId, dto.recurrence, dueDate) : null;

    const values: TaskValues = {
      title: dto.title,
      description: dto.description ?? null,
      status: dto.status ?? 'todo',
      priority: dto.priority ?? null,
      tags: normalizeTags(dto.tags ?? []),
      due_date: dueDate,
      due_time: dueTime,
      project_id: projectId,
      parent_id: parentId,
      position: dto.position ?? positionAfter(await this.tasks.lastPosition(tx, projectId, parentId)),
      recurrence,
      series_id: recurrence ? randomUUID() : null,
    };
    return toTaskResponse(await this.tasks.insert(tx, userId, values));
  }

  async list(userId: string, query: ListTasksQuery): Promise<TaskPage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.offset ?? 0;
    const { rows, total } = await this.tasks.list(userId, { ...query, tag: query.tag && normalizeTagFilter(query.tag) }, limit, offset);
    // Nothing found may also mean the caller was deleted (their tasks went with them).
    if (rows.length === 0) await this.users.assertExists(userId);
    return { items: rows.map(toTaskResponse), total, limit, offset };
  }

  /**
   * The ownership check: one query by id and owner together. Not found, not
   * yours and in the trash are the same 403; a caller who no longer exists
   * gets a 401.
   */
  async findOwnedOrFail(userId: string, id: string, manager?: EntityManager): Promise<TaskResponse> {
    const row = await this.tasks.findOwned(userId, id, manager);
    if (row) return toTaskResponse(row);
    await this.users.assertExists(userId);
    throw new TaskAccessDeniedException();
  }

  /**
   * Applies a patch. A change of plain fields is one UPDATE whose WHERE
   * clause holds the If-Match / If-None-Match checks; anything with rules
   * (status, project, parent, dates, recurrence, position) locks the task,
   * checks the preconditions against the locked row and applies the change
   * and its consequences in one transaction.
   */
  async update(userId: string, id: string, dto: UpdateTaskDto, conditions: WritePreconditions = {}): Promise<TaskResponse> {
    if (conditions.ifNoneMatch?.any) throw await this.preconditionFailed(userId, id, conditions);
    const fields = Object.keys(dto).filter((key) => (dto as Record<string, unknown>)[key] !== undefined);
    if (fields.every((field) => PLAIN_FIELDS.has(field))) {
      const values: TaskValues = {};
      if (dto.title !== undefined) values.title = dto.title;
      if (dto.description !== undefined) values.description = dto.description;
      if (dto.priority !== undefined) values.priority = dto.priority;
      if (dto.tags !== undefined) values.tags = normalizeTags(dto.tags);
      const row = await this.tasks.update(userId, id, values, conditions);
      if (!row) throw await this.writeRefused(userId, id, conditions);
      return toTaskResponse(row);
    }
    return inTransaction(this.dataSource, async (tx) => {
      const [task] = await this.tasks.lockOwned(tx, userId, [id]);
      if (!task) throw await this.gone(userId);
      await this.checkPreconditions(tx, userId, task, conditions);
      await this.applyChange(tx, userId, task, dto);
      return this.findOwnedOrFail(userId, id, tx);
    });
  }

  /** Moves the task and its subtree to the trash. */
  async remove(userId: string, id: string, conditions: WritePreconditions = {}): Promise<void> {
    if (conditions.ifNoneMatch?.any) throw await this.preconditionFailed(userId, id, conditions);
    if (!(await this.tasks.trashOne(userId, id, conditions))) throw await this.writeRefused(userId, id, conditions);
  }

  /**
   * The same change to up to 100 tasks, all or nothing: each task follows
   * the rules of a single PATCH. Answers the tasks as they are afterwards,
   * in the order of `ids`.
   */
  async bulkUpdate(userId: string, dto: BulkUpdateDto, idempotencyKey?: string): Promise<Outcome<{ tasks: TaskResponse[] }>> {
    const ids = distinctIds(dto.ids);
    const set = dto.set ?? {};
    const adds = normalizeTags(dto.add_tags ?? []);
    const removes = new Set((dto.remove_tags ?? []).map(tagKey));
    if (Object.values(set).every((value) => value === undefined) && adds.length === 0 && removes.size === 0) {
      throw new ValidationFailedException([{ field: 'set', message: 'give at least one change: set, add_tags or remove_tags' }]);
    }
    return this.idempotency.run(userId, idempotencyKey, 'POST /api/tasks/bulk', dto, async (tx) => {
      const locked = await this.tasks.lockOwned(tx, userId, ids);
      if (locked.length !== ids.length) throw new TaskAccessDeniedException();
      const plain = plainBulkChange(set, locked);
      if (plain) {
        // No rule reads the tasks one by one: one statement for all of them.
        await this.tasks.updateMany(tx, userId, ids, plain);
      } else {
        // Parents first: completing a parent completes its subtree, which a
        // child listed after it then finds done already.
        const byId = new Map(locked.map((task) => [task.id, task]));
        for (const id of await this.topDown(tx, userId, ids)) {
          const [current] = await this.tasks.lockOwned(tx, userId, [id]);
          await this.applyChange(tx, userId, current ?? (byId.get(id) as LockedTask), set, `set.`);
        }
      }
      if (adds.length > 0 || removes.size > 0) {
        const current = await this.tasks.currentTags(tx, userId, ids);
        const edited = new Map<string, string[]>();
        for (const [id, tags] of current) {
          const next = normalizeTags([...tags.filter((tag) => !removes.has(tagKey(tag))), ...adds]);
          if (next.length > 20) throw invalid('add_tags', `task ${id} would have more than 20 tags`);
          if (JSON.stringify(next) !== JSON.stringify(tags)) edited.set(id, next);
        }
        await this.tasks.editTags(tx, userId, edited);
      }
      return { tasks: (await this.tasks.findManyOwned(tx, userId, ids)).map(toTaskResponse) };
    });
  }

  /** Moves up to 100 tasks (with their subtrees) to the trash, all or nothing. */
  async bulkDelete(userId: string, dto: BulkDeleteDto): Promise<{ deleted: number }> {
    const ids = distinctIds(dto.ids);
    return inTransaction(this.dataSource, async (tx) => {
      const locked = await this.tasks.lockOwned(tx, userId, ids);
      if (locked.length !== ids.length) throw new TaskAccessDeniedException();
      await this.tasks.trash(tx, userId, ids);
      return { deleted: ids.length };
    });
  }

  /** The ids ordered so that an ancestor comes before its descendants. */
  private async topDown(tx: EntityManager, userId: string, ids: readonly string[]): Promise<string[]> {
    const depth = new Map<string, number>();
    for (const id of ids) depth.set(id, (await this.tasks.ancestors(tx, userId, id, MAX_TASK_DEPTH)).length);
    return [...ids].sort((a, b) => (depth.get(a) as number) - (depth.get(b) as number));
  }

  /**
   * Validates `change` against the locked task and the rules, writes it, and
   * carries out what follows from it: the subtree moving along, a completed
   * parent's open subtasks completed, the next occurrence of a recurring
   * task created, done ancestors of a reopened task reopened and an untouched
   * next occurrence taken back. `prefix` names fields in errors (`set.` for
   * bulk).
   */
  private async applyChange(tx: EntityManager, userId: string, task: LockedTask, change: UpdateTaskDto, prefix = ''): Promise<void> {
    const values: TaskValues = {};
    if (change.title !== undefined) values.title = change.title;
    if (change.description !== undefined) values.description = change.description;
    if (change.priority !== undefined) values.priority = change.priority;
    if (change.tags !== undefined) values.tags = normalizeTags(change.tags);
    if (change.status !== undefined) values.status = change.status;
    const consequences = await this.placement(tx, userId, task, change, values, prefix);
    await this.dates(tx, userId, task, change, values, prefix);
    consequences.completed = change.status === 'done' && task.status !== 'done';
    consequences.reopened = change.status !== undefined && change.status !== 'done' && task.status === 'done';

    if (consequences.completed && task.recurrence && !task.next_occurrence_id) {
      // The next occurrence exists before the completed one is written, so
      // the completed one is written once, pointing at it.
      const successor = await this.nextOccurrenceOf(tx, userId, task, values);
      if (successor) {
        values.next_occurrence_id = successor.id;
        values.recurrence = { ...((values.recurrence ?? task.recurrence) as StoredRecurrence), successor_version: successor.version };
      }
    }
    await this.tasks.update(userId, task.id, values, {}, tx);

    if (consequences.moveSubtreeTo) {
      const subtree = await this.tasks.descendants(tx, userId, [task.id]);
      await this.tasks.moveToProject(tx, userId, subtree.map((d) => d.id), consequences.moveSubtreeTo);
    }
    if (consequences.completed) {
      const subtree = await this.tasks.descendants(tx, userId, [task.id]);
      await this.tasks.complete(tx, userId, subtree.map((d) => d.id));
    }
    if (consequences.reopened) {
      const ancestors = await this.tasks.ancestors(tx, userId, task.id, MAX_TASK_DEPTH);
      await this.tasks.reopen(tx, userId, ancestors.filter((a) => a.status === 'done').map((a) => a.id));
      if (task.next_occurrence_id && task.recurrence?.successor_version !== undefined) {
        // Undo: the occurrence created by the completion goes away again, unless it was changed since.
        await this.tasks.deleteIfAtVersion(tx, userId, task.next_occurrence_id, task.recurrence.successor_version);
      }
    }
  }

  /** Project, parent and position: checked, written into `values`; what moves along is returned. */
  private async placement(
    tx: EntityManager,
    userId: string,
    task: LockedTask,
    change: UpdateTaskDto,
    values: TaskValues,
    prefix: string,
  ): Promise<Consequences> {
    const consequences: Consequences = { completed: false, reopened: false };
    let projectId = task.project_id;
    let parentId = task.parent_id;
    const newParent = change.parent_id === undefined ? undefined : change.parent_id === null ? null : change.parent_id.toLowerCase();
    if (newParent !== undefined && newParent !== task.parent_id) {
      if (newParent === null) {
        parentId = null;
        if (change.project_id !== undefined) projectId = await this.ownedProject(tx, userId, change.project_id, `${prefix}project_id`);
      } else {
        const [parent] = await this.tasks.lockOwned(tx, userId, [newParent]);
        if (!parent) throw invalid(`${prefix}parent_id`, 'parent_id must be one of your tasks (not in the trash)');
        const chain = [parent.id, ...(await this.tasks.ancestors(tx, userId, parent.id, MAX_TASK_DEPTH)).map((a) => a.id)];
        const subtree = await this.tasks.descendants(tx, userId, [task.id]);
        const height = 1 + Math.max(0, ...subtree.map((d) => d.depth));
        const problem = placementProblem({ id: task.id, parentChain: chain, subtreeHeight: height, maxDepth: MAX_TASK_DEPTH });
        if (problem === 'cycle') throw invalid(`${prefix}parent_id`, 'a task cannot be placed under itself or one of its subtasks');
        if (problem === 'too-deep') throw invalid(`${prefix}parent_id`, `subtasks nest at most ${MAX_TASK_DEPTH} levels deep`);
        if (change.project_id !== undefined && change.project_id.toLowerCase() !== parent.project_id) {
          throw invalid(`${prefix}project_id`, "a subtask lives in its parent's project: leave project_id out, or give the parent's");
        }
        parentId = parent.id;
        projectId = parent.project_id;
      }
    } else if (change.project_id !== undefined && change.project_id.toLowerCase() !== task.project_id) {
      if (task.parent_id !== null) {
        throw invalid(`${prefix}project_id`, "a subtask lives in its parent's project: move the parent, or set parent_id to null");
      }
      projectId = await this.ownedProject(tx, userId, change.project_id, `${prefix}project_id`);
    }
    const moved = projectId !== task.project_id || parentId !== task.parent_id;
    if (moved) {
      values.project_id = projectId;
      values.parent_id = parentId;
      if (projectId !== task.project_id) consequences.moveSubtreeTo = projectId;
    }
    if (change.position !== undefined) values.position = change.position;
    else if (moved) values.position = positionAfter(await this.tasks.lastPosition(tx, projectId, parentId));
    return consequences;
  }

  /** Due date, due time and recurrence: checked together, written into `values`. */
  private async dates(
    tx: EntityManager,
    userId: string,
    task: LockedTask,
    change: UpdateTaskDto,
    values: TaskValues,
    prefix: string,
  ): Promise<void> {
    const dueDate = change.due_date !== undefined ? change.due_date : task.due_date;
    if (change.due_date !== undefined) values.due_date = change.due_date;
    if (change.due_time !== undefined) {
      if (change.due_time !== null && dueDate === null) throw invalid(`${prefix}due_time`, 'due_time needs a due_date');
      values.due_time = change.due_time;
    } else if (dueDate === null && task.due_time !== null) {
      // Clearing the date clears the time of day with it.
      values.due_time = null;
    }
    if (change.recurrence !== undefined) {
      if (change.recurrence === null) values.recurrence = null;
      else {
        values.recurrence = await this.newRecurrence(tx, userId, change.recurrence, dueDate, prefix);
        if (!task.series_id) values.series_id = randomUUID();
      }
    } else if (task.recurrence) {
      if (dueDate === null) throw invalid(`${prefix}due_date`, 'a recurring task needs a due_date: set recurrence to null first, or with it');
      // A recurring task moved to another date: the series follows from there.
      if (change.due_date !== undefined && change.due_date !== task.due_date) values.recurrence = { ...task.recurrence, start: dueDate };
    }
  }

  private async newRecurrence(
    tx: EntityManager,
    userId: string,
    recurrence: RecurrenceDto,
    dueDate: string | null,
    prefix = '',
  ): Promise<StoredRecurrence> {
    if (dueDate === null) throw invalid(`${prefix}recurrence`, 'a recurring task needs a due_date');
    try {
      assertRepeats(recurrence.rrule, dueDate, await this.users.timeZoneOf(userId, tx));
    } catch (error) {
      if (error instanceof RecurrenceRuleError) throw invalid(`${prefix}recurrence.rrule`, `recurrence.rrule ${error.part}: ${error.message}`);
      throw error;
    }
    return { rrule: recurrence.rrule, from: recurrence.from, start: dueDate, n: 1 };
  }

  /**
   * Creates the occurrence that follows `task`, now being completed with
   * `values`: the same title, description, priority, tags, project, parent,
   * place, time of day, rule and series, open copies of its subtasks, and
   * the next due date of the rule in the user's time zone, and the version
   * it starts at. Undefined when the series has ended.
   */
  private async nextOccurrenceOf(
    tx: EntityManager,
    userId: string,
    task: LockedTask,
    values: TaskValues,
  ): Promise<{ id: string; version: number } | undefined> {
    const recurrence = (values.recurrence ?? task.recurrence) as StoredRecurrence;
    const dueDate = (values.due_date ?? task.due_date) as string;
    const timeZone = await this.users.timeZoneOf(userId, tx);
    const today = Temporal.Now.plainDateISO(timeZone).toString();
    const next = nextOccurrence(recurrence, { dueDate, completedOn: today }, today, timeZone);
    if (!next) return undefined;
    const current = await this.tasks.findOwned(userId, task.id, tx);
    if (!current) return undefined;
    const successor = await this.tasks.insert(tx, userId, {
      title: values.title ?? current.title,
      description: values.description !== undefined ? values.description : current.description,
      status: 'todo',
      priority: values.priority !== undefined ? values.priority : current.priority,
      tags: values.tags ?? current.tags,
      due_date: next.dueDate,
      due_time: values.due_time !== undefined ? values.due_time : current.due_time,
      project_id: values.project_id ?? current.project_id,
      parent_id: values.parent_id !== undefined ? values.parent_id : current.parent_id,
      // In the completed one's place, so it takes its place in a list.
      position: values.position ?? Number(current.position),
      recurrence: { rrule: recurrence.rrule, from: recurrence.from, start: recurrence.start, n: next.n },
      series_id: task.series_id ?? randomUUID(),
    });
    await this.tasks.copyOpenSubtree(tx, userId, task.id, successor.id, successor.project_id);
    // Copying the subtasks advanced its version (its counts changed): this is the version it starts at.
    return { id: successor.id, version: (await this.tasks.versionOf(tx, userId, successor.id)) as number };
  }

  private async ownedProject(tx: EntityManager, userId: string, projectId: string, field: string): Promise<string> {
    const id = projectId.toLowerCase();
    if (!(await this.projects.isOwned(tx, userId, id))) throw invalid(field, `${field} must be one of your projects`);
    return id;
  }

  /** If-Match and If-None-Match against a locked task: a 412 with the task as it is, else nothing. */
  private async checkPreconditions(tx: EntityManager, userId: string, task: LockedTask, { ifMatch, ifNoneMatch }: WritePreconditions): Promise<void> {
    const matchFails = ifMatch !== undefined && !ifMatch.any && !ifMatch.versions.includes(task.version);
    const noneMatchFails = ifNoneMatch !== undefined && (ifNoneMatch.any || ifNoneMatch.versions.includes(task.version));
    if (!matchFails && !noneMatchFails) return;
    const current = await this.findOwnedOrFail(userId, task.id, tx);
    throw noneMatchFails ? new PreconditionFailedException(current, IF_NONE_MATCH_FAILED) : new PreconditionFailedException(current);
  }

  /** The task is not there (the guard saw it a moment ago; it was deleted since), or the caller is gone. */
  private async gone(userId: string): Promise<Error> {
    await this.users.assertExists(userId);
    return new TaskAccessDeniedException();
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

function namesVersions(expected: ExpectedVersions | undefined): boolean {
  return expected !== undefined && !expected.any;
}

function invalid(field: string, message: string): ValidationFailedException {
  const detail: ErrorDetail = { field, message };
  return new ValidationFailedException([detail]);
}

/**
 * The values of a bulk change that needs no rule per task, or undefined:
 * a priority, or dates on tasks that do not repeat (a recurring task's
 * series follows its date), checked here against every locked task.
 */
function plainBulkChange(set: UpdateTaskDto, locked: readonly LockedTask[]): TaskValues | undefined {
  const keys = Object.keys(set).filter((key) => (set as Record<string, unknown>)[key] !== undefined);
  const dates = keys.filter((key) => key === 'due_date' || key === 'due_time');
  if (keys.some((key) => key !== 'priority' && key !== 'due_date' && key !== 'due_time')) return undefined;
  if (dates.length > 0 && locked.some((task) => task.recurrence)) return undefined;
  const values: TaskValues = {};
  if (set.priority !== undefined) values.priority = set.priority;
  if (set.due_date !== undefined) values.due_date = set.due_date;
  if (set.due_time !== undefined) values.due_time = set.due_time;
  if (set.due_time !== undefined && set.due_time !== null) {
    const dateless = locked.find((task) => (set.due_date !== undefined ? set.due_date : task.due_date) === null);
    if (dateless) throw invalid('set.due_time', 'due_time needs a due_date');
  }
  // Clearing the date clears the time of day with it.
  if (set.due_date === null) values.due_time = null;
  return values;
}

/** Lower case, and refused when an id is given twice (the DTO checks the shape). */
function distinctIds(ids: readonly string[]): string[] {
  const lower = ids.map((id) => id.toLowerCase());
  if (new Set(lower).size !== lower.length) throw invalid('ids', 'ids must not repeat an id');
  return lower;
}

/** The owner no longer exists (a foreign key violation on insert): their token is no longer valid. */
function userGone(error: unknown): unknown {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23503') {
    const constraint = (error.driverError as { constraint?: string }).constraint;
    if (constraint === 'tasks_user_id_fkey') return new InvalidTokenException();
  }
  return error;
}

