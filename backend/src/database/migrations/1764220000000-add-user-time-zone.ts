import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each user's time zone (IANA name): "today", due times and recurrence are theirs, not the server's. */
export class AddUserTimeZone1764220000000 implements MigrationInterface {
  name = 'AddUserTimeZone1764220000000';

  async up(db: QueryRunner): Promise<void> {
    // A constant default: no table rewrite.
    await db.query(`ALTER TABLE users ADD COLUMN time_zone varchar(64) NOT NULL DEFAULT 'UTC'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP COLUMN time_zone`);
  }
}
