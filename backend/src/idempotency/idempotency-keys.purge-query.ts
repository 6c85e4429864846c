/** Runs one statement and answers how many rows it affected. */
export type Execute = (sql: string, params: unknown[]) => Promise<number>;

/**
 * Deletes Idempotency-Keys past their expiry, in batches so no statement
 * holds locks for long. Kept free of Nest so tests can run it directly.
 */
export async function purgeExpiredIdempotencyKeys(execute: Execute, batchSize = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await execute(
      `DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT $1))`,
      [batchSize],
    );
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
