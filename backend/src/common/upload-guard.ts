import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RAW_BODY } from './json-body.js';

/** Uploads (RAW_BODY routes) buffered at once on one instance; one more is a 503 with Retry-After. */
export const MAX_CONCURRENT_UPLOADS = 4;

/**
 * A route that takes a file reads up to 20 MB before Nest's guards run (Fastify parses the
 * body first). So it is checked here, before a byte of the body is read: the bearer must be a
 * valid access token (`verify`), and at most MAX_CONCURRENT_UPLOADS bodies are read at once.
 * Without this an anonymous client could make the instance buffer 20 MB per request.
 */
export function guardUploads(
  fastify: FastifyInstance,
  check: (request: FastifyRequest) => Promise<'session' | 'api-token' | 'invalid'>,
): void {
  let inFlight = 0;
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = await check(request);
    if (caller === 'api-token') {
      // What ScopeGuard would answer after reading the body: uploads are account routes.
      await reply
        .code(HttpStatus.FORBIDDEN)
        .header('WWW-Authenticate', 'Bearer error="insufficient_scope"')
        .type('application/json; charset=utf-8')
        .send({ error: { code: 403, message: 'insufficient_scope: account routes need a signed-in session, not a personal API token' } });
      return reply;
    }
    if (caller === 'invalid') {
      await reply
        .code(HttpStatus.UNAUTHORIZED)
        .header('WWW-Authenticate', 'Bearer')
        .type('application/json; charset=utf-8')
        .send({ error: { code: 401, message: 'Invalid token' } });
      return reply;
    }
    if (inFlight >= MAX_CONCURRENT_UPLOADS) {
      await reply
        .code(HttpStatus.SERVICE_UNAVAILABLE)
        .header('Retry-After', '5')
        .type('application/json; charset=utf-8')
        .send({ error: { code: 503, message: 'Too many uploads in progress on this server: try again shortly' } });
      return reply;
    }
    inFlight++;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        inFlight--;
      }
    };
    reply.raw.once('close', release);
  };
  // A hook of the upload routes only: every other request would otherwise pay for an async hook.
  fastify.addHook('onRoute', (route) => {
    if ((route.config as Record<string, unknown> | undefined)?.[RAW_BODY] !== true) return;
    const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...own, guard];
  });
}
