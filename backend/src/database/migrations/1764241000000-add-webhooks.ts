import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed webhooks (issue 14).
 * - `webhooks`: a user's endpoints, the event patterns each wants
 *   (`task.created`, `task.*`, `project.*`, `*`), the signing secret, and whether it is
 *   enabled (a webhook failing for 24 hours is disabled, with the reason).
 * - `webhook_deliveries`: one row per event and endpoint, with what happened
 *   to its attempts; it carries a copy of the event, since the outbox keeps
 *   events for an hour and a delivery is retried for 24.
 * - The trigger `events_enqueue_webhooks` on the outbox (`events`: tasks,
 *   projects and saved views) is the one place
 *   that turns events into deliveries: it runs in the transaction of the
 *   change that wrote the event, so a delivery exists if and only if the
 *   change committed, whatever wrote it.
 * - `webhook_delivery_enqueue` schedules the delivery jobs in pg-boss's job
 *   table (schema `pgboss`, created by pg-boss at start-up), in the caller's
 *   transaction. pg-boss then does the rest: workers on every instance fetch
 *   jobs with SKIP LOCKED, a job whose worker died is retried after its
 *   expiry, finished jobs are archived. It inserts the same columns pg-boss's
 *   own `send` does; check it when moving pg-boss to a new major version.
 */
export class AddWebhooks1764241000000 implements MigrationInterface {
  name = 'AddWebhooks1764241000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhooks (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        url varchar(2048) NOT NULL,
        description varchar(500) NULL,
        events text[] NOT NULL,
        secret varchar(100) NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason varchar(500) NULL,
        failing_since timestamptz(3) NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT webhooks_pkey PRIMARY KEY (id),
        CONSTRAINT webhooks_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT webhooks_events_check CHECK (cardinality(events) BETWEEN 1 AND 20)
      )`);
    await db.query(`CREATE INDEX webhooks_user_idx ON webhooks (user_id, created_at)`);

    await db.query(`
      CREATE TABLE webhook_deliveries (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL,
        user_id uuid NOT NULL,
        message_id varchar(64) NOT NULL,
        event_type varchar(50) NOT NULL,
        event_seq bigint NULL,
        entity_id uuid NULL,
        version bigint NULL,
        payload jsonb NULL,
        occurred_at timestamptz(3) NOT NULL,
        status varchar(20) NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NULL,
        next_attempt_at timestamptz(3) NULL,
        last_attempt_at timestamptz(3) NULL,
        last_status_code integer NULL,
        last_duration_ms integer NULL,
        last_error varchar(500) NULL,
        last_response varchar(1024) NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        completed_at timestamptz(3) NULL,
        CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (id),
        CONSTRAINT webhook_deliveries_webhook_id_fkey FOREIGN KEY (webhook_id) REFERENCES webhooks (id) ON DELETE CASCADE,
        CONSTRAINT webhook_deliveries_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT webhook_deliveries_status_check CHECK (status IN ('pending', 'succeeded', 'failed'))
      )`);
    await db.query(`CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at)`);
    await db.query(`CREATE INDEX webhook_deliveries_user_idx ON webhook_deliveries (user_id)`);

    await db.query(`
      CREATE FUNCTION webhook_event_matches(patterns text[], event_type text) RETURNS boolean
      LANGUAGE sql IMMUTABLE AS $$
        SELECT EXISTS (
          SELECT 1 FROM unnest(patterns) p
          WHERE p = '*' OR p = event_type
             OR (right(p, 2) = '.*' AND left(event_type, length(p) - 1) = left(p, -1))
        )
      $$`);

    await db.query(`
      CREATE FUNCTION webhook_delivery_enqueue(delivery_ids uuid[], start_after timestamptz) RETURNS void
      LANGUAGE plpgsql AS $$
      BEGIN
        -- expire_in: a worker that died mid-delivery (10 s timeout) leaves its
        -- job active; pg-boss's maintenance retries it once this has passed.
        -- created_on: pg-boss takes jobs oldest first; clock_timestamp() (not
        -- the transaction's now()) keeps a webhook's jobs in event order, also
        -- within one transaction and across a user's transactions, which the
        -- outbox trigger serializes.
        INSERT INTO pgboss.job (name, data, start_after, created_on, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy)
        SELECT 'webhook-delivery', jsonb_build_object('delivery_id', d.id, 'webhook_id', d.webhook_id, 'seq', d.event_seq), start_after, clock_timestamp(),
               interval '20 seconds', start_after + interval '14 days', 5, 2, false, 'standard'
        FROM (SELECT id, webhook_id, event_seq FROM webhook_deliveries WHERE id = ANY(delivery_ids) ORDER BY event_seq NULLS LAST, created_at, id) d;
      END $$`);

    await db.query(`
      CREATE FUNCTION events_enqueue_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        ids uuid[];
      BEGIN
        WITH created AS (
          INSERT INTO webhook_deliveries (webhook_id, user_id, message_id, event_type, event_seq, entity_id, version, payload, occurred_at)
          SELECT w.id, w.user_id, 'msg_' || replace(gen_random_uuid()::text, '-', ''),
                 NEW.type, NEW.seq, NEW.entity_id, NEW.version, NEW.payload, NEW.occurred_at
          FROM webhooks w
          WHERE w.user_id = NEW.user_id AND w.enabled AND webhook_event_matches(w.events, NEW.type)
          ORDER BY w.created_at, w.id
          RETURNING id
        )
        SELECT array_agg(id) INTO ids FROM created;
        IF ids IS NOT NULL THEN
          PERFORM webhook_delivery_enqueue(ids, now());
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER events_enqueue_webhooks AFTER INSERT ON events
      FOR EACH ROW EXECUTE FUNCTION events_enqueue_webhooks()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER events_enqueue_webhooks ON events`);
    await db.query(`DROP FUNCTION events_enqueue_webhooks()`);
    await db.query(`DROP FUNCTION webhook_delivery_enqueue(uuid[], timestamptz)`);
    await db.query(`DROP FUNCTION webhook_event_matches(text[], text)`);
    await db.query(`DROP TABLE webhook_deliveries`);
    await db.query(`DROP TABLE webhooks`);
  }
}
