import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBody } from './error-body.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (details name each bad field)',
  401: 'Missing, invalid or expired token (WWW-Authenticate: Bearer), or bad credentials',
  403: 'Access denied: task not found or not owned by user',
  404: 'Not found',
  409: 'Email already registered',
  413: 'Request body over 100 kB',
  429: 'Too many requests (see Retry-After, in seconds)',
  500: 'Internal server error',
  503: 'Database unavailable',
};

/** Documents the error responses of a route, all in the one error shape. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...[...statuses, 500].map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorBody }),
    ),
  );
}
