import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { TaskAccessDeniedException, ValidationFailedException } from '../common/api-errors.js';
import type { AuthUser } from '../common/current-user.decorator.js';
import type { TaskResponse } from './dto/task.response.js';
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
  constructor(private readonly tasks: TasksService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TaskRequest>();
    const id = request.params.id ?? '';
    // Guards run before pipes, so the id is checked here before it reaches SQL.
    if (!UUID.test(id)) throw new ValidationFailedException([{ field: 'id', message: 'id must be a UUID' }]);
    const task = await this.tasks.findOwned(request.user.id, id);
    if (!task) throw new TaskAccessDeniedException();
    request.ownedTask = task;
    return true;
  }
}

/** The task TaskOwnershipGuard loaded for this request. */
export const OwnedTask = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TaskResponse =>
    context.switchToHttp().getRequest<TaskRequest>().ownedTask as TaskResponse,
);
