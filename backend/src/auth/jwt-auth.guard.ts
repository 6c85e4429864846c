import { type ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { InvalidTokenException } from '../common/api-errors.js';
import type { AuthUser } from '../common/current-user.decorator.js';
import { IS_PUBLIC } from '../common/public.decorator.js';

/**
 * The one global guard: every route needs a valid bearer token unless it is
 * marked @Public(), so a new route is protected by default.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<TUser = AuthUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error instanceof HttpException) throw error;
    if (error || !user) {
      throw new InvalidTokenException(info instanceof Error && info.name === 'TokenExpiredError' ? 'Token expired' : 'Invalid token');
    }
    return user;
  }
}
