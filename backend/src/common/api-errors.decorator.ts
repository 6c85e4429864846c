import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBody } from './error-body.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (details name each bad field)',
  401: 'Missing, invalid or expired token (WWW-Authenticate: Bearer), or bad credentials',
  403:
    'Access denied: the resource is not found or not yours (one answer for both), or a personal API token used outside its ' +
    'scopes (`insufficient_scope` in the message and in WWW-Authenticate)',
  404: 'Not found',
  409: 'Conflict: the email is already registered, or a limit is reached',
  413: 'Request body over 100 kB',
  415: 'Body is not UTF-8 application/json',
  422: 'Idempotency-Key already used with a different request body',
  429: 'Too many requests (see Retry-After, in seconds)',
  500: 'Internal server error',
  503: 'Database unavailable, retry later',
};

const HEADERS: Record<number, Record<string, { description: string; schema: { type: 'string' | 'integer' } }>> = {
  401: { 'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } } },
  403: {
    'WWW-Authenticate': {
      description: 'On insufficient_scope only: `Bearer error="insufficient_scope", scope="<the scope needed>"` (RFC 6750)',
      schema: { type: 'string' },
    },
  },
  429: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } },
};

/**
 * Documents the error responses of a route, all in the one error shape. Every
 * route can answer 500 and, while the database is away, 503; a route that
 * takes a body (413) also refuses other media types (415).
 */
export function ApiErrors(...statuses: number[]) {
  const all = new Set([...statuses, ...(statuses.includes(413) ? [415] : []), 500, 503]);
  return applyDecorators(
    ...[...all]
      .sort((a, b) => a - b)
      .map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorBody, ...(HEADERS[status] && { headers: HEADERS[status] }) })),
  );
}
