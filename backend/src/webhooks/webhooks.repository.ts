import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { BACKGROUND } from '../database/data-source-options.js';

/** pg-boss's name for the delivery jobs (also in the SQL function `webhook_delivery_enqueue`). */
export const DELIVERY_QUEUE = 'webhook-delivery';

export interface WebhookRow {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabled_reason: string | null;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  message_id: string;
  event_type: string;
  event_seq: string | null;
  entity_id: string | null;
  version: string | null;
  payload: Record<string, unknown> | null;
  occurred_at: Date;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  max_attempts: number | null;
  next_attempt_at: Date | null;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  last_response: string | null;
  created_at: Date;
  completed_at: Date | null;
}

/** A delivery with what its worker needs of the webhook. */
export interface DeliveryJob extends DeliveryRow {
  user_id: string;
  url: string;
  secret: string;
  enabled: boolean;
}

export interface AttemptResult {
  readonly statusCode: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  readonly response: string | null;
}

const WEBHOOK_COLUMNS = 'id, url, description, events, enabled, disabled_reason, failing_since, created_at, updated_at';
const deliveryColumns = (d: string) =>
  `${d}.id, ${d}.webhook_id, ${d}.message_id, ${d}.event_type, ${d}.event_seq::text AS event_seq, ${d}.entity_id, ` +
  `${d}.version::text AS version, ${d}.payload, ${d}.occurred_at, ${d}.status, ${d}.attempts, ${d}.max_attempts, ` +
  `${d}.next_attempt_at, ${d}.last_attempt_at, ${d}.last_status_code, ${d}.last_duration_ms, ${d}.last_error, ` +
  `${d}.last_response, ${d}.created_at, ${d}.completed_at`;
const DELIVERY_COLUMNS = deliveryColumns('webhook_deliveries');

/**
 * The SQL of webhooks and their deliveries. Requests use the request pool;
 * the delivery workers use the background pool only (`worker*` methods).
 */
@Injectable()
export class WebhooksRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectDataSource(BACKGROUND) private readonly background: DataSource,
  ) {}

  async count(userId: string): Promise<number> {
    const [{ count }]: { count: number }[] = await this.db.query('SELECT count(*)::int AS count FROM webhooks WHERE user_id = $1', [userId]);
    return count;
  }

  async create(userId: string, webhook: { url: string; events: string[]; description: string | null; secret: string }): Promise<WebhookRow> {
    const rows: WebhookRow[] = await this.db.query(
      `INSERT INTO webhooks (user_id, url, events, description, secret) VALUES ($1, $2, $3, $4, $5) RETURNING ${WEBHOOK_COLUMNS}`,
      [userId, webhook.url, webhook.events, webhook.description, webhook.secret],
    );
    return rows[0];
  }

  list(userId: string): Promise<WebhookRow[]> {
    return this.db.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
  }

  async find(userId: string, id: string): Promise<WebhookRow | undefined> {
    const rows: WebhookRow[] = await this.db.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1 AND user_id = $2`, [id, userId]);
    return rows[0];
  }

  /** Enabling clears the reason it was disabled and its failure streak. */
  async update(
    userId: string,
    id: string,
    changes: { url?: string; events?: string[]; description?: string | null; enabled?: boolean },
  ): Promise<WebhookRow | undefined> {
    const [rows]: [WebhookRow[], number] = await this.db.query(
      `UPDATE webhooks SET
         url = coalesce($3, url),
         events = coalesce($4, events),
         description = CASE WHEN $5::boolean THEN $6 ELSE description END,
         enabled = coalesce($7, enabled),
         disabled_reason = CASE WHEN $7 IS TRUE THEN NULL ELSE disabled_reason END,
         failing_since = CASE WHEN $7 IS TRUE THEN NULL ELSE failing_since END,
         updated_at = now()
       WHERE id = $1 AND user_id = $2
       RETURNING ${WEBHOOK_COLUMNS}`,
      [
        id,
        userId,
        changes.url ?? null,
        changes.events ?? null,
        changes.description !== undefined,
        changes.description ?? null,
        changes.enabled ?? null,
      ],
    );
    return rows[0];
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.db.query('DELETE FROM webhooks WHERE id = $1 AND user_id = $2', [id, userId]);
    return affected > 0;
  }

  /** The last `limit` deliveries of a webhook of the user, newest first. */
  listDeliveries(userId: string, webhookId: string, limit: number): Promise<DeliveryRow[]> {
    return this.db.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
       WHERE webhook_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3`,
      [webhookId, userId, limit],
    );
  }

  /**
   * A new delivery of an earlier one's event (same `webhook-id`, a receiver
   * that has it already may skip it), queued at once; or, without `of`, a
   * test event tried once.
   */
  async queueDelivery(
    userId: string,
    webhookId: string,
    what: { of: string } | { test: Record<string, unknown> },
  ): Promise<DeliveryRow | undefined> {
    return this.db.transaction(async (manager) => {
      const rows: DeliveryRow[] =
        'of' in what
          ? await manager.query(
              `INSERT INTO webhook_deliveries (webhook_id, user_id, message_id, event_type, event_seq, entity_id, version, payload, occurred_at, next_attempt_at)
               SELECT d.webhook_id, d.user_id, d.message_id, d.event_type, d.event_seq, d.entity_id, d.version, d.payload, d.occurred_at, now()
               FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
               WHERE d.id = $1 AND d.webhook_id = $2 AND d.user_id = $3
               RETURNING ${DELIVERY_COLUMNS}`,
              [what.of, webhookId, userId],
            )
          : await manager.query(
              `INSERT INTO webhook_deliveries (webhook_id, user_id, message_id, event_type, payload, occurred_at, max_attempts, next_attempt_at)
               SELECT w.id, w.user_id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'webhook.test', $3, now(), 1, now()
               FROM webhooks w WHERE w.id = $1 AND w.user_id = $2
               RETURNING ${DELIVERY_COLUMNS}`,
              [webhookId, userId, what.test],
            );
      if (rows.length === 0) return undefined;
      await manager.query('SELECT webhook_delivery_enqueue($1::uuid[], now())', [[rows[0].id]]);
      return rows[0];
    });
  }

  /** A deleted account's delivery jobs, in the deletion's transaction (their deliveries go by cascade). */
  async forgetJobsOfUser(manager: EntityManager, userId: string): Promise<void> {
    for (const table of ['pgboss.job', 'pgboss.archive']) {
      await manager.query(
        `DELETE FROM ${table} WHERE name = $1
           AND data->>'delivery_id' IN (SELECT id::text FROM webhook_deliveries WHERE user_id = $2)`,
        [DELIVERY_QUEUE, userId],
      );
    }
  }

  /** For a worker: the delivery and its webhook's address and secret. */
  async workerLoad(deliveryId: string): Promise<DeliveryJob | undefined> {
    const rows: DeliveryJob[] = await this.background.query(
      `SELECT ${deliveryColumns('d')}, d.user_id, w.url, w.secret, w.enabled
       FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`,
      [deliveryId],
    );
    return rows[0];
  }

  /**
   * Records one attempt, in one transaction: the delivery's result, the
   * webhook's failure streak, and the next attempt's job when there is one
   * (so a crash cannot leave a failed delivery without its retry). Returns
   * the webhook's failure streak start.
   */
  async workerRecord(
    delivery: DeliveryJob,
    result: AttemptResult,
    outcome: { status: 'succeeded' } | { status: 'pending'; retryAt: Date } | { status: 'failed' },
  ): Promise<Date | null> {
    return this.background.transaction(async (manager) => {
      await manager.query(
        `UPDATE webhook_deliveries SET
           attempts = attempts + 1, last_attempt_at = now(), last_status_code = $2, last_duration_ms = $3,
           last_error = $4, last_response = $5, status = $6::varchar,
           next_attempt_at = $7, completed_at = CASE WHEN $6::varchar = 'pending' THEN NULL ELSE now() END
         WHERE id = $1`,
        [
          delivery.id,
          result.statusCode,
          result.durationMs,
          result.error?.slice(0, 500) ?? null,
          result.response?.slice(0, 1024) ?? null,
          outcome.status,
          outcome.status === 'pending' ? outcome.retryAt : null,
        ],
      );
      if (outcome.status === 'pending') {
        await manager.query('SELECT webhook_delivery_enqueue($1::uuid[], $2)', [[delivery.id], outcome.retryAt]);
      }
      // A test delivery says nothing about the endpoint's health streak.
      if (delivery.event_type === 'webhook.test') return null;
      // TypeORM answers an UPDATE with [rows, affected].
      const [rows]: [{ failing_since: Date | null }[], number] = await manager.query(
        `UPDATE webhooks SET failing_since = CASE WHEN $2 THEN NULL ELSE coalesce(failing_since, now()) END
         WHERE id = $1 RETURNING failing_since`,
        [delivery.webhook_id, outcome.status === 'succeeded'],
      );
      return rows[0]?.failing_since ?? null;
    });
  }

  /** Disables a webhook that has failed for too long, and gives up its pending deliveries. */
  async workerDisable(webhookId: string, reason: string): Promise<void> {
    await this.background.transaction(async (manager) => {
      await manager.query(
        `UPDATE webhooks SET enabled = false, disabled_reason = $2, updated_at = now() WHERE id = $1 AND enabled`,
        [webhookId, reason.slice(0, 500)],
      );
      await manager.query(
        `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, completed_at = now(),
           last_error = coalesce(last_error, 'webhook disabled')
         WHERE webhook_id = $1 AND status = 'pending'`,
        [webhookId],
      );
    });
  }

  /** New jobs, due now, for deliveries a worker did not get to (their old jobs are completed). */
  async requeue(deliveryIds: string[]): Promise<void> {
    await this.background.query('SELECT webhook_delivery_enqueue($1::uuid[], now())', [deliveryIds]);
  }

  /** A delivery whose webhook was disabled before its turn. */
  async workerAbandon(deliveryId: string, reason: string): Promise<void> {
    await this.background.query(
      `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, completed_at = now(), last_error = $2
       WHERE id = $1 AND status = 'pending'`,
      [deliveryId, reason],
    );
  }

  /** Finished deliveries beyond a week and beyond the 100 newest of their webhook. */
  async purgeOld(): Promise<number> {
    const [, deleted]: [unknown, number] = await this.background.query(
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT d.id FROM webhook_deliveries d
         WHERE d.status <> 'pending' AND d.created_at < now() - interval '7 days'
           AND d.id NOT IN (SELECT n.id FROM webhook_deliveries n WHERE n.webhook_id = d.webhook_id ORDER BY n.created_at DESC LIMIT 100)
         LIMIT 5000)`,
    );
    return deleted;
  }
}
