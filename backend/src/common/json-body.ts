import { HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * No request body of this API is deeper than an object holding an array
 * (`{"tags": [...]}`). Anything far deeper is an attack on the recursive code
 * behind the parser (class-transformer overflows its stack at a few thousand
 * levels), so it is refused before JSON.parse runs.
 */
export const MAX_JSON_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Route config (`@RouteConfig({ [RAW_BODY]: true })`) for a route that takes
 * a file as its body: the body reaches the handler as a Buffer of up to
 * RAW_BODY_LIMIT bytes, unparsed, as `application/json` or `text/csv`. Every
 * other route takes only JSON objects of up to 100 kB, and refuses text/csv.
 */
export const RAW_BODY = 'rawBody';
export const RAW_BODY_LIMIT = 20 * 1024 * 1024;

const takesRawBody = (request: FastifyRequest) => (request.routeOptions?.config as unknown as Record<string, unknown> | undefined)?.[RAW_BODY] === true;

/**
 * Makes `application/json` the only body the API accepts, and parses it
 * strictly: the bytes must be valid UTF-8 (never silently replaced with
 * U+FFFD), a declared charset must be UTF-8, nesting is bounded, and
 * `__proto__` / `constructor.prototype` keys are refused (Fastify's own
 * secure parser). Form and text bodies get 415, so a cross-site HTML form
 * cannot post to the API as a "simple" request that skips CORS preflight.
 */
export function useStrictJsonBodies(fastify: FastifyInstance, bodyLimit: number): void {
  // A route-level limit wins over the parsers' own (Fastify), so file routes take more.
  fastify.addHook('onRoute', (route) => {
    if ((route.config as Record<string, unknown> | undefined)?.[RAW_BODY] === true) route.bodyLimit = RAW_BODY_LIMIT;
  });
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'text/csv',
    { parseAs: 'buffer', bodyLimit },
    (request: FastifyRequest, body: Buffer | string, done: (error: Error | null, value?: unknown) => void) => {
      if (!takesRawBody(request)) {
        done(new HttpException('Unsupported content type: send application/json', HttpStatus.UNSUPPORTED_MEDIA_TYPE));
        return;
      }
      done(null, body);
    },
  );
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (request: FastifyRequest, body: Buffer | string, done: (error: Error | null, value?: unknown) => void) => {
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
        done(new HttpException('Unsupported charset: send UTF-8 JSON', HttpStatus.UNSUPPORTED_MEDIA_TYPE));
        return;
      }
      // A file upload (an import): handed over as bytes, read by its own parser.
      if (takesRawBody(request)) {
        done(null, body);
        return;
      }
      let text: string;
      try {
        text = typeof body === 'string' ? body : utf8.decode(body);
      } catch {
        done(new HttpException('Request body is not valid UTF-8', HttpStatus.BAD_REQUEST));
        return;
      }
      // A DELETE that declares JSON but sends nothing has no body, not a broken one.
      if (text.length === 0 && request.method === 'DELETE') {
        done(null, undefined);
        return;
      }
      if (exceedsDepth(text, MAX_JSON_DEPTH)) {
        done(new HttpException(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`, HttpStatus.BAD_REQUEST));
        return;
      }
      // Fastify's default parser answers through `done`; its type also allows a
      // promise-returning parser, which this one is not.
      void parseJson(request, text, done);
    },
  );
}

/** One pass over the text, skipping string contents; malformed input is left to the parser. */
export function exceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}
