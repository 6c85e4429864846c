import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TaskAccessDeniedException } from '../common/api-errors.js';
import { positionAfter } from '../common/positions.js';
import { placementProblem } from '../common/tree.js';
import { inTransaction } from '../database/transaction.js';
import { UsersService } from '../users/users.service.js';
import { DEFAULT_LIMIT } from './dto/list-tasks.query.js';
import { type TaskResponse, type TrashedTaskResponse, toTaskResponse, toTrashedTaskResponse } from './dto/task.response.js';
import type { TrashQuery } from './dto/trash.query.js';
import { TasksRepository } from './tasks.repository.js';
import { MAX_TASK_DEPTH } from './tasks.service.js';

export interface TrashPage {
  readonly items: TrashedTaskResponse[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/**
 * The trash: what a deletion took away, listed, brought back or removed for
 * good. A restore brings back everything one deletion took (a task with the
 * subtasks that went with it), to its parent if the parent is still there,
 * else to the top of its project; tasks of a deleted project come back in the
 * Inbox (they were moved there when the project went).
 */
@Injectable()
export class TrashService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly users: UsersService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(userId: string, query: TrashQuery): Promise<TrashPage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const offset = query.offset ?? 0;
    const { rows, total } = await this.tasks.listTrash(userId, limit, offset);
    if (rows.length === 0) await this.users.assertExists(userId);
    return { items: rows.map((row) => toTrashedTaskResponse(row as typeof row & { deleted_at: Date })), total, limit, offset };
  }

  async restore(userId: string, id: string): Promise<TaskResponse> {
    return inTransaction(this.dataSource, async (tx) => {
      const trashed = await this.tasks.lockTrashed(tx, userId, id);
      if (!trashed) throw await this.notInTrash(userId);
      let projectId = trashed.project_id;
      let parentId: string | null = null;
      let position: number | undefined;
      if (trashed.parent_id) {
        const [parent] = await this.tasks.lockOwned(tx, userId, [trashed.parent_id]);
        if (parent) {
          const chain = [parent.id, ...(await this.tasks.ancestors(tx, userId, parent.id, MAX_TASK_DEPTH)).map((a) => a.id)];
          // The tree may have grown deeper meanwhile; then the task comes back at the top.
          if (!placementProblem({ id: trashed.id, parentChain: chain, subtreeHeight: 1, maxDepth: MAX_TASK_DEPTH })) {
            parentId = parent.id;
            projectId = parent.project_id;
          }
        }
        if (parentId === null) position = positionAfter(await this.tasks.lastPosition(tx, projectId, null));
      }
      await this.tasks.restore(tx, userId, trashed.id, { projectId, parentId, position });
      const row = await this.tasks.findOwned(userId, trashed.id, tx);
      return toTaskResponse(row as NonNullable<typeof row>);
    });
  }

  async deleteForGood(userId: string, id: string): Promise<void> {
    await inTransaction(this.dataSource, async (tx) => {
      if (!(await this.tasks.lockTrashed(tx, userId, id))) throw await this.notInTrash(userId);
      await this.tasks.purgeFromTrash(tx, userId, id);
    });
  }

  async empty(userId: string): Promise<void> {
    if ((await this.tasks.emptyTrash(userId)) === 0) await this.users.assertExists(userId);
  }

  private async notInTrash(userId: string): Promise<Error> {
    await this.users.assertExists(userId);
    return new TaskAccessDeniedException();
  }
}
