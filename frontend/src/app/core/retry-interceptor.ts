import {
  HttpErrorResponse,
  HttpInterceptorFn,
  HttpRequest,
  HttpResponse,
} from '@angular/common/http';
import { catchError, defer, of, retry, throwError, timer } from 'rxjs';
import { currentTaskOf, errorResponseBody } from './api-error';

/** Attempts in all, the first one included. */
export const MAX_ATTEMPTS = 5;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 4_000;
/** ±20 %, so clients cut off by the same outage do not all come back in the same instant. */
const JITTER = 0.2;

/** No answer at all, or a proxy saying the API is down or slow: the request may work again. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([0, 502, 503, 504]);

/**
 * Whether sending the request twice cannot do anything twice: reads; creates that carry an
 * Idempotency-Key (the API answers a repeat with the first result); and writes guarded by
 * If-Match (a repeat of one that landed fails with 412 instead of applying again).
 */
export function isRetrySafe(req: HttpRequest<unknown>): boolean {
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return true;
    case 'POST':
      return req.headers.has('Idempotency-Key');
    case 'PATCH':
    case 'DELETE':
      return req.headers.has('If-Match');
    default:
      return false;
  }
}

/** Wait before retry number `retry` (1-based): 0.5 s, 1 s, 2 s, 4 s, 4 s…, each ±20 %. */
export function retryDelay(retry: number, random = Math.random()): number {
  const nominal = Math.min(FIRST_DELAY_MS * 2 ** (retry - 1), MAX_DELAY_MS);
  return Math.round(nominal * (1 - JITTER + 2 * JITTER * random));
}

function isTransient(error: unknown): boolean {
  return error instanceof HttpErrorResponse && TRANSIENT_STATUSES.has(error.status);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * A retry that fails only because an earlier attempt did land (its answer was lost): the
 * outcome the caller wanted, so it is reported as a success.
 */
function landedEarlier(req: HttpRequest<unknown>, error: unknown): HttpResponse<unknown> | null {
  if (!(error instanceof HttpErrorResponse)) return null;
  const url = error.url ?? req.urlWithParams;
  if (req.method === 'DELETE' && (error.status === 403 || error.status === 404)) {
    return new HttpResponse({ status: 204, statusText: 'No Content', url });
  }
  if (req.method === 'PATCH' && error.status === 412) {
    const current = currentTaskOf(errorResponseBody(error));
    const changes = (req.body ?? {}) as Record<string, unknown>;
    const applied =
      current !== null &&
      Object.entries(changes).every(([field, value]) =>
        sameValue((current as unknown as Record<string, unknown>)[field], value),
      );
    if (applied) {
      return new HttpResponse({
        status: 200,
        statusText: 'OK',
        body: current,
        headers: error.headers,
        url,
      });
    }
  }
  return null;
}

/**
 * Retries requests that are safe to repeat (see isRetrySafe) when the network or a proxy
 * failed, with exponential backoff, up to MAX_ATTEMPTS; the same request goes out each time,
 * so a create keeps its Idempotency-Key. Sits after the error interceptor, which sees only
 * the final outcome.
 */
export const retryInterceptor: HttpInterceptorFn = (req, next) => {
  if (!isRetrySafe(req)) return next(req);
  let attempts = 0;
  return defer(() => {
    attempts++;
    return next(req);
  }).pipe(
    retry({
      count: MAX_ATTEMPTS - 1,
      delay: (error: unknown, retryCount: number) =>
        isTransient(error) ? timer(retryDelay(retryCount)) : throwError(() => error),
    }),
    catchError((error: unknown) => {
      const success = attempts > 1 ? landedEarlier(req, error) : null;
      return success ? of(success) : throwError(() => error);
    }),
  );
};
