import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';

/**
 * Route config that puts a route under the auth rate limit: each such route
 * has its own budget per client IP, counted before the body is even parsed.
 */
export const AUTH_RATE_LIMITED = { rateLimit: {} };

/**
 * `limit` requests per minute per client IP on the routes marked
 * AUTH_RATE_LIMITED; 0 turns it off. Without `redisUrl` the counters live in
 * this process, so with several instances each keeps its own; with it, every
 * instance counts against one budget in Redis.
 */
export async function registerAuthRateLimit(app: NestFastifyApplication, limit: number, redisUrl?: string): Promise<void> {
  if (limit === 0) return;
  const redis = redisUrl ? sharedCounterStore(app, redisUrl) : undefined;
  await app.register(rateLimit, {
    // A Redis outage lets requests through (logged) rather than locking every
    // user out of login; bcrypt still makes each guess expensive.
    ...(redis && { redis, nameSpace: 'evolution-of-todo:auth-rate-limit:', skipOnError: true }),
    global: false,
    max: limit,
    timeWindow: 60_000,
    hook: 'onRequest',
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
    errorResponseBuilder: (_request, context) =>
      new HttpException(
        `Too many attempts, retry in ${Math.ceil(context.ttl / 1000)} seconds`,
        HttpStatus.TOO_MANY_REQUESTS,
      ),
  });
}

function sharedCounterStore(app: NestFastifyApplication, url: string): Redis {
  const logger = new Logger('RateLimit');
  // Bounded waits: a login never hangs on an unreachable Redis for more than a retry.
  const redis = new Redis(url, {
    connectTimeout: 1000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let reachable: boolean | undefined;
  redis.on('ready', () => {
    if (reachable !== true) logger.log('Rate-limit counters shared through Redis (REDIS_URL)');
    reachable = true;
  });
  redis.on('error', (error: Error) => {
    // Once per outage, not once per reconnection attempt; never the URL (it may hold a password).
    if (reachable !== false) logger.warn(`Redis unreachable, rate limits not enforced until it is back: ${error.message}`);
    reachable = false;
  });
  app.getHttpAdapter().getInstance().addHook('onClose', async () => {
    redis.disconnect();
  });
  return redis;
}
