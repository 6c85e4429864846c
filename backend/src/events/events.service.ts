import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../common/current-user.decorator.js';
import { UserWorkLimit } from '../common/user-work-limit.js';
import { InvalidTokenException } from '../common/api-errors.js';
import { SessionsRepository } from '../sessions/sessions.repository.js';
import { UsersService } from '../users/users.service.js';
import type { EventTicketResponse } from './dto/event-ticket.response.js';
import { EventHub, type StreamStart } from './event-hub.js';
import { EventTicketsService, type TicketClaims } from './event-tickets.service.js';
import { SseConnection } from './sse-connection.js';
import { EventLog } from './event-log.js';

export interface OpenStreamOptions {
  /** The Last-Event-ID the client resumes after; absent for a fresh start. */
  readonly resumeFrom?: bigint;
  /** Set when the stream is opened with a ticket rather than a bearer token. */
  readonly ticket?: TicketClaims;
}

@Injectable()
export class EventsService {
  constructor(
    private readonly tickets: EventTicketsService,
    private readonly hub: EventHub,
    private readonly log: EventLog,
    private readonly users: UsersService,
    private readonly userWork: UserWorkLimit,
    private readonly sessions: SessionsRepository,
  ) {}

  async issueTicket(user: AuthUser): Promise<EventTicketResponse> {
    await this.assertCredentialStands(user);
    return this.tickets.issue(user);
  }

  /** What HEAD answers: whether a GET could open a stream now, using nothing up. */
  async checkStream(user: AuthUser, ticket: TicketClaims | undefined): Promise<void> {
    if (ticket) await this.tickets.assertUnused(ticket);
    await this.assertCredentialStands(user);
  }

  /**
   * Access tokens are checked without a database read, so one outlives its
   * session by up to its lifetime; a stream would outlive it for ever. So
   * opening one (or getting a ticket for one) checks that the session, or
   * the personal token, still stands; the hub then checks open streams every
   * few seconds (EventHub, CREDENTIAL_CHECK_MS).
   */
  private async assertCredentialStands(user: AuthUser): Promise<void> {
    const credential = user.credential;
    const alive =
      credential.kind === 'session' && credential.sessionId
        ? await this.sessions.alive({ sessions: [credential.sessionId], apiTokens: [], users: [] }, 'requests')
        : credential.kind === 'api-token'
          ? await this.sessions.alive({ sessions: [], apiTokens: [credential.tokenId], users: [] }, 'requests')
          : undefined;
    if (alive && alive.size === 0) throw new InvalidTokenException();
    await this.users.assertExists(user.id);
  }

  /**
   * Everything that can fail happens before the first byte of the stream,
   * so every failure is still an ordinary JSON error response. The setup's
   * queries count against the user's share of the database like any
   * request's; the open stream does not (the hub reads on its own pool).
   */
  async openStream(user: AuthUser, reply: FastifyReply, options: OpenStreamOptions): Promise<void> {
    // Lower case, as the trigger and the outbox rows have it.
    const userId = user.id.toLowerCase();
    const release = this.hub.reserve(userId);
    // A client that leaves during the setup gives its slot back too.
    reply.raw.once('close', release);
    let start: StreamStart;
    try {
      const doneWithDatabase = await this.userWork.acquire(userId);
      try {
        if (options.ticket) await this.tickets.consume(options.ticket);
        await this.assertCredentialStands(user);
        start = await this.startingPoint(userId, options.resumeFrom);
      } finally {
        doneWithDatabase();
      }
    } catch (error) {
      release();
      throw error;
    }
    if (reply.raw.destroyed) return;
    // From here on the response is written by the hub, not by Fastify.
    reply.hijack();
    const connection = SseConnection.open(reply.raw, reply.getHeaders());
    this.hub.open(userId, start, connection, { expiresAt: user.expiresAt, credential: user.credential }, release);
  }

  private async startingPoint(userId: string, resumeFrom: bigint | undefined): Promise<StreamStart> {
    if (resumeFrom === undefined) return { cursor: await this.log.head(userId) };
    const check = await this.log.checkResume(userId, resumeFrom);
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
