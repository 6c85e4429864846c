import { createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiTokensService } from '../api-tokens/api-tokens.service.js';
import { apiTokenOf, JwtAuthGuard } from '../auth/jwt-auth.guard.js';
import type { AuthUser } from '../common/current-user.decorator.js';
import { grantsScope, InsufficientScopeException } from '../common/scopes.js';
import { EventTicketsService, type TicketClaims } from './event-tickets.service.js';

interface EventStreamRequest {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  user?: AuthUser;
  eventTicket?: TicketClaims;
}

/**
 * `GET /api/events` is @Public() to get past the global guard, which knows
 * bearer tokens only; this guard accepts a bearer token under exactly the
 * same rules (the same passport strategy and the same 401s), or, when no
 * Authorization header is sent, a `ticket` query parameter, for EventSource,
 * which cannot send headers. The ticket is only verified here; it is used up
 * when the stream opens, after the request has passed validation.
 */
@Injectable()
export class EventStreamAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly tickets: EventTicketsService,
    private readonly apiTokens: ApiTokensService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<EventStreamRequest>();
    const ticket = request.query?.ticket;
    if (request.headers.authorization === undefined && ticket !== undefined) {
      const claims = await this.tickets.verify(ticket);
      request.user = { id: claims.userId, expiresAt: claims.tokenExpiresAt, credential: claims.credential };
      request.eventTicket = claims;
      return true;
    }
    // The route is public to the global guards, so the personal token's scope is checked here.
    const apiToken = apiTokenOf(request);
    if (apiToken) {
      const user = await this.apiTokens.authenticate(apiToken);
      if (user.credential.kind === 'api-token' && !grantsScope(user.credential.scopes, 'tasks:read')) {
        throw new InsufficientScopeException('insufficient_scope: this route needs the tasks:read scope', 'tasks:read');
      }
      request.user = user;
      return true;
    }
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    return JwtAuthGuard.prototype.handleRequest.call(this as unknown as JwtAuthGuard, error, user, info) as TUser;
  }
}

/** The ticket EventStreamAuthGuard accepted, if the stream was opened with one. */
export const StreamTicket = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TicketClaims | undefined =>
    context.switchToHttp().getRequest<EventStreamRequest>().eventTicket,
);
