import { HttpErrorResponse } from '@angular/common/http';
import type { AbstractControl } from '@angular/forms';
import { ApiErrorBody, ApiFieldError, PreconditionFailedBody, Task } from './api-models';

/** Every failed API call surfaces as this, with a message fit to show a person. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: readonly ApiFieldError[] = [],
    /** Seconds to wait, from `Retry-After` on a 429. */
    readonly retryAfter: number | null = null,
    /** On a 412: the task as it is now, which the request did not change. */
    readonly current: Task | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Message of the detail for `field`, if the server sent one. */
  fieldMessage(field: string): string | null {
    return this.details.find((d) => d.field === field)?.message ?? null;
  }
}

/**
 * Puts each server `details` message on the form control it names, as a
 * `server` error shown beside the field. Returns whether any was placed; if
 * none was, the caller shows the message for the whole form.
 */
export function placeFieldErrors(
  error: unknown,
  controls: Record<string, AbstractControl>,
): boolean {
  if (!(error instanceof ApiError)) return false;
  let placed = false;
  for (const [field, control] of Object.entries(controls)) {
    const message = error.fieldMessage(field);
    if (message) {
      control.setErrors({ server: message });
      placed = true;
    }
  }
  return placed;
}

/** The body of an error response, parsed if it arrived as text; null if it is not JSON. */
export function errorResponseBody(response: HttpErrorResponse): unknown {
  if (typeof response.error !== 'string') return response.error;
  try {
    return JSON.parse(response.error);
  } catch {
    return null;
  }
}

/** The `current` task a 412 answer carries, if it has one. */
export function currentTaskOf(body: unknown): Task | null {
  if (!isApiErrorBody(body)) return null;
  const current: unknown = (body as Partial<PreconditionFailedBody>).error?.current;
  return typeof current === 'object' && current !== null && 'id' in current
    ? (current as Task)
    : null;
}

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const error = (body as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: 'The request was not accepted. Check the values and try again.',
  401: 'Your session has ended. Please log in again.',
  403: 'You do not have access to this.',
  404: 'Not found.',
  412: 'This was changed elsewhere in the meantime.',
  413: 'That is too large to send.',
  429: 'Too many attempts.',
  500: 'Something went wrong on the server. Please try again.',
  502: 'The server is not reachable right now. Please try again shortly.',
  503: 'The service is temporarily unavailable. Please try again shortly.',
  504: 'The server took too long to answer. Please try again.',
};

function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Turns whatever HttpClient reported into an ApiError with a readable message. */
export function toApiError(response: HttpErrorResponse): ApiError {
  if (response.status === 0) {
    return new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
  }
  const body = errorResponseBody(response);
  const retryAfter = parseRetryAfter(response.headers?.get('Retry-After') ?? null);
  let message: string;
  let details: ApiFieldError[] = [];
  if (isApiErrorBody(body)) {
    message = body.error.message;
    details = Array.isArray(body.error.details) ? body.error.details : [];
  } else {
    message =
      FALLBACK_MESSAGES[response.status] ??
      `The request failed (HTTP ${response.status}). Please try again.`;
  }
  if (response.status === 429 && retryAfter !== null) {
    message = `${message.replace(/\.?\s*$/, '.')} Try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`;
  }
  const current = response.status === 412 ? currentTaskOf(body) : null;
  return new ApiError(response.status, message, details, retryAfter, current);
}

/** Message for any error a component might catch. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return 'Something went wrong. Please try again.';
}
