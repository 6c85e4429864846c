import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** What the JWT guard leaves on the request: the token's subject, checked to exist. */
export interface AuthUser {
  readonly id: string;
  /**
   * When the credential that authenticated the request expires (epoch ms):
   * the token's `exp`. Work that outlives the request, such as an event
   * stream, ends then.
   */
  readonly expiresAt: number;
}

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser => context.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
