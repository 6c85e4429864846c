import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event ids per user (hardening, issue 12). Until now a stream's event ids
 * came from one sequence shared by every user, so the gap between two of
 * one's own events counted everybody else's writes. Each user now has a
 * sequence of their own, `event_sequences.last_seq`, advanced by the outbox
 * trigger under that row's lock:
 * - the lock is held until the writing transaction ends, so one user's
 *   sequence numbers commit in order and "everything after N" stays exact;
 *   it replaces the per-user advisory lock the trigger took before;
 * - `purged_through` per user replaces the global `task_event_retention` row.
 * - `task_events.task_bytes`: the length of the task's JSON, recorded when the
 *   event is written, so a read can stop after so many bytes of events
 *   without first serializing every row it might return.
 *
 * Clients hold global ids from before. Every user's `purged_through` starts
 * at their last sequence number, so any old id resumes as "purged" or
 * "unknown": the stream sends `reset` and the client reloads once, instead
 * of misreading an old global id as a sequence number.
 *
 * Not rolling-compatible for the event stream alone: an instance of the
 * previous release still running reads `task_event_retention` and fails to
 * open streams until it is replaced; its clients reconnect with backoff and
 * land on a new instance. Every other route is unaffected.
 */
export class AddPerUserEventSequences1764200000000 implements MigrationInterface {
  name = 'AddPerUserEventSequences1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE event_sequences (
        user_id uuid NOT NULL,
        last_seq bigint NOT NULL,
        purged_through bigint NOT NULL DEFAULT 0,
        CONSTRAINT event_sequences_pkey PRIMARY KEY (user_id),
        CONSTRAINT event_sequences_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);

    await db.query(`ALTER TABLE task_events ADD COLUMN seq bigint, ADD COLUMN task_bytes integer NOT NULL DEFAULT 0`);
    await db.query(`
      UPDATE task_events e SET seq = n.seq, task_bytes = coalesce(octet_length(e.task::text), 0)
      FROM (SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY id) AS seq FROM task_events) n
      WHERE e.id = n.id`);
    await db.query(`ALTER TABLE task_events ALTER COLUMN seq SET NOT NULL`);
    await db.query(`CREATE UNIQUE INDEX task_events_user_seq_key ON task_events (user_id, seq)`);
    await db.query(`DROP INDEX task_events_user_idx`);
    // Users deleted since their events were written have no row to join.
    await db.query(`
      INSERT INTO event_sequences (user_id, last_seq, purged_through)
      SELECT e.user_id, max(e.seq), max(e.seq) FROM task_events e
      WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = e.user_id)
      GROUP BY e.user_id`);
    await db.query(`DROP TABLE task_event_retention`);

    await db.query(`
      CREATE OR REPLACE FUNCTION tasks_record_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        owner uuid;
        next_seq bigint;
        task jsonb;
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
        -- The row lock taken here is held until commit: the user's next write
        -- waits for it, so their sequence numbers commit in order and a
        -- stream that has seen N can resume with "seq > N" and miss nothing.
        INSERT INTO event_sequences AS s (user_id, last_seq) VALUES (owner, 1)
        ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + 1
        RETURNING s.last_seq INTO next_seq;
        IF TG_OP = 'DELETE' THEN
          -- Deleting is a write too: the version after it is one more.
          INSERT INTO task_events (user_id, seq, task_id, type, version, task)
          VALUES (owner, next_seq, OLD.id, 'task.deleted', OLD.version + 1, NULL);
        ELSE
          task := to_jsonb(NEW);
          INSERT INTO task_events (user_id, seq, task_id, type, version, task, task_bytes)
          VALUES (owner, next_seq, NEW.id, CASE TG_OP WHEN 'INSERT' THEN 'task.created' ELSE 'task.updated' END,
                  NEW.version, task, octet_length(task::text));
        END IF;
        -- No NOTIFY: it would take a database-wide lock from commit to the end
        -- of every writing transaction. The API instances poll this table.
        RETURN NULL;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE task_event_retention (
        id smallint NOT NULL DEFAULT 1,
        purged_through bigint NOT NULL DEFAULT 0,
        CONSTRAINT task_event_retention_pkey PRIMARY KEY (id),
        CONSTRAINT task_event_retention_single_row_check CHECK (id = 1)
      )`);
    // Every id handed out so far counts as purged: old cursors reset.
    await db.query(`INSERT INTO task_event_retention (purged_through) SELECT coalesce(max(id), 0) FROM task_events`);
    await db.query(`CREATE INDEX task_events_user_idx ON task_events (user_id, id)`);
    await db.query(`DROP INDEX task_events_user_seq_key`);
    await db.query(`ALTER TABLE task_events DROP COLUMN seq, DROP COLUMN task_bytes`);
    await db.query(`DROP TABLE event_sequences`);
    await db.query(`
      CREATE OR REPLACE FUNCTION tasks_record_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        owner uuid;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          owner := OLD.user_id;
          IF NOT EXISTS (SELECT 1 FROM users WHERE id = owner) THEN
            RETURN NULL;
          END IF;
        ELSE
          owner := NEW.user_id;
        END IF;
        PERFORM pg_advisory_xact_lock(720001, hashtext(owner::text));
        IF TG_OP = 'INSERT' THEN
          INSERT INTO task_events (user_id, task_id, type, version, task)
          VALUES (owner, NEW.id, 'task.created', NEW.version, to_jsonb(NEW));
        ELSIF TG_OP = 'UPDATE' THEN
          INSERT INTO task_events (user_id, task_id, type, version, task)
          VALUES (owner, NEW.id, 'task.updated', NEW.version, to_jsonb(NEW));
        ELSE
          INSERT INTO task_events (user_id, task_id, type, version, task)
          VALUES (owner, OLD.id, 'task.deleted', OLD.version + 1, NULL);
        END IF;
        RETURN NULL;
      END $$`);
  }
}
