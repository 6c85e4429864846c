import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that last, and personal API tokens (issue 14).
 * - `sessions`: one per sign-in on a device; revoking one deletes its row.
 * - `refresh_tokens`: every refresh token a session was ever given, as a
 *   SHA-256 hash; `rotated_at` is null for the current one. Keeping the
 *   rotated ones is what lets a replayed token be recognised as reuse
 *   (which revokes the session) rather than as a merely unknown token.
 * - `api_tokens`: personal tokens (`evt_…`), hashed, with their scopes.
 * Only new tables: code of the previous release keeps working.
 */
export class AddSessionsAndApiTokens1764240000000 implements MigrationInterface {
  name = 'AddSessionsAndApiTokens1764240000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sessions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        device_label varchar(120) NOT NULL,
        ip varchar(45) NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        last_used_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        CONSTRAINT sessions_pkey PRIMARY KEY (id),
        CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX sessions_user_idx ON sessions (user_id, last_used_at)`);
    await db.query(`CREATE INDEX sessions_expires_idx ON sessions (expires_at)`);

    await db.query(`
      CREATE TABLE refresh_tokens (
        token_hash char(64) NOT NULL,
        session_id uuid NOT NULL,
        issued_at timestamptz(3) NOT NULL DEFAULT now(),
        rotated_at timestamptz(3) NULL,
        CONSTRAINT refresh_tokens_pkey PRIMARY KEY (token_hash),
        CONSTRAINT refresh_tokens_session_id_fkey FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id)`);

    await db.query(`
      CREATE TABLE api_tokens (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        name varchar(100) NOT NULL,
        scopes text[] NOT NULL,
        token_hash char(64) NOT NULL,
        token_hint varchar(16) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NULL,
        last_used_at timestamptz(3) NULL,
        CONSTRAINT api_tokens_pkey PRIMARY KEY (id),
        CONSTRAINT api_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT api_tokens_scopes_check CHECK (cardinality(scopes) BETWEEN 1 AND 10)
      )`);
    await db.query(`CREATE UNIQUE INDEX api_tokens_token_hash_key ON api_tokens (token_hash)`);
    await db.query(`CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE api_tokens`);
    await db.query(`DROP TABLE refresh_tokens`);
    await db.query(`DROP TABLE sessions`);
  }
}
