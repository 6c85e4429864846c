import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { ValidationFailedException } from '../common/api-errors.js';
import type { AuthUser } from '../common/current-user.decorator.js';
import type { TaskResponse } from './dto/task.response.js';
import { UsersService } from '../users/users.service.js';
import { TasksService } from './tasks.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface TaskRequest {
  user: AuthUser;
  params: { id?: string };
  ownedTask?: TaskResponse;
}

/**
 * Lets a request reach a `/api/tasks/:id` handler only when that task belongs
 * to the caller. Another user's task and a missing one both get the same 403.
 * The task it loaded is handed to the handler (@OwnedTask) so a read costs
 * one query; writes are still scoped by user_id in the service.
 */
@Injectable()
export class TaskOwnershipGuard implements CanActivate {
  constructor(
    private readonly tasks: TasksService,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TaskRequest>();
    const id = request.params.id ?? '';
    // Guards run before pipes, so the id is checked here before it reaches SQL
    // (after the caller: a deleted user's token is a 401 whatever the id).
    if (!UUID.test(id)) {
      await this.users.assertExists(request.user.id);
      throw new ValidationFailedException([{ field: 'id', message: 'id must be a UUID' }]);
    }
    request.ownedTask = await this.tasks.findOwnedOrFail(request.user.id, id);
    return true;
  }
}

/** The task TaskOwnershipGuard loaded for this request. */
export const OwnedTask = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TaskResponse =>
    context.switchToHttp().getRequest<TaskRequest>().ownedTask as TaskResponse,
);
