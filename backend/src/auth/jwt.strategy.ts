import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { InvalidTokenException } from '../common/api-errors.js';
import type { AuthUser } from '../common/current-user.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

interface JwtPayload {
  sub?: unknown;
  exp?: unknown;
  /** The session the token was issued to (absent on tokens from before sessions existed). */
  sid?: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `Authorization: Bearer <jwt>` and nothing else. passport-jwt's own
 * extractor takes the first word after the scheme and ignores whatever
 * follows; a header that is not exactly one compact JWT is refused instead.
 */
const BEARER = /^Bearer ([\w-]+\.[\w-]+\.[\w-]*)$/i;

export function bearerToken(request: { headers: Record<string, string | string[] | undefined> }): string | null {
  const header = request.headers.authorization;
  return typeof header === 'string' ? (BEARER.exec(header)?.[1] ?? null) : null;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({
      // The Authorization header only: tokens in URLs end up in logs and histories.
      jwtFromRequest: bearerToken,
      // A KeyObject: given a string, jsonwebtoken re-derives the key (and first
      // tries, and fails, to parse it as a public key) on every verify. The
      // typings predate KeyObject support, hence the cast.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as Buffer,
      // Pinned: no `none`, no other HMAC strength, no RS/HS key confusion.
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /**
   * No database query here: every task query is scoped by this id, and a
   * deleted user's tasks are gone with them (ON DELETE CASCADE). So a query
   * that finds rows proves the user exists, and only an empty answer pays for
   * the check (UsersService.assertExists) that turns it into a 401.
   */
  validate(payload: JwtPayload): AuthUser {
    // jsonwebtoken accepts a token without `exp`; a token that never expires is refused here.
    if (typeof payload.exp !== 'number' || typeof payload.sub !== 'string' || !UUID.test(payload.sub)) {
      throw new InvalidTokenException();
    }
    if (payload.sid !== undefined && (typeof payload.sid !== 'string' || !UUID.test(payload.sid))) throw new InvalidTokenException();
    return {
      id: payload.sub,
      expiresAt: payload.exp * 1000,
      credential: { kind: 'session', ...(payload.sid !== undefined && { sessionId: (payload.sid as string).toLowerCase() }) },
    };
  }
}
