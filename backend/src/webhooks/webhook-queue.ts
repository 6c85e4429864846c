import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BACKGROUND } from '../database/data-source-options.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { DELIVERY_QUEUE, WebhooksRepository } from './webhooks.repository.js';

/**
 * One webhook's jobs of a batch are sent one after another; past this, the
 * ones not started yet are queued again instead. The last one started may
 * take the 10 s timeout: the batch stays under its jobs' 20 s expiry.
 */
const SEQUENTIAL_BUDGET_MS = 8_000;

/** What a delivery job carries: which delivery to attempt (its row holds everything else). */
interface DeliveryJobData {
  delivery_id: string;
  webhook_id: string;
  /** The event's number in its user's sequence (null for a test delivery): one webhook's order. */
  seq: string | null;
}

/**
 * The durable delivery queue: pg-boss on this database (schema `pgboss`), on
 * the background pool, so no request ever waits for a connection a worker
 * holds. Jobs are added in SQL, in the transaction of the change
 * (`webhook_delivery_enqueue`, see the migration); every instance's worker
 * takes them with SKIP LOCKED, at most WEBHOOK_CONCURRENCY at a time. A job
 * whose instance died mid-delivery stays active until its 20 s expiry, then
 * pg-boss's maintenance (every 10 s, on one instance at a time) puts it back
 * for another worker.
 *
 * Started after the migrations (createApp), not on module init.
 */
@Injectable()
export class WebhookQueue implements OnModuleDestroy {
  private readonly logger = new Logger('WebhookQueue');
  private boss: PgBoss | undefined;

  constructor(
    @InjectDataSource(BACKGROUND) private readonly background: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dispatcher: WebhookDispatcher,
    private readonly webhooks: WebhooksRepository,
  ) {}

  /** After the schema step (installJobQueue) has made sure pg-boss's schema and the queue are there. */
  async start(): Promise<void> {
    const pool = (this.background.driver as unknown as { master: Pool }).master;
    const boss = new PgBoss({
      db: { executeSql: (text: string, values?: unknown[]) => pool.query(text, values) },
      migrate: false,
      supervise: true,
      schedule: false,
      maintenanceIntervalSeconds: 10,
      archiveCompletedAfterSeconds: 3600,
      deleteAfterDays: 1,
    });
    boss.on('error', (error: Error) => this.logger.warn(`Webhook queue: ${error.message}`));
    await boss.start();
    this.boss = boss;
    await boss.work<DeliveryJobData>(
      DELIVERY_QUEUE,
      { batchSize: this.config.webhookConcurrency, pollingIntervalSeconds: 1, includeMetadata: true },
      async (jobs) => {
        // pg-boss takes the oldest jobs, but hands them over in no particular
        // order. One webhook's are sent one after another, in event order (the
        // user's sequence number); different webhooks' at the same time.
        const byWebhook = new Map<string, PgBoss.JobWithMetadata<DeliveryJobData>[]>();
        for (const job of jobs) byWebhook.set(job.data.webhook_id, [...(byWebhook.get(job.data.webhook_id) ?? []), job]);
        const order = (job: PgBoss.JobWithMetadata<DeliveryJobData>) => (job.data.seq === null ? Infinity : Number(job.data.seq));
        for (const queue of byWebhook.values()) {
          queue.sort((a, b) => order(a) - order(b) || a.createdOn.getTime() - b.createdOn.getTime());
        }
        const results = new Map<string, PromiseSettledResult<void>>();
        const later: string[] = [];
        const until = Date.now() + SEQUENTIAL_BUDGET_MS;
        await Promise.all(
          [...byWebhook.values()].map(async (queue) => {
            for (const job of queue) {
              // A slow endpoint must not keep the batch past its jobs' expiry: the rest go back to the queue.
              if (Date.now() > until) {
                later.push(job.data.delivery_id);
                continue;
              }
              // One job's failure (a database error) must not fail the others of the batch, which may have been sent.
              results.set(job.id, await this.dispatcher.deliver(job.data.delivery_id).then(
                () => ({ status: 'fulfilled', value: undefined }) as const,
                (reason: unknown) => ({ status: 'rejected', reason }) as const,
              ));
            }
          }),
        );
        if (later.length > 0) await this.webhooks.requeue(later);
        const failed = jobs.filter((job) => results.get(job.id)?.status === 'rejected').map((job) => job.id);
        if (failed.length > 0) {
          const reason = ([...results.values()].find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as Error;
          this.logger.warn(`Webhook delivery failed for ${failed.length} job(s), to be retried: ${reason.message}`);
          await boss.fail(DELIVERY_QUEUE, failed);
        }
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    // Deliveries in flight get a few seconds to finish; the rest are retried elsewhere.
    await this.boss?.stop({ graceful: true, close: false, timeout: 5_000, wait: true });
  }
}
