import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BACKGROUND } from '../database/data-source-options.js';

export interface ApiTokenRow {
  id: string;
  name: string;
  scopes: string[];
  token_hint: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}

export interface ApiTokenGrant {
  id: string;
  user_id: string;
  scopes: string[];
  expires_at: Date | null;
}

const COLUMNS = 'id, name, scopes, token_hint, created_at, expires_at, last_used_at';

/** The SQL of personal API tokens. */
@Injectable()
export class ApiTokensRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectDataSource(BACKGROUND) private readonly background: DataSource,
  ) {}

  async create(token: { userId: string; name: string; scopes: string[]; hash: string; hint: string; expiresInDays?: number }): Promise<ApiTokenRow> {
    const rows: ApiTokenRow[] = await this.db.query(
      `INSERT INTO api_tokens (user_id, name, scopes, token_hash, token_hint, expires_at)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(days => $6::int) END)
       RETURNING ${COLUMNS}`,
      [token.userId, token.name, token.scopes, token.hash, token.hint, token.expiresInDays ?? null],
    );
    return rows[0];
  }

  list(userId: string): Promise<ApiTokenRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id`, [userId]);
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.db.query('DELETE FROM api_tokens WHERE id = $1 AND user_id = $2', [id, userId]);
    return affected > 0;
  }

  /** The grant of a token, looked up by hash; expired ones are not found. */
  async findByHash(hash: string): Promise<ApiTokenGrant | undefined> {
    const rows: ApiTokenGrant[] = await this.db.query(
      `SELECT id, user_id, scopes, expires_at FROM api_tokens
       WHERE token_hash = $1 AND (expires_at IS NULL OR expires_at > now())`,
      [hash],
    );
    return rows[0];
  }

  /** At most once a minute per token (the caller throttles); on the background pool, nobody waits for it. */
  async markUsed(ids: string[]): Promise<void> {
    await this.background.query('UPDATE api_tokens SET last_used_at = now() WHERE id = ANY($1::uuid[])', [ids]);
  }
}
