import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { ApiError, errorMessage, toApiError } from './api-error';

function response(status: number, error: unknown, headers: Record<string, string> = {}) {
  return new HttpErrorResponse({ status, error, headers: new HttpHeaders(headers) });
}

describe('toApiError', () => {
  it('takes the message and details of the contract error body', () => {
    const error = toApiError(
      response(400, {
        error: {
          code: 400,
          message: 'Validation failed',
          details: [{ field: 'title', message: 'title must be at least 3 characters' }],
        },
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(400);
    expect(error.message).toBe('Validation failed');
    expect(error.fieldMessage('title')).toBe('title must be at least 3 characters');
    expect(error.fieldMessage('tags')).toBeNull();
  });

  it('parses a body that arrived as text', () => {
    const error = toApiError(
      response(409, JSON.stringify({ error: { code: 409, message: 'Email already registered' } })),
    );
    expect(error.message).toBe('Email already registered');
  });

  it('says when to retry on a 429', () => {
    const error = toApiError(
      response(
        429,
        { error: { code: 429, message: 'Too many requests' } },
        { 'Retry-After': '42' },
      ),
    );
    expect(error.retryAfter).toBe(42);
    expect(error.message).toBe('Too many requests. Try again in 42 seconds.');
  });

  it('never shows a raw body: falls back to words for the status', () => {
    expect(toApiError(response(502, '<html>Bad gateway</html>')).message).toBe(
      'The server is not reachable right now. Please try again shortly.',
    );
    expect(toApiError(response(418, null)).message).toBe(
      'The request failed (HTTP 418). Please try again.',
    );
  });

  it('carries the current task of a 412', () => {
    const current = { id: 't1', title: 'Theirs', version: 5 };
    const error = toApiError(
      response(412, {
        error: {
          code: 412,
          message: 'Precondition failed: the task has changed since that version',
          current,
        },
      }),
    );
    expect(error.status).toBe(412);
    expect(error.current).toEqual(current);
    expect(toApiError(response(400, { error: { code: 400, message: 'x', current } })).current).toBe(
      null,
    );
  });

  it('explains a network failure', () => {
    expect(toApiError(response(0, new ProgressEvent('error'))).message).toBe(
      'Cannot reach the server. Check your connection and try again.',
    );
  });
});

describe('errorMessage', () => {
  it('uses the ApiError message and hides anything else', () => {
    expect(errorMessage(new ApiError(403, 'Access denied'))).toBe('Access denied');
    expect(errorMessage(new TypeError('x is undefined'))).toBe(
      'Something went wrong. Please try again.',
    );
  });
});
