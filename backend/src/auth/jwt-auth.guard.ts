import { type ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiTokensService } from '../api-tokens/api-tokens.service.js';
import { InvalidTokenException } from '../common/api-errors.js';
import type { AuthUser } from '../common/current-user.decorator.js';
import { IS_PUBLIC } from '../common/public.decorator.js';
import { bearerToken } from './jwt.strategy.js';
import { VerifiedTokens } from './verified-tokens.js';

const API_TOKEN_BEARER = /^Bearer (evt_[A-Za-z0-9_-]{43})$/i;

/** The personal API token of `Authorization: Bearer evt_…`, exactly; null for anything else. */
export function apiTokenOf(request: { headers: Record<string, string | string[] | undefined> }): string | null {
  const header = request.headers.authorization;
  return typeof header === 'string' ? (API_TOKEN_BEARER.exec(header)?.[1] ?? null) : null;
}

/**
 * The one global guard: every route needs a valid bearer token unless it is
 * marked @Public(), so a new route is protected by default. The bearer is a
 * session's access token (a JWT, checked without a database read) or a
 * personal API token (`evt_…`, looked up by hash, cached for a few seconds);
 * ScopeGuard then limits the latter to its scopes. A session token verified
 * once is remembered until it expires (VerifiedTokens).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly verified = new VerifiedTokens();

  constructor(
    private readonly reflector: Reflector,
    private readonly apiTokens: ApiTokensService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; user?: AuthUser }>();
    const apiToken = apiTokenOf(request);
    if (apiToken) {
      request.user = await this.apiTokens.authenticate(apiToken);
      return true;
    }
    const token = bearerToken(request);
    const known = token === null ? undefined : this.verified.get(token);
    if (known) {
      request.user = known;
      return true;
    }
    const allowed = (await super.canActivate(context)) as boolean;
    if (allowed && token !== null && request.user) this.verified.set(token, request.user);
    return allowed;
  }

  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error instanceof HttpException) throw error;
    if (error || !user) {
      throw new InvalidTokenException(info instanceof Error && info.name === 'TokenExpiredError' ? 'Token expired' : 'Invalid token');
    }
    return user;
  }
}
