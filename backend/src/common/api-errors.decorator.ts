import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBody } from './error-body.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (details name each bad field)',
  401: 'Missing, invalid or expired token, or bad credentials',
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

/** A status, or a status with a description of its own for this route. */
export type ErrorStatus = number | readonly [number, string];

/**
 * Documents the error responses of a route, all in the one error shape. Every
 * route can answer 500 and, while the database is away, 503; a route that
 * takes a body (413) also refuses other media types (415).
 */
export function ApiErrors(...statuses: ErrorStatus[]) {
  const described = new Map<number, string>();
  for (const status of statuses) {
    if (typeof status === 'number') described.set(status, DESCRIPTIONS[status]);
    else described.set(status[0], status[1]);
  }
  if (described.has(413)) described.set(415, DESCRIPTIONS[415]);
  described.set(500, DESCRIPTIONS[500]);
  described.set(503, DESCRIPTIONS[503]);
  return applyDecorators(
    ...[...described]
      .sort(([a], [b]) => a - b)
      .map(([status, description]) => ApiResponse({ status, description, type: ErrorBody })),
  );
}
