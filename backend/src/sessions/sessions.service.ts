import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import type { EntityManager } from 'typeorm';
import { newSecretToken, tokenHash } from '../common/secret-token.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { deviceLabel } from './device-label.js';
import { type SessionResponse, toSessionResponse } from './dto/session.response.js';
import { SessionsRepository } from './sessions.repository.js';

/** Who is asking, as far as a session cares: shown in the session list. */
export interface ClientInfo {
  readonly userAgent?: string;
  readonly ip: string | null;
}

export interface StartedSession {
  readonly sessionId: string;
  readonly refreshToken: string;
}

export interface RefreshedSession {
  readonly userId: string;
  readonly sessionId: string;
  /** Absent when the token presented was rotated away moments ago (another tab): the cookie already holds its successor. */
  readonly refreshToken?: string;
}

export class InvalidRefreshTokenException extends HttpException {
  constructor(message = 'No valid session: log in again') {
    super(message, HttpStatus.UNAUTHORIZED);
  }
}

export class SessionAccessDeniedException extends HttpException {
  constructor() {
    super('Access denied: session not found or not owned by user', HttpStatus.FORBIDDEN);
  }
}

/**
 * Sessions that last: a refresh token (256 random bits, stored as a hash)
 * per signed-in device, rotated on every refresh. A rotated token presented
 * again means two parties hold the session's tokens, one of them not its
 * owner: the session is ended (reuse detection). Only within
 * REFRESH_GRACE_SECONDS of its rotation does the previous token still
 * refresh the same session, because two tabs of one browser that refresh at
 * the same moment both send it.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Sessions');

  constructor(
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Seconds the refresh cookie lives: a session lives this long after its last use. */
  get refreshMaxAgeSeconds(): number {
    return this.config.refreshTtlDays * 86_400;
  }

  async start(manager: EntityManager | undefined, userId: string, client: ClientInfo): Promise<StartedSession> {
    const refreshToken = newSecretToken();
    const create = (m: EntityManager) =>
      this.sessions.create(m, {
        userId,
        deviceLabel: deviceLabel(client.userAgent),
        ip: client.ip,
        ttlDays: this.config.refreshTtlDays,
        tokenHash: tokenHash(refreshToken),
      });
    const sessionId = manager ? await create(manager) : await this.sessions.transaction(create);
    return { sessionId, refreshToken };
  }

  async refresh(refreshToken: string | undefined, client: ClientInfo): Promise<RefreshedSession> {
    if (!refreshToken) throw new InvalidRefreshTokenException();
    const outcome = await this.sessions.transaction(async (manager) => {
      const found = await this.sessions.findByToken(manager, tokenHash(refreshToken));
      if (!found || found.expired) return { kind: 'invalid' as const };
      const session = { userId: found.user_id, sessionId: found.session_id };
      if (found.rotated_at === null) {
        const next = newSecretToken();
        await this.sessions.rotate(manager, found.session_id, {
          newHash: tokenHash(next),
          ip: client.ip,
          ttlDays: this.config.refreshTtlDays,
        });
        return { kind: 'ok' as const, session: { ...session, refreshToken: next } };
      }
      if ((found.rotated_seconds_ago ?? Infinity) <= this.config.refreshGraceSeconds) {
        await this.sessions.touch(manager, found.session_id, client.ip, this.config.refreshTtlDays);
        return { kind: 'ok' as const, session };
      }
      // Committed, then refused: the revocation must not roll back with the error.
      await this.sessions.delete(manager, found.user_id, found.session_id);
      return { kind: 'reused' as const, session };
    });
    if (outcome.kind === 'ok') return outcome.session;
    if (outcome.kind === 'reused') {
      this.logger.warn(
        `A rotated refresh token was presented again: session ${outcome.session.sessionId} of user ${outcome.session.userId} ended`,
      );
      throw new InvalidRefreshTokenException('This session has ended because its refresh token was used twice: log in again');
    }
    throw new InvalidRefreshTokenException();
  }

  /** Log out: the session presenting this refresh token (or this id) ends. Unknown ones are ignored. */
  async end(refreshToken: string | undefined, session: { userId: string; sessionId: string } | undefined): Promise<void> {
    if (refreshToken) {
      await this.sessions.transaction(async (manager) => {
        const found = await this.sessions.findByToken(manager, tokenHash(refreshToken));
        if (found) await this.sessions.delete(manager, found.user_id, found.session_id);
      });
    }
    if (session) await this.sessions.delete(undefined, session.userId, session.sessionId);
  }

  async list(userId: string, currentSessionId: string | undefined): Promise<SessionResponse[]> {
    return (await this.sessions.list(userId)).map((row) => toSessionResponse(row, currentSessionId));
  }

  async revoke(userId: string, sessionId: string): Promise<void> {
    if (!(await this.sessions.delete(undefined, userId, sessionId))) throw new SessionAccessDeniedException();
  }

  /** "Sign out everywhere else". */
  revokeOthers(userId: string, currentSessionId: string | undefined): Promise<number> {
    return this.sessions.deleteOthers(undefined, userId, currentSessionId);
  }

  /** Whether the session may still be used (stream tickets and streams ask). */
  isActive(userId: string, sessionId: string): Promise<boolean> {
    return this.sessions.exists(userId, sessionId);
  }

  /**
   * A new password: every other session ends, and the current one gets a new
   * refresh token; its old tokens count as rotated long ago, so presenting one
   * again (a copy someone else holds) ends the session too.
   */
  async afterPasswordChange(
    manager: EntityManager,
    userId: string,
    currentSessionId: string | undefined,
    client: ClientInfo,
  ): Promise<string | undefined> {
    await this.sessions.deleteOthers(manager, userId, currentSessionId);
    // The access token can outlive its session (it is checked without a database read).
    if (!currentSessionId || !(await this.sessions.exists(userId, currentSessionId, manager))) return undefined;
    const next = newSecretToken();
    await this.sessions.rotate(manager, currentSessionId, {
      newHash: tokenHash(next),
      ip: client.ip,
      ttlDays: this.config.refreshTtlDays,
      rotatedSecondsAgo: this.config.refreshGraceSeconds + 1,
    });
    return next;
  }

  @Interval('session-purge', 10 * 60_000)
  async purgeExpired(): Promise<void> {
    try {
      const deleted = await this.sessions.purgeExpired();
      if (deleted > 0) this.logger.log(`Purged ${deleted} expired session(s)`);
    } catch (error) {
      this.logger.warn(`Session purge failed: ${(error as Error).message}`);
    }
  }
}
