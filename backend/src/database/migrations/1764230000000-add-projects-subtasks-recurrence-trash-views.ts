import type { MigrationInterface, QueryRunner } from 'typeorm';

const EVENT_TYPES = [
  'task.created',
  'task.updated',
  'task.deleted',
  'project.created',
  'project.updated',
  'project.deleted',
  'view.created',
  'view.updated',
  'view.deleted',
];
const NIL_UUID = `'00000000-0000-0000-0000-000000000000'::uuid`;

const PRIORITY_RANK = "(CASE priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 END)";
/** The indexes behind a user's list, its sorts and its count (earlier migrations). */
const LIVE_LIST_INDEXES: [string, string][] = [
  ['tasks_user_created_idx', '(user_id, created_at DESC, id DESC)'],
  ['tasks_user_updated_idx', '(user_id, updated_at DESC, id DESC)'],
  ['tasks_user_due_idx', '(user_id, due_date, id)'],
  ['tasks_user_status_created_idx', '(user_id, status, created_at DESC, id DESC)'],
  ['tasks_user_priority_asc_idx', `(user_id, ${PRIORITY_RANK} ASC NULLS LAST, id ASC)`],
  ['tasks_user_priority_desc_idx', `(user_id, ${PRIORITY_RANK} DESC NULLS LAST, id DESC)`],
  ['tasks_user_due_desc_idx', '(user_id, due_date DESC NULLS LAST, id DESC)'],
  ['tasks_user_title_idx', '(user_id, lower(title) COLLATE "C", title COLLATE "C", id)'],
];

/**
 * Organize (issue 13): projects with one Inbox per user, subtasks, manual
 * order, due times, recurrence, a trash, and saved views; the outbox carries
 * their events too.
 *
 * - `task_events` becomes `events` (`entity_id`, `payload`, `payload_bytes`):
 *   projects and views are announced on the same stream, in the same per-user
 *   sequence.
 * - Every user gets an Inbox, here for existing users and by a trigger on
 *   `users` for new ones; every task gets a project (its user's Inbox when a
 *   write names none, also by a trigger, so SQL inserts keep working).
 * - A task's representation includes its subtask counts, and a project's its
 *   open task count; a change that alters them advances the parent's or the
 *   project's version (statement-level triggers), so ETags, 304s and events
 *   stay true for every write path.
 * - Deleting a task sets `deleted_at` (the trash): for clients it is gone
 *   (`task.deleted`); restoring it is a `task.created`; removing it from the
 *   trash for good announces nothing more.
 *
 * Existing tasks are backfilled with their owner's Inbox and a position by
 * creation order, without advancing their versions (the triggers are off for
 * that one statement; the table lock is held until commit, so no concurrent
 * write goes unrecorded).
 */
export class AddProjectsSubtasksRecurrenceTrashViews1764230000000 implements MigrationInterface {
  name = 'AddProjectsSubtasksRecurrenceTrashViews1764230000000';

  async up(db: QueryRunner): Promise<void> {
    // No user may sign up between the Inbox backfill and the trigger that makes new ones.
    await db.query(`LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`);
    // --- The outbox, for every kind of change ---------------------------------
    await db.query(`ALTER TABLE task_events RENAME TO events`);
    await db.query(`ALTER TABLE events RENAME COLUMN task_id TO entity_id`);
    await db.query(`ALTER TABLE events RENAME COLUMN task TO payload`);
    await db.query(`ALTER TABLE events RENAME COLUMN task_bytes TO payload_bytes`);
    await db.query(`ALTER TABLE events RENAME CONSTRAINT task_events_pkey TO events_pkey`);
    await db.query(`ALTER TABLE events DROP CONSTRAINT task_events_type_check`);
    await db.query(`ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type IN (${EVENT_TYPES.map((t) => `'${t}'`).join(', ')}))`);
    await db.query(`ALTER INDEX task_events_user_seq_key RENAME TO events_user_seq_key`);
    await db.query(`ALTER INDEX task_events_occurred_idx RENAME TO events_occurred_idx`);
    await db.query(`ALTER SEQUENCE task_events_id_seq RENAME TO events_id_seq`);

    // One writer per user from the sequence upsert to commit (see 1764200000000).
    // A change made while its user is being deleted (the cascade) tells nobody.
    await db.query(`
      CREATE FUNCTION append_event(owner uuid, kind text, entity uuid, entity_version bigint, body jsonb) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        next_seq bigint;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM users WHERE id = owner) THEN
          RETURN;
        END IF;
        INSERT INTO event_sequences AS s (user_id, last_seq) VALUES (owner, 1)
        ON CONFLICT (user_id) DO UPDATE SET last_seq = s.last_seq + 1
        RETURNING s.last_seq INTO next_seq;
        INSERT INTO events (user_id, seq, entity_id, type, version, payload, payload_bytes)
        VALUES (owner, next_seq, entity, kind, entity_version, body, coalesce(octet_length(body::text), 0));
      END $$`);

    // updated_at and version of any row, for the new tables.
    await db.query(`
      CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.updated_at := greatest(clock_timestamp(), OLD.updated_at + interval '1 millisecond');
        NEW.version := OLD.version + 1;
        RETURN NEW;
      END $$`);

    // --- Projects ---------------------------------------------------------------
    await db.query(`
      CREATE TABLE projects (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        name varchar(120) NOT NULL,
        name_key varchar(480) NOT NULL,
        color char(7) NULL,
        parent_id uuid NULL,
        position double precision NOT NULL DEFAULT 0,
        is_inbox boolean NOT NULL DEFAULT false,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version bigint NOT NULL DEFAULT 1,
        CONSTRAINT projects_pkey PRIMARY KEY (id),
        CONSTRAINT projects_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT projects_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES projects (id),
        CONSTRAINT projects_name_check CHECK (char_length(name) BETWEEN 1 AND 120),
        CONSTRAINT projects_color_check CHECK (color IS NULL OR color ~ '^#[0-9a-f]{6}$'),
        CONSTRAINT projects_inbox_check CHECK (NOT is_inbox OR parent_id IS NULL)
      )`);
    await db.query(`CREATE UNIQUE INDEX projects_user_inbox_key ON projects (user_id) WHERE is_inbox`);
    await db.query(`CREATE UNIQUE INDEX projects_user_parent_name_key ON projects (user_id, coalesce(parent_id, ${NIL_UUID}), name_key)`);
    await db.query(`CREATE INDEX projects_user_position_idx ON projects (user_id, position, name)`);
    await db.query(`CREATE INDEX projects_parent_idx ON projects (parent_id) WHERE parent_id IS NOT NULL`);
    await db.query(`CREATE TRIGGER projects_bump_version BEFORE UPDATE ON projects FOR EACH ROW EXECUTE FUNCTION bump_version()`);

    await db.query(`INSERT INTO projects (user_id, name, name_key, is_inbox, position) SELECT id, 'Inbox', 'inbox', true, 0 FROM users`);
    await db.query(`
      CREATE FUNCTION users_create_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO projects (user_id, name, name_key, is_inbox, position) VALUES (NEW.id, 'Inbox', 'inbox', true, 0);
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER users_create_inbox AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION users_create_inbox()`);

    // --- Tasks: project, tree, order, time, recurrence, trash -------------------
    await db.query(`
      ALTER TABLE tasks
        ADD COLUMN project_id uuid NULL,
        ADD COLUMN parent_id uuid NULL,
        ADD COLUMN position double precision NOT NULL DEFAULT 0,
        ADD COLUMN due_time time(0) NULL,
        ADD COLUMN recurrence jsonb NULL,
        ADD COLUMN series_id uuid NULL,
        ADD COLUMN next_occurrence_id uuid NULL,
        ADD COLUMN deleted_at timestamptz(3) NULL,
        ADD COLUMN deleted_with uuid NULL`);
    await db.query(`ALTER TABLE tasks DISABLE TRIGGER tasks_set_updated_at`);
    await db.query(`ALTER TABLE tasks DISABLE TRIGGER tasks_record_event`);
    await db.query(`
      UPDATE tasks t SET project_id = p.id, position = o.n * 1024
      FROM projects p,
           (SELECT id, row_number() OVER (PARTITION BY user_id ORDER BY created_at, id) AS n FROM tasks) o
      WHERE p.user_id = t.user_id AND p.is_inbox AND o.id = t.id`);
    await db.query(`ALTER TABLE tasks ENABLE TRIGGER tasks_set_updated_at`);
    await db.query(`ALTER TABLE tasks ENABLE TRIGGER tasks_record_event`);
    await db.query(`ALTER TABLE tasks ALTER COLUMN project_id SET NOT NULL`);
    await db.query(`
      ALTER TABLE tasks
        ADD CONSTRAINT tasks_project_id_fkey FOREIGN KEY (project_id) REFERENCES projects (id),
        ADD CONSTRAINT tasks_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES tasks (id) ON DELETE CASCADE,
        ADD CONSTRAINT tasks_next_occurrence_id_fkey FOREIGN KEY (next_occurrence_id) REFERENCES tasks (id) ON DELETE SET NULL,
        ADD CONSTRAINT tasks_due_time_check CHECK (due_time IS NULL OR due_date IS NOT NULL),
        ADD CONSTRAINT tasks_recurrence_check CHECK (recurrence IS NULL OR (due_date IS NOT NULL AND jsonb_typeof(recurrence) = 'object')),
        ADD CONSTRAINT tasks_parent_check CHECK (parent_id IS NULL OR parent_id <> id)`);
    await db.query(`CREATE INDEX tasks_project_created_idx ON tasks (project_id, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX tasks_project_position_idx ON tasks (project_id, position, id) WHERE parent_id IS NULL AND deleted_at IS NULL`);
    await db.query(`CREATE INDEX tasks_parent_idx ON tasks (parent_id, position) INCLUDE (status) WHERE deleted_at IS NULL`);
    await db.query(`CREATE INDEX tasks_project_open_idx ON tasks (project_id) WHERE deleted_at IS NULL AND status <> 'done'`);
    // Lists and their counts read live tasks only. As partial indexes, a
    // count stays an index-only scan instead of visiting every row to check
    // deleted_at. The trash index covers all rows, so "every task of a user"
    // (account deletion's cascade, export) still walks an index.
    for (const [name, columns] of LIVE_LIST_INDEXES) {
      await db.query(`DROP INDEX ${name}`);
      await db.query(`CREATE INDEX ${name} ON tasks ${columns} WHERE deleted_at IS NULL`);
    }
    await db.query(`CREATE INDEX tasks_user_trash_idx ON tasks (user_id, deleted_at DESC, id DESC)`);
    await db.query(`CREATE INDEX tasks_series_idx ON tasks (series_id) WHERE series_id IS NOT NULL`);
    await db.query(`CREATE INDEX tasks_next_occurrence_idx ON tasks (next_occurrence_id) WHERE next_occurrence_id IS NOT NULL`);

    // A write that names no project puts the task in its owner's Inbox.
    await db.query(`
      CREATE FUNCTION tasks_default_project() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.project_id IS NULL THEN
          SELECT id INTO NEW.project_id FROM projects WHERE user_id = NEW.user_id AND is_inbox;
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(`CREATE TRIGGER tasks_default_project BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION tasks_default_project()`);

    // --- Saved views -------------------------------------------------------------
    await db.query(`
      CREATE TABLE views (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        name varchar(60) NOT NULL,
        name_key varchar(240) NOT NULL,
        query jsonb NOT NULL,
        position double precision NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version bigint NOT NULL DEFAULT 1,
        CONSTRAINT views_pkey PRIMARY KEY (id),
        CONSTRAINT views_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT views_name_check CHECK (char_length(name) BETWEEN 1 AND 60),
        CONSTRAINT views_query_check CHECK (jsonb_typeof(query) = 'object')
      )`);
    await db.query(`CREATE UNIQUE INDEX views_user_name_key ON views (user_id, name_key)`);
    await db.query(`CREATE INDEX views_user_position_idx ON views (user_id, position, name)`);
    await db.query(`CREATE TRIGGER views_bump_version BEFORE UPDATE ON views FOR EACH ROW EXECUTE FUNCTION bump_version()`);

    // --- Idempotency keys for every kind of write ------------------------------------
    // The keys stored so far were all for task creates.
    await db.query(`ALTER TABLE idempotency_keys ADD COLUMN route varchar(60) NOT NULL DEFAULT 'POST /api/tasks'`);
    await db.query(`ALTER TABLE idempotency_keys ALTER COLUMN route DROP DEFAULT`);

    // --- Events of every kind -------------------------------------------------------
    await db.query(`
      CREATE OR REPLACE FUNCTION tasks_record_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
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
      END $$`);

    await db.query(`
      CREATE FUNCTION projects_record_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM append_event(OLD.user_id, 'project.deleted', OLD.id, OLD.version + 1, NULL);
          RETURN NULL;
        END IF;
        PERFORM append_event(
          NEW.user_id,
          CASE TG_OP WHEN 'INSERT' THEN 'project.created' ELSE 'project.updated' END,
          NEW.id,
          NEW.version,
          to_jsonb(NEW) || jsonb_build_object(
            'open_task_count',
            (SELECT count(*) FROM tasks t WHERE t.project_id = NEW.id AND t.deleted_at IS NULL AND t.status <> 'done')
          )
        );
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER projects_record_event AFTER INSERT OR UPDATE OR DELETE ON projects
      FOR EACH ROW EXECUTE FUNCTION projects_record_event()`);

    await db.query(`
      CREATE FUNCTION views_record_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM append_event(OLD.user_id, 'view.deleted', OLD.id, OLD.version + 1, NULL);
          RETURN NULL;
        END IF;
        PERFORM append_event(
          NEW.user_id,
          CASE TG_OP WHEN 'INSERT' THEN 'view.created' ELSE 'view.updated' END,
          NEW.id,
          NEW.version,
          to_jsonb(NEW)
        );
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER views_record_event AFTER INSERT OR UPDATE OR DELETE ON views
      FOR EACH ROW EXECUTE FUNCTION views_record_event()`);

    // --- Counts that are part of a representation ---------------------------------
    // A task is "open" for its project while it is neither done nor in the
    // trash; it counts for its parent while it is not in the trash. One touch
    // per parent or project per statement, whatever the number of rows.
    // A statement-level trigger fires even for a statement that changed no
    // row, so each touch runs only when there is something to touch: the
    // touches themselves are UPDATEs of tasks, and would otherwise call this
    // trigger again without end. A parent changed by the same statement is
    // not touched again: its own event, written after the whole statement,
    // already counts its children as they now are.
    await db.query(`
      CREATE FUNCTION touch_counts(parent_ids uuid[], project_ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(parent_ids) > 0 THEN
          UPDATE tasks SET updated_at = updated_at WHERE id = ANY(parent_ids) AND deleted_at IS NULL;
        END IF;
        IF cardinality(project_ids) > 0 THEN
          UPDATE projects SET updated_at = updated_at WHERE id = ANY(project_ids);
        END IF;
      END $$`);
    await db.query(`
      CREATE FUNCTION tasks_touch_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM touch_counts(
          ARRAY(
            SELECT DISTINCT parent_id FROM new_rows
            WHERE parent_id IS NOT NULL AND deleted_at IS NULL AND parent_id NOT IN (SELECT id FROM new_rows)
          ),
          ARRAY(SELECT DISTINCT project_id FROM new_rows WHERE deleted_at IS NULL AND status <> 'done')
        );
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION tasks_touch_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM touch_counts(
          ARRAY(
            SELECT DISTINCT p FROM old_rows o JOIN new_rows n ON n.id = o.id,
              LATERAL (VALUES (o.parent_id), (n.parent_id)) AS parents(p)
            WHERE p IS NOT NULL
              AND (o.parent_id IS DISTINCT FROM n.parent_id
                   OR (o.status = 'done') <> (n.status = 'done')
                   OR (o.deleted_at IS NULL) <> (n.deleted_at IS NULL))
              AND p NOT IN (SELECT id FROM new_rows)
          ),
          ARRAY(
            SELECT o.project_id FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.deleted_at IS NULL AND o.status <> 'done'
              AND (o.project_id <> n.project_id OR n.deleted_at IS NOT NULL OR n.status = 'done')
            UNION
            SELECT n.project_id FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE n.deleted_at IS NULL AND n.status <> 'done'
              AND (o.project_id <> n.project_id OR o.deleted_at IS NOT NULL OR o.status = 'done')
          )
        );
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE FUNCTION tasks_touch_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM touch_counts(
          ARRAY(SELECT DISTINCT parent_id FROM old_rows WHERE parent_id IS NOT NULL AND deleted_at IS NULL),
          ARRAY(SELECT DISTINCT project_id FROM old_rows WHERE deleted_at IS NULL AND status <> 'done')
        );
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER tasks_touch_after_insert AFTER INSERT ON tasks
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_touch_after_insert()`);
    await db.query(`
      CREATE TRIGGER tasks_touch_after_update AFTER UPDATE ON tasks
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_touch_after_update()`);
    await db.query(`
      CREATE TRIGGER tasks_touch_after_delete AFTER DELETE ON tasks
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_touch_after_delete()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER tasks_touch_after_delete ON tasks`);
    await db.query(`DROP TRIGGER tasks_touch_after_update ON tasks`);
    await db.query(`DROP TRIGGER tasks_touch_after_insert ON tasks`);
    await db.query(`DROP FUNCTION tasks_touch_after_delete()`);
    await db.query(`DROP FUNCTION tasks_touch_after_update()`);
    await db.query(`DROP FUNCTION tasks_touch_after_insert()`);
    await db.query(`DROP FUNCTION touch_counts(uuid[], uuid[])`);
    await db.query(`DROP TABLE views`);
    await db.query(`DROP FUNCTION views_record_event()`);
    await db.query(`DELETE FROM idempotency_keys WHERE route <> 'POST /api/tasks'`);
    await db.query(`ALTER TABLE idempotency_keys DROP COLUMN route`);
    await db.query(`DROP INDEX tasks_user_trash_idx`);
    for (const [name, columns] of LIVE_LIST_INDEXES) {
      await db.query(`DROP INDEX ${name}`);
      await db.query(`CREATE INDEX ${name} ON tasks ${columns}`);
    }
    await db.query(`DROP TRIGGER tasks_default_project ON tasks`);
    await db.query(`DROP FUNCTION tasks_default_project()`);
    // Trashed tasks are gone with the way back; the rest lose their project and place.
    await db.query(`DELETE FROM tasks WHERE deleted_at IS NOT NULL`);
    await db.query(`
      ALTER TABLE tasks
        DROP COLUMN project_id, DROP COLUMN parent_id, DROP COLUMN position, DROP COLUMN due_time,
        DROP COLUMN recurrence, DROP COLUMN series_id, DROP COLUMN next_occurrence_id,
        DROP COLUMN deleted_at, DROP COLUMN deleted_with`);
    await db.query(`DROP TRIGGER users_create_inbox ON users`);
    await db.query(`DROP FUNCTION users_create_inbox()`);
    await db.query(`DROP TABLE projects`);
    await db.query(`DROP FUNCTION projects_record_event()`);
    await db.query(`DROP FUNCTION bump_version()`);
    await db.query(`DELETE FROM events WHERE type NOT LIKE 'task.%'`);
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
    await db.query(`DROP FUNCTION append_event(uuid, text, uuid, bigint, jsonb)`);
    await db.query(`ALTER SEQUENCE events_id_seq RENAME TO task_events_id_seq`);
    await db.query(`ALTER INDEX events_occurred_idx RENAME TO task_events_occurred_idx`);
    await db.query(`ALTER INDEX events_user_seq_key RENAME TO task_events_user_seq_key`);
    await db.query(`ALTER TABLE events DROP CONSTRAINT events_type_check`);
    await db.query(`ALTER TABLE events ADD CONSTRAINT task_events_type_check CHECK (type IN ('task.created', 'task.updated', 'task.deleted'))`);
    await db.query(`ALTER TABLE events RENAME CONSTRAINT events_pkey TO task_events_pkey`);
    await db.query(`ALTER TABLE events RENAME COLUMN payload_bytes TO task_bytes`);
    await db.query(`ALTER TABLE events RENAME COLUMN payload TO task`);
    await db.query(`ALTER TABLE events RENAME COLUMN entity_id TO task_id`);
    await db.query(`ALTER TABLE events RENAME TO task_events`);
  }
}
