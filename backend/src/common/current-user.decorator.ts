import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** What the JWT guard leaves on the request: the token's subject, checked to exist. */
export interface AuthUser {
  readonly id: string;
}

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser => context.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
