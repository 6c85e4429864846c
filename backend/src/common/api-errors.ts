import { HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorDetail } from './error-body.js';

/** A 400 that names each bad field; the filter copies `details` into the body. */
export class ValidationFailedException extends HttpException {
  constructor(readonly details: ErrorDetail[], message = 'Validation failed') {
    super(message, HttpStatus.BAD_REQUEST);
  }
}

/** Not found or not owned look the same, so ids of other users' tasks leak nothing. */
export class TaskAccessDeniedException extends HttpException {
  constructor() {
    super('Access denied: task not found or not owned by user', HttpStatus.FORBIDDEN);
  }
}

/** As for tasks: another user's project and a missing one look the same. */
export class ProjectAccessDeniedException extends HttpException {
  constructor() {
    super('Access denied: project not found or not owned by user', HttpStatus.FORBIDDEN);
  }
}

export class ViewAccessDeniedException extends HttpException {
  constructor() {
    super('Access denied: view not found or not owned by user', HttpStatus.FORBIDDEN);
  }
}

/** The request is well formed but the resource's state forbids it (a name taken, a project not empty). */
export class ConflictStateException extends HttpException {
  constructor(message: string) {
    super(message, HttpStatus.CONFLICT);
  }
}

export class InvalidCredentialsException extends HttpException {
  constructor() {
    super('Invalid email or password', HttpStatus.UNAUTHORIZED);
  }
}

/** A change that needs the caller's password was sent with the wrong one. */
export class WrongPasswordException extends HttpException {
  constructor() {
    super('Current password is incorrect', HttpStatus.UNAUTHORIZED);
  }
}

/** A cookie-authenticated call (refresh, log out) from a page of an origin the API does not serve (CSRF). */
export class OriginNotAllowedException extends HttpException {
  constructor() {
    super('Origin not allowed', HttpStatus.FORBIDDEN);
  }
}

export class EmailTakenException extends HttpException {
  constructor() {
    super('Email already registered', HttpStatus.CONFLICT);
  }
}

export class InvalidTokenException extends HttpException {
  constructor(message: 'Invalid token' | 'Token expired' = 'Invalid token') {
    super(message, HttpStatus.UNAUTHORIZED);
  }
}

/**
 * A conditional write (If-Match, If-None-Match) found the task at a version
 * it excludes. The current task travels in the body (`error.current`) and its
 * ETag in the header, so a client can show the difference without another
 * request.
 */
export class PreconditionFailedException extends HttpException {
  constructor(
    readonly current: { version: number },
    message = 'Precondition failed: the task has changed since that version',
  ) {
    super(message, HttpStatus.PRECONDITION_FAILED);
  }
}

export class IdempotencyKeyReusedException extends HttpException {
  constructor() {
    super('Idempotency-Key was already used with a different request body', HttpStatus.UNPROCESSABLE_ENTITY);
  }
}

/** Refused for now; the answer says when to try again (the filter sends Retry-After). */
export abstract class RetryLaterException extends HttpException {
  protected constructor(
    message: string,
    status: HttpStatus,
    readonly retryAfterSeconds: number,
  ) {
    super(message, status);
  }
}

/**
 * The caller already has as many requests running and waiting on this
 * instance as one user may: their own load slows only them, and past the
 * queue they are told to come back.
 */
export class TooManyConcurrentRequestsException extends RetryLaterException {
  constructor() {
    super('Too many requests in progress for this account: retry after the earlier ones have finished', HttpStatus.TOO_MANY_REQUESTS, 1);
  }
}
