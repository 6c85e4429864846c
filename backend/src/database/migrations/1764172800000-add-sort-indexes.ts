import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the remaining sort keys, so every sort of a user's list walks
 * an index and stops at LIMIT instead of sorting all of that user's tasks.
 * Missing due dates and priorities sort last in both directions, which a
 * backward scan cannot give: descending orders get their own index.
 */
export class AddSortIndexes1764172800000 implements MigrationInterface {
  name = 'AddSortIndexes1764172800000';

  async up(db: QueryRunner): Promise<void> {
    const rank = "(CASE priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 END)";
    await db.query(`CREATE INDEX tasks_user_priority_asc_idx ON tasks (user_id, ${rank} ASC NULLS LAST, id ASC)`);
    await db.query(`CREATE INDEX tasks_user_priority_desc_idx ON tasks (user_id, ${rank} DESC NULLS LAST, id DESC)`);
    await db.query(`CREATE INDEX tasks_user_due_desc_idx ON tasks (user_id, due_date DESC NULLS LAST, id DESC)`);
    await db.query(`CREATE INDEX tasks_user_title_idx ON tasks (user_id, lower(title) COLLATE "C", title COLLATE "C", id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX tasks_user_title_idx');
    await db.query('DROP INDEX tasks_user_due_desc_idx');
    await db.query('DROP INDEX tasks_user_priority_desc_idx');
    await db.query('DROP INDEX tasks_user_priority_asc_idx');
  }
}
