import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BACKGROUND } from '../database/data-source-options.js';

const BATCH = 1000;

/**
 * Deletes what has been in the trash longer than TRASH_RETENTION_DAYS, in
 * batches, on the background pool. Clients heard of these tasks' deletion
 * when they went to the trash; the purge announces nothing.
 */
@Injectable()
export class TrashPurge {
  private readonly logger = new Logger(TrashPurge.name);

  constructor(
    @InjectDataSource(BACKGROUND) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron(CronExpression.EVERY_HOUR)
  async run(): Promise<void> {
    try {
      const deleted = await this.purge(this.config.trashRetentionDays);
      if (deleted > 0) this.logger.log(`Purged ${deleted} task(s) from the trash after ${this.config.trashRetentionDays} days`);
    } catch (error) {
      this.logger.warn(`Trash purge failed: ${(error as Error).message}`);
    }
  }

  /** Whole deletions only: a task and the subtasks that went with it leave together. */
  async purge(retentionDays: number): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted]: [unknown[], number] = await this.dataSource.query(
        `DELETE FROM tasks WHERE deleted_with IN (
           SELECT id FROM tasks WHERE deleted_at IS NOT NULL AND deleted_with = id
             AND deleted_at < now() - make_interval(days => $1) LIMIT $2
         )`,
        [retentionDays, BATCH],
      );
      total += deleted;
      if (deleted === 0) return total;
    }
  }
}
