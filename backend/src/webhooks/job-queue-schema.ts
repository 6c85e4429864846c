import PgBoss from 'pg-boss';
import type { SchemaStep } from '../database/data-source-options.js';
import { DELIVERY_QUEUE } from './webhooks.repository.js';

/** The delivery queue's options; `webhook_delivery_enqueue` gives each job the same. */
export const DELIVERY_QUEUE_OPTIONS = { policy: 'standard' as const, retryLimit: 5, retryDelay: 2, expireInSeconds: 20 };

/**
 * pg-boss's schema (`pgboss`) and the delivery queue, installed or upgraded by
 * the same step, under the same advisory lock, as the migrations: instances
 * starting together would otherwise race in pg-boss's partition DDL (seen
 * here: a deadlock when three started at once). With MIGRATIONS_RUN=false it
 * is only checked, like the migrations.
 */
export const installJobQueue: SchemaStep = async (client, mode) => {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => client.query(text, values) },
    migrate: mode === 'run',
    supervise: false,
    schedule: false,
  });
  boss.on('error', () => undefined);
  try {
    await boss.start();
  } catch (error) {
    throw new Error(
      `the webhook job queue (schema pgboss) is ${mode === 'check' ? 'missing or older than this build' : 'not installable'}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  try {
    if (!(await boss.getQueue(DELIVERY_QUEUE))) {
      if (mode === 'check') throw new Error(`the webhook job queue has no queue ${DELIVERY_QUEUE}: run the release step first`);
      await boss.createQueue(DELIVERY_QUEUE, { name: DELIVERY_QUEUE, ...DELIVERY_QUEUE_OPTIONS });
    }
  } finally {
    await boss.stop({ close: false, graceful: false, wait: true });
  }
};
