import type { ServerResponse } from 'node:http';
import { Injectable, type MessageEvent } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { UsersService } from '../users/users.service.js';
import type { EventTicketResponse } from './dto/event-ticket.response.js';
import { EventHub, type StreamStart } from './event-hub.js';
import { EventTicketsService, type TicketClaims } from './event-tickets.service.js';
import { TaskEventLog } from './task-event-log.js';

export interface OpenStreamOptions {
  /** The Last-Event-ID the client resumes after; absent for a fresh start. */
  readonly resumeFrom?: bigint;
  /** Set when the stream is opened with a ticket rather than a bearer token. */
  readonly ticket?: TicketClaims;
  /** Aborted once the response is over, however it ended (even before the stream started). */
  readonly signal: AbortSignal;
  readonly response: ServerResponse;
}

@Injectable()
export class EventsService {
  constructor(
    private readonly tickets: EventTicketsService,
    private readonly hub: EventHub,
    private readonly log: TaskEventLog,
    private readonly users: UsersService,
  ) {}

  async issueTicket(userId: string): Promise<EventTicketResponse> {
    await this.users.assertExists(userId);
    return this.tickets.issue(userId);
  }

  /**
   * Everything that can fail happens here, before the first byte of the
   * stream, so every failure is still an ordinary JSON error response.
   */
  async openStream(userId: string, options: OpenStreamOptions): Promise<Observable<MessageEvent>> {
    // Lower case, as the trigger's lock key and the outbox rows have it.
    const user = userId.toLowerCase();
    const release = this.hub.reserve(user);
    // Nest never subscribes to the stream of a client that left during the
    // setup, so the slot is also given back when the response ends.
    options.signal.addEventListener('abort', release, { once: true });
    try {
      if (options.ticket) await this.tickets.consume(options.ticket);
      await this.users.assertExists(user);
      const start = await this.startingPoint(user, options.resumeFrom);
      return this.hub.stream(user, start, options.response, release);
    } catch (error) {
      release();
      throw error;
    }
  }

  private async startingPoint(userId: string, resumeFrom: bigint | undefined): Promise<StreamStart> {
    if (resumeFrom === undefined) return { cursor: await this.log.head(userId) };
    const check = await this.log.checkResume(resumeFrom);
    if (check === 'ok') return { cursor: resumeFrom };
    return {
      cursor: await this.log.head(userId),
      reset:
        check === 'purged'
          ? 'Last-Event-ID is older than the retained history'
          : 'Last-Event-ID is not an event id this server has issued',
    };
  }
}
