import { HttpException, HttpStatus } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import rateLimit from '@fastify/rate-limit';

/**
 * Route config that puts a route under the auth rate limit: each such route
 * has its own budget per client IP, counted before the body is even parsed.
 */
export const AUTH_RATE_LIMITED = { rateLimit: {} };

/**
 * `limit` requests per minute per client IP on the routes marked
 * AUTH_RATE_LIMITED; 0 turns it off. The counters live in this process, so
 * with several instances each keeps its own.
 */
export async function registerAuthRateLimit(app: NestFastifyApplication, limit: number): Promise<void> {
  if (limit === 0) return;
  await app.register(rateLimit, {
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
