import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * Every SQL statement as a debug line (LOG_LEVEL=debug), without parameters
 * (they carry user data). Tests count these lines to prove that no route runs
 * a query per row.
 */
export class SqlDebugLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('SQL');

  logQuery(query: string): void {
    this.logger.debug(query.replace(/\s+/g, ' ').trim());
  }
  logQueryError(error: string | Error, query: string): void {
    this.logger.debug(`failed: ${query.replace(/\s+/g, ' ').trim()} (${error instanceof Error ? error.message : error})`);
  }
  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow (${time} ms): ${query.replace(/\s+/g, ' ').trim()}`);
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.logger.log(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}
