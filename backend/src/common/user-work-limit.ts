import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TooManyConcurrentRequestsException } from './api-errors.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import type { AuthUser } from './current-user.decorator.js';

/**
 * Fair shares of the database per user, on each instance: at most
 * `DB_CONCURRENCY_PER_USER` of one user's requests run at once, up to
 * `DB_QUEUE_PER_USER` more wait their turn in order, and past that the user
 * gets a 429 with Retry-After. The request pool (20 connections) therefore
 * never holds more than a few of one user's statements, however many
 * requests they send: a user who floods the API with expensive searches
 * waits behind their own queue, while everyone else's requests find free
 * connections and idle cores.
 */
@Injectable()
export class UserWorkLimit {
  private readonly users = new Map<string, ConcurrencyLimit>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Waits for one of the user's slots; the returned function gives it back (any number of calls). */
  async acquire(userId: string): Promise<() => void> {
    let limit = this.users.get(userId);
    if (!limit) {
      limit = new ConcurrencyLimit(this.config.dbConcurrencyPerUser);
      this.users.set(userId, limit);
    }
    if (limit.active >= limit.slots && limit.queued >= this.config.dbQueuePerUser) {
      throw new TooManyConcurrentRequestsException();
    }
    const release = await limit.acquire();
    const user = limit;
    return () => {
      release();
      if (user.active === 0 && user.queued === 0 && this.users.get(userId) === user) this.users.delete(userId);
    };
  }
}

/**
 * Global, after the JWT guard: every authenticated request holds one of its
 * user's slots (UserWorkLimit) from here until its response is over. Public
 * routes have no user and are limited otherwise (rate limits, the password
 * hasher's queue); the event stream, public to this guard, takes a slot for
 * its setup only (EventsService).
 */
@Injectable()
export class UserWorkGuard implements CanActivate {
  constructor(private readonly limit: UserWorkLimit) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: AuthUser }>();
    if (!request.user) return true;
    const release = await this.limit.acquire(request.user.id);
    // 'close' comes after the response is sent, and also when the client left before.
    const response = http.getResponse<FastifyReply>().raw;
    if (response.destroyed) release();
    else response.once('close', release);
    return true;
  }
}
