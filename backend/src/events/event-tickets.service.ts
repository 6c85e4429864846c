import { createHmac, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { EventTicketResponse } from './dto/event-ticket.response.js';
import { InvalidTicketException } from './event-errors.js';
import { EventTicket } from './task-event.entity.js';

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
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COMPACT_JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

@Injectable()
export class EventTicketsService {
  /** The JwtService of EventsModule: signs and verifies with the ticket key only. */
  constructor(
    private readonly jwt: JwtService,
    @InjectRepository(EventTicket) private readonly tickets: Repository<EventTicket>,
  ) {}

  async issue(userId: string): Promise<EventTicketResponse> {
    const ticket = await this.jwt.signAsync({ sub: userId }, { jwtid: randomUUID() });
    return { ticket, expires_in: TICKET_TTL_SECONDS };
  }

  /** Signature, expiry and claims; whether it was used already is `consume`'s question. */
  async verify(ticket: unknown): Promise<TicketClaims> {
    if (typeof ticket !== 'string' || !COMPACT_JWT.test(ticket)) throw new InvalidTicketException();
    let payload: { sub?: unknown; jti?: unknown; exp?: unknown };
    try {
      payload = await this.jwt.verifyAsync(ticket);
    } catch (error) {
      throw new InvalidTicketException((error as Error).name === 'TokenExpiredError' ? 'Ticket expired' : 'Invalid ticket');
    }
    const { sub, jti, exp } = payload;
    if (typeof sub !== 'string' || !UUID.test(sub) || typeof jti !== 'string' || !UUID.test(jti) || typeof exp !== 'number') {
      throw new InvalidTicketException();
    }
    return { userId: sub.toLowerCase(), id: jti.toLowerCase(), expiresAt: new Date(exp * 1000) };
  }

  /** The primary key settles two requests racing with one ticket: exactly one inserts the row. */
  async consume(claims: TicketClaims): Promise<void> {
    const rows: unknown[] = await this.tickets.query(
      'INSERT INTO event_tickets (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id',
      [claims.id, claims.expiresAt],
    );
    if (rows.length === 0) throw new InvalidTicketException('Ticket already used');
  }

  /**
   * An expired ticket fails verification before its row is looked at, so the
   * row can go; five minutes late, so an instance whose clock is behind the
   * database's cannot accept a ticket again whose row is already gone.
   */
  async purgeExpired(): Promise<number> {
    const [, deleted]: [unknown[], number] = await this.tickets.query(
      "DELETE FROM event_tickets WHERE expires_at < now() - interval '5 minutes'",
    );
    return deleted;
  }
}
