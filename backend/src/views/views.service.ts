import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { ConflictStateException, PreconditionFailedException, ViewAccessDeniedException } from '../common/api-errors.js';
import { caseInsensitiveKey } from '../common/case-fold.js';
import { positionAfter } from '../common/positions.js';
import type { WritePreconditions } from '../common/preconditions.js';
import { inTransaction } from '../database/transaction.js';
import { IdempotencyService, type Outcome } from '../idempotency/idempotency.service.js';
import { UsersService } from '../users/users.service.js';
import type { CreateViewDto } from './dto/create-view.dto.js';
import type { UpdateViewDto } from './dto/update-view.dto.js';
import { toViewResponse, type ViewResponse } from './dto/view.response.js';
import { type ViewValues, ViewsRepository } from './views.repository.js';

/** Saved views per user: every list answers all of them. */
export const MAX_VIEWS = 200;

@Injectable()
export class ViewsService {
  constructor(
    private readonly views: ViewsRepository,
    private readonly users: UsersService,
    private readonly idempotency: IdempotencyService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async list(userId: string): Promise<ViewResponse[]> {
    const rows = await this.views.list(userId);
    if (rows.length === 0) await this.users.assertExists(userId);
    return rows.map(toViewResponse);
  }

  async findOwnedOrFail(userId: string, id: string, manager?: EntityManager): Promise<ViewResponse> {
    const row = await this.views.findOwned(userId, id, manager);
    if (row) return toViewResponse(row);
    await this.users.assertExists(userId);
    throw new ViewAccessDeniedException();
  }

  async create(userId: string, dto: CreateViewDto, idempotencyKey?: string): Promise<Outcome<ViewResponse>> {
    return this.idempotency.run(userId, idempotencyKey, 'POST /api/views', dto, async (tx) => {
      if ((await this.views.count(tx, userId)) >= MAX_VIEWS) {
        throw new ConflictStateException(`You have ${MAX_VIEWS} saved views, the most there can be: delete one first`);
      }
      const values = {
        name: dto.name,
        name_key: caseInsensitiveKey(dto.name),
        query: dto.query,
        position: dto.position ?? positionAfter(await this.views.lastPosition(tx, userId)),
      };
      return toViewResponse(await nameTaken(() => this.views.insert(tx, userId, values)));
    });
  }

  async update(userId: string, id: string, dto: UpdateViewDto, conditions: WritePreconditions = {}): Promise<ViewResponse> {
    return inTransaction(this.dataSource, async (tx) => {
      await this.lockAndCheck(tx, userId, id, conditions);
      const values: ViewValues = {};
      if (dto.name !== undefined) {
        values.name = dto.name;
        values.name_key = caseInsensitiveKey(dto.name);
      }
      // A new query replaces the stored one whole.
      if (dto.query !== undefined) values.query = dto.query;
      if (dto.position !== undefined) values.position = dto.position;
      return toViewResponse(await nameTaken(() => this.views.update(tx, userId, id, values)));
    });
  }

  async remove(userId: string, id: string, conditions: WritePreconditions = {}): Promise<void> {
    await inTransaction(this.dataSource, async (tx) => {
      await this.lockAndCheck(tx, userId, id, conditions);
      await this.views.delete(tx, userId, id);
    });
  }

  private async lockAndCheck(tx: EntityManager, userId: string, id: string, { ifMatch, ifNoneMatch }: WritePreconditions): Promise<void> {
    const version = await this.views.lockVersion(tx, userId, id);
    if (version === undefined) {
      await this.users.assertExists(userId);
      throw new ViewAccessDeniedException();
    }
    const matchFails = ifMatch !== undefined && !ifMatch.any && !ifMatch.versions.includes(version);
    const noneMatchFails = ifNoneMatch !== undefined && (ifNoneMatch.any || ifNoneMatch.versions.includes(version));
    if (!matchFails && !noneMatchFails) return;
    throw new PreconditionFailedException(
      await this.findOwnedOrFail(userId, id, tx),
      noneMatchFails
        ? 'Precondition failed: If-None-Match matches the current version of the view'
        : 'Precondition failed: the view has changed since that version',
    );
  }
}

async function nameTaken<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (
      error instanceof QueryFailedError &&
      (error.driverError as { code?: string }).code === '23505' &&
      (error.driverError as { constraint?: string }).constraint === 'views_user_name_key'
    ) {
      throw new ConflictStateException('You already have a view with this name (names are compared ignoring case)');
    }
    throw error;
  }
}
