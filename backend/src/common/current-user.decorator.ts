import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** How a request was authenticated. */
export type Credential =
  /** A session's access token (JWT). `sessionId` is absent on tokens issued before sessions existed. */
  | { readonly kind: 'session'; readonly sessionId?: string }
  /** A personal API token (`evt_…`), limited to its scopes. */
  | { readonly kind: 'api-token'; readonly tokenId: string; readonly scopes: readonly string[] };

/** What the authentication guard leaves on the request: the caller, and how they proved it. */
export interface AuthUser {
  readonly id: string;
  /**
   * When the credential that authenticated the request expires (epoch ms):
   * the token's `exp`. Work that outlives the request, such as an event
   * stream, ends then.
   */
  readonly expiresAt: number;
  readonly credential: Credential;
}

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser => context.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
