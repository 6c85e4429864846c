import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `tasks_record_event` as 1764230000000 wrote it, with a hook for the deferred inserts of an import. */
function tasksRecordEvent(deferrable: boolean): string {
  return `
      CREATE OR REPLACE FUNCTION tasks_record_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN${
        deferrable
          ? `
        -- An import records its creations itself, in one statement (events_record_task_creations).
        IF TG_OP = 'INSERT' AND current_setting('evolution.outbox_deferred', true) = 'on' THEN
          RETURN NULL;
        END IF;`
          : ''
      }
        IF TG_OP = 'DELETE' THEN
          -- Removed from the trash: clients saw it go when it went there.
          IF OLD.deleted_at IS NULL THEN
            PERFORM append_event(OLD.user_id, 'task.deleted', OLD.id, OLD.version + 1, NULL);
          END IF;
          RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN
          PERFORM append_event(NEW.user_id, 'task.deleted', NEW.id, NEW.version, NULL);
        ELSIF NEW.deleted_at IS NOT NULL THEN
          -- Changes inside the trash are invisible to clients.
          RETURN NULL;
        ELSE
          PERFORM append_event(
            NEW.user_id,
            CASE WHEN TG_OP = 'INSERT' OR OLD.deleted_at IS NOT NULL THEN 'task.created' ELSE 'task.updated' END,
            NEW.id,
            NEW.version,
            to_jsonb(NEW) || (
              SELECT jsonb_build_object('subtask_count', count(*), 'subtask_done_count', count(*) FILTER (WHERE c.status = 'done'))
              FROM tasks c WHERE c.parent_id = NEW.id AND c.deleted_at IS NULL
            )
          );
        END IF;
        RETURN NULL;
      END $$`;
}

/** `tasks_touch_after_insert` as 1764230000000 wrote it, standing aside for an import's deferred inserts when `deferrable`. */
function tasksTouchAfterInsert(deferrable: boolean): string {
  return `
      CREATE OR REPLACE FUNCTION tasks_touch_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN${
        deferrable
          ? `
        -- An import touches its projects once, after all its rows (events_record_task_creations);
        -- the parents of its subtasks are its own, and their events are written then, with their counts.
        IF current_setting('evolution.outbox_deferred', true) = 'on' THEN
          RETURN NULL;
        END IF;`
          : ''
      }
        PERFORM touch_counts(
          ARRAY(
            SELECT DISTINCT parent_id FROM new_rows
            WHERE parent_id IS NOT NULL AND deleted_at IS NULL AND parent_id NOT IN (SELECT id FROM new_rows)
          ),
          ARRAY(SELECT DISTINCT project_id FROM new_rows WHERE deleted_at IS NULL AND status <> 'done')
        );
        RETURN NULL;
      END $$`;
}

/**
 * Events for many new tasks at once (an import). The outbox trigger numbers
 * each event by updating the user's `event_sequences` row; done for every
 * row of one transaction, each update walks the row's versions written
 * earlier in it, so a 20,000-task import took 6 s and 50,000 took 40 s
 * (quadratic). An import now sets `evolution.outbox_deferred` for its
 * transaction, inserts its tasks (the trigger then records nothing for those
 * inserts), and calls `events_record_task_creations` with their ids: one
 * update of the sequence and one insert of all the events, numbered in the
 * order given, in the same transaction. The payload is the trigger's (the
 * row with its subtask counts, read once all the rows exist), and the
 * webhook trigger on `events` fires for each. The count touches of the
 * statement trigger stand aside too: the function touches the projects that
 * gained open tasks once, after the events (a `project.updated` each with its
 * new count). A task inserted into the trash is announced by nothing, as the
 * trigger has it. Updates and deletions, and the projects and views an import
 * creates, still go through their triggers.
 */
export class AddBulkTaskEvents1764242000000 implements MigrationInterface {
  name = 'AddBulkTaskEvents1764242000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(tasksRecordEvent(true));
    await db.query(`
      CREATE FUNCTION events_record_task_creations(owner uuid, task_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        last bigint;
        n integer;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM users WHERE id = owner) THEN
          RETURN;
        END IF;
        SELECT count(*) INTO n FROM tasks WHERE id = ANY(task_ids) AND user_id = owner AND deleted_at IS NULL;
        IF n = 0 THEN
          RETURN;
        END IF;
        -- The row lock taken here is held until commit, as append_event's is.
        INSERT INTO event_sequences AS s (user_id, last_seq) VALUES (owner, n)
        ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + n
        RETURNING s.last_seq INTO last;
        INSERT INTO events (user_id, seq, entity_id, type, version, payload, payload_bytes)
        SELECT owner, last - n + row_number() OVER (ORDER BY i.ord), t.id, 'task.created', t.version, p.body, octet_length(p.body::text)
        FROM unnest(task_ids) WITH ORDINALITY AS i(id, ord)
        JOIN tasks t ON t.id = i.id AND t.user_id = owner AND t.deleted_at IS NULL
        CROSS JOIN LATERAL (
          SELECT to_jsonb(t) || (
            SELECT jsonb_build_object('subtask_count', count(*), 'subtask_done_count', count(*) FILTER (WHERE c.status = 'done'))
            FROM tasks c WHERE c.parent_id = t.id AND c.deleted_at IS NULL
          ) AS body
        ) p
        ORDER BY i.ord;
        PERFORM touch_counts(
          ARRAY[]::uuid[],
          ARRAY(SELECT DISTINCT project_id FROM tasks WHERE id = ANY(task_ids) AND user_id = owner AND deleted_at IS NULL AND status <> 'done')
        );
      END $$`);
    await db.query(tasksTouchAfterInsert(true));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(tasksTouchAfterInsert(false));
    await db.query(`DROP FUNCTION events_record_task_creations(uuid, uuid[])`);
    await db.query(tasksRecordEvent(false));
  }
}
