import { applyDecorators, type CanActivate, type ExecutionContext, ForbiddenException, Injectable, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import type { AuthUser } from './current-user.decorator.js';

/** What a personal API token may be allowed to do. */
export const API_TOKEN_SCOPES = ['tasks:read', 'tasks:write', 'projects:read', 'projects:write', 'webhooks'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** A write scope includes reading the same resources. */
const IMPLIED: Partial<Record<ApiTokenScope, ApiTokenScope>> = { 'tasks:write': 'tasks:read', 'projects:write': 'projects:read' };

export const REQUIRED_SCOPE = 'requiredScope';

/**
 * The scope a personal API token needs to call this route. Routes without it
 * refuse personal tokens altogether (403): a new route is closed to them
 * until someone decides which scope it belongs to. Sessions' access tokens
 * are not limited by scopes. Never put it on account routes (`/api/me/*`,
 * `/auth/*`): ScopeGuard refuses tokens there whatever the route says.
 */
export const Scopes = (scope: ApiTokenScope) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    // For integrators reading the OpenAPI document: the scope a personal token needs here.
    ApiExtension('x-required-scope', scope),
  );

export function grantsScope(granted: readonly string[], needed: ApiTokenScope): boolean {
  return granted.some((scope) => scope === needed || IMPLIED[scope as ApiTokenScope] === needed);
}

/**
 * The scope a personal token needs to receive an event of this type on the
 * event stream (which itself needs tasks:read): project names and colours
 * are projects:read's, tasks and views are tasks:read's.
 */
export function scopeForEvent(type: string): ApiTokenScope {
  return type.startsWith('project.') ? 'projects:read' : 'tasks:read';
}

/** Routes a personal token never reaches, whatever their decorators say. */
const ACCOUNT_ROUTES = /^\/(auth|api\/me)(\/|$)/;

export class InsufficientScopeException extends ForbiddenException {
  constructor(
    message: string,
    readonly scope?: ApiTokenScope,
  ) {
    super(message);
  }
}

/**
 * Global, after the authentication guard: a request made with a personal API
 * token must be on a route whose @Scopes the token holds. 403 with
 * `insufficient_scope` otherwise (RFC 6750), and always on account routes.
 */
@Injectable()
export class ScopeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ user?: AuthUser; routeOptions?: { url?: string }; url: string }>();
    const credential = request.user?.credential;
    if (credential?.kind !== 'api-token') return true;
    const path = request.routeOptions?.url ?? request.url.split('?')[0];
    if (ACCOUNT_ROUTES.test(path)) {
      throw new InsufficientScopeException(
        'insufficient_scope: account routes need a signed-in session, not a personal API token',
      );
    }
    const needed = this.reflector.getAllAndOverride<ApiTokenScope | undefined>(REQUIRED_SCOPE, [context.getHandler(), context.getClass()]);
    if (!needed) throw new InsufficientScopeException('insufficient_scope: this route does not accept personal API tokens');
    if (!grantsScope(credential.scopes, needed)) {
      throw new InsufficientScopeException(`insufficient_scope: this route needs the ${needed} scope`, needed);
    }
    return true;
  }
}
