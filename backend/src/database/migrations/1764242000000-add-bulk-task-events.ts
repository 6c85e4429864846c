import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Events for many new tasks at once (an import). The outbox trigger numbers
 * each event by updating the user's `event_sequences` row; done for every
 * row of one transaction, each update walks the row's versions written
 * earlier in it, so a 20,000-task import took 6 s and 50,000 took 40 s
 * (quadratic). An import now sets `evolution.outbox_deferred` for its
 * transaction, inserts its tasks (the trigger then records nothing for those
 * inserts), and calls `task_events_record_created` with their ids: one
 * update of the sequence and one insert of all the events, numbered in the
 * order given, in the same transaction. Everything else about the events is
 * as the trigger writes them, and the webhook trigger fires for each.
 */
export class AddBulkTaskEvents1764242000000 implements MigrationInterface {
  name = 'AddBulkTaskEvents1764242000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION tasks_record_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        owner uuid;
        next_seq bigint;
        task jsonb;
      BEGIN
        -- An import records its creations itself, in one statement (task_events_record_created).
        IF TG_OP = 'INSERT' AND current_setting('evolution.outbox_deferred', true) = 'on' THEN
          RETURN NULL;
        END IF;
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
    await db.query(`
      CREATE FUNCTION task_events_record_created(owner uuid, task_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        last bigint;
        n integer := coalesce(array_length(task_ids, 1), 0);
      BEGIN
        IF n = 0 THEN
          RETURN;
        END IF;
        INSERT INTO event_sequences AS s (user_id, last_seq) VALUES (owner, n)
        ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + n
        RETURNING s.last_seq INTO last;
        INSERT INTO task_events (user_id, seq, task_id, type, version, task, task_bytes)
        SELECT owner, last - n + i.ord, t.id, 'task.created', t.version, to_jsonb(t), octet_length(to_jsonb(t)::text)
        FROM unnest(task_ids) WITH ORDINALITY AS i(id, ord)
        JOIN tasks t ON t.id = i.id AND t.user_id = owner
        ORDER BY i.ord;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION task_events_record_created(uuid, uuid[])`);
    await db.query(`
      CREATE OR REPLACE FUNCTION tasks_record_event() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        owner uuid;
        next_seq bigint;
        task jsonb;
      BEGIN
        IF TG_OP = 'DELETE' THEN
          owner := OLD.user_id;
          IF NOT EXISTS (SELECT 1 FROM users WHERE id = owner) THEN
            RETURN NULL;
          END IF;
        ELSE
          owner := NEW.user_id;
        END IF;
        INSERT INTO event_sequences AS s (user_id, last_seq) VALUES (owner, 1)
        ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + 1
        RETURNING s.last_seq INTO next_seq;
        IF TG_OP = 'DELETE' THEN
          INSERT INTO task_events (user_id, seq, task_id, type, version, task)
          VALUES (owner, next_seq, OLD.id, 'task.deleted', OLD.version + 1, NULL);
        ELSE
          task := to_jsonb(NEW);
          INSERT INTO task_events (user_id, seq, task_id, type, version, task, task_bytes)
          VALUES (owner, next_seq, NEW.id, CASE TG_OP WHEN 'INSERT' THEN 'task.created' ELSE 'task.updated' END,
                  NEW.version, task, octet_length(task::text));
        END IF;
        RETURN NULL;
      END $$`);
  }
}
