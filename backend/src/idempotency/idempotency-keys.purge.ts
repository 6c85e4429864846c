import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BACKGROUND } from '../database/data-source-options.js';
import { purgeExpiredIdempotencyKeys } from './idempotency-keys.purge-query.js';

/**
 * Deletes Idempotency-Keys past their 24 hours. Every instance runs it; the
 * batches are small and a row deleted twice is no harm. Expired keys are
 * ignored by creates anyway, so a missed run only costs disk.
 */
@Injectable()
export class IdempotencyKeysPurge {
  private readonly logger = new Logger(IdempotencyKeysPurge.name);

  /** The background pool: a busy request pool never holds the purge up. */
  constructor(@InjectDataSource(BACKGROUND) private readonly dataSource: DataSource) {}

  @Cron(CronExpression.EVERY_10_MINUTES)
  async run(): Promise<void> {
    try {
      const deleted = await purgeExpiredIdempotencyKeys(async (sql, params) => {
        const [, affected]: [unknown[], number] = await this.dataSource.query(sql, params);
        return affected;
      });
      if (deleted > 0) this.logger.log(`Purged ${deleted} expired idempotency key(s)`);
    } catch (error) {
      // The database may be away; the next run catches up.
      this.logger.warn(`Idempotency key purge failed: ${(error as Error).message}`);
    }
  }
}
