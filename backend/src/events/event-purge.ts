import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { EventTicketsService } from './event-tickets.service.js';
import { EventLog } from './event-log.js';

/**
 * History kept for Last-Event-ID resumption. The contract promises at least
 * five minutes; an hour covers a laptop lid closed over lunch, and a busy
 * hour of events is still a small table.
 */
export const EVENT_RETENTION_SECONDS = 3600;
const PURGE_BATCH = 5000;

@Injectable()
export class EventPurge {
  private readonly logger = new Logger('EventPurge');

  constructor(
    private readonly log: EventLog,
    private readonly tickets: EventTicketsService,
  ) {}

  @Interval('event-purge', 60_000)
  async run(): Promise<void> {
    try {
      const events = await this.log.purge(EVENT_RETENTION_SECONDS, PURGE_BATCH);
      const tickets = await this.tickets.purgeExpired();
      if (events > 0 || tickets > 0) this.logger.log(`Purged ${events} task event(s) and ${tickets} used ticket(s)`);
    } catch (error) {
      // The next run picks up where this one stopped.
      this.logger.warn(`Purging task events failed: ${(error as Error).message}`);
    }
  }
}
