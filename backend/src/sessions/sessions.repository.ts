import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { BACKGROUND } from '../database/data-source-options.js';

export interface SessionRow {
  id: string;
  device_label: string;
  ip: string | null;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
}

export interface PresentedToken {
  session_id: string;
  user_id: string;
  expired: boolean;
  /** Null while the token is the session's current one. */
  rotated_at: Date | null;
  /** Seconds since it was rotated away, computed by the database's clock. */
  rotated_seconds_ago: number | null;
}

/** The SQL of sessions and their refresh tokens: the only code that knows these tables. */
@Injectable()
export class SessionsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectDataSource(BACKGROUND) private readonly background: DataSource,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async create(
    manager: EntityManager,
    session: { userId: string; deviceLabel: string; ip: string | null; ttlDays: number; tokenHash: string },
  ): Promise<string> {
    const [{ id }]: { id: string }[] = await manager.query(
      `INSERT INTO sessions (user_id, device_label, ip, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(days => $4)) RETURNING id`,
      [session.userId, session.deviceLabel, session.ip, session.ttlDays],
    );
    await manager.query('INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)', [session.tokenHash, id]);
    return id;
  }

  /**
   * The session a refresh token belongs to, both rows locked until the
   * transaction ends: concurrent refreshes with one token take turns, and the
   * second re-reads the token row the first rotated (it sees `rotated_at`).
   */
  async findByToken(manager: EntityManager, hash: string): Promise<PresentedToken | undefined> {
    const rows: PresentedToken[] = await manager.query(
      `SELECT s.id AS session_id, s.user_id, s.expires_at <= now() AS expired, t.rotated_at,
              extract(epoch FROM now() - t.rotated_at)::float8 AS rotated_seconds_ago
       FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
       WHERE t.token_hash = $1
       FOR UPDATE OF s, t`,
      [hash],
    );
    return rows[0];
  }

  /** Retires the session's current token (as of `rotatedSecondsAgo` ago), issues `newHash`, and extends the session from now. */
  async rotate(
    manager: EntityManager,
    sessionId: string,
    change: { newHash: string; ip: string | null; ttlDays: number; rotatedSecondsAgo?: number },
  ): Promise<void> {
    await manager.query(
      `UPDATE refresh_tokens SET rotated_at = now() - make_interval(secs => $2)
       WHERE session_id = $1 AND rotated_at IS NULL`,
      [sessionId, change.rotatedSecondsAgo ?? 0],
    );
    await manager.query('INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)', [change.newHash, sessionId]);
    await this.touch(manager, sessionId, change.ip, change.ttlDays);
  }

  async touch(manager: EntityManager, sessionId: string, ip: string | null, ttlDays: number): Promise<void> {
    await manager.query(
      `UPDATE sessions SET last_used_at = now(), expires_at = now() + make_interval(days => $3), ip = coalesce($2, ip)
       WHERE id = $1`,
      [sessionId, ip, ttlDays],
    );
  }

  async delete(manager: EntityManager | undefined, userId: string, sessionId: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await (manager ?? this.db).query('DELETE FROM sessions WHERE id = $1 AND user_id = $2', [
      sessionId,
      userId,
    ]);
    return affected > 0;
  }

  /** Every session of the user but `keep` (all of them when `keep` is undefined). */
  async deleteOthers(manager: EntityManager | undefined, userId: string, keep: string | undefined): Promise<number> {
    const [, affected]: [unknown, number] = await (manager ?? this.db).query(
      'DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2::uuid',
      [userId, keep ?? null],
    );
    return affected;
  }

  async exists(userId: string, sessionId: string, manager?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (manager ?? this.db).query('SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2 AND expires_at > now()', [
      sessionId,
      userId,
    ]);
    return rows.length > 0;
  }

  list(userId: string): Promise<SessionRow[]> {
    return this.db.query(
      `SELECT id, device_label, ip, created_at, last_used_at, expires_at FROM sessions
       WHERE user_id = $1 AND expires_at > now()
       ORDER BY last_used_at DESC, id`,
      [userId],
    );
  }

  async purgeExpired(): Promise<number> {
    const [, deleted]: [unknown, number] = await this.background.query(
      `DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE expires_at < now() LIMIT 5000)`,
    );
    return deleted;
  }

  /**
   * Which of these credentials still stand, in one statement for every open
   * event stream of the instance: sessions not revoked or expired, personal
   * tokens not deleted or expired, and (for tokens issued before sessions
   * existed) users not deleted.
   */
  async alive(
    ids: { sessions: string[]; apiTokens: string[]; users: string[] },
    pool: 'requests' | 'background' = 'background',
  ): Promise<Set<string>> {
    const rows: { id: string }[] = await (pool === 'requests' ? this.db : this.background).query(
      `SELECT id::text FROM sessions WHERE id = ANY($1::uuid[]) AND expires_at > now()
       UNION ALL
       SELECT id::text FROM api_tokens WHERE id = ANY($2::uuid[]) AND (expires_at IS NULL OR expires_at > now())
       UNION ALL
       SELECT id::text FROM users WHERE id = ANY($3::uuid[])`,
      [ids.sessions, ids.apiTokens, ids.users],
    );
    return new Set(rows.map((row) => row.id));
  }
}
