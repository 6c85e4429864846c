import { createHmac, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { BACKGROUND } from '../database/data-source-options.js';
import type { AuthUser, Credential } from '../common/current-user.decorator.js';
import type { EventTicketResponse } from './dto/event-ticket.response.js';
import { API_TOKEN_SCOPES } from '../common/scopes.js';
import { InvalidTicketException } from './event-errors.js';
import { EventTicket } from './outbox-event.entity.js';

export const TICKET_TTL_SECONDS = 60;

/**
 * The tickets' signing key, derived from JWT_SECRET rather than equal to it:
 * a ticket is then never a valid bearer token and a bearer token never a
 * valid ticket, although both are HS256 JWTs with a `sub`. A ticket travels
 * in a URL (EventSource cannot send headers), where it may be logged by a
 * proxy; one that leaks that way opens, at most, one stream for 60 seconds.
 */
export function ticketSigningKey(jwtSecret: string): Buffer {
  return createHmac('sha256', jwtSecret).update('evolution-of-todo:event-ticket').digest();
}

export interface TicketClaims {
  readonly userId: string;
  /** `jti`: the key of its row in `event_tickets` once used. */
  readonly id: string;
  readonly expiresAt: Date;
  /**
   * When the bearer token the ticket was got with expires (epoch ms, claim
   * `tex`): a stream opened with the ticket ends then, as one opened with
   * the token itself would.
   */
  readonly tokenExpiresAt: number;
  /** The credential the ticket was got with (claim `cred`): the stream ends when it is revoked. */
  readonly credential: Credential;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COMPACT_JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

@Injectable()
export class EventTicketsService {
  /** The JwtService of EventsModule: signs and verifies with the ticket key only. */
  constructor(
    private readonly jwt: JwtService,
    @InjectRepository(EventTicket) private readonly tickets: Repository<EventTicket>,
    @InjectDataSource(BACKGROUND) private readonly background: DataSource,
  ) {}

  /** The ticket carries the asking credential's expiry and identity: a stream opened with it ends with that credential. */
  async issue(user: AuthUser): Promise<EventTicketResponse> {
    const credential = user.credential;
    const cred = credential.kind === 'api-token' ? `t:${credential.tokenId}` : credential.sessionId ? `s:${credential.sessionId}` : undefined;
    const ticket = await this.jwt.signAsync(
      {
        sub: user.id,
        tex: Math.floor(user.expiresAt / 1000),
        ...(cred && { cred }),
        // A personal token's scopes decide which events its stream carries.
        ...(credential.kind === 'api-token' && { scp: credential.scopes }),
      },
      { jwtid: randomUUID() },
    );
    return { ticket, expires_in: TICKET_TTL_SECONDS };
  }

  /** Signature, expiry and claims; whether it was used already is `consume`'s question. */
  async verify(ticket: unknown): Promise<TicketClaims> {
    if (typeof ticket !== 'string' || !COMPACT_JWT.test(ticket)) throw new InvalidTicketException();
    let payload: { sub?: unknown; jti?: unknown; exp?: unknown; tex?: unknown; cred?: unknown; scp?: unknown };
    try {
      payload = await this.jwt.verifyAsync(ticket);
    } catch (error) {
      throw new InvalidTicketException((error as Error).name === 'TokenExpiredError' ? 'Ticket expired' : 'Invalid ticket');
    }
    const { sub, jti, exp, tex, cred, scp } = payload;
    const credentialMatch = typeof cred === 'string' ? /^([st]):([0-9a-f-]{36})$/i.exec(cred) : null;
    if (
      typeof sub !== 'string' ||
      !UUID.test(sub) ||
      typeof jti !== 'string' ||
      !UUID.test(jti) ||
      typeof exp !== 'number' ||
      typeof tex !== 'number' ||
      (cred !== undefined && (!credentialMatch || !UUID.test(credentialMatch[2]))) ||
      (scp !== undefined && !(Array.isArray(scp) && scp.every((scope) => (API_TOKEN_SCOPES as readonly unknown[]).includes(scope))))
    ) {
      throw new InvalidTicketException();
    }
    // The token it was got with has expired since: so has the ticket.
    if (tex * 1000 <= Date.now()) throw new InvalidTicketException('Ticket expired');
    const credential: Credential = !credentialMatch
      ? { kind: 'session' }
      : credentialMatch[1] === 's'
        ? { kind: 'session', sessionId: credentialMatch[2].toLowerCase() }
        : // The scopes were checked when the ticket was issued (tasks:read at least).
          { kind: 'api-token', tokenId: credentialMatch[2].toLowerCase(), scopes: (scp as string[] | undefined) ?? ['tasks:read'] };
    return { userId: sub.toLowerCase(), id: jti.toLowerCase(), expiresAt: new Date(exp * 1000), tokenExpiresAt: tex * 1000, credential };
  }

  /** The primary key settles two requests racing with one ticket: exactly one inserts the row. */
  async consume(claims: TicketClaims): Promise<void> {
    const rows: unknown[] = await this.tickets.query(
      'INSERT INTO event_tickets (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id',
      [claims.id, claims.expiresAt],
    );
    if (rows.length === 0) throw new InvalidTicketException('Ticket already used');
  }

  /** For HEAD, which answers as GET would without using the ticket up. */
  async assertUnused(claims: TicketClaims): Promise<void> {
    const rows: unknown[] = await this.tickets.query('SELECT 1 FROM event_tickets WHERE id = $1', [claims.id]);
    if (rows.length > 0) throw new InvalidTicketException('Ticket already used');
  }

  /**
   * An expired ticket fails verification before its row is looked at, so the
   * row can go; five minutes late, so an instance whose clock is behind the
   * database's cannot accept a ticket again whose row is already gone.
   */
  async purgeExpired(): Promise<number> {
    const [, deleted]: [unknown[], number] = await this.background.query(
      "DELETE FROM event_tickets WHERE expires_at < now() - interval '5 minutes'",
    );
    return deleted;
  }
}
