import type { DataSource, EntityManager } from 'typeorm';
import { QueryFailedError } from 'typeorm';

/**
 * Serialization failures and deadlocks: PostgreSQL rolled the transaction
 * back so that another could go on, and running it again is the answer. A
 * user's writes touching the same rows in different orders (a subtask and
 * its parent, two bulk edits) can meet this way.
 */
const RETRYABLE = new Set(['40001', '40P01']);

export function isRetryable(error: unknown): boolean {
  return error instanceof QueryFailedError && RETRYABLE.has((error.driverError as { code?: string }).code ?? '');
}

/** Runs `work` in a transaction, again (up to `attempts` times) when PostgreSQL asks for a retry. */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
      // A short random wait, so the transactions that collided do not collide again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
