import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Concurrency, retries and live updates (issue 7):
 * - `tasks.version`: advanced by the existing update trigger on every write; it
 *   is the task's ETag.
 * - `idempotency_keys`: the first response to each (user, Idempotency-Key) of a
 *   create, replayed for 24 hours.
 * - `task_events`: an outbox written by a trigger in the same transaction as
 *   every task write, polled by every API instance for its Server-Sent
 *   Events clients, and read for Last-Event-ID resumption.
 * - `event_tickets`: used stream tickets, so each works once.
 * Every statement is additive: code of the previous release keeps working.
 */
export class AddVersionsIdempotencyEvents1764190000000 implements MigrationInterface {
  name = 'AddVersionsIdempotencyEvents1764190000000';

  async up(db: QueryRunner): Promise<void> {
    // A constant default: no table rewrite, existing tasks start at version 1.
    await db.query(`ALTER TABLE tasks ADD COLUMN version bigint NOT NULL DEFAULT 1`);
    await db.query(`
      CREATE OR REPLACE FUNCTION tasks_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.updated_at := greatest(clock_timestamp(), OLD.updated_at + interval '1 millisecond');
        -- Computed from the locked row, so two writers can never both get the same version.
        NEW.version := OLD.version + 1;
        RETURN NEW;
      END $$`);

    await db.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL,
        key varchar(255) NOT NULL,
        request_hash char(64) NOT NULL,
        response json NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (user_id, key),
        CONSTRAINT idempotency_keys_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)`);

    // No foreign key to users: events outlive their task, and are only read by
    // their owner's streams; old ones are purged by age.
    await db.query(`
      CREATE TABLE task_events (
        id bigint GENERATED ALWAYS AS IDENTITY,
        user_id uuid NOT NULL,
        task_id uuid NOT NULL,
        type varchar(20) NOT NULL,
        version bigint NOT NULL,
        task jsonb NULL,
        occurred_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT task_events_pkey PRIMARY KEY (id),
        CONSTRAINT task_events_type_check CHECK (type IN ('task.created', 'task.updated', 'task.deleted'))
      )`);
    await db.query(`CREATE INDEX task_events_user_idx ON task_events (user_id, id)`);
    await db.query(`CREATE INDEX task_events_occurred_idx ON task_events USING brin (occurred_at)`);
    // One row: the highest event id removed by the purge. A stream resuming
    // from an older id may have missed events and is told to reload instead.
    await db.query(`
      CREATE TABLE task_event_retention (
        id smallint NOT NULL DEFAULT 1,
        purged_through bigint NOT NULL DEFAULT 0,
        CONSTRAINT task_event_retention_pkey PRIMARY KEY (id),
        CONSTRAINT task_event_retention_single_row_check CHECK (id = 1)
      )`);
    await db.query(`INSERT INTO task_event_retention DEFAULT VALUES`);

    await db.query(`
      CREATE FUNCTION tasks_record_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        owner uuid;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          owner := OLD.user_id;
          -- Deleting a user cascades to their tasks: nobody is left to tell.
          IF NOT EXISTS (SELECT 1 FROM users WHERE id = owner) THEN
            RETURN NULL;
          END IF;
        ELSE
          owner := NEW.user_id;
        END IF;
        -- One writer per user from here until commit, so one user's event ids
        -- are allocated in commit order: a stream that has seen id N can
        -- resume with "id > N" and never miss a smaller id committed later.
        PERFORM pg_advisory_xact_lock(720001, hashtext(owner::text));
        IF TG_OP = 'INSERT' THEN
          INSERT INTO task_events (user_id, task_id, type, version, task)
          VALUES (owner, NEW.id, 'task.created', NEW.version, to_jsonb(NEW));
        ELSIF TG_OP = 'UPDATE' THEN
          INSERT INTO task_events (user_id, task_id, type, version, task)
          VALUES (owner, NEW.id, 'task.updated', NEW.version, to_jsonb(NEW));
        ELSE
          -- Deleting is a write too: the version after it is one more.
          INSERT INTO task_events (user_id, task_id, type, version, task)
          VALUES (owner, OLD.id, 'task.deleted', OLD.version + 1, NULL);
        END IF;
        -- No NOTIFY: it would take a database-wide lock from commit to the end
        -- of every writing transaction. The API instances poll this table.
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER tasks_record_event AFTER INSERT OR UPDATE OR DELETE ON tasks
      FOR EACH ROW EXECUTE FUNCTION tasks_record_event()`);

    await db.query(`
      CREATE TABLE event_tickets (
        id uuid NOT NULL,
        expires_at timestamptz(3) NOT NULL,
        CONSTRAINT event_tickets_pkey PRIMARY KEY (id)
      )`);
    await db.query(`CREATE INDEX event_tickets_expires_idx ON event_tickets (expires_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE event_tickets`);
    await db.query(`DROP TRIGGER tasks_record_event ON tasks`);
    await db.query(`DROP FUNCTION tasks_record_event()`);
    await db.query(`DROP TABLE task_event_retention`);
    await db.query(`DROP TABLE task_events`);
    await db.query(`DROP TABLE idempotency_keys`);
    await db.query(`
      CREATE OR REPLACE FUNCTION tasks_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.updated_at := greatest(clock_timestamp(), OLD.updated_at + interval '1 millisecond');
        RETURN NEW;
      END $$`);
    await db.query(`ALTER TABLE tasks DROP COLUMN version`);
  }
}
