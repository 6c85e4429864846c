import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { PreconditionFailedException, RetryLaterException, ValidationFailedException } from './api-errors.js';
import type { ErrorBody } from './error-body.js';
import { InsufficientScopeException } from './scopes.js';

/** PostgreSQL error codes that mean the client sent something the schema refuses. */
const BAD_INPUT_SQLSTATES: Record<string, string> = {
  '22P02': 'Invalid value',
  '22001': 'Value too long',
  '22007': 'Invalid date',
  '22008': 'Date out of range',
  '22021': 'Invalid text encoding',
  '23502': 'A required field is missing',
  '23514': 'Value not allowed',
};

/** Driver and server states that mean "the database is away", not "the code is wrong". */
const UNAVAILABLE_SQLSTATE_CLASSES = ['08', '53', '57'];
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * The single place errors become responses. Every error leaves as the
 * contract's `{"error": {code, message, details?}}`; anything unexpected is
 * logged with its stack and answered with a generic 500.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, body } = this.toErrorBody(exception);
    if (status === HttpStatus.UNAUTHORIZED) reply.header('WWW-Authenticate', 'Bearer');
    // RFC 6750 §3.1: a personal API token used outside its scopes.
    if (exception instanceof InsufficientScopeException) {
      reply.header('WWW-Authenticate', `Bearer error="insufficient_scope"${exception.scope ? `, scope="${exception.scope}"` : ''}`);
    }
    if (exception instanceof PreconditionFailedException) reply.header('ETag', `"${exception.current.version}"`);
    if (exception instanceof RetryLaterException) reply.header('Retry-After', String(exception.retryAfterSeconds));
    reply.status(status).type('application/json; charset=utf-8').send(body);
  }

  toErrorBody(exception: unknown): { status: number; body: ErrorBody } {
    if (exception instanceof ValidationFailedException) {
      return respond(400, exception.message, exception.details);
    }
    if (exception instanceof PreconditionFailedException) {
      const response = respond(412, exception.message);
      response.body.error.current = exception.current;
      return response;
    }
    if (exception instanceof HttpException) {
      return respond(exception.getStatus(), httpExceptionMessage(exception));
    }
    if (exception instanceof QueryFailedError) {
      const code = (exception.driverError as { code?: string } | undefined)?.code ?? '';
      if (code === '23505') return respond(409, 'Conflict with an existing record');
      // DB_STATEMENT_TIMEOUT: this request's own query ran too long, the database is fine.
      if (code === '57014') return respond(503, 'The request took too long and was stopped: narrow it down (filters, a more specific search)');
      if (BAD_INPUT_SQLSTATES[code]) return respond(400, BAD_INPUT_SQLSTATES[code]);
      if (UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return unavailable();
    }
    const frameworkError = fastifyError(exception);
    if (frameworkError) return frameworkError;
    if (isDatabaseUnavailable(exception)) return unavailable();

    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return respond(500, 'Internal server error');
  }
}

function respond(status: number, message: string, details?: ErrorBody['error']['details']) {
  const error: ErrorBody['error'] = { code: status, message };
  if (details) error.details = details;
  return { status, body: { error } };
}

function unavailable() {
  return respond(503, 'Service temporarily unavailable, please retry');
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (exception.getStatus() === HttpStatus.NOT_FOUND) return 'Not found';
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/** Errors Fastify raises before Nest runs: body limits, media types, malformed JSON. */
function fastifyError(exception: unknown) {
  if (!(exception instanceof Error)) return undefined;
  const { statusCode, code } = exception as Error & { statusCode?: number; code?: string };
  if (exception instanceof SyntaxError || code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return respond(400, 'Malformed JSON body');
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return respond(413, 'Request body too large (limit 100 kB; 20 MB for an import)');
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return respond(415, 'Unsupported content type: send application/json');
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return respond(400, 'Empty JSON body');
  // Raised by the router: every path parameter of this API is a UUID, so an
  // undecodable or over-long one is plain bad input.
  if (code === 'FST_ERR_BAD_URL') return respond(400, 'Malformed URL');
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return respond(400, 'Path parameter too long');
  if (code?.startsWith('FST_') && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return respond(statusCode, 'Bad request');
  }
  return undefined;
}

function isDatabaseUnavailable(exception: unknown): boolean {
  if (!(exception instanceof Error)) return false;
  // Query errors arrive wrapped in QueryFailedError; a bare server error can
  // only come from opening a connection (database refusing, starting, gone).
  if (exception instanceof DatabaseError) return true;
  const code = (exception as { code?: string }).code;
  if (code && UNAVAILABLE_ERRNOS.has(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Connection ended|the database system is (starting up|shutting down)/i.test(
    exception.message,
  );
}
