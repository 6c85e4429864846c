import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { ValidationFailedException } from '../common/api-errors.js';
import type { AuthUser } from '../common/current-user.decorator.js';
import { UsersService } from '../users/users.service.js';
import type { ViewResponse } from './dto/view.response.js';
import { ViewsService } from './views.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ViewRequest {
  user: AuthUser;
  params: { id?: string };
  ownedView?: ViewResponse;
}

/**
 * Lets a request reach a `/api/views/:id` handler only when that view
 * belongs to the caller (one query by id and owner); another user's view
 * and a missing one get the same 403. The view is handed to the handler
 * (@OwnedView); writes are still scoped by user_id in the service.
 */
@Injectable()
export class ViewOwnershipGuard implements CanActivate {
  constructor(
    private readonly views: ViewsService,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ViewRequest>();
    const id = request.params.id ?? '';
    if (!UUID.test(id)) {
      await this.users.assertExists(request.user.id);
      throw new ValidationFailedException([{ field: 'id', message: 'id must be a UUID' }]);
    }
    request.ownedView = await this.views.findOwnedOrFail(request.user.id, id.toLowerCase());
    return true;
  }
}

export const OwnedView = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ViewResponse =>
    context.switchToHttp().getRequest<ViewRequest>().ownedView as ViewResponse,
);
