import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { ValidationFailedException } from '../common/api-errors.js';
import type { AuthUser } from '../common/current-user.decorator.js';
import { UsersService } from '../users/users.service.js';
import type { ProjectResponse } from './dto/project.response.js';
import { ProjectsService } from './projects.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ProjectRequest {
  user: AuthUser;
  params: { id?: string };
  ownedProject?: ProjectResponse;
}

/**
 * Lets a request reach a `/api/projects/:id` handler only when that project
 * belongs to the caller (one query by id and owner); another user's project
 * and a missing one get the same 403. The project is handed to the handler
 * (@OwnedProject); writes are still scoped by user_id in the service.
 */
@Injectable()
export class ProjectOwnershipGuard implements CanActivate {
  constructor(
    private readonly projects: ProjectsService,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ProjectRequest>();
    const id = request.params.id ?? '';
    if (!UUID.test(id)) {
      await this.users.assertExists(request.user.id);
      throw new ValidationFailedException([{ field: 'id', message: 'id must be a UUID' }]);
    }
    request.ownedProject = await this.projects.findOwnedOrFail(request.user.id, id.toLowerCase());
    return true;
  }
}

export const OwnedProject = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ProjectResponse =>
    context.switchToHttp().getRequest<ProjectRequest>().ownedProject as ProjectResponse,
);
