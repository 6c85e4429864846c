import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { IdempotencyKeyReusedException } from '../common/api-errors.js';
import { inTransaction } from '../database/transaction.js';

/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;

export interface Outcome<T> {
  readonly body: T;
  /** True when this is the stored answer to an earlier request with the same key. */
  readonly replayed: boolean;
}

/**
 * Writes that are safe to retry: with an Idempotency-Key, the first request
 * of that key (per user, for 24 hours) is the only one that runs; a retry
 * gets the first answer back, and the same key with another route or body is
 * refused (422). Without a key, the work simply runs in a transaction.
 */
@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * `route` names the kind of write (`POST /api/tasks`); `request` is what
   * makes two requests the same (the body, and anything else that matters).
   * `work` runs in the same transaction as the claim of the key, so a failed
   * write leaves the key unused.
   */
  async run<T>(
    userId: string,
    key: string | undefined,
    route: string,
    request: unknown,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<Outcome<T>> {
    if (key === undefined) return { body: await inTransaction(this.dataSource, work), replayed: false };
    const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
    return inTransaction(this.dataSource, async (manager) => {
      // Claims the key, or finds it taken. A concurrent request with the same
      // key waits here on the primary key until the first one commits, then
      // sees its row: exactly one of them does the work. An expired key is
      // claimed afresh.
      const claimed: unknown[] = await manager.query(
        `INSERT INTO idempotency_keys AS k (user_id, key, route, request_hash, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
         ON CONFLICT (user_id, key) DO UPDATE
           SET route = EXCLUDED.route, request_hash = EXCLUDED.request_hash, response = NULL, created_at = now(),
               expires_at = EXCLUDED.expires_at
           WHERE k.expires_at <= now()
         RETURNING 1`,
        [userId, key, route, requestHash, IDEMPOTENCY_KEY_TTL_SECONDS],
      );
      if (claimed.length === 0) {
        const [first]: { route: string; request_hash: string; response: T }[] = await manager.query(
          'SELECT route, request_hash, response FROM idempotency_keys WHERE user_id = $1 AND key = $2',
          [userId, key],
        );
        if (first.route !== route || first.request_hash !== requestHash) throw new IdempotencyKeyReusedException();
        return { body: first.response, replayed: true };
      }
      const body = await work(manager);
      await manager.query('UPDATE idempotency_keys SET response = $3 WHERE user_id = $1 AND key = $2', [userId, key, JSON.stringify(body)]);
      return { body, replayed: false };
    });
  }
}

/** JSON with object keys sorted, so the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
