import { forwardRef, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import {
  ConflictStateException,
  PreconditionFailedException,
  ProjectAccessDeniedException,
  ValidationFailedException,
} from '../common/api-errors.js';
import { caseInsensitiveKey } from '../common/case-fold.js';
import { positionAfter } from '../common/positions.js';
import type { WritePreconditions } from '../common/preconditions.js';
import { placementProblem } from '../common/tree.js';
import { inTransaction } from '../database/transaction.js';
import { IdempotencyService, type Outcome } from '../idempotency/idempotency.service.js';
import { TasksRepository } from '../tasks/tasks.repository.js';
import { UsersService } from '../users/users.service.js';
import type { CreateProjectDto } from './dto/create-project.dto.js';
import type { DeleteProjectQuery } from './dto/delete-project.query.js';
import { type ProjectResponse, toProjectResponse } from './dto/project.response.js';
import type { UpdateProjectDto } from './dto/update-project.dto.js';
import { type LockedProject, type ProjectValues, ProjectsRepository } from './projects.repository.js';

/** Levels of projects: a top-level project and two levels of sub-projects. */
export const MAX_PROJECT_DEPTH = 3;
/** Projects per user: every list answers all of them at once. */
export const MAX_PROJECTS = 1000;

/** The rules of projects: names, nesting, the Inbox, and what deleting one does to its tasks. */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly projects: ProjectsRepository,
    @Inject(forwardRef(() => TasksRepository)) private readonly tasks: TasksRepository,
    private readonly users: UsersService,
    private readonly idempotency: IdempotencyService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(userId: string): Promise<ProjectResponse[]> {
    const rows = await this.projects.list(userId);
    // Every user has an Inbox: none at all means the caller was deleted.
    if (rows.length === 0) await this.users.assertExists(userId);
    return rows.map(toProjectResponse);
  }

  /** One query by id and owner: not found and not yours are the same 403. */
  async findOwnedOrFail(userId: string, id: string, manager?: EntityManager): Promise<ProjectResponse> {
    const row = await this.projects.findOwned(userId, id, manager);
    if (row) return toProjectResponse(row);
    await this.users.assertExists(userId);
    throw new ProjectAccessDeniedException();
  }

  async create(userId: string, dto: CreateProjectDto, idempotencyKey?: string): Promise<Outcome<ProjectResponse>> {
    return this.idempotency.run(userId, idempotencyKey, 'POST /api/projects', dto, async (tx) => {
      if ((await this.projects.count(tx, userId)) >= MAX_PROJECTS) {
        throw new ConflictStateException(`You have ${MAX_PROJECTS} projects, the most there can be: delete one first`);
      }
      const parentId = dto.parent_id ? await this.placeable(tx, userId, undefined, dto.parent_id, 1) : null;
      const values = {
        name: dto.name,
        name_key: caseInsensitiveKey(dto.name),
        color: dto.color ?? null,
        parent_id: parentId,
        position: dto.position ?? positionAfter(await this.projects.lastPosition(tx, userId, parentId)),
      };
      return toProjectResponse(await nameTaken(() => this.projects.insert(tx, userId, values)));
    });
  }

  async update(userId: string, id: string, dto: UpdateProjectDto, conditions: WritePreconditions = {}): Promise<ProjectResponse> {
    return inTransaction(this.dataSource, async (tx) => {
      const project = await this.lockOrFail(tx, userId, id);
      await this.checkPreconditions(tx, userId, project, conditions);
      const values: ProjectValues = {};
      if (dto.name !== undefined && dto.name !== project.name) {
        if (project.is_inbox) throw invalid('name', 'the Inbox cannot be renamed');
        values.name = dto.name;
        values.name_key = caseInsensitiveKey(dto.name);
      }
      if (dto.color !== undefined) values.color = dto.color;
      const parentId = dto.parent_id === undefined ? undefined : dto.parent_id === null ? null : dto.parent_id.toLowerCase();
      if (parentId !== undefined && parentId !== project.parent_id) {
        if (project.is_inbox) throw invalid('parent_id', 'the Inbox cannot be moved under another project');
        const height = 1 + Math.max(0, ...(await this.projects.descendants(tx, userId, project.id)).map((d) => d.depth));
        values.parent_id = parentId === null ? null : await this.placeable(tx, userId, project.id, parentId, height);
        if (dto.position === undefined) values.position = positionAfter(await this.projects.lastPosition(tx, userId, values.parent_id));
      }
      if (dto.position !== undefined) values.position = dto.position;
      await nameTaken(() => this.projects.update(tx, userId, project.id, values));
      return this.findOwnedOrFail(userId, project.id, tx);
    });
  }

  /**
   * Deletes a project. One with live tasks or sub-projects is refused (409)
   * unless the caller says what happens to them: `trash` (its tasks to the
   * trash, its sub-projects deleted the same way) or `move` (its tasks and
   * sub-projects to another project). Never a silent cascade. Tasks already
   * in its trash go to the Inbox, where a restore will find a home.
   */
  async remove(userId: string, id: string, query: DeleteProjectQuery, conditions: WritePreconditions = {}): Promise<void> {
    if (query.tasks === 'move' && query.to === undefined) throw invalid('to', 'to is required with tasks=move');
    if (query.tasks !== 'move' && query.to !== undefined) throw invalid('to', 'to is only for tasks=move');
    await inTransaction(this.dataSource, async (tx) => {
      const project = await this.lockOrFail(tx, userId, id);
      await this.checkPreconditions(tx, userId, project, conditions);
      if (project.is_inbox) throw new ConflictStateException('The Inbox cannot be deleted');
      const subprojects = await this.projects.descendants(tx, userId, project.id);
      const everything = [project.id, ...subprojects.map((s) => s.id)];
      const inbox = (await this.projects.inboxOf(tx, userId)) as string;

      if (query.tasks === 'move') {
        const to = (query.to as string).toLowerCase();
        if (!(await this.projects.isOwned(tx, userId, to))) throw invalid('to', 'to must be one of your projects');
        if (everything.includes(to)) throw invalid('to', 'to must be a project outside the one being deleted');
        const children = subprojects.filter((s) => s.parent_id === project.id);
        for (const child of children) {
          const height = 1 + Math.max(0, ...(await this.projects.descendants(tx, userId, child.id)).map((d) => d.depth));
          await this.placeable(tx, userId, child.id, to, height, 'to');
        }
        await this.tasks.moveAllToProject(tx, userId, [project.id], to);
        let last = await this.projects.lastPosition(tx, userId, to);
        for (const child of children) {
          last = positionAfter(last);
          await nameTaken(() => this.projects.update(tx, userId, child.id, { parent_id: to, position: last }));
        }
        await this.projects.delete(tx, userId, [project.id]);
        return;
      }

      const liveTasks = await this.tasks.countLiveInProjects(tx, userId, everything);
      if ((liveTasks > 0 || subprojects.length > 0) && query.tasks !== 'trash') {
        throw new ConflictStateException(
          `The project has ${liveTasks} task(s) and ${subprojects.length} sub-project(s): delete it with ?tasks=trash, ` +
            'or ?tasks=move&to={project_id}',
        );
      }
      await this.tasks.trashAllInProjects(tx, userId, everything);
      await this.tasks.moveAllToProject(tx, userId, everything, inbox);
      await this.projects.delete(tx, userId, everything);
    });
  }

  /**
   * The parent a project (`id`, with a subtree `height` levels deep) may be
   * placed under, lower-cased: one of the caller's projects, not below the
   * project itself, and keeping the tree within MAX_PROJECT_DEPTH.
   */
  private async placeable(tx: EntityManager, userId: string, id: string | undefined, parentId: string, height: number, field = 'parent_id'): Promise<string> {
    const parent = parentId.toLowerCase();
    if (!(await this.projects.isOwned(tx, userId, parent))) throw invalid(field, `${field} must be one of your projects`);
    const chain = [parent, ...(await this.projects.ancestors(tx, userId, parent, MAX_PROJECT_DEPTH))];
    const problem = placementProblem({ id: id ?? '', parentChain: chain, subtreeHeight: height, maxDepth: MAX_PROJECT_DEPTH });
    if (problem === 'cycle') throw invalid(field, 'a project cannot be placed under itself or one of its sub-projects');
    if (problem === 'too-deep') throw invalid(field, `projects nest at most ${MAX_PROJECT_DEPTH} levels deep`);
    return parent;
  }

  private async lockOrFail(tx: EntityManager, userId: string, id: string): Promise<LockedProject> {
    const project = await this.projects.lock(tx, userId, id.toLowerCase());
    if (project) return project;
    await this.users.assertExists(userId);
    throw new ProjectAccessDeniedException();
  }

  private async checkPreconditions(tx: EntityManager, userId: string, project: LockedProject, { ifMatch, ifNoneMatch }: WritePreconditions): Promise<void> {
    const matchFails = ifMatch !== undefined && !ifMatch.any && !ifMatch.versions.includes(project.version);
    const noneMatchFails = ifNoneMatch !== undefined && (ifNoneMatch.any || ifNoneMatch.versions.includes(project.version));
    if (!matchFails && !noneMatchFails) return;
    const current = await this.findOwnedOrFail(userId, project.id, tx);
    throw new PreconditionFailedException(
      current,
      noneMatchFails
        ? 'Precondition failed: If-None-Match matches the current version of the project'
        : 'Precondition failed: the project has changed since that version',
    );
  }
}

function invalid(field: string, message: string): ValidationFailedException {
  return new ValidationFailedException([{ field, message }]);
}

/** A unique name clash (projects_user_parent_name_key) as the 409 it is. */
async function nameTaken<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (
      error instanceof QueryFailedError &&
      (error.driverError as { code?: string; constraint?: string }).code === '23505' &&
      (error.driverError as { constraint?: string }).constraint === 'projects_user_parent_name_key'
    ) {
      throw new ConflictStateException('A project with this name already exists there (names are compared ignoring case)');
    }
    throw error;
  }
}
