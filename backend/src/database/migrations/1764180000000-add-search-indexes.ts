import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Text search (`q`) as trigram indexes per user: `user_id = $1 AND title ILIKE
 * '%word%'` becomes one index scan over that user's matching rows instead of a
 * read of every task they have. pg_trgm and btree_gin ship with PostgreSQL and
 * are trusted extensions (PostgreSQL 13+): the database owner may create them.
 */
export class AddSearchIndexes1764180000000 implements MigrationInterface {
  name = 'AddSearchIndexes1764180000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await db.query('CREATE EXTENSION IF NOT EXISTS btree_gin');
    await db.query('CREATE INDEX tasks_user_title_trgm_idx ON tasks USING gin (user_id, title gin_trgm_ops)');
    await db.query('CREATE INDEX tasks_user_description_trgm_idx ON tasks USING gin (user_id, description gin_trgm_ops)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX tasks_user_description_trgm_idx');
    await db.query('DROP INDEX tasks_user_title_trgm_idx');
  }
}
