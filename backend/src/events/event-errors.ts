import { HttpException, HttpStatus } from '@nestjs/common';
import { RetryLaterException } from '../common/api-errors.js';

/** A stream ticket that is forged, expired, or was used already: a 401 like a bad token. */
export class InvalidTicketException extends HttpException {
  constructor(message: 'Invalid ticket' | 'Ticket expired' | 'Ticket already used' = 'Invalid ticket') {
    super(message, HttpStatus.UNAUTHORIZED);
  }
}

export class TooManyEventStreamsException extends RetryLaterException {
  constructor(limit: number) {
    // A slot is held by a dead connection until a heartbeat write fails on it.
    super(`Too many open event streams (at most ${limit} per user): close one first`, HttpStatus.TOO_MANY_REQUESTS, 30);
  }
}

/** The instance holds as many streams as SSE_MAX_STREAMS allows; another instance, or this one later, will take it. */
export class EventStreamsAtCapacityException extends RetryLaterException {
  constructor() {
    // Slots free up as clients leave; behind a balancer the retry may land elsewhere at once.
    super('This server has as many open event streams as it can take: try again shortly', HttpStatus.SERVICE_UNAVAILABLE, 10);
  }
}

/** Once shutdown has begun, no stream is opened only to be cut at once. */
export class EventsShuttingDownException extends HttpException {
  constructor() {
    super('Shutting down, reconnect to another instance', HttpStatus.SERVICE_UNAVAILABLE);
  }
}
