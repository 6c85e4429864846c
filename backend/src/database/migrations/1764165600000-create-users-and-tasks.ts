import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsersAndTasks1764165600000 implements MigrationInterface {
  name = 'CreateUsersAndTasks1764165600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(255) NOT NULL,
        hashed_password varchar(60) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email))`);

    await db.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title varchar(255) NOT NULL,
        description text NULL,
        status varchar(20) NOT NULL DEFAULT 'todo',
        priority varchar(10) NULL,
        tags text[] NOT NULL DEFAULT '{}',
        due_date date NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT tasks_status_check CHECK (status IN ('todo', 'in-progress', 'done')),
        CONSTRAINT tasks_priority_check CHECK (priority IS NULL OR priority IN ('low', 'medium', 'high')),
        CONSTRAINT tasks_title_check CHECK (char_length(title) BETWEEN 1 AND 255),
        CONSTRAINT tasks_description_check CHECK (char_length(description) <= 10000),
        CONSTRAINT tasks_tags_check CHECK (cardinality(tags) <= 20)
      )`);

    // Every list is scoped by user; these serve the default order and each sort key.
    await db.query(`CREATE INDEX tasks_user_created_idx ON tasks (user_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX tasks_user_updated_idx ON tasks (user_id, updated_at DESC, id DESC)`);
    await db.query(`CREATE INDEX tasks_user_due_idx ON tasks (user_id, due_date, id)`);
    await db.query(`CREATE INDEX tasks_user_status_created_idx ON tasks (user_id, status, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX tasks_tags_gin_idx ON tasks USING gin (tags)`);

    // updated_at belongs to the server: set on every UPDATE, strictly later than
    // before even at the millisecond precision the API shows.
    await db.query(`
      CREATE FUNCTION tasks_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.updated_at := greatest(clock_timestamp(), OLD.updated_at + interval '1 millisecond');
        RETURN NEW;
      END $$`);
    await db.query(`
      CREATE TRIGGER tasks_set_updated_at BEFORE UPDATE ON tasks
      FOR EACH ROW EXECUTE FUNCTION tasks_set_updated_at()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE tasks`);
    await db.query(`DROP FUNCTION tasks_set_updated_at()`);
    await db.query(`DROP TABLE users`);
  }
}
